/* vmm/kvm-probe.h: running a program briefly and reading what it says, for
 * `thatte-vmm doctor`: QEMU's version, and a short probe boot under KVM. */
#ifndef VMM_KVM_PROBE_H
#define VMM_KVM_PROBE_H

#include <stddef.h>

/* vmm_capture: runs argv (argv[0] an absolute path; execv, no shell) with
 * stdin from /dev/null and stdout and stderr into buf (NUL-terminated),
 * until it exits, one of the strings of the NULL-terminated `until` (may be
 * NULL) appears in its output, or timeout_ms passes; then kills it
 * (SIGKILL) and reaps it. Returns 1 when one of them was seen, 0 when the program ended or timed out first (*ret_timed_out set
 * accordingly, may be NULL), -errno when it could not run. */
int vmm_capture(char *const argv[], const char *const *until, int timeout_ms, char *buf, size_t size,
                int *ret_timed_out);

/* vmm_kvm_probe: boots OVMF (code, with the variable store template in
 * snapshot mode) under KVM with no disks, for at most timeout_ms, and waits
 * for its boot manager on the serial port ("BdsDxe"). Returns 1 when KVM
 * ran it, 0 when it did not (a one-line reason in why), -errno when QEMU
 * could not run. */
int vmm_kvm_probe(const char *qemu, const char *ovmf_code, const char *ovmf_vars, int timeout_ms,
                  char *why, size_t size);

/* vmm_kvm_probe_bios: like vmm_kvm_probe without OVMF: QEMU's own
 * SeaBIOS under KVM, followed on its debug port until it looks for a boot
 * device ("Searching bootorder"). Returns 1, 0 (reason in why), -errno. */
int vmm_kvm_probe_bios(const char *qemu, int timeout_ms, char *why, size_t size);

#endif
