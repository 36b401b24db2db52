/* mk-kbuild.c: building the THATTE kernel into the cache.
 *
 * CACHE/linux-source-*.tree/src   the unpacked source, once per version
 * CACHE/kernel/KEY/               a finished build (renamed into place)
 * CACHE/kernel/build.tmp/         the build in progress (O=), removed after;
 *                                 one fixed path, because kbuild's tools
 *                                 (objtool) record it and a new path would
 *                                 rebuild every object
 * CACHE/kernel/lock               one build at a time (flock)
 * CACHE/kernel/objects.tree/      the object tree (O=) of the last good
 *                                 build, its source and compiler in TAG
 *
 * KEY is a hash of the source version, the fragments, the compiler and the
 * recipe, so a change of any of them builds anew. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "driveros/mk-apt.h"
#include "driveros/mk-build.h"
#include "driveros/mk-fs.h"
#include "driveros/mk-kbuild.h"
#include "driveros/mk-kconfig.h"
#include "driveros/mk-kprogress.h"
#include "driveros/mk-sha256.h"
#include "driveros/mk-spawn.h"

#define PROGRAM "thatte-driveros-make"
/* Bump when the way the kernel is built changes (not its configuration). */
#define RECIPE "thatte-kbuild 1"
/* Reproducible: the kernel records who built it, where and when. */
#define BUILD_ENV "KBUILD_BUILD_TIMESTAMP=Thu Jan  1 00:00:00 UTC 1970", \
        "KBUILD_BUILD_USER=thatte", "KBUILD_BUILD_HOST=thatte", "KBUILD_BUILD_VERSION=1"

/* Linux's own tinyconfig, which the fragments go on top of. */
static const char *const tiny_configs[] = {
        "kernel/configs/tiny-base.config", "kernel/configs/tiny.config",
        "arch/x86/configs/tiny.config", NULL
};

static double now(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int fail(int r, const char *what)
{
        fprintf(stderr, PROGRAM ": kernel: %s: %s\n", what,
                r == -EPROTO ? "the helper program failed (see its messages above)" :
                r == -EINTR ? "interrupted" : strerror(-r));
        return r;
}

/* The shipped fragment: $THATTE_DRIVEROS_DATA/kernel.config (the source
 * tree's data/driveros, for tests), else the installed one. */
static char *shipped_fragment(void)
{
        const char *dir = getenv("THATTE_DRIVEROS_DATA");

        return mk_path("%s/kernel.config", dir && *dir ? dir : MK_DATADIR);
}

static int read_fragment(struct mk_kconfig *k, const char *path)
{
        char *text = NULL;
        int r = mk_read_file(path, &text);

        if (r < 0) {
                fprintf(stderr, PROGRAM ": reading the kernel fragment %s: %s\n", path, strerror(-r));
                return r;
        }
        r = mk_kconfig_read(k, path, text, stderr);
        free(text);
        return r;
}

/* Linux's tinyconfig fragments from the source tree SRC (not checked:
 * ours override them), then the shipped fragment and the user's. */
static int read_fragments(struct mk_kconfig *k, const char *src, const char *const *fragments)
{
        char *shipped = shipped_fragment();
        int r = 0;

        for (size_t i = 0; r == 0 && src && tiny_configs[i]; i++) {
                char *p = mk_path("%s/%s", src, tiny_configs[i]);
                r = read_fragment(k, p);
                free(p);
        }
        k->n_base = k->n;
        if (r == 0)
                r = read_fragment(k, shipped);
        free(shipped);
        for (size_t i = 0; r == 0 && fragments && fragments[i]; i++)
                r = read_fragment(k, fragments[i]);
        return r;
}

/* `gcc --version`'s first line: the compiler is part of the key. */
static int compiler_id(bool verbose, char **ret)
{
        char *argv[] = { "gcc", "--version", NULL };
        char *out = NULL;
        int r = mk_spawn_run(argv, NULL, verbose, &out);

        if (r < 0) {
                free(out);
                return r == -ENOENT ? fail(r, "gcc (install build-essential)") : fail(r, "gcc --version");
        }
        out[strcspn(out, "\n")] = '\0';
        *ret = out;
        return 0;
}

static char *cache_key(const struct mk_apt_pkg *src, const char *cc, const char *fragment)
{
        struct mk_sha256 s;
        uint8_t d[MK_SHA256_SIZE];
        char hex[2 * MK_SHA256_SIZE + 1];
        char *head = mk_path("%s\n%s %s %s\n%s\n", RECIPE, src->name, src->version, src->sha256, cc);

        mk_sha256_init(&s);
        mk_sha256_update(&s, head, strlen(head));
        mk_sha256_update(&s, fragment, strlen(fragment));
        mk_sha256_final(&s, d);
        mk_sha256_hex(d, hex);
        free(head);
        return strndup(hex, 16);
}

/* Unpacks the tarball inside the fresh .deb tree into TREE/src, then drops
 * the tarball (runs before mk_apt_unpack renames the tree into place). */
static int unpack_tarball(const char *tree, void *userdata)
{
        bool verbose = *(bool *)userdata;
        char *tar = mk_path("%s/usr/src/%s.tar.xz", tree, MK_KBUILD_SOURCE_PACKAGE);
        char *src = mk_path("%s/src", tree);
        int r = mkdir(src, 0755) < 0 ? -errno : 0;

        if (r == 0) {
                char *argv[] = { "tar", "-xf", tar, "-C", src, "--strip-components=1", NULL };
                r = mk_spawn_run(argv, NULL, verbose, NULL);
        }
        if (r == 0 && unlink(tar) < 0)
                r = -errno;
        free(tar);
        free(src);
        return r;
}

/* The source tree of package SRC, unpacked in the cache once. */
static int get_source(const struct mk_build *b, const struct mk_apt_pkg *src, char **ret)
{
        bool verbose = b->o->verbose, reused = false;
        char *deb = NULL, *tree = NULL;
        double t = now();
        int r;

        r = mk_apt_fetch(b->cache, src, verbose, &deb, &reused);
        if (r < 0)
                return fail(r, "downloading " MK_KBUILD_SOURCE_PACKAGE);
        if (!reused)
                mk_build_say(b, "kernel: downloaded %s %s in %.0f s", src->name, src->version, now() - t);
        t = now();
        r = mk_apt_unpack(b->cache, deb, verbose, unpack_tarball, &verbose, &tree);
        free(deb);
        if (r < 0)
                return fail(r, "unpacking " MK_KBUILD_SOURCE_PACKAGE);
        if (now() - t > 1)
                mk_build_say(b, "kernel: unpacked %s in %.0f s", src->name, now() - t);
        *ret = mk_path("%s/src", tree);
        free(tree);
        return 0;
}

int mk_kbuild_source(const struct mk_build *b, char **ret)
{
        struct mk_apt_pkg src = { 0 };
        int r = mk_apt_show(MK_KBUILD_SOURCE_PACKAGE, b->o->verbose, &src);

        if (r < 0)
                fail(r, "looking up " MK_KBUILD_SOURCE_PACKAGE " with apt-cache");
        else
                r = get_source(b, &src, ret);
        mk_apt_pkg_done(&src);
        return r;
}

/* KCONFIG_ALLCONFIG's input: tinyconfig's fragments, then ours. */
static int write_allconfig(const struct mk_kconfig *k, const char *path)
{
        FILE *f = fopen(path, "wxe");
        int r = f ? mk_kconfig_write(k, f) : -errno;

        if (f && fclose(f) != 0 && r == 0)
                r = -errno;
        return r;
}

/* make -C SRC O=OUT ARCH=x86_64 ARGS..., reproducibly, and at a lower
 * priority (nice 10): minutes of compiling must not starve running VMs.
 * With PROGRESS, make says each object (no -s) and PROGRESS counts them. */
static int run_make(const struct mk_build *b, const char *src, const char *out,
                    struct mk_kprogress *progress, const char *a1, const char *a2, const char *a3)
{
        char *c = mk_path("-C%s", src), *o = mk_path("O=%s", out);
        char *jobs = mk_path("-j%ld", sysconf(_SC_NPROCESSORS_ONLN) > 0 ? sysconf(_SC_NPROCESSORS_ONLN) : 1);
        char *argv[] = { "env", BUILD_ENV, "nice", "-n", "10", "make", progress ? "--no-print-directory" : "-s", c, o,
                         "ARCH=x86_64", jobs, (char *)a1, (char *)a2, (char *)a3, NULL };
        int r = progress ? mk_spawn_lines(argv, NULL, mk_kprogress_line, progress) :
                           mk_spawn_run(argv, NULL, b->o->verbose, NULL);

        free(c);
        free(o);
        free(jobs);
        return r;
}

int mk_kbuild_configure(const struct mk_build *b, const char *src, const char *work,
                        const char *const *fragments)
{
        struct mk_kconfig all = { 0 };
        char *path = mk_path("%s/all.config", work), *out = mk_path("%s/o", work);
        char *env = mk_path("KCONFIG_ALLCONFIG=%s", path), *dotconfig = mk_path("%s/.config", out);
        char *config = NULL;
        double t = now();
        int r = read_fragments(&all, src, fragments);

        if (r == 0 && (r = write_allconfig(&all, path)) < 0)
                fail(r, "writing the configuration");
        if (r == 0 && (r = run_make(b, src, out, NULL, env, "allnoconfig", NULL)) < 0)
                fail(r, "configuring (make allnoconfig)");
        if (r == 0 && (r = mk_read_file(dotconfig, &config)) < 0)
                fail(r, "reading the configuration");
        if (r == 0)
                r = mk_kconfig_check(&all, config, stderr);
        if (r == 0)
                mk_build_say(b, "kernel: configured in %.0f s", now() - t);
        mk_kconfig_done(&all);
        free(config);
        free(path);
        free(out);
        free(env);
        free(dotconfig);
        return r;
}

/* Copies the results out of the build tree into WORK/result. */
static int collect(const char *work)
{
        static const char *const files[][2] = {
                { "o/vmlinux", "vmlinux" }, { "o/arch/x86/boot/bzImage", "bzImage" },
                { "o/.config", "config" }, { "o/include/config/kernel.release", "release" },
        };
        char *result = mk_path("%s/result", work);
        int r = mkdir(result, 0755) < 0 ? -errno : 0;

        for (size_t i = 0; r == 0 && i < sizeof files / sizeof files[0]; i++) {
                char *from = mk_path("%s/%s", work, files[i][0]);
                char *to = mk_path("%s/%s", result, files[i][1]);
                r = mk_copy_file(from, to, 0644);
                free(from);
                free(to);
        }
        free(result);
        return r;
}

static int build(const struct mk_build *b, const char *src, const char *work, const char *dir,
                 bool warm)
{
        char *out = mk_path("%s/o", work), *result = mk_path("%s/result", work);
        /* An incremental build's count would mislead the next full one. */
        char *count = warm ? NULL : mk_path("%s/../objects", dir);
        long jobs = sysconf(_SC_NPROCESSORS_ONLN);
        struct mk_kprogress progress;
        double t = now();
        int r;

        mk_build_say(b, "kernel: building vmlinux and bzImage with %ld jobs (minutes)", jobs);
        mk_kprogress_init(&progress, stderr, isatty(STDERR_FILENO), count);
        r = run_make(b, src, out, b->progress ? &progress : NULL, "vmlinux", "bzImage", NULL);
        if (b->progress)
                (void)mk_kprogress_finish(&progress, r == 0 && !mk_interrupted && !warm, count);
        free(count);
        if (r < 0)
                fail(r, "building (make vmlinux bzImage)");
        if (r == 0 && mk_interrupted)
                r = -EINTR;
        if (r == 0 && (r = collect(work)) < 0)
                fail(r, "collecting the build's results");
        if (r == 0 && rename(result, dir) < 0)
                r = fail(-errno, "moving the build into the cache");
        if (r == 0)
                mk_build_say(b, "kernel: built in %.0f s", now() - t);
        free(out);
        free(result);
        return r;
}

/* Fills *k's paths from the finished build folder k->dir. */
static int load(struct mk_kbuild *k)
{
        char *release = NULL, *path = mk_path("%s/release", k->dir);
        uint8_t d[MK_SHA256_SIZE];
        char hex[2 * MK_SHA256_SIZE + 1];
        int r = mk_read_file(path, &release);

        free(path);
        if (r < 0)
                return r;
        release[strcspn(release, "\n")] = '\0';
        k->release = release;
        path = mk_path("%s/config", k->dir);
        r = mk_sha256_file(path, d);
        free(path);
        if (r < 0)
                return r;
        mk_sha256_hex(d, hex);
        k->config_sha256 = strdup(hex);
        k->vmlinux = mk_path("%s/vmlinux", k->dir);
        k->bzimage = mk_path("%s/bzImage", k->dir);
        return access(k->vmlinux, R_OK) == 0 && access(k->bzimage, R_OK) == 0 ? 0 : -ENOENT;
}

/* Holds the cache's kernel lock (one build at a time; a second run waits,
 * then finds the first one's result). Returns the fd or -errno. */
static int lock_cache(const struct mk_build *b, const char *kdir)
{
        char *path = mk_path("%s/lock", kdir);
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644), r = 0;

        free(path);
        if (fd < 0)
                return -errno;
        if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
                mk_build_say(b, "kernel: waiting for another build in this cache");
                if (flock(fd, LOCK_EX) < 0)
                        r = -errno;
        }
        if (r < 0) {
                close(fd);
                return r;
        }
        return fd;
}

/* The tree of the last good build is worth reusing only for the same
 * source and compiler; its TAG file says which. */
static char *tree_tag(const struct mk_apt_pkg *src, const char *cc)
{
        return mk_path("%s\n%s %s %s\n%s\n", RECIPE, src->name, src->version, src->sha256, cc);
}

/* Starts WORK/o as a copy of the last good build's object tree when it
 * is of the same source and compiler, so kbuild recompiles only what the
 * new configuration changes (--driver: minutes instead of a full build).
 * A copy, not the tree itself: an interrupted build must not lose it.
 * Returns whether it did; a failed copy just means a full build. */
static bool warm_start(const struct mk_build *b, const char *kdir, const char *tag, const char *work)
{
        char *tree = mk_path("%s/objects.tree", kdir), *tagfile = mk_path("%s/TAG", tree);
        char *o = mk_path("%s/o", work), *have = NULL;
        bool warm = mk_read_file(tagfile, &have) == 0 && strcmp(have, tag) == 0;

        if (warm) {
                char *from = mk_path("%s/o", tree);
                char *argv[] = { "cp", "-a", "--reflink=auto", from, o, NULL };
                warm = mk_spawn_run(argv, NULL, b->o->verbose, NULL) == 0;
                if (!warm)
                        (void)mk_rmtree(o);
                free(from);
        }
        if (warm)
                mk_build_say(b, "kernel: starting from the last build's objects");
        free(tree);
        free(tagfile);
        free(o);
        free(have);
        return warm;
}

/* Keeps WORK/o of a good build as the tree the next one starts from. */
static void warm_keep(const char *kdir, const char *tag, const char *work)
{
        char *tree = mk_path("%s/objects.tree", kdir), *tagfile = mk_path("%s/TAG", tree);
        char *o = mk_path("%s/o", work), *to = mk_path("%s/o", tree);

        (void)mk_rmtree(tree);
        if (mkdir(tree, 0755) == 0 && mk_write_file(tagfile, tag, strlen(tag), 0644) == 0 &&
            rename(o, to) < 0)
                (void)mk_rmtree(tree);
        free(tree);
        free(tagfile);
        free(o);
        free(to);
}

/* Configures and builds into k->dir, under the lock. */
static int make_kernel(const struct mk_build *b, const struct mk_apt_pkg *src, const char *cc,
                       const char *kdir, const char *const *fragments, struct mk_kbuild *k)
{
        char *tree = NULL, *work = mk_path("%s/build.tmp", kdir);
        char *tag = tree_tag(src, cc);
        bool warm = false;
        int r;

        (void)mk_rmtree(work);          /* left by a run that was killed */
        r = get_source(b, src, &tree);
        if (r == 0 && mkdir(work, 0755) < 0)
                r = fail(-errno, "creating the build folder");
        if (r == 0)
                warm = warm_start(b, kdir, tag, work);
        if (r == 0)
                r = mk_kbuild_configure(b, tree, work, fragments);
        if (r == 0 && !mk_interrupted)
                r = build(b, tree, work, k->dir, warm);
        if (r == 0 && mk_interrupted)
                r = -EINTR;
        if (r == 0)
                warm_keep(kdir, tag, work);
        (void)mk_rmtree(work);
        free(work);
        free(tag);
        free(tree);
        return r;
}

static int fragment_text(const struct mk_kconfig *cfg, char **ret)
{
        size_t len = 0;
        FILE *f = open_memstream(ret, &len);
        int r = f ? mk_kconfig_write(cfg, f) : -ENOMEM;

        if (f && fclose(f) != 0 && r == 0)
                r = -ENOMEM;
        return r;
}

int mk_kbuild_get(const struct mk_build *b, const char *const *fragments, struct mk_kbuild *ret)
{
        struct mk_kbuild k = { 0 };
        struct mk_kconfig cfg = { 0 };
        struct mk_apt_pkg src = { 0 };
        char *cc = NULL, *text = NULL, *kdir = mk_path("%s/kernel", b->cache);
        int r, lock = -1;

        r = read_fragments(&cfg, NULL, fragments);
        if (r == 0 && (r = mk_apt_show(MK_KBUILD_SOURCE_PACKAGE, b->o->verbose, &src)) < 0)
                fail(r, "looking up " MK_KBUILD_SOURCE_PACKAGE " with apt-cache");
        if (r == 0)
                r = compiler_id(b->o->verbose, &cc);
        if (r == 0 && (r = fragment_text(&cfg, &text)) == 0) {
                k.key = cache_key(&src, cc, text);
                k.dir = mk_path("%s/%s", kdir, k.key);
                k.source = mk_path("%s %s", src.name, src.version);
                r = mk_mkdir_p(kdir, 0755);
        }
        if (r == 0 && access(k.dir, F_OK) < 0) {
                mk_build_say(b, "kernel: %s is not in the cache yet", k.dir);
                lock = lock_cache(b, kdir);
                r = lock < 0 ? fail(lock, "locking the cache") : 0;
        }
        k.reused = r == 0 && access(k.dir, F_OK) == 0;
        if (r == 0 && !k.reused)
                r = make_kernel(b, &src, cc, kdir, fragments, &k);
        if (r == 0 && (r = load(&k)) < 0)
                fail(r, "reading the build in the cache");
        if (lock >= 0)
                close(lock);
        mk_kconfig_done(&cfg);
        mk_apt_pkg_done(&src);
        free(cc);
        free(text);
        free(kdir);
        if (r < 0) {
                mk_kbuild_done(&k);
                return r;
        }
        *ret = k;
        return 0;
}

void mk_kbuild_done(struct mk_kbuild *k)
{
        if (!k)
                return;
        free(k->source);
        free(k->key);
        free(k->dir);
        free(k->vmlinux);
        free(k->bzimage);
        free(k->release);
        free(k->config_sha256);
        *k = (struct mk_kbuild){ 0 };
}
