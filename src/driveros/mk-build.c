/* mk-build.c: thatte-driveros-make's steps, shared by both modes: find the
 * programs to pack, make the kernel and initrd (initramfs mode here, disk
 * mode in mk-disk.c), then the UKI, the profile and the MANIFEST. */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driveros/mk-build.h"
#include "driveros/mk-disk.h"
#include "driveros/mk-elf.h"
#include "driveros/mk-fs.h"
#include "driveros/mk-initrd.h"
#include "driveros/mk-manifest.h"
#include "driveros/mk-profile.h"
#include "driveros/mk-drivers.h"
#include "driveros/mk-iso.h"
#include "driveros/mk-menuconfig.h"
#include "driveros/mk-uki.h"
#include "driveros/mk-mkboot.h"

#define PROGRAM "thatte-driveros-make"

/* What DriverOS drives: virtio PCI transport, disk, network and input, the
 * two display adapters thatte-vmm offers (virtio-gpu, std = bochs), the
 * ACPI power button and evdev to read it, psmouse for the PS/2 mouse
 * behind the i8042 thatte-mk hands over (i8042 and atkbd are built in), 9p
 * over virtio for thatte-vmm's shared folders (9pnet and netfs come as
 * dependencies), virtio-serial
 * for thatte-vmm's guest agent (docs/guest-agent.md). DRM helpers come
 * as dependencies. */
static const char *const default_modules[] = {
        "virtio_pci", "virtio_blk", "virtio_net", "virtio_input",
        "virtio_gpu", "bochs", "button", "evdev", "9p", "9pnet_virtio", "virtio_console",
        "psmouse", NULL
};
/* arm64 (QEMU virt, no ACPI with a device tree): the power button is the
 * PL061 GPIO line behind gpio-keys instead. */
static const char *const default_modules_arm64[] = {
        "virtio_pci", "virtio_blk", "virtio_net", "virtio_input",
        "virtio_gpu", "bochs", "gpio_keys", "evdev", "9p", "9pnet_virtio", "virtio_console", NULL
};

static int fail(int r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(int r, const char *fmt, ...)
{
        va_list ap;

        fputs(PROGRAM ": ", stderr);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fprintf(stderr, ": %s\n", r == -EPROTO ? "the helper program failed" :
                                   r == -EINTR ? "interrupted" : strerror(-r));
        return r;
}

void mk_build_say(const struct mk_build *b, const char *fmt, ...)
{
        va_list ap;

        if (!b->progress)
                return;
        fputs(PROGRAM ": ", stderr);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
}

/* EXPLICIT, else NAME next to this program (the build tree, or /usr/bin for
 * the compositor) or in its SUBDIR (the build tree's cross-built ones),
 * else INSTALLED. */
static char *find_program(const char *explicit, const char *subdir, const char *name, const char *installed)
{
        char self[4096], *slash, *p;
        ssize_t n;

        if (explicit)
                return strdup(explicit);
        n = readlink("/proc/self/exe", self, sizeof self - 1);
        if (n > 0) {
                self[n] = '\0';
                slash = strrchr(self, '/');
                if (slash) {
                        p = mk_path("%.*s/%s%s%s", (int)(slash - self), self, subdir ? subdir : "",
                                    subdir ? "/" : "", name);
                        if (access(p, X_OK) == 0)
                                return p;
                        free(p);
                }
        }
        return strdup(installed);
}

/* The guest's program: static, for the guest's architecture. */
static int check_guest_program(const char *path, const char *what, const char *arch)
{
        int want = !strcmp(arch, "arm64") ? EM_AARCH64 : EM_X86_64, r = mk_elf_machine(path);

        if (r >= 0 && r != want) {
                fprintf(stderr, PROGRAM ": %s %s is not an %s program (ELF machine %d, not %d)\n",
                        what, path, arch, r, want);
                return -ENOEXEC;
        }
        r = mk_elf_is_static(path);

        if (r == 0) {
                fprintf(stderr, PROGRAM ": %s %s is dynamically linked; the initramfs has no "
                                "libraries, so it must be static\n", what, path);
                return -ENOEXEC;
        }
        if (r < 0)
                return fail(r, "%s %s", what, path);
        return 0;
}

/* A guest program: this machine's (NATIVE), or for a foreign --arch the
 * cross-built one in ARCH/ of the build tree or of MK_GUEST_DIR. */
static char *find_guest_program(const struct mk_options *o, const char *explicit, const char *name,
                                const char *native)
{
        char *installed, *p;

        if (!mk_options_foreign(o))
                return find_program(explicit, NULL, name, native);
        installed = mk_path("%s/%s/%s", MK_GUEST_DIR, o->arch, name);
        p = find_program(explicit, o->arch, name, installed);
        free(installed);
        return p;
}

static uint32_t source_date_epoch(void)
{
        const char *s = getenv("SOURCE_DATE_EPOCH");
        char *end;
        unsigned long long v;

        if (!s || !*s)
                return 0;
        errno = 0;
        v = strtoull(s, &end, 10);
        if (errno || *end || v > UINT32_MAX) {
                fprintf(stderr, PROGRAM ": ignoring SOURCE_DATE_EPOCH=%s (not seconds)\n", s);
                return 0;
        }
        return (uint32_t)v;
}

/* --include in initramfs mode: only busybox-static makes sense there. */
static int initramfs_includes(struct mk_build *b)
{
        struct mk_apt_pkg p = { 0 };
        char *deb = NULL, *tree = NULL, name[64];
        int r;

        if (!b->o->include || !*b->o->include)
                return 0;
        if (strcmp(b->o->include, "busybox-static")) {
                fprintf(stderr, PROGRAM ": --include=%s: initramfs mode can include only "
                                "busybox-static (use --mode disk for packages)\n", b->o->include);
                return -EINVAL;
        }
        mk_build_say(b, "fetching busybox-static");
        snprintf(name, sizeof name, "busybox-static%s%s", mk_options_foreign(b->o) ? ":" : "",
                 mk_options_foreign(b->o) ? b->o->arch : "");
        r = mk_apt_show(name, b->o->verbose, &p);
        if (r == 0)
                r = mk_apt_fetch(b->cache, &p, b->o->verbose, &deb, NULL);
        if (r == 0)
                r = mk_apt_unpack(b->cache, deb, b->o->verbose, NULL, NULL, &tree);
        if (r == 0)
                b->busybox = mk_path("%s/bin/busybox", tree);
        if (r < 0)
                fail(r, "getting busybox-static");
        mk_apt_pkg_done(&p);
        free(deb);
        free(tree);
        return r;
}

/* The default set, or the comma-separated --modules list (split in a copy,
 * since the options stay const), then every --module. */
static int resolve_modules(struct mk_build *b)
{
        const char *names[2 * MK_MAX_MODULES + 2];
        const char *missing = NULL;
        char *set = NULL, *save = NULL;
        size_t n = 0;
        int r;

        if (b->o->module_set) {
                set = strdup(b->o->module_set);
                if (!set)
                        return fail(-ENOMEM, "--modules");
                for (char *w = strtok_r(set, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
                        if (n == MK_MAX_MODULES) {
                                fprintf(stderr, PROGRAM ": --modules: more than %d names\n", MK_MAX_MODULES);
                                free(set);
                                return -EINVAL;
                        }
                        names[n++] = w;
                }
        } else {
                const char *const *defaults = !strcmp(b->o->arch, "arm64") ? default_modules_arm64 :
                                              default_modules;

                for (size_t i = 0; defaults[i]; i++)
                        names[n++] = defaults[i];
        }
        for (size_t i = 0; b->o->modules[i]; i++)
                names[n++] = b->o->modules[i];
        names[n] = NULL;
        r = mk_kernel_modules(&b->kernel, names, &b->modules, &missing);
        if (r == -ENOENT && missing)
                fprintf(stderr, PROGRAM ": kernel %s has no module %s\n", b->kernel.release, missing);
        else if (r < 0)
                fail(r, "resolving modules in %s/modules.dep", b->kernel.modroot);
        free(set);
        return r < 0 ? r : 0;
}

/* --add: each SRC must be a readable regular file now, not only when the
 * archive is written, so the message names the option. */
static int check_adds(const struct mk_build *b)
{
        struct stat st;

        for (size_t i = 0; b->o->add_src[i]; i++) {
                if (stat(b->o->add_src[i], &st) < 0)
                        return fail(-errno, "--add %s", b->o->add_src[i]);
                if (!S_ISREG(st.st_mode))
                        return fail(-EINVAL, "--add %s: not a regular file", b->o->add_src[i]);
        }
        return 0;
}

/* Copies the kernel IMAGE into the image folder as vmlinuz. */
static int copy_vmlinuz(const struct mk_build *b, const char *image)
{
        char *out = mk_path("%s/vmlinuz", b->dir);
        int r = mk_copy_file(image, out, 0644);

        free(out);
        return r < 0 ? fail(r, "copying %s", image) : 0;
}

/* Debian's kernel package: its vmlinuz, and the modules DriverOS needs. */
static int debian_kernel(struct mk_build *b)
{
        int r;

        mk_build_say(b, "getting %s (apt cache: %s)", b->o->kernel_package, b->cache);
        r = mk_kernel_get(b->cache, b->o->kernel_package, b->o->verbose, &b->kernel);
        if (r < 0)
                return fail(r, "getting the kernel package %s", b->o->kernel_package);
        mk_build_say(b, "kernel %s (%s)", b->kernel.release,
                     b->kernel.reused ? "cached" : "downloaded");
        b->release = strdup(b->kernel.release);
        b->kernel_package = mk_path("%s %s", b->kernel.pkg.name, b->kernel.pkg.version);
        r = resolve_modules(b);
        return r < 0 ? r : copy_vmlinuz(b, b->kernel.vmlinuz);
}

/* The THATTE kernel from the shipped fragment, the --kernel-config ones,
 * the one --driver writes (removed again: the MANIFEST says what it held)
 * and the one --menuconfig kept, if there is one. */
static int thatte_kernel(struct mk_build *b)
{
        const char *fragments[MK_MAX_FRAGMENTS + 3] = { 0 };
        char *drivers = NULL, *user = mk_menuconfig_fragment();
        size_t n = 0;
        int r = 0;

        for (; b->o->kernel_configs[n]; n++)
                fragments[n] = b->o->kernel_configs[n];
        if (b->o->drivers[0] && (r = mk_drivers_fragment(b, &drivers)) == 0)
                fragments[n++] = drivers;
        if (r == 0 && b->o->menuconfig)
                r = mk_menuconfig(b, fragments);
        b->user_fragment = access(user, R_OK) == 0;
        if (b->user_fragment)
                fragments[n] = user;
        if (r == 0)
                r = mk_kbuild_get(b, fragments, &b->kbuild);
        free(user);
        if (drivers)
                (void)unlink(drivers);
        free(drivers);
        return r;
}

int mk_build_own_kernel(struct mk_build *b)
{
        int r;

        if (!mk_options_kernel_is(b->o, "thatte")) {
                /* A kernel the user built: whatever it is, it has no modules here. */
                unsigned long stub_size;

                if (access(b->o->kernel, R_OK) < 0)
                        return fail(-errno, "--kernel=%s", b->o->kernel);
                /* systemd-stub starts the kernel through its own EFI stub. */
                if (b->o->uki && mk_pe_image_size(b->o->kernel, &stub_size) < 0)
                        return fail(-ENOEXEC, "--kernel=%s with --uki: not a bzImage with the EFI stub "
                                    "(CONFIG_EFI_STUB)", b->o->kernel);
                b->release = strdup("unknown (--kernel=FILE)");
                b->kernel_package = strdup("a kernel image given with --kernel");
                return copy_vmlinuz(b, b->o->kernel);
        }
        r = thatte_kernel(b);
        if (r < 0)
                return r;
        mk_build_say(b, "kernel: THATTE %s (%s %s)", b->kbuild.release, b->kbuild.key,
                     b->kbuild.reused ? "cached" : "built");
        b->release = strdup(b->kbuild.release);
        b->kernel_package = strdup(b->kbuild.source);
        /* PVH: QEMU enters the uncompressed ELF directly, no decompression. */
        return copy_vmlinuz(b, b->kbuild.vmlinux);
}

static int build_initramfs(struct mk_build *b)
{
        struct mk_initrd_spec spec;
        char *out;
        int r;

        /* A kernel of our own has everything built in: b->modules stays
         * NULL, an empty module list. */
        r = mk_options_kernel_is(b->o, "debian") ? debian_kernel(b) : mk_build_own_kernel(b);
        if (r == 0)
                r = check_adds(b);
        if (r == 0)
                r = initramfs_includes(b);
        if (r < 0)
                return r;
        spec = (struct mk_initrd_spec){ .init = b->init, .compositor = b->compositor,
                                        .busybox = b->busybox, .modroot = b->kernel.modroot,
                                        .release = b->release, .modules = b->modules,
                                        .add_src = b->o->add_src, .add_dest = b->o->add_dest,
                                        .mtime = b->mtime };
        out = mk_path("%s/initrd.img", b->dir);
        r = mk_initrd_write(&spec, out);
        free(out);
        if (r == -EEXIST)
                return fail(r, "writing initrd.img: an --add DEST is already in the image");
        return r < 0 ? fail(r, "writing initrd.img") : 0;
}

static int write_profile(struct mk_build *b)
{
        struct mk_profile_spec spec = { .disk = b->o->disk, .uki = b->o->uki, .append = b->o->append,
                                        .name = b->o->name, .aarch64 = !strcmp(b->o->arch, "arm64") };
        char *path = mk_path("%s/driveros.toml", b->dir);
        FILE *f = fopen(path, "wxe");
        int r = f ? mk_profile_write(f, &spec) : -errno;

        if (f && fclose(f) != 0 && r == 0)
                r = -errno;
        free(path);
        if (r == -EINVAL)
                fprintf(stderr, PROGRAM ": --append must not hold quotes, backslashes or "
                                "control characters\n");
        else if (r < 0)
                fail(r, "writing driveros.toml");
        return r;
}

/* LIST (NULL-terminated) comma-separated, each entry from its last '/'
 * on when BASE, or NULL. The MANIFEST records --add destinations, and the
 * --kernel-config files by name only: paths of the build machine would
 * make it differ between machines. */
static char *joined(const char *const *list, bool base)
{
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);

        if (!f)
                return NULL;
        for (size_t i = 0; list[i]; i++) {
                const char *slash = base ? strrchr(list[i], '/') : NULL;
                fprintf(f, "%s%s", i ? "," : "", slash ? slash + 1 : list[i]);
        }
        if (fclose(f) != 0) {
                free(text);
                return NULL;
        }
        return text;
}

static int write_manifest(struct mk_build *b)
{
        const char *files[12];
        size_t n = 0;
        char *path = mk_path("%s/MANIFEST", b->dir), *version = mk_path("thatte-driveros-make %s", PACKAGE_VERSION);
        char *epoch = mk_path("%u", b->mtime), *added = joined(b->o->add_dest, false);
        char *fragments = joined(b->o->kernel_configs, true);
        const struct mk_manifest_field fields[] = {
                { "generator", version },
                { "mode", b->o->disk ? "disk" : "initramfs" },
                { "arch", b->o->arch },
                { "suite", b->o->disk ? b->o->suite : "the host's apt sources" },
                { "kernel", b->release ? b->release : "unknown" },
                { "kernel-package", b->kernel_package ? b->kernel_package : "unknown" },
                { "kernel-image", mk_options_kernel_is(b->o, "thatte") ?
                                  "vmlinux (THATTE kernel, uncompressed ELF with a PVH entry)" :
                                  !mk_options_kernel_is(b->o, "debian") ? "given" :
                                  !strcmp(b->o->arch, "arm64") ? "Image (Debian)" : "bzImage (Debian)" },
                { "kernel-config", b->kbuild.config_sha256 ? b->kbuild.config_sha256 : "" },
                { "kernel-build", b->kbuild.key ? b->kbuild.key : "" },
                { "kernel-fragments", fragments ? fragments : "" },
                { "drivers", b->drivers ? b->drivers : "" },
                { "kernel-user-fragment", b->user_fragment ? "yes (kept by --menuconfig)" : "no" },
                { "uki", b->o->uki ? "yes" : "no" },
                { "include", b->o->include ? b->o->include : "" },
                { "append", b->o->append ? b->o->append : "" },
                { "modules", !mk_options_kernel_is(b->o, "debian") ? "none (built in)" :
                             b->o->module_set ? b->o->module_set : "default" },
                { "added", added ? added : "" },
                { "source-date-epoch", epoch },
        };
        FILE *f;
        int r;

        files[n++] = "vmlinuz";
        files[n++] = "initrd.img";
        files[n++] = "driveros.toml";
        if (b->o->disk)
                files[n++] = "rootfs.ext4";
        if (b->o->uki) {
                files[n++] = "driveros.efi";
                files[n++] = "esp.img";
        }
        if (b->o->iso)
                files[n++] = "driveros.iso";
        if (b->mkboot_done) {
                files[n++] = MK_MKBOOT_EFI;
                files[n++] = MK_MKBOOT_ESP;
                files[n++] = MK_MKBOOT_BUNDLE;
        }
        files[n] = NULL;
        f = fopen(path, "wxe");
        r = f ? mk_manifest_write(f, fields, sizeof fields / sizeof fields[0], b->dir, files) : -errno;
        if (f && fclose(f) != 0 && r == 0)
                r = -errno;
        free(path);
        free(version);
        free(epoch);
        free(added);
        free(fragments);
        return r < 0 ? fail(r, "writing MANIFEST") : 0;
}

int mk_build_run(struct mk_build *b, const struct mk_options *o, const char *cache, const char *dir)
{
        int r;

        *b = (struct mk_build){ .o = o, .cache = cache, .dir = dir, .mtime = source_date_epoch(),
                                .progress = o->verbose || isatty(STDERR_FILENO) };
        b->compositor = find_guest_program(o, o->compositor, "thatte-compositor", MK_INSTALLED_COMPOSITOR);
        r = check_guest_program(b->compositor, "the compositor", o->arch);
        if (r == 0) {
                /* Disk mode's small initrd runs it too (thatte.root=). */
                b->init = find_guest_program(o, o->init, "thatte-init", MK_INSTALLED_INIT);
                r = check_guest_program(b->init, "thatte-init", o->arch);
        }
        if (r == 0)
                r = o->disk ? mk_disk_build(b) : build_initramfs(b);
        if (r == 0 && o->uki)
                r = mk_uki_build(b);
        if (r == 0 && o->iso)
                r = mk_iso_build(b);
        if (r == 0 && o->system)
                r = mk_mkboot_build(b);
        if (r == 0)
                r = write_profile(b);
        if (r == 0)
                r = write_manifest(b);
        return r;
}

void mk_build_report(const struct mk_build *b, const char *output)
{
        struct stat st;
        char *initrd = mk_path("%s/initrd.img", output);

        if (b->progress && stat(initrd, &st) == 0)
                fprintf(stderr, PROGRAM ": wrote %s (kernel %s, initrd.img %.1f MiB)\n", output,
                        b->release ? b->release : "?", (double)st.st_size / (1024.0 * 1024.0));
        free(initrd);
}

void mk_build_done(struct mk_build *b)
{
        if (!b)
                return;
        free(b->init);
        free(b->compositor);
        free(b->busybox);
        mk_kernel_done(&b->kernel);
        mk_kbuild_done(&b->kbuild);
        free(b->release);
        free(b->kernel_package);
        free(b->drivers);
        for (size_t i = 0; b->modules && b->modules[i]; i++)
                free(b->modules[i]);
        free(b->modules);
        *b = (struct mk_build){ 0 };
}
