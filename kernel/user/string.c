/* kernel/user/string.c: the four functions the compiler may call on its
 * own (structure copies and clears) even in freestanding code, under their
 * standard names because that is what it calls. Built with
 * -fno-tree-loop-distribute-patterns so the loops stay loops. */
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);

void *memcpy(void *dst, const void *src, size_t n)
{
        unsigned char *d = dst;
        const unsigned char *s = src;

        while (n--)
                *d++ = *s++;
        return dst;
}

void *memset(void *dst, int c, size_t n)
{
        unsigned char *d = dst;

        while (n--)
                *d++ = (unsigned char)c;
        return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
        unsigned char *d = dst;
        const unsigned char *s = src;

        if (d < s)
                return memcpy(dst, src, n);
        while (n--)
                d[n] = s[n];
        return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
        const unsigned char *x = a, *y = b;

        for (; n; n--, x++, y++)
                if (*x != *y)
                        return *x < *y ? -1 : 1;
        return 0;
}
