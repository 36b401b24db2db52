/* efi/mkimage.c: thatte-mkimage, a disk image (or with --iso a CD image)
 * that boots thatte-mk and its root task by BIOS and by UEFI.
 *
 * The command line; mkimage-build.c does the work. Exit status: 0 done,
 * 1 runtime failure or a bad input, 2 usage. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mkimage-build.h"
#include "mkimage-disk.h"
#include "tmp-cleanup.h"

#define PROG "thatte-mkimage"

#ifndef MKBOOT_EFIDIR
#error "MKBOOT_EFIDIR must name the installed loader, kernel and root task's folder"
#endif
#define GRUB_PC_DIR "/usr/lib/grub/i386-pc"

struct options {
        const char *output;
        int iso;
        struct mkimage_spec spec;
};

static void usage(FILE *out)
{
        fprintf(out,
                "Usage: " PROG " -o IMAGE [OPTION]...\n"
                "Write a disk image (GPT: BIOS boot partition with GRUB, EFI system partition)\n"
                "or with --iso a CD image that boots thatte-mk and its root task by BIOS and UEFI.\n"
                "\n"
                "  -o, --output=FILE     write the image to FILE (replaced atomically)\n"
                "      --iso             an El Torito CD image instead of a disk image\n"
                "  -k, --kernel=ELF      the kernel (default: " MKBOOT_EFIDIR "/thatte-mk.elf)\n"
                "  -r, --root=ELF        the root task (default: " MKBOOT_EFIDIR "/thatte-root.elf)\n"
                "  -c, --cmdline=TEXT    the kernel command line (default: empty)\n"
                "  -l, --loader=EFI      the UEFI loader (default: " MKBOOT_EFIDIR "/thatte-boot.efi)\n"
                "  -s, --sign=KEY        sign the UEFI file for Secure Boot with this PEM key (sbsign)\n"
                "  -C, --cert=CERT       the PEM certificate of that key (needed with --sign)\n"
                "      --esp-size=MIB    size of the EFI system partition (default: fit the contents)\n"
                "      --grub-dir=DIR    GRUB's i386-pc files (default: " GRUB_PC_DIR ")\n"
                "  -h, --help            show this help and exit\n"
                "  -V, --version         show the version and exit\n");
}

#define usage_error(...) efi_cli_usage_error(PROG, __VA_ARGS__)

enum { OPT_ISO = 256, OPT_ESP_SIZE, OPT_GRUB_DIR };

static const struct option long_options[] = {
        { "output", required_argument, NULL, 'o' },   { "iso", no_argument, NULL, OPT_ISO },
        { "kernel", required_argument, NULL, 'k' },   { "root", required_argument, NULL, 'r' },
        { "cmdline", required_argument, NULL, 'c' },  { "loader", required_argument, NULL, 'l' },
        { "sign", required_argument, NULL, 's' },     { "cert", required_argument, NULL, 'C' },
        { "esp-size", required_argument, NULL, OPT_ESP_SIZE },
        { "grub-dir", required_argument, NULL, OPT_GRUB_DIR },
        { "help", no_argument, NULL, 'h' },           { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
};

static int parse_mib(const char *s, unsigned *ret)
{
        char *end;
        unsigned long v;

        errno = 0;
        v = strtoul(s, &end, 10);
        if (errno || end == s || *end || s[0] == '-' || v < 1 || v > MKIMAGE_ESP_MAX_MIB)
                return usage_error("--esp-size: want 1 to %u MiB, got '%s'", MKIMAGE_ESP_MAX_MIB, s);
        *ret = (unsigned)v;
        return -1;
}

/* GRUB reads the command line inside single quotes: no quote, no control
 * character can end them early. */
static int check_cmdline(const char *s)
{
        if (strlen(s) > MKBOOT_CMDLINE_MAX)
                return usage_error("--cmdline: longer than %d bytes", MKBOOT_CMDLINE_MAX);
        for (const unsigned char *p = (const unsigned char *)s; *p; p++)
                if (*p == '\'' || *p < 0x20 || *p == 0x7f)
                        return usage_error("--cmdline: no quote (') or control characters, please");
        return -1;
}

static int parse_one(int c, struct options *o)
{
        struct mkboot_spec *b = &o->spec.boot;

        switch (c) {
        case 'o': o->output = optarg; return -1;
        case OPT_ISO: o->iso = 1; return -1;
        case 'k': b->kernel = optarg; return -1;
        case 'r': b->root = optarg; return -1;
        case 'c': b->cmdline = optarg; return -1;
        case 'l': b->loader = optarg; return -1;
        case 's': b->key = optarg; return -1;
        case 'C': b->cert = optarg; return -1;
        case OPT_ESP_SIZE: return parse_mib(optarg, &o->spec.esp_mib);
        case OPT_GRUB_DIR: o->spec.grub_dir = optarg; return -1;
        case 'h': usage(stdout); return 0;
        case 'V': printf(PROG " (" PACKAGE_NAME ") " PACKAGE_VERSION "\n"); return 0;
        default: fprintf(stderr, "Try '" PROG " --help' for more information.\n"); return 2;
        }
}

/* Returns -1 to go on, or the exit status. */
static int parse_args(int argc, char **argv, struct options *o)
{
        int c, r;

        while ((c = getopt_long(argc, argv, "o:k:r:c:l:s:C:hV", long_options, NULL)) != -1)
                if ((r = parse_one(c, o)) >= 0)
                        return r;
        if (optind != argc)
                return usage_error("unexpected argument '%s'", argv[optind]);
        if (!o->output || !o->output[0])
                return usage_error("%s", "no output given (-o IMAGE)");
        if (!o->spec.boot.key != !o->spec.boot.cert)
                return usage_error("%s", "--sign and --cert go together");
        return check_cmdline(o->spec.boot.cmdline);
}

int main(int argc, char **argv)
{
        struct options o = {
                .spec = {
                        .boot = {
                                .kernel = MKBOOT_EFIDIR "/thatte-mk.elf",
                                .root = MKBOOT_EFIDIR "/thatte-root.elf",
                                .loader = MKBOOT_EFIDIR "/thatte-boot.efi",
                                .cmdline = "",
                        },
                        .grub_dir = GRUB_PC_DIR,
                },
        };
        int r;

        r = parse_args(argc, argv, &o);
        if (r >= 0)
                return r;
        if (thatte_tmp_cleanup_install() < 0) {
                fprintf(stderr, PROG ": cannot install signal handlers: %s\n", strerror(errno));
                return 1;
        }
        r = o.iso ? mkimage_cd(&o.spec, o.output) : mkimage_disk(&o.spec, o.output);
        return r < 0 ? 1 : 0;
}
