/* kernel/root/main.c: the root task's order of business. Each check prints
 * its marker line or fails the whole task; `ready` comes only at the end.
 * A handed-over framebuffer is painted first (its time is measured); the
 * std-vga path needs the PCI list first, to find the card. aarch64 has
 * its own order: the checks that have an aarch64 counterpart so far. */
#include "root.h"
#include "paint.h"

struct rt rt;
uint64_t rt_tsc_start;

void rt_main(const struct thatte_root_info *info);

void rt_say(const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        mku_vline("thatte-root: ", fmt, ap);
        va_end(ap);
}

static __attribute__((noreturn)) void stop(void)
{
        for (;;) {
                if (rt.info)
                        (void)mku_tcb_suspend(rt.info->tcb);
                mku_yield();
        }
}

void rt_fail(const char *what, int e)
{
        rt_say("FAIL %s (kernel error %d)", what, e);
        stop();
}

static const char *boot_source(uint64_t s)
{
        switch (s) {
        case THATTE_BOOT_UEFI: return "uefi";
        case THATTE_BOOT_PVH: return "pvh";
        case THATTE_BOOT_MULTIBOOT2: return "multiboot2";
        case THATTE_BOOT_ARM64: return "arm64 image";
        default: return "unknown";
        }
}

static void start(const struct thatte_root_info *info)
{
        uint64_t device = 0;

        mku_set_ipcbuf((struct mk_ipcbuf *)THATTE_ROOT_IPCBUF_VADDR);
        mku_debug_console = info->debug_console;
        if (info->magic != THATTE_ROOT_INFO_MAGIC || info->version != THATTE_ROOT_INFO_VERSION)
                rt_fail("root info magic or version", 0);
        rt.info = info;
        rt.next_slot = info->empty_first;
        rt.slot_end = 1ull << info->cnode_radix;
        for (uint64_t i = 0; i < info->untyped_count && i < THATTE_ROOT_UNTYPED_MAX; i++)
                device += info->untyped[i].is_device;
        rt_say("started: %lu untyped caps (%lu device), boot %s, %lu free slots",
               (unsigned long)info->untyped_count, (unsigned long)device,
               boot_source(info->boot_source), (unsigned long)(rt.slot_end - rt.next_slot));
        rt_say("kernel entry to root task %lu instructions",
               (unsigned long)(rt_tsc_start - info->tsc_kernel_entry));
}

/* The notification bound to the root thread: IRQs and the watchdog
 * signal it with their badges. */
static void make_notification(void)
{
        int r;

        rt.ntfn = rt_new(MK_OBJ_NOTIFICATION, 0);
        r = mku_tcb_bind_notification(rt.info->tcb, rt.ntfn);
        if (r != MK_OK)
                rt_fail("bind notification", r);
}

/* The second address space and what the checks after it share. */
static void spaces(struct rt_space *space)
{
        rt_space_create(space);
        rt_give_init(space);
        make_notification();
        rt_watchdog_init(space);
}

static void say_retyped(const struct rt_space *space)
{
        rt_say("retyped CNodes, TCBs, endpoints, a notification, reply objects, page tables "
               "and frames; %u threads in a second address space, caps sent to its CSpace",
               space->threads);
}

#if defined(__aarch64__)
/* aarch64 (QEMU virt): no I/O ports, segments, guests, stretch benchmark
 * or VMM task; the devices come from the device tree through the root
 * info: PCIe through the ECAM, BARs placed here (aarch64/ecam.c), the
 * picture on ramfb through fw_cfg (aarch64/ramfb.c) or on bochs-display
 * (aarch64/bochs.c), the display channel on an ivshmem function; the IRQ
 * check takes the PL011's line (aarch64/irq.c), the hostile children run
 * their arch-neutral sets (aarch64/hostile.c) and the device refusals
 * (aarch64/devcheck.c). */
static void display(int hostile)
{
        uint64_t bar0;

        if (hostile)
                rt_check_device_refusals();     /* before anything maps device memory */
        bar0 = rt_check_pci();
        if (rt_ramfb_show())
                return;
        if (bar0)
                rt_bochs_show(bar0);
        else
                rt_check_display(0);    /* says there is none */
}

void rt_main(const struct thatte_root_info *info)
{
        static struct rt_space space;
        int hostile;

        start(info);
        hostile = rt_cmdline_has(info->cmdline, "thatte.test=hostile");
        display(hostile);
        spaces(&space);
        rt_check_ipc(&space);
        say_retyped(&space);
        rt_check_preemption(&space);
        rt_check_faults(&space);
        rt_check_console(&space);
        if (hostile)
                rt_hostile_run();
        rt_check_irq();
        (void)rt_channel_open();
        rt_say("ready");
        if (rt_channel_here())
                rt_channel_run(); /* the heartbeat from now on */
        stop();
}
#else
void rt_main(const struct thatte_root_info *info)
{
        static struct rt_space space;
        uint64_t bar0;
        int beside;

        start(info);
        if (info->fb.format != THATTE_FB_NONE) {
                rt_check_display(0);
                (void)rt_check_pci();
        } else {
                bar0 = rt_check_pci();
                rt_check_display(bar0);
        }
        spaces(&space);
        /* guests beside the next six checks (vm-beside.c): only the one
         * boot that asks, so no other boot changes its timing */
        beside = rt_cmdline_has(info->cmdline, "thatte.test=guest-beside");
        if (beside)
                rt_vm_beside_start();
        rt_check_ipc(&space);
        say_retyped(&space);
        rt_check_preemption(&space);
        rt_check_faults(&space);
        rt_check_segments(&space);
        rt_check_console(&space);
        /* the hostile-children test (hostile.c): after the root's own
         * checks, and ready still comes only at the end */
        if (rt_cmdline_has(info->cmdline, "thatte.test=hostile"))
                rt_hostile_run();
        rt_check_irq();
        if (beside)
                rt_vm_beside_stop(6);
        rt_check_vm();
        rt_bench_stretch();
        (void)rt_channel_open();
        rt_kvmm_start();
        rt_power_init(); /* the PC's ACPI power button (power.c) */
        rt_say("ready");
        if (rt_cmdline_has(info->cmdline, "thatte.test=kvmm-alive")) {
                rt_alive_start(RT_KVMM_PRIO);
                rt_channel_wake_on(0);  /* polls: alive even when no VMM is left to wake it */
        }
        rt_chan_frames_mode(info->cmdline);
        if (rt_channel_here())
                rt_channel_run(); /* the heartbeat from now on */
        rt_alive_run(); /* returns at once unless started */
        rt_power_run(); /* waits for the power button; returns at once without one */
        stop();
}
#endif
