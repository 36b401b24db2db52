/* kernel/vmm/mmio.c: MMIO instruction decoding and the guest page walk
 * that fetches the instruction (see mmio.h). */
#include "mmio.h"

#define PTE_P 1ull
#define PTE_PS 0x80ull
#define PTE_ADDR 0x000ffffffffff000ull
#define NOT_MEMORY (~0u)

/* Bytes of the ModRM at b[at] with its SIB and displacement: 0 when n
 * ends inside them, NOT_MEMORY for a register operand. */
static unsigned
modrm_len(const uint8_t *b, unsigned n, unsigned at, int *reg_field, int rex)
{
        unsigned mod, rm, len = 1;

        if (at >= n)
                return 0;
        mod = b[at] >> 6;
        rm = b[at] & 7;
        *reg_field = (b[at] >> 3 & 7) | (rex & 4 ? 8 : 0);
        if (mod == 3)
                return NOT_MEMORY;
        if (rm == 4) {                  /* SIB */
                if (at + 1 >= n)
                        return 0;
                len++;
                if (mod == 0 && (b[at + 1] & 7) == 5)
                        len += 4;       /* no base: disp32 */
        } else if (mod == 0 && rm == 5)
                len += 4;               /* rip-relative */
        len += mod == 1 ? 1 : mod == 2 ? 4 : 0;
        return len;
}

/* The opcode at b[*i] (after prefixes): size and direction into m, the
 * opcode as 88..C7 (MOVZX as 8B). 0 or -VMM_ENOTSUP / -VMM_EINVAL. */
static int
opcode(const uint8_t *b, unsigned n, unsigned *i, unsigned opsize, struct vmm_mmio *m, uint8_t *op)
{
        *op = b[(*i)++];
        if (*op == 0x0f) {
                if (*i >= n)
                        return -VMM_EINVAL;
                *op = b[(*i)++];
                if (*op != 0xb6 && *op != 0xb7)
                        return -VMM_ENOTSUP;
                m->size = *op == 0xb6 ? 1 : 2;
                m->zero_extend = true;
                *op = 0x8b;
        } else if (*op == 0x88 || *op == 0x8a || *op == 0xc6)
                m->size = 1;
        else if (*op == 0x89 || *op == 0x8b || *op == 0xc7)
                m->size = opsize;
        else
                return -VMM_ENOTSUP;
        m->write = *op == 0x88 || *op == 0x89 || *op == 0xc6 || *op == 0xc7;
        if (m->size == 4 && !m->write)
                m->zero_extend = true;  /* a 32-bit load clears bits 63:32 */
        return 0;
}

int
vmm_mmio_decode(const uint8_t *b, unsigned n, struct vmm_mmio *m)
{
        unsigned i = 0, ml, opsize = 4, imm_len = 0;
        int rex = 0, reg = 0, r;
        uint8_t op;

        if (n > VMM_INSN_MAX)
                n = VMM_INSN_MAX;
        *m = (struct vmm_mmio){ .reg = -1 };
        while (i < n && b[i] == 0x66) {
                opsize = 2;
                i++;
        }
        if (i < n && (b[i] & 0xf0) == 0x40)
                rex = b[i++];
        if (rex & 8)
                opsize = 8;
        if (i >= n)
                return -VMM_EINVAL;
        r = opcode(b, n, &i, opsize, m, &op);
        if (r < 0)
                return r;
        ml = modrm_len(b, n, i, &reg, rex);
        if (ml == NOT_MEMORY)
                return -VMM_ENOTSUP;
        if (!ml || i + ml > n)
                return -VMM_EINVAL;
        if (op == 0xc6 || op == 0xc7) {
                if ((reg & 7) != 0)
                        return -VMM_ENOTSUP;    /* C6/C7 /0 only */
                imm_len = m->size < 4 ? m->size : 4;
        } else if (m->size == 1 && !rex && reg >= 4)
                return -VMM_ENOTSUP;            /* AH, CH, DH, BH */
        else
                m->reg = reg;
        i += ml;
        if (i + imm_len > n)
                return -VMM_EINVAL;
        for (unsigned k = 0; k < imm_len; k++)
                m->imm |= (uint64_t)b[i + k] << (8 * k);
        if (imm_len && (m->imm >> (8 * imm_len - 1) & 1))
                m->imm |= ~0ull << (8 * imm_len);       /* sign-extend */
        if (m->size < 8)
                m->imm &= (1ull << (8 * m->size)) - 1;
        m->len = i + imm_len;
        return 0;
}

static uint64_t
size_mask(const struct vmm_mmio *m)
{
        return m->size >= 8 ? ~0ull : (1ull << (8 * m->size)) - 1;
}

uint64_t
vmm_mmio_load(const struct vmm_mmio *m, uint64_t old, uint64_t v)
{
        uint64_t mask = size_mask(m);

        v &= mask;
        return m->zero_extend ? v : (old & ~mask) | v;
}

uint64_t
vmm_mmio_store(const struct vmm_mmio *m, uint64_t reg_value)
{
        return (m->reg < 0 ? m->imm : reg_value) & size_mask(m);
}

/* Guest-linear va to guest-physical: 0 or -VMM_ENOENT. */
static int
translate(const uint8_t *ram, uint64_t ram_size, uint64_t cr3, uint64_t va, uint64_t *pa)
{
        uint64_t table = cr3 & PTE_ADDR, e;

        for (int level = 3; level >= 0; level--) {
                uint64_t at = table + ((va >> (12 + 9 * level)) & 511) * 8;

                if (at >= ram_size || ram_size - at < 8)
                        return -VMM_ENOENT;
                __builtin_memcpy(&e, ram + at, 8);
                if (!(e & PTE_P))
                        return -VMM_ENOENT;
                if ((level == 1 || level == 2) && (e & PTE_PS)) {
                        uint64_t span = 1ull << (12 + 9 * level);

                        *pa = (e & PTE_ADDR & ~(span - 1)) | (va & (span - 1));
                        return 0;
                }
                table = e & PTE_ADDR;
        }
        *pa = table | (va & 0xfff);
        return 0;
}

int
vmm_guest_read(const uint8_t *ram, uint64_t ram_size, uint64_t cr3, uint64_t va,
               uint8_t *out, unsigned n)
{
        unsigned i;

        for (i = 0; i < n; i++) {
                uint64_t pa;

                if (translate(ram, ram_size, cr3, va + i, &pa) < 0 || pa >= ram_size)
                        break;
                out[i] = ram[pa];
        }
        return i ? (int)i : -VMM_ENOENT;
}
