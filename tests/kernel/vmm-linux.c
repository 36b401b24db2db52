/* tests/kernel/vmm-linux.c: kernel/vmm's Linux loader on synthetic
 * bzImages: a good one laid out as the boot protocol says (zero page,
 * e820, screen_info, GDT, identity page tables, entry state), then hostile
 * images, command lines, initramfs sizes and RAM ranges, each refused with
 * guest RAM left untouched, and random header mutations under ASan. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/tap.h"
#include "linux-boot.h"
#include "linux-zp.h"
#include "le.h"

#define MIB (1ull << 20)
#define SETUP_LEN (5 * 512)
#define KERNEL_LEN (64 * 1024)
#define IMAGE_LEN (SETUP_LEN + KERNEL_LEN)

static uint8_t image[IMAGE_LEN];

static void
make_image(void)
{
        memset(image, 0, sizeof(image));
        image[0x1f1] = 4;
        wr16(image + 0x1fe, 0xaa55);
        image[0x200] = 0xeb;
        image[0x201] = 0x6a;                    /* header ends at 0x26c */
        wr32(image + 0x202, 0x53726448);
        wr16(image + 0x206, 0x020f);
        image[0x211] = 0x01;                    /* LOADED_HIGH */
        wr32(image + 0x22c, 0x7fffffff);
        wr32(image + 0x230, 2 * MIB);
        image[0x234] = 1;
        wr16(image + 0x236, 0x3);
        wr32(image + 0x238, 255);
        wr64(image + 0x250, 0xdeadbeef);        /* must not reach the guest */
        wr64(image + 0x258, 16 * MIB);
        wr32(image + 0x260, 128 * 1024);
        for (size_t i = SETUP_LEN; i < IMAGE_LEN; i++)
                image[i] = (uint8_t)(i * 7 + 1);
}

static struct guest_ram
ram_new(uint64_t gpa, uint64_t size)
{
        struct guest_ram r = { calloc(1, size), gpa, size };
        if (!r.host)
                abort();
        return r;
}

static bool
ram_untouched(const struct guest_ram *r)
{
        for (uint64_t i = 0; i < r->size; i++)
                if (r->host[i])
                        return false;
        return true;
}

static uint8_t *
g(const struct guest_ram *r, uint64_t gpa)
{
        return r->host + (gpa - r->gpa);
}

/* Walk the identity map the loader built: the physical address of va. */
static uint64_t
walk(const struct guest_ram *r, uint64_t cr3, uint64_t va)
{
        uint64_t e = rd64(g(r, cr3) + ((va >> 39) & 511) * 8);
        if (!(e & 1))
                return ~0ull;
        e = rd64(g(r, e & ~0xfffull) + ((va >> 30) & 511) * 8);
        if (!(e & 1))
                return ~0ull;
        e = rd64(g(r, e & ~0xfffull) + ((va >> 21) & 511) * 8);
        if ((e & 0x81) != 0x81)
                return ~0ull;
        return (e & ~0x1fffffull) + (va & 0x1fffff);
}

static int
load(const struct guest_ram *r, const char *cmd, const uint8_t *initrd, size_t initrd_len,
     struct linux_entry *e, struct linux_layout *l)
{
        struct linux_fb fb = { 0xc0000000, 1280, 800, 5120, 16, 8, 0, true };
        struct linux_boot b = { image, sizeof(image), initrd, initrd_len, cmd, &fb };
        return linux_load(&b, r, e, l);
}

static void
test_good(void)
{
        static const uint8_t initrd[5000] = { 0x30, 0x37, 0x30, 0x37 };
        struct guest_ram r = ram_new(0, 64 * MIB);
        struct linux_entry e;
        struct linux_layout l;

        make_image();
        is_int(load(&r, "console=ttyS0 quiet", initrd, sizeof(initrd), &e, &l), 0, "good image loads");
        is_int((long)l.kernel, 16 * MIB, "kernel at its preferred address");
        ok(!memcmp(g(&r, l.kernel), image + SETUP_LEN, KERNEL_LEN), "protected-mode kernel copied");
        is_int((long)e.rip, (long)l.kernel + 0x200, "rip: the 64-bit entry");
        is_int((long)e.rsi, (long)l.zero_page, "rsi: the zero page");
        uint8_t *zp = g(&r, l.zero_page);
        is_int(rd32(zp + 0x202), 0x53726448, "zero page has the setup header");
        is_int(zp[0x210], 0xff, "type_of_loader set");
        is_int(rd64(zp + 0x250), 0, "image's setup_data pointer cleared");
        ok(!strcmp((char *)g(&r, rd32(zp + 0x228)), "console=ttyS0 quiet"), "command line placed");
        is_int(rd32(zp + 0x218), (long)l.initrd, "ramdisk_image");
        is_int(rd32(zp + 0x21c), sizeof(initrd), "ramdisk_size");
        ok(!memcmp(g(&r, l.initrd), initrd, sizeof(initrd)), "initramfs copied");
        ok(l.initrd >= l.kernel_end && l.initrd + l.initrd_len <= 64 * MIB && !(l.initrd & 4095),
           "initramfs page-aligned at the top, above the kernel");
        is_int(zp[ZP_E820_ENTRIES], 2, "two e820 entries");
        is_int((long)rd64(zp + ZP_E820_TABLE + 8), 0xa0000, "low RAM ends at the legacy hole");
        is_int((long)rd64(zp + ZP_E820_TABLE + 20), 0x100000, "high RAM starts at 1 MiB");
        is_int((long)rd64(zp + ZP_E820_TABLE + 28), 63 * MIB, "high RAM up to the end");
        is_int(rd32(zp + ZP_E820_TABLE + 36), E820_RAM, "type RAM");
        is_int(zp[0x0f], 0x70, "screen_info: VIDEO_TYPE_EFI");
        is_int(rd32(zp + 0x18), 0xc0000000, "screen_info: lfb_base");
        is_int(rd32(zp + 0x1c), 5120 * 800, "screen_info: lfb_size in bytes for efifb");
        is_int(rd16(zp + 0x24), 5120, "screen_info: stride");
        is_int(zp[0x27] | zp[0x29] << 8 | zp[0x2b] << 16 | zp[0x2d] << 24, 0x18000810,
               "screen_info: red 16 green 8 blue 0 reserved 24");
        is_int(walk(&r, e.cr3, l.kernel + 0x200), (long)l.kernel + 0x200, "kernel identity-mapped");
        is_int(walk(&r, e.cr3, 0xfee00000), 0xfee00000, "first 4 GiB identity-mapped");
        uint8_t *gdt = g(&r, e.seg[SEG_GDTR].base);
        ok(rd64(gdt + 0x10) == 0x00af9b000000ffffull && rd64(gdt + 0x18) == 0x00cf93000000ffffull,
           "GDT: __BOOT_CS 64-bit code, __BOOT_DS data");
        ok(e.seg[SEG_CS].sel == 0x10 && e.seg[SEG_CS].attr == 0xa9b && e.seg[SEG_DS].sel == 0x18 &&
           e.seg[SEG_SS].sel == 0x18, "CS, DS, SS selectors and attributes");
        ok(e.cr0 == 0x80000031 && e.cr4 == 0x20 && e.efer == 0x500 && e.rflags == 2,
           "long mode, paging, interrupts off");
        free(r.host);
}

static void
test_other_places(void)
{
        struct guest_ram r = ram_new(0, 12 * MIB);
        struct linux_entry e;
        struct linux_layout l;

        make_image();
        is_int(load(&r, NULL, NULL, 0, &e, &l), 0, "12 MiB RAM: loads below pref_address");
        ok(!(l.kernel & (2 * MIB - 1)) && l.kernel >= l.page_tables, "kernel aligned, above the tables");
        is_int(rd32(g(&r, l.zero_page) + 0x21c), 0, "no initramfs: size 0");
        free(r.host);
        r = ram_new(5ull << 30, 64 * MIB);
        is_int(load(&r, "x", NULL, 0, &e, &l), 0, "RAM above 4 GiB: loads");
        is_int(rd32(g(&r, l.zero_page) + ZP_EXT_CMD_LINE_PTR), 1, "ext_cmd_line_ptr set");
        is_int(g(&r, l.zero_page)[ZP_E820_ENTRIES], 1, "one e820 entry");
        is_int(walk(&r, e.cr3, e.rip), (long)e.rip, "entry identity-mapped above 4 GiB");
        free(r.host);
        make_image();
        image[0x1f1] = 0;                       /* 0 means 4 */
        r = ram_new(0, 64 * MIB);
        is_int(load(&r, NULL, NULL, 0, &e, &l), 0, "setup_sects 0 read as 4");
        free(r.host);
}

/* A refused load must leave guest RAM as it was. */
static void
refused(const char *what, int want, const struct guest_ram *r, const char *cmd, size_t initrd_len)
{
        static uint8_t initrd[4096]; /* longer claims must be refused unread */
        struct linux_entry e;
        struct linux_layout l;
        struct linux_boot b = { image, sizeof(image), initrd, initrd_len, cmd, NULL };

        is_int(linux_load(&b, r, &e, &l), want, "%s refused", what);
        ok(ram_untouched(r), "%s: guest RAM untouched", what);
}

static void
test_hostile_images(void)
{
        struct guest_ram r = ram_new(0, 64 * MIB);
        struct linux_header h;
        struct { const char *what; size_t off; int width; uint64_t value; int want; } cases[] = {
                { "bad boot flag", 0x1fe, 2, 0x55aa, -VMM_ENOEXEC },
                { "no HdrS", 0x202, 4, 0x53726447, -VMM_ENOEXEC },
                { "protocol 2.11", 0x206, 2, 0x020b, -VMM_ENOTSUP },
                { "protocol 2.00", 0x206, 2, 0x0200, -VMM_ENOTSUP },
                { "header shorter than 2.12's", 0x201, 1, 0x10, -VMM_ENOEXEC },
                { "setup_sects past the image", 0x1f1, 1, 200, -VMM_ENOEXEC },
                { "not LOADED_HIGH", 0x211, 1, 0, -VMM_ENOTSUP },
                { "not relocatable", 0x234, 1, 0, -VMM_ENOTSUP },
                { "no 64-bit entry", 0x236, 2, 0x2, -VMM_ENOTSUP },
                { "alignment 0", 0x230, 4, 0, -VMM_ENOEXEC },
                { "alignment not a power of two", 0x230, 4, 3 * MIB, -VMM_ENOEXEC },
                { "alignment 2 GiB", 0x230, 4, 1ull << 31, -VMM_ENOEXEC },
                { "init_size below the kernel", 0x260, 4, 4096, -VMM_ENOEXEC },
                { "init_size 4 GiB", 0x260, 4, 0xffffffff, -VMM_ENOSPC },
                { "pref_address at the top", 0x258, 8, ~0ull - 4095, 0 },
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                make_image();
                uint8_t v[8];
                memcpy(v, &cases[i].value, 8);
                memcpy(image + cases[i].off, v, cases[i].width);
                if (cases[i].want)
                        refused(cases[i].what, cases[i].want, &r, NULL, 0);
                else
                        is_int(linux_parse_header(image, sizeof(image), &h), 0, "%s accepted", cases[i].what);
        }
        make_image();
        for (size_t len = 0; len < SETUP_LEN + 1; len += len < 0x270 ? 1 : 512) {
                uint8_t *copy = malloc(len ? len : 1);
                memcpy(copy, image, len);
                int err = linux_parse_header(copy, len, &h);
                free(copy);
                if (err != -VMM_ENOEXEC) {
                        ok(0, "truncated image of %zu bytes refused (got %d)", len, err);
                        goto out;
                }
        }
        ok(1, "every image truncated before its kernel refused");
out:
        is_int(linux_parse_header(NULL, 4096, &h), -VMM_ENOEXEC, "no image refused");
        free(r.host);
}

static void
test_hostile_inputs(void)
{
        struct guest_ram r = ram_new(0, 64 * MIB);
        char cmd[300];

        make_image();
        memset(cmd, 'a', sizeof(cmd));
        cmd[255] = 0;
        struct linux_entry e;
        struct linux_layout l;
        struct linux_boot b = { image, sizeof(image), NULL, 0, cmd, NULL };
        is_int(linux_load(&b, &r, &e, &l), 0, "command line of exactly cmdline_size accepted");
        memset(r.host, 0, r.size);
        cmd[255] = 'a';
        cmd[256] = 0;
        refused("command line one byte too long", -VMM_E2BIG, &r, cmd, 0);
        cmd[299] = 'a';                         /* no NUL in reach: never read past the limit */
        refused("unterminated command line", -VMM_E2BIG, &r, cmd, 0);
        refused("initramfs larger than RAM", -VMM_ENOSPC, &r, NULL, 65 * MIB);
        refused("initramfs of SIZE_MAX", -VMM_ENOSPC, &r, NULL, SIZE_MAX);
        refused("initramfs over the kernel", -VMM_ENOSPC, &r, NULL, 48 * MIB);
        wr32(image + 0x22c, 16 * MIB + 65536);  /* initrd_addr_max inside the kernel, */
        wr16(image + 0x236, 0x1);               /* which counts only below 4 GiB */
        refused("initrd_addr_max below the kernel's end", -VMM_ENOSPC, &r, NULL, 4096);
        make_image();
        struct guest_ram bad[] = {
                { r.host, 0, 0 }, { r.host, 100, 64 * MIB }, { r.host, 0, 64 * MIB + 1 },
                { r.host, ~0ull - 4095, 64 * MIB }, { NULL, 0, 64 * MIB },
        };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
                is_int(linux_load(&b, &bad[i], &e, &l), -VMM_EINVAL, "bad RAM range %zu refused", i);
        struct guest_ram small = { r.host, 0, 1 * MIB };
        refused("1 MiB of RAM", -VMM_ENOSPC, &small, NULL, 0);
        struct guest_ram huge = { r.host, 512ull << 30, 64 * MIB };
        refused("RAM beyond what one PDPT maps", -VMM_ENOSPC, &huge, NULL, 0);
        free(r.host);
}

/* Random header bytes: never an access outside RAM or the image (ASan),
 * and whatever loads lies inside RAM without overlaps. */
static void
test_mutations(void)
{
        struct guest_ram r = ram_new(0, 32 * MIB);
        static const uint8_t initrd[8192];
        int loaded = 0, bad = 0;

        srand(18);
        for (int i = 0; i < 3000; i++) {
                make_image();
                for (int n = 1 + rand() % 6; n; n--)
                        image[0x1f1 + rand() % 0x80] = (uint8_t)rand();
                struct linux_entry e;
                struct linux_layout l;
                if (load(&r, "console=ttyS0", initrd, sizeof(initrd), &e, &l))
                        continue;
                loaded++;
                if (l.kernel_end > 32 * MIB || (l.initrd < l.kernel_end) ||
                    l.zero_page >= l.kernel || e.rip != l.kernel + 0x200)
                        bad++;
        }
        ok(loaded > 0 && !bad, "3000 mutated headers: %d loaded, all inside RAM (%d bad)", loaded, bad);
        free(r.host);
}

int
main(void)
{
        test_good();
        test_other_places();
        test_hostile_images();
        test_hostile_inputs();
        test_mutations();
        return tap_done();
}
