/* tests/kernel/vmm-i8042.c: kernel/vmm's i8042 mediation policy, against a
 * model of the real controller written here from its documentation (what
 * the output port does with 0xD1's byte, the 0xF0-0xFF pulses, 0xDD/0xDF)
 * independently of the policy: Linux's probe and use of the controller
 * pass untouched; the reset pulse, the output-port write, A20 commands,
 * RAM writes and garbage never reach it; a million random writes to both
 * ports and to other ports never reset the model machine nor move its A20
 * gate, and every dropped byte is counted. */
#include <stdlib.h>
#include <string.h>

#include "tests/tap.h"
#include "i8042.h"

/* The real controller as its documentation describes the parts that
 * reach beyond the keyboard and mouse. */
struct ctl {
        uint8_t pending;        /* the command awaiting a data byte, 0: none */
        uint8_t output;         /* the output port: bit 0 reset (low: reset), bit 1 A20 */
        unsigned resets, a20_moves, commands, data;
};

static bool takes_data(uint8_t cmd)
{
        return (cmd >= 0x60 && cmd <= 0x7f) || (cmd >= 0x90 && cmd <= 0x93) || cmd == 0xa5 ||
               cmd == 0xcb || (cmd >= 0xd1 && cmd <= 0xd4);
}

static void ctl_set_output(struct ctl *c, uint8_t v)
{
        if (!(v & 1))
                c->resets++;
        if ((v ^ c->output) & 2)
                c->a20_moves++;
        c->output = v | 1;
}

static void ctl_write(struct ctl *c, uint16_t port, uint8_t v)
{
        if (port == VMM_I8042_CMD) {
                c->commands++;
                c->pending = takes_data(v) ? v : 0;
                if (v >= 0xf0 && !(v & 1))
                        c->resets++;            /* bit 0 pulsed low */
                if (v == 0xdd || v == 0xdf)
                        c->a20_moves++;
                return;
        }
        c->data++;
        if (c->pending == 0xd1)
                ctl_set_output(c, v);
        c->pending = 0;
}

/* The guest writes v to port through the policy; returns the verdict. */
static enum vmm_i8042_verdict guest(struct vmm_i8042 *k, struct ctl *c, uint16_t port, uint8_t v)
{
        enum vmm_i8042_verdict r = vmm_i8042_write(k, port, v);

        if (r == VMM_I8042_PASS)
                ctl_write(c, port, v);
        return r;
}

static void fresh(struct vmm_i8042 *k, struct ctl *c)
{
        memset(k, 0, sizeof(*k));
        memset(c, 0, sizeof(*c));
        c->output = 0xcf;
}

static void test_linux_probe(void)
{
        /* What Linux's i8042 and atkbd/psmouse drivers write, in order. */
        static const struct { uint16_t port; uint8_t v; } seq[] = {
                { 0x64, 0x20 }, { 0x64, 0xaa }, { 0x64, 0x60 }, { 0x60, 0x65 },
                { 0x64, 0xa9 }, { 0x64, 0xd3 }, { 0x60, 0xf0 }, { 0x64, 0xd3 }, { 0x60, 0x56 },
                { 0x64, 0xd3 }, { 0x60, 0xa4 }, { 0x64, 0xa8 }, { 0x64, 0xa7 }, { 0x64, 0xab },
                { 0x64, 0xad }, { 0x64, 0xae }, { 0x60, 0xff }, { 0x60, 0xf2 }, { 0x60, 0xed },
                { 0x60, 0x00 }, { 0x60, 0xf4 }, { 0x64, 0xd4 }, { 0x60, 0xff }, { 0x64, 0xd4 },
                { 0x60, 0xf3 }, { 0x64, 0xd4 }, { 0x60, 0xc8 }, { 0x64, 0x90 }, { 0x60, 0xf4 },
                { 0x64, 0xd2 }, { 0x60, 0xfe }, { 0x64, 0xd0 }, { 0x64, 0xc0 }, { 0x64, 0xa1 },
        };
        struct vmm_i8042 k;
        struct ctl c;
        unsigned passed = 0;

        fresh(&k, &c);
        for (size_t i = 0; i < sizeof(seq) / sizeof(seq[0]); i++)
                passed += guest(&k, &c, seq[i].port, seq[i].v) == VMM_I8042_PASS;
        is_int(passed, (int)(sizeof(seq) / sizeof(seq[0])), "Linux's probe and use all pass");
        is_int((int)k.refused, 0, "nothing refused");
        ok(!c.resets && !c.a20_moves, "the machine is neither reset nor its A20 moved");
}

static void test_refused(void)
{
        struct vmm_i8042 k;
        struct ctl c;
        int refused = 0;

        fresh(&k, &c);
        for (unsigned cmd = 0xf0; cmd <= 0xff; cmd++)
                refused += guest(&k, &c, 0x64, (uint8_t)cmd) == VMM_I8042_REFUSE;
        is_int(refused, 16, "0xF0-0xFF (pulse the output port, 0xFE resets) refused");
        is_int(guest(&k, &c, 0x64, 0xd1), VMM_I8042_REFUSE, "0xD1 (write the output port) refused");
        is_int(guest(&k, &c, 0x60, 0xfe), VMM_I8042_SWALLOW,
               "its byte (reset low, A20 off) swallowed, not sent to the keyboard");
        is_int(guest(&k, &c, 0x60, 0xf4), VMM_I8042_PASS, "the byte after that goes to the keyboard");
        is_int(guest(&k, &c, 0x64, 0xdd), VMM_I8042_REFUSE, "0xDD (A20 off) refused");
        is_int(guest(&k, &c, 0x64, 0xdf), VMM_I8042_REFUSE, "0xDF (A20 on) refused");
        is_int(guest(&k, &c, 0x64, 0x61), VMM_I8042_REFUSE, "0x61 (controller RAM write) refused");
        is_int(guest(&k, &c, 0x64, 0x7f), VMM_I8042_REFUSE, "0x7F refused");
        is_int(guest(&k, &c, 0x64, 0xa5), VMM_I8042_REFUSE, "0xA5 (load a password) refused");
        is_int(guest(&k, &c, 0x64, 0xcb), VMM_I8042_REFUSE, "0xCB (write controller mode) refused");
        is_int(guest(&k, &c, 0x64, 0x00), VMM_I8042_REFUSE, "0x00 (undocumented) refused");
        /* A refused command followed by an allowed one: the allowed one's byte passes. */
        is_int(guest(&k, &c, 0x64, 0x60), VMM_I8042_PASS, "0x60 after a refused command passes");
        is_int(guest(&k, &c, 0x60, 0x47), VMM_I8042_PASS, "and so does its configuration byte");
        /* An allowed command that takes a byte, then 0xD1 instead of the byte. */
        guest(&k, &c, 0x64, 0xd4);
        is_int(guest(&k, &c, 0x64, 0xd1), VMM_I8042_REFUSE, "0xD1 after 0xD4 refused");
        is_int(guest(&k, &c, 0x60, 0x00), VMM_I8042_SWALLOW, "and its byte swallowed");
        is_int(guest(&k, &c, 0x65, 0x00), VMM_I8042_REFUSE, "a port other than 0x60/0x64 refused");
        is_int((int)k.refused, 16 + 2 + 7 + 2 + 1, "every dropped byte counted");
        ok(!c.resets && !c.a20_moves && c.output == 0xcf, "the output port never changed");
        for (unsigned v = 0; v < 256; v++)
                if (vmm_i8042_allowed((uint8_t)v) &&
                    (v == 0xd1 || v >= 0xf0 || v == 0xdd || v == 0xdf || (v > 0x60 && v < 0x80)))
                        ok(0, "command 0x%02x is allowed", v);
}

/* Random bytes to random ports, in bursts that favour the command port's
 * dangerous bytes: the model machine is never reset. */
static void test_random(void)
{
        static const uint8_t bad[] = { 0xd1, 0xfe, 0xf0, 0xdd, 0xdf, 0x61, 0xcb, 0xa5, 0x60, 0xd4 };
        struct vmm_i8042 k;
        struct ctl c;
        uint64_t dropped = 0;

        srand(18042);
        fresh(&k, &c);
        for (int i = 0; i < 1000000; i++) {
                int r = rand();
                uint16_t port = r & 1 ? 0x64 : r & 2 ? 0x60 : (uint16_t)(rand() & 0xffff);
                uint8_t v = r & 4 ? bad[(unsigned)rand() % sizeof(bad)] : (uint8_t)rand();

                dropped += guest(&k, &c, port, v) != VMM_I8042_PASS;
        }
        ok(!c.resets, "a million random writes never reset the machine (%u commands reached it)",
           c.commands);
        ok(!c.a20_moves && c.output == 0xcf, "nor moved A20");
        ok(k.refused == dropped && dropped > 0, "every dropped byte counted (%lu)",
           (unsigned long)dropped);
        ok(c.commands > 50000 && c.data > 50000, "allowed commands and data still pass");
}

int main(void)
{
        test_linux_probe();
        test_refused();
        test_random();
        return tap_done();
}
