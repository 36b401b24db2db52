/* kernel/root/vm.c: the root task as a tiny VMM. A real-mode guest (the
 * bytes below, written into a frame mapped at guest-physical 0) exits
 * with CPUID, an `out` to an intercepted port (one to port 0x80, passed
 * through, does not exit), a read of unmapped guest-physical memory (NPF,
 * decoded here), HLT (answered with an injected interrupt, whose handler
 * reports through another port) and a triple fault; each exit is checked
 * and printed. A second VCPU loops on CPUID for the round-trip figure
 * (instructions under -icount shift=0). A third is first refused by the
 * hardware (inconsistent state), then runs in long mode, set up through
 * VCPU_WRITE_STATE with page tables in guest memory. Without SVM the kernel refuses the
 * VCPU, and that is printed instead. */
#include "root.h"

#define RT_GUEST_VADDR 0x30800000ull    /* the root's view of the guest's page */
#define GUEST_CODE 0x100u               /* guest-physical (real mode 0:0x100) */
#define GUEST_STACK 0xff0u
#define GUEST_CODE64 0x800u             /* long-mode code in the same page */
#define GUEST_PAGES 4u                  /* guest-physical 0..0x3fff: code, PML4, PDPT, PD */
#define GUEST_PML4 0x1000u
#define LONG_R15 0x1122334455667788ull
#define SSE_A 0x5353454141414141ull
#define SSE_B 0x5353454242424242ull
#define GUEST_MMIO 0xf0010u             /* unmapped: the NPF */
#define GUEST_PORT 0x4f0u               /* intercepted */
#define GUEST_IRQ_PORT 0x4f1u           /* the interrupt handler's report */
#define GUEST_VECTOR 0x20u
#define GUEST_CPUID_EAX 0x54414854u     /* what the VMM answers to leaf 0 */
#define EVENT_VALID (1ull << 31)
#define IOIO_IN 1u
#define IOIO_SZ32 (1u << 6)
#define RT_VM_ROUNDS 200u

extern const uint8_t rt_guest16[], rt_guest16_irq[], rt_guest16_loop[], rt_guest16_end[];
extern const uint8_t rt_guest64[], rt_guest_sse[], rt_guest64_end[];
__asm__(".pushsection .rodata\n"
        ".globl rt_guest16, rt_guest16_irq, rt_guest16_loop, rt_guest16_end\n"
        ".globl rt_guest64, rt_guest_sse, rt_guest64_end\n"
        "rt_guest16:\n\t"
        ".code16\n\t"
        "xorl %eax, %eax\n\t"
        "cpuid\n\t"                             /* exit: CPUID */
        "movl %eax, %esi\n\t"
        "movb $0x55, %al\n\t"
        "outb %al, $0x80\n\t"                   /* passed through: no exit */
        "movl %esi, %eax\n\t"
        "movw $0x4f0, %dx\n\t"
        "outl %eax, %dx\n\t"                    /* exit: IOIO, the CPUID answer */
        "movw $0xf000, %ax\n\t"
        "movw %ax, %ds\n\t"
        "movb 0x10, %al\n\t"                    /* exit: NPF at 0xf0010 (a0 10 00) */
        "xorw %cx, %cx\n\t"
        "movw %cx, %ds\n\t"
        "sti\n\t"
        "hlt\n\t"                               /* exit: HLT; an interrupt comes */
        "lidt (rt_guest16_idt - rt_guest16 + 0x100)\n\t"
        "int3\n"                                /* no IDT: triple fault */
        "rt_guest16_irq:\n\t"
        "movw $0x4f1, %dx\n\t"
        "outb %al, %dx\n\t"                     /* exit: IOIO from the handler */
        "iret\n"
        "rt_guest16_loop:\n\t"
        "cpuid\n\t"
        "jmp rt_guest16_loop\n"
        "rt_guest16_idt:\n\t"
        ".word 0\n\t.long 0\n"
        ".code64\n"
        "rt_guest16_end:\n"
        "rt_guest64:\n\t"                      /* long mode, at GUEST_CODE64 */
        "movl $0x4c4f4e47, %eax\n\t"
        "cpuid\n\t"                             /* exit: CPUID with 'LONG' */
        "movq %r15, %rax\n\t"
        "hlt\n"                                  /* exit: HLT, r15 in rax */
        "rt_guest_sse:\n\t"                    /* long mode, at GUEST_SSE */
        "movq %rbx, %xmm0\n\t"
        "cpuid\n\t"                             /* exit: another guest may run now */
        "movq %xmm0, %rax\n\t"
        "hlt\n"                                  /* exit: its xmm0 in rax */
        "rt_guest64_end:\n"
        ".popsection\n");

static uint64_t mr[MK_VCPU_MR_COUNT];

/* VMEnter with mr in and out; returns the kernel's MK_OK or MK_E_*. */
static int vm_enter(void)
{
        struct mk_regs r = { .nr = MK_SYS_VM_ENTER, .info = mk_info(0, 0, MK_VCPU_MR_COUNT) };

        for (unsigned i = 0; i < MK_MSG_REG_MRS; i++)
                r.mr[i] = mr[i];
        for (unsigned i = MK_MSG_REG_MRS; i < MK_VCPU_MR_COUNT; i++)
                mku_ipcbuf->mr[i] = mr[i];
        mku_syscall(&r);
        for (unsigned i = 0; i < MK_MSG_REG_MRS; i++)
                mr[i] = r.mr[i];
        for (unsigned i = MK_MSG_REG_MRS; i < MK_VCPU_MR_COUNT; i++)
                mr[i] = mku_ipcbuf->mr[i];
        return (int)r.nr;
}

static uint64_t gpr(unsigned i) { return mr[MK_VCPU_MR_GPR + i]; }

/* Enter and expect exit code want; fails the task otherwise. */
static void expect(uint64_t want, const char *what)
{
        int r = vm_enter();

        if (r != MK_OK)
                rt_fail(what, r);
        if (mr[MK_VCPU_MR_EXIT] != want) {
                rt_say("guest %s: exit 0x%lx at rip 0x%lx, info 0x%lx 0x%lx, expected exit 0x%lx", what,
                       mr[MK_VCPU_MR_EXIT], mr[MK_VCPU_MR_RIP], mr[MK_VCPU_MR_INFO1],
                       mr[MK_VCPU_MR_INFO2], want);
                rt_fail(what, MK_E_INVALID_ARG);
        }
}

static void check(int cond, const char *what)
{
        if (!cond) {
                rt_say("guest %s: rip 0x%lx rax 0x%lx info 0x%lx 0x%lx len %lu", what,
                       mr[MK_VCPU_MR_RIP], gpr(0), mr[MK_VCPU_MR_INFO1],
                       mr[MK_VCPU_MR_INFO2], mr[MK_VCPU_MR_LEN]);
                rt_fail(what, MK_E_INVALID_ARG);
        }
}

static uint64_t ioio_port(void) { return mr[MK_VCPU_MR_INFO1] >> 16 & 0xffff; }

/* The guest's memory, four pages at guest-physical 0, also mapped here:
 * the real-mode code at 0x100 and the IVT entry for the injected vector
 * pointing at its handler, the long-mode code at 0x800, and its page
 * tables (PML4, PDPT, PD: the first 2 MiB identity-mapped). Returns the
 * guest space. */
static uint64_t guest_space(void)
{
        uint64_t gs = rt_new(MK_OBJ_GSPACE, 0), f;
        uint8_t *mem = (uint8_t *)RT_GUEST_VADDR;
        uint16_t *ivt = (uint16_t *)RT_GUEST_VADDR;
        uint64_t *pt = (uint64_t *)(RT_GUEST_VADDR + GUEST_PML4);

        for (uint64_t i = 0; i < GUEST_PAGES; i++) {
                f = rt_new(MK_OBJ_FRAME, 12);
                rt_must(rt_map(rt.info->vspace, f, RT_GUEST_VADDR + i * 4096,
                               MK_RIGHT_READ | MK_RIGHT_WRITE, MK_MAP_EXECUTE_NEVER),
                        "map a guest page");
                rt_must(rt_map(gs, rt_copy(f, MK_RIGHTS_ALL, 0), i * 4096, MK_RIGHTS_ALL, 0),
                        "map a guest page into the guest space");
        }
        for (const uint8_t *p = rt_guest16; p < rt_guest16_end; p++)
                mem[GUEST_CODE + (uint64_t)(p - rt_guest16)] = *p;
        for (const uint8_t *p = rt_guest64; p < rt_guest64_end; p++)
                mem[GUEST_CODE64 + (uint64_t)(p - rt_guest64)] = *p;
        ivt[GUEST_VECTOR * 2] = (uint16_t)(GUEST_CODE + (uint64_t)(rt_guest16_irq - rt_guest16));
        ivt[GUEST_VECTOR * 2 + 1] = 0;
        pt[0] = (GUEST_PML4 + 0x1000) | 3;              /* PML4[0] -> PDPT, present, writable */
        pt[512] = (GUEST_PML4 + 0x2000) | 3;            /* PDPT[0] -> PD */
        pt[1024] = 0x83;                                /* PD[0]: 2 MiB at 0 */
        return gs;
}

/* A VCPU on gs bound to the root thread and its first VMEnter state. */
static int vcpu_new(uint64_t gs, uint64_t *ret, uint64_t rip)
{
        uint64_t v = rt_slots(1);
        int r = rt_try_alloc(MK_OBJ_VCPU, 0, 1, v);

        if (r != MK_OK)
                return r;
        rt_must(mku_vcpu_set_space(v, gs), "vcpu set space");
        rt_must(mku_vcpu_set_tcb(v, rt.info->tcb), "vcpu bind");
        for (unsigned i = 0; i < MK_VCPU_MR_COUNT; i++)
                mr[i] = 0;
        mr[MK_VCPU_MR_RIP] = rip;
        mr[MK_VCPU_MR_RFLAGS] = 2;
        mr[MK_VCPU_MR_GPR + 4] = GUEST_STACK;
        *ret = v;
        return MK_OK;
}

static void run_checks(void)
{
        expect(MK_VM_EXIT_CPUID, "cpuid");
        check(gpr(0) == 0 && mr[MK_VCPU_MR_RIP] == GUEST_CODE + 3, "cpuid leaf 0 at its rip");
        rt_say("guest cpuid exit at rip 0x%lx", mr[MK_VCPU_MR_RIP]);
        mr[MK_VCPU_MR_GPR] = GUEST_CPUID_EAX;
        mr[MK_VCPU_MR_RIP] += 2;                /* no NRIP save under TCG: 0f a2 */
        expect(MK_VM_EXIT_IOIO, "out");
        check(ioio_port() == GUEST_PORT && !(mr[MK_VCPU_MR_INFO1] & IOIO_IN) &&
              (mr[MK_VCPU_MR_INFO1] & IOIO_SZ32) && gpr(0) == GUEST_CPUID_EAX &&
              mr[MK_VCPU_MR_LEN] == 2, "out of the cpuid answer to the intercepted port");
        rt_say("guest out to port 0x%lx value 0x%lx (length %lu); port 0x80 passed through",
               ioio_port(), gpr(0), mr[MK_VCPU_MR_LEN]);
        mr[MK_VCPU_MR_RIP] += mr[MK_VCPU_MR_LEN];
        expect(MK_VM_EXIT_NPF, "mmio");
        check(mr[MK_VCPU_MR_INFO2] == GUEST_MMIO, "npf at the unmapped address");
        rt_say("guest mmio read of 0x%lx: nested page fault, decoded", mr[MK_VCPU_MR_INFO2]);
        mr[MK_VCPU_MR_GPR] = (gpr(0) & ~0xffull) | 0x77;
        mr[MK_VCPU_MR_RIP] += 3;                /* a0 10 00: mov moffs16, %al */
        expect(MK_VM_EXIT_HLT, "hlt");
        rt_say("guest hlt");
        mr[MK_VCPU_MR_RIP] += 1;
        mr[MK_VCPU_MR_INJECT] = GUEST_VECTOR | EVENT_VALID;
        expect(MK_VM_EXIT_IOIO, "interrupt");
        check(ioio_port() == GUEST_IRQ_PORT && (gpr(0) & 0xff) == 0x77,
              "handler of the injected interrupt reports the mmio value");
        rt_say("guest interrupt 0x%x injected, its handler ran", GUEST_VECTOR);
        mr[MK_VCPU_MR_RIP] += mr[MK_VCPU_MR_LEN];
        expect(MK_VM_EXIT_SHUTDOWN, "triple fault");
        rt_say("guest triple fault: shutdown exit");
}

static void state(uint64_t v, uint64_t field, uint64_t value)
{
        rt_must(mku_vcpu_write_state(v, field, value), "vcpu write state");
}

static void segment(uint64_t v, unsigned seg, uint64_t sel, uint64_t attr)
{
        uint64_t f = MK_VCPU_STATE_SEG + seg * 4u;

        state(v, f, sel);
        state(v, f + 1, attr);
        state(v, f + 2, 0xffffffffu);
        state(v, f + 3, 0);
}

/* Long mode with the first 2 MiB identity-mapped, SSE on (OSFXSR). */
static void long_mode(uint64_t v)
{
        state(v, MK_VCPU_STATE_CR0, 0x80000011u);       /* PG, ET, PE */
        state(v, MK_VCPU_STATE_CR3, GUEST_PML4);
        state(v, MK_VCPU_STATE_CR4, 0x220);             /* PAE, OSFXSR */
        state(v, MK_VCPU_STATE_EFER, 0x500);            /* LME, LMA */
        segment(v, 1, 0x08, 0xa9b);                     /* CS: 64-bit code */
        for (unsigned s = 0; s < 4; s++)
                if (s != 1)
                        segment(v, s, 0x10, 0xc93);     /* ES, SS, DS: flat data */
}

/* Two guests side by side: A puts its pattern in xmm0 and exits, B does
 * the same with another and runs to the end, then A reads xmm0 back. */
static void run_sse_pair(uint64_t gs)
{
        uint64_t va, vb, a[MK_VCPU_MR_COUNT], got_a, got_b;
        uint64_t rip = GUEST_CODE64 + (uint64_t)(rt_guest_sse - rt_guest64);

        rt_must(vcpu_new(gs, &va, rip), "sse vcpu a");
        long_mode(va);
        mr[MK_VCPU_MR_GPR + 3] = SSE_A;
        expect(MK_VM_EXIT_CPUID, "sse a");
        for (unsigned i = 0; i < MK_VCPU_MR_COUNT; i++)
                a[i] = mr[i];
        rt_must(mku_vcpu_set_tcb(va, 0), "vcpu unbind");
        rt_must(vcpu_new(gs, &vb, rip), "sse vcpu b");
        long_mode(vb);
        mr[MK_VCPU_MR_GPR + 3] = SSE_B;
        expect(MK_VM_EXIT_CPUID, "sse b");
        mr[MK_VCPU_MR_RIP] += 2;
        expect(MK_VM_EXIT_HLT, "sse b hlt");
        got_b = gpr(0);
        rt_must(mku_vcpu_set_tcb(vb, 0), "vcpu unbind");
        rt_must(mku_vcpu_set_tcb(va, rt.info->tcb), "vcpu bind");
        for (unsigned i = 0; i < MK_VCPU_MR_COUNT; i++)
                mr[i] = a[i];
        mr[MK_VCPU_MR_RIP] += 2;
        expect(MK_VM_EXIT_HLT, "sse a hlt");
        got_a = gpr(0);
        check(got_a == SSE_A && got_b == SSE_B, "each guest keeps its own xmm0");
        rt_say("guest sse: two VCPUs side by side keep their own xmm0 (0x%lx, 0x%lx)", got_a, got_b);
}

/* A VCPU the hardware refuses (CR0.NW without CD) ends VMEnter with
 * MK_VM_EXIT_INVALID; then the same VCPU in long mode, written through
 * VCPU_WRITE_STATE: CPUID and HLT exits with 64-bit registers. */
static void run_long_mode(uint64_t v)
{
        uint64_t cpuid_rip;

        mr[MK_VCPU_MR_RIP] = GUEST_CODE64;
        state(v, MK_VCPU_STATE_CR0, 0x20000011u);
        expect(MK_VM_EXIT_INVALID, "inconsistent state");
        rt_say("guest with inconsistent state refused: exit 0x%lx", mr[MK_VCPU_MR_EXIT]);
        long_mode(v);
        mr[MK_VCPU_MR_RIP] = GUEST_CODE64;
        expect(MK_VM_EXIT_CPUID, "long mode cpuid");
        check(gpr(0) == 0x4c4f4e47 && mr[MK_VCPU_MR_RIP] == GUEST_CODE64 + 5,
              "long mode cpuid leaf and rip");
        cpuid_rip = mr[MK_VCPU_MR_RIP];
        mr[MK_VCPU_MR_GPR + 15] = LONG_R15;
        mr[MK_VCPU_MR_RIP] += 2;
        expect(MK_VM_EXIT_HLT, "long mode hlt");
        check(gpr(0) == LONG_R15, "r15 through the guest into rax");
        rt_say("guest long mode: cpuid exit at rip 0x%lx, hlt with rax 0x%lx",
               cpuid_rip, gpr(0));
}

/* The CPUID loop: rounds of exit, rip + 2, enter. */
static uint64_t cpuid_rounds(unsigned rounds)
{
        uint64_t t0 = mku_rdtsc();

        for (unsigned i = 0; i < rounds; i++) {
                if (vm_enter() != MK_OK || mr[MK_VCPU_MR_EXIT] != MK_VM_EXIT_CPUID)
                        rt_fail("cpuid loop", MK_E_INVALID_ARG);
                mr[MK_VCPU_MR_RIP] += 2;
        }
        return mku_rdtsc() - t0;
}

void rt_check_vm(void)
{
        uint64_t gs, v, v2, v3, t;
        int r;

        gs = guest_space();
        r = vcpu_new(gs, &v, GUEST_CODE);
        if (r == MK_E_UNSUPPORTED) {
                rt_say("guest: no VCPU on this machine (kernel error %d)", r);
                return;
        }
        rt_must(r, "vcpu retype");
        rt_must(mku_vcpu_allow_ports(v, rt_ioport(0x80, 0x80, "port 0x80")), "allow port 0x80");
        run_checks();
        rt_must(mku_vcpu_set_tcb(v, 0), "vcpu unbind");
        rt_must(vcpu_new(gs, &v2, GUEST_CODE + (uint64_t)(rt_guest16_loop - rt_guest16)),
                "second vcpu");
        (void)cpuid_rounds(8);
        t = cpuid_rounds(RT_VM_ROUNDS);
        rt_say("vmexit round trip %lu instructions", (unsigned long)(t / RT_VM_ROUNDS));
        rt_must(mku_vcpu_set_tcb(v2, 0), "vcpu unbind");
        rt_must(vcpu_new(gs, &v3, GUEST_CODE64), "third vcpu");
        run_long_mode(v3);
        rt_must(mku_vcpu_set_tcb(v3, 0), "vcpu unbind");
        run_sse_pair(gs);
        rt_say("guest ok");
}
