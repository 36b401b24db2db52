/* kernel/vmm/linux-place.c: where the kernel, the initramfs and the boot
 * structures go in guest RAM, the GDT and identity page tables written
 * there, and the 64-bit entry state (see linux-boot.h).
 *
 * Guest RAM is one range minus the legacy hole [640 KiB, 1 MiB), which
 * the e820 map leaves out too. Small structures are taken upwards from
 * the bottom (page 0 stays unused), the kernel at its preferred address or
 * the next aligned one above them, the initramfs at the top. */
#include "linux-boot.h"
#include "linux-zp.h"
#include "le.h"

#define PAGE 4096u
#define GIB (1ull << 30)
#define PT_MAP_MAX (512 * GIB)  /* one PDPT's worth: the tables fit a few pages */

static bool
fits(const struct guest_ram *ram, uint64_t addr, uint64_t len)
{
        uint64_t end = addr + len;

        if (end < addr || addr < ram->gpa || end > ram->gpa + ram->size)
                return false;
        return end <= LEGACY_HOLE_START || addr >= LEGACY_HOLE_END;
}

static uint64_t
align_up(uint64_t v, uint64_t a)
{
        return v + a - 1 < v ? 0 : (v + a - 1) & ~(a - 1);
}

/* The lowest address >= *cursor aligned to align where len bytes fit;
 * 0 when none does (address 0 is never handed out). */
static uint64_t
take(const struct guest_ram *ram, uint64_t *cursor, uint64_t len, uint64_t align)
{
        uint64_t a = align_up(*cursor, align);

        if (a && a < LEGACY_HOLE_END && a + len > LEGACY_HOLE_START)
                a = align_up(LEGACY_HOLE_END, align);
        if (!a || !fits(ram, a, len))
                return 0;
        *cursor = a + len;
        return a;
}

static uint8_t *
at(const struct guest_ram *ram, uint64_t gpa)
{
        return ram->host + (gpa - ram->gpa);
}

/* Identity map [0, span) with 2 MiB pages: PML4, PDPT, a PD per GiB. */
static void
write_page_tables(const struct guest_ram *ram, uint64_t pt, uint64_t gibs)
{
        uint8_t *pml4 = at(ram, pt), *pdpt = pml4 + PAGE;

        __builtin_memset(pml4, 0, (2 + gibs) * PAGE);
        wr64(pml4, (pt + PAGE) | 3);
        for (uint64_t g = 0; g < gibs; g++) {
                uint64_t pd = pt + (2 + g) * PAGE;
                wr64(pdpt + g * 8, pd | 3);
                for (uint64_t m = 0; m < 512; m++)
                        wr64(at(ram, pd) + m * 8, (g * GIB + (m << 21)) | 0x83);
        }
}

static void
set_seg(struct vmm_seg *s, uint16_t sel, uint16_t attr, uint32_t limit, uint64_t base)
{
        s->sel = sel;
        s->attr = attr;
        s->limit = limit;
        s->base = base;
}

/* Flat segments: __BOOT_CS 0x10 (64-bit code), __BOOT_DS 0x18 (data). */
static void
write_gdt_and_entry(const struct guest_ram *ram, const struct linux_layout *l,
                    struct linux_entry *e)
{
        uint8_t *gdt = at(ram, l->gdt);

        __builtin_memset(gdt, 0, 32);
        wr64(gdt + 0x10, 0x00af9b000000ffffull);
        wr64(gdt + 0x18, 0x00cf93000000ffffull);
        __builtin_memset(e, 0, sizeof(*e));
        e->rip = l->kernel + 0x200;     /* the 64-bit entry: startup_64 */
        e->rsi = l->zero_page;
        e->rflags = 2;                  /* interrupts off */
        e->cr0 = 0x80000031;            /* PG NE ET PE */
        e->cr3 = l->page_tables;
        e->cr4 = 0x20;                  /* PAE */
        e->efer = 0x500;                /* LMA LME */
        for (int s = SEG_ES; s <= SEG_GS; s++)
                set_seg(&e->seg[s], 0x18, 0xc93, 0xffffffff, 0);
        set_seg(&e->seg[SEG_CS], 0x10, 0xa9b, 0xffffffff, 0);
        set_seg(&e->seg[SEG_GDTR], 0, 0, 31, l->gdt);
        set_seg(&e->seg[SEG_TR], 0, 0x8b, 0x67, 0);
}

static int
place_kernel(const struct linux_header *h, const struct guest_ram *ram, uint64_t *cursor,
             struct linux_layout *l)
{
        uint64_t p = h->pref_address;

        if (p >= *cursor && !(p & (h->alignment - 1)) && fits(ram, p, h->init_size))
                *cursor = p + h->init_size;
        else if (!(p = take(ram, cursor, h->init_size, h->alignment)))
                return -VMM_ENOSPC;
        l->kernel = p;
        l->kernel_end = p + h->init_size;
        return 0;
}

static int
place_initrd(const struct linux_header *h, const struct guest_ram *ram, uint64_t len,
             struct linux_layout *l)
{
        uint64_t top = ram->gpa + ram->size;

        if (!h->initrd_above_4g && top > (uint64_t)h->initrd_max + 1)
                top = (uint64_t)h->initrd_max + 1;
        if (!len)
                return 0;
        if (len > top || ((top - len) & ~(uint64_t)(PAGE - 1)) < l->kernel_end)
                return -VMM_ENOSPC;
        l->initrd = (top - len) & ~(uint64_t)(PAGE - 1);
        l->initrd_len = len;
        return fits(ram, l->initrd, len) ? 0 : -VMM_ENOSPC;
}

static size_t
bounded_strlen(const char *s, size_t max)
{
        size_t n = 0;

        while (s && n <= max && s[n])
                n++;
        return n;
}

int
linux_load(const struct linux_boot *b, const struct guest_ram *ram,
           struct linux_entry *entry, struct linux_layout *l)
{
        struct linux_header h;
        int err;

        if (!ram->host || !ram->size || (ram->gpa | ram->size) & (PAGE - 1) ||
            ram->gpa + ram->size < ram->gpa)
                return -VMM_EINVAL;
        if ((err = linux_parse_header(b->image, b->image_len, &h)))
                return err;
        size_t cmd_len = bounded_strlen(b->cmdline, h.cmdline_max);
        if (cmd_len > h.cmdline_max)
                return -VMM_E2BIG;
        uint64_t end = ram->gpa + ram->size;
        uint64_t gibs = (align_up(end > 4 * GIB ? end : 4 * GIB, GIB)) / GIB;
        if (end > PT_MAP_MAX)
                return -VMM_ENOSPC;
        __builtin_memset(l, 0, sizeof(*l));
        uint64_t cursor = ram->gpa > PAGE ? ram->gpa : PAGE;
        if (!(l->zero_page = take(ram, &cursor, PAGE, PAGE)) ||
            !(l->gdt = take(ram, &cursor, PAGE, PAGE)) ||
            !(l->cmdline = take(ram, &cursor, cmd_len + 1, 16)) ||
            !(l->page_tables = take(ram, &cursor, (2 + gibs) * PAGE, PAGE)))
                return -VMM_ENOSPC;
        if ((err = place_kernel(&h, ram, &cursor, l)) ||
            (err = place_initrd(&h, ram, b->initrd ? b->initrd_len : 0, l)))
                return err;
        /* Everything fits: only now write guest memory. */
        __builtin_memcpy(at(ram, l->kernel), b->image + h.setup_len, h.kernel_len);
        __builtin_memset(at(ram, l->kernel) + h.kernel_len, 0, h.init_size - h.kernel_len);
        if (l->initrd_len)
                __builtin_memcpy(at(ram, l->initrd), b->initrd, l->initrd_len);
        if (cmd_len)
                __builtin_memcpy(at(ram, l->cmdline), b->cmdline, cmd_len);
        at(ram, l->cmdline)[cmd_len] = 0;
        write_page_tables(ram, l->page_tables, gibs);
        write_gdt_and_entry(ram, l, entry);
        l->e820_entries = linux_write_zero_page(at(ram, l->zero_page), b, &h, ram, l);
        return 0;
}
