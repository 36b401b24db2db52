/* efi/boot-a64-enter.S: boot_a64_enter(entry = x0, dtb = x1), the last
 * code of thatte-boot-aa64.efi. The caller cleaned the Image and the
 * device tree to the point of coherency. Here: interrupts masked, MMU and
 * data cache off at the current exception level (UEFI runs at EL2 or EL1,
 * identity mapped, so the next instruction is at the same address with
 * the MMU off), instruction cache invalidated (the Image's code was
 * written through the data side), and the kernel entered as the arm64
 * boot protocol says: x0 = device tree, x1 = x2 = x3 = 0. */
        .text
        .globl  boot_a64_enter
        .p2align 2
boot_a64_enter:
        msr     daifset, #0xf
        mov     x19, x0
        mov     x20, x1
        mrs     x2, CurrentEL
        lsr     x2, x2, #2
        cmp     x2, #2
        b.eq    1f
        mrs     x2, sctlr_el1
        bic     x2, x2, #1              /* M */
        bic     x2, x2, #4              /* C */
        msr     sctlr_el1, x2
        b       2f
1:      mrs     x2, sctlr_el2
        bic     x2, x2, #1
        bic     x2, x2, #4
        msr     sctlr_el2, x2
2:      isb
        ic      iallu
        dsb     sy
        isb
        mov     x0, x20
        mov     x1, xzr
        mov     x2, xzr
        mov     x3, xzr
        br      x19
