/* kernel/root/hostile.c: the hostile-children test, run by the root task
 * when the kernel command line says thatte.test=hostile. Each case gives a
 * child thread its own address space and CSpace (hostile-env.c), lets it
 * do one kind of hostile thing, and checks that it ended in the right
 * error or in a fault delivered to the root, and that afterwards the
 * child's space translates exactly what its caps allow (probes). One line
 * per case, `thatte-root: hostile CASE ok` or `... FAIL why`, then the
 * verdict. This file: the order, stray instructions, register writes. */
#include "hostile-test.h"

#define PAGE 4096u

struct insn_case {
        const char *name;
        void (*entry)(void);
        uint64_t vector;        /* the fault the instruction must raise */
        uint64_t alt_vector;    /* another acceptable one (0: none) */
        uint64_t error;         /* its error code for #GP from an IDT gate, else ~0 */
};

#define INSN(n) extern void hs_insn_##n(void);
INSN(hlt) INSN(cli) INSN(sti) INSN(in) INSN(out) INSN(rdmsr) INSN(wrmsr) INSN(lgdt)
INSN(lidt) INSN(ltr) INSN(mov_cr3) INSN(mov_cr0) INSN(invlpg) INSN(swapgs) INSN(int3)
INSN(ud2) INSN(int80) INSN(int_pf) INSN(int_gp) INSN(int_df) INSN(int_irq) INSN(int_timer)
INSN(int_spurious) INSN(push) INSN(load_ds) INSN(div0) INSN(iret_ring0) INSN(load_tss_gs)
INSN(wrfsbase) INSN(wrgsbase) INSN(flags)
#undef INSN

/* #GP raised by an IDT gate the user may not use: the error code names
 * the gate (IDT bit and the vector as its index; QEMU's TCG puts the
 * byte offset of the 16-byte gate there instead, which is accepted). */
#define GATE(v) ((uint64_t)(v) * 8 + 2)
#define IS_GATE(error, v) ((error) == GATE(v) || (error) == (uint64_t)(v) * 16 + 2)

static const struct insn_case insns[] = {
        { "insn-hlt", hs_insn_hlt, 13, 0, 0 },
        { "insn-cli", hs_insn_cli, 13, 0, 0 },
        { "insn-sti", hs_insn_sti, 13, 0, 0 },
        { "insn-in", hs_insn_in, 13, 0, 0 },
        { "insn-out", hs_insn_out, 13, 0, 0 },
        { "insn-rdmsr", hs_insn_rdmsr, 13, 0, 0 },
        { "insn-wrmsr", hs_insn_wrmsr, 13, 0, 0 },
        { "insn-lgdt", hs_insn_lgdt, 13, 0, 0 },
        { "insn-lidt", hs_insn_lidt, 13, 0, 0 },
        { "insn-ltr", hs_insn_ltr, 13, 0, 0 },
        { "insn-mov-cr3", hs_insn_mov_cr3, 13, 0, 0 },
        { "insn-mov-cr0", hs_insn_mov_cr0, 13, 0, 0 },
        { "insn-invlpg", hs_insn_invlpg, 13, 0, 0 },
        { "insn-swapgs", hs_insn_swapgs, 13, 0, 0 },
        { "insn-int3", hs_insn_int3, 13, 3, GATE(3) },
        { "insn-ud2", hs_insn_ud2, 6, 0, ~0ull },
        { "insn-int-0x80", hs_insn_int80, 13, 0, GATE(0x80) },
        { "insn-int-pf", hs_insn_int_pf, 13, 0, GATE(14) },
        { "insn-int-gp", hs_insn_int_gp, 13, 0, GATE(13) },
        { "insn-int-df", hs_insn_int_df, 13, 0, GATE(8) },
        { "insn-int-irq", hs_insn_int_irq, 13, 0, GATE(0x20) },
        { "insn-int-timer", hs_insn_int_timer, 13, 0, GATE(0x40) },
        { "insn-int-spurious", hs_insn_int_spurious, 13, 0, GATE(0xff) },
        { "insn-load-kernel-ds", hs_insn_load_ds, 13, 0, 0x10 },
        { "insn-div0", hs_insn_div0, 0, 0, ~0ull },
        { "insn-flags-df-ac-nt", hs_insn_flags, 6, 0, ~0ull },
        { "insn-load-tss-gs", hs_insn_load_tss_gs, 13, 0, 0x28 },
        { "insn-wrfsbase", hs_insn_wrfsbase, 6, 0, ~0ull },     /* FSGSBASE is off */
        { "insn-wrgsbase", hs_insn_wrgsbase, 6, 0, ~0ull },
        /* #PF with SMAP on: QEMU's TCG reads IRET's frame as the kernel */
        { "insn-iret-ring0", hs_insn_iret_ring0, 13, 14, ~0ull },
};

/* The faulting instruction lies within the first bytes of its snippet. */
static int rip_in(uint64_t rip, void (*entry)(void))
{
        uint64_t a = (uint64_t)(uintptr_t)entry;

        return rip >= a && rip < a + 24;
}

static void insn_case(struct hs_env *e, const struct insn_case *c)
{
        struct hs_end end;
        int r = hs_start(e, (uint64_t)(uintptr_t)c->entry, HS_STACK_VADDR + PAGE,
                         HS_SCRIPT_VADDR);

        if (r != MK_OK) {
                hs_fail(e, "start: kernel error %d", r);
                return;
        }
        hs_wait(e, &end);
        if (end.timeout)
                hs_fail(e, "no fault message");
        else if (!rip_in(end.rip, c->entry))
                hs_fail(e, "vector %lu at rip 0x%lx, not at the instruction",
                        (unsigned long)end.vector, (unsigned long)end.rip);
        else if (c->alt_vector && end.vector == c->alt_vector)
                return;
        else if (end.vector != c->vector || (c->error != ~0ull && end.error != c->error &&
                 !((c->error & 7) == 2 && IS_GATE(end.error, c->error >> 3))))
                hs_fail(e, "vector %lu error 0x%lx, expected %lu error 0x%lx",
                        (unsigned long)end.vector, (unsigned long)end.error,
                        (unsigned long)c->vector, (unsigned long)c->error);
}

void hs_cases_insn(void)
{
        struct hs_env e;

        hs_env_start(&e);
        for (unsigned i = 0; i < sizeof(insns) / sizeof(insns[0]); i++) {
                insn_case(&e, &insns[i]);
                if (i + 1 == sizeof(insns) / sizeof(insns[0]))
                        hs_probe_common(&e);
                hs_case_end(&e, insns[i].name);
        }
        hs_env_finish(&e);
}

/* ---- register writes: rip and rsp the thread cannot use ---- */

static void bad_rip(struct hs_env *e, uint64_t rip)
{
        int r = hs_start(e, rip, HS_STACK_VADDR + PAGE, 0);

        if (r != MK_E_RANGE)
                hs_fail(e, "rip 0x%lx: kernel said %d, expected %d (range)", (unsigned long)rip,
                        r, MK_E_RANGE);
}

/* A TLS base (the FS base) outside the user half: refused, nothing runs. */
static void bad_tls(struct hs_env *e, uint64_t tls)
{
        int r = mku_tcb_write_registers_tls(e->tcb, (uint64_t)(uintptr_t)hs_insn_ud2,
                                            HS_STACK_VADDR + PAGE, 0, 1, tls);

        if (r != MK_E_RANGE)
                hs_fail(e, "TLS base 0x%lx: kernel said %d, expected %d (range)",
                        (unsigned long)tls, r, MK_E_RANGE);
}

/* A user rip nothing is mapped at: a page fault there, on the fetch. */
static void unmapped_rip(struct hs_env *e, uint64_t rip)
{
        struct hs_end end;
        int r = hs_start(e, rip, HS_STACK_VADDR + PAGE, 0);

        if (r != MK_OK) {
                hs_fail(e, "rip 0x%lx: kernel error %d", (unsigned long)rip, r);
                return;
        }
        hs_wait(e, &end);
        if (end.timeout || end.vector != 14 || end.rip != rip || end.addr != rip)
                hs_fail(e, "rip 0x%lx: vector %lu rip 0x%lx addr 0x%lx", (unsigned long)rip,
                        (unsigned long)end.vector, (unsigned long)end.rip,
                        (unsigned long)end.addr);
}

/* A push with rsp where the thread may not write: a fault in user mode
 * (#SS or #GP for a non-canonical rsp, #PF for a kernel one). */
static void bad_rsp(struct hs_env *e, uint64_t rsp)
{
        struct hs_end end;
        int r = hs_start(e, (uint64_t)(uintptr_t)hs_insn_push, rsp, 0);

        if (r != MK_OK) {
                hs_fail(e, "rsp 0x%lx: kernel error %d", (unsigned long)rsp, r);
                return;
        }
        hs_wait(e, &end);
        if (end.timeout || end.rip != (uint64_t)(uintptr_t)hs_insn_push ||
            (end.vector != 12 && end.vector != 13 && end.vector != 14))
                hs_fail(e, "rsp 0x%lx: vector %lu rip 0x%lx", (unsigned long)rsp,
                        (unsigned long)end.vector, (unsigned long)end.rip);
}

void hs_cases_regs(void)
{
        struct hs_env e;

        hs_env_start(&e);
        bad_rip(&e, 0x0000800000000000ull);
        bad_rip(&e, 0xffff800000000000ull);
        bad_rip(&e, 0xffffffff80100000ull);
        bad_rip(&e, ~0ull);
        hs_case_end(&e, "regs-rip-kernel-noncanonical");
        bad_tls(&e, 0x0000800000000000ull);
        bad_tls(&e, 0xffff800000000000ull);
        bad_tls(&e, ~0ull);
        hs_case_end(&e, "regs-tls-base-kernel-noncanonical");
        unmapped_rip(&e, 0x00007ffffffff000ull);
        unmapped_rip(&e, 0);
        hs_case_end(&e, "regs-rip-unmapped");
        bad_rsp(&e, 0x0000800000000000ull);
        bad_rsp(&e, 0x8000000000000000ull);
        hs_case_end(&e, "regs-rsp-noncanonical");
        bad_rsp(&e, 0xffff800000100000ull);
        bad_rsp(&e, 0xffffffff80100000ull);
        bad_rsp(&e, ~0ull);
        hs_probe_common(&e);
        hs_case_end(&e, "regs-rsp-kernel");
        hs_env_finish(&e);
}

void rt_hostile_run(void)
{
        hs_init();
        hs_cases_insn();
        hs_cases_regs();
        hs_cases_sys();
        hs_cases_tables();
        hs_cases_self();
        hs_verdict();
}
