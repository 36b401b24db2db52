/* kernel/root/hostile-env.c: the world of one hostile case. Every object
 * of a case is retyped from the case's own Untyped: a PML4 with the child
 * code, the script page (also mapped in the root), a stack, IPC buffers,
 * a CNode of HS_RADIX slots holding the caps the child may use, the
 * hostile thread and a probe thread. Revoking the Untyped at the end
 * deletes all of it, and the root's slots are handed out again. The
 * hostile thread runs a script (hostile.S) or one stray instruction and
 * ends in a fault message on the root's endpoint (badged per case); the
 * watchdog ends a wait for a thread that vanished. */
#include "hostile-test.h"

#define PAGE 4096u
#define HS_UT_BITS 20u          /* the case's Untyped: 1 MiB */
#define HS_PRIO 2u              /* above the watchdog, below the root */
#define HS_WATCHDOG_TICKS (1ull << 28)
#define HS_PROBE_BADGE 1u

_Static_assert(offsetof(struct hs_script, index) == HS_INDEX, "HS_INDEX");
_Static_assert(offsetof(struct hs_script, ipcbuf) == HS_IPCBUF, "HS_IPCBUF");
_Static_assert(offsetof(struct hs_script, probe) == HS_PROBE, "HS_PROBE");
_Static_assert(offsetof(struct hs_script, op) == HS_OPS, "HS_OPS");
_Static_assert(sizeof(struct hs_op) == HS_OP_SIZE, "HS_OP_SIZE");
_Static_assert(offsetof(struct hs_op, ipc) == OP_IPC4, "OP_IPC4");
_Static_assert(offsetof(struct hs_op, out_nr) == OP_OUT_NR, "OP_OUT_NR");
_Static_assert(offsetof(struct hs_op, out_mr0) == OP_OUT_MR0, "OP_OUT_MR0");
_Static_assert(sizeof(struct hs_script) <= PAGE, "the script fits a page");

extern char __child_start[], __child_end[];

static uint64_t hs_ep, hs_reply, hs_badge_next = 0x100;
static unsigned hs_total, hs_failed;

void hs_init(void)
{
        hs_ep = rt_new(MK_OBJ_ENDPOINT, 0);
        hs_reply = rt_new(MK_OBJ_REPLY, 0);
        /* The root's page table for the script mapping, made once here so
         * the slots a case frees never include it. */
        rt_must(rt_map(rt.info->vspace, rt_new(MK_OBJ_FRAME, 12), RT_HS_SCRIPT_VADDR + 2 * PAGE,
                       RW, MK_MAP_EXECUTE_NEVER), "hostile: root page table");
}

uint64_t hs_new(struct hs_env *e, uint64_t type, uint64_t bits)
{
        uint64_t slot = rt_slots(1);

        rt_must(mku_untyped_retype(e->ut, type, bits, rt.info->cnode, slot, 1),
                "hostile: retype");
        return slot;
}

static void new_child(struct hs_env *e, uint64_t type, uint64_t bits, uint64_t slot)
{
        rt_must(mku_untyped_retype(e->ut, type, bits, e->cnode, slot, 1),
                "hostile: retype into the child's CNode");
}

static uint64_t map_new(struct hs_env *e, uint64_t vaddr, uint64_t rights, uint64_t attrs)
{
        uint64_t f = hs_new(e, MK_OBJ_FRAME, 12);

        rt_must(mku_page_map(f, e->pml4, vaddr, rights, attrs), "hostile: map a page");
        return f;
}

/* PDPT, PD and the page table of 0x400000..0x5fffff, then the child code
 * copied into fresh frames, read-only at its own addresses. */
static void build_space(struct hs_env *e)
{
        uint64_t pdpt = hs_new(e, MK_OBJ_PDPT, 0), pd = hs_new(e, MK_OBJ_PD, 0), f;
        uint64_t pt = hs_new(e, MK_OBJ_PT, 0);

        e->pml4 = hs_new(e, MK_OBJ_PML4, 0);
        rt_must(mku_page_map(pdpt, e->pml4, 0, MK_RIGHTS_ALL, 0), "hostile: map PDPT");
        rt_must(mku_page_map(pd, e->pml4, 0, MK_RIGHTS_ALL, 0), "hostile: map PD");
        rt_must(mku_page_map(pt, e->pml4, 0x400000, MK_RIGHTS_ALL, 0), "hostile: map PT");
        for (char *p = __child_start; p < __child_end; p += PAGE) {
                f = hs_new(e, MK_OBJ_FRAME, 12);
                rt_must(mku_page_map(f, rt.info->vspace, RT_HS_SCRATCH_VADDR, RW,
                                     MK_MAP_EXECUTE_NEVER), "hostile: map code copy");
                for (unsigned i = 0; i < PAGE; i++)
                        ((volatile char *)RT_HS_SCRATCH_VADDR)[i] = p[i];
                rt_must(mku_page_unmap(f), "hostile: unmap code copy");
                rt_must(mku_page_map(f, e->pml4, (uint64_t)p, MK_RIGHT_READ, 0),
                        "hostile: map child code");
        }
        f = map_new(e, HS_SCRIPT_VADDR, RW, MK_MAP_EXECUTE_NEVER);
        rt_must(mku_page_map(rt_copy(f, RW, 0), rt.info->vspace, RT_HS_SCRIPT_VADDR, RW,
                             MK_MAP_EXECUTE_NEVER), "hostile: map the script in the root");
        e->sc = (struct hs_script *)RT_HS_SCRIPT_VADDR;
        e->ipcbuf_frame = map_new(e, HS_IPCBUF_VADDR, RW, MK_MAP_EXECUTE_NEVER);
        (void)map_new(e, HS_STACK_VADDR, RW, MK_MAP_EXECUTE_NEVER);
}

static uint64_t thread(struct hs_env *e, uint64_t fault_ep, uint64_t ipcbuf_vaddr,
                       uint64_t ipcbuf_frame)
{
        uint64_t t = hs_new(e, MK_OBJ_TCB, 0);

        rt_must(mku_tcb_configure(t, e->cspace, e->pml4, fault_ep), "hostile: configure");
        rt_must(mku_tcb_set_ipc_buffer(t, ipcbuf_vaddr, ipcbuf_frame), "hostile: IPC buffer");
        rt_must(mku_tcb_set_priority(t, HS_PRIO), "hostile: priority");
        return t;
}

/* The caps the child holds (hostile-test.h): copies of its own CNode, TCB,
 * PML4, endpoint and fault endpoint, and objects only it holds. */
static void fill_cnode(struct hs_env *e, uint64_t fault_ep)
{
        rt_give_to(e->cnode, HS_C_CNODE, e->cspace);
        rt_give_to(e->cnode, HS_C_TCB, e->tcb);
        rt_give_to(e->cnode, HS_C_PML4, e->pml4);
        rt_give_to(e->cnode, HS_C_EP, e->ep);
        rt_give_to(e->cnode, HS_C_FAULT_EP, fault_ep);
        new_child(e, MK_OBJ_UNTYPED, HS_C_UNTYPED_BITS, HS_C_UNTYPED);
        new_child(e, MK_OBJ_PT, 0, HS_C_PT);
        new_child(e, MK_OBJ_FRAME, 12, HS_C_FRAME);
        new_child(e, MK_OBJ_FRAME, 12, HS_C_FRAME2);
        new_child(e, MK_OBJ_NOTIFICATION, 0, HS_C_NTFN);
        new_child(e, MK_OBJ_REPLY, 0, HS_C_REPLY);
}

void hs_env_start(struct hs_env *e)
{
        uint64_t guard = (uint64_t)(64 - HS_RADIX) << 58, fault_ep, probe_ep, pbuf;

        for (size_t i = 0; i < sizeof(*e); i++)
                ((char *)e)[i] = 0;
        e->first_slot = rt.next_slot;
        e->ut = rt_new(MK_OBJ_UNTYPED, HS_UT_BITS);
        e->badge = hs_badge_next += 2;
        e->cnode = hs_new(e, MK_OBJ_CNODE, HS_RADIX);
        e->cspace = rt_copy(e->cnode, MK_RIGHTS_ALL, guard);
        e->ep = hs_new(e, MK_OBJ_ENDPOINT, 0);
        build_space(e);
        pbuf = map_new(e, HS_PROBE_IPCBUF_VADDR, RW, MK_MAP_EXECUTE_NEVER);
        fault_ep = rt_copy(hs_ep, MK_RIGHTS_ALL, e->badge);
        probe_ep = rt_copy(hs_ep, MK_RIGHTS_ALL, e->badge | HS_PROBE_BADGE);
        e->tcb = thread(e, fault_ep, HS_IPCBUF_VADDR, e->ipcbuf_frame);
        e->probe_tcb = thread(e, probe_ep, HS_PROBE_IPCBUF_VADDR, pbuf);
        fill_cnode(e, fault_ep);
        hs_script_reset(e);
}

void hs_env_finish(struct hs_env *e)
{
        uint64_t cn = rt.info->cnode;

        if (e->tcb)
                (void)mku_tcb_suspend(e->tcb);
        if (e->probe_tcb)
                (void)mku_tcb_suspend(e->probe_tcb);
        rt_must(mku_cnode_revoke(cn, e->ut, RT_DEPTH), "hostile: revoke the case's Untyped");
        for (uint64_t s = e->first_slot; s < rt.next_slot; s++)
                rt_must(mku_cnode_delete(cn, s, RT_DEPTH), "hostile: free the case's slots");
        rt.next_slot = e->first_slot;
}

void hs_fail(struct hs_env *e, const char *fmt, ...)
{
        va_list ap;

        if (e->fails++)
                return;
        va_start(ap, fmt);
        (void)mku_vformat(e->why, sizeof(e->why), fmt, ap);
        va_end(ap);
}

void hs_case_end(struct hs_env *e, const char *name)
{
        hs_total++;
        if (e->fails) {
                hs_failed++;
                rt_say("hostile %s FAIL %s", name, e->why);
        } else {
                rt_say("hostile %s ok", name);
        }
        e->fails = 0;
        e->why[0] = '\0';
}

void hs_verdict(void)
{
        if (hs_failed)
                rt_say("hostile verdict FAIL: %u of %u cases failed", hs_failed, hs_total);
        else
                rt_say("hostile verdict ok: %u cases", hs_total);
}

/* ---- scripts ---- */

void hs_script_reset(struct hs_env *e)
{
        e->sc->count = 0;
        e->sc->index = 0;
        e->sc->ipcbuf = HS_IPCBUF_VADDR;
}

static struct hs_op *add(struct hs_env *e, uint64_t kind)
{
        struct hs_op *o;

        if (e->sc->count >= HS_OPS_MAX)
                rt_fail("hostile: script full", MK_E_RANGE);
        o = &e->sc->op[e->sc->count++];
        for (size_t i = 0; i < sizeof(*o); i++)
                ((volatile char *)o)[i] = 0;
        o->kind = kind;
        o->out_nr = ~0ull;
        return o;
}

unsigned hs_sys(struct hs_env *e, uint64_t fill, uint64_t nr, uint64_t cptr, uint64_t info,
                uint64_t reply, const uint64_t mr[6])
{
        struct hs_op *o = add(e, HS_OP_SYSCALL);

        o->fill = fill;
        o->nr = nr;
        o->cptr = cptr;
        o->info = info;
        o->reply = reply;
        for (unsigned i = 0; i < 4; i++)
                o->mr[i] = mr ? mr[i] : 0;
        o->ipc[0] = mr ? mr[4] : 0;
        o->ipc[1] = mr ? mr[5] : 0;
        return (unsigned)e->sc->count - 1;
}

unsigned hs_inv(struct hs_env *e, uint64_t cptr, uint64_t label, unsigned n,
                const uint64_t *args)
{
        uint64_t mr[6] = { 0 };

        for (unsigned i = 0; i < n && i < 6; i++)
                mr[i] = args[i];
        return hs_sys(e, 0, MK_SYS_CALL, cptr, mk_info(label, 0, n), 0, mr);
}

unsigned hs_std(struct hs_env *e)
{
        add(e, HS_OP_STD);
        return (unsigned)e->sc->count - 1;
}

unsigned hs_load(struct hs_env *e, uint64_t addr)
{
        add(e, HS_OP_LOAD)->cptr = addr;
        return (unsigned)e->sc->count - 1;
}

unsigned hs_store(struct hs_env *e, uint64_t addr, uint64_t value)
{
        struct hs_op *o = add(e, HS_OP_STORE);

        o->cptr = addr;
        o->mr[0] = value;
        return (unsigned)e->sc->count - 1;
}

unsigned hs_copy_word(struct hs_env *e, uint64_t from, uint64_t to)
{
        struct hs_op *o = add(e, HS_OP_COPY);

        o->cptr = from;
        o->mr[0] = to;
        return (unsigned)e->sc->count - 1;
}

void hs_expect(struct hs_env *e, unsigned i, uint32_t mask)
{
        uint64_t out = e->sc->op[i].out_nr;

        if (i >= e->sc->index)
                hs_fail(e, "op %u not reached (stopped at op %lu)", i,
                        (unsigned long)e->sc->index);
        else if (out >= 32 || !(mask & HS_BIT(out)))
                hs_fail(e, "op %u (nr %lu label %lu) returned %lu", i,
                        (unsigned long)e->sc->op[i].nr,
                        (unsigned long)mk_info_label(e->sc->op[i].info), (unsigned long)out);
}

/* ---- running ---- */

int hs_start(struct hs_env *e, uint64_t rip, uint64_t rsp, uint64_t rdi)
{
        return mku_tcb_write_registers(e->tcb, rip, rsp, rdi, 1);
}

void hs_wait_any(struct hs_env *e, struct hs_end *end)
{
        struct mku_msg m = { 0 };
        int r;

        rt_watchdog_arm_ticks(HS_WATCHDOG_TICKS);
        r = mku_recv(hs_ep, hs_reply, &m);
        rt_watchdog_disarm();
        for (size_t i = 0; i < sizeof(*end); i++)
                ((char *)end)[i] = 0;
        end->index = e->sc->index;
        if (r != MK_OK || mk_info_label(m.info) != MK_FAULT_LABEL) {
                end->timeout = 1;
                if (r != MK_OK)
                        hs_fail(e, "receiving the fault message: kernel error %d", r);
                return;
        }
        end->badge = m.badge;
        end->rip = m.mr[0];
        end->addr = m.mr[1];
        end->error = m.mr[2];
        end->vector = m.mr[3];
}

static void wait_badge(struct hs_env *e, uint64_t tcb, uint64_t badge, struct hs_end *end)
{
        hs_wait_any(e, end);
        if (tcb)
                (void)mku_tcb_suspend(tcb);
        if (!end->timeout && end->badge != badge)
                hs_fail(e, "a fault message from another thread (badge 0x%lx)",
                        (unsigned long)end->badge);
}

void hs_wait(struct hs_env *e, struct hs_end *end)
{
        wait_badge(e, e->tcb, e->badge, end);
}

void hs_run_script(struct hs_env *e, struct hs_end *end)
{
        int r;

        e->sc->index = 0;
        r = hs_start(e, (uint64_t)(uintptr_t)child_script, HS_STACK_VADDR + PAGE, 0);
        if (r != MK_OK) {
                hs_fail(e, "starting the script: kernel error %d", r);
                end->timeout = 1;
                return;
        }
        hs_wait(e, end);
}

static void say_end(struct hs_env *e, const char *what, const struct hs_end *end)
{
        if (end->timeout)
                hs_fail(e, "%s: no fault message (stopped at op %lu)", what,
                        (unsigned long)end->index);
        else
                hs_fail(e, "%s: vector %lu at rip 0x%lx addr 0x%lx, op %lu", what,
                        (unsigned long)end->vector, (unsigned long)end->rip,
                        (unsigned long)end->addr, (unsigned long)end->index);
}

void hs_expect_done(struct hs_env *e, const struct hs_end *end)
{
        if (end->timeout || end->vector != HS_VEC_END ||
            end->rip != (uint64_t)(uintptr_t)child_script_end)
                say_end(e, "script did not run to its end", end);
}

void hs_expect_fault(struct hs_env *e, const struct hs_end *end, unsigned i, uint64_t addr)
{
        if (end->timeout || end->vector != HS_VEC_PF || end->addr != addr || end->index != i)
                say_end(e, "expected a page fault", end);
}

/* ---- probes ---- */

void hs_probe(struct hs_env *e, uint64_t addr, uint64_t value)
{
        struct hs_end end;
        int r;

        e->sc->probe = 0x5a5a5a5a5a5a5a5aull;
        r = mku_tcb_write_registers(e->probe_tcb, (uint64_t)(uintptr_t)child_probe, 0, addr, 1);
        if (r != MK_OK) {
                hs_fail(e, "probe 0x%lx: kernel error %d", (unsigned long)addr, r);
                return;
        }
        wait_badge(e, e->probe_tcb, e->badge | HS_PROBE_BADGE, &end);
        if (value == HS_FAULT) {
                /* a non-canonical address raises #GP, without an address */
                if (end.timeout ||
                    !((end.vector == HS_VEC_PF && end.addr == addr) || end.vector == HS_VEC_GP))
                        hs_fail(e, "probe 0x%lx: a translation no cap accounts for (%s 0x%lx)",
                                (unsigned long)addr, end.timeout ? "no fault" : "read",
                                (unsigned long)e->sc->probe);
                return;
        }
        if (end.timeout || end.vector != HS_VEC_END ||
            end.rip != (uint64_t)(uintptr_t)child_probe_done ||
            e->sc->probe != value)
                hs_fail(e, "probe 0x%lx: expected 0x%lx, got %s 0x%lx (vector %lu)",
                        (unsigned long)addr, (unsigned long)value,
                        end.vector == HS_VEC_END ? "word" : "fault", (unsigned long)
                        (end.vector == HS_VEC_END ? e->sc->probe : end.addr),
                        (unsigned long)end.vector);
}

/* What every child has: its code (read-only, the root's copy of it) and
 * the script page; and no kernel address: the direct map of low memory,
 * the kernel image, the first non-canonical one. */
void hs_probe_common(struct hs_env *e)
{
        hs_probe(e, (uint64_t)(uintptr_t)__child_start, *(const uint64_t *)__child_start);
        hs_probe(e, HS_SCRIPT_VADDR, e->sc->count);
        hs_probe(e, 0xffff800000100000ull, HS_FAULT);
        hs_probe(e, 0xffffffff80100000ull, HS_FAULT);
        hs_probe(e, 0x0000800000000000ull, HS_FAULT);
}
