/* kernel/vmm/pit.c: the 8254 PIT, minimal: three counters that count down
 * at PIT_HZ from the caller's clock (pit->now), lo/hi byte access, the
 * latch and read-back commands, modes 0 and 2/3, and port 0x61's gate and
 * OUT2 so Linux can calibrate the TSC on channel 2. Channel 0 raises no
 * IRQ 0: the guest's timer is the x2APIC's TSC deadline. */
#include "legacy.h"

#define PORT61_GATE2 0x01
#define PORT61_OUT2 0x20

void
vmm_pit_init(struct vmm_pit *p)
{
        __builtin_memset(p, 0, sizeof(*p));
        for (int i = 0; i < 3; i++)
                p->ch[i].access = 3;
}

/* The counter now and its OUT pin. Channel 2 stands still while its gate
 * is low. */
static uint16_t
count(const struct vmm_pit *p, int i, bool *out)
{
        const struct vmm_pit_channel *c = &p->ch[i];
        uint64_t r = c->reload ? c->reload : 65536;
        uint64_t t = p->now - c->start;

        if (i == 2 && !(p->port61 & PORT61_GATE2))
                t = 0;
        if (c->mode == 0 || c->mode == 1 || c->mode >= 4) {
                *out = t >= r;          /* one shot: OUT rises at terminal count */
                return (uint16_t)(r - t);
        }
        uint64_t phase = t % r;         /* modes 2 and 3: periodic */
        *out = c->mode == 3 ? phase < r / 2 : true;
        return (uint16_t)(r - phase);
}

static void
control(struct vmm_pit *p, uint8_t v)
{
        unsigned sel = v >> 6;
        bool out;

        if (sel == 3) {                 /* read-back: latch the counts asked for */
                for (int i = 0; i < 3; i++)
                        if (!(v & 0x20) && (v & (2u << i)) && !p->ch[i].latched) {
                                p->ch[i].latch = count(p, i, &out);
                                p->ch[i].latched = true;
                                p->ch[i].read_hi = false;
                        }
                return;
        }
        struct vmm_pit_channel *c = &p->ch[sel];
        if (!(v & 0x30)) {              /* counter latch command */
                if (!c->latched) {
                        c->latch = count(p, (int)sel, &out);
                        c->latched = true;
                        c->read_hi = false;
                }
                return;
        }
        c->access = (v >> 4) & 3;
        c->mode = (v >> 1) & 7;
        if (c->mode > 5)
                c->mode -= 4;           /* 6 and 7 are 2 and 3 */
        c->write_hi = c->read_hi = c->latched = false;
}

static void
write_count(struct vmm_pit *p, struct vmm_pit_channel *c, uint8_t v)
{
        if (c->access == 1 || (c->access == 3 && !c->write_hi))
                c->reload = (uint16_t)((c->reload & 0xff00) | v);
        else
                c->reload = (uint16_t)((c->reload & 0x00ff) | v << 8);
        if (c->access == 3)
                c->write_hi = !c->write_hi;
        if (!c->write_hi)
                c->start = p->now;      /* the count is complete: it starts */
}

static uint8_t
read_count(struct vmm_pit *p, int i)
{
        struct vmm_pit_channel *c = &p->ch[i];
        bool out, hi = c->access == 2 || (c->access == 3 && c->read_hi);
        uint16_t v = c->latched ? c->latch : count(p, i, &out);

        if (c->access == 3)
                c->read_hi = !c->read_hi;
        if (c->access != 3 || !c->read_hi)
                c->latched = false;     /* a latch is read once */
        return (uint8_t)(hi ? v >> 8 : v);
}

int
vmm_pit_byte(void *pit, uint16_t port, bool write, uint8_t *val)
{
        struct vmm_pit *p = pit;
        bool out;

        if (port == 0x61) {
                if (write) {
                        if ((*val & PORT61_GATE2) && !(p->port61 & PORT61_GATE2))
                                p->ch[2].start = p->now;        /* rising gate restarts */
                        p->port61 = *val & 0x03;
                } else {
                        count(p, 2, &out);
                        *val = (uint8_t)(p->port61 | (out ? PORT61_OUT2 : 0));
                }
                return 0;
        }
        if (port < 0x40 || port > 0x43)
                return -VMM_ENOENT;
        if (port == 0x43) {
                if (write)
                        control(p, *val);
                else
                        *val = 0xff;    /* the control port reads nothing */
        } else if (write) {
                write_count(p, &p->ch[port - 0x40], *val);
        } else {
                *val = read_count(p, port - 0x40);
        }
        return 0;
}
