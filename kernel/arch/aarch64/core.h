/* kernel/arch/aarch64/core.h: what the portable core knows of aarch64,
 * included by kernel/core/kernel.h (and by nothing else): the user
 * register file, the user address limit, the stage-1 descriptor encoding
 * (4 KiB granule, 4 levels, EL1&0 regime, user space in TTBR0). Plain
 * data and inline helpers, no code of the arch layer. */
#ifndef THATTE_MK_CORE_AARCH64_H
#define THATTE_MK_CORE_AARCH64_H

/* User addresses lie below 2^47 (TTBR0 with T0SZ = 17: translation starts
 * at level 0, whose upper 256 entries no address reaches). So a VSpace
 * root has as many user entries as on x86-64, and its upper 256 entries
 * are free for the arch layer (its TTBR0 value, see kernel.h). */
#define MK_USER_BITS 47u
#define MK_ROOT_USER_ENTRIES 256u

/* The user-mode state of a thread: x0..x30, the return address
 * (ELR_EL1), the saved PSTATE (SPSR_EL1), SP_EL0, the TLS register
 * TPIDR_EL0. The arch layer owns the layout (its vectors store an EL0
 * entry straight into it: the order is theirs) and fills it on every
 * entry; the core writes it only through mk_ctx_start and reads it
 * through mk_ctx_pc. */
struct mk_user_ctx {
        uint64_t x[31];
        uint64_t pc, spsr, sp;
        uint64_t tpidr;
        uint64_t entry;         /* MK_ENTRY_* */
};

/* A fresh thread (TCB_WRITE_REGISTERS): pc, stack, its argument in x0,
 * EL0t with interrupts unmasked (SPSR 0), the TLS base. */
static inline void mk_ctx_start(struct mk_user_ctx *c, uint64_t pc, uint64_t sp,
                                uint64_t arg, uint64_t tls)
{
        c->pc = pc;
        c->sp = sp;
        c->x[0] = arg;
        c->spsr = 0;
        c->tpidr = tls;
}

static inline uint64_t mk_ctx_pc(const struct mk_user_ctx *c)
{
        return c->pc;
}

/* Translation tables: 4 levels of 512 descriptors, level 0 indexed at bits
 * 39..47, 9 bits less per level; a 2 MiB frame is a level-2 block. */
#define MK_PT_TOP_SHIFT 39u
#define MK_PT_LEVEL_BITS 9u

#define MK_PTE_VALID 0x1ull
#define MK_PTE_TABLE 0x2ull             /* levels 0..2: table; level 3: page */
#define MK_PTE_ATTR(i) ((uint64_t)(i) << 2) /* MAIR_EL1 index */
#define MK_PTE_AP_EL0 (1ull << 6)       /* EL0 may access */
#define MK_PTE_AP_RO (1ull << 7)        /* read-only at every level */
#define MK_PTE_SH_INNER (3ull << 8)
#define MK_PTE_AF (1ull << 10)          /* accessed: no access-flag faults */
#define MK_PTE_NG (1ull << 11)          /* not global: tagged with the ASID */
#define MK_PTE_PXN (1ull << 53)
#define MK_PTE_UXN (1ull << 54)
#define MK_PTE_ADDR 0x0000fffffffff000ull

/* MAIR_EL1 indexes: the arch layer's MAIR_VALUE (asm.h) must give them
 * these types. Uncached user memory is Device-nGnRnE, write-combining is
 * Normal non-cacheable. */
#define MK_A64_ATTR_DEVICE 0u
#define MK_A64_ATTR_NORMAL 1u
#define MK_A64_ATTR_NC 2u

static inline bool mk_pte_valid(uint64_t e)
{
        return e & MK_PTE_VALID;
}

/* Whether descriptor e of a table indexed at bit shift points to a lower
 * table: valid with bit 1 above level 3 (bit 1 of a level-3 descriptor
 * says page). */
static inline bool mk_pte_is_table(uint64_t e, unsigned shift)
{
        return shift > 12 && (e & (MK_PTE_VALID | MK_PTE_TABLE)) == (MK_PTE_VALID | MK_PTE_TABLE);
}

static inline uint64_t mk_pte_paddr(uint64_t e)
{
        return e & MK_PTE_ADDR;
}

/* A table descriptor: the frames below it decide access and execution. */
static inline uint64_t mk_pte_table(uint64_t paddr)
{
        return (paddr & MK_PTE_ADDR) | MK_PTE_VALID | MK_PTE_TABLE;
}

/* A user frame at paddr filling a descriptor of a table indexed at bit
 * shift (12: a level-3 page, 21: a level-2 block). Never executable at
 * EL1 (PXN: the kernel runs no user code), never executable from device
 * memory, not global. */
static inline uint64_t mk_pte_frame(uint64_t paddr, unsigned shift, bool write,
                                    bool exec_never, unsigned mem)
{
        uint64_t e = (paddr & MK_PTE_ADDR) | MK_PTE_VALID | MK_PTE_AF | MK_PTE_NG |
                     MK_PTE_SH_INNER | MK_PTE_AP_EL0 | MK_PTE_PXN;

        if (!write)
                e |= MK_PTE_AP_RO;
        if (mem == MK_MEM_UNCACHED)
                e |= MK_PTE_ATTR(MK_A64_ATTR_DEVICE) | MK_PTE_UXN;
        else if (mem == MK_MEM_WRITE_COMBINING)
                e |= MK_PTE_ATTR(MK_A64_ATTR_NC);
        else
                e |= MK_PTE_ATTR(MK_A64_ATTR_NORMAL);
        if (exec_never)
                e |= MK_PTE_UXN;
        if (shift == 12)
                e |= MK_PTE_TABLE;
        return e;
}

#endif
