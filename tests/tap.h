/* tests/tap.h: a tiny TAP producer for host C tests.
 *
 * Each check prints "ok N - name" or "not ok N - name" with the failing
 * expression; tap_done() prints the plan and returns the exit status, so a
 * test's main() ends with `return tap_done();`. Header-only on purpose: each
 * test is one program and needs nothing else. */
#ifndef THATTE_TESTS_TAP_H
#define THATTE_TESTS_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int tap_count;
static int tap_failed;

static inline __attribute__((format(printf, 4, 5))) int
tap_check(int cond, const char *expr, int line, const char *fmt, ...)
{
        va_list ap;

        tap_count++;
        printf("%sok %d - ", cond ? "" : "not ", tap_count);
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        putchar('\n');
        if (!cond) {
                tap_failed++;
                printf("#   failed at line %d: %s\n", line, expr);
        }
        fflush(stdout);
        return cond;
}

/* ok(cond, "name %d", ...): one test point. Evaluates to cond. */
#define ok(cond, ...) tap_check(!!(cond), #cond, __LINE__, __VA_ARGS__)

/* is_int(got, want, name...): equality with both values shown on failure. */
#define is_int(got, want, ...)                                                  \
        do {                                                                    \
                long long got_ = (long long)(got), want_ = (long long)(want);   \
                if (!tap_check(got_ == want_, #got " == " #want, __LINE__,      \
                               __VA_ARGS__))                                    \
                        printf("#   got %lld, want %lld\n", got_, want_);       \
        } while (0)

/* tap_diag("..."): a comment line the harness shows but does not count. */
#define tap_diag(...)                                                           \
        do {                                                                    \
                printf("# ");                                                   \
                printf(__VA_ARGS__);                                            \
                putchar('\n');                                                  \
        } while (0)

static inline int tap_done(void)
{
        printf("1..%d\n", tap_count);
        return tap_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
