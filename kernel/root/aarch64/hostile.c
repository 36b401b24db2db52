/* kernel/root/aarch64/hostile.c: the hostile-children test on aarch64
 * (thatte.test=hostile): the arch-neutral sets of ../hostile-*.c
 * (syscalls, tables, a thread against itself), whose scripts run on
 * aarch64/hostile.S. The stray-instruction and register
 * cases of ../hostile.c are x86-64's and have no aarch64 counterpart
 * yet. */
#include "hostile-test.h"

void rt_hostile_run(void)
{
        hs_init();
        hs_cases_sys();
        hs_cases_tables();
        hs_cases_self();
        hs_verdict();
}
