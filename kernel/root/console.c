/* kernel/root/console.c: a child's debug output cannot pass for the root
 * task's. A thread of the second address space gets a copy of the root's
 * DebugConsole cap minted with a badge and prints a root-task line in
 * pieces ("\n", "thatte-root: sp", "oof\n"); the kernel starts its line
 * with `thatte-user[BADGE]: ` (tests/boot/direct-boot.sh checks the
 * serial log). Through an empty slot it cannot print at all. The root
 * says the most bytes one kernel step handed the UART meanwhile (its own
 * 40-byte writes included): direct-boot.sh wants at most 16, one FIFO. */
#include "root.h"

#define RT_CONSOLE_BADGE 0x51u
#define RT_CONSOLE_YIELDS 100u

void rt_check_console(struct rt_space *s)
{
        uint64_t con = rt_copy(rt.info->debug_console, MK_RIGHT_WRITE, RT_CONSOLE_BADGE);
        volatile uint64_t *sh = s->shared;
        uint64_t ticks, bytes;
        struct rt_thread t;

        rt_must(mku_debug_stretch_steps(rt.info->debug_console, &ticks, &bytes), "debug stretch");
        rt_give(s, CHILD_SLOT_CONSOLE, con);
        rt_thread_create(s, &t, s->svc_cspace, 255, 0);
        rt_thread_start(&t, child_print, 0);
        for (unsigned n = 0; n < RT_CONSOLE_YIELDS && !sh[CHILD_SH_PUT_DONE / 8]; n++)
                mku_yield();
        rt_thread_stop(&t);
        if (!sh[CHILD_SH_PUT_DONE / 8])
                rt_fail("console: the printing thread did not finish", 0);
        if (sh[CHILD_SH_PUT_OK / 8] != MK_OK)
                rt_fail("console: DEBUG_PUT through a badged cap", (int)sh[CHILD_SH_PUT_OK / 8]);
        if (sh[CHILD_SH_PUT_NONE / 8] != MK_E_INVALID_CAP)
                rt_fail("console: DEBUG_PUT without a cap", (int)sh[CHILD_SH_PUT_NONE / 8]);
        rt_must(mku_debug_stretch_steps(rt.info->debug_console, &ticks, &bytes), "debug stretch");
        rt_say("console: a child printed through a cap with badge 0x%x; without one: "
               "error %d; steps of at most %lu bytes", RT_CONSOLE_BADGE, MK_E_INVALID_CAP,
               (unsigned long)bytes);
}
