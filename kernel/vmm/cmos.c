/* kernel/vmm/cmos.c: CMOS RAM and the RTC behind ports 0x70 (index; bit 7
 * is the NMI mask, ignored) and 0x71 (data). The clock shows the fixed
 * date given at init, in BCD and 24-hour mode, never updating (UIP 0):
 * DriverOS takes its time from elsewhere. The clock and status registers
 * ignore writes; the rest is plain RAM. */
#include "legacy.h"

enum { RTC_SEC = 0, RTC_MIN = 2, RTC_HOUR = 4, RTC_WDAY = 6, RTC_DAY = 7, RTC_MONTH = 8,
       RTC_YEAR = 9, RTC_A = 0x0a, RTC_B = 0x0b, RTC_C = 0x0c, RTC_D = 0x0d, RTC_CENTURY = 0x32 };

static uint8_t
bcd(uint8_t v)
{
        return (uint8_t)((v / 10) << 4 | v % 10);
}

static bool
valid(const struct vmm_date *d)
{
        static const uint8_t days[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

        return d->sec < 60 && d->min < 60 && d->hour < 24 && d->month >= 1 && d->month <= 12 &&
               d->day >= 1 && d->day <= days[d->month - 1] && d->year < 100 &&
               d->century >= 19 && d->century < 100;
}

/* 1 Sunday .. 7 Saturday, as the RTC counts (Zeller's congruence). */
static uint8_t
weekday(const struct vmm_date *d)
{
        unsigned y = d->century * 100u + d->year, m = d->month, q = d->day;

        if (m < 3) {
                m += 12;
                y--;
        }
        unsigned h = (q + 13 * (m + 1) / 5 + y + y / 4 - y / 100 + y / 400) % 7; /* 0 Saturday */
        return (uint8_t)((h + 6) % 7 + 1);
}

int
vmm_cmos_init(struct vmm_cmos *c, const struct vmm_date *d)
{
        if (!valid(d))
                return -VMM_EINVAL;
        __builtin_memset(c, 0, sizeof(*c));
        c->ram[RTC_SEC] = bcd(d->sec);
        c->ram[RTC_MIN] = bcd(d->min);
        c->ram[RTC_HOUR] = bcd(d->hour);
        c->ram[RTC_WDAY] = weekday(d);
        c->ram[RTC_DAY] = bcd(d->day);
        c->ram[RTC_MONTH] = bcd(d->month);
        c->ram[RTC_YEAR] = bcd(d->year);
        c->ram[RTC_CENTURY] = bcd(d->century);
        c->ram[RTC_A] = 0x26;           /* 32.768 kHz base, 1024 Hz rate, no update */
        c->ram[RTC_B] = 0x02;           /* 24-hour, BCD, no interrupts */
        c->ram[RTC_D] = 0x80;           /* the battery is good: the time is valid */
        return 0;
}

int
vmm_cmos_byte(void *cmos, uint16_t port, bool write, uint8_t *val)
{
        struct vmm_cmos *c = cmos;

        if (port == 0x70) {
                if (write)
                        c->index = *val & 0x7f;
                else
                        *val = 0xff;    /* the index port is write-only */
                return 0;
        }
        if (port != 0x71)
                return -VMM_ENOENT;
        if (!write)
                *val = c->ram[c->index];
        else if (c->index > RTC_D && c->index != RTC_CENTURY)
                c->ram[c->index] = *val;
        return 0;
}
