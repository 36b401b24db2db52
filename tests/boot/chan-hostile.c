/* tests/boot/chan-hostile.c: a hostile DriverOS process against
 * thatte-kvmm's ivshmem function (kernel/kvmm/chan.c), run by thatte-init
 * in place of the compositor (thatte.compositor_path) for
 * tests/boot/mk-driveros-channel-hostile.sh. Through the function's sysfs
 * files it programs BAR2 over guest RAM, at 0, over the framebuffer,
 * beyond the physical address width and over BAR0, plays BAR sizing
 * games with decoding on, writes garbage MSI-X entries (reserved address
 * bits, a vector below 16, an address in RAM; masked, then unmasked),
 * then rings BAR0's Doorbell in a storm. After each move it puts BAR2
 * back and checks the channel is there again; at the end it checks the
 * root task's heartbeat still moves. Lines start "chan-hostile: "; it
 * then waits forever (thatte-init would restart it). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "thatte/display-channel.h"

#define DEV "/sys/bus/pci/devices/0000:00:03.0"
#define STORM 100000u

static int cfg = -1;

static uint32_t cfg_read(unsigned off)
{
        uint32_t v = 0xffffffffu;

        if (pread(cfg, &v, 4, off) != 4)
                printf("chan-hostile: config read at 0x%x failed: %s\n", off, strerror(errno));
        return v;
}

static void cfg_write(unsigned off, uint32_t v)
{
        if (pwrite(cfg, &v, 4, off) != 4)
                printf("chan-hostile: config write at 0x%x failed: %s\n", off, strerror(errno));
}

static void *map(const char *name, size_t size)
{
        int fd = open(name, O_RDWR | O_SYNC);
        void *p = fd < 0 ? MAP_FAILED : mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

        if (fd >= 0)
                close(fd);
        if (p == MAP_FAILED) {
                printf("chan-hostile: cannot map %s: %s\n", name, strerror(errno));
                return NULL;
        }
        return p;
}

static void rest(long ms)
{
        struct timespec t = { ms / 1000, (ms % 1000) * 1000000 };

        while (nanosleep(&t, &t) < 0 && errno == EINTR)
                ;
}

/* BAR2 at base (64-bit), decoding on, then back where it was. */
static void move_bar2(const char *what, uint64_t base, uint32_t lo, uint32_t hi,
                      volatile struct tdc_header *h)
{
        cfg_write(0x18, (uint32_t)base | 0xc);
        cfg_write(0x1c, (uint32_t)(base >> 32));
        printf("chan-hostile: BAR2 %s (0x%llx): channel %s\n", what, (unsigned long long)base,
               h->magic == TDC_MAGIC ? "STILL MAPPED" : "gone");
        cfg_write(0x18, lo);
        cfg_write(0x1c, hi);
        printf("chan-hostile: BAR2 back: %s\n", h->magic == TDC_MAGIC ? "channel ok" : "CHANNEL LOST");
}

static void msix_garbage(volatile uint32_t *table)
{
        uint32_t ctl = cfg_read(0x40);

        cfg_write(0x40, ctl | 0xc0000000u);             /* MSI-X on, function masked */
        table[0] = 0xfee00ffcu;                         /* reserved bits set */
        table[1] = 0;
        table[2] = 5;                                   /* vector below 16 */
        table[3] = 0;
        table[4] = 0x1000;                              /* guest RAM: a DMA write */
        table[5] = 0;
        table[6] = 0x30;
        table[7] = 0xfffffffeu;                         /* reserved vector-control bits */
        cfg_write(0x40, (ctl | 0x80000000u) & ~0x40000000u);    /* unmasked */
        printf("chan-hostile: MSI-X garbage written: entry 1 control reads 0x%x, PBA 0x%x\n",
               table[7], table[512]);
        table[3] = 1;
        table[7] = 1;
        cfg_write(0x40, ctl & ~0xc0000000u);
}

int main(void)
{
        volatile struct tdc_header *h;
        volatile uint32_t *regs, *table;
        uint32_t lo, hi, bar0;
        uint64_t beat;

        cfg = open(DEV "/config", O_RDWR);
        h = map(DEV "/resource2", 2u << 20);
        regs = map(DEV "/resource0", 256);
        table = map(DEV "/resource1", 4096);
        if (cfg < 0 || !h || !regs || !table) {
                printf("chan-hostile: FAIL the function's files\n");
                goto wait;
        }
        printf("chan-hostile: start: channel %s\n", h->magic == TDC_MAGIC ? "ok" : "MISSING");
        lo = cfg_read(0x18);
        hi = cfg_read(0x1c);
        bar0 = cfg_read(0x10);
        move_bar2("at 0", 0, lo, hi, h);
        move_bar2("over guest RAM", 0x200000, lo, hi, h);
        move_bar2("over the framebuffer", 0xc0000000u, lo, hi, h);
        move_bar2("beyond the physical address width", 1ull << 52, lo, hi, h);
        move_bar2("over BAR0", bar0 & ~0xfu, lo, hi, h);
        cfg_write(0x18, 0xffffffffu);                   /* sizing with decoding on */
        cfg_write(0x1c, 0xffffffffu);
        printf("chan-hostile: BAR2 sized with decoding on: 0x%x 0x%x\n", cfg_read(0x18), cfg_read(0x1c));
        cfg_write(0x18, lo);
        cfg_write(0x1c, hi);
        cfg_write(0x10, 0xffffffffu);
        cfg_write(0x10, bar0);
        cfg_write(0x04, cfg_read(0x04) & ~2u);          /* decoding off ... */
        cfg_write(0x04, cfg_read(0x04) | 2u);           /* ... and on again */
        printf("chan-hostile: after the sizing games: %s\n",
               h->magic == TDC_MAGIC ? "channel ok" : "CHANNEL LOST");
        msix_garbage(table);
        for (unsigned i = 0; i < STORM; i++)
                regs[3] = i;
        printf("chan-hostile: %u doorbells rung\n", STORM);
        beat = h->heartbeat;
        rest(1000);
        printf("chan-hostile: heartbeat %s after the storm\n", h->heartbeat != beat ? "moves" : "STANDS STILL");
        printf("chan-hostile: done\n");
wait:
        fflush(stdout);
        for (;;)
                pause();
}
