/* kernel/root/hostile.h: what the root task's hostile-children test
 * (thatte.test=hostile, hostile*.c) and the code its children run
 * (hostile.S) agree on. Included by C and assembly: plain #defines only;
 * hostile.c checks the structure offsets against them. */
#ifndef THATTE_ROOT_HOSTILE_H
#define THATTE_ROOT_HOSTILE_H

/* The child's virtual layout: its code sits at the addresses it was linked
 * at (the .child pages of the root image, below 0x5f0000); the page table
 * covering 0x400000..0x5fffff is the root's, the 2 MiB regions above are
 * for tables the child maps itself. */
#define HS_SCRIPT_VADDR 0x5f0000        /* the script, shared with the root */
#define HS_IPCBUF_VADDR 0x5f1000        /* the hostile thread's IPC buffer */
#define HS_PROBE_IPCBUF_VADDR 0x5f2000  /* the probe thread's */
#define HS_FREE_VADDR   0x5f8000        /* pages the cases map (8 of them) */
#define HS_REGION_A     0x600000        /* 2 MiB regions for the child's tables */
#define HS_REGION_B     0x800000
#define HS_REGION_C     0xa00000

/* The script: a header, then ops the child runs one after the other. */
#define HS_COUNT 0              /* number of ops */
#define HS_INDEX 8              /* the op running (written by the child) */
#define HS_IPCBUF 16            /* where the child writes ipc mr4, mr5 (0: nowhere) */
#define HS_PROBE 24             /* the word the probe thread read */
#define HS_OPS 64
#define HS_OP_SIZE 128
#define HS_OPS_MAX ((4096 - HS_OPS) / HS_OP_SIZE)

/* One op (byte offsets). */
#define OP_KIND 0               /* HS_OP_* */
#define OP_FILL 8               /* every register the syscall ABI leaves free
                                 * (rax rbx rcx rbp r11 r14 r15, and rsp) */
#define OP_NR 16                /* syscall: rdi; load/store: unused */
#define OP_CPTR 24              /* rsi; load/store: the address */
#define OP_INFO 32              /* rdx */
#define OP_REPLY 40             /* r10 */
#define OP_MR0 48               /* r8, r9, r12, r13; store: mr0 the value,
                                 * copy: mr0 the destination */
#define OP_IPC4 80              /* IPC buffer mr4, mr5 */
#define OP_IPC5 88
#define OP_OUT_NR 96            /* after: rdi (the result; load, copy: the word) */
#define OP_OUT_CPTR 104         /* rsi (badge) */
#define OP_OUT_INFO 112         /* rdx */
#define OP_OUT_MR0 120          /* r8 */

/* child_flag_delete's flag, then its two results: words of the script
 * header (struct hs_script pad[0..2]). */
#define HS_FLAG 32
#define HS_INFO_PAGE_UNMAP 0xe000       /* mk_info(MK_PAGE_UNMAP, 0, 0) */
/* child_delete_late: CNODE_DELETE (a CALL with this info word) of slot
 * HS_C_BIG of the CNode in slot 1, once the TSC has passed rdi. */
#define HS_SYS_CALL 1
#define HS_INFO_CNODE_DELETE 0x5002     /* mk_info(MK_CNODE_DELETE, 0, 2) */
#define HS_C_BIG 17

#define HS_OP_SYSCALL 0
#define HS_OP_LOAD 1
#define HS_OP_STORE 2
#define HS_OP_COPY 3            /* the word at OP_CPTR to the address in OP_MR0 */
#define HS_OP_STD 4             /* set DF: it stays set for the ops after */

/* The fault vectors the cases expect (the fault message's mr3): the
 * script's end (x86-64: ud2's #UD; aarch64: udf, exception class 0), a
 * page fault on a load or store (#PF; aarch64: a data abort from EL0,
 * class 0x24) and on an instruction fetch (#PF; aarch64: an instruction
 * abort, class 0x20); x86-64 also takes a #GP for an address that is not
 * canonical. */
#if defined(__aarch64__)
#define HS_VEC_END 0
#define HS_VEC_PF 0x24
#define HS_VEC_FETCH 0x20
#define HS_VEC_GP 0xffffffffffffffff    /* none: every address faults with FAR */
#else
#define HS_VEC_END 6
#define HS_VEC_PF 14
#define HS_VEC_FETCH 14
#define HS_VEC_GP 13
#endif

#endif
