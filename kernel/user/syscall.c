/* kernel/user/syscall.c: IPC, debug output and object invocation on top of
 * the raw stub in mku/syscall.h. Every function returns the kernel's error
 * code (MK_OK or MK_E_*), never a negative errno: these are kernel results
 * passed through, and the caller decides what they mean. */
#include "mku/syscall.h"

struct mk_ipcbuf *mku_ipcbuf;

static void load_msg(struct mk_regs *r, const struct mku_msg *msg)
{
        r->info = msg->info;
        for (unsigned i = 0; i < MK_MSG_REG_MRS; i++)
                r->mr[i] = msg->mr[i];
}

static void store_msg(struct mku_msg *msg, const struct mk_regs *r)
{
        msg->info = r->info;
        msg->badge = r->cptr;
        for (unsigned i = 0; i < MK_MSG_REG_MRS; i++)
                msg->mr[i] = r->mr[i];
}

int mku_call(uint64_t ep, struct mku_msg *msg)
{
        struct mk_regs r = { .nr = MK_SYS_CALL, .cptr = ep };

        load_msg(&r, msg);
        mku_syscall(&r);
        if (r.nr == MK_OK)
                store_msg(msg, &r);
        return (int)r.nr;
}

int mku_recv(uint64_t ep, uint64_t reply, struct mku_msg *msg)
{
        struct mk_regs r = { .nr = MK_SYS_RECV, .cptr = ep, .reply = reply };

        mku_syscall(&r);
        if (r.nr == MK_OK)
                store_msg(msg, &r);
        return (int)r.nr;
}

int mku_wait_until(uint64_t ntfn, uint64_t deadline, uint64_t *ret_word)
{
        struct mk_regs r = { .nr = MK_SYS_WAIT_UNTIL, .cptr = ntfn, .reply = deadline };

        mku_syscall(&r);
        *ret_word = r.nr == MK_OK ? r.cptr : 0;
        return (int)r.nr;
}

int mku_poll(uint64_t ntfn, uint64_t *ret_word)
{
        struct mk_regs r = { .nr = MK_SYS_NBRECV, .cptr = ntfn };

        mku_syscall(&r);
        if (r.nr == MK_OK)
                *ret_word = r.cptr;
        return (int)r.nr;
}

int mku_signal(uint64_t ntfn)
{
        struct mk_regs r = { .nr = MK_SYS_SEND, .cptr = ntfn };

        mku_syscall(&r);
        return (int)r.nr;
}

int mku_reply(uint64_t reply, const struct mku_msg *msg)
{
        struct mk_regs r = { .nr = MK_SYS_REPLY, .cptr = reply };

        load_msg(&r, msg);
        mku_syscall(&r);
        return (int)r.nr;
}

void mku_yield(void)
{
        struct mk_regs r = { .nr = MK_SYS_YIELD };

        mku_syscall(&r);
}

/* Little-endian bytes of s[0..n-1] (n <= 8) as one register. */
static uint64_t pack8(const char *s, size_t n)
{
        uint64_t w = 0;

        for (size_t i = 0; i < n && i < 8; i++)
                w |= (uint64_t)(unsigned char)s[i] << (8 * i);
        return w;
}

uint64_t mku_debug_console;

static int put_chunk(const char *s, size_t n)
{
        struct mk_regs r = { .nr = MK_SYS_DEBUG_PUT, .cptr = mku_debug_console, .info = n };
        uint64_t *words[5] = { &r.reply, &r.mr[0], &r.mr[1], &r.mr[2], &r.mr[3] };

        for (size_t i = 0; i < 5 && 8 * i < n; i++)
                *words[i] = pack8(s + 8 * i, n - 8 * i);
        mku_syscall(&r);
        return (int)r.nr;
}

int mku_debug_put(const char *s, size_t n)
{
        size_t chunk;
        int r;

        while (n > 0) {
                chunk = n < MK_DEBUG_PUT_MAX ? n : MK_DEBUG_PUT_MAX;
                r = put_chunk(s, chunk);
                if (r != MK_OK)
                        return r;
                s += chunk;
                n -= chunk;
        }
        return MK_OK;
}

int mku_invoke(uint64_t cptr, uint64_t label, unsigned n, const uint64_t *mr,
               uint64_t *ret_mr0)
{
        struct mk_regs r = { .nr = MK_SYS_CALL, .cptr = cptr };

        if (n > MK_MSG_MAX)
                return MK_E_RANGE;
        r.info = mk_info(label, 0, n);
        for (unsigned i = 0; i < n; i++) {
                if (i < MK_MSG_REG_MRS)
                        r.mr[i] = mr[i];
                else
                        mku_ipcbuf->mr[i] = mr[i];
        }
        mku_syscall(&r);
        if (r.nr == MK_OK && ret_mr0)
                *ret_mr0 = r.mr[0];
        return (int)r.nr;
}
