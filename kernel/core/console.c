/* kernel/core/console.c: MK_SYS_DEBUG_PUT, output through a DebugConsole
 * capability. The boot cap (badge 0, the root task's) writes its bytes as
 * they are: the root task prints its own `thatte-root: ` lines. A badged
 * cap (minted by whoever holds one; a badge is set once, so it never turns
 * back into the raw cap) writes only whole prefixed lines: the kernel
 * starts every line it writes with `thatte-user[BADGE]: ` and replaces
 * control bytes, so no such line can pass for a kernel (`thatte-mk:`) or
 * root task (`thatte-root:`) line. The console remembers whose line is
 * open: another writer, or the kernel's own log (mk_console_break), ends
 * it first, so nobody continues a line someone else began. */
#include "kernel.h"

static void put(struct mk_kernel *k, const char *s, size_t n)
{
        if (k->arch && k->arch->debug_write)
                k->arch->debug_write(s, n);
}

void mk_console_break(struct mk_kernel *k)
{
        if (k->con_mid)
                put(k, "\n", 1);
        k->con_mid = 0;
}

/* "thatte-user[BADGE]: " with the badge in hex, at most 35 bytes. */
static size_t prefix(uint64_t badge, char *s)
{
        static const char head[] = "thatte-user[", hex[] = "0123456789abcdef";
        size_t n = sizeof(head) - 1;
        int shift = 60;

        mk_memcpy(s, head, n);
        while (shift > 0 && !(badge >> shift))
                shift -= 4;
        for (; shift >= 0; shift -= 4)
                s[n++] = hex[badge >> shift & 0xf];
        s[n++] = ']';
        s[n++] = ':';
        s[n++] = ' ';
        return n;
}

/* A byte of a badged writer's line as printed: tab and newline pass,
 * carriage return goes (it would move the terminal back over the
 * prefix), other control bytes and everything above ASCII become '?'. */
static int visible(unsigned char c)
{
        if (c == '\r')
                return -1;
        if (c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f))
                return c;
        return '?';
}

static void put_badged(struct mk_kernel *k, uint64_t badge, const char *s, size_t n)
{
        char out[MK_DEBUG_PUT_MAX + 40];
        size_t m = 0;
        int c;

        for (size_t i = 0; i < n; i++) {
                c = visible((unsigned char)s[i]);
                if (c < 0)
                        continue;
                if (!k->con_mid) {
                        put(k, out, m);
                        m = prefix(badge, out);
                        k->con_mid = 1;
                        k->con_badge = badge;
                }
                out[m++] = (char)c;
                if (c == '\n')
                        k->con_mid = 0;
        }
        put(k, out, m);
}

static void put_raw(struct mk_kernel *k, const char *s, size_t n)
{
        if (n == 0)
                return;
        put(k, s, n);
        k->con_mid = s[n - 1] != '\n';
        k->con_badge = 0;
}

/* mk_console_invoke: the DebugConsole's method: MK_DEBUG_STRETCH, for
 * the unbadged cap only (the kernel's timing is no badged writer's
 * business). Returns MK_OK, MK_E_ILLEGAL_OP or MK_E_INVALID_ARG. */
int mk_console_invoke(struct mk_kernel *k, struct mk_cte *slot, uint64_t label)
{
        if (label != MK_DEBUG_STRETCH)
                return MK_E_INVALID_ARG;
        if (slot->cap.word != 0)
                return MK_E_ILLEGAL_OP;
        mk_set_result(k, 0, k->stretch_max);
        k->stretch_max = 0;
        return MK_OK;
}

/* mk_debug_put: MK_SYS_DEBUG_PUT for t: the DebugConsole cap in cptr
 * (with write), info bytes (at most MK_DEBUG_PUT_MAX) packed
 * little-endian in reply and mr[0..3]. Returns MK_OK, a lookup error,
 * MK_E_WRONG_TYPE, MK_E_RIGHTS or MK_E_RANGE; nothing is written on
 * error. */
int mk_debug_put(struct mk_kernel *k, struct mk_tcb *t)
{
        const uint64_t w[5] = { t->regs.reply, t->regs.mr[0], t->regs.mr[1], t->regs.mr[2],
                                t->regs.mr[3] };
        char s[sizeof(w)];
        struct mk_cte *c;
        uint64_t badge;
        int r;

        r = mk_lookup_cap(t, t->regs.cptr, &c);
        if (r != MK_OK)
                return r;
        if (c->cap.type != MK_OBJ_DEBUG_CONSOLE)
                return MK_E_WRONG_TYPE;
        if (!(c->cap.rights & MK_RIGHT_WRITE))
                return MK_E_RIGHTS;
        if (t->regs.info > MK_DEBUG_PUT_MAX)
                return MK_E_RANGE;
        for (unsigned i = 0; i < t->regs.info; i++)
                s[i] = (char)(w[i / 8] >> (i % 8 * 8));
        badge = c->cap.word;
        if (k->con_mid && k->con_badge != badge)
                mk_console_break(k);
        if (badge)
                put_badged(k, badge, s, (size_t)t->regs.info);
        else
                put_raw(k, s, (size_t)t->regs.info);
        return MK_OK;
}
