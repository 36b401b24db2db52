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
#define CHILD_SYS_DEBUG_PUT 9

/* CSpaces: two CNodes of 2^CHILD_CNODE_RADIX slots, each cap with a guard
 * so that slot numbers are CPtrs at depth 64. The service CSpace (server
 * and watchdog) holds exactly the caps below, handed over by the root
 * (give.c); the spinners and the faulting threads get an empty one. */
#define CHILD_CNODE_RADIX 4
#define CHILD_SLOT_EP 1         /* the endpoint the server receives on */
#define CHILD_SLOT_REPLY 2      /* the server's Reply object */
#define CHILD_SLOT_WATCHDOG 3   /* the root's notification, watchdog badge */
#define CHILD_SLOT_CONSOLE 4    /* a badged DebugConsole cap (console.c) */
#define CHILD_SLOT_NONE 5       /* always empty */
#define CHILD_SLOT_LANDING 15   /* where a cap sent over arrives first */

/* Words of the shared page (byte offsets). */
#define CHILD_SH_COUNT 0                /* spinner i counts at + 8 * i (i < 2: the
                                         * two words of one 16-byte block) */
/* The segment check (segs.c): what the two threads saw, and their TLS. */
#define CHILD_SH_SEG_A_TLS0 0x40        /* dirtier: %fs:0 at its start */
#define CHILD_SH_SEG_A_DS   0x48        /* its DS after a syscall */
#define CHILD_SH_SEG_A_TLS1 0x50        /* %fs:0 after its own loads and a syscall */
#define CHILD_SH_SEG_A_DONE 0x58
#define CHILD_SH_SEG_B_DS   0x60        /* prober: DS, ES, FS, GS at its start */
#define CHILD_SH_SEG_B_ES   0x68
#define CHILD_SH_SEG_B_FS   0x70
#define CHILD_SH_SEG_B_GS   0x78
#define CHILD_SH_SEG_B_TLS  0x80        /* its %fs:0 */
#define CHILD_SH_SEG_B_DONE 0x88
#define CHILD_SH_PUT_OK     0x90        /* console check: OR of three DEBUG_PUT results */
#define CHILD_SH_PUT_NONE   0x98        /* DEBUG_PUT through an empty slot */
#define CHILD_SH_PUT_DONE   0xa0
#define CHILD_SH_TLS_A      0x100       /* the word each TLS base points at */
#define CHILD_SH_TLS_B      0x108
#define CHILD_SEG_DIRT_SEL  3           /* the null selector with RPL 3 */
#define CHILD_SEG_DIRT_GS   0x1b        /* the user data selector */

/* The child's virtual layout (one page table covers all but the code,
 * which sits at the addresses it was linked at inside the root image). */
#define CHILD_SHARED_VADDR 0x20000000       /* one page, also mapped in the root */
#define CHILD_STACK_VADDR  0x20010000       /* thread i: page at + i * 0x2000 */
#define CHILD_IPCBUF_VADDR 0x20040000       /* thread i: page at + i * 0x1000 */
#define CHILD_THREADS_MAX 10
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
