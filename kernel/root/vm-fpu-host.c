/* kernel/root/vm-fpu-host.c: guests' FPU registers stay out of host
 * threads' reach. Host threads have no FPU state (the kernel keeps CR0.EM
 * set and CR4.OSFXSR and OSXSAVE clear outside VMRUN), so right after the
 * guests of vm-fpu.c left their patterns in xmm0 and ymm0, a thread of
 * the root's space tries to read them every way there is (SSE, AVX, x87,
 * FXSAVE, XSAVE): each must fault at that very instruction, the fault
 * comes to the root as a message on the thread's fault endpoint, and
 * neither the message nor the buffer the thread would have stored into
 * holds a pattern. A last probe stores all its general registers: none
 * holds one either. */
#include "vm.h"

#define PROBE_FILL 0xa5a5a5a5a5a5a5a5ull
#define PROBE_BADGE 0x46505531u
#define PROBE_WORDS 512u                /* one page: room for any XSAVE image */

/* Each probe: rdi = the buffer; the instruction at rt_fpu_fault_X must
 * fault; the stores after it would show what it read. */
extern const char rt_fpu_probe_sse[], rt_fpu_probe_avx[], rt_fpu_probe_x87[],
        rt_fpu_probe_fxsave[], rt_fpu_probe_xsave[], rt_fpu_fault_xsave[], rt_fpu_probe_regs[],
        rt_fpu_fault_regs[];
__asm__(".text\n"
        ".globl rt_fpu_probe_sse, rt_fpu_probe_avx, rt_fpu_probe_x87, rt_fpu_probe_fxsave\n"
        ".globl rt_fpu_probe_xsave, rt_fpu_fault_xsave, rt_fpu_probe_regs, rt_fpu_fault_regs\n"
        "rt_fpu_probe_sse:\n\t"
        "movq %xmm0, %rax\n\t"
        "movq %rax, (%rdi)\n\t"
        "ud2\n"
        "rt_fpu_probe_avx:\n\t"
        "vextractf128 $1, %ymm0, %xmm1\n\t"
        "vmovq %xmm1, (%rdi)\n\t"
        "ud2\n"
        "rt_fpu_probe_x87:\n\t"
        "fnsave (%rdi)\n\t"
        "ud2\n"
        "rt_fpu_probe_fxsave:\n\t"
        "fxsave64 (%rdi)\n\t"
        "ud2\n"
        "rt_fpu_probe_xsave:\n\t"
        "movl $-1, %eax\n\t"
        "movl $-1, %edx\n"
        "rt_fpu_fault_xsave:\n\t"
        "xsave64 (%rdi)\n\t"
        "ud2\n"
        "rt_fpu_probe_regs:\n\t"
        "movq %rax, 0(%rdi)\n\tmovq %rbx, 8(%rdi)\n\tmovq %rcx, 16(%rdi)\n\t"
        "movq %rdx, 24(%rdi)\n\tmovq %rsi, 32(%rdi)\n\tmovq %rbp, 40(%rdi)\n\t"
        "movq %rsp, 48(%rdi)\n\tmovq %r8, 56(%rdi)\n\tmovq %r9, 64(%rdi)\n\t"
        "movq %r10, 72(%rdi)\n\tmovq %r11, 80(%rdi)\n\tmovq %r12, 88(%rdi)\n\t"
        "movq %r13, 96(%rdi)\n\tmovq %r14, 104(%rdi)\n\tmovq %r15, 112(%rdi)\n"
        "rt_fpu_fault_regs:\n\t"
        "ud2\n");

struct probe {
        const char *entry, *fault;      /* where it starts, where it must fault */
        const char *what;
};

static uint64_t probe_buf[PROBE_WORDS] __attribute__((aligned(4096)));

static bool holds_a_pattern(const uint64_t *w, unsigned n)
{
        for (unsigned i = 0; i < n; i++)
                if (w[i] == SSE_A || w[i] == SSE_B || w[i] == AVX_A || w[i] == AVX_B)
                        return true;
        return false;
}

/* Run one probe on tcb; returns the vector it faulted with. */
static uint64_t run_probe(uint64_t tcb, uint64_t ep, uint64_t reply, const struct probe *p)
{
        volatile uint64_t *buf = probe_buf;
        struct mku_msg m = { 0 };
        int r;

        for (unsigned i = 0; i < PROBE_WORDS; i++)
                buf[i] = PROBE_FILL;
        rt_watchdog_arm();
        rt_must(mku_tcb_write_registers(tcb, (uint64_t)(uintptr_t)p->entry, 0,
                                        (uint64_t)(uintptr_t)probe_buf, 1), "fpu probe start");
        r = mku_recv(ep, reply, &m);
        rt_watchdog_disarm();
        rt_must(mku_tcb_suspend(tcb), "fpu probe suspend");
        if (r != MK_OK)
                rt_fail("fpu probe: fault endpoint receive", r);
        if (mk_info_label(m.info) != MK_FAULT_LABEL || m.badge != PROBE_BADGE ||
            m.mr[0] != (uint64_t)(uintptr_t)p->fault || (m.mr[3] != 6 && m.mr[3] != 7)) {
                rt_say("guest fpu: %s: label 0x%lx badge 0x%lx rip 0x%lx (want 0x%lx) vector %lu",
                       p->what, mk_info_label(m.info), m.badge, m.mr[0],
                       (uint64_t)(uintptr_t)p->fault, m.mr[3]);
                rt_fail("guest fpu: a host thread's FPU instruction did not fault", MK_E_INVALID_ARG);
        }
        vm_check(!holds_a_pattern(m.mr, MK_MSG_REG_MRS), "fpu: a guest pattern in a fault message");
        vm_check(!holds_a_pattern(probe_buf, PROBE_WORDS), "fpu: a guest pattern in host memory");
        if (p->entry != rt_fpu_probe_regs)
                for (unsigned i = 0; i < PROBE_WORDS; i++)
                        vm_check(buf[i] == PROBE_FILL, "fpu: a faulting probe stored nothing");
        return m.mr[3];
}

void rt_check_vm_fpu_host(void)
{
        static const struct probe probes[] = {
                { rt_fpu_probe_sse, rt_fpu_probe_sse, "sse" },
                { rt_fpu_probe_avx, rt_fpu_probe_avx, "avx" },
                { rt_fpu_probe_x87, rt_fpu_probe_x87, "x87" },
                { rt_fpu_probe_fxsave, rt_fpu_probe_fxsave, "fxsave" },
                { rt_fpu_probe_xsave, rt_fpu_fault_xsave, "xsave" },
                { rt_fpu_probe_regs, rt_fpu_fault_regs, "registers" },
        };
        uint64_t ep = rt_new(MK_OBJ_ENDPOINT, 0), reply = rt_new(MK_OBJ_REPLY, 0);
        uint64_t tcb = rt_new(MK_OBJ_TCB, 0), vec[sizeof(probes) / sizeof(probes[0])];

        rt_must(mku_tcb_configure(tcb, rt.info->cnode, rt.info->vspace,
                                  rt_copy(ep, MK_RIGHTS_ALL, PROBE_BADGE)), "fpu probe configure");
        rt_must(mku_tcb_set_priority(tcb, MK_NUM_PRIOS - 2), "fpu probe priority");
        for (unsigned i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
                vec[i] = run_probe(tcb, ep, reply, &probes[i]);
        rt_say("guest fpu stays in guests: after them a host thread's SSE, AVX, x87, FXSAVE and "
               "XSAVE faulted at once (vectors %lu %lu %lu %lu %lu), delivered to the root; no "
               "guest xmm or ymm value in its fault messages, memory or general registers",
               vec[0], vec[1], vec[2], vec[3], vec[4]);
}
