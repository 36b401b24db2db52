/* efi/mkesp.c: thatte-mkesp, a FAT EFI system partition image without root.
 *
 * Checks the EFI application's PE header, reads the command line into a
 * plan (the application at /EFI/BOOT/BOOTX64.EFI or, for an aarch64 one,
 * /EFI/BOOT/BOOTAA64.EFI, then each --add), checks every source, picks the size, and hands the plan to
 * mkesp_image_write. Exit status: 0 done, 1 runtime failure, 2 usage. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "mkesp-image.h"
#include "mkesp-plan.h"
#include "pecheck.h"
#include "tmp-cleanup.h"

#define PROG "thatte-mkesp"
#define EFI_BOOT_PATH_X64 "EFI/BOOT/BOOTX64.EFI"
#define EFI_BOOT_PATH_AA64 "EFI/BOOT/BOOTAA64.EFI"

struct options {
        const char *output;
        unsigned size_mib;      /* 0: choose from the contents */
        struct mkesp_plan plan;
};

static void usage(FILE *out)
{
        fprintf(out,
                "Usage: " PROG " -o ESP.img [OPTION]... FILE.efi\n"
                "Build a FAT EFI system partition image holding FILE.efi as\n"
                "/EFI/BOOT/BOOTX64.EFI (x86-64) or /EFI/BOOT/BOOTAA64.EFI (aarch64),\n"
                "without root (mkfs.fat and mtools).\n"
                "\n"
                "  -o, --output=FILE     write the image to FILE (replaced atomically)\n"
                "  -s, --size=MIB        image size in MiB (1-%d; default: fit the contents,\n"
                "                        at least %d)\n"
                "  -a, --add=SRC=DEST    also copy file SRC to DEST in the image (repeatable;\n"
                "                        a DEST ending in / keeps SRC's name)\n"
                "  -h, --help            show this help and exit\n"
                "  -V, --version         show the version and exit\n",
                MKESP_MAX_MIB, MKESP_MIN_DEFAULT_MIB);
}

#define usage_error(...) efi_cli_usage_error(PROG, __VA_ARGS__)

static int parse_size(const char *s, unsigned *ret)
{
        char *end;
        unsigned long v;

        errno = 0;
        v = strtoul(s, &end, 10);
        if (errno || end == s || *end || s[0] == '-' || v < 1 || v > MKESP_MAX_MIB)
                return -EINVAL;
        *ret = (unsigned)v;
        return 0;
}

/* SRC=DEST, split at the last '=' (FAT names rarely hold one). */
static int add_file(struct mkesp_plan *plan, const char *arg)
{
        const char *eq = strrchr(arg, '=');
        char *src;
        int r;

        if (!eq || eq == arg || !eq[1])
                return usage_error("--add wants SRC=DEST, got '%s'", arg);
        src = strndup(arg, (size_t)(eq - arg));
        if (!src)
                return 1;
        r = mkesp_plan_add(plan, src, eq + 1);
        free(src);
        if (r == -EINVAL)
                return usage_error("--add: invalid path in the image: '%s'", eq + 1);
        if (r == -EEXIST)
                return usage_error("--add: '%s' is already in the image", eq + 1);
        if (r < 0) {
                fprintf(stderr, PROG ": %s\n", strerror(-r));
                return 1;
        }
        return 0;
}

static const struct option long_options[] = {
        { "output", required_argument, NULL, 'o' }, { "size", required_argument, NULL, 's' },
        { "add", required_argument, NULL, 'a' },    { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },      { NULL, 0, NULL, 0 },
};

/* Returns -1 to go on, or the exit status. The EFI file is added by the
 * caller first, so --add values are kept and added after it. */
static int parse_args(int argc, char **argv, struct options *o, const char ***ret_adds, size_t *ret_n)
{
        int c;

        while ((c = getopt_long(argc, argv, "o:s:a:hV", long_options, NULL)) != -1) {
                switch (c) {
                case 'o':
                        o->output = optarg;
                        break;
                case 's':
                        if (parse_size(optarg, &o->size_mib) < 0)
                                return usage_error("--size wants a whole number of MiB, got '%s'",
                                                   optarg);
                        break;
                case 'a':
                        (*ret_adds)[(*ret_n)++] = optarg;
                        break;
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
        if (!o->output)
                return usage_error("%s", "no output given (-o ESP.img)");
        if (optind != argc - 1)
                return usage_error("%s", optind == argc ? "no EFI application given"
                                                        : "more than one EFI application given");
        return -1;
}

/* Checks the EFI application; prints why it is unusable. Returns its
 * boot path in the image, or NULL. */
static const char *check_efi_app(const char *path)
{
        static uint8_t buf[EFI_PE_HEADER_MAX];
        enum efi_pe_result pe;
        ssize_t n;
        int fd;

        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
                fprintf(stderr, PROG ": %s: %s\n", path, strerror(errno));
                return NULL;
        }
        n = read(fd, buf, sizeof(buf));
        if (n < 0)
                fprintf(stderr, PROG ": %s: %s\n", path, strerror(errno));
        (void)close(fd);
        if (n < 0)
                return NULL;
        pe = efi_pe_check(buf, (size_t)n);
        if (pe != EFI_PE_OK) {
                fprintf(stderr, PROG ": %s: %s\n", path, efi_pe_strerror(pe));
                return NULL;
        }
        return efi_pe_machine(buf, (size_t)n) == EFI_PE_MACHINE_AARCH64 ? EFI_BOOT_PATH_AA64
                                                                        : EFI_BOOT_PATH_X64;
}

/* Fills in each file's size; every source must be a regular file. */
static int stat_sources(struct mkesp_plan *plan)
{
        for (size_t i = 0; i < plan->n_files; i++) {
                struct stat st;

                if (stat(plan->files[i].src, &st) < 0) {
                        fprintf(stderr, PROG ": %s: %s\n", plan->files[i].src, strerror(errno));
                        return -EIO;
                }
                if (!S_ISREG(st.st_mode)) {
                        fprintf(stderr, PROG ": %s: not a regular file\n", plan->files[i].src);
                        return -EINVAL;
                }
                plan->files[i].size = (uint64_t)st.st_size;
        }
        return 0;
}

static int run(struct options *o)
{
        int r;

        r = stat_sources(&o->plan);
        if (r < 0)
                return 1;
        if (!o->size_mib) {
                o->size_mib = mkesp_plan_default_mib(&o->plan);
                if (!o->size_mib) {
                        fprintf(stderr, PROG ": contents too large for an image of at most %d MiB\n",
                                MKESP_MAX_MIB);
                        return 1;
                }
        }
        if (thatte_tmp_cleanup_install() < 0) {
                fprintf(stderr, PROG ": cannot install signal handlers: %s\n", strerror(errno));
                return 1;
        }
        return mkesp_image_write(o->output, o->size_mib, &o->plan) < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
        struct options o = { 0 };
        const char **adds;
        size_t n_adds = 0;
        int r;

        adds = calloc((size_t)argc + 1, sizeof(*adds));
        if (!adds) {
                fprintf(stderr, PROG ": out of memory\n");
                return 1;
        }
        r = parse_args(argc, argv, &o, &adds, &n_adds);
        if (r < 0) {
                const char *boot_path = check_efi_app(argv[optind]);

                r = !boot_path || mkesp_plan_add(&o.plan, argv[optind], boot_path) < 0 ? 1 : -1;
        }
        for (size_t i = 0; i < n_adds && r < 0; i++) {
                r = add_file(&o.plan, adds[i]);
                if (r == 0)
                        r = -1;
        }
        if (r < 0)
                r = run(&o);
        mkesp_plan_free(&o.plan);
        free(adds);
        return r;
}
