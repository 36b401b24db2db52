/* kernel/kvmm/chan.c: the display channel as DriverOS sees it under
 * thatte-mk (docs/display-channel.md): PCI bus 0 through configuration
 * mechanism #1 with kernel/vmm's ivshmem function at 00:03.0. Its BAR2 is
 * the root task's channel frame (one 2 MiB frame, KVMM_CAP_CHAN_FRAME):
 * mapped into the guest space wherever the guest programs BAR2, while
 * memory decoding is on and the BAR lies inside the MMIO window, never
 * over guest RAM or the framebuffer (refused and logged). BAR0 and BAR1
 * are not mapped: their accesses stop with a nested page fault, mmio.c
 * decodes the instruction and sends it here, to the ivshmem model; the
 * rest of the window reads all ones and drops writes. Doorbells:
 * a new frame the root task published becomes the function's MSI-X vector
 * 0 (kvmm_chan_poll); the guest's write to BAR0's Doorbell signals the
 * root task (KVMM_CAP_CHAN_ROOT), which keeps its heartbeat by a deadline
 * of its own. */
#include "kvmm.h"
#include "ivshmem.h"
#include "thatte/display-channel.h"

#define CHAN_DEV 3u
#define BAR0_GPA (KVMM_CHAN_GPA + KVMM_CHAN_SIZE)
#define BAR1_GPA (BAR0_GPA + 0x1000u)
#define REFUSALS_LOGGED 8u

static struct {
        struct vmm_pci pci;
        struct vmm_ivshmem iv;
        bool on;
        uint64_t mapped_at;             /* BAR2's guest-physical base while mapped, else 0 */
        uint64_t published;             /* the newest frame passed on as an MSI-X message */
        uint64_t ram_size;
        uint64_t refused_at;            /* the last BAR2 refused (logged once each) */
        uint64_t refusals, signalled;
} ch;

static void refuse(const char *why, uint64_t gpa)
{
        if (gpa == ch.refused_at)
                return;         /* the same place again (the other half of the BAR written) */
        ch.refused_at = gpa;
        if (++ch.refusals <= REFUSALS_LOGGED)
                kvmm_say("channel: BAR2 at 0x%lx refused: %s%s", (unsigned long)gpa, why,
                         ch.refusals == REFUSALS_LOGGED ? " (no more of these logged)" : "");
}

/* BAR2 mapped where the function decodes it now, or unmapped. */
static void sync_bar2(void)
{
        uint64_t gpa = 0;
        bool decoded = vmm_ivshmem_bar(&ch.iv, 2, &gpa);
        int r;

        if (decoded && gpa == ch.mapped_at)
                return;
        if (ch.mapped_at) {
                r = mku_page_unmap(KVMM_CAP_CHAN_FRAME);
                if (r != MK_OK)
                        kvmm_say("channel: unmapping BAR2 failed: kernel error %d", r);
                ch.mapped_at = 0;
        }
        if (!decoded) {
                uint64_t raw = vmm_pci_get(ch.iv.fn.cfg, 0x18, 4) & ~0xfull;

                raw |= (uint64_t)vmm_pci_get(ch.iv.fn.cfg, 0x1c, 4) << 32;
                /* sizing (all ones) and decoding off are the ordinary cases */
                if ((vmm_pci_get(ch.iv.fn.cfg, PCI_COMMAND, 2) & PCI_COMMAND_MEMORY) &&
                    raw != (~(KVMM_CHAN_SIZE - 1) & ~0xfull))
                        refuse(raw < ch.ram_size ? "over guest RAM or at 0" :
                               raw >= KVMM_FB_GPA && raw < KVMM_CHAN_WINDOW ? "over the framebuffer" :
                               "outside the MMIO window or overlapping a BAR", raw);
                return;
        }
        r = mku_page_map(KVMM_CAP_CHAN_FRAME, KVMM_CAP_CHAN_GSPACE, gpa,
                         MK_RIGHT_READ | MK_RIGHT_WRITE, 0);
        if (r != MK_OK) {
                refuse("the kernel would not map it", gpa);
                return;
        }
        ch.mapped_at = gpa;
        ch.refused_at = ~0ull;
}

void kvmm_chan_init(struct kvmm *v)
{
        static const struct vmm_pci_window window = {
                KVMM_CHAN_WINDOW, KVMM_CHAN_WINDOW_END - KVMM_CHAN_WINDOW,
        };

        vmm_pci_init(&ch.pci);
        ch.ram_size = v->info->ram_size;
        if (!v->info->chan.present)
                return;
        if (vmm_ivshmem_init(&ch.iv, &v->apic, KVMM_CHAN_SIZE, &window, 1, 0) < 0 ||
            vmm_pci_attach(&ch.pci, CHAN_DEV, &ch.iv.fn) < 0) {
                kvmm_say("FAIL the channel's PCI function");
                kvmm_stop();
        }
        /* the firmware's part: placed and decoding, as SeaBIOS leaves QEMU's */
        vmm_ivshmem_place(&ch.iv, (uint32_t)BAR0_GPA, (uint32_t)BAR1_GPA, KVMM_CHAN_GPA);
        ch.on = true;
        ch.published = __atomic_load_n(&((struct tdc_header *)KVMM_CHAN_VADDR)->published,
                                       __ATOMIC_ACQUIRE);
        sync_bar2();
        kvmm_say("channel: ivshmem 00:%02x.0, BAR2 %lu MiB at 0x%lx, BAR0 0x%lx, BAR1 0x%lx",
                 CHAN_DEV, (unsigned long)(KVMM_CHAN_SIZE >> 20), (unsigned long)ch.mapped_at,
                 (unsigned long)BAR0_GPA, (unsigned long)BAR1_GPA);
}

int kvmm_chan_io(struct vmm_io *io)
{
        int r = vmm_pci_io(&ch.pci, io);

        if (r == 1 && ch.on)
                sync_bar2();    /* a BAR, the command register or MSI-X may have changed */
        return r < 0 ? r : 0;
}

static void ring_root(void)
{
        if (++ch.signalled == 1)
                kvmm_say("channel: the guest rang the doorbell (the first; no more logged)");
        (void)mku_signal(KVMM_CAP_CHAN_ROOT);
}

bool kvmm_chan_owns(uint64_t gpa)
{
        return ch.on && gpa >= KVMM_CHAN_WINDOW && gpa < KVMM_CHAN_WINDOW_END;
}

/* An access mmio.c decoded in the window: BAR0 or BAR1 to the model (a
 * Doorbell write rings the root task); where no BAR decodes (one moved,
 * or decoding off) reads are all ones and writes go nowhere, as on a PCI
 * bus, instead of stopping the guest. Always 0. */
int kvmm_chan_access(uint64_t gpa, unsigned size, bool write, uint64_t *value)
{
        int r = vmm_ivshmem_mmio(&ch.iv, gpa, size, write, value);

        if (r == -VMM_ENOENT && !write)
                *value = ~0ull;
        if (r == 1)
                ring_root();
        return 0;
}

void kvmm_chan_poll(void)
{
        uint64_t p;

        if (!ch.on)
                return;
        p = __atomic_load_n(&((struct tdc_header *)KVMM_CHAN_VADDR)->published, __ATOMIC_ACQUIRE);
        if (p != ch.published) {
                ch.published = p;
                (void)vmm_ivshmem_notify(&ch.iv, 0);
        }
}
