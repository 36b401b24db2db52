/* kernel/root/kvmm-chan.c: the display channel under thatte-kvmm. The
 * root task takes one 2 MiB frame from its Untyped (the 640x400 window's
 * header and two buffers fit: channel.c), maps it at RT_CHANNEL_VADDR,
 * starts the channel there (channel.c: header, first frame) and hands the
 * VMM what it needs to show it to DriverOS as ivshmem's BAR2
 * (kernel/kvmm/chan.c): a copy of the frame mapped into the VMM at
 * KVMM_CHAN_VADDR, another in its CNode to map into the guest where the
 * guest programs BAR2, the guest space (the page tables for the MMIO
 * window are made here, by mapping the frame once at its default place
 * and unmapping it), and a badged copy of the root's channel notification
 * (the guest's doorbell, the beat). The root keeps a badged copy of the
 * VMM's notification to ring it when it publishes a frame. */
#include "root.h"
#include "../kvmm/kvmm-info.h"

#define RW (MK_RIGHT_READ | MK_RIGHT_WRITE)

static uint64_t vmm_bell;       /* the VMM's notification, badge KVMM_NTFN_CHAN */

/* The frame, mapped and started: its cap, or 0 (said why). */
static uint64_t make(void)
{
        uint64_t f = rt_slots(1);
        int r = rt_try_alloc(MK_OBJ_FRAME, 21, 1, f);

        if (r == MK_OK)
                r = rt_map_sized(rt.info->vspace, f, RT_CHANNEL_VADDR, RW, MK_MAP_EXECUTE_NEVER, 1);
        if (r != MK_OK) {
                rt_say("kvmm: no frame for the display channel (kernel error %d)", r);
                return 0;
        }
        rt_channel_start((void *)RT_CHANNEL_VADDR, KVMM_CHAN_SIZE);
        return f;
}

int rt_kvmm_chan_give(uint64_t gs, uint64_t pml4, uint64_t cnode, uint64_t ntfn,
                      struct kvmm_info *info)
{
        uint64_t fb_bytes = (uint64_t)rt.fb.stride * rt.fb.height * 4 + 4096;
        uint64_t f, g;

        if (rt_channel_here())
                return 0;       /* a channel through QEMU's ivshmem is the root's already */
        if (fb_bytes > KVMM_CHAN_GPA - KVMM_FB_GPA) {
                rt_say("kvmm: the framebuffer reaches the channel's window: no channel");
                return 0;
        }
        f = make();
        if (!f)
                return 0;
        rt_must(rt_map_sized(pml4, rt_copy(f, RW, 0), KVMM_CHAN_VADDR, RW, MK_MAP_EXECUTE_NEVER, 1),
                "kvmm: map the channel into the VMM");
        g = rt_copy(f, RW, 0);
        rt_must(rt_map_sized(gs, g, KVMM_CHAN_GPA, RW, 0, 1), "kvmm: the channel window's tables");
        rt_must(mku_page_unmap(g), "kvmm: unmap the channel's first place");
        rt_give_to(cnode, KVMM_CAP_CHAN_GSPACE, gs);
        rt_give_to(cnode, KVMM_CAP_CHAN_FRAME, g);
        rt_give_to(cnode, KVMM_CAP_CHAN_ROOT, rt_copy(rt.ntfn, MK_RIGHT_WRITE, RT_BADGE_CHAN));
        vmm_bell = rt_copy(ntfn, MK_RIGHT_WRITE, KVMM_NTFN_CHAN);
        rt_channel_wake_on(rt.ntfn);
        info->chan.present = 1;
        rt_say("kvmm: display channel 640x400 in a frame of its own, given to the VMM as ivshmem BAR2");
        return 1;
}

void rt_kvmm_chan_ring(void)
{
        if (vmm_bell)
                (void)mku_signal(vmm_bell);
}
