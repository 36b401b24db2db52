/* test-mk-parts: thatte-driveros-make's smaller pieces: the profile, the
 * static-program check, the output folder swap and tree removal. */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driveros/mk-elf.h"
#include "driveros/mk-fs.h"
#include "driveros/mk-output.h"
#include "driveros/mk-profile.h"
#include "tests/tap.h"

static char base[] = "/tmp/test-mk-parts.XXXXXX";

static char *profile_text(const struct mk_profile_spec *s, int *ret)
{
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);

        *ret = mk_profile_write(f, s);
        fclose(f);
        return text;
}

static void test_profile(void)
{
        struct mk_profile_spec s = { 0 };
        char *t, *c;
        int r;

        c = mk_profile_cmdline(&s);
        ok(c && !strcmp(c, "console=ttyS0 quiet panic=-1"), "initramfs command line");
        free(c);
        s.disk = true;
        s.append = "thatte.shell=1";
        c = mk_profile_cmdline(&s);
        ok(c && !strcmp(c, "console=ttyS0 quiet panic=-1 root=/dev/vda rw thatte.root=/dev/vda thatte.shell=1"),
           "disk command line with an appended argument");
        free(c);

        s = (struct mk_profile_spec){ 0 };
        t = profile_text(&s, &r);
        is_int(r, 0, "initramfs profile written");
        ok(strstr(t, "firmware = \"none\"") && strstr(t, "kernel = \"vmlinuz\"") &&
           strstr(t, "initrd = \"initrd.img\""), "boots the kernel directly");
        ok(!strstr(t, "[[disk]]"), "no disk in initramfs mode");
        ok(strstr(t, "gpu = \"virtio\""), "virtio-gpu display");
        ok(strstr(t, "input = true"), "virtio keyboard and tablet");
        free(t);

        s.disk = true;
        t = profile_text(&s, &r);
        ok(r == 0 && strstr(t, "[[disk]]") && strstr(t, "path = \"rootfs.ext4\"") &&
           !strstr(t, "snapshot = true") && !strstr(t, "overlay = false"),
           "disk mode: the rootfs behind an overlay (kept, snapshots, reset)");
        free(t);

        s = (struct mk_profile_spec){ .uki = true };
        t = profile_text(&s, &r);
        ok(r == 0 && strstr(t, "firmware = \"ovmf\"") && strstr(t, "esp = \"esp.img\"") &&
           !strstr(t, "kernel ="), "uki: OVMF boots the ESP");
        free(t);

        s.append = "a=\"b\"";
        free(profile_text(&s, &r));
        is_int(r, -EINVAL, "quotes in --append refused");
}

static void write_bytes(const char *path, const void *p, size_t n)
{
        FILE *f = fopen(path, "we");
        fwrite(p, 1, n, f);
        fclose(f);
}

/* A minimal ELF64 header with one program header of type TYPE. */
static void write_elf_for(const char *path, uint32_t type, uint16_t machine)
{
        struct { Elf64_Ehdr e; Elf64_Phdr p; } img = { 0 };

        memcpy(img.e.e_ident, ELFMAG, SELFMAG);
        img.e.e_ident[EI_CLASS] = ELFCLASS64;
        img.e.e_ident[EI_DATA] = ELFDATA2LSB;
        img.e.e_type = ET_EXEC;
        img.e.e_machine = machine;
        img.e.e_phoff = sizeof img.e;
        img.e.e_phentsize = sizeof img.p;
        img.e.e_phnum = 1;
        img.p.p_type = type;
        write_bytes(path, &img, sizeof img);
}

static void write_elf(const char *path, uint32_t type)
{
        write_elf_for(path, type, EM_X86_64);
}

static void test_elf(void)
{
        char *p = mk_path("%s/prog", base);

        write_elf(p, PT_LOAD);
        is_int(mk_elf_is_static(p), 1, "no PT_INTERP: static");
        write_elf(p, PT_INTERP);
        is_int(mk_elf_is_static(p), 0, "PT_INTERP: dynamic");
        write_bytes(p, "#!/bin/sh\n", 10);
        is_int(mk_elf_is_static(p), -ENOEXEC, "a script is not an ELF program");
        is_int(mk_elf_is_static("/nonexistent/x"), -ENOENT, "missing file");
        is_int(mk_elf_machine(p), -ENOEXEC, "a script has no machine");
        write_elf_for(p, PT_LOAD, EM_AARCH64);
        is_int(mk_elf_machine(p), EM_AARCH64, "an arm64 program");
        write_elf_for(p, PT_LOAD, EM_X86_64);
        is_int(mk_elf_machine(p), EM_X86_64, "an x86-64 program");
        unlink(p);
        free(p);
}

static void test_stub_size(void)
{
        uint8_t pe[512] = { 'M', 'Z' };
        char *p = mk_path("%s/stub", base);
        unsigned long size = 0;

        pe[0x3c] = 0x80;
        memcpy(pe + 0x80, "PE\0\0", 4);
        pe[0x80 + 24] = 0x0b;
        pe[0x80 + 25] = 0x02;
        pe[0x80 + 24 + 56] = 0x00;
        pe[0x80 + 24 + 57] = 0x93;
        pe[0x80 + 24 + 58] = 0x01;
        write_bytes(p, pe, sizeof pe);
        is_int(mk_pe_image_size(p, &size), 0, "PE32+ header read");
        is_int(size, 0x19300, "SizeOfImage");
        pe[0x80 + 24] = 0x0a;
        write_bytes(p, pe, sizeof pe);
        is_int(mk_pe_image_size(p, &size), -ENOEXEC, "PE32 (not PE32+) refused");
        unlink(p);
        free(p);
}

static void test_output(void)
{
        char *out = mk_path("%s/image", base), *tmp = NULL, *f;

        is_int(mk_output_begin(out, &tmp), 0, "temporary folder made");
        ok(tmp && !strncmp(tmp, base, strlen(base)) && strstr(tmp, "/.image.tmp-"),
           "next to the output, hidden");
        f = mk_path("%s/MANIFEST", tmp);
        write_bytes(f, "1", 1);
        free(f);
        is_int(mk_output_commit(tmp, out), 0, "renamed into place");
        ok(access(out, F_OK) == 0 && access(tmp, F_OK) < 0, "only the output remains");
        free(tmp);

        is_int(mk_output_begin(out, &tmp), 0, "second build");
        f = mk_path("%s/MANIFEST", tmp);
        write_bytes(f, "2", 1);
        free(f);
        is_int(mk_output_commit(tmp, out), 0, "an earlier image is replaced");
        f = mk_path("%s/MANIFEST", out);
        {
                FILE *m = fopen(f, "re");
                ok(m && fgetc(m) == '2', "by the new one");
                if (m)
                        fclose(m);
        }
        ok(access(tmp, F_OK) < 0, "the old one is gone");
        free(tmp);
        unlink(f);
        free(f);

        f = mk_path("%s/precious", out);
        write_bytes(f, "x", 1);
        is_int(mk_output_begin(out, &tmp), 0, "third build");
        is_int(mk_output_commit(tmp, out), -EEXIST, "a folder that is not an image is kept");
        ok(access(f, F_OK) == 0, "its file untouched");
        is_int(mk_rmtree(tmp), 0, "temporary folder removed");
        free(tmp);
        free(f);
        is_int(mk_rmtree(out), 0, "tree removed");
        ok(access(out, F_OK) < 0, "gone");
        is_int(mk_rmtree(out), 0, "removing a missing tree is fine");
        free(out);
}

int main(void)
{
        if (!mkdtemp(base))
                return 1;
        test_profile();
        test_elf();
        test_stub_size();
        test_output();
        ok(rmdir(base) == 0, "scratch folder empty at the end");
        return tap_done();
}
