/* tests/kernel/drivers.c: what user-level drivers get: IRQ handler caps
 * from the IRQ control cap, bound to notifications (mk_irq signals them,
 * ACK unmasks the line), and I/O port caps for port ranges whose IN and OUT
 * go through the arch layer. A fake arch ops struct records the calls. */
#include "kt.h"

static int masked[MK_IRQ_COUNT];
static unsigned nmask;
static uint64_t last_port, last_width, last_value, nout;

static void irq_set_masked(unsigned irq, int m)
{
        masked[irq] = m;
        nmask++;
}

static uint32_t port_in(uint16_t port, unsigned width)
{
        last_port = port;
        last_width = width;
        return 0xdeadbeef;
}

static void port_out(uint16_t port, unsigned width, uint32_t value)
{
        last_port = port;
        last_width = width;
        last_value = value;
        nout++;
}

static const struct mk_arch_ops ops = {
        .irq_set_masked = irq_set_masked, .port_in = port_in, .port_out = port_out,
};

static uint64_t del(uint64_t slot)
{
        return kt_inv(KT_CNODE, MK_CNODE_DELETE, 2, slot, (uint64_t)64);
}

static void irqs(uint64_t ctl)
{
        uint64_t h = kt_next++, h2 = kt_next++, ep = kt_new(MK_OBJ_ENDPOINT, 0, 1);
        uint64_t n = kt_new(MK_OBJ_NOTIFICATION, 0, 1), nb = kt_next++, ro = kt_next++, w;
        struct mk_tcb *W, *root = kt_root();
        struct mk_regs *r;

        is_int(kt_inv(ctl, MK_IRQ_CONTROL_GET, 3, (uint64_t)MK_IRQ_COUNT, (uint64_t)KT_CNODE, h),
               MK_E_RANGE, "IRQ beyond MK_IRQ_COUNT");
        is_int(kt_inv(ctl, MK_IRQ_CONTROL_GET, 3, (uint64_t)4, ep, h), MK_E_WRONG_TYPE, "destination not a CNode");
        is_int(kt_inv(ctl, MK_IRQ_CONTROL_GET, 3, (uint64_t)4, (uint64_t)KT_CNODE, (uint64_t)1 << 10),
               MK_E_RANGE, "destination past the CNode");
        is_int(kt_inv(ctl, MK_IRQ_CONTROL_GET, 3, (uint64_t)4, (uint64_t)KT_CNODE, ep), MK_E_DELETE_FIRST,
               "destination slot full");
        is_int(kt_inv(ctl, MK_IRQ_CONTROL_GET, 3, (uint64_t)4, (uint64_t)KT_CNODE, h), MK_OK, "handler for IRQ 4");
        ok(kt_slot(h)->cap.type == MK_OBJ_IRQ_HANDLER && kt_slot(h)->cap.word == 4, "a handler cap for line 4");
        is_int(kt_inv(ctl, MK_IRQ_CONTROL_GET, 3, (uint64_t)4, (uint64_t)KT_CNODE, h2), MK_E_DELETE_FIRST,
               "one handler cap per line");
        is_int(kt_inv(KT_CNODE, MK_CNODE_COPY, 5, h2, (uint64_t)64, h, (uint64_t)64, (uint64_t)MK_RIGHTS_ALL),
               MK_OK, "handler caps may be copied");
        is_int(kt_slot(h2)->cap.word, 4, "the copy names the same line");
        is_int(kt_inv(ctl, 99, 0), MK_E_INVALID_ARG, "unknown control method");
        is_int(kt_inv(h, 99, 0), MK_E_INVALID_ARG, "unknown handler method");

        kt_inv(KT_CNODE, MK_CNODE_MINT, 6, nb, (uint64_t)64, n, (uint64_t)64, (uint64_t)MK_RIGHTS_ALL, (uint64_t)0x10);
        kt_inv(KT_CNODE, MK_CNODE_COPY, 5, ro, (uint64_t)64, n, (uint64_t)64, (uint64_t)MK_RIGHT_READ);
        is_int(kt_inv(h, MK_IRQ_HANDLER_SET_NOTIFICATION, 1, ep), MK_E_WRONG_TYPE, "not a notification");
        is_int(kt_inv(h, MK_IRQ_HANDLER_SET_NOTIFICATION, 1, ro), MK_E_RIGHTS, "notification cap needs write");
        masked[4] = 1;
        is_int(kt_inv(h2, MK_IRQ_HANDLER_SET_NOTIFICATION, 1, nb), MK_OK, "bind line 4 to the notification");
        ok(kt_k.irq_ntfn[4].cap.type == MK_OBJ_NOTIFICATION && kt_k.irq_ntfn[4].cap.word == 0x10,
           "the kernel holds a copy of the badged cap");
        is_int(masked[4], 0, "and the line is unmasked");

        /* a driver thread waits; the interrupt wakes it */
        w = kt_thread(200);
        W = kt_tcb(w);
        kt_inv(w, MK_TCB_RESUME, 0);
        kt_inv(kt_bi.tcb_cptr, MK_TCB_SET_PRIORITY, 1, (uint64_t)100);
        ok(kt_k.cur == W, "the driver thread runs");
        kt_sys(W, MK_SYS_RECV, n, 0, 0, NULL);
        is_int(W->state, MK_TS_BLOCKED_NTFN, "and waits on the notification");
        masked[4] = 1;
        nmask = 0;
        r = mk_irq(&kt_k, 4);
        ok(r == &W->regs && kt_k.cur == W, "the interrupt wakes it, and it preempts");
        ok(W->regs.nr == MK_OK && W->regs.cptr == 0x10, "with the badge");
        ok(nmask == 0 && masked[4] == 1, "the line stays masked");
        is_int(kt_inv(h, MK_IRQ_HANDLER_ACK, 0), MK_OK, "ack");
        is_int(masked[4], 0, "unmasks the line");
        kt_sys(W, MK_SYS_RECV, n, 0, 0, NULL);
        ok(kt_k.cur == root, "driver waits again");
        ok(mk_irq(&kt_k, 5) == &root->regs && mk_irq(&kt_k, 1000) == &root->regs, "unbound or bad lines: nothing");
        mk_irq(&kt_k, 4);
        ok(kt_k.cur == W, "a second interrupt");
        kt_sys(W, MK_SYS_RECV, n, 0, 0, NULL);
        is_int(kt_inv(h, MK_IRQ_HANDLER_CLEAR, 0), MK_OK, "clear");
        ok(kt_k.irq_ntfn[4].cap.type == MK_OBJ_NULL && masked[4] == 1, "binding gone, line masked");
        mk_irq(&kt_k, 4);
        ok(kt_k.cur == root && W->state == MK_TS_BLOCKED_NTFN, "an interrupt after clear signals nothing");

        kt_inv(h, MK_IRQ_HANDLER_SET_NOTIFICATION, 1, nb);
        is_int(del(h), MK_OK, "delete one handler cap");
        ok(kt_k.irq_ntfn[4].cap.type == MK_OBJ_NOTIFICATION && masked[4] == 0, "the copy keeps the binding");
        is_int(del(h2), MK_OK, "delete the last handler cap");
        ok(kt_k.irq_ntfn[4].cap.type == MK_OBJ_NULL && masked[4] == 1, "binding gone, line masked");
        is_int(kt_inv(ctl, MK_IRQ_CONTROL_GET, 3, (uint64_t)4, (uint64_t)KT_CNODE, h), MK_OK,
               "the line can be issued again");
        kt_inv(h, MK_IRQ_HANDLER_SET_NOTIFICATION, 1, nb);
        kt_inv(w, MK_TCB_SUSPEND, 0);
        is_int(del(ctl), MK_OK, "delete the control cap");
        ok(kt_slot(h)->cap.type == MK_OBJ_NULL && kt_k.irq_ntfn[4].cap.type == MK_OBJ_NULL && masked[4] == 1,
           "its handler caps went with it");
}

static void ioports(uint64_t ctl)
{
        uint64_t p = kt_next++, narrow = kt_next++, bad = kt_next++;
        struct mk_tcb *root = kt_root();

        is_int(kt_inv(ctl, MK_IOPORT_CONTROL_ISSUE, 4, (uint64_t)0x3ff, (uint64_t)0x3f8, (uint64_t)KT_CNODE, p),
               MK_E_RANGE, "first after last");
        is_int(kt_inv(ctl, MK_IOPORT_CONTROL_ISSUE, 4, (uint64_t)0x3f8, (uint64_t)0x10000, (uint64_t)KT_CNODE, p),
               MK_E_RANGE, "port beyond 0xffff");
        is_int(kt_inv(ctl, MK_IOPORT_CONTROL_ISSUE, 4, (uint64_t)0x3f8, (uint64_t)0x3ff, (uint64_t)KT_CNODE, p),
               MK_OK, "issue COM1's ports");
        ok(kt_slot(p)->cap.type == MK_OBJ_IOPORT && kt_slot(p)->cap.word == (0x3f8 | 0x3ff << 16), "range in the cap");

        kt_k.arch = NULL;
        is_int(kt_inv(p, MK_IOPORT_IN, 2, (uint64_t)0x3fd, (uint64_t)1), MK_OK, "in without arch ops");
        ok(root->regs.mr[0] == 0 && root->regs.info == mk_info(0, 0, 1), "reads 0, one result word");
        kt_k.arch = &ops;
        is_int(kt_inv(p, MK_IOPORT_IN, 2, (uint64_t)0x3fd, (uint64_t)3), MK_E_INVALID_ARG, "width 3");
        is_int(kt_inv(p, MK_IOPORT_IN, 2, (uint64_t)0x3f7, (uint64_t)1), MK_E_RANGE, "port below the range");
        is_int(kt_inv(p, MK_IOPORT_IN, 2, (uint64_t)0x3fe, (uint64_t)4), MK_E_RANGE, "access past the range");
        is_int(root->regs.info, mk_info(0, 0, 0), "errors carry no result");
        is_int(kt_inv(p, MK_IOPORT_IN, 2, (uint64_t)0x3fc, (uint64_t)4), MK_OK, "in, 4 bytes at the end");
        ok(root->regs.mr[0] == 0xdeadbeef && last_port == 0x3fc && last_width == 4, "through port_in");
        is_int(kt_inv(p, MK_IOPORT_IN, 2, (uint64_t)0x3f9, (uint64_t)2), MK_OK, "in, 2 bytes");
        is_int(root->regs.mr[0], 0xbeef, "cut to the width");
        is_int(kt_inv(p, MK_IOPORT_OUT, 3, (uint64_t)0x3f9, (uint64_t)2, (uint64_t)0x12345), MK_OK, "out");
        ok(nout == 1 && last_port == 0x3f9 && last_width == 2 && last_value == 0x2345, "through port_out, cut");
        is_int(kt_inv(p, MK_IOPORT_OUT, 3, (uint64_t)0x400, (uint64_t)1, (uint64_t)0), MK_E_RANGE, "out of range");
        is_int(nout, 1, "not written");

        is_int(kt_inv(KT_CNODE, MK_CNODE_MINT, 6, bad, (uint64_t)64, p, (uint64_t)64, (uint64_t)MK_RIGHTS_ALL,
                      (uint64_t)(0x3f0 | 0x3f9 << 16)), MK_E_RANGE, "mint cannot widen the range");
        is_int(kt_inv(KT_CNODE, MK_CNODE_MINT, 6, narrow, (uint64_t)64, p, (uint64_t)64, (uint64_t)MK_RIGHTS_ALL,
                      (uint64_t)(0x3f8 | 0x3f9 << 16)), MK_OK, "mint a narrower range");
        is_int(kt_inv(narrow, MK_IOPORT_IN, 2, (uint64_t)0x3fa, (uint64_t)1), MK_E_RANGE, "outside the narrower range");
        is_int(kt_inv(narrow, MK_IOPORT_IN, 2, (uint64_t)0x3f8, (uint64_t)2), MK_OK, "inside it");
        is_int(kt_inv(KT_CNODE, MK_CNODE_COPY, 5, bad, (uint64_t)64, ctl, (uint64_t)64, (uint64_t)MK_RIGHTS_ALL),
               MK_OK, "the control cap may be copied");
        is_int(kt_inv(ctl, 99, 0), MK_E_INVALID_ARG, "unknown control method");
        is_int(kt_inv(p, 99, 0), MK_E_INVALID_ARG, "unknown port method");
        is_int(del(ctl), MK_OK, "delete the control cap");
        ok(kt_slot(p)->cap.type == MK_OBJ_NULL && kt_slot(narrow)->cap.type == MK_OBJ_NULL,
           "the port caps went with it");
}

int main(void)
{
        int64_t irq, io;

        kt_boot();
        kt_k.arch = &ops;
        irq = mk_boot_control_cap(&kt_k, &kt_bi, MK_OBJ_IRQ_CONTROL);
        io = mk_boot_control_cap(&kt_k, &kt_bi, MK_OBJ_IOPORT_CONTROL);
        ok(irq > 0 && io > 0, "control caps");
        kt_next = kt_bi.empty_first;
        irqs((uint64_t)irq);
        ioports((uint64_t)io);
        return tap_done();
}
