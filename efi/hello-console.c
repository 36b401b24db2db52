/* efi/hello-console.c: one line of text to the console and the serial ports,
 * and the wait before returning to the firmware.
 *
 * Firmware such as OVMF already mirrors ConOut to a serial port through a
 * terminal driver. Writing the line to that port again through Serial I/O
 * would print it twice, so a port is written directly only when no text
 * console sits on it (no SimpleTextOut device path starts with the port's). */
#include <efi.h>
#include <efilib.h>

#include "hello.h"

#define LINE_MAX_CHARS 80

static EFI_DEVICE_PATH *device_path_of(EFI_HANDLE handle)
{
        EFI_GUID guid = EFI_DEVICE_PATH_PROTOCOL_GUID;
        EFI_DEVICE_PATH *path = NULL;

        if (BS->HandleProtocol(handle, &guid, (void **)&path) != EFI_SUCCESS)
                return NULL;
        return path;
}

/* TRUE when path continues prefix (prefix without its end node). */
static BOOLEAN path_extends(EFI_DEVICE_PATH *path, EFI_DEVICE_PATH *prefix)
{
        UINTN n = DevicePathSize(prefix) - END_DEVICE_PATH_LENGTH;

        return DevicePathSize(path) > n + END_DEVICE_PATH_LENGTH && CompareMem(path, prefix, n) == 0;
}

static BOOLEAN port_has_console(EFI_HANDLE port)
{
        EFI_GUID guid = EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL_GUID;
        EFI_DEVICE_PATH *port_path = device_path_of(port);
        EFI_HANDLE *handles = NULL;
        BOOLEAN found = FALSE;
        UINTN count = 0;

        if (!port_path)
                return FALSE;
        if (BS->LocateHandleBuffer(ByProtocol, &guid, NULL, &count, &handles) != EFI_SUCCESS)
                return FALSE;
        for (UINTN i = 0; i < count && !found; i++) {
                EFI_DEVICE_PATH *path = device_path_of(handles[i]);

                found = path && path_extends(path, port_path);
        }
        BS->FreePool(handles);
        return found;
}

static void write_ports(const char *text, UINTN len)
{
        EFI_GUID guid = EFI_SERIAL_IO_PROTOCOL_GUID;
        EFI_HANDLE *handles = NULL;
        UINTN count = 0;

        if (BS->LocateHandleBuffer(ByProtocol, &guid, NULL, &count, &handles) != EFI_SUCCESS)
                return;
        for (UINTN i = 0; i < count; i++) {
                SERIAL_IO_INTERFACE *port = NULL;
                UINTN n = len;

                if (port_has_console(handles[i]))
                        continue;
                if (BS->HandleProtocol(handles[i], &guid, (void **)&port) != EFI_SUCCESS || !port)
                        continue;
                (void)port->Write(port, &n, (void *)text);
        }
        BS->FreePool(handles);
}

void efi_hello_say(const char *line)
{
        /* The leading CR LF ends whatever a terminal printed before (escape
         * sequences of ClearScreen), so the text starts its own line. */
        char text[LINE_MAX_CHARS + 5] = "\r\n";
        CHAR16 wide[LINE_MAX_CHARS + 5];
        UINTN n = 2;

        while (*line && n < LINE_MAX_CHARS + 2)
                text[n++] = *line++;
        text[n++] = '\r';
        text[n++] = '\n';
        text[n] = '\0';

        for (UINTN i = 0; i <= n; i++)
                wide[i] = (CHAR16)(UINT8)text[i];
        if (ST->ConOut)
                (void)ST->ConOut->OutputString(ST->ConOut, wide);
        write_ports(text, n);
}

void efi_hello_wait(UINTN seconds)
{
        EFI_EVENT events[2];
        EFI_EVENT timer;
        UINTN n = 0, index;
        EFI_INPUT_KEY key;

        if (BS->CreateEvent(EVT_TIMER, 0, NULL, NULL, &timer) != EFI_SUCCESS)
                return;
        /* Timer periods count 100 ns units. */
        if (BS->SetTimer(timer, TimerRelative, (UINT64)seconds * 10000000) != EFI_SUCCESS)
                goto out;
        events[n++] = timer;
        if (ST->ConIn) {
                (void)ST->ConIn->Reset(ST->ConIn, FALSE);
                events[n++] = ST->ConIn->WaitForKey;
        }
        if (BS->WaitForEvent(n, events, &index) == EFI_SUCCESS && index == 1)
                (void)ST->ConIn->ReadKeyStroke(ST->ConIn, &key);
out:
        BS->CloseEvent(timer);
}
