/* tests/kernel/kv.h: address spaces seen from outside the core, for the
 * host tests (include after kt.h).
 *   - kv_walk() lists every present entry of every table reachable from a
 *     set of PML4s (user half), as the MMU would walk them;
 *   - kv_accounted() checks each such entry against the capabilities: the
 *     slot the table's shadow names holds a cap whose recorded mapping
 *     (entry, address) is that entry, no other cap records it, and every
 *     cap that records a mapping records a live one;
 *   - a simulated TLB with paging-structure caches: kv_begin() caches
 *     every entry the walk finds (a user thread may have touched them
 *     all), kv_flush() (the arch stub's flush) forgets what a request
 *     covers, and kv_stale() lists what is still cached but no longer in
 *     the tables. As with ASIDs or PCIDs, a request covers the range in
 *     the address space it names only: naming the wrong one leaves the
 *     right one stale.
 * Each check returns NULL or what is wrong. */
#ifndef THATTE_TESTS_KV_H
#define THATTE_TESTS_KV_H

#define KV_MAX 2048
#define KV_P 0x1ull
#define KV_PS 0x80ull
#define KV_ADDR 0x000ffffffffff000ull

struct kv_entry {
        uintptr_t pml4;         /* the VSpace root it was reached from */
        uint64_t vaddr;         /* first user address it translates */
        unsigned bits;          /* log2 of the range it covers: 39, 30, 21 or 12 */
        uint64_t value;         /* the hardware entry */
        uint64_t *entry;
};

struct kv_flush { uintptr_t root; uint64_t vaddr; unsigned bits; };

static struct kv_entry kv_now[KV_MAX], kv_tlb[KV_MAX];
static unsigned kv_nnow, kv_ntlb;
static struct kv_flush kv_flushes[256];
static unsigned kv_nflush;
static const uint64_t *kv_seen[KV_MAX];         /* tables met by the walk */
static unsigned kv_nseen;
static const char *kv_walk_error;

/* The slot the shadow of a table names for its entry e. */
static inline struct mk_cte *kv_shadow(const uint64_t *e)
{
        return mk_table_slot(e);
}

static inline void kv_walk_table(uintptr_t pml4, const uint64_t *t, unsigned shift, uint64_t base)
{
        for (unsigned i = 0; i < (shift == 39 ? 256u : 512u); i++) {
                uint64_t e = t[i];
                const uint64_t *next;

                if (!(e & KV_P))
                        continue;
                if (kv_nnow == KV_MAX) {
                        kv_walk_error = "walk: too many entries";
                        return;
                }
                kv_now[kv_nnow++] = (struct kv_entry){ pml4, base | (uint64_t)i << shift, shift, e,
                                                       (uint64_t *)&t[i] };
                if (shift == 12 || (e & KV_PS))
                        continue;
                next = (const uint64_t *)((e & KV_ADDR) + kt_k.phys_offset);
                for (unsigned j = 0; j < kv_nseen; j++)
                        if (kv_seen[j] == next)
                                kv_walk_error = "a table is reachable through two entries";
                if (kv_nseen < KV_MAX)
                        kv_seen[kv_nseen++] = next;
                kv_walk_table(pml4, next, shift - 9, base | (uint64_t)i << shift);
        }
}

/* kv_walk: every present user entry reachable from the n PML4 objects. */
static inline void kv_walk(const uintptr_t *pml4s, unsigned n)
{
        kv_nnow = kv_nseen = 0;
        kv_walk_error = NULL;
        for (unsigned i = 0; i < n; i++)
                kv_walk_table(pml4s[i], (const uint64_t *)pml4s[i], 39, 0);
}

/* Whether a cap of type (frame size bits) may fill an entry covering 2^shift. */
static inline bool kv_fits(const struct mk_cap *c, unsigned shift, uint64_t value)
{
        switch (c->type) {
        case MK_OBJ_PDPT: return shift == 39;
        case MK_OBJ_PD: return shift == 30;
        case MK_OBJ_PT: return shift == 21;
        case MK_OBJ_FRAME: return c->bits == shift && (shift == 12 || (value & KV_PS));
        default: return false;
        }
}

/* Whether the mapping slot s records is an entry, naming s, of a table a
 * preempted unmap or delete is still emptying: flagged MK_TABLE_EMPTYING,
 * or mapped (by one of the n caps) in such a table. No walk reaches it. */
static inline bool kv_emptying(struct mk_cte *const *caps, unsigned n, const struct mk_cte *s)
{
        for (unsigned depth = 0; depth < 4; depth++) {
                const uint64_t *e = (const uint64_t *)s->cap.mapped;
                uintptr_t t = s->cap.mapped & ~(uintptr_t)0xfff;
                const struct mk_cte *up = NULL;

                if (!e || !(*e & KV_P) || kv_shadow(e) != s)
                        return false;
                if (*(const uintptr_t *)(t + 0x1000) & MK_TABLE_EMPTYING)
                        return true;
                for (unsigned j = 0; j < n && !up; j++)
                        if (caps[j]->cap.obj == t && caps[j]->cap.mapped)
                                up = caps[j];
                if (!up)
                        return false;
                s = up;
        }
        return false;
}

/* kv_accounted: after kv_walk, with every slot that holds a Frame or
 * table cap (n of them): each present entry is recorded by exactly one
 * cap, the one its shadow names, with the entry's address and object;
 * each cap that records a mapping records one of these entries, or one
 * of a table still being emptied (kv_emptying). */
static inline const char *kv_accounted(struct mk_cte *const *caps, unsigned n)
{
        if (kv_walk_error)
                return kv_walk_error;
        for (unsigned i = 0; i < kv_nnow; i++) {
                const struct kv_entry *w = &kv_now[i];
                struct mk_cte *s = kv_shadow(w->entry);
                unsigned recorders = 0;

                if (!s)
                        return "a present entry names no capability";
                if (s->cap.mapped != (uintptr_t)w->entry || s->cap.word != w->vaddr)
                        return "the capability an entry names records another mapping";
                if (s->cap.obj - kt_k.phys_offset != (w->value & KV_ADDR) || !kv_fits(&s->cap, w->bits, w->value))
                        return "an entry points at another object than its capability's";
                for (unsigned j = 0; j < n; j++)
                        recorders += caps[j]->cap.mapped == (uintptr_t)w->entry;
                if (recorders != 1)
                        return "an entry is recorded by more than one capability";
        }
        for (unsigned j = 0; j < n; j++) {
                bool live = false;

                for (unsigned i = 0; i < kv_nnow && !live; i++)
                        live = caps[j]->cap.mapped == (uintptr_t)kv_now[i].entry;
                if (caps[j]->cap.mapped && !live && !kv_emptying(caps, n, caps[j]))
                        return "a capability records a mapping no reachable entry holds";
        }
        return NULL;
}

/* kv_empty: a table no walk reached holds no entry and names no cap. */
static inline const char *kv_empty(const uint64_t *t)
{
        for (unsigned j = 0; j < kv_nseen; j++)
                if (kv_seen[j] == t)
                        return NULL;
        for (unsigned i = 0; i < MK_TABLE_ENTRIES; i++)
                if (t[i] || kv_shadow(&t[i]))
                        return "an unreachable table still holds entries";
        return NULL;
}

static inline bool kv_same(const struct kv_entry *a, const struct kv_entry *b)
{
        return a->pml4 == b->pml4 && a->vaddr == b->vaddr && a->bits == b->bits && a->value == b->value;
}

/* kv_begin: add everything the walk found to the cache (what it held
 * stays until a flush covers it); forget earlier requests. */
static inline void kv_begin(void)
{
        for (unsigned i = 0; i < kv_nnow; i++) {
                bool cached = false;

                for (unsigned j = 0; j < kv_ntlb && !cached; j++)
                        cached = kv_same(&kv_tlb[j], &kv_now[i]);
                if (!cached && kv_ntlb < KV_MAX)
                        kv_tlb[kv_ntlb++] = kv_now[i];
        }
        kv_nflush = 0;
}

/* kv_flush: the core asked to invalidate [vaddr, vaddr + 2^bits) in the
 * address space whose root table is root. */
static inline void kv_flush(const uint64_t *root, uint64_t vaddr, unsigned bits)
{
        uint64_t end = vaddr + ((uint64_t)1 << bits);

        if (kv_nflush < 256)
                kv_flushes[kv_nflush++] = (struct kv_flush){ (uintptr_t)root, vaddr, bits };
        for (unsigned i = 0; i < kv_ntlb;) {
                const struct kv_entry *c = &kv_tlb[i];

                if (c->pml4 == (uintptr_t)root && c->vaddr >= vaddr &&
                    c->vaddr + ((uint64_t)1 << c->bits) <= end)
                        kv_tlb[i] = kv_tlb[--kv_ntlb];
                else
                        i++;
        }
}

/* kv_stale: after kv_walk, the first cached entry the tables no longer
 * hold, or NULL. */
static inline const struct kv_entry *kv_stale(void)
{
        for (unsigned i = 0; i < kv_ntlb; i++) {
                const struct kv_entry *c = &kv_tlb[i];
                bool held = false;

                for (unsigned j = 0; j < kv_nnow && !held; j++)
                        held = kv_same(&kv_now[j], c);
                if (!held)
                        return c;
        }
        return NULL;
}

#endif
