/* kernel/root/aarch64/hostile.S: the aarch64 twin of ../hostile.S, the
 * code of the hostile children's scripts (hostile-env.c, hostile-sys.c),
 * in the .child pages like child.S: nothing outside them, its argument
 * in x0, the script page and its stack.
 *
 * child_script runs the script at HS_SCRIPT_VADDR (hostile.h): for each
 * op it loads the syscall registers (x0..x7: nr, cptr, info, reply,
 * mr0..mr3), sets every other register (x8..x30 and SP_EL0) to the op's
 * fill word, enters the kernel (SVC #0) and stores what came back; a
 * load, store or copy op touches memory instead (HS_OP_STD, x86-64's
 * direction flag, has nothing to set here: the op only counts). The end
 * is the udf at child_script_end (exception class 0, HS_VEC_END); a
 * fault on the way says how far it got (HS_INDEX). There are no stray
 * instruction cases (../hostile.c) on aarch64 yet. */
#include "child.h"
#include "hostile.h"
#include "clock.h"

        .section .child, "ax"

        .globl child_script, child_script_end, child_probe, child_probe_done
child_script:
1:      mov     x9, #HS_SCRIPT_VADDR
        ldr     x10, [x9, #HS_INDEX]
        ldr     x11, [x9, #HS_COUNT]
        cmp     x10, x11
        b.hs    child_script_end
        mov     x11, #HS_OP_SIZE
        madd    x10, x10, x11, x9
        add     x10, x10, #HS_OPS
        ldr     x11, [x10, #OP_KIND]
        cmp     x11, #HS_OP_LOAD
        b.eq    3f
        cmp     x11, #HS_OP_STORE
        b.eq    4f
        cmp     x11, #HS_OP_COPY
        b.eq    6f
        cmp     x11, #HS_OP_STD
        b.eq    5f
        ldr     x11, [x9, #HS_IPCBUF]
        cbz     x11, 2f
        ldr     x12, [x10, #OP_IPC4]
        str     x12, [x11, #32]
        ldr     x12, [x10, #OP_IPC5]
        str     x12, [x11, #40]
2:      ldp     x0, x1, [x10, #OP_NR]
        ldp     x2, x3, [x10, #OP_INFO]
        ldp     x4, x5, [x10, #OP_MR0]
        ldp     x6, x7, [x10, #OP_MR0 + 16]
        ldr     x8, [x10, #OP_FILL]
        mov     sp, x8
        .irp r, 9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
        mov     x\r, x8
        .endr
        svc     #0
        mov     x9, #HS_SCRIPT_VADDR
        ldr     x10, [x9, #HS_INDEX]
        mov     x11, #HS_OP_SIZE
        madd    x10, x10, x11, x9
        add     x10, x10, #HS_OPS
        stp     x0, x1, [x10, #OP_OUT_NR]
        str     x2, [x10, #OP_OUT_INFO]
        str     x4, [x10, #OP_OUT_MR0]
5:      ldr     x11, [x9, #HS_INDEX]
        add     x11, x11, #1
        str     x11, [x9, #HS_INDEX]
        b       1b
3:      ldr     x11, [x10, #OP_CPTR]
        ldr     x12, [x11]
        str     x12, [x10, #OP_OUT_NR]
        b       5b
4:      ldr     x11, [x10, #OP_CPTR]
        ldr     x12, [x10, #OP_MR0]
        str     x12, [x11]
        b       5b
6:      ldr     x11, [x10, #OP_CPTR]
        ldr     x12, [x11]
        str     x12, [x10, #OP_OUT_NR]
        ldr     x11, [x10, #OP_MR0]
        str     x12, [x11]
        b       5b
child_script_end:
        udf     #0

/* child_probe: read the word at x0 into HS_PROBE, then say done. */
child_probe:
        ldr     x9, [x0]
        mov     x10, #HS_SCRIPT_VADDR
        str     x9, [x10, #HS_PROBE]
child_probe_done:
        udf     #0

/* delete_big: CNODE_DELETE of slot HS_C_BIG of the CNode in slot 1, the
 * result in x0. */
.macro delete_big
        mov     x0, #HS_SYS_CALL
        mov     x1, #1
        mov     x2, #HS_INFO_CNODE_DELETE
        mov     x4, #HS_C_BIG
        mov     x5, #64
        svc     #0
.endm

/* child_delete_late: spin until the clock passes x0, then delete slot
 * HS_C_BIG of its CNode (while another thread may be in a long retype
 * from the Untyped there), then say done. */
        .globl child_delete_late, child_delete_done
child_delete_late:
        mov     x19, x0
1:      clock_ns x9
        cmp     x9, x19
        b.lo    1b
        delete_big
child_delete_done:
        udf     #0
        .ltorg

/* child_flag_delete: spin until the script's flag word is not 0 (the
 * other thread is about to start a long call), then unmap the frame in
 * slot HS_C_BIG and delete it as child_delete_late does, store both
 * results in the two words after the flag and say done. */
        .globl child_flag_delete, child_flag_done
child_flag_delete:
        mov     x19, #HS_SCRIPT_VADDR
1:      ldr     x9, [x19, #HS_FLAG]
        cbz     x9, 1b
        mov     x0, #HS_SYS_CALL
        mov     x1, #HS_C_BIG
        mov     x2, #HS_INFO_PAGE_UNMAP
        svc     #0
        str     x0, [x19, #HS_FLAG + 8]
        delete_big
        str     x0, [x19, #HS_FLAG + 16]
child_flag_done:
        udf     #0

        .section .note.GNU-stack, "", %progbits
