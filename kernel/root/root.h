/* kernel/root/root.h: the root task's shared state and its parts, one file
 * each: alloc.c (slots and objects from Untyped), map.c (mappings with the
 * page tables they need), space.c (the second address space and its
 * threads), then one file per check (see README.md). */
#ifndef THATTE_ROOT_H
#define THATTE_ROOT_H

#include <stdint.h>

#include "mku/fmt.h"
#include "mku/invoke.h"
#include "mku/syscall.h"
#include "thatte/rootinfo.h"
#include "child.h"

/* CPtrs of the root CNode are slot numbers at depth 64. */
#define RT_DEPTH 64u

/* Virtual addresses the root task maps things at in its own space. */
#define RT_SCRATCH_VADDR 0x30000000ull   /* pages being filled for the child */
#define RT_MOVER_STACK_VADDR  0x30400000ull /* the mover thread (give.c) */
#define RT_MOVER_IPCBUF_VADDR 0x30402000ull
#define RT_FB_VADDR      0x100000000ull  /* the framebuffer (4 GiB, 2 MiB aligned) */
#define RT_CHANNEL_VADDR 0x200000000ull  /* the display channel (8 GiB, 2 MiB aligned) */
#define RT_HS_SCRIPT_VADDR 0x31000000ull /* hostile.c: a case's script page */
#define RT_HS_SCRATCH_VADDR 0x31001000ull /* hostile.c: its code pages being filled */
#define RT_KVMM_SCRATCH_VADDR 0x32000000ull /* kvmm.c: the VMM's pages being filled */
#define RT_ECAM_VADDR    0x300000000ull  /* aarch64: PCIe configuration space (ECAM) */
#define RT_MMIO_VADDR    0x380000000ull  /* aarch64: fw_cfg's or a card's registers */

/* A PCI function's address. */
struct rt_pci_where {
        uint8_t found, bus, dev, fn;
};

struct rt {
        const struct thatte_root_info *info;
        uint64_t next_slot;     /* first free slot of the root CNode */
        uint64_t slot_end;
        uint64_t ntfn;          /* notification bound to the root thread */
        struct rt_pci_where ivshmem; /* the first ivshmem device (display channel) */
        struct thatte_framebuffer fb; /* the one display.c painted (format NONE: none) */
};

extern struct rt rt;
extern uint64_t rt_tsc_start;   /* start.S: rdtsc at the first instruction */

/* rt_say: one `thatte-root: ...` line. */
void rt_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* rt_fail: print `thatte-root: FAIL what (kernel error e)` and stop the
 * root thread for good (no `ready`). */
__attribute__((noreturn)) void rt_fail(const char *what, int e);

/* rt_passed: true once the clock (mku_rdtsc) has reached t; wraps safely. */
static inline int rt_passed(uint64_t t)
{
        return mku_rdtsc() - t < (1ull << 63);
}

/* rt_ms_ticks: ms milliseconds in clock ticks, at the rate the kernel
 * measured (root info tsc_khz); without one 1 GHz is assumed, so that a
 * faster clock makes waits shorter, never longer than asked (the
 * channel's heartbeat rule). */
static inline uint64_t rt_ms_ticks(uint64_t ms)
{
        return ms * (rt.info->tsc_khz ? rt.info->tsc_khz : 1000000u);
}

/* rt_must: rt_fail(what, r) unless r is MK_OK. */
static inline void rt_must(int r, const char *what)
{
        if (r != MK_OK)
                rt_fail(what, r);
}

/* ---- alloc.c ---- */
/* rt_slots: n consecutive free slots of the root CNode (fails the task when
 * it is full). */
uint64_t rt_slots(uint64_t n);
/* rt_alloc: count objects of type (size_bits as for retype) from the first
 * non-device Untyped with room, into fresh slots; returns the first slot.
 * Fails the task when no Untyped has room. */
uint64_t rt_alloc(uint64_t type, uint64_t size_bits, uint64_t count);
/* rt_try_alloc: the same into slots from dest on; returns the kernel's
 * error instead of failing the task (MK_E_NO_MEMORY: no Untyped has room). */
int rt_try_alloc(uint64_t type, uint64_t size_bits, uint64_t count, uint64_t dest);
static inline uint64_t rt_new(uint64_t type, uint64_t size_bits)
{
        return rt_alloc(type, size_bits, 1);
}
/* rt_copy: a copy of cap src (rights masked, badge if not 0) in a new slot. */
uint64_t rt_copy(uint64_t src, uint64_t rights, uint64_t badge);
/* rt_ioport: an I/O port cap for ports [first, last] in a new slot; fails
 * the task with what when the kernel refuses it. */
uint64_t rt_ioport(uint64_t first, uint64_t last, const char *what);

/* ---- map.c ---- */
/* rt_map: map frame at vaddr in pml4 with rights and MK_MAP_* attrs,
 * retyping and mapping the page tables that are missing on the way.
 * Returns MK_OK or MK_E_*. */
int rt_map(uint64_t pml4, uint64_t frame, uint64_t vaddr, uint64_t rights, uint64_t attrs);
/* rt_map_sized: the same for a 2 MiB frame when large is set. */
int rt_map_sized(uint64_t pml4, uint64_t frame, uint64_t vaddr, uint64_t rights,
                 uint64_t attrs, int large);

/* ---- devmap.c ---- */
/* rt_map_device: map [paddr, paddr + size) of device memory at vaddr
 * (2 MiB aligned) write-combining; returns the address of paddr, or NULL
 * (said why) when no device Untyped covers it. Fails the task on a kernel
 * error. */
void *rt_map_device(uint64_t paddr, uint64_t size, uint64_t vaddr);
/* rt_map_mmio: the same, uncached (device registers: ECAM, fw_cfg, a
 * card's register BAR). */
void *rt_map_mmio(uint64_t paddr, uint64_t size, uint64_t vaddr);

/* rt_device_frames: the Frame caps rt_map_device mapped over
 * [vaddr, vaddr + size), in order, as runs of count caps from slot first
 * of 2^bits bytes each starting at va. Returns how many runs it wrote
 * (at most max), or -1 when they do not cover the range exactly. */
struct rt_frame_run {
        uint64_t first, count, va;
        unsigned bits;
};
int rt_device_frames(uint64_t vaddr, uint64_t size, struct rt_frame_run *runs, unsigned max);

/* ---- vbe.c ---- */
#define RT_ENODEV 19
#define RT_ENOSPC 28
/* rt_vbe_set_mode: w x h x 32 bpp on the Bochs VBE interface. Returns 0,
 * -RT_ENODEV (no VBE), -RT_ENOSPC (too little VRAM), -RT_EINVAL (refused). */
int rt_vbe_set_mode(unsigned w, unsigned h);

/* ---- space.c ---- */
struct rt_space {
        uint64_t pml4;
        uint64_t cspace;        /* an empty CNode (with its guard): no caps at all */
        uint64_t svc_cnode;     /* the service CNode as retyped (no guard) */
        uint64_t svc_cspace;    /* the same with its guard: server and watchdog */
        volatile uint64_t *shared; /* the page at CHILD_SHARED_VADDR in both spaces */
        unsigned threads;
};

struct rt_thread {
        uint64_t tcb;
        uint64_t stack_top;
};

/* rt_space_create: a new PML4 and CSpace with the child code and the
 * shared page mapped. Fails the task on error. */
void rt_space_create(struct rt_space *s);
/* rt_thread_create: a TCB in space s with its own stack and IPC buffer,
 * CSpace cspace (root CPtr of a CNode cap), priority prio and fault
 * endpoint fault_ep (root CPtr, 0: none). */
void rt_thread_create(struct rt_space *s, struct rt_thread *t, uint64_t cspace,
                      uint64_t prio, uint64_t fault_ep);
/* rt_thread_start: run t at the child function entry with rdi = arg. */
void rt_thread_start(struct rt_thread *t, void (*entry)(void), uint64_t arg);
void rt_thread_stop(struct rt_thread *t);

/* ---- give.c ---- */
/* rt_give_init: start the mover thread that lands caps in s's service
 * CNode. rt_give: a copy of the root's cap src into slot of it. */
void rt_give_init(struct rt_space *s);
void rt_give(struct rt_space *s, uint64_t slot, uint64_t src);
/* rt_give_to: a copy of the root's cap src into slot index of the CNode
 * the root's cap cnode names (any CNode, through the mover). */
void rt_give_to(uint64_t cnode, uint64_t index, uint64_t src);

/* The child functions (child.S). */
void child_server(void);
void child_spin(void);
void child_touch(void);
void child_port_in(void);
void child_sysreg(void);        /* aarch64 */
void child_watchdog(void);
void child_seg_dirty(void);
void child_seg_probe(void);
void child_print(void);

/* ---- watchdog.c: a low-priority thread that ends a wait that hangs ---- */
#define RT_BADGE_IRQ 1u
#define RT_BADGE_WATCHDOG 2u
#define RT_BADGE_POWER 4u       /* the ACPI SCI (power.c) */
#define RT_BADGE_KVMM_OFF 8u    /* thatte-kvmm: DriverOS powered off (power.c) */
#define RT_BADGE_KVMM_STOPPED 16u /* thatte-kvmm stopped (power.c) */
#define RT_BADGE_CHAN 32u       /* thatte-kvmm: the guest's doorbell or a beat (channel.c) */
void rt_watchdog_init(struct rt_space *s);
void rt_watchdog_arm(void);
void rt_watchdog_arm_ticks(uint64_t ticks);
void rt_watchdog_disarm(void);

/* ---- the checks ---- */
void rt_check_ipc(struct rt_space *s);
void rt_check_preemption(struct rt_space *s);
void rt_check_faults(struct rt_space *s);
void rt_check_irq(void);
void rt_check_segments(struct rt_space *s);
void rt_check_console(struct rt_space *s);
/* hostile*.c: thatte.test=hostile, the hostile-children test. */
void rt_hostile_run(void);
/* stretch.c: the kernel-stretch benchmark, with thatte.bench=stretch only. */
void rt_bench_stretch(void);
/* vm.c: a tiny guest on a VCPU, or the kernel's refusal without SVM. */
void rt_check_vm(void);
/* vm-beside.c (thatte.test=guest-beside): two guests, one spinning and one
 * exiting, started before the root's other checks and stopped after them
 * (the marker says how many checks ran beside them). */
void rt_vm_beside_start(void);
void rt_vm_beside_stop(unsigned checks);

/* kvmm.c: list the boot modules; with a `driveros-kernel` among them,
 * start thatte-kvmm (kernel/kvmm/) to boot DriverOS as its guest. */
void rt_kvmm_start(void);
#define RT_KVMM_PRIO 200u       /* the VMM's threads */
/* alive.c: `thatte-root: alive N` every few seconds once rt_alive_start
 * dropped the root thread to priority prio: rt_alive_tick prints when one
 * is due (nothing before the start), rt_alive_run ticks for good once
 * started and returns at once otherwise. */
void rt_alive_start(unsigned prio);
void rt_alive_tick(void);
void rt_alive_run(void);

/* power.c: the ACPI power button and soft-off. rt_power_init: take the
 * PM1 ports and the SCI and enable the button, or say why the machine has
 * no such thing. rt_power_events: serve the SCI if badge carries
 * RT_BADGE_POWER (a press powers off). rt_power_run: wait for presses for
 * ever; returns at once when the button is not armed. */
void rt_power_init(void);
void rt_power_events(uint64_t badge);
void rt_power_run(void);
/* rt_power_kvmm: thatte-kvmm runs DriverOS: a copy of the root's
 * notification badged RT_BADGE_KVMM_OFF into its CNode's slot off_slot
 * and badged RT_BADGE_KVMM_STOPPED into stopped_slot; presses go to its
 * notification vmm_ntfn (badge bit press_badge) first, until it stops;
 * the guest's soft-off then powers the machine off. */
void rt_power_kvmm(uint64_t cnode, uint64_t off_slot, uint64_t stopped_slot, uint64_t vmm_ntfn,
                   uint64_t press_badge);

/* rt_check_pci: reach configuration space (pci-port.c, aarch64/ecam.c:
 * which also places the BARs) and list the devices; returns the std-vga's
 * (aarch64: bochs-display's) BAR0, 0: none. rt_pci_scan (pci.c): the
 * listing alone. */
uint64_t rt_check_pci(void);
uint64_t rt_pci_scan(void);
#define RT_IVSHMEM_VENDOR 0x1af4u
#define RT_IVSHMEM_DEVICE 0x1110u
/* rt_pci_read / rt_pci_write: a configuration dword (after rt_check_pci). */
uint32_t rt_pci_read(unsigned bus, unsigned dev, unsigned fn, unsigned reg);
void rt_pci_write(unsigned bus, unsigned dev, unsigned fn, unsigned reg, uint32_t v);

/* channel.c: the root task as a display client (thatte/display-channel.h).
 * rt_channel_open: with an ivshmem device, map its BAR2, write the header
 * and paint the window; 1 when the channel is open, 0 when there is none
 * or it cannot be used (said why). rt_channel_run: keep the heartbeat and
 * print the input events, for ever. */
int rt_channel_open(void);
__attribute__((noreturn)) void rt_channel_run(void);
/* rt_channel_start: the header and the first frame in size bytes at mem
 * (either source); rt_channel_here: 1 once a channel is started;
 * rt_channel_wake_on: rt_channel_run blocks on ntfn between rounds
 * instead of yielding (someone signals it: thatte-kvmm). */
void rt_channel_start(void *mem, uint64_t size);
int rt_channel_here(void);
void rt_channel_wake_on(uint64_t ntfn);

/* kvmm-chan.c: the display channel in a frame of the root's own for
 * DriverOS under thatte-kvmm. rt_kvmm_chan_give: make it (unless a
 * channel exists already) and hand it to the VMM being built: its guest
 * space gs, its page tables pml4, its CNode cnode, its notification ntfn;
 * sets info->chan. Returns 1 when given, 0 when not (said why). */
struct kvmm_info;
int rt_kvmm_chan_give(uint64_t gs, uint64_t pml4, uint64_t cnode, uint64_t ntfn,
                      struct kvmm_info *info);
/* rt_kvmm_chan_ring: tell the VMM a frame was published (its doorbell
 * into the guest); nothing without a VMM channel. */
void rt_kvmm_chan_ring(void);
/* chan-frames.c: more frames for the doorbell's test and benchmark.
 * rt_chan_frames_mode: thatte.test=chan-frames or chan-flood on cmdline
 * switches them on; rt_chan_frames_round: rt_channel_run's part, at every
 * wake (publishes, or prints what was measured at the end). */
struct tdc_header;
void rt_chan_frames_mode(const char *cmdline);
void rt_chan_frames_round(struct tdc_header *h);
/* display.c: paint the framebuffer or, without one, the std-vga.
 * rt_display_paint: the default picture into fb, mapped at pixels by the
 * caller (t0: the clock before it mapped); fails the task on a bad
 * format or geometry. */
void rt_check_display(uint64_t stdvga_bar0);
void rt_display_paint(const struct thatte_framebuffer *fb, uint32_t *pixels, uint64_t t0);

/* aarch64/ramfb.c: the default picture on QEMU's ramfb, through fw_cfg
 * DMA (devices from the root info); 1 when shown, 0 without a ramfb.
 * aarch64/bochs.c: on bochs-display at BAR0 (its registers at BAR2). */
int rt_ramfb_show(void);
void rt_bochs_show(uint64_t bar0);
/* aarch64/devcheck.c: what the kernel refuses when the root task asks for
 * device memory as something else (thatte.test=hostile). */
void rt_check_device_refusals(void);
/* vbe.c: the Bochs VBE registers through MMIO (bochs-display's BAR2 +
 * 0x500, 16 bits each) instead of ports 0x1CE/0x1CF, when set. */
extern volatile uint16_t *rt_vbe_mmio;

#endif
