/* mk-uki.c: kernel + initrd + command line on systemd-stub, by objcopy
 * (Debian 12 has no ukify), then an ESP for OVMF by thatte-mkesp. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driveros/mk-apt.h"
#include "driveros/mk-build.h"
#include "driveros/mk-elf.h"
#include "driveros/mk-fs.h"
#include "driveros/mk-profile.h"
#include "driveros/mk-spawn.h"
#include "driveros/mk-uki.h"

#define PROGRAM "thatte-driveros-make"
#define STUB "usr/lib/systemd/boot/efi/linuxx64.efi.stub"
#define MIB 0x100000ul

static int get_stub(struct mk_build *b, char **ret_stub)
{
        struct mk_apt_pkg p = { 0 };
        char *deb = NULL, *tree = NULL;
        int r;

        mk_build_say(b, "fetching systemd-boot-efi (the EFI stub)");
        r = mk_apt_show("systemd-boot-efi", b->o->verbose, &p);
        if (r == 0)
                r = mk_apt_fetch(b->cache, &p, b->o->verbose, &deb, NULL);
        if (r == 0)
                r = mk_apt_unpack(b->cache, deb, b->o->verbose, NULL, NULL, &tree);
        if (r == 0)
                *ret_stub = mk_path("%s/" STUB, tree);
        mk_apt_pkg_done(&p);
        free(deb);
        free(tree);
        return r;
}

static unsigned long round_mib(unsigned long v)
{
        return (v + MIB - 1) / MIB * MIB;
}

/* Writes the small sections' contents into WORK. */
static int write_inputs(struct mk_build *b, const char *work)
{
        struct mk_profile_spec spec = { .disk = b->o->disk, .append = b->o->append };
        static const char osrel[] = "NAME=\"DriverOS\"\nID=driveros\nPRETTY_NAME=\"THATTE DriverOS\"\n";
        char *cmdline = mk_profile_cmdline(&spec), *p;
        int r;

        if (!cmdline)
                return -ENOMEM;
        p = mk_path("%s/cmdline", work);
        r = mk_write_file(p, cmdline, strlen(cmdline), 0644);
        free(p);
        free(cmdline);
        if (r == 0) {
                p = mk_path("%s/os-release", work);
                r = mk_write_file(p, osrel, sizeof osrel - 1, 0644);
                free(p);
        }
        return r;
}

static int run_objcopy(struct mk_build *b, const char *stub, const char *work)
{
        /* The THATTE kernel's vmlinuz is an ELF; the stub wants its bzImage. */
        char *linux_ = b->kbuild.bzimage ? strdup(b->kbuild.bzimage) : mk_path("%s/vmlinuz", b->dir);
        char *initrd = mk_path("%s/initrd.img", b->dir);
        char *out = mk_path("%s/driveros.efi", b->dir);
        unsigned long base, linux_at, initrd_at;
        struct stat st;
        char a[6][256];
        int r;

        r = mk_pe_image_size(stub, &base);
        if (r == 0 && stat(linux_, &st) < 0)
                r = -errno;
        if (r == 0) {
                base = round_mib(base);
                linux_at = base + 2 * MIB;
                initrd_at = round_mib(linux_at + (unsigned long)st.st_size);
                snprintf(a[0], sizeof a[0], ".osrel=%s/os-release", work);
                snprintf(a[1], sizeof a[1], ".osrel=0x%lx", base);
                snprintf(a[2], sizeof a[2], ".cmdline=%s/cmdline", work);
                snprintf(a[3], sizeof a[3], ".cmdline=0x%lx", base + MIB);
                snprintf(a[4], sizeof a[4], ".linux=0x%lx", linux_at);
                snprintf(a[5], sizeof a[5], ".initrd=0x%lx", initrd_at);
                char *lsec = mk_path(".linux=%s", linux_), *isec = mk_path(".initrd=%s", initrd);
                char *argv[] = { "objcopy",
                        "--add-section", a[0], "--change-section-vma", a[1],
                        "--add-section", a[2], "--change-section-vma", a[3],
                        "--add-section", lsec, "--change-section-vma", a[4],
                        "--add-section", isec, "--change-section-vma", a[5],
                        (char *)stub, out, NULL };
                r = mk_spawn_run(argv, NULL, b->o->verbose, NULL);
                free(lsec);
                free(isec);
        }
        free(linux_);
        free(initrd);
        free(out);
        return r;
}

static int make_esp(struct mk_build *b)
{
        char *esp = mk_path("%s/esp.img", b->dir), *efi = mk_path("%s/driveros.efi", b->dir);
        char *argv[] = { "thatte-mkesp", "-o", esp, efi, NULL };
        int r = mk_spawn_run(argv, NULL, b->o->verbose, NULL);

        if (r == -ENOENT)
                fprintf(stderr, PROGRAM ": --uki needs thatte-mkesp (package thatte-efi) in PATH\n");
        free(esp);
        free(efi);
        return r;
}

int mk_uki_build(struct mk_build *b)
{
        char *stub = NULL, *work = mk_path("%s/.uki", b->dir);
        int r;

        r = get_stub(b, &stub);
        if (r < 0)
                fprintf(stderr, PROGRAM ": getting systemd-boot-efi failed: %s\n", strerror(-r));
        if (r == 0 && mkdir(work, 0700) < 0)
                r = -errno;
        if (r == 0)
                r = write_inputs(b, work);
        if (r == 0) {
                mk_build_say(b, "making driveros.efi");
                r = run_objcopy(b, stub, work);
                if (r < 0)
                        fprintf(stderr, PROGRAM ": making driveros.efi with objcopy failed: %s\n",
                                r == -EPROTO ? "objcopy reported an error" : strerror(-r));
        }
        if (r == 0) {
                r = make_esp(b);
                if (r < 0 && r != -ENOENT)
                        fprintf(stderr, PROGRAM ": thatte-mkesp failed: %s\n",
                                r == -EPROTO ? "see its message above" : strerror(-r));
        }
        (void)mk_rmtree(work);
        free(work);
        free(stub);
        return r;
}
