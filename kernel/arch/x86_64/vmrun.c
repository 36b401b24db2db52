/* kernel/arch/x86_64/vmrun.c: VCPUs on AMD SVM. A VCPU object is 32 KiB:
 * the VMCB (page 0), the core's struct mk_vcpu (page 1), the I/O
 * permission map (pages 2..4), the FPU save area (page 5, vfpu.c), a
 * copy of the state save area (page 6, see vmrun_with_fpu). One MSR permission map serves every VCPU.
 *
 * The guest runs when a thread in VMEnter (ctx.entry MK_ENTRY_GUEST) is
 * about to return to user mode: entry.S calls arch_guest_run instead. Host
 * interrupts are intercepted (V_INTR_MASKING: the host's IF, set around
 * VMRUN while GIF is clear, masks them, the guest's IF does not), so the
 * timer ends every run within a tick; the kernel then opens an interrupt
 * window, and the interrupt is handled as if the CPU had idled (it may
 * switch threads: the guest's registers are all in the VCPU by then, and
 * the guest goes on when its thread runs again). Every other exit returns
 * from VMEnter. #VMEXIT restores the host's GDTR, IDTR, CR0, CR3, CR4,
 * EFER, RSP and segments; VMSAVE / VMLOAD switch TR, LDTR, FS and GS
 * bases, KernelGSBase and the SYSCALL / SYSENTER MSRs. Every VMRUN
 * flushes the guest's TLB (TLB_CONTROL 1: QEMU's TCG has no flush by
 * ASID), so unmapping from a guest space needs no guest flush.
 *
 * x87, SSE and AVX state and XCR0: vfpu.c, around each VMRUN. */
#include "arch.h"
#include "cpu.h"
#include "svm.h"

/* VMCB control area */
#define VMCB_INTERCEPT_MISC1 0x00c
#define VMCB_INTERCEPT_MISC2 0x010
#define VMCB_IOPM_BASE 0x040
#define VMCB_MSRPM_BASE 0x048
#define VMCB_ASID 0x058
#define VMCB_TLB_CONTROL 0x05c
#define VMCB_VINTR 0x060
#define VMCB_EXITCODE 0x070
#define VMCB_EXITINFO1 0x078
#define VMCB_EXITINFO2 0x080
#define VMCB_EXITINTINFO 0x088
#define VMCB_NP_ENABLE 0x090
#define VMCB_EVENTINJ 0x0a8
#define VMCB_N_CR3 0x0b0
/* VMCB state save area */
#define VMCB_SEG 0x400                  /* 10 segments of 16 bytes */
#define VMCB_CPL 0x4cb
#define VMCB_EFER 0x4d0
#define VMCB_CR4 0x548
#define VMCB_CR3 0x550
#define VMCB_CR0 0x558
#define VMCB_DR7 0x560
#define VMCB_DR6 0x568
#define VMCB_RFLAGS 0x570
#define VMCB_RIP 0x578
#define VMCB_RSP 0x5d8
#define VMCB_RAX 0x5f8
#define VMCB_CR2 0x640
#define VMCB_GPAT 0x668

#define MISC1_INTR (1u << 0)
#define MISC1_NMI (1u << 1)
#define MISC1_SMI (1u << 2)
#define MISC1_INIT (1u << 3)
#define MISC1_CPUID (1u << 18)
#define MISC1_INVD (1u << 22)
#define MISC1_HLT (1u << 24)
#define MISC1_INVLPGA (1u << 26)
#define MISC1_IOIO (1u << 27)
#define MISC1_MSR (1u << 28)
#define MISC1_TASK_SWITCH (1u << 29)
#define MISC1_SHUTDOWN (1u << 31)
#define MISC2_ALL_SVM 0x7fu             /* VMRUN (required), VMMCALL, VMLOAD, VMSAVE,
                                         * STGI, CLGI, SKINIT */
#define MISC2_XSETBV (1u << 13)         /* the VMM emulates it (MK_VCPU_STATE_XCR0) */
#define VINTR_MASKING (1ull << 24)
#define VM_EXIT_NMI 0x61u
#define SEG_ES 0
#define SEG_CS 1
#define SEG_SS 2
#define IOPM_OFFSET 8192u
#define IOPM_SIZE 12288u
#define VFPU_OFFSET 20480u              /* one page, 64-aligned */
#define SNAP_OFFSET 24576u              /* a copy of the state save area */
#define SNAP_DIRTY (SNAP_OFFSET + 4088u) /* 1: state written since VMRUN last took it */
#define KERNEL_CPUID (SNAP_OFFSET + 4080u) /* MK_VCPU_STATE_KERNEL_CPUID */
#define SAVE_AREA 0x400u
#define SAVE_SIZE 0x300u
#define MSRPM_SIZE 8192u
#define GUEST_PAT 0x0007040600070406ull /* the power-on PAT */

_Static_assert(MK_VCPU_CORE_OFFSET == 4096 && IOPM_OFFSET + IOPM_SIZE <= VFPU_OFFSET &&
               VFPU_OFFSET + 4096 <= SNAP_OFFSET && SNAP_OFFSET + SAVE_SIZE <= KERNEL_CPUID &&
               SNAP_DIRTY + 8 <= (1u << MK_VCPU_BITS), "VCPU layout");

static uint8_t msrpm[MSRPM_SIZE] __attribute__((aligned(4096)));

/* arch_vmrun: run the guest of the VMCB at physical vmcb with the general
 * registers gpr (rax and rsp live in the VMCB) until #VMEXIT. The host's
 * own VMSAVE state goes to host (physical) and comes back. Interrupts: off
 * on entry and on return, GIF set on return. */
void arch_vmrun(uint64_t vmcb, uint64_t *gpr, uint64_t host);
__asm__(".text\n"
        ".globl arch_vmrun\n"
        "arch_vmrun:\n\t"
        "pushq %rbx\n\tpushq %rbp\n\tpushq %r12\n\tpushq %r13\n\tpushq %r14\n\tpushq %r15\n\t"
        "pushq %rdx\n\t"                /* host save page */
        "pushq %rsi\n\t"                /* gpr */
        "clgi\n\t"
        "movq %rdx, %rax\n\tvmsave\n\t"
        "movq %rdi, %rax\n\tvmload\n\t"
        "movq 8(%rsi), %rcx\n\tmovq 16(%rsi), %rdx\n\tmovq 24(%rsi), %rbx\n\t"
        "movq 40(%rsi), %rbp\n\tmovq 56(%rsi), %rdi\n\t"
        "movq 64(%rsi), %r8\n\tmovq 72(%rsi), %r9\n\tmovq 80(%rsi), %r10\n\t"
        "movq 88(%rsi), %r11\n\tmovq 96(%rsi), %r12\n\tmovq 104(%rsi), %r13\n\t"
        "movq 112(%rsi), %r14\n\tmovq 120(%rsi), %r15\n\t"
        "movq 48(%rsi), %rsi\n\t"
        "sti\n\t"                       /* GIF is clear: nothing comes in here */
        "vmrun\n\t"
        "cli\n\t"
        "pushq %rsi\n\t"
        "movq 8(%rsp), %rsi\n\t"
        "movq %rcx, 8(%rsi)\n\tmovq %rdx, 16(%rsi)\n\tmovq %rbx, 24(%rsi)\n\t"
        "movq %rbp, 40(%rsi)\n\tmovq %rdi, 56(%rsi)\n\t"
        "movq %r8, 64(%rsi)\n\tmovq %r9, 72(%rsi)\n\tmovq %r10, 80(%rsi)\n\t"
        "movq %r11, 88(%rsi)\n\tmovq %r12, 96(%rsi)\n\tmovq %r13, 104(%rsi)\n\t"
        "movq %r14, 112(%rsi)\n\tmovq %r15, 120(%rsi)\n\t"
        "popq 48(%rsi)\n\t"
        "popq %rsi\n\t"
        "vmsave\n\t"                    /* rax: the VMCB again (#VMEXIT restored it) */
        "popq %rax\n\tvmload\n\t"
        "stgi\n\t"
        "popq %r15\n\tpopq %r14\n\tpopq %r13\n\tpopq %r12\n\tpopq %rbp\n\tpopq %rbx\n\t"
        "ret\n");

#define VMCB64(vmcb, off) (*(uint64_t *)((uint8_t *)(vmcb) + (off)))
#define VMCB32(vmcb, off) (*(uint32_t *)((uint8_t *)(vmcb) + (off)))
#define VMCB16(vmcb, off) (*(uint16_t *)((uint8_t *)(vmcb) + (off)))

/* The MSRs a guest reads and writes without an exit: those VMLOAD and
 * VMSAVE switch, so the guest only ever sees its own values. */
static const uint32_t msr_passthrough[] = {
        0x174, 0x175, 0x176,                    /* SYSENTER_CS, _ESP, _EIP */
        0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084, /* STAR, LSTAR, CSTAR, SFMASK */
        0xc0000100, 0xc0000101, 0xc0000102,     /* FS_BASE, GS_BASE, KERNEL_GS_BASE */
};

/* arch_vm_msrpm_init: every MSR access exits but the pass-through set
 * (two bits per MSR, read then write; three 2 KiB ranges). */
void arch_vm_msrpm_init(void)
{
        mk_memset(msrpm, 0xff, sizeof(msrpm));
        for (unsigned i = 0; i < sizeof(msr_passthrough) / sizeof(msr_passthrough[0]); i++) {
                uint32_t m = msr_passthrough[i];
                uint32_t base = m >= 0xc0000000u ? 0x800u * 8 : 0;
                uint32_t bit = base + (m & 0x1fffu) * 2;

                msrpm[bit / 8] &= (uint8_t)~(3u << (bit % 8));
        }
}

static void set_seg(uint8_t *vmcb, unsigned seg, uint16_t sel, uint16_t attr, uint32_t limit,
                    uint64_t base)
{
        VMCB16(vmcb, VMCB_SEG + seg * 16) = sel;
        VMCB16(vmcb, VMCB_SEG + seg * 16 + 2) = attr;
        VMCB32(vmcb, VMCB_SEG + seg * 16 + 4) = limit;
        VMCB64(vmcb, VMCB_SEG + seg * 16 + 8) = base;
}

/* A new VCPU: intercepts, maps, and a guest as after INIT, in real mode
 * at 0:0 (the VMM writes what it wants). */
void arch_vcpu_init(void *obj)
{
        uint8_t *vmcb = obj;

        VMCB32(vmcb, VMCB_INTERCEPT_MISC1) = MISC1_INTR | MISC1_NMI | MISC1_SMI | MISC1_INIT |
                MISC1_CPUID | MISC1_INVD | MISC1_HLT | MISC1_INVLPGA | MISC1_IOIO | MISC1_MSR |
                MISC1_TASK_SWITCH | MISC1_SHUTDOWN;
        VMCB32(vmcb, VMCB_INTERCEPT_MISC2) = MISC2_ALL_SVM | MISC2_XSETBV;
        VMCB64(vmcb, VMCB_IOPM_BASE) = arch_virt_to_phys(vmcb + IOPM_OFFSET);
        VMCB64(vmcb, VMCB_MSRPM_BASE) = arch_virt_to_phys(msrpm);
        VMCB32(vmcb, VMCB_ASID) = 1;
        vmcb[VMCB_TLB_CONTROL] = 1;
        VMCB64(vmcb, VMCB_VINTR) = VINTR_MASKING;
        VMCB64(vmcb, VMCB_NP_ENABLE) = 1;
        mk_memset(vmcb + IOPM_OFFSET, 0xff, IOPM_SIZE);
        for (unsigned s = 0; s < MK_VCPU_SEGS; s++)
                set_seg(vmcb, s, 0, s == SEG_CS ? 0x9b : 0x93, 0xffff, 0);
        set_seg(vmcb, 7, 0, 0x82, 0xffff, 0);   /* LDTR */
        set_seg(vmcb, 9, 0, 0x8b, 0xffff, 0);   /* TR */
        VMCB64(vmcb, VMCB_CR0) = 0x10;          /* ET; real mode */
        VMCB64(vmcb, VMCB_EFER) = EFER_SVME;
        VMCB64(vmcb, VMCB_DR6) = 0xffff0ff0;
        VMCB64(vmcb, VMCB_DR7) = 0x400;
        VMCB64(vmcb, VMCB_GPAT) = GUEST_PAT;
        arch_vfpu_reset(vmcb + VFPU_OFFSET);
        VMCB64(vmcb, SNAP_DIRTY) = 1;
}

static uint64_t *state_word(uint8_t *vmcb, unsigned field, unsigned *width)
{
        static const uint16_t cr[] = { VMCB_CR0, VMCB_CR2, VMCB_CR3, VMCB_CR4, VMCB_EFER };
        unsigned seg, part;

        *width = 8;
        if (field < sizeof(cr) / sizeof(cr[0]))
                return (uint64_t *)(vmcb + cr[field]);
        if (field < MK_VCPU_STATE_SEG)
                return NULL;
        seg = (field - MK_VCPU_STATE_SEG) / 4;
        part = (field - MK_VCPU_STATE_SEG) % 4;
        *width = part == 0 || part == 1 ? 2 : part == 2 ? 4 : 8;
        return (uint64_t *)(vmcb + VMCB_SEG + seg * 16 + (part == 0 ? 0 : part == 1 ? 2 :
                                                          part == 2 ? 4 : 8));
}

/* One MK_VCPU_STATE_* field. Anything goes: VMRUN checks the guest state
 * and refuses what is inconsistent (exit MK_VM_EXIT_INVALID). EFER keeps
 * SVME; the CPL follows SS's DPL. */
int arch_vcpu_state(void *obj, unsigned field, uint64_t *value, bool write)
{
        uint8_t *vmcb = obj;
        unsigned width;
        uint64_t *w = state_word(vmcb, field, &width), v = *value;

        if (field == MK_VCPU_STATE_KERNEL_CPUID) {
                if (write)
                        VMCB64(vmcb, KERNEL_CPUID) = v;
                *value = VMCB64(vmcb, KERNEL_CPUID);
                return MK_OK;
        }
        if (field == MK_VCPU_STATE_XCR0) {
                if (write)
                        return arch_vfpu_set_xcr0(vmcb + VFPU_OFFSET, v);
                *value = arch_vfpu_xcr0(vmcb + VFPU_OFFSET);
                return MK_OK;
        }
        if (!w)
                return MK_E_RANGE;
        if (!write) {
                *value = width == 8 ? *w : width == 4 ? *(uint32_t *)w : *(uint16_t *)w;
                return MK_OK;
        }
        VMCB64(vmcb, SNAP_DIRTY) = 1;
        if (field == MK_VCPU_STATE_EFER)
                v |= EFER_SVME;
        if (width == 8)
                *w = v;
        else if (width == 4)
                *(uint32_t *)w = (uint32_t)v;
        else
                *(uint16_t *)w = (uint16_t)v;
        if (field == MK_VCPU_STATE_SEG + SEG_SS * 4 + 1)
                vmcb[VMCB_CPL] = (uint8_t)(v >> 5 & 3);
        return MK_OK;
}

void arch_vcpu_ports(void *obj, uint16_t first, uint16_t last)
{
        uint8_t *iopm = (uint8_t *)obj + IOPM_OFFSET;

        for (uint32_t p = first; p <= last; p++)
                iopm[p / 8] &= (uint8_t)~(1u << (p % 8));
}

/* The exits the kernel handles itself: a host interrupt or NMI is
 * pending; let it in (it may switch threads and never come back here). */
static bool host_exit(uint64_t code)
{
        if (code != MK_VM_EXIT_INTR && code != VM_EXIT_NMI)
                return false;
        __asm__ volatile("sti\n\tnop\n\tcli" : : : "memory");
        return true;
}

/* A VMRUN refused for inconsistent state: exit code -1, which QEMU's TCG
 * writes as 0x00000000ffffffff. */
static bool refused(uint64_t code)
{
        return code == ~0ull || code == MK_VM_EXIT_INVALID;
}

static void load(uint8_t *vmcb, struct mk_vcpu *v)
{
        VMCB64(vmcb, VMCB_N_CR3) = v->space.cap.obj - arch_k.phys_offset;
        VMCB64(vmcb, VMCB_RIP) = v->rip;
        VMCB64(vmcb, VMCB_RSP) = v->gpr[4];
        VMCB64(vmcb, VMCB_RAX) = v->gpr[0];
        VMCB64(vmcb, VMCB_RFLAGS) = v->rflags;
        VMCB64(vmcb, VMCB_EVENTINJ) = v->inject;
        v->inject = 0;
}

static void save(uint8_t *vmcb, struct mk_vcpu *v)
{
        uint64_t code = VMCB64(vmcb, VMCB_EXITCODE);

        v->rip = VMCB64(vmcb, VMCB_RIP);
        v->gpr[4] = VMCB64(vmcb, VMCB_RSP);
        v->gpr[0] = VMCB64(vmcb, VMCB_RAX);
        v->rflags = VMCB64(vmcb, VMCB_RFLAGS);
        v->exit = refused(code) ? MK_VM_EXIT_INVALID : code;
        v->info1 = VMCB64(vmcb, VMCB_EXITINFO1);
        v->info2 = VMCB64(vmcb, VMCB_EXITINFO2);
        v->intinfo = VMCB64(vmcb, VMCB_EXITINTINFO);
        v->len = v->exit == MK_VM_EXIT_IOIO ? v->info2 - v->rip : 0;
        VMCB64(vmcb, VMCB_EVENTINJ) = 0;
}

/* Run the guest with its own FPU registers and XCR0 (vfpu.c). A VMRUN
 * refused for inconsistent state may leave host values in the state save
 * area (QEMU's TCG writes back whatever it had loaded, the host's CR3 and
 * descriptor tables included): state the VMM wrote, or an event it
 * injects, is copied first and put back after such a refusal, so the
 * VMCB again holds what the VMM wrote. State VMRUN accepted needs no
 * copy (the CPUID round trip makes none). */
static void vmrun_with_fpu(uint8_t *vmcb, struct mk_vcpu *v)
{
        bool snap = VMCB64(vmcb, SNAP_DIRTY) || VMCB64(vmcb, VMCB_EVENTINJ);
        uint64_t cr0, cr4;

        if (snap)
                mk_memcpy(vmcb + SNAP_OFFSET, vmcb + SAVE_AREA, SAVE_SIZE);
        arch_vfpu_enter(vmcb + VFPU_OFFSET, &cr0, &cr4);
        arch_vmrun(arch_virt_to_phys(vmcb), v->gpr, arch_svm.host_vmsave);
        arch_vfpu_leave(vmcb + VFPU_OFFSET, cr0, cr4);
        if (!refused(VMCB64(vmcb, VMCB_EXITCODE)))
                VMCB64(vmcb, SNAP_DIRTY) = 0;
        else if (snap)
                mk_memcpy(vmcb + SAVE_AREA, vmcb + SNAP_OFFSET, SAVE_SIZE);
}

/* A CPUID exit the kernel answers itself (MK_VCPU_STATE_KERNEL_CPUID):
 * the bare VMRUN loop, the floor the round trip through the VMM is
 * measured against. */
static bool kernel_cpuid(uint8_t *vmcb, struct mk_vcpu *v)
{
        if (v->exit != MK_VM_EXIT_CPUID || !VMCB64(vmcb, KERNEL_CPUID))
                return false;
        VMCB64(vmcb, KERNEL_CPUID)--;
        v->rip += 2;
        return true;
}

/* arch_guest_run: t is in VMEnter and about to run: run its guest until
 * an exit for the VMM. Returns the thread to resume (t, VMEnter done). */
struct mk_tcb *arch_guest_run(struct mk_tcb *t)
{
        struct mk_vcpu *v = t->vcpu;
        uint8_t *vmcb;

        if (!v || v->space.cap.type != MK_OBJ_GSPACE) {
                /* The guest space went while the thread was preempted. */
                t->ctx.entry = MK_ENTRY_SYSCALL;
                t->regs.nr = MK_E_ABORTED;
                mk_deadline_cancel(&arch_k, t);
                return t;
        }
        vmcb = mk_vcpu_arch(v);
        do {
                load(vmcb, v);
                vmrun_with_fpu(vmcb, v);
                save(vmcb, v);
                if (v->intinfo >> 31 & 1)
                        v->inject = v->intinfo;   /* redeliver what the exit cut off */
        } while (host_exit(v->exit) || kernel_cpuid(vmcb, v));
        mk_vcpu_exit(&arch_k, t);
        return t;
}

