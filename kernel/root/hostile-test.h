/* kernel/root/hostile-test.h: the root task's hostile-children test
 * (thatte.test=hostile), shared by its files: hostile-env.c (a fresh
 * address space and CSpace per case, running a script, probing the
 * mappings), hostile.c (the driver, the verdict, stray instructions and
 * register writes), hostile-sys.c (syscalls and out-of-range arguments),
 * hostile-tables.c (page tables, revoke, map addresses), hostile-self.c
 * (self-deletion, the IPC buffer, debug output). See README.md, "Hostile children". */
#ifndef THATTE_ROOT_HOSTILE_TEST_H
#define THATTE_ROOT_HOSTILE_TEST_H

#include "root.h"
#include "hostile.h"

/* Slots of the child's CNode (radix HS_RADIX, used through a cap whose
 * guard takes the other bits, so slot numbers are its CPtrs). */
#define HS_RADIX 6u
#define HS_C_CNODE 1    /* its own CSpace root (the guarded cap) */
#define HS_C_TCB 2      /* its own TCB */
#define HS_C_PML4 3     /* its own PML4 */
#define HS_C_UNTYPED 4  /* an Untyped of 2^HS_C_UNTYPED_BITS bytes, only here */
#define HS_C_PT 5       /* a page table, only here */
#define HS_C_FRAME 7    /* two 4 KiB frames, only here */
#define HS_C_FRAME2 8
#define HS_C_EP 9       /* an endpoint the root receives on */
#define HS_C_NTFN 10
#define HS_C_REPLY 11
#define HS_C_FAULT_EP 12 /* a copy of its own fault endpoint */
#define HS_C_CNODE2 13  /* its CNode with a shorter guard: 6 bits left for a
                         * second level (given by the cases that use it);
                         * 14..18: other caps some cases give; 20..: free */
#define HS_C_UNTYPED_BITS 16u

#define HS_STACK_VADDR 0x5f3000ull     /* the stack page (top: + 0x1000) */
#define HS_FAULT (~0ull)               /* a probe that must fault */
#define HS_ANY_ERROR 0xfffffffeu       /* result mask: any MK_E_* but MK_OK */
#define HS_BIT(e) (1u << (e))

struct hs_script {
        uint64_t count, index, ipcbuf, probe, pad[4];
        struct hs_op {
                uint64_t kind, fill, nr, cptr, info, reply, mr[4], ipc[2];
                uint64_t out_nr, out_cptr, out_info, out_mr0;
        } op[HS_OPS_MAX];
};

/* One case's world: every object comes from the case's own Untyped, so
 * revoking it at the end takes all of them (hs_env_finish). */
struct hs_env {
        uint64_t first_slot;    /* root slots from here on are the case's */
        uint64_t ut;            /* the case's Untyped */
        uint64_t cnode, cspace; /* the child's CNode: as retyped, with its guard */
        uint64_t pml4;
        uint64_t tcb, probe_tcb;/* root slots (tcb 0: the root gave it up) */
        uint64_t ipcbuf_frame;
        uint64_t ep;            /* the endpoint in HS_C_EP, the root's cap */
        uint64_t badge;
        struct hs_script *sc;   /* the script page, through the root's mapping */
        uint32_t fails;
        char why[120];          /* the first failure of the case */
};

/* How a run ended: a fault message (vector, rip, addr, error), or the
 * watchdog (timeout). */
struct hs_end {
        int timeout;
        uint64_t badge, vector, rip, addr, error, index;
};

extern char child_script[], child_script_end[], child_probe[], child_probe_done[];
extern char child_delete_late[], child_delete_done[], child_flag_delete[], child_flag_done[];

/* Shorthands of the case files. */
#define ONES (~0ull)
#define E(x) HS_BIT(MK_E_##x)
#define OK HS_BIT(MK_OK)
#define RW (MK_RIGHT_READ | MK_RIGHT_WRITE)
#define ALL MK_RIGHTS_ALL
#define CS HS_C_CNODE
#define PML4 HS_C_PML4
#define D 64
#define MARK 0x1badc0de00000000ull     /* words the child stores (| a number) */

/* ---- hostile-env.c ---- */
void hs_init(void);
void hs_env_start(struct hs_env *e);
void hs_env_finish(struct hs_env *e);
/* hs_case_end: print `hostile NAME ok` or `hostile NAME FAIL why`; counts. */
void hs_case_end(struct hs_env *e, const char *name);
/* hs_verdict: the last line: `hostile verdict ok: N cases` or FAIL. */
void hs_verdict(void);
void hs_fail(struct hs_env *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Script building: ops are appended; each returns its index. */
void hs_script_reset(struct hs_env *e);
unsigned hs_sys(struct hs_env *e, uint64_t fill, uint64_t nr, uint64_t cptr, uint64_t info,
                uint64_t reply, const uint64_t mr[6]);
unsigned hs_inv(struct hs_env *e, uint64_t cptr, uint64_t label, unsigned n,
                const uint64_t *args);
unsigned hs_load(struct hs_env *e, uint64_t addr);
/* hs_std: set the direction flag; every later op runs with DF=1. */
unsigned hs_std(struct hs_env *e);
unsigned hs_store(struct hs_env *e, uint64_t addr, uint64_t value);
unsigned hs_copy_word(struct hs_env *e, uint64_t from, uint64_t to);
#define HS_INV(e, cptr, label, ...) \
        hs_inv(e, cptr, label, sizeof((uint64_t[]){ __VA_ARGS__ }) / sizeof(uint64_t), \
               (const uint64_t[]){ __VA_ARGS__ })
/* hs_expect: op i returned an error in mask (HS_BIT(MK_E_x) | ...). */
void hs_expect(struct hs_env *e, unsigned i, uint32_t mask);
/* hs_start / hs_wait: run the hostile thread at rip (rsp, rdi) and wait
 * for its fault message or the watchdog; the thread is stopped after. */
int hs_start(struct hs_env *e, uint64_t rip, uint64_t rsp, uint64_t rdi);
void hs_wait(struct hs_env *e, struct hs_end *end);
void hs_run_script(struct hs_env *e, struct hs_end *end);
/* hs_wait_any: the next fault message of either thread (badge in end);
 * the sender is left waiting for the root to stop it. */
void hs_wait_any(struct hs_env *e, struct hs_end *end);
/* hs_expect_done: the script ran to its end. hs_expect_fault: it stopped
 * at op i with a page fault at addr. */
void hs_expect_done(struct hs_env *e, const struct hs_end *end);
void hs_expect_fault(struct hs_env *e, const struct hs_end *end, unsigned i, uint64_t addr);
/* hs_probe: read addr from a second thread of the child's space: the word
 * must be value (HS_FAULT: there must be no translation). hs_probe_common:
 * what every case probes (its code and script pages, kernel addresses). */
void hs_probe(struct hs_env *e, uint64_t addr, uint64_t value);
void hs_probe_common(struct hs_env *e);
/* hs_new: retype one object of the case into a fresh root slot. */
uint64_t hs_new(struct hs_env *e, uint64_t type, uint64_t bits);

/* ---- the cases ---- */
void hs_cases_insn(void);
void hs_cases_regs(void);
void hs_cases_sys(void);
void hs_cases_tables(void);
void hs_cases_self(void);

#endif
