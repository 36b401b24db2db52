/* mk-kprogress.h: progress of the kernel build (minutes on 2 cores): the
 * objects kbuild reports compiling ("  CC      kernel/fork.o") counted
 * against the count of the last build in the same cache. On a terminal
 * one line rewritten in place, otherwise a plain line every tenth. */
#ifndef THATTE_DRIVEROS_MK_KPROGRESS_H
#define THATTE_DRIVEROS_MK_KPROGRESS_H

#include <stdbool.h>
#include <stdio.h>

struct mk_kprogress {
        FILE *out;
        bool tty;               /* rewrite one line; else plain lines */
        unsigned done;          /* objects compiled so far */
        unsigned expected;      /* the last build's count, 0: none known */
        unsigned shown;         /* the last step printed */
};

/* mk_kprogress_init: counts against the number in FILE (the last build's;
 * a missing or bad file: no percentage). */
void mk_kprogress_init(struct mk_kprogress *p, FILE *out, bool tty, const char *file);

/* mk_kprogress_line: one line of make's output (mk_spawn_lines' callback). */
void mk_kprogress_line(const char *text, void *userdata);

/* mk_kprogress_finish: ends the display; after a good build writes the
 * count into FILE for the next one (atomically). Returns 0 or -errno. */
int mk_kprogress_finish(struct mk_kprogress *p, bool good, const char *file);

#endif
