/* tests/kernel/vcpu.c: the lifecycle of guest spaces and VCPUs. Retype
 * (refused without SVM), frames and tables mapped into a guest space under
 * the VSpace rules (checked after every step with kv.h, as
 * tests/kernel/vspace does), bind and unbind, VMEnter and the exit as the
 * arch layer delivers it, and deletion of each part while another still
 * uses it: the VCPU while its thread is in VMEnter, the thread, the guest
 * space, the Untyped behind a guest frame. */
#include "kt.h"
#include "kv.h"

static uintptr_t spaces[4];
static unsigned nspaces;

static void tlb_flush(const uint64_t *root, uint64_t vaddr, unsigned bits)
{
        kv_flush(root, vaddr, bits);
}

static const struct mk_arch_ops ops = { .tlb_flush = tlb_flush };

static void check(const char *what)
{
        static struct mk_cte *caps[1024];
        const char *err;
        unsigned n = 0;

        for (uint64_t i = 0; i < 1024; i++)
                if (kt_slot(i)->cap.type == MK_OBJ_FRAME || mk_cap_is_table(kt_slot(i)->cap.type))
                        caps[n++] = kt_slot(i);
        kv_walk(spaces, nspaces);
        err = kv_accounted(caps, n);
        ok(!err && !kv_stale(), "%s: guest entries accounted for, no stale translation%s%s",
           what, err ? ": " : "", err ? err : "");
        kv_begin();
}

static uint64_t map(uint64_t cap, uint64_t root, uint64_t gpa)
{
        return kt_inv(cap, MK_PAGE_MAP, 3, root, gpa, (uint64_t)MK_RIGHTS_ALL);
}

static uint64_t del(uint64_t cap)
{
        return kt_inv(KT_CNODE, MK_CNODE_DELETE, 2, cap, (uint64_t)64);
}

static uint64_t revoke(uint64_t cap)
{
        return kt_inv(KT_CNODE, MK_CNODE_REVOKE, 2, cap, (uint64_t)64);
}

static uint64_t copy(uint64_t dst, uint64_t src)
{
        return kt_inv(KT_CNODE, MK_CNODE_COPY, 5, dst, (uint64_t)64, src, (uint64_t)64,
                      (uint64_t)MK_RIGHTS_ALL);
}

static uint64_t vm_enter(struct mk_tcb *t, uint64_t rip, uint64_t rax)
{
        uint64_t mr[MK_VCPU_MR_COUNT] = { 0 };

        mr[MK_VCPU_MR_RIP] = rip;
        mr[MK_VCPU_MR_RFLAGS] = 2;
        mr[MK_VCPU_MR_GPR] = rax;
        return kt_sys(t, MK_SYS_VM_ENTER, 0, 0, mk_info(0, 0, MK_VCPU_MR_COUNT), mr);
}

/* Retype: a VCPU only where the machine runs guests. */
static uint64_t retype(void)
{
        uint64_t v;

        kt_k.vm = 0;
        is_int(kt_inv(kt_ut, MK_UNTYPED_RETYPE, 5, (uint64_t)MK_OBJ_VCPU, (uint64_t)0,
                      (uint64_t)KT_CNODE, kt_next, (uint64_t)1), MK_E_UNSUPPORTED,
               "without SVM a VCPU is refused with MK_E_UNSUPPORTED");
        kt_k.vm = 1;
        v = kt_new(MK_OBJ_VCPU, 0, 1);
        ok(v != 0, "with SVM a VCPU is retyped");
        is_int(kt_slot(v)->cap.obj & ((1u << MK_VCPU_BITS) - 1), 0, "aligned to its 32 KiB");
        return v;
}

/* Tables and frames in a guest space follow the VSpace rules. */
static void guest_mappings(uint64_t gs, uint64_t pml4)
{
        uint64_t pdpt = kt_new(MK_OBJ_PDPT, 0, 1), pd = kt_new(MK_OBJ_PD, 0, 1);
        uint64_t pt = kt_new(MK_OBJ_PT, 0, 1), fr = kt_new(MK_OBJ_FRAME, 12, 1);
        uint64_t fr2 = kt_new(MK_OBJ_FRAME, 12, 1);

        is_int(map(gs, pml4, 0), MK_E_ILLEGAL_OP, "a guest space maps nowhere");
        is_int(map(pdpt, gs, 0), MK_OK, "a PDPT maps into the guest space");
        is_int(map(pd, gs, 0), MK_OK, "a PD below it");
        is_int(map(pt, gs, 0), MK_OK, "a PT below that");
        is_int(map(fr, gs, 0x1000), MK_OK, "a frame at guest-physical 0x1000");
        is_int(map(fr2, gs, 0x2000), MK_OK, "another at 0x2000");
        check("guest tables and frames mapped");
        is_int(map(fr, pml4, 0x1000), MK_E_DELETE_FIRST, "the mapped frame cap maps nowhere else");
        is_int(map(fr, gs, 0x3000), MK_E_DELETE_FIRST, "nor twice in the guest space");
        is_int(map(fr, gs, (uint64_t)1 << 47), MK_E_RANGE, "guest-physical addresses stay below 2^47");
        is_int(kt_inv(pt, MK_PAGE_UNMAP, 0), MK_OK, "unmap the PT");
        ok(kt_slot(fr)->cap.mapped == 0, "the frame in it goes with it");
        check("guest PT unmapped");
        is_int(map(pt, gs, 0x400000), MK_OK, "the PT maps again");
        is_int(map(fr, gs, 0x401000), MK_OK, "and the frame in it");
        check("guest PT mapped again");
}

/* A signal on the notification bound to a thread in VMEnter ends it (as
 * an IRQ's would, or another thread's); one pending at VMEnter ends it at
 * once. root is in VMEnter on entry and again on return. */
static void notified(struct mk_tcb *root)
{
        uint64_t n = kt_new(MK_OBJ_NOTIFICATION, 0, 1);
        struct mk_notification *nt = (struct mk_notification *)kt_slot(n)->cap.obj;

        is_int(kt_inv(1, MK_TCB_BIND_NOTIFICATION, 1, n), MK_OK, "bind a notification");
        mk_ntfn_signal(&kt_k, nt, 0x51);
        ok(root->ctx.entry == MK_ENTRY_SYSCALL && root->regs.nr == MK_OK &&
           mk_get_mr(root, MK_VCPU_MR_EXIT) == MK_VM_EXIT_NOTIFICATION &&
           mk_get_mr(root, MK_VCPU_MR_INFO1) == 0x51 && mk_get_mr(root, MK_VCPU_MR_RIP) == 0x7c02 &&
           nt->word == 0, "a signal ends VMEnter with the word and the guest's rip");
        mk_ntfn_signal(&kt_k, nt, 0x52);
        ok(nt->word == 0x52, "a signal outside VMEnter waits in the word");
        is_int(vm_enter(root, 0x7c02, 42), MK_OK, "VMEnter with a signal pending");
        ok(root->ctx.entry == MK_ENTRY_SYSCALL &&
           mk_get_mr(root, MK_VCPU_MR_EXIT) == MK_VM_EXIT_NOTIFICATION &&
           mk_get_mr(root, MK_VCPU_MR_INFO1) == 0x52 && nt->word == 0,
           "ends at once with the pending word");
        is_int(kt_inv(1, MK_TCB_UNBIND_NOTIFICATION, 0), MK_OK, "unbind the notification");
        is_int(vm_enter(root, 0x7c02, 42), MK_OK, "enter again");
}

/* Bind, VMEnter, the exit, and the errors around them. */
static void bind_and_enter(uint64_t v, uint64_t gs, uint64_t pml4)
{
        struct mk_tcb *root = kt_root();
        struct mk_vcpu *vc = mk_vcpu_of(kt_slot(v)->cap.obj);
        uint64_t t2 = kt_thread(10), v2 = kt_new(MK_OBJ_VCPU, 0, 1);

        ok(t2 && v2, "a second thread and VCPU");
        is_int(vm_enter(root, 0x7c00, 0), MK_E_ILLEGAL_OP, "VMEnter without a VCPU is refused");
        is_int(kt_inv(v, MK_VCPU_SET_SPACE, 1, pml4), MK_E_WRONG_TYPE, "a PML4 is no guest space");
        is_int(kt_inv(v, MK_VCPU_SET_TCB, 1, (uint64_t)1), MK_OK, "bind the root thread");
        is_int(vm_enter(root, 0x7c00, 0), MK_E_ILLEGAL_OP, "VMEnter without a guest space is refused");
        is_int(kt_inv(v, MK_VCPU_SET_SPACE, 1, gs), MK_OK, "give the VCPU the guest space");
        is_int(kt_inv(v2, MK_VCPU_SET_TCB, 1, (uint64_t)1), MK_E_DELETE_FIRST,
               "a thread binds one VCPU");
        is_int(kt_inv(v, MK_VCPU_SET_TCB, 1, t2), MK_E_DELETE_FIRST, "a VCPU binds one thread");
        is_int(kt_inv(v, MK_VCPU_WRITE_STATE, 2, (uint64_t)MK_VCPU_STATE_COUNT, (uint64_t)0),
               MK_E_RANGE, "a state field past the end is refused");
        is_int(vm_enter(root, 0x7c00, 41), MK_OK, "VMEnter");
        ok(root->ctx.entry == MK_ENTRY_GUEST && vc->rip == 0x7c00 && vc->gpr[0] == 41,
           "the thread is in its guest with the registers of its message");
        if (!root->vcpu)
                return;
        vc->exit = MK_VM_EXIT_CPUID;
        vc->rip = 0x7c02;
        vc->gpr[0] = 42;
        mk_vcpu_exit(&kt_k, root);
        ok(root->ctx.entry == MK_ENTRY_SYSCALL && mk_get_mr(root, MK_VCPU_MR_EXIT) == MK_VM_EXIT_CPUID &&
           mk_get_mr(root, MK_VCPU_MR_RIP) == 0x7c02 && mk_get_mr(root, MK_VCPU_MR_GPR) == 42 &&
           mk_info_len(root->regs.info) == MK_VCPU_MR_COUNT,
           "the exit comes back in the message registers");
        is_int(vm_enter(root, 0x7c02, 42), MK_OK, "enter again");
        notified(root);
        /* Another thread deletes it (the one in VMEnter makes no syscall): the
         * kernel operation directly, so root's registers stay those of VMEnter. */
        mk_cte_delete(&kt_k, kt_slot(v));
        ok(root->ctx.entry == MK_ENTRY_SYSCALL && root->regs.nr == MK_E_ABORTED && !root->vcpu,
           "VMEnter ends with MK_E_ABORTED, the thread is unbound");
        is_int(kt_inv(v2, MK_VCPU_SET_TCB, 1, t2), MK_OK, "bind another thread to another VCPU");
        is_int(del(t2), MK_OK, "delete that thread");
        ok(mk_vcpu_of(kt_slot(v2)->cap.obj)->tcb == NULL, "its VCPU is unbound");
        is_int(kt_inv(v2, MK_VCPU_SET_TCB, 1, (uint64_t)1), MK_OK, "the VCPU binds the root thread");
        is_int(kt_inv(v2, MK_VCPU_SET_TCB, 1, (uint64_t)0), MK_OK, "and unbinds it");
        ok(!root->vcpu, "the thread is unbound");
        check("bound and unbound");
}

/* The guest space cap a VCPU holds keeps the space; revoking the space
 * takes the VCPU's copy with it. */
static void space_lifetime(uint64_t pml4)
{
        uint64_t v = kt_new(MK_OBJ_VCPU, 0, 1), gs = kt_new(MK_OBJ_GSPACE, 0, 1), cp = kt_next++;
        uint64_t pt = kt_new(MK_OBJ_PT, 0, 1), pd = kt_new(MK_OBJ_PD, 0, 1);
        uint64_t pdpt = kt_new(MK_OBJ_PDPT, 0, 1), fr = kt_new(MK_OBJ_FRAME, 12, 1);
        struct mk_vcpu *vc = mk_vcpu_of(kt_slot(v)->cap.obj);
        struct mk_tcb *root = kt_root();

        spaces[nspaces++] = kt_slot(gs)->cap.obj;
        is_int(copy(cp, gs), MK_OK, "copy the guest space cap");
        is_int(kt_inv(v, MK_VCPU_SET_SPACE, 1, cp), MK_OK, "the VCPU takes the copy's space");
        is_int(map(pdpt, gs, 0), MK_OK, "map");
        is_int(map(pd, gs, 0), MK_OK, "map");
        is_int(map(pt, gs, 0), MK_OK, "map");
        is_int(map(fr, gs, 0), MK_OK, "map a frame at 0");
        is_int(del(gs), MK_OK, "delete the original cap");
        is_int(del(cp), MK_OK, "and the copy");
        ok(kt_slot(fr)->cap.mapped != 0, "the VCPU's cap keeps the space and its mappings");
        check("space kept by the VCPU");
        is_int(kt_inv(v, MK_VCPU_SET_SPACE, 1, (uint64_t)0), MK_E_DELETE_FIRST,
               "dropping the last cap through SET_SPACE is refused");
        is_int(kt_inv(v, MK_VCPU_SET_TCB, 1, (uint64_t)1), MK_OK, "bind the root thread");
        is_int(vm_enter(root, 0, 0), MK_OK, "enter");
        mk_cte_delete(&kt_k, kt_slot(v));       /* as another thread would */
        ok(kt_slot(fr)->cap.mapped == 0 && kt_slot(pdpt)->cap.mapped == 0,
           "deleting the VCPU, the last holder of the space, empties it");
        ok(root->regs.nr == MK_E_ABORTED && root->ctx.entry == MK_ENTRY_SYSCALL,
           "the thread left VMEnter");
        (void)vc;
        nspaces--;
        check("space gone with its VCPU");
        (void)pml4;
}

/* Revoking the Untyped behind a guest frame and a guest table leaves no
 * guest entry to the memory retyped next. */
static void revoke_untyped(uint64_t gs)
{
        uint64_t ut = kt_new(MK_OBJ_UNTYPED, 16, 1), pt = kt_next++, fr = kt_next++;

        is_int(kt_inv(ut, MK_UNTYPED_RETYPE, 5, (uint64_t)MK_OBJ_PT, (uint64_t)0,
                      (uint64_t)KT_CNODE, pt, (uint64_t)1), MK_OK, "a PT from a small Untyped");
        is_int(kt_inv(ut, MK_UNTYPED_RETYPE, 5, (uint64_t)MK_OBJ_FRAME, (uint64_t)12,
                      (uint64_t)KT_CNODE, fr, (uint64_t)1), MK_OK, "a frame from it");
        is_int(map(pt, gs, 0x600000), MK_OK, "map the PT in the guest space");
        is_int(map(fr, gs, 0x600000), MK_OK, "and the frame in it");
        check("frame from the small Untyped mapped");
        is_int(revoke(ut), MK_OK, "revoke the Untyped");
        ok(kt_slot(pt)->cap.type == MK_OBJ_NULL && kt_slot(fr)->cap.type == MK_OBJ_NULL,
           "the PT and frame caps are gone");
        check("Untyped revoked under guest mappings");
}

int main(void)
{
        uint64_t v, gs, pml4;

        kt_boot();
        kt_k.arch = &ops;
        v = retype();
        gs = kt_new(MK_OBJ_GSPACE, 0, 1);
        pml4 = kt_new(MK_OBJ_PML4, 0, 1);
        ok(gs && pml4, "a guest space and a PML4");
        spaces[nspaces++] = kt_slot(gs)->cap.obj;
        spaces[nspaces++] = kt_slot(pml4)->cap.obj;
        kv_begin();
        guest_mappings(gs, pml4);
        bind_and_enter(v, gs, pml4);
        space_lifetime(pml4);
        revoke_untyped(gs);
        is_int(del(gs), MK_OK, "delete the guest space");
        nspaces = 1;
        spaces[0] = kt_slot(pml4)->cap.obj;
        check("guest space deleted");
        return tap_done();
}
