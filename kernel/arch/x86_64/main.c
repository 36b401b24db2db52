/* kernel/arch/x86_64/main.c: both entries meet here with the physical
 * address of a struct thatte_bootinfo, still on the boot page tables
 * (identity 4 GiB). The kernel copies what it keeps of the block, takes
 * over the CPU (GDT, IDT, its own page tables), then builds the root task
 * and drops to ring 3. */
#include "arch.h"
#include "cpu.h"
#include "svm.h"

#define MAX_MAP 256u
#define MAX_MODULES 8u

static struct thatte_bootinfo bi;
static struct thatte_mem_range bi_map[MAX_MAP];
static struct thatte_module bi_modules[MAX_MODULES];
static char bi_cmdline[256];

/* Physical addresses are pointers until the switch to the kernel's tables. */
static void copy_bytes(void *dst, uint64_t src_phys, size_t n)
{
        mk_memcpy(dst, (const void *)(uintptr_t)src_phys, n);
}

/* Keep a copy of the boot information inside the kernel image: after
 * the switch to the kernel's tables the identity map is gone. */
static void take_bootinfo(uint64_t phys)
{
        const struct thatte_bootinfo *in = (const void *)(uintptr_t)phys;
        uint32_t n;

        if (in->magic != THATTE_BOOT_MAGIC)
                arch_panic("boot info at 0x%lx: bad magic 0x%lx", phys, in->magic);
        if (in->version != THATTE_BOOT_VERSION)
                arch_panic("boot info version %u, this kernel knows %u", in->version,
                           THATTE_BOOT_VERSION);
        copy_bytes(&bi, phys, in->size < sizeof(bi) ? in->size : sizeof(bi));
        bi.size = sizeof(bi);
        if (bi.mem_count > MAX_MAP)
                arch_panic("boot memory map has %u entries, at most %u", bi.mem_count, MAX_MAP);
        copy_bytes(bi_map, bi.mem_map, bi.mem_count * sizeof(bi_map[0]));
        bi.mem_map = arch_virt_to_phys(bi_map);
        if (bi.module_count > MAX_MODULES)
                bi.module_count = MAX_MODULES;
        copy_bytes(bi_modules, bi.modules, bi.module_count * sizeof(bi_modules[0]));
        bi.modules = arch_virt_to_phys(bi_modules);
        for (uint32_t i = 0; i < bi.module_count; i++)
                bi_modules[i].name[THATTE_MODULE_NAME_MAX - 1] = '\0';
        n = bi.cmdline ? bi.cmdline_len : 0;
        if (n >= sizeof(bi_cmdline))
                n = sizeof(bi_cmdline) - 1;
        copy_bytes(bi_cmdline, bi.cmdline, n);
        bi_cmdline[n] = '\0';
        bi.cmdline = arch_virt_to_phys(bi_cmdline);
        bi.cmdline_len = n;
}

static const char *const mem_names[] = {
        "?", "usable", "reserved", "acpi", "acpi-nvs", "mmio", "bootinfo", "kernel",
        "module", "bad",
};

static void log_map(void)
{
        for (uint32_t i = 0; i < bi.mem_count; i++) {
                const struct thatte_mem_range *r = &bi_map[i];

                arch_log("mem: %016lx-%016lx %s", r->base, r->base + r->size,
                         r->type <= THATTE_MEM_BAD ? mem_names[r->type] : "?");
        }
}

static void log_modules(void)
{
        for (uint32_t i = 0; i < bi.module_count; i++)
                arch_log("module %s %lu bytes at 0x%lx", bi_modules[i].name, bi_modules[i].size,
                         bi_modules[i].base);
}

_Noreturn void arch_main(uint64_t bootinfo_phys)
{
        arch_serial_init();
        take_bootinfo(bootinfo_phys);
        arch_log("thatte-mk starting (%s boot), command line \"%s\"",
                 bi.source == THATTE_BOOT_PVH          ? "PVH"
                 : bi.source == THATTE_BOOT_MULTIBOOT2 ? "multiboot2"
                                                       : "UEFI",
                 bi_cmdline);
        log_map();
        log_modules();
        arch_cpu_detect();
        arch_gdt_init();
        arch_idt_init();
        arch_mmu_init(&bi);
        arch_cpu_protect();
        arch_svm_init();
        arch_timer_calibrate();
        if (arch_cmdline_has(bi_cmdline, "thatte.test=panic"))
                arch_test_panic();
        arch_boot_finish(&bi);
}

/* arch_cmdline_has: word appears as a whole space-separated word. */
bool arch_cmdline_has(const char *cmdline, const char *word)
{
        size_t n = arch_strlen(word);

        for (const char *p = cmdline; *p; p++) {
                if ((p == cmdline || p[-1] == ' ') && !mk_memcmp(p, word, n) &&
                    (p[n] == ' ' || p[n] == '\0'))
                        return true;
                if (!p[1])
                        break;
        }
        return false;
}
