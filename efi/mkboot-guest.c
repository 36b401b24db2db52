/* efi/mkboot-guest.c: reading and checking DriverOS's guest images (see
 * mkboot-guest.h). The bzImage fields are those of Linux's x86 boot
 * protocol (Documentation/arch/x86/boot.rst): setup_sects at 0x1f1,
 * syssize at 0x1f4, the boot flag 0xAA55 at 0x1fe, "HdrS" at 0x202, the
 * protocol version at 0x206, xloadflags at 0x236. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mkboot-guest.h"
#include "mkboot-input.h"

#define PROG program_invocation_short_name

#define BZ_HEADER_END 0x238u    /* through xloadflags (protocol 2.12) */
#define XLF_KERNEL_64 1u

static unsigned le16(const uint8_t *p)
{
        return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint64_t le32(const uint8_t *p)
{
        return (uint64_t)le16(p) | (uint64_t)le16(p + 2) << 16;
}

const char *mkboot_bzimage_check(const uint8_t *data, size_t len)
{
        unsigned setup_sects;

        if (len < BZ_HEADER_END)
                return "too short for a Linux boot header";
        if (le16(data + 0x1fe) != 0xaa55)
                return "no boot sector signature 0xAA55 (not a bzImage)";
        if (memcmp(data + 0x202, "HdrS", 4))
                return "no \"HdrS\" boot header (not a bzImage)";
        if (le16(data + 0x206) < 0x020c)
                return "boot protocol older than 2.12";
        if (!(data[0x236] & XLF_KERNEL_64))
                return "no 64-bit entry (xloadflags)";
        setup_sects = data[0x1f1] ? data[0x1f1] : 4;
        if ((uint64_t)(setup_sects + 1) * 512 + le32(data + 0x1f4) * 16 > len)
                return "setup or kernel code past the end of the file";
        return NULL;
}

static int load_kernel(const char *path, struct mkboot_guest *g)
{
        const char *why;
        int r;

        r = mkboot_read_file_said(path, &g->kernel, &g->kernel_len);
        if (r < 0)
                return r;
        why = mkboot_bzimage_check(g->kernel, g->kernel_len);
        if (!why)
                return 0;
        fprintf(stderr, "%s: %s: guest kernel: %s\n", PROG, path, why);
        return -ENOEXEC;
}

static int load_initrd(const char *path, struct mkboot_guest *g)
{
        int r = mkboot_read_file_said(path, &g->initrd, &g->initrd_len);

        if (r == 0 && g->initrd_len == 0) {
                fprintf(stderr, "%s: %s: guest initrd: empty\n", PROG, path);
                return -ENOEXEC;
        }
        return r;
}

int mkboot_guest_load(const char *kernel, const char *initrd, const char *cmdline,
                      struct mkboot_guest *ret)
{
        struct mkboot_guest g = { .cmdline = cmdline };
        int r = 0;

        if (kernel)
                r = load_kernel(kernel, &g);
        if (r == 0 && initrd)
                r = load_initrd(initrd, &g);
        if (r < 0) {
                mkboot_guest_free(&g);
                return r;
        }
        *ret = g;
        return 0;
}

void mkboot_guest_free(struct mkboot_guest *g)
{
        if (!g)
                return;
        free(g->kernel);
        free(g->initrd);
        g->kernel = g->initrd = NULL;
}
