/* kernel/kvmm/power.c: DriverOS's power button and soft-off.
 *
 * The root task owns the machine's ACPI power button (kernel/root/power.c).
 * While DriverOS runs, the root forwards a press as a signal on this VMM's
 * notification with KVMM_BADGE_POWER. The VCPU thread sees that badge as a
 * notification exit or as the end of a HLT wait (run.c, timer.c put it
 * into kvmm_badges); here it becomes one edge on KVMM_POWER_BUTTON_GSI,
 * the Generic Event Device kernel/vmm's DSDT declares, whose _EVT notifies
 * \_SB.PWRB: Linux's button driver reports KEY_POWER and thatte-init
 * powers off. Linux's last act is \_S5 with SLP_EN into the hardware-reduced
 * sleep control register (kernel/vmm/pm.c); then this VMM stops the guest
 * and signals the root (KVMM_CAP_ROOT_POWER), which powers the machine off.
 * Any other sleep type is no state this machine has: counted, logged the
 * first few times, and the guest runs on. */
#include "kvmm.h"

#define OTHER_SLEEPS_LOGGED 4u

volatile uint64_t kvmm_badges;

void kvmm_power_poll(struct kvmm *v)
{
        if (!(kvmm_badges & KVMM_BADGE_POWER))
                return;
        kvmm_badges &= ~(uint64_t)KVMM_BADGE_POWER;
        v->power_presses++;
        kvmm_say("power button: press %lu to DriverOS on GSI %u", (unsigned long)v->power_presses,
                 KVMM_POWER_BUTTON_GSI);
        kvmm_irq_line(v, KVMM_POWER_BUTTON_GSI, true);
        kvmm_irq_line(v, KVMM_POWER_BUTTON_GSI, false);
}

static __attribute__((noreturn)) void powered_off(void)
{
        int r;

        kvmm_say("DriverOS powered off");
        r = mku_signal(KVMM_CAP_ROOT_POWER);
        if (r != MK_OK)
                kvmm_say("the root task cannot be told (kernel error %d)", r);
        kvmm_stop();
}

int kvmm_power_io(struct kvmm *v, struct vmm_io *io)
{
        uint64_t before = v->pm.other_sleeps;
        int r = vmm_pm_io(&v->pm, io);

        if (r < 0)
                return r;
        if (v->pm.s5_requested)
                powered_off();
        if (v->pm.other_sleeps != before && before < OTHER_SLEEPS_LOGGED)
                kvmm_say("DriverOS asked for sleep type %u: no such state, it runs on",
                         (unsigned)(v->pm.control >> 2 & 7u));
        return 0;
}
