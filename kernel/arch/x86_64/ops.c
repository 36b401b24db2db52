/* kernel/arch/x86_64/ops.c: the hooks the core calls (struct
 * mk_arch_ops in kernel.h). */
#include "arch.h"
#include "cpu.h"
#include "svm.h"

/* The core asks for user addresses [vaddr, vaddr + 2^bits) of the space
 * root: a 4 KiB page is one invlpg; anything larger (a 2 MiB page, a
 * table's range, a whole VSpace) reloads CR3, which, without PCIDs and
 * global user pages, drops every user translation and the
 * paging-structure caches. Only the loaded address space caches anything
 * (each CR3 change drops the rest), so the root is not needed yet: with
 * PCIDs it would pick the PCID. */
static void tlb_flush(const uint64_t *root, uint64_t vaddr, unsigned bits)
{
        (void)root;
        if (bits <= 12)
                invlpg(vaddr);
        else
                write_cr3(arch_cur_cr3);
}

static uint32_t port_in(uint16_t port, unsigned width)
{
        return width == 1 ? inb(port) : width == 2 ? inw(port) : inl(port);
}

static void port_out(uint16_t port, unsigned width, uint32_t v)
{
        if (width == 1)
                outb(port, (uint8_t)v);
        else if (width == 2)
                outw(port, (uint16_t)v);
        else
                outl(port, v);
}

/* MK_SYS_DEBUG_PUT: the core (console.c) has added what prefixes the
 * line; the bytes go to COM1 as they come, as many at a time as
 * debug_room said it takes without waiting. */
static void debug_write(const char *s, size_t n)
{
        arch_serial_write(s, n);
}

/* A preempted syscall runs again: back over the 2-byte SYSCALL
 * instruction (only a thread that entered by SYSCALL is preempted in
 * one; the boot's invocations have no instruction to go back to). */
static void restart(struct mk_tcb *t)
{
        if (t->ctx.entry == MK_ENTRY_SYSCALL)
                t->ctx.rip -= 2;
}

const struct mk_arch_ops arch_ops = {
        .tlb_flush = tlb_flush,
        .vspace_init = arch_pml4_init,
        .port_in = port_in,
        .port_out = port_out,
        .irq_set_masked = arch_irq_set_masked,
        .debug_write = debug_write,
        .debug_room = arch_serial_step_room,
        .clock = rdtsc,
        .irq_pending = arch_lapic_irq_pending,
        .restart = restart,
        .vcpu_init = arch_vcpu_init,
        .vcpu_state = arch_vcpu_state,
        .vcpu_ports = arch_vcpu_ports,
        .timer_set = arch_timer_set,
};
