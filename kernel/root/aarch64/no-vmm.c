/* kernel/root/aarch64/no-vmm.c: what the shared channel code asks of the
 * VMM task (kernel/root/kvmm-chan.c on x86-64). aarch64 has no VMM task
 * yet: a published frame has no guest to ring. */
#include "../root.h"

void rt_kvmm_chan_ring(void)
{
}
