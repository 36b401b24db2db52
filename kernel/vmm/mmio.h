/* kernel/vmm/mmio.h: a guest's access to emulated memory-mapped registers
 * (the I/O APIC's page, the local APIC's xAPIC page, PCI BARs). The
 * nested page fault gives the guest-physical address but not the
 * instruction (thatte-mk passes no decode assist), so the VMM fetches the
 * bytes at rip through the guest's own page tables (vmm_guest_fetch) and
 * decodes the one MOV form a driver uses for a register (vmm_mmio_decode).
 * Anything else is refused: the VMM stops the guest rather than guess. */
#ifndef THATTE_KVMM_MMIO_H
#define THATTE_KVMM_MMIO_H

#include "vmm.h"

#define MMIO_INSN_MAX 15

/* One decoded access. The register operand is gpr index reg (rax rcx rdx
 * rbx rsp rbp rsi rdi r8..r15) or, for the legacy byte registers ah ch dh
 * bh, reg 0..3 with high8 set; reg -1: an immediate (imm, already sign-
 * extended to the operand size). */
struct vmm_mmio_insn {
        unsigned len;           /* bytes of the instruction */
        unsigned size;          /* bytes accessed: 1, 2, 4 or 8 */
        bool write;
        int reg;
        bool high8;
        unsigned dst_size;      /* a read's destination: size, or larger for MOVZX */
        uint64_t imm;
};

/* Decodes MOV r/m,r (88/89), MOV r,r/m (8A/8B), MOV r/m,imm (C6/C7 /0)
 * and MOVZX r,r/m (0F B6/B7) with a memory operand, after optional 0x66,
 * segment prefixes and one REX. n: bytes available at b. -VMM_ENOTSUP
 * for any other instruction (LOCK, REP, string forms, a register operand
 * in r/m), -VMM_EINVAL when the bytes end before the instruction does. */
int vmm_mmio_decode(const uint8_t *b, unsigned n, struct vmm_mmio_insn *m);

/* The value a write stores, from the guest's registers. */
uint64_t vmm_mmio_store_value(const struct vmm_mmio_insn *m, const uint64_t gpr[16]);
/* A read's result into the guest's registers: 8- and 16-bit destinations
 * merge, 32-bit ones zero-extend to 64, as the CPU does. */
void vmm_mmio_load_value(const struct vmm_mmio_insn *m, uint64_t gpr[16], uint64_t value);

/* The guest's 4-level long-mode page tables, rooted at cr3, in guest RAM
 * ram[0, ram_size): copies up to n bytes at guest-virtual va into out,
 * across pages, stopping at the first byte not present or outside RAM
 * (an instruction may end just before an unmapped page), and returns how
 * many. With paging off (cr0 bit 31 clear) va is physical. -VMM_EFAULT
 * if not even the first byte is there; -VMM_ENOTSUP for 5-level paging
 * (CR4.LA57). */
int vmm_guest_fetch(const uint8_t *ram, uint64_t ram_size, uint64_t cr0, uint64_t cr3,
                    uint64_t cr4, uint64_t va, uint8_t *out, unsigned n);

#endif
