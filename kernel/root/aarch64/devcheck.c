/* kernel/root/aarch64/devcheck.c: what the kernel refuses when the root
 * task asks for device memory as anything but device memory
 * (thatte.test=hostile, before display.c maps any of it): kernel objects
 * retyped from fw_cfg's device Untyped or from the RAM set aside for the
 * ramfb (only Frames come from device memory), a Frame larger than the
 * Untyped, a device Frame as a thread's IPC buffer (the kernel would
 * write messages into a device); and device memory where the kernel
 * handed none (ordinary RAM): no device Untyped covers it, so no device
 * Frame can be made of it. Each line says what was asked and
 * what the kernel answered; then the Untyped is whole again. */
#include "root.h"

/* The slot of the device Untyped covering paddr, 0: none. */
static uint64_t device_untyped(uint64_t paddr)
{
        const struct thatte_root_info *in = rt.info;

        for (uint64_t i = 0; i < in->untyped_count && i < THATTE_ROOT_UNTYPED_MAX; i++)
                if (in->untyped[i].is_device && paddr >= in->untyped[i].paddr &&
                    paddr - in->untyped[i].paddr < 1ull << in->untyped[i].size_bits)
                        return in->untyped_first + i;
        return 0;
}

static unsigned asked, refused;

static void expect(const char *what, int r, int want)
{
        asked++;
        refused += r == want;
        rt_say("device refusal: %s: kernel error %d (%s)", what, r, r == want ? "refused" : "WRONG");
}

/* ut's retype of one object of type/bits into a fresh slot; a success
 * is undone at once, so the Untyped stays whole. */
static int retype(uint64_t ut, uint64_t type, uint64_t bits)
{
        uint64_t slot = rt_slots(1);
        int r = mku_untyped_retype(ut, type, bits, rt.info->cnode, slot, 1);

        if (r == MK_OK)
                (void)mku_cnode_delete(rt.info->cnode, slot, RT_DEPTH);
        return r;
}

void rt_check_device_refusals(void)
{
        const struct thatte_root_devices *d = &rt.info->devices;
        uint64_t fw = d->fw_cfg ? device_untyped(d->fw_cfg) : 0, ram, frame;

        if (fw) {
                expect("a TCB from fw_cfg's device Untyped", retype(fw, MK_OBJ_TCB, 0), MK_E_ILLEGAL_OP);
                expect("a CNode from fw_cfg's device Untyped", retype(fw, MK_OBJ_CNODE, 4), MK_E_ILLEGAL_OP);
                expect("a 2 MiB Frame from fw_cfg's 4 KiB device Untyped", retype(fw, MK_OBJ_FRAME, 21),
                       MK_E_RANGE);
                frame = rt_slots(1);
                rt_must(mku_untyped_retype(fw, MK_OBJ_FRAME, 12, rt.info->cnode, frame, 1),
                        "a Frame of fw_cfg");
                expect("fw_cfg's device Frame as the root thread's IPC buffer",
                       mku_tcb_set_ipc_buffer(rt.info->tcb, RT_SCRATCH_VADDR, frame), MK_E_ILLEGAL_OP);
                rt_must(mku_cnode_delete(rt.info->cnode, frame, RT_DEPTH), "delete fw_cfg's Frame");
        }
        ram = d->ramfb ? device_untyped(d->ramfb) : 0;
        if (ram)
                expect("an endpoint from the ramfb's RAM (a device Untyped)",
                       retype(ram, MK_OBJ_ENDPOINT, 0), MK_E_ILLEGAL_OP);
        asked++;
        if (!rt.info->untyped[0].is_device && !device_untyped(rt.info->untyped[0].paddr)) {
                refused++;
                rt_say("device refusal: RAM at 0x%lx as device memory: no device Untyped covers it "
                       "(refused)", (unsigned long)rt.info->untyped[0].paddr);
        }
        rt_say("device refusals: %u of %u refused", refused, asked);
}
