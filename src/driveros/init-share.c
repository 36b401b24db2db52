/* init-share.c: thatte-init mounts every 9p share the VM offers (thatte-vmm
 * [[share]] tables) at /mnt/TAG. The tags come from the host through
 * sysfs; each is checked before it becomes a folder name. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driveros/init.h"

#define SHARE_DEVICES "/sys/bus/virtio/drivers/9pnet_virtio"
#define SHARE_ROOT "/mnt"
#define SHARE_OPTIONS "trans=virtio,version=9p2000.L,msize=262144"

/* Whether TAG (from the host) may name /mnt/TAG. */
static bool tag_valid(const char *tag)
{
        size_t n = strlen(tag);

        return n > 0 && n <= INIT_SHARE_TAG_MAX && tag[0] != '.' &&
               strspn(tag, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

/* Reads DEVICE's mount_tag into tag (NUL-terminated, trailing NUL and
 * newline dropped). Returns 0 or -errno. */
static int read_tag(const char *device, char *tag, size_t size)
{
        char path[512];
        ssize_t n;
        int fd;

        snprintf(path, sizeof path, "%s/%s/mount_tag", SHARE_DEVICES, device);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        n = read(fd, tag, size - 1);
        close(fd);
        if (n < 0)
                return -errno;
        tag[n] = '\0';
        tag[strcspn(tag, "\n")] = '\0';
        return 0;
}

static void mount_share(const char *tag)
{
        char where[64];

        snprintf(where, sizeof where, SHARE_ROOT "/%s", tag);
        if (mkdir(where, 0755) < 0 && errno != EEXIST) {
                init_log("share %s: mkdir %s failed: %m", tag, where);
                return;
        }
        if (mount(tag, where, "9p", MS_NOSUID | MS_NODEV, SHARE_OPTIONS) < 0) {
                init_log("share %s: mount failed: %m", tag);
                return;
        }
        init_log("share %s mounted", tag);
}

int init_mount_shares(void)
{
        struct dirent *d;
        int n = 0;
        DIR *dir;

        dir = opendir(SHARE_DEVICES);
        if (!dir)
                return errno == ENOENT ? 0 : -errno;
        if (mkdir(SHARE_ROOT, 0755) < 0 && errno != EEXIST)
                init_log("mkdir " SHARE_ROOT " failed: %m");
        while ((d = readdir(dir))) {
                char tag[INIT_SHARE_TAG_MAX + 2];

                if (strncmp(d->d_name, "virtio", 6) != 0 || read_tag(d->d_name, tag, sizeof tag) < 0)
                        continue;
                if (!tag_valid(tag)) {
                        init_log("share on %s: unusable tag, not mounted", d->d_name);
                        continue;
                }
                mount_share(tag);
                n++;
        }
        closedir(dir);
        return n;
}
