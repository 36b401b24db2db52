/* efi/hello.c: thatte-hello.efi, the Day-0 pixel proof.
 *
 * Flow: clear the console, paint the default picture through GOP in the
 * current mode, announce "thatte-efi: painted WxH" on the console and the
 * serial port (tests wait for that line), wait for a key or 30 s, and
 * return to the firmware's boot manager. */
#include <efi.h>
#include <efilib.h>

#include "hello.h"

#define HELLO_WAIT_SECONDS 30

/* Appends the decimal digits of v to p; returns the new end. */
static char *put_uint(char *p, UINT32 v)
{
        char digits[10];
        int n = 0;

        do {
                digits[n++] = (char)('0' + v % 10);
                v /= 10;
        } while (v);
        while (n)
                *p++ = digits[--n];
        return p;
}

static char *put_str(char *p, const char *s)
{
        while (*s)
                *p++ = *s++;
        return p;
}

static void say_painted(UINT32 width, UINT32 height)
{
        char line[64], *p = line;

        p = put_str(p, "thatte-efi: painted ");
        p = put_uint(p, width);
        *p++ = 'x';
        p = put_uint(p, height);
        *p = '\0';
        efi_hello_say(line);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
        UINT32 width, height;
        EFI_STATUS status;

        InitializeLib(image, systab);

        /* A clear console puts the cursor home, so our one line of text
         * cannot make the console scroll the painted picture. */
        if (ST->ConOut)
                (void)ST->ConOut->ClearScreen(ST->ConOut);

        status = efi_hello_paint(&width, &height);
        if (status == EFI_SUCCESS)
                say_painted(width, height);
        else if (status == EFI_UNSUPPORTED)
                efi_hello_say("thatte-efi: no graphics output");
        else
                efi_hello_say("thatte-efi: painting failed");

        efi_hello_wait(HELLO_WAIT_SECONDS);
        return status;
}
