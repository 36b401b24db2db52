/* kernel/arch/aarch64/mmu.c: the user half (TTBR0). The kernel half was
 * built by head.S (TTBR1: all of the first 4 GiB at KERNEL_VBASE + P) and
 * stays. Here the bring-up task gets its pages: the code of user.S at
 * ARCH_USER_CODE, read-only and executable for EL0 only, and a stack page
 * below ARCH_USER_STACK, writable and never executable; both non-global
 * under ASID 1, so a later address space switch needs no full TLB flush.
 * Installing TTBR0 drops head.S's identity mapping. */
#include "arch.h"

#define DESC_TABLE 3ull                 /* levels 1, 2: next-level table */
#define DESC_PAGE 3ull                  /* level 3: 4 KiB page */
#define PTE_ATTR_NORMAL ((uint64_t)ATTR_NORMAL << 2)
#define PTE_AP_RW_ALL (1ull << 6)       /* EL1 and EL0 read/write */
#define PTE_AP_RO_ALL (3ull << 6)       /* EL1 and EL0 read-only */
#define PTE_SH_INNER (3ull << 8)
#define PTE_AF (1ull << 10)
#define PTE_NG (1ull << 11)
#define PTE_PXN (1ull << 53)
#define PTE_UXN (1ull << 54)
#define PTE_USER (DESC_PAGE | PTE_ATTR_NORMAL | PTE_SH_INNER | PTE_AF | PTE_NG | PTE_PXN)

static uint64_t user_l1[512] __attribute__((aligned(4096)));
static uint64_t user_l2[512] __attribute__((aligned(4096)));
static uint64_t user_l3[512] __attribute__((aligned(4096)));
static uint8_t user_stack[4096] __attribute__((aligned(4096)));

#define DESC_BLOCK 1ull                 /* level 2: 2 MiB block */
#define PTE_ATTR_NC (2ull << 2)         /* MAIR attribute 2: normal non-cacheable */

/* The frame buffer for the task: 2 MiB blocks, non-cacheable, so what it
 * paints reaches the memory QEMU (or a scanout engine) reads. */
static void map_fb(void)
{
        uint64_t size = (uint64_t)arch_fb_width * arch_fb_height * 4;

        for (uint64_t off = 0; off < size; off += 2ull << 20)
                user_l2[((ARCH_USER_FB + off) >> 21) & 511] = (arch_fb_phys + off) | DESC_BLOCK | PTE_ATTR_NC |
                        PTE_SH_INNER | PTE_AF | PTE_NG | PTE_PXN | PTE_UXN | PTE_AP_RW_ALL;
}

static uint64_t code_size(void)
{
        return (uint64_t)(__user_end - __user_start);
}

/* The one level-3 table maps 2 MiB from ARCH_USER_CODE: code and stack
 * must both fall in it. */
_Static_assert(ARCH_USER_STACK - ARCH_USER_CODE <= (2ull << 20), "user pages span one level-3 table");

static void map_page(uint64_t va, uint64_t pa, uint64_t flags)
{
        user_l3[(va >> 12) & 511] = pa | flags;
}

void arch_mmu_user_init(void)
{
        uint64_t code_pa = arch_virt_to_phys(__user_start);

        user_l1[(ARCH_USER_CODE >> 30) & 511] = arch_virt_to_phys(user_l2) | DESC_TABLE;
        user_l2[(ARCH_USER_CODE >> 21) & 511] = arch_virt_to_phys(user_l3) | DESC_TABLE;
        for (uint64_t off = 0; off < code_size(); off += ARCH_PAGE)
                map_page(ARCH_USER_CODE + off, code_pa + off, PTE_USER | PTE_AP_RO_ALL);
        map_page(ARCH_USER_STACK - ARCH_PAGE, arch_virt_to_phys(user_stack),
                 PTE_USER | PTE_AP_RW_ALL | PTE_UXN);
        if (arch_fb_phys)
                map_fb();
        /* The table walker must see the entries before TTBR0 names them;
         * then every identity translation head.S left goes. */
        __asm__ volatile("dsb ishst" ::: "memory");
        sysreg_write(ttbr0_el1, arch_virt_to_phys(user_l1) | ARCH_USER_ASID << 48);
        __asm__ volatile("isb; tlbi vmalle1; dsb ish; isb" ::: "memory");
}

bool arch_user_range_ok(uint64_t addr, uint64_t len)
{
        uint64_t end = addr + len;

        if (end < addr)
                return false;
        return (addr >= ARCH_USER_CODE && end <= ARCH_USER_CODE + code_size()) ||
               (addr >= ARCH_USER_STACK - ARCH_PAGE && end <= ARCH_USER_STACK);
}
