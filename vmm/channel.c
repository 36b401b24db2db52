/* vmm/channel.c: creating, sharing and removing channel files (see
 * channel.h for the reference record). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "channel.h"
#include "paths.h"
#include "thatte-dirs.h"

#define MIB (1024LL * 1024)

FILE *vmm_fopen_private(const char *path)
{
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
        FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

        if (fd >= 0 && !f)
                close(fd);
        return f;
}

int vmm_channel_dir(char *buf, size_t size)
{
        char root[4096];
        int r = vmm_runtime_dir(NULL, root, sizeof(root));

        if (r < 0)
                return r;
        if ((size_t)snprintf(buf, size, "%s/channels", root) >= size)
                return -ENAMETOOLONG;
        return 0;
}

/* Takes channels/.lock, waiting: changes are short. Returns the fd or -errno. */
static int lock_channels(const char *dir)
{
        char path[4200];
        int fd, r = thatte_mkdir_private(dir);

        if (r < 0)
                return r;
        snprintf(path, sizeof(path), "%s/.lock", dir);
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0)
                return -errno;
        while (flock(fd, LOCK_EX) < 0)
                if (errno != EINTR) {
                        r = -errno;
                        close(fd);
                        return r;
                }
        return fd;
}

/* Whether the record file of folder `vmdir` names channel `name`: lines
 * "NAME SIZE_MIB". */
static int record_names(const char *vmdir, const char *name)
{
        char path[4500], line[128];
        int found = 0;
        FILE *f;

        snprintf(path, sizeof(path), "%s/channels", vmdir);
        f = fopen(path, "re");
        if (!f)
                return 0;
        while (!found && fgets(line, sizeof(line), f)) {
                size_t n = strcspn(line, " \n");

                found = n == strlen(name) && strncmp(line, name, n) == 0;
        }
        fclose(f);
        return found;
}

/* The name of a running VM other than the one in `self` whose record
 * names channel `name`, into who; 1 if there is one, else 0. */
static int used_elsewhere(const char *name, const char *self, char *who, size_t who_size)
{
        char root[4096], vmdir[4400], lock[4500];
        struct dirent *de;
        int found = 0;
        DIR *d;

        if (vmm_runtime_dir(NULL, root, sizeof(root)) < 0 || !(d = opendir(root)))
                return 0;
        while (!found && (de = readdir(d))) {
                if (!vmm_name_valid(de->d_name) || strcmp(de->d_name, "channels") == 0)
                        continue;
                snprintf(vmdir, sizeof(vmdir), "%s/%s", root, de->d_name);
                if (strcmp(vmdir, self) == 0 || !record_names(vmdir, name))
                        continue;
                snprintf(lock, sizeof(lock), "%s/lock", vmdir);
                if (thatte_lock_held(lock) == 1) {
                        snprintf(who, who_size, "%s", de->d_name);
                        found = 1;
                }
        }
        closedir(d);
        return found;
}

/* The file of a channel no running VM uses: one of the right size stays
 * (a host-side client may have it open and mapped already); anything
 * else is replaced by a new, zero-filled file. */
static int create_file(const char *path, const vmm_channel *ch)
{
        struct stat st;
        int fd, r = 0;

        if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == (off_t)ch->size_mib * MIB)
                return chmod(path, 0600) < 0 ? -errno : 0;
        if (unlink(path) < 0 && errno != ENOENT)
                return -errno;
        fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0)
                return -errno;
        if (ftruncate(fd, (off_t)ch->size_mib * MIB) < 0)
                r = -errno;
        close(fd);
        if (r < 0)
                (void)unlink(path);
        return r;
}

static int acquire_one(const char *dir, const vmm_channel *ch, const char *rundir,
                       char *why, size_t why_size)
{
        char path[4200], who[256];
        struct stat st;
        int r;

        snprintf(path, sizeof(path), "%s/%s", dir, ch->name);
        if (!used_elsewhere(ch->name, rundir, who, sizeof(who))) {
                r = create_file(path, ch);
                if (r < 0)
                        snprintf(why, why_size, "creating channel file %s: %s", path, strerror(-r));
                return r;
        }
        if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
                snprintf(why, why_size, "channel '%s' is used by VM '%s' but its file %s is missing",
                         ch->name, who, path);
                return -ENOENT;
        }
        if (st.st_size != (off_t)ch->size_mib * MIB) {
                snprintf(why, why_size, "channel '%s' is %lld MiB (VM '%s' uses it); this VM wants %u MiB",
                         ch->name, (long long)(st.st_size / MIB), who, ch->size_mib);
                return -EEXIST;
        }
        return 0;
}

static int write_record(const vmm_profile *p, const char *rundir)
{
        char path[4200], tmp[4300];
        int r = 0;
        FILE *f;

        snprintf(path, sizeof(path), "%s/channels", rundir);
        snprintf(tmp, sizeof(tmp), "%s/channels.tmp", rundir);
        f = vmm_fopen_private(tmp);
        if (!f)
                return -errno;
        for (size_t i = 0; i < p->n_channels; i++)
                fprintf(f, "%s %u\n", p->channels[i].name, p->channels[i].size_mib);
        if (fclose(f) != 0 || rename(tmp, path) < 0)
                r = -errno;
        if (r < 0)
                (void)unlink(tmp);
        return r;
}

int vmm_channels_acquire(const vmm_profile *p, const char *rundir, char *why, size_t why_size)
{
        char dir[4096] = "";
        int fd = -1, r = 0;

        if (p->n_channels == 0)
                return 0;
        r = vmm_channel_dir(dir, sizeof(dir));
        if (r == 0 && (fd = lock_channels(dir)) < 0)
                r = fd;
        if (r < 0) {
                snprintf(why, why_size, "channels folder %s: %s", dir,
                         r == -EPERM ? "not a private folder owned by you" : strerror(-r));
                return r;
        }
        for (size_t i = 0; i < p->n_channels && r == 0; i++)
                r = acquire_one(dir, &p->channels[i], rundir, why, why_size);
        /* Files created before a failure have no record: removed below. */
        if (r == 0 && (r = write_record(p, rundir)) < 0)
                snprintf(why, why_size, "recording channels in %s: %s", rundir, strerror(-r));
        if (r < 0) {
                char who[256], path[4200];

                for (size_t i = 0; i < p->n_channels; i++) {
                        snprintf(path, sizeof(path), "%s/%s", dir, p->channels[i].name);
                        if (!used_elsewhere(p->channels[i].name, rundir, who, sizeof(who)))
                                (void)unlink(path);
                }
        }
        close(fd);
        return r;
}

int vmm_channels_release(const char *rundir)
{
        char dir[4096], record[4200], line[128], who[256];
        int fd, r;
        FILE *f;

        snprintf(record, sizeof(record), "%s/channels", rundir);
        if (access(record, F_OK) < 0)
                return 0;
        r = vmm_channel_dir(dir, sizeof(dir));
        if (r < 0)
                return r;
        fd = lock_channels(dir);
        if (fd < 0)
                return fd;
        f = fopen(record, "re");
        while (f && fgets(line, sizeof(line), f)) {
                char path[4300];

                line[strcspn(line, " \n")] = 0;
                if (!vmm_channel_name_valid(line) || used_elsewhere(line, rundir, who, sizeof(who)))
                        continue;
                snprintf(path, sizeof(path), "%s/%s", dir, line);
                (void)unlink(path);
        }
        if (f)
                fclose(f);
        r = unlink(record) < 0 && errno != ENOENT ? -errno : 0;
        close(fd);
        return r;
}
