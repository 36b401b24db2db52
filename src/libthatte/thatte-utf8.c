/* src/libthatte/thatte-utf8.c: UTF-8 validation for text read from files. */
#include "config.h"

#include <errno.h>

#include "thatte-toml.h"

/* Length of the sequence a lead byte starts, or 0 if it cannot start one. */
static size_t utf8_lead_length(unsigned char c)
{
        if (c < 0x80)
                return 1;
        if (c >= 0xc2 && c <= 0xdf)
                return 2;
        if (c >= 0xe0 && c <= 0xef)
                return 3;
        if (c >= 0xf0 && c <= 0xf4)
                return 4;
        return 0;
}

/* Overlong forms, surrogates and code points above U+10FFFF are caught by the
 * allowed range of the second byte (RFC 3629, section 4). */
static int utf8_second_ok(unsigned char lead, unsigned char c)
{
        switch (lead) {
        case 0xe0: return c >= 0xa0 && c <= 0xbf;
        case 0xed: return c >= 0x80 && c <= 0x9f;
        case 0xf0: return c >= 0x90 && c <= 0xbf;
        case 0xf4: return c >= 0x80 && c <= 0x8f;
        default:   return c >= 0x80 && c <= 0xbf;
        }
}

int thatte_utf8_validate(const char *data, size_t size, size_t *ret_offset)
{
        const unsigned char *s = (const unsigned char *)data;
        size_t i = 0;

        while (i < size) {
                size_t n = utf8_lead_length(s[i]);

                if (s[i] == 0) {
                        *ret_offset = i;
                        return -EINVAL;
                }
                if (n == 0 || size - i < n || (n > 1 && !utf8_second_ok(s[i], s[i + 1]))) {
                        *ret_offset = i;
                        return -EILSEQ;
                }
                for (size_t k = 2; k < n; k++)
                        if ((s[i + k] & 0xc0) != 0x80) {
                                *ret_offset = i;
                                return -EILSEQ;
                        }
                i += n;
        }
        return 0;
}
