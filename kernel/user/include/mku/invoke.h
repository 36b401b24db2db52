/* mku/invoke.h: one wrapper per kernel object method of thatte-mk (the
 * labels of thatte/mk.h), so a program names what it does instead of
 * packing message registers. Each returns MK_OK or the kernel's MK_E_*.
 * CPtrs are resolved by the kernel in the caller's CSpace with depth 64;
 * (index, depth) pairs address slots inside the invoked CNode. */
#ifndef MKU_INVOKE_H
#define MKU_INVOKE_H

#include "mku/syscall.h"

#define MKU_ARGS(...) (sizeof((uint64_t[]){ __VA_ARGS__ }) / sizeof(uint64_t)), \
        (const uint64_t[]){ __VA_ARGS__ }

/* Untyped: count objects of type (size_bits for Untyped, CNode radix,
 * Frame 12 or 21) into slots [offset, offset + count) of dest_cnode. */
static inline int mku_untyped_retype(uint64_t ut, uint64_t type, uint64_t size_bits,
                                     uint64_t dest_cnode, uint64_t offset, uint64_t count)
{
        return mku_invoke(ut, MK_UNTYPED_RETYPE,
                          MKU_ARGS(type, size_bits, dest_cnode, offset, count), NULL);
}

static inline int mku_cnode_copy(uint64_t cnode, uint64_t dest, uint64_t dest_depth,
                                 uint64_t src, uint64_t src_depth, uint64_t rights)
{
        return mku_invoke(cnode, MK_CNODE_COPY,
                          MKU_ARGS(dest, dest_depth, src, src_depth, rights), NULL);
}

/* badge: Endpoint/Notification badge, or for a CNode guard | bits << 58. */
static inline int mku_cnode_mint(uint64_t cnode, uint64_t dest, uint64_t dest_depth,
                                 uint64_t src, uint64_t src_depth, uint64_t rights,
                                 uint64_t badge)
{
        return mku_invoke(cnode, MK_CNODE_MINT,
                          MKU_ARGS(dest, dest_depth, src, src_depth, rights, badge), NULL);
}

static inline int mku_cnode_move(uint64_t cnode, uint64_t dest, uint64_t dest_depth,
                                 uint64_t src, uint64_t src_depth)
{
        return mku_invoke(cnode, MK_CNODE_MOVE,
                          MKU_ARGS(dest, dest_depth, src, src_depth), NULL);
}

static inline int mku_cnode_delete(uint64_t cnode, uint64_t index, uint64_t depth)
{
        return mku_invoke(cnode, MK_CNODE_DELETE, MKU_ARGS(index, depth), NULL);
}

static inline int mku_cnode_revoke(uint64_t cnode, uint64_t index, uint64_t depth)
{
        return mku_invoke(cnode, MK_CNODE_REVOKE, MKU_ARGS(index, depth), NULL);
}

/* vspace 0: none; fault_ep 0: none (faults suspend the thread). */
static inline int mku_tcb_configure(uint64_t tcb, uint64_t cspace, uint64_t vspace,
                                    uint64_t fault_ep)
{
        return mku_invoke(tcb, MK_TCB_CONFIGURE, MKU_ARGS(cspace, vspace, fault_ep), NULL);
}

static inline int mku_tcb_set_priority(uint64_t tcb, uint64_t prio)
{
        return mku_invoke(tcb, MK_TCB_SET_PRIORITY, MKU_ARGS(prio), NULL);
}

static inline int mku_tcb_resume(uint64_t tcb)
{
        return mku_invoke(tcb, MK_TCB_RESUME, 0, NULL, NULL);
}

static inline int mku_tcb_suspend(uint64_t tcb)
{
        return mku_invoke(tcb, MK_TCB_SUSPEND, 0, NULL, NULL);
}

static inline int mku_tcb_bind_notification(uint64_t tcb, uint64_t ntfn)
{
        return mku_invoke(tcb, MK_TCB_BIND_NOTIFICATION, MKU_ARGS(ntfn), NULL);
}

static inline int mku_tcb_unbind_notification(uint64_t tcb)
{
        return mku_invoke(tcb, MK_TCB_UNBIND_NOTIFICATION, 0, NULL, NULL);
}

/* Start (resume 1) or just place a thread at rip with rsp and rdi = arg. */
static inline int mku_tcb_write_registers(uint64_t tcb, uint64_t rip, uint64_t rsp,
                                          uint64_t arg, uint64_t resume)
{
        return mku_invoke(tcb, MK_TCB_WRITE_REGISTERS, MKU_ARGS(rip, rsp, arg, resume), NULL);
}

/* The same with a TLS base (x86-64: the FS base the thread runs with). */
static inline int mku_tcb_write_registers_tls(uint64_t tcb, uint64_t rip, uint64_t rsp,
                                              uint64_t arg, uint64_t resume, uint64_t tls)
{
        return mku_invoke(tcb, MK_TCB_WRITE_REGISTERS, MKU_ARGS(rip, rsp, arg, resume, tls),
                          NULL);
}

/* The 4 KiB frame cap frame is mapped at vaddr in the thread's space. */
static inline int mku_tcb_set_ipc_buffer(uint64_t tcb, uint64_t vaddr, uint64_t frame)
{
        return mku_invoke(tcb, MK_TCB_SET_IPC_BUFFER, MKU_ARGS(vaddr, frame), NULL);
}

/* Frames and page tables: map at vaddr of the PML4 cap pml4. */
static inline int mku_page_map(uint64_t page, uint64_t pml4, uint64_t vaddr,
                               uint64_t rights, uint64_t attrs)
{
        return mku_invoke(page, MK_PAGE_MAP, MKU_ARGS(pml4, vaddr, rights, attrs), NULL);
}

static inline int mku_page_unmap(uint64_t page)
{
        return mku_invoke(page, MK_PAGE_UNMAP, 0, NULL, NULL);
}

/* IRQs: a handler cap for irq into slot index of cnode. */
static inline int mku_irq_control_get(uint64_t ctl, uint64_t irq, uint64_t cnode,
                                      uint64_t index)
{
        return mku_invoke(ctl, MK_IRQ_CONTROL_GET, MKU_ARGS(irq, cnode, index), NULL);
}

static inline int mku_irq_handler_set_notification(uint64_t handler, uint64_t ntfn)
{
        return mku_invoke(handler, MK_IRQ_HANDLER_SET_NOTIFICATION, MKU_ARGS(ntfn), NULL);
}

static inline int mku_irq_handler_ack(uint64_t handler)
{
        return mku_invoke(handler, MK_IRQ_HANDLER_ACK, 0, NULL, NULL);
}

static inline int mku_irq_handler_clear(uint64_t handler)
{
        return mku_invoke(handler, MK_IRQ_HANDLER_CLEAR, 0, NULL, NULL);
}

/* I/O ports: a cap for [first, last] into slot index of cnode. */
static inline int mku_ioport_issue(uint64_t ctl, uint64_t first, uint64_t last,
                                   uint64_t cnode, uint64_t index)
{
        return mku_invoke(ctl, MK_IOPORT_CONTROL_ISSUE, MKU_ARGS(first, last, cnode, index),
                          NULL);
}

/* width 1, 2 or 4 bytes. */
static inline int mku_ioport_in(uint64_t cap, uint64_t port, uint64_t width,
                                uint32_t *ret_value)
{
        uint64_t v = 0;
        int r = mku_invoke(cap, MK_IOPORT_IN, MKU_ARGS(port, width), &v);

        if (r == MK_OK)
                *ret_value = (uint32_t)v;
        return r;
}

/* DebugConsole (unbadged): the longest kernel stretch since the last call. */
static inline int mku_debug_stretch(uint64_t con, uint64_t *ret_ticks)
{
        return mku_invoke(con, MK_DEBUG_STRETCH, 0, NULL, ret_ticks);
}

/* The same, and the most bytes one DEBUG_PUT step handed to the console. */
static inline int mku_debug_stretch_steps(uint64_t con, uint64_t *ret_ticks,
                                          uint64_t *ret_bytes)
{
        struct mk_regs r = { .nr = MK_SYS_CALL, .cptr = con,
                             .info = mk_info(MK_DEBUG_STRETCH, 0, 0) };

        mku_syscall(&r);
        *ret_ticks = r.mr[0];
        *ret_bytes = r.mr[1];
        return (int)r.nr;
}

/* The clock ticks the CPU spent idle since boot and the clock at the
 * call (MK_DEBUG_STRETCH's mr2, mr3; the unbadged console only). */
static inline int mku_debug_idle(uint64_t con, uint64_t *ret_idle, uint64_t *ret_now)
{
        struct mk_regs r = { .nr = MK_SYS_CALL, .cptr = con,
                             .info = mk_info(MK_DEBUG_STRETCH, 0, 0) };

        mku_syscall(&r);
        *ret_idle = r.mr[2];
        *ret_now = r.mr[3];
        return (int)r.nr;
}

static inline int mku_ioport_out(uint64_t cap, uint64_t port, uint64_t width, uint32_t value)
{
        return mku_invoke(cap, MK_IOPORT_OUT, MKU_ARGS(port, width, value), NULL);
}

/* VCPUs: tcb 0 unbinds, space 0 drops the guest space. */
static inline int mku_vcpu_set_tcb(uint64_t vcpu, uint64_t tcb)
{
        return mku_invoke(vcpu, MK_VCPU_SET_TCB, MKU_ARGS(tcb), NULL);
}

static inline int mku_vcpu_set_space(uint64_t vcpu, uint64_t space)
{
        return mku_invoke(vcpu, MK_VCPU_SET_SPACE, MKU_ARGS(space), NULL);
}

/* field: MK_VCPU_STATE_*. */
static inline int mku_vcpu_write_state(uint64_t vcpu, uint64_t field, uint64_t value)
{
        return mku_invoke(vcpu, MK_VCPU_WRITE_STATE, MKU_ARGS(field, value), NULL);
}

static inline int mku_vcpu_read_state(uint64_t vcpu, uint64_t field, uint64_t *ret_value)
{
        return mku_invoke(vcpu, MK_VCPU_READ_STATE, MKU_ARGS(field), ret_value);
}

static inline int mku_vcpu_allow_ports(uint64_t vcpu, uint64_t ioport)
{
        return mku_invoke(vcpu, MK_VCPU_ALLOW_PORTS, MKU_ARGS(ioport), NULL);
}

#endif
