/* kernel/kvmm/hostile/hostile.h: the hostile guest's parts: head.S (entry,
 * exception stubs, the faulting instructions in safe forms), main.c (the
 * command line, COM1 output, IDT, page tables, the phase list), phases.c
 * (what each phase throws at the VMM). Freestanding, no libc. */
#ifndef THATTE_HOSTILE_H
#define THATTE_HOSTILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* head.S: rax 0, or -1 when the instruction faulted (the fault counted). */
long hg_rdmsr(uint32_t msr, uint64_t *out);
long hg_wrmsr(uint32_t msr, uint64_t value);
long hg_xsetbv(uint32_t xcr, uint64_t value);
long hg_vmmcall(void);
long hg_vmrun(void);
long hg_stgi(void);
long hg_clgi(void);
long hg_invd(void);
long hg_outsb(uint16_t port, const void *buf, uint64_t count);
long hg_outsb1(uint16_t port, const void *buf);
long hg_insw(uint16_t port, void *buf, uint64_t count);
long hg_cr0(uint64_t v);
long hg_cr4(uint64_t v);
long hg_cr8(uint64_t v);
long hg_dr7(uint64_t v);
long hg_dr0(uint64_t v);
long hg_read8(uint64_t addr, uint8_t *out);
void hg_lidt(const void *idtr);
void hg_load_cr3(uint64_t pml4);
__attribute__((noreturn)) void hg_triple(void);
extern const uint64_t hg_vectors[32];

/* Written by head.S's fault handler. */
extern volatile uint64_t hg_fixup, hg_faults, hg_last_vector;

/* main.c; the compiler may call the first three */
int memcmp(const void *a, const void *b, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
void hg_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void hg_uart_reset(void);
uint64_t hg_random(void);
void hg_map_2m(uint64_t addr);         /* identity, 2 MiB, from now on */
extern uint64_t hg_ram_top;            /* from the e820 map */
extern uint64_t hg_fb_base, hg_fb_size; /* from screen_info; 0: none */

static inline void hg_out(uint16_t port, unsigned size, uint32_t v)
{
        if (size == 1)
                __asm__ volatile("outb %b0, %w1" : : "a"(v), "Nd"(port));
        else if (size == 2)
                __asm__ volatile("outw %w0, %w1" : : "a"(v), "Nd"(port));
        else
                __asm__ volatile("outl %0, %w1" : : "a"(v), "Nd"(port));
}

static inline uint32_t hg_in(uint16_t port, unsigned size)
{
        uint32_t v = 0;

        if (size == 1)
                __asm__ volatile("inb %w1, %b0" : "+a"(v) : "Nd"(port));
        else if (size == 2)
                __asm__ volatile("inw %w1, %w0" : "+a"(v) : "Nd"(port));
        else
                __asm__ volatile("inl %w1, %0" : "=a"(v) : "Nd"(port));
        return v;
}

/* phases.c: one phase by name. 1: it ran and returned; 0: no such
 * phase. Fatal phases (triple, hltcli, touch-*, crbad under TCG) end the
 * guest; spin never returns. */
int hg_phase(const char *name, size_t len);

#endif
