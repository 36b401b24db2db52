/* kernel/arch/aarch64/main.c: the C half of the boot, on the kernel's own
 * mapping: say where we came from, start the tick (GIC, generic timer),
 * find the devices the root task drives (ramfb.c), hand the root task's
 * ELF (root-image.S) with the command line to kernel/arch/common/root.c
 * as THATTE's boot information, and enter the root task at EL0. */
#include "arch.h"
#include "kernel.h"
#include "thatte/rootinfo.h"

#define TICK_HZ 100

uint64_t arch_tsc_entry;

static const char *cpu_name(uint64_t midr)
{
        switch ((midr >> 4) & 0xfff) {
        case 0xd03: return "Cortex-A53";
        case 0xd07: return "Cortex-A57";
        case 0xd08: return "Cortex-A72";
        default: return "other";
        }
}

/* Memory and the command line from the device tree; thatte.test=panic
 * faults on purpose (the panic path's test). */
static const char *boot_facts(uint64_t dtb)
{
        const char *cmdline = arch_fdt_bootargs(dtb);
        uint64_t base, size;

        if (arch_fdt_memory(dtb, &base, &size))
                arch_log("memory: %lx..%lx (%lu MiB, device tree)", (unsigned long)base,
                         (unsigned long)(base + size), (unsigned long)(size >> 20));
        else
                arch_log("memory: no /memory node in the device tree");
        arch_log("command line: %s", cmdline ? cmdline : "(none)");
        arch_stay = arch_cmdline_has(cmdline, "thatte.stay");
        arch_test_past_ram = arch_cmdline_has(cmdline, "thatte.test=past-ram");
        if (arch_cmdline_has(cmdline, "thatte.test=panic"))
                arch_test_panic();
        if (arch_cmdline_has(cmdline, "thatte.test=panic-bad-fp"))
                arch_test_panic_bad_fp();
        return cmdline;
}

/* What an x86-64 loader hands over, from what this layer found: the root
 * task's ELF as the module "root", the command line. No frame buffer: the
 * root task sets up its display itself (the devices in its root info). */
static void boot_info(struct thatte_bootinfo *bi, struct thatte_module *root, const char *cmdline)
{
        root->base = arch_virt_to_phys(arch_root_elf);
        root->size = (uint64_t)(arch_root_elf_end - arch_root_elf);
        __builtin_memcpy(root->name, "root", 5);
        bi->magic = THATTE_BOOT_MAGIC;
        bi->version = THATTE_BOOT_VERSION;
        bi->size = sizeof(*bi);
        bi->source = THATTE_BOOT_ARM64;
        bi->module_count = 1;
        bi->modules = arch_virt_to_phys(root);
        if (cmdline) {
                bi->cmdline = arch_virt_to_phys(cmdline);
                bi->cmdline_len = (uint32_t)arch_strlen(cmdline);
        }
}

void arch_main(uint64_t dtb, uint64_t entry_el)
{
        static struct thatte_bootinfo bi;
        static struct thatte_module root;
        uint64_t midr = sysreg_read(midr_el1), asid;
        const char *cmdline;
        struct mk_tcb *t;

        arch_tsc_entry = arch_clock_ns();

        arch_psci_smc = entry_el == 2;
        arch_timer_init(TICK_HZ);
        arch_log("aarch64: entered at EL%lu, running at EL1; device tree at %lx",
                 (unsigned long)entry_el, (unsigned long)dtb);
        arch_log("cpu: MIDR %lx (%s)", (unsigned long)midr, cpu_name(midr));
        arch_log("generic timer: %lu Hz (CNTFRQ_EL0), tick %u Hz", (unsigned long)arch_timer_hz, TICK_HZ);
        arch_log("mmu: kernel %lx..%lx in TTBR1 at %lx", (unsigned long)arch_virt_to_phys(__kernel_start),
                 (unsigned long)arch_virt_to_phys(__kernel_end), (unsigned long)(uintptr_t)__kernel_start);
        cmdline = boot_facts(dtb);
        arch_gic_init();
        arch_gic_enable(ARCH_TIMER_INTID);
        arch_log("gic: v%u, timer interrupt %u enabled", arch_gic_version, ARCH_TIMER_INTID);
        arch_devices_find(dtb);
        /* EL0 reads CNTVCT_EL0 (the IPC round trip's clock; under
         * -icount shift=0 a nanosecond is an instruction). */
        sysreg_write(cntkctl_el1, sysreg_read(cntkctl_el1) | CNTKCTL_EL0VCTEN);
        arch_core_boot(dtb);
        boot_info(&bi, &root, cmdline);
        t = arch_root_start(&arch_k, &bi, &arch_bi, arch_device_untyped);
        asid = arch_mmu_user_install((const uint64_t *)t->slots[MK_TCB_VTABLE].cap.obj);
        arch_log("user: root task at %lx in TTBR0 (ASID %lu), entering EL0", (unsigned long)t->ctx.pc,
                 (unsigned long)asid);
        arch_enter_user(t->ctx.pc, t->ctx.sp, t->ctx.x[0]);
}
