/* tests/kernel/cpio-bundle.c: the kernel's reader of the direct boot's
 * module bundle (kernel/arch/x86_64/cpio-bundle.c) on archives written by
 * thatte-mkboot's writer (efi/mkboot-cpio.c) and on hostile ones: every
 * truncation of a good archive, names too long, empty, unterminated, with
 * a NUL inside or a '/', name and data sizes past the end or wrapping,
 * non-hex fields, another cpio format, missing trailer, duplicate root,
 * no root, data off a page boundary, a directory, an empty member, too
 * many members, non-zero padding. Built with the sanitizers, and every
 * archive is an exact-size copy: a read past it fails the test. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpio-bundle.h"
#include "mkboot-cpio.h"
#include "tests/tap.h"

#define BASE 0x4000000ull

static uint8_t *arc;
static size_t arc_len;
static struct thatte_module mods[CPIO_BUNDLE_MAX];
static uint32_t count;

/* Writes an archive of the n members with the real writer into arc. */
static void write_arc(const struct mkboot_cpio_member *m, size_t n)
{
        free(arc);
        arc = NULL;
        arc_len = 0;
        if (mkboot_cpio_write(m, n, &arc, &arc_len) < 0)
                abort();
}

/* Parses the first len bytes of arc from an exact-size copy. */
static enum cpio_bundle_error parse_len(size_t len, uint64_t base, uint32_t max)
{
        uint8_t *copy = malloc(len ? len : 1);
        enum cpio_bundle_error e;

        memcpy(copy, arc, len);
        count = 0xdead;
        e = cpio_bundle_parse(copy, len, base, mods, max, &count);
        free(copy);
        return e;
}

static enum cpio_bundle_error parse(void)
{
        return parse_len(arc_len, BASE, CPIO_BUNDLE_MAX);
}

/* The offset of the header whose name is name (found by its bytes). */
static size_t header_of(const char *name)
{
        size_t n = strlen(name) + 1;

        for (size_t i = 110; i + n <= arc_len; i++)
                if (!memcmp(arc + i, name, n) && !memcmp(arc + i - 110, "070701", 6))
                        return i - 110;
        abort();
}

/* Rewrites field f (0 = ino .. 12 = check) of the header at h. */
static void set_field(size_t h, unsigned f, uint32_t v)
{
        char hex[9];

        snprintf(hex, sizeof(hex), "%08X", v);
        memcpy(arc + h + 6 + 8 * f, hex, 8);
}

enum { F_MODE = 1, F_FILESIZE = 6, F_NAMESIZE = 11 };

static const uint8_t elf[] = "\177ELF root task bytes";
static const uint8_t bz[5000] = { [0] = 'B', [4999] = 'Z' };
static const uint8_t initrd[] = "initramfs";
static const uint8_t cmdline[] = "console=ttyS0";

static const struct mkboot_cpio_member driveros[] = {
        { "root", elf, sizeof(elf) },
        { "driveros-kernel", bz, sizeof(bz) },
        { "driveros-initrd", initrd, sizeof(initrd) },
        { "driveros-cmdline", cmdline, sizeof(cmdline) },
};

static void good_archive(void)
{
        int same = 1;

        write_arc(driveros, 4);
        ok(cpio_bundle_is_archive(arc, arc_len), "the writer's output looks like newc");
        is_int(parse(), CPIO_BUNDLE_OK, "the writer's archive is read");
        is_int(count, 4, "four modules");
        for (unsigned i = 0; i < 4 && count == 4; i++) {
                uint64_t off = mods[i].base - BASE;

                same &= !strcmp(mods[i].name, driveros[i].name) && mods[i].base % 4096 == 0 &&
                        mods[i].size == driveros[i].len &&
                        !memcmp(arc + off, driveros[i].data, driveros[i].len);
        }
        ok(same, "names, sizes, page-aligned bases and bytes as written");
        is_int(parse_len(arc_len, BASE + 0x10, CPIO_BUNDLE_MAX), CPIO_BUNDLE_ALIGN,
               "an archive loaded off a page boundary: data not aligned");
}

static void not_archives(void)
{
        ok(!cpio_bundle_is_archive(elf, sizeof(elf)), "an ELF is no archive");
        ok(!cpio_bundle_is_archive("07070", 5), "five bytes are no archive");
        ok(cpio_bundle_is_archive("070701", 6), "the magic alone is one (then refused)");
}

/* Every proper prefix of a good archive fails, without reading past it. */
static void truncations(void)
{
        size_t bad = 0, trailer;

        write_arc(driveros, 4);
        trailer = header_of("TRAILER!!!");
        for (size_t len = 0; len < trailer + 110; len++)
                bad += parse_len(len, BASE, CPIO_BUNDLE_MAX) == CPIO_BUNDLE_OK || count != 0xdead;
        is_int(bad, 0, "all %zu truncations refused, ret_count untouched", trailer + 110);
        is_int(parse_len(trailer, BASE, CPIO_BUNDLE_MAX), CPIO_BUNDLE_NO_TRAILER,
               "cut before the trailer: no trailer");
        is_int(parse_len(trailer + 50, BASE, CPIO_BUNDLE_MAX), CPIO_BUNDLE_TRUNCATED,
               "cut in the trailer's header: truncated");
}

static void names(void)
{
        static const char long31[] = "abcdefghijklmnopqrstuvwxyz01234";
        struct mkboot_cpio_member m[2] = { { "root", elf, sizeof(elf) }, { long31, initrd, 3 } };
        size_t h;

        write_arc(m, 2);
        is_int(parse(), CPIO_BUNDLE_OK, "a 31-byte name is read");
        ok(count == 2 && !strcmp(mods[1].name, long31), "and kept whole");
        h = header_of(long31);
        set_field(h, F_NAMESIZE, 33);
        is_int(parse(), CPIO_BUNDLE_NAME, "a 32-byte name is refused");
        set_field(h, F_NAMESIZE, 0);
        is_int(parse(), CPIO_BUNDLE_NAME, "name size 0");
        set_field(h, F_NAMESIZE, 1);
        is_int(parse(), CPIO_BUNDLE_NAME, "name size 1 (NUL only)");
        set_field(h, F_NAMESIZE, 31);
        is_int(parse(), CPIO_BUNDLE_NAME, "a name size that leaves out its NUL");
        set_field(h, F_NAMESIZE, 0xffffffffu);
        is_int(parse(), CPIO_BUNDLE_TRUNCATED, "a name size past the end");
        set_field(h, F_NAMESIZE, 32);
        arc[h + 110 + 5] = '\0';
        is_int(parse(), CPIO_BUNDLE_NAME, "a NUL inside the name");
        arc[h + 110 + 5] = '/';
        is_int(parse(), CPIO_BUNDLE_NAME, "a '/' in the name");
}

static void sizes(void)
{
        size_t h;

        write_arc(driveros, 4);
        h = header_of("driveros-initrd");
        set_field(h, F_FILESIZE, (uint32_t)(arc_len - h));
        is_int(parse(), CPIO_BUNDLE_TRUNCATED, "data past the end");
        set_field(h, F_FILESIZE, 0xffffffffu);
        is_int(parse(), CPIO_BUNDLE_TRUNCATED, "a size that would wrap a 32-bit offset");
        set_field(h, F_FILESIZE, 0xfffffff0u);
        is_int(parse(), CPIO_BUNDLE_TRUNCATED, "a size that wraps after padding");
        set_field(h, F_FILESIZE, 0);
        is_int(parse(), CPIO_BUNDLE_EMPTY, "an empty member");
        set_field(h, F_FILESIZE, sizeof(initrd));
        /* the name ends at h + 110 + 16, the data starts at h + 128 */
        arc[h + 128 + sizeof(initrd)] = 'x';
        is_int(parse(), CPIO_BUNDLE_PADDING, "a data padding byte that is not zero");
        arc[h + 128 + sizeof(initrd)] = 0;
        arc[h + 110 + 16] = 'x';
        is_int(parse(), CPIO_BUNDLE_PADDING, "a name padding byte that is not zero");
}

static void fields(void)
{
        static const char bad[] = { 'g', ' ', 'x', '-', '\0' };
        size_t h, fails = 0;

        write_arc(driveros, 4);
        h = header_of("driveros-kernel");
        for (unsigned f = 0; f < 13; f++)
                for (unsigned i = 0; i < sizeof(bad); i++) {
                        uint8_t keep = arc[h + 6 + 8 * f + 3];

                        arc[h + 6 + 8 * f + 3] = (uint8_t)bad[i];
                        fails += parse() != CPIO_BUNDLE_HEX;
                        arc[h + 6 + 8 * f + 3] = keep;
                }
        is_int(fails, 0, "a non-hex digit in any of the 13 fields");
        memcpy(arc + h, "070702", 6);
        is_int(parse(), CPIO_BUNDLE_MAGIC, "a crc-format header inside");
        memcpy(arc + h, "070701", 6);
        set_field(h, F_MODE, 040755);
        is_int(parse(), CPIO_BUNDLE_TYPE, "a directory");
        set_field(h, F_MODE, 0120777);
        is_int(parse(), CPIO_BUNDLE_TYPE, "a symbolic link");
        set_field(h, F_MODE, 0100644);
        is_int(parse(), CPIO_BUNDLE_OK, "restored, read again");
}

static void members(void)
{
        struct mkboot_cpio_member m[CPIO_BUNDLE_MAX + 1];
        char names[CPIO_BUNDLE_MAX + 1][8];

        write_arc((const struct mkboot_cpio_member[]){ { "root", elf, 4 }, { "rooX", elf, 4 } }, 2);
        memcpy(arc + header_of("rooX") + 110, "root", 4);
        is_int(parse(), CPIO_BUNDLE_DUPLICATE, "a second root");
        write_arc((const struct mkboot_cpio_member[]){ { "rooX", elf, 4 } }, 1);
        is_int(parse(), CPIO_BUNDLE_NO_ROOT, "no root");
        write_arc(NULL, 0);
        is_int(parse(), CPIO_BUNDLE_NO_ROOT, "the trailer alone");
        for (unsigned i = 0; i <= CPIO_BUNDLE_MAX; i++) {
                snprintf(names[i], sizeof(names[i]), i ? "m%u" : "root", i);
                m[i] = (struct mkboot_cpio_member){ names[i], elf, 4 };
        }
        write_arc(m, CPIO_BUNDLE_MAX);
        is_int(parse(), CPIO_BUNDLE_OK, "%u members fit", CPIO_BUNDLE_MAX);
        is_int(parse_len(arc_len, BASE, 3), CPIO_BUNDLE_TOO_MANY, "more than the caller's room");
        write_arc(m, CPIO_BUNDLE_MAX + 1);
        is_int(parse(), CPIO_BUNDLE_TOO_MANY, "%u members do not", CPIO_BUNDLE_MAX + 1);
}

/* A hand-made archive without .pad members: data right after the name. */
static void unaligned(void)
{
        static const char a[] = "070701" "00000001" "000081A4" "00000000" "00000000"
                                "00000001" "00000000" "00000004" "00000000" "00000000"
                                "00000000" "00000000" "00000005" "00000000" "root\0\0\0\0" "ELF!";

        free(arc);
        arc_len = sizeof(a) - 1;
        arc = malloc(arc_len);
        memcpy(arc, a, arc_len);
        is_int(parse(), CPIO_BUNDLE_ALIGN, "member data off a page boundary");
}

static void writer(void)
{
        uint8_t *d = NULL;
        size_t n = 0;
        struct mkboot_cpio_member m[2] = { { "root", elf, 4 }, { "root", elf, 4 } };

        is_int(mkboot_cpio_write(m, 2, &d, &n), -EINVAL, "writer: a name given twice");
        m[1].name = ".pad";
        is_int(mkboot_cpio_write(m, 2, &d, &n), -EINVAL, "writer: the padding's name");
        m[1].name = "a/b";
        is_int(mkboot_cpio_write(m, 2, &d, &n), -EINVAL, "writer: a '/'");
        m[1].name = "abcdefghijklmnopqrstuvwxyz012345";
        is_int(mkboot_cpio_write(m, 2, &d, &n), -EINVAL, "writer: a 32-byte name");
        m[1] = (struct mkboot_cpio_member){ "x", elf, 0 };
        is_int(mkboot_cpio_write(m, 2, &d, &n), -EINVAL, "writer: an empty member");
        ok(d == NULL && n == 0, "writer: outputs untouched on error");
}

int main(void)
{
        good_archive();
        not_archives();
        truncations();
        names();
        sizes();
        fields();
        members();
        unaligned();
        writer();
        free(arc);
        return tap_done();
}
