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

static uint64_t ioport_serial;  /* COM1 */

static uint32_t uart_in(unsigned reg)
{
        uint32_t v = 0;

        rt_must(mku_ioport_in(ioport_serial, COM1 + reg, 1, &v), "COM1 port in");
        return v;
}

static void uart_out(unsigned reg, uint32_t v)
{
        rt_must(mku_ioport_out(ioport_serial, COM1 + reg, 1, v), "COM1 port out");
}

static uint64_t irq_handler(void)
{
        uint64_t h = rt_slots(1), badged;

        rt_must(mku_irq_control_get(rt.info->irq_control, COM1_IRQ, rt.info->cnode, h),
                "irq control get");
        badged = rt_copy(rt.ntfn, MK_RIGHT_WRITE, RT_BADGE_IRQ);
        rt_must(mku_irq_handler_set_notification(h, badged), "irq handler set notification");
        return h;
}

void rt_check_irq(void)
{
        uint64_t h, word = 0;
        struct mku_msg m = { 0 };
        int r;

        ioport_serial = rt_ioport(COM1, COM1 + 7, "ioport issue COM1");
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
        rt_must(mku_irq_handler_ack(h), "irq handler ack");
        rt_say("irq %u (COM1 transmitter empty) delivered to a notification, acknowledged",
               COM1_IRQ);
}
