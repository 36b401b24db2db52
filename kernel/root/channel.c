/* kernel/root/channel.c: the root task as a display client
 * (thatte/display-channel.h). The memory comes from one of two places:
 * the first ivshmem device (PCI 1af4:1110) found by pci.c, when QEMU
 * shares a channel with DriverOS in another QEMU (its BAR2, 64-bit
 * memory, sized through configuration space and mapped through device
 * Frames, devmap.c); or a frame of the root's own, shared with DriverOS
 * under thatte-kvmm (kvmm-chan.c). Either way rt_channel_start gives it a
 * header (title "thatte-mk", 640x400 XRGB8888, two buffers) and one frame
 * with the default picture. After `ready` the root thread keeps the
 * heartbeat and prints the input events the compositor sends, blocked on
 * the root's notification between rounds (MK_SYS_WAIT_UNTIL): under
 * thatte-kvmm until the next heartbeat's deadline (the VMM, at a lower
 * priority, must run; the guest's doorbell wakes the root at once), so an
 * unchanging screen costs one wake-up per heartbeat; beside a separate
 * QEMU, whose compositor rings no doorbell that reaches us, every POLL_MS
 * too, to read the input ring soon. */
#include "paint.h"
#include "pcicfg.h"
#include "root.h"
#include "thatte/display-channel.h"

#define CH_W 640u
#define CH_H 400u
#define CH_STRIDE (CH_W * 4)
#define CH_BUFFER ((CH_STRIDE * CH_H + 4095u) & ~4095u)
#define CH_NEED (TDC_HEADER_SIZE + 2ull * CH_BUFFER)
#define CH_MAP_MAX (64ull << 20)        /* map no more than this of a larger BAR */
#define BEAT_MS (TDC_HEARTBEAT_MS * 2 / 5) /* between beats: 100 ms */
#define POLL_MS 5u                      /* between input reads without a doorbell */
#define IDLE_REPORT_BEATS 50u           /* thatte.bench=idle: a line every 50 heartbeats */
#define PCI_COMMAND 0x04u
#define PCI_COMMAND_MEMORY 0x2u
#define PCI_BAR2 0x18u

static struct tdc_header *hdr;
static uint64_t wake_ntfn;      /* 0: no VMM rings the root for the guest's doorbell */
static uint32_t row[CH_W + 2] __attribute__((aligned(8)));

/* BAR2's base and size: the standard sizing (all ones, read back, restore)
 * with memory decoding off meanwhile. 0 when it is not a 64-bit memory
 * BAR or decoding was off (the firmware did not place it). */
static uint64_t bar2(const struct rt_pci_where *w, uint64_t *size)
{
        uint32_t cmd = rt_pci_read(w->bus, w->dev, w->fn, PCI_COMMAND);
        uint32_t lo = rt_pci_read(w->bus, w->dev, w->fn, PCI_BAR2);
        uint32_t hi = rt_pci_read(w->bus, w->dev, w->fn, PCI_BAR2 + 4), slo, shi;
        uint64_t mask;

        if ((lo & 0x7u) != 0x4u || !(cmd & PCI_COMMAND_MEMORY))
                return 0;
        rt_pci_write(w->bus, w->dev, w->fn, PCI_COMMAND, cmd & 0xffffu & ~PCI_COMMAND_MEMORY);
        rt_pci_write(w->bus, w->dev, w->fn, PCI_BAR2, 0xffffffffu);
        rt_pci_write(w->bus, w->dev, w->fn, PCI_BAR2 + 4, 0xffffffffu);
        slo = rt_pci_read(w->bus, w->dev, w->fn, PCI_BAR2);
        shi = rt_pci_read(w->bus, w->dev, w->fn, PCI_BAR2 + 4);
        rt_pci_write(w->bus, w->dev, w->fn, PCI_BAR2, lo);
        rt_pci_write(w->bus, w->dev, w->fn, PCI_BAR2 + 4, hi);
        rt_pci_write(w->bus, w->dev, w->fn, PCI_COMMAND, cmd & 0xffffu);
        mask = (uint64_t)shi << 32 | (slo & ~0xfu);
        *size = ~mask + 1;
        return rt_pci_bar_base(lo, hi);
}

/* Frame 1 in buffer 0: the default picture, all of it damaged. The fence
 * orders the write-combining stores before the ones that publish. */
static void first_frame(void)
{
        struct rt_pixfmt pf;

        (void)rt_pixfmt_init(&pf, THATTE_FB_BGRX8888, 0, 0, 0);
        rt_paint((uint32_t *)((char *)hdr + TDC_HEADER_SIZE), CH_W, CH_H, CH_W, &pf, row);
        hdr->buffers[0].damage_count = TDC_DAMAGE_ALL;
        hdr->buffers[0].seq = 1;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        __atomic_store_n(&hdr->magic, TDC_MAGIC, __ATOMIC_SEQ_CST);
        __atomic_store_n(&hdr->published, 1 * 4 + 0, __ATOMIC_SEQ_CST);
}

void rt_channel_start(void *mem, uint64_t size)
{
        hdr = mem;
        tdc_header_init(hdr, size, "thatte-mk", CH_W, CH_H, 2);
        first_frame();
}

int rt_channel_open(void)
{
        uint64_t base, size = 0, map;

        if (!rt.ivshmem.found)
                return 0;
        base = bar2(&rt.ivshmem, &size);
        if (!base || size < CH_NEED) {
                rt_say("channel: ivshmem %02x:%02x.%u has no usable BAR2 (0x%lx, %lu bytes)",
                       rt.ivshmem.bus, rt.ivshmem.dev, rt.ivshmem.fn, (unsigned long)base,
                       (unsigned long)size);
                return 0;
        }
        map = size < CH_MAP_MAX ? size : CH_MAP_MAX;
        hdr = rt_map_device(base, map, RT_CHANNEL_VADDR);
        if (!hdr) {
                rt_say("channel: BAR2 at 0x%lx cannot be mapped", (unsigned long)base);
                return 0;
        }
        rt_channel_start(hdr, map);
        rt_say("channel %ux%u at BAR2 0x%lx (%lu MiB), title thatte-mk", CH_W, CH_H,
               (unsigned long)base, (unsigned long)(size >> 20));
        return 1;
}

static void print_event(const struct tdc_input_event *ev)
{
        switch (ev->type) {
        case TDC_INPUT_KEY:
                rt_say("key %u %d", ev->code, ev->value);
                break;
        case TDC_INPUT_BUTTON:
                rt_say("button %u %d %d %d", ev->code, ev->value, ev->x, ev->y);
                break;
        case TDC_INPUT_MOTION:
                rt_say("motion %d %d", ev->x, ev->y);
                break;
        case TDC_INPUT_FOCUS:
                rt_say("focus %d", ev->value);
                break;
        default:
                break;
        }
}

/* The compositor's input ring, read as untrusted: a head more than a ring
 * ahead of (or behind) our tail is skipped to. */
static void input(uint64_t *tail)
{
        uint64_t head = __atomic_load_n(&hdr->input_head, __ATOMIC_ACQUIRE);
        struct tdc_input_event ev;

        if (head - *tail > TDC_INPUT_RING)
                *tail = head;
        while (*tail != head) {
                ev = hdr->input[*tail % TDC_INPUT_RING];
                print_event(&ev);
                (*tail)++;
        }
        __atomic_store_n(&hdr->input_tail, *tail, __ATOMIC_RELEASE);
}

void rt_channel_wake_on(uint64_t ntfn)
{
        wake_ntfn = ntfn;
}

int rt_channel_here(void)
{
        return hdr != 0;
}

/* With `thatte.bench=idle`: how long the CPU idled, for
 * tests/bench/mk-idle.sh (under -icount shift=0 the other ticks are
 * instructions). */
static void idle_report(void)
{
        uint64_t idle, now;

        if (mku_debug_idle(rt.info->debug_console, &idle, &now) == MK_OK)
                rt_say("idle %lu of %lu clock ticks", (unsigned long)idle, (unsigned long)now);
}

void rt_channel_run(void)
{
        uint64_t tail = 0, beat = rt_ms_ticks(BEAT_MS), poll = rt_ms_ticks(POLL_MS);
        uint64_t next = mku_rdtsc() + beat, word = 0, beats = 0, until;
        int shown = 0, report = rt_cmdline_has(rt.info->cmdline, "thatte.bench=idle");

        for (;;) {
                rt_power_events(word); /* the power button, the VMM's power news */
                rt_alive_tick();
                input(&tail);
                rt_chan_frames_round(hdr);
                if (!shown && __atomic_load_n(&hdr->shown, __ATOMIC_ACQUIRE) == 1) {
                        shown = 1;
                        rt_say("channel: frame 1 shown");
                }
                if (rt_passed(next)) {
                        __atomic_store_n(&hdr->heartbeat, hdr->heartbeat + 1, __ATOMIC_RELEASE);
                        next = mku_rdtsc() + beat;
                        if (report && ++beats % IDLE_REPORT_BEATS == 0)
                                idle_report();
                }
                word = 0;
                until = next;
                if (!wake_ntfn && next - mku_rdtsc() > poll)
                        until = mku_rdtsc() + poll;
                if (mku_wait_until(rt.ntfn, until, &word) != MK_OK)
                        word = 0;       /* the deadline passed */
        }
}
