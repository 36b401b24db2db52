/* kernel/arch/aarch64/psci.c: power-off through PSCI SYSTEM_OFF. QEMU virt
 * implements PSCI itself; its conduit is SMC when the guest has EL2
 * (virtualization=on: an HVC would reach our own EL2), else HVC. */
#include "arch.h"

#define PSCI_SYSTEM_OFF 0x84000008u

bool arch_psci_smc;
bool arch_stay;

_Noreturn void arch_power_off(void)
{
        register uint64_t x0 __asm__("x0") = PSCI_SYSTEM_OFF;

        if (arch_stay) {
                /* For a look at the machine afterwards (screenshots). */
                arch_log("thatte.stay: idle instead of powering off");
                __asm__ volatile("msr daifset, #0xf");
                for (;;)
                        __asm__ volatile("wfi");
        }

        if (arch_psci_smc)
                __asm__ volatile("smc #0" : "+r"(x0) : : "memory");
        else
                __asm__ volatile("hvc #0" : "+r"(x0) : : "memory");
        arch_log_plain("panic: PSCI SYSTEM_OFF returned %lx", (unsigned long)x0);
        for (;;)
                __asm__ volatile("wfi");
}
