/* mk-kprogress.c: the kernel build's progress (see mk-kprogress.h). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "driveros/mk-fs.h"
#include "driveros/mk-kprogress.h"

#define PROGRAM "thatte-driveros-make"
#define STEP_OBJECTS 500        /* a plain line this often without a percentage */

void mk_kprogress_init(struct mk_kprogress *p, FILE *out, bool tty, const char *file)
{
        char *text = NULL;
        unsigned long n = 0;

        if (file && mk_read_file(file, &text) == 0)
                n = strtoul(text, NULL, 10);
        free(text);
        *p = (struct mk_kprogress){ .out = out, .tty = tty,
                                    .expected = n > 0 && n < 1000000 ? (unsigned)n : 0 };
}

/* Percent done, below 100 until the build ends (this one may be larger). */
static unsigned percent(const struct mk_kprogress *p)
{
        unsigned v = (unsigned)((unsigned long long)p->done * 100 / p->expected);

        return v > 99 ? 99 : v;
}

static void show(struct mk_kprogress *p)
{
        unsigned step = p->expected ? percent(p) / (p->tty ? 1 : 10) : p->done / (p->tty ? 20 : STEP_OBJECTS);

        if (step == p->shown)
                return;
        p->shown = step;
        if (p->expected)
                fprintf(p->out, "%s" PROGRAM ": kernel: %u of about %u objects compiled (%u%%)%s",
                        p->tty ? "\r" : "", p->done, p->expected, percent(p), p->tty ? "" : "\n");
        else
                fprintf(p->out, "%s" PROGRAM ": kernel: %u objects compiled%s", p->tty ? "\r" : "",
                        p->done, p->tty ? "" : "\n");
        fflush(p->out);
}

void mk_kprogress_line(const char *text, void *userdata)
{
        struct mk_kprogress *p = userdata;

        /* kbuild's quiet lines: two blanks, the tool, blanks, the target. */
        if (strncmp(text, "  CC ", 5) && strncmp(text, "  AS ", 5))
                return;
        p->done++;
        show(p);
}

int mk_kprogress_finish(struct mk_kprogress *p, bool good, const char *file)
{
        char *tmp, *count;
        int r;

        if (p->tty && p->shown)
                fputc('\n', p->out);
        if (!good || !p->done)
                return 0;
        tmp = mk_path("%s.tmp", file);
        count = mk_path("%u\n", p->done);
        r = mk_write_file(tmp, count, strlen(count), 0644);
        if (r == 0 && rename(tmp, file) < 0)
                r = -errno;
        if (r < 0)
                (void)unlink(tmp);
        free(tmp);
        free(count);
        return r;
}
