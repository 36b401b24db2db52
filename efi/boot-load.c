/* efi/boot-load.c: the payload inside the loader's own image, the kernel
 * at its physical address, the root task as a module.
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
        return EFI_SUCCESS;
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

EFI_STATUS boot_load_module(struct boot_state *s)
{
        const struct boot_payload *p = &s->payload;
        EFI_PHYSICAL_ADDRESS base = BELOW_4G;
        struct boot_elf_info info;
        EFI_STATUS status;

        status = check_elf(p->root, p->root_len, BOOT_ELF_ROOT, &info);
        if (EFI_ERROR(status))
                return status;
        status = BS->AllocatePages(AllocateMaxAddress, EfiLoaderData, pages_of(p->root_len), &base);
        if (EFI_ERROR(status)) {
                boot_say("no memory below 4 GiB for the root task (%r)", status);
                return status;
        }
        BS->CopyMem((void *)(UINTN)base, (void *)p->root, p->root_len);
        s->module_base = base;
        s->module_size = p->root_len;
        return EFI_SUCCESS;
}

void boot_release(struct boot_state *s)
{
        if (s->kernel_end)
                (void)BS->FreePages(s->kernel_base, (s->kernel_end - s->kernel_base) / PAGE);
        if (s->module_size)
                (void)BS->FreePages(s->module_base, pages_of(s->module_size));
        s->kernel_end = 0;
        s->module_size = 0;
}
