/* kernel/arch/common/backtrace.c: the panic path's backtrace, the same on
 * both layers: frame records chained by the frame pointer (x86-64's rbp,
 * AArch64's x29: [fp] = the caller's fp, [fp + 8] = the return address),
 * each frame named from the symbol table the build embedded in .ksyms
 * (ksyms.sh over `nm -n` of the first link). Every step is checked, so a
 * corrupt stack ends the walk instead of faulting the panic path. */
#include "arch.h"

#define BACKTRACE_DEPTH 32

/* ksyms.S, generated from `nm -n` of the first link. */
struct arch_ksym_entry {
        uint64_t addr;
        const char *name;
};
extern const struct arch_ksym_entry arch_ksyms[];
extern const uint64_t arch_ksyms_count;

const char *arch_ksym(uint64_t addr, uint64_t *ret_offset)
{
        uint64_t lo = 0, hi = arch_ksyms_count;

        if (addr < (uint64_t)__text_start || addr >= (uint64_t)__text_end || !hi)
                return NULL;
        while (hi - lo > 1) {                   /* last entry with addr <= target */
                uint64_t mid = (lo + hi) / 2;

                if (arch_ksyms[mid].addr <= addr)
                        lo = mid;
                else
                        hi = mid;
        }
        if (arch_ksyms[lo].addr > addr)
                return NULL;
        *ret_offset = addr - arch_ksyms[lo].addr;
        return arch_ksyms[lo].name;
}

static void frame_line(unsigned n, uint64_t addr)
{
        uint64_t off = 0;
        const char *name = arch_ksym(addr, &off);

        arch_log_plain("  #%u 0x%016lx %s+0x%lx", n, addr, name ? name : "?", off);
}

/* A frame record the walk may read: both words on the kernel stack, at
 * the alignment the ABI keeps fp at (8 on x86-64, 16 on AArch64). */
static bool on_stack(uint64_t p, uint64_t align)
{
        return p >= (uint64_t)arch_stack_bottom && p + 16 <= (uint64_t)arch_stack_top &&
               !(p & (align - 1));
}

/* A link register that names a frame the chain will miss: the caller of
 * a leaf that keeps no record (AArch64 builds omit them: they cost the IPC
 * path instructions). lr is that when it lies in the text, in another
 * function than pc (after a call, lr points into pc's own function) and
 * is not the return address of fp's record (a function that faulted
 * between its prologue and its first call). */
static bool leaf_caller(uint64_t pc, uint64_t lr, uint64_t fp, uint64_t align)
{
        uint64_t off;
        const char *in_pc = arch_ksym(pc, &off), *in_lr = arch_ksym(lr, &off);

        if (!in_lr || in_lr == in_pc)
                return false;
        return !on_stack(fp, align) || ((uint64_t *)fp)[1] != lr;
}

/* pc first (and lr, when leaf_caller says so; 0: none), then the chain
 * from fp: at most BACKTRACE_DEPTH lines; it stops at the first record
 * off the stack, a return address outside the kernel text, or a caller's
 * record not above its callee's (a loop). */
void arch_backtrace(uint64_t pc, uint64_t lr, uint64_t fp, uint64_t align)
{
        unsigned n = 0;

        frame_line(n++, pc);
        if (lr && leaf_caller(pc, lr, fp, align))
                frame_line(n++, lr);
        while (n < BACKTRACE_DEPTH && on_stack(fp, align)) {
                uint64_t ret = ((uint64_t *)fp)[1], next = ((uint64_t *)fp)[0];

                if (ret < (uint64_t)__text_start || ret >= (uint64_t)__text_end)
                        break;
                frame_line(n++, ret);
                if (next <= fp)
                        break;
                fp = next;
        }
}
