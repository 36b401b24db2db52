/* mk-mkboot.c: see mk-mkboot.h. thatte-mkboot and thatte-mkesp run from
 * PATH with their installed defaults (the loader, kernel and root task of
 * package thatte-efi), so the files match the installed microkernel. Both
 * write atomically; a failure removes what this step already wrote, so
 * the folder holds all three files or none. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "driveros/mk-fs.h"
#include "driveros/mk-mkboot.h"
#include "driveros/mk-options.h"
#include "driveros/mk-profile.h"
#include "driveros/mk-spawn.h"

#define PROGRAM "thatte-driveros-make"

struct guest {
        char *kernel, *initrd, *cmdline;
};

/* The image's kernel as a bzImage: with --kernel=thatte the folder's
 * vmlinuz is the ELF vmlinux (for PVH), the bzImage is in the cache. */
static int guest_get(const struct mk_build *b, struct guest *g)
{
        struct mk_profile_spec spec = { .append = b->o->append };

        g->kernel = b->kbuild.bzimage ? strdup(b->kbuild.bzimage) : mk_path("%s/vmlinuz", b->dir);
        g->initrd = mk_path("%s/initrd.img", b->dir);
        g->cmdline = mk_profile_cmdline(&spec);
        return g->kernel && g->initrd && g->cmdline ? 0 : -ENOMEM;
}

static void guest_done(struct guest *g)
{
        free(g->kernel);
        free(g->initrd);
        free(g->cmdline);
}

/* thatte-mkboot [--direct] -o DIR/NAME with the guest images. */
static int run_mkboot(const struct mk_build *b, const struct guest *g, bool direct,
                      const char *name)
{
        char *out = mk_path("%s/%s", b->dir, name);
        char *argv[12];
        size_t n = 0;
        int r;

        argv[n++] = "thatte-mkboot";
        if (direct)
                argv[n++] = "--direct";
        argv[n++] = "-o";
        argv[n++] = out;
        argv[n++] = "--guest-kernel";
        argv[n++] = g->kernel;
        argv[n++] = "--guest-initrd";
        argv[n++] = g->initrd;
        argv[n++] = "--guest-cmdline";
        argv[n++] = g->cmdline;
        argv[n] = NULL;
        r = mk_spawn_run(argv, NULL, b->o->verbose, NULL);
        free(out);
        return r;
}

static int run_mkesp(const struct mk_build *b)
{
        char *esp = mk_path("%s/" MK_MKBOOT_ESP, b->dir), *efi = mk_path("%s/" MK_MKBOOT_EFI, b->dir);
        char *argv[] = { "thatte-mkesp", "-o", esp, efi, NULL };
        int r = mk_spawn_run(argv, NULL, b->o->verbose, NULL);

        free(esp);
        free(efi);
        return r;
}

static void remove_outputs(const struct mk_build *b)
{
        static const char *const names[] = { MK_MKBOOT_EFI, MK_MKBOOT_ESP, MK_MKBOOT_BUNDLE };

        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
                char *p = mk_path("%s/%s", b->dir, names[i]);

                (void)unlink(p);
                free(p);
        }
}

int mk_mkboot_build(struct mk_build *b)
{
        struct guest g = { 0 };
        int r;

        if (b->o->disk || strcmp(b->o->arch, "amd64")) {
                fprintf(stderr, PROGRAM ": no thatte-mk boot files: DriverOS under thatte-mk "
                                "needs an x86-64 initramfs image\n");
                return 0;
        }
        mk_build_say(b, "packing DriverOS for a thatte-mk boot (thatte-mkboot)");
        r = guest_get(b, &g);
        if (r == 0)
                r = run_mkboot(b, &g, false, MK_MKBOOT_EFI);
        if (r == 0)
                r = run_mkesp(b);
        if (r == 0)
                r = run_mkboot(b, &g, true, MK_MKBOOT_BUNDLE);
        guest_done(&g);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                remove_outputs(b);
                fprintf(stderr, PROGRAM ": no thatte-mk boot files: %s\n",
                        r == -ENOENT ? "thatte-mkboot or thatte-mkesp (package thatte-efi) not in PATH"
                        : r == -EPROTO ? "thatte-mkboot or thatte-mkesp failed (see above)"
                                       : strerror(-r));
                return 0;
        }
        b->mkboot_done = true;
        return 0;
}
