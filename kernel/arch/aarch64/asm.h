/* kernel/arch/aarch64/asm.h: constants shared by the assembly and C of the
 * aarch64 layer: the address-space layout and the system register values
 * the boot path writes. */
#ifndef THATTE_A64_ASM_H
#define THATTE_A64_ASM_H

/* The kernel half (TTBR1) has 48-bit virtual addresses (T1SZ 16, 4 KiB
 * pages: translation starts at level 0, one level-0 entry covers 512 GiB,
 * one level-1 entry maps 1 GiB) and maps physical address P at
 * KERNEL_VBASE + P. Until the root task's space is installed (mmu.c),
 * TTBR0 is head.S's identity map with 39-bit addresses (T0SZ 25: from
 * level 1, the same level-1 table). */
#define KERNEL_VBASE 0xffff000000000000
#define KERNEL_PHYS 0x40080000          /* QEMU virt: RAM at 1 GiB + text_offset */
#define TEXT_OFFSET 0x80000

/* MAIR_EL1: attribute 0 Device-nGnRnE, 1 Normal write-back, 2 Normal
 * non-cacheable (for frame buffers). */
#define MAIR_VALUE 0x44ff00
#define ATTR_DEVICE 0
#define ATTR_NORMAL 1

/* TCR_EL1: T0SZ 25, T1SZ 16, inner/outer write-back, inner shareable,
 * TG0 4 KiB, TG1 4 KiB, 8-bit ASIDs taken from TTBR0; IPS (bits 34..32)
 * from ID_AA64MMFR0_EL1.PARange, at most 48 bits (head.S). */
#define TCR_VALUE 0x0b5103519
#define TCR_IPS_SHIFT 32
#define PARANGE_48 5

/* SCTLR_EL1: the RES1 bits, MMU, caches off, little-endian. */
#define SCTLR_RES1 0x30d00800
#define SCTLR_M (1 << 0)
#define SCTLR_C (1 << 2)
#define SCTLR_I (1 << 12)
/* EL0 may read CTR_EL0 and clean/invalidate by VA to the point of
 * unification (dc cvau, ic ivau) what it can read: a task that writes
 * code into a frame already mapped executable makes it coherent itself
 * (the kernel does when it maps one: cache.c). */
#define SCTLR_UCT (1 << 15)
#define SCTLR_UCI (1 << 26)

/* Block descriptors (1 GiB at level 1, 2 MiB at level 2): access flag
 * set, kernel only (AP 00), never executable from EL0 (UXN); devices also
 * not from EL1 (PXN). */
#define BLOCK_DEVICE 0x0060000000000401
#define BLOCK_NORMAL 0x0040000000000705

/* SPSR values: EL1h with DAIF masked (the EL2 -> EL1 drop), EL0t with
 * interrupts on (entering user space). */
#define SPSR_EL1H_MASKED 0x3c5
#define SPSR_EL0T 0x0

/* HCR_EL2.RW: EL1 is AArch64. CNTHCTL_EL2: EL1 may use the physical
 * counter and timer. */
#define HCR_EL2_RW (1 << 31)
#define CNTKCTL_EL0VCTEN (1 << 1)
#define CNTHCTL_EL1PCTEN_EL1PCEN 3

/* Trap kinds: which vector entry vectors.S came from. */
#define TRAP_EL1_SYNC 0
#define TRAP_EL1_IRQ 1
#define TRAP_EL0_SYNC 2
#define TRAP_EL0_IRQ 3
#define TRAP_OTHER 4

/* The register frame vectors.S saves: x0..x30, elr, spsr, sp_el0. */
#define FRAME_SIZE (34 * 8)
/* struct mk_regs (x0..x7 of a syscall) relative to the TCB's context
 * (context.c checks). */
#define TCB_REGS (-64)
/* The context's entry field and the two values entry.S uses (kernel.h's
 * MK_ENTRY_TRAP and MK_ENTRY_SYSCALL). */
#define CTX_ENTRY 280
#define ENTRY_TRAP 0
#define ENTRY_SYSCALL 1

#endif
