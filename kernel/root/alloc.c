/* kernel/root/alloc.c: where the root task's objects come from. Slots are
 * handed out upwards from the first free one; objects are retyped from the
 * first non-device Untyped that still has room (the kernel keeps each
 * Untyped's watermark, so nothing needs tracking here). */
#include "root.h"

uint64_t rt_slots(uint64_t n)
{
        uint64_t first = rt.next_slot;

        if (n > rt.slot_end - rt.next_slot)
                rt_fail("root CNode full", MK_E_NO_MEMORY);
        rt.next_slot += n;
        return first;
}

int rt_try_alloc(uint64_t type, uint64_t size_bits, uint64_t count, uint64_t dest)
{
        const struct thatte_root_info *in = rt.info;
        int r;

        for (uint64_t i = 0; i < in->untyped_count && i < THATTE_ROOT_UNTYPED_MAX; i++) {
                if (in->untyped[i].is_device || in->untyped[i].size_bits < 12)
                        continue;
                r = mku_untyped_retype(in->untyped_first + i, type, size_bits, in->cnode,
                                       dest, count);
                if (r != MK_E_NO_MEMORY && r != MK_E_RANGE)
                        return r;
        }
        return MK_E_NO_MEMORY;
}

uint64_t rt_alloc(uint64_t type, uint64_t size_bits, uint64_t count)
{
        uint64_t dest = rt_slots(count);
        int r = rt_try_alloc(type, size_bits, count, dest);

        if (r == MK_E_NO_MEMORY)
                rt_fail("no Untyped has room", r);
        if (r != MK_OK)
                rt_fail("retype", r);
        return dest;
}

uint64_t rt_copy(uint64_t src, uint64_t rights, uint64_t badge)
{
        uint64_t dest = rt_slots(1), cn = rt.info->cnode;
        int r;

        if (badge)
                r = mku_cnode_mint(cn, dest, RT_DEPTH, src, RT_DEPTH, rights, badge);
        else
                r = mku_cnode_copy(cn, dest, RT_DEPTH, src, RT_DEPTH, rights);
        if (r != MK_OK)
                rt_fail("cnode copy", r);
        return dest;
}

uint64_t rt_ioport(uint64_t first, uint64_t last, const char *what)
{
        uint64_t dest = rt_slots(1);

        rt_must(mku_ioport_issue(rt.info->ioport_control, first, last, rt.info->cnode, dest), what);
        return dest;
}
