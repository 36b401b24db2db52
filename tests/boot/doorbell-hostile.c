/* doorbell-hostile: run by thatte-init in the compositor's place
 * (thatte.compositor_path) in tests/boot/mk-driveros-doorbell.sh. Starts
 * the real compositor with the arguments it was given, waits until the
 * compositor has switched the ivshmem function's MSI-X on through VFIO,
 * then, as a hostile process of DriverOS with the function's sysfs files:
 * masks vector 0 in the MSI-X table (the doorbell never comes), later
 * points it at garbage (an address outside the local APIC, vector 0) and
 * unmasks it (the VMM drops the message). Says each step. The compositor
 * must keep showing the root task's frames meanwhile (its safety round). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEV "/sys/bus/pci/devices/0000:00:03.0"
#define COMPOSITOR "/usr/bin/thatte-compositor"
#define MSIX_CTL 0x40u                  /* the function's MSI-X capability (kernel/vmm/ivshmem.c) */
#define MSIX_ENABLE 0x80000000u         /* bit 15 of Message Control, in the capability's dword */

static void rest(long ms)
{
        struct timespec t = { ms / 1000, (ms % 1000) * 1000000 };

        while (nanosleep(&t, &t) < 0 && errno == EINTR)
                ;
}

static uint32_t msix_control(int cfg)
{
        uint32_t v = 0;

        return pread(cfg, &v, 4, MSIX_CTL) == 4 ? v : 0;
}

/* Until the compositor has MSI-X on and vector 0 unmasked: 1, or 0 after 120 s. */
static int wait_enabled(int cfg, volatile uint32_t *entry)
{
        for (int i = 0; i < 1200; i++, rest(100))
                if ((msix_control(cfg) & MSIX_ENABLE) && !(entry[3] & 1u))
                        return 1;
        return 0;
}

static int attack(void)
{
        int cfg = open(DEV "/config", O_RDONLY), fd = open(DEV "/resource1", O_RDWR | O_SYNC);
        volatile uint32_t *entry = fd < 0 ? MAP_FAILED
                : mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

        if (cfg < 0 || entry == MAP_FAILED) {
                printf("doorbell-hostile: FAIL cannot open the function's files: %s\n", strerror(errno));
                return 1;
        }
        if (!wait_enabled(cfg, entry)) {
                printf("doorbell-hostile: FAIL the compositor never switched MSI-X on\n");
                return 1;
        }
        /* At once, and the next step soon: the root task's 100 frames
         * (at least 100 ms each while no doorbell comes) span both. */
        printf("doorbell-hostile: MSI-X on, vector 0 at 0x%x data 0x%x\n", entry[0], entry[2]);
        entry[3] |= 1u;
        printf("doorbell-hostile: vector 0 masked\n");
        rest(2000);
        entry[0] = 0xdead0000u;
        entry[1] = 0;
        entry[2] = 0;
        entry[3] &= ~1u;
        printf("doorbell-hostile: vector 0 garbage (address 0x%x, data 0x%x) and unmasked\n", entry[0],
               entry[2]);
        return 0;
}

int main(int argc, char **argv)
{
        pid_t pid;
        int status;

        (void)argc;
        setvbuf(stdout, NULL, _IOLBF, 0);
        pid = fork();
        if (pid == 0) {
                argv[0] = COMPOSITOR;
                execv(COMPOSITOR, argv);
                printf("doorbell-hostile: FAIL cannot run %s: %s\n", COMPOSITOR, strerror(errno));
                _exit(127);
        }
        if (pid < 0 || attack() != 0)
                printf("doorbell-hostile: FAIL the attack did not happen\n");
        return waitpid(pid, &status, 0) == pid && WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
