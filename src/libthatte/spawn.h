/* src/libthatte/spawn.h: run a program from an argv array and wait for it. */
#ifndef THATTE_SPAWN_H
#define THATTE_SPAWN_H

enum {
        THATTE_SPAWN_NULL_STDIN = 1 << 0,  /* child reads /dev/null: never prompts */
        THATTE_SPAWN_NULL_STDOUT = 1 << 1, /* child's chatter on stdout is dropped */
};

/* thatte_spawn_wait: runs argv[0] (searched in PATH, execvp) with argv,
 * never through a shell, and waits for it.
 * Takes a NULL-terminated argv and THATTE_SPAWN_* flags. Returns 0 and in
 * ret_status the exit status (0..255), or 128 + signal number when the child
 * was killed; -errno when the child could not be started (-ENOENT when the
 * program was not found), ret_status untouched then. */
int thatte_spawn_wait(const char *const argv[], unsigned flags, int *ret_status);

#endif
