/* kernel/kvmm/hostile/head.S: the hostile guest's 64-bit entry (the
 * bzImage's startup_64, 0x200 into the protected-mode part: Linux's boot
 * protocol, 64-bit entry, rsi = the zero page), its exception stubs and
 * the "safe" forms of the instructions it throws at the VMM: each arms a
 * fixup address, so a fault the CPU or the VMM raises (#GP, #UD) resumes
 * after the instruction with rax = -1 instead of ending the guest. */
        .section .text.entry, "ax"
        .code64
        .globl hg_base
hg_base:
        .org 0x200
        .globl hg_entry
hg_entry:
        cli
        lea hg_stack_top(%rip), %rsp
        mov %rsi, %rbx
        lea __bss_start(%rip), %rdi     /* RAM is zero on the first start, but */
        lea _end(%rip), %rcx            /* say nothing on another */
        sub %rdi, %rcx
        xor %eax, %eax
        rep stosb
        mov %rbx, %rdi
        lea hg_base(%rip), %rsi
        call hg_main
1:      cli
        hlt
        jmp 1b

/* One stub per vector: those without an error code push a zero. */
        .macro STUB v
hg_vec\v:
        .if (\v != 8) && (\v != 10) && (\v != 11) && (\v != 12) && (\v != 13) && (\v != 14) && (\v != 17) && (\v != 21)
        pushq $0
        .endif
        pushq $\v
        jmp hg_fault
        .endm
        .altmacro
        .set v, 0
        .rept 32
        STUB %v
        .set v, v + 1
        .endr

/* stack: rax, vector, error, rip, cs, rflags, rsp, ss */
hg_fault:
        push %rax
        mov 8(%rsp), %rax
        mov %rax, hg_last_vector(%rip)
        incq hg_faults(%rip)
        mov hg_fixup(%rip), %rax
        test %rax, %rax
        jz 1f
        mov %rax, 24(%rsp)
        movq $0, hg_fixup(%rip)
        pop %rax
        mov $-1, %rax
        add $16, %rsp
        iretq
1:      mov 8(%rsp), %rdi
        mov 24(%rsp), %rsi
        call hg_unexpected              /* does not return */

        .globl hg_vectors
        .section .rodata
        .balign 8
hg_vectors:
        .set v, 0
        .macro VEC v
        .quad hg_vec\v
        .endm
        .rept 32
        VEC %v
        .set v, v + 1
        .endr

/* SAFE name: a function whose body may fault: rax = 0, or -1 after a fault. */
        .macro SAFE name
        .text
        .globl \name
\name:
        lea 9f(%rip), %rax
        mov %rax, hg_fixup(%rip)
        .endm
        .macro END
        movq $0, hg_fixup(%rip)
        xor %eax, %eax
9:      ret
        .endm

/* uint64_t-returning forms store their result through rsi/rdx. */
SAFE hg_rdmsr                   /* (msr, uint64_t *out) */
        mov %edi, %ecx
        mov %rsi, %r8
        rdmsr
        shl $32, %rdx
        or %rdx, %rax
        mov %rax, (%r8)
END
SAFE hg_wrmsr                   /* (msr, value) */
        mov %edi, %ecx
        mov %rsi, %rax
        mov %rsi, %rdx
        shr $32, %rdx
        wrmsr
END
SAFE hg_xsetbv                  /* (xcr, value) */
        mov %edi, %ecx
        mov %rsi, %rax
        mov %rsi, %rdx
        shr $32, %rdx
        xsetbv
END
SAFE hg_vmmcall
        vmmcall
END
SAFE hg_vmrun                   /* rax: the VMCB's address, any */
        xor %eax, %eax
        vmrun
END
SAFE hg_stgi
        stgi
END
SAFE hg_clgi
        clgi
END
SAFE hg_invd
        invd
END
SAFE hg_outsb                   /* (port, buf, count) */
        mov %rdx, %rcx
        mov %edi, %edx
        rep outsb
END
SAFE hg_outsb1                  /* (port, buf): one, no REP */
        mov %edi, %edx
        outsb
END
SAFE hg_insw                    /* (port, buf, count) */
        mov %rdx, %rcx
        mov %edi, %edx
        mov %rsi, %rdi
        rep insw
END
SAFE hg_cr0                     /* (value) */
        mov %rdi, %cr0
END
SAFE hg_cr4
        mov %rdi, %cr4
END
SAFE hg_cr8
        mov %rdi, %cr8
END
SAFE hg_dr7
        mov %rdi, %dr7
END
SAFE hg_dr0
        mov %rdi, %dr0
END
SAFE hg_read8                   /* (address, uint8_t *out) */
        mov (%rdi), %al
        mov %al, (%rsi)
END

        .text
        .globl hg_lidt
hg_lidt:
        lidt (%rdi)
        ret
        .globl hg_load_cr3
hg_load_cr3:
        mov %rdi, %cr3
        ret
        .globl hg_triple
hg_triple:                      /* no IDT at all: the next fault is the third */
        lidt hg_no_idt(%rip)
        ud2
        .section .rodata
hg_no_idt:
        .word 0
        .quad 0

        .bss
        .balign 16
        .space 16384
hg_stack_top:
        .section .note.GNU-stack, "", @progbits
