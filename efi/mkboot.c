/* efi/mkboot.c: thatte-mkboot, one UEFI executable from the loader, the
 * kernel, the root task and a command line.
 *
 * Reads and checks every input first (mkboot-input.c), packs them as the
 * PE sections .kernel, .root and .cmdline of a copy of the loader
 * (mkboot-pe.c), and writes the result through an atomic file, so the
 * output path holds a complete image or nothing new. With --sign and
 * --cert, sbsign signs that temporary file into a second one, which is
 * the one renamed into place. Exit status: 0 done, 1 runtime failure or a
 * bad input, 2 usage. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic-file.h"
#include "cli.h"
#include "boot-pe.h"
#include "mkboot-input.h"
#include "mkboot-pe.h"
#include "sign.h"
#include "tmp-cleanup.h"

#define PROG "thatte-mkboot"
/* The loader's command line buffer is one page, NUL included. */
#define CMDLINE_MAX 4095

#ifndef MKBOOT_EFIDIR
#error "MKBOOT_EFIDIR must name the installed loader, kernel and root task's folder"
#endif

struct options {
        const char *output;
        const char *kernel, *root, *loader;
        const char *cmdline;
        const char *key, *cert;
};

struct inputs {
        uint8_t *kernel, *root, *loader;
        size_t kernel_len, root_len, loader_len;
};

static void usage(FILE *out)
{
        fprintf(out,
                "Usage: " PROG " -o OUT.efi [OPTION]...\n"
                "Pack the thatte-boot.efi loader, the thatte-mk kernel and the root task\n"
                "into one UEFI executable (PE sections .kernel, .root and .cmdline).\n"
                "\n"
                "  -o, --output=FILE     write the image to FILE (replaced atomically)\n"
                "  -k, --kernel=ELF      the kernel (default: " MKBOOT_EFIDIR "/thatte-mk.elf)\n"
                "  -r, --root=ELF        the root task (default: " MKBOOT_EFIDIR "/thatte-root.elf)\n"
                "  -c, --cmdline=TEXT    the kernel command line (default: empty)\n"
                "  -l, --loader=EFI      the loader (default: " MKBOOT_EFIDIR "/thatte-boot.efi)\n"
                "  -s, --sign=KEY        sign for Secure Boot with this PEM private key (sbsign)\n"
                "  -C, --cert=CERT       the PEM certificate of that key (needed with --sign)\n"
                "  -h, --help            show this help and exit\n"
                "  -V, --version         show the version and exit\n");
}

#define usage_error(...) efi_cli_usage_error(PROG, __VA_ARGS__)

static const struct option long_options[] = {
        { "output", required_argument, NULL, 'o' }, { "kernel", required_argument, NULL, 'k' },
        { "root", required_argument, NULL, 'r' },   { "cmdline", required_argument, NULL, 'c' },
        { "loader", required_argument, NULL, 'l' }, { "sign", required_argument, NULL, 's' },
        { "cert", required_argument, NULL, 'C' },   { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },      { NULL, 0, NULL, 0 },
};

/* Returns -1 to go on, or the exit status. */
static int parse_args(int argc, char **argv, struct options *o)
{
        int c;

        while ((c = getopt_long(argc, argv, "o:k:r:c:l:s:C:hV", long_options, NULL)) != -1) {
                switch (c) {
                case 'o': o->output = optarg; break;
                case 'k': o->kernel = optarg; break;
                case 'r': o->root = optarg; break;
                case 'c': o->cmdline = optarg; break;
                case 'l': o->loader = optarg; break;
                case 's': o->key = optarg; break;
                case 'C': o->cert = optarg; break;
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
        if (strlen(o->cmdline) > CMDLINE_MAX)
                return usage_error("--cmdline: longer than %d bytes", CMDLINE_MAX);
        return -1;
}

/* The key and certificate are read by sbsign; say early when they cannot be. */
static int check_signing_inputs(const struct options *o)
{
        const char *files[] = { o->key, o->cert };

        for (size_t i = 0; o->key && i < 2; i++)
                if (access(files[i], R_OK) < 0) {
                        int r = -errno;

                        fprintf(stderr, PROG ": %s: %s\n", files[i], strerror(-r));
                        return r;
                }
        return 0;
}

static int load_inputs(const struct options *o, struct inputs *in)
{
        int r;

        r = mkboot_load_loader(o->loader, &in->loader, &in->loader_len);
        if (r == 0)
                r = mkboot_load_elf(o->kernel, BOOT_ELF_KERNEL, &in->kernel, &in->kernel_len);
        if (r == 0)
                r = mkboot_load_elf(o->root, BOOT_ELF_ROOT, &in->root, &in->root_len);
        return r;
}

static int pack(const struct options *o, const struct inputs *in, uint8_t **ret, size_t *ret_len)
{
        const struct mkboot_pe_add add[] = {
                { BOOT_PE_KERNEL, in->kernel, in->kernel_len },
                { BOOT_PE_ROOT, in->root, in->root_len },
                { BOOT_PE_CMDLINE, (const uint8_t *)o->cmdline, strlen(o->cmdline) + 1 },
        };
        int r;

        r = mkboot_pe_pack(in->loader, in->loader_len, add, sizeof(add) / sizeof(add[0]), ret, ret_len);
        if (r == -EEXIST)
                fprintf(stderr, PROG ": %s: loader: already holds a payload (a packed image?)\n",
                        o->loader);
        else if (r == -ENOSPC)
                fprintf(stderr, PROG ": %s: loader: no room for 3 more section headers\n", o->loader);
        else if (r == -ENOEXEC)
                fprintf(stderr, PROG ": %s: loader: inconsistent or signed PE headers\n", o->loader);
        else if (r < 0)
                fprintf(stderr, PROG ": cannot pack: %s\n", strerror(-r));
        return r;
}

/* Signs the complete unsigned temporary file into a second temporary file
 * and renames that one into place. */
static int commit_signed(const struct options *o, const struct thatte_atomic_file *unsigned_file)
{
        struct thatte_atomic_file *f = NULL;
        int r;

        r = thatte_atomic_file_open(o->output, 0644, &f);
        if (r < 0) {
                fprintf(stderr, PROG ": cannot create a temporary file next to %s: %s\n", o->output,
                        strerror(-r));
                return r;
        }
        r = efi_sign_file(PROG, o->key, o->cert, unsigned_file->tmp_path, f->tmp_path);
        if (r == 0) {
                r = thatte_atomic_file_commit(f);
                if (r < 0)
                        fprintf(stderr, PROG ": cannot write %s: %s\n", o->output, strerror(-r));
        }
        thatte_atomic_file_free(f);
        return r;
}

static int write_output(const struct options *o, const uint8_t *data, size_t len)
{
        const char *path = o->output;
        struct thatte_atomic_file *f = NULL;
        size_t done = 0;
        int r;

        r = thatte_atomic_file_open(path, 0644, &f);
        if (r < 0) {
                fprintf(stderr, PROG ": cannot create a temporary file next to %s: %s\n", path,
                        strerror(-r));
                return r;
        }
        while (r == 0 && done < len) {
                ssize_t n = write(f->fd, data + done, len - done);

                if (n < 0 && errno != EINTR)
                        r = -errno;
                else if (n > 0)
                        done += (size_t)n;
        }
        if (r == 0 && o->key) {
                r = commit_signed(o, f);
                thatte_atomic_file_free(f);
                return r;
        }
        if (r == 0)
                r = thatte_atomic_file_commit(f);
        if (r < 0)
                fprintf(stderr, PROG ": cannot write %s: %s\n", path, strerror(-r));
        thatte_atomic_file_free(f);
        return r;
}

static int run(const struct options *o)
{
        struct inputs in = { 0 };
        uint8_t *out = NULL;
        size_t out_len = 0;
        int r;

        if (thatte_tmp_cleanup_install() < 0) {
                fprintf(stderr, PROG ": cannot install signal handlers: %s\n", strerror(errno));
                return 1;
        }
        r = check_signing_inputs(o);
        if (r == 0)
                r = load_inputs(o, &in);
        if (r == 0)
                r = pack(o, &in, &out, &out_len);
        if (r == 0)
                r = write_output(o, out, out_len);
        free(out);
        free(in.kernel);
        free(in.root);
        free(in.loader);
        return r < 0 ? 1 : 0;
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
