/* kernel/vmm/pic.c: the 8259A pair as a stub. ICW1..4 and OCW1..3 are
 * accepted and remembered so Linux's probe (write a mask, read it back)
 * finds a PIC; nothing is ever raised: IRR and ISR read 0, and the guest's
 * interrupts are injected through the x2APIC model instead. */
#include "legacy.h"

void
vmm_pic_init(struct vmm_pic *p)
{
        __builtin_memset(p, 0, sizeof(*p));
        p->chip[0].imr = p->chip[1].imr = 0xff;
}

static void
command(struct vmm_pic_chip *c, uint8_t v)
{
        if (v & 0x10) {                 /* ICW1: start initialisation */
                c->icw_next = 2;
                c->icw4 = v & 0x01;
                c->imr = 0;
                c->read_isr = false;
        } else if ((v & 0x18) == 0x08 && (v & 0x02)) {
                c->read_isr = v & 0x01; /* OCW3 with a read-register command */
        }                               /* OCW2 (EOI, rotate): nothing in service */
}

static void
data(struct vmm_pic_chip *c, uint8_t v)
{
        switch (c->icw_next) {
        case 2:
                c->vector_base = v & 0xf8;
                c->icw_next = 3;
                break;
        case 3:
                c->icw_next = c->icw4 ? 4 : 0;
                break;
        case 4:
                c->icw_next = 0;
                break;
        default:
                c->imr = v;
        }
}

int
vmm_pic_byte(void *pic, uint16_t port, bool write, uint8_t *val)
{
        struct vmm_pic *p = pic;
        struct vmm_pic_chip *c;

        if ((port & ~0x81u) != 0x20)   /* 0x20, 0x21, 0xa0, 0xa1 */
                return -VMM_ENOENT;
        c = &p->chip[port >= 0xa0];
        if (write && (port & 1))
                data(c, *val);
        else if (write)
                command(c, *val);
        else
                *val = (port & 1) ? c->imr : 0;
        return 0;
}
