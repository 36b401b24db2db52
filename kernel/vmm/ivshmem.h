/* kernel/vmm/ivshmem.h: the display channel's PCI function, as QEMU's
 * ivshmem-doorbell shows itself (docs/specs/ivshmem-spec): 1af4:1110
 * revision 1, class 0x0500; BAR0 the 256-byte registers (IntrMask,
 * IntrStatus, IVPosition, Doorbell), BAR1 the MSI-X table and PBA,
 * BAR2 the shared memory (64-bit, prefetchable, its size the owner's).
 * DriverOS's compositor finds it through sysfs exactly as under QEMU.
 *
 * The VMM rings the guest with vmm_ivshmem_notify (an MSI-X message
 * becomes a local APIC vector); the guest rings the VMM by writing
 * Doorbell. Nothing here does DMA: a message whose address is not the
 * local APIC's is dropped and counted, never written anywhere. */
#ifndef THATTE_KVMM_IVSHMEM_H
#define THATTE_KVMM_IVSHMEM_H

#include "apic.h"
#include "pci.h"

#define IVSHMEM_VECTORS 2
#define IVSHMEM_REGS_SIZE 256
#define IVSHMEM_MSIX_SIZE 4096
#define IVSHMEM_PBA_OFFSET 2048

/* Where the guest may put BARs: ranges outside its RAM that the owner
 * reserves for MMIO (say the 32-bit hole and a range above RAM). */
struct vmm_pci_window {
        uint64_t base, size;
};

struct vmm_ivshmem {
        struct vmm_pci_fn fn;   /* first: the bus hands it back */
        struct vmm_apic *apic;  /* where MSI-X messages land */
        uint64_t shm_size;
        struct vmm_pci_window windows[2];
        uint32_t ivposition;
        uint32_t intr_mask, intr_status;
        uint32_t msix[IVSHMEM_VECTORS][4];      /* address low/high, data, vector control */
        uint32_t pending;       /* the PBA's bits */
        uint32_t doorbell;      /* the guest's last Doorbell write: peer << 16 | vector */
        uint64_t doorbells;     /* how many */
        uint64_t delivered, refused, bad_access;
};

/* shm_size: a power of two from 4 KiB to 2^40; windows: up to two, size
 * 0 unused. -VMM_EINVAL otherwise. BARs start unprogrammed (0) with
 * memory decoding off, as firmware-less PCI would leave them; the
 * owner may program them (vmm_ivshmem_place) before the guest starts. */
int vmm_ivshmem_init(struct vmm_ivshmem *iv, struct vmm_apic *apic, uint64_t shm_size,
                     const struct vmm_pci_window *windows, unsigned nwindows, uint32_t ivposition);
/* Firmware's part: BAR0, BAR1 and BAR2 at these addresses, memory decoding on. */
void vmm_ivshmem_place(struct vmm_ivshmem *iv, uint32_t bar0, uint32_t bar1, uint64_t bar2);

/* Where BAR n (0, 1, 2) is decoded: true with *base when memory decoding
 * is on and the BAR lies wholly inside a window, without wrapping and
 * without overlapping another decoded BAR; false otherwise (the guest's
 * accesses there then reach nothing, and BAR2's frames stay unmapped). */
bool vmm_ivshmem_bar(const struct vmm_ivshmem *iv, unsigned n, uint64_t *base);

/* One MMIO access (NPF-decoded) at guest-physical gpa of size 1, 2, 4 or
 * 8: -VMM_ENOENT if not in BAR0 or BAR1 as decoded; 1 if the guest rang
 * the doorbell (iv->doorbell says whom and which vector), else 0.
 * Registers take aligned 32-bit accesses, the MSI-X table aligned 32- or
 * 64-bit ones; anything else reads 0 and writes nothing (bad_access). */
int vmm_ivshmem_mmio(struct vmm_ivshmem *iv, uint64_t gpa, unsigned size, bool write, uint64_t *value);

/* The VMM rings the guest on MSI-X vector `vector`: delivered to the
 * local APIC now, or left pending in the PBA while masked (delivered
 * when unmasked), or only noted in IntrStatus while MSI-X is off.
 * -VMM_EINVAL for a vector the function does not have. */
int vmm_ivshmem_notify(struct vmm_ivshmem *iv, unsigned vector);

#endif
