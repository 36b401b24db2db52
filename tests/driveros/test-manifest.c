/* test-manifest: SHA-256 against FIPS 180-4 examples and the MANIFEST
 * format (sha256sum-compatible, sorted, metadata as '#' lines). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "driveros/mk-manifest.h"
#include "driveros/mk-sha256.h"
#include "tests/tap.h"

static const char *hex(const uint8_t d[MK_SHA256_SIZE])
{
        static char s[2 * MK_SHA256_SIZE + 1];

        mk_sha256_hex(d, s);
        return s;
}

static const char *digest_of(const char *data, size_t n, size_t chunk)
{
        struct mk_sha256 s;
        uint8_t d[MK_SHA256_SIZE];

        mk_sha256_init(&s);
        for (size_t i = 0; i < n; i += chunk)
                mk_sha256_update(&s, data + i, n - i < chunk ? n - i : chunk);
        mk_sha256_final(&s, d);
        return hex(d);
}

static void test_vectors(void)
{
        const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        char *million = malloc(1000000);

        ok(!strcmp(digest_of("", 0, 1),
                   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), "empty");
        ok(!strcmp(digest_of("abc", 3, 1),
                   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"), "abc");
        ok(!strcmp(digest_of(two, strlen(two), 7),
                   "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
           "two blocks, odd chunks");
        memset(million, 'a', 1000000);
        ok(!strcmp(digest_of(million, 1000000, 4096),
                   "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
           "a million 'a'");
        free(million);
}

static void write_file(const char *dir, const char *name, const char *text)
{
        char path[4096];
        FILE *f;

        snprintf(path, sizeof path, "%s/%s", dir, name);
        f = fopen(path, "we");
        fputs(text, f);
        fclose(f);
}

static void test_manifest(void)
{
        char dir[] = "/tmp/test-manifest.XXXXXX", *text = NULL;
        const struct mk_manifest_field fields[] = { { "suite", "bookworm" }, { "kernel", "6.1" } };
        const char *files[] = { "vmlinuz", "initrd.img", NULL };
        const char *bad[] = { "sub/x", NULL };
        size_t len = 0;
        FILE *out;

        ok(mkdtemp(dir) != NULL, "temp dir");
        write_file(dir, "vmlinuz", "abc");
        write_file(dir, "initrd.img", "");
        out = open_memstream(&text, &len);
        is_int(mk_manifest_write(out, fields, 2, dir, files), 0, "manifest written");
        fclose(out);
        ok(text && !strcmp(text,
           "# suite: bookworm\n# kernel: 6.1\n"
           "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  initrd.img\n"
           "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  vmlinuz\n"),
           "fields in order, files sorted, sha256sum format");
        free(text);

        out = open_memstream(&text, &len);
        is_int(mk_manifest_write(out, fields, 2, dir, bad), -EINVAL, "names with '/' refused");
        files[0] = "missing";
        is_int(mk_manifest_write(out, fields, 2, dir, files), -ENOENT, "missing file reported");
        fclose(out);
        free(text);
        write_file(dir, "x", "");
        {
                char p[4096];
                const char *names[] = { "vmlinuz", "initrd.img", "x" };
                for (int i = 0; i < 3; i++) {
                        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
                        unlink(p);
                }
        }
        ok(rmdir(dir) == 0, "temp dir removed");
}

int main(void)
{
        test_vectors();
        test_manifest();
        return tap_done();
}
