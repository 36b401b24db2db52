/* mk-iso.c: driveros.iso by grub-mkimage and xorriso, both run through
 * mk-spawn.c (own process group, stopped when the build is interrupted).
 * Work files live in DIR/.iso, removed at the end; DIR itself is the
 * temporary image folder, so an interrupted build leaves nothing. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "driveros/mk-fs.h"
#include "driveros/mk-iso.h"
#include "driveros/mk-profile.h"
#include "driveros/mk-spawn.h"

#define PROGRAM "thatte-driveros-make"
#define GRUB_PC_DIR "/usr/lib/grub/i386-pc"

/* The command line as GRUB words: each space-separated word in single
 * quotes (a quote inside becomes '\'' as in sh), so GRUB hands Linux the
 * words as they are, joined by spaces. */
static char *grub_words(const char *text)
{
        char *q = malloc(4 * strlen(text) + 3), *p = q;

        if (!q)
                return NULL;
        for (const char *s = text; *s;) {
                if (*s == ' ') {
                        s++;
                        continue;
                }
                if (p != q)
                        *p++ = ' ';
                *p++ = '\'';
                for (; *s && *s != ' '; s++) {
                        if (*s == '\'')
                                p = stpcpy(p, "'\\''");
                        else
                                *p++ = *s;
                }
                *p++ = '\'';
        }
        *p = '\0';
        return q;
}

/* GRUB's configuration, built into its core image: Linux and the initrd
 * from the CD, at once. */
static int write_config(struct mk_build *b, const char *path)
{
        struct mk_profile_spec spec = { .disk = b->o->disk, .append = b->o->append };
        char *cmdline = mk_profile_cmdline(&spec), *quoted = cmdline ? grub_words(cmdline) : NULL;
        char *text = quoted ? mk_path("linux /vmlinuz %s\ninitrd /initrd.img\nboot\n", quoted) : NULL;
        int r = text ? mk_write_file(path, text, strlen(text), 0644) : -ENOMEM;

        free(text);
        free(quoted);
        free(cmdline);
        return r;
}

static int grub_core(struct mk_build *b, const char *cfg, const char *core)
{
        char *argv[] = { "grub-mkimage", "-d", GRUB_PC_DIR, "-O", "i386-pc-eltorito", "-o", (char *)core,
                         "-p", "/boot/grub", "-c", (char *)cfg, "biosdisk", "iso9660", "linux", "boot",
                         NULL };
        int r = mk_spawn_run(argv, NULL, b->o->verbose, NULL);

        if (r == -ENOENT)
                fprintf(stderr, PROGRAM ": --iso needs grub-mkimage (Debian packages grub-common, grub-pc-bin)\n");
        else if (r < 0 && r != -EINTR)
                fprintf(stderr, PROGRAM ": grub-mkimage failed: %s\n", r == -EPROTO ? "see above" : strerror(-r));
        return r;
}

/* "ISO=HOST" for xorriso's -graft-points, '\' and '=' of HOST escaped. */
static char *graft(const char *iso, const char *host)
{
        char *g = malloc(strlen(iso) + 2 * strlen(host) + 2), *p = g;

        if (!g)
                return NULL;
        p = stpcpy(p, iso);
        *p++ = '=';
        for (; *host; host++) {
                if (*host == '\\' || *host == '=')
                        *p++ = '\\';
                *p++ = *host;
        }
        *p = '\0';
        return g;
}

static int xorriso(struct mk_build *b, const char *core)
{
        const char *linux_ = b->kbuild.bzimage ? b->kbuild.bzimage : "vmlinuz";
        char *out = mk_path("%s/driveros.iso", b->dir), *kernel = mk_path("%s", linux_);
        char *g_core = graft("boot/eltorito.img", core), *g_esp = graft("efi.img", "esp.img");
        char *g_linux = graft("vmlinuz", kernel), *g_initrd = graft("initrd.img", "initrd.img");
        char *argv[] = { "xorriso", "-as", "mkisofs", "-quiet", "-o", out, "-R", "-J", "-V", "DRIVEROS",
                         "-graft-points", "-b", "boot/eltorito.img", "-no-emul-boot", "-boot-load-size",
                         "4", "-boot-info-table", "-eltorito-alt-boot", "-e", "efi.img", "-no-emul-boot",
                         g_core, g_esp, g_linux, g_initrd, NULL };
        int r = g_core && g_esp && g_linux && g_initrd ? mk_spawn_run(argv, b->dir, b->o->verbose, NULL)
                                                        : -ENOMEM;

        if (r == -ENOENT)
                fprintf(stderr, PROGRAM ": --iso needs xorriso (Debian package xorriso)\n");
        else if (r < 0 && r != -EINTR)
                fprintf(stderr, PROGRAM ": xorriso failed: %s\n", r == -EPROTO ? "see above" : strerror(-r));
        free(out);
        free(kernel);
        free(g_core);
        free(g_esp);
        free(g_linux);
        free(g_initrd);
        return r;
}

int mk_iso_build(struct mk_build *b)
{
        char *work = mk_path("%s/.iso", b->dir), *cfg = mk_path("%s/grub.cfg", work);
        char *core = mk_path("%s/eltorito.img", work);
        int r = 0;

        mk_build_say(b, "making driveros.iso");
        if (mkdir(work, 0700) < 0)
                r = -errno;
        if (r == 0 && (r = write_config(b, cfg)) < 0)
                fprintf(stderr, PROGRAM ": writing GRUB's configuration: %s\n", strerror(-r));
        if (r == 0)
                r = grub_core(b, cfg, core);
        if (r == 0)
                r = xorriso(b, core);
        (void)mk_rmtree(work);
        free(work);
        free(cfg);
        free(core);
        return r;
}
