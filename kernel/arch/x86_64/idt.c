/* kernel/arch/x86_64/idt.c: 256 interrupt gates, one stub each
 * (entry.S). #DF, NMI and #MC run on their own IST stacks. */
#include "arch.h"

struct gate {
        uint16_t off_lo, sel;
        uint8_t ist, type;
        uint16_t off_mid;
        uint32_t off_hi, zero;
};

static struct gate idt[256] __attribute__((aligned(16)));

void arch_idt_init(void)
{
        struct { uint16_t limit; uint64_t base; } __attribute__((packed)) idtr;

        for (unsigned v = 0; v < 256; v++) {
                uint64_t a = (uint64_t)arch_isr_stubs + 16 * v;

                idt[v].off_lo = (uint16_t)a;
                idt[v].sel = SEL_KCODE;
                idt[v].ist = v == 8 ? 1 : v == 2 ? 2 : v == 18 ? 3 : 0;
                idt[v].type = 0x8e;             /* present, DPL 0, interrupt gate */
                idt[v].off_mid = (uint16_t)(a >> 16);
                idt[v].off_hi = (uint32_t)(a >> 32);
                idt[v].zero = 0;
        }
        idtr.limit = sizeof(idt) - 1;
        idtr.base = (uint64_t)idt;
        __asm__ volatile("lidt %0" : : "m"(idtr));
}
