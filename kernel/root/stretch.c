/* kernel/root/stretch.c: with `thatte.bench=stretch` on the command line,
 * a hostile load on the kernel's long operations, and the longest time
 * the kernel then kept the CPU with interrupts off (MK_DEBUG_STRETCH;
 * instructions under QEMU -icount shift=0):
 *   - retype: the largest Untyped the root can get, all of it in 2 MiB
 *     Frames in one call (the kernel zeroes every byte), then revoked;
 *   - revoke: the same Untyped as RT_STRETCH_EPS endpoints (in a CNode of
 *     their own), then one revoke deletes them all.
 * Prints `max kernel stretch N (...)` for each. tests/bench/kernel-stretch.sh
 * boots it. */
#include "root.h"
#include "paint.h"

#define RT_STRETCH_EPS_RADIX 13u
#define RT_STRETCH_EPS (1u << RT_STRETCH_EPS_RADIX)

/* The largest Untyped the root's allocator can carve: its slot and size. */
static uint64_t big_untyped(unsigned *ret_bits)
{
        const struct thatte_root_info *in = rt.info;
        uint64_t dest = rt_slots(1);

        for (unsigned bits = 32; bits >= 22; bits--)
                for (uint64_t i = 0; i < in->untyped_count && i < THATTE_ROOT_UNTYPED_MAX; i++) {
                        if (in->untyped[i].is_device || in->untyped[i].size_bits < bits)
                                continue;
                        if (mku_untyped_retype(in->untyped_first + i, MK_OBJ_UNTYPED, bits,
                                               in->cnode, dest, 1) == MK_OK) {
                                *ret_bits = bits;
                                return dest;
                        }
                }
        rt_fail("stretch: no Untyped of 4 MiB or more", MK_E_NO_MEMORY);
}

static uint64_t stretch(void)
{
        uint64_t t = 0;

        rt_must(mku_debug_stretch(rt.info->debug_console, &t), "debug stretch");
        return t;
}

static void retype_load(uint64_t ut, unsigned bits)
{
        uint64_t n = 1ull << (bits - 21), dest, t;

        if (n > MK_RETYPE_MAX)
                n = MK_RETYPE_MAX;
        dest = rt_slots(n);
        (void)stretch();
        rt_must(mku_untyped_retype(ut, MK_OBJ_FRAME, 21, rt.info->cnode, dest, n),
                "stretch: retype frames");
        rt_must(mku_cnode_revoke(rt.info->cnode, ut, RT_DEPTH), "stretch: revoke frames");
        t = stretch();
        rt_say("max kernel stretch %lu (retype of %lu MiB as 2 MiB frames, one call)",
               (unsigned long)t, (unsigned long)(n * 2));
}

static void revoke_load(uint64_t ut)
{
        uint64_t cn = rt_new(MK_OBJ_CNODE, RT_STRETCH_EPS_RADIX), t;

        for (uint64_t i = 0; i < RT_STRETCH_EPS; i += MK_RETYPE_MAX)
                rt_must(mku_untyped_retype(ut, MK_OBJ_ENDPOINT, 0, cn, i, MK_RETYPE_MAX),
                        "stretch: retype endpoints");
        (void)stretch();
        rt_must(mku_cnode_revoke(rt.info->cnode, ut, RT_DEPTH), "stretch: revoke endpoints");
        t = stretch();
        rt_say("max kernel stretch %lu (revoke of %u endpoints, one call)", (unsigned long)t,
               RT_STRETCH_EPS);
}

void rt_bench_stretch(void)
{
        unsigned bits = 0;
        uint64_t ut;

        if (!rt_cmdline_has(rt.info->cmdline, "thatte.bench=stretch"))
                return;
        ut = big_untyped(&bits);
        retype_load(ut, bits);
        revoke_load(ut);
}
