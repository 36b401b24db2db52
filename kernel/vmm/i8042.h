/* kernel/vmm/i8042.h: the mediation policy for the PC's real i8042 (the
 * keyboard and mouse controller) handed to the guest. thatte-kvmm forwards
 * the guest's accesses to the data port 0x60 and the command port 0x64 to
 * the real ports; this decides, byte by byte, which writes may go.
 *
 * Why mediated and not opened in the VCPU's I/O permission map: the
 * controller's output port drives the CPU's reset line (bit 0) and the A20
 * gate (bit 1), so one command byte (0xFE) resets the whole machine, the
 * microkernel included, and the permission map works per port, not per
 * value. Mediation costs an exit per access; keyboard and mouse traffic is
 * a few accesses per event. It also tells the VMM when the guest read the
 * data port, which is when the host's interrupt line is acknowledged.
 *
 * Commands are allowed by list (what Linux's i8042 driver sends, and reads
 * that change nothing); everything else is refused, because the AT
 * controller's documentation and its clones' give the rest meanings that
 * reach beyond the keyboard and mouse:
 *   0xD1        write the output port: its data byte sets the reset line
 *               (bit 0, active low) and the A20 gate (bit 1);
 *   0xF0-0xFF   pulse output port bits 0-3 low for 6 us: bit 0 is the
 *               reset line (0xFE is the classic reboot);
 *   0xDD, 0xDF  disable/enable A20 on controllers that have them;
 *   0x61-0x7F   write controller RAM bytes 1-31 (vendor use);
 *   0xC1, 0xC2  copy input port bits into the status register;
 *   0xC8-0xCB   vendor commands (AMI: the P22/P23 lines, the controller
 *               mode; 0xCB takes a data byte);
 *   0xA5, 0xA6  load or enable the controller's password, which locks the
 *               keyboard until it is typed;
 *   and every undocumented byte.
 * A refused command arms a swallow of the next data-port write (0xD1's
 * output port byte, 0xCB's mode, a RAM value must not reach the keyboard
 * as a command either); a new command disarms it, as a command aborts a
 * pending one on the real controller. Data-port writes otherwise pass:
 * they are the argument of an allowed command (the configuration byte
 * after 0x60, a mouse byte after 0xD4, a loopback byte after 0xD2/0xD3, a
 * multiplexer byte after 0x90-0x93) or commands to the keyboard itself,
 * which reach only the keyboard. Reads always pass. */
#ifndef THATTE_KVMM_I8042_H
#define THATTE_KVMM_I8042_H

#include "vmm.h"

#define VMM_I8042_DATA 0x60u
#define VMM_I8042_CMD 0x64u

enum vmm_i8042_verdict {
        VMM_I8042_PASS,         /* forward to the real port */
        VMM_I8042_REFUSE,       /* a command the guest may not send: dropped */
        VMM_I8042_SWALLOW,      /* the data byte of a refused command: dropped */
};

struct vmm_i8042 {
        bool swallow;           /* the next data write belongs to a refused command */
        uint64_t refused;       /* command and data bytes dropped */
};

/* Whether command byte cmd may reach the real controller. */
bool vmm_i8042_allowed(uint8_t cmd);
/* The verdict on the guest writing val to port (VMM_I8042_DATA or _CMD;
 * any other port is refused). */
enum vmm_i8042_verdict vmm_i8042_write(struct vmm_i8042 *k, uint16_t port, uint8_t val);

#endif
