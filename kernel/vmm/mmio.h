/* kernel/vmm/mmio.h: what an MMIO access the nested page fault stopped
 * was. The exit gives the guest-physical address only, so the VMM reads
 * the instruction at rip through the guest's own page tables (4-level
 * long mode, in guest RAM) and decodes the few forms a driver or a
 * user-space mapping uses for device registers: MOV between a register
 * or an immediate and memory (88, 89, 8A, 8B, C6, C7) and MOVZX loads
 * (0F B6, 0F B7), with the 66 and REX prefixes. Anything else is refused:
 * the guest is stopped or gets nothing, never a guess. */
#ifndef THATTE_KVMM_MMIO_H
#define THATTE_KVMM_MMIO_H

#include "vmm.h"

#define VMM_INSN_MAX 15u

struct vmm_mmio {
        unsigned len;           /* instruction bytes */
        unsigned size;          /* 1, 2, 4 or 8 bytes accessed */
        bool write;
        bool zero_extend;       /* a load that clears the register's upper bits */
        int reg;                /* general register 0..15 (rax rcx ...), -1: an immediate */
        uint64_t imm;           /* a store's immediate, sign-extended to size */
};

/* The instruction in b[0..n): 0, or -VMM_ENOTSUP for a form not listed
 * above (including AH..BH as operands and a register operand where
 * memory is expected), -VMM_EINVAL when n ends inside it. */
int vmm_mmio_decode(const uint8_t *b, unsigned n, struct vmm_mmio *m);

/* The register value a load of v leaves in a register holding old. */
uint64_t vmm_mmio_load(const struct vmm_mmio *m, uint64_t old, uint64_t v);
/* The value a store writes, from the source register's value. */
uint64_t vmm_mmio_store(const struct vmm_mmio *m, uint64_t reg_value);

/* Up to n bytes at guest-linear va into out through the page tables at
 * cr3, all inside guest RAM (ram, ram_size bytes from guest-physical 0):
 * how many were read (it stops at the first byte behind an entry not
 * present or a table or page outside RAM: an instruction may end before
 * an unmapped page), or -VMM_ENOENT when not even the first was. */
int vmm_guest_read(const uint8_t *ram, uint64_t ram_size, uint64_t cr3, uint64_t va,
                   uint8_t *out, unsigned n);

#endif
