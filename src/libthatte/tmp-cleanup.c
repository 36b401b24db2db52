/* src/libthatte/tmp-cleanup.c: a fixed table of paths that a signal handler unlinks.
 *
 * The table is only changed with the handled signals blocked, so the
 * handler never sees a half-updated slot; unlink() and raise() are
 * async-signal-safe. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <unistd.h>

#include "tmp-cleanup.h"

static const char *volatile watched[THATTE_TMP_CLEANUP_MAX];
static const int handled[] = { SIGINT, SIGTERM, SIGHUP };

static void on_signal(int sig)
{
        for (size_t i = 0; i < THATTE_TMP_CLEANUP_MAX; i++)
                if (watched[i])
                        (void)unlink(watched[i]);
        (void)signal(sig, SIG_DFL);
        (void)raise(sig);
}

static void block_handled(sigset_t *old)
{
        sigset_t set;

        sigemptyset(&set);
        for (size_t i = 0; i < sizeof(handled) / sizeof(handled[0]); i++)
                sigaddset(&set, handled[i]);
        (void)sigprocmask(SIG_BLOCK, &set, old);
}

int thatte_tmp_cleanup_install(void)
{
        struct sigaction sa = { .sa_handler = on_signal };

        sigemptyset(&sa.sa_mask);
        for (size_t i = 0; i < sizeof(handled) / sizeof(handled[0]); i++)
                if (sigaction(handled[i], &sa, NULL) < 0)
                        return -errno;
        return 0;
}

int thatte_tmp_cleanup_add(const char *path)
{
        sigset_t old;
        int r = -ENOSPC;

        block_handled(&old);
        for (size_t i = 0; i < THATTE_TMP_CLEANUP_MAX; i++)
                if (!watched[i]) {
                        watched[i] = path;
                        r = 0;
                        break;
                }
        (void)sigprocmask(SIG_SETMASK, &old, NULL);
        return r;
}

void thatte_tmp_cleanup_remove(const char *path)
{
        sigset_t old;

        if (!path)
                return;
        block_handled(&old);
        for (size_t i = 0; i < THATTE_TMP_CLEANUP_MAX; i++)
                if (watched[i] == path)
                        watched[i] = NULL;
        (void)sigprocmask(SIG_SETMASK, &old, NULL);
}
