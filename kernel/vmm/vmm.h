/* kernel/vmm/vmm.h: what every part of thatte-mk's user-level VMM shares.
 *
 * Freestanding (no libc): errors are -errno with Linux's numbers, defined
 * here since a freestanding build has no errno.h. Nothing here keeps
 * global state: each device is a structure its owner passes in. */
#ifndef THATTE_KVMM_VMM_H
#define THATTE_KVMM_VMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VMM_E2BIG 7
#define VMM_ENOEXEC 8
#define VMM_EFAULT 14
#define VMM_ENOENT 2
#define VMM_EINVAL 22
#define VMM_ENOSPC 28
#define VMM_EOVERFLOW 75
#define VMM_ENOTSUP 95

/* One port access of an IOIO exit, decoded (exits.c). A write carries its
 * value in; a read's handler sets it, only the low `size` bytes count. */
struct vmm_io {
        uint16_t port;
        uint8_t size;           /* 1, 2 or 4 */
        bool write;
        uint32_t value;
};

/* The mask of an access's width: a handler's read result is cut to it. */
static inline uint32_t
vmm_io_mask(const struct vmm_io *io)
{
        return io->size >= 4 ? 0xffffffffu : (1u << (io->size * 8)) - 1u;
}

/* Where the guest's bytes go: a byte sink with its context. */
struct vmm_sink {
        void (*write)(void *ctx, const char *buf, size_t len);
        void *ctx;
};

#endif
