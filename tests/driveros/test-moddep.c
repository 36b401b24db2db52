/* test-moddep: module load order from a real modules.dep excerpt
 * (fixtures/modules.dep, from Debian 12's linux-image-6.1.0-*-amd64). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "driveros/mk-moddep.h"
#include "tests/tap.h"

static struct mk_moddep *load_fixture(void)
{
        const char *src = getenv("top_srcdir");
        char dep[4096], bi[4096];
        struct mk_moddep *d = NULL;
        FILE *f, *b;
        int r;

        snprintf(dep, sizeof dep, "%s/tests/driveros/fixtures/modules.dep", src ? src : ".");
        snprintf(bi, sizeof bi, "%s/tests/driveros/fixtures/modules.builtin", src ? src : ".");
        f = fopen(dep, "re");
        b = fopen(bi, "re");
        ok(f && b, "fixtures open");
        if (!f || !b)
                exit(tap_done());
        r = mk_moddep_parse(f, b, &d, NULL);
        is_int(r, 0, "fixture parses");
        fclose(f);
        fclose(b);
        return d;
}

static long index_of(char **list, const char *suffix)
{
        for (long i = 0; list[i]; i++) {
                size_t n = strlen(list[i]), s = strlen(suffix);
                if (n >= s && !strcmp(list[i] + n - s, suffix))
                        return i;
        }
        return -1;
}

static void free_list(char **l)
{
        for (char **i = l; i && *i; i++)
                free(*i);
        free(l);
}

static void test_names(void)
{
        char buf[64];

        ok(!strcmp(mk_moddep_name("kernel/drivers/gpu/drm/virtio/virtio-gpu.ko", buf, sizeof buf),
                   "virtio_gpu"), "path to name, '-' as '_'");
        ok(!strcmp(mk_moddep_name("a/b/evdev.ko.xz", buf, sizeof buf), "evdev"), "xz suffix dropped");
        ok(!strcmp(mk_moddep_name("button", buf, sizeof buf), "button"), "a bare name stays");
        ok(!strcmp(mk_moddep_name("virtio-gpu", buf, 4), "vir"), "truncated to the buffer");
}

static void test_order(struct mk_moddep *d)
{
        const char *want[] = { "virtio_gpu", "bochs", "virtio-net", "button", NULL };
        const char *missing = NULL;
        char **l = mk_moddep_resolve(d, want, &missing);
        size_t n = 0;

        ok(l != NULL, "resolves");
        if (!l)
                return;
        while (l[n])
                n++;
        /* virtio-gpu: 6 deps + itself; bochs adds vram, ttm helper, ttm and
         * itself; virtio_net adds net_failover, failover, itself; button 1. */
        is_int(n, 7 + 4 + 3 + 1, "each needed file once");
        ok(index_of(l, "/virtio_ring.ko") < index_of(l, "/virtio.ko"), "virtio_ring before virtio");
        ok(index_of(l, "/virtio.ko") < index_of(l, "/virtio-gpu.ko"), "virtio before virtio-gpu");
        ok(index_of(l, "/drm.ko") < index_of(l, "/drm_kms_helper.ko"), "drm before kms helper");
        ok(index_of(l, "/ttm/ttm.ko") < index_of(l, "/drm_ttm_helper.ko"), "ttm before its helper");
        ok(index_of(l, "/drm_ttm_helper.ko") < index_of(l, "/drm_vram_helper.ko"), "helper chain");
        ok(index_of(l, "/drm_vram_helper.ko") < index_of(l, "/bochs.ko"), "vram helper before bochs");
        ok(index_of(l, "/failover.ko") < index_of(l, "/net_failover.ko"), "failover first");
        ok(index_of(l, "/virtio_pci.ko") < 0, "nothing unasked");
        ok(!strcmp(l[0], "kernel/drivers/virtio/virtio_dma_buf.ko") ||
           !strncmp(l[0], "kernel/", 7), "paths stay relative to the module folder");
        free_list(l);

        l = mk_moddep_resolve(d, want, NULL);
        ok(l && index_of(l, "/bochs.ko") >= 0, "a second resolve gives the same answer");
        free_list(l);
}

static void test_builtin_and_missing(struct mk_moddep *d)
{
        const char *bi[] = { "drm_panel_orientation_quirks", "evdev", NULL };
        const char *bad[] = { "virtio_pci", "no_such_module", NULL };
        const char *missing = NULL;
        char **l;

        l = mk_moddep_resolve(d, bi, &missing);
        ok(l && l[0] && strstr(l[0], "evdev.ko") && !l[1], "built-in modules need no file");
        free_list(l);
        errno = 0;
        l = mk_moddep_resolve(d, bad, &missing);
        ok(!l && errno == ENOENT, "unknown module is ENOENT");
        ok(missing && !strcmp(missing, "no_such_module"), "and is named");
}

static void test_malformed_and_cycle(void)
{
        struct mk_moddep *d = NULL;
        const char *want[] = { "a", NULL };
        unsigned line = 0;
        char bad[] = "a.ko: b.ko\nno colon here\n";
        char cyc[] = "a.ko: b.ko\nb.ko: a.ko\n";
        FILE *f;

        f = fmemopen(bad, strlen(bad), "r");
        is_int(mk_moddep_parse(f, NULL, &d, &line), -EINVAL, "malformed line rejected");
        is_int(line, 2, "at its line");
        fclose(f);
        f = fmemopen(cyc, strlen(cyc), "r");
        is_int(mk_moddep_parse(f, NULL, &d, &line), 0, "cycle parses");
        fclose(f);
        errno = 0;
        ok(!mk_moddep_resolve(d, want, NULL) && errno == ELOOP, "cycle detected");
        mk_moddep_free(d);
        mk_moddep_free(NULL);
}

int main(void)
{
        struct mk_moddep *d;

        test_names();
        d = load_fixture();
        test_order(d);
        test_builtin_and_missing(d);
        mk_moddep_free(d);
        test_malformed_and_cycle();
        return tap_done();
}
