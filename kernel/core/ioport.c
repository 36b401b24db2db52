/* kernel/core/ioport.c: x86 I/O ports for user-level drivers, as seL4's
 * IOPort caps: the control cap issues caps for port ranges (cap.word =
 * first | last << 16), whose IN and OUT methods the kernel runs through the
 * arch layer. A thread never gets the ports themselves: its in/out
 * instructions fault. */
#include "kernel.h"

static uint64_t first_port(uint64_t word) { return word & 0xffff; }
static uint64_t last_port(uint64_t word) { return word >> 16; }

/* mk_ioport_inside: whether the range word (first | last << 16) is a
 * range inside [first, last] of the cap word outer. */
bool mk_ioport_inside(uint64_t word, uint64_t outer)
{
        return word >> 32 == 0 && first_port(word) <= last_port(word) &&
               first_port(word) >= first_port(outer) && last_port(word) <= last_port(outer);
}

/* IOPORT_CONTROL_ISSUE: a cap for ports mr0..mr1 into slot mr3 of CNode mr2. */
static int issue(struct mk_kernel *k, struct mk_cte *ctl)
{
        uint64_t first = mk_arg(k, 0), last = mk_arg(k, 1);
        struct mk_cte *dst;
        struct mk_cap c;
        int r;

        if (first > last || last > 0xffff)
                return MK_E_RANGE;
        r = mk_dest_slots(k, mk_arg(k, 2), mk_arg(k, 3), 1, &dst);
        if (r != MK_OK)
                return r;
        mk_memset(&c, 0, sizeof(c));
        c.type = MK_OBJ_IOPORT;
        c.rights = MK_RIGHTS_ALL;
        c.word = first | last << 16;
        mk_mdb_insert_child(ctl, dst, &c);
        return MK_OK;
}

/* IOPORT_IN / IOPORT_OUT: port mr0, width mr1 (1, 2 or 4), all inside
 * the cap's range; OUT writes mr2, IN returns the value in mr0. */
static int in_out(struct mk_kernel *k, uint64_t word, bool out)
{
        uint64_t port = mk_arg(k, 0), width = mk_arg(k, 1), v = 0;
        const struct mk_arch_ops *a = k->arch;

        if (width != 1 && width != 2 && width != 4)
                return MK_E_INVALID_ARG;
        if (port < first_port(word) || port > last_port(word) ||
            last_port(word) - port < width - 1)
                return MK_E_RANGE;
        if (out) {
                v = mk_arg(k, 2) & mk_mask((unsigned)width * 8);
                if (a && a->port_out)
                        a->port_out((uint16_t)port, (unsigned)width, (uint32_t)v);
                return MK_OK;
        }
        if (a && a->port_in)
                v = a->port_in((uint16_t)port, (unsigned)width) & mk_mask((unsigned)width * 8);
        mk_set_result(k, 0, v);
        return MK_OK;
}

/* mk_ioport_invoke: the I/O port control and port methods. Returns MK_OK
 * or MK_E_*. */
int mk_ioport_invoke(struct mk_kernel *k, struct mk_cte *slot, uint64_t label)
{
        if (slot->cap.type == MK_OBJ_IOPORT_CONTROL)
                return label == MK_IOPORT_CONTROL_ISSUE ? issue(k, slot) : MK_E_INVALID_ARG;
        switch (label) {
        case MK_IOPORT_IN:
                return in_out(k, slot->cap.word, false);
        case MK_IOPORT_OUT:
                return in_out(k, slot->cap.word, true);
        default:
                return MK_E_INVALID_ARG;
        }
}
