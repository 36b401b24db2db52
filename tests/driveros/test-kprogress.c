/* test-kprogress.c: the kernel build's progress (mk-kprogress.c) and the
 * line reader under it (mk_spawn_lines): objects counted from kbuild's
 * lines only, plain lines every tenth (or every 500 objects without a
 * previous count), one line rewritten on a terminal, the count kept for
 * the next build only after a good one, bad count files ignored; lines of
 * a real program arrive whole, the last one without its newline too. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "driveros/mk-fs.h"
#include "driveros/mk-kprogress.h"
#include "driveros/mk-spawn.h"
#include "tests/tap.h"

static char dir[] = "/tmp/test-kprogress-XXXXXX";

static size_t count(const char *s, const char *what)
{
        size_t n = 0;

        for (const char *p = s; (p = strstr(p, what)); p++)
                n++;
        return n;
}

/* Feeds N object lines (and noise) to a progress on COUNT_FILE; the output in *out. */
static void feed(unsigned n, bool tty, const char *count_file, bool good, char **out)
{
        struct mk_kprogress p;
        size_t len;
        FILE *f = open_memstream(out, &len);

        mk_kprogress_init(&p, f, tty, count_file);
        for (unsigned i = 0; i < n; i++) {
                mk_kprogress_line("  CC      kernel/fork.o", &p);
                mk_kprogress_line(i % 2 ? "  LD      vmlinux.o" : "arch/x86/Makefile:142: warning", &p);
                if (i % 3 == 0)
                        mk_kprogress_line("  AS      arch/x86/entry/entry_64.o", &p);
        }
        mk_kprogress_finish(&p, good, count_file);
        fclose(f);
}

static void collect(const char *text, void *userdata)
{
        char *all = userdata;

        strcat(all, "[");
        strcat(all, text);
        strcat(all, "]");
}

int main(void)
{
        char *out = NULL, *file, *kept = NULL;
        char lines[256] = "";
        char *argv[] = { "printf", "one\ntwo\n\nthree", NULL };

        if (!mkdtemp(dir))
                return 1;
        file = mk_path("%s/objects", dir);
        feed(600, false, file, false, &out);
        is_int(count(out, "\n"), 1, "no count known, a failed build: a line at 500 objects");
        ok(strstr(out, "kernel: 500 objects compiled\n") != NULL, "... saying how many");
        ok(access(file, F_OK) != 0, "a failed build keeps no count");
        free(out);
        feed(600, false, file, true, &out);
        free(out);
        ok(mk_read_file(file, &kept) == 0 && !strcmp(kept, "800\n"), "a good build keeps its count (CC and AS)");
        free(kept);
        feed(600, false, file, true, &out);
        is_int(count(out, "\n"), 9, "against 800: a plain line at 10%%, 20%% ... 90%%");
        ok(strstr(out, "80 of about 800 objects compiled (10%)\n") && strstr(out, "(90%)\n"), "... with counts and percent");
        free(out);
        feed(2000, true, file, true, &out);
        ok(!strstr(out, "(100%)") && strstr(out, "(99%)"), "more than expected: at most 99%% until the end");
        free(out);
        feed(300, true, file, true, &out);
        ok(count(out, "\r") >= 10 && count(out, "\n") == 1 && out[strlen(out) - 1] == '\n',
           "a terminal: one line rewritten, ended once");
        free(out);
        for (int i = 0; i < 3; i++) {
                const char *bad[] = { "abc\n", "0\n", "99999999\n" };
                mk_write_file(file, bad[i], strlen(bad[i]), 0644);
                feed(10, false, NULL, false, &out);
                free(out);
                feed(10, false, file, false, &out);
                ok(!strstr(out, "%"), "count file '%.*s': no percentage", (int)strlen(bad[i]) - 1, bad[i]);
                free(out);
        }
        is_int(mk_spawn_lines(argv, NULL, collect, lines), 0, "printf through mk_spawn_lines");
        ok(!strcmp(lines, "[one][two][][three]"), "lines whole, the empty one and the last without newline");
        (void)mk_rmtree(dir);
        free(file);
        return tap_done();
}
