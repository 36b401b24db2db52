/* mk-disk.c: the full-Debian DriverOS: debootstrap, then mke2fs -d. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driveros/mk-build.h"
#include "driveros/mk-disk.h"
#include "driveros/mk-fs.h"
#include "driveros/mk-initrd.h"
#include "driveros/mk-spawn.h"

#define PROGRAM "thatte-driveros-make"

/* With Debian's kernel udev loads the display's module first; a kernel
 * with everything built in has the display before systemd starts, so the
 * compositor starts as soon as the root is there, ahead of dbus, logind
 * and udev. A power button pressed before logind listens is lost; that is
 * why thatte-vmm stop presses it again until the guest shuts down. */
static const char unit_udev[] =
        "[Unit]\n"
        "Description=THATTE compositor (paints the DriverOS display)\n"
        "After=systemd-udev-settle.service systemd-udevd.service\n\n"
        "[Service]\n"
        "ExecStartPre=-/usr/bin/udevadm settle --timeout=10\n";
static const char unit[] =
        "[Unit]\n"
        "Description=THATTE compositor (paints the DriverOS display)\n"
        "DefaultDependencies=no\n"
        "After=local-fs.target\n"
        "Conflicts=shutdown.target\n"
        "Before=shutdown.target\n\n"
        "[Service]\n";
static const char unit_service[] =
        "ExecStart=/usr/bin/thatte-compositor\n"
        "Restart=always\n"
        "RestartSec=1\n"
        "StandardOutput=journal+console\n"
        "StandardError=journal+console\n\n"
        "[Install]\n"
        "WantedBy=multi-user.target\n";

/* With thatte.analyze on the kernel command line, systemd-analyze's view of
 * the boot on the console once it is finished (the figures of the
 * benchmark). Fixed text: no input reaches the shell. */
static const char analyze_unit[] =
        "[Unit]\n"
        "Description=Boot time on the console (thatte.analyze)\n"
        "ConditionKernelCommandLine=thatte.analyze\n\n"
        "[Service]\n"
        "ExecStart=/bin/sh -c 'systemctl is-system-running --wait >/dev/null; systemd-analyze; "
        "systemd-analyze critical-chain --no-pager thatte-compositor.service; "
        "systemd-analyze blame --no-pager | head -n 10; echo thatte-analyze: done'\n"
        "StandardOutput=journal+console\n\n"
        "[Install]\n"
        "WantedBy=multi-user.target\n";

/* Units DriverOS does not need, masked: logins and gettys (an appliance),
 * periodic maintenance, the persistent journal, seeds and utmp records,
 * file systems no one mounts, checks the ready root makes moot. The boot
 * they cost is measured with thatte.analyze. logind and udev stay: logind
 * turns the ACPI power button that udev tags into a power-off. */
static const char *const masked[] = {
        "getty@.service", "serial-getty@.service", "getty-static.service",
        "apt-daily.timer", "apt-daily-upgrade.timer", "dpkg-db-backup.timer",
        "e2scrub_all.timer", "e2scrub_reap.service", "fstrim.timer",
        "systemd-tmpfiles-clean.timer", "systemd-journal-flush.service",
        "systemd-update-utmp.service", "systemd-update-utmp-runlevel.service",
        "systemd-random-seed.service", "systemd-pstore.service",
        "systemd-machine-id-commit.service", "systemd-binfmt.service",
        "proc-sys-fs-binfmt_misc.automount", "sys-kernel-debug.mount",
        "sys-kernel-tracing.mount", "sys-kernel-config.mount", "sys-fs-fuse-connections.mount",
        "dev-hugepages.mount", "dev-mqueue.mount", "systemd-remount-fs.service",
        "systemd-fsck-root.service", "systemd-hwdb-update.service", "ldconfig.service",
        "systemd-firstboot.service", "systemd-sysusers.service", "systemd-journal-catalog-update.service",
        "systemd-update-done.service", "systemd-user-sessions.service", NULL
};

/* Generators systemd runs at every start, each a program to load: none
 * has work to do here (the root is mounted by thatte-init, no fstab entry
 * needs it, no getty, crypt, GPT or SysV script). The debug generator
 * stays: it reads systemd.mask= and systemd.debug_shell for diagnosis. */
static const char *const masked_generators[] = {
        "systemd-cryptsetup-generator", "systemd-fstab-generator", "systemd-getty-generator",
        "systemd-gpt-auto-generator", "systemd-hibernate-resume-generator",
        "systemd-integritysetup-generator", "systemd-rc-local-generator", "systemd-run-generator",
        "systemd-system-update-generator", "systemd-sysv-generator", "systemd-veritysetup-generator",
        NULL
};

/* ... and with a kernel of our own, what loads modules (it has none) and
 * sysctl settings (tinyconfig leaves out most of the keys Debian sets). */
static const char *const masked_own_kernel[] = {
        "kmod-static-nodes.service", "systemd-modules-load.service", "modprobe@.service",
        "systemd-sysctl.service", NULL
};

/* Paths removed from the tree to keep it small; none is needed to boot. */
static const char *const trimmed[] = {
        "usr/share/doc", "usr/share/man", "usr/share/info", "usr/share/locale",
        "usr/share/lintian", "var/lib/apt/lists", "var/cache/apt", "var/cache/debconf/templates.dat-old",
        "var/log/bootstrap.log", NULL
};

/* Module folders for hardware a QEMU guest never has (wireless, physical
 * network cards, media, sound, other vendors' GPUs ...): about half the
 * kernel's modules. depmod runs again afterwards. */
static const char *const pruned_modules[] = {
        "drivers/net/wireless", "drivers/net/ethernet", "drivers/media", "drivers/infiniband",
        "drivers/iio", "drivers/staging", "drivers/bluetooth", "drivers/isdn", "drivers/hwmon",
        "drivers/gpu/drm/amd", "drivers/gpu/drm/nouveau", "drivers/gpu/drm/i915",
        "drivers/gpu/drm/radeon", "sound", "net/wireless", "net/mac80211", "net/bluetooth", NULL
};

/* debootstrap mounts proc and sys inside the tree while it runs; after an
 * interruption they may still be there. Detach anything below ROOT. */
static void unmount_below(const char *root)
{
        char line[4096], mnt[4096];
        size_t len = strlen(root);
        FILE *f = fopen("/proc/self/mounts", "re");

        if (!f)
                return;
        while (fgets(line, sizeof line, f))
                if (sscanf(line, "%*s %4095s", mnt) == 1 && !strncmp(mnt, root, len) &&
                    (mnt[len] == '/' || mnt[len] == '\0'))
                        (void)umount2(mnt, MNT_DETACH);
        fclose(f);
}

static int debootstrap(struct mk_build *b, const char *root)
{
        const struct mk_options *o = b->o;
        /* With the THATTE kernel (or the user's) no kernel package is needed. */
        bool debian = mk_options_kernel_is(o, "debian");
        char *include = mk_path("systemd-sysv,udev,dbus%s%s%s%s", debian ? "," : "",
                                debian ? o->kernel_package : "", o->include && *o->include ? "," : "",
                                o->include ? o->include : "");
        char *cachedir = mk_path("%s/debootstrap", b->cache);
        char *inc = mk_path("--include=%s", include), *cd = mk_path("--cache-dir=%s", cachedir);
        char *argv[] = { "debootstrap", "--variant=minbase", inc, cd, (char *)o->suite,
                         (char *)root, (char *)o->mirror, NULL };
        int r = mk_mkdir_p(cachedir, 0755);

        if (r == 0) {
                mk_build_say(b, "debootstrap %s from %s (this takes minutes)", o->suite, o->mirror);
                r = mk_spawn_run(argv, NULL, o->verbose, NULL);
        }
        unmount_below(root);
        if (r < 0)
                fprintf(stderr, PROGRAM ": debootstrap failed: %s%s\n",
                        r == -EPROTO ? "see its messages above" : r == -EINTR ? "interrupted" : strerror(-r),
                        r == -ENOENT ? " (install the Debian package debootstrap)" : "");
        free(include);
        free(cachedir);
        free(inc);
        free(cd);
        return r;
}

static int put(const char *root, const char *rel, const char *text, mode_t mode)
{
        char *p = mk_path("%s/%s", root, rel);
        int r = mk_write_file(p, text, strlen(text), mode);

        free(p);
        return r;
}

/* Each of NAMES in ROOT/etc/systemd/DIR as a link to /dev/null: systemd's
 * way to mask a unit or a generator. */
static int mask(const char *root, const char *dir, const char *const *names)
{
        char *d = mk_path("%s/etc/systemd/%s", root, dir);
        int r = mk_mkdir_p(d, 0755);

        for (size_t i = 0; r == 0 && names[i]; i++) {
                char *p = mk_path("%s/%s", d, names[i]);
                if (symlink("/dev/null", p) < 0 && errno != EEXIST)
                        r = -errno;
                free(p);
        }
        free(d);
        return r;
}

/* thatte-compositor.service (and thatte-analyze.service), enabled. */
static int install_units(struct mk_build *b, const char *root)
{
        bool debian = mk_options_kernel_is(b->o, "debian");
        char *text = mk_path("%s%s", debian ? unit_udev : unit, unit_service);
        char *wants = mk_path("%s/etc/systemd/system/multi-user.target.wants", root);
        int r = put(root, "etc/systemd/system/thatte-compositor.service", text, 0644);

        if (r == 0)
                r = put(root, "etc/systemd/system/thatte-analyze.service", analyze_unit, 0644);
        if (r == 0)
                r = mk_mkdir_p(wants, 0755);
        for (const char *const *u = (const char *const[]){ "thatte-compositor.service",
                                                            "thatte-analyze.service", NULL };
             r == 0 && *u; u++) {
                char *link = mk_path("%s/%s", wants, *u), *target = mk_path("/etc/systemd/system/%s", *u);
                if (symlink(target, link) < 0 && errno != EEXIST)
                        r = -errno;
                free(link);
                free(target);
        }
        if (r == 0)
                r = mask(root, "system", masked);
        if (r == 0)
                r = mask(root, "system-generators", masked_generators);
        if (r == 0 && !debian)
                r = mask(root, "system", masked_own_kernel);
        free(text);
        free(wants);
        return r;
}

static int configure_tree(struct mk_build *b, const char *root)
{
        char *bin = mk_path("%s/usr/bin/thatte-compositor", root);
        int r = mk_copy_file(b->compositor, bin, 0755);

        if (r == 0)
                r = install_units(b, root);
        if (r == 0)
                r = put(root, "etc/hostname", "driveros\n", 0644);
        if (r == 0)
                /* thatte-init mounted the root read-write already; with a kernel
                 * of our own nothing else is to do, and an fstab line would make
                 * systemd wait for udev to announce /dev/vda. */
                r = put(root, "etc/fstab", mk_options_kernel_is(b->o, "debian") ?
                                           "/dev/vda / ext4 rw,relatime 0 1\n" : "", 0644);
        for (size_t i = 0; r == 0 && trimmed[i]; i++) {
                char *p = mk_path("%s/%s", root, trimmed[i]);
                (void)mk_rmtree(p);
                free(p);
        }
        if (r == 0) {
                char *lists = mk_path("%s/var/lib/apt/lists/partial", root);
                r = mk_mkdir_p(lists, 0755);    /* apt expects it */
                free(lists);
        }
        if (r < 0)
                fprintf(stderr, PROGRAM ": configuring the tree failed: %s\n", strerror(-r));
        free(bin);
        return r;
}

static unsigned long long tree_bytes;

static int add_size(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        tree_bytes += (unsigned long long)st->st_blocks * 512;
        return 0;
}

/* Drops the modules no VM needs and the kernel files in /boot (the VM
 * boots the copies next to rootfs.ext4), then re-runs depmod. */
static int prune_kernel(struct mk_build *b, const char *root)
{
        char *mods = mk_path("%s/lib/modules/%s/kernel", root, b->release);
        int r;

        for (size_t i = 0; pruned_modules[i]; i++) {
                char *p = mk_path("%s/%s", mods, pruned_modules[i]);
                (void)mk_rmtree(p);
                free(p);
        }
        free(mods);
        {
                char *argv[] = { "depmod", "-b", (char *)root, b->release, NULL };
                r = mk_spawn_run(argv, NULL, b->o->verbose, NULL);
        }
        for (const char *const *f = (const char *const[]){ "vmlinuz", "initrd.img", NULL }; *f; f++) {
                char *p = mk_path("%s/boot/%s-%s", root, *f, b->release);
                (void)unlink(p);
                free(p);
        }
        if (r < 0)
                fprintf(stderr, PROGRAM ": depmod over the trimmed tree failed: %s\n", strerror(-r));
        return r;
}

/* What the small initrd needs to reach the root file system; everything
 * else is loaded by udev from the disk. ext4 asks the crypto API for crc32c
 * at mount time (no modules.dep entry, and no modprobe in the initrd), so
 * its generic implementation is named here. */
static const char *const root_modules[] = {
        "virtio_pci", "virtio_blk", "ext4", "crc32c_generic", NULL
};

/* initrd.img: thatte-init and the root's modules (from ROOT, after depmod),
 * instead of Debian's generic 35 MiB initrd, which spends seconds probing
 * for hardware a DriverOS VM does not have. */
static int write_initrd(struct mk_build *b, const char *root)
{
        struct mk_kernel k = { .release = b->release };
        struct mk_initrd_spec spec;
        const char *missing = NULL;
        char **mods = NULL, *out;
        int r = 0;

        k.modroot = mk_path("%s/lib/modules/%s", root, b->release);
        /* A kernel of our own has them built in: no modules, an empty list. */
        if (mk_options_kernel_is(b->o, "debian"))
                r = mk_kernel_modules(&k, root_modules, &mods, &missing);
        if (r == 0) {
                spec = (struct mk_initrd_spec){ .init = b->init, .modroot = k.modroot,
                                                .release = b->release, .modules = mods,
                                                .mtime = b->mtime };
                out = mk_path("%s/initrd.img", b->dir);
                r = mk_initrd_write(&spec, out);
                free(out);
        }
        if (r < 0)
                fprintf(stderr, PROGRAM ": writing the disk's initrd.img failed: %s%s\n",
                        r == -ENOENT && missing ? "no module " : "",
                        r == -ENOENT && missing ? missing : strerror(-r));
        for (size_t i = 0; mods && mods[i]; i++)
                free(mods[i]);
        free(mods);
        free(k.modroot);
        return r;
}

/* The one vmlinuz-* in ROOT/boot, copied out. */
static int copy_kernel(struct mk_build *b, const char *root)
{
        char *boot = mk_path("%s/boot", root), *v = NULL, *dst;
        struct dirent *de;
        DIR *d = opendir(boot);
        int r = d ? -ENOENT : -errno;

        while (d && (de = readdir(d)))
                if (!strncmp(de->d_name, "vmlinuz-", 8) && !b->release)
                        b->release = strdup(de->d_name + 8);
        if (d)
                closedir(d);
        if (b->release) {
                v = mk_path("%s/vmlinuz-%s", boot, b->release);
                dst = mk_path("%s/vmlinuz", b->dir);
                r = mk_copy_file(v, dst, 0644);
                free(dst);
                b->kernel_package = mk_path("%s (from %s)", b->o->kernel_package, b->o->suite);
        }
        if (r < 0)
                fprintf(stderr, PROGRAM ": copying the kernel out of %s failed: %s\n",
                        boot, strerror(-r));
        free(boot);
        free(v);
        return r;
}

static int make_ext4(struct mk_build *b, const char *root)
{
        char *img = mk_path("%s/rootfs.ext4", b->dir), size[32];
        unsigned long long kib;
        int r;

        tree_bytes = 0;
        (void)nftw(root, add_size, 64, FTW_PHYS | FTW_MOUNT);
        /* Room for ext4's metadata and journal, and a little to spare. */
        kib = tree_bytes / 1024 * 5 / 4 + 64 * 1024;
        snprintf(size, sizeof size, "%lluk", kib);
        {
                char *argv[] = { "mke2fs", "-q", "-t", "ext4", "-L", "driveros", "-d", (char *)root,
                                 img, size, NULL };
                mk_build_say(b, "making rootfs.ext4 (%llu MiB of files)", tree_bytes >> 20);
                r = mk_spawn_run(argv, NULL, b->o->verbose, NULL);
        }
        if (r < 0)
                fprintf(stderr, PROGRAM ": mke2fs -d failed: %s\n",
                        r == -EPROTO ? "see its message above" : strerror(-r));
        free(img);
        return r;
}

int mk_disk_build(struct mk_build *b)
{
        bool debian = mk_options_kernel_is(b->o, "debian");
        char *root = mk_path("%s/rootfs", b->dir);
        int r;

        /* The kernel first: a bad fragment stops the build before debootstrap. */
        r = debian ? 0 : mk_build_own_kernel(b);
        if (r == 0 && !mk_interrupted)
                r = debootstrap(b, root);
        if (r == 0 && !mk_interrupted)
                r = configure_tree(b, root);
        if (r == 0 && !mk_interrupted && debian)
                r = copy_kernel(b, root);
        if (r == 0 && !mk_interrupted && debian)
                r = prune_kernel(b, root);
        if (r == 0 && !mk_interrupted)
                r = write_initrd(b, root);
        if (r == 0 && !mk_interrupted)
                r = make_ext4(b, root);
        if (r == 0 && mk_interrupted)
                r = -EINTR;
        unmount_below(root);
        (void)mk_rmtree(root);
        free(root);
        return r;
}
