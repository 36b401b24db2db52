/* kernel/vmm/ports.c: the port space of the guest PC (see ports.h): COM1
 * at 0x3f8, the 8259 pair, the PIT with port 0x61, CMOS at 0x70/0x71 and
 * the POST port 0x80 (delay writes; reads give the last code back). The
 * i8042's 0x60/0x64 are not here: thatte-kvmm forwards them to the real
 * controller (kernel/kvmm/i8042.c), or they read as an open bus. */
#include "ports.h"

int
vmm_io_bytes(struct vmm_io *io, vmm_byte_fn *fn, void *dev)
{
        uint32_t in = io->value, out = 0;
        int taken = 0;

        for (unsigned i = 0; i < io->size; i++) {
                uint8_t b = (uint8_t)(in >> (8 * i));
                if (io->port + i > 0xffff || fn(dev, (uint16_t)(io->port + i), io->write, &b))
                        b = 0xff;
                else
                        taken++;
                out |= (uint32_t)b << (8 * i);
        }
        if (!io->write)
                io->value = out;
        return taken;
}

static int
post_byte(void *pc, uint16_t port, bool write, uint8_t *val)
{
        struct vmm_pc *p = pc;

        if (port != 0x80)
                return -VMM_ENOENT;
        if (write)
                p->post_code = *val;
        else
                *val = p->post_code;
        return 0;
}

int
vmm_pc_init(struct vmm_pc *pc, struct vmm_sink console, const char *prefix,
            const struct vmm_date *date, uint64_t tsc_hz)
{
        __builtin_memset(pc, 0, sizeof(*pc));
        if (!tsc_hz)
                return -VMM_EINVAL;
        pc->tsc_hz = tsc_hz;
        vmm_uart_init(&pc->com1, 0x3f8, console, prefix);
        vmm_pic_init(&pc->pic);
        vmm_pit_init(&pc->pit);
        return vmm_cmos_init(&pc->cmos, date);
}

/* TSC to PIT ticks without a 128-bit division (none in freestanding). */
static uint64_t
pit_ticks(uint64_t tsc, uint64_t hz)
{
        return tsc / hz * PIT_HZ + tsc % hz * PIT_HZ / hz;
}

int
vmm_pc_io(struct vmm_pc *pc, struct vmm_io *io, uint64_t tsc)
{
        static const struct { uint16_t first, last; unsigned dev; } map[] = {
                { 0x20, 0x21, 1 }, { 0xa0, 0xa1, 1 }, { 0x40, 0x43, 2 }, { 0x61, 0x61, 2 },
                { 0x70, 0x71, 3 }, { 0x80, 0x80, 4 }, { 0x3f8, 0x3ff, 0 },
        };
        vmm_byte_fn *fns[] = { vmm_uart_byte, vmm_pic_byte, vmm_pit_byte, vmm_cmos_byte, post_byte };
        void *devs[] = { &pc->com1, &pc->pic, &pc->pit, &pc->cmos, pc };

        if (io->size != 1 && io->size != 2 && io->size != 4)
                return -VMM_EINVAL;
        if (io->write)
                io->value &= vmm_io_mask(io);
        pc->pit.now = pit_ticks(tsc, pc->tsc_hz);
        for (unsigned i = 0; i < sizeof(map) / sizeof(map[0]); i++)
                if (io->port >= map[i].first && io->port <= map[i].last) {
                        vmm_io_bytes(io, fns[map[i].dev], devs[map[i].dev]);
                        return 0;
                }
        pc->unclaimed++;
        pc->last_unclaimed = io->port;
        if (!io->write)
                io->value = vmm_io_mask(io);
        return 0;
}
