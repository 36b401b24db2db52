/* kernel/arch/x86_64/head.S: the two ways into thatte-mk.
 *
 * arch_entry_pvh: QEMU -kernel (Xen PVH boot protocol) starts here in
 * 32-bit protected mode, paging off, ebx = physical address of the
 * hvm_start_info. We build temporary page tables (identity 4 GiB and the
 * higher half, as the UEFI loader's handoff has them), enter long mode
 * and continue in C with arch_pvh_start(start_info).
 *
 * arch_entry_uefi: thatte-boot.efi jumps here in long mode with
 * rdi = physical address of struct thatte_bootinfo (see bootinfo.h).
 *
 * Both read the TSC as their very first instruction (rootinfo's
 * tsc_kernel_entry) and switch to the kernel's own stack. */
#include "asm.h"

        .section .note.pvh, "a", @note
        .balign 4
        .long 4                         /* namesz: "Xen\0" */
        .long 8                         /* descsz: QEMU reads a 64-bit word */
        .long 18                        /* XEN_ELFNOTE_PHYS32_ENTRY */
        .asciz "Xen"
        .balign 4
        .quad PHYS(arch_entry_pvh)

        .section .text.boot, "ax"
        .code32
        .globl arch_entry_pvh
arch_entry_pvh:
        rdtsc
        cli
        cld
        movl %eax, PHYS(arch_tsc_entry)
        movl %edx, PHYS(arch_tsc_entry) + 4
        movl %ebx, PHYS(arch_pvh_info)

        /* PD entries: 2048 x 2 MiB pages = identity [0, 4 GiB). */
        movl $PHYS(arch_boot_pd), %edi
        movl $0x83, %eax                /* present, writable, 2 MiB */
        xorl %edx, %edx
        movl $2048, %ecx
1:      movl %eax, (%edi)
        movl %edx, 4(%edi)
        addl $0x200000, %eax
        adcl $0, %edx
        addl $8, %edi
        loop 1b

        /* PDPT low: four PDs; PDPT high: entry 510 = the first PD. */
        movl $PHYS(arch_boot_pdpt), %edi
        movl $PHYS(arch_boot_pd) + 3, %eax
        movl %eax, (%edi)
        addl $4096, %eax
        movl %eax, 8(%edi)
        addl $4096, %eax
        movl %eax, 16(%edi)
        addl $4096, %eax
        movl %eax, 24(%edi)
        movl $PHYS(arch_boot_pd) + 3, %eax
        movl %eax, PHYS(arch_boot_pdpt_hi) + 510 * 8

        movl $PHYS(arch_boot_pdpt) + 3, %eax
        movl %eax, PHYS(arch_boot_pml4)
        movl $PHYS(arch_boot_pdpt_hi) + 3, %eax
        movl %eax, PHYS(arch_boot_pml4) + 511 * 8

        movl %cr4, %eax
        orl $CR4_PAE, %eax
        movl %eax, %cr4
        movl $PHYS(arch_boot_pml4), %eax
        movl %eax, %cr3
        movl $MSR_EFER, %ecx
        rdmsr
        orl $EFER_LME, %eax
        wrmsr
        movl %cr0, %eax
        orl $(CR0_PG | CR0_PE), %eax
        movl %eax, %cr0
        lgdt PHYS(boot_gdtr)
        ljmp $0x08, $PHYS(pvh_long)

        .code64
pvh_long:
        movl $0x10, %eax
        movl %eax, %ds
        movl %eax, %es
        movl %eax, %ss
        xorl %eax, %eax
        movl %eax, %fs
        movl %eax, %gs
        movabs $arch_stack_top, %rsp
        xorl %ebp, %ebp
        movl PHYS(arch_pvh_info), %edi
        movabs $arch_pvh_start, %rax
        call *%rax
        jmp arch_halt

        .globl arch_entry_uefi
arch_entry_uefi:
        rdtsc
        cli
        cld
        shlq $32, %rdx
        orq %rdx, %rax
        movabs %rax, arch_tsc_entry
        movabs $arch_stack_top, %rsp
        xorl %ebp, %ebp
        movabs $arch_main, %rax
        call *%rax
        jmp arch_halt

        .globl arch_halt
arch_halt:
        cli
1:      hlt
        jmp 1b

        .section .rodata
        .balign 16
boot_gdt:
        .quad 0
        .quad 0x00af9a000000ffff        /* 0x08: 64-bit code */
        .quad 0x00cf92000000ffff        /* 0x10: data */
boot_gdtr:
        .word boot_gdtr - boot_gdt - 1
        .long PHYS(boot_gdt)

        .section .bss
        .balign 4096
        .globl arch_boot_pml4
arch_boot_pml4: .skip 4096
arch_boot_pdpt: .skip 4096
arch_boot_pdpt_hi: .skip 4096
arch_boot_pd: .skip 4 * 4096
        .globl arch_stack_bottom, arch_stack_top
arch_stack_bottom:
        .skip ARCH_STACK_SIZE
arch_stack_top:
        .balign 8
        .globl arch_tsc_entry
arch_tsc_entry: .quad 0
arch_pvh_info: .long 0
