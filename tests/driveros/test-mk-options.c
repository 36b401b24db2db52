/* test-mk-options.c: thatte-driveros-make's command line, in particular
 * --add SRC=DEST and --modules LIST, which the compositor's QEMU tests use. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "driveros/mk-options.h"
#include "driveros/mk-profile.h"
#include "tests/tap.h"

/* Parses the words of ARGS (at most 8, writable copies) into *o. */
static int parse(struct mk_options *o, int n, const char *const *args)
{
        static char words[8][128];
        char *argv[10] = { "thatte-driveros-make" };

        for (int i = 0; i < n; i++) {
                snprintf(words[i], sizeof words[i], "%s", args[i]);
                argv[i + 1] = words[i];
        }
        optind = 0;
        return mk_options_parse(n + 1, argv, o);
}

static void test_add(void)
{
        struct mk_options o;
        const char *args[] = { "--add", "/build/runner=/usr/libexec/t/runner",
                               "--add=a=b=/etc/c" };

        is_int(parse(&o, 3, args), 0, "two --add options parse");
        ok(o.add_src[0] && !strcmp(o.add_src[0], "/build/runner"), "first SRC");
        ok(o.add_dest[0] && !strcmp(o.add_dest[0], "/usr/libexec/t/runner"), "first DEST");
        ok(o.add_src[1] && !strcmp(o.add_src[1], "a=b"), "SRC keeps its '=': split at the last one");
        ok(o.add_dest[1] && !strcmp(o.add_dest[1], "/etc/c"), "second DEST");
        ok(o.add_src[2] == NULL && o.add_dest[2] == NULL, "list ends with NULL");
}

static void test_add_errors(void)
{
        struct mk_options o;
        const char *no_eq[] = { "--add=file" };
        const char *no_src[] = { "--add==/x" };
        const char *no_dest[] = { "--add=x=" };
        const char *disk[] = { "--mode=disk", "--add=x=/y" };

        is_int(parse(&o, 1, no_eq), -EINVAL, "--add without '=' is a usage error");
        is_int(parse(&o, 1, no_src), -EINVAL, "--add with an empty SRC is a usage error");
        is_int(parse(&o, 1, no_dest), -EINVAL, "--add with an empty DEST is a usage error");
        is_int(parse(&o, 2, disk), -EINVAL, "--add is refused in disk mode");
}

static void test_modules(void)
{
        struct mk_options o;
        const char *none[] = { "--modules=" };
        const char *two[] = { "--modules=virtio_pci,virtio_gpu", "--module=button" };
        const char *disk[] = { "--modules=", "--mode=disk" };

        is_int(parse(&o, 0, NULL), 0, "no options parse");
        ok(o.module_set == NULL, "default: the built-in module set");
        is_int(parse(&o, 1, none), 0, "--modules= (empty) parses");
        ok(o.module_set && !*o.module_set, "and asks for no modules");
        is_int(parse(&o, 2, two), 0, "--modules with --module parses");
        ok(o.module_set && !strcmp(o.module_set, "virtio_pci,virtio_gpu"), "the list is kept");
        ok(o.modules[0] && !strcmp(o.modules[0], "button") && !o.modules[1], "--module still adds");
        is_int(parse(&o, 2, disk), -EINVAL, "--modules is refused in disk mode");
}

static void test_kernel(void)
{
        struct mk_options o;
        const char *none[] = { "-o", "x" };
        /* --kernel=thatte builds x86-64 only: --arch=amd64, so that these
         * also parse on an arm64 host, whose default arch is arm64. */
        const char *thatte[] = { "--kernel=thatte", "--kernel-config", "a.config",
                                 "--kernel-config=b.config", "--arch=amd64" };
        const char *path[] = { "--kernel", "/k/vmlinux" };
        const char *config_debian[] = { "--kernel-config=a.config" };
        const char *modules_thatte[] = { "--kernel=thatte", "--modules=virtio_gpu", "--arch=amd64" };
        const char *module_path[] = { "--kernel=/k/vmlinux", "--module=bochs" };
        const char *empty[] = { "--kernel=" };

        is_int(parse(&o, 2, none), 0, "no --kernel parses");
        ok(mk_options_kernel_is(&o, "debian"), "the default kernel is Debian's");
        is_int(parse(&o, 5, thatte), 0, "--kernel=thatte with two --kernel-config");
        ok(mk_options_kernel_is(&o, "thatte") && !mk_options_kernel_is(&o, "debian"), "thatte");
        ok(o.kernel_configs[0] && !strcmp(o.kernel_configs[0], "a.config") &&
           o.kernel_configs[1] && !strcmp(o.kernel_configs[1], "b.config") && !o.kernel_configs[2],
           "the fragments in order, NULL-terminated");
        is_int(parse(&o, 2, path), 0, "--kernel PATH");
        ok(!strcmp(o.kernel, "/k/vmlinux"), "the path is kept");
        is_int(parse(&o, 1, config_debian), -EINVAL, "--kernel-config without --kernel=thatte is a usage error");
        is_int(parse(&o, 3, modules_thatte), -EINVAL, "--modules with the THATTE kernel is a usage error");
        is_int(parse(&o, 2, module_path), -EINVAL, "--module with a kernel of one's own is a usage error");
        is_int(parse(&o, 1, empty), -EINVAL, "an empty --kernel is a usage error");
}

/* --arch and the kernel package's ":ARCH" choose the guest; they must agree. */
static void test_arch(void)
{
        struct mk_options o;
        const char *arm[] = { "--arch=arm64" };
        const char *pkg_arm[] = { "--kernel-package=linux-image-arm64:arm64" };
        const char *both[] = { "--arch", "arm64", "--kernel-package=linux-image-6.1.0-57-arm64:arm64" };
        const char *clash[] = { "--arch=amd64", "--kernel-package=linux-image-arm64:arm64" };
        const char *bad_arch[] = { "--arch=arm" };
        const char *bad_pkg[] = { "--kernel-package=linux-image-arm64:armhf" };
        const char *arm_thatte[] = { "--arch=arm64", "--kernel=thatte" };
        const char *arm_uki[] = { "--arch=arm64", "--uki" };
        const char *empty[] = { "--kernel-package=" };

        is_int(parse(&o, 0, NULL), 0, "no --arch parses");
        ok(!strcmp(o.arch, MK_NATIVE_ARCH) && !mk_options_foreign(&o), "the default arch is this machine's");
        ok(!strcmp(o.kernel_package, "linux-image-" MK_NATIVE_ARCH), "and its kernel metapackage");
        is_int(parse(&o, 1, arm), 0, "--arch=arm64 parses");
        ok(!strcmp(o.arch, "arm64"), "arm64");
        ok(!strcmp(o.kernel_package, mk_options_foreign(&o) ? "linux-image-arm64:arm64" : "linux-image-arm64"),
           "the arm64 metapackage, qualified when foreign");
        is_int(parse(&o, 1, pkg_arm), 0, "a :arm64 kernel package parses");
        ok(!strcmp(o.arch, "arm64"), "and makes the arch arm64");
        is_int(parse(&o, 3, both), 0, "--arch with a package of that arch");
        ok(!strcmp(o.kernel_package, "linux-image-6.1.0-57-arm64:arm64"), "the package is kept");
        is_int(parse(&o, 2, clash), -EINVAL, "a package of another arch than --arch is a usage error");
        is_int(parse(&o, 1, bad_arch), -EINVAL, "--arch=arm is a usage error");
        is_int(parse(&o, 1, bad_pkg), -EINVAL, "a kernel package for armhf is a usage error");
        is_int(parse(&o, 2, arm_thatte), -EINVAL, "--kernel=thatte is x86-64 only");
        is_int(parse(&o, 2, arm_uki), -EINVAL, "--uki is x86-64 only");
        is_int(parse(&o, 1, empty), -EINVAL, "an empty --kernel-package is a usage error");
}

static void test_driver(void)
{
        struct mk_options o;
        const char *two[] = { "--kernel=thatte", "--driver", "e1000", "--driver=1af4:1000", "--arch=amd64" };
        const char *debian[] = { "--driver=e1000" };
        const char *help[] = { "--driver", "help" };
        const char *help_class[] = { "--driver=help=drivers/net" };
        const char *bad[] = { "--kernel=thatte", "--driver=", "--arch=amd64" };
        const char *path[] = { "--kernel=thatte", "--driver=../e1000", "--arch=amd64" };
        const char *menu[] = { "--kernel=thatte", "--menuconfig", "--arch=amd64" };

        is_int(parse(&o, 5, two), 0, "two --driver with --kernel=thatte");
        ok(o.drivers[0] && !strcmp(o.drivers[0], "e1000") && o.drivers[1] &&
           !strcmp(o.drivers[1], "1af4:1000") && !o.drivers[2] && !o.driver_help, "both kept, in order");
        is_int(parse(&o, 1, debian), -EINVAL, "--driver with Debian's kernel is a usage error");
        is_int(parse(&o, 2, help), 0, "--driver help");
        ok(o.driver_help && !*o.driver_help && !o.drivers[0], "help asked, no class, no driver");
        is_int(parse(&o, 1, help_class), 0, "--driver help=CLASS");
        ok(o.driver_help && !strcmp(o.driver_help, "drivers/net"), "the class kept");
        is_int(parse(&o, 3, bad), -EINVAL, "an empty --driver is a usage error");
        is_int(parse(&o, 3, path), -EINVAL, "a --driver with a '/' is a usage error");
        is_int(parse(&o, 3, menu), 0, "--menuconfig with --kernel=thatte");
        ok(o.menuconfig, "--menuconfig kept");
        is_int(parse(&o, 1, menu + 1), -EINVAL, "--menuconfig with Debian's kernel is a usage error");
}

/* The VM's name: after the output folder, or --name; two images in two
 * folders get two names, so they run side by side with their own state. */
static void test_name(void)
{
        struct mk_options o;
        char buf[MK_VM_NAME_MAX + 1];

        is_int(parse(&o, 0, NULL), 0, "no options");
        ok(!strcmp(o.name, "driveros"), "default output ./driveros: VM driveros");
        is_int(parse(&o, 2, (const char *const[]){ "-o", "/srv/images/dev-1/" }), 0, "-o DIR/");
        ok(!strcmp(o.name, "dev-1"), "named after the folder, trailing '/' ignored");
        is_int(parse(&o, 3, (const char *const[]){ "-o", "/srv/x", "--name=lab.a_b" }), 0, "--name");
        ok(!strcmp(o.name, "lab.a_b"), "--name wins");
        is_int(parse(&o, 1, (const char *const[]){ "--name=a/b" }), -EINVAL, "--name with '/' refused");
        is_int(parse(&o, 1, (const char *const[]){ "--name=.x" }), -EINVAL, "--name starting with '.' refused");
        is_int(parse(&o, 1, (const char *const[]){ "--name=" }), -EINVAL, "empty --name refused");
        mk_profile_name("/tmp/my image,v2", buf);
        ok(!strcmp(buf, "my-image-v2"), "characters a name cannot hold become '-' (%s)", buf);
        mk_profile_name("/tmp/...", buf);
        ok(!strcmp(buf, "driveros"), "nothing left: driveros (%s)", buf);
        mk_profile_name("/", buf);
        ok(!strcmp(buf, "driveros"), "the root: driveros");
        mk_profile_name("/tmp/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", buf);
        is_int(strlen(buf), MK_VM_NAME_MAX, "cut at 64");
}

int main(void)
{
        /* The usage errors print to stderr; TAP reads stdout only. */
        test_add();
        test_driver();
        test_add_errors();
        test_modules();
        test_kernel();
        test_arch();
        test_name();
        return tap_done();
}
