/* kernel/root/chan-frames.c: frames after the first, for the tests and
 * the commit-to-pixels benchmark of the display channel under thatte-kvmm
 * (tests/boot/mk-driveros-doorbell.sh, tests/bench/mk-doorbell.sh). Each
 * frame is a 64x64 square (damage only) in a new colour at the window's
 * top left, drawn into the buffer that is neither the newest nor being
 * read, published, and rung to the VMM (rt_kvmm_chan_ring: the guest's
 * MSI-X doorbell). The TSC at each publish is kept and printed only at the
 * end, so no serial output slows the path measured.
 *   thatte.test=chan-frames: RT_FRAMES frames, each once the previous one
 *     was shown and FRAME_GAP ticks after it was published (so each one
 *     meets an idle compositor, at no fixed phase of its polling round);
 *   thatte.test=chan-flood: RT_FLOOD frames, one at every wake of the
 *     root task whether shown or not; then the compositor must show the
 *     last one. */
#include "paint.h"
#include "root.h"
#include "thatte/display-channel.h"

#define RT_FRAMES 100u
#define RT_FLOOD 1000u
#define FRAME_GAP (1ull << 25)  /* TSC ticks: ~33 ms at 1 GHz */
#define SQUARE 64u

static unsigned mode;           /* 0: none, 1: frames, 2: flood */
static unsigned count;          /* frames published after frame 1 */
static uint64_t seq = 1, published_at[RT_FRAMES];
static int reported;

void rt_chan_frames_mode(const char *cmdline)
{
        if (rt_cmdline_has(cmdline, "thatte.test=chan-frames"))
                mode = 1;
        else if (rt_cmdline_has(cmdline, "thatte.test=chan-flood"))
                mode = 2;
}

static uint32_t *buffer(struct tdc_header *h, unsigned b)
{
        return (uint32_t *)((char *)h + h->buffers[b].offset);
}

/* Frame seq + 1 into buffer b: both buffers start as frame 1's picture,
 * so a full copy (the compositor missed a frame) shows the right one. */
static void draw(struct tdc_header *h, unsigned b)
{
        uint32_t colour = 0x00ff0000u ^ (uint32_t)(seq * 0x00010307u);
        uint32_t *px = buffer(h, b);

        if (seq == 1)   /* buffer 1 is still empty */
                for (uint64_t i = 0; i < (uint64_t)h->stride / 4 * h->height; i++)
                        buffer(h, 1)[i] = buffer(h, 0)[i];
        for (unsigned y = 0; y < SQUARE; y++)
                for (unsigned x = 0; x < SQUARE; x++)
                        px[y * (h->stride / 4) + x] = colour;
        h->buffers[b].damage[0] = (struct tdc_rect){ 0, 0, SQUARE, SQUARE };
        h->buffers[b].damage_count = 1;
        h->buffers[b].seq = seq + 1;
}

static void publish(struct tdc_header *h)
{
        unsigned b = (unsigned)(seq % 2);       /* the newest is in the other one */

        if (__atomic_load_n(&h->reading, __ATOMIC_ACQUIRE) == b + 1)
                return;                         /* being read: the next wake */
        draw(h, b);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        seq++;
        if (count < RT_FRAMES)
                published_at[count] = mku_rdtsc();
        count++;
        __atomic_store_n(&h->published, seq * 4 + b, __ATOMIC_SEQ_CST);
        rt_kvmm_chan_ring();
}

static void report(uint64_t shown)
{
        reported = 1;
        if (mode == 2) {
                rt_say("channel: flood of %u frames: the last (%lu) shown", count,
                       (unsigned long)shown);
                return;
        }
        for (unsigned i = 0; i < count && i < RT_FRAMES; i++)
                rt_say("channel: frame %u published at tsc %lu", i + 2,
                       (unsigned long)published_at[i]);
        rt_say("channel: frames done");
}

void rt_chan_frames_round(struct tdc_header *h)
{
        uint64_t shown;

        if (!mode || reported)
                return;
        shown = __atomic_load_n(&h->shown, __ATOMIC_ACQUIRE);
        if (mode == 2 && count < RT_FLOOD) {
                publish(h);
                return;
        }
        if (shown != seq)
                return;                 /* the last one is not on the screen yet */
        if (mode == 2 || count == RT_FRAMES) {
                report(shown);
                return;
        }
        if (count == 0 || mku_rdtsc() - published_at[count - 1] >= FRAME_GAP)
                publish(h);
}
