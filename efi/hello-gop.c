/* efi/hello-gop.c: the default picture through the Graphics Output Protocol.
 *
 * Rows are built one at a time in a small pool buffer by paint.c and then
 * copied into the framebuffer at y * PixelsPerScanLine, or handed to Blt
 * when the mode has no linear framebuffer (PixelBltOnly) or reports one
 * too small for the mode. Memory use stays one row. */
#include <efi.h>
#include <efilib.h>

#include "hello.h"
#include "paint.h"

EFI_GRAPHICS_OUTPUT_PROTOCOL *efi_hello_find_gop(void)
{
        EFI_GUID guid = EFI_GRAPHICS_OUTPUT_PROTOCOL_GUID;
        EFI_GRAPHICS_OUTPUT_PROTOCOL *gop = NULL;

        /* The console's own GOP first: it is the screen the user sees. */
        if (ST->ConsoleOutHandle &&
            BS->HandleProtocol(ST->ConsoleOutHandle, &guid, (void **)&gop) == EFI_SUCCESS && gop)
                return gop;
        if (BS->LocateProtocol(&guid, NULL, (void **)&gop) == EFI_SUCCESS && gop)
                return gop;
        return NULL;
}

/* The layout of one pixel of mode info; FALSE when only Blt can draw. */
static BOOLEAN describe_format(const EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info,
                               struct efi_paint_format *fmt)
{
        *fmt = (struct efi_paint_format){ .kind = EFI_PAINT_BGRX8 };
        switch (info->PixelFormat) {
        case PixelRedGreenBlueReserved8BitPerColor:
                fmt->kind = EFI_PAINT_RGBX8;
                return TRUE;
        case PixelBlueGreenRedReserved8BitPerColor:
                return TRUE;
        case PixelBitMask:
                fmt->kind = EFI_PAINT_BITMASK;
                fmt->red_mask = info->PixelInformation.RedMask;
                fmt->green_mask = info->PixelInformation.GreenMask;
                fmt->blue_mask = info->PixelInformation.BlueMask;
                fmt->reserved_mask = info->PixelInformation.ReservedMask;
                return efi_paint_bytes_per_pixel(fmt) != 0;
        default:
                return FALSE;
        }
}

static BOOLEAN framebuffer_fits(const EFI_GRAPHICS_OUTPUT_PROTOCOL_MODE *mode, unsigned bpp)
{
        const EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info = mode->Info;
        UINT64 need;

        if (!mode->FrameBufferBase || info->PixelsPerScanLine < info->HorizontalResolution)
                return FALSE;
        need = ((UINT64)(info->VerticalResolution - 1) * info->PixelsPerScanLine +
                info->HorizontalResolution) * bpp;
        return need <= mode->FrameBufferSize;
}

static EFI_STATUS paint_rows(EFI_GRAPHICS_OUTPUT_PROTOCOL *gop, const struct efi_paint_format *fmt,
                             BOOLEAN direct, UINT8 *row)
{
        const EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info = gop->Mode->Info;
        UINT32 w = info->HorizontalResolution, h = info->VerticalResolution;
        UINT8 *fb = (UINT8 *)(UINTN)gop->Mode->FrameBufferBase;
        EFI_STATUS status;

        for (UINT32 y = 0; y < h; y++) {
                efi_paint_row(fmt, w, h, y, row);
                if (direct) {
                        BS->CopyMem(fb + efi_paint_row_offset(fmt, info->PixelsPerScanLine, y), row,
                                    (UINTN)w * efi_paint_bytes_per_pixel(fmt));
                        continue;
                }
                status = gop->Blt(gop, (EFI_GRAPHICS_OUTPUT_BLT_PIXEL *)row, EfiBltBufferToVideo,
                                  0, 0, 0, y, w, 1, 0);
                if (EFI_ERROR(status))
                        return status;
        }
        return EFI_SUCCESS;
}

EFI_STATUS efi_hello_paint(UINT32 *ret_width, UINT32 *ret_height)
{
        EFI_GRAPHICS_OUTPUT_PROTOCOL *gop = efi_hello_find_gop();
        struct efi_paint_format fmt;
        EFI_STATUS status;
        BOOLEAN direct;
        UINT8 *row;

        if (!gop || !gop->Mode || !gop->Mode->Info)
                return EFI_UNSUPPORTED;
        if (!gop->Mode->Info->HorizontalResolution || !gop->Mode->Info->VerticalResolution)
                return EFI_UNSUPPORTED;

        direct = describe_format(gop->Mode->Info, &fmt) &&
                 framebuffer_fits(gop->Mode, efi_paint_bytes_per_pixel(&fmt));
        if (!direct)
                /* Blt takes EFI_GRAPHICS_OUTPUT_BLT_PIXEL: bytes B, G, R, reserved. */
                fmt = (struct efi_paint_format){ .kind = EFI_PAINT_BGRX8 };

        status = BS->AllocatePool(EfiLoaderData, (UINTN)gop->Mode->Info->HorizontalResolution * 4,
                                  (void **)&row);
        if (EFI_ERROR(status))
                return status;
        status = paint_rows(gop, &fmt, direct, row);
        BS->FreePool(row);
        if (EFI_ERROR(status))
                return status;

        *ret_width = gop->Mode->Info->HorizontalResolution;
        *ret_height = gop->Mode->Info->VerticalResolution;
        return EFI_SUCCESS;
}
