/* kernel/core/kernel.h: the kernel's objects and its internal interfaces.
 * One section per source file; see kernel/README.md for the model. */
#ifndef THATTE_MK_KERNEL_H
#define THATTE_MK_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "thatte/mk.h"

#define MK_CTE_BITS 6u
#define MK_EP_BITS 5u
#define MK_NTFN_BITS 5u
#define MK_REPLY_BITS 5u
#define MK_TCB_BITS 11u
#define MK_FRAME_BITS 12u
#define MK_LARGE_FRAME_BITS 21u
#define MK_TABLE_BITS 13u       /* 4 KiB hardware table + 4 KiB shadow of mapping slots */
#define MK_TABLE_ENTRIES 512u
#define MK_VCPU_BITS 15u        /* VMCB page, struct mk_vcpu, 12 KiB I/O permission map */
#define MK_VCPU_CORE_OFFSET 4096u /* struct mk_vcpu; the arch layer owns the other pages */

/* Memory types of user mappings (PAGE_MAP attributes, device frames); the
 * arch header encodes them into entries (mk_pte_frame). */
enum { MK_MEM_NORMAL, MK_MEM_WRITE_COMBINING, MK_MEM_UNCACHED };

/* What the core knows of the machine: struct mk_user_ctx with
 * mk_ctx_start/mk_ctx_pc, MK_USER_BITS, MK_ROOT_USER_ENTRIES, the
 * page-table levels and the entry encoding (mk_pte_*). */
#if defined(__aarch64__)
#include "../arch/aarch64/core.h"
#elif defined(__x86_64__)
#include "../arch/x86_64/core.h"
#else
#error "thatte-mk: no core.h for this target"
#endif

#define MK_USER_TOP ((uint64_t)1 << MK_USER_BITS)   /* user addresses lie below */

/* A capability: the type, rights and the object's address, plus per-type
 * words (see the table in kernel/README.md). */
struct mk_cap {
        uint8_t type;
        uint8_t rights;
        uint8_t bits;           /* untyped: size; cnode: radix; frame: size */
        uint8_t guard_bits;     /* cnode */
        uint8_t flags;          /* MK_CAPF_* */
        uint8_t pad[3];
        uintptr_t obj;          /* object address (kernel virtual) */
        uint64_t word;          /* ep/ntfn: badge; cnode: guard; untyped: free offset;
                                 * frame/table: mapped virtual address */
        uintptr_t mapped;       /* frame/table: parent entry mapping it, 0 if none;
                                 * untyped: [word, mapped) is known zero (retype's
                                 * progress, untyped.c) */
};

/* Cap flags. DEVICE: an Untyped of device memory, or a Frame or Untyped
 * made from one (never zeroed, mapped uncached). IPCBUF: the copy of a Frame cap a
 * TCB holds in slots[MK_TCB_IPCBUF] for its IPC buffer; deleting it points
 * the TCB back at its own buffer. */
enum { MK_CAPF_DEVICE = 1 << 0, MK_CAPF_IPCBUF = 1 << 1 };

/* A capability slot. Slots are linked in one derivation list per root, in
 * preorder; no depth is stored: whether a slot's neighbour is its child
 * follows from the two caps and these bits (mdb.c, kernel/README.md). */
struct mk_cte {
        struct mk_cap cap;
        struct mk_cte *prev, *next;
        uintptr_t space;        /* a mapped Frame or table cap: the root table (VSpace
                                 * or guest space) of its mapping (vspace.c) */
        uint8_t revocable;      /* may have children: made by retype or issued
                                 * by a control cap, a root, or a new badge */
        uint8_t first;          /* begins its own subtree: no earlier cap of
                                 * its badge (or issued range) is its parent */
        uint8_t pad[6];         /* slots are 64 bytes */
};

struct mk_tcb;

struct mk_queue {
        struct mk_tcb *head, *tail;
};

enum { MK_EP_IDLE, MK_EP_SEND, MK_EP_RECV };

struct mk_endpoint {
        struct mk_queue q;
        uint64_t state;
};

struct mk_notification {
        struct mk_queue q;      /* waiters */
        uint64_t word;          /* pending badges, OR-ed */
        struct mk_tcb *bound;
};

struct mk_reply {
        struct mk_tcb *caller;  /* blocked on this reply object */
        struct mk_tcb *receiver;/* blocked in recv, will bind the next caller */
        uint64_t can_grant;
        uint64_t pad;
};

enum {
        MK_TS_INACTIVE = 0,
        MK_TS_RUNNING,
        MK_TS_READY,
        MK_TS_BLOCKED_SEND,
        MK_TS_BLOCKED_RECV,
        MK_TS_BLOCKED_REPLY,
        MK_TS_BLOCKED_NTFN,
};

enum { MK_TCB_CTABLE, MK_TCB_VTABLE, MK_TCB_FAULT_EP, MK_TCB_IPCBUF, MK_TCB_SLOTS };

/* How a thread last entered the kernel, which decides how it returns. */
enum {
        MK_ENTRY_TRAP = 0,      /* interrupt, exception or a fresh thread: restore ctx whole */
        MK_ENTRY_SYSCALL,       /* syscall: regs hold the results, ctx the rest */
        MK_ENTRY_GUEST,         /* in VMEnter: run the bound VCPU's guest, then return as
                                 * SYSCALL with the exit (vcpu.c) */
};

/* regs and ctx lead (the arch layer's entry code knows their offsets);
 * what the fast path touches follows on the next cache lines: state and
 * queue links, then the slots, the CSpace root first. */
struct mk_tcb {
        struct mk_regs regs;
        struct mk_user_ctx ctx;
        uint8_t state;
        uint8_t prio;
        uint8_t blocked_call;   /* blocked send is a call */
        uint8_t blocked_grant;  /* blocked send may transfer caps */
        uint32_t timeslice;
        struct mk_tcb *ep_prev, *ep_next;
        void *blocked_on;       /* endpoint or notification */
        struct mk_reply *reply; /* in recv: reply to bind; blocked on reply: bound one */
        struct mk_notification *bound;
        uint64_t blocked_badge;
        struct mk_tcb *sched_prev, *sched_next;
        struct mk_ipcbuf *ipcbuf;       /* the user's IPC buffer (kernel address, through
                                         * the frame cap in slots[MK_TCB_IPCBUF]), or &buf */
        struct mk_cte slots[MK_TCB_SLOTS];
        struct mk_ipcbuf buf;
        struct mk_vcpu *vcpu;           /* bound VCPU (VCPU_SET_TCB), or NULL */
};

/* The core's part of a VCPU object (at MK_VCPU_CORE_OFFSET): the guest's
 * registers the VMM reads and writes through VMEnter's message registers,
 * the event to inject, the last exit, the bound thread and a copy of the
 * guest space cap. The VMCB and the I/O permission map are the arch
 * layer's (vcpu_* hooks). */
struct mk_vcpu {
        struct mk_cte space;            /* child of the guest space cap, or empty */
        struct mk_tcb *tcb;             /* bound thread, or NULL */
        uint64_t rip, rflags, inject;
        uint64_t gpr[16];               /* rax rcx rdx rbx rsp rbp rsi rdi r8..r15 */
        uint64_t exit, info1, info2, len, intinfo;      /* the last exit */
};

/* What the core asks of the machine. The arch layer sets k->arch once at
 * boot; on the host it stays NULL and the core does without. */
struct mk_arch_ops {
        /* Every translation, and every paging-structure cache entry, of
         * addresses [vaddr, vaddr + 2^bits) in the address space whose root
         * table (VSpace or guest space, kernel address) is root went away:
         * bits 12 or 21 a frame, 21, 30, 39 a table's range, MK_USER_BITS
         * the whole space. Other spaces keep theirs (ASIDs, PCIDs). */
        void (*tlb_flush)(const uint64_t *root, uint64_t vaddr, unsigned bits);
        void (*vspace_init)(uint64_t *root);            /* a new VSpace root: fill what is
                                                         * not user (the kernel half) */
        uint32_t (*port_in)(uint16_t port, unsigned width);
        void (*port_out)(uint16_t port, unsigned width, uint32_t value);
        void (*irq_set_masked)(unsigned irq, int masked);
        void (*debug_write)(const char *s, size_t n);   /* MK_SYS_DEBUG_PUT (console.c) */
        size_t (*debug_room)(void);                     /* bytes debug_write takes now
                                                         * without waiting, a '\n' counting 2
                                                         * (CR LF); NULL: a whole step */
        uint64_t (*clock)(void);                        /* a cycle counter, for the
                                                         * kernel stretch (MK_DEBUG_STRETCH) */
        bool (*irq_pending)(void);                      /* an interrupt waits: long
                                                         * operations stop (preemption) */
        void (*restart)(struct mk_tcb *t);              /* t runs its syscall again when
                                                         * it resumes */
        /* VCPUs, only called when k->vm: set up the arch pages of a new
         * VCPU object (all I/O ports and MSRs but a harmless set exit);
         * read or write one MK_VCPU_STATE_* field (MK_OK or MK_E_RANGE);
         * let the guest use ports [first, last]. */
        void (*vcpu_init)(void *vcpu);
        int (*vcpu_state)(void *vcpu, unsigned field, uint64_t *value, bool write);
        void (*vcpu_ports)(void *vcpu, uint16_t first, uint16_t last);
        /* Instruction fetches must see [kva, kva + size) (a frame's kernel
         * address) as the data side wrote it: called before a frame is
         * mapped executable (aarch64: clean to the point of unification,
         * invalidate the instruction cache). NULL: fetches are coherent. */
        void (*code_sync)(const void *kva, size_t size);
        /* An entry went from invalid to valid: the table walker must see
         * it before user code runs (aarch64: dsb ishst). NULL: it does. */
        void (*entry_made)(void);
};

struct mk_kernel {
        struct mk_tcb *cur;             /* running thread, NULL when idle */
        uint64_t fastpath;              /* 1: use the fast path when it applies */
        uint64_t fastpath_hits;
        uint64_t ready_top;             /* highest ready priority + 1, 0: none (the fast
                                         * path's whole scheduler check) */
        uint64_t bitmap_top;
        uint64_t bitmap[MK_NUM_PRIOS / 64];
        const struct mk_arch_ops *arch; /* NULL on the host */
        uint64_t nx;                    /* 1: page-table entries may carry NX */
        uintptr_t phys_offset;          /* physical = virtual - phys_offset */
        uint64_t nresults;              /* result words of the running invocation */
        uint64_t irq_issued[(MK_IRQ_COUNT + 63) / 64]; /* bit per IRQ: a handler cap exists */
        struct mk_cte *zombies;         /* CNodes and TCBs being emptied (delete.c) */
        uint64_t preempted;             /* the last slow-path syscall stopped for an
                                         * interrupt and will run again */
        uint64_t preemptions;           /* how often (statistics, tests) */
        uint64_t stretch_max;           /* longest kernel stretch seen (k->arch->clock) */
        uint64_t stretch_t0;            /* when the current one began */
        uint64_t con_mid;               /* 1: the debug console is inside a line ... */
        uint64_t con_badge;             /* ... written through caps with this badge */
        uint64_t con_pre;               /* ... whose prefix is out up to here */
        uint64_t con_step_max;          /* most bytes one DEBUG_PUT step wrote (MK_DEBUG_STRETCH) */
        struct mk_cte boot_slots[2];    /* root CNode and root TCB, derivation roots */
        struct mk_cte irq_ntfn[MK_IRQ_COUNT]; /* per IRQ: a copy of the notification cap
                                         * it signals (IRQ_HANDLER_SET_NOTIFICATION) */
        struct mk_queue ready[MK_NUM_PRIOS];
        uint64_t vm;                    /* 1: the machine runs VCPUs (the arch layer sets it) */
};

_Static_assert(sizeof(struct mk_cte) == 1u << MK_CTE_BITS, "slot size");
_Static_assert(sizeof(struct mk_endpoint) <= 1u << MK_EP_BITS, "endpoint size");
_Static_assert(sizeof(struct mk_notification) <= 1u << MK_NTFN_BITS, "notification size");
_Static_assert(sizeof(struct mk_reply) <= 1u << MK_REPLY_BITS, "reply size");
_Static_assert(sizeof(struct mk_tcb) <= 1u << MK_TCB_BITS, "TCB size");
_Static_assert(sizeof(struct mk_vcpu) <= 4096u, "VCPU core page");

/* ---- entry points (boot.c, syscall.c, sched.c) ---- */

/* mk_boot: carve the root CNode (2^radix slots) and the root thread from
 * mem, put untyped caps for the rest into the root CNode and make the root
 * thread current at priority 255. Returns 0, or -1 when mem is too small
 * or radix is out of range; ret_bi is filled on success. It clears *k:
 * set k->arch, k->phys_offset and k->nx after it, before any retype. */
int mk_boot(struct mk_kernel *k, void *mem, size_t size, unsigned radix,
            struct mk_bootinfo *ret_bi);

/* mk_syscall: run the syscall whose decoded registers the arch layer saved
 * in the current thread's regs (k->cur, the caller: never NULL here).
 * Returns the register file of the thread to resume (maybe another one),
 * or NULL when no thread is runnable. */
struct mk_regs *mk_syscall(struct mk_kernel *k);

/* mk_boot_untyped: add Untyped caps covering [base, base + size) (kernel
 * virtual addresses; device memory is never touched) to the root CNode at
 * bi->empty_first onwards, updating bi (untyped_count grows, so call it for
 * every region before mk_boot_control_cap). Device caps carry
 * MK_CAPF_DEVICE: retype makes only Frames and device Untypeds of them,
 * unzeroed. Returns the
 * number of caps added, or -1 when the root CNode ran out of slots (the
 * caps that fitted stay) or the untyped list would not be contiguous. */
int mk_boot_untyped(struct mk_kernel *k, struct mk_bootinfo *bi, uintptr_t base,
                    uint64_t size, bool device);

/* mk_boot_control_cap: put a capability-only cap (MK_OBJ_IRQ_CONTROL,
 * MK_OBJ_IOPORT_CONTROL, MK_OBJ_DEBUG_CONSOLE) into the root CNode at
 * bi->empty_first, updating bi. Returns its slot, or -1 when the CNode is full. */
int64_t mk_boot_control_cap(struct mk_kernel *k, struct mk_bootinfo *bi, uint8_t type);

/* mk_boot_frames: Frame caps (4 KiB, rights as given, MDB roots: no
 * Untyped covers their memory) for the pages [base, base + pages * 4 KiB)
 * (kernel virtual, page aligned) into root CNode slots [first, first +
 * pages), which must be empty: boot modules handed to the root task.
 * Returns pages, or -1 (nothing made) when a slot is out of range or
 * taken, base is unaligned or rights unknown. */
int64_t mk_boot_frames(struct mk_kernel *k, uint64_t first, uintptr_t base, uint64_t pages,
                       uint8_t rights);

/* mk_boot_invoke: run an object invocation as the current (root) thread, as
 * if it had made the syscall CALL on cptr with label and the n message
 * registers mr. Lets the arch layer build the root task's address space
 * through the same checks as user code. Returns MK_OK or MK_E_*
 * (MK_E_INVALID_ARG: n > MK_MSG_MAX or no current thread); the results are
 * in k->cur->regs. */
int mk_boot_invoke(struct mk_kernel *k, uint64_t cptr, uint64_t label,
                   const uint64_t *mr, unsigned n);

/* mk_irq: the line irq fired (the arch layer masked it and sent EOI).
 * Signals the notification bound to it, if any; the line stays masked
 * until MK_IRQ_HANDLER_ACK. Returns the regs of the thread to resume. */
struct mk_regs *mk_irq(struct mk_kernel *k, unsigned irq);

/* mk_fault: the current thread took exception vector with error code and
 * address in user mode (x86-64: the vector, its error code, CR2 for #PF;
 * aarch64: ESR_EL1's exception class, the whole ESR_EL1, FAR_EL1). Sends the fault to its fault
 * endpoint, or suspends it. Returns the regs of the thread to resume. */
struct mk_regs *mk_fault(struct mk_kernel *k, unsigned vector, uint64_t code,
                         uint64_t addr);

/* mk_tcb_of: the TCB whose register file regs is. */
static inline struct mk_tcb *mk_tcb_of(struct mk_regs *regs)
{
        return (struct mk_tcb *)((char *)regs - offsetof(struct mk_tcb, regs));
}

/* mk_cur_regs: what every entry returns: the regs of the thread to
 * resume, or NULL when none is runnable. */
static inline struct mk_regs *mk_cur_regs(struct mk_kernel *k)
{
        return k->cur ? &k->cur->regs : NULL;
}

/* mk_timer_tick: account one tick to the running thread; on timeslice
 * expiry it goes to the tail of its priority. Returns the regs to resume. */
struct mk_regs *mk_timer_tick(struct mk_kernel *k);

/* ---- string.c ---- */
void *mk_memcpy(void *dst, const void *src, size_t n);
void *mk_memset(void *dst, int c, size_t n);
void *mk_memmove(void *dst, const void *src, size_t n);
int mk_memcmp(const void *a, const void *b, size_t n);

/* ---- bits.c helpers, inline ---- */
static inline uint64_t mk_mask(unsigned bits)
{
        return bits >= 64 ? ~(uint64_t)0 : (((uint64_t)1 << bits) - 1);
}
static inline uint64_t mk_shr(uint64_t x, unsigned n)
{
        return n >= 64 ? 0 : x >> n;
}
static inline unsigned mk_highbit(uint64_t x)
{
        return 63u - (unsigned)__builtin_clzll(x);
}

/* ---- cap.c ---- */
bool mk_cap_same_object(const struct mk_cap *a, const struct mk_cap *b);
bool mk_cap_same_region(const struct mk_cap *a, const struct mk_cap *b);
bool mk_cap_is_revocable(const struct mk_cap *derived, const struct mk_cap *src);
bool mk_cap_is_table(uint8_t type);
uint64_t mk_obj_bits(uint8_t type, uint64_t user_bits);
int mk_cap_derive(const struct mk_cap *src, uint8_t rights, bool mint,
                  uint64_t word, struct mk_cap *ret);

/* ---- mdb.c ---- */
void mk_mdb_insert_child(struct mk_cte *src, struct mk_cte *dst,
                         const struct mk_cap *cap);
void mk_mdb_insert_new(struct mk_cte *ut, struct mk_cte *dst, const struct mk_cap *cap);
void mk_mdb_insert_root(struct mk_cte *slot, const struct mk_cap *cap);
void mk_mdb_unlink(struct mk_cte *slot);
void mk_mdb_move(struct mk_cte *dst, struct mk_cte *src);
bool mk_mdb_parent_of(const struct mk_cte *a, const struct mk_cte *b);
bool mk_mdb_has_children(const struct mk_cte *slot);
bool mk_mdb_is_final(const struct mk_cte *slot);

/* mk_mdb_is_root: whether slot heads its derivation list (a cap the
 * kernel made at boot; delete.c revokes it before deleting it, so the
 * head of a list is always one). Inline: every deletion asks. */
static inline bool mk_mdb_is_root(const struct mk_cte *slot)
{
        return slot->cap.type != MK_OBJ_NULL && slot->prev == NULL;
}

/* ---- cspace.c ---- */
int mk_lookup_slot(struct mk_cte *root, uint64_t cptr, unsigned depth,
                   bool exact, struct mk_cte **ret);
int mk_lookup_cap(struct mk_tcb *t, uint64_t cptr, struct mk_cte **ret);
static inline struct mk_cte *mk_cnode_slots(const struct mk_cap *cnode)
{
        return (struct mk_cte *)cnode->obj;
}

/* mk_cap_arg: the slot that argument i of the running invocation names:
 * a cap of type with all of rights. Returns MK_OK, a lookup error,
 * MK_E_WRONG_TYPE or MK_E_RIGHTS. */
int mk_cap_arg(struct mk_kernel *k, unsigned i, uint8_t type, uint8_t rights,
               struct mk_cte **ret);

/* mk_dest_slots: count empty slots from index in the CNode the running
 * thread names with cptr (depth 64), for methods that make caps. Returns
 * MK_OK, a lookup error, MK_E_WRONG_TYPE (not a CNode), MK_E_RANGE (past
 * its end) or MK_E_DELETE_FIRST (a slot is full). */
int mk_dest_slots(struct mk_kernel *k, uint64_t cptr, uint64_t index, uint64_t count,
                  struct mk_cte **ret);

/* ---- delete.c ---- */
void mk_cte_delete(struct mk_kernel *k, struct mk_cte *slot);
void mk_cte_delete_leaf(struct mk_kernel *k, struct mk_cte *slot);
int mk_cte_revoke(struct mk_kernel *k, struct mk_cte *slot);
int mk_cte_delete_preemptible(struct mk_kernel *k, struct mk_cte *slot);
int mk_zombies_drain(struct mk_kernel *k);

/* ---- cnode.c ---- */
int mk_cnode_invoke(struct mk_kernel *k, struct mk_cte *cnode, uint64_t label);

/* ---- untyped.c ---- */
int mk_untyped_invoke(struct mk_kernel *k, struct mk_cte *ut, uint64_t label);

/* ---- object.c ---- */
void mk_object_init(struct mk_kernel *k, uint8_t type, void *obj, uint64_t bits);
void mk_object_finalise(struct mk_kernel *k, struct mk_cap *cap);

/* ---- tcb.c ---- */
int mk_tcb_invoke(struct mk_kernel *k, struct mk_cte *tcb, uint64_t label);
void mk_tcb_cancel(struct mk_kernel *k, struct mk_tcb *t);
void mk_tcb_suspend(struct mk_kernel *k, struct mk_tcb *t);
void mk_tcb_resume(struct mk_kernel *k, struct mk_tcb *t);
void mk_tcb_set_prio(struct mk_kernel *k, struct mk_tcb *t, uint8_t prio);
void mk_tcb_abort(struct mk_kernel *k, struct mk_tcb *t);
void mk_tcb_ipcbuf_deleted(struct mk_cte *slot);

/* ---- queue.c ---- */
void mk_queue_append(struct mk_queue *q, struct mk_tcb *t);
void mk_queue_remove(struct mk_queue *q, struct mk_tcb *t);

/* ---- message.c ---- */
void mk_msg_transfer(struct mk_kernel *k, struct mk_tcb *src, struct mk_tcb *dst,
                     uint64_t badge, bool grant);

/* ---- endpoint.c ---- */
int mk_ep_send(struct mk_kernel *k, struct mk_tcb *t, struct mk_cte *ep, bool block,
               bool call);
int mk_ep_recv(struct mk_kernel *k, struct mk_tcb *t, struct mk_cte *ep,
               struct mk_reply *reply, bool block);
int mk_reply_send(struct mk_kernel *k, struct mk_tcb *t, struct mk_reply *r);
void mk_ep_cancel_all(struct mk_kernel *k, struct mk_endpoint *ep);
void mk_reply_unbind(struct mk_kernel *k, struct mk_reply *r);

/* ---- notification.c ---- */
void mk_ntfn_signal(struct mk_kernel *k, struct mk_notification *n, uint64_t badge);
int mk_ntfn_wait(struct mk_kernel *k, struct mk_tcb *t, struct mk_notification *n,
                 bool block);
void mk_ntfn_cancel_all(struct mk_kernel *k, struct mk_notification *n);
void mk_ntfn_unbind(struct mk_notification *n);

/* ---- sched.c ---- */
void mk_sched_enqueue(struct mk_kernel *k, struct mk_tcb *t, bool head);
void mk_sched_dequeue(struct mk_kernel *k, struct mk_tcb *t);

/* mk_sched_highest: the highest priority with a ready thread, or -1. */
static inline int mk_sched_highest(const struct mk_kernel *k)
{
        unsigned w;

        if (!k->bitmap_top)
                return -1;
        w = mk_highbit(k->bitmap_top);
        return (int)(w * 64 + mk_highbit(k->bitmap[w]));
}
void mk_sched_wake(struct mk_kernel *k, struct mk_tcb *t);
void mk_sched_block(struct mk_kernel *k, struct mk_tcb *t, uint8_t state);
void mk_schedule(struct mk_kernel *k);
void mk_sched_yield(struct mk_kernel *k);

/* ---- vspace.c ---- */

/* A table object holds 512 hardware entries, then its shadow: per entry
 * the slot of the cap that filled it. Slots are 8-byte aligned, so bit 0
 * of the first shadow word is free: MK_TABLE_MAPPED says the table itself
 * is mapped (one mapping per table object, whichever cap made it). */
#define MK_TABLE_MAPPED ((uintptr_t)1)
/* Bit 1: the table is being emptied (vspace.c): no walk reaches it any
 * more, but the shadows below it still name caps whose mappings are to
 * be forgotten; a preempted unmap or delete goes on from there. */
#define MK_TABLE_EMPTYING ((uintptr_t)2)
#define MK_TABLE_FLAGS (MK_TABLE_MAPPED | MK_TABLE_EMPTYING)
/* A VSpace root's entries from MK_ROOT_USER_ENTRIES on belong to the arch
 * layer (x86-64: the kernel half; aarch64: no walk reaches them, its
 * TTBR0 value is there); their shadow words stay 0 (emptying a root reads
 * every shadow word as a slot). */

/* mk_table_slot: the slot whose cap filled the table entry e, or NULL. */
static inline struct mk_cte *mk_table_slot(const uint64_t *e)
{
        return (struct mk_cte *)(*(const uintptr_t *)(e + MK_TABLE_ENTRIES) & ~MK_TABLE_FLAGS);
}

int mk_page_invoke(struct mk_kernel *k, struct mk_cte *page, uint64_t label);
int mk_page_unmap(struct mk_kernel *k, struct mk_cte *slot, bool preemptible);
int mk_table_clear(struct mk_kernel *k, struct mk_cap *cap, bool preemptible);
void mk_page_moved(struct mk_cte *slot);

/* ---- vcpu.c ---- */
static inline struct mk_vcpu *mk_vcpu_of(uintptr_t obj)
{
        return (struct mk_vcpu *)(obj + MK_VCPU_CORE_OFFSET);
}
static inline void *mk_vcpu_arch(const struct mk_vcpu *v)
{
        return (char *)v - MK_VCPU_CORE_OFFSET;
}
int mk_vcpu_invoke(struct mk_kernel *k, struct mk_cte *slot, uint64_t label);
int mk_vcpu_enter(struct mk_kernel *k, struct mk_tcb *t);
void mk_vcpu_exit(struct mk_kernel *k, struct mk_tcb *t);
void mk_vcpu_notify(struct mk_kernel *k, struct mk_tcb *t, uint64_t word);
void mk_vcpu_unbind(struct mk_kernel *k, struct mk_vcpu *v);
void mk_vcpu_finalise(struct mk_kernel *k, struct mk_vcpu *v);

/* ---- irq.c, ioport.c ---- */
int mk_irq_invoke(struct mk_kernel *k, struct mk_cte *slot, uint64_t label);
void mk_irq_handler_gone(struct mk_kernel *k, unsigned irq);
int mk_ioport_invoke(struct mk_kernel *k, struct mk_cte *slot, uint64_t label);
bool mk_ioport_inside(uint64_t word, uint64_t outer);

/* ---- console.c ---- */
int mk_debug_put(struct mk_kernel *k, struct mk_tcb *t);
int mk_console_invoke(struct mk_kernel *k, struct mk_cte *slot, uint64_t label);

/* The kernel stretch: the longest run of kernel code during which an
 * interrupt that arrives cannot be taken: from the core's entry (the slow
 * path of a syscall, a tick, an interrupt, a fault) to its return, or to
 * or from a preemption point (mk_preempt_pending) on the way. The arch
 * layer's entry and exit code, a few dozen instructions, and the IPC
 * fast path are not counted. */
static inline void mk_stretch_begin(struct mk_kernel *k)
{
        if (k->arch && k->arch->clock)
                k->stretch_t0 = k->arch->clock();
}
static inline void mk_stretch_end(struct mk_kernel *k)
{
        uint64_t d;

        if (!k->arch || !k->arch->clock)
                return;
        d = k->arch->clock() - k->stretch_t0;
        if (d > k->stretch_max)
                k->stretch_max = d;
}

/* mk_console_break: the kernel is about to write a line of its own to
 * the debug console: end a user line left open, so the kernel's line
 * starts a line. */
void mk_console_break(struct mk_kernel *k);

/* ---- preemption points (syscall.c) ----
 * A long operation (retype's zeroing, revoke) works in bounded steps and
 * asks between them whether an interrupt waits. If one does, it stops
 * with MK_PREEMPTED, its progress recorded in the objects so that running
 * the same syscall again goes on from there (seL4's restartable
 * operations); the thread's registers stay as they were and it re-runs
 * the syscall after the interrupt. Not an error code: never reaches user. */
#define MK_PREEMPTED (-1)
static inline bool mk_preempt_pending(struct mk_kernel *k)
{
        if (!k->arch || !k->arch->irq_pending)
                return false;
        mk_stretch_end(k);              /* an interrupt waiting now is taken at once */
        mk_stretch_begin(k);
        return k->arch->irq_pending();
}

/* ---- syscall.c: the slow path; fastpath.c holds mk_syscall() ---- */
struct mk_regs *mk_syscall_slow(struct mk_kernel *k);

/* ---- syscall.c ---- */
uint64_t mk_get_mr(const struct mk_tcb *t, unsigned i);
void mk_set_mr(struct mk_tcb *t, unsigned i, uint64_t v);

/* mk_arg: argument i of the running thread's invocation: message register
 * i, or 0 beyond the length of its message. */
static inline uint64_t mk_arg(const struct mk_kernel *k, unsigned i)
{
        return i < mk_info_len(k->cur->regs.info) ? mk_get_mr(k->cur, i) : 0;
}

/* mk_set_result: result word i of the running invocation (after its
 * arguments are read): the reply carries label 0 and as many words as the
 * highest one set. */
void mk_set_result(struct mk_kernel *k, unsigned i, uint64_t v);

#endif
