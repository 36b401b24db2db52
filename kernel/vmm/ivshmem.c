/* kernel/vmm/ivshmem.c: the ivshmem function (see ivshmem.h): its
 * configuration space, BAR decoding, the BAR0 registers, the MSI-X table
 * and the doorbell in both directions. */
#include "ivshmem.h"

#define BAR_MEM64_PREFETCH 0xcu         /* type 64-bit (bits 2:1 = 2), prefetchable */
#define CAP_MSIX 0x40
#define MSIX_ENABLE 0x8000u
#define MSIX_FUNC_MASK 0x4000u
#define REG_INTR_MASK 0
#define REG_INTR_STATUS 4
#define REG_IVPOSITION 8
#define REG_DOORBELL 12
#define ENTRY_MASKED 1u

static const uint64_t bar_size[3] = { IVSHMEM_REGS_SIZE, IVSHMEM_MSIX_SIZE, 0 };

static uint64_t
size_of(const struct vmm_ivshmem *iv, unsigned n)
{
        return n == 2 ? iv->shm_size : bar_size[n];
}

static uint64_t
bar_base(const struct vmm_ivshmem *iv, unsigned n)
{
        const uint8_t *c = iv->fn.cfg;

        if (n < 2)
                return vmm_pci_get(c, PCI_BAR0 + 4 * n, 4) & ~0xfull;
        return (vmm_pci_get(c, 0x18, 4) & ~0xfull) | (uint64_t)vmm_pci_get(c, 0x1c, 4) << 32;
}

static uint16_t
msix_control(const struct vmm_ivshmem *iv)
{
        return (uint16_t)vmm_pci_get(iv->fn.cfg, CAP_MSIX + 2, 2);
}

static bool
in_window(const struct vmm_ivshmem *iv, uint64_t base, uint64_t size)
{
        if (base + size < base)
                return false;           /* wraps */
        for (unsigned i = 0; i < 2; i++) {
                const struct vmm_pci_window *w = &iv->windows[i];
                if (w->size && base >= w->base && base - w->base <= w->size &&
                    size <= w->size - (base - w->base))
                        return true;
        }
        return false;
}

static bool
placed(const struct vmm_ivshmem *iv, unsigned n, uint64_t *base)
{
        *base = bar_base(iv, n);
        return *base && in_window(iv, *base, size_of(iv, n));
}

bool
vmm_ivshmem_bar(const struct vmm_ivshmem *iv, unsigned n, uint64_t *base)
{
        uint64_t b, other;

        if (n > 2 || !(vmm_pci_get(iv->fn.cfg, PCI_COMMAND, 2) & PCI_COMMAND_MEMORY) || !placed(iv, n, &b))
                return false;
        for (unsigned m = 0; m < 3; m++)
                if (m != n && placed(iv, m, &other) && b < other + size_of(iv, m) &&
                    other < b + size_of(iv, n))
                        return false;   /* overlapping BARs: neither decodes */
        *base = b;
        return true;
}

static void
msi_send(struct vmm_ivshmem *iv, unsigned v)
{
        const uint32_t *e = iv->msix[v];

        /* Only a fixed or lowest-priority edge message to the local APIC's
         * window is an interrupt; anything else would be a DMA write. */
        if (vmm_apic_msi(iv->apic, (uint64_t)e[1] << 32 | e[0], e[2]) < 0) {
                iv->refused++;
                return;
        }
        iv->delivered++;
}

/* Sends what is pending and no longer masked. */
static void
flush_pending(struct vmm_ivshmem *iv)
{
        uint16_t ctl = msix_control(iv);

        if (!(ctl & MSIX_ENABLE) || (ctl & MSIX_FUNC_MASK))
                return;
        for (unsigned v = 0; v < IVSHMEM_VECTORS; v++)
                if ((iv->pending & 1u << v) && !(iv->msix[v][3] & ENTRY_MASKED)) {
                        iv->pending &= ~(1u << v);
                        msi_send(iv, v);
                }
}

int
vmm_ivshmem_notify(struct vmm_ivshmem *iv, unsigned vector)
{
        if (vector >= IVSHMEM_VECTORS)
                return -VMM_EINVAL;
        if (!(msix_control(iv) & MSIX_ENABLE)) {
                iv->intr_status |= 1;   /* no INTx pin: only seen by polling */
                return 0;
        }
        iv->pending |= 1u << vector;
        flush_pending(iv);
        return 0;
}

static void
config_written(struct vmm_pci_fn *fn, unsigned off, unsigned len)
{
        (void)off;
        (void)len;
        flush_pending((struct vmm_ivshmem *)fn);        /* MSI-X may just have been unmasked */
}

static void
build_config(struct vmm_ivshmem *iv)
{
        uint8_t *c = iv->fn.cfg, *m = iv->fn.wmask;
        uint64_t shm_mask = ~(iv->shm_size - 1);

        vmm_pci_set(c, 0x00, 4, 0x11101af4);            /* Red Hat/Qumranet, ivshmem */
        vmm_pci_set(c, 0x06, 2, PCI_STATUS_CAP_LIST);
        vmm_pci_set(c, 0x08, 4, 0x05000001);            /* revision 1, class memory controller (RAM) */
        vmm_pci_set(m, PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | PCI_COMMAND_INTX_DISABLE);
        vmm_pci_set(m, 0x10, 4, (uint32_t)~(IVSHMEM_REGS_SIZE - 1u));
        vmm_pci_set(m, 0x14, 4, (uint32_t)~(IVSHMEM_MSIX_SIZE - 1u));
        vmm_pci_set(c, 0x18, 4, BAR_MEM64_PREFETCH);
        vmm_pci_set(m, 0x18, 4, (uint32_t)shm_mask & ~0xfu);
        vmm_pci_set(m, 0x1c, 4, (uint32_t)(shm_mask >> 32));
        vmm_pci_set(c, 0x2c, 4, 0x11001af4);            /* subsystem, as QEMU's devices have */
        vmm_pci_set(c, 0x34, 1, CAP_MSIX);
        vmm_pci_set(m, 0x3c, 1, 0xff);                  /* interrupt line: firmware's scratch */
        vmm_pci_set(c, CAP_MSIX, 4, 0x11 | (IVSHMEM_VECTORS - 1u) << 16);
        vmm_pci_set(m, CAP_MSIX + 3, 1, (MSIX_ENABLE | MSIX_FUNC_MASK) >> 8);
        vmm_pci_set(c, CAP_MSIX + 4, 4, 1);                             /* table at 0 in BAR1 */
        vmm_pci_set(c, CAP_MSIX + 8, 4, IVSHMEM_PBA_OFFSET | 1);        /* PBA in BAR1 */
        iv->fn.written = config_written;
}

int
vmm_ivshmem_init(struct vmm_ivshmem *iv, struct vmm_apic *apic, uint64_t shm_size,
                 const struct vmm_pci_window *windows, unsigned nwindows, uint32_t ivposition)
{
        if (shm_size < 4096 || shm_size > (1ull << 40) || (shm_size & (shm_size - 1)) || nwindows > 2)
                return -VMM_EINVAL;
        __builtin_memset(iv, 0, sizeof(*iv));
        iv->apic = apic;
        iv->shm_size = shm_size;
        iv->ivposition = ivposition;
        for (unsigned i = 0; i < nwindows; i++)
                iv->windows[i] = windows[i];
        for (unsigned v = 0; v < IVSHMEM_VECTORS; v++)
                iv->msix[v][3] = ENTRY_MASKED;
        build_config(iv);
        return 0;
}

void
vmm_ivshmem_place(struct vmm_ivshmem *iv, uint32_t bar0, uint32_t bar1, uint64_t bar2)
{
        uint8_t *c = iv->fn.cfg;

        vmm_pci_set(c, 0x10, 4, bar0 & ~(IVSHMEM_REGS_SIZE - 1u));
        vmm_pci_set(c, 0x14, 4, bar1 & ~(IVSHMEM_MSIX_SIZE - 1u));
        vmm_pci_set(c, 0x18, 4, ((uint32_t)bar2 & ~0xfu & (uint32_t)~(iv->shm_size - 1)) | BAR_MEM64_PREFETCH);
        vmm_pci_set(c, 0x1c, 4, (uint32_t)(bar2 >> 32));
        vmm_pci_set(c, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
}

static int
regs_access(struct vmm_ivshmem *iv, uint64_t off, bool write, uint64_t *value)
{
        if (!write) {
                *value = 0;
                if (off == REG_INTR_MASK)
                        *value = iv->intr_mask;
                else if (off == REG_INTR_STATUS) {
                        *value = iv->intr_status;
                        iv->intr_status = 0;    /* reading acknowledges */
                } else if (off == REG_IVPOSITION)
                        *value = iv->ivposition;
                return 0;                       /* Doorbell is write-only; the rest reserved */
        }
        if (off == REG_INTR_MASK)
                iv->intr_mask = (uint32_t)*value;
        else if (off == REG_INTR_STATUS)
                iv->intr_status = (uint32_t)*value;
        else if (off == REG_DOORBELL) {
                iv->doorbell = (uint32_t)*value;
                iv->doorbells++;
                return 1;
        }
        return 0;
}

static void
msix_access(struct vmm_ivshmem *iv, uint64_t off, unsigned size, bool write, uint64_t *value)
{
        if (off >= IVSHMEM_PBA_OFFSET) {
                if (!write)
                        *value = off == IVSHMEM_PBA_OFFSET ? iv->pending : 0;
                return;                         /* the PBA is read-only */
        }
        if (off >= IVSHMEM_VECTORS * 16u) {
                if (!write)
                        *value = 0;
                return;
        }
        uint32_t *e = iv->msix[off / 16];
        unsigned w = (unsigned)(off % 16) / 4;
        for (unsigned i = 0; i < size / 4; i++, w++) {
                if (!write) {
                        *value = (i ? *value : 0) | (uint64_t)e[w] << (32 * i);
                        continue;
                }
                uint32_t v = (uint32_t)(*value >> (32 * i));
                e[w] = w == 3 ? v & ENTRY_MASKED : v;
        }
        if (write)
                flush_pending(iv);              /* an entry may just have been unmasked */
}

int
vmm_ivshmem_mmio(struct vmm_ivshmem *iv, uint64_t gpa, unsigned size, bool write, uint64_t *value)
{
        uint64_t base;

        if (vmm_ivshmem_bar(iv, 0, &base) && gpa - base < IVSHMEM_REGS_SIZE && gpa >= base) {
                if (size == 4 && !(gpa & 3))
                        return regs_access(iv, gpa - base, write, value);
        } else if (vmm_ivshmem_bar(iv, 1, &base) && gpa - base < IVSHMEM_MSIX_SIZE && gpa >= base) {
                if ((size == 4 || size == 8) && !(gpa & (size - 1))) {
                        msix_access(iv, gpa - base, size, write, value);
                        return 0;
                }
        } else
                return -VMM_ENOENT;
        iv->bad_access++;
        if (!write)
                *value = 0;
        return 0;
}
