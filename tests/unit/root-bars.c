/* tests/unit/root-bars.c: the aarch64 root task's placing of PCI memory
 * BARs in the host bridge's window (kernel/root/aarch64/ecam-bars.c),
 * with what a hostile or broken function may read back. */
#include <stdint.h>

#include "kernel/root/aarch64/ecam-bars.h"
#include "tests/tap.h"

#define WIN 0x10000000ull
#define WIN_SIZE 0x2eff0000ull

static struct rt_bar_req req(uint8_t dev, uint8_t bar, uint64_t size, int is64, uint32_t id)
{
        return (struct rt_bar_req){ .dev = dev, .bar = bar, .size = size, .is64 = (uint8_t)is64,
                                    .rank = rt_bar_rank(id), .addr = 0xdead, .placed = 9 };
}

int main(void)
{
        struct rt_bar_req q[6];

        is_int(rt_bar_size(0xff000008u, 0, 0), 16 << 20, "32-bit prefetchable, 16 MiB");
        ok(rt_bar_size(0xffc0000cu, 0xffffffffu, 1) == 4ull << 20, "64-bit, 4 MiB");
        ok(rt_bar_size(0x0000000cu, 0xfffffff0u, 1) == 1ull << 36, "64-bit, 64 GiB");
        ok(rt_bar_size(0xfffff000u, 0x12345678u, 0) == 4096, "4 KiB registers, 32-bit: hi ignored");
        is_int(rt_bar_size(0, 0, 0), 0, "reads back 0: no BAR");
        is_int(rt_bar_size(0x0000000cu, 0, 1), 0, "64-bit all zero: no BAR");
        is_int(rt_bar_size(0xff0f0000u, 0, 0), 0, "hostile: holes in the mask");
        is_int(rt_bar_size(0xfffffff0u, 0x7fffffffu, 1), 0, "hostile: upper half not contiguous");
        ok(rt_bar_size(0x0000000cu, 0x80000000u, 1) == 1ull << 63, "2^63 is a size (placing refuses it)");
        is_int(rt_bar_size(0x00000008u, 0xffffffffu, 0), 0, "32-bit reading back only flags: none");

        is_int(rt_bar_rank(0x11111234u), 0, "bochs-display first");
        is_int(rt_bar_rank(0x11101af4u), 1, "ivshmem second");
        is_int(rt_bar_rank(0x10001af4u), 2, "virtio last");

        /* discovery order: virtio, ivshmem (BAR0 256 B, BAR2 4 MiB), bochs (BAR0, BAR2) */
        q[0] = req(1, 4, 16384, 1, 0x10001af4u);
        q[1] = req(2, 0, 256, 0, 0x11101af4u);
        q[2] = req(2, 2, 4 << 20, 1, 0x11101af4u);
        q[3] = req(3, 0, 16 << 20, 0, 0x11111234u);
        q[4] = req(3, 2, 4096, 0, 0x11111234u);
        rt_bar_place(q, 5, WIN, WIN_SIZE, WIN);
        ok(q[3].placed && q[3].addr == WIN, "bochs BAR0 at the window's start");
        ok(q[4].placed && q[4].addr == WIN + (16 << 20), "bochs BAR2 after it (mapped after it)");
        ok(q[1].placed && q[1].addr == WIN + (16 << 20) + 4096, "ivshmem BAR0: a page of its own");
        ok(q[2].placed && q[2].addr == WIN + (20 << 20), "ivshmem BAR2 aligned to its size, above the card");
        ok(q[0].placed && q[0].addr == WIN + (24 << 20) && q[0].bus_addr == q[0].addr,
           "virtio last; bus address = CPU address here");
        for (int i = 0; i < 5; i++)
                ok(q[i].addr % (q[i].size > 4096 ? q[i].size : 4096) == 0, "request %d aligned", i);

        q[0] = req(1, 0, 1ull << 36, 1, 0x11101af4u);
        q[1] = req(1, 2, 1 << 20, 1, 0x11101af4u);
        rt_bar_place(q, 2, WIN, WIN_SIZE, WIN);
        ok(!q[0].placed, "64 GiB does not fit a 750 MiB window");
        ok(q[1].placed && q[1].addr == WIN, "the next one still gets the start");

        q[0] = req(1, 0, 1ull << 28, 1, 0x11101af4u);
        q[1] = req(1, 2, 1ull << 28, 1, 0x11101af4u);
        q[2] = req(1, 4, 1ull << 28, 1, 0x11101af4u);
        rt_bar_place(q, 3, WIN, WIN_SIZE, WIN);
        ok(q[0].placed && q[1].placed && !q[2].placed, "a third 256 MiB BAR overruns the window");

        q[0] = req(1, 0, 1 << 20, 0, 0x11111234u);
        rt_bar_place(q, 1, 0x8000000000ull, 1ull << 39, 0x8000000000ull);
        ok(!q[0].placed, "a 32-bit BAR never above 4 GiB on the bus");
        q[0] = req(1, 0, 1 << 20, 1, 0x11111234u);
        rt_bar_place(q, 1, 0x8000000000ull, 1ull << 39, 0x8000000000ull);
        ok(q[0].placed && q[0].bus_addr == 0x8000000000ull, "a 64-bit one may be");

        q[0] = req(1, 0, 1 << 20, 1, 0x11111234u);
        rt_bar_place(q, 1, UINT64_MAX - 4095, 4096, 0);
        ok(!q[0].placed, "hostile window at the top of the address space: nothing wraps");
        q[0] = req(1, 0, 0, 1, 0x11111234u);
        rt_bar_place(q, 1, WIN, WIN_SIZE, WIN);
        ok(!q[0].placed, "size 0 is not placed");
        return tap_done();
}
