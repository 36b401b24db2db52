/* tests/kernel/boot.c: what the arch layer does at boot: more memory
 * regions after mk_boot (RAM and device memory, which the core must never
 * touch: here it lies at an address nothing maps, so a single access would
 * crash the test), the control caps, and invocations run as the root
 * thread through the syscall path. */
#include "kt.h"

#define DEVICE_BASE ((uintptr_t)1 << 44)        /* unmapped on the host */

static unsigned char ram[1u << 20] __attribute__((aligned(1u << 20)));
static unsigned char ram2[1u << 17] __attribute__((aligned(1u << 16)));

static uint64_t retype(uint64_t ut, uint64_t type, uint64_t bits, uint64_t dest)
{
        const uint64_t mr[5] = { type, bits, KT_CNODE, dest, 1 };

        return (uint64_t)mk_boot_invoke(&kt_k, ut, MK_UNTYPED_RETYPE, mr, 5);
}

static void regions(void)
{
        uint64_t first = kt_bi.untyped_first, count = kt_bi.untyped_count, dev, f;
        int n;

        n = mk_boot_untyped(&kt_k, &kt_bi, (uintptr_t)ram, sizeof(ram), false);
        is_int(n, 1, "a 1 MiB aligned region is one untyped");
        ok(kt_bi.untyped_first == first && kt_bi.untyped_count == count + 1, "untyped list extended");
        is_int(kt_slot(kt_bi.empty_first - 1)->cap.bits, 20, "of 20 bits");
        n = mk_boot_untyped(&kt_k, &kt_bi, (uintptr_t)ram2 + 4096, 3 * 4096 + 16, false);
        is_int(n, 2, "an unaligned region: 4 KiB and 8 KiB (the tail is too small)");
        dev = kt_bi.empty_first;
        n = mk_boot_untyped(&kt_k, &kt_bi, DEVICE_BASE, 1u << 22, true);
        is_int(n, 1, "a device region");
        ok(kt_slot(dev)->cap.flags & MK_CAPF_DEVICE, "its cap is marked device");
        is_int(kt_bi.untyped_count, count + 4, "four more untyped caps");
        kt_next = kt_bi.empty_first;

        f = kt_next++;
        is_int(retype(dev, MK_OBJ_TCB, 0, kt_next), MK_E_ILLEGAL_OP, "no TCB from device memory");
        is_int(retype(dev, MK_OBJ_UNTYPED, 12, f), MK_OK, "a smaller untyped from device memory");
        ok(kt_slot(f)->cap.flags & MK_CAPF_DEVICE, "it is device memory too");
        is_int(retype(f, MK_OBJ_ENDPOINT, 0, kt_next), MK_E_ILLEGAL_OP, "no endpoint from it");
        f = kt_next++;
        is_int(retype(dev, MK_OBJ_FRAME, 21, f), MK_OK, "a 2 MiB frame from device memory (not zeroed)");
        ok(kt_slot(f)->cap.flags & MK_CAPF_DEVICE, "the frame is marked device");
        is_int(kt_slot(f)->cap.obj, DEVICE_BASE + (2u << 20), "after the untyped, aligned to its size");
        is_int(retype(kt_ut, MK_OBJ_IRQ_CONTROL, 0, kt_next), MK_E_INVALID_ARG,
               "capability-only types cannot be retyped");
        is_int(retype(kt_ut, MK_OBJ_IOPORT, 0, kt_next), MK_E_INVALID_ARG, "nor an I/O port");
}

static void control_caps(void)
{
        int64_t irq, io;

        kt_bi.empty_first = kt_next;
        irq = mk_boot_control_cap(&kt_k, &kt_bi, MK_OBJ_IRQ_CONTROL);
        io = mk_boot_control_cap(&kt_k, &kt_bi, MK_OBJ_IOPORT_CONTROL);
        ok(irq > 0 && kt_slot((uint64_t)irq)->cap.type == MK_OBJ_IRQ_CONTROL, "IRQ control cap");
        ok(io == irq + 1 && kt_slot((uint64_t)io)->cap.type == MK_OBJ_IOPORT_CONTROL, "I/O port control cap");
        is_int(kt_bi.empty_first, (uint64_t)io + 1, "empty_first moves on");
        is_int(mk_boot_control_cap(&kt_k, &kt_bi, MK_OBJ_ENDPOINT), -1, "only control types");
        is_int(mk_boot_untyped(&kt_k, &kt_bi, (uintptr_t)ram2 + 65536, 4096, false), -1,
               "untyped after control caps: the list would not be contiguous");
        kt_next = kt_bi.empty_first;
}

/* Boot modules: read-only frames over memory no Untyped covers; every
 * refusal makes nothing. */
static void module_frames(void)
{
        static unsigned char mod[3 * 4096] __attribute__((aligned(4096)));
        uint64_t first = kt_next, nslots = (uint64_t)1 << kt_bi.cnode_radix, copy;
        const uint64_t mr[5] = { first + 4, 64, first + 1, 64, MK_RIGHTS_ALL };

        is_int(mk_boot_frames(&kt_k, first, (uintptr_t)mod + 16, 1, MK_RIGHT_READ), -1,
               "module frames: an unaligned base is refused");
        is_int(mk_boot_frames(&kt_k, first, (uintptr_t)mod, 1, 0x80), -1, "unknown rights refused");
        is_int(mk_boot_frames(&kt_k, nslots - 1, (uintptr_t)mod, 2, MK_RIGHT_READ), -1,
               "frames past the CNode's end refused");
        is_int(mk_boot_frames(&kt_k, first, (uintptr_t)mod, ~(uint64_t)0, MK_RIGHT_READ), -1,
               "a page count that wraps refused");
        is_int(mk_boot_frames(&kt_k, kt_bi.tcb_cptr, (uintptr_t)mod, 1, MK_RIGHT_READ), -1,
               "a taken slot refused");
        ok(kt_slot(first)->cap.type == MK_OBJ_NULL, "and nothing was made");
        is_int(mk_boot_frames(&kt_k, first, (uintptr_t)mod, 3, MK_RIGHT_READ), 3, "three frames");
        ok(kt_slot(first + 2)->cap.type == MK_OBJ_FRAME && kt_slot(first + 2)->cap.bits == 12 &&
           kt_slot(first + 2)->cap.obj == (uintptr_t)mod + 8192, "in order over the module");
        is_int(kt_slot(first + 1)->cap.rights, MK_RIGHT_READ, "read-only");
        is_int(mk_boot_frames(&kt_k, first + 2, (uintptr_t)mod, 2, MK_RIGHT_READ), -1,
               "over a slot a frame already holds: refused");
        copy = first + 4;
        is_int(mk_boot_invoke(&kt_k, KT_CNODE, MK_CNODE_COPY, mr, 5), MK_OK, "a copy with all rights");
        is_int(kt_slot(copy)->cap.rights, MK_RIGHT_READ, "stays read-only");
        kt_next = first + 5;
}

static void full_cnode(void)
{
        static unsigned char small[1u << 16] __attribute__((aligned(1u << 16)));
        struct mk_kernel k;
        struct mk_bootinfo bi;

        ok(mk_boot(&k, small, sizeof(small), 3, &bi) == 0, "boot with an 8-slot CNode");
        is_int(mk_boot_untyped(&k, &bi, (uintptr_t)ram2 + 65536, 4096 * 15, false), -1,
               "a region needing more slots than are left");
        is_int(bi.empty_first, 8, "the CNode is full");
        is_int(mk_boot_control_cap(&k, &bi, MK_OBJ_IRQ_CONTROL), -1, "no slot for a control cap");
}

int main(void)
{
        uint64_t mr[2] = { 7, 0 };

        kt_boot();
        regions();
        control_caps();
        is_int(mk_boot_invoke(&kt_k, kt_bi.tcb_cptr, MK_TCB_SET_PRIORITY, mr, 1), MK_OK,
               "mk_boot_invoke runs a method as the root thread");
        is_int(kt_root()->prio, 7, "and it took effect");
        is_int(mk_boot_invoke(&kt_k, kt_bi.tcb_cptr, MK_TCB_SET_PRIORITY, mr, 65), MK_E_INVALID_ARG,
               "more than 64 message registers");
        module_frames();
        full_cnode();
        return tap_done();
}
