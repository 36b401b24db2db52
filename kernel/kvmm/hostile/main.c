/* kernel/kvmm/hostile/main.c: the hostile guest (see README.md in the
 * folder above): it reads its command line and the e820 map from the zero
 * page, takes its own IDT and page tables, and runs the phases
 * `hostile=NAME,NAME,...` names, each between `hostile: NAME begins` and
 * `hostile: NAME survived` lines on COM1. A fatal phase ends this start;
 * when the VMM restarts the guest it appends `thatte.restart=N`, and the
 * guest resumes after its N-th fatal phase. */
#include "hostile.h"

#define COM1 0x3f8u
#define ZP_E820_ENTRIES 0x1e8
#define ZP_E820_TABLE 0x2d0
#define ZP_CMD_LINE_PTR 0x228
#define ZP_EXT_CMD_LINE_PTR 0x0c8
#define ZP_LFB_BASE 0x18
#define ZP_LFB_SIZE 0x1c
#define ZP_EXT_LFB_BASE 0x3a
#define PAGE 4096u
#define POOL_PAGES 16u

volatile uint64_t hg_fixup, hg_faults, hg_last_vector;
uint64_t hg_ram_top, hg_fb_base, hg_fb_size;

static uint64_t pool[POOL_PAGES][PAGE / 8] __attribute__((aligned(PAGE)));
static unsigned pool_used;
static uint64_t *pml4;
static bool tables_live;               /* CR3 holds pml4: a new mapping reloads it */
static uint64_t seed = 0x9e3779b97f4a7c15ull;

int memcmp(const void *a, const void *b, size_t n)
{
        const uint8_t *x = a, *y = b;

        for (size_t i = 0; i < n; i++)
                if (x[i] != y[i])
                        return x[i] < y[i] ? -1 : 1;
        return 0;
}

void *memcpy(void *d, const void *s, size_t n)
{
        for (size_t i = 0; i < n; i++)
                ((uint8_t *)d)[i] = ((const uint8_t *)s)[i];
        return d;
}

void *memset(void *d, int c, size_t n)
{
        for (size_t i = 0; i < n; i++)
                ((uint8_t *)d)[i] = (uint8_t)c;
        return d;
}

uint64_t hg_random(void)
{
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        return seed;
}

static void putc_com1(char c)
{
        hg_out(COM1, 1, (uint8_t)c);
}

/* 8N1, no interrupts, no loopback: after the port phase wrote garbage. */
void hg_uart_reset(void)
{
        hg_out(COM1 + 3, 1, 0x80);      /* DLAB: divisor 1 */
        hg_out(COM1, 1, 1);
        hg_out(COM1 + 1, 1, 0);
        hg_out(COM1 + 3, 1, 0x03);
        hg_out(COM1 + 1, 1, 0);
        hg_out(COM1 + 4, 1, 0x03);
        hg_out(COM1 + 2, 1, 0);
}

static void put_num(uint64_t v, unsigned base)
{
        char d[24];
        int n = 0;

        do
                d[n++] = "0123456789abcdef"[v % base];
        while ((v /= base) && n < 24);
        while (n)
                putc_com1(d[--n]);
}

/* %s %lx %lu %x %u %d: all this guest needs. */
void hg_say(const char *fmt, ...)
{
        __builtin_va_list ap;

        __builtin_va_start(ap, fmt);
        for (const char *p = "hostile: "; *p; p++)
                putc_com1(*p);
        for (const char *p = fmt; *p; p++) {
                if (*p != '%') {
                        putc_com1(*p);
                        continue;
                }
                bool lng = p[1] == 'l';

                p += lng ? 2 : 1;
                if (*p == 's') {
                        for (const char *s = __builtin_va_arg(ap, const char *); *s; s++)
                                putc_com1(*s);
                        continue;
                }
                uint64_t v = lng ? __builtin_va_arg(ap, uint64_t) : __builtin_va_arg(ap, unsigned);
                if (*p == 'd' && !lng && (int)v < 0) {
                        putc_com1('-');
                        v = (uint64_t)-(int64_t)(int)v;
                }
                put_num(v, *p == 'x' ? 16 : 10);
        }
        putc_com1('\n');
        __builtin_va_end(ap);
}

void hg_unexpected(uint64_t vector, uint64_t rip);
void hg_unexpected(uint64_t vector, uint64_t rip)
{
        hg_say("unexpected exception %lu at rip 0x%lx", vector, rip);
        for (;;)
                __asm__ volatile("cli; hlt");
}

static uint64_t *table_at(uint64_t *t, unsigned i)
{
        if (!(t[i] & 1)) {
                if (pool_used == POOL_PAGES) {
                        hg_say("FAIL out of page-table pages");
                        hg_unexpected(0, 0);
                }
                t[i] = (uint64_t)(uintptr_t)pool[pool_used++] | 3;
        }
        return (uint64_t *)(uintptr_t)(t[i] & ~0xfffull);
}

void hg_map_2m(uint64_t addr)
{
        uint64_t *pdpt = table_at(pml4, (addr >> 39) & 511);
        uint64_t *pd = table_at(pdpt, (addr >> 30) & 511);

        pd[(addr >> 21) & 511] = (addr & ~0x1fffffull) | 0x83;
        if (tables_live)
                hg_load_cr3((uint64_t)(uintptr_t)pml4);
}

/* Its own tables (identity, the first 4 GiB) and IDT (the 32 exceptions). */
static void take_cpu(void)
{
        static uint64_t idt[64] __attribute__((aligned(16)));
        static struct __attribute__((packed)) { uint16_t limit; uint64_t base; } idtr;
        uint16_t cs;

        pml4 = pool[pool_used++];
        for (uint64_t a = 0; a < (4ull << 30); a += 2ull << 20)
                hg_map_2m(a);
        hg_load_cr3((uint64_t)(uintptr_t)pml4);
        tables_live = true;
        __asm__ volatile("mov %%cs, %0" : "=r"(cs));
        for (unsigned v = 0; v < 32; v++) {
                uint64_t h = hg_vectors[v];

                idt[v * 2] = (h & 0xffff) | (uint64_t)cs << 16 | 0x8e00ull << 32 |
                             (h >> 16 & 0xffff) << 48;
                idt[v * 2 + 1] = h >> 32;
        }
        idtr.limit = sizeof(idt) - 1;
        idtr.base = (uint64_t)(uintptr_t)idt;
        hg_lidt(&idtr);
}

static uint32_t rd32(const uint8_t *p)
{
        return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
        return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static void read_zero_page(const uint8_t *zp)
{
        unsigned n = zp[ZP_E820_ENTRIES];

        for (unsigned i = 0; i < n && i < 128; i++) {
                const uint8_t *e = zp + ZP_E820_TABLE + i * 20;

                if (rd32(e + 16) == 1 && rd64(e) + rd64(e + 8) > hg_ram_top)
                        hg_ram_top = rd64(e) + rd64(e + 8);
        }
        hg_fb_base = rd32(zp + ZP_LFB_BASE) | (uint64_t)rd32(zp + ZP_EXT_LFB_BASE) << 32;
        hg_fb_size = rd32(zp + ZP_LFB_SIZE);
}

/* The value of word KEY= in s, or NULL; *len its length. */
static const char *word(const char *s, const char *key, size_t *len)
{
        size_t k = 0;

        while (key[k])
                k++;
        for (const char *p = s; *p; p++) {
                if ((p == s || p[-1] == ' ') && !__builtin_memcmp(p, key, k)) {
                        *len = 0;
                        while (p[k + *len] && p[k + *len] != ' ')
                                (*len)++;
                        return p + k;
                }
        }
        return NULL;
}

static bool fatal(const char *n, size_t len)
{
        return (len >= 6 && !__builtin_memcmp(n, "touch-", 6)) ||
               (len == 6 && !__builtin_memcmp(n, "triple", 6)) ||
               (len == 6 && !__builtin_memcmp(n, "hltcli", 6)) ||
               (len == 5 && !__builtin_memcmp(n, "reset", 5)) ||
               (len == 8 && !__builtin_memcmp(n, "mmio-odd", 8)) ||
               (len == 5 && !__builtin_memcmp(n, "crbad", 5));     /* under TCG (phases.c) */
}

static void run(const char *list, size_t len, unsigned skip_fatal)
{
        size_t i = 0;

        while (i < len) {
                size_t n = 0;

                while (i + n < len && list[i + n] != ',')
                        n++;
                char name[32];
                size_t c = n < sizeof(name) - 1 ? n : sizeof(name) - 1;

                __builtin_memcpy(name, list + i, c);
                name[c] = '\0';
                if (skip_fatal) {
                        skip_fatal -= fatal(list + i, n);
                } else {
                        hg_say("%s begins", name);
                        if (!hg_phase(list + i, n))
                                hg_say("%s: no such phase", name);
                        else
                                hg_say("%s survived (%lu faults so far)", name, hg_faults);
                }
                i += n + 1;
        }
}

void hg_main(const uint8_t *zp, uint64_t base);
void hg_main(const uint8_t *zp, uint64_t base)
{
        const char *cmdline = (const char *)(uintptr_t)(rd32(zp + ZP_CMD_LINE_PTR) |
                                                        (uint64_t)rd32(zp + ZP_EXT_CMD_LINE_PTR) << 32);
        const char *list, *restart;
        size_t len = 0, rlen = 0;
        unsigned restarts = 0;

        hg_uart_reset();
        if (base != 0x1000000) {        /* linked there: absolute addresses in its tables */
                hg_say("FAIL loaded at 0x%lx, not at its pref_address", base);
                hg_unexpected(0, base);
        }
        take_cpu();
        read_zero_page(zp);
        restart = word(cmdline, "thatte.restart=", &rlen);
        for (size_t i = 0; restart && i < rlen && restart[i] >= '0' && restart[i] <= '9'; i++)
                restarts = restarts * 10 + (unsigned)(restart[i] - '0');
        hg_say("started at 0x%lx, restart %u, RAM to 0x%lx, screen 0x%lx+0x%lx", base, restarts,
               hg_ram_top, hg_fb_base, hg_fb_size);
        list = word(cmdline, "hostile=", &len);
        if (list)
                run(list, len, restarts);
        hg_say("all phases done");
        for (;;)
                __asm__ volatile("cli; pause");
}
