/* kernel/root/devmap.c: device memory (a framebuffer, a display channel's
 * BAR) into the root's own space through Frames retyped from the device
 * Untyped that covers it. Retype carves at an Untyped's watermark, so the
 * bytes between it (the start, or the end of an earlier mapping from the
 * same Untyped) and the wanted offset are first taken by smaller Untypeds
 * or padding Frames, each the largest aligned block that fits (landing
 * exactly at the running offset). 2 MiB frames as far as the Untyped
 * allows, 4 KiB ones for the rest; write-combining (memory: a frame
 * buffer, a channel) or uncached (device registers). */
#include "root.h"

#define PAGE 4096ull
#define LARGE (1ull << 21)

static uint64_t round_up(uint64_t v, uint64_t a)
{
        return (v + a - 1) & ~(a - 1);
}

/* The index in the untyped list of the one covering paddr, or -1. */
static int64_t covering(uint64_t paddr)
{
        const struct thatte_root_info *in = rt.info;

        for (uint64_t i = 0; i < in->untyped_count && i < THATTE_ROOT_UNTYPED_MAX; i++) {
                uint64_t base = in->untyped[i].paddr, size = 1ull << in->untyped[i].size_bits;

                if (paddr >= base && paddr - base < size)
                        return (int64_t)i;
        }
        return -1;
}

/* The largest block (2^12..2^47 bytes) that starts aligned at from and
 * ends at or before to. */
static unsigned block_bits(uint64_t from, uint64_t to)
{
        unsigned b = 47;

        while (b > 12 && ((from & ((1ull << b) - 1)) || to - from < 1ull << b))
                b--;
        return b;
}

/* Take [from, to) (page aligned) of untyped ut, whose watermark is at
 * from, with padding Frames: 2 MiB ones where aligned, 4 KiB ones
 * elsewhere (each lands aligned, exactly at the running offset). One
 * padding frame stays, so the Untyped keeps a child and its watermark; the
 * others are deleted batch by batch so the slots serve again. */
static void skip_with_frames(uint64_t ut, uint64_t from, uint64_t to)
{
        uint64_t keep = rt_slots(1), batch = rt_slots(MK_RETYPE_MAX), cn = rt.info->cnode;
        uint64_t c, end;
        unsigned bits;
        int first = 1, r;

        while (from < to) {
                bits = !(from & (LARGE - 1)) && to - from >= LARGE ? 21 : 12;
                end = bits == 21 ? to & ~(LARGE - 1) : (from | (LARGE - 1)) + 1;
                if (end > to)
                        end = to;
                c = (end - from) >> bits;
                c = first ? 1 : (c < MK_RETYPE_MAX ? c : MK_RETYPE_MAX);
                r = mku_untyped_retype(ut, MK_OBJ_FRAME, bits, cn, first ? keep : batch, c);
                if (r != MK_OK)
                        rt_fail("retype padding frames", r);
                for (uint64_t j = 0; !first && j < c; j++)
                        (void)mku_cnode_delete(cn, batch + j, RT_DEPTH);
                first = 0;
                from += c << bits;
        }
}

/* Take [from, to) (page aligned) of untyped ut, whose watermark is at
 * from: with smaller Untypeds, each the largest aligned block that fits,
 * or, where the kernel makes only Frames of device memory, with padding
 * Frames. */
static void skip(uint64_t ut, uint64_t from, uint64_t to)
{
        unsigned b;
        int r;

        while (from < to) {
                b = block_bits(from, to);
                r = mku_untyped_retype(ut, MK_OBJ_UNTYPED, b, rt.info->cnode, rt_slots(1), 1);
                if (r == MK_E_ILLEGAL_OP) {
                        skip_with_frames(ut, from, to);
                        return;
                }
                if (r != MK_OK)
                        rt_fail("retype device untyped", r);
                from += 1ull << b;
        }
}

/* Every run of Frames mapped here, for rt_device_frames. */
#define RUNS_MAX 64u
static struct rt_frame_run runs[RUNS_MAX];
static unsigned nruns;

/* n Frames of 2^bits bytes from untyped ut, mapped from va on; returns
 * the address after them. */
static uint64_t frames(uint64_t ut, unsigned bits, uint64_t n, uint64_t va, uint64_t attrs)
{
        uint64_t c, first;
        int r;

        while (n) {
                c = n < MK_RETYPE_MAX ? n : MK_RETYPE_MAX;
                first = rt_slots(c);
                r = mku_untyped_retype(ut, MK_OBJ_FRAME, bits, rt.info->cnode, first, c);
                if (r != MK_OK)
                        rt_fail("retype device frames", r);
                if (nruns < RUNS_MAX)
                        runs[nruns++] = (struct rt_frame_run){ first, c, va, bits };
                for (uint64_t j = 0; j < c; j++, va += 1ull << bits) {
                        r = rt_map_sized(rt.info->vspace, first + j, va,
                                         MK_RIGHT_READ | MK_RIGHT_WRITE, attrs, bits == 21);
                        if (r != MK_OK)
                                rt_fail("map device frame", r);
                }
                n -= c;
        }
        return va;
}

/* Where each Untyped's watermark is, as far as this file moved it (the
 * root task retypes device Untypeds nowhere else): a second mapping from
 * the same Untyped (a channel BAR beside the framebuffer) starts there. */
static uint64_t mark[THATTE_ROOT_UNTYPED_MAX];

/* Frames for [p, end) from untyped i, mapped from va on: 2 MiB ones as far
 * as they fit in the Untyped (the last may reach past end, inside it),
 * 4 KiB ones for the rest. In ascending order, so each lands in place. */
static void map_from(int64_t i, uint64_t p, uint64_t end, uint64_t va, uint64_t attrs)
{
        const struct thatte_root_untyped *u = &rt.info->untyped[i];
        uint64_t ut = rt.info->untyped_first + (uint64_t)i;
        uint64_t uend = u->paddr + (1ull << u->size_bits), large = 0;

        skip(ut, mark[i], p - u->paddr);
        if (!(p & (LARGE - 1)) && !(va & (LARGE - 1))) {
                if (round_up(end, LARGE) <= uend)
                        large = round_up(end - p, LARGE) / LARGE;
                else
                        large = (uend - p) / LARGE;
        }
        va = frames(ut, 21, large, va, attrs);
        p += large * LARGE;
        if (p < end)
                (void)frames(ut, 12, (end - p) / PAGE, va, attrs);
        mark[i] = (p > end ? p : end) - u->paddr;
}

static void *map_device(uint64_t paddr, uint64_t size, uint64_t vaddr, uint64_t attrs)
{
        uint64_t p = paddr & ~(PAGE - 1), end = round_up(paddr + size, PAGE), va = vaddr, stop;
        const struct thatte_root_untyped *u;
        int64_t i;

        while (p < end) {
                i = covering(p);
                if (i < 0 || !rt.info->untyped[i].is_device) {
                        rt_say("no device untyped covers 0x%lx", (unsigned long)p);
                        return NULL;
                }
                if (p - rt.info->untyped[i].paddr < mark[i]) {
                        rt_say("device memory at 0x%lx is mapped already", (unsigned long)p);
                        return NULL;
                }
                u = &rt.info->untyped[i];
                stop = u->paddr + (1ull << u->size_bits);
                if (stop > end)
                        stop = end;
                map_from(i, p, stop, va, attrs);
                va += stop - p;
                p = stop;
        }
        return (char *)vaddr + (paddr & (PAGE - 1));
}

void *rt_map_device(uint64_t paddr, uint64_t size, uint64_t vaddr)
{
        return map_device(paddr, size, vaddr, MK_MAP_WRITE_COMBINING | MK_MAP_EXECUTE_NEVER);
}

void *rt_map_mmio(uint64_t paddr, uint64_t size, uint64_t vaddr)
{
        return map_device(paddr, size, vaddr, MK_MAP_UNCACHED | MK_MAP_EXECUTE_NEVER);
}

int rt_device_frames(uint64_t vaddr, uint64_t size, struct rt_frame_run *out, unsigned max)
{
        uint64_t at = vaddr;
        unsigned n = 0;

        for (unsigned i = 0; i < nruns && at < vaddr + size; i++) {
                if (runs[i].va != at)
                        continue;
                if (n == max)
                        return -1;
                out[n++] = runs[i];
                at += runs[i].count << runs[i].bits;
        }
        return at >= vaddr + size ? (int)n : -1;
}
