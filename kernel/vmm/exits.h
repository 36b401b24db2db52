/* kernel/vmm/exits.h: what VMEnter's exit words mean to the VMM: AMD's
 * exit codes (as thatte-mk's MK_VM_EXIT_* pass them) counted by reason,
 * and an IOIO exit's EXITINFO1 decoded into a port access. */
#ifndef THATTE_KVMM_EXITS_H
#define THATTE_KVMM_EXITS_H

#include "vmm.h"

/* AMD's exit codes the VMM tells apart (the same numbers as mk.h's). */
#define VMM_EXIT_EXCP_BASE 0x40u
#define VMM_EXIT_CPUID 0x72u
#define VMM_EXIT_HLT 0x78u
#define VMM_EXIT_IOIO 0x7bu
#define VMM_EXIT_MSR 0x7cu
#define VMM_EXIT_SHUTDOWN 0x7fu
#define VMM_EXIT_VMMCALL 0x81u
#define VMM_EXIT_XSETBV 0x8du
#define VMM_EXIT_NPF 0x400u
#define VMM_EXIT_INVALID 0xffffffffu
#define VMM_EXIT_NOTIFICATION 0x10000u
#define VMM_EXIT_DEADLINE 0x10001u      /* thatte-mk: VMEnter's deadline passed */

enum vmm_exit_kind {
        VMM_EXK_EXCEPTION, VMM_EXK_CPUID, VMM_EXK_HLT, VMM_EXK_IOIO, VMM_EXK_MSR,
        VMM_EXK_SHUTDOWN, VMM_EXK_VMMCALL, VMM_EXK_XSETBV, VMM_EXK_NPF, VMM_EXK_INVALID,
        VMM_EXK_NOTIFICATION, VMM_EXK_DEADLINE, VMM_EXK_OTHER, VMM_EXK_COUNT
};

struct vmm_exit_stats {
        uint64_t count[VMM_EXK_COUNT];
};

enum vmm_exit_kind vmm_exit_kind(uint64_t code);
void vmm_exit_count(struct vmm_exit_stats *s, uint64_t code);
const char *vmm_exit_name(enum vmm_exit_kind k);

/* EXITINFO1 and rax of an IOIO exit into io: -VMM_ENOTSUP for string
 * and REP forms (INS/OUTS: the VMM does not emulate them), -VMM_EINVAL
 * for a size field that is not exactly one of 8, 16 or 32 bits. */
int vmm_ioio_decode(uint64_t info1, uint64_t rax, struct vmm_io *io);
/* rax after an IN: 8 and 16 bits merge, 32 bits zero-extend. */
uint64_t vmm_io_rax(uint64_t rax, const struct vmm_io *io);

/* One RDMSR or WRMSR of an MSR exit (EXITINFO1 0 read, 1 write; the MSR
 * in ecx, the value in edx:eax). */
struct vmm_msr {
        uint32_t msr;
        bool write;
        uint64_t value;         /* in for a write; a read's handler sets it */
};

/* -VMM_EINVAL for an EXITINFO1 other than 0 or 1. */
int vmm_msr_decode(uint64_t info1, uint64_t rcx, uint64_t rax, uint64_t rdx, struct vmm_msr *m);
/* After a read: eax and edx get the halves, their upper halves cleared. */
void vmm_msr_result(const struct vmm_msr *m, uint64_t *rax, uint64_t *rdx);

#endif
