/* tests/kernel/console.c: MK_SYS_DEBUG_PUT through DebugConsole caps: no
 * output without one, the raw boot cap, badged copies whose every line
 * the kernel prefixes (also when written in pieces or interleaved with
 * other writers and the kernel's own lines), the badge set once, control
 * bytes neutralised, and the error codes. */
#include "kt.h"

static char out[4096];
static size_t out_len;

static void debug_write(const char *s, size_t n)
{
        if (out_len + n <= sizeof(out) - 1)
                memcpy(out + out_len, s, n);
        out_len += n;
        out[out_len < sizeof(out) ? out_len : sizeof(out) - 1] = 0;
}

static void is_str(const char *got, const char *want, const char *what)
{
        if (!ok(strcmp(got, want) == 0, "%s", what))
                tap_diag("got \"%s\", want \"%s\"", got, want);
}

static uint64_t ticks;

static uint64_t clock_tick(void)
{
        return ticks += 10;
}

static const struct mk_arch_ops ops = { .debug_write = debug_write, .clock = clock_tick };

/* DEBUG_PUT with length n (may exceed the limit) of the m bytes at s
 * (at most 40) through cap as thread t; returns its result. */
static uint64_t put_bytes(struct mk_tcb *t, uint64_t cap, const void *s, size_t m, uint64_t n)
{
        uint64_t w[5] = { 0 };

        memcpy(w, s, m < sizeof(w) ? m : sizeof(w));
        t->regs.nr = MK_SYS_DEBUG_PUT;
        t->regs.cptr = cap;
        t->regs.info = n;
        t->regs.reply = w[0];
        memcpy(t->regs.mr, w + 1, sizeof(t->regs.mr));
        mk_syscall(&kt_k);
        return t->regs.nr;
}

/* The same with the bytes of s (strlen(s) + 1 of them at most). */
static uint64_t put(struct mk_tcb *t, uint64_t cap, const char *s, uint64_t n)
{
        size_t m = strlen(s) + 1;

        return put_bytes(t, cap, s, m < n ? m : (size_t)n, n);
}

static uint64_t puts_(struct mk_tcb *t, uint64_t cap, const char *s)
{
        return put(t, cap, s, strlen(s));
}

static void reset(void)
{
        out_len = 0;
        out[0] = 0;
}

static uint64_t mint(uint64_t src, uint64_t rights, uint64_t badge)
{
        uint64_t dst = kt_next++;

        if (kt_inv(KT_CNODE, MK_CNODE_MINT, 6, dst, (uint64_t)64, src, (uint64_t)64, rights,
                   badge) != MK_OK)
                return 0;
        return dst;
}

static void error_checks(struct mk_tcb *root, uint64_t con)
{
        uint64_t ep = kt_new(MK_OBJ_ENDPOINT, 0, 1), ro = mint(con, MK_RIGHT_READ, 0);

        reset();
        is_int(puts_(root, kt_next + 5, "x"), MK_E_INVALID_CAP, "empty slot: invalid cap");
        is_int(puts_(root, ep, "x"), MK_E_WRONG_TYPE, "an endpoint is no console");
        is_int(puts_(root, KT_CNODE, "x"), MK_E_WRONG_TYPE, "nor is a CNode");
        is_int(puts_(root, ro, "x"), MK_E_RIGHTS, "a console cap without write");
        is_int(put(root, con, "x", MK_DEBUG_PUT_MAX + 1), MK_E_RANGE, "41 bytes refused");
        is_int(put(root, con, "x", UINT64_MAX), MK_E_RANGE, "huge length refused");
        is_int(out_len, 0, "nothing written on error");
        is_int(kt_inv(con, MK_UNTYPED_RETYPE, 0), MK_E_INVALID_ARG, "a console has one method");
        is_int(kt_inv(kt_ut, MK_UNTYPED_RETYPE, 5, (uint64_t)MK_OBJ_DEBUG_CONSOLE, (uint64_t)0,
                      (uint64_t)KT_CNODE, kt_next, (uint64_t)1),
               MK_E_INVALID_ARG, "retype makes no console");
}

static void raw_checks(struct mk_tcb *root, uint64_t con)
{
        const char text[] = "thatte-root: forty bytes from the root!\n";
        uint64_t copy = mint(con, MK_RIGHTS_ALL, 0);

        reset();
        kt_k.arch = NULL;
        is_int(puts_(root, con, "lost"), MK_OK, "no arch ops: accepted, nowhere to go");
        kt_k.arch = &ops;
        is_int(put(root, con, text, 40), MK_OK, "40 bytes through the boot cap");
        ok(out_len == 40 && memcmp(out, text, 40) == 0, "written raw, in order reply, mr0..mr3");
        is_int(puts_(root, copy, "thatte-root: "), MK_OK, "an unbadged copy writes");
        is_int(puts_(root, con, "ready\n"), MK_OK, "and the line goes on");
        ok(strcmp(out + 40, "thatte-root: ready\n") == 0, "unbadged caps write raw");
        is_int(put(root, con, "", 0), MK_OK, "0 bytes");
        is_int(kt_inv(con, MK_DEBUG_STRETCH, 0), MK_OK, "the kernel stretch");
        ok(kt_k.cur->regs.mr[0] == 10 && mk_info_len(kt_k.cur->regs.info) == 4,
           "mr0: the longest entry since boot (one clock step here)");
        ok(mk_get_mr(kt_k.cur, 2) == 0 && mk_get_mr(kt_k.cur, 3) == ticks - 10,
           "mr2: no idle ticks here; mr3: the clock at the call's entry");
        is_int(kt_k.cur->regs.mr[1], 16, "mr1: the most bytes one step wrote (40 went in steps)");
        ok(kt_k.stretch_max == 10, "reset, then this call's own entry counted");
        is_int(kt_k.con_step_max, 0, "the step count reset too");
}

static void badge_checks(struct mk_tcb *root, uint64_t con)
{
        uint64_t a = mint(con, MK_RIGHT_WRITE, 0x2a), b = mint(con, MK_RIGHTS_ALL, 7);
        uint64_t a2 = mint(a, MK_RIGHTS_ALL, 0);

        ok(a && b && a2, "badged copies minted");
        is_int(kt_inv(KT_CNODE, MK_CNODE_MINT, 6, kt_next, (uint64_t)64, a, (uint64_t)64,
                      (uint64_t)MK_RIGHTS_ALL, (uint64_t)1),
               MK_E_ILLEGAL_OP, "a badge is set once: no other badge");
        is_int(kt_slot(a2)->cap.word, 0x2a, "minting with badge 0 keeps it: never raw again");
        is_int(kt_inv(a, MK_DEBUG_STRETCH, 0), MK_E_ILLEGAL_OP, "no timing for a badged cap");

        reset();
        is_int(puts_(root, a, "thatte-mk: panic: fake\n"), MK_OK, "a badged write");
        is_str(out, "thatte-user[2a]: thatte-mk: panic: fake\n", "the kernel's prefix first");
        reset();
        (void)puts_(root, a, "\n");
        (void)puts_(root, a, " thatte-root");
        (void)puts_(root, a2, ": ready\nthatte-root: x\n");
        is_str(out, "thatte-user[2a]: \nthatte-user[2a]:  thatte-root: ready\n"
                    "thatte-user[2a]: thatte-root: x\n",
               "a prefix at every line start, however the line is cut");
        reset();
        (void)puts_(root, a, "abc");
        (void)puts_(root, b, "def\n");
        (void)puts_(root, con, "thatte-root: r\n");
        is_str(out, "thatte-user[2a]: abc\nthatte-user[7]: def\nthatte-root: r\n",
               "another writer ends an open line first");
        reset();
        (void)puts_(root, con, "thatte-root: ");
        (void)puts_(root, b, "ready\n");
        is_str(out, "thatte-root: \nthatte-user[7]: ready\n",
               "nobody finishes the root's open line");
        reset();
        (void)puts_(root, a, "half");
        mk_console_break(&kt_k);
        mk_console_break(&kt_k);
        (void)puts_(root, a, "x\n");
        is_str(out, "thatte-user[2a]: half\nthatte-user[2a]: x\n",
               "the kernel's own line ends an open one, once");
        reset();
        (void)put(root, b, "a\rb\x1b[2Kc\x7f\xff\td\n", 13);
        is_str(out, "thatte-user[7]: ab?[2Kc??\td\n", "control bytes neutralised, CR dropped");
        reset();
        (void)puts_(root, b, "\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n");
        is_int(out_len, 40 * 17, "40 empty lines: 40 prefixes, bounded");
        mk_console_break(&kt_k);
}

/* ---- bounded steps: a 16550A-like UART and interrupts on demand ---- */

static unsigned uart_depth;     /* what the UART takes once it drained */
static unsigned uart_free;      /* what it takes now */
static unsigned uart_full;      /* polls that still find it full ... */
static unsigned uart_one;       /* ... then with one byte free */
static unsigned uart_polls, uart_overrun, uart_write_max;
static unsigned pending_every, pending_calls;

static size_t uart_room(void)
{
        uart_polls++;
        if (uart_full) {
                uart_full--;
                uart_free = 0;
        } else if (uart_one) {
                uart_one--;
                uart_free = 1;
        } else {
                uart_free = uart_depth;         /* it drained while the kernel polled */
        }
        return uart_free;
}

/* Bytes on the wire (a newline goes out as CR LF) beyond what the UART
 * said it takes are an overrun: a real one would have made the CPU wait. */
static void uart_write(const char *s, size_t n)
{
        unsigned wire = (unsigned)n;

        for (size_t i = 0; i < n; i++)
                wire += s[i] == '\n';
        if (wire > uart_write_max)
                uart_write_max = wire;
        uart_overrun += wire > uart_free ? wire - uart_free : 0;
        uart_free = wire > uart_free ? 0 : uart_free - wire;
        debug_write(s, n);
}

/* "An interrupt waits" at every pending_every-th preemption point. */
static bool irq_pending(void)
{
        pending_calls++;
        return pending_every && pending_calls % pending_every == 0;
}

static const struct mk_arch_ops step_ops = { .debug_write = uart_write, .debug_room = uart_room,
                                             .irq_pending = irq_pending, .clock = clock_tick };

static void uart(unsigned depth, unsigned full, unsigned one, unsigned every)
{
        uart_depth = depth;
        uart_full = full;
        uart_one = one;
        pending_every = every;
        uart_free = uart_polls = uart_overrun = uart_write_max = pending_calls = 0;
        reset();
}

/* The running thread runs its preempted DEBUG_PUT again, as it does after
 * each interrupt, until it ends (or runs times); returns its result. */
static uint64_t rerun(unsigned runs)
{
        for (unsigned i = 0; kt_k.preempted && i < runs; i++)
                mk_syscall(&kt_k);
        return kt_k.cur->regs.nr;
}

/* The same for a thread back after others ran (whose syscalls cleared
 * kt_k.preempted): it runs its syscall again at least once. */
static uint64_t resume(unsigned runs)
{
        mk_syscall(&kt_k);
        return rerun(runs);
}

/* A DEBUG_PUT of s (strlen) and its re-runs; *ret_runs counts them. */
static uint64_t put_all(struct mk_tcb *t, uint64_t cap, const char *s, unsigned *ret_runs)
{
        unsigned runs = 1;

        (void)puts_(t, cap, s);
        for (; kt_k.preempted && runs < 100000; runs++)
                mk_syscall(&kt_k);
        if (ret_runs)
                *ret_runs = runs;
        return t->regs.nr;
}

/* Timer ticks until t runs (root, A and B share a priority). */
static bool run_as(struct mk_tcb *t)
{
        for (unsigned i = 0; kt_k.cur != t && i < 10 * MK_TIMESLICE_TICKS; i++)
                mk_timer_tick(&kt_k);
        return kt_k.cur == t;
}

/* The kernel's own log line: synchronous, after mk_console_break. */
static void kernel_log(const char *line)
{
        mk_console_break(&kt_k);
        uart_free = uart_depth;
        uart_write(line, strlen(line));
}

/* The bytes of t's preempted write still to go, from its registers. */
static void rest_of(const struct mk_tcb *t, char *rest)
{
        const uint64_t w[5] = { t->regs.reply, t->regs.mr[0], t->regs.mr[1], t->regs.mr[2],
                                t->regs.mr[3] };

        memcpy(rest, w, sizeof(w));
        rest[t->regs.info <= 40 ? t->regs.info : 40] = 0;
}

static void step_limit_checks(struct mk_tcb *root, uint64_t con)
{
        uint64_t top = mint(con, MK_RIGHT_WRITE, ~0ull);
        const char raw[] = "thatte-root: forty bytes, one at a time\n";
        char lines[41], want[2048];
        unsigned runs;

        memset(lines, '\n', 40);
        lines[40] = 0;
        want[0] = 0;
        for (unsigned i = 0; i < 40; i++)
                strcat(want, "thatte-user[ffffffffffffffff]: \n");
        uart(16, 0, 0, 0);
        kt_k.con_step_max = 0;
        is_int(put_all(root, top, lines, &runs), MK_OK, "40 empty lines through the longest badge");
        is_str(out, want, "all 40 prefixed lines out");
        ok(runs == 1 && uart_overrun == 0 && uart_write_max == 16 && kt_k.con_step_max == 16,
           "in one run, no step past the UART's 16 bytes (runs %u, overrun %u, most %u)", runs,
           uart_overrun, uart_write_max);
        ok(pending_calls >= 40 * 33 / 16, "a preemption point after every step (%u)", pending_calls);
        is_int(kt_inv(con, MK_DEBUG_STRETCH, 0), MK_OK, "the kernel stretch");
        is_int(root->regs.mr[1], 16, "mr1: at most 16 bytes on the wire in one step");
        uart(64, 0, 0, 0);
        is_int(put_all(root, top, lines, &runs), MK_OK, "the same to a UART taking 64 bytes");
        ok(strcmp(out, want) == 0 && uart_write_max == 16, "still 16 bytes a step at most");
        uart(16, 0, 0, 0);
        is_int(put_all(root, con, raw, &runs), MK_OK, "40 raw bytes");
        is_str(out, raw, "out as they were");

        uart(16, 1000, 0, 0);
        is_int(put_all(root, top, "full\n", &runs), MK_OK, "a UART full for 1000 polls");
        ok(runs == 1 && uart_polls > 1000 && pending_calls >= 1000,
           "no interrupt: polled on, a preemption point at each poll (%u polls)", uart_polls);
        is_str(out, "thatte-user[ffffffffffffffff]: full\n", "then written");
        uart(16, 0, 40, 0);
        is_int(put_all(root, top, "\n\n\n", &runs), MK_OK, "a UART with one byte free, 40 polls");
        ok(uart_overrun == 0 && out_len == 3 * 32, "a newline waits for room for its CR LF");

        uart(16, 50, 0, 10);
        is_int(puts_(root, top, "late\n"), MK_SYS_DEBUG_PUT, "full, and an interrupt waits");
        ok(kt_k.preempted && out_len == 0 && root->regs.info == 5 &&
           memcmp(&root->regs.reply, "late\n", 5) == 0, "preempted: nothing out, the request kept");
        is_int(rerun(1000), MK_OK, "its re-runs end it");
        is_str(out, "thatte-user[ffffffffffffffff]: late\n", "written once");
        kt_k.arch = &ops;
}

/* A 40-byte line through a cap with badge 2a, 5 bytes a step and an
 * interrupt at each: the registers ask for less and less. */
static void restart_checks(struct mk_tcb *root, uint64_t a)
{
        const char line[] = "0123456789abcdefghijklmnopqrstuvwxyzAB\n";
        uint64_t last = 41;
        unsigned runs = 1;
        bool shrinks = true;
        char rest[41];

        kt_k.arch = &step_ops;
        uart(5, 0, 0, 1);
        (void)puts_(root, a, line);
        is_str(out, "thatt", "the first step: 5 bytes of the prefix");
        is_int(root->regs.info, 39, "no byte of the line yet");
        for (; kt_k.preempted && runs < 1000; runs++) {
                shrinks &= root->regs.info <= last && root->regs.info > 0;
                last = root->regs.info;
                rest_of(root, rest);
                shrinks &= strcmp(rest, line + 39 - last) == 0;
                mk_syscall(&kt_k);
        }
        is_int(root->regs.nr, MK_OK, "the write ends");
        ok(shrinks && runs >= (17 + 41) / 5, "after %u runs, each asking for the rest of the line", runs);
        is_str(out, "thatte-user[2a]: 0123456789abcdefghijklmnopqrstuvwxyzAB\n", "out once, whole");
        ok(uart_overrun == 0 && uart_write_max <= 5, "never more than 5 bytes a step");
        kt_k.arch = &ops;
}

/* A writes line through a, 16 bytes a step, preempted after steps of
 * them; returns how many of its bytes are out (0: not preempted). */
static size_t cut(struct mk_tcb *A, uint64_t a, const char *line, unsigned steps)
{
        uart(16, 0, 0, 1);
        (void)puts_(A, a, line);
        (void)rerun(steps - 1);
        return kt_k.preempted ? strlen(line) - A->regs.info : 0;
}

/* What the console shows when A's line (badge 2a) was cut after done
 * bytes and between was written before its rest. */
static const char *cut_want(char *want, const char *line, size_t done, const char *between)
{
        sprintf(want, "thatte-user[2a]: %.*s\n%sthatte-user[2a]: %s", (int)done, line, between,
                line + done);
        return want;
}

/* Thread A writes through a (badge 2a) and is preempted mid-line (or
 * mid-prefix with room 5); then B (badge 7) or the kernel's log speaks;
 * then A goes on: its line was ended, its rest starts a new one, prefix
 * and all. */
static void interleave_checks(struct mk_tcb *A, struct mk_tcb *B, uint64_t a, uint64_t b)
{
        const char line[] = "A's line, cut by whoever speaks between\n";
        const char *const first = "thatte-user[2a]:\nthatte-user[7]: \n"
                                  "thatte-user[2a]: A writes on and on";
        char want[512], rest[41];
        size_t done;

        kt_k.arch = &step_ops;
        ok(run_as(A), "thread A runs");
        done = cut(A, a, line, 2);
        ok(done == 15, "A preempted with part of its line out");
        ok(run_as(B), "B runs");
        pending_every = 0;
        is_int(puts_(B, b, "B speaks\n"), MK_OK, "B writes");
        ok(run_as(A), "A again");
        is_int(resume(1000), MK_OK, "A's write ends");
        is_str(out, cut_want(want, line, done, "thatte-user[7]: B speaks\n"),
               "B's line on its own, A's rest under a new prefix");

        done = cut(A, a, line, 3);
        ok(done == 31, "A preempted mid-line again");
        kernel_log("thatte-mk: a kernel line\n");
        is_int(rerun(1000), MK_OK, "A goes on after the kernel's line");
        is_str(out, cut_want(want, line, done, "thatte-mk: a kernel line\n"),
               "the kernel's line ended A's, A's rest prefixed again");

        uart(5, 0, 0, 1);
        (void)puts_(A, a, line);
        ok(kt_k.preempted && strcmp(out, "thatt") == 0, "A preempted inside its prefix");
        ok(run_as(B), "B runs");
        pending_every = 0;
        (void)puts_(B, b, "x\n");
        ok(run_as(A), "A again");
        pending_every = 1;
        is_int(resume(1000), MK_OK, "A's write ends");
        is_str(out, "thatt\nthatte-user[7]: x\nthatte-user[2a]: A's line, cut by whoever speaks"
                    " between\n", "a cut prefix is no marker, and the whole prefix comes again");
        ok(uart_overrun == 0, "no step past the UART's room");

        uart(16, 0, 0, 1);
        (void)puts_(A, a, "A writes on and on");
        rest_of(A, rest);
        ok(kt_k.preempted && strcmp(rest, "A writes on and on") == 0 && out_len == 16,
           "A preempted after one step (the prefix), all its bytes still to go");
        ok(run_as(B), "B runs");
        pending_every = 0;
        (void)puts_(B, b, "\n");
        ok(run_as(A), "A again");
        is_int(resume(1000), MK_OK, "A ends");
        is_str(out, first, "even a line of only A's prefix is ended first");
        ok(run_as(B), "B runs");
        (void)puts_(B, b, "!\n");
        is_str(out + strlen(first), "\nthatte-user[7]: !\n", "and A's open line is ended for B");
        kt_k.arch = &ops;
}

/* What others do to A between two steps: rewrite its registers (a fault
 * handler, TCB_WRITE_REGISTERS), give it an IPC buffer and take it away
 * again (the bytes travel in registers, the buffer is never read), delete
 * the cap it writes through. */
static void meddle_checks(struct mk_tcb *root, struct mk_tcb *A, uint64_t a, uint64_t b,
                          uint64_t tcb_a)
{
        uint64_t fr = kt_new(MK_OBJ_FRAME, 12, 1), ep = kt_new(MK_OBJ_ENDPOINT, 0, 1);
        uint64_t a2 = mint(a, MK_RIGHTS_ALL, 0);

        kt_k.arch = &step_ops;
        ok(fr && ep && a2 && run_as(A), "a frame, an endpoint, A runs");
        uart(16, 0, 0, 1);
        (void)puts_(A, a, "changed registers, a ");
        ok(kt_k.preempted, "A preempted");
        A->regs.info = MK_DEBUG_PUT_MAX + 1;
        is_int(resume(0), MK_E_RANGE, "its length rewritten past 40: refused");
        A->regs.nr = MK_SYS_DEBUG_PUT;
        A->regs.info = 3;
        A->regs.cptr = ep;
        is_int(resume(0), MK_E_WRONG_TYPE, "its cap rewritten to an endpoint: refused");
        pending_every = 0;
        is_int(puts_(A, a, "fresh\n"), MK_OK, "new bytes through the same badge");
        is_str(out, "thatte-user[2a]: fresh\n", "they go on A's open line, whose prefix is out");

        uart(16, 0, 0, 1);
        (void)puts_(A, a, "buffers come and go under me\n");
        ok(kt_k.preempted && run_as(root), "A preempted, the root runs");
        is_int(kt_inv(tcb_a, MK_TCB_SET_IPC_BUFFER, 2, (uint64_t)0x10000, fr), MK_OK,
               "the root gives A an IPC buffer");
        ok(run_as(A), "A again");
        (void)resume(0);
        ok(kt_k.preempted && run_as(root), "A preempted again");
        is_int(kt_inv(KT_CNODE, MK_CNODE_REVOKE, 2, fr, (uint64_t)64), MK_OK,
               "the root revokes the frame: A's buffer is gone");
        ok(A->ipcbuf == &A->buf && run_as(A), "A runs without one");
        is_int(resume(1000), MK_OK, "its write ends");
        is_str(out, "thatte-user[2a]: buffers come and go under me\n", "whole, once");

        uart(16, 0, 0, 1);
        (void)puts_(A, a2, "my cap goes away");
        ok(kt_k.preempted && run_as(root), "A preempted writing through a copy");
        is_int(kt_inv(KT_CNODE, MK_CNODE_DELETE, 2, a2, (uint64_t)64), MK_OK, "the root deletes it");
        ok(run_as(A), "A again");
        is_int(resume(0), MK_E_INVALID_CAP, "its re-run: no cap, nothing more written");
        ok(run_as(root), "the root runs");
        pending_every = 0;
        (void)puts_(root, b, "next\n");
        is_str(out, "thatte-user[2a]:\nthatte-user[7]: next\n",
               "A's cut line is ended before another writer's");
        kt_k.arch = &ops;
}

/* Every byte value through a badged cap, 40 at a time, 3 bytes a step
 * and an interrupt at every other point: what comes out is the rule's. */
static void all_bytes_checks(struct mk_tcb *root, uint64_t b)
{
        static char want[4096];
        unsigned char bytes[256];
        size_t w = 0;
        bool line = false, ends = true;

        kt_k.arch = &step_ops;
        uart(3, 0, 0, 2);
        for (unsigned i = 0; i < 256; i++) {
                bytes[i] = (unsigned char)i;
                if (i == '\r')
                        continue;
                if (!line)
                        w += (size_t)sprintf(want + w, "thatte-user[7]: ");
                want[w++] = i == '\n' || i == '\t' || (i >= 0x20 && i < 0x7f) ? (char)i : '?';
                line = i != '\n';
        }
        want[w++] = '\n';
        want[w] = 0;
        for (unsigned i = 0; i < 256; i += 40) {
                (void)put_bytes(root, b, bytes + i, 256 - i < 40 ? 256 - i : 40,
                                256 - i < 40 ? 256 - i : 40);
                ends &= rerun(100000) == MK_OK;
        }
        pending_every = 0;
        ends &= puts_(root, b, "\n") == MK_OK;
        ok(ends, "all writes end");
        is_str(out, want, "every byte: CR dropped, tab and newline kept, the rest '?' or as is");
        ok(uart_overrun == 0 && uart_write_max <= 3, "3 bytes a step at most");
        kt_k.arch = &ops;
}

/* The root's raw line, preempted, then a badged writer: the root's line
 * ends, its rest is a line of its own (raw, as the root wrote it). */
static void raw_cut_checks(struct mk_tcb *root, struct mk_tcb *B, uint64_t con, uint64_t b)
{
        const char line[] = "thatte-root: a long line the root wrote\n";
        size_t done;

        kt_k.arch = &step_ops;
        ok(run_as(root), "the root runs");
        uart(16, 0, 0, 1);
        (void)puts_(root, con, line);
        done = 40 - root->regs.info;
        ok(kt_k.preempted && done == 16, "the root preempted after 16 bytes");
        ok(run_as(B), "B runs");
        pending_every = 0;
        (void)puts_(B, b, "thatte-root: ready\n");
        ok(run_as(root), "the root again");
        is_int(resume(1000), MK_OK, "its write ends");
        is_str(out, "thatte-root: a l\nthatte-user[7]: thatte-root: ready\nong line the root wrote\n",
               "B's line is B's, prefixed; the root's rest goes on raw");
        kt_k.arch = &ops;
}

/* Threads A and B at the root's priority, sharing its CSpace. */
static void step_checks(struct mk_tcb *root, uint64_t con)
{
        uint64_t a = mint(con, MK_RIGHT_WRITE, 0x2a), b = mint(con, MK_RIGHT_WRITE, 7);
        uint64_t ta = kt_thread(254), tb = kt_thread(254);

        ok(a && b && ta && tb, "caps with badges 2a and 7, threads A and B");
        kt_inv(kt_bi.tcb_cptr, MK_TCB_SET_PRIORITY, 1, (uint64_t)254);
        kt_inv(ta, MK_TCB_RESUME, 0);
        kt_inv(tb, MK_TCB_RESUME, 0);
        kt_k.arch = &step_ops;
        step_limit_checks(root, con);
        restart_checks(root, a);
        interleave_checks(kt_tcb(ta), kt_tcb(tb), a, b);
        meddle_checks(root, kt_tcb(ta), a, b, ta);
        all_bytes_checks(root, b);
        raw_cut_checks(root, kt_tcb(tb), con, b);
        ok(run_as(root), "the root runs");
        kt_inv(ta, MK_TCB_SUSPEND, 0);
        kt_inv(tb, MK_TCB_SUSPEND, 0);
        mk_console_break(&kt_k);
        reset();
}

int main(void)
{
        struct mk_tcb *root;
        uint64_t con, t;

        kt_boot();
        root = kt_root();
        kt_bi.empty_first = kt_next;
        con = (uint64_t)mk_boot_control_cap(&kt_k, &kt_bi, MK_OBJ_DEBUG_CONSOLE);
        kt_next = kt_bi.empty_first;
        ok(kt_slot(con)->cap.type == MK_OBJ_DEBUG_CONSOLE && kt_slot(con)->cap.word == 0,
           "the boot console cap is unbadged");
        kt_k.arch = &ops;

        error_checks(root, con);
        raw_checks(root, con);
        badge_checks(root, con);
        step_checks(root, con);

        /* A thread with no CSpace at all has no console. */
        t = kt_new(MK_OBJ_TCB, 0, 1);
        kt_inv(t, MK_TCB_SET_PRIORITY, 1, (uint64_t)254);
        kt_inv(kt_bi.tcb_cptr, MK_TCB_SET_PRIORITY, 1, (uint64_t)254);
        kt_inv(t, MK_TCB_RESUME, 0);
        reset();
        ok(kt_k.cur == root, "root still runs");
        (void)kt_sys(root, MK_SYS_YIELD, 0, 0, 0, NULL);
        ok(kt_k.cur == kt_tcb(t), "the thread without CSpace runs");
        is_int(puts_(kt_tcb(t), 1, "thatte-root: ready\n"), MK_E_LOOKUP,
               "it cannot print: lookup fails");
        is_int(out_len, 0, "nothing printed");

        /* Deleting the last console cap: the root has none left. */
        mk_tcb_suspend(&kt_k, kt_tcb(t));
        mk_schedule(&kt_k);
        ok(kt_k.cur == root, "root back");
        is_int(kt_inv(KT_CNODE, MK_CNODE_REVOKE, 2, con, (uint64_t)64), MK_OK, "revoke console");
        is_int(kt_inv(KT_CNODE, MK_CNODE_DELETE, 2, con, (uint64_t)64), MK_OK, "delete it");
        is_int(puts_(root, con, "x"), MK_E_INVALID_CAP, "gone: no output");
        is_int(out_len, 0, "nothing printed");
        return tap_done();
}
