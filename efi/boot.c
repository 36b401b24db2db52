/* efi/boot.c: thatte-boot.efi's entry: payload -> kernel -> module ->
 * framebuffer and RSDP -> handoff. Anything that fails before the handoff
 * is said on the console and serial, what was allocated is freed, and the
 * status goes back to the firmware (which then tries its next boot entry). */
#include <efi.h>
#include <efilib.h>

#include "boot.h"
#include "hello.h"

#define BOOT_LINE_MAX 160

void boot_say(const char *fmt, ...)
{
        CHAR8 line[BOOT_LINE_MAX] = "thatte-boot: ";
        va_list ap;

        va_start(ap, fmt);
        (void)AsciiVSPrint(line + 13, sizeof(line) - 13, (const CHAR8 *)fmt, ap);
        va_end(ap);
        efi_hello_say((const char *)line);
}

static EFI_STATUS load(EFI_HANDLE image, struct boot_state *s)
{
        EFI_STATUS status;

        status = boot_find_payload(image, &s->payload);
        if (!EFI_ERROR(status))
                status = boot_load_kernel(s);
        if (!EFI_ERROR(status))
                status = boot_load_module(s);
        if (EFI_ERROR(status))
                return status;
        /* Short lines: OVMF mirrors an 80-column text console to serial. */
        boot_say("kernel 0x%lx-0x%lx entry 0x%lx", s->kernel_base, s->kernel_end, s->entry);
        for (UINT32 i = 0; i < s->module_count; i++)
                boot_say("module %a %ld bytes at 0x%lx", s->modules[i].name, s->modules[i].size,
                         s->modules[i].base);
        boot_say("cmdline '%a'", s->payload.cmdline);
        return EFI_SUCCESS;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
        struct boot_state s = { .tsc_entry = boot_rdtsc() };
        EFI_STATUS status;

        InitializeLib(image, systab);
        /* The firmware's 5-minute watchdog would reset a kernel that
         * runs longer before exiting boot services; switch it off. */
        (void)BS->SetWatchdogTimer(0, 0, 0, NULL);

        status = load(image, &s);
        if (!EFI_ERROR(status)) {
                boot_find_framebuffer(&s.fb);
                s.rsdp = boot_find_rsdp();
                status = boot_handoff(image, &s);
        }
        boot_release(&s);
        boot_say("cannot boot (%r); back to the firmware", status);
        return status;
}
