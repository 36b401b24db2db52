/* tests/kernel/syscall.c: syscall decoding and errors: unknown numbers,
 * bad addresses, wrong types, unknown methods, a thread without CSpace,
 * the page-table invocations and their errors, then random register files
 * (under UBSan in CI: no undefined behaviour on any input). */
#include "kt.h"

static uint64_t map(uint64_t cap, uint64_t pml4, uint64_t vaddr, uint64_t rights)
{
        return kt_inv(cap, MK_PAGE_MAP, 3, pml4, vaddr, rights);
}

static uint64_t flushed[16];
static const uint64_t *flushed_root[16];
static unsigned flushed_bits[16], nflushed, npml4;

static void tlb_flush(const uint64_t *root, uint64_t vaddr, unsigned bits)
{
        if (nflushed < 16) {
                flushed_root[nflushed] = root;
                flushed[nflushed] = vaddr;
                flushed_bits[nflushed] = bits;
        }
        nflushed++;
}

static void vspace_init(uint64_t *pml4)
{
        pml4[511] = 0x1234000 | 1;      /* a kernel-half entry */
        npml4++;
}

static const struct mk_arch_ops vspace_ops = { .tlb_flush = tlb_flush,
                                               .vspace_init = vspace_init };

static uint64_t map4(uint64_t cap, uint64_t pml4, uint64_t vaddr, uint64_t attrs)
{
        return kt_inv(cap, MK_PAGE_MAP, 4, pml4, vaddr, (uint64_t)MK_RIGHTS_ALL, attrs);
}

static uint64_t pte(uint64_t cap)
{
        return *(uint64_t *)kt_slot(cap)->cap.mapped;
}

/* PAGE_MAP attributes, device frames, the arch hooks for new PML4s and
 * for mappings that go away. */
static void vspace_attr_checks(void)
{
        uint64_t pml4, pdpt, pd, pt, fr, dev, dfr;
        struct mk_bootinfo bi = { 0 };

        kt_k.arch = &vspace_ops;
        kt_k.phys_offset = 0x1000;      /* entries hold obj - phys_offset */
        pml4 = kt_new(MK_OBJ_PML4, 0, 1);
        ok(npml4 == 1 && ((uint64_t *)kt_slot(pml4)->cap.obj)[511] == (0x1234000 | 1),
           "a new PML4 gets its kernel half from the arch layer");
        pdpt = kt_new(MK_OBJ_PDPT, 0, 1);
        pd = kt_new(MK_OBJ_PD, 0, 1);
        pt = kt_new(MK_OBJ_PT, 0, 1);
        fr = kt_new(MK_OBJ_FRAME, 12, 4);
        is_int(npml4, 1, "other tables do not");
        bi.empty_first = kt_next;
        ok(mk_boot_untyped(&kt_k, &bi, (uintptr_t)1 << 44, 1u << 16, true) == 1, "a device untyped");
        dev = kt_next++;
        dfr = kt_next;
        ok(kt_inv(dev, MK_UNTYPED_RETYPE, 5, (uint64_t)MK_OBJ_FRAME, (uint64_t)12, (uint64_t)KT_CNODE,
                  dfr, (uint64_t)2) == MK_OK, "two device frames");
        kt_next += 2;
        map4(pdpt, pml4, 0, 0);
        map4(pd, pml4, 0, 0);
        is_int(map4(pt, pml4, 0, 0), MK_OK, "tables mapped");
        is_int(pte(pdpt) & ~0xfffull, kt_slot(pdpt)->cap.obj - 0x1000, "table entry holds the physical address");
        is_int(map4(fr, pml4, 0x1000, 8), MK_E_INVALID_ARG, "unknown attribute bit");
        is_int(map4(fr, pml4, 0x1000, MK_MAP_EXECUTE_NEVER), MK_OK, "execute-never without NX");
        is_int(pte(fr) & 0x800000000000001full, 0x7, "no NX bit when the CPU has none");
        kt_k.nx = 1;
        is_int(map4(fr + 1, pml4, 0x2000, MK_MAP_EXECUTE_NEVER), MK_OK, "execute-never with NX");
        is_int(pte(fr + 1) & 0x800000000000001full, 0x8000000000000007ull, "NX bit 63");
        is_int(map4(fr + 2, pml4, 0x3000, MK_MAP_UNCACHED), MK_OK, "uncached");
        is_int(pte(fr + 2) & 0x9f, 0x1f, "PCD and PWT (PAT index 3)");
        is_int(map4(fr + 3, pml4, 0x4000, MK_MAP_WRITE_COMBINING), MK_OK, "write-combining");
        is_int(pte(fr + 3) & 0x9f, 0x0f, "PWT only (PAT index 1)");
        is_int(map4(dfr, pml4, 0x5000, 0), MK_OK, "device frame");
        is_int(pte(dfr) & 0x9f, 0x1f, "device frames are uncached");
        is_int(pte(dfr) & ~0xfffull, ((uint64_t)1 << 44) - 0x1000, "at the device's physical address");
        is_int(map4(dfr + 1, pml4, 0x6000, MK_MAP_WRITE_COMBINING), MK_OK, "device frame, write-combining");
        is_int(pte(dfr + 1) & 0x9f, 0x0f, "write-combining wins for device frames");

        nflushed = 0;
        is_int(kt_inv(fr + 3, MK_PAGE_UNMAP, 0), MK_OK, "unmap a frame");
        ok(nflushed == 1 && flushed[0] == 0x4000 && flushed_bits[0] == 12, "its page is flushed");
        ok(flushed_root[0] == (const uint64_t *)kt_slot(pml4)->cap.obj, "in the VSpace it was mapped in");
        is_int(kt_inv(KT_CNODE, MK_CNODE_DELETE, 2, fr + 2, (uint64_t)64), MK_OK, "delete a mapped frame");
        ok(nflushed == 2 && flushed[1] == 0x3000 && flushed_bits[1] == 12, "its page is flushed");
        is_int(kt_inv(pd, MK_PAGE_UNMAP, 0), MK_OK, "unmap the PD holding the PT");
        ok(nflushed == 3 && flushed[2] == 0 && flushed_bits[2] == 30, "one flush of the GiB it covered");
        ok(kt_slot(pt)->cap.mapped == 0 && kt_slot(fr)->cap.mapped == 0 && kt_slot(dfr)->cap.mapped == 0,
           "the PT and its frames are unmapped");
        is_int(kt_inv(KT_CNODE, MK_CNODE_DELETE, 2, pt, (uint64_t)64), MK_OK, "delete the PT");
        is_int(nflushed, 3, "an unmapped PT is empty: nothing more to flush");
        kt_inv(KT_CNODE, MK_CNODE_REVOKE, 2, kt_ut, (uint64_t)64);
        kt_inv(KT_CNODE, MK_CNODE_REVOKE, 2, dev, (uint64_t)64);
        kt_k.arch = NULL;
        kt_k.phys_offset = 0;
        kt_k.nx = 0;
}

static uint64_t rnd(uint64_t *s)
{
        *s ^= *s << 13;
        *s ^= *s >> 7;
        *s ^= *s << 17;
        return *s;
}

/* The core's memcpy and memmove (word-wise where they can) against libc's,
 * at every alignment, overlapping both ways. */
static void string_checks(void)
{
        static unsigned char a[256], b[256], c[256];
        uint64_t s = 42, bad = 0;

        for (int i = 0; i < 4000; i++) {
                size_t n = rnd(&s) % 100, from = rnd(&s) % 120, to = rnd(&s) % 120;

                for (size_t j = 0; j < sizeof(a); j++)
                        a[j] = b[j] = (unsigned char)rnd(&s);
                memcpy(c, a, sizeof(a));
                if (i % 2) {
                        mk_memmove(a + to, a + from, n);
                        memmove(b + to, b + from, n);
                } else {
                        mk_memcpy(a + to, c + from, n);
                        memcpy(b + to, c + from, n);
                }
                bad += memcmp(a, b, sizeof(a)) != 0;
        }
        is_int(bad, 0, "mk_memcpy and mk_memmove agree with libc");
}

static void vspace_checks(void)
{
        uint64_t pml4 = kt_new(MK_OBJ_PML4, 0, 1), pdpt = kt_new(MK_OBJ_PDPT, 0, 1);
        uint64_t pd = kt_new(MK_OBJ_PD, 0, 1), pt = kt_new(MK_OBJ_PT, 0, 1);
        uint64_t fr = kt_new(MK_OBJ_FRAME, 12, 2), ro = kt_next++, big = kt_new(MK_OBJ_FRAME, 21, 1);
        uint64_t *pte;

        ok(pml4 && pdpt && pd && pt && fr && big, "page-table objects and frames retyped");
        is_int(map(fr, pml4, 0x1000, MK_RIGHTS_ALL), MK_E_LOOKUP, "frame without page tables");
        is_int(map(pdpt, pdpt, 0, MK_RIGHTS_ALL), MK_E_WRONG_TYPE, "map into a non-PML4");
        is_int(map(pdpt, pml4, 1ull << 47, MK_RIGHTS_ALL), MK_E_RANGE, "kernel half");
        is_int(map(pdpt, pml4, 4096, MK_RIGHTS_ALL), MK_E_ALIGNMENT, "misaligned PDPT");
        is_int(map(pdpt, pml4, 0, MK_RIGHTS_ALL), MK_OK, "map PDPT");
        is_int(map(pdpt, pml4, 1ull << 39, MK_RIGHTS_ALL), MK_E_DELETE_FIRST, "PDPT already mapped");
        is_int(map(pd, pml4, 0, MK_RIGHTS_ALL), MK_OK, "map PD");
        is_int(map(pt, pml4, 0, MK_RIGHTS_ALL), MK_OK, "map PT");
        is_int(map(fr, pml4, 0x1000, MK_RIGHTS_ALL), MK_OK, "map a frame");
        pte = (uint64_t *)kt_slot(fr)->cap.mapped;
        ok(pte && *pte == (kt_slot(fr)->cap.obj | 0x7), "PTE holds address | P | RW | US");
        is_int(map(fr + 1, pml4, 0x1000, MK_RIGHTS_ALL), MK_E_DELETE_FIRST, "entry in use");
        is_int(map(fr + 1, pml4, 0x1800, MK_RIGHTS_ALL), MK_E_ALIGNMENT, "misaligned frame");
        kt_inv(KT_CNODE, MK_CNODE_COPY, 5, ro, (uint64_t)64, fr + 1, (uint64_t)64, (uint64_t)MK_RIGHT_READ);
        is_int(map(ro, pml4, 0x2000, MK_RIGHTS_ALL), MK_OK, "map a read-only copy");
        ok((*(uint64_t *)kt_slot(ro)->cap.mapped & 2) == 0, "read-only PTE");
        is_int(map(fr + 1, pml4, 0x3000, MK_RIGHT_WRITE), MK_E_RIGHTS, "mapping needs read");
        is_int(map(big, pml4, 0, MK_RIGHTS_ALL), MK_E_DELETE_FIRST, "large page over a PT");
        is_int(map(big, pml4, 2u << 21, MK_RIGHTS_ALL), MK_OK, "large page");
        is_int(kt_inv(fr, MK_PAGE_UNMAP, 0), MK_OK, "unmap");
        ok(*pte == 0 && kt_slot(fr)->cap.mapped == 0, "entry and cap cleared");
        is_int(kt_inv(KT_CNODE, MK_CNODE_DELETE, 2, pt, (uint64_t)64), MK_OK, "delete the PT");
        ok(kt_slot(ro)->cap.mapped == 0, "frames mapped in a deleted PT are unmapped");
        is_int(kt_inv(KT_CNODE, MK_CNODE_DELETE, 2, pml4, (uint64_t)64), MK_OK, "delete the PML4");
        ok(kt_slot(pdpt)->cap.mapped == 0, "tables mapped in a deleted PML4 are unmapped");
        is_int(kt_inv(fr, 99, 0), MK_E_INVALID_ARG, "unknown page method");
}

static void random_checks(uint64_t ep, uint64_t reply)
{
        uint64_t s = 0x9e3779b97f4a7c15ull, bad = 0, n = 0;
        uint64_t cptrs[] = { 0, 1, 2, 3, ep, reply, 1000, 1ull << 63, UINT64_MAX };

        for (int i = 0; i < 20000; i++) {
                struct mk_tcb *t = kt_k.cur;
                uint64_t m[MK_MSG_MAX], nr;

                if (!t) {
                        mk_tcb_abort(&kt_k, kt_root());
                        mk_schedule(&kt_k);
                        t = kt_k.cur;
                }
                for (unsigned j = 0; j < MK_MSG_MAX; j++)
                        m[j] = rnd(&s) % 4 ? rnd(&s) % 64 : rnd(&s);
                nr = rnd(&s) % 12;
                /* never suspend or delete the root's own cspace: keep the fuzz going */
                if ((nr == MK_SYS_CALL || nr == MK_SYS_SEND) && rnd(&s) % 2)
                        nr = MK_SYS_NBRECV;
                kt_sys(t, nr, cptrs[rnd(&s) % 9], cptrs[rnd(&s) % 9],
                       rnd(&s) % 2 ? rnd(&s) : mk_info(rnd(&s) % 20, rnd(&s) % 4, rnd(&s) % 80), m);
                if (t->state == MK_TS_RUNNING || t->state == MK_TS_READY) {
                        n++;
                        bad += t->regs.nr >= MK_E_COUNT;
                }
        }
        ok(n > 1000, "random syscalls returned (%llu)", (unsigned long long)n);
        is_int(bad, 0, "every result is a known error code");
}

int main(void)
{
        struct mk_tcb *root, *T;
        uint64_t ep, reply, t;

        kt_boot();
        root = kt_root();
        ep = kt_new(MK_OBJ_ENDPOINT, 0, 1);
        reply = kt_new(MK_OBJ_REPLY, 0, 1);
        is_int(kt_sys(root, 0, 0, 0, 0, NULL), MK_E_INVALID_SYSCALL, "syscall 0");
        is_int(kt_sys(root, MK_SYS_COUNT, 0, 0, 0, NULL), MK_E_INVALID_SYSCALL, "syscall past the end");
        is_int(kt_sys(root, UINT64_MAX, 0, 0, 0, NULL), MK_E_INVALID_SYSCALL, "syscall ~0");
        is_int(kt_sys(root, MK_SYS_SEND, 1000, 0, 0, NULL), MK_E_INVALID_CAP, "empty slot");
        is_int(kt_sys(root, MK_SYS_SEND, 1ull << 20, 0, 0, NULL), MK_E_LOOKUP, "guard bits set");
        is_int(kt_sys(root, MK_SYS_CALL, reply, 0, 0, NULL), MK_E_ILLEGAL_OP, "invoke a reply cap");
        is_int(kt_sys(root, MK_SYS_RECV, kt_bi.tcb_cptr, 0, 0, NULL), MK_E_WRONG_TYPE, "recv on a TCB");
        is_int(kt_sys(root, MK_SYS_REPLY, ep, 0, 0, NULL), MK_E_WRONG_TYPE, "reply on an endpoint");
        is_int(kt_sys(root, MK_SYS_REPLY_RECV, reply, reply, 0, NULL), MK_E_WRONG_TYPE,
               "reply_recv on a reply cap");
        is_int(kt_sys(root, MK_SYS_RECV, ep, ep, 0, NULL), MK_E_WRONG_TYPE, "endpoint as reply cap");
        is_int(kt_inv(KT_CNODE, 0, 0), MK_E_INVALID_ARG, "CNode label 0");
        is_int(kt_inv(KT_CNODE, MK_TCB_RESUME, 0), MK_E_INVALID_ARG, "TCB method on a CNode");
        is_int(kt_inv(kt_bi.tcb_cptr, MK_CNODE_COPY, 0), MK_E_INVALID_ARG, "CNode method on a TCB");
        is_int(kt_inv(kt_bi.tcb_cptr, MK_TCB_CONFIGURE, 2, ep, (uint64_t)0), MK_E_WRONG_TYPE,
               "CSpace root must be a CNode");
        is_int(kt_inv(kt_bi.tcb_cptr, MK_TCB_CONFIGURE, 2, (uint64_t)KT_CNODE, ep), MK_E_WRONG_TYPE,
               "VSpace root must be a PML4");
        is_int(kt_inv(kt_bi.tcb_cptr, MK_TCB_CONFIGURE, 2, (uint64_t)KT_CNODE, (uint64_t)0), MK_OK,
               "reconfigure the root with its own CNode");

        /* a thread with no CSpace gets lookup failures */
        t = kt_new(MK_OBJ_TCB, 0, 1);
        T = kt_tcb(t);
        kt_inv(t, MK_TCB_SET_PRIORITY, 1, (uint64_t)255);
        kt_inv(kt_bi.tcb_cptr, MK_TCB_SET_PRIORITY, 1, (uint64_t)254);
        kt_inv(t, MK_TCB_RESUME, 0);
        ok(kt_k.cur == T, "thread without CSpace runs");
        is_int(kt_sys(T, MK_SYS_SEND, 2, 0, 0, NULL), MK_E_LOOKUP, "its lookups fail");
        is_int(kt_sys(T, MK_SYS_YIELD, 0, 0, 0, NULL), MK_OK, "yield needs no cap");
        mk_tcb_suspend(&kt_k, T);
        mk_schedule(&kt_k);
        ok(kt_k.cur == root, "root back");

        string_checks();
        vspace_attr_checks();
        vspace_checks();
        random_checks(ep, reply);
        return tap_done();
}
