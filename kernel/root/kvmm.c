/* kernel/root/kvmm.c: start thatte-kvmm (kernel/kvmm/), the VMM that boots
 * DriverOS, when the boot brought a `driveros-kernel` module. Its ELF,
 * carried in the root task (kvmm-image.S), is copied into fresh frames of
 * a new PML4; it gets its own CNode holding only a VCPU, the notification
 * bound to its VCPU thread and the console; guest RAM is 2 MiB frames
 * mapped both into the guest space and into the VMM; the modules' frames
 * are mapped read-only into the VMM (the root keeps their caps). One
 * thread, the VCPU thread: the kernel's deadlines wake it for the
 * guest's timer (kernel/kvmm/timer.c). */
#include "root.h"
#include "../arch/x86_64/elf64.h"
#include "../kvmm/kvmm-info.h"

#define PAGE 4096ull
#define LARGE (2ull << 20)
#define RW (MK_RIGHT_READ | MK_RIGHT_WRITE)
#define KVMM_RAM_SIZE (256ull << 20)
#define KVMM_IMAGE_END KVMM_INFO_VADDR          /* its segments lie below */
/* Slots it takes: guest RAM twice, its image (under 64 pages), stacks, IPC
 * buffers and the page tables on the way, with room to spare. */
#define KVMM_SLOTS (2u * (unsigned)(KVMM_RAM_SIZE / LARGE) + 160u)

extern const uint8_t rt_kvmm_elf[], rt_kvmm_elf_end[];

static const char *const module_names[KVMM_MOD_COUNT] = {
        "driveros-kernel", "driveros-initrd", "driveros-cmdline",
};

static uint64_t scratch = RT_KVMM_SCRATCH_VADDR;

static const struct thatte_root_module *find_module(const char *name)
{
        for (uint64_t i = 0; i < rt.info->module_count && i < THATTE_ROOT_MODULE_MAX; i++) {
                const char *n = rt.info->modules[i].name;
                unsigned j = 0;

                while (j < THATTE_MODULE_NAME_MAX && n[j] && n[j] == name[j])
                        j++;
                if (j < THATTE_MODULE_NAME_MAX && n[j] == name[j])
                        return &rt.info->modules[i];
        }
        return 0;
}

/* A fresh frame filled with n bytes of src (the rest zero) through a
 * scratch address used once, mapped at va in pml4. */
static void copy_page(uint64_t pml4, uint64_t va, const uint8_t *src, uint64_t n,
                      uint64_t rights, uint64_t attrs)
{
        uint64_t f = rt_new(MK_OBJ_FRAME, 12);
        uint8_t *dst = (uint8_t *)scratch;

        rt_must(rt_map(rt.info->vspace, f, scratch, RW, MK_MAP_EXECUTE_NEVER), "kvmm: map scratch");
        scratch += PAGE;
        for (uint64_t i = 0; i < n; i++)
                dst[i] = src[i];
        rt_must(mku_page_unmap(f), "kvmm: unmap scratch");
        rt_must(rt_map(pml4, f, va, rights, attrs), "kvmm: map its image");
}

/* The PT_LOAD segments, checked to lie inside the file and below the
 * VMM's fixed layout. Returns the entry, 0 when the image is unusable. */
static uint64_t load_elf(uint64_t pml4)
{
        const Elf64_Ehdr *eh = (const Elf64_Ehdr *)rt_kvmm_elf;
        uint64_t size = (uint64_t)(rt_kvmm_elf_end - rt_kvmm_elf);

        if (size < sizeof(*eh) || eh->e_ident[0] != 0x7f || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
            eh->e_machine != EM_X86_64 || eh->e_type != ET_EXEC ||
            eh->e_phentsize != sizeof(Elf64_Phdr) ||
            eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > size)
                return 0;
        for (unsigned i = 0; i < eh->e_phnum; i++) {
                const Elf64_Phdr *ph = (const Elf64_Phdr *)(rt_kvmm_elf + eh->e_phoff) + i;
                uint64_t rights = MK_RIGHT_READ | (ph->p_flags & PF_W ? MK_RIGHT_WRITE : 0);
                uint64_t attrs = ph->p_flags & PF_X ? 0 : MK_MAP_EXECUTE_NEVER;
                uint64_t fend = ph->p_vaddr + ph->p_filesz;

                if (ph->p_type != PT_LOAD || !ph->p_memsz)
                        continue;
                if (ph->p_filesz > ph->p_memsz || ph->p_offset > size ||
                    ph->p_filesz > size - ph->p_offset || ph->p_vaddr % PAGE ||
                    ph->p_vaddr < PAGE || ph->p_memsz > KVMM_IMAGE_END ||
                    ph->p_vaddr > KVMM_IMAGE_END - ph->p_memsz)
                        return 0;
                for (uint64_t va = ph->p_vaddr; va < ph->p_vaddr + ph->p_memsz; va += PAGE) {
                        uint64_t n = va >= fend ? 0 : fend - va < PAGE ? fend - va : PAGE;

                        copy_page(pml4, va, rt_kvmm_elf + ph->p_offset + (va - ph->p_vaddr), n,
                                  rights, attrs);
                }
        }
        return eh->e_entry;
}

/* A thread of the VMM's space with its stack and IPC buffer. */
static uint64_t thread(uint64_t pml4, uint64_t cspace, uint64_t stack_top, uint64_t ipcbuf_va)
{
        uint64_t tcb = rt_new(MK_OBJ_TCB, 0), buf = rt_new(MK_OBJ_FRAME, 12);

        for (uint64_t i = 1; i <= KVMM_STACK_PAGES; i++)
                rt_must(rt_map(pml4, rt_new(MK_OBJ_FRAME, 12), stack_top - i * PAGE, RW,
                               MK_MAP_EXECUTE_NEVER), "kvmm: map a stack page");
        rt_must(rt_map(pml4, buf, ipcbuf_va, RW, MK_MAP_EXECUTE_NEVER), "kvmm: map an IPC buffer");
        rt_must(mku_tcb_configure(tcb, cspace, pml4, 0), "kvmm: tcb configure");
        rt_must(mku_tcb_set_ipc_buffer(tcb, ipcbuf_va, buf), "kvmm: tcb set ipc buffer");
        rt_must(mku_tcb_set_priority(tcb, RT_KVMM_PRIO), "kvmm: tcb set priority");
        return tcb;
}

/* Guest RAM as 2 MiB frames into slots from first on: MK_OK, or the
 * kernel's error when memory runs out (a small machine: no DriverOS, and
 * no failure of the root task). */
static int alloc_ram(uint64_t first)
{
        int r = MK_OK;

        for (uint64_t i = 0; i < KVMM_RAM_SIZE / LARGE && r == MK_OK; i++)
                r = rt_try_alloc(MK_OBJ_FRAME, 21, 1, first + i);
        return r;
}

/* Guest RAM: the frames from slot ram on at guest-physical 0 up, each
 * also mapped into the VMM at KVMM_RAM_VADDR + the same offset. */
static void guest_ram(uint64_t ram, uint64_t gs, uint64_t pml4)
{
        for (uint64_t off = 0; off < KVMM_RAM_SIZE; off += LARGE) {
                uint64_t f = ram + off / LARGE;

                rt_must(rt_map_sized(gs, f, off, MK_RIGHTS_ALL, 0, 1), "kvmm: map guest RAM");
                rt_must(rt_map_sized(pml4, rt_copy(f, RW, 0), KVMM_RAM_VADDR + off, RW,
                                     MK_MAP_EXECUTE_NEVER, 1), "kvmm: map guest RAM into the VMM");
        }
}

/* The modules' frames, read-only into the VMM; their places in info. */
static int map_modules(uint64_t pml4, struct kvmm_info *info)
{
        for (unsigned k = 0; k < KVMM_MOD_COUNT; k++) {
                const struct thatte_root_module *m = find_module(module_names[k]);
                uint64_t va = KVMM_MODULE_VADDR + k * KVMM_MODULE_SPAN;

                if (!m)
                        continue;
                if (m->count > KVMM_MODULE_SPAN / PAGE || m->offset >= PAGE ||
                    m->size > m->count * PAGE - m->offset) {
                        rt_say("kvmm: module %s does not fit its window", module_names[k]);
                        return -1;
                }
                for (uint64_t j = 0; j < m->count; j++)
                        rt_must(rt_map(pml4, m->first + j, va + j * PAGE, MK_RIGHT_READ,
                                       MK_MAP_EXECUTE_NEVER), "kvmm: map a module page");
                info->module[k].vaddr = va + m->offset;
                info->module[k].size = m->size;
        }
        return 0;
}

/* The framebuffer the root painted, handed over: copies of its device
 * Frame caps mapped at KVMM_FB_GPA in the guest space (write-combining);
 * the root keeps its own mapping. Only the byte orders Linux's efifb takes
 * from screen_info positions (RGBX, BGRX). */
static void give_fb(uint64_t gs, struct kvmm_info *info)
{
        const struct thatte_framebuffer *fb = &rt.fb;
        struct rt_frame_run runs[16];
        uint64_t size = (uint64_t)fb->stride * fb->height * 4;
        int n;

        if (fb->format != THATTE_FB_RGBX8888 && fb->format != THATTE_FB_BGRX8888)
                return;
        n = rt_device_frames(RT_FB_VADDR, size + (fb->base & (PAGE - 1)), runs, 16);
        if (n < 0) {
                rt_say("kvmm: the framebuffer's frames are not known: the guest gets no screen");
                return;
        }
        for (int i = 0; i < n; i++)
                for (uint64_t j = 0; j < runs[i].count; j++)
                        rt_must(rt_map_sized(gs, rt_copy(runs[i].first + j, RW, 0),
                                             KVMM_FB_GPA + (runs[i].va - RT_FB_VADDR) +
                                                     (j << runs[i].bits),
                                             RW, MK_MAP_WRITE_COMBINING, runs[i].bits == 21),
                                "kvmm: map the framebuffer into the guest");
        info->fb.offset = fb->base & (PAGE - 1);
        info->fb.width = fb->width;
        info->fb.height = fb->height;
        info->fb.stride = fb->stride;
        info->fb.format = fb->format;
}

/* The PC's i8042 for mediated passthrough (kernel/kvmm/i8042.c): one I/O
 * port cap per port (0x60, 0x64: not 0x61-0x63, the speaker gate and what
 * the VMM emulates), the handlers of IRQ 1 and 12 signalling the VMM's
 * notification with their badges. A machine without them (the kernel
 * refuses) gets no keyboard and mouse, never a failed root task. */
static void give_i8042(uint64_t cnode, uint64_t ntfn, struct kvmm_info *info)
{
        static const unsigned irqs[2] = { 1, 12 };
        uint64_t port[2] = { rt_slots(1), rt_slots(1) }, h[2];
        int r;

        r = mku_ioport_issue(rt.info->ioport_control, 0x60, 0x60, rt.info->cnode, port[0]);
        if (r == MK_OK)
                r = mku_ioport_issue(rt.info->ioport_control, 0x64, 0x64, rt.info->cnode, port[1]);
        for (unsigned i = 0; i < 2 && r == MK_OK; i++) {
                h[i] = rt_slots(1);
                r = mku_irq_control_get(rt.info->irq_control, irqs[i], rt.info->cnode, h[i]);
                if (r == MK_OK)
                        r = mku_irq_handler_set_notification(
                                h[i], rt_copy(ntfn, MK_RIGHT_WRITE, KVMM_BADGE_IRQ(irqs[i])));
        }
        if (r != MK_OK) {
                rt_say("kvmm: no i8042 for the guest (kernel error %d): no keyboard and mouse", r);
                return;
        }
        rt_give_to(cnode, KVMM_CAP_I8042_DATA, port[0]);
        rt_give_to(cnode, KVMM_CAP_I8042_CMD, port[1]);
        rt_give_to(cnode, KVMM_CAP_I8042_IRQ1, h[0]);
        rt_give_to(cnode, KVMM_CAP_I8042_IRQ12, h[1]);
        info->i8042 = 1;
}

static void say_modules(void)
{
        for (uint64_t i = 0; i < rt.info->module_count && i < THATTE_ROOT_MODULE_MAX; i++)
                rt_say("module %s: %lu bytes in %lu frames", rt.info->modules[i].name,
                       (unsigned long)rt.info->modules[i].size,
                       (unsigned long)rt.info->modules[i].count);
}

void rt_kvmm_start(void)
{
        uint64_t guard = (uint64_t)(64 - KVMM_CNODE_RADIX) << 58;
        uint64_t pml4, cnode, gs, vcpu, ntfn, vcpu_tcb, entry, info_frame, ram;
        struct kvmm_info *info;
        int r;

        say_modules();
        if (!find_module(module_names[KVMM_MOD_KERNEL]))
                return;
        if (rt.slot_end - rt.next_slot < KVMM_SLOTS) {
                rt_say("kvmm: %lu free slots, it needs %u: DriverOS not started",
                       (unsigned long)(rt.slot_end - rt.next_slot), KVMM_SLOTS);
                return;
        }
        vcpu = rt_slots(1);
        r = rt_try_alloc(MK_OBJ_VCPU, 0, 1, vcpu);
        if (r != MK_OK) {
                rt_say("kvmm: no VCPU on this machine (kernel error %d): DriverOS not started", r);
                return;
        }
        ram = rt_slots(KVMM_RAM_SIZE / LARGE);
        r = alloc_ram(ram);
        if (r != MK_OK) {
                rt_say("kvmm: no room for %lu MiB of guest RAM (kernel error %d): DriverOS not started",
                       (unsigned long)(KVMM_RAM_SIZE >> 20), r);
                return;
        }
        pml4 = rt_new(MK_OBJ_PML4, 0);
        entry = load_elf(pml4);
        if (!entry)
                rt_fail("kvmm: its ELF image is unusable", MK_E_INVALID_ARG);
        info_frame = rt_new(MK_OBJ_FRAME, 12);
        info = (struct kvmm_info *)scratch;
        rt_must(rt_map(rt.info->vspace, info_frame, scratch, RW, MK_MAP_EXECUTE_NEVER),
                "kvmm: map its info page");
        scratch += PAGE;
        info->magic = KVMM_INFO_MAGIC;
        info->ram_size = KVMM_RAM_SIZE;
        info->tsc_khz = rt.info->tsc_khz;
        if (map_modules(pml4, info) < 0)
                return;
        rt_must(rt_map(pml4, rt_copy(info_frame, MK_RIGHT_READ, 0), KVMM_INFO_VADDR, MK_RIGHT_READ,
                       MK_MAP_EXECUTE_NEVER), "kvmm: map the info page");
        gs = rt_new(MK_OBJ_GSPACE, 0);
        guest_ram(ram, gs, pml4);
        give_fb(gs, info);
        cnode = rt_new(MK_OBJ_CNODE, KVMM_CNODE_RADIX);
        vcpu_tcb = thread(pml4, rt_copy(cnode, MK_RIGHTS_ALL, guard), KVMM_STACK_TOP,
                          KVMM_IPCBUF_VADDR);
        rt_must(mku_vcpu_set_space(vcpu, gs), "kvmm: vcpu set space");
        rt_must(mku_vcpu_set_tcb(vcpu, vcpu_tcb), "kvmm: vcpu bind");
        ntfn = rt_new(MK_OBJ_NOTIFICATION, 0);
        rt_must(mku_tcb_bind_notification(vcpu_tcb, ntfn), "kvmm: bind notification");
        rt_give_to(cnode, KVMM_CAP_VCPU, vcpu);
        rt_give_to(cnode, KVMM_CAP_NTFN, ntfn);
        rt_give_to(cnode, KVMM_CAP_CONSOLE, rt.info->debug_console);
        give_i8042(cnode, ntfn, info);
        (void)rt_kvmm_chan_give(gs, pml4, cnode, ntfn, info);
        rt_power_kvmm(cnode, KVMM_CAP_ROOT_POWER, KVMM_CAP_ROOT_STOPPED, ntfn, KVMM_BADGE_POWER);
        rt_must(mku_tcb_write_registers(vcpu_tcb, entry, KVMM_STACK_TOP, KVMM_INFO_VADDR, 1),
                "kvmm: start its VCPU thread");
        rt_say("kvmm started: its own space and CNode (VCPU, notification, console), "
               "%lu MiB guest RAM, priority %u", (unsigned long)(KVMM_RAM_SIZE >> 20), RT_KVMM_PRIO);
}
