/* kernel/user/print.c: formatted debug output through MK_SYS_DEBUG_PUT. */
#include "mku/fmt.h"
#include "mku/syscall.h"

void mku_print(const char *fmt, ...)
{
        char line[256];
        va_list ap;
        int n;

        va_start(ap, fmt);
        n = mku_vformat(line, sizeof(line), fmt, ap);
        va_end(ap);
        if (n >= (int)sizeof(line))
                n = (int)sizeof(line) - 1;
        (void)mku_debug_put(line, (size_t)n);
}

void mku_vline(const char *prefix, const char *fmt, va_list ap)
{
        char line[256];
        size_t n = 0;
        int m;

        for (; prefix[n] && n < sizeof(line) / 2; n++)
                line[n] = prefix[n];
        m = mku_vformat(line + n, sizeof(line) - n - 1, fmt, ap);
        if (m < 0)
                m = 0;
        if ((size_t)m > sizeof(line) - n - 2)
                m = (int)(sizeof(line) - n - 2);
        n += (size_t)m;
        line[n++] = '\n';
        (void)mku_debug_put(line, n);
}
