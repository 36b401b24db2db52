/* kernel/arch/x86_64/cpio-bundle.c: the direct boot's module bundle, a
 * cpio "newc" archive (header: "070701" and 13 fields of 8 hex digits;
 * the name, NUL included, padded so header and name end on a multiple of
 * 4 bytes; the data, padded to 4 bytes; last the member TRAILER!!!).
 *
 * The archive comes from whoever made the -initrd file: every field is
 * checked before it is used, every offset is computed in 64 bits from
 * 32-bit fields (no sum can wrap) and compared with the module's length
 * before anything at it is read. Member data must start on a page
 * boundary because struct thatte_module.base is page aligned and the
 * kernel hands modules on as frames; the writer (thatte-mkboot --direct)
 * pads with `.pad` members so no byte has to move at boot. */
#include "cpio-bundle.h"

#define NEWC_MAGIC "070701"
#define NEWC_HEADER 110u
#define NEWC_TRAILER "TRAILER!!!"
#define PAGE 4096u
#define S_IFMT_ 0170000u
#define S_IFREG_ 0100000u

enum newc_field {
        F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE,
        F_DEVMAJOR, F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK, F_COUNT,
};

struct newc_member {
        uint32_t field[F_COUNT];
        const char *name;               /* NUL-terminated inside the archive */
        uint64_t data, next;            /* offsets of the data and of the next header */
};

int cpio_bundle_is_archive(const void *data, uint64_t len)
{
        return len >= 6 && !__builtin_memcmp(data, NEWC_MAGIC, 6);
}

static uint64_t align4(uint64_t x)
{
        return (x + 3) & ~(uint64_t)3;
}

static int hex_digit(char c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

static int read_fields(const char *h, uint32_t *field)
{
        for (unsigned f = 0; f < F_COUNT; f++) {
                uint32_t v = 0;

                for (unsigned i = 0; i < 8; i++) {
                        int d = hex_digit(h[6 + 8 * f + i]);

                        if (d < 0)
                                return -1;
                        v = v << 4 | (uint32_t)d;
                }
                field[f] = v;
        }
        return 0;
}

static int all_zero(const uint8_t *p, uint64_t from, uint64_t to)
{
        for (uint64_t i = from; i < to; i++)
                if (p[i])
                        return 0;
        return 1;
}

/* The name field: namesize bytes inside the archive, the last one its
 * only NUL, at most a module name long (TRAILER!!! fits). */
static int name_sized(const char *s, uint32_t size)
{
        if (size < 2 || size > THATTE_MODULE_NAME_MAX || s[size - 1])
                return 0;
        for (uint32_t i = 0; i + 1 < size; i++)
                if (!s[i])
                        return 0;
        return 1;
}

/* A module name is made of [A-Za-z0-9._-]: it goes into logs as it is. */
static int name_chars_ok(const char *s)
{
        for (; *s; s++) {
                char c = *s;

                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                      (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
                        return 0;
        }
        return 1;
}

/* One header at offset at: fields, name, padding, data inside len. */
static enum cpio_bundle_error read_member(const uint8_t *p, uint64_t len, uint64_t at,
                                          struct newc_member *m)
{
        uint64_t name_end, data_end;

        if (at > len || len - at < NEWC_HEADER)
                return CPIO_BUNDLE_TRUNCATED;
        if (__builtin_memcmp(p + at, NEWC_MAGIC, 6))
                return CPIO_BUNDLE_MAGIC;
        if (read_fields((const char *)p + at, m->field) < 0)
                return CPIO_BUNDLE_HEX;
        name_end = at + NEWC_HEADER + m->field[F_NAMESIZE];
        m->data = align4(name_end);
        if (m->data > len)
                return CPIO_BUNDLE_TRUNCATED;
        m->name = (const char *)p + at + NEWC_HEADER;
        if (!name_sized(m->name, m->field[F_NAMESIZE]))
                return CPIO_BUNDLE_NAME;
        if (!all_zero(p, name_end, m->data))
                return CPIO_BUNDLE_PADDING;
        data_end = m->data + m->field[F_FILESIZE];
        m->next = align4(data_end);
        if (m->next > len)
                return CPIO_BUNDLE_TRUNCATED;
        if (!all_zero(p, data_end, m->next))
                return CPIO_BUNDLE_PADDING;
        return CPIO_BUNDLE_OK;
}

/* Whether the member's name is s; reads no further than its namesize. */
static int name_is(const struct newc_member *m, const char *s)
{
        uint64_t n = __builtin_strlen(s) + 1;

        return m->field[F_NAMESIZE] == n && !__builtin_memcmp(m->name, s, n);
}

static enum cpio_bundle_error add_module(const struct newc_member *m, uint64_t base,
                                         struct thatte_module *ret, uint32_t max, uint32_t *n)
{
        uint32_t size = m->field[F_FILESIZE];

        if (!name_chars_ok(m->name))
                return CPIO_BUNDLE_NAME;
        if ((m->field[F_MODE] & S_IFMT_) != S_IFREG_)
                return CPIO_BUNDLE_TYPE;
        if (!size)
                return CPIO_BUNDLE_EMPTY;
        if ((base + m->data) % PAGE)
                return CPIO_BUNDLE_ALIGN;
        for (uint32_t i = 0; i < *n; i++)
                if (!__builtin_memcmp(ret[i].name, m->name, m->field[F_NAMESIZE]))
                        return CPIO_BUNDLE_DUPLICATE;
        if (*n == max)
                return CPIO_BUNDLE_TOO_MANY;
        ret[*n].base = base + m->data;
        ret[*n].size = size;
        __builtin_memset(ret[*n].name, 0, sizeof(ret[*n].name));
        __builtin_memcpy(ret[*n].name, m->name, m->field[F_NAMESIZE]);
        (*n)++;
        return CPIO_BUNDLE_OK;
}

static int has_root(const struct thatte_module *mods, uint32_t n)
{
        for (uint32_t i = 0; i < n; i++)
                if (!__builtin_memcmp(mods[i].name, "root", 5))
                        return 1;
        return 0;
}

enum cpio_bundle_error cpio_bundle_parse(const void *data, uint64_t len, uint64_t base,
                                         struct thatte_module *ret, uint32_t max,
                                         uint32_t *ret_count)
{
        const uint8_t *p = data;
        struct newc_member m;
        enum cpio_bundle_error e;
        uint32_t n = 0;

        for (uint64_t at = 0;; at = m.next) {
                if (at == len)
                        return CPIO_BUNDLE_NO_TRAILER;
                e = read_member(p, len, at, &m);
                if (e != CPIO_BUNDLE_OK)
                        return e;
                if (name_is(&m, NEWC_TRAILER))
                        break;
                if (name_is(&m, CPIO_BUNDLE_PAD))
                        continue;
                e = add_module(&m, base, ret, max, &n);
                if (e != CPIO_BUNDLE_OK)
                        return e;
        }
        if (!has_root(ret, n))
                return CPIO_BUNDLE_NO_ROOT;
        *ret_count = n;
        return CPIO_BUNDLE_OK;
}

const char *cpio_bundle_strerror(enum cpio_bundle_error e)
{
        static const char *const text[] = {
                [CPIO_BUNDLE_OK] = "no error",
                [CPIO_BUNDLE_MAGIC] = "a header without the newc magic 070701",
                [CPIO_BUNDLE_TRUNCATED] = "a header, name or data past the end",
                [CPIO_BUNDLE_HEX] = "a header field that is not hexadecimal",
                [CPIO_BUNDLE_NAME] = "a name that is no module name",
                [CPIO_BUNDLE_PADDING] = "padding that is not zero",
                [CPIO_BUNDLE_TYPE] = "a member that is not a regular file",
                [CPIO_BUNDLE_EMPTY] = "an empty member",
                [CPIO_BUNDLE_ALIGN] = "member data not on a page boundary",
                [CPIO_BUNDLE_DUPLICATE] = "two members of one name",
                [CPIO_BUNDLE_TOO_MANY] = "too many members",
                [CPIO_BUNDLE_NO_TRAILER] = "no TRAILER!!!",
                [CPIO_BUNDLE_NO_ROOT] = "no member named root",
        };

        return (unsigned)e < sizeof(text) / sizeof(text[0]) ? text[e] : "unknown error";
}
