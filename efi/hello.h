/* efi/hello.h: the parts of thatte-hello.efi (hello*.c), inside the firmware.
 *
 * Boot services are reached through gnu-efi's ST/BS globals, which
 * InitializeLib() sets up in efi_main before anything here runs. */
#ifndef THATTE_EFI_HELLO_H
#define THATTE_EFI_HELLO_H

#include <efi.h>

/* efi_main: the entry point gnu-efi's crt0 calls after relocating the
 * image. Returns the status the firmware sees. */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);

/* efi_hello_find_gop: the Graphics Output Protocol of the console the user
 * sees, else the first one; NULL when there is none. (thatte-boot.efi
 * takes its framebuffer from the same one.) */
EFI_GRAPHICS_OUTPUT_PROTOCOL *efi_hello_find_gop(void);

/* efi_hello_paint: paints the default picture over the whole screen in the
 * current GOP mode. Returns EFI_SUCCESS and the mode size in ret_width and
 * ret_height; EFI_UNSUPPORTED when there is no Graphics Output Protocol;
 * another EFI status when allocating or drawing failed (outputs untouched). */
EFI_STATUS efi_hello_paint(UINT32 *ret_width, UINT32 *ret_height);

/* efi_hello_say: writes one line of ASCII text to the console (ConOut) and
 * to each serial port, exactly once per port: ports that already carry
 * ConOut through a terminal are not written a second time. */
void efi_hello_say(const char *line);

/* efi_hello_wait: waits for a key press or for the given number of seconds,
 * whichever comes first. A key that ends the wait is consumed. */
void efi_hello_wait(UINTN seconds);

#endif
