/* test-kconfig.c: the THATTE kernel's Kconfig fragments: each kind of line,
 * errors as FILE:LINE, and the check of a final .config. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driveros/mk-kconfig.h"
#include "tests/tap.h"

/* Reads TEXT as fragment PATH; the error message (if any) into msg. */
static char msg[512];

static int read_text(struct mk_kconfig *k, const char *path, const char *text)
{
        FILE *err = fmemopen(msg, sizeof msg, "w");
        int r = mk_kconfig_read(k, path, text, err);

        fclose(err);
        return r;
}

static int check_text(const struct mk_kconfig *k, const char *config)
{
        FILE *err = fmemopen(msg, sizeof msg, "w");
        int r = mk_kconfig_check(k, config, err);

        fclose(err);
        return r;
}

static void test_lines(void)
{
        struct mk_kconfig k = { 0 };
        const char *text = "# a comment\n\nCONFIG_PVH=y\n# CONFIG_MODULES is not set\n"
                           "CONFIG_NR_CPUS=8\nCONFIG_X=0x1f\nCONFIG_CMDLINE=\"a \\\"b\\\"\"\n"
                           "CONFIG_SWAP=n\n  CONFIG_TRAILING=y  \n";

        msg[0] = '\0';
        is_int(read_text(&k, "f.config", text), 0, "a fragment with every kind of line reads");
        is_int((int)k.n, 7, "seven entries (comments and blank lines skipped)");
        ok(!strcmp(k.entries[0].name, "CONFIG_PVH") && !strcmp(k.entries[0].value, "y") &&
           k.entries[0].line == 3, "CONFIG_PVH=y on line 3");
        ok(!strcmp(k.entries[1].name, "CONFIG_MODULES") && !k.entries[1].value,
           "'# CONFIG_MODULES is not set' means not set");
        ok(!strcmp(k.entries[4].value, "\"a \\\"b\\\"\""), "a quoted string with escapes");
        ok(!strcmp(k.entries[5].name, "CONFIG_SWAP") && !k.entries[5].value, "=n means not set");
        ok(!strcmp(k.entries[6].name, "CONFIG_TRAILING"), "spaces around a line are ignored");
        ok(!strcmp(k.entries[6].file, "f.config"), "entries remember their file");
        mk_kconfig_done(&k);
}

static void test_errors(void)
{
        static const struct { const char *text, *want, *what; } bad[] = {
                { "CONFIG_A=y\nCONFIG_B y\n", "x.config:2: expected", "a line without '='" },
                { "CONFIG_A=y\n\nCONFIG_B=m\n", "x.config:3: =m", "=m (no modules)" },
                { "CONFIG_A=yes\n", "x.config:1: the value must be", "an unknown value" },
                { "CONFIG_A=\"open\n", "x.config:1: the value must be", "an unterminated string" },
                { "FOO=y\n", "x.config:1: expected", "a name without CONFIG_" },
                { "CONFIG_=y\n", "x.config:1: expected", "an empty name" },
        };

        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                struct mk_kconfig k = { 0 };

                msg[0] = '\0';
                is_int(read_text(&k, "x.config", bad[i].text), -EINVAL, "%s is refused", bad[i].what);
                ok(!strncmp(msg, bad[i].want, strlen(bad[i].want)), "%s: FILE:LINE message (%s)",
                   bad[i].what, msg);
                mk_kconfig_done(&k);
        }
}

static void test_check(void)
{
        struct mk_kconfig k = { 0 };
        const char *config = "CONFIG_PVH=y\n# CONFIG_MODULES is not set\nCONFIG_NR_CPUS=8\n";

        read_text(&k, "a.config", "CONFIG_PVH=y\n# CONFIG_MODULES is not set\nCONFIG_NR_CPUS=8\n");
        is_int(check_text(&k, config), 0, "a .config with every line holds");
        mk_kconfig_done(&k);

        read_text(&k, "a.config", "CONFIG_PVH=y\n");
        read_text(&k, "b.config", "\n# CONFIG_PVH is not set\n");
        is_int(check_text(&k, "CONFIG_PVH=y\n"), -EINVAL, "the later fragment wins: not set is wanted");
        ok(!strncmp(msg, "b.config:2: CONFIG_PVH is not set did not hold", 46),
           "named in the later fragment (%s)", msg);
        mk_kconfig_done(&k);

        read_text(&k, "a.config", "CONFIG_PVH=y\nCONFIG_NO_SUCH_SYMBOL=y\n");
        is_int(check_text(&k, config), -EINVAL, "an unknown symbol does not hold");
        ok(!strncmp(msg, "a.config:2: CONFIG_NO_SUCH_SYMBOL=y did not hold: unknown symbol", 62),
           "its FILE:LINE (%s)", msg);
        mk_kconfig_done(&k);

        read_text(&k, "a.config", "CONFIG_NR_CPUS=4\n");
        is_int(check_text(&k, config), -EINVAL, "a different value does not hold");
        ok(strstr(msg, "made it CONFIG_NR_CPUS=8") != NULL, "the value it got is named (%s)", msg);
        mk_kconfig_done(&k);

        read_text(&k, "a.config", "CONFIG_NR_CPU=8\n");
        is_int(check_text(&k, config), -EINVAL, "a name that is a prefix of another does not match it");
        mk_kconfig_done(&k);
}

static void test_write(void)
{
        struct mk_kconfig k = { 0 };
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);

        read_text(&k, "a.config", "# x\nCONFIG_A=y\nCONFIG_B=n\n");
        is_int(mk_kconfig_write(&k, f), 0, "written");
        fclose(f);
        ok(!strcmp(text, "CONFIG_A=y\n# CONFIG_B is not set\n"), "as .config lines");
        free(text);
        mk_kconfig_done(&k);
        mk_kconfig_done(NULL);
}

/* What menuconfig changed: set, unset, new and changed values; unchanged
 * lines and prefixes of other names do not count; a bad line is refused. */
static void test_diff(void)
{
        const char *base = "CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_AB=y\nCONFIG_N=3\nCONFIG_S=\"x\"\n";
        const char *edited = "# comment\n# CONFIG_A is not set\nCONFIG_B=y\nCONFIG_AB=y\nCONFIG_N=4\n"
                             "CONFIG_S=\"x\"\nCONFIG_NEW=y\n";
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len), *err = fopen("/dev/null", "w");

        is_int(mk_kconfig_diff(base, edited, f, err), 4, "four lines changed");
        fclose(f);
        ok(!strcmp(text, "# CONFIG_A is not set\nCONFIG_B=y\nCONFIG_N=4\nCONFIG_NEW=y\n"),
           "unset, set, changed, new; the rest left out");
        free(text);
        text = NULL;
        f = open_memstream(&text, &len);
        is_int(mk_kconfig_diff(base, base, f, err), 0, "no change: nothing");
        is_int(mk_kconfig_diff(base, "CONFIG_A=m\n", f, err), -EINVAL, "a module in the edited one: refused");
        fclose(f);
        free(text);
        fclose(err);
}

int main(void)
{
        test_lines();
        test_errors();
        test_check();
        test_write();
        test_diff();
        return tap_done();
}
