/* kernel/arch/x86_64/vfpu.c: a guest's x87, SSE and AVX registers and its
 * XCR0. Host threads have no FPU state (CR0.EM set, CR4.OSFXSR and
 * OSXSAVE clear: every FPU, SSE, AVX and XSAVE instruction faults in user
 * mode), so only guests own such registers, each in its VCPU's save area
 * (page 5 of the object, 64-aligned; its XCR0 in the page's last word).
 * Around each VMRUN the kernel opens CR0/CR4 for the FPU, loads the
 * guest's XCR0 and registers, and after the exit saves them and closes
 * CR0/CR4 again: the registers the CPU still holds are unreachable from
 * user mode and fully replaced before the next guest runs (XRSTOR loads
 * every component of that guest's XCR0, init values for those it never
 * used). Without XSAVE the area is an FXSAVE image and XCR0 stays 1.
 *
 * XCR0 is what the VMM writes (MK_VCPU_STATE_XCR0): x87 always, SSE, and
 * AVX only with SSE, nothing the host lacks or does not switch (AVX-512,
 * MPX, PKRU...). The guest's XSETBV exits to the VMM, which emulates it
 * through that field (where the CPU honours the intercept: QEMU's TCG
 * lets XSETBV run in the guest, so after every exit the kernel takes the
 * XCR0 the guest left as its own; the save area covers every component
 * the CPU has, checked at boot, so XSAVE of any XCR0 the CPU accepted
 * fits); XGETBV reads the guest's own value, with SSE always
 * in it: legacy SSE works whatever XCR0 says, so the SSE registers must
 * be in every save (XSAVE saves only what XCR0 names). */
#include "arch.h"
#include "cpu.h"
#include "svm.h"

#define CPUID1_ECX_XSAVE (1u << 26)
#define XCR0_X87 1ull
#define XCR0_SSE 2ull
#define XCR0_AVX 4ull
#define XCR0_SWITCHED (XCR0_X87 | XCR0_SSE | XCR0_AVX)
#define XSTATE_BV 512u                  /* the XSAVE header's first word */
#define AREA_XCR0 (4096u - 8u)          /* where the area keeps the guest's XCR0 */

static uint64_t xcr0_allowed;           /* 0: no XSAVE, FXSAVE images */

static void xsetbv0(uint64_t v)
{
        __asm__ volatile("xsetbv" : : "c"(0), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/* arch_vfpu_init: which XCR0 bits guests may have (CPUID 1 and 0Dh), and
 * that their save areas fit the page. */
void arch_vfpu_init(void)
{
        uint32_t r[4];

        cpuid(1, 0, r);
        if (!(r[2] & CPUID1_ECX_XSAVE))
                return;
        cpuid(0xd, 0, r);
        if (r[2] > AREA_XCR0)           /* ECX: the area for every supported bit */
                return;
        xcr0_allowed = (r[0] & XCR0_SWITCHED) | XCR0_X87;
        if (!(xcr0_allowed & XCR0_SSE))
                xcr0_allowed &= ~XCR0_AVX;
}

uint64_t arch_vfpu_allowed(void)
{
        return xcr0_allowed ? xcr0_allowed : XCR0_X87;
}

/* A new VCPU's registers as after reset: FCW 0x37f, MXCSR 0x1f80, every
 * XSAVE component in its init state (XSTATE_BV 0), XCR0 x87 only. */
void arch_vfpu_reset(uint8_t *area)
{
        *(uint16_t *)area = 0x37f;
        *(uint32_t *)(area + 24) = 0x1f80;
        *(uint64_t *)(area + AREA_XCR0) = XCR0_X87;
}

/* The XCR0 a guest runs with: its own, SSE always (see above). */
static uint64_t hw_xcr0(uint64_t v)
{
        return v | (xcr0_allowed & XCR0_SSE);
}

uint64_t arch_vfpu_xcr0(const uint8_t *area)
{
        return *(const uint64_t *)(area + AREA_XCR0);
}

/* arch_vfpu_set_xcr0: MK_OK, or MK_E_INVALID_ARG for a value XSETBV would
 * refuse or the host does not switch. Components the new XCR0 drops are
 * marked unused in the area, so XRSTOR never sees them. */
int arch_vfpu_set_xcr0(uint8_t *area, uint64_t v)
{
        if (!(v & XCR0_X87) || (v & ~arch_vfpu_allowed()) ||
            ((v & XCR0_AVX) && !(v & XCR0_SSE)))
                return MK_E_INVALID_ARG;
        *(uint64_t *)(area + AREA_XCR0) = v;
        *(uint64_t *)(area + XSTATE_BV) &= hw_xcr0(v);
        return MK_OK;
}

/* arch_vfpu_enter: open the FPU and load the guest's registers; returns
 * the CR0 and CR4 arch_vfpu_leave puts back. */
void arch_vfpu_enter(uint8_t *area, uint64_t *cr0, uint64_t *cr4)
{
        *cr0 = read_cr0();
        *cr4 = read_cr4();
        write_cr0(*cr0 & ~(uint64_t)(CR0_EM | CR0_TS));
        if (!xcr0_allowed) {
                write_cr4(*cr4 | CR4_OSFXSR);
                __asm__ volatile("fxrstor64 %0" : : "m"(*(const uint8_t (*)[512])area));
                return;
        }
        write_cr4(*cr4 | CR4_OSFXSR | CR4_OSXSAVE);
        xsetbv0(hw_xcr0(arch_vfpu_xcr0(area)));
        __asm__ volatile("xrstor64 %0" : : "m"(*(const uint8_t (*)[AREA_XCR0])area),
                         "a"(~0u), "d"(~0u));
}

/* arch_vfpu_leave: save the guest's registers and close the FPU again. */
void arch_vfpu_leave(uint8_t *area, uint64_t cr0, uint64_t cr4)
{
        uint32_t lo, hi;

        if (xcr0_allowed) {
                __asm__ volatile("xsave64 %0" : "+m"(*(uint8_t (*)[AREA_XCR0])area)
                                 : "a"(~0u), "d"(~0u));
                __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
                *(uint64_t *)(area + AREA_XCR0) = (uint64_t)hi << 32 | lo;
        } else
                __asm__ volatile("fxsave64 %0" : "+m"(*(uint8_t (*)[512])area));
        write_cr4(cr4);
        write_cr0(cr0);
}
