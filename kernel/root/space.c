/* kernel/root/space.c: the second address space. A new PML4 gets the child
 * code (child.S, the .child pages of this image) copied into fresh frames
 * and mapped read-only at the addresses it was linked at, a page shared
 * with the root, two CNodes (an empty one, and one for the services that
 * get capabilities through give.c), and per thread a stack and an IPC buffer, each a new
 * frame; page tables are made on the way by rt_map. */
#include "root.h"

_Static_assert(CHILD_SYS_SEND == MK_SYS_SEND, "child.h syscall numbers");
_Static_assert(CHILD_SYS_RECV == MK_SYS_RECV, "child.h syscall numbers");
_Static_assert(CHILD_SYS_REPLY_RECV == MK_SYS_REPLY_RECV, "child.h syscall numbers");
_Static_assert(CHILD_SYS_YIELD == MK_SYS_YIELD, "child.h syscall numbers");
_Static_assert(CHILD_SYS_DEBUG_PUT == MK_SYS_DEBUG_PUT, "child.h syscall numbers");

extern char __child_start[], __child_end[];

#define PAGE 4096u
#define RW (MK_RIGHT_READ | MK_RIGHT_WRITE)

static uint64_t scratch_next = RT_SCRATCH_VADDR;

/* A fresh frame holding a copy of the page at src, mapped read-only and
 * executable at the same address in pml4. The scratch address it is
 * filled through is never reused, so no stale TLB entry can matter. */
static void copy_code_page(uint64_t pml4, const char *src)
{
        uint64_t f = rt_new(MK_OBJ_FRAME, 12), va = scratch_next;
        char *dst = (char *)va;

        scratch_next += PAGE;
        rt_must(rt_map(rt.info->vspace, f, va, RW, MK_MAP_EXECUTE_NEVER), "map code copy");
        for (unsigned i = 0; i < PAGE; i++)
                dst[i] = src[i];
        rt_must(mku_page_unmap(f), "unmap code copy");
        rt_must(rt_map(pml4, f, (uint64_t)src, MK_RIGHT_READ, 0), "map child code");
}

static void map_shared(struct rt_space *s)
{
        uint64_t f = rt_new(MK_OBJ_FRAME, 12), f2;

        rt_must(rt_map(rt.info->vspace, f, CHILD_SHARED_VADDR, RW, MK_MAP_EXECUTE_NEVER),
             "map shared page");
        f2 = rt_copy(f, RW, 0);
        rt_must(rt_map(s->pml4, f2, CHILD_SHARED_VADDR, RW, MK_MAP_EXECUTE_NEVER),
             "map shared page in the child");
        s->shared = (volatile uint64_t *)CHILD_SHARED_VADDR;
}

void rt_space_create(struct rt_space *s)
{
        uint64_t guard = (uint64_t)(64 - CHILD_CNODE_RADIX) << 58;

        s->pml4 = rt_new(MK_OBJ_PML4, 0);
        s->cspace = rt_copy(rt_new(MK_OBJ_CNODE, CHILD_CNODE_RADIX), MK_RIGHTS_ALL, guard);
        s->svc_cnode = rt_new(MK_OBJ_CNODE, CHILD_CNODE_RADIX);
        s->svc_cspace = rt_copy(s->svc_cnode, MK_RIGHTS_ALL, guard);
        s->threads = 0;
        for (char *p = __child_start; p < __child_end; p += PAGE)
                copy_code_page(s->pml4, p);
        map_shared(s);
}

void rt_thread_create(struct rt_space *s, struct rt_thread *t, uint64_t cspace,
                      uint64_t prio, uint64_t fault_ep)
{
        uint64_t i = s->threads++, stack, buf, stack_va, buf_va;

        if (i >= CHILD_THREADS_MAX)
                rt_fail("too many child threads", MK_E_RANGE);
        stack_va = CHILD_STACK_VADDR + i * 2 * PAGE;
        buf_va = CHILD_IPCBUF_VADDR + i * PAGE;
        t->tcb = rt_new(MK_OBJ_TCB, 0);
        stack = rt_new(MK_OBJ_FRAME, 12);
        buf = rt_new(MK_OBJ_FRAME, 12);
        rt_must(rt_map(s->pml4, stack, stack_va, RW, MK_MAP_EXECUTE_NEVER), "map child stack");
        rt_must(rt_map(s->pml4, buf, buf_va, RW, MK_MAP_EXECUTE_NEVER), "map child IPC buffer");
        rt_must(mku_tcb_configure(t->tcb, cspace, s->pml4, fault_ep), "tcb configure");
        rt_must(mku_tcb_set_ipc_buffer(t->tcb, buf_va, buf), "tcb set ipc buffer");
        rt_must(mku_tcb_set_priority(t->tcb, prio), "tcb set priority");
        t->stack_top = stack_va + PAGE;
}

void rt_thread_start(struct rt_thread *t, void (*entry)(void), uint64_t arg)
{
        rt_must(mku_tcb_write_registers(t->tcb, (uint64_t)(uintptr_t)entry, t->stack_top, arg, 1),
             "tcb write registers");
}

void rt_thread_stop(struct rt_thread *t)
{
        rt_must(mku_tcb_suspend(t->tcb), "tcb suspend");
}
