/* kernel/kvmm/run.c: the exit loop (kernel/vmm/README.md, "Data flow").
 * Before each VMEnter the APIC's timer is brought up to the TSC, a
 * pending interrupt is injected when the guest's IF allows and no event
 * is in flight, and VMEnter carries the APIC's deadline (the kernel ends
 * it with MK_VM_EXIT_DEADLINE when it passes). Each exit goes
 * to the part that owns it; every register the guest set is checked by
 * that part (widths, directions, MSR numbers and values). What the VMM
 * does not emulate stops the guest with a line saying why, never the VMM
 * in a state the guest chose. */
#include "kvmm.h"

#define EVENT_VALID (1ull << 31)
#define EVENT_EXCEPTION (3ull << 8)
#define EVENT_ERROR_CODE (1ull << 11)
#define EVENT_GP (13ull | EVENT_EXCEPTION | EVENT_ERROR_CODE | EVENT_VALID)
#define EVENT_UD (6ull | EVENT_EXCEPTION | EVENT_VALID)
#define RFLAGS_IF (1ull << 9)
#define REPORT_FIRST 4096u
#define REPORT_TICKS (1ull << 34)               /* and at least this often while exiting */
#define COM1_GSI 4                              /* ISA IRQ 4, no override in the MADT */

enum { RAX, RCX, RDX, RBX };

_Static_assert(MK_VM_EXIT_NOTIFICATION == VMM_EXIT_NOTIFICATION &&
               MK_VM_EXIT_DEADLINE == VMM_EXIT_DEADLINE, "exit codes counted by exits.c");

static uint64_t *gpr(struct kvmm *v, unsigned i)
{
        return &v->mr[MK_VCPU_MR_GPR + i];
}

/* `exits N: kind count, ...` for the kinds seen. */
static void report(struct kvmm *v)
{
        char line[200];
        size_t n = 0;
        uint64_t total = 0;

        for (unsigned k = 0; k < VMM_EXK_COUNT; k++) {
                total += v->stats.count[k];
                if (v->stats.count[k] && n < sizeof(line))
                        n += (size_t)mku_format(line + n, sizeof(line) - n, ", %s %lu",
                                                vmm_exit_name((enum vmm_exit_kind)k),
                                                (unsigned long)v->stats.count[k]);
        }
        line[n < sizeof(line) ? n : sizeof(line) - 1] = '\0';
        kvmm_say("exits %lu%s; ports unclaimed %lu (last 0x%x), MSRs refused %lu, other refused %lu; rip 0x%lx",
                 (unsigned long)total, line, (unsigned long)v->pc.unclaimed, (unsigned)v->pc.last_unclaimed,
                 (unsigned long)v->refused_msrs, (unsigned long)v->refused_other,
                 (unsigned long)v->mr[MK_VCPU_MR_RIP]);
        kvmm_say("interrupts: ioapic delivered %lu, refused %lu; lines and messages refused %lu; "
                 "local apic %s, page accesses refused %lu", (unsigned long)v->ioapic.delivered,
                 (unsigned long)(v->ioapic.refused + v->ioapic.bad_access),
                 (unsigned long)v->refused_irqs, v->apic.base & APIC_BASE_EXTD ? "x2apic" : "xapic",
                 (unsigned long)v->apic.bad_mmio);
}

static __attribute__((noreturn)) void finish(struct kvmm *v, const char *why)
{
        kvmm_say("guest stopped: %s at rip 0x%lx (exit 0x%lx, info 0x%lx 0x%lx)", why,
                 (unsigned long)v->mr[MK_VCPU_MR_RIP], (unsigned long)v->mr[MK_VCPU_MR_EXIT],
                 (unsigned long)v->mr[MK_VCPU_MR_INFO1], (unsigned long)v->mr[MK_VCPU_MR_INFO2]);
        report(v);
        kvmm_restart(v, why);
}

static void skip(struct kvmm *v, uint64_t fallback)
{
        uint64_t len = v->mr[MK_VCPU_MR_LEN];

        v->mr[MK_VCPU_MR_RIP] += len && len <= 15 ? len : fallback;
}

static void ioio(struct kvmm *v, uint64_t tsc)
{
        struct vmm_io io;
        int r;

        if (vmm_ioio_decode(v->mr[MK_VCPU_MR_INFO1], *gpr(v, RAX), &io) < 0) {
                (void)kvmm_refuse(v, MK_VM_EXIT_IOIO);
                return;
        }
        /* Before the i8042's passthrough: its filter refuses the reset
         * pulse (it must never reach the real controller), but to the
         * guest it is still the reset a panic asks for. */
        if (kvmm_reset_asked(&io))
                finish(v, "a reset through port 0x64 or 0xcf9");
        if (kvmm_i8042_io(&io))
                r = 0;
        else if ((r = kvmm_power_io(v, &io)) == -VMM_ENOENT &&
                 (r = kvmm_chan_io(&io)) == -VMM_ENOENT)
                r = vmm_pc_io(&v->pc, &io, tsc);
        if (r < 0)
                finish(v, "a port access of a width no device has");
        if (!io.write)
                *gpr(v, RAX) = vmm_io_rax(*gpr(v, RAX), &io);
        v->mr[MK_VCPU_MR_RIP] = v->mr[MK_VCPU_MR_INFO2];
}

static void msr(struct kvmm *v)
{
        struct vmm_msr m;

        if (vmm_msr_decode(v->mr[MK_VCPU_MR_INFO1], *gpr(v, RCX), *gpr(v, RAX), *gpr(v, RDX),
                           &m) < 0 || kvmm_msr(v, &m) < 0) {
                v->mr[MK_VCPU_MR_INJECT] = EVENT_GP;
                return;
        }
        if (!m.write)
                vmm_msr_result(&m, gpr(v, RAX), gpr(v, RDX));
        skip(v, 2);
}

static void cpuid(struct kvmm *v)
{
        uint32_t r[4];

        kvmm_cpuid((uint32_t)*gpr(v, RAX), (uint32_t)*gpr(v, RCX), r);
        *gpr(v, RAX) = r[0];
        *gpr(v, RBX) = r[1];
        *gpr(v, RCX) = r[2];
        *gpr(v, RDX) = r[3];
        skip(v, 2);
}

/* HLT: wait for the APIC's deadline unless an interrupt can be taken now. */
static void hlt(struct kvmm *v)
{
        uint64_t at;

        skip(v, 1);
        if (!(v->mr[MK_VCPU_MR_RFLAGS] & RFLAGS_IF))
                finish(v, "hlt with interrupts off");
        vmm_apic_tick(&v->apic, mku_rdtsc());
        if (vmm_apic_pending(&v->apic) >= 0)
                return;
        at = vmm_apic_deadline(&v->apic);
        if (!at)
                finish(v, "hlt with no timer armed");
        kvmm_wait_until(at);
}

static void inject(struct kvmm *v)
{
        int vec;

        if (v->mr[MK_VCPU_MR_INJECT] & EVENT_VALID)     /* an event in flight goes first */
                return;
        v->mr[MK_VCPU_MR_INJECT] = 0;
        if (!(v->mr[MK_VCPU_MR_RFLAGS] & RFLAGS_IF))
                return;
        vec = vmm_apic_pending(&v->apic);
        if (vec >= 0) {
                v->mr[MK_VCPU_MR_INJECT] = (uint64_t)vec | EVENT_VALID;
                vmm_apic_accept(&v->apic, (uint8_t)vec);
        }
}

/* A nested page fault: a register page the VMM emulates, or the end. */
static void npf(struct kvmm *v)
{
        int r = kvmm_mmio(v, v->mr[MK_VCPU_MR_INFO2]);

        if (r == -VMM_ENOENT)
                finish(v, "access to guest-physical memory it was not given");
        if (r < 0)
                finish(v, "an MMIO instruction it cannot fetch or decode");
}

/* When the kernel is to end the next VMEnter: the APIC's deadline, or
 * soon if an interrupt waits for the guest's IF (thatte-mk has no
 * interrupt-window exit, so without this a tick could wait for the
 * guest's next port access); 0: none. */
static uint64_t wake_at(const struct kvmm *v)
{
        uint64_t at = vmm_apic_deadline(&v->apic), soon;

        if (vmm_apic_pending(&v->apic) < 0)
                return at;
        soon = mku_rdtsc() + v->retry_ticks;
        return at && at < soon ? at : soon;
}

static void exit_one(struct kvmm *v, uint64_t code, uint64_t tsc)
{
        switch (code) {
        case MK_VM_EXIT_IOIO: ioio(v, tsc); break;
        case MK_VM_EXIT_MSR: msr(v); break;
        case MK_VM_EXIT_CPUID: cpuid(v); break;
        case MK_VM_EXIT_HLT: hlt(v); break;
        case MK_VM_EXIT_DEADLINE:                       /* ticked before entering */
                break;
        case MK_VM_EXIT_NOTIFICATION:
                (void)kvmm_i8042_note(v->mr[MK_VCPU_MR_INFO1]);
                kvmm_badges |= v->mr[MK_VCPU_MR_INFO1]; /* the root's: power.c */
                break;
        case MK_VM_EXIT_XSETBV:                         /* no XSAVE in its CPUID */
        case MK_VM_EXIT_VMMCALL: v->mr[MK_VCPU_MR_INJECT] = EVENT_UD; break;
        case MK_VM_EXIT_NPF: npf(v); break;
        case MK_VM_EXIT_SHUTDOWN: finish(v, "triple fault");
        case MK_VM_EXIT_INVALID: finish(v, "VMRUN refused the state");
        default:
                if (kvmm_refuse(v, code) < 0)
                        finish(v, "an exit the VMM does not handle");
        }
}

void kvmm_run(struct kvmm *v)
{
        uint64_t total = 0, next_report = REPORT_FIRST, reported_at = mku_rdtsc(), tsc;
        int r;

        for (;;) {
                kvmm_irq_line(v, COM1_GSI, vmm_uart_irq(&v->pc.com1));
                kvmm_i8042_lines(v);
                kvmm_power_poll(v);
                kvmm_irq_sync(v);
                vmm_apic_tick(&v->apic, mku_rdtsc());
                kvmm_chan_poll();
                inject(v);
                r = mku_vm_enter_until(v->mr, wake_at(v));
                if (r != MK_OK) {
                        kvmm_say("VMEnter refused: kernel error %d", r);
                        finish(v, "no VMEnter");
                }
                vmm_exit_count(&v->stats, v->mr[MK_VCPU_MR_EXIT]);
                tsc = mku_rdtsc();
                if (++total == next_report || tsc - reported_at >= REPORT_TICKS) {
                        report(v);
                        reported_at = tsc;
                        if (total == next_report)
                                next_report *= 4;
                }
                exit_one(v, v->mr[MK_VCPU_MR_EXIT], tsc);
        }
}
