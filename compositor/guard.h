/* compositor/guard.h: touching memory that may vanish under us.
 *
 * A channel's backing file on the host can be truncated by any process
 * that may write it; the pages past its new end then raise SIGBUS when
 * touched, however carefully the header was checked. Code that touches a
 * channel runs under a guard naming the channel's mapping: a SIGBUS inside
 * that range jumps back to the guard's sigsetjmp point, which drops that
 * channel only. A SIGBUS anywhere else is a real bug and gets the previous
 * disposition (the default kills the program, sanitizers report it).
 *
 * Use, in the function that owns the guard (sigsetjmp must be called
 * there, directly as an if condition):
 *
 *         struct comp_guard g;
 *         comp_guard_push(&g, base, size);
 *         if (sigsetjmp(g.jump, 0))
 *                 return ...;      the mapping faulted; g is already popped
 *         ... touch the mapping ...
 *         comp_guard_pop(&g);
 *
 * Locals changed between the two calls are indeterminate after the jump:
 * keep the work in a helper function. Single-threaded; guards nest. */
#ifndef THATTE_COMP_GUARD_H
#define THATTE_COMP_GUARD_H

#include <setjmp.h>
#include <stddef.h>

struct comp_guard {
        sigjmp_buf jump;
        const volatile void *base;
        size_t size;
        struct comp_guard *outer;
};

/* comp_guard_push: makes g the innermost guard, for [base, base + size);
 * installs the SIGBUS handler the first time. */
void comp_guard_push(struct comp_guard *g, const volatile void *base, size_t size);

/* comp_guard_pop: g's work is done without a fault. */
void comp_guard_pop(struct comp_guard *g);

#endif
