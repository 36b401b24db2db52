/* kernel/arch/common/root.c: the root task's address space, built with
 * the same invocations user code would make (mk_boot_invoke as the root
 * thread), the same on every architecture (each layer hands it a struct
 * thatte_bootinfo with the root task's ELF as the module "root"): a PML4, page tables as needed, Frames for the ELF's PT_LOAD
 * segments (copied, the rest zero), the stack, the IPC buffer and the
 * root info page (thatte/rootinfo.h). Objects come from the non-device
 * Untyped caps, first fit. */
#include "arch.h"
#include "kernel.h"
#include "../x86_64/elf64.h"
#include "thatte/rootinfo.h"

/* The machine the ELF must be for, and the clock of the root info's
 * tsc_* fields (aarch64: the virtual counter in nanoseconds, which QEMU's
 * -icount shift=0 makes instructions, as the TSC on x86-64). */
#if defined(__aarch64__)
#define ROOT_ELF_MACHINE EM_AARCH64
#define root_clock() arch_clock_ns()
#else
#include "cpu.h"
#define ROOT_ELF_MACHINE EM_X86_64
#define root_clock() rdtsc()
#endif

#define ROOT_CNODE 2u
#define ROOT_TCB 1u
#define MAX_TABLES 24u
#define MAX_PAGES 1024u

struct builder {
        struct mk_kernel *k;
        uint64_t device_from;           /* the first device Untyped */
        uint64_t next;                  /* next free slot */
        uint64_t ut_open;               /* the Untyped caps before it are used up */
        uint64_t vspace;
        uint64_t tables[3][MAX_TABLES]; /* PDPT, PD, PT bases already mapped */
        unsigned ntables[3];
        uint64_t page_va[MAX_PAGES], page_slot[MAX_PAGES];
        uint8_t page_flags[MAX_PAGES];
        unsigned npages;
};

static struct builder b;

static struct mk_cte *slot_of(uint64_t i)
{
        return &mk_cnode_slots(&b.k->boot_slots[0].cap)[i];
}

static int invoke(uint64_t cptr, uint64_t label, const uint64_t *mr, unsigned n)
{
        return mk_boot_invoke(b.k, cptr, label, mr, n);
}

/* Whether the Untyped cap in slot u has no 4 KiB left at its watermark
 * (which never moves back: the build deletes nothing): every object here
 * takes at least that, so first fit need not try it again (each try is a
 * whole invocation). */
static bool used_up(uint64_t u)
{
        const struct mk_cap *c = &slot_of(u)->cap;

        return c->word + ARCH_PAGE > (uint64_t)1 << c->bits;
}

/* A new object of type (size bits for Frames) in the next slot. */
static uint64_t alloc(uint8_t type, uint64_t bits)
{
        uint64_t mr[5] = { type, bits, ROOT_CNODE, b.next, 1 };

        while (b.ut_open < b.device_from && used_up(b.ut_open))
                b.ut_open++;
        for (uint64_t u = b.ut_open; u < b.device_from; u++)
                if (invoke(u, MK_UNTYPED_RETYPE, mr, 5) == MK_OK)
                        return b.next++;
        arch_panic("root task: out of memory for object type %u", type);
}

static bool has_table(unsigned level, uint64_t base)
{
        for (unsigned i = 0; i < b.ntables[level]; i++)
                if (b.tables[level][i] == base)
                        return true;
        return false;
}

/* The PDPT, PD and PT above vaddr, made and mapped where missing. */
static void ensure_tables(uint64_t va)
{
        static const uint8_t type[3] = { MK_OBJ_PDPT, MK_OBJ_PD, MK_OBJ_PT };
        static const unsigned shift[3] = { 39, 30, 21 };

        for (unsigned l = 0; l < 3; l++) {
                uint64_t base = va & ~mk_mask(shift[l]), s;
                uint64_t mr[4] = { b.vspace, base, MK_RIGHTS_ALL, 0 };
                int r;

                if (has_table(l, base))
                        continue;
                if (b.ntables[l] == MAX_TABLES)
                        arch_panic("root task: too many page tables");
                s = alloc(type[l], 0);
                r = invoke(s, MK_PAGE_MAP, mr, 4);
                if (r != MK_OK)
                        arch_panic("root task: mapping a table at %lx: error %d", base, r);
                b.tables[l][b.ntables[l]++] = base;
        }
}

static uint64_t page_attrs(uint8_t pf, uint64_t *ret_rights)
{
        *ret_rights = MK_RIGHT_READ | (pf & PF_W ? MK_RIGHT_WRITE : 0);
        return pf & PF_X ? 0 : MK_MAP_EXECUTE_NEVER;
}

static void map_page(uint64_t slot, uint64_t va, uint8_t pf)
{
        uint64_t rights, attrs = page_attrs(pf, &rights);
        uint64_t mr[4] = { b.vspace, va, rights, attrs };
        int r;

        ensure_tables(va);
        r = invoke(slot, MK_PAGE_MAP, mr, 4);
        if (r != MK_OK)
                arch_panic("root task: mapping %lx: error %d", va, r);
}

/* The kernel address of the frame for user page va (flags pf: PF_*),
 * made and mapped on first use; a page two segments share gets the union
 * of their permissions. */
static uint8_t *user_page(uint64_t va, uint8_t pf)
{
        unsigned i;

        for (i = 0; i < b.npages && b.page_va[i] != va; i++)
                ;
        if (i == b.npages) {
                if (b.npages == MAX_PAGES)
                        arch_panic("root task: image too large");
                b.page_va[i] = va;
                b.page_slot[i] = alloc(MK_OBJ_FRAME, MK_FRAME_BITS);
                b.page_flags[i] = pf;
                b.npages++;
                map_page(b.page_slot[i], va, pf);
        } else if ((b.page_flags[i] | pf) != b.page_flags[i]) {
                b.page_flags[i] |= pf;
                (void)invoke(b.page_slot[i], MK_PAGE_UNMAP, NULL, 0);
                map_page(b.page_slot[i], va, b.page_flags[i]);
        }
        return (uint8_t *)slot_of(b.page_slot[i])->cap.obj;
}

static void load_segment(const uint8_t *elf, const Elf64_Phdr *ph)
{
        uint64_t end = ph->p_vaddr + ph->p_memsz, fend = ph->p_vaddr + ph->p_filesz;
        uint8_t pf = (uint8_t)(ph->p_flags & (PF_R | PF_W | PF_X));

        /* Frames come zeroed from retype: copy only the file's bytes. */
        for (uint64_t va = ph->p_vaddr & ~(ARCH_PAGE - 1); va < end; va += ARCH_PAGE) {
                uint8_t *page = user_page(va, pf);
                uint64_t from = va < ph->p_vaddr ? ph->p_vaddr : va;
                uint64_t to = va + ARCH_PAGE < fend ? va + ARCH_PAGE : fend;

                if (from < to)
                        mk_memcpy(page + (from - va), elf + ph->p_offset + (from - ph->p_vaddr),
                                  to - from);
        }
}

/* The image's executable pages were mapped (made coherent then) before
 * the copy wrote them through the data side: once more, now. */
static void sync_code(void)
{
        if (!b.k->arch || !b.k->arch->code_sync)
                return;
        for (unsigned i = 0; i < b.npages; i++)
                if (b.page_flags[i] & PF_X)
                        b.k->arch->code_sync((const void *)slot_of(b.page_slot[i])->cap.obj,
                                            ARCH_PAGE);
}

static const char *check_elf(const uint8_t *elf, uint64_t size)
{
        const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf;
        bool entry_ok = false;

        if (size < sizeof(*eh) || __builtin_memcmp(eh->e_ident, "\177ELF", 4) ||
            eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB)
                return "not a 64-bit little-endian ELF";
        if (eh->e_machine != ROOT_ELF_MACHINE || eh->e_type != ET_EXEC)
                return "not an ET_EXEC for this machine";
        if (eh->e_phentsize != sizeof(Elf64_Phdr) ||
            eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > size)
                return "program headers outside the file";
        for (unsigned i = 0; i < eh->e_phnum; i++) {
                const Elf64_Phdr *ph = (const Elf64_Phdr *)(elf + eh->e_phoff) + i;

                if (ph->p_type != PT_LOAD)
                        continue;
                if (ph->p_filesz > ph->p_memsz || ph->p_offset + ph->p_filesz > size ||
                    ph->p_offset + ph->p_filesz < ph->p_offset)
                        return "a segment lies outside the file";
                if (ph->p_vaddr + ph->p_memsz > THATTE_ROOT_STACK_TOP -
                    THATTE_ROOT_STACK_PAGES * ARCH_PAGE || ph->p_vaddr + ph->p_memsz < ph->p_vaddr)
                        return "a segment lies outside the user image area";
                if (eh->e_entry >= ph->p_vaddr && eh->e_entry < ph->p_vaddr + ph->p_memsz &&
                    (ph->p_flags & PF_X))
                        entry_ok = true;
        }
        return entry_ok ? NULL : "the entry point is in no executable segment";
}

static uint64_t load_image(const struct thatte_bootinfo *bi)
{
        const struct thatte_module *mods = arch_phys(bi->modules);
        const uint8_t *elf;
        const Elf64_Ehdr *eh;
        const char *err;
        unsigned i;

        for (i = 0; i < bi->module_count && __builtin_memcmp(mods[i].name, "root", 5); i++)
                ;
        if (i == bi->module_count)
                arch_panic("no root task: no module named \"root\"");
        elf = arch_phys(mods[i].base);
        err = check_elf(elf, mods[i].size);
        if (err)
                arch_panic("root task ELF rejected: %s", err);
        eh = (const Elf64_Ehdr *)elf;
        for (i = 0; i < eh->e_phnum; i++) {
                const Elf64_Phdr *ph = (const Elf64_Phdr *)(elf + eh->e_phoff) + i;

                if (ph->p_type == PT_LOAD && ph->p_memsz)
                        load_segment(elf, ph);
        }
        sync_code();
        return eh->e_entry;
}

static void fill_info(struct thatte_root_info *ri, const struct thatte_bootinfo *bi,
                      const struct mk_bootinfo *mbi, uint64_t ipcbuf, uint64_t image_first)
{
        const char *cmd = arch_phys(bi->cmdline);
        uint64_t n = mbi->untyped_count;

        ri->magic = THATTE_ROOT_INFO_MAGIC;
        ri->version = THATTE_ROOT_INFO_VERSION;
        ri->cnode_radix = (uint32_t)mbi->cnode_radix;
        ri->tcb = ROOT_TCB;
        ri->cnode = ROOT_CNODE;
        ri->vspace = b.vspace;
        ri->ipcbuf_frame = ipcbuf;
        ri->image_first = image_first;
        ri->image_count = b.next - image_first;
        ri->untyped_first = mbi->untyped_first;
        if (n > THATTE_ROOT_UNTYPED_MAX) {
                arch_log("root: %lu Untyped caps, the info page lists %u", n,
                         THATTE_ROOT_UNTYPED_MAX);
                n = THATTE_ROOT_UNTYPED_MAX;
        }
        ri->untyped_count = n;
        for (uint64_t i = 0; i < n; i++) {
                const struct mk_cap *c = &slot_of(mbi->untyped_first + i)->cap;

                ri->untyped[i].paddr = arch_virt_to_phys((const void *)c->obj);
                ri->untyped[i].size_bits = c->bits;
                ri->untyped[i].is_device = !!(c->flags & MK_CAPF_DEVICE);
        }
        ri->empty_first = b.next;
        ri->fb = bi->fb;
        ri->rsdp = bi->rsdp;
#if defined(__x86_64__)
        arch_acpi_power(bi->rsdp, &ri->power);  /* the PC's ACPI power button and soft-off */
#endif
#if defined(__aarch64__)
        arch_root_devices(&ri->devices);        /* fw_cfg, ramfb RAM, PCIe (ramfb.c) */
#endif
        ri->boot_source = bi->source;
        ri->tsc_kernel_entry = arch_tsc_entry;
        ri->tsc_loader_entry = bi->tsc.loader_entry;
        ri->tsc_khz = arch_tsc_khz;
        for (unsigned i = 0; i + 1 < sizeof(ri->cmdline) && i < bi->cmdline_len; i++)
                ri->cmdline[i] = cmd[i];
}

/* Every module but the root task's ELF becomes read-only Frame caps in
 * the next slots and a line of the module table. A module too large for
 * the slots left is logged and left out (its memory stays untouched). */
static void give_modules(struct thatte_root_info *ri, const struct thatte_bootinfo *bi)
{
        const struct thatte_module *mods = arch_phys(bi->modules);

        for (unsigned i = 0; i < bi->module_count && ri->module_count < THATTE_ROOT_MODULE_MAX;
             i++) {
                struct thatte_root_module *m = &ri->modules[ri->module_count];
                uint64_t base = mods[i].base & ~(ARCH_PAGE - 1);
                uint64_t pages = (mods[i].base + mods[i].size - base + ARCH_PAGE - 1) / ARCH_PAGE;

                if (!__builtin_memcmp(mods[i].name, "root", 5) || !mods[i].size)
                        continue;
                if (mk_boot_frames(b.k, b.next, (uintptr_t)arch_phys(base), pages,
                                   MK_RIGHT_READ) < 0) {
                        arch_log("root: module %s (%lu pages) left out: no room", mods[i].name,
                                 pages);
                        continue;
                }
                __builtin_memcpy(m->name, mods[i].name, THATTE_MODULE_NAME_MAX);
                m->name[THATTE_MODULE_NAME_MAX - 1] = '\0';
                m->size = mods[i].size;
                m->offset = mods[i].base - base;
                m->first = b.next;
                m->count = pages;
                b.next += pages;
                ri->module_count++;
                arch_log("root: module %s, %lu bytes, frames in slots %lu..%lu", m->name, m->size,
                         m->first, m->first + pages - 1);
        }
}

static void must(int r, const char *what)
{
        if (r != MK_OK)
                arch_panic("root task: %s: error %d", what, r);
}

struct mk_tcb *arch_root_start(struct mk_kernel *k, const struct thatte_bootinfo *bi,
                               struct mk_bootinfo *mbi, uint64_t device_from)
{
        struct thatte_root_info *ri;
        uint64_t entry, ipcbuf, image_first, irqc, portc, con;

        b.k = k;
        b.device_from = device_from;
        b.ut_open = mbi->untyped_first;
        irqc = (uint64_t)mk_boot_control_cap(k, mbi, MK_OBJ_IRQ_CONTROL);
        portc = (uint64_t)mk_boot_control_cap(k, mbi, MK_OBJ_IOPORT_CONTROL);
        con = (uint64_t)mk_boot_control_cap(k, mbi, MK_OBJ_DEBUG_CONSOLE);
        b.next = image_first = mbi->empty_first;
        b.vspace = alloc(MK_OBJ_PML4, 0);
        must(invoke(ROOT_TCB, MK_TCB_CONFIGURE, (uint64_t[]){ ROOT_CNODE, b.vspace, 0 }, 3),
             "TCB_CONFIGURE");
        entry = load_image(bi);
        for (unsigned i = 1; i <= THATTE_ROOT_STACK_PAGES; i++)
                (void)user_page(THATTE_ROOT_STACK_TOP - i * ARCH_PAGE, PF_R | PF_W);
        (void)user_page(THATTE_ROOT_IPCBUF_VADDR, PF_R | PF_W);
        ipcbuf = b.page_slot[b.npages - 1];
        must(invoke(ROOT_TCB, MK_TCB_SET_IPC_BUFFER,
                    (uint64_t[]){ THATTE_ROOT_IPCBUF_VADDR, ipcbuf }, 2), "TCB_SET_IPC_BUFFER");
        ri = (struct thatte_root_info *)user_page(THATTE_ROOT_INFO_VADDR, PF_R);
        must(invoke(ROOT_TCB, MK_TCB_WRITE_REGISTERS,
                    (uint64_t[]){ entry, THATTE_ROOT_STACK_TOP, THATTE_ROOT_INFO_VADDR, 0 }, 4),
             "TCB_WRITE_REGISTERS");
        fill_info(ri, bi, mbi, ipcbuf, image_first);
        give_modules(ri, bi);
        ri->empty_first = b.next;
        ri->irq_control = irqc;
        ri->ioport_control = portc;
        ri->debug_console = con;
        mbi->empty_first = b.next;
        arch_log("root: entry %lx, %u pages, %lu slots used, first free slot %lu", entry,
                 b.npages, b.next - image_first, b.next);
        ri->tsc_root_start = root_clock();
        return k->cur;
}
