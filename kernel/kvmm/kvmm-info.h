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
#define KVMM_TIMER_STACK_TOP 0x10300000ull      /* the timer thread's, as many */
#define KVMM_STACK_PAGES   16u
#define KVMM_IPCBUF_VADDR  0x10400000ull        /* the VCPU thread's */
#define KVMM_TIMER_IPCBUF_VADDR 0x10401000ull
#define KVMM_RAM_VADDR     0x100000000ull       /* guest RAM, guest-physical 0 up */
#define KVMM_MODULE_VADDR  0x400000000ull       /* module i at + i * KVMM_MODULE_SPAN */
#define KVMM_MODULE_SPAN   0x40000000ull
#define KVMM_FB_GPA        0xc0000000ull        /* the framebuffer, guest-physical */

/* Its CNode (CPtrs are slot numbers, as in the root's second space). */
#define KVMM_CNODE_RADIX 4u
enum { KVMM_CAP_VCPU = 1, KVMM_CAP_NTFN, KVMM_CAP_CONSOLE };
/* The root's notification, badged: the guest powered off (power.c). */
#define KVMM_CAP_ROOT_POWER 4u
/* The root's notification, badged: this VMM stopped (console.c). */
#define KVMM_CAP_ROOT_STOPPED 5u
/* The root's badge on KVMM_CAP_NTFN: a power-button press for the guest. */
#define KVMM_BADGE_POWER 1u

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
};

#endif
