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

/* DEBUG_PUT with length n (may exceed the limit) of the bytes of s
 * (strlen(s) + 1 of them at most) through cap as thread t; returns its
 * result. */
static uint64_t put(struct mk_tcb *t, uint64_t cap, const char *s, uint64_t n)
{
        uint64_t w[5] = { 0 };
        size_t m = strlen(s) + 1;

        if (m > n)
                m = (size_t)n;
        memcpy(w, s, m < sizeof(w) ? m : sizeof(w));
        t->regs.nr = MK_SYS_DEBUG_PUT;
        t->regs.cptr = cap;
        t->regs.info = n;
        t->regs.reply = w[0];
        memcpy(t->regs.mr, w + 1, sizeof(t->regs.mr));
        mk_syscall(&kt_k);
        return t->regs.nr;
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
        ok(kt_k.cur->regs.mr[0] == 10 && mk_info_len(kt_k.cur->regs.info) == 1,
           "mr0: the longest entry since boot (one clock step here)");
        ok(kt_k.stretch_max == 10, "reset, then this call's own entry counted");
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
