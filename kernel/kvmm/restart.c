/* kernel/kvmm/restart.c: when DriverOS stops for good (Linux panicked:
 * with `panic=-1` it reboots at once: through the reset vector, whose stub
 * writes port 0xCF9, or the keyboard controller, port 0x64 <- 0xFE, or
 * ending in a triple fault; or a triple fault, a nested page fault, a state VMRUN
 * refuses), the VMM starts it again rather than
 * stopping: guest RAM zeroed, the devices fresh, the kernel, initramfs and
 * command line loaded again from the read-only module frames, the VCPU's
 * entry state written again, and ` thatte.restart=N` appended to the
 * command line (thatte-init's `thatte.test=driveros-crash` panics only
 * when that word is absent). A crash loop is bounded: after
 * KVMM_RESTARTS_IN_A_ROW stops each within RESTART_CALM ticks of its
 * start the VMM gives up; before each restart it waits a backoff that
 * doubles with each stop in a row.
 *
 * What the kernel's state fields cannot reach stays as the last guest
 * left it: the debug registers and the MSRs VMLOAD/VMSAVE switch (STAR,
 * LSTAR, CSTAR, SFMASK, KERNEL_GS_BASE, SYSENTER_*). Linux writes all of
 * them before it uses them. */
#include "kvmm.h"

#define RESTART_CALM (1ull << 37)               /* ~2 min at 1 GHz: a run this long resets the count */
#define RESET_VECTOR 0xffff0u                   /* F000:FFF0 */
#define RESTART_BACKOFF (1ull << 27)            /* doubled for each stop in a row */

static unsigned in_a_row;
static uint64_t started_at;

/* Appends " thatte.restart=N" to the NUL-terminated line in buf of size
 * max: 0, or -VMM_E2BIG (never cut). */
int kvmm_restart_word(char *buf, size_t max, unsigned n)
{
        size_t len = 0;
        int w;

        while (len < max && buf[len])
                len++;
        if (len >= max)
                return -VMM_E2BIG;
        w = mku_format(buf + len, max - len, "%sthatte.restart=%u", len ? " " : "", n);
        return w < 0 || (size_t)w >= max - len ? -VMM_E2BIG : 0;
}

static void zero_ram(const struct kvmm_info *info)
{
        volatile uint64_t *p = (volatile uint64_t *)KVMM_RAM_VADDR;

        for (uint64_t i = 0; i < info->ram_size / 8; i++)
                p[i] = 0;
}

/* The firmware's reset vector (F000:FFF0, the last 16 bytes below 1 MiB,
 * in the legacy hole the e820 map leaves out): `mov al, 6; mov dx,
 * 0xcf9; out dx, al; hlt; jmp $-1`, in 16-bit real mode. Linux jumps
 * there as its last reboot resort (machine_real_restart); with a
 * hardware-reduced FADT and no EFI runtime it is even the first, as it
 * then tries EFI (absent) and next the BIOS, never the keyboard
 * controller. On a PC the firmware resets the machine there; here the
 * write to 0xCF9 does, i.e. it is the reset kvmm_reset_asked sees. */
void kvmm_reset_vector_write(uint8_t *ram, uint64_t ram_size)
{
        static const uint8_t stub[] = { 0xb0, 0x06, 0xba, 0xf9, 0x0c, 0xee, 0xf4, 0xeb, 0xfd };

        if (ram_size < RESET_VECTOR + sizeof(stub))
                return;
        for (unsigned i = 0; i < sizeof(stub); i++)
                ram[RESET_VECTOR + i] = stub[i];
}

bool kvmm_reset_asked(const struct vmm_io *io)
{
        return io->write && io->size == 1 &&
               ((io->port == 0x64 && (io->value & 0xff) == 0xfe) ||
                (io->port == 0xcf9 && (io->value & 0x04)));
}

void kvmm_started(void)
{
        started_at = mku_rdtsc();
}

void kvmm_restart(struct kvmm *v, const char *why)
{
        uint64_t ran = mku_rdtsc() - started_at, backoff;

        in_a_row = ran >= RESTART_CALM ? 1 : in_a_row + 1;
        if (in_a_row > KVMM_RESTARTS_IN_A_ROW) {
                kvmm_say("DriverOS crashed (%s) %u times in a row, each within %lu ticks of its "
                         "start: giving up (no more restarts)", why, in_a_row,
                         (unsigned long)RESTART_CALM);
                kvmm_stop();
        }
        backoff = RESTART_BACKOFF << (in_a_row - 1);
        v->restarts++;
        kvmm_say("DriverOS crashed (%s); restart %lu (%u in a row, at most %u) after %lu ticks",
                 why, (unsigned long)v->restarts, in_a_row, KVMM_RESTARTS_IN_A_ROW,
                 (unsigned long)backoff);
        kvmm_wait_until(mku_rdtsc() + backoff);
        zero_ram(v->info);
        kvmm_fresh(v);
        kvmm_i8042_reset();
        kvmm_load(v);
        /* The VCPU thread's stack from its top again: the exit loop that
         * called finish() is abandoned, not returned to. */
        __asm__ volatile("mov %0, %%rsp; mov %1, %%rdi; call kvmm_run; ud2"
                         : : "r"(KVMM_STACK_TOP), "r"(v) : "memory");
        __builtin_unreachable();
}
