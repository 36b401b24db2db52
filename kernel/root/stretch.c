/* kernel/root/stretch.c: with `thatte.bench=stretch` on the command line,
 * a hostile load on the kernel's long operations, and the longest time
 * the kernel then kept the CPU with interrupts off (MK_DEBUG_STRETCH;
 * instructions under QEMU -icount shift=0):
 *   - retype: the largest Untyped the root can get, all of it in 2 MiB
 *     Frames in one call (the kernel zeroes every byte), then revoked;
 *   - revoke: the same Untyped as RT_STRETCH_EPS endpoints (in a CNode of
 *     their own), then one revoke deletes them all;
 *   - CNode deletion: as many endpoints again, then one delete of the
 *     last cap of the CNode holding them (its slots empty with it);
 *   - a chain: an endpoint copied, the copy copied, ... RT_STRETCH_EPS
 *     times, then the endpoint revoked (the copies are siblings, all its
 *     children: each deletion is one O(1) step; it took one step linear
 *     in the chain while the kernel stored depths and a copy of a copy
 *     was a grandchild);
 *   - PML4s: 256 in one call (each gets the kernel half), then revoked;
 *   - page tables: a PDPT holding a PD holding RT_STRETCH_PTS full PTs
 *     (RT_STRETCH_PTS * 512 frames), its only cap deleted in one call
 *     (the tree below it is emptied, every frame cap told);
 *   - debug output: 40 empty lines in one DEBUG_PUT through a cap with
 *     the longest badge (40 prefixes of 31 bytes, each line 33 bytes on
 *     the wire with its CR LF; QEMU's UART is always ready, a real one at
 *     115200 baud takes 87 us a byte), and the most bytes one step of it
 *     handed to the UART (MK_DEBUG_STRETCH's mr1).
 * Prints `max kernel stretch N (...)` for each, and `max console step N
 * bytes (...)`. tests/bench/kernel-stretch.sh boots it. */
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

/* A new CNode holding RT_STRETCH_EPS endpoints retyped from ut. */
static uint64_t endpoints(uint64_t ut)
{
        uint64_t cn = rt_new(MK_OBJ_CNODE, RT_STRETCH_EPS_RADIX);

        for (uint64_t i = 0; i < RT_STRETCH_EPS; i += MK_RETYPE_MAX)
                rt_must(mku_untyped_retype(ut, MK_OBJ_ENDPOINT, 0, cn, i, MK_RETYPE_MAX),
                        "stretch: retype endpoints");
        return cn;
}

static void revoke_load(uint64_t ut)
{
        uint64_t t;

        (void)endpoints(ut);
        (void)stretch();
        rt_must(mku_cnode_revoke(rt.info->cnode, ut, RT_DEPTH), "stretch: revoke endpoints");
        t = stretch();
        rt_say("max kernel stretch %lu (revoke of %u endpoints, one call)", (unsigned long)t,
               RT_STRETCH_EPS);
}

static void cnode_load(uint64_t ut)
{
        uint64_t cn = endpoints(ut), t;

        (void)stretch();
        rt_must(mku_cnode_delete(rt.info->cnode, cn, RT_DEPTH), "stretch: delete the CNode");
        t = stretch();
        rt_say("max kernel stretch %lu (delete of a CNode holding %u endpoints, one call)",
               (unsigned long)t, RT_STRETCH_EPS);
}

static void chain_load(uint64_t ut)
{
        uint64_t cn = rt_new(MK_OBJ_CNODE, RT_STRETCH_EPS_RADIX), t;

        rt_must(mku_untyped_retype(ut, MK_OBJ_ENDPOINT, 0, cn, 0, 1), "stretch: endpoint");
        for (uint64_t i = 1; i < RT_STRETCH_EPS; i++)
                rt_must(mku_cnode_copy(cn, i, RT_STRETCH_EPS_RADIX, i - 1, RT_STRETCH_EPS_RADIX,
                                       MK_RIGHTS_ALL), "stretch: copy");
        (void)stretch();
        rt_must(mku_cnode_revoke(cn, 0, RT_STRETCH_EPS_RADIX), "stretch: revoke the chain");
        t = stretch();
        rt_must(mku_cnode_revoke(rt.info->cnode, ut, RT_DEPTH), "stretch: revoke the endpoint");
        rt_say("max kernel stretch %lu (revoke of a chain of %u copies, one call)",
               (unsigned long)t, RT_STRETCH_EPS - 1);
}

static void pml4_load(uint64_t ut)
{
        uint64_t dest = rt_slots(MK_RETYPE_MAX), t;

        (void)stretch();
        rt_must(mku_untyped_retype(ut, MK_OBJ_PML4, 0, rt.info->cnode, dest, MK_RETYPE_MAX),
                "stretch: retype PML4s");
        t = stretch();
        rt_must(mku_cnode_revoke(rt.info->cnode, ut, RT_DEPTH), "stretch: revoke PML4s");
        rt_say("max kernel stretch %lu (retype of %u PML4s, one call)", (unsigned long)t,
               MK_RETYPE_MAX);
}

#define RT_STRETCH_PTS 4u
#define RT_STRETCH_FRAMES (RT_STRETCH_PTS * 512u)

/* tables: a PML4, a PDPT, a PD and RT_STRETCH_PTS PTs of ut, mapped as one
 * tree at 0 of the PML4, every PT filled with 4 KiB frames of ut. */
static void table_tree(uint64_t ut, uint64_t tables)
{
        uint64_t frames = rt_slots(RT_STRETCH_FRAMES), cn = rt.info->cnode;
        uint64_t pml4 = tables;

        rt_must(mku_untyped_retype(ut, MK_OBJ_PML4, 0, cn, tables, 1), "stretch: PML4");
        rt_must(mku_untyped_retype(ut, MK_OBJ_PDPT, 0, cn, tables + 1, 1), "stretch: PDPT");
        rt_must(mku_untyped_retype(ut, MK_OBJ_PD, 0, cn, tables + 2, 1), "stretch: PD");
        rt_must(mku_untyped_retype(ut, MK_OBJ_PT, 0, cn, tables + 3, RT_STRETCH_PTS),
                "stretch: PTs");
        for (uint64_t i = 0; i < RT_STRETCH_FRAMES; i += MK_RETYPE_MAX)
                rt_must(mku_untyped_retype(ut, MK_OBJ_FRAME, 12, cn, frames + i, MK_RETYPE_MAX),
                        "stretch: frames");
        rt_must(mku_page_map(tables + 1, pml4, 0, MK_RIGHTS_ALL, 0), "stretch: map PDPT");
        rt_must(mku_page_map(tables + 2, pml4, 0, MK_RIGHTS_ALL, 0), "stretch: map PD");
        for (uint64_t i = 0; i < RT_STRETCH_PTS; i++)
                rt_must(mku_page_map(tables + 3 + i, pml4, i << 21, MK_RIGHTS_ALL, 0),
                        "stretch: map PT");
        for (uint64_t i = 0; i < RT_STRETCH_FRAMES; i++)
                rt_must(mku_page_map(frames + i, pml4, i << 12, MK_RIGHTS_ALL, 0),
                        "stretch: map frame");
}

static void table_load(uint64_t ut)
{
        uint64_t tables = rt_slots(3 + RT_STRETCH_PTS), t;

        table_tree(ut, tables);
        (void)stretch();
        rt_must(mku_cnode_delete(rt.info->cnode, tables + 1, RT_DEPTH), "stretch: delete PDPT");
        t = stretch();
        rt_must(mku_cnode_revoke(rt.info->cnode, ut, RT_DEPTH), "stretch: revoke tables");
        rt_say("max kernel stretch %lu (delete of a PDPT over %u mapped frames, one call)",
               (unsigned long)t, RT_STRETCH_FRAMES);
}

static void console_load(void)
{
        uint64_t con = rt_copy(rt.info->debug_console, MK_RIGHT_WRITE, ~0ull), keep, t, bytes;
        char lines[MK_DEBUG_PUT_MAX];

        for (unsigned i = 0; i < sizeof(lines); i++)
                lines[i] = '\n';
        keep = mku_debug_console;
        mku_debug_console = con;
        rt_must(mku_debug_stretch_steps(rt.info->debug_console, &t, &bytes), "debug stretch");
        rt_must(mku_debug_put(lines, sizeof(lines)), "stretch: debug put");
        rt_must(mku_debug_stretch_steps(rt.info->debug_console, &t, &bytes), "debug stretch");
        mku_debug_console = keep;
        rt_say("max kernel stretch %lu (debug output of %u empty lines, one call)",
               (unsigned long)t, MK_DEBUG_PUT_MAX);
        rt_say("max console step %lu bytes (debug output of %u empty lines, one call)",
               (unsigned long)bytes, MK_DEBUG_PUT_MAX);
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
        cnode_load(ut);
        chain_load(ut);
        pml4_load(ut);
        table_load(ut);
        console_load();
}
