/* efi/boot-firmware.c: what the firmware knows that the kernel needs: the
 * framebuffer of the current GOP mode (never changed: the user's or the
 * firmware's choice stands) and the ACPI RSDP from the configuration table. */
#include <efi.h>
#include <efilib.h>

#include "boot.h"
#include "hello.h"
#include "paint.h"

static void fill_masks(struct thatte_framebuffer *fb, UINT32 r, UINT32 g, UINT32 b, UINT32 x)
{
        fb->red_mask = r;
        fb->green_mask = g;
        fb->blue_mask = b;
        fb->reserved_mask = x;
}

/* The format and masks of a mode; FALSE when the kernel cannot draw into
 * it directly (Blt-only, or a bit-mask layout narrower than 32 bits). */
static BOOLEAN describe(const EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info, struct thatte_framebuffer *fb)
{
        const EFI_PIXEL_BITMASK *m = &info->PixelInformation;
        struct efi_paint_format fmt = { .kind = EFI_PAINT_BITMASK, .red_mask = m->RedMask,
                                        .green_mask = m->GreenMask, .blue_mask = m->BlueMask,
                                        .reserved_mask = m->ReservedMask };

        switch (info->PixelFormat) {
        case PixelRedGreenBlueReserved8BitPerColor:
                fb->format = THATTE_FB_RGBX8888;
                fill_masks(fb, 0xff, 0xff00, 0xff0000, 0xff000000);
                return TRUE;
        case PixelBlueGreenRedReserved8BitPerColor:
                fb->format = THATTE_FB_BGRX8888;
                fill_masks(fb, 0xff0000, 0xff00, 0xff, 0xff000000);
                return TRUE;
        case PixelBitMask:
                fb->format = THATTE_FB_BITMASK;
                fill_masks(fb, m->RedMask, m->GreenMask, m->BlueMask, m->ReservedMask);
                return efi_paint_bytes_per_pixel(&fmt) == 4;
        default:
                return FALSE;
        }
}

void boot_find_framebuffer(struct thatte_framebuffer *ret)
{
        EFI_GRAPHICS_OUTPUT_PROTOCOL *gop = efi_hello_find_gop();
        const EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info;
        struct thatte_framebuffer fb = { .format = THATTE_FB_NONE };

        *ret = fb;
        if (!gop || !gop->Mode || !gop->Mode->Info) {
                boot_say("no graphics output: no framebuffer for the kernel");
                return;
        }
        info = gop->Mode->Info;
        fb.width = info->HorizontalResolution;
        fb.height = info->VerticalResolution;
        /* Rows are PixelsPerScanLine apart, which may exceed the width. */
        fb.stride = info->PixelsPerScanLine;
        if (!describe(info, &fb) || !gop->Mode->FrameBufferBase || fb.stride < fb.width ||
            (UINT64)fb.stride * fb.height * 4 > gop->Mode->FrameBufferSize) {
                boot_say("GOP mode %dx%d is Blt-only: no framebuffer for the kernel", fb.width,
                         fb.height);
                return;
        }
        fb.base = gop->Mode->FrameBufferBase;
        fb.size = gop->Mode->FrameBufferSize;
        boot_say("framebuffer %dx%d stride %d format %d at 0x%lx", fb.width, fb.height, fb.stride,
                 fb.format, fb.base);
        *ret = fb;
}

static UINT64 find_table(EFI_GUID *guid)
{
        for (UINTN i = 0; i < ST->NumberOfTableEntries; i++)
                if (CompareGuid(&ST->ConfigurationTable[i].VendorGuid, guid) == 0)
                        return (UINT64)(UINTN)ST->ConfigurationTable[i].VendorTable;
        return 0;
}

UINT64 boot_find_rsdp(void)
{
        EFI_GUID acpi20 = ACPI_20_TABLE_GUID, acpi10 = ACPI_TABLE_GUID;
        UINT64 rsdp = find_table(&acpi20);

        if (!rsdp)
                rsdp = find_table(&acpi10);
        if (rsdp)
                boot_say("ACPI RSDP at 0x%lx", rsdp);
        else
                boot_say("no ACPI RSDP in the configuration table");
        return rsdp;
}
