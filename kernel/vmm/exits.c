/* kernel/vmm/exits.c: exit reasons counted and IOIO exits decoded (see
 * exits.h). */
#include "exits.h"

#define IOIO_IN 0x01
#define IOIO_STR 0x04
#define IOIO_REP 0x08
#define IOIO_SIZE_SHIFT 4       /* bits 4..6: SZ8, SZ16, SZ32 */

enum vmm_exit_kind
vmm_exit_kind(uint64_t code)
{
        if (code >= VMM_EXIT_EXCP_BASE && code < VMM_EXIT_EXCP_BASE + 32)
                return VMM_EXK_EXCEPTION;
        switch (code) {
        case VMM_EXIT_CPUID: return VMM_EXK_CPUID;
        case VMM_EXIT_HLT: return VMM_EXK_HLT;
        case VMM_EXIT_IOIO: return VMM_EXK_IOIO;
        case VMM_EXIT_MSR: return VMM_EXK_MSR;
        case VMM_EXIT_SHUTDOWN: return VMM_EXK_SHUTDOWN;
        case VMM_EXIT_VMMCALL: return VMM_EXK_VMMCALL;
        case VMM_EXIT_XSETBV: return VMM_EXK_XSETBV;
        case VMM_EXIT_NPF: return VMM_EXK_NPF;
        case VMM_EXIT_INVALID: return VMM_EXK_INVALID;
        case VMM_EXIT_NOTIFICATION: return VMM_EXK_NOTIFICATION;
        case VMM_EXIT_DEADLINE: return VMM_EXK_DEADLINE;
        default: return VMM_EXK_OTHER;
        }
}

void
vmm_exit_count(struct vmm_exit_stats *s, uint64_t code)
{
        s->count[vmm_exit_kind(code)]++;
}

const char *
vmm_exit_name(enum vmm_exit_kind k)
{
        static const char *const names[VMM_EXK_COUNT] = {
                "exception", "cpuid", "hlt", "ioio", "msr", "shutdown", "vmmcall", "xsetbv",
                "npf", "invalid", "notification", "deadline", "other",
        };
        return (unsigned)k < VMM_EXK_COUNT ? names[k] : "?";
}

int
vmm_ioio_decode(uint64_t info1, uint64_t rax, struct vmm_io *io)
{
        unsigned sz = (info1 >> IOIO_SIZE_SHIFT) & 7;

        if (info1 & (IOIO_STR | IOIO_REP))
                return -VMM_ENOTSUP;
        if (sz != 1 && sz != 2 && sz != 4)
                return -VMM_EINVAL;
        io->port = (uint16_t)(info1 >> 16);
        io->size = (uint8_t)sz;         /* SZ8 is 1, SZ16 2, SZ32 4: the byte count */
        io->write = !(info1 & IOIO_IN);
        io->value = (uint32_t)(rax & vmm_io_mask(io));
        return 0;
}

uint64_t
vmm_io_rax(uint64_t rax, const struct vmm_io *io)
{
        if (io->size == 4)
                return io->value;
        return (rax & ~(uint64_t)vmm_io_mask(io)) | (io->value & vmm_io_mask(io));
}

int
vmm_msr_decode(uint64_t info1, uint64_t rcx, uint64_t rax, uint64_t rdx, struct vmm_msr *m)
{
        if (info1 > 1)
                return -VMM_EINVAL;
        m->msr = (uint32_t)rcx;
        m->write = info1 == 1;
        m->value = (rdx << 32) | (uint32_t)rax;
        return 0;
}

void
vmm_msr_result(const struct vmm_msr *m, uint64_t *rax, uint64_t *rdx)
{
        *rax = (uint32_t)m->value;
        *rdx = m->value >> 32;
}
