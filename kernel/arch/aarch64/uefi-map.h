/* kernel/arch/aarch64/uefi-map.h: the UEFI memory map a loader hands over
 * in /chosen (Linux's EFI stub properties, Documentation/arm/uefi.rst),
 * checked and turned into free RAM pieces. Freestanding and pure (no
 * arch.h): tests/kernel/aarch64-uefi-map.c runs it on hostile maps. */
#ifndef THATTE_MK_A64_UEFI_MAP_H
#define THATTE_MK_A64_UEFI_MAP_H

#include <stdbool.h>
#include <stdint.h>

struct uefi_map {
        uint64_t start;                 /* physical address of the first descriptor */
        uint32_t size, desc_size, desc_ver;
};

struct mem_piece {
        uint64_t base, end;             /* [base, end), page aligned */
};

/* The four linux,uefi-mmap-* property values (big-endian, as in the tree)
 * and their lengths, in the order start, size, desc-size, desc-ver; a NULL
 * value is a missing property. Returns true when all four are there with
 * lengths 8, 4, 4, 4, the descriptor size holds a descriptor (>= 40, a
 * multiple of 8), the map is whole descriptors and no larger than 1 MiB,
 * and version 1. */
bool uefi_map_decode(const uint8_t *const v[4], const uint32_t len[4], struct uefi_map *m);

/* True when [start, start + size) lies inside [ram_base, ram_end) with no
 * wrap: the map is read only then. */
bool uefi_map_inside(const struct uefi_map *m, uint64_t ram_base, uint64_t ram_end);

/* uefi_map_pieces: the usable memory of the map at data (m->size bytes)
 * within [lo, hi), whole pages, as at most max disjoint pieces: the types
 * the kernel may reuse (loader code and data, boot services code and data,
 * conventional memory), minus every other descriptor's range (runtime,
 * reserved, MMIO..., so an overlap never makes reserved memory free).
 * Descriptors that wrap past 2^64 are skipped. Returns the piece count;
 * *ret_dropped counts ranges that did not fit in max. */
unsigned uefi_map_pieces(const uint8_t *data, const struct uefi_map *m, uint64_t lo, uint64_t hi,
                         struct mem_piece *p, unsigned max, unsigned *ret_dropped);

/* mem_cut: [base, end) out of n pieces (a piece split in two needs a free
 * entry: returns false, the hole's tail part kept out, when none is). */
bool mem_cut(struct mem_piece *p, unsigned *n, unsigned max, uint64_t base, uint64_t end);

#endif
