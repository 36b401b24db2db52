/* kernel/core/string.c: the memory functions the kernel needs, since it
 * links no libc. The mk_ names are what kernel code calls; the standard names
 * exist in the freestanding build only, for the calls the compiler itself
 * emits (struct copies), and are left out of the host build, which has libc. */
#include "kernel.h"

/* Words where both sides share an alignment; may_alias: any object. */
typedef uint64_t __attribute__((may_alias)) mk_word;

void *mk_memcpy(void *dst, const void *src, size_t n)
{
        unsigned char *d = dst;
        const unsigned char *s = src;

        if ((((uintptr_t)d ^ (uintptr_t)s) & 7) == 0) {
                for (; n && ((uintptr_t)d & 7); n--)
                        *d++ = *s++;
                for (; n >= 8; n -= 8, d += 8, s += 8)
                        *(mk_word *)d = *(const mk_word *)s;
        }
        while (n--)
                *d++ = *s++;
        return dst;
}

void *mk_memset(void *dst, int c, size_t n)
{
        unsigned char *d = dst;
        mk_word *w;
        uint64_t v = (unsigned char)c * 0x0101010101010101ull;

        while (n && ((uintptr_t)d & 7)) {
                *d++ = (unsigned char)c;
                n--;
        }
        for (w = (mk_word *)d; n >= 8; n -= 8)
                *w++ = v;
        for (d = (unsigned char *)w; n; n--)
                *d++ = (unsigned char)c;
        return dst;
}

void *mk_memmove(void *dst, const void *src, size_t n)
{
        unsigned char *d = dst;
        const unsigned char *s = src;

        if (d <= s || d >= s + n)
                return mk_memcpy(dst, src, n);
        while (n--)
                d[n] = s[n];
        return dst;
}

int mk_memcmp(const void *a, const void *b, size_t n)
{
        const unsigned char *x = a, *y = b;

        for (; n; n--, x++, y++)
                if (*x != *y)
                        return *x < *y ? -1 : 1;
        return 0;
}

#ifndef MK_HOSTED
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);

void *memcpy(void *dst, const void *src, size_t n) { return mk_memcpy(dst, src, n); }
void *memset(void *dst, int c, size_t n) { return mk_memset(dst, c, n); }
void *memmove(void *dst, const void *src, size_t n) { return mk_memmove(dst, src, n); }
int memcmp(const void *a, const void *b, size_t n) { return mk_memcmp(a, b, n); }
#endif
