/* compositor/guard.c: SIGBUS inside a guarded mapping jumps back to its
 * guard (guard.h says why). The handler runs with SA_NODEFER, so leaving
 * it by siglongjmp needs no signal mask restored and sigsetjmp(jump, 0)
 * costs no system call on the per-frame path. */
#include "config.h"

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "compositor/guard.h"

static struct comp_guard *volatile current;
static struct sigaction previous;
static bool installed;

static bool inside(const struct comp_guard *g, const void *addr)
{
        return (uintptr_t)addr - (uintptr_t)g->base < g->size;
}

static void on_sigbus(int sig, siginfo_t *info, void *context)
{
        /* si_code > 0: raised by a fault, so si_addr is the address; a
         * SIGBUS sent by kill() carries no address and is not a fault. */
        bool fault = info->si_code > 0;

        (void)context;
        for (struct comp_guard *g = current; fault && g; g = g->outer)
                if (inside(g, info->si_addr)) {
                        current = g->outer;
                        siglongjmp(g->jump, 1);
                }
        /* Not a channel's page: give the signal back to whoever had it; a
         * faulting instruction runs again and meets that disposition. */
        (void)sigaction(SIGBUS, &previous, NULL);
        installed = false;
        if (!fault)
                (void)raise(sig);
}

static void install(void)
{
        struct sigaction sa = { .sa_sigaction = on_sigbus, .sa_flags = SA_SIGINFO | SA_NODEFER };

        sigemptyset(&sa.sa_mask);
        if (sigaction(SIGBUS, &sa, &previous) == 0)
                installed = true;
}

void comp_guard_push(struct comp_guard *g, const volatile void *base, size_t size)
{
        if (!installed)
                install();
        g->base = base;
        g->size = size;
        g->outer = current;
        /* The handler must see g whole before it is current. */
        __atomic_signal_fence(__ATOMIC_SEQ_CST);
        current = g;
}

void comp_guard_pop(struct comp_guard *g)
{
        current = g->outer;
}
