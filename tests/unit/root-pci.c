/* tests/unit/root-pci.c: PCI configuration decoding of the root task. */
#include <string.h>

#include "kernel/root/pcicfg.h"
#include "tests/tap.h"

int main(void)
{
        struct rt_pci_dev d = { .bus = 0, .dev = 2, .fn = 0 };
        char line[64];

        is_int(rt_pci_addr(0, 0, 0, 0), 0x80000000u, "bus 0 device 0");
        is_int(rt_pci_addr(1, 31, 7, 0x3f), 0x8001ff3cu, "fields placed, register dword aligned");
        is_int(rt_pci_addr(0x100, 32, 8, 0x100), 0x80000000u, "fields masked");

        is_int(rt_pci_decode(0xffffffffu, 0, 0, &d), -1, "empty slot");
        is_int(rt_pci_decode(0x11111234u, 0x03000002u, 0x00000000u, &d), 0, "std-vga decodes");
        ok(d.vendor == 0x1234 && d.device == 0x1111 && d.class == 3 && d.subclass == 0,
           "std-vga IDs and class");
        (void)rt_pci_format(line, sizeof(line), &d);
        ok(strcmp(line, "pci 00:02.0 1234:1111 class 03") == 0, "line: %s", line);

        ok(!rt_pci_is_bridge(&d), "a display is no bridge");
        is_int(rt_pci_decode(0x00011b36u, 0x06040000u, 0x00010000u, &d), 0, "bridge decodes");
        ok(rt_pci_is_bridge(&d), "class 06:04 header 1 is a bridge");
        is_int(rt_pci_decode(0x29188086u, 0x06010002u, 0x00800000u, &d), 0, "ISA bridge");
        ok(!rt_pci_is_bridge(&d) && (d.header & 0x80), "ISA bridge: multi-function, no PCI bridge");

        ok(rt_pci_bar_base(0xfd000008u, 0) == 0xfd000000u, "32-bit prefetchable BAR");
        ok(rt_pci_bar_base(0x0000000cu, 0x8u) == 0x800000000ull, "64-bit BAR takes the high dword");
        ok(rt_pci_bar_base(0xc001u, 0) == 0, "I/O BAR has no memory base");
        return tap_done();
}
