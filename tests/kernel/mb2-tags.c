/* tests/kernel/mb2-tags.c: the kernel's Multiboot2 tag reader on blocks
 * built here: a GRUB-like block gives the memory map, the named modules,
 * the command line and the framebuffer; hostile blocks (a total past the
 * readable length, tags running past the total or shorter than a header,
 * or absurdly long, a missing end tag, unterminated strings, empty, too
 * many or kernel-overlapping modules, map entries smaller or larger than
 * the tag, misaligned or wrapping, framebuffers it cannot describe or
 * past physical memory) are cut short or skipped, never read beyond. Built with the sanitizers: a read past the
 * buffer fails the test. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mb2-tags.h"
#include "tests/tap.h"

static uint8_t *blk;
static uint32_t len;

static void begin(void)
{
        free(blk);
        blk = calloc(1, 4096);
        len = 8;
}

/* Appends a tag of type with size bytes of body (8-byte aligned after). */
static uint8_t *tag(uint32_t type, const void *body, uint32_t size)
{
        uint8_t *t = blk + len;

        memcpy(t, &type, 4);
        size += 8;
        memcpy(t + 4, &size, 4);
        if (body)
                memcpy(t + 8, body, size - 8);
        len += (size + 7) & ~7u;
        return t;
}

/* The kernel image the modules must not overlap. */
static const struct mb2_keep_out kernel = { 0x100000, 0x140000 };

/* Returns an exact copy of the block's len bytes, so the sanitizer sees
 * every read past it; total 0: len. */
static uint8_t *copy_out(uint32_t total)
{
        uint8_t *copy;

        total = total ? total : len;
        memcpy(blk, &total, 4);
        copy = malloc(len);
        memcpy(copy, blk, len);
        return copy;
}

/* Ends the block with an end tag. */
static uint8_t *finish(uint32_t total)
{
        tag(0, NULL, 0);
        return copy_out(total);
}

static void module(uint32_t start, uint32_t end, const char *name)
{
        uint8_t body[64] = { 0 };

        memcpy(body, &start, 4);
        memcpy(body + 4, &end, 4);
        memcpy(body + 8, name, strlen(name) + 1);
        tag(3, body, 8 + (uint32_t)strlen(name) + 1);
}

/* A map tag of entries entry_size apart (at least 24), each of them. */
static void map_entries(uint32_t entry_size, const uint64_t (*e)[3], unsigned n, uint32_t extra)
{
        uint8_t body[512] = { 0 };
        uint32_t version = 0;

        memcpy(body, &entry_size, 4);
        memcpy(body + 4, &version, 4);
        for (unsigned i = 0; i < n; i++) {
                uint32_t type = (uint32_t)e[i][2];

                memcpy(body + 8 + i * entry_size, &e[i][0], 16);
                memcpy(body + 8 + i * entry_size + 16, &type, 4);
        }
        tag(6, body, 8 + n * entry_size + extra);
}

static void mmap_tag(void)
{
        uint64_t e[6] = { 0, 0x9fc00, 1, 0x100000, 0x7f00000, 1 };   /* addr, len, type|reserved */
        uint8_t body[8 + 48];
        uint32_t entry_size = 24, version = 0;

        memcpy(body, &entry_size, 4);
        memcpy(body + 4, &version, 4);
        memcpy(body + 8, &e[0], 16);
        memcpy(body + 24, &e[2], 8);
        memcpy(body + 32, &e[3], 16);
        memcpy(body + 48, &e[5], 8);
        tag(6, body, sizeof(body));
}

static void fb_tag(uint64_t addr, uint32_t pitch, uint32_t w, uint32_t h, uint8_t bpp, uint8_t type)
{
        uint8_t body[30] = { 0 };

        memcpy(body, &addr, 8);
        memcpy(body + 8, &pitch, 4);
        memcpy(body + 12, &w, 4);
        memcpy(body + 16, &h, 4);
        body[20] = bpp;
        body[21] = type;
        body[24] = 16, body[25] = 8, body[26] = 8, body[27] = 8, body[28] = 0, body[29] = 8;
        tag(8, body, sizeof(body));
}

static void framebuffer(uint8_t bpp, uint8_t type, uint32_t pitch)
{
        fb_tag(0xfd000000, pitch, 1024, 768, bpp, type);
}

/* max 0: the block's whole length, read here, after finish() has run
 * (the arguments of a call are evaluated in no set order). */
static unsigned parse(uint8_t *b, uint32_t max, struct mb2_parsed *p, struct thatte_mem_range *map)
{
        struct arch_memmap in;

        if (!max)
                max = len;
        arch_memmap_init(&in);
        mb2_tags_parse(b, max, &kernel, &in, p);
        free(b);
        return arch_memmap_build(&in, map, 16);
}

static void good(void)
{
        struct thatte_mem_range map[16];
        struct mb2_parsed p;
        unsigned n;

        begin();
        tag(1, "thatte.a=1 thatte.b", 20);
        module(0x143000, 0x169000, "root");
        module(0x200000, 0x201000, "");
        mmap_tag();
        framebuffer(32, 1, 4096);
        tag(14, "RSD PTR \0\0\0\0\0\0\0\0\0\0\0\0", 20);
        n = parse(finish(0), 0, &p, map);
        ok(strcmp(p.cmdline, "thatte.a=1 thatte.b") == 0 && p.cmdline_len == 19, "command line");
        is_int(p.module_count, 2, "two modules");
        ok(strcmp(p.modules[0].name, "root") == 0 && p.modules[0].base == 0x143000 &&
           p.modules[0].size == 0x26000, "module root: where and how large");
        ok(p.modules[1].name[0] == '\0', "an unnamed second module stays unnamed");
        is_int(n, 6, "map: low RAM, then RAM split around the two modules");
        ok(map[0].base == 0 && map[0].size == 0x9f000 && map[0].type == THATTE_MEM_USABLE, "low RAM in whole pages");
        ok(map[2].base == 0x143000 && map[2].type == THATTE_MEM_MODULE, "the module claimed");
        ok(p.fb.format == THATTE_FB_BGRX8888 && p.fb.width == 1024 && p.fb.stride == 1024 &&
           p.fb.base == 0xfd000000 && p.fb.size == 4096u * 768, "32 bpp framebuffer, BGRX");
        ok(p.rsdp_copy && memcmp(p.rsdp_copy, "RSD PTR ", 8) == 0, "RSDP copy found");
}

static void hostile(void)
{
        struct thatte_mem_range map[16];
        struct mb2_parsed p;
        char longline[400];
        uint8_t *b;

        begin();
        module(0x143000, 0x169000, "root");
        is_int((parse(finish(0x10000), 0, &p, map), p.module_count), 0, "total past the readable length: nothing");
        begin();
        parse(finish(0), 4, &p, map);
        is_int(p.module_count, 0, "block shorter than its header: nothing");

        begin();
        module(0x143000, 0x169000, "root");
        b = finish(0);
        memcpy(b + 12, (uint32_t[]){ 0x1000 }, 4);     /* the module tag's size */
        is_int((parse(b, 0, &p, map), p.module_count), 0, "tag running past the total: walk stops");
        begin();
        tag(1, "x", 2);
        b = finish(0);
        memcpy(b + 12, (uint32_t[]){ 4 }, 4);
        parse(b, 0, &p, map);
        is_int(p.cmdline_len, 0, "tag shorter than a header: walk stops");

        begin();
        memset(longline, 'a', sizeof(longline));
        tag(1, longline, sizeof(longline));             /* no NUL in the tag */
        parse(finish(0), 0, &p, map);
        is_int(p.cmdline_len, MB2_CMDLINE_SIZE - 1, "unterminated long command line: cut, terminated");
        begin();
        tag(1, "abc", 3);                               /* no NUL, padding follows */
        parse(finish(0), 0, &p, map);
        is_int(p.cmdline_len, 3, "unterminated command line: stops at the tag's end");

        begin();
        module(0x200000, 0x200000, "empty");
        module(0x300000, 0x100000, "backwards");
        for (int i = 0; i < 6; i++)
                module(0x400000 + 0x1000 * (uint32_t)i, 0x401000 + 0x1000 * (uint32_t)i, "m");
        parse(finish(0), 0, &p, map);
        is_int(p.module_count, MB2_MAX_MODULES, "empty and backwards modules skipped, at most 4 kept");
        begin();
        module(0x200000, 0x201000, "");
        parse(finish(0), 0, &p, map);
        ok(strcmp(p.modules[0].name, "root") == 0, "an unnamed first module is the root task");

        begin();
        tag(6, (uint32_t[]){ 8, 0, 0, 0, 0, 0 }, 24);  /* entry_size 8 < 24 */
        is_int(parse(finish(0), 0, &p, map), 0, "map entries smaller than the format: ignored");

        begin();
        framebuffer(24, 1, 3072);
        parse(finish(0), 0, &p, map);
        is_int(p.fb.format, THATTE_FB_NONE, "24 bpp framebuffer: none");
        begin();
        framebuffer(32, 0, 4096);
        parse(finish(0), 0, &p, map);
        is_int(p.fb.format, THATTE_FB_NONE, "indexed colour: none");
        begin();
        framebuffer(32, 1, 2048);
        parse(finish(0), 0, &p, map);
        is_int(p.fb.format, THATTE_FB_NONE, "pitch shorter than a line: none");
        begin();
        tag(8, NULL, 20);
        parse(finish(0), 0, &p, map);
        is_int(p.fb.format, THATTE_FB_NONE, "framebuffer tag too short: none");
        begin();
        tag(15, "RSD", 3);
        parse(finish(0), 0, &p, map);
        ok(p.rsdp_copy == NULL, "RSDP tag too short: no copy");
}

/* Sizes at the edges of their types: nothing wraps, nothing is read
 * past the block. */
static void absurd(void)
{
        struct thatte_mem_range map[16];
        struct mb2_parsed p;
        uint8_t *b;

        begin();
        tag(1, "ok", 3);
        module(0x200000, 0x201000, "root");
        b = copy_out(0);                                /* no end tag */
        parse(b, 0, &p, map);
        ok(p.cmdline_len == 2 && p.module_count == 1, "missing end tag: the tags inside the total are read");
        begin();
        tag(1, "ok", 3);
        b = finish(0);
        memcpy(b + 12, (uint32_t[]){ 0xffffffff }, 4);
        is_int((parse(b, 0, &p, map), p.cmdline_len), 0, "tag size 0xffffffff: walk stops");
        begin();
        tag(1, "ok", 3);
        b = finish(0xffffffff);
        is_int((parse(b, 0, &p, map), p.cmdline_len), 0, "total 0xffffffff: nothing");

        begin();
        module(0x120000, 0x150000, "over-the-kernel");
        module(0x0ff000, 0x101000, "into-the-kernel");
        module(0x200000, 0x201000, "after");
        parse(finish(0), 0, &p, map);
        ok(p.module_count == 1 && strcmp(p.modules[0].name, "after") == 0,
           "modules overlapping the kernel: skipped, the next one kept");

        begin();
        map_entries(24, (const uint64_t[][3]){ { 0, 0x800000, 1 }, { 0x200000, 0x1000, 2 } }, 2, 0);
        is_int(parse(finish(0), 0, &p, map), 3, "overlapping map entries: three ranges");
        ok(map[1].base == 0x200000 && map[1].size == 0x1000 && map[1].type == THATTE_MEM_RESERVED,
           "reserved wins over the usable RAM it overlaps");
        begin();
        map_entries(28, (const uint64_t[][3]){ { 0, 0x1000, 1 }, { 0x4000, 0x2000, 1 } }, 2, 0);
        is_int(parse(finish(0), 0, &p, map), 2, "map entries 28 bytes apart (misaligned): both read");
        begin();
        map_entries(24, (const uint64_t[][3]){ { 0x1000, 0x1000, 1 } }, 1, 16);
        is_int(parse(finish(0), 0, &p, map), 1, "a partial entry at the tag's end: not read");
        begin();
        map_entries(0xfffffff0u, NULL, 0, 24);
        is_int(parse(finish(0), 0, &p, map), 0, "entry size 0xfffffff0: nothing read");
        begin();
        map_entries(24, (const uint64_t[][3]){ { 0xfffffffffffff000ull, 0x2000, 1 },
                                               { 0xfffffffffffff000ull, 0x2000, 2 } }, 2, 0);
        is_int(parse(finish(0), 0, &p, map), 0, "ranges wrapping past 2^64: dropped");

        begin();
        fb_tag(0xfd000000, 0xfffffffc, 0x3fffffff, 0xffffffff, 32, 1);
        parse(finish(0), 0, &p, map);
        is_int(p.fb.format, THATTE_FB_NONE, "framebuffer of 2^64 bytes: none");
        begin();
        fb_tag(0xfffffffffffff000ull, 4096, 1024, 768, 32, 1);
        parse(finish(0), 0, &p, map);
        is_int(p.fb.format, THATTE_FB_NONE, "framebuffer wrapping past 2^64: none");
        begin();
        fb_tag(1ull << 52, 4096, 1024, 768, 32, 1);
        parse(finish(0), 0, &p, map);
        is_int(p.fb.format, THATTE_FB_NONE, "framebuffer past physical memory: none");
        begin();
        fb_tag(0xfd000000, 4096, 0, 768, 32, 1);
        parse(finish(0), 0, &p, map);
        is_int(p.fb.format, THATTE_FB_NONE, "framebuffer 0 pixels wide: none");
        begin();
        fb_tag(0xfd000000, 4094, 1023, 768, 32, 1);
        parse(finish(0), 0, &p, map);
        is_int(p.fb.format, THATTE_FB_NONE, "pitch not whole pixels: none");
}

int main(void)
{
        good();
        hostile();
        absurd();
        free(blk);
        return tap_done();
}
