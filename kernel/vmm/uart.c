/* kernel/vmm/uart.c: the 16550A model (see uart.h). The transmitter is
 * always empty: a byte written to THR is out at once, so LSR reads THRE
 * and TEMT and a THR-empty interrupt follows every write. */
#include "uart.h"

enum { RBR_THR, IER, IIR_FCR, LCR, MCR, LSR, MSR, SCR };
#define LCR_DLAB 0x80
#define MCR_LOOP 0x10
#define MCR_OUT2 0x08
#define IER_RDI 0x01
#define IER_THRI 0x02
#define IIR_NONE 0x01
#define IIR_THRI 0x02
#define IIR_RDI 0x04
#define IIR_FIFO 0xc0
#define LSR_DR 0x01
#define LSR_THRE_TEMT 0x60

void
vmm_uart_init(struct vmm_uart *u, uint16_t base, struct vmm_sink out, const char *prefix)
{
        __builtin_memset(u, 0, sizeof(*u));
        u->base = base;
        u->out = out;
        u->prefix = prefix ? prefix : "";
}

void
vmm_uart_flush(struct vmm_uart *u)
{
        size_t plen = 0;

        if (!u->line_len)
                return;
        while (u->prefix[plen])
                plen++;
        u->out.write(u->out.ctx, u->prefix, plen);
        u->out.write(u->out.ctx, u->line, u->line_len);
        u->out.write(u->out.ctx, "\n", 1);
        u->line_len = 0;
}

/* The guest's bytes reach a terminal and log parsers: no control bytes
 * but tab, no escapes; CR is dropped, LF ends the line. */
static void
emit(struct vmm_uart *u, uint8_t c)
{
        if (c == '\r')
                return;
        if (c == '\n') {
                if (!u->line_len)
                        u->line[u->line_len++] = ' ';
                vmm_uart_flush(u);
                return;
        }
        /* ASCII only: no C0 or C1 control (0x9b is CSI to an 8-bit
         * terminal), no stray byte that makes the log binary to grep */
        if ((c < 0x20 && c != '\t') || c >= 0x7f)
                c = '?';
        u->line[u->line_len++] = (char)c;
        if (u->line_len == UART_LINE_MAX)
                vmm_uart_flush(u);
}

int
vmm_uart_input(struct vmm_uart *u, uint8_t byte)
{
        if (u->rx_len == UART_RX_MAX)
                return -VMM_ENOSPC;
        u->rx[(u->rx_head + u->rx_len++) % UART_RX_MAX] = byte;
        return 0;
}

static uint8_t
iir(const struct vmm_uart *u)
{
        uint8_t fifo = (u->fcr & 1) ? IIR_FIFO : 0;

        if ((u->ier & IER_RDI) && u->rx_len)
                return IIR_RDI | fifo;
        if ((u->ier & IER_THRI) && u->thre_pending)
                return IIR_THRI | fifo;
        return IIR_NONE | fifo;
}

bool
vmm_uart_irq(const struct vmm_uart *u)
{
        return !(iir(u) & IIR_NONE) && (u->mcr & MCR_OUT2);
}

static uint8_t
modem_status(const struct vmm_uart *u)
{
        if (!(u->mcr & MCR_LOOP))
                return 0xb0;    /* DCD DSR CTS: a cable that is always there */
        /* Loopback: RTS to CTS, DTR to DSR, OUT1 to RI, OUT2 to DCD. */
        return (uint8_t)((u->mcr & 0x02) << 3 | (u->mcr & 0x01) << 5 | (u->mcr & 0x04) << 4 |
                         (u->mcr & 0x08) << 4);
}

static uint8_t
read_reg(struct vmm_uart *u, unsigned reg)
{
        bool dlab = u->lcr & LCR_DLAB;
        uint8_t v;

        switch (reg) {
        case RBR_THR:
                if (dlab)
                        return u->dll;
                if (!u->rx_len)
                        return 0;
                v = u->rx[u->rx_head];
                u->rx_head = (uint8_t)((u->rx_head + 1) % UART_RX_MAX);
                u->rx_len--;
                return v;
        case IER:
                return dlab ? u->dlm : u->ier;
        case IIR_FCR:
                v = iir(u);
                if ((v & 0x0f) == IIR_THRI)
                        u->thre_pending = false;
                return v;
        case LCR: return u->lcr;
        case MCR: return u->mcr;
        case LSR: return (uint8_t)(LSR_THRE_TEMT | (u->rx_len ? LSR_DR : 0));
        case MSR: return modem_status(u);
        default: return u->scr;
        }
}

static void
write_reg(struct vmm_uart *u, unsigned reg, uint8_t v)
{
        bool dlab = u->lcr & LCR_DLAB;

        switch (reg) {
        case RBR_THR:
                if (dlab)
                        u->dll = v;
                else if (u->mcr & MCR_LOOP)
                        (void)vmm_uart_input(u, v);
                else
                        emit(u, v);
                if (!dlab)
                        u->thre_pending = true;
                break;
        case IER:
                if (dlab) {
                        u->dlm = v;
                        break;
                }
                if ((v & IER_THRI) && !(u->ier & IER_THRI))
                        u->thre_pending = true;  /* THR is empty: say so at once */
                u->ier = v & 0x0f;
                break;
        case IIR_FCR:
                u->fcr = v & 0xc9;
                if (v & 0x02)
                        u->rx_len = 0;
                break;
        case LCR: u->lcr = v; break;
        case MCR: u->mcr = v & 0x1f; break;
        case SCR: u->scr = v; break;
        default: break;         /* LSR and MSR are read-only */
        }
}

int
vmm_uart_byte(void *uart, uint16_t port, bool write, uint8_t *val)
{
        struct vmm_uart *u = uart;
        unsigned reg = (uint16_t)(port - u->base);

        if (reg > SCR)
                return -VMM_ENOENT;
        if (write)
                write_reg(u, reg, *val);
        else
                *val = read_reg(u, reg);
        return 0;
}
