/* kernel/root/irq.c: a device interrupt at user level. The root takes an
 * I/O port capability for COM1 and an IRQ handler capability for its line
 * (ISA IRQ 4), binds the handler to its notification, enables the UART's
 * transmitter-empty interrupt (which the idle transmitter raises at once)
 * and waits. Then it quiets the UART and acknowledges the line. */
#include "root.h"

#define COM1 0x3f8u
#define COM1_IRQ 4u
#define UART_IER 1u             /* interrupt enable */
#define UART_IIR 2u             /* interrupt identification (read clears THRE) */
#define UART_MCR 4u             /* modem control: OUT2 gates the IRQ on PCs */
#define UART_IER_THRE 0x02u
#define UART_MCR_OUT2 0x08u

static uint32_t uart_in(unsigned reg)
{
        uint32_t v = 0;
        int r = mku_ioport_in(rt.ioport_serial, COM1 + reg, 1, &v);

        if (r != MK_OK)
                rt_fail("COM1 port in", r);
        return v;
}

static void uart_out(unsigned reg, uint32_t v)
{
        int r = mku_ioport_out(rt.ioport_serial, COM1 + reg, 1, v);

        if (r != MK_OK)
                rt_fail("COM1 port out", r);
}

static uint64_t irq_handler(void)
{
        uint64_t h = rt_slots(1), badged;
        int r;

        r = mku_irq_control_get(rt.info->irq_control, COM1_IRQ, rt.info->cnode, h);
        if (r != MK_OK)
                rt_fail("irq control get", r);
        badged = rt_copy(rt.ntfn, MK_RIGHT_WRITE, RT_BADGE_IRQ);
        r = mku_irq_handler_set_notification(h, badged);
        if (r != MK_OK)
                rt_fail("irq handler set notification", r);
        return h;
}

void rt_check_irq(void)
{
        uint64_t h, word = 0;
        struct mku_msg m = { 0 };
        int r;

        if (!rt.ioport_serial) {
                rt.ioport_serial = rt_slots(1);
                r = mku_ioport_issue(rt.info->ioport_control, COM1, COM1 + 7, rt.info->cnode,
                                     rt.ioport_serial);
                if (r != MK_OK)
                        rt_fail("ioport issue COM1", r);
        }
        h = irq_handler();
        (void)mku_poll(rt.ntfn, &word);
        (void)uart_in(UART_IIR);
        uart_out(UART_MCR, uart_in(UART_MCR) | UART_MCR_OUT2);
        rt_watchdog_arm();
        uart_out(UART_IER, UART_IER_THRE);
        r = mku_recv(rt.ntfn, 0, &m);
        uart_out(UART_IER, 0);
        (void)uart_in(UART_IIR);
        rt_watchdog_disarm();
        if (r != MK_OK)
                rt_fail("notification wait", r);
        if (!(m.badge & RT_BADGE_IRQ))
                rt_fail("irq 4 never arrived", MK_E_WOULD_BLOCK);
        r = mku_irq_handler_ack(h);
        if (r != MK_OK)
                rt_fail("irq handler ack", r);
        rt_say("irq %u (COM1 transmitter empty) delivered to a notification, acknowledged",
               COM1_IRQ);
}
