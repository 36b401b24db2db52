/* kernel/user/vm.c: VMEnter for a VMM thread (thatte/mk.h, MK_SYS_VM_ENTER):
 * the first message registers travel in the syscall's registers, the rest
 * in the caller's IPC buffer (mku_ipcbuf), in and out. */
#include "mku/syscall.h"

int mku_vm_enter(uint64_t mr[MK_VCPU_MR_COUNT])
{
        return mku_vm_enter_until(mr, 0);
}

int mku_vm_enter_until(uint64_t mr[MK_VCPU_MR_COUNT], uint64_t deadline)
{
        struct mk_regs r = { .nr = MK_SYS_VM_ENTER, .reply = deadline,
                             .info = mk_info(0, 0, MK_VCPU_MR_COUNT) };

        for (unsigned i = 0; i < MK_MSG_REG_MRS; i++)
                r.mr[i] = mr[i];
        for (unsigned i = MK_MSG_REG_MRS; i < MK_VCPU_MR_COUNT; i++)
                mku_ipcbuf->mr[i] = mr[i];
        mku_syscall(&r);
        for (unsigned i = 0; i < MK_MSG_REG_MRS; i++)
                mr[i] = r.mr[i];
        for (unsigned i = MK_MSG_REG_MRS; i < MK_VCPU_MR_COUNT; i++)
                mr[i] = mku_ipcbuf->mr[i];
        return (int)r.nr;
}
