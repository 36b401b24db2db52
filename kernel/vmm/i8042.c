/* kernel/vmm/i8042.c: which writes to the real i8042 the guest may make
 * (i8042.h says why each refused command is refused). */
#include "i8042.h"

bool vmm_i8042_allowed(uint8_t cmd)
{
        if (cmd <= 0x3f)
                return cmd >= 0x20;             /* read controller RAM, 0x20: the configuration */
        if (cmd >= 0x90 && cmd <= 0x93)
                return true;                    /* to a multiplexed mouse port (with a byte) */
        switch (cmd) {
        case 0x60:                              /* write the configuration byte (with a byte) */
        case 0xa1:                              /* firmware version */
        case 0xa4:                              /* is a password installed (a read) */
        case 0xa7: case 0xa8: case 0xa9:        /* mouse port off, on, test */
        case 0xaa: case 0xab:                   /* controller and keyboard port self-tests */
        case 0xad: case 0xae:                   /* keyboard port off, on */
        case 0xc0:                              /* read the input port */
        case 0xd0:                              /* read the output port (a read) */
        case 0xd2: case 0xd3:                   /* loop a byte back as keyboard or mouse input */
        case 0xd4:                              /* the next byte to the mouse */
        case 0xe0:                              /* read the test inputs */
                return true;
        default:
                return false;
        }
}

enum vmm_i8042_verdict vmm_i8042_write(struct vmm_i8042 *k, uint16_t port, uint8_t val)
{
        if (port == VMM_I8042_CMD) {
                k->swallow = !vmm_i8042_allowed(val);
                if (!k->swallow)
                        return VMM_I8042_PASS;
                k->refused++;
                return VMM_I8042_REFUSE;
        }
        if (port != VMM_I8042_DATA) {
                k->refused++;
                return VMM_I8042_REFUSE;
        }
        if (!k->swallow)
                return VMM_I8042_PASS;
        k->swallow = false;
        k->refused++;
        return VMM_I8042_SWALLOW;
}
