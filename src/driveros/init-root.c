/* init-root.c: thatte-init's disk mode (thatte.root=DEV): a small initrd
 * that only loads the disk's modules, mounts the root file system and hands
 * over to its /sbin/init (systemd), instead of Debian's generic initrd. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "driveros/init.h"

#define NEW_ROOT "/sysroot"
#define WAIT_MS 30000
#define POLL_MS 20

/* The virtio disk's node appears in devtmpfs once its driver has probed,
 * which may be after finit_module() returned. */
static int wait_for_device(const char *dev)
{
        struct timespec pause = { 0, POLL_MS * 1000000L };
        struct stat st;

        for (int waited = 0; waited <= WAIT_MS; waited += POLL_MS) {
                if (stat(dev, &st) == 0)
                        return S_ISBLK(st.st_mode) ? 0 : -ENOTBLK;
                (void)nanosleep(&pause, NULL);
        }
        return -ENOENT;
}

/* Moves the API file systems into the new root (systemd reuses them: /dev
 * carries devpts along) and drops /tmp, which belongs to the initrd. */
static void move_api_mounts(void)
{
        static const char *const moved[] = { "/dev", "/proc", "/sys", "/run" };
        char target[64];

        (void)umount2("/tmp", MNT_DETACH);
        for (size_t i = 0; i < sizeof moved / sizeof moved[0]; i++) {
                snprintf(target, sizeof target, NEW_ROOT "%s", moved[i]);
                if (mount(moved[i], target, NULL, MS_MOVE, NULL) < 0) {
                        init_log("moving %s to the new root failed: %m", moved[i]);
                        (void)umount2(moved[i], MNT_DETACH);
                }
        }
}

int init_switch_root(const char *dev, const char *fstype)
{
        char *const argv[] = { "/sbin/init", NULL };
        struct stat st;
        sigset_t none;
        int r;

        r = wait_for_device(dev);
        if (r < 0)
                return r;
        if (mkdir(NEW_ROOT, 0755) < 0 && errno != EEXIST)
                return -errno;
        if (mount(dev, NEW_ROOT, fstype, 0, NULL) < 0)
                return -errno;
        /* lstat: Debian's /sbin/init is an absolute symlink, which only
         * resolves once the new root is "/". */
        if (lstat(NEW_ROOT "/sbin/init", &st) < 0) {
                r = -errno;
                (void)umount2(NEW_ROOT, MNT_DETACH);
                return r;
        }
        move_api_mounts();
        /* The initramfs cannot be unmounted; the new root goes over it. */
        if (chdir(NEW_ROOT) < 0 || mount(".", "/", NULL, MS_MOVE, NULL) < 0 ||
            chroot(".") < 0 || chdir("/") < 0)
                return -errno;
        init_log("switching to %s, /sbin/init", dev);
        /* Our blocked signals (for the signalfd) would be inherited. */
        sigemptyset(&none);
        (void)sigprocmask(SIG_SETMASK, &none, NULL);
        execv(argv[0], argv);
        return -errno;
}
