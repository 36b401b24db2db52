/* kernel/user/fmt.c: the formatter of mku/fmt.h. Pure: no syscalls, so the
 * host tests compile it as it is (tests/unit/root-fmt.c), and the kernel's
 * log uses it too (kernel/arch/x86_64/Makefile.inc). */
#include <stdint.h>

#include "mku/fmt.h"

struct out {
        char *buf;
        size_t size, len;
};

static void put(struct out *o, char c)
{
        if (o->len + 1 < o->size)
                o->buf[o->len] = c;
        o->len++;
}

struct spec {
        unsigned width;
        char pad;
        int longs;
};

static void put_num(struct out *o, uint64_t v, unsigned base, int neg, const struct spec *s)
{
        char tmp[24];
        unsigned n = 0, len;

        do {
                tmp[n++] = "0123456789abcdef"[v % base];
                v /= base;
        } while (v);
        len = n + (neg ? 1u : 0u);
        if (neg && s->pad == '0')
                put(o, '-');
        for (; len < s->width; len++)
                put(o, s->pad);
        if (neg && s->pad != '0')
                put(o, '-');
        while (n)
                put(o, tmp[--n]);
}

static void put_str(struct out *o, const char *str, const struct spec *s)
{
        size_t n = 0;

        if (!str)
                str = "(null)";
        while (str[n])
                n++;
        for (; n < s->width; n++)
                put(o, ' ');
        while (*str)
                put(o, *str++);
}

static uint64_t arg_unsigned(va_list *ap, int longs)
{
        if (longs >= 2)
                return va_arg(*ap, unsigned long long);
        if (longs == 1)
                return va_arg(*ap, unsigned long);
        return va_arg(*ap, unsigned int);
}

static int64_t arg_signed(va_list *ap, int longs)
{
        if (longs >= 2)
                return va_arg(*ap, long long);
        if (longs == 1)
                return va_arg(*ap, long);
        return va_arg(*ap, int);
}

/* One conversion starting after '%'; returns the character after it. */
static const char *convert(struct out *o, const char *f, va_list *ap)
{
        struct spec s = { 0, ' ', 0 };
        int64_t sv;

        if (*f == '0')
                s.pad = '0';
        while (*f >= '0' && *f <= '9')
                s.width = s.width * 10 + (unsigned)(*f++ - '0');
        while (*f == 'l' || *f == 'z') {      /* z: size_t is a long here */
                s.longs++;
                f++;
        }
        switch (*f) {
        case 'd':
                sv = arg_signed(ap, s.longs);
                put_num(o, sv < 0 ? (uint64_t)0 - (uint64_t)sv : (uint64_t)sv, 10, sv < 0, &s);
                break;
        case 'u':
                put_num(o, arg_unsigned(ap, s.longs), 10, 0, &s);
                break;
        case 'x':
                put_num(o, arg_unsigned(ap, s.longs), 16, 0, &s);
                break;
        case 'p':
                put(o, '0');
                put(o, 'x');
                put_num(o, (uintptr_t)va_arg(*ap, void *), 16, 0, &(struct spec){ 16, '0', 0 });
                break;
        case 'c':
                put(o, (char)va_arg(*ap, int));
                break;
        case 's':
                put_str(o, va_arg(*ap, const char *), &s);
                break;
        case '%':
                put(o, '%');
                break;
        case '\0':
                return f;
        default:
                put(o, '%');
                put(o, *f);
                break;
        }
        return f + 1;
}

int mku_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
        struct out o = { buf, size, 0 };
        va_list aq;

        va_copy(aq, ap);
        while (*fmt) {
                if (*fmt != '%')
                        put(&o, *fmt++);
                else
                        fmt = convert(&o, fmt + 1, &aq);
        }
        va_end(aq);
        if (size > 0)
                buf[o.len < size ? o.len : size - 1] = '\0';
        return (int)o.len;
}

int mku_format(char *buf, size_t size, const char *fmt, ...)
{
        va_list ap;
        int n;

        va_start(ap, fmt);
        n = mku_vformat(buf, size, fmt, ap);
        va_end(ap);
        return n;
}
