/* efi/boot-load.c: the payload inside the loader's own image, the kernel
 * at its physical address, the root task and DriverOS's guest images as
 * modules.
 *
 * The firmware loaded every section of this image, .kernel, .root and
 * .cmdline included (thatte-mkboot put them there), so they are read from
 * memory at LoadedImage->ImageBase + their RVA (boot-pe.c). */
#include <efi.h>
#include <efilib.h>

#include "boot-elf.h"
#include "boot-pe.h"
#include "boot.h"

#define PAGE 4096ull
#define BELOW_4G 0xffffffffull

static UINT64 pages_of(UINT64 bytes)
{
        return (bytes + PAGE - 1) / PAGE;
}

static EFI_STATUS section(EFI_LOADED_IMAGE *li, const char *name, const UINT8 **data, UINTN *len)
{
        size_t n;

        if (boot_pe_find(li->ImageBase, li->ImageSize, name, data, &n) < 0 || !n) {
                boot_say("no %a section in this image: pack it with thatte-mkboot", name);
                return EFI_NOT_FOUND;
        }
        *len = n;
        return EFI_SUCCESS;
}

static const struct {
        const char *section, *module;
} guests[BOOT_GUESTS] = {
        [BOOT_GUEST_KERNEL] = { BOOT_PE_GUEST_KERNEL, BOOT_MODULE_GUEST_KERNEL },
        [BOOT_GUEST_INITRD] = { BOOT_PE_GUEST_INITRD, BOOT_MODULE_GUEST_INITRD },
        [BOOT_GUEST_CMDLINE] = { BOOT_PE_GUEST_CMDLINE, BOOT_MODULE_GUEST_CMDLINE },
};

/* Whether the last of the len bytes at s is the first NUL. */
static int nul_terminated(const UINT8 *s, UINTN len)
{
        UINTN n = 0;

        while (n < len && s[n])
                n++;
        return len && n == len - 1;
}

/* The guest sections thatte-mkboot added, if any. */
static EFI_STATUS find_guests(EFI_LOADED_IMAGE *li, struct boot_payload *ret)
{
        for (unsigned i = 0; i < BOOT_GUESTS; i++) {
                const UINT8 *data;
                size_t n;

                if (boot_pe_find(li->ImageBase, li->ImageSize, guests[i].section, &data, &n) < 0 ||
                    !n)
                        continue;
                ret->guest[i] = data;
                ret->guest_len[i] = n;
        }
        if (ret->guest[BOOT_GUEST_CMDLINE] &&
            !nul_terminated(ret->guest[BOOT_GUEST_CMDLINE], ret->guest_len[BOOT_GUEST_CMDLINE])) {
                boot_say("the %a section is not one NUL-terminated text", BOOT_PE_GUEST_CMDLINE);
                return EFI_NOT_FOUND;
        }
        return EFI_SUCCESS;
}

EFI_STATUS boot_find_payload(EFI_HANDLE image, struct boot_payload *ret)
{
        EFI_LOADED_IMAGE *li = NULL;
        const UINT8 *cmdline;
        EFI_STATUS status;
        UINTN len, n = 0;

        status = BS->HandleProtocol(image, &LoadedImageProtocol, (void **)&li);
        if (EFI_ERROR(status) || !li) {
                boot_say("cannot find my own loaded image (%r)", status);
                return EFI_NOT_FOUND;
        }
        status = section(li, BOOT_PE_KERNEL, &ret->kernel, &ret->kernel_len);
        if (!EFI_ERROR(status))
                status = section(li, BOOT_PE_ROOT, &ret->root, &ret->root_len);
        if (!EFI_ERROR(status))
                status = section(li, BOOT_PE_CMDLINE, &cmdline, &len);
        if (EFI_ERROR(status))
                return status;
        while (n < len && cmdline[n])
                n++;
        if (n == len) {
                boot_say("the .cmdline section is not NUL-terminated");
                return EFI_NOT_FOUND;
        }
        ret->cmdline = (const char *)cmdline;
        ret->cmdline_len = n;
        return find_guests(li, ret);
}

static EFI_STATUS check_elf(const UINT8 *data, UINTN len, enum boot_elf_role role,
                            struct boot_elf_info *info)
{
        enum boot_elf_result r = boot_elf_check(data, len, role, info, NULL);

        if (r == BOOT_ELF_OK)
                return EFI_SUCCESS;
        boot_say("%a: %a", role == BOOT_ELF_KERNEL ? "kernel" : "root task", boot_elf_strerror(r));
        return EFI_LOAD_ERROR;
}

EFI_STATUS boot_load_kernel(struct boot_state *s)
{
        const struct boot_payload *p = &s->payload;
        struct boot_elf_info info;
        struct boot_elf_segment seg;
        EFI_PHYSICAL_ADDRESS base;
        EFI_STATUS status;
        UINT64 end;

        status = check_elf(p->kernel, p->kernel_len, BOOT_ELF_KERNEL, &info);
        if (EFI_ERROR(status))
                return status;
        base = info.lo & ~(PAGE - 1);
        end = pages_of(info.hi) * PAGE;
        status = BS->AllocatePages(AllocateAddress, EfiLoaderData, (end - base) / PAGE, &base);
        if (EFI_ERROR(status)) {
                boot_say("kernel range 0x%lx-0x%lx is taken (%r)", (UINT64)base, end, status);
                return status;
        }
        BS->SetMem((void *)(UINTN)base, end - base, 0);
        for (unsigned i = 0; boot_elf_load_segment(p->kernel, p->kernel_len, i, &seg) == 0; i++)
                BS->CopyMem((void *)(UINTN)seg.paddr, (void *)(p->kernel + seg.offset), seg.filesz);
        s->kernel_base = base;
        s->kernel_end = end;
        s->entry = info.entry;
        return EFI_SUCCESS;
}

/* Copies len bytes into pages below 4 GiB as the next module. */
static EFI_STATUS add_module(struct boot_state *s, const char *name, const UINT8 *data, UINTN len)
{
        EFI_PHYSICAL_ADDRESS base = BELOW_4G;
        struct thatte_module *m = &s->modules[s->module_count];
        EFI_STATUS status;

        status = BS->AllocatePages(AllocateMaxAddress, EfiLoaderData, pages_of(len), &base);
        if (EFI_ERROR(status)) {
                boot_say("no memory below 4 GiB for module %a (%r)", name, status);
                return status;
        }
        BS->CopyMem((void *)(UINTN)base, (void *)data, len);
        BS->SetMem(m, sizeof(*m), 0);
        m->base = base;
        m->size = len;
        BS->CopyMem(m->name, (void *)name, strlena((const CHAR8 *)name) + 1);
        s->module_count++;
        return EFI_SUCCESS;
}

EFI_STATUS boot_load_module(struct boot_state *s)
{
        const struct boot_payload *p = &s->payload;
        struct boot_elf_info info;
        EFI_STATUS status;

        status = check_elf(p->root, p->root_len, BOOT_ELF_ROOT, &info);
        if (!EFI_ERROR(status))
                status = add_module(s, "root", p->root, p->root_len);
        for (unsigned i = 0; !EFI_ERROR(status) && i < BOOT_GUESTS; i++)
                if (p->guest[i])
                        status = add_module(s, guests[i].module, p->guest[i], p->guest_len[i]);
        return status;
}

void boot_release(struct boot_state *s)
{
        if (s->kernel_end)
                (void)BS->FreePages(s->kernel_base, (s->kernel_end - s->kernel_base) / PAGE);
        for (UINT32 i = 0; i < s->module_count; i++)
                (void)BS->FreePages(s->modules[i].base, pages_of(s->modules[i].size));
        s->kernel_end = 0;
        s->module_count = 0;
}
