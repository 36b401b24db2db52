/* tests/kernel/vmm-linux-real.c: kernel/vmm's Linux loader on Debian's
 * real kernel: $THATTE_VMM_TEST_KERNEL, else the linux-image package the
 * DriverOS cache unpacked (tests/driveros), else /boot/vmlinuz-*. The
 * header must parse, the compressed payload must start where the setup
 * header says (proof the setup/kernel split is right), and the kernel must
 * load into 256 MiB at its preferred address with its entry code mapped.
 * Exit 77 without a kernel, a failure with THATTE_REQUIRE_INTEGRATION=1. */
#include <glob.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/tap.h"
#include "linux-boot.h"
#include "linux-zp.h"
#include "le.h"

#define MIB (1ull << 20)

static char *
find_kernel(void)
{
        const char *env = getenv("THATTE_VMM_TEST_KERNEL");
        if (env && *env)
                return strdup(env);
        char pat[4096];
        const char *cache = getenv("THATTE_DRIVEROS_CACHE"), *xdg = getenv("XDG_CACHE_HOME"),
                   *home = getenv("HOME");
        if (cache && *cache)
                snprintf(pat, sizeof(pat), "%s", cache);
        else if (xdg && *xdg)
                snprintf(pat, sizeof(pat), "%s/thatte/driveros", xdg);
        else
                snprintf(pat, sizeof(pat), "%s/.cache/thatte/driveros", home ? home : "/");
        strncat(pat, "/linux-image-*_amd64.tree/boot/vmlinuz-*", sizeof(pat) - strlen(pat) - 1);
        const char *pats[] = { pat, "/boot/vmlinuz-*" };
        for (int i = 0; i < 2; i++) {
                glob_t gl;
                if (glob(pats[i], 0, NULL, &gl) == 0 && gl.gl_pathc) {
                        char *p = strdup(gl.gl_pathv[gl.gl_pathc - 1]);
                        globfree(&gl);
                        return p;
                }
        }
        return NULL;
}

static uint8_t *
slurp(const char *path, size_t *len)
{
        FILE *f = fopen(path, "rb");
        if (!f)
                return NULL;
        uint8_t *buf = NULL;
        size_t cap = 0, n = 0, r;
        do {
                if (n == cap && !(buf = realloc(buf, cap = cap ? cap * 2 : 1 << 20)))
                        abort();
                r = fread(buf + n, 1, cap - n, f);
                n += r;
        } while (r);
        fclose(f);
        *len = n;
        return buf;
}

static bool
known_compression(const uint8_t *p)
{
        static const struct { uint8_t len, magic[6]; } m[] = {
                { 2, { 0x1f, 0x8b } }, { 6, { 0xfd, '7', 'z', 'X', 'Z', 0 } },
                { 4, { 0x28, 0xb5, 0x2f, 0xfd } }, { 4, { 0x02, 0x21, 0x4c, 0x18 } },
                { 2, { 0x5d, 0x00 } }, { 3, { 'B', 'Z', 'h' } }, { 4, { 0x89, 'L', 'Z', 'O' } },
        };
        for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
                if (!memcmp(p, m[i].magic, m[i].len))
                        return true;
        return false;
}

int
main(void)
{
        char *path = find_kernel();
        size_t len;
        uint8_t *img = path ? slurp(path, &len) : NULL;

        if (!img) {
                free(path);
                const char *req = getenv("THATTE_REQUIRE_INTEGRATION");
                printf("1..0 # SKIP no Debian kernel (linux-image in the DriverOS cache or /boot)\n");
                return req && !strcmp(req, "1") ? 1 : 77;
        }
        tap_diag("kernel: %s (%zu bytes)", path, len);
        struct linux_header h;
        is_int(linux_parse_header(img, len, &h), 0, "setup header accepted");
        tap_diag("protocol %x.%02x, setup %u, kernel %u, init_size %u, alignment %#x, pref %#llx",
                 h.version >> 8, h.version & 0xff, h.setup_len, h.kernel_len, h.init_size,
                 h.alignment, (unsigned long long)h.pref_address);
        uint32_t off = rd32(img + 0x248), plen = rd32(img + 0x24c);
        ok(off + (uint64_t)plen <= h.kernel_len && known_compression(img + h.setup_len + off),
           "compressed payload where the header says");
        ok(h.cmdline_max >= 255 && h.init_size >= h.kernel_len, "cmdline_size and init_size sane");

        struct guest_ram r = { calloc(1, 256 * MIB), 0, 256 * MIB };
        static const uint8_t initrd[4096] = "070701";
        struct linux_boot b = { img, len, initrd, sizeof(initrd), "console=ttyS0 earlyprintk=serial", NULL };
        struct linux_entry e;
        struct linux_layout l;
        is_int(linux_load(&b, &r, &e, &l), 0, "loads into 256 MiB");
        is_int((long)l.kernel, (long)h.pref_address, "at its preferred address");
        ok(!memcmp(r.host + e.rip, img + h.setup_len + 0x200, 64), "rip points at startup_64's bytes");
        ok(!memcmp(r.host + l.zero_page + 0x1f1, img + 0x1f1, 0x210 - 0x1f1),
           "zero page carries the image's header");
        ok(l.initrd >= l.kernel_end, "initramfs above init_size");
        printf("# layout: zero page %#llx, tables %#llx, kernel %#llx-%#llx, initrd %#llx\n",
               (unsigned long long)l.zero_page, (unsigned long long)l.page_tables,
               (unsigned long long)l.kernel, (unsigned long long)l.kernel_end,
               (unsigned long long)l.initrd);
        free(r.host);
        free(img);
        free(path);
        return tap_done();
}
