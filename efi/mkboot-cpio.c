/* efi/mkboot-cpio.c: writing the direct boot's module bundle (see
 * mkboot-cpio.h). Two passes over the same layout: one to size the
 * buffer, one to fill it, so no append can run past it. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mkboot-cpio.h"

#define NEWC_HEADER 110u
#define PAGE 4096u
#define PAD_NAME ".pad"
#define TRAILER "TRAILER!!!"

struct out {
        uint8_t *buf;                   /* NULL: only count */
        size_t len;
        unsigned ino;
};

static size_t align4(size_t x)
{
        return (x + 3) & ~(size_t)3;
}

static void put(struct out *o, const void *p, size_t n)
{
        if (o->buf && n)
                memcpy(o->buf + o->len, p, n);
        o->len += n;
}

static void put_zeros(struct out *o, size_t n)
{
        if (o->buf)
                memset(o->buf + o->len, 0, n);
        o->len += n;
}

/* One member: header, name and its padding, data (NULL: zeros) and its padding. */
static void put_member(struct out *o, const char *name, unsigned mode, const uint8_t *data,
                       size_t len)
{
        char h[NEWC_HEADER + 1];
        size_t namesize = strlen(name) + 1;

        snprintf(h, sizeof(h), "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
                 ++o->ino, mode, 0u, 0u, 1u, 0u, (unsigned)len, 0u, 0u, 0u, 0u,
                 (unsigned)namesize, 0u);
        put(o, h, NEWC_HEADER);
        put(o, name, namesize);
        put_zeros(o, align4(o->len) - o->len);
        if (data)
                put(o, data, len);
        else
                put_zeros(o, len);
        put_zeros(o, align4(o->len) - o->len);
}

/* Pads so that the data of a member named name, written next, starts on
 * a page: a .pad member whose data ends where that header must begin. */
static void pad_for(struct out *o, const char *name)
{
        size_t head = align4(NEWC_HEADER + strlen(name) + 1);
        size_t pad_data = o->len + align4(NEWC_HEADER + sizeof(PAD_NAME));

        if ((o->len + head) % PAGE == 0)
                return;
        put_member(o, PAD_NAME, 0100644, NULL, (PAGE - (pad_data + head) % PAGE) % PAGE);
}

static void put_archive(struct out *o, const struct mkboot_cpio_member *m, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                pad_for(o, m[i].name);
                put_member(o, m[i].name, 0100644, m[i].data, m[i].len);
        }
        put_member(o, TRAILER, 0, NULL, 0);
}

static int name_ok(const char *s)
{
        size_t n = strlen(s);

        if (n == 0 || n > MKBOOT_CPIO_NAME_MAX || !strcmp(s, PAD_NAME) || !strcmp(s, TRAILER))
                return 0;
        return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

static int members_ok(const struct mkboot_cpio_member *m, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                if (!name_ok(m[i].name) || m[i].len == 0 || m[i].len > UINT32_MAX)
                        return 0;
                for (size_t j = 0; j < i; j++)
                        if (!strcmp(m[i].name, m[j].name))
                                return 0;
        }
        return 1;
}

int mkboot_cpio_write(const struct mkboot_cpio_member *m, size_t n, uint8_t **ret_data,
                      size_t *ret_len)
{
        struct out size = { 0 }, o = { 0 };

        if (!members_ok(m, n))
                return -EINVAL;
        put_archive(&size, m, n);
        o.buf = malloc(size.len);
        if (!o.buf)
                return -ENOMEM;
        put_archive(&o, m, n);
        *ret_data = o.buf;
        *ret_len = o.len;
        return 0;
}
