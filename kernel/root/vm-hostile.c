/* kernel/root/vm-hostile.c: the root task as a hostile VMM and a hostile
 * guest. Every VCPU method and VMEnter gets inputs it must refuse (no
 * binding, double bindings, wrong cap types, unknown state fields,
 * objects that are not frames mapped into a guest space, a guest space
 * mapped into a VSpace); a VCPU gets guest state the hardware must refuse
 * (each ends VMEnter with MK_VM_EXIT_INVALID, the kernel goes on) and
 * absurd registers and events; and a guest writes the state the host
 * controls: EFER and the SVM MSRs exit, the MSRs VMLOAD/VMSAVE switch are
 * overwritten without an exit (the root's own syscalls after it prove
 * the host's came back), every SVM instruction exits (INVD is
 * intercepted too, but QEMU's TCG runs it in the guest: not checked). One
 * `guest hostile ...` line per group. */
#include "vm.h"

#define EXIT_VMRUN 0x80u                /* then VMMCALL, VMLOAD, VMSAVE, STGI, CLGI */
#define SEG_CS 1u

/* want the kernel's answer want to what; fails the task otherwise. */
static void want(int got, int expected, const char *what)
{
        if (got != expected) {
                rt_say("guest hostile %s: kernel error %d, expected %d", what, got, expected);
                rt_fail(what, MK_E_INVALID_ARG);
        }
}

/* VMEnter, the VCPU methods and PAGE_MAP into a guest space. */
static void inputs(uint64_t gs, uint64_t v)
{
        uint64_t other = rt_slots(1), tcb = rt_new(MK_OBJ_TCB, 0), f = rt_new(MK_OBJ_FRAME, 12);

        rt_must(mku_vcpu_set_tcb(v, 0), "unbind");
        want(vm_enter(), MK_E_ILLEGAL_OP, "vmenter from an unbound thread");
        rt_must(mku_vcpu_set_tcb(v, rt.info->tcb), "bind");
        rt_must(rt_try_alloc(MK_OBJ_VCPU, 0, 1, other), "second vcpu");
        want(mku_vcpu_set_tcb(other, rt.info->tcb), MK_E_DELETE_FIRST, "a thread bound twice");
        want(mku_vcpu_set_tcb(v, tcb), MK_E_DELETE_FIRST, "a vcpu bound twice");
        want(mku_vcpu_set_tcb(v, rt.info->tcb), MK_OK, "the same binding again");
        want(mku_vcpu_set_tcb(v, gs), MK_E_WRONG_TYPE, "a guest space as thread");
        want(mku_vcpu_set_space(v, rt.info->vspace), MK_E_WRONG_TYPE, "a vspace as guest space");
        want(mku_vcpu_set_space(v, f), MK_E_WRONG_TYPE, "a frame as guest space");
        want(mku_vcpu_allow_ports(v, gs), MK_E_WRONG_TYPE, "a guest space as port cap");
        rt_must(mku_vcpu_set_space(v, 0), "drop the guest space");
        want(vm_enter(), MK_E_ILLEGAL_OP, "vmenter without a guest space");
        rt_must(mku_vcpu_set_space(v, gs), "guest space back");
        want(mku_vcpu_write_state(v, MK_VCPU_STATE_KERNEL_CPUID + 1, 0), MK_E_RANGE,
             "a state field gap");
        want(mku_vcpu_write_state(v, MK_VCPU_STATE_COUNT, 0), MK_E_RANGE, "a field past the end");
        want(mku_vcpu_write_state(v, ~0ull, 0), MK_E_RANGE, "field all-ones");
        want(mku_page_map(tcb, gs, 0x10000, MK_RIGHTS_ALL, 0), MK_E_INVALID_ARG,
             "a thread mapped into a guest space");
        want(mku_page_map(other, gs, 0x10000, MK_RIGHTS_ALL, 0), MK_E_INVALID_ARG,
             "a vcpu mapped into a guest space");
        want(mku_page_map(rt.info->vspace, gs, 0, MK_RIGHTS_ALL, 0), MK_E_ILLEGAL_OP,
             "a vspace mapped into a guest space");
        want(mku_page_map(gs, rt.info->vspace, 0x40000000, MK_RIGHTS_ALL, 0), MK_E_ILLEGAL_OP,
             "a guest space mapped into a vspace");
        want(mku_page_map(f, other, 0x10000, MK_RIGHTS_ALL, 0), MK_E_WRONG_TYPE,
             "a frame mapped into a vcpu");
        want(mku_page_map(f, gs, 1ull << 47, MK_RIGHTS_ALL, 0), MK_E_RANGE,
             "a guest-physical address past 2^47");
        want(mku_page_map(rt.info->ipcbuf_frame, gs, 0x10000, MK_RIGHTS_ALL, 0),
             MK_E_DELETE_FIRST, "the root's mapped IPC buffer frame mapped again");
        rt_must(mku_cnode_delete(rt.info->cnode, other, RT_DEPTH), "delete the second vcpu");
        rt_say("guest hostile inputs refused: VMEnter unbound or without a guest space, "
               "double bindings, wrong cap types, unknown state fields, non-frames mapped "
               "into a guest space, a guest space into a vspace");
}

/* One piece of state the hardware must refuse, then the good value back. */
static void refused_state(uint64_t v, uint64_t field, uint64_t bad, uint64_t good,
                          const char *what)
{
        vm_state(v, field, bad);
        vm_mr[MK_VCPU_MR_RIP] = GUEST_CODE64;
        if (vm_enter() != MK_OK || vm_mr[MK_VCPU_MR_EXIT] != MK_VM_EXIT_INVALID) {
                rt_say("guest hostile state %s: exit 0x%lx", what, vm_mr[MK_VCPU_MR_EXIT]);
                rt_fail(what, MK_E_INVALID_ARG);
        }
        vm_state(v, field, good);
}

static void bad_state(uint64_t v)
{
        uint64_t cs = MK_VCPU_STATE_SEG + SEG_CS * 4;

        vm_long_mode(v);
        refused_state(v, MK_VCPU_STATE_CR0, 0x20000011u, 0x80000011u, "CR0.NW without CD");
        refused_state(v, MK_VCPU_STATE_CR0, 1ull << 32 | 0x80000011u, 0x80000011u,
                      "CR0 bit 32");
        refused_state(v, MK_VCPU_STATE_CR4, 1ull << 63 | 0x220, 0x220, "CR4 bit 63");
        refused_state(v, MK_VCPU_STATE_CR4, 0x200, 0x220, "long mode without PAE");
        refused_state(v, MK_VCPU_STATE_EFER, ~0ull, 0x500, "EFER all-ones");
        refused_state(v, cs + 1, 0xe9b, 0xa9b, "CS with L and D");
        vm_mr[MK_VCPU_MR_RIP] = GUEST_CODE64;
        vm_expect(MK_VM_EXIT_CPUID, "good state after the refusals");
        rt_say("guest hostile state refused by VMRUN, exit 0x%x each: CR0.NW without CD, CR0 "
               "bit 32, CR4 bit 63, long mode without PAE, EFER all-ones, CS with L and D",
               MK_VM_EXIT_INVALID);
}

/* A guest writes what the host controls: exit by exit, rip stepped by
 * the VMM. */
static void guest_writes(uint64_t v)
{
        static const struct { uint32_t exit, len, msr, write; } seq[] = {
                { MK_VM_EXIT_MSR, 2, 0xc0000080u, 1 }, { MK_VM_EXIT_MSR, 2, 0xc0010117u, 1 },
                { MK_VM_EXIT_MSR, 2, 0xc0010114u, 0 }, { EXIT_VMRUN, 3, 0, 0 },
                { EXIT_VMRUN + 1, 3, 0, 0 }, { EXIT_VMRUN + 2, 3, 0, 0 },
                { EXIT_VMRUN + 3, 3, 0, 0 }, { EXIT_VMRUN + 4, 3, 0, 0 },
                { EXIT_VMRUN + 5, 3, 0, 0 }, { MK_VM_EXIT_HLT, 1, 0, 0 },
        };

        vm_mr[MK_VCPU_MR_RIP] = GUEST_CODE64 + (uint64_t)(rt_guest_hostile - rt_guest64);
        for (unsigned i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
                vm_expect(seq[i].exit, "guest write");
                if (seq[i].exit == MK_VM_EXIT_MSR)
                        vm_check(vm_gpr(1) == seq[i].msr && vm_mr[MK_VCPU_MR_INFO1] == seq[i].write,
                                 "msr exit: number and direction");
                vm_mr[MK_VCPU_MR_RIP] += seq[i].len;
        }
        rt_say("guest hostile writes: EFER, VM_HSAVE_PA, VM_CR exit; LSTAR, STAR, GS_BASE, "
               "KERNEL_GS_BASE written in the guest without an exit and the host's back after; "
               "VMRUN, VMMCALL, VMLOAD, VMSAVE, STGI, CLGI exit");
}

/* Absurd registers and events: the guest faults with no IDT (a triple
 * fault: rip 2^63, rflags all-ones with TF) or VMRUN refuses the event
 * (all-ones: a reserved type); the guest then runs on. */
static void absurd(uint64_t v)
{
        uint64_t exits[3];

        for (unsigned i = 0; i < 16; i++)
                vm_mr[MK_VCPU_MR_GPR + i] = ~0ull;
        vm_mr[MK_VCPU_MR_RIP] = 1ull << 63;             /* not canonical */
        rt_must(vm_enter(), "noncanonical rip");
        exits[0] = vm_mr[MK_VCPU_MR_EXIT];
        vm_mr[MK_VCPU_MR_RIP] = GUEST_CODE64;
        vm_mr[MK_VCPU_MR_RFLAGS] = ~0ull;
        rt_must(vm_enter(), "rflags all-ones");
        exits[1] = vm_mr[MK_VCPU_MR_EXIT];
        vm_mr[MK_VCPU_MR_RIP] = GUEST_CODE64;
        vm_mr[MK_VCPU_MR_RFLAGS] = 2;
        vm_mr[MK_VCPU_MR_INJECT] = ~0ull;
        rt_must(vm_enter(), "event all-ones");
        exits[2] = vm_mr[MK_VCPU_MR_EXIT];
        vm_mr[MK_VCPU_MR_RIP] = GUEST_CODE64;
        vm_mr[MK_VCPU_MR_INJECT] = 0;
        vm_expect(MK_VM_EXIT_CPUID, "sane registers after absurd ones");
        vm_check(exits[0] == MK_VM_EXIT_SHUTDOWN && exits[1] == MK_VM_EXIT_SHUTDOWN &&
                 exits[2] == MK_VM_EXIT_INVALID, "absurd registers: the guest's own end or a "
                 "refused VMRUN");
        rt_say("guest hostile registers: rip 2^63 exit 0x%lx, rflags all-ones exit 0x%lx, "
               "event all-ones exit 0x%lx", exits[0], exits[1], exits[2]);
}

void rt_check_vm_hostile(uint64_t gs)
{
        uint64_t v;

        rt_must(vm_vcpu_new(gs, &v, GUEST_CODE64), "hostile vcpu");
        inputs(gs, v);
        bad_state(v);
        guest_writes(v);
        absurd(v);
        rt_must(mku_cnode_delete(rt.info->cnode, v, RT_DEPTH), "delete the hostile vcpu");
        want(vm_enter(), MK_E_ILLEGAL_OP, "vmenter after the vcpu was deleted");
}
