/* tests/kernel/kd.h: a reference model of the derivation tree, for the
 * model test (include after kt.h). The test links with --wrap for
 * mk_mdb_insert_child, mk_mdb_insert_new, mk_mdb_insert_root,
 * mk_mdb_unlink and mk_mdb_move,
 * so every change the core makes to the tree reaches the model first. The
 * model keeps each cap's parent by the rules of kernel/README.md alone,
 * never reading the core's list order or bits:
 *   - a derived cap's parent is its source when the source may have
 *     children (is revocable), else the source's parent;
 *   - revocable: a root, every object retype makes, a cap an IRQ or I/O
 *     port control cap issues, an Endpoint, Notification or console cap
 *     whose badge differs from its source's;
 *   - a deleted cap's children become its parent's (a root is never
 *     deleted while it has any);
 *   - a move changes the slot, not the place.
 * kd_check() then compares the core's tree with it: the lists hold
 * exactly the model's caps, and the run after each slot that the core
 * counts as its descendants (mk_mdb_parent_of) is exactly the model's
 * descendants of it. kd_log lists the slots emptied since kd_log_reset(),
 * with their caps, for the delete and revoke checks. Each check returns
 * NULL or what is wrong. */
#ifndef THATTE_TESTS_KD_H
#define THATTE_TESTS_KD_H

#define KD_BITS 13
#define KD_SIZE (1u << KD_BITS)
#define KD_LOG 4096

struct kd_node {
        struct mk_cte *slot;    /* NULL: free */
        struct mk_cte *parent;  /* NULL: a root */
        bool revocable;
        unsigned ndesc;         /* kd_check: the model's descendant count */
        unsigned seen;          /* kd_check: the pass that met it in a list */
};

struct kd_gone { const struct mk_cte *slot; struct mk_cap cap; };

static struct kd_node kd_tab[KD_SIZE];
static unsigned kd_count, kd_events, kd_pass;
static const char *kd_error;
static struct kd_gone kd_log[KD_LOG];
static unsigned kd_nlog;

static void kd_fail(const char *what)
{
        if (!kd_error)
                kd_error = what;
}

static unsigned kd_hash(const void *p)
{
        return (unsigned)(((uintptr_t)p >> 6) * 0x9e3779b97f4a7c15ull >> (64 - KD_BITS));
}

static struct kd_node *kd_find(const struct mk_cte *slot)
{
        unsigned i = kd_hash(slot);

        while (kd_tab[i].slot && kd_tab[i].slot != slot)
                i = (i + 1) & (KD_SIZE - 1);
        return kd_tab[i].slot ? &kd_tab[i] : NULL;
}

static void kd_add(struct mk_cte *slot, struct mk_cte *parent, bool revocable)
{
        unsigned i = kd_hash(slot);

        if (kd_count >= KD_SIZE / 2) {
                kd_fail("derivation model full");
                return;
        }
        while (kd_tab[i].slot)
                i = (i + 1) & (KD_SIZE - 1);
        kd_tab[i] = (struct kd_node){ .slot = slot, .parent = parent, .revocable = revocable };
        kd_count++;
}

/* Remove n, shifting back the entries after it that probed past it. */
static void kd_remove(struct kd_node *n)
{
        unsigned i = (unsigned)(n - kd_tab), j = i, h;

        for (;;) {
                j = (j + 1) & (KD_SIZE - 1);
                if (!kd_tab[j].slot)
                        break;
                h = kd_hash(kd_tab[j].slot);
                if (((j - h) & (KD_SIZE - 1)) >= ((j - i) & (KD_SIZE - 1))) {
                        kd_tab[i] = kd_tab[j];
                        i = j;
                }
        }
        kd_tab[i].slot = NULL;
        kd_count--;
}

static void kd_reparent(const struct mk_cte *from, struct mk_cte *to)
{
        for (unsigned i = 0; i < KD_SIZE; i++)
                if (kd_tab[i].slot && kd_tab[i].parent == from)
                        kd_tab[i].parent = to;
}

/* The documented rule, written out again here: whether derived, made
 * from src, may have children. */
static bool kd_revocable(const struct mk_cap *derived, const struct mk_cap *src)
{
        if (src->type == MK_OBJ_UNTYPED)
                return true;
        switch (derived->type) {
        case MK_OBJ_ENDPOINT:
        case MK_OBJ_NOTIFICATION:
        case MK_OBJ_DEBUG_CONSOLE:
                return derived->word != src->word;
        case MK_OBJ_IRQ_HANDLER:
                return src->type == MK_OBJ_IRQ_CONTROL;
        case MK_OBJ_IOPORT:
                return src->type == MK_OBJ_IOPORT_CONTROL;
        default:
                return false;
        }
}

/* Whether the model has a as a strict ancestor of d. */
static bool kd_ancestor(const struct mk_cte *a, const struct mk_cte *d)
{
        const struct kd_node *n = kd_find(d);

        for (unsigned hops = 0; n && n->parent && hops < KD_SIZE; hops++) {
                if (n->parent == a)
                        return true;
                n = kd_find(n->parent);
        }
        return false;
}

/* ---- the events, ahead of the core's own functions ---- */
void __real_mk_mdb_insert_child(struct mk_cte *src, struct mk_cte *dst, const struct mk_cap *cap);
void __real_mk_mdb_insert_new(struct mk_cte *ut, struct mk_cte *dst, const struct mk_cap *cap);
void __real_mk_mdb_insert_root(struct mk_cte *slot, const struct mk_cap *cap);
void __real_mk_mdb_unlink(struct mk_cte *slot);
void __real_mk_mdb_move(struct mk_cte *dst, struct mk_cte *src);
void __wrap_mk_mdb_insert_child(struct mk_cte *src, struct mk_cte *dst, const struct mk_cap *cap);
void __wrap_mk_mdb_insert_new(struct mk_cte *ut, struct mk_cte *dst, const struct mk_cap *cap);
void __wrap_mk_mdb_insert_root(struct mk_cte *slot, const struct mk_cap *cap);
void __wrap_mk_mdb_unlink(struct mk_cte *slot);
void __wrap_mk_mdb_move(struct mk_cte *dst, struct mk_cte *src);

static void kd_derive(struct mk_cte *src, struct mk_cte *dst, const struct mk_cap *cap)
{
        const struct kd_node *s = kd_find(src);

        kd_events++;
        if (!s)
                kd_fail("a cap derived from a slot outside the derivation model");
        else if (kd_find(dst))
                kd_fail("a cap derived into a slot that holds one");
        else
                kd_add(dst, s->revocable ? src : s->parent, kd_revocable(cap, &src->cap));
}

void __wrap_mk_mdb_insert_child(struct mk_cte *src, struct mk_cte *dst, const struct mk_cap *cap)
{
        kd_derive(src, dst, cap);
        __real_mk_mdb_insert_child(src, dst, cap);
}

void __wrap_mk_mdb_insert_new(struct mk_cte *ut, struct mk_cte *dst, const struct mk_cap *cap)
{
        if (ut->cap.type != MK_OBJ_UNTYPED)
                kd_fail("a new object's cap not from an Untyped");
        kd_derive(ut, dst, cap);
        __real_mk_mdb_insert_new(ut, dst, cap);
}

void __wrap_mk_mdb_insert_root(struct mk_cte *slot, const struct mk_cap *cap)
{
        kd_events++;
        if (kd_find(slot))
                kd_fail("a root put into a slot that holds a cap");
        else
                kd_add(slot, NULL, true);
        __real_mk_mdb_insert_root(slot, cap);
}

void __wrap_mk_mdb_unlink(struct mk_cte *slot)
{
        struct kd_node *n = kd_find(slot);

        kd_events++;
        if (!n) {
                kd_fail("a slot outside the derivation model emptied");
        } else {
                for (unsigned i = 0; !n->parent && i < KD_SIZE; i++)
                        if (kd_tab[i].slot && kd_tab[i].parent == slot)
                                kd_fail("a root deleted before its descendants");
                kd_reparent(slot, n->parent);
                kd_remove(n);
        }
        if (kd_nlog < KD_LOG)
                kd_log[kd_nlog++] = (struct kd_gone){ slot, slot->cap };
        __real_mk_mdb_unlink(slot);
}

void __wrap_mk_mdb_move(struct mk_cte *dst, struct mk_cte *src)
{
        struct kd_node *n = kd_find(src), copy;

        kd_events++;
        if (!n || kd_find(dst)) {
                kd_fail("a move from a slot outside the model or onto a held one");
        } else {
                copy = *n;
                kd_remove(n);
                kd_add(dst, copy.parent, copy.revocable);
                kd_reparent(src, dst);
        }
        __real_mk_mdb_move(dst, src);
}

/* ---- comparing the core's tree with the model ---- */

/* Walk the list from root; every slot must be a model cap met once. */
static void kd_walk(const struct kd_node *root, unsigned *ret_met)
{
        const struct mk_cte *prev = NULL;

        if (root->slot->prev)
                kd_fail("a root of the model does not head a list");
        for (const struct mk_cte *c = root->slot; c; prev = c, c = c->next) {
                struct kd_node *n = kd_find(c);

                if (c->prev != prev)
                        kd_fail("derivation list malformed");
                if (!n || n->seen == kd_pass) {
                        kd_fail(n ? "derivation list has a cycle or shares a slot" :
                                "derivation list holds a cap the model does not");
                        return;
                }
                if (c != root->slot && !n->parent)
                        kd_fail("derivation list has a second root");
                n->seen = kd_pass;
                (*ret_met)++;
        }
}

/* The core's descendants of n (the run after it) against the model's. */
static void kd_compare(const struct kd_node *n)
{
        unsigned run = 0;

        for (const struct mk_cte *d = n->slot->next; d && mk_mdb_parent_of(n->slot, d); d = d->next) {
                if (!kd_ancestor(n->slot, d)) {
                        kd_fail("the core counts a cap as a descendant the model does not");
                        return;
                }
                run++;
        }
        if (run != n->ndesc)
                kd_fail("the model has descendants of a cap the core does not count");
}

static const char *kd_check(void)
{
        unsigned met = 0;

        kd_pass++;
        for (unsigned i = 0; i < KD_SIZE; i++)
                kd_tab[i].ndesc = 0;
        for (unsigned i = 0; i < KD_SIZE; i++) {
                if (!kd_tab[i].slot)
                        continue;
                if (kd_tab[i].slot->cap.type == MK_OBJ_NULL)
                        kd_fail("the model holds a cap in an empty slot");
                for (struct kd_node *a = &kd_tab[i]; a && a->parent;) {
                        a = kd_find(a->parent);
                        if (a)
                                a->ndesc++;
                }
                if (!kd_tab[i].parent)
                        kd_walk(&kd_tab[i], &met);
        }
        if (met != kd_count)
                kd_fail("a cap of the model is in no derivation list");
        for (unsigned i = 0; i < KD_SIZE && !kd_error; i++)
                if (kd_tab[i].slot)
                        kd_compare(&kd_tab[i]);
        return kd_error;
}

/* ---- what a delete or revoke may empty ---- */
static void kd_log_reset(void)
{
        kd_nlog = 0;
}

/* The slots the model has below a (and a itself with self): up to max. */
static unsigned kd_below(const struct mk_cte *a, bool self, const struct mk_cte **out, unsigned max)
{
        unsigned n = 0;

        if (self && n < max)
                out[n++] = a;
        for (unsigned i = 0; i < KD_SIZE && n < max; i++)
                if (kd_tab[i].slot && kd_ancestor(a, kd_tab[i].slot))
                        out[n++] = kd_tab[i].slot;
        return n;
}

/* Whether the emptied slot g was inside an object whose last cap went in
 * the same call (a CNode's or TCB's slots, a VCPU's guest space slot, an
 * IRQ line's notification slot). */
static bool kd_in_dead_object(const struct kd_gone *g)
{
        uintptr_t s = (uintptr_t)g->slot;

        for (unsigned i = 0; i < kd_nlog; i++) {
                const struct mk_cap *c = &kd_log[i].cap;
                uint64_t bits = c->type == MK_OBJ_CNODE ? c->bits + MK_CTE_BITS :
                                c->type == MK_OBJ_TCB ? MK_TCB_BITS : c->type == MK_OBJ_VCPU ? MK_VCPU_BITS : 0;
                bool live = false;

                if (c->type == MK_OBJ_IRQ_HANDLER && g->slot == &kt_k.irq_ntfn[c->word])
                        return true;
                if (!bits || s < c->obj || s >= c->obj + ((uintptr_t)1 << bits))
                        continue;
                for (unsigned j = 0; j < KD_SIZE && !live; j++)
                        live = kd_tab[j].slot && mk_cap_same_object(&kd_tab[j].slot->cap, c);
                if (!live)
                        return true;
        }
        return false;
}

/* After a delete or revoke that returned MK_OK: every expected slot is
 * empty, and every slot emptied was expected
 * or inside an object that died with it. */
static const char *kd_emptied(const struct mk_cte *const *expect, unsigned n)
{
        for (unsigned i = 0; i < n; i++)
                if (kd_find(expect[i]))
                        return "a cap to be deleted is still there";
        for (unsigned i = 0; i < kd_nlog; i++) {
                bool ok = false;

                for (unsigned j = 0; j < n && !ok; j++)
                        ok = kd_log[i].slot == expect[j];
                if (!ok && !kd_in_dead_object(&kd_log[i]))
                        return "a cap was deleted that was not a descendant";
        }
        return NULL;
}

#endif
