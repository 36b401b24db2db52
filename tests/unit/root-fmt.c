/* tests/unit/root-fmt.c: the root task's printf (kernel/user/fmt.c). */
#include <string.h>

#include "mku/fmt.h"
#include "tests/tap.h"

static void check(const char *want, const char *fmt, ...)
{
        char buf[128];
        va_list ap;
        int n;

        va_start(ap, fmt);
        n = mku_vformat(buf, sizeof(buf), fmt, ap);
        va_end(ap);
        ok(strcmp(buf, want) == 0 && n == (int)strlen(want), "\"%s\" gives \"%s\" (got \"%s\")",
           fmt, want, buf);
}

int main(void)
{
        char small[8];
        int n;

        check("plain", "plain");
        check("42 -7 0", "%d %d %u", 42, -7, 0u);
        check("ffffffffffffffff", "%lx", ~0ul);
        check("18446744073709551615", "%llu", ~0ull);
        check("00:1f.7 8086:1237", "%02x:%02x.%u %04x:%04x", 0u, 0x1fu, 7u, 0x8086u, 0x1237u);
        check("[  ab]", "[%4s]", "ab");
        check("x=(null)", "x=%s", (char *)NULL);
        check("100%", "100%%");
        check("c", "%c", 'c');
        check("-0005", "%05d", -5);
        check("size 12", "size %zu", (size_t)12);
        n = mku_format(small, sizeof(small), "%s", "truncated output");
        ok(n == 16 && strcmp(small, "truncat") == 0, "cut to the buffer, full length returned");
        n = mku_format(small, 0, "abc");
        ok(n == 3, "size 0 writes nothing and counts");
        return tap_done();
}
