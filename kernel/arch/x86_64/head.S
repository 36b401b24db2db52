/* kernel/arch/x86_64/head.S: the three ways into thatte-mk.
 *
 * arch_entry_pvh: QEMU -kernel (Xen PVH boot protocol) starts here in
 * 32-bit protected mode, paging off, ebx = physical address of the
 * hvm_start_info. We build temporary page tables (identity 4 GiB and the
 * higher half, as the UEFI loader's handoff has them), enter long mode
 * and continue in C with arch_pvh_start(start_info).
 *
 * arch_entry_mb2: GRUB's multiboot2 command starts here in the same
 * state, eax = 0x36d76289, ebx = physical address of the Multiboot2
 * information; the same way into long mode, then
 * arch_mb2_start(info, magic) (multiboot2.c).
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

/* The Multiboot2 header: first in .text.boot, so 8-byte aligned inside the
 * file's first 32 KiB as the specification asks. Tags: the 32-bit entry
 * (the ELF entry is the UEFI one, in the higher half), modules page
 * aligned (the boot information contract wants them so), console flags
 * saying the kernel has no use for EGA text (else GRUB on a BIOS keeps
 * text mode), and a 1024x768, 32 bpp framebuffer if the loader can (GRUB
 * sets it through VBE on a BIOS), else no picture. */
#define MB2_MAGIC 0xe85250d6
#define MB2_LEN (mb2_header_end - mb2_header)

        .section .text.boot, "ax"
        .balign 8
mb2_header:
        .long MB2_MAGIC, 0, MB2_LEN     /* magic, i386, length */
        .long 0x100000000 - (MB2_MAGIC + MB2_LEN)
        .word 3, 0                      /* entry address */
        .long 12, PHYS(arch_entry_mb2)
        .balign 8
        .word 4, 0                      /* console flags: no EGA text, so */
        .long 12, 0                     /* GRUB on a BIOS sets a VBE mode */
        .balign 8
        .word 5, 1                      /* framebuffer, optional */
        .long 20, 1024, 768, 32
        .balign 8
        .word 6, 0                      /* module alignment */
        .long 8
        .word 0, 0                      /* end */
        .long 8
mb2_header_end:

        .code32
        .globl arch_entry_mb2
arch_entry_mb2:
        movl %eax, %esi                 /* the loader's magic: rdtsc takes eax */
        rdtsc
        movl $1, %edi                   /* came in by multiboot2 */
        jmp boot32

        .globl arch_entry_pvh
arch_entry_pvh:
        rdtsc
        xorl %edi, %edi

        /* Both 32-bit entries: long mode on the boot page tables. */
boot32:
        cli
        cld
        movl %eax, PHYS(arch_tsc_entry)
        movl %edx, PHYS(arch_tsc_entry) + 4
        movl %ebx, PHYS(boot_info32)
        movl %esi, PHYS(boot_mb2_magic)
        movl %edi, PHYS(boot_is_mb2)

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
        ljmp $0x08, $PHYS(boot_long)

        .code64
boot_long:
        movl $0x10, %eax
        movl %eax, %ds
        movl %eax, %es
        movl %eax, %ss
        xorl %eax, %eax
        movl %eax, %fs
        movl %eax, %gs
        movabs $arch_stack_top, %rsp
        xorl %ebp, %ebp
        movl PHYS(boot_info32), %edi
        movl PHYS(boot_mb2_magic), %esi
        movabs $arch_pvh_start, %rax
        cmpl $0, PHYS(boot_is_mb2)
        je 1f
        movabs $arch_mb2_start, %rax
1:      call *%rax
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
boot_info32: .long 0                    /* ebx of a 32-bit entry */
boot_mb2_magic: .long 0
boot_is_mb2: .long 0
