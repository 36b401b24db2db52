/* kernel/kvmm/refuse.c: exits a well-behaved DriverOS never causes, each
 * answered as the CPU the guest is shown would answer, so a hostile or
 * broken guest gets an exception it can handle rather than ending (the
 * loop's other refusals: msr.c's #GP, XSETBV's and VMMCALL's #UD in
 * run.c):
 * - string and REP port I/O (OUTS, INS): not emulated (the VMM would have
 *   to walk the guest's page tables for the buffer, and no device handed
 *   to DriverOS needs it): #GP(0), as a CPU whose I/O permission refused;
 * - VMRUN, VMLOAD, VMSAVE, STGI, CLGI, SKINIT, INVLPGA: the guest's EFER
 *   reads SVME clear (msr.c), and there these are #UD;
 * - INVD: nothing to flush, the instruction is skipped.
 * The first REFUSED_SAID are logged; the count goes in the exits line. */
#include "kvmm.h"

#define EXIT_INVD 0x76u
#define EXIT_INVLPGA 0x7au
#define EXIT_VMRUN 0x80u
#define EXIT_SKINIT 0x86u
#define EVENT_VALID (1ull << 31)
#define EVENT_EXCEPTION (3ull << 8)
#define EVENT_ERROR_CODE (1ull << 11)
#define REFUSED_SAID 8u

static void say(struct kvmm *v, const char *what, const char *answer)
{
        if (v->refused_other++ < REFUSED_SAID)
                kvmm_say("guest %s at rip 0x%lx refused (%s)%s", what,
                         (unsigned long)v->mr[MK_VCPU_MR_RIP], answer,
                         v->refused_other == REFUSED_SAID ? "; no more of these lines" : "");
}

int kvmm_refuse(struct kvmm *v, uint64_t code)
{
        if (code == MK_VM_EXIT_IOIO) {
                say(v, "string or REP port I/O", "#GP");
                v->mr[MK_VCPU_MR_INJECT] = 13 | EVENT_EXCEPTION | EVENT_ERROR_CODE | EVENT_VALID;
                return 0;
        }
        if (code == EXIT_INVLPGA || (code >= EXIT_VMRUN && code <= EXIT_SKINIT)) {
                say(v, "SVM instruction", "#UD");
                v->mr[MK_VCPU_MR_INJECT] = 6 | EVENT_EXCEPTION | EVENT_VALID;
                return 0;
        }
        if (code == EXIT_INVD) {
                v->mr[MK_VCPU_MR_RIP] += 2;
                return 0;
        }
        return -VMM_ENOENT;
}
