/* kernel/vmm/legacy.h: the PC's legacy devices a Linux guest probes,
 * minimal: the 8259 pair (programmable, always delivering nothing: the
 * guest's interrupts come through the x2APIC), the 8254 PIT (counting, for
 * TSC calibration; no IRQ 0), the CMOS/RTC (a fixed date). Each has a byte
 * handler for one port; ports.c splits wider accesses. */
#ifndef THATTE_KVMM_LEGACY_H
#define THATTE_KVMM_LEGACY_H

#include "vmm.h"

struct vmm_pic_chip {
        uint8_t imr;            /* OCW1: masked lines */
        uint8_t vector_base;    /* ICW2 */
        uint8_t icw_next;       /* 0: initialised; 2, 3, 4: the ICW expected */
        bool icw4;              /* ICW1 said an ICW4 follows */
        bool read_isr;          /* OCW3: the command port reads ISR, else IRR */
};

struct vmm_pic {
        struct vmm_pic_chip chip[2];    /* master 0x20/0x21, slave 0xa0/0xa1 */
};

void vmm_pic_init(struct vmm_pic *p);
int vmm_pic_byte(void *pic, uint16_t port, bool write, uint8_t *val);

#define PIT_HZ 1193182u

struct vmm_pit_channel {
        uint16_t reload;        /* 0 counts 65536 */
        uint16_t latch;
        uint8_t mode, access;   /* control word: mode 0..5, access 1 lo, 2 hi, 3 lo/hi */
        bool write_hi, read_hi; /* the next byte of a lo/hi pair */
        bool latched;
        uint64_t start;         /* PIT tick the count was loaded (or the gate rose) */
};

struct vmm_pit {
        struct vmm_pit_channel ch[3];
        uint8_t port61;         /* bit 0 gate 2, bit 1 speaker */
        uint64_t now;           /* the current PIT tick, set by the caller */
};

void vmm_pit_init(struct vmm_pit *p);
int vmm_pit_byte(void *pit, uint16_t port, bool write, uint8_t *val);

struct vmm_date {
        uint8_t sec, min, hour, day, month, year, century; /* binary */
};

struct vmm_cmos {
        uint8_t index;
        uint8_t ram[128];
};

/* -VMM_EINVAL for a date that is not one. */
int vmm_cmos_init(struct vmm_cmos *c, const struct vmm_date *date);
int vmm_cmos_byte(void *cmos, uint16_t port, bool write, uint8_t *val);

#endif
