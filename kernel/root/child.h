/* kernel/root/child.h: what the root task and the code it runs in its
 * second address space (child.S) agree on. Included by C and assembly, so
 * plain #defines only; root.h checks them against thatte/mk.h. */
#ifndef THATTE_ROOT_CHILD_H
#define THATTE_ROOT_CHILD_H

/* Syscall numbers child.S uses (thatte/mk.h's enum, checked in space.c). */
#define CHILD_SYS_SEND 2
#define CHILD_SYS_RECV 4
#define CHILD_SYS_REPLY_RECV 7
#define CHILD_SYS_YIELD 8

/* CSpaces: threads that hold no capability (spinners, fault tests) get a
 * CNode of their own, 2^CHILD_CNODE_RADIX empty slots; the server and the
 * watchdog share the root's CSpace and get their CPtrs from the root (the
 * CNode methods copy only inside one CNode, see README.md). */
#define CHILD_CNODE_RADIX 4

/* Words of the shared page (byte offsets). */
#define CHILD_SH_WATCHDOG_NTFN 0        /* CPtr the watchdog signals */
#define CHILD_SH_COUNT 8                /* spinner i counts at + 8 * i */

/* The child's virtual layout (one page table covers all but the code,
 * which sits at the addresses it was linked at inside the root image). */
#define CHILD_SHARED_VADDR 0x20000000       /* one page, also mapped in the root */
#define CHILD_STACK_VADDR  0x20010000       /* thread i: page at + i * 0x2000 */
#define CHILD_IPCBUF_VADDR 0x20040000       /* thread i: page at + i * 0x1000 */
#define CHILD_THREADS_MAX 8
#define CHILD_FAULT_VADDR  0xdead0000       /* never mapped: the page-fault test */

#endif
