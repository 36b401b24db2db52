/* tests/unit/thatte-spawn.c: thatte_spawn_wait with real programs: exit
 * statuses, a missing program, signals, and the stdin/stdout redirections. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "spawn.h"
#include "tests/tap.h"

int main(void)
{
        const char *true_argv[] = { "true", NULL };
        const char *false_argv[] = { "false", NULL };
        const char *exit7[] = { "sh", "-c", "exit 7", NULL };
        const char *killed[] = { "sh", "-c", "kill -TERM $$", NULL };
        const char *missing[] = { "thatte-no-such-program-here", NULL };
        const char *stdin_empty[] = { "sh", "-c", "test -z \"$(cat)\"", NULL };
        const char *args[] = { "sh", "-c", "test \"$1\" = 'a b;c'", "sh", "a b;c", NULL };
        const char *noargv[] = { NULL };
        int status = -1, r;

        r = thatte_spawn_wait(true_argv, 0, &status);
        ok(r == 0 && status == 0, "true exits 0 (r=%d status=%d)", r, status);
        r = thatte_spawn_wait(false_argv, 0, &status);
        ok(r == 0 && status == 1, "false exits 1 (status=%d)", status);
        r = thatte_spawn_wait(exit7, 0, &status);
        ok(r == 0 && status == 7, "exit status 7 passed back (status=%d)", status);
        r = thatte_spawn_wait(killed, 0, &status);
        ok(r == 0 && status == 128 + 15, "killed by SIGTERM reads as 143 (status=%d)", status);

        status = -1;
        r = thatte_spawn_wait(missing, 0, &status);
        is_int(r, -ENOENT, "missing program is -ENOENT, not exit 127");
        is_int(status, -1, "status untouched on failure");
        is_int(thatte_spawn_wait(noargv, 0, &status), -EINVAL, "empty argv refused");

        r = thatte_spawn_wait(stdin_empty, THATTE_SPAWN_NULL_STDIN | THATTE_SPAWN_NULL_STDOUT,
                              &status);
        ok(r == 0 && status == 0, "NULL_STDIN gives the child an empty stdin");
        r = thatte_spawn_wait(args, 0, &status);
        ok(r == 0 && status == 0, "arguments reach the child unchanged, no shell in between");
        return tap_done();
}
