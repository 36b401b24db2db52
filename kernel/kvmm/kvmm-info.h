/* kernel/kvmm/kvmm-info.h: what the root task hands thatte-kvmm, the VMM
 * task that boots DriverOS: its fixed virtual layout, its capabilities and
 * the info page describing the rest (the root task writes it, the VMM
 * only reads it). Freestanding: needs only <stdint.h>. */
#ifndef THATTE_KVMM_INFO_H
#define THATTE_KVMM_INFO_H

#include <stdint.h>

#define KVMM_INFO_MAGIC 0x4f464e494d4d564bull  /* "KVMMINFO" */

/* The VMM's address space (its ELF is linked at 0x400000 like the root's). */
#define KVMM_INFO_VADDR    0x10000000ull        /* this page, read-only */
#define KVMM_STACK_TOP     0x10200000ull        /* KVMM_STACK_PAGES below it */
#define KVMM_STACK_PAGES   16u
#define KVMM_IPCBUF_VADDR  0x10400000ull        /* the VCPU thread's */
#define KVMM_RAM_VADDR     0x100000000ull       /* guest RAM, guest-physical 0 up */
#define KVMM_MODULE_VADDR  0x400000000ull       /* module i at + i * KVMM_MODULE_SPAN */
#define KVMM_MODULE_SPAN   0x40000000ull
#define KVMM_FB_GPA        0xc0000000ull        /* the framebuffer, guest-physical */
/* The display channel (kernel/kvmm/chan.c): one 2 MiB frame, mapped into
 * the VMM here and into the guest where it programs the ivshmem
 * function's BAR2, inside the MMIO window (which starts at its default
 * place; the framebuffer lies below it, at most KVMM_CHAN_GPA -
 * KVMM_FB_GPA bytes). */
#define KVMM_CHAN_VADDR    0x500000000ull
#define KVMM_CHAN_SIZE     (2ull << 20)
/* The window is the DSDT root bridge's 32-bit one (kvmm.h's
 * KVMM_PCI_MMIO32_BASE/SIZE): Linux keeps BARs placed inside it. */
#define KVMM_CHAN_GPA      0xd0000000ull
#define KVMM_CHAN_WINDOW   KVMM_CHAN_GPA
#define KVMM_CHAN_WINDOW_END 0xe0000000ull

/* Its CNode (CPtrs are slot numbers, as in the root's second space). */
#define KVMM_CNODE_RADIX 4u
enum { KVMM_CAP_VCPU = 1, KVMM_CAP_NTFN, KVMM_CAP_CONSOLE };
/* Badges on KVMM_CAP_NTFN: bits 0-23 are the host's IRQ lines
 * (KVMM_BADGE_IRQ), the others each one sender's. */
#define KVMM_BADGE_IRQ(n) (1ull << (n))
#define KVMM_NTFN_CHAN     (1ull << 32)         /* the root task: a frame published */
#define KVMM_BADGE_POWER   (1ull << 33)         /* the root task: a power-button press */
/* The PC's i8042 (kernel/kvmm/i8042.c): I/O port caps for 0x60 and 0x64,
 * the IRQ handlers of lines 1 and 12 (bound to KVMM_CAP_NTFN with badges
 * KVMM_BADGE_IRQ(1) and (12)). Present when info->i8042 is nonzero. */
enum { KVMM_CAP_I8042_DATA = 4, KVMM_CAP_I8042_CMD, KVMM_CAP_I8042_IRQ1, KVMM_CAP_I8042_IRQ12 };
/* The display channel's (present when info->chan.present): the guest
 * space (to map BAR2), a copy of the channel frame, and the root task's
 * channel notification (the guest's doorbell and the heartbeat's beat). */
enum { KVMM_CAP_CHAN_GSPACE = 8, KVMM_CAP_CHAN_FRAME, KVMM_CAP_CHAN_ROOT };
/* The root's notification, badged: the guest powered off (power.c), and
 * this VMM stopped (console.c). */
enum { KVMM_CAP_ROOT_POWER = 11, KVMM_CAP_ROOT_STOPPED };

/* The modules, in the root task's names. */
enum { KVMM_MOD_KERNEL, KVMM_MOD_INITRD, KVMM_MOD_CMDLINE, KVMM_MOD_COUNT };

struct kvmm_info {
        uint64_t magic;                 /* KVMM_INFO_MAGIC */
        uint64_t ram_size;              /* bytes at KVMM_RAM_VADDR = guest-physical 0 */
        /* Module bytes, read-only; size 0: absent. */
        struct { uint64_t vaddr, size; } module[KVMM_MOD_COUNT];
        /* The screen, mapped into the guest at KVMM_FB_GPA (+ offset within
         * the first page); format THATTE_FB_RGBX8888 or _BGRX8888, or 0:
         * none. stride in pixels. */
        struct { uint64_t offset; uint32_t width, height, stride, format; } fb;
        uint64_t tsc_khz;               /* the TSC's rate the kernel measured; 0: unknown */
        uint64_t i8042;                 /* 1: the i8042's caps are in its CNode */
        /* The display channel: present 1 when the root task made one (its
         * frame at KVMM_CHAN_VADDR and in slot KVMM_CAP_CHAN_FRAME). */
        struct { uint64_t present; } chan;
};

#endif
