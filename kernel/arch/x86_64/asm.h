/* kernel/arch/x86_64/asm.h: constants shared by the assembly files and C
 * (C checks the structure offsets against these with _Static_assert). */
#ifndef THATTE_ARCH_ASM_H
#define THATTE_ARCH_ASM_H

#define KERNEL_VBASE 0xffffffff80000000
#define PHYS(x) ((x) - KERNEL_VBASE)

#define ARCH_STACK_SIZE 16384

#define CR0_PE 0x1
#define CR0_EM 0x4
#define CR0_TS 0x8
#define CR0_WP 0x10000
#define CR0_PG 0x80000000
#define CR4_PAE 0x20
#define CR4_OSFXSR 0x200
#define CR4_OSXMMEXCPT 0x400
#define CR4_OSXSAVE 0x40000
#define CR4_SMEP 0x100000
#define CR4_SMAP 0x200000
#define MSR_EFER 0xc0000080
#define EFER_SCE 0x1
#define EFER_LME 0x100
#define EFER_NXE 0x800
#define MSR_FS_BASE 0xc0000100

/* Selectors of the kernel's GDT (gdt.c). STAR needs user data right
 * below user code, both after the kernel pair. */
#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UDATA 0x1b
#define SEL_UCODE 0x23
#define SEL_TSS 0x28

#define USER_TOP 0x800000000000
#define DIRECT_BASE 0xffff800000000000
#define OBJ_PML4 8              /* MK_OBJ_PML4 */

/* struct arch_cpu (per-CPU data at %gs): offsets. */
#define CPU_CUR 0               /* struct mk_tcb * of the thread in user mode */
#define CPU_SCRATCH 8           /* user rsp during syscall entry */
#define CPU_KSTACK 16           /* kernel stack top */

/* struct mk_tcb: regs at 0, ctx right after (kernel.h). */
#define TCB_NR 0
#define TCB_CPTR 8
#define TCB_INFO 16
#define TCB_REPLY 24
#define TCB_MR0 32
#define TCB_MR1 40
#define TCB_MR2 48
#define TCB_MR3 56
#define CTX 64
#define CTX_R15 (CTX + 0)
#define CTX_R14 (CTX + 8)
#define CTX_R13 (CTX + 16)
#define CTX_R12 (CTX + 24)
#define CTX_R11 (CTX + 32)
#define CTX_R10 (CTX + 40)
#define CTX_R9 (CTX + 48)
#define CTX_R8 (CTX + 56)
#define CTX_RBP (CTX + 64)
#define CTX_RDI (CTX + 72)
#define CTX_RSI (CTX + 80)
#define CTX_RDX (CTX + 88)
#define CTX_RCX (CTX + 96)
#define CTX_RBX (CTX + 104)
#define CTX_RAX (CTX + 112)
#define CTX_RIP (CTX + 120)
#define CTX_RSP (CTX + 128)
#define CTX_RFLAGS (CTX + 136)
#define CTX_FS (CTX + 144)
#define CTX_ENTRY (CTX + 152)
/* The cap in the TCB's VSpace slot (slots[MK_TCB_VTABLE].cap): type, obj. */
#define TCB_VS_TYPE 368
#define TCB_VS_OBJ 376

#endif
