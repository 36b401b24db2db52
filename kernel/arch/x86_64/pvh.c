/* kernel/arch/x86_64/pvh.c: QEMU -kernel boots thatte-mk through the Xen
 * PVH protocol (the PT_NOTE in head.S). head.S has entered long mode with
 * the boot page tables (identity 4 GiB), so physical addresses are
 * pointers here. This file turns the hvm_start_info into the same
 * struct thatte_bootinfo the UEFI loader hands over: the E820 map
 * normalised, module 0 as the root task "root" (or, when it is a cpio
 * newc archive, its members as modules by name: cpio-bundle.c), the
 * command line, the RSDP; no framebuffer. Everything lands in the
 * kernel's own .bss, which the map covers as THATTE_MEM_KERNEL, so it
 * stays protected. */
#include "arch.h"
#include "cpio-bundle.h"
#include "memmap.h"

#define PVH_MAGIC 0x336ec578u
#define PVH_MAX_MAP 128u

struct hvm_start_info {
        uint32_t magic, version, flags, nr_modules;
        uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr;
        uint64_t memmap_paddr;          /* version >= 1 */
        uint32_t memmap_entries, reserved;
};

struct hvm_modlist_entry {
        uint64_t paddr, size, cmdline_paddr, reserved;
};

struct hvm_memmap_entry {
        uint64_t addr, size;
        uint32_t type, reserved;
};

static struct thatte_bootinfo pvh_bi;
static struct thatte_mem_range pvh_map[PVH_MAX_MAP];
static struct thatte_module pvh_modules[CPIO_BUNDLE_MAX];
static char pvh_cmdline[256];
static struct arch_memmap pvh_in;

static void copy_cmdline(uint64_t paddr)
{
        const char *s = (const char *)(uintptr_t)paddr;
        uint32_t n = 0;

        while (s && n + 1 < sizeof(pvh_cmdline) && s[n]) {
                pvh_cmdline[n] = s[n];
                n++;
        }
        pvh_cmdline[n] = '\0';
        pvh_bi.cmdline = arch_virt_to_phys(pvh_cmdline);
        pvh_bi.cmdline_len = n;
}

/* QEMU passes one module. A plain ELF is the root task; a bundle is read
 * here, where a bad one stops the boot with the reason (its members are
 * someone else's input: nothing half-read goes on). */
static void take_module(const struct hvm_start_info *si)
{
        const struct hvm_modlist_entry *m =
                (const struct hvm_modlist_entry *)(uintptr_t)si->modlist_paddr;
        const void *bytes;
        enum cpio_bundle_error e;

        if (!si->nr_modules || !m || !m->size)
                return;
        bytes = (const void *)(uintptr_t)m->paddr;
        pvh_bi.modules = arch_virt_to_phys(pvh_modules);
        arch_memmap_claim(&pvh_in, m->paddr, m->size, THATTE_MEM_MODULE);
        if (!cpio_bundle_is_archive(bytes, m->size)) {
                pvh_modules[0].base = m->paddr;
                pvh_modules[0].size = m->size;
                __builtin_memcpy(pvh_modules[0].name, "root", 5);
                pvh_bi.module_count = 1;
                return;
        }
        if (m->paddr % 4096)
                arch_panic("PVH module bundle at 0x%lx: not page aligned", m->paddr);
        e = cpio_bundle_parse(bytes, m->size, m->paddr, pvh_modules, CPIO_BUNDLE_MAX,
                              &pvh_bi.module_count);
        if (e != CPIO_BUNDLE_OK)
                arch_panic("PVH module bundle: %s", cpio_bundle_strerror(e));
}

static void build_map(const struct hvm_start_info *si)
{
        const struct hvm_memmap_entry *e =
                (const struct hvm_memmap_entry *)(uintptr_t)si->memmap_paddr;
        uint64_t kbase = arch_virt_to_phys(__kernel_start);

        for (uint32_t i = 0; e && i < si->memmap_entries && i < PVH_MAX_MAP; i++)
                arch_memmap_add(&pvh_in, e[i].addr, e[i].size, arch_memmap_e820_type(e[i].type));
        /* The real-mode area holds the start_info, the BIOS data and the
         * option ROM that booted us: nothing there becomes Untyped. */
        arch_memmap_claim(&pvh_in, 0, 0x100000, THATTE_MEM_RESERVED);
        arch_memmap_claim(&pvh_in, kbase, arch_virt_to_phys(__kernel_end) - kbase,
                          THATTE_MEM_KERNEL);
        pvh_bi.kernel_base = kbase;
        pvh_bi.kernel_end = arch_virt_to_phys(__kernel_end);
}

_Noreturn void arch_pvh_start(uint32_t start_info)
{
        const struct hvm_start_info *si = (const struct hvm_start_info *)(uintptr_t)start_info;

        arch_serial_init();
        if (si->magic != PVH_MAGIC)
                arch_panic("PVH start_info magic 0x%x, not 0x%x", si->magic, PVH_MAGIC);
        if (si->version < 1)
                arch_panic("PVH start_info version %u has no memory map", si->version);
        arch_memmap_init(&pvh_in);
        pvh_bi.magic = THATTE_BOOT_MAGIC;
        pvh_bi.version = THATTE_BOOT_VERSION;
        pvh_bi.size = sizeof(pvh_bi);
        pvh_bi.source = THATTE_BOOT_PVH;
        pvh_bi.rsdp = si->rsdp_paddr;
        copy_cmdline(si->cmdline_paddr);
        take_module(si);
        build_map(si);
        pvh_bi.mem_count = arch_memmap_build(&pvh_in, pvh_map, PVH_MAX_MAP);
        pvh_bi.mem_map = arch_virt_to_phys(pvh_map);
        arch_main(arch_virt_to_phys(&pvh_bi));
}
