/* efi/mkboot.c: thatte-mkboot, one UEFI executable from the loader, the
 * kernel, the root task and a command line.
 *
 * The command line; mkboot-build.c does the work. Exit status: 0 done,
 * 1 runtime failure or a bad input, 2 usage. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "mkboot-build.h"
#include "mkboot-guest.h"
#include "tmp-cleanup.h"

#define PROG "thatte-mkboot"

#ifndef MKBOOT_EFIDIR
#error "MKBOOT_EFIDIR must name the installed loader, kernel and root task's folder"
#endif

struct options {
        const char *output;
        const char *kernel, *root, *loader;
        const char *cmdline;
        const char *key, *cert;
        const char *guest_kernel, *guest_initrd, *guest_cmdline;
        int direct;
        int kernel_given, loader_given;
};

enum { OPT_DIRECT = 256, OPT_GUEST_KERNEL, OPT_GUEST_INITRD, OPT_GUEST_CMDLINE };

static void usage(FILE *out)
{
        fprintf(out,
                "Usage: " PROG " -o OUT.efi [OPTION]...\n"
                "  or:  " PROG " --direct -o OUT.cpio [-r ELF] [GUEST OPTION]...\n"
                "Pack the thatte-boot.efi loader, the thatte-mk kernel and the root task\n"
                "into one UEFI executable (PE sections .kernel, .root and .cmdline, and\n"
                "for DriverOS's guest images .gkernel, .ginitrd and .gcmdln);\n"
                "with --direct, the root task (and guest images) into the module bundle\n"
                "of a direct boot (qemu -kernel thatte-mk.elf -initrd OUT.cpio).\n"
                "\n"
                "  -o, --output=FILE     write the image to FILE (replaced atomically)\n"
                "  -k, --kernel=ELF      the kernel (default: " MKBOOT_EFIDIR "/thatte-mk.elf)\n"
                "  -r, --root=ELF        the root task (default: " MKBOOT_EFIDIR "/thatte-root.elf)\n"
                "  -c, --cmdline=TEXT    the kernel command line (default: empty)\n"
                "  -l, --loader=EFI      the loader (default: " MKBOOT_EFIDIR "/thatte-boot.efi)\n"
                "  -s, --sign=KEY        sign for Secure Boot with this PEM private key (sbsign)\n"
                "  -C, --cert=CERT       the PEM certificate of that key (needed with --sign)\n"
                "      --direct          write the direct boot's module bundle (cpio)\n"
                "      --guest-kernel=BZIMAGE  DriverOS's Linux kernel (module driveros-kernel)\n"
                "      --guest-initrd=FILE     its initramfs (module driveros-initrd)\n"
                "      --guest-cmdline=TEXT    its command line (module driveros-cmdline)\n"
                "  -h, --help            show this help and exit\n"
                "  -V, --version         show the version and exit\n");
}

#define usage_error(...) efi_cli_usage_error(PROG, __VA_ARGS__)

static const struct option long_options[] = {
        { "output", required_argument, NULL, 'o' }, { "kernel", required_argument, NULL, 'k' },
        { "root", required_argument, NULL, 'r' },   { "cmdline", required_argument, NULL, 'c' },
        { "loader", required_argument, NULL, 'l' }, { "sign", required_argument, NULL, 's' },
        { "cert", required_argument, NULL, 'C' },   { "help", no_argument, NULL, 'h' },
        { "direct", no_argument, NULL, OPT_DIRECT },
        { "guest-kernel", required_argument, NULL, OPT_GUEST_KERNEL },
        { "guest-initrd", required_argument, NULL, OPT_GUEST_INITRD },
        { "guest-cmdline", required_argument, NULL, OPT_GUEST_CMDLINE },
        { "version", no_argument, NULL, 'V' },      { NULL, 0, NULL, 0 },
};

/* The guest options and --direct's exclusions. Returns -1 or 2. */
static int check_guest_args(const struct options *o)
{
        if ((o->guest_initrd || o->guest_cmdline) && !o->guest_kernel)
                return usage_error("%s", "--guest-initrd and --guest-cmdline need --guest-kernel");
        if (o->guest_cmdline && strlen(o->guest_cmdline) > MKBOOT_GUEST_CMDLINE_MAX)
                return usage_error("--guest-cmdline: longer than %d bytes", MKBOOT_GUEST_CMDLINE_MAX);
        if (o->direct && (o->kernel_given || o->loader_given || o->key || o->cmdline[0]))
                return usage_error("%s", "--direct takes no --kernel, --loader, --cmdline or "
                                         "--sign (QEMU's -kernel and -append give those)");
        return -1;
}

/* Returns -1 to go on, or the exit status. */
static int parse_args(int argc, char **argv, struct options *o)
{
        int c;

        while ((c = getopt_long(argc, argv, "o:k:r:c:l:s:C:hV", long_options, NULL)) != -1) {
                switch (c) {
                case 'o': o->output = optarg; break;
                case 'k': o->kernel = optarg; o->kernel_given = 1; break;
                case 'r': o->root = optarg; break;
                case 'c': o->cmdline = optarg; break;
                case 'l': o->loader = optarg; o->loader_given = 1; break;
                case 's': o->key = optarg; break;
                case 'C': o->cert = optarg; break;
                case OPT_DIRECT: o->direct = 1; break;
                case OPT_GUEST_KERNEL: o->guest_kernel = optarg; break;
                case OPT_GUEST_INITRD: o->guest_initrd = optarg; break;
                case OPT_GUEST_CMDLINE: o->guest_cmdline = optarg; break;
                case 'h':
                        usage(stdout);
                        return 0;
                case 'V':
                        printf(PROG " (" PACKAGE_NAME ") " PACKAGE_VERSION "\n");
                        return 0;
                default:
                        fprintf(stderr, "Try '" PROG " --help' for more information.\n");
                        return 2;
                }
        }
        if (optind != argc)
                return usage_error("unexpected argument '%s'", argv[optind]);
        if (!o->output || !o->output[0])
                return usage_error("%s", "no output given (-o OUT.efi)");
        if (!o->key != !o->cert)
                return usage_error("%s", "--sign and --cert go together");
        if (strlen(o->cmdline) > MKBOOT_CMDLINE_MAX)
                return usage_error("--cmdline: longer than %d bytes", MKBOOT_CMDLINE_MAX);
        return check_guest_args(o);
}

static int run(const struct options *o)
{
        const struct mkboot_spec spec = {
                .kernel = o->kernel, .root = o->root, .loader = o->loader,
                .cmdline = o->cmdline, .key = o->key, .cert = o->cert,
                .guest_kernel = o->guest_kernel, .guest_initrd = o->guest_initrd,
                .guest_cmdline = o->guest_cmdline,
        };

        if (thatte_tmp_cleanup_install() < 0) {
                fprintf(stderr, PROG ": cannot install signal handlers: %s\n", strerror(errno));
                return 1;
        }
        if (o->direct)
                return mkboot_build_direct(&spec, o->output) < 0 ? 1 : 0;
        return mkboot_build(&spec, o->output) < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
        struct options o = {
                .kernel = MKBOOT_EFIDIR "/thatte-mk.elf",
                .root = MKBOOT_EFIDIR "/thatte-root.elf",
                .loader = MKBOOT_EFIDIR "/thatte-boot.efi",
                .cmdline = "",
        };
        int r;

        r = parse_args(argc, argv, &o);
        if (r >= 0)
                return r;
        return run(&o);
}
