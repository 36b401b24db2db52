/* kernel/root/vm.c: the root task as a tiny VMM. A real-mode guest (the
 * bytes below, written into a frame mapped at guest-physical 0) exits
 * with CPUID, an `out` to an intercepted port (one to port 0x80, passed
 * through, does not exit), a read of unmapped guest-physical memory (NPF,
 * decoded here), HLT (answered with an injected interrupt, whose handler
 * reports through another port) and a triple fault; each exit is checked
 * and printed. A second VCPU loops on CPUID for the round-trip figure
 * (instructions under -icount shift=0). A third is first refused by the
 * hardware (inconsistent state), then runs in long mode, set up through
 * VCPU_WRITE_STATE with page tables in guest memory. Without SVM the kernel refuses the
 * VCPU, and that is printed instead. */
#include "vm.h"

static void run_checks(void)
{
        vm_expect(MK_VM_EXIT_CPUID, "cpuid");
        vm_check(vm_gpr(0) == 0 && vm_mr[MK_VCPU_MR_RIP] == GUEST_CODE + 3, "cpuid leaf 0 at its rip");
        rt_say("guest cpuid exit at rip 0x%lx", vm_mr[MK_VCPU_MR_RIP]);
        vm_mr[MK_VCPU_MR_GPR] = GUEST_CPUID_EAX;
        vm_mr[MK_VCPU_MR_RIP] += 2;                /* no NRIP save under TCG: 0f a2 */
        vm_expect(MK_VM_EXIT_IOIO, "out");
        vm_check(vm_ioio_port() == GUEST_PORT && !(vm_mr[MK_VCPU_MR_INFO1] & IOIO_IN) &&
              (vm_mr[MK_VCPU_MR_INFO1] & IOIO_SZ32) && vm_gpr(0) == GUEST_CPUID_EAX &&
              vm_mr[MK_VCPU_MR_LEN] == 2, "out of the cpuid answer to the intercepted port");
        rt_say("guest out to port 0x%lx value 0x%lx (length %lu); port 0x80 passed through",
               vm_ioio_port(), vm_gpr(0), vm_mr[MK_VCPU_MR_LEN]);
        vm_mr[MK_VCPU_MR_RIP] += vm_mr[MK_VCPU_MR_LEN];
        vm_expect(MK_VM_EXIT_NPF, "mmio");
        vm_check(vm_mr[MK_VCPU_MR_INFO2] == GUEST_MMIO, "npf at the unmapped address");
        rt_say("guest mmio read of 0x%lx: nested page fault, decoded", vm_mr[MK_VCPU_MR_INFO2]);
        vm_mr[MK_VCPU_MR_GPR] = (vm_gpr(0) & ~0xffull) | 0x77;
        vm_mr[MK_VCPU_MR_RIP] += 3;                /* a0 10 00: mov moffs16, %al */
        vm_expect(MK_VM_EXIT_HLT, "hlt");
        rt_say("guest hlt");
        vm_mr[MK_VCPU_MR_RIP] += 1;
        vm_mr[MK_VCPU_MR_INJECT] = GUEST_VECTOR | EVENT_VALID;
        vm_expect(MK_VM_EXIT_IOIO, "interrupt");
        vm_check(vm_ioio_port() == GUEST_IRQ_PORT && (vm_gpr(0) & 0xff) == 0x77,
              "handler of the injected interrupt reports the mmio value");
        rt_say("guest interrupt 0x%x injected, its handler ran", GUEST_VECTOR);
        vm_mr[MK_VCPU_MR_RIP] += vm_mr[MK_VCPU_MR_LEN];
        vm_expect(MK_VM_EXIT_SHUTDOWN, "triple fault");
        rt_say("guest triple fault: shutdown exit");
}

/* A VCPU the hardware refuses (CR0.NW without CD) ends VMEnter with
 * MK_VM_EXIT_INVALID; then the same VCPU in long mode, written through
 * VCPU_WRITE_STATE: CPUID and HLT exits with 64-bit registers. */
static void run_long_mode(uint64_t v)
{
        uint64_t cpuid_rip;

        vm_mr[MK_VCPU_MR_RIP] = GUEST_CODE64;
        vm_state(v, MK_VCPU_STATE_CR0, 0x20000011u);
        vm_expect(MK_VM_EXIT_INVALID, "inconsistent state");
        rt_say("guest with inconsistent state refused: exit 0x%lx", vm_mr[MK_VCPU_MR_EXIT]);
        vm_long_mode(v);
        vm_mr[MK_VCPU_MR_RIP] = GUEST_CODE64;
        vm_expect(MK_VM_EXIT_CPUID, "long mode cpuid");
        vm_check(vm_gpr(0) == 0x4c4f4e47 && vm_mr[MK_VCPU_MR_RIP] == GUEST_CODE64 + 5,
              "long mode cpuid leaf and rip");
        cpuid_rip = vm_mr[MK_VCPU_MR_RIP];
        vm_mr[MK_VCPU_MR_GPR + 15] = LONG_R15;
        vm_mr[MK_VCPU_MR_RIP] += 2;
        vm_expect(MK_VM_EXIT_HLT, "long mode hlt");
        vm_check(vm_gpr(0) == LONG_R15, "r15 through the guest into rax");
        rt_say("guest long mode: cpuid exit at rip 0x%lx, hlt with rax 0x%lx",
               cpuid_rip, vm_gpr(0));
}

/* The CPUID loop: rounds of exit, rip + 2, enter. */
static uint64_t cpuid_rounds(unsigned rounds)
{
        uint64_t t0 = mku_rdtsc();

        for (unsigned i = 0; i < rounds; i++) {
                if (vm_enter() != MK_OK || vm_mr[MK_VCPU_MR_EXIT] != MK_VM_EXIT_CPUID)
                        rt_fail("cpuid loop", MK_E_INVALID_ARG);
                vm_mr[MK_VCPU_MR_RIP] += 2;
        }
        return mku_rdtsc() - t0;
}

/* The floor: the kernel answers RT_VM_ROUNDS CPUID exits itself, the
 * next goes to the VMM as usual (one round trip, taken off). In TSC ticks:
 * instructions under -icount shift=0, wall time under plain TCG
 * (tests/bench/vmexit.sh). */
static void bare_loop(uint64_t v, uint64_t round_trip)
{
        uint64_t t0, bare;

        vm_state(v, MK_VCPU_STATE_KERNEL_CPUID, RT_VM_ROUNDS);
        t0 = mku_rdtsc();
        if (vm_enter() != MK_OK || vm_mr[MK_VCPU_MR_EXIT] != MK_VM_EXIT_CPUID)
                rt_fail("bare vmrun loop", MK_E_INVALID_ARG);
        bare = (mku_rdtsc() - t0 - round_trip) / RT_VM_ROUNDS;
        vm_mr[MK_VCPU_MR_RIP] += 2;
        if (bare == 0)
                bare = 1;
        rt_say("vmexit round trip through the VMM %lu TSC ticks, bare VMRUN loop %lu, ratio "
               "%lu.%02lu", (unsigned long)round_trip, (unsigned long)bare,
               (unsigned long)(round_trip / bare), (unsigned long)(round_trip * 100 / bare % 100));
}

/* VMEnter with no VCPU bound: the same syscall and message-register
 * copies as a round trip, no guest. */
static uint64_t refused_rounds(unsigned rounds)
{
        uint64_t t0 = mku_rdtsc();

        for (unsigned i = 0; i < rounds; i++)
                if (vm_enter() != MK_E_ILLEGAL_OP)
                        rt_fail("vmenter unbound", MK_E_INVALID_ARG);
        return mku_rdtsc() - t0;
}

void rt_check_vm(void)
{
        uint64_t gs, v, v2, v3, t, t0;
        int r;

        gs = vm_guest_space();
        r = vm_vcpu_new(gs, &v, GUEST_CODE);
        if (r == MK_E_UNSUPPORTED) {
                rt_say("guest: no VCPU on this machine (kernel error %d)", r);
                return;
        }
        rt_must(r, "vcpu retype");
        rt_must(mku_vcpu_allow_ports(v, rt_ioport(0x80, 0x80, "port 0x80")), "allow port 0x80");
        run_checks();
        rt_must(mku_vcpu_set_tcb(v, 0), "vcpu unbind");
        rt_must(vm_vcpu_new(gs, &v2, GUEST_CODE + (uint64_t)(rt_guest16_loop - rt_guest16)),
                "second vcpu");
        (void)cpuid_rounds(8);
        t = cpuid_rounds(RT_VM_ROUNDS);
        rt_say("vmexit round trip %lu instructions", (unsigned long)(t / RT_VM_ROUNDS));
        bare_loop(v2, t / RT_VM_ROUNDS);
        rt_must(mku_vcpu_set_tcb(v2, 0), "vcpu unbind");
        t0 = refused_rounds(RT_VM_ROUNDS);
        rt_say("vmexit round trip parts: a VMEnter refused at once (the syscall and the message "
               "registers both ways) %lu instructions, the rest (world switch, FPU switch, exit "
               "decoding) %lu", (unsigned long)(t0 / RT_VM_ROUNDS),
               (unsigned long)((t - t0) / RT_VM_ROUNDS));
        rt_must(vm_vcpu_new(gs, &v3, GUEST_CODE64), "third vcpu");
        run_long_mode(v3);
        rt_must(mku_vcpu_set_tcb(v3, 0), "vcpu unbind");
        rt_check_vm_fpu(gs);
        rt_check_vm_hostile(gs);
        rt_check_vm_spin(gs);
        rt_say("guest ok");
}
