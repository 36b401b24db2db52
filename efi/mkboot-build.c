/* efi/mkboot-build.c: one UEFI file from loader, kernel, root task and a
 * command line, for thatte-mkboot and thatte-mkimage.
 *
 * Reads and checks every input first (mkboot-input.c, mkboot-guest.c),
 * packs them as the PE sections .kernel, .root and .cmdline (and, for
 * DriverOS, .gkernel, .ginitrd and .gcmdln) of a copy of the loader
 * (mkboot-pe.c), and writes the result through an atomic file, so the
 * output path holds a complete image or nothing new. With a key and a
 * certificate, sbsign signs that temporary file into a second one, which
 * is the one renamed into place. Messages start with the program's name. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic-file.h"
#include "boot-pe.h"
#include "mkboot-build.h"
#include "mkboot-guest.h"
#include "mkboot-input.h"
#include "mkboot-pe.h"
#include "sign.h"

#define PROG program_invocation_short_name

struct inputs {
        uint8_t *kernel, *root, *loader;
        size_t kernel_len, root_len, loader_len;
        struct mkboot_guest guest;
};

/* The key and certificate are read by sbsign; say early when they cannot be. */
static int check_signing_inputs(const struct mkboot_spec *o)
{
        const char *files[] = { o->key, o->cert };

        for (size_t i = 0; o->key && i < 2; i++)
                if (access(files[i], R_OK) < 0) {
                        int r = -errno;

                        fprintf(stderr, "%s: %s: %s\n", PROG, files[i], strerror(-r));
                        return r;
                }
        return 0;
}

static int load_inputs(const struct mkboot_spec *o, struct inputs *in)
{
        int r;

        r = mkboot_load_loader(o->loader, &in->loader, &in->loader_len);
        if (r == 0)
                r = mkboot_load_elf(o->kernel, BOOT_ELF_KERNEL, &in->kernel, &in->kernel_len);
        if (r == 0)
                r = mkboot_load_elf(o->root, BOOT_ELF_ROOT, &in->root, &in->root_len);
        if (r == 0)
                r = mkboot_guest_load(o->guest_kernel, o->guest_initrd, o->guest_cmdline,
                                      &in->guest);
        return r;
}

/* The payload sections: the three the loader needs, then the guest's. */
static size_t sections(const struct mkboot_spec *o, const struct inputs *in,
                       struct mkboot_pe_add *add)
{
        const struct mkboot_guest *g = &in->guest;
        size_t n = 0;

        add[n++] = (struct mkboot_pe_add){ BOOT_PE_KERNEL, in->kernel, in->kernel_len };
        add[n++] = (struct mkboot_pe_add){ BOOT_PE_ROOT, in->root, in->root_len };
        add[n++] = (struct mkboot_pe_add){ BOOT_PE_CMDLINE, (const uint8_t *)o->cmdline,
                                           strlen(o->cmdline) + 1 };
        if (g->kernel)
                add[n++] = (struct mkboot_pe_add){ BOOT_PE_GUEST_KERNEL, g->kernel, g->kernel_len };
        if (g->initrd)
                add[n++] = (struct mkboot_pe_add){ BOOT_PE_GUEST_INITRD, g->initrd, g->initrd_len };
        if (g->cmdline)
                add[n++] = (struct mkboot_pe_add){ BOOT_PE_GUEST_CMDLINE, (const uint8_t *)g->cmdline,
                                                   strlen(g->cmdline) + 1 };
        return n;
}

static int pack(const struct mkboot_spec *o, const struct inputs *in, uint8_t **ret, size_t *ret_len)
{
        struct mkboot_pe_add add[6];
        size_t n = sections(o, in, add);
        int r;

        r = mkboot_pe_pack(in->loader, in->loader_len, add, n, ret, ret_len);
        if (r == -EEXIST)
                fprintf(stderr, "%s: %s: loader: already holds a payload (a packed image?)\n", PROG,
                        o->loader);
        else if (r == -ENOSPC)
                fprintf(stderr, "%s: %s: loader: no room for %zu more section headers\n", PROG,
                        o->loader, n);
        else if (r == -ENOEXEC)
                fprintf(stderr, "%s: %s: loader: inconsistent or signed PE headers\n", PROG, o->loader);
        else if (r < 0)
                fprintf(stderr, "%s: cannot pack: %s\n", PROG, strerror(-r));
        return r;
}

/* Signs the complete unsigned temporary file into a second temporary file
 * and renames that one into place. */
static int commit_signed(const struct mkboot_spec *o, const char *output,
                         const struct thatte_atomic_file *unsigned_file)
{
        struct thatte_atomic_file *f = NULL;
        int r;

        r = thatte_atomic_file_open(output, 0644, &f);
        if (r < 0) {
                fprintf(stderr, "%s: cannot create a temporary file next to %s: %s\n", PROG, output,
                        strerror(-r));
                return r;
        }
        r = efi_sign_file(PROG, o->key, o->cert, unsigned_file->tmp_path, f->tmp_path);
        if (r == 0) {
                r = thatte_atomic_file_commit(f);
                if (r < 0)
                        fprintf(stderr, "%s: cannot write %s: %s\n", PROG, output, strerror(-r));
        }
        thatte_atomic_file_free(f);
        return r;
}

int mkboot_write_output(const struct mkboot_spec *o, const char *path, const uint8_t *data,
                        size_t len)
{
        struct thatte_atomic_file *f = NULL;
        size_t done = 0;
        int r;

        r = thatte_atomic_file_open(path, 0644, &f);
        if (r < 0) {
                fprintf(stderr, "%s: cannot create a temporary file next to %s: %s\n", PROG, path,
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
                r = commit_signed(o, path, f);
                thatte_atomic_file_free(f);
                return r;
        }
        if (r == 0)
                r = thatte_atomic_file_commit(f);
        if (r < 0)
                fprintf(stderr, "%s: cannot write %s: %s\n", PROG, path, strerror(-r));
        thatte_atomic_file_free(f);
        return r;
}

int mkboot_build(const struct mkboot_spec *o, const char *output)
{
        struct inputs in = { 0 };
        uint8_t *out = NULL;
        size_t out_len = 0;
        int r;

        r = check_signing_inputs(o);
        if (r == 0)
                r = load_inputs(o, &in);
        if (r == 0)
                r = pack(o, &in, &out, &out_len);
        if (r == 0)
                r = mkboot_write_output(o, output, out, out_len);
        free(out);
        free(in.kernel);
        free(in.root);
        free(in.loader);
        mkboot_guest_free(&in.guest);
        return r;
}
