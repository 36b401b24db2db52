/* mku/syscall.h: the raw thatte-mk system call for user programs.
 *
 * One inline stub per architecture (mku/arch-*.h) moves a struct mk_regs
 * into the registers of the syscall ABI, enters the kernel and stores the
 * same registers back: the kernel returns its results in them.
 * Message registers 4 and up travel in the thread's IPC buffer, which the
 * program registers with mku_set_ipcbuf() (the root task's is at
 * THATTE_ROOT_IPCBUF_VADDR). Freestanding: <stdint.h> and thatte/mk.h. */
#ifndef MKU_SYSCALL_H
#define MKU_SYSCALL_H

#include <stddef.h>
#include <stdint.h>

#include "thatte/mk.h"

/* The calling thread's IPC buffer (one per program is enough for a
 * single-threaded one; other threads keep their own pointer). */
extern struct mk_ipcbuf *mku_ipcbuf;

static inline void mku_set_ipcbuf(struct mk_ipcbuf *buf)
{
        mku_ipcbuf = buf;
}

#if defined(__aarch64__)
#include "mku/arch-aarch64.h"
#else
#include "mku/arch-x86_64.h"
#endif

/* mku_vm_enter: VMEnter on the caller's bound VCPU with the message
 * registers mr (MK_VCPU_MR_*) in and out (vm.c). Returns MK_OK or MK_E_*. */
int mku_vm_enter(uint64_t mr[MK_VCPU_MR_COUNT]);

/* mku_vm_enter_until: the same with a deadline (the clock mku_rdtsc
 * reads; 0 none): when it passes first, VMEnter returns with
 * MK_VM_EXIT_DEADLINE. */
int mku_vm_enter_until(uint64_t mr[MK_VCPU_MR_COUNT], uint64_t deadline);

/* ---- IPC (syscall.c) ---- */

/* A message: info word, badge and the four register MRs; MRs 4 and up are
 * in mku_ipcbuf->mr[]. */
struct mku_msg {
        uint64_t info;
        uint64_t badge;
        uint64_t mr[MK_MSG_REG_MRS];
};

/* mku_call: send msg on the endpoint ep and wait for the reply, which
 * replaces msg. Returns MK_OK or MK_E_*. */
int mku_call(uint64_t ep, struct mku_msg *msg);

/* mku_recv: wait on endpoint ep (reply: Reply cap for a call, 0: none) or
 * notification; the message (or the notification word in badge) lands in
 * msg. Returns MK_OK or MK_E_*. */
int mku_recv(uint64_t ep, uint64_t reply, struct mku_msg *msg);

/* mku_wait_until: wait on notification ntfn until deadline (the clock
 * mku_rdtsc reads; 0: no deadline): MK_OK with the word in *ret_word, or
 * MK_E_TIMEOUT (word 0) when the deadline passed first, or MK_E_*. */
int mku_wait_until(uint64_t ntfn, uint64_t deadline, uint64_t *ret_word);

/* mku_poll: take a notification's word without waiting (0: none).
 * Returns MK_OK or MK_E_*. */
int mku_poll(uint64_t ntfn, uint64_t *ret_word);

/* mku_signal: signal notification ntfn with the badge of the cap. */
int mku_signal(uint64_t ntfn);

/* mku_reply: answer the caller bound to Reply cap reply with msg. */
int mku_reply(uint64_t reply, const struct mku_msg *msg);

/* mku_yield: let threads of equal priority run. */
void mku_yield(void);

/* mku_debug_console: the DebugConsole cap mku_debug_put writes through
 * (the program sets it, as mku_ipcbuf). */
extern uint64_t mku_debug_console;

/* mku_debug_put: write n bytes to the kernel's debug console through
 * mku_debug_console, MK_DEBUG_PUT_MAX per call. Returns MK_OK or the
 * first MK_E_*. */
int mku_debug_put(const char *s, size_t n);

/* mku_invoke: CALL the kernel object cptr with label and n message
 * registers mr[0..n-1]; on return ret_mr0 (may be NULL) gets mr0.
 * Returns MK_OK or MK_E_*. */
int mku_invoke(uint64_t cptr, uint64_t label, unsigned n, const uint64_t *mr,
               uint64_t *ret_mr0);

#endif
