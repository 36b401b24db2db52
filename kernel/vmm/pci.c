/* kernel/vmm/pci.c: configuration mechanism #1 over bus 0 (see pci.h).
 * Data-port accesses are taken a byte at a time: byte i of an access at
 * port 0xCFC + k is register byte (CONFIG_ADDRESS's dword) + k + i, and a
 * byte past 0xCFF belongs to no register (all ones, dropped). */
#include "pci.h"

#define CONFIG_ADDRESS 0xcf8
#define CONFIG_DATA 0xcfc
#define ADDR_ENABLE 0x80000000u
/* Enable, bus, device, function, dword register; the rest reads 0. */
#define ADDR_BITS (ADDR_ENABLE | 0x00fffffcu)

void
vmm_pci_set(uint8_t *space, unsigned off, unsigned len, uint32_t v)
{
        for (unsigned i = 0; i < len && off + i < PCI_CFG_SIZE; i++)
                space[off + i] = (uint8_t)(v >> (8 * i));
}

uint32_t
vmm_pci_get(const uint8_t *space, unsigned off, unsigned len)
{
        uint32_t v = 0;

        for (unsigned i = 0; i < len && off + i < PCI_CFG_SIZE; i++)
                v |= (uint32_t)space[off + i] << (8 * i);
        return v;
}

void
vmm_pci_init(struct vmm_pci *pci)
{
        struct vmm_pci_fn *hb = &pci->host_bridge;

        __builtin_memset(pci, 0, sizeof(*pci));
        vmm_pci_set(hb->cfg, 0x00, 4, 0x12378086);     /* Intel 440FX host bridge */
        vmm_pci_set(hb->cfg, 0x08, 4, 0x06000002);     /* revision 2, class host bridge */
        pci->slot[0] = hb;                              /* nothing in it is writable */
}

int
vmm_pci_attach(struct vmm_pci *pci, unsigned dev, struct vmm_pci_fn *fn)
{
        if (dev == 0 || dev >= PCI_SLOTS || pci->slot[dev])
                return -VMM_EINVAL;
        pci->slot[dev] = fn;
        return 0;
}

/* The function CONFIG_ADDRESS names, or NULL. */
static struct vmm_pci_fn *
addressed(const struct vmm_pci *pci)
{
        uint32_t a = pci->addr;

        if (!(a & ADDR_ENABLE) || (a >> 16 & 0xff) != 0 || (a >> 8 & 7) != 0)
                return NULL;
        return pci->slot[a >> 11 & 0x1f];
}

static int
data_access(struct vmm_pci *pci, struct vmm_io *io)
{
        struct vmm_pci_fn *fn = addressed(pci);
        unsigned k = io->port - CONFIG_DATA, reg = pci->addr & 0xfc, len = 0;
        uint32_t v = 0;

        for (unsigned i = 0; i < io->size; i++) {
                unsigned off = reg + k + i;
                uint8_t b = (uint8_t)(io->value >> (8 * i));

                if (!fn || k + i > 3) {
                        v |= 0xffu << (8 * i);
                        continue;
                }
                if (io->write)
                        fn->cfg[off] = (uint8_t)((fn->cfg[off] & ~fn->wmask[off]) | (b & fn->wmask[off]));
                v |= (uint32_t)fn->cfg[off] << (8 * i);
                len++;
        }
        if (len < io->size)
                pci->unclaimed++;
        if (!io->write) {
                io->value = v & vmm_io_mask(io);
                return 0;
        }
        if (!len)
                return 0;
        if (fn->written)
                fn->written(fn, reg + k, len);
        return 1;
}

int
vmm_pci_io(struct vmm_pci *pci, struct vmm_io *io)
{
        if (io->size != 1 && io->size != 2 && io->size != 4)
                return -VMM_EINVAL;
        if (io->port < CONFIG_ADDRESS || io->port > CONFIG_DATA + 3)
                return -VMM_ENOENT;
        if (io->port >= CONFIG_DATA)
                return data_access(pci, io);
        if (io->port != CONFIG_ADDRESS || io->size != 4) {
                /* 0xCF9 is a reset register on some chipsets, 0xCFB a
                 * mechanism select Linux probes: neither exists here. */
                if (!io->write)
                        io->value = vmm_io_mask(io);
                pci->unclaimed++;
                return 0;
        }
        if (io->write)
                pci->addr = io->value & ADDR_BITS;
        else
                io->value = pci->addr;
        return 0;
}
