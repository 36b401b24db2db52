/* tests/kernel/vmm-pci.c: kernel/vmm's PCI bus and ivshmem function as
 * Linux meets them: configuration mechanism #1 (Linux's type-1 probe),
 * the host bridge, the ivshmem function's IDs, BAR sizing and
 * programming, the command register, the MSI-X capability and table,
 * BAR0's registers, the doorbell both ways; then hostile guests: garbage
 * at every port, width and register, BARs over RAM, wrapping or
 * overlapping, MSI-X messages to wild addresses. */
#include <stdlib.h>

#include "tests/tap.h"
#include "ivshmem.h"

#define SHM (32u << 20)

struct rig {
        struct vmm_pci pci;
        struct vmm_ivshmem iv;
        struct vmm_apic apic;
};

static const struct vmm_pci_window windows[2] = {
        { 0xc0000000u, 0x3ec00000u },           /* 3 GiB up to the I/O APIC */
        { 0x100000000ull << 4, 1ull << 36 },    /* 64 GiB up */
};

static void
rig_init(struct rig *r)
{
        vmm_apic_init(&r->apic, 0, true);
        vmm_apic_wrmsr(&r->apic, 0x80f, 0x1ff);
        vmm_pci_init(&r->pci);
        if (vmm_ivshmem_init(&r->iv, &r->apic, SHM, windows, 2, 1) ||
            vmm_pci_attach(&r->pci, 2, &r->iv.fn))
                abort();
}

static uint32_t
io(struct rig *r, uint16_t port, uint8_t size, bool write, uint32_t v)
{
        struct vmm_io a = { port, size, write, v };

        if (vmm_pci_io(&r->pci, &a) < 0)
                return 0xdeadbeef;
        return a.value;
}

static uint32_t
cfg_rd(struct rig *r, unsigned dev, unsigned off, uint8_t size)
{
        io(r, 0xcf8, 4, true, 0x80000000u | dev << 11 | (off & 0xfc));
        return io(r, (uint16_t)(0xcfc + (off & 3)), size, false, 0);
}

static void
cfg_wr(struct rig *r, unsigned dev, unsigned off, uint8_t size, uint32_t v)
{
        io(r, 0xcf8, 4, true, 0x80000000u | dev << 11 | (off & 0xfc));
        io(r, (uint16_t)(0xcfc + (off & 3)), size, true, v);
}

static void
test_mechanism(void)
{
        struct rig r;

        rig_init(&r);
        /* Linux's pci_check_type1: byte 1 to 0xCFB, then 0xCF8 reads back. */
        io(&r, 0xcfb, 1, true, 1);
        io(&r, 0xcf8, 4, true, 0x80000000u);
        is_int(io(&r, 0xcf8, 4, false, 0), 0x80000000u, "CONFIG_ADDRESS reads back");
        io(&r, 0xcf8, 4, true, 0xffffffffu);
        is_int(io(&r, 0xcf8, 4, false, 0), 0x80fffffcu, "reserved bits read 0");
        is_int(io(&r, 0xcf9, 1, false, 0), 0xff, "0xCF9 byte: open bus");
        is_int(cfg_rd(&r, 0, 0, 4), 0x12378086, "00:00.0: 8086:1237");
        is_int(cfg_rd(&r, 0, 0xb, 1), 0x06, "host bridge class");
        cfg_wr(&r, 0, 4, 2, 0xffff);
        is_int(cfg_rd(&r, 0, 4, 2), 0, "host bridge: nothing writable");
        is_int(cfg_rd(&r, 3, 0, 4), 0xffffffffu, "empty slot: all ones");
        io(&r, 0xcf8, 4, true, 0x80010000u);
        is_int(io(&r, 0xcfc, 4, false, 0), 0xffffffffu, "bus 1: all ones");
        io(&r, 0xcf8, 4, true, 0x80001100u);
        is_int(io(&r, 0xcfc, 4, false, 0), 0xffffffffu, "02:00.1 (function 1): all ones");
        io(&r, 0xcf8, 4, true, 0x00001000u);
        is_int(io(&r, 0xcfc, 4, false, 0), 0xffffffffu, "enable bit clear: all ones");
        struct vmm_io other = { 0x3f8, 1, false, 0 };
        is_int(vmm_pci_io(&r.pci, &other), -VMM_ENOENT, "port 0x3F8 is not the bus's");
}

static void
test_ivshmem_config(void)
{
        struct rig r;

        rig_init(&r);
        is_int(cfg_rd(&r, 2, 0, 4), 0x11101af4, "02:00.0: 1af4:1110");
        is_int(cfg_rd(&r, 2, 8, 4), 0x05000001, "class 0x0500, revision 1");
        is_int(cfg_rd(&r, 2, 0x2c, 4), 0x11001af4, "subsystem 1af4:1100");
        ok(cfg_rd(&r, 2, 6, 2) & 0x10, "status: capability list");
        is_int(cfg_rd(&r, 2, 0x34, 1), 0x40, "capabilities at 0x40");
        is_int(cfg_rd(&r, 2, 0x40, 4), 0x00010011, "MSI-X, last in the list, 2 vectors, off");
        is_int(cfg_rd(&r, 2, 0x44, 4), 1, "table: BAR1 offset 0");
        is_int(cfg_rd(&r, 2, 0x48, 4), 0x801, "PBA: BAR1 offset 0x800");
        is_int(cfg_rd(&r, 2, 0x3d, 1), 0, "no interrupt pin");
        /* BAR sizing, as Linux's __pci_read_base does it. */
        cfg_wr(&r, 2, 0x10, 4, 0xffffffffu);
        is_int(cfg_rd(&r, 2, 0x10, 4), 0xffffff00u, "BAR0 sizes as 256 bytes, 32-bit memory");
        cfg_wr(&r, 2, 0x14, 4, 0xffffffffu);
        is_int(cfg_rd(&r, 2, 0x14, 4), 0xfffff000u, "BAR1 sizes as 4 KiB");
        cfg_wr(&r, 2, 0x18, 4, 0xffffffffu);
        cfg_wr(&r, 2, 0x1c, 4, 0xffffffffu);
        is_int(cfg_rd(&r, 2, 0x18, 4), 0xfe00000cu, "BAR2 low: 32 MiB, 64-bit prefetchable");
        is_int(cfg_rd(&r, 2, 0x1c, 4), 0xffffffffu, "BAR2 high: all ones");
        is_int(cfg_rd(&r, 2, 0x20, 4), 0, "BAR4: none");
        /* Programming, then memory decoding on. */
        cfg_wr(&r, 2, 0x10, 4, 0xc0001000u);
        cfg_wr(&r, 2, 0x14, 4, 0xc0002000u);
        cfg_wr(&r, 2, 0x18, 4, 0);
        cfg_wr(&r, 2, 0x1c, 4, 0x10);
        uint64_t base;
        ok(!vmm_ivshmem_bar(&r.iv, 2, &base), "memory decoding off: BAR2 not decoded");
        cfg_wr(&r, 2, 4, 2, 0xffff);
        is_int(cfg_rd(&r, 2, 4, 2), 0x406, "command: memory, bus master, INTx disable writable");
        ok(vmm_ivshmem_bar(&r.iv, 2, &base) && base == 0x1000000000ull, "BAR2 at 64 GiB");
        ok(vmm_ivshmem_bar(&r.iv, 0, &base) && base == 0xc0001000u, "BAR0 decoded");
        cfg_wr(&r, 2, 0x3c, 1, 0x0b);
        is_int(cfg_rd(&r, 2, 0x3c, 1), 0x0b, "interrupt line is scratch");
        cfg_wr(&r, 2, 0, 4, 0);
        is_int(cfg_rd(&r, 2, 0, 4), 0x11101af4, "IDs are read-only");
}

static void
place(struct rig *r)
{
        vmm_ivshmem_place(&r->iv, 0xc0001000u, 0xc0002000u, 0x1000000000ull);
}

static void
test_registers_and_doorbell(void)
{
        struct rig r;
        uint64_t v = 0;

        rig_init(&r);
        place(&r);
        is_int(vmm_ivshmem_mmio(&r.iv, 0xc0001008u, 4, false, &v), 0, "IVPosition read");
        is_int(v, 1, "IVPosition: the guest is peer 1");
        v = 0x12345678;
        vmm_ivshmem_mmio(&r.iv, 0xc0001008u, 4, true, &v);
        vmm_ivshmem_mmio(&r.iv, 0xc0001008u, 4, false, &v);
        is_int(v, 1, "IVPosition is read-only");
        v = 0x00000003;
        is_int(vmm_ivshmem_mmio(&r.iv, 0xc000100cu, 4, true, &v), 1, "Doorbell write: reported");
        ok(r.iv.doorbell == 3 && r.iv.doorbells == 1, "peer 0, vector 3");
        vmm_ivshmem_mmio(&r.iv, 0xc000100cu, 4, false, &v);
        is_int(v, 0, "Doorbell reads 0");
        /* MSI-X off: the VMM's ring only shows in IntrStatus. */
        is_int(vmm_ivshmem_notify(&r.iv, 0), 0, "notify with MSI-X off");
        vmm_ivshmem_mmio(&r.iv, 0xc0001004u, 4, false, &v);
        is_int(v, 1, "IntrStatus set");
        vmm_ivshmem_mmio(&r.iv, 0xc0001004u, 4, false, &v);
        is_int(v, 0, "reading IntrStatus cleared it");
        is_int(vmm_ivshmem_notify(&r.iv, 2), -VMM_EINVAL, "vector 2 does not exist");
        is_int(vmm_ivshmem_mmio(&r.iv, 0xc0000fffu, 1, false, &v), -VMM_ENOENT, "below BAR0: not ours");
        is_int(vmm_ivshmem_mmio(&r.iv, 0x1000000000ull, 4, false, &v), -VMM_ENOENT,
               "BAR2 is memory the owner maps, not MMIO");
}

static void
msix_entry(struct rig *r, unsigned n, uint64_t addr, uint32_t data, uint32_t ctl)
{
        uint64_t v = addr;

        vmm_ivshmem_mmio(&r->iv, 0xc0002000u + 16 * n, 8, true, &v);
        v = data | (uint64_t)ctl << 32;
        vmm_ivshmem_mmio(&r->iv, 0xc0002008u + 16 * n, 8, true, &v);
}

static void
test_msix(void)
{
        struct rig r;
        uint64_t v;

        rig_init(&r);
        place(&r);
        cfg_wr(&r, 2, 0x42, 2, 0xc000);         /* enable, function masked */
        msix_entry(&r, 0, 0xfee00000u, 0x45, 0);
        vmm_ivshmem_notify(&r.iv, 0);
        is_int(vmm_apic_pending(&r.apic), -1, "function masked: pending");
        vmm_ivshmem_mmio(&r.iv, 0xc0002800u, 8, false, &v);
        is_int(v, 1, "PBA bit 0 set");
        cfg_wr(&r, 2, 0x42, 2, 0x8000);         /* unmask the function */
        is_int(vmm_apic_pending(&r.apic), 0x45, "unmasked: the pending message arrives as 0x45");
        vmm_ivshmem_mmio(&r.iv, 0xc0002800u, 4, false, &v);
        is_int(v, 0, "PBA clear");
        vmm_apic_accept(&r.apic, 0x45);
        vmm_apic_wrmsr(&r.apic, 0x80b, 0);
        /* Entry 1 masked per vector. */
        msix_entry(&r, 1, 0xfee00000u, 0x46, 1);
        vmm_ivshmem_notify(&r.iv, 1);
        is_int(vmm_apic_pending(&r.apic), -1, "entry masked: pending");
        v = 0;
        vmm_ivshmem_mmio(&r.iv, 0xc000201cu, 4, true, &v);
        is_int(vmm_apic_pending(&r.apic), 0x46, "entry unmasked: delivered");
        vmm_ivshmem_mmio(&r.iv, 0xc0002010u, 8, false, &v);
        is_int(v, 0xfee00000u, "table entry 1 reads back");
        vmm_ivshmem_mmio(&r.iv, 0xc000200cu, 4, false, &v);
        is_int(v, 0, "vector control: only the mask bit kept");
        v = 0xfffffffeu;
        vmm_ivshmem_mmio(&r.iv, 0xc000200cu, 4, true, &v);
        vmm_ivshmem_mmio(&r.iv, 0xc000200cu, 4, false, &v);
        is_int(v, 0, "reserved vector-control bits stay 0");
        uint64_t d0 = r.iv.delivered;
        vmm_ivshmem_notify(&r.iv, 0);
        is_int(r.iv.delivered, d0 + 1, "notify delivers at once when nothing masks it");
}

static void
test_wild_messages(void)
{
        static const struct { uint64_t addr; uint32_t data; const char *why; } wild[] = {
                { 0x00001000u, 0x45, "an address in RAM (would be DMA)" },
                { 0xfee00000u | 1ull << 32, 0x45, "address above 4 GiB" },
                { 0xfed00000u, 0x45, "the HPET's page" },
                { 0xfee05000u, 0x45, "another CPU (destination 5)" },
                { 0xfee00000u, 0x05, "vector 5" },
                { 0xfee00000u, 0x45 | 4u << 8, "NMI delivery mode" },
                { 0xfee00000u, 0x45 | 5u << 8, "INIT delivery mode" },
                { 0xfee00000u, 0x45 | 1u << 15, "level trigger" },
                { 0xffffffffffffffffull, 0xffffffffu, "all ones" },
        };
        for (size_t i = 0; i < sizeof(wild) / sizeof(wild[0]); i++) {
                struct rig r;
                rig_init(&r);
                place(&r);
                cfg_wr(&r, 2, 0x42, 2, 0x8000);
                msix_entry(&r, 0, wild[i].addr, wild[i].data, 0);
                vmm_ivshmem_notify(&r.iv, 0);
                ok(vmm_apic_pending(&r.apic) == -1 && r.iv.refused == 1 && r.iv.delivered == 0,
                   "MSI-X message refused: %s", wild[i].why);
        }
        struct rig r;
        rig_init(&r);
        place(&r);
        cfg_wr(&r, 2, 0x42, 2, 0x8000);
        msix_entry(&r, 0, 0xfeeff000u, 0x47, 0);
        vmm_ivshmem_notify(&r.iv, 0);
        is_int(vmm_apic_pending(&r.apic), 0x47, "destination 0xff (broadcast) reaches us");
}

static void
test_bad_bars(void)
{
        struct rig r;
        uint64_t base, v;

        rig_init(&r);
        vmm_ivshmem_place(&r.iv, 0x00100000u, 0xc0002000u, 0x1000000000ull);
        ok(!vmm_ivshmem_bar(&r.iv, 0, &base), "BAR0 over RAM (1 MiB): not decoded");
        is_int(vmm_ivshmem_mmio(&r.iv, 0x00100000u, 4, false, &v), -VMM_ENOENT, "...its accesses reach nothing");
        vmm_ivshmem_place(&r.iv, 0xc0001000u, 0xc0002000u, 0xfffffffffe000000ull);
        ok(!vmm_ivshmem_bar(&r.iv, 2, &base), "BAR2 ending at 2^64: not decoded");
        cfg_wr(&r, 2, 0x18, 4, 0xfe000000u);
        cfg_wr(&r, 2, 0x1c, 4, 0xffffffffu);
        ok(!vmm_ivshmem_bar(&r.iv, 2, &base), "BAR2 programmed to the sizing pattern: not decoded");
        vmm_ivshmem_place(&r.iv, 0xc0001000u, 0xc0001000u, 0x1000000000ull);
        ok(!vmm_ivshmem_bar(&r.iv, 0, &base) && !vmm_ivshmem_bar(&r.iv, 1, &base),
           "BAR0 and BAR1 overlapping: neither decoded");
        ok(vmm_ivshmem_bar(&r.iv, 2, &base), "...BAR2 elsewhere still is");
        vmm_ivshmem_place(&r.iv, 0xc0001000u, 0xc0002000u, 0xfe000000u);
        ok(!vmm_ivshmem_bar(&r.iv, 2, &base), "BAR2 across the window's end (into the I/O APIC): not decoded");
        vmm_ivshmem_place(&r.iv, 0xc0001000u, 0xc0002000u, 0xc0000000u);
        ok(!vmm_ivshmem_bar(&r.iv, 2, &base) && !vmm_ivshmem_bar(&r.iv, 0, &base),
           "BAR2 over BAR0: neither decoded");
        struct vmm_ivshmem bad;
        is_int(vmm_ivshmem_init(&bad, &r.apic, 3 << 20, windows, 2, 1), -VMM_EINVAL, "size not a power of two");
        is_int(vmm_ivshmem_init(&bad, &r.apic, 1024, windows, 2, 1), -VMM_EINVAL, "size below a page");
        is_int(vmm_pci_attach(&r.pci, 2, &bad.fn), -VMM_EINVAL, "slot 2 taken");
        is_int(vmm_pci_attach(&r.pci, 32, &bad.fn), -VMM_EINVAL, "slot 32 does not exist");
}

static void
test_garbage(void)
{
        struct rig r;
        int bad = 0;

        rig_init(&r);
        place(&r);
        srand(18);
        /* Every port 0xCF0-0xD07, every width, random data and addresses. */
        for (int round = 0; round < 20000; round++) {
                uint16_t port = (uint16_t)(0xcf0 + rand() % 24);
                uint8_t size = (uint8_t)(1u << (rand() % 3));
                struct vmm_io a = { port, size, rand() & 1, (uint32_t)rand() << 1 ^ (uint32_t)rand() };
                if (rand() % 4 == 0) {
                        a.port = 0xcf8;
                        a.size = 4;
                        a.write = true;
                        a.value = 0x80000000u | (uint32_t)(rand() % 4) << 11 | (uint32_t)rand() % 256;
                }
                int res = vmm_pci_io(&r.pci, &a);
                bool ours = a.port >= 0xcf8 && a.port <= 0xcff;
                if (ours ? res < 0 || res > 1 || (!a.write && a.value > vmm_io_mask(&a)) : res != -VMM_ENOENT)
                        bad++;
        }
        is_int(bad, 0, "20000 garbage accesses at 0xCF0-0xD07: handled, results within their width");
        is_int(cfg_rd(&r, 2, 0, 4), 0x11101af4, "the IDs survive");
        is_int(cfg_rd(&r, 0, 0, 4), 0x12378086, "the host bridge survives");
        ok((cfg_rd(&r, 2, 0x10, 4) & 0xff) == 0 && (cfg_rd(&r, 2, 0x18, 4) & 0xf) == 0xc,
           "BAR low bits keep their meaning");
        struct vmm_io odd = { 0xcfc, 3, false, 0 };
        is_int(vmm_pci_io(&r.pci, &odd), -VMM_EINVAL, "a 3-byte access: refused");
        /* A dword at 0xCFE: two bytes of the register, two of nothing. */
        cfg_wr(&r, 2, 0x3c, 1, 0x0b);
        io(&r, 0xcf8, 4, true, 0x80001000u | 0x3c);
        is_int(io(&r, 0xcfe, 4, false, 0), 0xffff0000u, "dword at 0xCFE: bytes past 0xCFF read all ones");
        /* MMIO garbage over both BARs, every offset and width. */
        uint64_t v;
        int mmio_bad = 0;
        static const unsigned widths[] = { 1, 2, 4, 8 };
        place(&r);
        cfg_wr(&r, 2, 0x42, 2, 0x8000);
        for (uint64_t off = 0; off < 0x2000; off++)
                for (unsigned w = 0; w < 4; w++) {
                        v = (uint64_t)rand() << 33 ^ (uint64_t)rand();
                        int res = vmm_ivshmem_mmio(&r.iv, 0xc0001000u + off, widths[w], rand() & 1, &v);
                        bool mapped = off < IVSHMEM_REGS_SIZE || off >= 0x1000;
                        if (mapped ? res < 0 || res > 1 : res != -VMM_ENOENT)
                                mmio_bad++;
                        if (rand() % 64 == 0)
                                (void)vmm_ivshmem_notify(&r.iv, (unsigned)rand() % 2);
                }
        is_int(mmio_bad, 0, "garbage over BAR0, the gap and BAR1: handled or not ours");
        ok(r.iv.bad_access > 0, "odd widths counted (%llu)", (unsigned long long)r.iv.bad_access);
        ok((r.iv.msix[0][3] & ~1u) == 0 && (r.iv.msix[1][3] & ~1u) == 0, "vector controls: only the mask bit");
        is_int(r.apic.irr[0] & 0xffff, 0, "no vector below 16 ever raised");
}

int
main(void)
{
        test_mechanism();
        test_ivshmem_config();
        test_registers_and_doorbell();
        test_msix();
        test_wild_messages();
        test_bad_bars();
        test_garbage();
        return tap_done();
}
