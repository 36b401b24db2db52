/* kernel/root/segs.c: segment state is the thread's own. Two threads of
 * the second address space, each with its own TLS base (TCB_WRITE_REGISTERS
 * mr4, the FS base): the first reads through it, loads other selectors
 * into DS, ES, FS (which drops its FS base) and GS and enters the kernel;
 * the second starts after it and must see the kernel's values (DS, ES,
 * FS the user data selector, GS null) and its own TLS; the first, back
 * from the kernel, its selectors reset and its TLS base back. */
#include "root.h"

#define RT_SEG_YIELDS 100u
#define RT_TLS_A 0x5eed0000000000aaull
#define RT_TLS_B 0x5eed0000000000bbull
#define RT_SEL_UDATA 0x1bu

static uint64_t sh(const struct rt_space *s, unsigned off)
{
        return s->shared[off / 8];
}

/* What the two threads must have seen: shared-page word, value. */
static const struct {
        unsigned off;
        uint64_t want;
        const char *what;
} expect[] = {
        { CHILD_SH_SEG_A_DONE, 1, "first thread finished" },
        { CHILD_SH_SEG_B_DONE, 1, "second thread finished" },
        { CHILD_SH_SEG_A_TLS0, RT_TLS_A, "first thread's TLS" },
        { CHILD_SH_SEG_B_DS, RT_SEL_UDATA, "second thread's DS" },
        { CHILD_SH_SEG_B_ES, RT_SEL_UDATA, "second thread's ES" },
        { CHILD_SH_SEG_B_FS, RT_SEL_UDATA, "second thread's FS" },
        { CHILD_SH_SEG_B_GS, 0, "second thread's GS" },
        { CHILD_SH_SEG_B_TLS, RT_TLS_B, "second thread's TLS" },
        { CHILD_SH_SEG_A_DS, RT_SEL_UDATA, "first thread's DS after a syscall" },
        { CHILD_SH_SEG_A_TLS1, RT_TLS_A, "first thread's TLS after a syscall" },
};

static void start(struct rt_space *s, struct rt_thread *t, void (*entry)(void),
                  uint64_t tls)
{
        rt_thread_create(s, t, s->cspace, 255, 0);
        rt_must(mku_tcb_write_registers_tls(t->tcb, (uint64_t)(uintptr_t)entry, t->stack_top,
                                            0, 1, CHILD_SHARED_VADDR + tls),
                "tcb write registers with a TLS base");
}

void rt_check_segments(struct rt_space *s)
{
        struct rt_thread a, b;

        s->shared[CHILD_SH_TLS_A / 8] = RT_TLS_A;
        s->shared[CHILD_SH_TLS_B / 8] = RT_TLS_B;
        start(s, &a, child_seg_dirty, CHILD_SH_TLS_A);
        start(s, &b, child_seg_probe, CHILD_SH_TLS_B);
        for (unsigned n = 0; n < RT_SEG_YIELDS; n++) {
                mku_yield();
                if (sh(s, CHILD_SH_SEG_A_DONE) && sh(s, CHILD_SH_SEG_B_DONE))
                        break;
        }
        rt_thread_stop(&a);
        rt_thread_stop(&b);
        for (unsigned i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
                if (sh(s, expect[i].off) == expect[i].want)
                        continue;
                rt_say("segments: %s: 0x%lx, not 0x%lx", expect[i].what,
                       (unsigned long)sh(s, expect[i].off), (unsigned long)expect[i].want);
                rt_fail("segment state", MK_E_INVALID_ARG);
        }
        rt_say("segments: selectors a thread loads (0x%x, GS 0x%x) last until its next "
               "kernel entry; the next thread sees 0x%x, GS 0, and its own TLS base",
               CHILD_SEG_DIRT_SEL, CHILD_SEG_DIRT_GS, RT_SEL_UDATA);
}
