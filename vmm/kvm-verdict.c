/* vmm/kvm-verdict.c: does KVM run guests on this host? /dev/kvm opening is
 * not enough: some hosts (nested set-ups, some containers) open it, then
 * stop an OVMF guest on a KVM internal error at once or leave a
 * direct-kernel guest hanging without a word. So accel = "auto" asks a
 * probe boot (kvm-probe.c) once and keeps the answer in the cache folder,
 * keyed by host name, kernel and the QEMU binary: a new kernel or QEMU
 * probes again, and `doctor --refresh` does on demand. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "arch.h"
#include "atomic-file.h"
#include "kvm-probe.h"
#include "kvm-verdict.h"
#include "paths.h"
#include "thatte-dirs.h"

#define CACHE_MAGIC "thatte-vmm kvm-probe 1"
#define PROBE_TIMEOUT_MS 10000

/* "host=N kernel=R V qemu=PATH size=S mtime=T", or -errno. */
static int probe_key(const char *qemu, char *buf, size_t size)
{
        struct utsname u;
        struct stat st;

        if (uname(&u) < 0 || stat(qemu, &st) < 0)
                return -errno;
        snprintf(buf, size, "host=%s kernel=%s %s qemu=%s size=%lld mtime=%lld", u.nodename, u.release,
                 u.version, qemu, (long long)st.st_size, (long long)st.st_mtime);
        for (char *c = buf; *c; c++)
                if (*c == '\n')
                        *c = ' ';
        return 0;
}

/* Copies the value of "name=..." from text into buf; 0 when absent. */
static int field(const char *text, const char *name, char *buf, size_t size)
{
        size_t n = strlen(name);

        for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
                if (strncmp(l, name, n) == 0 && l[n] == '=') {
                        snprintf(buf, size, "%.*s", (int)strcspn(l + n + 1, "\n"), l + n + 1);
                        return 1;
                }
        return 0;
}

static int read_cache(const char *path, const char *key, vmm_kvm_verdict *v)
{
        char text[2048], got[1024], runs[8], when[32];
        ssize_t n;
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        struct stat st;

        if (fd < 0)
                return 0;
        /* $XDG_CACHE_HOME may be a folder others write: only our own
         * answer, which no one else could have changed, is believed. */
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 022)) {
                close(fd);
                return 0;
        }
        n = read(fd, text, sizeof(text) - 1);
        close(fd);
        if (n <= 0)
                return 0;
        text[n] = 0;
        if (strncmp(text, CACHE_MAGIC "\n", strlen(CACHE_MAGIC) + 1) != 0 ||
            !field(text, "key", got, sizeof(got)) || strcmp(got, key) != 0 ||
            !field(text, "runs", runs, sizeof(runs)) || !field(text, "when", when, sizeof(when)))
                return 0;
        v->runs = strcmp(runs, "yes") == 0;
        v->when = atoll(when);
        if (!field(text, "why", v->why, sizeof(v->why)))
                *v->why = 0;
        v->cached = true;
        return 1;
}

/* Best effort: without a cache the next start simply probes again. */
static void write_cache(const char *path, const char *key, const vmm_kvm_verdict *v)
{
        struct thatte_atomic_file *f = NULL;
        char dir[4096];

        snprintf(dir, sizeof(dir), "%.*s", (int)(strrchr(path, '/') - path), path);
        if (thatte_mkdir_private(dir) < 0 || thatte_atomic_file_open(path, 0600, &f) < 0)
                return;
        if (dprintf(f->fd, CACHE_MAGIC "\nkey=%s\nruns=%s\nwhen=%lld\nwhy=%s\n", key, v->runs ? "yes" : "no",
                    (long long)v->when, v->why) > 0)
                (void)thatte_atomic_file_commit(f);
        thatte_atomic_file_free(f);
}

static int probe(const char *qemu, vmm_kvm_verdict *v)
{
        const char *code = vmm_arch_fw_code(VMM_ARCH_X86_64), *vars = vmm_arch_fw_vars(VMM_ARCH_X86_64);
        int r;

        if (access(code, R_OK) == 0 && access(vars, R_OK) == 0)
                r = vmm_kvm_probe(qemu, code, vars, PROBE_TIMEOUT_MS, v->why, sizeof(v->why));
        else
                r = vmm_kvm_probe_bios(qemu, PROBE_TIMEOUT_MS, v->why, sizeof(v->why));
        if (r < 0)
                return r;
        v->runs = r == 1;
        v->when = (long long)time(NULL);
        v->cached = false;
        return 0;
}

int vmm_kvm_verdict_get(const char *qemu, bool refresh, vmm_kvm_verdict *ret)
{
        char key[1024], path[4096];
        vmm_kvm_verdict v = { .runs = false };
        int r = probe_key(qemu, key, sizeof(key));

        if (r < 0)
                return r;
        if (vmm_cache_file("kvm-probe", path, sizeof(path)) < 0)
                *path = 0;
        if (!refresh && *path && read_cache(path, key, &v)) {
                *ret = v;
                return 0;
        }
        r = probe(qemu, &v);
        if (r < 0)
                return r;
        if (*path)
                write_cache(path, key, &v);
        *ret = v;
        return 0;
}

int vmm_kvm_verdict_cached(const char *qemu, vmm_kvm_verdict *ret)
{
        char key[1024], path[4096];
        vmm_kvm_verdict v = { .runs = false };

        if (probe_key(qemu, key, sizeof(key)) < 0 || vmm_cache_file("kvm-probe", path, sizeof(path)) < 0 ||
            !read_cache(path, key, &v))
                return 0;
        *ret = v;
        return 1;
}
