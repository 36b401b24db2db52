/* vmm/arch.c: the per-architecture facts of thatte-vm.toml(5)'s [vm] arch. */
#include "config.h"

#include <stdlib.h>

#include "arch.h"

static const struct {
        const char *qemu, *qemu_package, *machine, *fw_package, *vars_file;
        const char *code_env, *vars_env, *code, *vars;
} arches[] = {
        [VMM_ARCH_X86_64] = { "qemu-system-x86_64", "qemu-system-x86", "q35", "ovmf", "OVMF_VARS.fd",
                              "THATTE_OVMF_CODE", "THATTE_OVMF_VARS", VMM_OVMF_CODE, VMM_OVMF_VARS },
        [VMM_ARCH_AARCH64] = { "qemu-system-aarch64", "qemu-system-arm", "virt", "qemu-efi-aarch64",
                               "AAVMF_VARS.fd", "THATTE_AAVMF_CODE", "THATTE_AAVMF_VARS",
                               VMM_AAVMF_CODE, VMM_AAVMF_VARS },
};

const char *vmm_arch_qemu(vmm_arch a) { return arches[a].qemu; }
const char *vmm_arch_qemu_package(vmm_arch a) { return arches[a].qemu_package; }
const char *vmm_arch_machine(vmm_arch a) { return arches[a].machine; }
const char *vmm_arch_vars_file(vmm_arch a) { return arches[a].vars_file; }
const char *vmm_arch_fw_package(vmm_arch a) { return arches[a].fw_package; }
const char *vmm_arch_fw_code(vmm_arch a) { return getenv(arches[a].code_env) ?: arches[a].code; }
const char *vmm_arch_fw_vars(vmm_arch a) { return getenv(arches[a].vars_env) ?: arches[a].vars; }

bool vmm_arch_native(vmm_arch a)
{
#if defined(__x86_64__)
        return a == VMM_ARCH_X86_64;
#elif defined(__aarch64__)
        return a == VMM_ARCH_AARCH64;
#else
        (void)a;
        return false;
#endif
}

/* x86-64 keeps QEMU's default model (as before arch existed). virt's
 * default is a 32-bit Cortex-A15, so aarch64 always names one: the host's
 * under KVM; under TCG `max` with the cheap implementation-defined pointer
 * authentication, since emulating the architected QARMA one makes TCG
 * several times slower. */
const char *vmm_arch_cpu(vmm_arch a, vmm_accel accel)
{
        if (a != VMM_ARCH_AARCH64)
                return NULL;
        return accel == VMM_ACCEL_KVM ? "host" : "max,pauth-impdef=on";
}
