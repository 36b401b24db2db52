/* kernel/arch/x86_64/core.h: what the portable core knows of x86-64,
 * included by kernel/core/kernel.h (and by nothing else): the user
 * register file, the user address limit, the page-table entry encoding.
 * Plain data and inline helpers, no code of the arch layer. */
#ifndef THATTE_MK_CORE_X86_64_H
#define THATTE_MK_CORE_X86_64_H

/* User addresses lie below 2^47 (the lower canonical half); a VSpace
 * root's entries below MK_ROOT_USER_ENTRIES translate them, the rest are
 * the kernel half (vspace_init fills them). */
#define MK_USER_BITS 47u
#define MK_ROOT_USER_ENTRIES 256u

/* The user-mode CPU state of a thread. The arch layer owns the layout
 * (entry.S knows its offsets, asm.h) and fills it on every entry; the
 * core writes it only through mk_ctx_start and reads it through
 * mk_ctx_pc. fs_base is the TLS base, loaded on every return to user. */
struct mk_user_ctx {
        uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
        uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
        uint64_t rip, rsp, rflags;
        uint64_t fs_base;
        uint64_t entry;         /* MK_ENTRY_* */
};

#define MK_USER_RFLAGS 0x202u   /* IF and the always-one bit */

/* A fresh thread (TCB_WRITE_REGISTERS): pc, stack, its argument in rdi,
 * interrupts on, the TLS base. */
static inline void mk_ctx_start(struct mk_user_ctx *c, uint64_t pc, uint64_t sp,
                                uint64_t arg, uint64_t tls)
{
        c->rip = pc;
        c->rsp = sp;
        c->rdi = arg;
        c->rflags = MK_USER_RFLAGS;
        c->fs_base = tls;
}

static inline uint64_t mk_ctx_pc(const struct mk_user_ctx *c)
{
        return c->rip;
}

/* Page tables: 4 levels of 512 entries, the root's index at bits 39..47,
 * 9 bits less per level; a 2 MiB frame is a PD entry with PS. */
#define MK_PT_TOP_SHIFT 39u
#define MK_PT_LEVEL_BITS 9u

#define MK_PTE_P 0x1ull
#define MK_PTE_RW 0x2ull
#define MK_PTE_US 0x4ull
#define MK_PTE_PWT 0x8ull
#define MK_PTE_PCD 0x10ull
#define MK_PTE_PS 0x80ull
#define MK_PTE_NX (1ull << 63)
#define MK_PTE_ADDR 0x000ffffffffff000ull

/* Memory types of user mappings select the entry of the page attribute
 * table with PWT and PCD only, in 4 KiB and 2 MiB entries alike (their
 * PAT bits, 7 and 12, stay 0):
 *   index 0 (neither)   write-back          MK_MEM_NORMAL
 *   index 1 (PWT)       write-combining     MK_MEM_WRITE_COMBINING
 *   index 3 (PCD | PWT) uncached            MK_MEM_UNCACHED
 * so the arch layer writes MK_IA32_PAT to IA32_PAT (MSR 0x277) on every
 * CPU: the power-on value with entry 1 write-combining instead of
 * write-through. */
#define MK_IA32_PAT 0x0007040600070106ull

static inline bool mk_pte_valid(uint64_t e)
{
        return e & MK_PTE_P;
}

/* Whether entry e of a table whose index starts at bit shift points to a
 * lower table (not absent, not a frame). */
static inline bool mk_pte_is_table(uint64_t e, unsigned shift)
{
        (void)shift;
        return (e & (MK_PTE_P | MK_PTE_PS)) == MK_PTE_P;
}

static inline uint64_t mk_pte_paddr(uint64_t e)
{
        return e & MK_PTE_ADDR;
}

/* An entry pointing to a lower table: what the frames below allow decides. */
static inline uint64_t mk_pte_table(uint64_t paddr)
{
        return (paddr & MK_PTE_ADDR) | MK_PTE_P | MK_PTE_US | MK_PTE_RW;
}

/* A user frame at paddr filling an entry of a table indexed at bit shift
 * (12: a 4 KiB page, 21: a 2 MiB one). */
static inline uint64_t mk_pte_frame(uint64_t paddr, unsigned shift, bool write,
                                    bool exec_never, unsigned mem)
{
        uint64_t e = (paddr & MK_PTE_ADDR) | MK_PTE_P | MK_PTE_US;

        if (write)
                e |= MK_PTE_RW;
        if (exec_never)
                e |= MK_PTE_NX;
        if (mem == MK_MEM_UNCACHED)
                e |= MK_PTE_PCD | MK_PTE_PWT;
        else if (mem == MK_MEM_WRITE_COMBINING)
                e |= MK_PTE_PWT;
        if (shift != 12)
                e |= MK_PTE_PS;
        return e;
}

#endif
