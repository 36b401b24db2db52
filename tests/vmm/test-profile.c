/* tests/vmm/test-profile.c: profile mapping, defaults, validation and the
 * line of every error. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "profile.h"
#include "scratch-file.h"
#include "tests/tap.h"

static char dir[] = "/tmp/thatte-test-profile-XXXXXX";
static char path[256];

static void write_file(const char *name, const char *text)
{
        scratch_write(dir, name, text);
}

static vmm_profile *load(const char *text, thatte_toml_error *err)
{
        vmm_profile *p = NULL;

        write_file("p.toml", text);
        memset(err, 0, sizeof(*err));
        if (vmm_profile_load(path, &p, err) < 0)
                return NULL;
        return p;
}

static void rejects(const char *text, unsigned line, const char *needle)
{
        thatte_toml_error err;
        vmm_profile *p = load(text, &err);

        ok(p == NULL, "rejects: %s", needle);
        is_int(err.line, line, "  ... at line %u", line);
        if (!ok(strstr(err.message, needle) != NULL, "  ... message mentions '%s'", needle))
                tap_diag("message was: %s", err.message);
        vmm_profile_free(p);
}

static void test_defaults(void)
{
        thatte_toml_error err;
        vmm_profile *p = load("[vm]\nname = \"a\"\n", &err);

        if (!ok(p != NULL, "minimal profile loads"))
                tap_diag("%u: %s", err.line, err.message);
        if (!p)
                return;
        is_int(p->memory_mib, 512, "memory default");
        is_int(p->cpus, 1, "cpus default");
        ok(strcmp(p->machine, "q35") == 0, "machine default q35");
        is_int(p->accel, VMM_ACCEL_AUTO, "accel default auto");
        is_int(p->arch, VMM_ARCH_X86_64, "arch default x86_64");
        is_int(p->firmware, VMM_FW_OVMF, "firmware default ovmf");
        is_int(p->gpu, VMM_GPU_STD, "gpu default std");
        is_int(p->width, 1280, "width default");
        is_int(p->height, 800, "height default");
        is_int(p->net, VMM_NET_NONE, "net default none");
        ok(p->serial, "serial default on");
        is_int(p->stop_timeout, 30, "stop timeout default");
        vmm_profile_free(p);
}

static void test_aarch64(void)
{
        thatte_toml_error err;
        vmm_profile *p = load("[vm]\nname = \"a\"\narch = \"aarch64\"\n[display]\ngpu = \"ramfb\"\n", &err);

        if (!ok(p != NULL, "aarch64 profile loads"))
                tap_diag("%u: %s", err.line, err.message);
        if (!p)
                return;
        is_int(p->arch, VMM_ARCH_AARCH64, "arch aarch64");
        ok(strcmp(p->machine, "virt") == 0, "machine default virt on aarch64");
        is_int(p->firmware, VMM_FW_OVMF, "firmware default UEFI on aarch64 too");
        is_int(p->gpu, VMM_GPU_RAMFB, "gpu ramfb");
        ok(p->cpu == NULL, "no cpu: the arch's default");
        vmm_profile_free(p);
        p = load("[vm]\nname = \"a\"\narch = \"aarch64\"\ncpu = \"max,pauth-impdef=on\"\n", &err);
        ok(p && strcmp(p->cpu, "max,pauth-impdef=on") == 0, "cpu with properties");
        ok(p && !p->acpi_off, "ACPI by default");
        vmm_profile_free(p);
        p = load("[vm]\nname = \"a\"\narch = \"aarch64\"\nacpi = false\n", &err);
        ok(p && p->acpi_off, "acpi = false");
        vmm_profile_free(p);
        rejects("[vm]\nname = \"a\"\nacpi = \"off\"\n", 3, "acpi");
}

static void test_full(void)
{
        thatte_toml_error err;
        char want[300];
        vmm_profile *p = load(
                "[vm]\nname = \"full_1.x\"\nmemory = 2048\ncpus = 4\naccel = \"tcg\"\n"
                "[boot]\nfirmware = \"ovmf\"\nesp = \"esp.img\"\n"
                "[[disk]]\npath = \"sub/../disk,1.img\"\nformat = \"qcow2\"\n"
                "[[disk]]\npath = \"disk,1.img\"\nreadonly = true\n"
                "[display]\ngpu = \"virtio\"\nwidth = 800\nheight = 600\n"
                "[net]\nmode = \"user\"\nforwards = [\"tcp:2222:22\", \"udp:5353:53\"]\n"
                "[serial]\nenabled = false\n[stop]\ntimeout = 5\n", &err);

        if (!ok(p != NULL, "full profile loads"))
                tap_diag("%u: %s", err.line, err.message);
        if (!p)
                return;
        ok(strcmp(p->name, "full_1.x") == 0, "name");
        is_int(p->memory_mib, 2048, "memory");
        is_int(p->accel, VMM_ACCEL_TCG, "accel");
        snprintf(want, sizeof(want), "%s/esp.img", dir);
        ok(p->esp && strcmp(p->esp, want) == 0, "esp resolved against the profile folder");
        snprintf(want, sizeof(want), "%s/disk,1.img", dir);
        ok(p->n_disks == 2 && strcmp(p->disks[0].path, want) == 0, "disk path canonical");
        ok(p->disks[0].format == VMM_FORMAT_QCOW2 && p->disks[0].overlay, "disk 0 qcow2, overlay default");
        ok(p->disks[1].readonly && !p->disks[1].snapshot, "disk 1 readonly");
        is_int(p->n_forwards, 2, "two forwards");
        ok(p->forwards[1].udp && p->forwards[1].host_port == 5353 && p->forwards[1].guest_port == 53,
           "udp forward parsed");
        ok(!p->serial, "serial disabled");
        is_int(p->stop_timeout, 5, "stop timeout");
        vmm_profile_free(p);
}

static void test_names(void)
{
        ok(vmm_name_valid("a"), "name 'a'");
        ok(vmm_name_valid("efi-hello_1.2"), "name with ._-");
        ok(!vmm_name_valid(""), "empty name");
        ok(!vmm_name_valid(".hidden"), "leading dot");
        ok(!vmm_name_valid("a/b"), "slash");
        ok(!vmm_name_valid("a,b"), "comma");
        ok(!vmm_name_valid("a b"), "space");
        ok(!vmm_name_valid("\xc3\xa9"), "non-ASCII");
        ok(vmm_name_valid("0123456789012345678901234567890123456789012345678901234567890123"), "64 chars");
        ok(!vmm_name_valid("01234567890123456789012345678901234567890123456789012345678901234"), "65 chars");
}

static void test_channels(void)
{
        thatte_toml_error err;
        vmm_profile *p = load("[vm]\nname = \"a\"\n[[channel]]\nname = \"mk-display\"\n"
                              "[[channel]]\nname = \"B_2\"\nsize = 1024\n[display]\ninput = true\n", &err);

        if (!ok(p != NULL, "channels load"))
                tap_diag("%u: %s", err.line, err.message);
        if (!p)
                return;
        ok(p->n_channels == 2 && strcmp(p->channels[0].name, "mk-display") == 0, "channel 0 name");
        is_int(p->channels[0].size_mib, 32, "channel size default 32 MiB");
        is_int(p->channels[1].size_mib, 1024, "channel size 1024 MiB");
        ok(p->input, "[display] input");
        is_int(vmm_profile_add_channel(p, "B_2", 32), 0, "adding a named channel again is a no-op");
        is_int(p->n_channels, 2, "  ... and adds nothing");
        is_int(vmm_profile_add_channel(p, "c", 16), 0, "adding a channel");
        ok(p->n_channels == 3 && p->channels[2].size_mib == 16, "  ... appended with its size");
        {
                /* The text start records (and save keeps) has it too. */
                vmm_profile *again = NULL;

                ok(vmm_profile_parse(p->source, p->source_len, p->file, p->dir, &again, &err) == 0 &&
                   again->n_channels == 3 && strcmp(again->channels[2].name, "c") == 0 &&
                   again->channels[2].size_mib == 16, "  ... and to the profile's text");
                vmm_profile_free(again);
        }
        for (int i = 0; i < 5; i++)
                (void)vmm_profile_add_channel(p, (const char *[]){ "d", "e", "f", "g", "h" }[i], 1);
        is_int(vmm_profile_add_channel(p, "i", 1), -E2BIG, "a ninth channel is too many");
        vmm_profile_free(p);
        p = load("[vm]\nname = \"a\"\n", &err);
        ok(p && !p->input && p->n_channels == 0, "no channels, no input by default");
        vmm_profile_free(p);
        ok(vmm_channel_name_valid("01234567890123456789012345678901"), "channel name of 32");
        ok(!vmm_channel_name_valid("012345678901234567890123456789012"), "channel name of 33");
        ok(!vmm_channel_name_valid("a.b") && !vmm_channel_name_valid("") && !vmm_channel_name_valid("a/b"),
           "channel names: no dot, slash, nor empty");
}

int main(void)
{
        char sub[300];

        scratch_make(dir);
        snprintf(path, sizeof(path), "%s/p.toml", dir);
        snprintf(sub, sizeof(sub), "%s/sub", dir);
        if (mkdir(sub, 0700) < 0)
                return 99;
        write_file("esp.img", "x");
        write_file("disk,1.img", "x");

        test_defaults();
        test_full();
        test_aarch64();
        test_names();
        rejects("[vm]\nname = \"a\"\nmemroy = 1\n", 3, "unknown key 'memroy' in [vm]");
        rejects("[vm]\nname = \"a\"\narch = \"arm64\"\n", 3, "[vm] arch: 'arm64' is not one of: x86_64, aarch64");
        rejects("[vm]\nname = \"a\"\ncpu = \"max -device x\"\n", 3, "[vm] cpu: 'max -device x' is not a CPU model");
        rejects("[vm]\nname = \"a\"\ncpu = \"-S\"\n", 3, "is not a CPU model");
        rejects("[vm]\nname = \"a\"\ncpu = \"\"\n", 3, "is not a CPU model");
        rejects("[vm]\nname = \"a\"\narch = 64\n", 3, "expected a string, got an integer");
        rejects("[vm]\nname = \"a\"\narch = \"\"\n", 3, "[vm] arch");
        rejects("[boot]\nfirmware = \"bios\"\n[vm]\nname = \"a\"\narch = \"aarch64\"\n", 2,
                "is x86-64 only");
        rejects("[vm]\nname = \"a\"\n[agent]\nenabeld = true\n", 4, "in [agent]; did you mean 'enabled'?");
        rejects("[vm]\nname = \"a\"\n[display]\nuii = \"gtk\"\n", 4, "in [display]; did you mean 'ui'?");
        rejects("[vm]\nname = 5\n", 2, "expected a string, got an integer");
        rejects("[vm]\nname = \"a\"\nmemory = 8\n", 3, "out of range (16 to");
        rejects("[vm]\nname = \"a\"\ncpus = 0\n", 3, "out of range");
        rejects("[vm]\nname = \".a\"\n", 2, "not a valid name");
        rejects("[vm]\nname = \"a,b\"\n", 2, "not a valid name");
        rejects("[vm]\nname = \"a\"\nmachine = \"q35,kernel-irqchip=off\"\n", 3, "not a machine type");
        rejects("[vm]\nname = \"a\"\naccel = \"hvf\"\n", 3, "not one of: auto, kvm, tcg");
        rejects("[vm]\nmemory = 64\n", 1, "name is missing");
        rejects("# nothing\n", 1, "[vm] table with a name is missing");
        rejects("name = \"a\"\n", 1, "outside a table");
        rejects("[vm]\nname = \"a\"\n[bogus]\n", 3, "unknown table [bogus]");
        rejects("[vm]\nname = \"a\"\n[boot]\nesp = \"missing.img\"\n", 4, "No such file");
        rejects("[vm]\nname = \"a\"\n[boot]\nesp = \".\"\n", 4, "not a regular file");
        rejects("[vm]\nname = \"a\"\n[boot]\ncmdline = \"x\"\n", 4, "needs a kernel");
        rejects("[vm]\nname = \"a\"\n[boot]\ncmdline = \"a\\nb\"\n", 4, "control character");
        rejects("[vm]\nname = \"a\"\n[boot]\nfirmware = \"bios\"\nesp = \"esp.img\"\n", 5, "esp needs firmware");
        rejects("[vm]\nname = \"a\"\n[boot]\nfirmware = \"none\"\n", 4, "needs a kernel");
        rejects("[vm]\nname = \"a\"\n[[disk]]\nformat = \"raw\"\n", 3, "path is missing");
        rejects("[vm]\nname = \"a\"\n[[disk]]\npath = \"esp.img\"\nformat = \"vmdk\"\n", 5, "not one of: raw, qcow2");
        rejects("[vm]\nname = \"a\"\n[[disk]]\npath = \"esp.img\"\nreadonly = true\nsnapshot = true\n", 3,
                "exclude each other");
        rejects("[vm]\nname = \"a\"\n[disk]\npath = \"esp.img\"\n", 3, "[[disk]] tables");
        rejects("[vm]\nname = \"a\"\n[display]\ngpu = \"qxl\"\n", 4, "not one of");
        rejects("[vm]\nname = \"a\"\n[display]\nwidth = 100000\n", 4, "out of range");
        rejects("[vm]\nname = \"a\"\n[net]\nforwards = [\"tcp:1:2\"]\n", 4, "need mode = \"user\"");
        rejects("[vm]\nname = \"a\"\n[net]\nmode = \"user\"\nforwards = [\n\"tcp:1:2\",\n\"tcp:1:2,hostfwd=x\"]\n",
                7, "tcp:HOSTPORT:GUESTPORT");
        rejects("[vm]\nname = \"a\"\n[net]\nmode = \"user\"\nforwards = [\"tcp:0:22\"]\n", 5, "tcp:HOSTPORT");
        rejects("[vm]\nname = \"a\"\n[net]\nmode = \"user\"\nforwards = [\"tcp:70000:22\"]\n", 5, "tcp:HOSTPORT");
        rejects("[vm]\nname = \"a\"\n[serial]\nenabled = 1\n", 4, "expected a boolean");
        rejects("[vm]\nname = \"a\"\n[stop]\ntimeout = 0\n", 4, "out of range");
        rejects("[vm]\nname = \"a\"\nx = \"\xff\"\n", 3, "invalid UTF-8");
        test_channels();
        rejects("[vm]\nname = \"channels\"\n", 2, "'channels' is reserved");
        rejects("[vm]\nname = \"a\"\n[[channel]]\nsize = 4\n", 3, "[[channel]] name is missing");
        rejects("[vm]\nname = \"a\"\n[[channel]]\nname = \"a.b\"\n", 4, "not a channel name");
        rejects("[vm]\nname = \"a\"\n[[channel]]\nname = \"012345678901234567890123456789012\"\n", 4,
                "not a channel name");
        rejects("[vm]\nname = \"a\"\n[[channel]]\nname = \"c\"\nsize = 24\n", 5, "not a power of two");
        rejects("[vm]\nname = \"a\"\n[[channel]]\nname = \"c\"\nsize = 0\n", 5, "out of range (1 to 1024)");
        rejects("[vm]\nname = \"a\"\n[[channel]]\nname = \"c\"\nsize = 2048\n", 5, "out of range");
        rejects("[vm]\nname = \"a\"\n[[channel]]\nname = \"c\"\nsize = \"32\"\n", 5, "expected an integer");
        rejects("[vm]\nname = \"a\"\n[[channel]]\nname = \"c\"\ncolour = 1\n", 5, "unknown key 'colour'");
        rejects("[vm]\nname = \"a\"\n[[channel]]\nname = \"c\"\n[[channel]]\nname = \"c\"\n", 5,
                "named twice");
        rejects("[vm]\nname = \"a\"\n[channel]\nname = \"c\"\n", 3, "[[channel]] tables");
        rejects("[vm]\nname = \"a\"\n[display]\ninput = \"yes\"\n", 4, "expected a boolean");
        return tap_done();
}
