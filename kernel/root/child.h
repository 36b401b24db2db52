/* kernel/root/child.h: what the root task and the code it runs in its
 * second address space (child.S, hostile.S) agree on. Included by C and
 * assembly, so plain #defines only (and, for assembly, one macro); root.h
 * checks them against thatte/mk.h. */
#ifndef THATTE_ROOT_CHILD_H
#define THATTE_ROOT_CHILD_H

/* Syscall numbers child.S uses (thatte/mk.h's enum, checked in space.c). */
#define CHILD_SYS_SEND 2
#define CHILD_SYS_RECV 4
#define CHILD_SYS_REPLY_RECV 7
#define CHILD_SYS_YIELD 8

/* CSpaces: two CNodes of 2^CHILD_CNODE_RADIX slots, each cap with a guard
 * so that slot numbers are CPtrs at depth 64. The service CSpace (server
 * and watchdog) holds exactly the caps below, handed over by the root
 * (give.c); the spinners and the faulting threads get an empty one. */
#define CHILD_CNODE_RADIX 4
#define CHILD_SLOT_EP 1         /* the endpoint the server receives on */
#define CHILD_SLOT_REPLY 2      /* the server's Reply object */
#define CHILD_SLOT_WATCHDOG 3   /* the root's notification, watchdog badge */
#define CHILD_SLOT_LANDING 15   /* where a cap sent over arrives first */

/* Words of the shared page (byte offsets). */
#define CHILD_SH_COUNT 0                /* spinner i counts at + 8 * i (i < 2: the
                                         * two words of one 16-byte block) */

/* The child's virtual layout (one page table covers all but the code,
 * which sits at the addresses it was linked at inside the root image). */
#define CHILD_SHARED_VADDR 0x20000000       /* one page, also mapped in the root */
#define CHILD_STACK_VADDR  0x20010000       /* thread i: page at + i * 0x2000 */
#define CHILD_IPCBUF_VADDR 0x20040000       /* thread i: page at + i * 0x1000 */
#define CHILD_THREADS_MAX 8
#define CHILD_FAULT_VADDR  0xdead0000       /* never mapped: the page-fault test */

#ifdef __ASSEMBLER__
/* spin_until_tsc: loop until the TSC passes rdi (rax, rcx, rdx change). */
.macro spin_until_tsc
        movq %rdi, %rcx
1:      rdtsc
        shlq $32, %rdx
        orq %rdx, %rax
        cmpq %rcx, %rax
        jb 1b
.endm
#endif

#endif
