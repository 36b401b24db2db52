/* kernel/root/vm-fpu.c: guests keep their own FPU registers. Two
 * long-mode VCPUs load patterns into xmm0 in turn and read them back
 * (SSE, switched by XSAVE or FXSAVE); two more turn AVX on with XSETBV
 * (emulated by the VMM through MK_VCPU_STATE_XCR0 where the CPU
 * intercepts it; the kernel refuses XCR0 values a CPU would), put
 * patterns in ymm0's upper half in turn and read them back. Then the VMM lowers one's XCR0 under its used AVX
 * state and the guest runs on. */
#include "vm.h"

#define XSETBV_LEN 3u                   /* 0f 01 d1 */

/* Two guests side by side: A puts its pattern in xmm0 and exits, B does
 * the same with another and runs to the end, then A reads xmm0 back. */
static void run_sse_pair(uint64_t gs)
{
        uint64_t va, vb, a[MK_VCPU_MR_COUNT], got_a, got_b;
        uint64_t rip = GUEST_CODE64 + (uint64_t)(rt_guest_sse - rt_guest64);

        rt_must(vm_vcpu_new(gs, &va, rip), "sse vcpu a");
        vm_long_mode(va);
        vm_mr[MK_VCPU_MR_GPR + 3] = SSE_A;
        vm_expect(MK_VM_EXIT_CPUID, "sse a");
        for (unsigned i = 0; i < MK_VCPU_MR_COUNT; i++)
                a[i] = vm_mr[i];
        rt_must(mku_vcpu_set_tcb(va, 0), "vcpu unbind");
        rt_must(vm_vcpu_new(gs, &vb, rip), "sse vcpu b");
        vm_long_mode(vb);
        vm_mr[MK_VCPU_MR_GPR + 3] = SSE_B;
        vm_expect(MK_VM_EXIT_CPUID, "sse b");
        vm_mr[MK_VCPU_MR_RIP] += 2;
        vm_expect(MK_VM_EXIT_HLT, "sse b hlt");
        got_b = vm_gpr(0);
        rt_must(mku_vcpu_set_tcb(vb, 0), "vcpu unbind");
        rt_must(mku_vcpu_set_tcb(va, rt.info->tcb), "vcpu bind");
        for (unsigned i = 0; i < MK_VCPU_MR_COUNT; i++)
                vm_mr[i] = a[i];
        vm_mr[MK_VCPU_MR_RIP] += 2;
        vm_expect(MK_VM_EXIT_HLT, "sse a hlt");
        got_a = vm_gpr(0);
        rt_must(mku_vcpu_set_tcb(va, 0), "vcpu unbind");
        vm_check(got_a == SSE_A && got_b == SSE_B, "each guest keeps its own xmm0");
        rt_say("guest sse: two VCPUs side by side keep their own xmm0 (0x%lx, 0x%lx)", got_a, got_b);
}

/* A long-mode VCPU in rt_guest_avx with pattern in rbx, run to its
 * CPUID past its XSETBV: emulated by the VMM where the CPU intercepts it
 * (after checking that bad values are refused), run by the guest itself
 * where it does not (QEMU's TCG). Returns MK_E_INVALID_ARG when the host
 * has no AVX for guests; sets *ret_exited when XSETBV exited. */
static int avx_start(uint64_t gs, uint64_t *v, uint64_t pattern, bool *ret_exited)
{
        static const uint64_t refused[] = { 0, 2, 6, 5, 0x207, 1ull << 32 };
        uint64_t xcr0;

        rt_must(vm_vcpu_new(gs, v, GUEST_CODE64 + (uint64_t)(rt_guest_avx - rt_guest64)),
                "avx vcpu");
        vm_long_mode(*v);
        vm_state(*v, MK_VCPU_STATE_CR4, GUEST_CR4_XSAVE);
        for (unsigned i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
                if (mku_vcpu_write_state(*v, MK_VCPU_STATE_XCR0, refused[i]) != MK_E_INVALID_ARG)
                        vm_check(0, "a bad XCR0 refused");
        if (mku_vcpu_write_state(*v, MK_VCPU_STATE_XCR0, 7) != MK_OK)
                return MK_E_INVALID_ARG;
        vm_state(*v, MK_VCPU_STATE_XCR0, 1);
        vm_mr[MK_VCPU_MR_GPR + 3] = pattern;
        rt_must(vm_enter(), "avx enter");
        *ret_exited = vm_mr[MK_VCPU_MR_EXIT] == MK_VM_EXIT_XSETBV;
        if (*ret_exited) {
                vm_check(vm_gpr(1) == 0 && vm_gpr(0) == 7 && vm_gpr(2) == 0, "xsetbv of 7");
                vm_state(*v, MK_VCPU_STATE_XCR0, 7);
                vm_mr[MK_VCPU_MR_RIP] += XSETBV_LEN;
                vm_expect(MK_VM_EXIT_CPUID, "avx cpuid");
        }
        vm_check(vm_mr[MK_VCPU_MR_EXIT] == MK_VM_EXIT_CPUID, "avx cpuid");
        rt_must(mku_vcpu_read_state(*v, MK_VCPU_STATE_XCR0, &xcr0), "read xcr0");
        vm_check(xcr0 == 7, "the guest's XCR0 after its XSETBV");
        return MK_OK;
}

/* Back into v at its hlt: the upper half of its ymm0. */
static uint64_t avx_finish(uint64_t v, const uint64_t *saved)
{
        rt_must(mku_vcpu_set_tcb(v, rt.info->tcb), "vcpu bind");
        for (unsigned i = 0; i < MK_VCPU_MR_COUNT; i++)
                vm_mr[i] = saved[i];
        vm_mr[MK_VCPU_MR_RIP] += 2;
        vm_expect(MK_VM_EXIT_HLT, "avx hlt");
        return vm_gpr(0);
}

static void run_avx_pair(uint64_t gs)
{
        uint64_t va, vb, a[MK_VCPU_MR_COUNT], got_a, got_b, xcr0;
        bool exited;

        if (avx_start(gs, &va, AVX_A, &exited) != MK_OK) {
                rt_must(mku_vcpu_set_tcb(va, 0), "vcpu unbind");
                rt_say("guest avx: no AVX for guests on this CPU; bad XCR0 values refused");
                return;
        }
        for (unsigned i = 0; i < MK_VCPU_MR_COUNT; i++)
                a[i] = vm_mr[i];
        rt_must(mku_vcpu_set_tcb(va, 0), "vcpu unbind");
        rt_must(avx_start(gs, &vb, AVX_B, &exited), "avx b");
        vm_mr[MK_VCPU_MR_RIP] += 2;
        vm_expect(MK_VM_EXIT_HLT, "avx b hlt");
        got_b = vm_gpr(0);
        rt_must(mku_vcpu_set_tcb(vb, 0), "vcpu unbind");
        got_a = avx_finish(va, a);
        vm_check(got_a == AVX_A && got_b == AVX_B, "each guest keeps its own ymm0");
        /* XCR0 lowered under used AVX state: the guest runs on. */
        vm_state(va, MK_VCPU_STATE_XCR0, 3);
        rt_must(mku_vcpu_read_state(va, MK_VCPU_STATE_XCR0, &xcr0), "read xcr0");
        vm_mr[MK_VCPU_MR_RIP] = GUEST_CODE64;
        vm_expect(MK_VM_EXIT_CPUID, "after xcr0 lowered");
        vm_check(xcr0 == 3, "xcr0 reads back");
        rt_must(mku_vcpu_set_tcb(va, 0), "vcpu unbind");
        rt_say("guest avx: XSETBV %s, bad XCR0 values refused; two VCPUs side by side keep "
               "their own ymm0 (0x%lx, 0x%lx); XCR0 lowered under used AVX state",
               exited ? "exited, emulated by the VMM" : "ran in the guest (no intercept here)",
               got_a, got_b);
}

void rt_check_vm_fpu(uint64_t gs)
{
        run_sse_pair(gs);
        run_avx_pair(gs);
        rt_check_vm_fpu_host();
}
