/* kernel/arch/x86_64/log.c: the kernel's log on COM1 (16550 at 0x3f8),
 * polled, 115200 8N1. Every kernel line starts "thatte-mk: "; ordinary
 * lines carry the time since the kernel's first instruction, from the TSC
 * once it is calibrated (before that, raw TSC ticks in brackets). */
#include "arch.h"
#include "cpu.h"

#define COM1 0x3f8
#define LSR_THRE 0x20           /* transmitter holding register (FIFO) empty */
#define SERIAL_SPIN 100000u     /* polls before a UART that never drains is written anyway */

uint64_t arch_tsc_khz;

static unsigned serial_fifo;    /* 16: a 16550A's FIFO is on; 0: none (a 16450) */
static unsigned serial_room;    /* bytes the UART takes before LSR must be read again */
static unsigned serial_polls;   /* LSR reads since the transmitter was last empty */

void arch_serial_init(void)
{
        outb(COM1 + 1, 0x00);           /* no interrupts */
        outb(COM1 + 3, 0x80);           /* DLAB */
        outb(COM1 + 0, 0x01);           /* 115200 */
        outb(COM1 + 1, 0x00);
        outb(COM1 + 3, 0x03);           /* 8N1 */
        outb(COM1 + 2, 0x07);           /* FIFO on, cleared */
        outb(COM1 + 4, 0x03);           /* DTR, RTS; OUT2 off: no IRQ yet */
        serial_fifo = (inb(COM1 + 2) & 0xc0) == 0xc0 ? 16 : 0;
        serial_room = 0;
}

/* arch_serial_room: how many bytes the UART takes now without waiting:
 * with THRE the transmitter is empty, all 16 bytes of a 16550A's FIFO
 * (one holding register without it); else what is left of the last
 * such count. A UART that never drains (SERIAL_SPIN polls) is written
 * anyway, as the log always did: its bytes are lost, the kernel goes on. */
size_t arch_serial_room(void)
{
        unsigned all = serial_fifo ? serial_fifo : 1;

        if (inb(COM1 + 5) & LSR_THRE) {
                serial_room = all;
                serial_polls = 0;
        } else if (++serial_polls >= SERIAL_SPIN) {
                serial_room = all;
                serial_polls = 0;
        }
        return serial_room;
}

/* arch_serial_step_room: room for a MK_SYS_DEBUG_PUT step (ops.c): as
 * arch_serial_room, but a UART without a FIFO reports its one byte as
 * two, so that a CR LF gets out: the LF waits for the CR, one byte time,
 * the only wait a step can have. */
size_t arch_serial_step_room(void)
{
        size_t r = arch_serial_room();

        return r == 1 && !serial_fifo ? 2 : r;
}

static void serial_putc(char c)
{
        while (!serial_room && !arch_serial_room())
                ;
        outb(COM1, (uint8_t)c);
        serial_room--;
}

void arch_serial_write(const char *s, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                if (s[i] == '\n')
                        serial_putc('\r');
                serial_putc(s[i]);
        }
}

static void vlog(const char *stamp, const char *fmt, va_list ap)
{
        char line[256];
        size_t n;

        mk_console_break(&arch_k);
        arch_serial_write("thatte-mk: ", 11);
        if (stamp)
                arch_serial_write(stamp, arch_strlen(stamp));
        n = (size_t)mku_vformat(line, sizeof(line) - 1, fmt, ap);
        if (n > sizeof(line) - 2)
                n = sizeof(line) - 2;
        line[n++] = '\n';
        arch_serial_write(line, n);
}

void arch_log(const char *fmt, ...)
{
        uint64_t t = rdtsc() - arch_tsc_entry, us;
        char stamp[40];
        va_list ap;

        if (arch_tsc_khz) {
                us = t / arch_tsc_khz * 1000 + t % arch_tsc_khz * 1000 / arch_tsc_khz;
                (void)mku_format(stamp, sizeof(stamp), "[%4lu.%06lu] ", us / 1000000,
                                 us % 1000000);
        } else {
                (void)mku_format(stamp, sizeof(stamp), "[tsc %lu] ", t);
        }
        va_start(ap, fmt);
        vlog(stamp, fmt, ap);
        va_end(ap);
}

void arch_log_plain(const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        vlog(NULL, fmt, ap);
        va_end(ap);
}
