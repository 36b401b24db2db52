/* kernel/root/aarch64/ecam-bars.h: placing PCI memory BARs in a host
 * bridge's window, as data. Pure functions (no I/O), so
 * tests/unit/root-bars.c checks them on the host, with hostile sizes. */
#ifndef THATTE_ROOT_ECAM_BARS_H
#define THATTE_ROOT_ECAM_BARS_H

#include <stdint.h>

/* One memory BAR to place: function (0, dev, fn), BAR index, its size
 * (a power of two, 0: none) and kind; rank orders the placing (lower
 * first). Out: placed, the CPU address and the address on the bus. */
struct rt_bar_req {
        uint8_t dev, fn, bar, is64, rank, placed;
        uint64_t size, addr, bus_addr;
};

/* rt_bar_size: a BAR's size from what it read back after all ones were
 * written (lo; hi: the upper half of a 64-bit BAR, ignored for a 32-bit
 * one); 0 when nothing read back or that is no power of two of at least
 * 16 bytes. */
uint64_t rt_bar_size(uint32_t lo, uint32_t hi, int is64);

/* rt_bar_rank: 0 for a display card (1234:1111), 1 for the channel
 * (ivshmem 1af4:1110), 2 for the rest; id: configuration dword 0. */
uint8_t rt_bar_rank(uint32_t id);

/* rt_bar_place: every request in rank order (the same rank in the given
 * order) at the lowest address of [base, base + size) aligned to its
 * size (at least a page) above the ones before it; a 32-bit BAR only
 * below 4 GiB on the bus. bus_base: the window's address on the bus. */
void rt_bar_place(struct rt_bar_req *q, unsigned n, uint64_t base, uint64_t size, uint64_t bus_base);

#endif
