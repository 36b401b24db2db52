/* kernel/root/aarch64/irq.c: a device interrupt at user level on aarch64,
 * the counterpart of ../irq.c's COM1: the PL011 (QEMU virt: its page at
 * 0x09000000, GIC interrupt 33). The root retypes a Frame of the device
 * Untyped the kernel made for that page, maps it uncached, takes the IRQ
 * handler cap for line 33 bound to its notification and unmasks the
 * UART's transmit interrupt, whose raw status the kernel's own output has
 * set: it arrives at once. Then the root masks and clears it and
 * acknowledges the line. */
#include "root.h"

#define PL011_PHYS 0x09000000ull
#define PL011_IRQ 33u
#define PL011_VADDR 0x31000000ull
#define UART_IMSC 0x38u         /* interrupt mask set/clear */
#define UART_ICR 0x44u          /* interrupt clear */
#define UART_TX 0x20u           /* the transmit interrupt's bit */

static volatile uint32_t *map_uart(void)
{
        const struct thatte_root_info *info = rt.info;
        uint64_t f = rt_slots(1);

        for (uint64_t i = 0; i < info->untyped_count && i < THATTE_ROOT_UNTYPED_MAX; i++) {
                if (!info->untyped[i].is_device || info->untyped[i].paddr != PL011_PHYS)
                        continue;
                rt_must(mku_untyped_retype(info->untyped_first + i, MK_OBJ_FRAME, 12, info->cnode, f, 1),
                        "retype the PL011's frame");
                rt_must(rt_map(info->vspace, f, PL011_VADDR, MK_RIGHT_READ | MK_RIGHT_WRITE,
                               MK_MAP_UNCACHED | MK_MAP_EXECUTE_NEVER), "map the PL011");
                return (volatile uint32_t *)PL011_VADDR;
        }
        rt_fail("no device Untyped for the PL011", MK_E_RANGE);
}

void rt_check_irq(void)
{
        volatile uint32_t *uart = map_uart();
        uint64_t h = rt_slots(1), word = 0;
        struct mku_msg m = { 0 };
        int r;

        rt_must(mku_irq_control_get(rt.info->irq_control, PL011_IRQ, rt.info->cnode, h),
                "irq control get");
        rt_must(mku_irq_handler_set_notification(h, rt_copy(rt.ntfn, MK_RIGHT_WRITE, RT_BADGE_IRQ)),
                "irq handler set notification");
        (void)mku_poll(rt.ntfn, &word);
        rt_watchdog_arm();
        uart[UART_IMSC / 4] |= UART_TX;
        r = mku_recv(rt.ntfn, 0, &m);
        uart[UART_IMSC / 4] &= ~UART_TX;
        uart[UART_ICR / 4] = UART_TX;
        rt_watchdog_disarm();
        if (r != MK_OK)
                rt_fail("notification wait", r);
        if (!(m.badge & RT_BADGE_IRQ))
                rt_fail("irq 33 never arrived", MK_E_WOULD_BLOCK);
        rt_must(mku_irq_handler_ack(h), "irq handler ack");
        rt_say("irq %u (PL011 transmit) delivered to a notification, acknowledged", PL011_IRQ);
}
