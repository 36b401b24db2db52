/* mk-options.c: parsing thatte-driveros-make's options (GNU style). */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "driveros/mk-options.h"
#include "driveros/mk-profile.h"

static const char usage[] =
        "Usage: thatte-driveros-make [OPTION]...\n"
        "Build a DriverOS image folder: vmlinuz, initrd.img, driveros.toml, MANIFEST\n"
        "(and rootfs.ext4 in disk mode, driveros.efi and esp.img with --uki).\n\n"
        "  -o, --output=DIR          image folder to write (default: ./driveros)\n"
        "      --name=NAME           the VM's name in driveros.toml (default: the\n"
        "                            output folder's name, e.g. driveros)\n"
        "      --system              build the system-wide image (" MK_SYSTEM_IMAGE "),\n"
        "                            which `thatte-vmm run driveros` boots by name (root)\n"
        "      --mode=MODE           initramfs (default, no root needed) or disk (root)\n"
        "      --suite=SUITE         Debian suite for disk mode (default: bookworm)\n"
        "      --mirror=URL          Debian mirror for disk mode\n"
        "      --kernel=KERNEL       debian (default: Debian's kernel package), thatte\n"
        "                            (Linux built for DriverOS, cached), or the PATH\n"
        "                            of a kernel image built by you (no modules)\n"
        "      --kernel-config=FILE  a Kconfig fragment on top of the THATTE kernel's\n"
        "                            (repeatable; with --kernel=thatte)\n"
        "      --arch=ARCH           the guest's architecture: amd64 or arm64 (default:\n"
        "                            the --kernel-package's :ARCH, else " MK_NATIVE_ARCH ")\n"
        "      --kernel-package=PKG  kernel package (default: linux-image-ARCH, with\n"
        "                            :ARCH when ARCH is not " MK_NATIVE_ARCH ")\n"
        "      --include=PKG,...     more packages (disk mode); initramfs mode\n"
        "                            accepts busybox-static (the rescue shell)\n"
        "      --compositor=PATH     static thatte-compositor to include\n"
        "      --init=PATH           static thatte-init to include\n"
        "      --module=NAME         one more kernel module (repeatable)\n"
        "      --modules=LIST        only these modules (comma-separated; empty: none)\n"
        "                            instead of the default set (initramfs mode)\n"
        "      --add=SRC=DEST        put file SRC at DEST in the initramfs (repeatable)\n"
        "      --append=ARGS         more kernel command-line arguments\n"
        "      --uki                 also a Unified Kernel Image and an ESP for OVMF\n"
        "      --cache=DIR           package cache (default: $XDG_CACHE_HOME/thatte/driveros)\n"
        "  -v, --verbose             show the output of apt, dpkg-deb, depmod ...\n"
        "      --help                display this help and exit\n"
        "      --version             output version information and exit\n\n"
        "See thatte-driveros-make(8).\n";

enum { OPT_MODE = 256, OPT_SUITE, OPT_MIRROR, OPT_KERNEL, OPT_KERNEL_IMAGE, OPT_KERNEL_CONFIG, OPT_INCLUDE,
       OPT_COMPOSITOR, OPT_INIT, OPT_MODULE, OPT_MODULES, OPT_ADD, OPT_APPEND, OPT_UKI, OPT_CACHE, OPT_HELP,
       OPT_VERSION, OPT_SYSTEM, OPT_NAME, OPT_ARCH };

static const struct option longopts[] = {
        { "output", required_argument, NULL, 'o' },
        { "mode", required_argument, NULL, OPT_MODE },
        { "suite", required_argument, NULL, OPT_SUITE },
        { "mirror", required_argument, NULL, OPT_MIRROR },
        { "arch", required_argument, NULL, OPT_ARCH },
        { "kernel-package", required_argument, NULL, OPT_KERNEL },
        { "kernel", required_argument, NULL, OPT_KERNEL_IMAGE },
        { "kernel-config", required_argument, NULL, OPT_KERNEL_CONFIG },
        { "include", required_argument, NULL, OPT_INCLUDE },
        { "compositor", required_argument, NULL, OPT_COMPOSITOR },
        { "init", required_argument, NULL, OPT_INIT },
        { "module", required_argument, NULL, OPT_MODULE },
        { "modules", required_argument, NULL, OPT_MODULES },
        { "add", required_argument, NULL, OPT_ADD },
        { "append", required_argument, NULL, OPT_APPEND },
        { "uki", no_argument, NULL, OPT_UKI },
        { "cache", required_argument, NULL, OPT_CACHE },
        { "system", no_argument, NULL, OPT_SYSTEM },
        { "name", required_argument, NULL, OPT_NAME },
        { "verbose", no_argument, NULL, 'v' },
        { "help", no_argument, NULL, OPT_HELP },
        { "version", no_argument, NULL, OPT_VERSION },
        { 0 }
};

static int bad(const char *what, const char *value)
{
        fprintf(stderr, "thatte-driveros-make: %s: '%s'\n"
                        "Try 'thatte-driveros-make --help' for more information.\n", what, value);
        return -EINVAL;
}

/* Appends VALUE to the NULL-terminated LIST of at most MAX; OPTION names
 * the option in the message when it is full. */
static int append(const char **list, size_t max, const char *value, const char *option)
{
        size_t n = 0;

        while (list[n])
                n++;
        if (n == max) {
                fprintf(stderr, "thatte-driveros-make: too many %s options\n", option);
                return bad("the last one was", value);
        }
        list[n] = value;
        return 0;
}

/* SPEC is SRC=DEST, split at the last '=' (DEST, a path inside the image,
 * never needs one); both must be non-empty. */
static int add_file(struct mk_options *o, char *spec)
{
        char *eq = strrchr(spec, '=');
        size_t n = 0;

        if (!eq || eq == spec || !eq[1])
                return bad("--add wants SRC=DEST, not", spec);
        while (o->add_src[n])
                n++;
        if (n == MK_MAX_ADDS)
                return bad("too many --add options, last", spec);
        *eq = '\0';
        o->add_src[n] = spec;
        o->add_dest[n] = eq + 1;
        return 0;
}

/* One option; returns 0, 1 (answered, exit 0) or -EINVAL. */
static int apply(struct mk_options *o, int c)
{
        switch (c) {
        case 'o': o->output = optarg; return 0;
        case OPT_MODE:
                if (strcmp(optarg, "initramfs") && strcmp(optarg, "disk"))
                        return bad("--mode must be initramfs or disk, not", optarg);
                o->disk = !strcmp(optarg, "disk");
                return 0;
        case OPT_SUITE: o->suite = optarg; return 0;
        case OPT_MIRROR: o->mirror = optarg; return 0;
        case OPT_ARCH:
                if (strcmp(optarg, "amd64") && strcmp(optarg, "arm64"))
                        return bad("--arch must be amd64 or arm64, not", optarg);
                o->arch = optarg;
                return 0;
        case OPT_KERNEL:
                if (!*optarg)
                        return bad("--kernel-package wants a package name, not", optarg);
                o->kernel_package = optarg;
                return 0;
        case OPT_KERNEL_IMAGE:
                if (!*optarg)
                        return bad("--kernel wants debian, thatte or a file, not", optarg);
                o->kernel = optarg;
                return 0;
        case OPT_KERNEL_CONFIG:
                if (!*optarg)
                        return bad("--kernel-config wants a file, not", optarg);
                return append(o->kernel_configs, MK_MAX_FRAGMENTS, optarg, "--kernel-config");
        case OPT_INCLUDE: o->include = optarg; return 0;
        case OPT_COMPOSITOR: o->compositor = optarg; return 0;
        case OPT_INIT: o->init = optarg; return 0;
        case OPT_MODULE: return append(o->modules, MK_MAX_MODULES, optarg, "--module");
        case OPT_MODULES: o->module_set = optarg; return 0;
        case OPT_ADD: return add_file(o, optarg);
        case OPT_APPEND: o->append = optarg; return 0;
        case OPT_UKI: o->uki = true; return 0;
        case OPT_CACHE: o->cache = optarg; return 0;
        case OPT_SYSTEM: o->system = true; return 0;
        case OPT_NAME:
                if (!mk_profile_name_valid(optarg))
                        return bad("--name takes 1 to 64 letters, digits, '.', '_', '-' "
                                   "(not starting with '.'), not", optarg);
                snprintf(o->name, sizeof o->name, "%s", optarg);
                return 0;
        case 'v': o->verbose = true; return 0;
        case OPT_HELP: fputs(usage, stdout); return 1;
        case OPT_VERSION: printf("thatte-driveros-make %s\n", PACKAGE_VERSION); return 1;
        default:
                fputs("Try 'thatte-driveros-make --help' for more information.\n", stderr);
                return -EINVAL;
        }
}

bool mk_options_foreign(const struct mk_options *o)
{
        return strcmp(o->arch, MK_NATIVE_ARCH) != 0;
}

/* The arch: --arch, else the kernel package's ":ARCH", else ours; the two
 * must agree. The kernel package then defaults to the arch's metapackage. */
static int resolve_arch(struct mk_options *o)
{
        const char *colon = o->kernel_package ? strrchr(o->kernel_package, ':') : NULL;

        if (colon && strcmp(colon + 1, "amd64") && strcmp(colon + 1, "arm64"))
                return bad("--kernel-package: the architecture must be amd64 or arm64, not", colon + 1);
        if (!o->arch)
                o->arch = colon ? colon + 1 : MK_NATIVE_ARCH;
        if (colon && strcmp(colon + 1, o->arch))
                return bad("--kernel-package is not for --arch", o->arch);
        if (!o->kernel_package)
                o->kernel_package = !strcmp(o->arch, "arm64") ?
                        (mk_options_foreign(o) ? "linux-image-arm64:arm64" : "linux-image-arm64") :
                        (mk_options_foreign(o) ? "linux-image-amd64:amd64" : "linux-image-amd64");
        if (strcmp(o->arch, "arm64"))
                return 0;
        /* What is made for x86-64 only so far. */
        if (mk_options_kernel_is(o, "thatte"))
                return bad("--kernel=thatte builds an x86-64 kernel; not for --arch", o->arch);
        if (o->uki)
                return bad("--uki packs the x86-64 systemd-boot stub; not for --arch", o->arch);
        if (o->disk && mk_options_foreign(o))
                return bad("--mode disk runs the guest's programs in debootstrap; not for a foreign --arch",
                           o->arch);
        return 0;
}

bool mk_options_kernel_is(const struct mk_options *o, const char *which)
{
        return !strcmp(o->kernel, which);
}

/* A kernel without modules (ours, or a user's) takes no module options. */
static int check_kernel(const struct mk_options *o)
{
        if (o->kernel_configs[0] && !mk_options_kernel_is(o, "thatte"))
                return bad("--kernel-config is for --kernel=thatte, not --kernel", o->kernel);
        if (!mk_options_kernel_is(o, "debian") && (o->modules[0] || o->module_set))
                return bad("--module and --modules need Debian's kernel; the kernel has no "
                           "modules: --kernel", o->kernel);
        return 0;
}

int mk_options_parse(int argc, char **argv, struct mk_options *o)
{
        int c, r;

        *o = (struct mk_options){ .output = "driveros", .suite = "bookworm",
                                  .mirror = "http://deb.debian.org/debian",
                                  .kernel = "debian" };
        while ((c = getopt_long(argc, argv, "o:v", longopts, NULL)) != -1) {
                r = apply(o, c);
                if (r != 0)
                        return r;
        }
        if (optind < argc)
                return bad("unexpected argument", argv[optind]);
        if (o->system && strcmp(o->output, "driveros"))
                return bad("--output cannot be combined with --system", o->output);
        if (o->system)
                o->output = MK_SYSTEM_IMAGE;
        if (!*o->output)
                return bad("--output must not be empty", o->output);
        if (!o->name[0])
                mk_profile_name(o->output, o->name);
        if (o->disk && (o->add_src[0] || o->module_set))
                return bad("--add and --modules are for initramfs mode, not", "--mode disk");
        r = check_kernel(o);
        return r < 0 ? r : resolve_arch(o);
}
