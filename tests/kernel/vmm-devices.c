/* tests/kernel/vmm-devices.c: kernel/vmm's PC device models through the
 * port-space call an IOIO exit makes: the 16550A as Linux's 8250 driver
 * probes and uses it (prefixed lines, loopback, FIFO, THR-empty interrupt,
 * input), the PIC's ICW/OCW sequence, the PIT counting for calibration,
 * the RTC's date, port 0x80; IOIO decoding and exit counting; then every
 * port with every width and random values, after which the console holds
 * only prefixed printable lines and the devices still answer. */
#include <stdlib.h>
#include <string.h>

#include "tests/tap.h"
#include "exits.h"
#include "ports.h"

#define TSC_HZ 2000000000ull

static char console[1 << 20];
static size_t console_len;

static void
sink(void *ctx, const char *buf, size_t len)
{
        (void)ctx;
        if (len > sizeof(console) - console_len)
                len = sizeof(console) - console_len;
        memcpy(console + console_len, buf, len);
        console_len += len;
}

static uint32_t
in(struct vmm_pc *pc, uint16_t port, uint8_t size, uint64_t tsc)
{
        struct vmm_io io = { port, size, false, 0x5a5a5a5a };
        if (vmm_pc_io(pc, &io, tsc))
                return 0xdeadbeef;
        return io.value;
}

static void
out(struct vmm_pc *pc, uint16_t port, uint8_t size, uint32_t v, uint64_t tsc)
{
        struct vmm_io io = { port, size, true, v };
        vmm_pc_io(pc, &io, tsc);
}

static void
put(struct vmm_pc *pc, const char *s)
{
        while (*s)
                out(pc, 0x3f8, 1, (uint8_t)*s++, 0);
}

static const struct vmm_date date = { 0, 30, 12, 7, 12, 26, 20 };

static void
pc_new(struct vmm_pc *pc)
{
        console_len = 0;
        if (vmm_pc_init(pc, (struct vmm_sink){ sink, NULL }, "driveros: ", &date, TSC_HZ))
                abort();
}

static void
test_uart(void)
{
        struct vmm_pc pc;

        pc_new(&pc);
        put(&pc, "hello\r\nworld\x1b[31m\n\n");
        console[console_len] = 0;
        ok(!strcmp(console, "driveros: hello\ndriveros: world?[31m\ndriveros:  \n"),
           "lines prefixed, CR dropped, ESC shown as ?");
        console_len = 0;
        for (int i = 0; i < 400; i++)
                put(&pc, "x");
        put(&pc, "\n");
        ok(console_len == 3 * (10 + 1) + 400 && !memcmp(console, "driveros: ", 10) &&
           !memcmp(console + 10 + 160 + 1, "driveros: ", 10), "a 400-byte line goes out in prefixed pieces");
        /* The 8250 driver's probe. */
        out(&pc, 0x3ff, 1, 0xa5, 0);
        is_int(in(&pc, 0x3ff, 1, 0), 0xa5, "scratch register holds");
        out(&pc, 0x3f9, 1, 0, 0);
        is_int(in(&pc, 0x3f9, 1, 0), 0, "IER reads 0");
        out(&pc, 0x3f9, 1, 0x0f, 0);
        is_int(in(&pc, 0x3f9, 1, 0), 0x0f, "IER reads 0x0f");
        out(&pc, 0x3f9, 1, 0, 0);
        out(&pc, 0x3fc, 1, 0x1a, 0);
        is_int(in(&pc, 0x3fe, 1, 0) & 0xf0, 0x90, "loopback: MSR follows MCR");
        console_len = 0;
        out(&pc, 0x3f8, 1, 'Q', 0);
        ok(console_len == 0 && (in(&pc, 0x3fd, 1, 0) & 1) && in(&pc, 0x3f8, 1, 0) == 'Q' &&
           !(in(&pc, 0x3fd, 1, 0) & 1), "loopback: THR comes back in RBR, not on the console");
        out(&pc, 0x3fc, 1, 0x00, 0);
        is_int(in(&pc, 0x3fe, 1, 0), 0xb0, "MSR: DCD DSR CTS");
        out(&pc, 0x3fa, 1, 0x01, 0);
        is_int(in(&pc, 0x3fa, 1, 0), 0xc1, "FIFO enabled: a 16550A");
        is_int(in(&pc, 0x3fd, 1, 0), 0x60, "LSR: THRE TEMT");
        out(&pc, 0x3fb, 1, 0x83, 0);
        out(&pc, 0x3f8, 1, 0x01, 0);
        out(&pc, 0x3f9, 1, 0x00, 0);
        ok(in(&pc, 0x3f8, 1, 0) == 1 && in(&pc, 0x3f9, 1, 0) == 0 && console_len == 0,
           "DLAB: divisor latch, no output");
        out(&pc, 0x3fb, 1, 0x03, 0);
        out(&pc, 0x3fc, 1, 0x08, 0);            /* OUT2: the IRQ reaches the PIC */
        ok(!vmm_uart_irq(&pc.com1), "no interrupt enabled, no IRQ");
        out(&pc, 0x3f9, 1, 0x02, 0);
        ok(vmm_uart_irq(&pc.com1), "THRI enabled: THR empty raises the IRQ");
        is_int(in(&pc, 0x3fa, 1, 0), 0xc2, "IIR: THR empty");
        ok(!vmm_uart_irq(&pc.com1), "reading IIR takes it");
        out(&pc, 0x3f8, 1, 'a', 0);
        ok(vmm_uart_irq(&pc.com1), "a byte sent: THR empty again");
        out(&pc, 0x3fc, 1, 0x00, 0);
        ok(!vmm_uart_irq(&pc.com1), "OUT2 low: the line stays low");
        out(&pc, 0x3fc, 1, 0x08, 0);
        in(&pc, 0x3fa, 1, 0);
        out(&pc, 0x3f9, 1, 0x01, 0);
        for (int i = 0; i < 16; i++)
                vmm_uart_input(&pc.com1, (uint8_t)('0' + i));
        is_int(vmm_uart_input(&pc.com1, 'z'), -VMM_ENOSPC, "17th input byte refused");
        ok(vmm_uart_irq(&pc.com1) && in(&pc, 0x3fa, 1, 0) == 0xc4, "input raises RX data");
        is_int(in(&pc, 0x3f8, 1, 0), '0', "first input byte read first");
        vmm_uart_flush(&pc.com1);
        put(&pc, "partial");
        console_len = 0;
        vmm_uart_flush(&pc.com1);
        ok(console_len == 18 && !memcmp(console, "driveros: partial\n", 18), "flush sends a partial line");
}

static void
test_pic_pit_cmos(void)
{
        struct vmm_pc pc;

        pc_new(&pc);
        is_int(in(&pc, 0x21, 1, 0), 0xff, "PIC masked at reset");
        out(&pc, 0x20, 1, 0x11, 0);
        out(&pc, 0x21, 1, 0x30, 0);
        out(&pc, 0x21, 1, 0x04, 0);
        out(&pc, 0x21, 1, 0x01, 0);
        out(&pc, 0x21, 1, 0xfb, 0);
        ok(pc.pic.chip[0].vector_base == 0x30 && in(&pc, 0x21, 1, 0) == 0xfb,
           "ICW1..4 then OCW1: vector base and mask");
        out(&pc, 0xa1, 1, 0xff, 0);
        is_int(in(&pc, 0xa1, 1, 0), 0xff, "slave mask reads back");
        out(&pc, 0x20, 1, 0x0b, 0);
        is_int(in(&pc, 0x20, 1, 0), 0, "OCW3: ISR reads 0");
        is_int(in(&pc, 0x20, 2, 0), 0xfb00, "16-bit read covers command and mask");

        /* Linux's quick PIT calibration: channel 2, mode 0, count 0xffff. */
        uint64_t t0 = TSC_HZ;                   /* one second in */
        out(&pc, 0x61, 1, (in(&pc, 0x61, 1, t0) & ~0x02) | 0x01, t0);
        out(&pc, 0x43, 1, 0xb0, t0);
        out(&pc, 0x42, 1, 0xff, t0);
        out(&pc, 0x42, 1, 0xff, t0);
        in(&pc, 0x42, 1, t0);
        unsigned msb0 = in(&pc, 0x42, 1, t0);
        uint64_t t1 = t0 + TSC_HZ / 1000;       /* 1 ms: 1193 ticks */
        in(&pc, 0x42, 1, t1);
        unsigned msb1 = in(&pc, 0x42, 1, t1);
        ok(msb0 == 0xff && msb1 == (0xffff - 1193) >> 8, "channel 2 counts down at 1.193182 MHz (%#x, %#x)",
           msb0, msb1);
        ok(!(in(&pc, 0x61, 1, t1) & 0x20), "OUT2 low while counting");
        ok(in(&pc, 0x61, 1, t0 + TSC_HZ / 10) & 0x20, "OUT2 high after terminal count");
        out(&pc, 0x43, 1, 0x80, t1);            /* latch channel 2 */
        unsigned lo = in(&pc, 0x42, 1, t1 + TSC_HZ / 100), hi = in(&pc, 0x42, 1, t1 + TSC_HZ / 100);
        is_int(hi << 8 | lo, 0xffff - 1193, "latched count read later is the latched one");
        out(&pc, 0x43, 1, 0x34, 0);             /* channel 0, mode 2, count 1000 */
        out(&pc, 0x40, 1, 1000 & 0xff, 0);
        out(&pc, 0x40, 1, 1000 >> 8, 0);
        out(&pc, 0x43, 1, 0xd2, 2500ull * TSC_HZ / PIT_HZ);     /* read-back latch of channel 0 */
        lo = in(&pc, 0x40, 1, 0);
        hi = in(&pc, 0x40, 1, 0);
        ok(labs((long)(hi << 8 | lo) - 500) <= 1, "mode 2 reloads: 2500 ticks in, count %u", hi << 8 | lo);

        out(&pc, 0x70, 1, 0x80 | 0x0b, 0);      /* NMI masked, status B */
        is_int(in(&pc, 0x71, 1, 0), 0x02, "RTC: 24-hour BCD");
        out(&pc, 0x70, 1, 0x0d, 0);
        is_int(in(&pc, 0x71, 1, 0), 0x80, "RTC: time valid");
        unsigned regs[] = { 0, 2, 4, 7, 8, 9, 0x32, 6 }, want[] = { 0, 0x30, 0x12, 0x07, 0x12, 0x26, 0x20, 2 };
        int good = 0;
        for (int i = 0; i < 8; i++) {
                out(&pc, 0x70, 1, regs[i], 0);
                good += in(&pc, 0x71, 1, 0) == want[i];
        }
        is_int(good, 8, "RTC: 2026-12-07 12:30:00, a Monday");
        out(&pc, 0x70, 1, 0, 0);
        out(&pc, 0x71, 1, 0x59, 0);
        is_int(in(&pc, 0x71, 1, 0), 0, "RTC: writes to the clock ignored");
        out(&pc, 0x70, 1, 0x40, 0);
        out(&pc, 0x71, 1, 0x77, 0);
        is_int(in(&pc, 0x71, 1, 0), 0x77, "CMOS RAM holds");
        struct vmm_date bad[] = { { 60, 0, 0, 1, 1, 0, 20 }, { 0, 0, 0, 30, 2, 0, 20 },
                                  { 0, 0, 0, 1, 13, 0, 20 }, { 0, 0, 24, 1, 1, 0, 20 } };
        int refused = 0;
        for (int i = 0; i < 4; i++)
                refused += vmm_cmos_init(&pc.cmos, &bad[i]) == -VMM_EINVAL;
        is_int(refused, 4, "impossible dates refused");
        out(&pc, 0x80, 1, 0x42, 0);
        is_int(in(&pc, 0x80, 1, 0), 0x42, "port 0x80 keeps the POST code");
}

static void
test_exits(void)
{
        struct vmm_io io;
        struct vmm_exit_stats s = { { 0 } };

        is_int(vmm_ioio_decode(0x3f80010, 0x1234567841, &io), 0, "OUT byte decoded");
        ok(io.port == 0x3f8 && io.size == 1 && io.write && io.value == 0x41, "port, size, value");
        is_int(vmm_ioio_decode(0x710041, ~0ull, &io), 0, "IN dword decoded");
        ok(io.port == 0x71 && io.size == 4 && !io.write, "IN dword at 0x71");
        io.value = 0x12345678;
        is_int((long)vmm_io_rax(~0ull, &io), 0x12345678, "IN dword zero-extends rax");
        io.size = 2;
        is_int((long)vmm_io_rax(0xffffffffffffffffull, &io), (long)0xffffffffffff5678ull, "IN word merges");
        is_int(vmm_ioio_decode(0x3f80015, 0, &io), -VMM_ENOTSUP, "INS refused");
        is_int(vmm_ioio_decode(0x3f80018, 0, &io), -VMM_ENOTSUP, "REP OUT refused");
        int bad = 0;
        for (unsigned sz = 0; sz < 8; sz++)
                if (sz != 1 && sz != 2 && sz != 4)
                        bad += vmm_ioio_decode(0x3f80000 | sz << 4, 0, &io) == -VMM_EINVAL;
        is_int(bad, 5, "size fields with no or several bits refused");
        uint64_t codes[] = { 0x7b, 0x7b, 0x4e, 0x400, 0x10000, 0x1234, 0xffffffff, ~0ull, 0x10001 };
        for (int i = 0; i < 9; i++)
                vmm_exit_count(&s, codes[i]);
        ok(s.count[VMM_EXK_IOIO] == 2 && s.count[VMM_EXK_EXCEPTION] == 1 && s.count[VMM_EXK_NPF] == 1 &&
           s.count[VMM_EXK_NOTIFICATION] == 1 && s.count[VMM_EXK_INVALID] == 1 &&
           s.count[VMM_EXK_DEADLINE] == 1 && s.count[VMM_EXK_OTHER] == 2, "exits counted by reason");
        struct vmm_msr m;
        is_int(vmm_msr_decode(1, 0xffffffff000006e0ull, 0xdeadbeef12345678ull, 0xffffffff00000009ull, &m),
               0, "WRMSR decoded");
        ok(m.msr == 0x6e0 && m.write && m.value == 0x0000000912345678ull,
           "MSR from ecx, value from edx:eax, upper halves ignored");
        is_int(vmm_msr_decode(2, 0, 0, 0, &m), -VMM_EINVAL, "EXITINFO1 2 refused");
        uint64_t rax = ~0ull, rdx = ~0ull;
        m.value = 0x1122334455667788ull;
        vmm_msr_result(&m, &rax, &rdx);
        ok(rax == 0x55667788 && rdx == 0x11223344, "RDMSR result split into eax and edx");
        ok(!strcmp(vmm_exit_name(VMM_EXK_MSR), "msr") && !strcmp(vmm_exit_name(VMM_EXK_COUNT), "?"),
           "reason names");
}

static void
test_every_port(void)
{
        struct vmm_pc pc;
        int badwidth = 0, bad = 0;
        uint8_t sizes[] = { 1, 2, 4 };

        pc_new(&pc);
        srand(18);
        for (uint32_t port = 0; port <= 0xffff; port++)
                for (int s = 0; s < 3; s++) {
                        struct vmm_io w = { (uint16_t)port, sizes[s], true, (uint32_t)rand() * 2654435761u };
                        struct vmm_io r = { (uint16_t)port, sizes[s], false, 0xa5a5a5a5 };
                        uint64_t tsc = (uint64_t)rand() << 20;
                        bad += vmm_pc_io(&pc, &w, tsc) != 0 || vmm_pc_io(&pc, &r, tsc) != 0;
                        badwidth += (r.value & ~vmm_io_mask(&r)) != 0;
                }
        ok(!bad && !badwidth, "every port, every width, random values: handled, reads within width");
        struct vmm_io odd = { 0x3f8, 3, true, 0 };
        is_int(vmm_pc_io(&pc, &odd, 0), -VMM_EINVAL, "3-byte access refused");
        vmm_uart_flush(&pc.com1);
        int clean = 1;
        for (size_t i = 0; i < console_len; i++)
                if (((unsigned char)console[i] < 0x20 && console[i] != '\n' && console[i] != '\t') ||
                    (unsigned char)console[i] >= 0x7f)
                        clean = 0;
        ok(clean && console_len > 0, "console output has no control bytes, only ASCII (%zu bytes)",
           console_len);
        size_t lines = 0, prefixed = 0;
        for (size_t i = 0; i < console_len; i++)
                if (i == 0 || console[i - 1] == '\n') {
                        lines++;
                        prefixed += console_len - i >= 10 && !memcmp(console + i, "driveros: ", 10);
                }
        ok(lines == prefixed, "every line prefixed (%zu lines)", lines);
        ok(pc.unclaimed > 0, "unclaimed ports counted");
        {
                struct vmm_io probe = { 0x2e9, 1, false, 0 }, com1 = { 0x3fd, 1, false, 0 };
                uint64_t before = pc.unclaimed;

                vmm_pc_io(&pc, &probe, 0);
                vmm_pc_io(&pc, &com1, 0);
                ok(pc.unclaimed == before + 1 && pc.last_unclaimed == 0x2e9 && probe.value == 0xff,
                   "an unclaimed port is counted and named (the exits line's last), a claimed one not");
        }
        /* Still working after it. */
        out(&pc, 0x3fb, 1, 0x03, 0);
        out(&pc, 0x3fc, 1, 0x00, 0);
        console_len = 0;
        put(&pc, "ok\n");
        ok(console_len == 13 && !memcmp(console, "driveros: ok\n", 13), "UART prints again after the storm");
        out(&pc, 0x70, 1, 0x0d, 0);
        is_int(in(&pc, 0x71, 1, 0), 0x80, "RTC still valid after the storm");
}

int
main(void)
{
        test_uart();
        test_pic_pit_cmos();
        test_exits();
        test_every_port();
        return tap_done();
}
