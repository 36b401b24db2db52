/* vmm/arch.h: what depends on a VM's architecture ([vm] arch): the QEMU
 * program, the default machine, the UEFI firmware files, the CPU model. */
#ifndef VMM_ARCH_H
#define VMM_ARCH_H

#include <stdbool.h>

#include "profile.h"

/* vmm_arch_qemu: "qemu-system-x86_64" or "qemu-system-aarch64". */
const char *vmm_arch_qemu(vmm_arch a);

/* vmm_arch_qemu_package: the Debian package holding vmm_arch_qemu(a). */
const char *vmm_arch_qemu_package(vmm_arch a);

/* vmm_arch_machine: the machine type when the profile names none. */
const char *vmm_arch_machine(vmm_arch a);

/* vmm_arch_native: whether a is this host's architecture, the only one
 * KVM can run. */
bool vmm_arch_native(vmm_arch a);

/* vmm_arch_fw_code, vmm_arch_fw_vars: the UEFI code image and variable
 * store template (OVMF on x86-64, AAVMF on aarch64); the environment
 * (THATTE_OVMF_CODE, THATTE_AAVMF_VARS...) overrides the configured ones. */
const char *vmm_arch_fw_code(vmm_arch a);
const char *vmm_arch_fw_vars(vmm_arch a);

/* vmm_arch_vars_file: the name of the VM's private variable store in its
 * state folder; one per arch, so a profile changing arch never boots the
 * other firmware's variables. */
const char *vmm_arch_vars_file(vmm_arch a);

/* vmm_arch_fw_package: the Debian package holding the UEFI firmware. */
const char *vmm_arch_fw_package(vmm_arch a);

/* vmm_arch_cpu: the -cpu value, NULL for QEMU's default. */
const char *vmm_arch_cpu(vmm_arch a, vmm_accel accel);

#endif
