/* tests/helpers/qmp-json.c: a validating walk over one JSON object.
 *
 * Recursive descent with a depth limit; every read checks the end pointer.
 * Strings are decoded only where a caller wants the text (member names and
 * the error description); everything else is just stepped over. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "qmp-json.h"

/* QMP replies nest a handful of levels; query-qmp-schema stays far below. */
#define QMP_JSON_MAX_DEPTH 64

struct scan {
        const char *p;
        const char *end;
};

/* Where decoded string bytes go; a NULL sink discards them. */
struct sink {
        char *buf;
        size_t size;
        size_t len;
        bool truncated;
};

static void sink_put(struct sink *o, const char *bytes, size_t n)
{
        if (!o || o->size == 0)
                return;
        for (size_t i = 0; i < n; i++) {
                if (o->len + 1 >= o->size) {
                        o->truncated = true;
                        break;
                }
                o->buf[o->len++] = bytes[i];
        }
        o->buf[o->len] = '\0';
}

static void sink_put_utf8(struct sink *o, uint32_t cp)
{
        char b[4];
        size_t n;

        if (cp < 0x80) {
                b[0] = (char)cp;
                n = 1;
        } else if (cp < 0x800) {
                b[0] = (char)(0xc0 | (cp >> 6));
                b[1] = (char)(0x80 | (cp & 0x3f));
                n = 2;
        } else if (cp < 0x10000) {
                b[0] = (char)(0xe0 | (cp >> 12));
                b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
                b[2] = (char)(0x80 | (cp & 0x3f));
                n = 3;
        } else {
                b[0] = (char)(0xf0 | (cp >> 18));
                b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
                b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
                b[3] = (char)(0x80 | (cp & 0x3f));
                n = 4;
        }
        sink_put(o, b, n);
}

static void skip_ws(struct scan *s)
{
        while (s->p < s->end &&
               (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
                s->p++;
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

/* Reads the XXXX of a \uXXXX escape; s->p is just past the 'u'. */
static int scan_hex4(struct scan *s, uint32_t *ret)
{
        uint32_t v = 0;

        if (s->end - s->p < 4)
                return -EINVAL;
        for (int i = 0; i < 4; i++) {
                int d = hex_digit(s->p[i]);
                if (d < 0)
                        return -EINVAL;
                v = v << 4 | (uint32_t)d;
        }
        s->p += 4;
        *ret = v;
        return 0;
}

/* A \u escape, joining a surrogate pair; a lone surrogate becomes U+FFFD. */
static int scan_unicode_escape(struct scan *s, struct sink *o)
{
        uint32_t cp, low;
        int r;

        r = scan_hex4(s, &cp);
        if (r < 0)
                return r;
        if (cp >= 0xd800 && cp < 0xdc00 && s->end - s->p >= 6 &&
            s->p[0] == '\\' && s->p[1] == 'u') {
                struct scan peek = { s->p + 2, s->end };

                r = scan_hex4(&peek, &low);
                if (r < 0)
                        return r;
                if (low >= 0xdc00 && low < 0xe000) {
                        s->p = peek.p;
                        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
                }
        }
        if (cp >= 0xd800 && cp < 0xe000)
                cp = 0xfffd;
        sink_put_utf8(o, cp);
        return 0;
}

/* One escape sequence; s->p is just past the backslash. */
static int scan_escape(struct scan *s, struct sink *o)
{
        static const char from[] = "\"\\/bfnrt";
        static const char to[] = "\"\\/\b\f\n\r\t";
        const char *hit;
        char c;

        if (s->p >= s->end)
                return -EINVAL;
        c = *s->p++;
        if (c == 'u')
                return scan_unicode_escape(s, o);
        hit = c ? strchr(from, c) : NULL;
        if (!hit)
                return -EINVAL;
        sink_put(o, &to[hit - from], 1);
        return 0;
}

static int scan_string(struct scan *s, struct sink *o)
{
        if (o && o->size > 0) {
                o->len = 0;
                o->buf[0] = '\0';
        }
        if (s->p >= s->end || *s->p != '"')
                return -EINVAL;
        s->p++;
        while (s->p < s->end) {
                char c = *s->p++;
                int r;

                if (c == '"')
                        return 0;
                if ((unsigned char)c < 0x20)
                        return -EINVAL;
                if (c != '\\') {
                        sink_put(o, &c, 1);
                        continue;
                }
                r = scan_escape(s, o);
                if (r < 0)
                        return r;
        }
        return -EINVAL;
}

static size_t skip_digits(struct scan *s)
{
        size_t n = 0;

        while (s->p < s->end && *s->p >= '0' && *s->p <= '9') {
                s->p++;
                n++;
        }
        return n;
}

static bool next_is(const struct scan *s, char c)
{
        return s->p < s->end && *s->p == c;
}

static int scan_number(struct scan *s)
{
        if (next_is(s, '-'))
                s->p++;
        if (next_is(s, '0'))
                s->p++;
        else if (skip_digits(s) == 0)
                return -EINVAL;
        if (next_is(s, '.')) {
                s->p++;
                if (skip_digits(s) == 0)
                        return -EINVAL;
        }
        if (next_is(s, 'e') || next_is(s, 'E')) {
                s->p++;
                if (next_is(s, '+') || next_is(s, '-'))
                        s->p++;
                if (skip_digits(s) == 0)
                        return -EINVAL;
        }
        return 0;
}

static int scan_literal(struct scan *s, const char *word)
{
        size_t n = strlen(word);

        if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
                return -EINVAL;
        s->p += n;
        return 0;
}

/* What scan_object looks for while it walks: the first member named key. */
struct lookup {
        const char *key;
        const char *value;
        size_t len;
        bool found;
};

static int scan_value(struct scan *s, unsigned depth);

static int scan_member(struct scan *s, unsigned depth, struct lookup *want)
{
        char name[64];
        struct sink ks = { name, sizeof name, 0, false };
        const char *start;
        int r;

        r = scan_string(s, &ks);
        if (r < 0)
                return r;
        skip_ws(s);
        if (!next_is(s, ':'))
                return -EINVAL;
        s->p++;
        skip_ws(s);
        start = s->p;
        r = scan_value(s, depth);
        if (r < 0)
                return r;
        /* A name with an embedded NUL (\u0000) or longer than the buffer
         * must not match a shorter key by accident. */
        if (want && !want->found && !ks.truncated && ks.len == strlen(name) &&
            strcmp(name, want->key) == 0) {
                want->found = true;
                want->value = start;
                want->len = (size_t)(s->p - start);
        }
        return 0;
}

static int scan_object(struct scan *s, unsigned depth, struct lookup *want)
{
        if (depth > QMP_JSON_MAX_DEPTH || !next_is(s, '{'))
                return -EINVAL;
        s->p++;
        skip_ws(s);
        if (next_is(s, '}')) {
                s->p++;
                return 0;
        }
        for (;;) {
                int r = scan_member(s, depth + 1, want);
                if (r < 0)
                        return r;
                skip_ws(s);
                if (next_is(s, '}')) {
                        s->p++;
                        return 0;
                }
                if (!next_is(s, ','))
                        return -EINVAL;
                s->p++;
                skip_ws(s);
        }
}

static int scan_array(struct scan *s, unsigned depth)
{
        if (depth > QMP_JSON_MAX_DEPTH || !next_is(s, '['))
                return -EINVAL;
        s->p++;
        skip_ws(s);
        if (next_is(s, ']')) {
                s->p++;
                return 0;
        }
        for (;;) {
                int r = scan_value(s, depth + 1);
                if (r < 0)
                        return r;
                skip_ws(s);
                if (next_is(s, ']')) {
                        s->p++;
                        return 0;
                }
                if (!next_is(s, ','))
                        return -EINVAL;
                s->p++;
                skip_ws(s);
        }
}

static int scan_value(struct scan *s, unsigned depth)
{
        if (s->p >= s->end)
                return -EINVAL;
        switch (*s->p) {
        case '{':
                return scan_object(s, depth, NULL);
        case '[':
                return scan_array(s, depth);
        case '"':
                return scan_string(s, NULL);
        case 't':
                return scan_literal(s, "true");
        case 'f':
                return scan_literal(s, "false");
        case 'n':
                return scan_literal(s, "null");
        default:
                if (*s->p == '-' || (*s->p >= '0' && *s->p <= '9'))
                        return scan_number(s);
                return -EINVAL;
        }
}

int qmp_json_member(const char *text, size_t len, const char *key,
                    const char **ret_value, size_t *ret_len)
{
        struct scan s = { text, text + len };
        struct lookup want = { .key = key };
        int r;

        skip_ws(&s);
        r = scan_object(&s, 0, &want);
        if (r < 0)
                return r;
        skip_ws(&s);
        if (s.p != s.end)
                return -EINVAL;
        if (!want.found)
                return -ENOENT;
        *ret_value = want.value;
        *ret_len = want.len;
        return 0;
}

int qmp_json_string(const char *text, size_t len, char *buf, size_t size)
{
        struct scan s = { text, text + len };
        struct sink o = { buf, size, 0, false };
        int r;

        skip_ws(&s);
        r = scan_string(&s, &o);
        if (r >= 0) {
                skip_ws(&s);
                if (s.p != s.end)
                        r = -EINVAL;
        }
        if (r < 0 && size > 0)
                buf[0] = '\0';
        return r;
}

int qmp_json_classify(const char *text, size_t len, enum qmp_kind *ret_kind)
{
        static const struct {
                const char *key;
                enum qmp_kind kind;
        } keys[] = {
                { "return", QMP_KIND_RETURN },
                { "error", QMP_KIND_ERROR },
                { "event", QMP_KIND_EVENT },
                { "QMP", QMP_KIND_GREETING },
        };
        const char *value;
        size_t value_len;

        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
                int r = qmp_json_member(text, len, keys[i].key, &value, &value_len);
                if (r == -ENOENT)
                        continue;
                if (r < 0)
                        return r;
                *ret_kind = keys[i].kind;
                return 0;
        }
        *ret_kind = QMP_KIND_OTHER;
        return 0;
}

int qmp_json_error_desc(const char *text, size_t len, char *buf, size_t size)
{
        const char *error, *desc;
        size_t error_len, desc_len;
        int r;

        r = qmp_json_member(text, len, "error", &error, &error_len);
        if (r < 0)
                return r;
        r = qmp_json_member(error, error_len, "desc", &desc, &desc_len);
        if (r == -EINVAL)
                return -ENOENT;  /* "error" is not an object */
        if (r < 0)
                return r;
        r = qmp_json_string(desc, desc_len, buf, size);
        return r < 0 ? -ENOENT : 0;
}
