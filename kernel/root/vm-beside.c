/* kernel/root/vm-beside.c: guests running beside the root's other checks
 * (only with thatte.test=guest-beside, so that no other boot changes its
 * timing). Two threads of the root's space, at priority 254 (below the
 * root, beside the faulting threads of fault.c; at the root's own
 * priority they would starve those), each enter a real-mode guest with
 * interrupts off: one counts in guest memory forever and never exits,
 * the other loops on CPUID, so its thread handles an exit and enters
 * again all the time. They run whenever the root waits; the root's checks
 * must pass as usual, both guests must have made progress, and unbinding
 * their VCPUs stops them. */
#include "vm.h"

#define BESIDE_PRIO (MK_NUM_PRIOS - 2)

/* What a beside thread reads and writes (offsets used by rt_vm_exiter). */
struct beside_args {
        uint64_t nr, info, rip;         /* the VMEnter it makes */
        uint64_t result, exit;          /* the VMEnter that ended its loop: result, mr0 */
        uint64_t want;                  /* the exit it steps over (CPUID, 2 bytes) */
        uint64_t yield;                 /* MK_SYS_YIELD, made after the loop */
        uint64_t exits;                 /* exits handled */
};

/* rt_vm_exiter(args): VMEnter at rip (the other message registers 0:
 * rflags 0 keeps the guest's interrupts off); while it ends with the
 * wanted exit, count it, step over the instruction and enter again; then
 * store the result and the exit and yield forever. It never touches a
 * stack. */
void rt_vm_exiter(void);
__asm__(".text\n"
        ".globl rt_vm_exiter\n"
        "rt_vm_exiter:\n\t"
        "movq %rdi, %r14\n\t"
        "movq 16(%r14), %r13\n"
        "1:\tmovq 0(%r14), %rdi\n\t"
        "movq 8(%r14), %rdx\n\t"
        "xorl %esi, %esi\n\txorl %r8d, %r8d\n\txorl %r9d, %r9d\n\t"
        "xorl %r10d, %r10d\n\txorl %r12d, %r12d\n\t"
        "syscall\n\t"
        "testq %rdi, %rdi\n\t"
        "jnz 2f\n\t"
        "cmpq 40(%r14), %r8\n\t"
        "jne 2f\n\t"
        "addq $2, %r13\n\t"                     /* cpuid: 0f a2 (no NRIP save under TCG) */
        "incq 56(%r14)\n\t"
        "jmp 1b\n"
        "2:\tmovq %r8, 32(%r14)\n\t"
        "movq %rdi, 24(%r14)\n"
        "3:\tmovq 48(%r14), %rdi\n\t"
        "syscall\n\t"
        "jmp 3b\n");

static volatile struct beside_args spin_args, exit_args;
static uint64_t spin_vcpu, exit_vcpu, spin_tcb, exit_tcb;
static bool running;

/* A VCPU on gs bound to a new thread of the root's space that runs
 * rt_vm_exiter(args) from guest rip on. */
static int beside_start(uint64_t gs, uint64_t rip, volatile struct beside_args *a,
                        uint64_t *ret_vcpu, uint64_t *ret_tcb)
{
        uint64_t tcb;
        int r = vm_vcpu_new(gs, ret_vcpu, rip);

        if (r != MK_OK)
                return r;
        tcb = rt_new(MK_OBJ_TCB, 0);
        rt_must(mku_tcb_configure(tcb, rt.info->cnode, rt.info->vspace, 0), "beside configure");
        rt_must(mku_tcb_set_priority(tcb, BESIDE_PRIO), "beside priority");
        rt_must(mku_vcpu_set_tcb(*ret_vcpu, 0), "beside vcpu unbind root");
        rt_must(mku_vcpu_set_tcb(*ret_vcpu, tcb), "beside vcpu bind");
        a->nr = MK_SYS_VM_ENTER;
        a->info = mk_info(0, 0, MK_VCPU_MR_COUNT);
        a->rip = rip;
        a->result = ~0ull;
        a->want = MK_VM_EXIT_CPUID;
        a->yield = MK_SYS_YIELD;
        a->exits = 0;
        rt_must(mku_tcb_write_registers(tcb, (uint64_t)(uintptr_t)rt_vm_exiter, 0,
                                        (uint64_t)(uintptr_t)a, 1), "beside start");
        *ret_tcb = tcb;
        return MK_OK;
}

void rt_vm_beside_start(void)
{
        uint64_t gs = vm_guest_space();
        volatile uint32_t *count = (volatile uint32_t *)(RT_GUEST_VADDR + GUEST_SPIN_COUNT);
        int r;

        *count = 0;
        r = beside_start(gs, GUEST_CODE + (uint64_t)(rt_guest16_spin - rt_guest16), &spin_args,
                         &spin_vcpu, &spin_tcb);
        if (r == MK_E_UNSUPPORTED) {
                rt_say("guest beside: no VCPU on this machine (kernel error %d)", r);
                return;
        }
        rt_must(r, "beside spinning vcpu");
        rt_must(beside_start(gs, GUEST_CODE + (uint64_t)(rt_guest16_loop - rt_guest16),
                             &exit_args, &exit_vcpu, &exit_tcb), "beside exiting vcpu");
        running = true;
}

/* Both guests must have run and still be in their loops; unbinding
 * their VCPUs ends their VMEnter, then their threads are suspended. */
void rt_vm_beside_stop(unsigned checks)
{
        volatile uint32_t *count = (volatile uint32_t *)(RT_GUEST_VADDR + GUEST_SPIN_COUNT);
        uint32_t loops = *count;
        uint64_t exits = exit_args.exits;

        if (!running)
                return;
        if (loops == 0 || exits == 0 || spin_args.result != ~0ull || exit_args.result != ~0ull) {
                rt_say("guest beside: %u loops, %lu exits, VMEnter results %ld %ld (exit 0x%lx)",
                       loops, (unsigned long)exits, (long)spin_args.result,
                       (long)exit_args.result, exit_args.exit);
                rt_fail("guest beside: a guest did not run beside the checks", MK_E_INVALID_ARG);
        }
        rt_must(mku_vcpu_set_tcb(spin_vcpu, 0), "beside vcpu unbind");
        rt_must(mku_vcpu_set_tcb(exit_vcpu, 0), "beside vcpu unbind");
        rt_must(mku_tcb_suspend(spin_tcb), "beside suspend");
        rt_must(mku_tcb_suspend(exit_tcb), "beside suspend");
        running = false;
        rt_say("guest beside %u self-checks ok: a guest spinning with interrupts off (%u loops) "
               "and one exiting on CPUID (%lu exits) at priority %u ran while the root waited; "
               "the ipc round trip above was measured with them beside it", checks, loops,
               (unsigned long)exits, BESIDE_PRIO);
}
