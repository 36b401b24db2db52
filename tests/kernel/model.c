/* tests/kernel/model.c: model-based randomized test. Four threads and a
 * low-priority driver issue random syscalls (IPC with and without caps,
 * replies, signals, yields, suspend/resume, priority changes,
 * retype/copy/mint/move/delete/revoke in an arena
 * untyped, CNode methods on nested CNodes) and timer ticks. After every
 * step the kernel state is checked against the model's invariants:
 *   - every cap lies in a derivation list that starts at an initial cap,
 *     and the tree the core reads from the lists (no depth stored) is the
 *     reference model's (tests/kernel/kd.h: parents by the derivation
 *     rules alone, fed the core's every insert, move and unlink);
 *   - a delete or revoke empties exactly the cap's model descendants
 *     (and the cap, for delete), besides the slots of objects it kills;
 *   - no two live objects share memory, and none lies above its arena's
 *     watermark;
 *   - after a revoke the cap has no descendant;
 *   - every message is delivered exactly once, or still held by its
 *     blocked sender;
 *   - the running thread has the highest priority of all ready threads;
 *   - endpoint queues equal a model of FIFO queues, each send reaches the
 *     first waiting receiver and each receive takes the first sender's
 *     message;
 *   - notification words and waiter queues equal a reference model, and
 *     every signal, wait and poll returns what the model predicts;
 *   - a thread uses its own IPC buffer exactly when its IPC buffer slot is
 *     empty, else one inside the frame that slot names;
 *   - every present entry of every table reachable from a PML4 or a guest
 *     space (a nested PML4, mapped into by the same code) is recorded
 *     by exactly one cap, every recorded mapping is such an entry, tables
 *     nothing reaches are empty, and a simulated TLB that caches every
 *     entry before a step holds nothing stale after the core's flush
 *     requests (tests/kernel/kv.h).
 * Copy chains (each copy made from the one before, badged mints among
 * them) join the copies and mints of single caps.
 * Faults (calls on two workers' fault endpoints, carried through the
 * endpoint model like messages), interrupts (an IRQ line bound to a badged
 * notification cap) and IPC buffers in arena frames (which the capability
 * work deletes and revokes at random) join the mix, and so do address
 * spaces: PML4s, guest spaces, tables and frames retyped in the arena,
 * mapped, unmapped, mapped again, copied, moved, deleted, revoked with the
 * arena Untyped and retyped again, and PML4s given to threads as their
 * VSpace.
 * THATTE_MK_MODEL_SEED and THATTE_MK_MODEL_STEPS choose the run; the seed
 * is printed so a failure can be replayed. */
#include "kt.h"
#include "kv.h"
#include "kd.h"

#define NT 4                    /* worker threads */
#define ARENA 24                /* arena slots in the root CNode */
#define MSG_LABEL 7
#define MAGIC 0x9e3779b97f4a7c15ull
#define MAX_PENDING 64
#define SET_SIZE 8192

static uint64_t rng;
static uint64_t rnd(void)
{
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        return rng;
}
#define PICK(n) (rnd() % (n))

static struct mk_tcb *T[NT + 1];        /* T[NT] is the root (driver) */
static uint64_t tcb_cptr[NT + 1], ep[2], ntfn[2], reply[NT], arena_ut, arena0;
static uint64_t ntfn_badged[2][4];      /* caps with badges 1, 2, 4, 8 */
static uint64_t irq_ctl;                /* IRQ control cap: line IRQ_LINE signals */
static uint64_t home_pml4;              /* a VSpace root outside the arena: it stays */
#define IRQ_LINE 3u                     /* ntfn[IRQ_NTFN] with badge 1 << IRQ_BADGE */
#define IRQ_NTFN 0
#define IRQ_BADGE 2
#define FAULTING 2                      /* workers 0 and 1 have fault endpoints ep[0], ep[1] */

/* Reference model of the notifications: the word and the FIFO of waiters. */
static uint64_t model_word[2];
static int model_waiters[2][NT + 1];
static unsigned model_nwait[2];
static uint64_t next_id = 1;
static unsigned step;
static int failed;
static unsigned stat_copy, stat_delparent, stat_irq, stat_fault, stat_ipcbuf;
static unsigned stat_map_frame, stat_map_table, stat_remap_table, stat_copy_table, stat_flush;
static unsigned stat_map_guest;        /* frames and tables mapped into a guest space */
static unsigned stat_revoke_mapped;
static unsigned stat_chain, stat_badge_chain;   /* copies of copies; chains with a badge */
static unsigned stat_rebadge;                   /* second originals of a chain's badge */

struct pending { uint64_t id; struct mk_tcb *sender; };
static struct pending pend[MAX_PENDING];
static unsigned npend;

static void fail(const char *what)
{
        if (!failed)
                printf("# invariant broken at step %u: %s\n", step, what);
        failed++;
}

/* ---- pointer set for the derivation check ---- */
static const void *set[SET_SIZE];
static void set_clear(void) { memset(set, 0, sizeof(set)); }
static int set_add(const void *p)
{
        size_t h = ((uintptr_t)p >> 6) * 0x9e3779b1u % SET_SIZE;

        while (set[h] && set[h] != p)
                h = (h + 1) % SET_SIZE;
        if (set[h])
                return 0;
        set[h] = p;
        return 1;
}
static int set_has(const void *p)
{
        size_t h = ((uintptr_t)p >> 6) * 0x9e3779b1u % SET_SIZE;

        while (set[h] && set[h] != p)
                h = (h + 1) % SET_SIZE;
        return set[h] == p;
}

/* ---- the messages ---- */
static void put_msg(struct mk_tcb *t, uint64_t *ret_info)
{
        uint64_t id = next_id++;
        unsigned len = 2 + (unsigned)PICK(5), caps = PICK(4) == 0;

        mk_set_mr(t, 0, id);
        mk_set_mr(t, 1, id * MAGIC);
        for (unsigned i = 2; i < len; i++)
                mk_set_mr(t, i, rnd());
        t->ipcbuf->caps[0] = arena0 + PICK(ARENA);
        *ret_info = mk_info(MSG_LABEL, caps, len);
}

static void add_pending(uint64_t id, struct mk_tcb *sender)
{
        if (npend == MAX_PENDING) {
                fail("too many messages in flight");
                return;
        }
        pend[npend].id = id;
        pend[npend++].sender = sender;
}

static void receipt(struct mk_tcb *t)
{
        uint64_t id = t->regs.mr[0];

        if (t->regs.nr != MK_OK || mk_info_len(t->regs.info) < 2 ||
            (mk_info_label(t->regs.info) != MSG_LABEL && mk_info_label(t->regs.info) != MK_FAULT_LABEL))
                return;
        if (t->regs.mr[1] != id * MAGIC) {
                fail("message corrupted");
                return;
        }
        for (unsigned i = 0; i < npend; i++)
                if (pend[i].id == id) {
                        pend[i] = pend[--npend];
                        return;
                }
        fail("message delivered twice or never sent");
}

static bool blocked(const struct mk_tcb *t)
{
        return t->state >= MK_TS_BLOCKED_SEND;
}

static bool waits_for_msg(uint8_t state)
{
        return state == MK_TS_BLOCKED_RECV || state == MK_TS_BLOCKED_REPLY;
}

/* After a step: collect receipts, then every message left must be held by
 * its blocked sender, or its send must have failed. */
static void check_messages(struct mk_tcb *actor, bool actor_receives, const uint8_t *before)
{
        for (int i = 0; i <= NT; i++) {
                struct mk_tcb *t = T[i];

                if (t == actor ? actor_receives && !blocked(t) : waits_for_msg(before[i]) && !blocked(t))
                        receipt(t);
        }
        for (unsigned i = 0; i < npend;) {
                struct mk_tcb *s = pend[i].sender;

                if (s->state == MK_TS_BLOCKED_SEND && s->regs.mr[0] == pend[i].id) {
                        i++;
                } else if (s == actor && !blocked(s) && s->regs.nr != MK_OK) {
                        pend[i] = pend[--npend];
                } else {
                        fail("message lost");
                        pend[i] = pend[--npend];
                }
        }
}

/* ---- notifications ---- */
static void model_signal(int n, uint64_t badge)
{
        struct mk_tcb *w;

        if (!model_nwait[n]) {
                model_word[n] |= badge;
                return;
        }
        w = T[model_waiters[n][0]];
        memmove(model_waiters[n], model_waiters[n] + 1, --model_nwait[n] * sizeof(int));
        if (blocked(w) || w->regs.nr != MK_OK || w->regs.cptr != (model_word[n] | badge))
                fail("signal did not wake the first waiter with the word");
        model_word[n] = 0;
}

static void model_wait(int n, int i, bool block)
{
        struct mk_tcb *t = T[i];

        if (model_word[n] || !block) {
                if (t->regs.nr != MK_OK || t->regs.cptr != model_word[n] || blocked(t))
                        fail("wait or poll did not return the word");
                model_word[n] = 0;
        } else if (t->state != MK_TS_BLOCKED_NTFN) {
                fail("wait on an empty notification did not block");
        } else {
                model_waiters[n][model_nwait[n]++] = i;
        }
}

static void check_ntfn(void)
{
        for (int n = 0; n < 2; n++) {
                struct mk_notification *k = (struct mk_notification *)kt_slot(ntfn[n])->cap.obj;
                struct mk_tcb *q = k->q.head;

                if (k->word != model_word[n])
                        fail("notification word differs from the model");
                for (unsigned j = 0; j < model_nwait[n]; j++, q = q->ep_next)
                        if (q != T[model_waiters[n][j]])
                                fail("notification waiters differ from the model");
                if (q)
                        fail("notification has waiters the model does not");
        }
}

/* ---- IPC buffers: own buffer exactly when the slot is empty ---- */
static void check_ipcbuf(void)
{
        for (int i = 0; i <= NT; i++) {
                const struct mk_tcb *t = T[i];
                const struct mk_cap *c = &t->slots[MK_TCB_IPCBUF].cap;
                uintptr_t b = (uintptr_t)t->ipcbuf;

                if (c->type == MK_OBJ_NULL ? t->ipcbuf != &t->buf :
                    c->type != MK_OBJ_FRAME || !(c->flags & MK_CAPF_IPCBUF) || b < c->obj ||
                    b + sizeof(struct mk_ipcbuf) > c->obj + 4096)
                        fail("IPC buffer does not match the TCB's frame cap");
        }
}

/* ---- endpoints: a model of each FIFO queue ---- */
struct mq_entry { int t; uint64_t id; };
static struct mq_entry mq[2][NT + 1];
static unsigned mqn[2];
static uint64_t mq_kind[2];

static struct mq_entry mq_pop(int e)
{
        struct mq_entry h = mq[e][0];

        memmove(mq[e], mq[e] + 1, --mqn[e] * sizeof(mq[e][0]));
        return h;
}

static void mq_push(int e, int t, uint64_t id, uint64_t kind)
{
        mq[e][mqn[e]].t = t;
        mq[e][mqn[e]++].id = id;
        mq_kind[e] = kind;
}

static void model_send(int e, int i, uint64_t id, bool block)
{
        if (mqn[e] && mq_kind[e] == MK_EP_RECV) {
                if (T[mq_pop(e).t]->regs.mr[0] != id)
                        fail("send did not reach the first receiver");
        } else if (block) {
                mq_push(e, i, id, MK_EP_SEND);
        }
}

static void model_recv(int e, int i, bool block)
{
        if (mqn[e] && mq_kind[e] == MK_EP_SEND) {
                if (blocked(T[i]) || T[i]->regs.mr[0] != mq_pop(e).id)
                        fail("receive did not take the first sender's message");
        } else if (block) {
                mq_push(e, i, 0, MK_EP_RECV);
        }
}

static void check_eps(void)
{
        for (int e = 0; e < 2; e++) {
                struct mk_endpoint *k = (struct mk_endpoint *)kt_slot(ep[e])->cap.obj;
                struct mk_tcb *q = k->q.head;

                if (k->state != (mqn[e] ? mq_kind[e] : MK_EP_IDLE))
                        fail("endpoint state differs from the model");
                for (unsigned j = 0; j < mqn[e] && q; j++, q = q->ep_next)
                        if (q != T[mq[e][j].t])
                                fail("endpoint queue order differs from the model");
                if (q || (mqn[e] && !k->q.head))
                        fail("endpoint queue length differs from the model");
        }
}

/* ---- scheduler ---- */
static void check_sched(void)
{
        int best = -1;

        for (int i = 0; i <= NT; i++) {
                struct mk_tcb *t = T[i];
                bool queued = false;

                for (struct mk_tcb *q = kt_k.ready[t->prio].head; q; q = q->sched_next)
                        queued |= q == t;
                if ((t->state == MK_TS_READY) != queued)
                        fail("ready state and ready queues disagree");
                if (t->state == MK_TS_READY && t->prio > best)
                        best = t->prio;
                if ((t->state == MK_TS_RUNNING) != (t == kt_k.cur))
                        fail("running state is not the current thread");
        }
        if (kt_k.cur ? (int)kt_k.cur->prio < best : best >= 0)
                fail("a higher-priority thread is ready");
        if (mk_sched_highest(&kt_k) != best || (int)kt_k.ready_top - 1 != best)
                fail("bitmap or ready_top disagrees with the ready threads");
}

/* ---- capabilities and memory ---- */
struct obj { uintptr_t base; uint64_t size; uint8_t type; const struct mk_cte *cte; };
static struct obj objs[4096];
static unsigned nobjs;
static struct mk_cte *cnodes[512];
static unsigned ncnodes;
static struct mk_cte *mcaps[1024];      /* slots holding Frame or table caps */
static unsigned nmcaps;

static void note_cte(struct mk_cte *c)
{
        const struct mk_cap *cap = &c->cap;

        if (cap->type == MK_OBJ_NULL)
                return;
        if (cap->type == MK_OBJ_ZOMBIE) {
                fail("zombie left after a step");
                return;
        }
        if (!set_has(c))
                fail("cap without a derivation path from an initial cap");
        if ((cap->type == MK_OBJ_FRAME || mk_cap_is_table(cap->type)) && nmcaps < 1024)
                mcaps[nmcaps++] = c;
        if (cap->type == MK_OBJ_CNODE && set_add((const char *)cap->obj + 1) && ncnodes < 512)
                cnodes[ncnodes++] = c;
        if (cap->type == MK_OBJ_TCB && set_add((const char *)cap->obj + 2)) {
                struct mk_tcb *t = (struct mk_tcb *)cap->obj;

                for (int i = 0; i < MK_TCB_SLOTS; i++)
                        note_cte(&t->slots[i]);
        }
        if (nobjs < 4096 && cap->type < MK_OBJ_COUNT) {
                uint64_t bits = mk_obj_bits(cap->type, cap->type == MK_OBJ_CNODE || cap->type == MK_OBJ_FRAME
                                            || cap->type == MK_OBJ_UNTYPED ? cap->bits : 0);
                objs[nobjs].base = cap->obj;
                objs[nobjs].size = (uint64_t)1 << bits;
                objs[nobjs].type = cap->type;
                objs[nobjs++].cte = c;
        }
}

static int by_base(const void *a, const void *b)
{
        const struct obj *x = a, *y = b;

        return x->base < y->base ? -1 : x->base > y->base;
}

/* Objects inside an untyped's region are exactly its descendants, and lie
 * below its watermark. */
static void check_untyped(const struct obj *u)
{
        static const void *desc[1024];
        const struct mk_cte *d;
        unsigned n = 0;

        for (d = u->cte->next; d && mk_mdb_parent_of(u->cte, d); d = d->next) {
                if (d->cap.type == MK_OBJ_UNTYPED && d->cap.obj == u->base && d->cap.bits == u->cte->cap.bits)
                        continue;
                if (n < 1024)
                        desc[n++] = (const void *)d->cap.obj;
        }
        for (unsigned i = 0; i < nobjs; i++) {
                const struct obj *o = &objs[i];
                bool mine = false;

                if (o->base + o->size <= u->base || o->base >= u->base + u->size || o == u)
                        continue;
                if (o->type == MK_OBJ_UNTYPED && o->base <= u->base &&
                    o->base + o->size >= u->base + u->size)
                        continue;       /* u itself, or an untyped u was made from */
                for (unsigned j = 0; j < n && !mine; j++)
                        mine = desc[j] == (const void *)o->base;
                if (!mine) {
                        tap_diag("object type %d at %#lx in untyped %#lx bits %d", o->type,
                                 (unsigned long)o->base, (unsigned long)u->base, u->cte->cap.bits);
                        fail("object inside an untyped that did not make it");
                }
                else if (o->base < u->base || o->base + o->size > u->base + u->cte->cap.word)
                        fail("live object outside its untyped's used part");
        }
}

static void check_caps(void)
{

        set_clear();
        nobjs = ncnodes = nmcaps = 0;
        /* mark every slot reachable from an initial cap, checking the list */
        for (uint64_t i = 0; i < 3 + kt_bi.untyped_count; i++) {
                struct mk_cte *c = i < 2 ? &kt_k.boot_slots[i] : i == 2 ? kt_slot(irq_ctl) :
                                   kt_slot(kt_bi.untyped_first + i - 3);

                if (c->cap.type == MK_OBJ_NULL)
                        continue;
                if (!mk_mdb_is_root(c))
                        fail("initial cap is not a list head");
                for (; c; c = c->next)
                        if (!set_add(c)) {
                                fail("derivation list has a cycle or shares a slot");
                                break;
                        }
        }
        if (kd_check())
                fail(kd_error);
        cnodes[ncnodes++] = &kt_k.boot_slots[0];
        set_add((const char *)kt_k.boot_slots[0].cap.obj + 1);
        for (unsigned i = 0; i < ncnodes; i++) {
                struct mk_cte *s = mk_cnode_slots(&cnodes[i]->cap);

                for (uint64_t j = 0; j < (1ull << cnodes[i]->cap.bits); j++)
                        note_cte(&s[j]);
        }
        for (int i = 0; i <= NT; i++)
                for (int j = 0; j < MK_TCB_SLOTS; j++)
                        note_cte(&T[i]->slots[j]);
        qsort(objs, nobjs, sizeof(objs[0]), by_base);
        for (unsigned i = 0; i + 1 < nobjs; i++) {
                if (objs[i].type == MK_OBJ_UNTYPED || objs[i + 1].type == MK_OBJ_UNTYPED)
                        continue;
                if (objs[i].base == objs[i + 1].base && objs[i].type == objs[i + 1].type &&
                    objs[i].size == objs[i + 1].size)
                        continue;
                if (objs[i].base + objs[i].size > objs[i + 1].base)
                        fail("two live objects share memory");
        }
        for (unsigned i = 0; i < nobjs; i++)
                if (objs[i].type == MK_OBJ_UNTYPED)
                        check_untyped(&objs[i]);
        if (kt_k.zombies)
                fail("zombie stack not empty");
}

/* ---- address spaces: after check_caps listed the objects and caps ---- */
static void check_vspaces(void)
{
        static uintptr_t pml4s[4096];
        const char *err = NULL;
        unsigned n = 0;

        for (unsigned i = 0; i < nobjs; i++)
                if ((objs[i].type == MK_OBJ_PML4 || objs[i].type == MK_OBJ_GSPACE) &&
                    (n == 0 || pml4s[n - 1] != objs[i].base))
                        pml4s[n++] = objs[i].base;      /* objs are sorted */
        kv_walk(pml4s, n);
        err = kv_accounted(mcaps, nmcaps);
        for (unsigned i = 0; i < nobjs && !err; i++)
                if (objs[i].type >= MK_OBJ_PDPT && objs[i].type <= MK_OBJ_PT)
                        err = kv_empty((const uint64_t *)objs[i].base);
        if (err)
                fail(err);
        if (kv_stale())
                fail("a translation stays cached after the tables dropped it: no flush covered it");
        stat_flush += kv_nflush;
        kv_begin();
}

/* ---- actions ---- */
static uint64_t arena_slot(void) { return arena0 + PICK(ARENA); }

/* A random arena slot holding a cap of one of the types (mask of 1 <<
 * type; bit 0: empty), when there is one. */
static uint64_t arena_pick_type(unsigned mask)
{
        uint64_t start = PICK(ARENA);

        for (uint64_t i = 0; i < ARENA; i++) {
                uint64_t s = arena0 + (start + i) % ARENA;
                uint8_t type = kt_slot(s)->cap.type;

                if (type < 32 && (mask & (1u << type)))
                        return s;
        }
        return arena_slot();
}

/* A random arena slot that is full (or empty), when there is one. */
static uint64_t arena_pick(bool full)
{
        return arena_pick_type(full ? ~1u : 1u);
}

/* Whether an arena frame or table is mapped (the arena Untyped made it). */
static bool arena_mapped(void)
{
        for (uint64_t i = 0; i < ARENA; i++)
                if (kt_slot(arena0 + i)->cap.mapped)
                        return true;
        return false;
}

#define MAPPABLE (1u << MK_OBJ_FRAME | 1u << MK_OBJ_PDPT | 1u << MK_OBJ_PD | 1u << MK_OBJ_PT)

/* Table objects mapped so far: a second map of one is a remap. */
static uintptr_t ever_mapped[256];
static unsigned nmapped_tables;

static void note_table_map(uintptr_t obj)
{
        for (unsigned i = 0; i < nmapped_tables; i++)
                if (ever_mapped[i] == obj) {
                        stat_remap_table++;
                        return;
                }
        if (nmapped_tables < 256)
                ever_mapped[nmapped_tables++] = obj;
}

/* What a PAGE_MAP at va into the PML4 of cap c needs next: the type of
 * the first missing table, or a frame. */
static unsigned needed_type(const struct mk_cap *c, uint64_t va)
{
        static const uint8_t type[] = { MK_OBJ_PDPT, MK_OBJ_PD, MK_OBJ_PT };
        const uint64_t *t = (const uint64_t *)c->obj;

        if (c->type != MK_OBJ_PML4 && c->type != MK_OBJ_GSPACE)
                return MK_OBJ_FRAME;
        for (unsigned l = 0; l < 3; l++) {
                uint64_t e = t[(va >> (39 - 9 * l)) & 511];

                if (!(e & KV_P))
                        return type[l];
                t = (const uint64_t *)((e & KV_ADDR) + kt_k.phys_offset);
        }
        return MK_OBJ_FRAME;
}

/* PAGE_MAP a frame or table of the arena into the home PML4 or an arena
 * one at one of a few addresses (mostly one PDPT, two choices below), so
 * tables stack up, collide and come back; half the time the cap is of the
 * type the address needs next (retyped when the arena has none), now and
 * then the address or rights are odd. NBSEND, as the slot may hold an
 * endpoint. */
static void map_action(struct mk_tcb *t)
{
        uint64_t va = (PICK(8) ? 0 : 1ull << 39) | PICK(2) << 30 | PICK(2) << 21 | PICK(2) << 12;
        uint64_t m[4], a, shift;
        const struct mk_cap *c;
        unsigned need;

        m[0] = PICK(2) ? home_pml4 : arena_pick_type(1u << MK_OBJ_PML4 | 1u << MK_OBJ_GSPACE);
        if (!mk_cap_is_table(kt_slot(m[0])->cap.type) && PICK(4))
                m[0] = home_pml4;
        need = PICK(2) ? needed_type(&kt_slot(m[0])->cap, va) : 0;
        a = arena_pick_type(need ? 1u << need : MAPPABLE);
        c = &kt_slot(a)->cap;
        if (need && c->type != need) {
                /* none there: make one (a step of its own) */
                uint64_t r[5] = { need, 12, KT_CNODE, arena_pick(false), 1 + PICK(2) };

                kt_sys(t, MK_SYS_NBSEND, arena_ut, 0, mk_info(MK_UNTYPED_RETYPE, 0, 5), r);
                return;
        }
        shift = c->type == MK_OBJ_PDPT ? 39 : c->type == MK_OBJ_PD ? 30 : c->type == MK_OBJ_PT ? 21 : 12;
        m[1] = PICK(16) ? va & ~mk_mask((unsigned)shift) : va;
        m[2] = PICK(8) ? MK_RIGHTS_ALL : PICK(16);
        m[3] = PICK(8) ? 0 : PICK(8);
        kt_sys(t, MK_SYS_NBSEND, a, 0, mk_info(MK_PAGE_MAP, 0, 4), m);
        if (t->regs.nr != MK_OK)
                return;
        stat_map_guest += kt_slot(m[0])->cap.type == MK_OBJ_GSPACE;
        if (c->type == MK_OBJ_FRAME) {
                stat_map_frame++;
                return;
        }
        stat_map_table++;
        note_table_map(c->obj);
}

/* Give a worker without fault endpoint an arena PML4 (or none) as its
 * VSpace: its TCB then holds a copy of the PML4 cap. */
static void vspace_action(struct mk_tcb *t)
{
        uint64_t m[2] = { KT_CNODE, PICK(4) ? arena_pick_type(1u << MK_OBJ_PML4) : 0 };

        kt_sys(t, MK_SYS_CALL, tcb_cptr[FAULTING + PICK(NT - FAULTING)], 0,
               mk_info(MK_TCB_CONFIGURE, 0, 2), m);
}

/* A chain of copies: a, then a copy (or a mint) of it, a copy of that,
 * ... into empty arena slots, until one fails; half the time from an
 * arena Endpoint or Notification (retyped first when there is none), the
 * first link minted with one of three badges (so originals of one badge
 * meet). */
static void chain_action(struct mk_tcb *t, uint64_t a)
{
        unsigned len = 2 + (unsigned)PICK(12), made = 0;
        bool badge = PICK(2);
        uint64_t m[6], word = 1 + PICK(3), src = a;

        if (badge)
                a = arena_pick_type(1u << MK_OBJ_ENDPOINT | 1u << MK_OBJ_NOTIFICATION);
        if (badge && kt_slot(a)->cap.type != MK_OBJ_ENDPOINT && kt_slot(a)->cap.type != MK_OBJ_NOTIFICATION) {
                m[0] = PICK(2) ? MK_OBJ_ENDPOINT : MK_OBJ_NOTIFICATION; m[1] = 0; m[2] = KT_CNODE;
                m[3] = arena_pick(false); m[4] = 1;
                kt_sys(t, MK_SYS_NBSEND, arena_ut, 0, mk_info(MK_UNTYPED_RETYPE, 0, 5), m);
                a = m[3];
        }
        for (unsigned i = 0; i < len; i++, made++) {
                m[0] = arena_pick(false); m[1] = 64; m[2] = a; m[3] = 64; m[4] = MK_RIGHTS_ALL;
                m[5] = i == 0 && badge ? word : 0;
                if (kt_sys(t, MK_SYS_CALL, KT_CNODE, 0,
                           mk_info(m[5] || PICK(4) == 0 ? MK_CNODE_MINT : MK_CNODE_COPY, 0, 6), m) != MK_OK)
                        break;
                src = i == 0 ? a : src;
                a = m[0];
        }
        stat_chain += made > 1 ? made - 1 : 0;
        stat_badge_chain += made > 1 && badge;
        if (!badge || made < 2)
                return;
        /* a second original of the badge, right after the chain's source */
        m[0] = arena_pick(false); m[1] = 64; m[2] = src; m[3] = 64; m[4] = MK_RIGHTS_ALL; m[5] = word;
        stat_rebadge += kt_sys(t, MK_SYS_CALL, KT_CNODE, 0, mk_info(MK_CNODE_MINT, 0, 6), m) == MK_OK;
}

/* CNODE_DELETE (revoke false) or CNODE_REVOKE of slot a: it must empty
 * exactly what the derivation model expects. */
static void delete_action(struct mk_tcb *t, uint64_t a, bool revoke)
{
        static const struct mk_cte *expect[KD_LOG];
        const struct mk_cte *s = kt_slot(a);
        bool full = s->cap.type != MK_OBJ_NULL;
        unsigned n = 0;
        uint64_t m[2] = { a, 64 };
        const char *err;

        if (full)
                n = kd_below(s, !revoke, expect, KD_LOG);
        if (full && !revoke && (!kd_find(s) || kd_find(s)->parent))
                n = 1;          /* not a root: only the cap itself */
        stat_delparent += !revoke && mk_mdb_has_children(s) && !mk_mdb_is_root(s);
        kd_log_reset();
        kt_sys(t, MK_SYS_CALL, KT_CNODE, 0, mk_info(revoke ? MK_CNODE_REVOKE : MK_CNODE_DELETE, 0, 2), m);
        if (t->regs.nr != MK_OK)
                return;
        err = kd_emptied(expect, n);
        if (err)
                fail(err);
        if (revoke && mk_mdb_has_children(s))
                fail("revoke left a descendant");
}

static void cspace_action(struct mk_tcb *t)
{
        static const uint8_t types[] = { MK_OBJ_ENDPOINT, MK_OBJ_NOTIFICATION, MK_OBJ_CNODE,
                                         MK_OBJ_FRAME, MK_OBJ_UNTYPED, MK_OBJ_REPLY, MK_OBJ_TCB,
                                         MK_OBJ_PML4, MK_OBJ_PDPT, MK_OBJ_PD, MK_OBJ_PT,
                                         MK_OBJ_FRAME, MK_OBJ_GSPACE };
        uint64_t a = arena_pick(true), b = arena_pick(false), m[6], type, bits;
        struct mk_cte *c;

        switch (PICK(16)) {
        case 9:
        case 10:
        case 13:
        case 14:
        case 15:
                map_action(t);
                break;
        case 11:
                /* PAGE_UNMAP: frames, tables (emptied), anything else */
                kt_sys(t, MK_SYS_NBSEND, arena_pick_type(PICK(4) ? MAPPABLE : ~0u), 0,
                       mk_info(MK_PAGE_UNMAP, 0, 0), NULL);
                break;
        case 12:
                vspace_action(t);
                break;
        case 8:
                /* an IPC buffer in an arena frame (or none), for any thread */
                m[0] = 0x10000 + PICK(8) * 0x200; m[1] = PICK(4) ? a : 0;
                kt_sys(t, MK_SYS_CALL, tcb_cptr[PICK(NT + 1)], 0, mk_info(MK_TCB_SET_IPC_BUFFER, 0, 2), m);
                stat_ipcbuf += t->regs.nr == MK_OK && m[1];
                break;
        case 0:
        case 1:
                type = types[PICK(sizeof(types))];
                bits = type == MK_OBJ_CNODE ? 1 + PICK(3) : type == MK_OBJ_FRAME ? 12 : 6 + PICK(6);
                m[0] = type; m[1] = bits; m[2] = KT_CNODE; m[3] = b; m[4] = 1 + PICK(2);
                /* NBSEND invokes objects too, and never blocks on an endpoint */
                kt_sys(t, MK_SYS_NBSEND, PICK(4) ? arena_ut : a, 0, mk_info(MK_UNTYPED_RETYPE, 0, 5), m);
                break;
        case 2:
                if (PICK(2)) {
                        chain_action(t, a);
                        break;
                }
                m[0] = b; m[1] = 64; m[2] = a; m[3] = 64; m[4] = PICK(16); m[5] = PICK(3);
                kt_sys(t, MK_SYS_CALL, KT_CNODE, 0,
                       mk_info(PICK(2) ? MK_CNODE_COPY : MK_CNODE_MINT, 0, 6), m);
                stat_copy += t->regs.nr == MK_OK;
                stat_copy_table += t->regs.nr == MK_OK && mk_cap_is_table(kt_slot(b)->cap.type);
                break;
        case 3:
                m[0] = b; m[1] = 64; m[2] = a; m[3] = 64;
                kt_sys(t, MK_SYS_CALL, KT_CNODE, 0, mk_info(MK_CNODE_MOVE, 0, 4), m);
                break;
        case 4:
                delete_action(t, a, false);
                break;
        case 5:
                m[0] = PICK(16) ? a : arena_ut;
                stat_revoke_mapped += m[0] == arena_ut && arena_mapped();
                delete_action(t, m[0], true);
                break;
        default:
                /* a method on a nested CNode, addressed inside it */
                c = kt_slot(a);
                if (c->cap.type != MK_OBJ_CNODE)
                        break;
                m[0] = PICK(1u << c->cap.bits); m[1] = c->cap.bits + c->cap.guard_bits;
                m[2] = PICK(1u << c->cap.bits); m[3] = m[1]; m[4] = PICK(16); m[5] = 0;
                kt_sys(t, MK_SYS_CALL, a, 0, mk_info(MK_CNODE_COPY + PICK(5), 0, 6), m);
                break;
        }
}

static void set_recv_slot(struct mk_tcb *t)
{
        uint64_t a = arena_slot();

        if (kt_slot(a)->cap.type == MK_OBJ_CNODE) {
                t->ipcbuf->recv_cnode = a;
                t->ipcbuf->recv_index = PICK(8);
        } else {
                t->ipcbuf->recv_cnode = KT_CNODE;
                t->ipcbuf->recv_index = arena_slot();
        }
}

/* Suspend worker w (its blocked operation ends: the model forgets it) or
 * resume it when inactive. */
static void toggle(struct mk_tcb *t, int w)
{
        uint8_t was = T[w]->state;
        bool suspend = was != MK_TS_INACTIVE;

        kt_sys(t, MK_SYS_CALL, tcb_cptr[w], 0, mk_info(suspend ? MK_TCB_SUSPEND : MK_TCB_RESUME, 0, 0), NULL);
        if (t->regs.nr != MK_OK)
                fail("suspend or resume failed");
        if (!suspend)
                return;
        if (T[w]->state != MK_TS_INACTIVE)
                fail("suspended thread is not inactive");
        if (was >= MK_TS_BLOCKED_SEND && T[w]->regs.nr != MK_E_ABORTED)
                fail("suspended blocked thread did not get MK_E_ABORTED");
        for (unsigned j = 0; j < npend;)
                if (pend[j].sender == T[w] && was == MK_TS_BLOCKED_SEND)
                        pend[j] = pend[--npend];
                else
                        j++;
        for (int e = 0; e < 2; e++) {
                for (unsigned j = 0; j < mqn[e];)
                        if (mq[e][j].t == w)
                                memmove(&mq[e][j], &mq[e][j + 1], (--mqn[e] - j) * sizeof(mq[e][0]));
                        else
                                j++;
                for (unsigned j = 0; j < model_nwait[e];)
                        if (model_waiters[e][j] == w)
                                memmove(&model_waiters[e][j], &model_waiters[e][j + 1],
                                        (--model_nwait[e] - j) * sizeof(int));
                        else
                                j++;
        }
}

/* Worker i faults: with a fault endpoint the fault is a call carrying a
 * message id (as rip, and id * MAGIC as the address), else it is suspended
 * (and the model forgets its queue places, as for a suspend). */
static void fault(int i)
{
        uint64_t id = next_id++;

        T[i]->ctx.rip = id;
        if (i < FAULTING)
                add_pending(id, T[i]);
        mk_fault(&kt_k, 14, 4, id * MAGIC);
        stat_fault++;
        if (i < FAULTING)
                model_send(i, i, id, true);
        else if (T[i]->state != MK_TS_INACTIVE)
                fail("a thread without fault endpoint was not suspended");
}

/* One step of thread i (i == NT: the driver). Returns whether it receives. */
static bool act(int i)
{
        struct mk_tcb *t = T[i];
        struct mk_reply *r;
        int ei = (int)PICK(2);
        uint64_t info, e = ep[ei];
        int n = (int)PICK(2), j = (int)PICK(4);
        bool block;
        uint64_t rp = i < NT ? reply[i] : reply[PICK(NT)];
        unsigned k = (unsigned)PICK(i < NT ? 16 : 7);

        if (i == NT && k == 6)
                k = 15;
        else if (k >= 12 && k < 15)
                k = 4;    /* capability work three times as often */

        set_recv_slot(t);
        if (i < NT && PICK(32) == 0) {
                fault(i);
                return false;
        }
        switch (k) {
        case 0: /* driver: non-blocking receive */
                kt_sys(t, MK_SYS_NBRECV, e, 0, 0, NULL);
                model_recv(ei, i, false);
                return true;
        case 1: /* driver: reply on anyone's behalf */
        case 8:
                r = (struct mk_reply *)kt_slot(rp)->cap.obj;
                put_msg(t, &info);
                if (r->caller)
                        add_pending(mk_get_mr(t, 0), t);
                kt_sys(t, MK_SYS_REPLY, rp, 0, info, NULL);
                return false;
        case 2:
                put_msg(t, &info);
                add_pending(mk_get_mr(t, 0), t);
                kt_sys(t, i < NT ? MK_SYS_SEND : MK_SYS_NBSEND, e, 0, info, NULL);
                model_send(ei, i, t->regs.mr[0], i < NT);
                return false;
        case 3:
                kt_sys(t, MK_SYS_SEND, ntfn_badged[n][j], 0, 0, NULL);
                model_signal(n, 1ull << j);
                return false;
        case 4:
                cspace_action(t);
                return false;
        case 5:
                kt_sys(t, MK_SYS_YIELD, 0, 0, 0, NULL);
                return false;
        case 6:
                put_msg(t, &info);
                add_pending(mk_get_mr(t, 0), t);
                kt_sys(t, MK_SYS_CALL, e, 0, info, NULL);
                model_send(ei, i, t->regs.mr[0], true);
                return false;
        case 7:
                kt_sys(t, MK_SYS_RECV, e, rp, 0, NULL);
                model_recv(ei, i, true);
                return true;
        case 9:
                r = (struct mk_reply *)kt_slot(rp)->cap.obj;
                put_msg(t, &info);
                if (r->caller)
                        add_pending(mk_get_mr(t, 0), t);
                kt_sys(t, MK_SYS_REPLY_RECV, e, rp, info, NULL);
                model_recv(ei, i, true);
                return true;
        case 10:
                block = PICK(2);
                kt_sys(t, block ? MK_SYS_RECV : MK_SYS_NBRECV, ntfn[n], 0, 0, NULL);
                model_wait(n, i, block);
                return false;
        case 15:
                toggle(t, (int)PICK(NT));
                return false;
        default:
                kt_sys(t, MK_SYS_CALL, tcb_cptr[PICK(NT)], 0, mk_info(MK_TCB_SET_PRIORITY, 0, 1),
                       (uint64_t[]){ 8 + PICK(6) });
                return false;
        }
}

/* The arch layer of the model: flush requests go to the simulated TLB. */
static void tlb_flush(const uint64_t *root, uint64_t vaddr, unsigned bits)
{
        kv_flush(root, vaddr, bits);
}

static const struct mk_arch_ops model_ops = { .tlb_flush = tlb_flush };

static void setup(void)
{
        kt_boot();
        kt_k.arch = &model_ops;
        T[NT] = kt_root();
        tcb_cptr[NT] = kt_bi.tcb_cptr;
        ep[0] = kt_new(MK_OBJ_ENDPOINT, 0, 2);
        ep[1] = ep[0] + 1;
        ntfn[0] = kt_new(MK_OBJ_NOTIFICATION, 0, 2);
        ntfn[1] = ntfn[0] + 1;
        for (int n = 0; n < 2; n++)
                for (int j = 0; j < 4; j++) {
                        ntfn_badged[n][j] = kt_next++;
                        kt_inv(KT_CNODE, MK_CNODE_MINT, 6, ntfn_badged[n][j], (uint64_t)64, ntfn[n],
                               (uint64_t)64, (uint64_t)MK_RIGHTS_ALL, (uint64_t)1 << j);
                }
        for (int i = 0; i < NT; i++) {
                reply[i] = kt_new(MK_OBJ_REPLY, 0, 1);
                tcb_cptr[i] = kt_thread((uint8_t)(8 + PICK(6)));
                T[i] = kt_tcb(tcb_cptr[i]);
                if (i < FAULTING)
                        kt_inv(tcb_cptr[i], MK_TCB_CONFIGURE, 3, (uint64_t)KT_CNODE, (uint64_t)0, ep[i]);
        }
        kt_bi.empty_first = kt_next;
        irq_ctl = (uint64_t)mk_boot_control_cap(&kt_k, &kt_bi, MK_OBJ_IRQ_CONTROL);
        kt_next = kt_bi.empty_first;
        kt_inv(irq_ctl, MK_IRQ_CONTROL_GET, 3, (uint64_t)IRQ_LINE, (uint64_t)KT_CNODE, kt_next);
        kt_inv(kt_next, MK_IRQ_HANDLER_SET_NOTIFICATION, 1, ntfn_badged[IRQ_NTFN][IRQ_BADGE]);
        kt_next++;
        home_pml4 = kt_new(MK_OBJ_PML4, 0, 1);
        arena_ut = kt_new(MK_OBJ_UNTYPED, 18, 1);
        arena0 = kt_next;
        kt_next += ARENA;
        for (int i = 0; i < NT; i++)
                kt_inv(tcb_cptr[i], MK_TCB_RESUME, 0);
        kt_inv(kt_bi.tcb_cptr, MK_TCB_SET_PRIORITY, 1, (uint64_t)0);
}

int main(void)
{
        const char *s = getenv("THATTE_MK_MODEL_SEED"), *n = getenv("THATTE_MK_MODEL_STEPS");
        uint64_t seed = s ? strtoull(s, NULL, 0) : 20261128, steps = n ? strtoull(n, NULL, 0) : 20000;
        unsigned receipts_checked = 0, fast = 0;
        uint8_t before[NT + 1];

        rng = seed ? seed : 1;
        tap_diag("seed %llu, %llu steps (THATTE_MK_MODEL_SEED, THATTE_MK_MODEL_STEPS)",
                 (unsigned long long)seed, (unsigned long long)steps);
        setup();
        ok(kd_events > 0 && !kd_check(), "the derivation model follows the core's tree (%u events)",
           kd_events);
        ok(kt_k.cur && kt_k.cur != T[NT], "a worker thread runs after setup");
        for (step = 0; step < steps && !failed; step++) {
                struct mk_tcb *actor = kt_k.cur;
                bool receives = false;
                unsigned np = npend;

                for (int i = 0; i <= NT; i++)
                        before[i] = T[i]->state;
                kt_k.fastpath = PICK(2);
                if (!actor) {
                        for (int i = 0; i <= NT; i++)
                                tap_diag("thread %d state %d prio %d nr %llu", i, T[i]->state, T[i]->prio,
                                         (unsigned long long)T[i]->regs.nr);
                        fail("no thread runs although the driver never blocks");
                        break;
                }
                if (PICK(10) == 0) {
                        mk_timer_tick(&kt_k);
                        actor = NULL;
                } else if (PICK(20) == 0) {
                        mk_irq(&kt_k, IRQ_LINE);
                        model_signal(IRQ_NTFN, 1ull << IRQ_BADGE);
                        actor = NULL;
                        stat_irq++;
                } else {
                        for (int i = 0; i <= NT; i++)
                                if (T[i] == actor)
                                        receives = act(i);
                }
                check_messages(actor, receives, before);
                receipts_checked += np > npend;
                check_sched();
                check_ntfn();
                check_eps();
                check_caps();
                check_vspaces();
                check_ipcbuf();
        }
        fast = (unsigned)kt_k.fastpath_hits;
        if (failed)
                printf("# replay: THATTE_MK_MODEL_SEED=%llu THATTE_MK_MODEL_STEPS=%u\n",
                       (unsigned long long)seed, step);
        is_int(failed, 0, "all invariants held for %u steps", step);
        ok(next_id > steps / 10, "messages were sent (%llu)", (unsigned long long)next_id - 1);
        ok(receipts_checked > 0, "messages were received (%u steps with receipts)", receipts_checked);
        tap_diag("fast path taken %u times, %u copies, %u deletes of caps with children", fast,
                 stat_copy, stat_delparent);
        tap_diag("%u copies of copies in chains, %u chains starting with a badge, %u second originals "
                 "of their badge, %u tree events", stat_chain, stat_badge_chain, stat_rebadge, kd_events);
        ok(stat_chain > 0 && stat_badge_chain > 0 && stat_rebadge > 0 && stat_delparent > 0,
           "copy chains, badged chains and deletes of caps with children happened");
        tap_diag("%u interrupts, %u faults, %u IPC buffers set", stat_irq, stat_fault, stat_ipcbuf);
        ok(stat_irq > 0 && stat_fault > 0 && stat_ipcbuf > 0, "interrupts, faults and IPC buffers happened");
        tap_diag("%u frames and %u tables mapped, %u tables mapped again, %u table caps copied, %u flushes, "
                 "%u revokes of the arena with mappings", stat_map_frame, stat_map_table, stat_remap_table,
                 stat_copy_table, stat_flush, stat_revoke_mapped);
        ok(stat_map_frame > 0 && stat_remap_table > 0 && stat_copy_table > 0 && stat_flush > 0 &&
           stat_revoke_mapped > 0, "frames and tables were mapped, tables mapped again, table caps copied, "
           "flushes asked, the arena Untyped revoked under mappings");
        tap_diag("%u of the mappings into guest spaces", stat_map_guest);
        ok(stat_map_guest > 0, "frames or tables were mapped into guest spaces");
        return tap_done();
}
