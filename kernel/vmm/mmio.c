/* kernel/vmm/mmio.c: the instruction behind an MMIO exit, fetched through
 * the guest's page tables and decoded (see mmio.h). Only the operand's
 * register, size and direction matter: the address is the fault's, so
 * ModRM, SIB and displacement are measured, never evaluated. */
#include "mmio.h"
#include "le.h"

#define REX_W 8
#define REX_R 4
#define PTE_P 1ull
#define PTE_PS (1ull << 7)
#define PTE_ADDR 0x000ffffffffff000ull
#define CR0_PG (1ull << 31)
#define CR4_LA57 (1ull << 12)

/* Bytes of ModRM, SIB and displacement at b; 0 for a register operand. */
static unsigned
modrm_len(const uint8_t *b, unsigned n)
{
        unsigned mod = b[0] >> 6, rm = b[0] & 7, len = 1;

        if (mod == 3)
                return 0;
        if (rm == 4) {                          /* a SIB byte follows */
                if (n < 2)
                        return 0;
                len++;
                if (mod == 0 && (b[1] & 7) == 5)
                        len += 4;               /* no base: disp32 */
        } else if (mod == 0 && rm == 5) {
                len += 4;                       /* rip-relative */
        }
        return len + (mod == 1 ? 1 : mod == 2 ? 4 : 0);
}

static unsigned
operand_size(unsigned rex, bool opsize16)
{
        return rex & REX_W ? 8 : opsize16 ? 2 : 4;
}

int
vmm_mmio_decode(const uint8_t *b, unsigned n, struct vmm_mmio_insn *m)
{
        unsigned i = 0, rex = 0, op, ml, imm_len = 0;
        bool opsize16 = false, two_byte = false;

        if (n > MMIO_INSN_MAX)
                n = MMIO_INSN_MAX;
        for (; i < n; i++) {                    /* legacy prefixes */
                if (b[i] == 0x66)
                        opsize16 = true;
                else if (b[i] != 0x26 && b[i] != 0x2e && b[i] != 0x36 && b[i] != 0x3e &&
                         b[i] != 0x64 && b[i] != 0x65)
                        break;
        }
        if (i < n && (b[i] & 0xf0) == 0x40)
                rex = b[i++];
        if (i < n && b[i] == 0x0f) {
                two_byte = true;
                i++;
        }
        if (i + 1 >= n)
                return -VMM_EINVAL;
        op = b[i++];
        *m = (struct vmm_mmio_insn){ .reg = (int)((b[i] >> 3 & 7) | (rex & REX_R ? 8 : 0)) };
        if (two_byte && (op == 0xb6 || op == 0xb7)) {
                m->size = op == 0xb6 ? 1 : 2;
                m->dst_size = operand_size(rex, opsize16);
        } else if (!two_byte && (op == 0x88 || op == 0x8a || op == 0xc6)) {
                m->size = m->dst_size = 1;
                m->write = op != 0x8a;
                imm_len = op == 0xc6;
        } else if (!two_byte && (op == 0x89 || op == 0x8b || op == 0xc7)) {
                m->size = m->dst_size = operand_size(rex, opsize16);
                m->write = op != 0x8b;
                imm_len = op == 0xc7 ? (m->size == 2 ? 2 : 4) : 0;
        } else {
                return -VMM_ENOTSUP;
        }
        if (imm_len && (b[i] >> 3 & 7))
                return -VMM_ENOTSUP;            /* C6/C7 with a reg field other than /0 */
        ml = modrm_len(b + i, n - i);
        if (!ml)
                return (b[i] >> 6) == 3 ? -VMM_ENOTSUP : -VMM_EINVAL;
        i += ml;
        if (i + imm_len > n)
                return -VMM_EINVAL;
        if (imm_len) {
                m->reg = -1;
                m->imm = imm_len == 1 ? b[i] : imm_len == 2 ? rd16(b + i)
                                                             : (uint64_t)(int64_t)(int32_t)rd32(b + i);
                if (m->size < 8)
                        m->imm &= (1ull << (m->size * 8)) - 1;
        } else if (m->size == 1 && !rex && m->reg >= 4 && m->reg < 8 && !two_byte) {
                m->reg -= 4;                    /* ah ch dh bh */
                m->high8 = true;
        }
        m->len = i + imm_len;
        return 0;
}

uint64_t
vmm_mmio_store_value(const struct vmm_mmio_insn *m, const uint64_t gpr[16])
{
        uint64_t v;

        if (m->reg < 0)
                return m->imm;
        v = gpr[m->reg] >> (m->high8 ? 8 : 0);
        return m->size == 8 ? v : v & ((1ull << (m->size * 8)) - 1);
}

void
vmm_mmio_load_value(const struct vmm_mmio_insn *m, uint64_t gpr[16], uint64_t value)
{
        uint64_t *r = &gpr[m->reg < 0 ? 0 : m->reg];
        unsigned shift = m->high8 ? 8 : 0;

        if (m->reg < 0)
                return;
        if (m->size < 8)
                value &= (1ull << (m->size * 8)) - 1;
        if (m->dst_size >= 4)
                *r = m->dst_size == 4 ? (uint32_t)value : value;
        else {
                uint64_t mask = ((1ull << (m->dst_size * 8)) - 1) << shift;

                *r = (*r & ~mask) | (value << shift & mask);
        }
}

/* The guest-physical address of va, or -VMM_EFAULT. */
static int
walk(const uint8_t *ram, uint64_t ram_size, uint64_t cr3, uint64_t va, uint64_t *pa)
{
        uint64_t table = cr3 & PTE_ADDR, e = 0;

        if ((uint64_t)((int64_t)(va << 16) >> 16) != va)
                return -VMM_EFAULT;             /* not canonical */
        for (int level = 3; level >= 0; level--) {
                uint64_t at = table + ((va >> (12 + 9 * level)) & 511) * 8;

                if (ram_size < 8 || at > ram_size - 8)
                        return -VMM_EFAULT;
                e = rd64(ram + at);
                if (!(e & PTE_P))
                        return -VMM_EFAULT;
                if ((level == 1 || level == 2) && (e & PTE_PS)) {
                        uint64_t span = 1ull << (12 + 9 * level);

                        *pa = ((e & PTE_ADDR) & ~(span - 1)) | (va & (span - 1));
                        return 0;
                }
                table = e & PTE_ADDR;
        }
        *pa = table | (va & 0xfff);
        return 0;
}

int
vmm_guest_fetch(const uint8_t *ram, uint64_t ram_size, uint64_t cr0, uint64_t cr3,
                uint64_t cr4, uint64_t va, uint8_t *out, unsigned n)
{
        unsigned i;

        if (cr0 & CR0_PG && cr4 & CR4_LA57)
                return -VMM_ENOTSUP;
        for (i = 0; i < n; i++) {
                uint64_t pa = va + i;

                if ((cr0 & CR0_PG && walk(ram, ram_size, cr3, va + i, &pa) < 0) || pa >= ram_size)
                        break;
                out[i] = ram[pa];
        }
        return i ? (int)i : -VMM_EFAULT;
}
