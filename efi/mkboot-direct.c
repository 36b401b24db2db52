/* efi/mkboot-direct.c: thatte-mkboot --direct, the module bundle of a
 * direct boot. QEMU's PVH `-kernel` passes a single -initrd file to
 * thatte-mk; this writes that file as a cpio archive of the root task
 * (module `root`) and DriverOS's guest images (mkboot-guest.h), which the
 * kernel's PVH entry splits into modules by name
 * (kernel/arch/x86_64/cpio-bundle.c). Inputs are checked as for the UEFI
 * file; the output is written atomically. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mkboot-build.h"
#include "mkboot-cpio.h"
#include "mkboot-guest.h"
#include "mkboot-input.h"

#define PROG program_invocation_short_name

/* The members in the order the kernel lists them: root first. */
static size_t members(const uint8_t *root, size_t root_len, const struct mkboot_guest *g,
                      struct mkboot_cpio_member *m)
{
        size_t n = 0;

        m[n++] = (struct mkboot_cpio_member){ "root", root, root_len };
        if (g->kernel)
                m[n++] = (struct mkboot_cpio_member){ BOOT_MODULE_GUEST_KERNEL, g->kernel,
                                                      g->kernel_len };
        if (g->initrd)
                m[n++] = (struct mkboot_cpio_member){ BOOT_MODULE_GUEST_INITRD, g->initrd,
                                                      g->initrd_len };
        if (g->cmdline)
                m[n++] = (struct mkboot_cpio_member){ BOOT_MODULE_GUEST_CMDLINE,
                                                      (const uint8_t *)g->cmdline,
                                                      strlen(g->cmdline) + 1 };
        return n;
}

int mkboot_build_direct(const struct mkboot_spec *o, const char *output)
{
        struct mkboot_cpio_member m[4];
        struct mkboot_guest g = { 0 };
        uint8_t *root = NULL, *out = NULL;
        size_t root_len = 0, out_len = 0;
        int r;

        r = mkboot_load_elf(o->root, BOOT_ELF_ROOT, &root, &root_len);
        if (r == 0)
                r = mkboot_guest_load(o->guest_kernel, o->guest_initrd, o->guest_cmdline, &g);
        if (r == 0) {
                r = mkboot_cpio_write(m, members(root, root_len, &g, m), &out, &out_len);
                if (r < 0)
                        fprintf(stderr, "%s: cannot write the bundle: %s\n", PROG, strerror(-r));
        }
        if (r == 0)
                r = mkboot_write_output(o, output, out, out_len);
        free(out);
        mkboot_guest_free(&g);
        free(root);
        return r;
}
