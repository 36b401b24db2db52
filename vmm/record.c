/* vmm/record.c: RUNDIR/profile and state file headers (see record.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic-file.h"
#include "record.h"

#define LAUNCH_FILE "profile"
/* Header lines rewritten in place: fixed width. */
#define DISK_FMT "disk %u %020lld %020lld\n"
#define STREAM_FMT "stream %020llu %016" PRIx64 "\n"
#define DISK_LEN (5 + 1 + 1 + 20 + 1 + 20 + 1)
#define STREAM_LEN (7 + 20 + 1 + 16 + 1)
/* A header is small: the profile (at most 1 MiB) and a few lines. */
#define HEADER_MAX (THATTE_TOML_MAX_SIZE + 3 * 4096 + 4096)

int vmm_write_all(int fd, const char *buf, size_t n)
{
        while (n > 0) {
                ssize_t w = write(fd, buf, n);

                if (w < 0 && errno == EINTR)
                        continue;
                if (w <= 0)
                        return w < 0 ? -errno : -EIO;
                buf += w;
                n -= (size_t)w;
        }
        return 0;
}

/* The launch part: accel, file, dir, profile and its text. */
static int write_launch_part(int fd, vmm_accel accel, const char *file, const char *dir,
                             const char *text, size_t len)
{
        char head[8400];
        int n, r;

        if (strchr(file, '\n') || strchr(dir, '\n'))
                return -EINVAL;
        n = snprintf(head, sizeof(head), "accel %s\nfile %s\ndir %s\nprofile %zu\n",
                     accel == VMM_ACCEL_KVM ? "kvm" : "tcg", file, dir, len);
        if (n < 0 || (size_t)n >= sizeof(head))
                return -ENAMETOOLONG;
        r = vmm_write_all(fd, head, (size_t)n);
        return r < 0 ? r : vmm_write_all(fd, text, len);
}

int vmm_record_write_launch(const char *rundir, const vmm_profile *p, vmm_accel accel)
{
        struct thatte_atomic_file *f = NULL;
        char path[4200];
        int r;

        snprintf(path, sizeof(path), "%s/" LAUNCH_FILE, rundir);
        r = thatte_atomic_file_open(path, 0600, &f);
        if (r < 0)
                return r;
        r = write_launch_part(f->fd, accel, p->file, p->dir, p->source, p->source_len);
        if (r == 0)
                r = thatte_atomic_file_commit(f);
        thatte_atomic_file_free(f);
        return r;
}

/* A cursor over a header being parsed. */
typedef struct cursor {
        const char *p, *end;
} cursor;

/* The next line starting with "key ": its value (NUL-terminated copy). */
static int take_line(cursor *c, const char *key, char *val, size_t size)
{
        size_t klen = strlen(key), n;
        const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));

        if (!nl || (size_t)(nl - c->p) <= klen || memcmp(c->p, key, klen) || c->p[klen] != ' ')
                return -EBADMSG;
        n = (size_t)(nl - c->p) - klen - 1;
        if (n >= size || memchr(c->p + klen + 1, 0, n))
                return -EBADMSG;
        memcpy(val, c->p + klen + 1, n);
        val[n] = 0;
        c->p = nl + 1;
        return 0;
}

static int parse_ull(const char *s, int base, unsigned long long *ret)
{
        char *end;

        if (!*s || *s == '-' || *s == ' ')
                return -EBADMSG;
        errno = 0;
        *ret = strtoull(s, &end, base);
        return errno || *end ? -EBADMSG : 0;
}

static int parse_launch_part(cursor *c, vmm_record *r)
{
        unsigned long long len = 0;
        char v[16];
        int e;

        e = take_line(c, "accel", v, sizeof(v));
        if (e == 0 && strcmp(v, "kvm") && strcmp(v, "tcg"))
                e = -EBADMSG;
        r->accel = v[0] == 'k' ? VMM_ACCEL_KVM : VMM_ACCEL_TCG;
        e = e ?: take_line(c, "file", r->file, sizeof(r->file));
        e = e ?: take_line(c, "dir", r->dir, sizeof(r->dir));
        e = e ?: take_line(c, "profile", v, sizeof(v));
        e = e ?: parse_ull(v, 10, &len);
        if (e < 0)
                return e;
        if (len > THATTE_TOML_MAX_SIZE || len > (unsigned long long)(c->end - c->p) || r->dir[0] != '/')
                return -EBADMSG;
        r->profile = malloc(len + 1);
        if (!r->profile)
                return -ENOMEM;
        memcpy(r->profile, c->p, len);
        r->profile[len] = 0;
        r->profile_len = len;
        c->p += len;
        return 0;
}

/* Reads up to HEADER_MAX bytes from the start of fd into a new buffer. */
static int read_head(int fd, char **ret, size_t *ret_len)
{
        char *buf = malloc(HEADER_MAX);
        size_t got = 0;

        if (!buf)
                return -ENOMEM;
        while (got < HEADER_MAX) {
                ssize_t n = pread(fd, buf + got, HEADER_MAX - got, (off_t)got);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0) {
                        int e = errno;

                        free(buf);
                        return -e;
                }
                if (n == 0)
                        break;
                got += (size_t)n;
        }
        *ret = buf;
        *ret_len = got;
        return 0;
}

int vmm_record_read_launch(const char *rundir, vmm_record *ret)
{
        vmm_record r = { 0 };
        char path[4200], *buf;
        size_t len;
        cursor c;
        int fd, e;

        snprintf(path, sizeof(path), "%s/" LAUNCH_FILE, rundir);
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return -errno;
        e = read_head(fd, &buf, &len);
        close(fd);
        if (e < 0)
                return e;
        c = (cursor){ buf, buf + len };
        e = parse_launch_part(&c, &r);
        if (e == 0 && c.p != c.end)
                e = -EBADMSG;
        free(buf);
        if (e < 0) {
                vmm_record_done(&r);
                return e;
        }
        *ret = r;
        return 0;
}

/* The name and running lines into line; their length. The disk lines
 * follow them, so vmm_record_finish_header finds those by it. */
static size_t name_lines(const vmm_record *r, char *line, size_t size)
{
        snprintf(line, size, "name %s\nrunning %d\n", r->name, r->running ? 1 : 0);
        return strlen(line);
}

int vmm_record_write_header(int fd, vmm_record *r)
{
        char line[128];
        off_t pos;
        int e;

        e = vmm_write_all(fd, VMM_STATE_MAGIC, strlen(VMM_STATE_MAGIC));
        e = e ?: vmm_write_all(fd, line, name_lines(r, line, sizeof(line)));
        for (size_t i = 0; i < r->n_disks && e == 0; i++) {
                snprintf(line, sizeof(line), DISK_FMT, r->disks[i].index, 0LL, 0LL);
                e = vmm_write_all(fd, line, strlen(line));
        }
        e = e ?: write_launch_part(fd, r->accel, r->file, r->dir, r->profile, r->profile_len);
        snprintf(line, sizeof(line), STREAM_FMT, 0ULL, (uint64_t)0);
        e = e ?: vmm_write_all(fd, line, strlen(line));
        if (e < 0)
                return e;
        pos = lseek(fd, 0, SEEK_CUR);
        if (pos < 0)
                return -errno;
        r->stream_offset = pos;
        return 0;
}

static int pwrite_line(int fd, const char *line, off_t at)
{
        size_t n = strlen(line);

        return pwrite(fd, line, n, at) == (ssize_t)n ? 0 : -EIO;
}

int vmm_record_finish_header(int fd, const vmm_record *r)
{
        char line[128];
        off_t disks_at = (off_t)strlen(VMM_STATE_MAGIC) + (off_t)name_lines(r, line, sizeof(line));
        int e = 0;

        for (size_t i = 0; i < r->n_disks && e == 0; i++) {
                snprintf(line, sizeof(line), DISK_FMT, r->disks[i].index, r->disks[i].size,
                         r->disks[i].mtime_ns);
                e = pwrite_line(fd, line, disks_at + (off_t)(i * DISK_LEN));
        }
        snprintf(line, sizeof(line), STREAM_FMT, r->stream_len, r->checksum);
        return e ?: pwrite_line(fd, line, r->stream_offset - STREAM_LEN);
}

static int parse_state_lines(cursor *c, vmm_record *r)
{
        unsigned long long a, b, d;
        char v[96];
        int e;

        e = take_line(c, "name", r->name, sizeof(r->name));
        if (e == 0 && !vmm_name_valid(r->name))
                e = -EBADMSG;
        e = e ?: take_line(c, "running", v, sizeof(v));
        if (e < 0 || (strcmp(v, "0") && strcmp(v, "1")))
                return -EBADMSG;
        r->running = v[0] == '1';
        while (c->end - c->p > 5 && memcmp(c->p, "disk ", 5) == 0) {
                vmm_record_disk *k = &r->disks[r->n_disks];

                if (r->n_disks == VMM_MAX_DISKS || take_line(c, "disk", v, sizeof(v)) < 0 ||
                    sscanf(v, "%llu %llu %llu", &a, &b, &d) != 3 || a >= VMM_MAX_DISKS)
                        return -EBADMSG;
                *k = (vmm_record_disk){ (unsigned)a, (long long)b, (long long)d };
                r->n_disks++;
        }
        e = parse_launch_part(c, r);
        e = e ?: take_line(c, "stream", v, sizeof(v));
        if (e < 0 || sscanf(v, "%llu %" SCNx64, &r->stream_len, &r->checksum) != 2)
                return e < 0 ? e : -EBADMSG;
        return 0;
}

int vmm_record_read_state(int fd, vmm_record *ret, char *why, size_t size)
{
        vmm_record r = { 0 };
        struct stat st;
        size_t len;
        char *buf;
        cursor c;
        int e;

        e = read_head(fd, &buf, &len);
        if (e < 0)
                return e;
        c = (cursor){ buf, buf + len };
        if (len < strlen(VMM_STATE_MAGIC) || memcmp(buf, VMM_STATE_MAGIC, strlen(VMM_STATE_MAGIC))) {
                snprintf(why, size, "not a thatte-vmm state file");
                e = -EBADMSG;
        } else {
                c.p += strlen(VMM_STATE_MAGIC);
                e = parse_state_lines(&c, &r);
                if (e == -EBADMSG)
                        snprintf(why, size, "malformed or truncated header");
        }
        r.stream_offset = (off_t)(c.p - buf);
        free(buf);
        if (e == 0 && fstat(fd, &st) < 0)
                e = -errno;
        if (e == 0 && (unsigned long long)(st.st_size - r.stream_offset) != r.stream_len) {
                snprintf(why, size, "holds %lld bytes of state where its header announces %llu (%s)",
                         (long long)(st.st_size - r.stream_offset), r.stream_len,
                         (unsigned long long)(st.st_size - r.stream_offset) < r.stream_len ?
                         "truncated" : "extra bytes");
                e = -EPIPE;
        }
        if (e < 0) {
                vmm_record_done(&r);
                return e;
        }
        *ret = r;
        return 0;
}

uint64_t vmm_fnv(uint64_t h, const void *buf, size_t n)
{
        const unsigned char *p = buf;

        for (size_t i = 0; i < n; i++) {
                h ^= p[i];
                h *= 0x100000001b3ULL;
        }
        return h;
}

int vmm_record_checksum(int fd, unsigned long long len, uint64_t *ret)
{
        static char buf[1 << 16];
        uint64_t h = VMM_FNV_INIT;

        while (len > 0) {
                ssize_t n = read(fd, buf, len < sizeof(buf) ? (size_t)len : sizeof(buf));

                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return n < 0 ? -errno : -EPIPE;
                h = vmm_fnv(h, buf, (size_t)n);
                len -= (unsigned long long)n;
        }
        *ret = h;
        return 0;
}

void vmm_record_done(vmm_record *r)
{
        free(r->profile);
        r->profile = NULL;
}

int vmm_record_overlay(const char *statedir, unsigned index, vmm_record_disk *ret)
{
        char path[4200];
        struct stat st;

        snprintf(path, sizeof(path), "%s/disk%u.qcow2", statedir, index);
        if (stat(path, &st) < 0)
                return -errno;
        *ret = (vmm_record_disk){ index, (long long)st.st_size,
                                  (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec };
        return 0;
}
