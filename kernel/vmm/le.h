/* kernel/vmm/le.h: little-endian loads and stores at any alignment, for
 * guest and image bytes (x86 is little-endian; memcpy keeps UBSan quiet
 * about misaligned access). */
#ifndef THATTE_KVMM_LE_H
#define THATTE_KVMM_LE_H

#include <stdint.h>

static inline uint16_t rd16(const uint8_t *p) { uint16_t v; __builtin_memcpy(&v, p, 2); return v; }
static inline uint32_t rd32(const uint8_t *p) { uint32_t v; __builtin_memcpy(&v, p, 4); return v; }
static inline uint64_t rd64(const uint8_t *p) { uint64_t v; __builtin_memcpy(&v, p, 8); return v; }
static inline void wr16(uint8_t *p, uint16_t v) { __builtin_memcpy(p, &v, 2); }
static inline void wr32(uint8_t *p, uint32_t v) { __builtin_memcpy(p, &v, 4); }
static inline void wr64(uint8_t *p, uint64_t v) { __builtin_memcpy(p, &v, 8); }

#endif
