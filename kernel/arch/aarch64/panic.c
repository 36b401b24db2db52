/* kernel/arch/aarch64/panic.c: "thatte-mk: panic: ..." and a stop. A
 * symbolised backtrace, as on x86-64, is not there yet. */
#include <stdarg.h>

#include "arch.h"
#include "mku/fmt.h"

_Noreturn void arch_panic(const char *fmt, ...)
{
        char text[200];
        va_list ap;

        __asm__ volatile("msr daifset, #0xf");
        va_start(ap, fmt);
        mku_vformat(text, sizeof(text), fmt, ap);
        va_end(ap);
        arch_log_plain("panic: %s", text);
        arch_power_off();
}
