/* kernel/root/fault.c: faults stay with the thread that made them. Two
 * threads holding no capability at all (an empty CSpace) fault on purpose:
 * one reads an unmapped address (#PF, vector 14; aarch64: a data abort,
 * class 0x24), one executes `in` without an I/O port capability (#GP,
 * vector 13; aarch64: reads SCTLR_EL1 at EL0, class 0). The kernel turns each
 * fault into a call on the thread's fault endpoint; the root receives it,
 * checks it and suspends the thread, and carries on. */
#include "root.h"

#define RT_FAULT_PORT 0x3f8u

extern char __child_start[], __child_end[];

struct fault_case {
        void (*entry)(void);
        uint64_t arg;
        uint64_t vector;
        uint64_t addr;          /* expected mr1 (the fault address for #PF) */
        const char *what;
};

static void run_case(struct rt_space *s, uint64_t ep, uint64_t reply,
                     const struct fault_case *c)
{
        uint64_t badge = 0x100 + c->vector, fep = rt_copy(ep, MK_RIGHTS_ALL, badge);
        struct mku_msg m = { 0 };
        struct rt_thread t;
        int r;

        rt_thread_create(s, &t, s->cspace, 254, fep);
        rt_watchdog_arm();
        rt_thread_start(&t, c->entry, c->arg);
        r = mku_recv(ep, reply, &m);
        rt_watchdog_disarm();
        rt_thread_stop(&t);
        if (r != MK_OK)
                rt_fail("fault endpoint receive", r);
        if (mk_info_label(m.info) != MK_FAULT_LABEL)
                rt_fail(c->what, MK_E_WOULD_BLOCK);
        if (m.badge != badge || m.mr[3] != c->vector || m.mr[1] != c->addr ||
            m.mr[0] < (uint64_t)__child_start || m.mr[0] >= (uint64_t)__child_end)
                rt_fail(c->what, MK_E_INVALID_ARG);
        rt_say("%s isolated: vector %lu at rip 0x%lx address 0x%lx, "
               "delivered to its fault endpoint", c->what, (unsigned long)m.mr[3],
               (unsigned long)m.mr[0], (unsigned long)m.mr[1]);
}

void rt_check_faults(struct rt_space *s)
{
        const struct fault_case cases[] = {
#if defined(__aarch64__)
                /* exception classes: a data abort from EL0 (FAR the
                 * address), an instruction EL0 may not run (class 0) */
                { child_touch, CHILD_FAULT_VADDR, 0x24, CHILD_FAULT_VADDR, "page fault" },
                { child_sysreg, 0, 0, 0, "system register access without the privilege" },
#else
                { child_touch, CHILD_FAULT_VADDR, 14, CHILD_FAULT_VADDR, "page fault" },
                { child_port_in, RT_FAULT_PORT, 13, 0, "port i/o without a capability" },
#endif
        };
        uint64_t ep = rt_new(MK_OBJ_ENDPOINT, 0), reply = rt_new(MK_OBJ_REPLY, 0);

        for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
                run_case(s, ep, reply, &cases[i]);
}
