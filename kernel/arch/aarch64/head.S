/* kernel/arch/aarch64/head.S: the arm64 Linux Image header and the entry.
 *
 * A loader (QEMU's -kernel, U-Boot, GRUB) that understands the header puts
 * the image at RAM base + text_offset and jumps to its first instruction at
 * EL2 or EL1, MMU off, x0 = the device tree. From EL2 we drop to EL1 (HCR_EL2.RW,
 * the EL1 timer allowed). Then, still at the physical address and so only
 * with PC-relative addressing (adrp), one level-1 table is built that maps
 * the devices' GiB as a 1 GiB block and the image as 2 MiB ones (mmu.c
 * adds the device tree's and the rest of RAM from C); it serves as TTBR0 (the identity,
 * needed for the instruction that turns the MMU on: 39-bit addresses,
 * walks from level 1) and, below the first entry of a level-0 table, as
 * TTBR1 (the kernel half, 48-bit addresses, where the image is linked).
 * The jump to the linked address leaves the identity behind; C starts in
 * arch_main.
 *
 * Caches (the boot protocol: MMU and data cache off, the image cleaned to
 * the point of coherency): BSS, which holds the table and the stack, is
 * written with the MMU off, so straight to memory; lines of it a loader
 * left in the data cache are invalidated before (a dirty one evicted later
 * would overwrite it) and after (a line fetched meanwhile would hide it).
 * Once the MMU is on, the instruction cache is invalidated: it may hold
 * what the loader fetched before the image was there. */
#include "asm.h"

/* inval_bss: dc ivac over [__bss_start, __bss_end) (page aligned: no
 * neighbour shares a line), by CTR_EL0's smallest data line. */
        .macro  inval_bss
        adrp    x1, __bss_start
        add     x1, x1, :lo12:__bss_start
        adrp    x2, __bss_end
        add     x2, x2, :lo12:__bss_end
        mrs     x3, ctr_el0
        ubfx    x3, x3, #16, #4
        mov     x4, #4
        lsl     x4, x4, x3
7:      dc      ivac, x1
        add     x1, x1, x4
        cmp     x1, x2
        b.lo    7b
        dsb     sy
        .endm

        .section .text.head, "ax"
        .globl _head
_head:
        b       a64_entry               /* code0 */
        .long   0                       /* code1 */
        .quad   TEXT_OFFSET             /* text_offset */
        .quad   __image_size            /* image_size, from the linker script */
        .quad   0x2                     /* flags: little-endian, 4 KiB pages */
        .quad   0, 0, 0                 /* res2..res4 */
        .ascii  "ARM\x64"               /* magic */
        .long   0                       /* res5: no PE header */

a64_entry:
        mov     x19, x0                 /* the device tree */
        mrs     x20, CurrentEL
        lsr     x20, x20, #2
        cmp     x20, #2
        b.ne    el1
        mov     x1, #HCR_EL2_RW
        msr     hcr_el2, x1
        mov     x1, #CNTHCTL_EL1PCTEN_EL1PCEN
        msr     cnthctl_el2, x1
        msr     cntvoff_el2, xzr
        /* A GICv3 CPU interface (ID_AA64PFR0_EL1.GIC): let EL1 use its
         * system registers (ICC_SRE_EL2: SRE, DFB, DIB, Enable). */
        mrs     x1, id_aa64pfr0_el1
        ubfx    x1, x1, #24, #4
        cbz     x1, 5f
        mov     x1, #0xf
        msr     S3_4_C12_C9_5, x1
        isb
5:
        ldr     x1, =SCTLR_RES1
        msr     sctlr_el1, x1
        mov     x1, #SPSR_EL1H_MASKED
        msr     spsr_el2, x1
        adr     x1, el1
        msr     elr_el2, x1
        eret

el1:
        msr     daifset, #0xf
        ldr     x1, =SCTLR_RES1
        msr     sctlr_el1, x1
        isb
        adrp    x1, arch_stack_top
        add     x1, x1, :lo12:arch_stack_top
        mov     sp, x1
        inval_bss
        adrp    x1, __bss_start
        add     x1, x1, :lo12:__bss_start
        adrp    x2, __bss_end
        add     x2, x2, :lo12:__bss_end
1:      cmp     x1, x2
        b.hs    2f
        str     xzr, [x1], #8
        b       1b
2:      /* boot_l1[0] = devices (0..1 GiB); the image's GiB: a level-2
         * table of 2 MiB blocks from the image's to __kernel_end's (RAM
         * only, as mmu.c maps the rest: the GiB may hold more than RAM). */
        adrp    x1, a64_boot_l1
        ldr     x2, =BLOCK_DEVICE
        str     x2, [x1]
        ldr     x2, =BLOCK_NORMAL
        adrp    x5, a64_boot_l2
        adrp    x3, _head
        lsr     x3, x3, #21
        adrp    x6, __kernel_end
        sub     x6, x6, #1
        lsr     x6, x6, #21
3:      lsl     x4, x3, #21
        orr     x4, x4, x2
        and     x7, x3, #511
        str     x4, [x5, x7, lsl #3]
        add     x3, x3, #1
        cmp     x3, x6
        b.ls    3b
        adrp    x3, _head
        lsr     x3, x3, #30
        orr     x4, x5, #3
        str     x4, [x1, x3, lsl #3]
        /* boot_l0[0] = the level-1 table (a table descriptor). */
        orr     x4, x1, #3
        adrp    x5, a64_boot_l0
        str     x4, [x5]
        dsb     sy
        inval_bss
        adrp    x1, a64_boot_l1
        adrp    x5, a64_boot_l0
        ldr     x2, =MAIR_VALUE
        msr     mair_el1, x2
        /* IPS: the CPU's physical address size, at most 48 bits. */
        ldr     x2, =TCR_VALUE
        mrs     x3, id_aa64mmfr0_el1
        and     x3, x3, #0xf
        mov     x4, #PARANGE_48
        cmp     x3, x4
        csel    x3, x3, x4, lo
        orr     x2, x2, x3, lsl #TCR_IPS_SHIFT
        msr     tcr_el1, x2
        msr     ttbr0_el1, x1
        msr     ttbr1_el1, x5
        isb
        tlbi    vmalle1
        dsb     nsh
        isb
        ldr     x2, =(SCTLR_RES1 | SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_UCT | SCTLR_UCI)
        msr     sctlr_el1, x2
        isb
        ic      iallu
        dsb     nsh
        isb
        ldr     x2, =high
        br      x2

high:
        ldr     x1, =arch_stack_top
        mov     sp, x1
        ldr     x1, =arch_vectors
        msr     vbar_el1, x1
        isb
        mov     x0, x19
        mov     x1, x20
        bl      arch_main
4:      wfi
        b       4b

        .section .bss
        .balign 4096
        .globl a64_boot_l0, a64_boot_l1
a64_boot_l0:
        .skip   4096
a64_boot_l1:
        .skip   4096
a64_boot_l2:
        .skip   4096
        .globl arch_stack_bottom, arch_stack_top
arch_stack_bottom:
        .skip   16384
arch_stack_top:
