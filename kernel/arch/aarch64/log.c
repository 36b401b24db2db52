/* kernel/arch/aarch64/log.c: "thatte-mk:" lines on QEMU virt's PL011
 * (UART0 at 0x09000000, already set up by QEMU: no baud rate needed), time
 * from the generic timer's counter. */
#include <stdarg.h>

#include "arch.h"
#include "mku/fmt.h"

#define PL011_BASE ARCH_PL011
#define PL011_DR 0x00
#define PL011_FR 0x18
#define PL011_FR_TXFF (1u << 5)

static void put(char c)
{
        while (mmio_read32(PL011_BASE + PL011_FR) & PL011_FR_TXFF)
                ;
        mmio_write32(PL011_BASE + PL011_DR, (uint8_t)c);
}

void arch_serial_write(const char *s, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                if (s[i] == '\n')
                        put('\r');
                put(s[i]);
        }
}

static void vlog(bool stamp, const char *fmt, va_list ap)
{
        char line[256];
        int n = 0;

        n += mku_format(line, sizeof(line), "thatte-mk: ");
        if (stamp && arch_timer_hz) {
                uint64_t t = sysreg_read(cntpct_el0);

                n += mku_format(line + n, sizeof(line) - n, "[%lu.%06lu] ", t / arch_timer_hz,
                                (t % arch_timer_hz) * 1000000 / arch_timer_hz);
        }
        n += mku_vformat(line + n, sizeof(line) - (size_t)n, fmt, ap);
        if (n > (int)sizeof(line) - 2)
                n = sizeof(line) - 2;
        line[n++] = '\n';
        arch_serial_write(line, (size_t)n);
}

void arch_log(const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        vlog(true, fmt, ap);
        va_end(ap);
}

void arch_log_plain(const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        vlog(false, fmt, ap);
        va_end(ap);
}
