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
