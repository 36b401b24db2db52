/* test-driver.c: --driver's lookup (mk-ktree.c, mk-kmods.c, mk-driver.c)
 * on a small Linux-like tree written here: modules by name ('-' and '_'
 * alike), Kconfig symbols, PCI ids through a modules.alias (class matches
 * ignored, virtio devices to their virtio driver), dependencies through
 * `depends on`, `if` and `menu` blocks across `source` lines (negations
 * and `X || X=n` need nothing, help text is not read as Kconfig), typos
 * with close matches, invisible symbols refused, `help` by class; and
 * trees that loop, nest too deep or break off. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driveros/mk-driver.h"
#include "driveros/mk-fs.h"
#include "tests/tap.h"

static char root[] = "/tmp/test-driver-XXXXXX";

static void is_str(const char *got, const char *want, const char *name)
{
        if (!ok(!strcmp(got, want), "%s", name))
                tap_diag("got '%s', want '%s'", got, want);
}

static void put(const char *rel, const char *text)
{
        char *path = mk_path("%s/%s", root, rel), *dir = strdup(path);
        FILE *f;

        *strrchr(dir, '/') = '\0';
        (void)mk_mkdir_p(dir, 0755);
        f = fopen(path, "w");
        if (f) {
                fputs(text, f);
                fclose(f);
        }
        free(path);
        free(dir);
}

static void write_tree(void)
{
        put("Kconfig", "mainmenu \"Linux\"\nsource \"arch/$(SRCARCH)/Kconfig\"\nsource \"drivers/Kconfig\"\n"
                       "source \"sound/Kconfig\"\nconfig NET\n\tbool \"Networking support\"\n");
        put("arch/x86/Kconfig", "config X86\n\tdef_bool y\nconfig PCI\n\tbool \"PCI support\"\n");
        put("arch/arm/Kconfig", "config ARMONLY\n\tbool \"never read\"\n");
        put("drivers/Kconfig", "menu \"Device Drivers\"\nsource \"drivers/net/Kconfig\"\n"
                               "source \"drivers/virtio/Kconfig\"\nendmenu\n");
        put("drivers/net/Kconfig",
            "menuconfig NETDEVICES\n\tbool \"Network device support\"\n\tdepends on NET\n"
            "if NETDEVICES\n"
            "config E1000\n\ttristate \"Intel(R) PRO/1000\"\n"
            "\tdepends on PCI && (AGP || AGP=n) && !FOO\n\tdepends on MODULES || m\n"
            "\thelp\n\tSay Y.\n\n\tif you say M here, the module is e1000.\n"
            "\t  menu \"not a menu\"\n"
            "config VIRTIO_NET\n\ttristate \"Virtio network driver\"\n\tdepends on VIRTIO\n"
            "endif # NETDEVICES\n"
            "config HIDDEN_LIB\n\ttristate\n");
        put("drivers/virtio/Kconfig", "config VIRTIO\n\ttristate\nmenuconfig VIRTIO_MENU\n\tbool \"Virtio drivers\"\n"
                                      "if VIRTIO_MENU\nconfig VIRTIO_PCI\n\ttristate \"PCI driver for virtio\"\n"
                                      "\tdepends on PCI\n\tselect VIRTIO\nendif\n");
        put("sound/Kconfig", "menuconfig SND\n\ttristate \"Sound\"\nif SND\n"
                             "config SND_HDA_INTEL\n\ttristate \"HD Audio PCI\"\n\tdepends on PCI\nendif\n");
        put("drivers/net/Makefile", "obj-$(CONFIG_E1000) += e1000.o \\\n\te1000-extra.o # two\n"
                                    "obj-$(CONFIG_VIRTIO_NET) += virtio_net.o\nobj-$(CONFIG_HIDDEN_LIB) += hidden.o\n");
        put("drivers/virtio/Makefile", "obj-$(CONFIG_VIRTIO_PCI) += virtio_pci.o\n");
        put("sound/pci/hda/Makefile", "snd-hda-intel-objs := hda_intel.o\n"
                                      "obj-$(CONFIG_SND_HDA_INTEL) += snd-hda-intel.o\n");
        put("Documentation/Makefile", "obj-$(CONFIG_E1000) += docs.o\n");
        put("arch/arm/Makefile", "obj-$(CONFIG_ARMONLY) += armonly.o\n");
}

static const char aliases[] =
        "alias pci:v00008086d0000100Esv*sd*bc*sc*i* e1000\n"
        "alias pci:v00008086d*sv*sd*bc01sc06i01* ahci\n"
        "alias pci:v00001AF4d*sv*sd*bc*sc*i* virtio_pci\n"
        "alias virtio:d00000001v* virtio_net\n"
        "alias pci:v00008086d00002668sv*sd*bc*sc*i* snd_hda_intel\n";

/* The symbols of a resolved driver, space-separated, in a static buffer. */
static const char *syms(const struct mk_driver *d)
{
        static char buf[512];

        buf[0] = '\0';
        for (size_t i = 0; d->symbols[i]; i++)
                snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s", i ? " " : "", d->symbols[i]);
        return buf;
}

static char errbuf[2048];

/* Resolves Q: returns the result, the symbols in out ("" on error), the
 * messages in errbuf. */
static int resolve(const struct mk_ktree *t, const char *al, const char *q, char *out, size_t n)
{
        struct mk_driver d = { 0 };
        FILE *err = fmemopen(errbuf, sizeof errbuf, "w");
        int r = mk_driver_resolve(t, al, q, err, &d);

        fclose(err);
        snprintf(out, n, "%s", r == 0 ? syms(&d) : "");
        mk_driver_done(&d);
        return r;
}

static void lookups(const struct mk_ktree *t)
{
        char s[512];

        is_int(resolve(t, NULL, "e1000", s, sizeof s), 0, "module e1000 found");
        is_str(s, "E1000 PCI NETDEVICES NET", "e1000: its symbol, then PCI and the blocks around it, not AGP, FOO or m");
        is_int(resolve(t, NULL, "snd-hda-intel", s, sizeof s), 0, "snd-hda-intel: '-' as '_'");
        is_str(s, "SND_HDA_INTEL PCI SND", "snd-hda-intel: the help text of E1000 left no block open");
        is_int(resolve(t, NULL, "CONFIG_VIRTIO_PCI", s, sizeof s), 0, "a Kconfig symbol with CONFIG_");
        is_str(s, "VIRTIO_PCI PCI VIRTIO_MENU", "virtio_pci: its menu too");
        is_int(resolve(t, aliases, "8086:100E", s, sizeof s), 0, "PCI 8086:100e");
        is_str(s, "E1000 PCI NETDEVICES NET", "8086:100e: e1000 only (ahci's class match ignored)");
        is_int(resolve(t, aliases, "1af4:1000", s, sizeof s), 0, "PCI 1af4:1000");
        is_str(s, "VIRTIO_PCI PCI VIRTIO_MENU VIRTIO_NET NETDEVICES NET", "1af4:1000: virtio_pci and virtio_net");
        is_int(resolve(t, NULL, "1af4:1000", s, sizeof s), -EINVAL, "a PCI id without modules.alias: an error");
        is_int(resolve(t, aliases, "1234:5678", s, sizeof s), -ENOENT, "a PCI id nothing claims: an error");
        is_int(resolve(t, aliases, "e1001", s, sizeof s), -ENOENT, "a typo: unknown");
        ok(strstr(errbuf, "unknown driver 'e1001'") && strstr(errbuf, "close matches: e1000"),
           "the typo's message names it and e1000 first");
        is_int(resolve(t, aliases, "SND-HDA-INTL", s, sizeof s), -ENOENT, "a typo in capitals with '-'");
        ok(strstr(errbuf, "close matches: snd_hda_intel") != NULL, "... is matched ignoring case, '-' as '_'");
        is_int(resolve(t, aliases, "HIDDEN_LIB", s, sizeof s), -EINVAL, "a symbol without a prompt: refused");
        ok(strstr(errbuf, "has no prompt") != NULL, "... saying why");
        is_int(resolve(t, aliases, "docs", s, sizeof s), -ENOENT, "Documentation/ is not read");
        is_int(resolve(t, aliases, "armonly", s, sizeof s), -ENOENT, "another architecture is not read");
        is_int(resolve(t, aliases, "you", s, sizeof s), -ENOENT, "help text is no Kconfig");
}

static void fragment_and_help(const struct mk_ktree *t)
{
        struct mk_driver d[2] = { 0 };
        const char *q[] = { "e1000", "snd-hda-intel" };
        char buf[2048] = { 0 };
        FILE *f = fmemopen(buf, sizeof buf, "w");

        mk_driver_resolve(t, NULL, q[0], stderr, &d[0]);
        mk_driver_resolve(t, NULL, q[1], stderr, &d[1]);
        is_int(mk_driver_fragment(d, q, 2, f), 0, "fragment written");
        fclose(f);
        ok(strstr(buf, "# --driver e1000: e1000 (drivers/net)\nCONFIG_E1000=y\n") != NULL, "fragment: what asked, then =y");
        ok(strstr(buf, "CONFIG_PCI=y") && !strstr(strstr(buf, "CONFIG_PCI=y") + 1, "CONFIG_PCI=y"),
           "fragment: PCI once, though both need it");
        mk_driver_done(&d[0]);
        mk_driver_done(&d[1]);
        f = fmemopen(buf, sizeof buf, "w");
        is_int((int)mk_driver_help(t, NULL, f), 3, "help: three classes");
        fclose(f);
        is_str(buf, "drivers/net                  3\ndrivers/virtio               1\nsound/pci                    1\n",
               "help: classes with their counts (no hidden module)");
        f = fmemopen(buf, sizeof buf, "w");
        is_int((int)mk_driver_help(t, "drivers/net", f), 3, "help=drivers/net: e1000, e1000_extra (its second object), virtio_net");
        fclose(f);
        ok(strstr(buf, "e1000 ") && strstr(buf, "CONFIG_VIRTIO_NET") && strstr(buf, "Virtio network driver"),
           "help=drivers/net: modules, symbols, prompts");
}

static void hostile(void)
{
        struct mk_ktree t = { 0 };
        char deep[64 * 16 + 1] = "";

        put("Kconfig", "source \"Kconfig\"\nconfig A\n\tbool \"a\n");
        is_int(mk_ktree_read(root, &t), 0, "a Kconfig sourcing itself: read, the loop cut");
        ok(mk_ktree_symbol(&t, "A") && !mk_ktree_symbol(&t, "A")->prompt, "an unterminated prompt: none");
        mk_ktree_done(&t);
        for (int i = 0; i < 70; i++)
                strcat(deep, "if X\n");
        put("Kconfig", deep);
        is_int(mk_ktree_read(root, &t), -E2BIG, "70 nested ifs: an error, not an overflow");
        mk_ktree_done(&t);
        put("Kconfig", "endif\nendmenu\nconfig 9bad\nconfig\nsource\nsource \"$(OTHER)/x\"\nconfig B\n\tbool \"b\"\n"
                       "\tdepends on ((C && (D || !D)) && E=y && F!=n && G=m\n");
        is_int(mk_ktree_read(root, &t), 0, "stray endif, bad names, empty source: read");
        ok(mk_ktree_symbol(&t, "B") && !mk_ktree_symbol(&t, "9bad"), "... B kept, 9bad not a symbol");
        mk_ktree_done(&t);
        unlink(strcat(strcpy(deep, root), "/Kconfig"));
        is_int(mk_ktree_read(root, &t), -ENOENT, "no Kconfig: -ENOENT");
        mk_ktree_done(&t);
}

int main(void)
{
        struct mk_ktree t = { 0 };

        if (!mkdtemp(root))
                return 1;
        write_tree();
        is_int(mk_ktree_read(root, &t), 0, "tree read");
        lookups(&t);
        fragment_and_help(&t);
        mk_ktree_done(&t);
        hostile();
        (void)mk_rmtree(root);
        return tap_done();
}
