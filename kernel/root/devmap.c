/* kernel/root/devmap.c: device memory (a framebuffer) into the root's own
 * space through Frames retyped from the device Untyped that covers it.
 * Retype carves from an Untyped's start, so the bytes before the wanted
 * offset are first taken by smaller Untypeds or padding Frames, largest
 * first (each lands aligned, exactly at the running offset). 2 MiB frames
 * as far as the Untyped allows, 4 KiB ones for the rest; write-combining. */
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

/* Take the first off bytes (page aligned) of untyped ut with padding
 * Frames, 2 MiB ones first, then 4 KiB ones (the watermark only moves up
 * and each lands aligned). One padding frame stays, so the Untyped keeps a
 * child and its watermark; the others are deleted batch by batch so the
 * slots serve again. */
static void skip_with_frames(uint64_t ut, uint64_t off)
{
        uint64_t keep = rt_slots(1), batch = rt_slots(MK_RETYPE_MAX), cn = rt.info->cnode;
        const unsigned bits[2] = { 21, 12 };
        uint64_t n[2] = { off >> 21, (off & (LARGE - 1)) >> 12 }, c;
        int first = 1, r;

        for (unsigned s = 0; s < 2; s++)
                while (n[s]) {
                        c = first ? 1 : (n[s] < MK_RETYPE_MAX ? n[s] : MK_RETYPE_MAX);
                        r = mku_untyped_retype(ut, MK_OBJ_FRAME, bits[s], cn,
                                               first ? keep : batch, c);
                        if (r != MK_OK)
                                rt_fail("retype padding frames", r);
                        for (uint64_t j = 0; !first && j < c; j++)
                                (void)mku_cnode_delete(cn, batch + j, RT_DEPTH);
                        first = 0;
                        n[s] -= c;
                }
}

/* Take the first off bytes (page aligned) of untyped ut: with smaller
 * Untypeds, largest first (two retypes at most per bit of off), or, where
 * the kernel makes only Frames of device memory, with padding Frames. */
static void skip(uint64_t ut, uint64_t off)
{
        int r;

        for (unsigned b = 47; b >= 12 && off; b--) {
                if (!(off & (1ull << b)))
                        continue;
                r = mku_untyped_retype(ut, MK_OBJ_UNTYPED, b, rt.info->cnode, rt_slots(1), 1);
                if (r == MK_E_ILLEGAL_OP) {
                        skip_with_frames(ut, off);
                        return;
                }
                if (r != MK_OK)
                        rt_fail("retype device untyped", r);
                off &= ~(1ull << b);
        }
}

/* n Frames of 2^bits bytes from untyped ut, mapped from va on; returns
 * the address after them. */
static uint64_t frames(uint64_t ut, unsigned bits, uint64_t n, uint64_t va)
{
        uint64_t attrs = MK_MAP_WRITE_COMBINING | MK_MAP_EXECUTE_NEVER, c, first;
        int r;

        while (n) {
                c = n < MK_RETYPE_MAX ? n : MK_RETYPE_MAX;
                first = rt_slots(c);
                r = mku_untyped_retype(ut, MK_OBJ_FRAME, bits, rt.info->cnode, first, c);
                if (r != MK_OK)
                        rt_fail("retype device frames", r);
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

/* Frames for [p, end) from untyped i, mapped from va on: 2 MiB ones as far
 * as they fit in the Untyped (the last may reach past end, inside it),
 * 4 KiB ones for the rest. In ascending order, so each lands in place. */
static void map_from(int64_t i, uint64_t p, uint64_t end, uint64_t va)
{
        const struct thatte_root_untyped *u = &rt.info->untyped[i];
        uint64_t ut = rt.info->untyped_first + (uint64_t)i;
        uint64_t uend = u->paddr + (1ull << u->size_bits), large = 0;

        skip(ut, p - u->paddr);
        if (!(p & (LARGE - 1)) && !(va & (LARGE - 1))) {
                if (round_up(end, LARGE) <= uend)
                        large = round_up(end - p, LARGE) / LARGE;
                else
                        large = (uend - p) / LARGE;
        }
        va = frames(ut, 21, large, va);
        p += large * LARGE;
        if (p < end)
                (void)frames(ut, 12, (end - p) / PAGE, va);
}

void *rt_map_device(uint64_t paddr, uint64_t size, uint64_t vaddr)
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
                u = &rt.info->untyped[i];
                stop = u->paddr + (1ull << u->size_bits);
                if (stop > end)
                        stop = end;
                map_from(i, p, stop, va);
                va += stop - p;
                p = stop;
        }
        return (char *)vaddr + (paddr & (PAGE - 1));
}
