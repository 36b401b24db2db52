/* kernel/arch/x86_64/gdt.c: the kernel's own GDT and TSS. The TSS gives
 * ring 0 its stack (rsp0: the one kernel stack) and three IST stacks, so a
 * double fault, an NMI or a machine check always run on a good stack. The
 * selector order (kernel code, kernel data, user data, user code) is the
 * one SYSCALL/SYSRET's STAR layout requires. */
#include "arch.h"
#include "cpu.h"

#define IST_SIZE 4096
#define MSR_GS_BASE 0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102

struct tss {
        uint32_t reserved0;
        uint64_t rsp[3];
        uint64_t reserved1;
        uint64_t ist[7];
        uint64_t reserved2;
        uint16_t reserved3;
        uint16_t iomap_base;
} __attribute__((packed));

static struct tss tss;
static uint8_t ist_stacks[3][IST_SIZE] __attribute__((aligned(16)));
static uint64_t gdt[7];
struct arch_cpu arch_cpu0;

static uint64_t tss_low(uint64_t base, uint32_t limit)
{
        return (limit & 0xffffull) | ((base & 0xffffffull) << 16) | (0x89ull << 40) |
               ((uint64_t)(limit >> 16 & 0xf) << 48) | ((base >> 24 & 0xff) << 56);
}

void arch_gdt_init(void)
{
        struct { uint16_t limit; uint64_t base; } __attribute__((packed)) gdtr;
        uint64_t base = (uint64_t)&tss;

        gdt[0] = 0;
        gdt[1] = 0x00af9a000000ffffull;         /* 0x08 kernel code, 64-bit */
        gdt[2] = 0x00cf92000000ffffull;         /* 0x10 kernel data */
        gdt[3] = 0x00cff2000000ffffull;         /* 0x18 user data (dpl 3) */
        gdt[4] = 0x00affa000000ffffull;         /* 0x20 user code, 64-bit (dpl 3) */
        gdt[5] = tss_low(base, sizeof(tss) - 1);/* 0x28 TSS, two slots */
        gdt[6] = base >> 32;
        for (unsigned i = 0; i < 3; i++)        /* IST1 #DF, IST2 NMI, IST3 #MC */
                tss.ist[i] = (uint64_t)ist_stacks[i] + IST_SIZE;
        tss.rsp[0] = (uint64_t)arch_stack_top;
        tss.iomap_base = sizeof(tss);           /* no bitmap: ring 3 never gets ports */
        gdtr.limit = sizeof(gdt) - 1;
        gdtr.base = (uint64_t)gdt;
        __asm__ volatile("lgdt %0\n\t"
                         "pushq $0x08\n\t"
                         "leaq 1f(%%rip), %%rax\n\t"
                         "pushq %%rax\n\t"
                         "lretq\n"
                         "1:\tmovl $0x10, %%eax\n\t"
                         "movl %%eax, %%ds\n\t"
                         "movl %%eax, %%es\n\t"
                         "movl %%eax, %%ss\n\t"
                         "xorl %%eax, %%eax\n\t"
                         "movl %%eax, %%fs\n\t"
                         "movl %%eax, %%gs\n\t"
                         "movw $0x28, %%ax\n\t"
                         "ltr %%ax"
                         : : "m"(gdtr) : "rax", "memory");
        arch_cpu0.kstack = (uint64_t)arch_stack_top;
        wrmsr(MSR_GS_BASE, (uint64_t)&arch_cpu0);
        wrmsr(MSR_KERNEL_GS_BASE, 0);
}
