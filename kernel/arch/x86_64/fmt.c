/* kernel/arch/x86_64/fmt.c: the little printf the kernel's log needs:
 * %s %c %d %u %x %p, the l and ll sizes, a width and the 0 flag. */
#include "arch.h"

struct out {
        char *buf;
        size_t n, len;
};

static void put(struct out *o, char c)
{
        if (o->len + 1 < o->n)
                o->buf[o->len] = c;
        o->len++;
}

static void put_num(struct out *o, uint64_t v, unsigned base, bool neg, unsigned width,
                    char pad)
{
        char tmp[24];
        unsigned i = 0;

        do {
                tmp[i++] = "0123456789abcdef"[v % base];
                v /= base;
        } while (v);
        if (neg)
                tmp[i++] = '-';
        while (width > i) {
                put(o, pad);
                width--;
        }
        while (i)
                put(o, tmp[--i]);
}

static uint64_t get_arg(va_list *ap, unsigned longs, bool is_signed, bool *neg)
{
        int64_t s;

        *neg = false;
        if (!is_signed)
                return longs ? va_arg(*ap, uint64_t) : va_arg(*ap, unsigned);
        s = longs ? va_arg(*ap, int64_t) : va_arg(*ap, int);
        if (s < 0) {
                *neg = true;
                return (uint64_t)0 - (uint64_t)s;
        }
        return (uint64_t)s;
}

static const char *one(struct out *o, const char *f, va_list *ap)
{
        unsigned width = 0, longs = 0;
        char pad = ' ';
        const char *s;
        bool neg;
        uint64_t v;

        if (*f == '0')
                pad = '0';
        while (*f >= '0' && *f <= '9')
                width = width * 10 + (unsigned)(*f++ - '0');
        while (*f == 'l')
                longs++, f++;
        switch (*f) {
        case 's':
                for (s = va_arg(*ap, const char *); s && *s; s++)
                        put(o, *s);
                break;
        case 'c':
                put(o, (char)va_arg(*ap, int));
                break;
        case 'd':
                v = get_arg(ap, longs, true, &neg);
                put_num(o, v, 10, neg, width, pad);
                break;
        case 'u':
        case 'x':
                v = get_arg(ap, longs, false, &neg);
                put_num(o, v, *f == 'u' ? 10 : 16, false, width, pad);
                break;
        case 'p':
                put(o, '0');
                put(o, 'x');
                put_num(o, (uintptr_t)va_arg(*ap, void *), 16, false, 16, '0');
                break;
        default:
                put(o, '%');
                if (*f)
                        put(o, *f);
                else
                        return f;
        }
        return f + 1;
}

size_t arch_vformat(char *buf, size_t n, const char *fmt, va_list ap)
{
        struct out o = { buf, n, 0 };
        va_list aq;

        va_copy(aq, ap);
        while (*fmt) {
                if (*fmt != '%') {
                        put(&o, *fmt++);
                        continue;
                }
                fmt = one(&o, fmt + 1, &aq);
        }
        va_end(aq);
        if (n)
                buf[o.len < n ? o.len : n - 1] = '\0';
        return o.len < n ? o.len : (n ? n - 1 : 0);
}
