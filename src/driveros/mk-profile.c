/* mk-profile.c: the VM profile written next to each image. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "driveros/mk-profile.h"

/* initramfs: quiet keeps the serial console (and so boot time) short; the
 * markers come from thatte-init, not the kernel. */
#define CMDLINE_BASE "quiet panic=-1"
/* disk: thatte-init in the small initrd mounts the root (thatte.root);
 * root= tells the rest of the system (systemd) which device it is. */
#define CMDLINE_DISK " root=/dev/vda rw thatte.root=/dev/vda"

static bool append_valid(const char *a)
{
        for (; a && *a; a++)
                if (*a == '"' || *a == '\\' || (unsigned char)*a < 0x20 || *a == 0x7f)
                        return false;
        return true;
}

static const char name_chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";

bool mk_profile_name_valid(const char *s)
{
        size_t n = strlen(s);

        return n > 0 && n <= MK_VM_NAME_MAX && s[0] != '.' && strspn(s, name_chars) == n;
}

void mk_profile_name(const char *output, char *buf)
{
        size_t end = strlen(output), start, n = 0;

        while (end > 0 && output[end - 1] == '/')
                end--;
        start = end;
        while (start > 0 && output[start - 1] != '/')
                start--;
        while (start < end && output[start] == '.')
                start++;
        for (size_t i = start; i < end && n < MK_VM_NAME_MAX; i++)
                buf[n++] = strchr(name_chars, output[i]) && output[i] ? output[i] : '-';
        buf[n] = '\0';
        if (n == 0)
                strcpy(buf, "driveros");
}

char *mk_profile_cmdline(const struct mk_profile_spec *spec)
{
        char *s;

        /* virt's PL011 is ttyAMA0; the 16550 of a PC ttyS0. */
        if (asprintf(&s, "console=%s %s%s%s%s", spec->aarch64 ? "ttyAMA0" : "ttyS0", CMDLINE_BASE,
                     spec->disk ? CMDLINE_DISK : "",
                     spec->append && *spec->append ? " " : "",
                     spec->append ? spec->append : "") < 0)
                return NULL;
        return s;
}

static void write_boot(FILE *out, const struct mk_profile_spec *spec, const char *cmdline)
{
        fputs("[boot]\n", out);
        if (spec->uki) {
                /* The kernel, initrd and command line are inside driveros.efi. */
                fputs("firmware = \"ovmf\"\n"
                      "esp = \"esp.img\"                # EFI/BOOT/BOOTX64.EFI = driveros.efi\n", out);
        } else {
                fputs("firmware = \"none\"               # direct kernel boot\n"
                      "kernel = \"vmlinuz\"\n"
                      "initrd = \"initrd.img\"\n", out);
                fprintf(out, "cmdline = \"%s\"\n", cmdline);
        }
        fputc('\n', out);
}

int mk_profile_write(FILE *out, const struct mk_profile_spec *spec)
{
        char *cmdline;

        if (!append_valid(spec->append) || (spec->name && !mk_profile_name_valid(spec->name)))
                return -EINVAL;
        cmdline = mk_profile_cmdline(spec);
        if (!cmdline)
                return -ENOMEM;
        fputs("# driveros.toml: boots the DriverOS image in this folder; written by\n"
              "# thatte-driveros-make(8). Paths are relative to this folder.\n"
              "#     thatte-vmm start driveros.toml    (or: thatte-driveros-run .)\n"
              "# See thatte-vm.toml(5).\n\n", out);
        fprintf(out, "[vm]\nname = \"%s\"\n", spec->name ? spec->name : "driveros");
        if (spec->aarch64)
                fputs("arch = \"aarch64\"                # QEMU virt\n", out);
        fprintf(out, "memory = %d\n", spec->disk ? 1024 : 512);
        fputs("cpus = 2\naccel = \"auto\"\n\n", out);
        write_boot(out, spec, cmdline);
        if (spec->disk)
                fputs("[[disk]]\npath = \"rootfs.ext4\"\nformat = \"raw\"\n"
                      "# Writes go to a qcow2 overlay in the VM's state folder, never to the\n"
                      "# image: thatte-vmm snapshot NAME save TAG, reset NAME (back to the image).\n\n", out);
        /* input: the compositor reads the keyboard and pointer through evdev. */
        fputs("[display]\ngpu = \"virtio\"\nwidth = 1280\nheight = 800\n"
              "input = true                    # virtio keyboard and tablet\n\n"
              "[net]\nmode = \"user\"\n\n"
              "[stop]\ntimeout = 30\n", out);
        /* thatte-init serves exec and copy where it stays PID 1. */
        if (!spec->disk)
                fputs("\n[agent]\nenabled = true                  # thatte-vmm exec and copy\n", out);
        free(cmdline);
        return fflush(out) == 0 && !ferror(out) ? 0 : -errno;
}
