/* kernel/arch/x86_64/mmu.c: the kernel half every address space shares.
 *   PML4[256]: the direct map, physical [0, arch_direct_end) at
 *              ARCH_DIRECT_BASE, 2 MiB pages, writable, never executable;
 *              2 MiB blocks holding no RAM (MMIO, the PCI hole) uncached.
 *   PML4[511]: the kernel image at THATTE_KERNEL_VBASE + p, 4 KiB pages
 *              with W^X: text read-only and executable, rodata read-only,
 *              data and bss writable; NX where the CPU has it.
 * The tables live in .bss; user PML4s copy the used entries of 256..511
 * (vspace_init), so these top-level entries never change after boot. */
#include "arch.h"
#include "cpu.h"

#define PTE_P 0x1ull
#define PTE_W 0x2ull
#define PTE_PWT 0x8ull
#define PTE_PCD 0x10ull
#define PTE_PS 0x80ull
#define PTE_NX (1ull << 63)
#define IMAGE_PTS 4                     /* the image may span 8 MiB */
#define DIRECT_PDS (ARCH_DIRECT_MAX >> 30)

typedef uint64_t table_t[512] __attribute__((aligned(4096)));

static table_t kpml4, direct_pdpt, direct_pd[DIRECT_PDS], image_pdpt, image_pd,
        image_pt[IMAGE_PTS];
static uint64_t kpml4_phys;
uint64_t arch_cur_cr3;
uint64_t arch_direct_end;

static uint64_t phys(const void *p)
{
        return arch_virt_to_phys(p);
}

static bool is_ram(const struct thatte_mem_range *r)
{
        return r->type != THATTE_MEM_MMIO && r->type != THATTE_MEM_RESERVED;
}

static uint64_t direct_end(const struct thatte_mem_range *map, unsigned n)
{
        uint64_t end = 4ull << 30;

        for (unsigned i = 0; i < n; i++)
                if (is_ram(&map[i]) && map[i].base + map[i].size > end)
                        end = map[i].base + map[i].size;
        end = (end + (1ull << 30) - 1) & ~((1ull << 30) - 1);
        if (end > ARCH_DIRECT_MAX) {
                arch_log("mmu: memory above %lu GiB is not used", ARCH_DIRECT_MAX >> 30);
                end = ARCH_DIRECT_MAX;
        }
        return end;
}

/* Every 2 MiB block uncached, then write-back again where RAM lies. */
static void map_direct(const struct thatte_mem_range *map, unsigned n, uint64_t nx)
{
        uint64_t p;

        for (p = 0; p < arch_direct_end; p += 1ull << 21)
                direct_pd[p >> 30][(p >> 21) & 511] =
                        p | PTE_P | PTE_W | PTE_PS | PTE_PCD | PTE_PWT | nx;
        for (unsigned i = 0; i < n; i++) {
                uint64_t end = map[i].base + map[i].size;

                if (!is_ram(&map[i]))
                        continue;
                if (end > arch_direct_end)
                        end = arch_direct_end;
                for (p = map[i].base & ~((1ull << 21) - 1); p < end; p += 1ull << 21)
                        direct_pd[p >> 30][(p >> 21) & 511] &= ~(PTE_PCD | PTE_PWT);
        }
        for (p = 0; p < arch_direct_end >> 30; p++)
                direct_pdpt[p] = phys(direct_pd[p]) | PTE_P | PTE_W;
        kpml4[256] = phys(direct_pdpt) | PTE_P | PTE_W;
}

static uint64_t image_flags(uint64_t va, uint64_t nx)
{
        if (va < (uint64_t)__text_end)
                return PTE_P;
        if (va < (uint64_t)__rodata_end)
                return PTE_P | nx;
        return PTE_P | PTE_W | nx;
}

static void map_image(uint64_t nx)
{
        uint64_t start = (uint64_t)__kernel_start, end = (uint64_t)__kernel_end;
        uint64_t first_pd = (start >> 21) & 511;

        if (end - (start & ~((1ull << 21) - 1)) > IMAGE_PTS * (1ull << 21))
                arch_panic("kernel image larger than %d MiB", IMAGE_PTS * 2);
        for (uint64_t va = start; va < end; va += ARCH_PAGE) {
                uint64_t i = ((va >> 21) & 511) - first_pd;

                image_pt[i][(va >> 12) & 511] = (va - KERNEL_VBASE) | image_flags(va, nx);
        }
        for (unsigned i = 0; i < IMAGE_PTS; i++)
                image_pd[first_pd + i] = phys(image_pt[i]) | PTE_P | PTE_W;
        image_pdpt[(start >> 30) & 511] = phys(image_pd) | PTE_P | PTE_W;
        kpml4[511] = phys(image_pdpt) | PTE_P | PTE_W;
}

/* The kernel half's entries in use (the direct map and the image: two),
 * listed once after boot: a new PML4 comes zeroed, so copying these is
 * copying the half, and a retype of 256 PML4s stays a short step. */
static uint16_t kernel_entries[256];
static unsigned nkernel_entries;

static void list_kernel_entries(void)
{
        for (unsigned i = 256; i < 512; i++)
                if (kpml4[i])
                        kernel_entries[nkernel_entries++] = (uint16_t)i;
}

void arch_mmu_init(const struct thatte_bootinfo *bi)
{
        const struct thatte_mem_range *map = (const void *)(uintptr_t)bi->mem_map;
        uint64_t nx = arch_feat.nx ? PTE_NX : 0;

        arch_direct_end = direct_end(map, bi->mem_count);
        map_direct(map, bi->mem_count, nx);
        map_image(nx);
        list_kernel_entries();
        kpml4_phys = phys(kpml4);
        arch_cur_cr3 = kpml4_phys;
        write_cr3(kpml4_phys);
        arch_log("mmu: direct map of %lu MiB at %p, image W^X", arch_direct_end >> 20,
                 (void *)ARCH_DIRECT_BASE);
}

/* vspace_init hook: a new (zeroed) PML4 gets the kernel half. */
void arch_pml4_init(uint64_t *pml4)
{
        for (unsigned i = 0; i < nkernel_entries; i++)
                pml4[kernel_entries[i]] = kpml4[kernel_entries[i]];
}

/* The PML4 of t's VSpace (the kernel's own when it has none), loaded only
 * when it differs from the one in CR3. */
void arch_load_vspace(struct mk_tcb *t)
{
        const struct mk_cap *c = &t->slots[MK_TCB_VTABLE].cap;
        uint64_t cr3 = c->type == MK_OBJ_PML4 ? c->obj - ARCH_DIRECT_BASE : kpml4_phys;

        if (cr3 != arch_cur_cr3) {
                arch_cur_cr3 = cr3;
                write_cr3(cr3);
        }
}
