/* kernel/kvmm/main.c: thatte-kvmm's start. The VCPU thread checks the
 * info page, loads DriverOS's kernel, initramfs and command line into
 * guest RAM with kernel/vmm's linux_load, writes the entry state into
 * the VCPU and runs the exit loop (its only thread). */
#include "kvmm.h"
#include "linux-boot.h"
#include "thatte/bootinfo.h"

#define CMDLINE_MAX 2048u
#define PAT_DEFAULT 0x0007040600070406ull
#define TSC_HZ_UNKNOWN 1000000000ull    /* the PIT's rate must assume one */
#define RETRY_US 50u                    /* an interrupt IF held back: retried after */
/* No early PCI quirk applies to the machine this VMM builds (no AGP, no
 * AMD northbridge, no chipset Linux fixes up early), and without it
 * Linux on an AMD family 0xf, 0x10 or early 0x15 CPU (QEMU's TCG CPU is
 * 0xf) looks for an AGP bridge twice, 256 buses of 32 slots each time,
 * two port accesses a slot: 32768 exits, half of a boot's. A PC answers
 * each of them the same way (all ones), only faster. */
#define DEFAULT_CMDLINE "pci=noearly "

/* The VMM's defaults first (what only it knows about the machine: the
 * TSC's rate, which Linux would otherwise calibrate against the PIT at an
 * exit per read; no early PCI quirks), so an option the image repeats
 * wins (Linux keeps the last), and `--` in the image's line still ends the
 * kernel's part. Then
 * the command line module's text, up to its first NUL, line breaks and
 * tabs as spaces, trailing spaces dropped; longer than the buffer is an
 * error, not a cut (a cut could drop a security option). */
static int take_cmdline(const struct kvmm_info *info, char *out, size_t max)
{
        const char *s = (const char *)info->module[KVMM_MOD_CMDLINE].vaddr;
        uint64_t n = info->module[KVMM_MOD_CMDLINE].size, i, at;
        int len = info->tsc_khz ? mku_format(out, max, "tsc_early_khz=%lu " DEFAULT_CMDLINE,
                                             (unsigned long)info->tsc_khz)
                                : mku_format(out, max, DEFAULT_CMDLINE);

        if (len < 0 || (size_t)len + 1 >= max)
                return -VMM_E2BIG;
        at = (uint64_t)len;
        for (i = 0; i < n && s[i]; i++) {
                if (at + i + 1 >= max)
                        return -VMM_E2BIG;
                out[at + i] = s[i] == '\n' || s[i] == '\r' || s[i] == '\t' ? ' ' : s[i];
        }
        i += at;
        while (i && out[i - 1] == ' ')
                i--;
        out[i] = '\0';
        return 0;
}

/* Hardware-reduced ACPI in the BIOS area (kernel/vmm/acpi.c): the MADT
 * with the local APIC and the I/O APIC, the FADT, the DSDT with COM1, the
 * i8042 and the PCI root bridge. The area is guest RAM the e820 map
 * leaves out. */
static int write_acpi(uint8_t *ram, uint64_t ram_size)
{
        struct vmm_acpi_config cfg = {
                .apic_id = 0, .ioapic_id = KVMM_IOAPIC_ID,
                .mmio32 = { KVMM_PCI_MMIO32_BASE, KVMM_PCI_MMIO32_SIZE },
                .power_button_gsi = KVMM_POWER_BUTTON_GSI,
        };
        size_t len;

        if (ram_size < KVMM_ACPI_GPA + ACPI_BUILD_MAX)
                return -VMM_ENOSPC;
        return vmm_acpi_build(ram + KVMM_ACPI_GPA, ACPI_BUILD_MAX, KVMM_ACPI_GPA, &cfg, &len);
}

/* The screen the root task handed over, as screen_info describes it
 * (efifb): NULL when there is none. */
static const struct linux_fb *screen(const struct kvmm_info *info, struct linux_fb *fb)
{
        bool bgr = info->fb.format == THATTE_FB_BGRX8888;

        if (info->fb.format != THATTE_FB_RGBX8888 && !bgr)
                return NULL;
        *fb = (struct linux_fb){
                .base = KVMM_FB_GPA + info->fb.offset, .width = info->fb.width,
                .height = info->fb.height, .stride = info->fb.stride * 4u,
                .red_pos = bgr ? 16 : 0, .green_pos = 8, .blue_pos = bgr ? 0 : 16, .efi = true,
        };
        return fb;
}

static void write_state(const struct linux_entry *e)
{
        static const struct { uint64_t field; size_t off; } cr[] = {
                { MK_VCPU_STATE_CR0, __builtin_offsetof(struct linux_entry, cr0) },
                { MK_VCPU_STATE_CR3, __builtin_offsetof(struct linux_entry, cr3) },
                { MK_VCPU_STATE_CR4, __builtin_offsetof(struct linux_entry, cr4) },
                { MK_VCPU_STATE_EFER, __builtin_offsetof(struct linux_entry, efer) },
        };
        int r = MK_OK;

        for (unsigned i = 0; i < 4 && r == MK_OK; i++)
                r = mku_vcpu_write_state(KVMM_CAP_VCPU, cr[i].field,
                                         *(const uint64_t *)((const char *)e + cr[i].off));
        for (unsigned s = 0; s < SEG_COUNT && r == MK_OK; s++) {
                uint64_t f = MK_VCPU_STATE_SEG + s * 4u;

                r = mku_vcpu_write_state(KVMM_CAP_VCPU, f, e->seg[s].sel);
                if (r == MK_OK)
                        r = mku_vcpu_write_state(KVMM_CAP_VCPU, f + 1, e->seg[s].attr);
                if (r == MK_OK)
                        r = mku_vcpu_write_state(KVMM_CAP_VCPU, f + 2, e->seg[s].limit);
                if (r == MK_OK)
                        r = mku_vcpu_write_state(KVMM_CAP_VCPU, f + 3, e->seg[s].base);
        }
        if (r != MK_OK) {
                kvmm_say("FAIL writing the VCPU's entry state (kernel error %d)", r);
                kvmm_stop();
        }
}

void kvmm_load(struct kvmm *v)
{
        static char cmdline[CMDLINE_MAX];
        const struct kvmm_info *info = v->info;
        struct linux_boot boot = {
                .image = (const uint8_t *)info->module[KVMM_MOD_KERNEL].vaddr,
                .image_len = info->module[KVMM_MOD_KERNEL].size,
                .initrd = (const uint8_t *)info->module[KVMM_MOD_INITRD].vaddr,
                .initrd_len = info->module[KVMM_MOD_INITRD].size,
                .cmdline = cmdline,
        };
        struct guest_ram ram = { (uint8_t *)KVMM_RAM_VADDR, 0, info->ram_size };
        struct linux_fb fb;
        struct linux_entry e;
        struct linux_layout l;
        int r;

        boot.fb = screen(info, &fb);
        r = take_cmdline(info, cmdline, sizeof(cmdline));
        if (r == 0 && v->restarts)
                r = kvmm_restart_word(cmdline, sizeof(cmdline), (unsigned)v->restarts);
        if (r == 0)
                r = linux_load(&boot, &ram, &e, &l);
        if (r < 0) {
                kvmm_say("FAIL loading DriverOS's kernel: error %d", -r);
                kvmm_stop();
        }
        kvmm_say("linux loaded: kernel at 0x%lx, initramfs at 0x%lx (%lu bytes), "
                 "%u e820 entries, command line \"%s\"", (unsigned long)l.kernel,
                 (unsigned long)l.initrd, (unsigned long)l.initrd_len, l.e820_entries, cmdline);
        if (boot.fb)
                kvmm_say("screen handed over: %ux%u at guest-physical 0x%lx (efifb)",
                         boot.fb->width, boot.fb->height, (unsigned long)boot.fb->base);
        if (write_acpi(ram.host, ram.size) < 0) {
                kvmm_say("FAIL no room for the ACPI tables");
                kvmm_stop();
        }
        kvmm_reset_vector_write(ram.host, ram.size);
        write_state(&e);
        v->mr[MK_VCPU_MR_RIP] = e.rip;
        v->mr[MK_VCPU_MR_RFLAGS] = e.rflags;
        v->mr[MK_VCPU_MR_GPR + 6] = e.rsi;
        kvmm_started();
}

/* The devices as at power-on (also for a restart). */
void kvmm_fresh(struct kvmm *v)
{
        static const struct vmm_date date = { 0, 0, 0, 1, 1, 26, 20 };

        const struct kvmm_info *info = v->info;

        __builtin_memset(v->mr, 0, sizeof(v->mr));
        v->pat = PAT_DEFAULT;
        v->retry_ticks = (info->tsc_khz ? info->tsc_khz : TSC_HZ_UNKNOWN / 1000u) * RETRY_US / 1000u;
        vmm_apic_init(&v->apic, 0, false);     /* xAPIC, as firmware leaves it */
        vmm_ioapic_init(&v->ioapic, KVMM_IOAPIC_ID);
        if (vmm_pc_init(&v->pc, kvmm_guest_sink(), "driveros: ", &date,
                        info->tsc_khz ? info->tsc_khz * 1000u : TSC_HZ_UNKNOWN) < 0) {
                kvmm_say("FAIL the PC's devices");
                kvmm_stop();
        }
        vmm_pm_init(&v->pm);
        kvmm_chan_init(v);
}

void kvmm_main(const struct kvmm_info *info);

void kvmm_main(const struct kvmm_info *info)
{
        static struct kvmm v;

        mku_set_ipcbuf((struct mk_ipcbuf *)KVMM_IPCBUF_VADDR);
        mku_debug_console = KVMM_CAP_CONSOLE;
        if (info->magic != KVMM_INFO_MAGIC) {
                kvmm_say("FAIL info page magic");
                kvmm_stop();
        }
        kvmm_say("started: guest RAM %lu MiB, kernel %lu bytes, initramfs %lu bytes",
                 (unsigned long)(info->ram_size >> 20),
                 (unsigned long)info->module[KVMM_MOD_KERNEL].size,
                 (unsigned long)info->module[KVMM_MOD_INITRD].size);
        v.info = info;
        kvmm_say("tsc %lu kHz from the kernel", (unsigned long)info->tsc_khz);
        kvmm_fresh(&v);
        kvmm_load(&v);
        kvmm_i8042_init(info);
        kvmm_run(&v);
}
