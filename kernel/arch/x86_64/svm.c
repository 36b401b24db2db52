/* kernel/arch/x86_64/svm.c: AMD SVM with nested paging, the hardware
 * behind VCPUs (kernel/README.md, "Virtual machines"). At boot: detect it
 * (CPUID 8000_0001 ECX.SVM, 8000_000A EDX.NP, VM_CR.SVMDIS clear), turn on
 * EFER.SVME and give the CPU its host save area (VM_HSAVE_PA). Without it
 * the kernel says so once and retyping a VCPU fails with MK_E_UNSUPPORTED;
 * nothing else changes. QEMU's TCG has it under -cpu max, not qemu64. */
#include "arch.h"
#include "cpu.h"
#include "svm.h"

#define CPUID_SVM_ECX (1u << 2)         /* 8000_0001 ECX */
#define CPUID_NP_EDX (1u << 0)          /* 8000_000A EDX */
#define MSR_VM_CR 0xc0010114
#define VM_CR_SVMDIS (1u << 4)
#define MSR_VM_HSAVE_PA 0xc0010117

/* One CPU runs (the others stay parked): one host save area, which VMRUN
 * fills and #VMEXIT reads, and one page VMSAVE fills with the host's
 * FS, GS, TR, LDTR, KernelGSBase and syscall MSRs before a guest's are
 * loaded. */
static uint8_t host_save_area[ARCH_PAGE] __attribute__((aligned(4096)));
static uint8_t host_vmsave_area[ARCH_PAGE] __attribute__((aligned(4096)));

struct arch_svm arch_svm;

static bool svm_present(void)
{
        uint32_t r[4];

        cpuid(0x80000000u, 0, r);
        if (r[0] < 0x8000000au)
                return false;
        cpuid(0x80000001u, 0, r);
        if (!(r[2] & CPUID_SVM_ECX))
                return false;
        cpuid(0x8000000au, 0, r);
        if (!(r[3] & CPUID_NP_EDX) || r[1] < 2)
                return false;
        arch_svm.asids = r[1];
        return !(rdmsr(MSR_VM_CR) & VM_CR_SVMDIS);
}

void arch_svm_init(void)
{
        if (!svm_present()) {
                arch_log_plain("no SVM with nested paging");
                return;
        }
        wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
        wrmsr(MSR_VM_HSAVE_PA, arch_virt_to_phys(host_save_area));
        arch_svm.host_vmsave = arch_virt_to_phys(host_vmsave_area);
        arch_vm_msrpm_init();
        arch_vfpu_init();
        arch_svm.on = true;
        arch_log("svm: nested paging, %u ASIDs, guest XCR0 up to %lx", arch_svm.asids,
                 arch_vfpu_allowed());
}
