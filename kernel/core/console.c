/* kernel/core/console.c: MK_SYS_DEBUG_PUT, output through a DebugConsole
 * capability. The boot cap (badge 0, the root task's) writes its bytes as
 * they are: the root task prints its own `thatte-root: ` lines. A badged
 * cap (minted by whoever holds one; a badge is set once, so it never turns
 * back into the raw cap) writes only whole prefixed lines: the kernel
 * starts every line it writes with `thatte-user[BADGE]: ` and replaces
 * control bytes, so no such line can pass for a kernel (`thatte-mk:`) or
 * root task (`thatte-root:`) line. The console remembers whose line is
 * open: another writer, or the kernel's own log (mk_console_break), ends
 * it first, so nobody continues a line someone else began.
 *
 * A write is restartable (seL4's restartable operations): it goes out in
 * steps of at most MK_CON_STEP bytes on the wire, each only as much as the
 * UART takes without waiting (k->arch->debug_room), with a preemption
 * point after each. A preempted write leaves the bytes still to go in the
 * thread's own registers (info, reply, mr0..3, as if it had asked for
 * just those), so the kernel keeps nothing per thread and a thread whose
 * registers someone rewrites between two steps simply asks for something
 * else. How far the open line's prefix got is the console's: if anybody
 * else speaks between two steps, the line is ended and the next step
 * starts a new one, prefix and all. The kernel's own log (the arch
 * layer's, and mk_console_break's newline) stays synchronous: it is the
 * kernel's, bounded by its own text. */
#include "kernel.h"

/* Bytes on the wire per step: one 16550A transmit FIFO. */
#define MK_CON_STEP 16u

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

/* "thatte-user[BADGE]: " with the badge in hex, at most 31 bytes. */
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

/* One step's output: at most room bytes on the wire, where debug_write
 * sends a newline as CR LF. */
struct con_step {
        char buf[MK_CON_STEP];
        unsigned len, wire, room;
};

static bool add(struct con_step *st, char c)
{
        unsigned w = c == '\n' ? 2 : 1;

        if (st->wire + w > st->room)
                return false;
        st->buf[st->len++] = c;
        st->wire += w;
        return true;
}

/* Start the writer's turn: a line another writer left open ends first. */
static bool take_line(struct mk_kernel *k, struct con_step *st, uint64_t badge)
{
        if (!k->con_mid || k->con_badge == badge)
                return true;
        if (!add(st, '\n'))
                return false;
        k->con_mid = 0;
        return true;
}

/* Fill st from byte i of a badged writer's s[0..n); returns the index of
 * the first byte not taken. The prefix may end in one step and its line
 * go on in a later one: k->con_pre says how much of it is out. */
static size_t fill_badged(struct mk_kernel *k, struct con_step *st, uint64_t badge,
                          const char *s, size_t i, size_t n)
{
        char pre[32];
        size_t plen = prefix(badge, pre);
        int c;

        if (!take_line(k, st, badge))
                return i;
        for (; i < n; i++) {
                c = visible((unsigned char)s[i]);
                if (c < 0)
                        continue;
                if (!k->con_mid) {
                        if (st->wire >= st->room)
                                return i;
                        k->con_mid = 1;
                        k->con_badge = badge;
                        k->con_pre = 0;
                }
                for (; k->con_pre < plen; k->con_pre++)
                        if (!add(st, pre[k->con_pre]))
                                return i;
                if (!add(st, (char)c))
                        return i;
                if (c == '\n')
                        k->con_mid = 0;
        }
        return i;
}

/* The raw cap's bytes as they are. */
static size_t fill_raw(struct mk_kernel *k, struct con_step *st, const char *s, size_t i,
                       size_t n)
{
        if (!take_line(k, st, 0))
                return i;
        for (; i < n && add(st, s[i]); i++) {
                k->con_mid = s[i] != '\n';
                k->con_badge = 0;
        }
        return i;
}

/* What the console takes now without waiting, at most one step. */
static unsigned room(struct mk_kernel *k)
{
        size_t r;

        if (!k->arch || !k->arch->debug_room)
                return MK_CON_STEP;
        r = k->arch->debug_room();
        return r < MK_CON_STEP ? (unsigned)r : MK_CON_STEP;
}

/* A preempted write: t's registers ask for s[i..n) only, so its re-run
 * goes on from there (TCB_WRITE_REGISTERS meanwhile asks for whatever it
 * writes). */
static void keep_rest(struct mk_tcb *t, const char *s, size_t i, size_t n)
{
        uint64_t w[5] = { 0 };

        for (size_t j = 0; i + j < n; j++)
                w[j / 8] |= (uint64_t)(unsigned char)s[i + j] << (j % 8 * 8);
        t->regs.info = n - i;
        t->regs.reply = w[0];
        for (unsigned j = 0; j < 4; j++)
                t->regs.mr[j] = w[j + 1];
}

/* Write s[0..n) in steps; MK_OK, or MK_PREEMPTED with the rest in t. */
static int write_steps(struct mk_kernel *k, struct mk_tcb *t, uint64_t badge, const char *s,
                       size_t n)
{
        struct con_step st;
        size_t i = 0;

        while (i < n) {
                st.len = st.wire = 0;
                st.room = room(k);
                i = badge ? fill_badged(k, &st, badge, s, i, n) : fill_raw(k, &st, s, i, n);
                put(k, st.buf, st.len);
                if (st.wire > k->con_step_max)
                        k->con_step_max = st.wire;
                if (i < n && mk_preempt_pending(k)) {
                        keep_rest(t, s, i, n);
                        return MK_PREEMPTED;
                }
        }
        return MK_OK;
}

/* mk_console_invoke: the DebugConsole's method: MK_DEBUG_STRETCH, for
 * the unbadged cap only (the kernel's timing is no badged writer's
 * business): mr0 the longest kernel stretch, mr1 the most bytes one
 * DEBUG_PUT step handed to the console, both since the last call; mr2
 * the clock ticks spent idle since boot and mr3 the clock at this call's
 * entry (what an idle machine costs: tests/bench/mk-idle.sh). Returns
 * MK_OK, MK_E_ILLEGAL_OP or MK_E_INVALID_ARG. */
int mk_console_invoke(struct mk_kernel *k, struct mk_cte *slot, uint64_t label)
{
        if (label != MK_DEBUG_STRETCH)
                return MK_E_INVALID_ARG;
        if (slot->cap.word != 0)
                return MK_E_ILLEGAL_OP;
        mk_set_result(k, 0, k->stretch_max);
        mk_set_result(k, 1, k->con_step_max);
        mk_set_result(k, 2, k->idle_clock);
        mk_set_result(k, 3, k->stretch_t0);     /* this call's entry: no clock read more */
        k->stretch_max = 0;
        k->con_step_max = 0;
        return MK_OK;
}

/* mk_debug_put: MK_SYS_DEBUG_PUT for t: the DebugConsole cap in cptr
 * (with write), info bytes (at most MK_DEBUG_PUT_MAX) packed
 * little-endian in reply and mr[0..3]. Returns MK_OK, a lookup error,
 * MK_E_WRONG_TYPE, MK_E_RIGHTS or MK_E_RANGE (nothing of this run
 * written), or MK_PREEMPTED (the rest left in t's registers). */
int mk_debug_put(struct mk_kernel *k, struct mk_tcb *t)
{
        const uint64_t w[5] = { t->regs.reply, t->regs.mr[0], t->regs.mr[1], t->regs.mr[2],
                                t->regs.mr[3] };
        char s[sizeof(w)];
        struct mk_cte *c;
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
        return write_steps(k, t, c->cap.word, s, (size_t)t->regs.info);
}
