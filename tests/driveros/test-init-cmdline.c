/* test-init-cmdline: thatte-init's reading of the kernel command line. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "driveros/init-cmdline.h"
#include "tests/tap.h"

static void test_defaults(void)
{
        struct init_options o;

        is_int(init_cmdline_parse("console=ttyS0 panic=-1 quiet", &o), 0, "plain line parses");
        ok(!o.shell && !o.no_compositor, "no shell, compositor on by default");
        ok(!strcmp(o.compositor_path, INIT_DEFAULT_COMPOSITOR), "default compositor path");
        ok(!strcmp(o.compositor_argv[0], INIT_DEFAULT_COMPOSITOR) && !o.compositor_argv[1],
           "argv is just the path");
        ok(!strcmp(o.hostname, "driveros"), "default hostname");
        init_options_done(&o);
        is_int(init_cmdline_parse(NULL, &o), 0, "NULL line means empty");
        init_options_done(&o);
}

static void test_compositor_args(void)
{
        struct init_options o;

        is_int(init_cmdline_parse("quiet thatte.compositor=\"--backend drm  --mode 800x600\" "
                                  "thatte.compositor_path=/opt/c", &o), 0, "quoted args parse");
        ok(!strcmp(o.compositor_argv[0], "/opt/c"), "path applies to argv[0] whatever the order");
        ok(o.compositor_argv[1] && !strcmp(o.compositor_argv[1], "--backend"), "arg 1");
        ok(o.compositor_argv[2] && !strcmp(o.compositor_argv[2], "drm"), "arg 2");
        ok(o.compositor_argv[3] && !strcmp(o.compositor_argv[3], "--mode"), "arg 3");
        ok(o.compositor_argv[4] && !strcmp(o.compositor_argv[4], "800x600"), "arg 4");
        ok(!o.compositor_argv[5], "argv ends");
        init_options_done(&o);

        is_int(init_cmdline_parse("thatte.compositor=--once thatte.compositor=--frames=3", &o), 0,
               "repeated option parses");
        ok(!strcmp(o.compositor_argv[1], "--frames=3") && !o.compositor_argv[2], "last one wins");
        init_options_done(&o);

        is_int(init_cmdline_parse("thatte.compositor=none", &o), 0, "none parses");
        ok(o.no_compositor, "none disables the compositor");
        init_options_done(&o);
}

static void test_shell_and_hostname(void)
{
        struct init_options o;

        is_int(init_cmdline_parse("thatte.shell=1 thatte.hostname=gpu-vm", &o), 0, "shell line");
        ok(o.shell, "thatte.shell=1");
        ok(!strcmp(o.hostname, "gpu-vm"), "hostname set");
        init_options_done(&o);
        is_int(init_cmdline_parse("thatte.shell", &o), 0, "bare thatte.shell parses");
        ok(o.shell, "bare word means on");
        init_options_done(&o);
        is_int(init_cmdline_parse("thatte.shell=0 thatte.unknown=5 other.x=1", &o), 0,
               "unknown words ignored");
        ok(!o.shell, "thatte.shell=0");
        init_options_done(&o);
}

static void test_root(void)
{
        struct init_options o;

        is_int(init_cmdline_parse("console=ttyS0 root=/dev/vda rw", &o), 0, "no thatte.root");
        ok(o.root == NULL, "the kernel's root= alone keeps init in the initramfs");
        init_options_done(&o);
        is_int(init_cmdline_parse("root=/dev/vda thatte.root=/dev/vda", &o), 0, "thatte.root");
        ok(o.root && !strcmp(o.root, "/dev/vda"), "root device kept");
        init_options_done(&o);
}

static void test_errors(void)
{
        struct init_options o = { .hostname = (char *)"untouched" };

        is_int(init_cmdline_parse("thatte.shell=maybe", &o), -EINVAL, "bad boolean rejected");
        is_int(init_cmdline_parse("thatte.hostname=a/b", &o), -EINVAL, "bad hostname rejected");
        is_int(init_cmdline_parse("thatte.compositor_path=relative", &o), -EINVAL,
               "relative path rejected");
        is_int(init_cmdline_parse("thatte.compositor", &o), -EINVAL, "value required");
        is_int(init_cmdline_parse("thatte.root=vda", &o), -EINVAL, "root outside /dev rejected");
        is_int(init_cmdline_parse("thatte.root=/dev/", &o), -EINVAL, "root without a name rejected");
        ok(!strcmp(o.hostname, "untouched"), "output untouched on failure");
        init_options_done(NULL);
}

/* thatte.test=driveros-crash panics only on a first start: thatte-kvmm
 * appends thatte.restart=N when it starts a crashed DriverOS again. */
static void test_crash(void)
{
        struct init_options o;

        is_int(init_cmdline_parse("quiet thatte.test=driveros-crash", &o), 0, "crash test parses");
        ok(o.crash, "thatte.test=driveros-crash asks for the crash");
        init_options_done(&o);
        is_int(init_cmdline_parse("thatte.test=driveros-crash thatte.restart=1", &o), 0,
               "crash test after a restart parses");
        ok(!o.crash, "no crash once restarted");
        init_options_done(&o);
        is_int(init_cmdline_parse("thatte.restart=12 thatte.test=driveros-crash", &o), 0,
               "the restart word first");
        ok(!o.crash, "no crash once restarted, whatever the order");
        init_options_done(&o);
        is_int(init_cmdline_parse("thatte.test=other thatte.test=driveros-crashed", &o), 0,
               "other tests parse");
        ok(!o.crash, "only the exact value asks for the crash");
        init_options_done(&o);
        ok(!init_cmdline_parse("thatte.test=driveros-crash", &o) && o.crash, "crash again");
        init_options_done(&o);
        is_int(init_cmdline_parse("thatte.test=driveros-crash thatte.restart=", &o), -EINVAL,
               "empty restart count refused");
        is_int(init_cmdline_parse("thatte.test=driveros-crash thatte.restart=1x", &o), -EINVAL,
               "non-numeric restart count refused");
        is_int(init_cmdline_parse("thatte.test=driveros-crash thatte.restart", &o), -EINVAL,
               "bare thatte.restart refused");
}

int main(void)
{
        test_crash();
        test_defaults();
        test_compositor_args();
        test_shell_and_hostname();
        test_root();
        test_errors();
        return tap_done();
}
