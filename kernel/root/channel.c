/* kernel/root/channel.c: the root task as a display client
 * (thatte/display-channel.h). The memory comes from one of two places:
 * the first ivshmem device (PCI 1af4:1110) found by pci.c, when QEMU
 * shares a channel with DriverOS in another QEMU (its BAR2, 64-bit
 * memory, sized through configuration space and mapped through device
 * Frames, devmap.c); or a frame of the root's own, shared with DriverOS
 * under thatte-kvmm (kvmm-chan.c). Either way rt_channel_start gives it a
 * header (title "thatte-mk", 640x400 XRGB8888, two buffers) and one frame
 * with the default picture. After `ready` the root thread keeps the
 * heartbeat and prints the input events the compositor sends: spinning
 * with yield beside a separate QEMU (nothing else runs), blocked on the
 * channel's notification under thatte-kvmm (the VMM, at a lower priority,
 * must run; it wakes the root for the guest's doorbell and a beat). */
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
#define BEAT_TICKS (1ull << 24)         /* TSC ticks between beats: ~5 ms at 3 GHz */
#define PCI_COMMAND 0x04u
#define PCI_COMMAND_MEMORY 0x2u
#define PCI_BAR2 0x18u

static struct tdc_header *hdr;
static uint64_t wake_ntfn;      /* 0: spin (no VMM to leave the CPU to) */
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

void rt_channel_run(void)
{
        uint64_t tail = 0, next = mku_rdtsc() + BEAT_TICKS;
        struct mku_msg msg;
        int shown = 0;

        uint64_t word = 0;

        for (;;) {
                if (!wake_ntfn && mku_poll(rt.ntfn, &word) != MK_OK)
                        word = 0;
                rt_power_events(word); /* the power button, the VMM's power news */
                rt_alive_tick();
                input(&tail);
                rt_chan_frames_round(hdr);
                if (!shown && __atomic_load_n(&hdr->shown, __ATOMIC_ACQUIRE) == 1) {
                        shown = 1;
                        rt_say("channel: frame 1 shown");
                }
                if (mku_rdtsc() - next < (1ull << 63)) { /* next has passed */
                        __atomic_store_n(&hdr->heartbeat, hdr->heartbeat + 1, __ATOMIC_RELEASE);
                        next = mku_rdtsc() + BEAT_TICKS;
                }
                word = 0;
                if (wake_ntfn && mku_recv(wake_ntfn, 0, &msg) == MK_OK)
                        word = msg.badge;
                else if (!wake_ntfn)
                        mku_yield();
        }
}
