/* kernel/root/vm-guest.c: the guest side of the root task's VMM checks
 * (vm.h): the guest code, the guest space and the VMEnter helpers. */
#include "vm.h"

__asm__(".pushsection .rodata\n"
        ".globl rt_guest16, rt_guest16_irq, rt_guest16_loop, rt_guest16_spin, rt_guest16_end\n"
        ".globl rt_guest64, rt_guest_sse, rt_guest_avx, rt_guest_hostile, rt_guest64_end\n"
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
        "rt_guest16_spin:\n\t"                 /* forever, counting at 0x4000 */
        "incl 0x4000\n\t"
        "jmp rt_guest16_spin\n"
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
        "rt_guest_avx:\n\t"                    /* long mode, CR4.OSXSAVE */
        "xorl %ecx, %ecx\n\t"
        "movl $7, %eax\n\t"
        "xorl %edx, %edx\n\t"
        "xsetbv\n\t"                           /* exit: the VMM sets XCR0 x87|SSE|AVX */
        "movq %rbx, %xmm0\n\t"
        "vinsertf128 $1, %xmm0, %ymm0, %ymm0\n\t"
        "cpuid\n\t"                            /* exit: another guest may run now */
        "vextractf128 $1, %ymm0, %xmm1\n\t"
        "movq %xmm1, %rax\n\t"
        "hlt\n"                                 /* exit: ymm0's upper half in rax */
        "rt_guest_hostile:\n\t"                /* long mode: state the host controls */
        "xorl %eax, %eax\n\t"
        "xorl %edx, %edx\n\t"
        "movl $0xc0000080, %ecx\n\t"
        "wrmsr\n\t"                            /* exit: EFER 0 (SVME off) */
        "movl $0xc0010117, %ecx\n\t"
        "wrmsr\n\t"                            /* exit: VM_HSAVE_PA 0 */
        "movl $0xc0010114, %ecx\n\t"
        "rdmsr\n\t"                            /* exit: VM_CR */
        "movl $0xc0000082, %ecx\n\t"
        "wrmsr\n\t"                            /* LSTAR 0: the guest's own, no exit */
        "movl $0xc0000081, %ecx\n\t"
        "wrmsr\n\t"                            /* STAR 0: no exit */
        "movl $0xc0000101, %ecx\n\t"
        "wrmsr\n\t"                            /* GS_BASE 0: no exit */
        "movl $0xc0000102, %ecx\n\t"
        "wrmsr\n\t"                            /* KERNEL_GS_BASE 0: no exit */
        "vmrun\n\t"                            /* exits, one each */
        "vmmcall\n\t"
        "vmload\n\t"
        "vmsave\n\t"
        "stgi\n\t"
        "clgi\n\t"
        "hlt\n"
        "rt_guest64_end:\n"
        ".popsection\n");

uint64_t vm_mr[MK_VCPU_MR_COUNT];

/* VMEnter with mr in and out; returns the kernel's MK_OK or MK_E_*. */
int vm_enter(void)
{
        return mku_vm_enter(vm_mr);
}

uint64_t vm_gpr(unsigned i)
{
        return vm_mr[MK_VCPU_MR_GPR + i];
}

/* Enter and expect exit code want; fails the task otherwise. */
void vm_expect(uint64_t want, const char *what)
{
        int r = vm_enter();

        if (r != MK_OK)
                rt_fail(what, r);
        if (vm_mr[MK_VCPU_MR_EXIT] != want) {
                rt_say("guest %s: exit 0x%lx at rip 0x%lx, info 0x%lx 0x%lx, expected exit 0x%lx", what,
                       vm_mr[MK_VCPU_MR_EXIT], vm_mr[MK_VCPU_MR_RIP], vm_mr[MK_VCPU_MR_INFO1],
                       vm_mr[MK_VCPU_MR_INFO2], want);
                rt_fail(what, MK_E_INVALID_ARG);
        }
}

void vm_check(int cond, const char *what)
{
        if (!cond) {
                rt_say("guest %s: rip 0x%lx rax 0x%lx info 0x%lx 0x%lx len %lu", what,
                       vm_mr[MK_VCPU_MR_RIP], vm_gpr(0), vm_mr[MK_VCPU_MR_INFO1],
                       vm_mr[MK_VCPU_MR_INFO2], vm_mr[MK_VCPU_MR_LEN]);
                rt_fail(what, MK_E_INVALID_ARG);
        }
}

uint64_t vm_ioio_port(void)
{
        return vm_mr[MK_VCPU_MR_INFO1] >> 16 & 0xffff;
}

/* The guest's memory, four pages at guest-physical 0, also mapped here:
 * the real-mode code at 0x100 and the IVT entry for the injected vector
 * pointing at its handler, the long-mode code at 0x800, and its page
 * tables (PML4, PDPT, PD: the first 2 MiB identity-mapped). Returns the
 * guest space, made on the first call (the guests beside the root's
 * checks, vm-beside.c, and the checks of vm.c share it). */
uint64_t vm_guest_space(void)
{
        static uint64_t gs;
        uint64_t f;
        uint8_t *mem = (uint8_t *)RT_GUEST_VADDR;
        uint16_t *ivt = (uint16_t *)RT_GUEST_VADDR;
        uint64_t *pt = (uint64_t *)(RT_GUEST_VADDR + GUEST_PML4);

        if (gs)
                return gs;
        gs = rt_new(MK_OBJ_GSPACE, 0);
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
int vm_vcpu_new(uint64_t gs, uint64_t *ret, uint64_t rip)
{
        uint64_t v = rt_slots(1);
        int r = rt_try_alloc(MK_OBJ_VCPU, 0, 1, v);

        if (r != MK_OK)
                return r;
        rt_must(mku_vcpu_set_space(v, gs), "vcpu set space");
        rt_must(mku_vcpu_set_tcb(v, rt.info->tcb), "vcpu bind");
        for (unsigned i = 0; i < MK_VCPU_MR_COUNT; i++)
                vm_mr[i] = 0;
        vm_mr[MK_VCPU_MR_RIP] = rip;
        vm_mr[MK_VCPU_MR_RFLAGS] = 2;
        vm_mr[MK_VCPU_MR_GPR + 4] = GUEST_STACK;
        *ret = v;
        return MK_OK;
}

void vm_state(uint64_t v, uint64_t field, uint64_t value)
{
        rt_must(mku_vcpu_write_state(v, field, value), "vcpu write state");
}

void vm_segment(uint64_t v, unsigned seg, uint64_t sel, uint64_t attr)
{
        uint64_t f = MK_VCPU_STATE_SEG + seg * 4u;

        vm_state(v, f, sel);
        vm_state(v, f + 1, attr);
        vm_state(v, f + 2, 0xffffffffu);
        vm_state(v, f + 3, 0);
}

/* Long mode with the first 2 MiB identity-mapped, SSE on (OSFXSR). */
void vm_long_mode(uint64_t v)
{
        vm_state(v, MK_VCPU_STATE_CR0, 0x80000011u);       /* PG, ET, PE */
        vm_state(v, MK_VCPU_STATE_CR3, GUEST_PML4);
        vm_state(v, MK_VCPU_STATE_CR4, 0x220);             /* PAE, OSFXSR */
        vm_state(v, MK_VCPU_STATE_EFER, 0x500);            /* LME, LMA */
        vm_segment(v, 1, 0x08, 0xa9b);                     /* CS: 64-bit code */
        for (unsigned s = 0; s < 4; s++)
                if (s != 1)
                        vm_segment(v, s, 0x10, 0xc93);     /* ES, SS, DS: flat data */
}
