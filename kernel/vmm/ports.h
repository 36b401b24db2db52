/* kernel/vmm/ports.h: the guest's port space: the emulated PC devices
 * behind one call per IOIO exit. Ports no model owns read as an open bus
 * (all ones) and drop writes; they are counted, never fatal. */
#ifndef THATTE_KVMM_PORTS_H
#define THATTE_KVMM_PORTS_H

#include "legacy.h"
#include "uart.h"

/* A byte-wide device's handler for one port: -VMM_ENOENT if not its own. */
typedef int vmm_byte_fn(void *dev, uint16_t port, bool write, uint8_t *val);

/* Splits a 1-, 2- or 4-byte access into byte accesses on consecutive
 * ports, as the ISA bus does; bytes beyond port 0xffff or not the
 * device's read all ones. Returns how many bytes the device took. */
int vmm_io_bytes(struct vmm_io *io, vmm_byte_fn *fn, void *dev);

struct vmm_pc {
        struct vmm_uart com1;
        struct vmm_pic pic;
        struct vmm_pit pit;
        struct vmm_cmos cmos;
        uint8_t post_code;      /* the last byte written to port 0x80 */
        uint64_t tsc_hz;        /* converts the caller's TSC to PIT ticks */
        uint64_t unclaimed;     /* accesses no model took */
        uint16_t last_unclaimed; /* the port of the last of them (the exits line) */
};

/* COM1 to `console` with `prefix`, the date on the RTC. */
int vmm_pc_init(struct vmm_pc *pc, struct vmm_sink console, const char *prefix,
                const struct vmm_date *date, uint64_t tsc_hz);
/* One IOIO exit at TSC `tsc`: a read's result in io->value. -VMM_EINVAL
 * for a width other than 1, 2 or 4. */
int vmm_pc_io(struct vmm_pc *pc, struct vmm_io *io, uint64_t tsc);

#endif
