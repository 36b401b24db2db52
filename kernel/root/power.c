/* kernel/root/power.c: the machine's ACPI power button and soft-off.
 *
 * The kernel read the FADT and the DSDT's \_S5 into the root info
 * (`power`, kernel/arch/x86_64/acpi-power.c). The root issues itself I/O
 * port caps for exactly the PM1 event and control blocks, and for the SMI
 * command port only for the one write that turns ACPI mode on (the cap is
 * deleted after it); no other task gets any of them, so nothing else can
 * power the machine off. The SCI's IRQ handler cap signals the root's
 * notification with RT_BADGE_POWER. Of the fixed events only the power
 * button is enabled. A press (QEMU's system_powerdown, `thatte-vmm stop`)
 * powers the machine off: \_S5's SLP_TYP with SLP_EN into PM1 control.
 *
 * With DriverOS running under thatte-kvmm the first press goes to the VMM
 * instead (its notification, KVMM_BADGE_POWER), which presses DriverOS's
 * button; when DriverOS has powered off, the VMM signals RT_BADGE_KVMM_OFF
 * and the root powers the machine off; when the VMM stops for another
 * reason (RT_BADGE_KVMM_STOPPED) presses are the root's again. Presses
 * within GUEST_GRACE_S of
 * the first go to the guest again (thatte-vmm stop presses every 2 s; a
 * guest still booting may have missed one). A guest that ignores the
 * button (or a VMM that stopped) is not waited for longer: the first press
 * after that powers off at once. thatte-mk has no timeouts, and the root's
 * lowest-priority watchdog would not run under a busy VMM, so the grace
 * ends with a press, not by itself: thatte-vmm stop's repeated presses
 * (the profiles' 15 s timeout) end such a guest powered down after about
 * 10 s. */
#include "root.h"

#define PM1_STS_ALL 0xc731u             /* every fixed-event status bit (write 1 clears) */
#define PM1_PWRBTN 0x0100u              /* PWRBTN_STS / PWRBTN_EN */
#define PM1_SCI_EN 0x0001u              /* in PM1 control: ACPI mode */
#define PM1_SLP_TYP_SHIFT 10
#define PM1_SLP_TYP_MASK (7u << PM1_SLP_TYP_SHIFT)
#define PM1_SLP_EN 0x2000u
/* ACPI mode should come within a few reads; a generous TSC bound. */
#define ACPI_ENABLE_TICKS (1ull << 30)
/* How long the machine gets to go off after SLP_EN: QEMU acts on the
 * write only when its main loop next runs (about a second of TSC). */
#define POWER_OFF_TICKS (1ull << 32)
/* SCIs in a row that no fixed event explains before the line is left
 * masked (a firmware-enabled GPE the root does not serve). */
#define SCI_UNEXPLAINED_MAX 64u
/* How long DriverOS gets to power off after the first press. */
#define GUEST_GRACE_S 10u

static struct {
        const struct thatte_acpi_power *p;
        uint64_t evt_a, evt_b, cnt_a, cnt_b;    /* I/O port caps, 0: none */
        uint64_t sci;                           /* IRQ handler cap */
        uint64_t guest;                         /* thatte-kvmm's notification, badged; 0: none */
        unsigned unexplained;
        uint64_t forwarded_at;                  /* TSC of the first press forwarded, 0: none */
        int armed;
} pw;

static uint32_t in16(uint64_t cap, uint64_t port)
{
        uint32_t v = 0;

        rt_must(mku_ioport_in(cap, port, 2, &v), "power: port in");
        return v;
}

static void out16(uint64_t cap, uint64_t port, uint32_t v)
{
        rt_must(mku_ioport_out(cap, port, 2, v), "power: port out");
}

/* The PM1 status of both blocks; enable registers sit in their second half. */
static uint32_t status(void)
{
        return in16(pw.evt_a, pw.p->pm1a_evt) | (pw.evt_b ? in16(pw.evt_b, pw.p->pm1b_evt) : 0);
}

static void status_clear(uint32_t bits)
{
        out16(pw.evt_a, pw.p->pm1a_evt, bits);
        if (pw.evt_b)
                out16(pw.evt_b, pw.p->pm1b_evt, bits);
}

static void enable(uint32_t bits)
{
        uint64_t half = pw.p->pm1_evt_len / 2;

        out16(pw.evt_a, pw.p->pm1a_evt + half, bits);
        if (pw.evt_b)
                out16(pw.evt_b, pw.p->pm1b_evt + half, bits);
}

/* Writes ACPI_ENABLE to the SMI command port unless firmware left ACPI
 * mode on, and waits for SCI_EN. Returns 1 in ACPI mode. */
static int acpi_mode(void)
{
        uint64_t smi, end;
        int r;

        if (in16(pw.cnt_a, pw.p->pm1a_cnt) & PM1_SCI_EN)
                return 1;
        if (!pw.p->smi_cmd || !pw.p->acpi_enable)
                return 0;
        smi = rt_ioport(pw.p->smi_cmd, pw.p->smi_cmd, "power: ioport issue SMI command");
        r = mku_ioport_out(smi, pw.p->smi_cmd, 1, pw.p->acpi_enable);
        (void)mku_cnode_delete(rt.info->cnode, smi, RT_DEPTH);
        rt_must(r, "power: ACPI enable");
        end = mku_rdtsc() + ACPI_ENABLE_TICKS;
        while (!(in16(pw.cnt_a, pw.p->pm1a_cnt) & PM1_SCI_EN))
                if (rt_passed(end))
                        return 0;
        return 1;
}

static uint64_t sci_handler(void)
{
        uint64_t h = rt_slots(1);

        rt_must(mku_irq_control_get(rt.info->irq_control, pw.p->sci_irq, rt.info->cnode, h),
                "power: irq control get SCI");
        rt_must(mku_irq_handler_set_notification(h, rt_copy(rt.ntfn, MK_RIGHT_WRITE,
                                                            RT_BADGE_POWER)),
                "power: SCI handler set notification");
        return h;
}

void rt_power_kvmm(uint64_t cnode, uint64_t off_slot, uint64_t stopped_slot, uint64_t vmm_ntfn,
                   uint64_t press_badge)
{
        rt_give_to(cnode, off_slot, rt_copy(rt.ntfn, MK_RIGHT_WRITE, RT_BADGE_KVMM_OFF));
        rt_give_to(cnode, stopped_slot, rt_copy(rt.ntfn, MK_RIGHT_WRITE, RT_BADGE_KVMM_STOPPED));
        pw.guest = rt_copy(vmm_ntfn, MK_RIGHT_WRITE, press_badge);
}

static uint64_t block_cap(uint64_t port, uint64_t len)
{
        return port ? rt_ioport(port, port + len - 1, "power: ioport issue PM1 block") : 0;
}

void rt_power_init(void)
{
        const struct thatte_acpi_power *p = &rt.info->power;
        uint32_t need = THATTE_ACPI_POWER_OFF | THATTE_ACPI_POWER_BUTTON;

        pw.p = p;
        if ((p->flags & need) != need) {
                rt_say("power: no ACPI power button and soft-off (flags %u); stop must be forced",
                       p->flags);
                return;
        }
        pw.evt_a = block_cap(p->pm1a_evt, p->pm1_evt_len);
        pw.evt_b = block_cap(p->pm1b_evt, p->pm1_evt_len);
        pw.cnt_a = block_cap(p->pm1a_cnt, p->pm1_cnt_len);
        pw.cnt_b = block_cap(p->pm1b_cnt, p->pm1_cnt_len);
        if (!acpi_mode()) {
                rt_say("power: ACPI mode not entered (SMI 0x%x, enable 0x%x); stop must be forced",
                       p->smi_cmd, p->acpi_enable);
                return;
        }
        enable(0);
        status_clear(PM1_STS_ALL);
        pw.sci = sci_handler();
        enable(PM1_PWRBTN);
        pw.armed = 1;
        rt_say("power: ACPI power button on SCI IRQ %u (PM1a event 0x%x, control 0x%x), "
               "S5 type %u", p->sci_irq, p->pm1a_evt, p->pm1a_cnt, p->slp_typ_a);
}

static void control(uint64_t cap, uint64_t port, uint32_t typ, uint32_t en)
{
        uint32_t v = in16(cap, port) & ~(PM1_SLP_TYP_MASK | PM1_SLP_EN);

        out16(cap, port, v | typ << PM1_SLP_TYP_SHIFT | en);
}

/* SLP_TYP into both control blocks, then SLP_EN (the order the ACPI
 * specification's sleeping sequence gives). Returns only if the machine
 * is still on afterwards. */
static void power_off(void)
{
        uint64_t end;

        rt_say("power off: S5, SLP_TYP %u through PM1a control 0x%x", pw.p->slp_typ_a,
               pw.p->pm1a_cnt);
        control(pw.cnt_a, pw.p->pm1a_cnt, pw.p->slp_typ_a, 0);
        if (pw.cnt_b)
                control(pw.cnt_b, pw.p->pm1b_cnt, pw.p->slp_typ_b, 0);
        control(pw.cnt_a, pw.p->pm1a_cnt, pw.p->slp_typ_a, PM1_SLP_EN);
        if (pw.cnt_b)
                control(pw.cnt_b, pw.p->pm1b_cnt, pw.p->slp_typ_b, PM1_SLP_EN);
        end = mku_rdtsc() + POWER_OFF_TICKS;
        while (!rt_passed(end))
                mku_yield();
        rt_say("power off: the machine is still on");
}

/* True while DriverOS is still within its grace after the first press. */
static int guest_grace(void)
{
        if (!pw.forwarded_at) {
                pw.forwarded_at = mku_rdtsc() | 1;
                rt_say("power button: asking DriverOS to power off (a press after %u s "
                       "powers off now)", GUEST_GRACE_S);
        }
        return mku_rdtsc() - pw.forwarded_at < rt_ms_ticks(1000u * GUEST_GRACE_S);
}

/* A press: to DriverOS while it runs and is within its grace, else the
 * machine goes off. */
static void press(void)
{
        if (pw.guest && guest_grace()) {
                rt_must(mku_signal(pw.guest), "power: signal thatte-kvmm");
                return;
        }
        rt_say("power button");
        power_off();
}

/* One SCI: a power-button press powers off; any other fixed status is
 * cleared; an SCI nothing explains, too often in a row, leaves the line
 * masked rather than take the CPU from everyone else. */
static void sci(void)
{
        uint32_t sts = status();

        if (sts & PM1_PWRBTN) {
                status_clear(PM1_PWRBTN);
                pw.unexplained = 0;
                press();
        } else if (sts & PM1_STS_ALL) {
                status_clear(sts & PM1_STS_ALL);
        } else if (++pw.unexplained >= SCI_UNEXPLAINED_MAX) {
                rt_say("power: %u SCIs without a fixed event; the line stays masked",
                       pw.unexplained);
                return;
        }
        rt_must(mku_irq_handler_ack(pw.sci), "power: SCI ack");
}

void rt_power_events(uint64_t badge)
{
        if (!pw.armed)
                return;
        if (badge & RT_BADGE_KVMM_OFF) {
                rt_say("power: DriverOS powered off");
                power_off();
        }
        if (badge & RT_BADGE_KVMM_STOPPED && pw.guest) {
                pw.guest = 0;
                rt_say("power: thatte-kvmm stopped; the power button powers off directly");
        }
        if (badge & RT_BADGE_POWER)
                sci();
}

void rt_power_run(void)
{
        struct mku_msg m = { 0 };

        if (!pw.armed)
                return;
        for (;;) {
                rt_must(mku_recv(rt.ntfn, 0, &m), "power: notification wait");
                rt_power_events(m.badge);
        }
}
