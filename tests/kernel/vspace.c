/* tests/kernel/vspace.c: the page-table lifecycle. Tables unmapped and
 * mapped again, copies of table caps, tables and VSpace roots deleted with
 * everything below them, the Untyped behind mapped frames and tables
 * revoked and retyped into a CNode, a VSpace root kept by a thread. After
 * every step two properties are checked (kv.h): each present entry
 * reachable from a PML4 is recorded by exactly one capability, and the
 * simulated TLB, which caches every entry before the step and forgets only
 * what the core asked to flush, holds nothing the tables no longer hold. */
#include "kt.h"
#include "kv.h"

static uintptr_t spaces[8];
static unsigned nspaces;

static void tlb_flush(const uint64_t *root, uint64_t vaddr, unsigned bits)
{
        kv_flush(root, vaddr, bits);
}

static unsigned pending_every, pending_calls;

/* "An interrupt waits" at every pending_every-th preemption point. */
static bool irq_pending(void)
{
        return pending_every && ++pending_calls % pending_every == 0;
}

static void restart(struct mk_tcb *t)
{
        (void)t;
}

/* code_sync and entry_made calls, for code_coherent(). */
static const void *synced_kva;
static size_t synced_size;
static unsigned syncs, entries_made;

static void code_sync(const void *kva, size_t size)
{
        synced_kva = kva;
        synced_size = size;
        syncs++;
}

static void entry_made(void)
{
        entries_made++;
}

static const struct mk_arch_ops ops = { .tlb_flush = tlb_flush, .irq_pending = irq_pending,
                                        .restart = restart, .code_sync = code_sync,
                                        .entry_made = entry_made };

static void walk(void)
{
        kv_walk(spaces, nspaces);
}

/* Every root CNode slot holding a Frame or table cap. */
static unsigned mapping_caps(struct mk_cte **ret)
{
        unsigned n = 0;

        for (uint64_t i = 0; i < 1024; i++) {
                struct mk_cte *s = kt_slot(i);

                if (s->cap.type == MK_OBJ_FRAME || mk_cap_is_table(s->cap.type))
                        ret[n++] = s;
        }
        return n;
}

/* Check both properties after a step, then cache the new state. */
static void check(const char *what)
{
        static struct mk_cte *caps[1024];
        const struct kv_entry *st;
        const char *err;

        walk();
        err = kv_accounted(caps, mapping_caps(caps));
        st = kv_stale();
        if (st)
                tap_diag("stale: VSpace %#lx address %#llx (2^%u) entry %#llx", (unsigned long)st->pml4,
                         (unsigned long long)st->vaddr, st->bits, (unsigned long long)st->value);
        ok(!err && !st, "%s: entries accounted for, no stale translation%s%s", what,
           err ? ": " : "", err ? err : "");
        kv_begin();
}

static uint64_t map(uint64_t cap, uint64_t pml4, uint64_t vaddr)
{
        return kt_inv(cap, MK_PAGE_MAP, 3, pml4, vaddr, (uint64_t)MK_RIGHTS_ALL);
}

static uint64_t unmap(uint64_t cap)
{
        return kt_inv(cap, MK_PAGE_UNMAP, 0);
}

static uint64_t del(uint64_t cap)
{
        return kt_inv(KT_CNODE, MK_CNODE_DELETE, 2, cap, (uint64_t)64);
}

static uint64_t copy(uint64_t dst, uint64_t src)
{
        return kt_inv(KT_CNODE, MK_CNODE_COPY, 5, dst, (uint64_t)64, src, (uint64_t)64,
                      (uint64_t)MK_RIGHTS_ALL);
}

static uint64_t new_space(void)
{
        uint64_t pml4 = kt_new(MK_OBJ_PML4, 0, 1);

        spaces[nspaces++] = kt_slot(pml4)->cap.obj;
        return pml4;
}

static bool flushed(uint64_t vaddr, unsigned bits)
{
        for (unsigned i = 0; i < kv_nflush; i++)
                if (kv_flushes[i].vaddr <= vaddr && kv_flushes[i].bits >= bits &&
                    vaddr + ((uint64_t)1 << bits) <= kv_flushes[i].vaddr + ((uint64_t)1 << kv_flushes[i].bits))
                        return true;
        return false;
}

/* A PT unmapped with a frame in it, then mapped again elsewhere: it comes
 * back empty, and the frame is unmapped with it. */
static void remap_table(uint64_t pml4)
{
        uint64_t pdpt = kt_new(MK_OBJ_PDPT, 0, 1), pd = kt_new(MK_OBJ_PD, 0, 1);
        uint64_t pt = kt_new(MK_OBJ_PT, 0, 1), fr = kt_new(MK_OBJ_FRAME, 12, 1);

        is_int(map(pdpt, pml4, 0), MK_OK, "map a PDPT");
        is_int(map(pd, pml4, 0), MK_OK, "map a PD");
        is_int(map(pt, pml4, 0), MK_OK, "map a PT");
        is_int(map(fr, pml4, 0x1000), MK_OK, "map a frame in it");
        check("tables and a frame mapped");
        is_int(unmap(pt), MK_OK, "unmap the PT");
        ok(flushed(0, 21), "the whole 2 MiB the PT covered is flushed");
        ok(kt_slot(fr)->cap.mapped == 0 && kt_slot(fr)->cap.word == 0, "the frame in it is unmapped");
        check("PT unmapped");
        is_int(map(pt, pml4, 0x200000), MK_OK, "map the PT again elsewhere");
        check("PT mapped again");
        is_int(map(fr, pml4, 0x1000), MK_E_LOOKUP, "the old place has no PT");
        is_int(map(fr, pml4, 0x201000), MK_OK, "the frame maps in the PT's new place");
        check("frame mapped again");
        is_int(unmap(fr), MK_OK, "unmap the frame");
        ok(flushed(0x201000, 12), "its page is flushed");
        check("frame unmapped");
}

/* A copy of an unmapped table cap cannot map the table a second time
 * while it is mapped; once the mapping cap goes, any cap may map it. */
static void copied_table(uint64_t pml4)
{
        uint64_t pt = kt_new(MK_OBJ_PT, 0, 1), cp = kt_next++, fr = kt_new(MK_OBJ_FRAME, 12, 1);

        is_int(copy(cp, pt), MK_OK, "copy an unmapped PT cap");
        is_int(map(pt, pml4, 0x400000), MK_OK, "map the PT");
        is_int(map(fr, pml4, 0x401000), MK_OK, "map a frame in it");
        check("PT with a frame");
        is_int(map(cp, pml4, 0x600000), MK_E_DELETE_FIRST, "the copy cannot map the table a second time");
        check("second mapping refused");
        is_int(unmap(cp), MK_OK, "unmapping the unmapped copy");
        ok(kt_slot(pt)->cap.mapped && kt_slot(fr)->cap.mapped, "leaves the mapping alone");
        check("copy unmapped");
        is_int(del(pt), MK_OK, "delete the mapping cap while the copy lives");
        ok(flushed(0x400000, 21) && kt_slot(fr)->cap.mapped == 0, "the PT is unmapped, flushed, emptied");
        check("mapping cap deleted");
        is_int(map(cp, pml4, 0x600000), MK_OK, "now the copy maps it");
        check("copy mapped");
        is_int(copy(pt, cp), MK_OK, "a copy of the mapped cap");
        is_int(kt_slot(pt)->cap.mapped, 0, "starts unmapped");
        is_int(map(pt, pml4, 0x800000), MK_E_DELETE_FIRST, "and cannot map it either");
        check("copy of a mapped cap");
        is_int(del(cp), MK_OK, "delete the mapping copy");
        is_int(del(pt), MK_OK, "and the last cap");
        check("PT deleted");
        del(fr);
}

/* An empty table unmapped still asks for its range to be flushed: the
 * paging-structure caches may hold the entry that pointed to it. */
static void empty_table(uint64_t pml4)
{
        uint64_t pt = kt_new(MK_OBJ_PT, 0, 1), pd = kt_new(MK_OBJ_PD, 0, 1);

        is_int(map(pt, pml4, 0xa00000), MK_OK, "map an empty PT");
        check("empty PT mapped");
        is_int(unmap(pt), MK_OK, "unmap it");
        ok(kv_nflush == 1 && kv_flushes[0].vaddr == 0xa00000 && kv_flushes[0].bits == 21,
           "exactly its 2 MiB range is flushed");
        check("empty PT unmapped");
        is_int(map(pd, pml4, 1ull << 30), MK_OK, "map an empty PD");
        is_int(del(pd), MK_OK, "delete it");
        ok(flushed(1ull << 30, 30), "its 1 GiB range is flushed");
        check("empty PD deleted");
        del(pt);
}

/* Whether any cached translation reaches [base, base + size). */
static bool cached_into(uintptr_t base, uint64_t size)
{
        for (unsigned i = 0; i < kv_ntlb; i++) {
                uint64_t p = (kv_tlb[i].value & KV_ADDR) + kt_k.phys_offset;

                if (p < base + size && p + ((uint64_t)1 << (kv_tlb[i].bits == 12 || (kv_tlb[i].value & KV_PS) ?
                                                             kv_tlb[i].bits : 12)) > base)
                        return true;
        }
        return false;
}

/* The attack of issue 16: a frame left reachable through a remapped table,
 * its Untyped revoked and retyped into a CNode. No cached translation may
 * reach the CNode. The same for a table from a revoked Untyped. */
static void revoke_retype(uint64_t pml4)
{
        uint64_t ut = kt_new(MK_OBJ_UNTYPED, 13, 1), pt = kt_new(MK_OBJ_PT, 0, 1), fr = kt_next++;
        uint64_t cn = kt_next++, pt2 = kt_next++, fr2 = kt_new(MK_OBJ_FRAME, 12, 1);

        is_int(kt_inv(ut, MK_UNTYPED_RETYPE, 5, (uint64_t)MK_OBJ_FRAME, (uint64_t)12, (uint64_t)KT_CNODE,
                      fr, (uint64_t)1), MK_OK, "a frame from a small Untyped");
        is_int(map(pt, pml4, 0xc00000), MK_OK, "map a PT");
        is_int(map(fr, pml4, 0xc03000), MK_OK, "map the frame in it");
        check("frame mapped");
        is_int(unmap(pt), MK_OK, "unmap the PT");
        is_int(map(pt, pml4, 0xe00000), MK_OK, "map it again elsewhere");
        check("PT moved");
        is_int(kt_inv(KT_CNODE, MK_CNODE_REVOKE, 2, ut, (uint64_t)64), MK_OK, "revoke the frame's Untyped");
        check("Untyped revoked");
        is_int(kt_inv(ut, MK_UNTYPED_RETYPE, 5, (uint64_t)MK_OBJ_CNODE, (uint64_t)6, (uint64_t)KT_CNODE,
                      cn, (uint64_t)1), MK_OK, "retype it into a CNode");
        ok(!cached_into(kt_slot(cn)->cap.obj, 1u << 12), "no cached translation reaches the CNode");
        check("CNode made");
        is_int(kt_inv(KT_CNODE, MK_CNODE_REVOKE, 2, ut, (uint64_t)64), MK_OK, "revoke the CNode");
        is_int(kt_inv(ut, MK_UNTYPED_RETYPE, 5, (uint64_t)MK_OBJ_PT, (uint64_t)0, (uint64_t)KT_CNODE,
                      pt2, (uint64_t)1), MK_OK, "a PT from the Untyped");
        is_int(map(pt2, pml4, 0x1000000), MK_OK, "map it");
        is_int(map(fr2, pml4, 0x1005000), MK_OK, "and a frame in it");
        check("PT from the Untyped mapped");
        is_int(kt_inv(KT_CNODE, MK_CNODE_REVOKE, 2, ut, (uint64_t)64), MK_OK, "revoke the PT's Untyped");
        ok(kt_slot(fr2)->cap.mapped == 0, "the frame in the PT is unmapped");
        check("mapped PT revoked");
        is_int(kt_inv(ut, MK_UNTYPED_RETYPE, 5, (uint64_t)MK_OBJ_CNODE, (uint64_t)7, (uint64_t)KT_CNODE,
                      cn, (uint64_t)1), MK_OK, "retype it into a CNode");
        ok(!cached_into(kt_slot(cn)->cap.obj, 1u << 13), "no cached translation reaches the CNode");
        check("CNode made from the PT's memory");
        is_int(map(fr2, pml4, 0xe05000), MK_OK, "the frame maps again");
        check("frame mapped again");
        del(pt);
        del(fr2);
        kt_inv(KT_CNODE, MK_CNODE_REVOKE, 2, ut, (uint64_t)64);
        del(ut);
}

/* A mapped PD deleted, a cap moved, then the VSpace root deleted with all
 * that is left below it, beside a second VSpace that keeps its own. */
static void delete_trees(uint64_t pml4, uint64_t other)
{
        uint64_t pdpt = kt_new(MK_OBJ_PDPT, 0, 1), pd = kt_new(MK_OBJ_PD, 0, 1);
        uint64_t pt = kt_new(MK_OBJ_PT, 0, 2), fr = kt_new(MK_OBJ_FRAME, 12, 3), moved = kt_next++;

        is_int(map(pdpt, other, 0), MK_OK, "a PDPT in a second VSpace");
        is_int(map(pd, pml4, 1ull << 30), MK_OK, "a PD at 1 GiB");
        is_int(map(pt, pml4, 1ull << 30), MK_OK, "two PTs");
        is_int(map(pt + 1, pml4, (1ull << 30) + 0x200000), MK_OK, "below it");
        is_int(map(fr, pml4, (1ull << 30) + 0x1000), MK_OK, "and frames");
        is_int(map(fr + 1, pml4, (1ull << 30) + 0x201000), MK_OK, "in both");
        check("a PD with two PTs");
        is_int(del(pd), MK_OK, "delete the PD");
        ok(flushed(1ull << 30, 30), "its 1 GiB range is flushed");
        ok(!kt_slot(pt)->cap.mapped && !kt_slot(pt + 1)->cap.mapped && !kt_slot(fr)->cap.mapped &&
           !kt_slot(fr + 1)->cap.mapped, "every cap below it is unmapped");
        ok(!kv_empty((uint64_t *)kt_slot(pt)->cap.obj) && !kv_empty((uint64_t *)kt_slot(pt + 1)->cap.obj),
           "and its PTs are empty");
        check("PD deleted");
        is_int(map(pt, pml4, 0x1200000), MK_OK, "a PT of it maps elsewhere");
        is_int(map(fr + 2, pml4, 0x1201000), MK_OK, "with a frame");
        is_int(kt_inv(KT_CNODE, MK_CNODE_MOVE, 4, moved, (uint64_t)64, fr + 2, (uint64_t)64), MK_OK,
               "move the mapped frame cap");
        check("mapped cap moved");
        is_int(unmap(moved), MK_OK, "unmap through the new slot");
        ok(flushed(0x1201000, 12), "its page is flushed");
        is_int(map(moved, pml4, 0x1202000), MK_OK, "map it again");
        check("moved cap mapped again");
        is_int(del(pml4), MK_OK, "delete the VSpace root");
        spaces[0] = spaces[--nspaces];
        ok(flushed(0, 47), "the whole address space is flushed");
        ok(!kt_slot(moved)->cap.mapped && !kt_slot(pt)->cap.mapped, "every cap below it is unmapped");
        ok(kt_slot(pdpt)->cap.mapped != 0, "the second VSpace keeps its mapping");
        check("VSpace root deleted");
        del(pdpt);
        del(pt);
        del(pt + 1);
        del(moved);
        for (int i = 0; i < 2; i++)
                del(fr + i);
}

/* A PD over two PTs holding 300 frames unmapped with an interrupt waiting
 * at every preemption point: the PD's range is flushed at once, the tree
 * below is emptied a step at a time; meanwhile caps in it are unmapped
 * and deleted, the PD cannot map again, and a delete of the PD's last cap
 * goes on where the unmap stopped. */
static void preempted_empty(uint64_t pml4)
{
        uint64_t pdpt = kt_new(MK_OBJ_PDPT, 0, 1), pd = kt_new(MK_OBJ_PD, 0, 2);
        uint64_t pt = kt_new(MK_OBJ_PT, 0, 2), fr = kt_new(MK_OBJ_FRAME, 12, 150);
        uint64_t base = 2ull << 30, other = 3ull << 30;
        unsigned runs = 1;

        is_int(map(pdpt, pml4, 0), MK_OK, "a PDPT");
        is_int(map(pd + 1, pml4, other), MK_OK, "a PD at 3 GiB");

        is_int(map(pd, pml4, base), MK_OK, "a PD at 2 GiB");
        is_int(map(pt, pml4, base), MK_OK, "a PT in it");
        is_int(map(pt + 1, pml4, base + 0x200000), MK_OK, "and another");
        ok(kt_new(MK_OBJ_FRAME, 12, 150) == fr + 150, "300 frames");
        for (unsigned i = 0; i < 300; i++)
                (void)map(fr + i, pml4, base + (i < 100 ? 0 : 0x200000 - 100 * 0x1000) + i * 0x1000);
        ok(kt_slot(fr + 299)->cap.mapped != 0, "all mapped in them");
        check("a PD over 300 frames");
        pending_every = 1;
        (void)unmap(pd);
        ok(kt_k.preempted, "unmapping the PD stops for an interrupt");
        ok(flushed(base, 30), "its 1 GiB range is flushed at once");
        ok(kt_slot(fr)->cap.mapped == 0 && kt_slot(fr + 99)->cap.mapped != 0,
           "the first frames are unmapped, not the last");
        check("PD unmap preempted");
        pending_every = 0;
        is_int(unmap(fr + 299), MK_OK, "a frame below is unmapped meanwhile");
        is_int(map(pd, pml4, 4ull << 30), MK_E_DELETE_FIRST, "the PD does not map again yet");
        is_int(map(fr + 299, pml4, base + 0x3ff000), MK_E_LOOKUP, "nothing maps into it");
        is_int(map(pt + 1, pml4, other), MK_E_DELETE_FIRST, "a PT in it does not map elsewhere");
        check("syscalls while the PD empties");
        pending_every = 1;
        (void)del(pt + 1);
        ok(kt_k.preempted, "deleting the second PT stops too");
        check("PT delete preempted");
        while (kt_k.preempted && runs < 1000) {
                (void)del(pd);
                runs++;
        }
        pending_every = 0;
        ok(!kt_k.preempted && runs >= 2, "deleting the PD's cap goes on and ends (%u runs)", runs);
        ok(kt_slot(pd)->cap.type == MK_OBJ_NULL, "the PD is gone");
        ok(kt_slot(pt)->cap.mapped == 0 && kt_slot(fr + 99)->cap.mapped == 0,
           "every cap below it is unmapped");
        ok(!kv_empty((uint64_t *)kt_slot(pt)->cap.obj), "its first PT is empty");
        check("PD deleted after preemptions");
        ok(kt_slot(fr + 298)->cap.mapped != 0, "the second PT, unmapped from it first, still empties");
        is_int(del(pt + 1), MK_OK, "the second PT's delete ends");
        ok(kt_slot(fr + 298)->cap.mapped == 0, "with every frame in it unmapped");
        is_int(map(pt, pml4, other), MK_OK, "the first PT maps again");
        is_int(map(fr + 299, pml4, other), MK_OK, "a frame in it");
        check("PT mapped again");
        del(pdpt);
        del(pd + 1);
        del(pt);
        for (unsigned i = 0; i < 300; i++)
                del(fr + i);
}

/* Instruction fetches see a frame before it is mapped executable, and
 * nothing else asks for it: an executable frame of cacheable memory is
 * synced whole, once per map, at its kernel address; an execute-never or
 * uncached one, a table, a refused map are not. Every entry made is
 * announced (the walker must see it), a refused map makes none. */
static void code_coherent(uint64_t pml4)
{
        uint64_t pt = kt_new(MK_OBJ_PT, 0, 1), fr = kt_new(MK_OBJ_FRAME, 12, 1);
        uint64_t xn = kt_new(MK_OBJ_FRAME, 12, 1), uc = kt_new(MK_OBJ_FRAME, 12, 1);
        uint64_t rx = MK_RIGHT_READ;

        kt_k.nx = 1;
        syncs = entries_made = 0;
        is_int(map(pt, pml4, 0xc00000), MK_OK, "map a PT");
        ok(syncs == 0 && entries_made == 1, "a table: one entry made, no code sync");
        is_int(kt_inv(fr, MK_PAGE_MAP, 4, pml4, (uint64_t)0xc00000, rx, (uint64_t)0), MK_OK,
               "map a frame executable");
        ok(syncs == 1 && synced_kva == (const void *)kt_slot(fr)->cap.obj && synced_size == 4096 &&
           entries_made == 2, "its 4 KiB synced at its kernel address, one entry made");
        is_int(kt_inv(xn, MK_PAGE_MAP, 4, pml4, (uint64_t)0xc01000, rx,
                      (uint64_t)MK_MAP_EXECUTE_NEVER), MK_OK, "map a frame execute-never");
        is_int(kt_inv(uc, MK_PAGE_MAP, 4, pml4, (uint64_t)0xc02000, rx, (uint64_t)MK_MAP_UNCACHED),
               MK_OK, "map a frame uncached");
        ok(syncs == 1 && entries_made == 4, "neither is synced, both entries made");
        is_int(kt_inv(xn, MK_PAGE_MAP, 4, pml4, (uint64_t)0xc03000, rx, (uint64_t)0),
               MK_E_DELETE_FIRST, "a mapped frame cannot map again");
        ok(syncs == 1 && entries_made == 4, "a refused map syncs nothing and makes no entry");
        check("executable, execute-never and uncached frames");
        is_int(unmap(fr), MK_OK, "unmap the executable frame");
        is_int(kt_inv(fr, MK_PAGE_MAP, 4, pml4, (uint64_t)0xc03000, rx, (uint64_t)0), MK_OK,
               "and map it executable again elsewhere");
        ok(syncs == 2 && entries_made == 5, "synced again: another task may have written it");
        check("executable frame mapped again");
        del(fr);
        del(xn);
        del(uc);
        del(pt);
        kt_k.nx = 0;
}

/* A VSpace root a thread uses lives on in its TCB: deleting the other
 * caps changes nothing, deleting the thread flushes the whole space. */
static void root_in_tcb(void)
{
        uint64_t pml4 = new_space(), pdpt = kt_new(MK_OBJ_PDPT, 0, 1), tcb = kt_new(MK_OBJ_TCB, 0, 1);

        is_int(kt_inv(tcb, MK_TCB_CONFIGURE, 2, (uint64_t)KT_CNODE, pml4), MK_OK, "a thread with a VSpace");
        is_int(map(pdpt, pml4, 1ull << 39), MK_OK, "a PDPT in it");
        check("VSpace of a thread");
        is_int(unmap(pml4), MK_OK, "PAGE_UNMAP on a PML4 cap");
        is_int(del(pml4), MK_OK, "delete the PML4 cap");
        ok(kv_nflush == 0 && kt_slot(pdpt)->cap.mapped, "the TCB's copy keeps the VSpace whole");
        check("PML4 cap deleted");
        is_int(kt_inv(tcb, MK_TCB_CONFIGURE, 2, (uint64_t)KT_CNODE, (uint64_t)0), MK_E_DELETE_FIRST,
               "configure does not drop the last cap");
        is_int(del(tcb), MK_OK, "delete the thread");
        ok(flushed(0, 47) && kt_slot(pdpt)->cap.mapped == 0, "its last cap gone, the space is flushed and emptied");
        nspaces--;
        check("VSpace gone with the TCB");
        del(pdpt);
}

int main(void)
{
        uint64_t pml4, other;

        kt_boot();
        kt_k.arch = &ops;
        pml4 = new_space();
        check("an empty VSpace");
        remap_table(pml4);
        copied_table(pml4);
        empty_table(pml4);
        code_coherent(pml4);
        revoke_retype(pml4);
        other = new_space();
        delete_trees(pml4, other);
        preempted_empty(other);
        root_in_tcb();
        return tap_done();
}
