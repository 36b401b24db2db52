/* kernel/kvmm/i8042.c: the PC's real i8042 (keyboard and mouse) handed to
 * the guest by mediated passthrough. The guest's accesses to 0x60 and 0x64
 * exit; writes go through kernel/vmm/i8042.c's policy (i8042.h says which
 * commands are refused and why) to the real ports with the root task's
 * I/O port caps, reads go straight through. IRQ 1 and 12 of the real
 * controller signal the VCPU thread's notification (badges
 * KVMM_BADGE_IRQ(n)); the kernel leaves a line masked until it is
 * acknowledged. A signalled line stays high on the guest's I/O APIC
 * (GSI 1 and 12, the MADT's ISA defaults: edge) until the guest reads the
 * data port, as the controller's own line does, so the next byte is a new
 * edge (the controller raises no new interrupt while its output buffer
 * is full, so a byte must never wait for an edge that was already
 * given). At that read the line goes low and the host line is
 * acknowledged, just before the read is forwarded, so the edge of a byte
 * that follows at once finds the line unmasked; a status read showing
 * nothing to read does the same (the line is low, nothing can be lost). */
#include "kvmm.h"
#include "i8042.h"

#define STATUS_OBF 0x01u
#define LINE_KBD KVMM_BADGE_IRQ(1)
#define LINE_AUX KVMM_BADGE_IRQ(12)
#define LINES (LINE_KBD | LINE_AUX)
#define REFUSALS_LOGGED 8u

static struct {
        bool present;
        struct vmm_i8042 policy;
        uint64_t raised;        /* lines high in the guest: signalled, byte not read yet */
        uint64_t masked;        /* lines signalled, not yet acknowledged */
        uint64_t seen;          /* lines that have interrupted at least once */
        uint64_t refused_width; /* accesses wider than a byte */
} kbc;

void kvmm_i8042_init(const struct kvmm_info *info)
{
        kbc.present = info->i8042 != 0;
        if (kbc.present)
                kvmm_say("i8042 passed through (mediated): ports 0x60 0x64, IRQ 1 and 12");
}

/* A refusal: the first few each, then at every power of two. */
static void refused(const char *what, uint16_t port, uint32_t value)
{
        uint64_t n = kbc.policy.refused + kbc.refused_width;

        if (n <= REFUSALS_LOGGED || !(n & (n - 1)))
                kvmm_say("i8042: refused %s 0x%x to port 0x%x (%lu refused so far)", what,
                         (unsigned)value, (unsigned)port, (unsigned long)n);
}

static void ack(uint64_t lines)
{
        if (lines & LINE_KBD)
                (void)mku_irq_handler_ack(KVMM_CAP_I8042_IRQ1);
        if (lines & LINE_AUX)
                (void)mku_irq_handler_ack(KVMM_CAP_I8042_IRQ12);
        kbc.masked &= ~lines;
}

/* The guest took the byte (or there is none): its lines go low in the
 * guest, and the host lines are acknowledged. */
static void lower(void)
{
        kbc.raised = 0;
        ack(kbc.masked);
}

static uint8_t port_in(uint16_t port)
{
        uint32_t v = 0xff;

        if (mku_ioport_in(port == VMM_I8042_DATA ? KVMM_CAP_I8042_DATA : KVMM_CAP_I8042_CMD, port,
                          1, &v) != MK_OK)
                v = 0xff;
        return (uint8_t)v;
}

static void port_write(struct vmm_io *io)
{
        uint8_t b = (uint8_t)io->value;

        switch (vmm_i8042_write(&kbc.policy, io->port, b)) {
        case VMM_I8042_PASS:
                (void)mku_ioport_out(io->port == VMM_I8042_DATA ? KVMM_CAP_I8042_DATA :
                                                                  KVMM_CAP_I8042_CMD,
                                     io->port, 1, b);
                break;
        case VMM_I8042_REFUSE: refused("command", io->port, b); break;
        case VMM_I8042_SWALLOW: refused("the data byte of a refused command", io->port, b); break;
        }
}

bool kvmm_i8042_io(struct vmm_io *io)
{
        if (!kbc.present || (io->port != VMM_I8042_DATA && io->port != VMM_I8042_CMD))
                return false;
        if (io->size != 1) {
                kbc.refused_width++;
                refused("a wide access", io->port, io->size);
                if (!io->write)
                        io->value = vmm_io_mask(io);
                return true;
        }
        if (io->write) {
                port_write(io);
                return true;
        }
        if (io->port == VMM_I8042_DATA)
                lower();
        io->value = port_in(io->port);
        if (io->port == VMM_I8042_CMD && !(io->value & STATUS_OBF))
                lower();
        return true;
}

bool kvmm_i8042_note(uint64_t word)
{
        uint64_t lines = kbc.present ? word & LINES : 0;

        kbc.raised |= lines;
        kbc.masked |= lines;
        if (lines & ~kbc.seen)
                kvmm_say("i8042: first interrupt on IRQ %u", lines & ~kbc.seen & LINE_KBD ? 1u : 12u);
        kbc.seen |= lines;
        return lines != 0;
}

/* A restarted guest gets the controller without the last guest's
 * mediation state: a swallow it armed would eat the new guest's first
 * data byte (the configuration byte after 0x60, say), a line it left high
 * would interrupt the new guest before its driver asked, and a host line
 * still masked would stay so until the new guest happened to read the
 * data port. The real controller itself is not reset (its reset is the
 * machine's); Linux's i8042 driver flushes what it holds, as after
 * firmware. */
void kvmm_i8042_reset(void)
{
        uint64_t masked = kbc.masked;

        if (!kbc.present)
                return;
        kbc.policy.swallow = false;
        kbc.raised = 0;
        ack(masked);
        kvmm_say("i8042: passthrough reset for the restarted guest (%u host lines acknowledged)",
                 (unsigned)!!(masked & LINE_KBD) + (unsigned)!!(masked & LINE_AUX));
}

void kvmm_i8042_lines(struct kvmm *v)
{
        if (!kbc.present)
                return;
        kvmm_irq_line(v, 1, kbc.raised & LINE_KBD);
        kvmm_irq_line(v, 12, kbc.raised & LINE_AUX);
}
