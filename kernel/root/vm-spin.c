/* kernel/root/vm-spin.c: the host stays in charge of a guest that never
 * exits. A second thread in the root's own space, at the root's priority,
 * enters a real-mode guest that counts in guest memory forever with its
 * interrupts off. The root yields to it again and again: each time the
 * timer must end the guest's run inside the kernel and the scheduler
 * must give the root its turn back, with the root's own state intact
 * (it goes on running C code), and the count must have moved in
 * between. A signal on the runner's bound notification then ends its
 * VMEnter (MK_VM_EXIT_NOTIFICATION with the word: how a VMM learns of an
 * IRQ it injects), a signal pending when it enters again ends that
 * VMEnter at once, and unbinding the VCPU ends the third with ABORTED;
 * the guest then runs no more. */
#include "vm.h"

#define RT_VM_RUNNER_STACK 0x30810000ull
#define RT_VM_SPIN_TURNS 2u
#define RT_VM_SPIN_WAIT 100u
#define RT_VM_SPIN_BADGE 0x4952u

/* What the runner reads and writes (offsets used by rt_vm_runner). */
struct runner_args {
        uint64_t nr, info, rip;         /* the VMEnter it makes */
        uint64_t result;                /* what VMEnter returned, ~0 until then */
        uint64_t exit, word;            /* mr0 and mr1 after it: the exit, INFO1 */
        uint64_t yield;                 /* MK_SYS_YIELD, made from then on */
};

/* rt_vm_runner(args): VMEnter with rip in mr3 (the other message
 * registers 0: rflags 0 keeps the guest's interrupts off), mr0, mr1 and
 * then the result to args, then yield until the root restarts or
 * suspends it (spinning would cost the root a timeslice each time). */
void rt_vm_runner(void);
__asm__(".text\n"
        ".globl rt_vm_runner\n"
        "rt_vm_runner:\n\t"
        "movq %rdi, %r14\n\t"                   /* kept across syscalls */
        "movq 16(%r14), %r13\n\t"
        "movq 8(%r14), %rdx\n\t"
        "movq 0(%r14), %rdi\n\t"
        "xorl %esi, %esi\n\txorl %r8d, %r8d\n\txorl %r9d, %r9d\n\t"
        "xorl %r10d, %r10d\n\txorl %r12d, %r12d\n\t"
        "syscall\n\t"
        "movq %r8, 32(%r14)\n\t"
        "movq %r9, 40(%r14)\n\t"
        "movq %rdi, 24(%r14)\n"
        "1:\tmovq 48(%r14), %rdi\n\t"
        "syscall\n\t"
        "jmp 1b\n");

static volatile struct runner_args args;

/* A thread in the root's CSpace and VSpace at the root's priority. */
static uint64_t runner_new(void)
{
        uint64_t tcb = rt_new(MK_OBJ_TCB, 0), stack = rt_new(MK_OBJ_FRAME, 12);

        rt_must(rt_map(rt.info->vspace, stack, RT_VM_RUNNER_STACK,
                       MK_RIGHT_READ | MK_RIGHT_WRITE, MK_MAP_EXECUTE_NEVER), "map runner stack");
        rt_must(mku_tcb_configure(tcb, rt.info->cnode, rt.info->vspace, 0), "runner configure");
        rt_must(mku_tcb_set_priority(tcb, MK_NUM_PRIOS - 1), "runner priority");
        return tcb;
}

/* Yield turns times; the guest's count must move during each. Returns
 * the count. */
static uint32_t spin_turns(unsigned turns)
{
        volatile uint32_t *count = (volatile uint32_t *)(RT_GUEST_VADDR + GUEST_SPIN_COUNT);
        uint32_t prev = *count, c;

        for (unsigned n = 0; n < turns; n++) {
                mku_yield();
                c = *count;
                if (c == prev || args.result != ~0ull) {
                        rt_say("guest spin: turn %u: count %u after %u, VMEnter result %ld", n, c,
                               prev, (long)args.result);
                        rt_fail("guest spin: the guest did not run between the root's turns",
                                MK_E_INVALID_ARG);
                }
                prev = c;
        }
        return prev;
}

static void runner_start(uint64_t tcb)
{
        args.result = ~0ull;
        rt_must(mku_tcb_write_registers(tcb, (uint64_t)(uintptr_t)rt_vm_runner,
                                        RT_VM_RUNNER_STACK + 4096, (uint64_t)(uintptr_t)&args, 1),
                "runner start");
}

/* The runner's VMEnter result, after yielding to it as long as it takes. */
static uint64_t runner_result(void)
{
        for (unsigned n = 0; n < RT_VM_SPIN_WAIT && args.result == ~0ull; n++)
                mku_yield();
        return args.result;
}

static void check_notified(uint64_t badge, const char *what)
{
        if (runner_result() != MK_OK || args.exit != MK_VM_EXIT_NOTIFICATION || args.word != badge) {
                rt_say("guest spin: %s: result %ld exit 0x%lx word 0x%lx", what, (long)args.result,
                       args.exit, args.word);
                rt_fail(what, MK_E_INVALID_ARG);
        }
}

void rt_check_vm_spin(uint64_t gs)
{
        volatile uint32_t *count = (volatile uint32_t *)(RT_GUEST_VADDR + GUEST_SPIN_COUNT);
        uint64_t tcb = runner_new(), v, ntfn = rt_new(MK_OBJ_NOTIFICATION, 0), sig;
        uint32_t c, loops;

        sig = rt_copy(ntfn, MK_RIGHT_WRITE, RT_VM_SPIN_BADGE);
        rt_must(mku_tcb_bind_notification(tcb, ntfn), "runner bind notification");
        rt_must(vm_vcpu_new(gs, &v, 0), "spin vcpu");
        rt_must(mku_vcpu_set_tcb(v, 0), "spin vcpu unbind root");
        rt_must(mku_vcpu_set_tcb(v, tcb), "spin vcpu bind runner");
        args.nr = MK_SYS_VM_ENTER;
        args.yield = MK_SYS_YIELD;
        args.info = mk_info(0, 0, MK_VCPU_MR_COUNT);
        args.rip = GUEST_CODE + (uint64_t)(rt_guest16_spin - rt_guest16);
        *count = 0;
        runner_start(tcb);
        loops = spin_turns(RT_VM_SPIN_TURNS);
        rt_must(mku_signal(sig), "signal the runner");
        check_notified(RT_VM_SPIN_BADGE, "a signal ends VMEnter");
        rt_must(mku_signal(sig), "signal the runner before it enters");
        c = *count;
        runner_start(tcb);
        check_notified(RT_VM_SPIN_BADGE, "a signal pending at VMEnter ends it at once");
        vm_check(*count == c, "spin: no guest ran for a pending signal");
        runner_start(tcb);
        (void)spin_turns(1);
        rt_must(mku_vcpu_set_tcb(v, 0), "spin vcpu unbind runner");
        vm_check(runner_result() == (uint64_t)MK_E_ABORTED,
                 "spin: unbinding ends VMEnter with ABORTED");
        c = *count;
        mku_yield();
        vm_check(*count == c, "spin: the guest runs no more");
        rt_must(mku_tcb_suspend(tcb), "runner suspend");
        rt_say("guest spinning forever, interrupts off: the timer gave the root %u turns back "
               "(%u guest loops)", RT_VM_SPIN_TURNS, loops);
        rt_say("guest notified: a signal on the VMM thread's bound notification ended VMEnter "
               "(exit 0x%x, word 0x%x), a pending one the next VMEnter at once",
               MK_VM_EXIT_NOTIFICATION, RT_VM_SPIN_BADGE);
        rt_say("guest unbound: unbinding its VCPU ended VMEnter with ABORTED");
}
