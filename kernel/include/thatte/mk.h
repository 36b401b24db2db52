/* thatte/mk.h: the user-visible ABI of thatte-mk and the entry points the
 * arch layer calls. Everything here is plain data: error codes, syscall
 * numbers, invocation labels, object types, rights and the decoded register
 * file. Freestanding: needs only the compiler's <stdint.h> and <stddef.h>. */
#ifndef THATTE_MK_H
#define THATTE_MK_H

#include <stddef.h>
#include <stdint.h>

#include "thatte/arch.h"        /* MK_IRQ_COUNT, the syscall registers */

/* Error codes, returned in mk_regs.nr. 0 is success. */
enum {
        MK_OK = 0,
        MK_E_INVALID_SYSCALL,   /* unknown syscall number */
        MK_E_INVALID_CAP,       /* slot empty, or not the kind of cap the operation needs */
        MK_E_WRONG_TYPE,        /* a capability of another object type than required */
        MK_E_RIGHTS,            /* the capability lacks a needed right */
        MK_E_LOOKUP,            /* CSpace address does not resolve (guard, depth) */
        MK_E_RANGE,             /* argument outside its allowed range */
        MK_E_INVALID_ARG,       /* argument malformed (unknown type, label, flags) */
        MK_E_ILLEGAL_OP,        /* operation not allowed on this object */
        MK_E_ALIGNMENT,         /* address not aligned as required */
        MK_E_NO_MEMORY,         /* untyped has not enough free space */
        MK_E_DELETE_FIRST,      /* slot, mapping or binding already in use, or last cap */
        MK_E_WOULD_BLOCK,       /* non-blocking operation found no partner */
        MK_E_ABORTED,           /* blocked operation cancelled: object deleted */
        MK_E_UNSUPPORTED,       /* the machine lacks it (a VCPU without SVM and nested paging) */
        MK_E_TIMEOUT,           /* MK_SYS_WAIT_UNTIL: the deadline passed with no signal */
        MK_E_COUNT
};

/* Syscall numbers, in mk_regs.nr. */
enum {
        MK_SYS_CALL = 1,        /* endpoint: send and wait for reply; object cap: invoke */
        MK_SYS_SEND,            /* endpoint: blocking send; notification: signal; object: invoke */
        MK_SYS_NBSEND,          /* endpoint: send only if a receiver waits */
        MK_SYS_RECV,            /* endpoint: blocking receive; notification: wait */
        MK_SYS_NBRECV,          /* endpoint: receive only if a sender waits; notification: poll */
        MK_SYS_REPLY,           /* reply through the reply cap in cptr */
        MK_SYS_REPLY_RECV,      /* reply through regs.reply, then receive on cptr */
        MK_SYS_YIELD,           /* give the rest of the timeslice to equal priority */
        MK_SYS_DEBUG_PUT,       /* debug output through the DebugConsole cap in cptr
                                 * (needs write): info = length (0..MK_DEBUG_PUT_MAX),
                                 * the bytes packed little-endian in reply, mr[0..3]
                                 * (which may come back changed: a preempted write
                                 * leaves its rest there and runs again) */
        MK_SYS_VM_ENTER,        /* run the guest of the caller's bound VCPU until it exits
                                 * or the caller's bound notification is signalled;
                                 * state in and exit out in MK_VCPU_MR_*; reply: a
                                 * deadline (MK_VM_EXIT_DEADLINE when it passes; 0 none) */
        MK_SYS_WAIT_UNTIL,      /* notification: wait as RECV, until the deadline in reply
                                 * (0: none); MK_E_TIMEOUT, badge 0, when it passed first */
        MK_SYS_COUNT
};

/* Object types (retype argument and capability types). */
enum {
        MK_OBJ_NULL = 0,
        MK_OBJ_UNTYPED,
        MK_OBJ_CNODE,
        MK_OBJ_ENDPOINT,
        MK_OBJ_NOTIFICATION,
        MK_OBJ_TCB,
        MK_OBJ_REPLY,
        MK_OBJ_FRAME,
        MK_OBJ_PML4,
        MK_OBJ_PDPT,
        MK_OBJ_PD,
        MK_OBJ_PT,
        MK_OBJ_GSPACE,          /* guest-physical address space: a nested page-table root */
        MK_OBJ_VCPU,            /* virtual CPU: VMCB, guest registers, I/O permission map */
        MK_OBJ_COUNT,           /* types below can be retyped from Untyped */
        /* Capability-only types, handed to the root task at boot. */
        MK_OBJ_IRQ_CONTROL = MK_OBJ_COUNT, /* issues IRQ handler caps */
        MK_OBJ_IRQ_HANDLER,     /* one interrupt line; word: the IRQ number */
        MK_OBJ_IOPORT_CONTROL,  /* issues I/O port caps */
        MK_OBJ_IOPORT,          /* ports [word & 0xffff, word >> 16] */
        MK_OBJ_DEBUG_CONSOLE,   /* MK_SYS_DEBUG_PUT; word: the badge (0: raw, the boot
                                 * cap; else every line gets "thatte-user[BADGE]: ") */
        MK_CAP_TYPE_COUNT,
        MK_OBJ_ZOMBIE = 0xff    /* internal: a CNode or TCB being emptied */
};

/* Capability rights. */
enum {
        MK_RIGHT_READ = 1 << 0,
        MK_RIGHT_WRITE = 1 << 1,
        MK_RIGHT_GRANT = 1 << 2,
        MK_RIGHT_GRANT_REPLY = 1 << 3,
        MK_RIGHTS_ALL = 0xf
};

/* Invocation labels: the label of the message info word when a CALL or
 * SEND names a kernel object. Arguments go in the message registers. */
enum {
        /* Untyped: mr0 type, mr1 size bits, mr2 dest CNode cptr (resolved
         * with depth 64 in the caller's CSpace), mr3 dest offset, mr4 count. */
        MK_UNTYPED_RETYPE = 1,
        /* CNode: slots are addressed inside the invoked CNode by (index, depth). */
        MK_CNODE_COPY,          /* mr0 dest idx, mr1 dest depth, mr2 src idx, mr3 src depth, mr4 rights */
        MK_CNODE_MINT,          /* as COPY, mr5 badge (or guard: bits 0..57 guard, 58..63 guard bits) */
        MK_CNODE_MOVE,          /* mr0 dest idx, mr1 dest depth, mr2 src idx, mr3 src depth */
        MK_CNODE_DELETE,        /* mr0 idx, mr1 depth */
        MK_CNODE_REVOKE,        /* mr0 idx, mr1 depth */
        /* TCB */
        MK_TCB_CONFIGURE,       /* mr0 CSpace root cptr, mr1 VSpace root cptr (0: none),
                                 * mr2 fault endpoint cptr (0: none; copied into the TCB) */
        MK_TCB_SET_PRIORITY,    /* mr0 priority, at most the caller's own */
        MK_TCB_RESUME,
        MK_TCB_SUSPEND,
        MK_TCB_BIND_NOTIFICATION, /* mr0 notification cptr */
        MK_TCB_UNBIND_NOTIFICATION,
        /* Frames and page tables */
        MK_PAGE_MAP,            /* mr0 PML4 cptr, mr1 virtual address, mr2 rights,
                                 * mr3 attributes (MK_MAP_*) */
        MK_PAGE_UNMAP,
        /* TCB, continued */
        MK_TCB_WRITE_REGISTERS, /* mr0 rip, mr1 rsp, mr2 rdi (argument), mr3 1: resume,
                                 * mr4 the TLS base (x86-64: FS base; 0 without) */
        MK_TCB_SET_IPC_BUFFER,  /* mr0 user address, mr1 4 KiB frame cptr mapped there
                                 * (0, 0: none); the buffer lies inside the frame */
        /* IRQs (seL4's IRQControl / IRQHandler) */
        MK_IRQ_CONTROL_GET,     /* mr0 IRQ, mr1 dest CNode cptr, mr2 dest index */
        MK_IRQ_HANDLER_SET_NOTIFICATION, /* mr0 notification cptr (needs write) */
        MK_IRQ_HANDLER_ACK,     /* unmask the line after a delivered interrupt */
        MK_IRQ_HANDLER_CLEAR,   /* forget the notification */
        /* I/O ports (seL4's IOPortControl / IOPort) */
        MK_IOPORT_CONTROL_ISSUE,/* mr0 first port, mr1 last port, mr2 dest CNode cptr,
                                 * mr3 dest index */
        MK_IOPORT_IN,           /* mr0 port, mr1 width (1, 2, 4); reply: mr0 value */
        MK_IOPORT_OUT,          /* mr0 port, mr1 width, mr2 value */
        /* DebugConsole, the unbadged cap only */
        MK_DEBUG_STRETCH,       /* reply: mr0 the longest kernel stretch (TSC ticks; under
                                 * QEMU -icount shift=0 instructions) since the last call,
                                 * mr1 the most bytes one DEBUG_PUT step wrote, mr2 the
                                 * ticks the CPU spent idle since boot, mr3 the clock at
                                 * this call's entry (both the stretch's clock) */
        /* VCPUs (kernel/README.md, "Virtual machines") */
        MK_VCPU_SET_TCB,        /* mr0 TCB cptr (0: unbind): the thread that enters it */
        MK_VCPU_SET_SPACE,      /* mr0 guest space cptr (0: none; copied into the VCPU) */
        MK_VCPU_WRITE_STATE,    /* mr0 field (MK_VCPU_STATE_*), mr1 value */
        MK_VCPU_READ_STATE,     /* mr0 field; reply: mr0 value */
        MK_VCPU_ALLOW_PORTS,    /* mr0 I/O port cptr: its ports pass through to the guest */
        MK_LABEL_COUNT
};

/* PAGE_MAP attributes (mr3). Device frames are always mapped uncached. */
enum {
        MK_MAP_EXECUTE_NEVER = 1 << 0,  /* NX, where the CPU has it */
        MK_MAP_UNCACHED = 1 << 1,
        MK_MAP_WRITE_COMBINING = 1 << 2, /* through the PAT; uncached without one */
        MK_MAP_ATTRS_ALL = 0x7
};

/* VMEnter (MK_SYS_VM_ENTER) message registers. In: rip, rflags, the
 * general registers and an event to inject; out, after the exit: the same
 * registers and the exit. The VMM edits them and enters again. */
enum {
        MK_VCPU_MR_EXIT = 0,    /* out: exit code (MK_VM_EXIT_*, AMD's numbering) */
        MK_VCPU_MR_INFO1,       /* out: qualification (IOIO: port, size, direction; NPF: error code) */
        MK_VCPU_MR_INFO2,       /* out: NPF: guest-physical address; IOIO: the next rip */
        MK_VCPU_MR_RIP,         /* in/out: guest rip */
        MK_VCPU_MR_LEN,         /* out: length of the exiting instruction, 0 when unknown */
        MK_VCPU_MR_INJECT,      /* in: event to inject (AMD EVENTINJ: vector, type << 8,
                                 * 1 << 11 error code valid, 1 << 31 valid, code << 32),
                                 * 0 none; out: the event the exit interrupted (EXITINTINFO) */
        MK_VCPU_MR_RFLAGS,      /* in/out */
        MK_VCPU_MR_GPR,         /* in/out: 16 registers, rax rcx rdx rbx rsp rbp rsi rdi r8..r15 */
        MK_VCPU_MR_COUNT = MK_VCPU_MR_GPR + 16
};

/* Exit codes (AMD's), in MK_VCPU_MR_EXIT. A VMRUN the hardware refused
 * (inconsistent guest state) reads MK_VM_EXIT_INVALID. */
#define MK_VM_EXIT_EXCP_BASE 0x40u      /* + vector */
#define MK_VM_EXIT_INTR 0x60u           /* host interrupt: handled by the kernel, never seen */
#define MK_VM_EXIT_CPUID 0x72u
#define MK_VM_EXIT_HLT 0x78u
#define MK_VM_EXIT_IOIO 0x7bu
#define MK_VM_EXIT_MSR 0x7cu
#define MK_VM_EXIT_SHUTDOWN 0x7fu       /* triple fault */
#define MK_VM_EXIT_VMMCALL 0x81u
#define MK_VM_EXIT_XSETBV 0x8du        /* the VMM emulates it with MK_VCPU_STATE_XCR0 */
#define MK_VM_EXIT_NPF 0x400u
#define MK_VM_EXIT_INVALID 0xffffffffu
#define MK_VM_EXIT_NOTIFICATION 0x10000u /* not AMD's: a signal on the thread's bound
                                         * notification ended VMEnter (INFO1: the word;
                                         * INJECT: an event not delivered yet) */
#define MK_VM_EXIT_DEADLINE 0x10001u    /* not AMD's: VMEnter's deadline passed (INFO1:
                                         * the clock then; INJECT as for NOTIFICATION) */

/* Deadlines (MK_SYS_WAIT_UNTIL, MK_SYS_VM_ENTER's reply register) are
 * absolute times of the clock user code reads: x86-64 the TSC (rdtsc),
 * aarch64 the virtual counter (CNTVCT_EL0). 0 is no deadline; one that
 * has passed ends the wait or VMEnter at once; UINT64_MAX never passes.
 * The kernel programs its timer for the nearest one (kernel/README.md,
 * "Deadlines"); a thread waits in at most one deadline at a time. */

/* VCPU_WRITE_STATE / READ_STATE fields: control registers, then the ten
 * segment registers in the VMCB's order (ES CS SS DS FS GS GDTR LDTR IDTR
 * TR), four words each: selector, attributes (AMD's packed form), limit,
 * base. The guest's EFER always keeps SVME (VMRUN needs it). XCR0: the
 * guest's (its XSETBV exits; the VMM emulates it here): x87 always, SSE,
 * AVX only with SSE, nothing else; INVALID_ARG otherwise. */
enum {
        MK_VCPU_STATE_CR0 = 0,
        MK_VCPU_STATE_CR2,
        MK_VCPU_STATE_CR3,
        MK_VCPU_STATE_CR4,
        MK_VCPU_STATE_EFER,
        MK_VCPU_STATE_XCR0,
        MK_VCPU_STATE_KERNEL_CPUID, /* the kernel answers this many CPUID exits itself (rip
                                 * + 2, registers as they are) before the next exit for
                                 * the VMM: the bare VMRUN loop benchmarks compare with */
        MK_VCPU_STATE_SEG = 16  /* + segment * 4 + (0 sel, 1 attr, 2 limit, 3 base) */
};
#define MK_VCPU_SEGS 10u
#define MK_VCPU_STATE_COUNT (MK_VCPU_STATE_SEG + MK_VCPU_SEGS * 4u)

/* Faults: a thread that faults in user mode with a fault endpoint sends it a
 * call (so a reply resumes it, re-executing the instruction) with this
 * label and mr0 rip, mr1 fault address (CR2 for a page fault, else 0),
 * mr2 error code, mr3 vector; the badge of the fault endpoint cap comes in
 * cptr. Without one, the thread is suspended and the kernel logs the fault. */
#define MK_FAULT_LABEL 0xfau

/* MK_SYS_DEBUG_PUT: bytes per call (reply and mr[0..3], 8 each). */
#define MK_DEBUG_PUT_MAX 40u

/* Message info word: label (52 bits) | extra caps (2 bits) | length (7 bits). */
#define MK_MSG_MAX 64u          /* message registers per message */
#define MK_MSG_REG_MRS 4u       /* of which this many travel in registers */
#define MK_MSG_MAX_CAPS 1u      /* capabilities per message */

static inline uint64_t mk_info(uint64_t label, unsigned caps, unsigned len)
{
        return (label << 12) | ((uint64_t)(caps & 3u) << 7) | (len & 0x7fu);
}
static inline uint64_t mk_info_label(uint64_t info) { return info >> 12; }
static inline unsigned mk_info_caps(uint64_t info) { return (unsigned)(info >> 7) & 3u; }
static inline unsigned mk_info_len(uint64_t info) { return (unsigned)info & 0x7fu; }

/* The decoded register file of a thread: what the arch layer saves on entry
 * and restores on exit. Which machine registers carry it is per arch
 * (thatte/arch-*.h). */
struct mk_regs {
        uint64_t nr;            /* in: syscall number; out: MK_OK or MK_E_* */
        uint64_t cptr;          /* in: capability address; out: badge of the sender */
        uint64_t info;          /* in/out: message info */
        uint64_t reply;         /* in: reply cap address for RECV, REPLY_RECV (0: none) */
        uint64_t mr[MK_MSG_REG_MRS];
};

/* The part of the IPC buffer the kernel reads: message registers beyond the
 * register ones, the caps to send and the slot receiving one. */
struct mk_ipcbuf {
        uint64_t mr[MK_MSG_MAX];        /* indexes below MK_MSG_REG_MRS unused */
        uint64_t caps[MK_MSG_MAX_CAPS]; /* cptrs of caps to send */
        uint64_t recv_cnode;            /* CNode cptr (depth 64) of the receive slot, 0: none */
        uint64_t recv_index;            /* slot index inside that CNode */
};

/* Priorities and sizes. */
#define MK_NUM_PRIOS 256u
#define MK_TIMESLICE_TICKS 5u
#define MK_CNODE_RADIX_MAX 16u
#define MK_UNTYPED_MIN_BITS 5u
#define MK_UNTYPED_MAX_BITS 47u
#define MK_RETYPE_MAX 256u

struct mk_kernel;
struct mk_tcb;

/* What mk_boot() hands to the root thread (also written to its CSpace). */
struct mk_bootinfo {
        uint64_t tcb_cptr;          /* the root thread's own TCB */
        uint64_t cnode_cptr;        /* the root CNode, resolvable with depth 64 */
        uint64_t untyped_first;     /* first slot holding an untyped cap */
        uint64_t untyped_count;
        uint64_t empty_first;       /* first free slot */
        uint64_t cnode_radix;
};

#endif
