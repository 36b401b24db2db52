/* kernel/kvmm/console.c: thatte-kvmm's serial lines. Its own begin with
 * `thatte-kvmm: `; the guest's come from the COM1 model, which puts
 * `driveros: ` before each line and shows control bytes as `?`, so no
 * guest line can pass for another component's. Both go out through the
 * raw DebugConsole cap a whole line per mku_debug_put. */
#include "kvmm.h"

#define LINE_MAX 256

void kvmm_say(const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        mku_vline("thatte-kvmm: ", fmt, ap);
        va_end(ap);
}

/* The UART writes a line as prefix, text and newline: gather them. A
 * line cannot outgrow the buffer (the UART cuts at UART_LINE_MAX), but
 * if it did it would go out early rather than be lost. */
struct guest_line {
        char buf[LINE_MAX];
        size_t len;
};

static void guest_write(void *ctx, const char *s, size_t n)
{
        struct guest_line *l = ctx;

        for (size_t i = 0; i < n; i++) {
                l->buf[l->len++] = s[i];
                if (s[i] == '\n' || l->len == sizeof(l->buf)) {
                        (void)mku_debug_put(l->buf, l->len);
                        l->len = 0;
                }
        }
}

struct vmm_sink kvmm_guest_sink(void)
{
        static struct guest_line line;

        return (struct vmm_sink){ .write = guest_write, .ctx = &line };
}

/* The thread ends in a fault: without a fault endpoint the kernel
 * suspends it. */
void kvmm_stop(void)
{
        (void)mku_signal(KVMM_CAP_ROOT_STOPPED);        /* presses are the root's again */
        for (;;)
                __builtin_trap();
}
