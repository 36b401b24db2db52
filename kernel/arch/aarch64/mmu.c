/* kernel/arch/aarch64/mmu.c: the user half (TTBR0), built by the core
 * (kernel/core/vspace.c) with the invocations user code would make
 * (mk_boot_invoke as the root thread), so its descriptors are the core's
 * (core.h). The kernel half was built by head.S (TTBR1: all of the first
 * 4 GiB at KERNEL_VBASE + P) and stays. The bring-up task is the core's
 * root thread (its CSpace the root CNode, holding an unbadged DebugConsole
 * cap for it, then an Endpoint and a Reply object) and gets a level-0
 * table (its VSpace root, with its ASID), one table per lower level, the
 * code of user.S copied into Frames at ARCH_USER_CODE, read-only and
 * executable for EL0 only, a stack Frame below ARCH_USER_STACK, writable
 * and never executable, and the ramfb's buffer as 2 MiB device Frames,
 * write-combining. Installing it switches TTBR0 to 47-bit addresses
 * (T0SZ 17: four levels) and drops head.S's identity mapping. */
#include "arch.h"
#include "kernel.h"

static uint64_t next_slot, vspace;
uint64_t arch_user_console;

static struct mk_cte *slot_of(uint64_t i)
{
        return &mk_cnode_slots(&arch_k.boot_slots[0].cap)[i];
}

static void invoke(uint64_t cptr, uint64_t label, const uint64_t *mr, unsigned n, const char *what)
{
        int r = mk_boot_invoke(&arch_k, cptr, label, mr, n);

        if (r != MK_OK)
                arch_panic("user: %s: error %d", what, r);
}

/* A new object of type (size bits for Frames) in the next free slot, from
 * the first Untyped among [from, to) with room. */
static uint64_t alloc_from(uint64_t from, uint64_t to, uint8_t type, uint64_t bits)
{
        uint64_t mr[5] = { type, bits, arch_bi.cnode_cptr, next_slot, 1 };

        for (uint64_t u = from; u < to; u++)
                if (mk_boot_invoke(&arch_k, u, MK_UNTYPED_RETYPE, mr, 5) == MK_OK)
                        return next_slot++;
        arch_panic("user: out of memory for object type %u", type);
}

static uint64_t alloc(uint8_t type, uint64_t bits)
{
        uint64_t end = arch_device_untyped ? arch_device_untyped
                                           : arch_bi.untyped_first + arch_bi.untyped_count;

        return alloc_from(arch_bi.untyped_first, end, type, bits);
}

/* The copy of the task's code must reach the point where instruction
 * fetches see it (the data cache's lines cleaned to the point of
 * unification; ic iallu follows when TTBR0 is installed). */
static void clean_dcache(const void *p, uint64_t n)
{
        uint64_t line = 4ull << (sysreg_read(ctr_el0) >> 16 & 0xf);

        for (uint64_t a = (uintptr_t)p & ~(line - 1); a < (uintptr_t)p + n; a += line)
                __asm__ volatile("dc cvau, %0" : : "r"(a) : "memory");
}

static void map(uint64_t slot, uint64_t va, uint64_t rights, uint64_t attrs)
{
        uint64_t mr[4] = { vspace, va, rights, attrs };

        invoke(slot, MK_PAGE_MAP, mr, 4, "map");
}

static uint64_t code_size(void)
{
        return (uint64_t)(__user_end - __user_start);
}

/* The one level-3 table maps 2 MiB from ARCH_USER_CODE: code and stack
 * must both fall in it. */
_Static_assert(ARCH_USER_STACK - ARCH_USER_CODE <= (2ull << 20), "user pages span one level-3 table");
_Static_assert(ARCH_USER_FB >> 30 == ARCH_USER_CODE >> 30, "one level-2 table");

static void map_fb(void)
{
        uint64_t size = (uint64_t)arch_fb_width * arch_fb_height * 4, end = arch_device_untyped + 1;

        for (uint64_t off = 0; off < size; off += 2ull << 20)
                map(alloc_from(arch_device_untyped, end, MK_OBJ_FRAME, MK_LARGE_FRAME_BITS), ARCH_USER_FB + off,
                    MK_RIGHT_READ | MK_RIGHT_WRITE, MK_MAP_WRITE_COMBINING | MK_MAP_EXECUTE_NEVER);
}

/* The task's second thread, a core thread like the first: same CSpace
 * and VSpace, priority 255, its own stack page below the first one's,
 * started at arch_user_partner with the DebugConsole cap in x0. */
_Static_assert(A64_PARTNER_MARK_VA == ARCH_USER_STACK - ARCH_PAGE - 16, "the partner's mark");
static void make_partner(void)
{
        uint64_t t = alloc(MK_OBJ_TCB, 0), sp = ARCH_USER_STACK - ARCH_PAGE;

        map(alloc(MK_OBJ_FRAME, MK_FRAME_BITS), sp - ARCH_PAGE, MK_RIGHT_READ | MK_RIGHT_WRITE,
            MK_MAP_EXECUTE_NEVER);
        invoke(t, MK_TCB_CONFIGURE, (uint64_t[]){ arch_bi.cnode_cptr, vspace, 0 }, 3, "TCB_CONFIGURE");
        invoke(t, MK_TCB_SET_PRIORITY, (uint64_t[]){ 255 }, 1, "TCB_SET_PRIORITY");
        invoke(t, MK_TCB_WRITE_REGISTERS,
               (uint64_t[]){ ARCH_USER_CODE + (uint64_t)(arch_user_partner - __user_start), sp,
                             arch_user_console, 1 }, 4, "TCB_WRITE_REGISTERS");
}

static void map_task(void)
{
        int64_t con = mk_boot_control_cap(&arch_k, &arch_bi, MK_OBJ_DEBUG_CONSOLE);

        if (con < 0)
                arch_panic("user: no slot for the DebugConsole cap");
        arch_user_console = (uint64_t)con;
        next_slot = arch_bi.empty_first;
        /* The two threads' endpoint and the second one's reply object,
         * right after the console cap: user.S finds them there. */
        if (alloc(MK_OBJ_ENDPOINT, 0) != arch_user_console + 1 || alloc(MK_OBJ_REPLY, 0) != arch_user_console + 2)
                arch_panic("user: the endpoint and reply caps are not after the console cap");
        vspace = alloc(MK_OBJ_PML4, 0);
        invoke(arch_bi.tcb_cptr, MK_TCB_CONFIGURE, (uint64_t[]){ arch_bi.cnode_cptr, vspace, 0 }, 3,
               "TCB_CONFIGURE");
        map(alloc(MK_OBJ_PDPT, 0), 0, MK_RIGHTS_ALL, 0);
        map(alloc(MK_OBJ_PD, 0), 0, MK_RIGHTS_ALL, 0);
        map(alloc(MK_OBJ_PT, 0), ARCH_USER_CODE & ~((2ull << 20) - 1), MK_RIGHTS_ALL, 0);
        for (uint64_t off = 0; off < code_size(); off += ARCH_PAGE) {
                uint64_t f = alloc(MK_OBJ_FRAME, MK_FRAME_BITS);

                mk_memcpy((void *)slot_of(f)->cap.obj, __user_start + off, ARCH_PAGE);
                clean_dcache((void *)slot_of(f)->cap.obj, ARCH_PAGE);
                map(f, ARCH_USER_CODE + off, MK_RIGHT_READ, 0);
        }
        map(alloc(MK_OBJ_FRAME, MK_FRAME_BITS), ARCH_USER_STACK - ARCH_PAGE,
            MK_RIGHT_READ | MK_RIGHT_WRITE, MK_MAP_EXECUTE_NEVER);
        if (arch_device_untyped)
                map_fb();
        make_partner();
}

uint64_t arch_mmu_user_init(void)
{
        const uint64_t *root;
        uint64_t tcr;

        map_task();
        root = (const uint64_t *)slot_of(vspace)->cap.obj;
        /* The table walker must see the entries (the code's copy too)
         * before TTBR0 names them; then every translation head.S's
         * identity map left goes, with the 39-bit size it had. */
        tcr = (sysreg_read(tcr_el1) & ~0x3full) | (64 - MK_USER_BITS);
        __asm__ volatile("dsb ish" ::: "memory");
        sysreg_write(tcr_el1, tcr);
        sysreg_write(ttbr0_el1, arch_virt_to_phys(root) | arch_root_asid(root) << 48);
        __asm__ volatile("isb; tlbi vmalle1; dsb ish; ic iallu; dsb ish; isb" ::: "memory");
        arch_context_start(root);
        return arch_root_asid(root);
}

bool arch_user_range_ok(uint64_t addr, uint64_t len)
{
        uint64_t end = addr + len;

        if (end < addr)
                return false;
        return (addr >= ARCH_USER_CODE && end <= ARCH_USER_CODE + code_size()) ||
               (addr >= ARCH_USER_STACK - ARCH_PAGE && end <= ARCH_USER_STACK);
}
