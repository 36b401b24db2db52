/* tests/vmm/test-argv.c: golden QEMU argv for each shipped profile and for
 * edge cases (commas in paths, every disk mode, forwards, long folders). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "argv.h"
#include "scratch-file.h"
#include "tests/tap.h"

static char dir[] = "/tmp/thatte-test-argv-XXXXXX";

static const vmm_launch launch = {
        .qemu = "/usr/bin/qemu-system-x86_64",
        .channeldir = "/run/user/1000/thatte-vmm/channels",
        .rundir = "/run/user/1000/thatte-vmm/vm",
        .statedir = "/home/u/.local/state/thatte-vmm/vm",
        .ovmf_code = "/usr/share/OVMF/OVMF_CODE_4M.fd",
        .accel = VMM_ACCEL_TCG,
};

static void write_profile(const char *name, const char *text)
{
        scratch_write(dir, name, text);
}

static void touch(const char *name)
{
        write_profile(name, "");
}

static void copy_profile(const char *src, const char *name)
{
        char p[512], buf[8192];
        FILE *in, *out;
        size_t n;

        snprintf(p, sizeof(p), "%s/%s", dir, name);
        in = fopen(src, "r");
        out = fopen(p, "w");
        if (!in || !out)
                exit(99);
        while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
                fwrite(buf, 1, n, out);
        fclose(in);
        fclose(out);
}

static vmm_profile *load(const char *name)
{
        thatte_toml_error err;
        vmm_profile *p = NULL;
        char path[512];

        snprintf(path, sizeof(path), "%s/%s", dir, name);
        if (vmm_profile_load(path, &p, &err) < 0)
                tap_diag("%s:%u: %s", path, err.line, err.message);
        return p;
}

/* Compares argv with the golden list, where "@" stands for the temp folder. */
static void golden(const char *what, vmm_profile *p, const vmm_launch *l, const char *const *want)
{
        vmm_strv s = { 0 };
        size_t i = 0;
        int same;

        if (!ok(p && vmm_build_argv(p, l, &s) == 0, "%s: argv builds", what))
                return;
        same = 1;
        for (; want[i] && i < s.n; i++) {
                char w[1024];
                const char *at = strchr(want[i], '@');

                if (at)
                        snprintf(w, sizeof(w), "%.*s%s%s", (int)(at - want[i]), want[i], dir, at + 1);
                else
                        snprintf(w, sizeof(w), "%s", want[i]);
                if (strcmp(w, s.v[i]) != 0) {
                        tap_diag("argument %zu: got '%s', want '%s'", i, s.v[i], w);
                        same = 0;
                }
        }
        if (want[i] || i != s.n) {
                tap_diag("got %zu arguments", s.n);
                same = 0;
        }
        ok(same, "%s: golden argv", what);
        vmm_strv_free(&s);
        vmm_profile_free(p);
}

#define BASE(name, mem, cpus) "/usr/bin/qemu-system-x86_64", "-name", name, "-nodefaults", \
        "-no-user-config", "-machine", "q35", "-accel", "tcg", "-m", mem, "-smp", cpus, "-display", "none", \
        "-chardev", "socket,id=qmp,path=/run/user/1000/thatte-vmm/vm/qmp.sock,server=on,wait=off", \
        "-mon", "chardev=qmp,mode=control", \
        "-chardev", "socket,id=events,path=/run/user/1000/thatte-vmm/vm/events.sock,server=on,wait=off", \
        "-mon", "chardev=events,mode=control"
#define SERIAL "-chardev", "socket,id=serial0,path=/run/user/1000/thatte-vmm/vm/serial.sock,server=on,wait=off," \
        "logfile=/home/u/.local/state/thatte-vmm/vm/serial.log", "-serial", "chardev:serial0"
#define OVMF "-drive", "if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd", \
        "-drive", "if=pflash,format=raw,unit=1,file=/home/u/.local/state/thatte-vmm/vm/OVMF_VARS.fd"

static void test_shipped(void)
{
        static const char *const efi_hello[] = {
                BASE("efi-hello", "256", "1"), SERIAL, OVMF,
                "-drive", "if=none,id=esp,format=raw,snapshot=on,file=@/efi-hello-esp.img",
                "-device", "virtio-blk-pci,drive=esp",
                "-device", "VGA,id=gpu0,xres=1024,yres=768", NULL
        };
        static const char *const driveros[] = {
                BASE("driveros", "1024", "2"), SERIAL,
                "-kernel", "@/vmlinuz", "-initrd", "@/initrd.img", "-append", "console=ttyS0 panic=-1",
                "-drive", "if=none,id=disk0,format=qcow2,file=/home/u/.local/state/thatte-vmm/vm/disk0.qcow2",
                "-device", "virtio-blk-pci,drive=disk0",
                "-device", "virtio-gpu-pci,id=gpu0,xres=1280,yres=800",
                "-device", "virtio-keyboard-pci", "-device", "virtio-tablet-pci",
                "-netdev", "user,id=net0", "-device", "virtio-net-pci,netdev=net0", NULL
        };
        char src[512];

        snprintf(src, sizeof(src), "%s/data/vms/efi-hello.toml", getenv("top_srcdir") ?: ".");
        copy_profile(src, "efi-hello.toml");
        snprintf(src, sizeof(src), "%s/data/vms/driveros.toml", getenv("top_srcdir") ?: ".");
        copy_profile(src, "driveros.toml");
        touch("efi-hello-esp.img");
        touch("vmlinuz");
        touch("initrd.img");
        touch("rootfs.ext4");
        golden("efi-hello.toml", load("efi-hello.toml"), &launch, efi_hello);
        golden("driveros.toml", load("driveros.toml"), &launch, driveros);
}

static void test_edges(void)
{
        static const char *const edges[] = {
                BASE("edge", "64", "3"),
                "-S", "-incoming", "defer",
                "-drive", "if=none,id=disk0,format=qcow2,file=/home/u/.local/state/thatte-vmm/vm/disk0.qcow2",
                "-device", "virtio-blk-pci,drive=disk0",
                "-drive", "if=none,id=disk1,format=raw,readonly=on,file=@/a,,b,,file=,,x.img",
                "-device", "virtio-blk-pci,drive=disk1",
                "-drive", "if=none,id=disk2,format=qcow2,snapshot=on,file=@/a,,b,,file=,,x.img",
                "-device", "virtio-blk-pci,drive=disk2",
                "-drive", "if=none,id=disk3,format=raw,file=@/a,,b,,file=,,x.img",
                "-device", "virtio-blk-pci,drive=disk3",
                "-virtfs", "local,path=@/s,,hare,mount_tag=data,security_model=none,id=share0,readonly=on",
                "-virtfs", "local,path=@/s,,hare,mount_tag=rw,security_model=none,id=share1",
                "-netdev", "user,id=net0,hostfwd=tcp:127.0.0.1:2222-:22,hostfwd=udp:127.0.0.1:5353-:53",
                "-device", "virtio-net-pci,netdev=net0", NULL
        };
        vmm_launch l = launch;
        char longdir[200], share[512];

        touch("a,b,file=,x.img");
        snprintf(share, sizeof(share), "%s/s,hare", dir);
        if (mkdir(share, 0700) < 0)
                exit(99);
        write_profile("edge.toml",
                      "[vm]\nname = \"edge\"\nmemory = 64\ncpus = 3\n[boot]\nfirmware = \"bios\"\n"
                      "[[disk]]\npath = \"a,b,file=,x.img\"\n"
                      "[[disk]]\npath = \"a,b,file=,x.img\"\nreadonly = true\n"
                      "[[disk]]\npath = \"a,b,file=,x.img\"\nformat = \"qcow2\"\nsnapshot = true\n"
                      "[[disk]]\npath = \"a,b,file=,x.img\"\noverlay = false\n"
                      "[[share]]\npath = \"s,hare\"\ntag = \"data\"\n"
                      "[[share]]\npath = \"s,hare\"\ntag = \"rw\"\nreadonly = false\n"
                      "[display]\ngpu = \"none\"\n[serial]\nenabled = false\n"
                      "[net]\nmode = \"user\"\nforwards = [\"tcp:2222:22\", \"udp:5353:53\"]\n");
        l.paused = true;
        l.incoming = true;
        golden("edge cases", load("edge.toml"), &l, edges);

        memset(longdir, 'x', sizeof(longdir) - 1);
        longdir[0] = '/';
        longdir[sizeof(longdir) - 1] = 0;
        l.rundir = longdir;
        {
                vmm_profile *p = load("edge.toml");
                vmm_strv s = { 0 };

                is_int(p ? vmm_build_argv(p, &l, &s) : 0, -ENAMETOOLONG, "runtime folder too long for sockets");
                ok(s.n == 0, "argv left empty on failure");
                vmm_profile_free(p);
        }
}

/* arch = "aarch64": its QEMU, virt, a 64-bit CPU per accel, AAVMF with its
 * own variable store, ramfb; the rest as on x86-64. */
static void test_aarch64(void)
{
#define ARM_BASE_M(machine, accel, cpu) "/usr/bin/qemu-system-aarch64", "-name", "arm", "-nodefaults", \
        "-no-user-config", "-machine", machine, "-accel", accel, "-m", "256", "-smp", "2", "-cpu", cpu, "-display", "none", \
        "-chardev", "socket,id=qmp,path=/run/user/1000/thatte-vmm/vm/qmp.sock,server=on,wait=off", \
        "-mon", "chardev=qmp,mode=control", \
        "-chardev", "socket,id=events,path=/run/user/1000/thatte-vmm/vm/events.sock,server=on,wait=off", \
        "-mon", "chardev=events,mode=control", SERIAL, \
        "-drive", "if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/AAVMF/AAVMF_CODE.fd", \
        "-drive", "if=pflash,format=raw,unit=1,file=/home/u/.local/state/thatte-vmm/vm/AAVMF_VARS.fd", \
        "-kernel", "@/Image", "-append", "console=ttyAMA0", "-device", "ramfb,id=gpu0"
#define ARM_BASE(accel, cpu) ARM_BASE_M("virt", accel, cpu)
        static const char *const tcg[] = { ARM_BASE("tcg", "max,pauth-impdef=on"), NULL };
        static const char *const kvm[] = { ARM_BASE("kvm", "host"), NULL };
        static const char *const a72[] = { ARM_BASE("tcg", "cortex-a72"), NULL };
        static const char *const no_acpi[] = { ARM_BASE_M("virt,acpi=off", "tcg", "cortex-a72"), NULL };
        vmm_launch l = launch;

        touch("Image");
        write_profile("arm.toml", "[vm]\nname = \"arm\"\nmemory = 256\ncpus = 2\narch = \"aarch64\"\n"
                      "[boot]\nkernel = \"Image\"\ncmdline = \"console=ttyAMA0\"\n"
                      "[display]\ngpu = \"ramfb\"\nwidth = 1024\nheight = 768\n");
        l.qemu = "/usr/bin/qemu-system-aarch64";
        l.ovmf_code = "/usr/share/AAVMF/AAVMF_CODE.fd";
        golden("aarch64 under TCG", load("arm.toml"), &l, tcg);
        l.accel = VMM_ACCEL_KVM;
        golden("aarch64 under KVM", load("arm.toml"), &l, kvm);
        write_profile("a72.toml", "[vm]\nname = \"arm\"\nmemory = 256\ncpus = 2\narch = \"aarch64\"\n"
                      "cpu = \"cortex-a72\"\n[boot]\nkernel = \"Image\"\ncmdline = \"console=ttyAMA0\"\n"
                      "[display]\ngpu = \"ramfb\"\n");
        l.accel = VMM_ACCEL_TCG;
        golden("the profile's cpu wins", load("a72.toml"), &l, a72);
        write_profile("a72.toml", "[vm]\nname = \"arm\"\nmemory = 256\ncpus = 2\narch = \"aarch64\"\n"
                      "cpu = \"cortex-a72\"\nacpi = false\n[boot]\nkernel = \"Image\"\n"
                      "cmdline = \"console=ttyAMA0\"\n[display]\ngpu = \"ramfb\"\n");
        golden("acpi = false: the machine without ACPI", load("a72.toml"), &l, no_acpi);
#undef ARM_BASE
#undef ARM_BASE_M
}

static void test_escape(void)
{
        char *e = vmm_opt_escape(",a,,b,");

        ok(e && strcmp(e, ",,a,,,,b,,") == 0, "commas doubled");
        free(e);
        e = vmm_opt_escape("");
        ok(e && !*e, "empty string");
        free(e);
}

/* Channels (their folder's commas escaped) and the input devices. */
static void test_channels(void)
{
        static const char *const want[] = {
                BASE("ch", "64", "1"), "-S",
                "-object", "memory-backend-file,id=ch-mk-display,share=on,mem-path=/x,,y/mk-display,size=32M",
                "-device", "ivshmem-plain,memdev=ch-mk-display",
                "-object", "memory-backend-file,id=ch-b_2,share=on,mem-path=/x,,y/b_2,size=1024M",
                "-device", "ivshmem-plain,memdev=ch-b_2",
                "-device", "VGA,id=gpu0,xres=1280,yres=800",
                "-device", "virtio-keyboard-pci", "-device", "virtio-tablet-pci", NULL
        };
        vmm_launch l = launch;

        write_profile("ch.toml", "[vm]\nname = \"ch\"\nmemory = 64\n[boot]\nfirmware = \"bios\"\n"
                      "[[channel]]\nname = \"mk-display\"\n[[channel]]\nname = \"b_2\"\nsize = 1024\n"
                      "[display]\ninput = true\n[serial]\nenabled = false\n");
        l.paused = true;
        l.channeldir = "/x,y";
        golden("channels and input devices", load("ch.toml"), &l, want);
}

/* The agent's virtio-serial port, a VNC socket, and a restore that goes
 * on writing the kept serial log. */
static void test_agent_display(void)
{
        static const char *const want[] = {
                "/usr/bin/qemu-system-x86_64", "-name", "ag", "-nodefaults", "-no-user-config",
                "-machine", "q35", "-accel", "tcg", "-m", "64", "-smp", "1",
                "-display", "none", "-vnc", "unix:/run/user/1000/thatte-vmm/vm/vnc.sock",
                "-chardev", "socket,id=qmp,path=/run/user/1000/thatte-vmm/vm/qmp.sock,server=on,wait=off",
                "-mon", "chardev=qmp,mode=control",
                "-chardev", "socket,id=events,path=/run/user/1000/thatte-vmm/vm/events.sock,server=on,wait=off",
                "-mon", "chardev=events,mode=control",
                "-chardev", "socket,id=serial0,path=/run/user/1000/thatte-vmm/vm/serial.sock,server=on,wait=off,"
                "logfile=/home/u/.local/state/thatte-vmm/vm/serial.log,logappend=on", "-serial", "chardev:serial0",
                "-device", "virtio-serial-pci,id=agent0",
                "-chardev", "socket,id=agent,path=/run/user/1000/thatte-vmm/vm/agent.sock,server=on,wait=off",
                "-device", "virtserialport,bus=agent0.0,chardev=agent,name=org.thatte.agent",
                "-S", "-incoming", "defer", "-device", "VGA,id=gpu0,xres=1280,yres=800", NULL
        };
        vmm_launch l = launch;

        write_profile("ag.toml", "[vm]\nname = \"ag\"\nmemory = 64\n[boot]\nfirmware = \"bios\"\n"
                      "[agent]\nenabled = true\n");
        l.ui = VMM_UI_VNC;
        l.paused = true;
        l.incoming = true;
        golden("agent, vnc, restore", load("ag.toml"), &l, want);
}

int main(void)
{
        scratch_make(dir);
        test_escape();
        test_shipped();
        test_edges();
        test_aarch64();
        test_channels();
        test_agent_display();
        return tap_done();
}
