/* kernel/vmm/uart.h: a 16550A UART model, enough for Linux's 8250 driver
 * to probe it and print through it. Output goes to a sink a line at a
 * time, each line behind a prefix, so DriverOS's console lines are told
 * apart from thatte-mk's own on the one serial port. */
#ifndef THATTE_KVMM_UART_H
#define THATTE_KVMM_UART_H

#include "vmm.h"

#define UART_LINE_MAX 160       /* longer lines go out in pieces, each prefixed */
#define UART_RX_MAX 16          /* the 16550A's receive FIFO */

struct vmm_uart {
        uint16_t base;          /* 0x3f8 for COM1 */
        struct vmm_sink out;
        const char *prefix;
        uint8_t ier, lcr, mcr, scr, dll, dlm, fcr;
        bool thre_pending;      /* a THR-empty interrupt not yet taken by an IIR read */
        uint8_t rx[UART_RX_MAX];
        uint8_t rx_head, rx_len;
        char line[UART_LINE_MAX];
        uint16_t line_len;
};

void vmm_uart_init(struct vmm_uart *u, uint16_t base, struct vmm_sink out, const char *prefix);
/* One byte at port (base..base+7): 0, or -VMM_ENOENT for another port. */
int vmm_uart_byte(void *uart, uint16_t port, bool write, uint8_t *val);
/* Input for the guest; -VMM_ENOSPC when the FIFO is full. */
int vmm_uart_input(struct vmm_uart *u, uint8_t byte);
/* The interrupt line (IRQ 4 for COM1): an interrupt pending and OUT2 set. */
bool vmm_uart_irq(const struct vmm_uart *u);
/* Sends a partial line (at guest exit or crash). */
void vmm_uart_flush(struct vmm_uart *u);

#endif
