/* efi/boot-handoff.c: from a loaded kernel to running it.
 *
 * The order is what UEFI demands: everything the handoff needs (page
 * tables, a trampoline page, the boot information, the module table, the
 * command line, a stack, the thatte map and its scratch, the EFI map
 * buffer with slack) is allocated in ONE area below 4 GiB first; then the
 * final GetMemoryMap; then ExitBootServices with its map key, retried
 * with a fresh map (same buffer, no allocation, no output) while the key
 * is stale. After that only this file's own code runs: convert the map
 * (boot-memmap.c), take the last TSC reading, and call the trampoline,
 * which switches CR3 and stack and jumps to the kernel. The trampoline
 * sits in the area, identity mapped by both the firmware's tables and the
 * new ones, so the instruction after the CR3 write is still there. */
#include <efi.h>
#include <efilib.h>

#include "boot-memmap.h"
#include "boot-pagetable.h"
#include "boot.h"

#define PAGE 4096ull
#define BELOW_4G 0xffffffffull
#define COM1 0x3f8
#define CMDLINE_MAX (PAGE - 1)
#define STACK_PAGES 16
#define EBS_TRIES 8
/* Descriptors the map may grow by between sizing the area and the final
 * GetMemoryMap (the area itself, console output, firmware events). */
#define MAP_SLACK 32
#define CR4_LA57 (1ull << 12)

/* Pages of the area, in order; the sized parts follow. */
enum { AREA_TABLES = 0, AREA_TRAMPOLINE = BOOT_PT_PAGES, AREA_INFO, AREA_CMDLINE, AREA_STACK,
       AREA_FIXED = AREA_STACK + STACK_PAGES };

/* mov cr3, rdi; mov rsp, rdx; mov rdi, rcx; xor ebp, ebp; jmp rsi */
static const UINT8 trampoline_code[] = { 0x0f, 0x22, 0xdf, 0x48, 0x89, 0xd4, 0x48, 0x89,
                                         0xcf, 0x31, 0xed, 0xff, 0xe6 };
typedef void __attribute__((sysv_abi, noreturn)) (*trampoline_fn)(UINT64 cr3, UINT64 entry,
                                                                  UINT64 stack, UINT64 bootinfo);

struct area {
        EFI_PHYSICAL_ADDRESS base;
        UINTN pages;
        UINTN desc_now;                 /* EFI descriptors in the map before the area */
        UINTN desc_cap;                 /* EFI descriptors the map buffer holds */
        UINTN range_cap;                /* boot_memmap_capacity(desc_cap, claims) */
        struct thatte_mem_range *ranges;
        UINT64 *scratch;
        UINT8 *efi_map;
        UINTN efi_map_size;             /* bytes */
};

enum { CLAIM_KERNEL, CLAIM_AREA, CLAIM_MODULES, N_CLAIMS = CLAIM_MODULES + BOOT_MAX_MODULES };

static UINT8 *at(const struct area *a, UINTN page)
{
        return (UINT8 *)(UINTN)(a->base + page * PAGE);
}

/* Sizes the area for the current map plus slack and allocates it. */
static EFI_STATUS area_alloc(struct area *a, UINTN slack)
{
        UINTN size = 0, key, desc_size = 0, ranges_bytes, scratch_bytes;
        UINT32 version;
        EFI_STATUS status;

        status = BS->GetMemoryMap(&size, NULL, &key, &desc_size, &version);
        if (status != EFI_BUFFER_TOO_SMALL || !desc_size)
                return EFI_ERROR(status) ? status : EFI_DEVICE_ERROR;
        a->desc_now = size / desc_size;
        a->desc_cap = a->desc_now + slack;
        a->efi_map_size = a->desc_cap * desc_size;
        a->range_cap = boot_memmap_capacity(a->desc_cap, N_CLAIMS);
        ranges_bytes = a->range_cap * sizeof(struct thatte_mem_range);
        scratch_bytes = a->range_cap * sizeof(UINT64);
        a->pages = AREA_FIXED + (ranges_bytes + scratch_bytes + a->efi_map_size + PAGE - 1) / PAGE;
        a->base = BELOW_4G;
        status = BS->AllocatePages(AllocateMaxAddress, EfiLoaderData, a->pages, &a->base);
        if (EFI_ERROR(status))
                return status;
        a->ranges = (struct thatte_mem_range *)at(a, AREA_FIXED);
        a->scratch = (UINT64 *)((UINT8 *)a->ranges + ranges_bytes);
        a->efi_map = (UINT8 *)a->scratch + scratch_bytes;
        return EFI_SUCCESS;
}

static struct thatte_bootinfo *fill_bootinfo(const struct area *a, const struct boot_state *s)
{
        struct thatte_bootinfo *bi = (struct thatte_bootinfo *)at(a, AREA_INFO);
        struct thatte_module *mod = (struct thatte_module *)(bi + 1);
        char *cmdline = (char *)at(a, AREA_CMDLINE);
        UINTN len = s->payload.cmdline_len < CMDLINE_MAX ? s->payload.cmdline_len : CMDLINE_MAX;

        BS->SetMem(bi, PAGE, 0);
        BS->CopyMem(cmdline, (void *)s->payload.cmdline, len);
        cmdline[len] = '\0';
        BS->CopyMem(mod, (void *)s->modules, s->module_count * sizeof(*mod));
        *bi = (struct thatte_bootinfo){
                .magic = THATTE_BOOT_MAGIC, .version = THATTE_BOOT_VERSION, .size = sizeof(*bi),
                .source = THATTE_BOOT_UEFI, .mem_map = (UINT64)(UINTN)a->ranges,
                .kernel_base = s->kernel_base, .kernel_end = s->kernel_end, .rsdp = s->rsdp,
                .fb = s->fb, .module_count = s->module_count, .cmdline_len = (UINT32)len,
                .modules = (UINT64)(UINTN)mod, .cmdline = (UINT64)(UINTN)cmdline,
                .tsc = { .loader_entry = s->tsc_entry },
        };
        return bi;
}

/* COM1 directly: after ExitBootServices there is no console to ask. */
static void serial_line(const char *s)
{
        for (; *s; s++) {
                UINT8 lsr;

                do
                        __asm__ volatile("inb %1, %0" : "=a"(lsr) : "Nd"((UINT16)(COM1 + 5)));
                while (!(lsr & 0x20));
                __asm__ volatile("outb %0, %1" : : "a"((UINT8)*s), "Nd"((UINT16)COM1));
        }
}

static void __attribute__((noreturn)) halt(const char *why)
{
        serial_line("\r\nthatte-boot: ");
        serial_line(why);
        serial_line("; halted\r\n");
        for (;;)
                __asm__ volatile("cli; hlt");
}

/* The final map and ExitBootServices, retried while the key is stale.
 * Nothing here may print or allocate: either would change the map. */
static EFI_STATUS exit_boot_services(EFI_HANDLE image, struct area *a, UINTN *ret_size,
                                     UINTN *ret_desc_size)
{
        EFI_STATUS status = EFI_INVALID_PARAMETER;
        UINTN key, size;
        UINT32 version;

        for (unsigned i = 0; i < EBS_TRIES && status == EFI_INVALID_PARAMETER; i++) {
                size = a->efi_map_size;
                status = BS->GetMemoryMap(&size, (EFI_MEMORY_DESCRIPTOR *)a->efi_map, &key,
                                          ret_desc_size, &version);
                if (EFI_ERROR(status))
                        /* After a failed ExitBootServices the firmware may
                         * be half shut down: no way back to it. */
                        return i ? EFI_ABORTED : status;
                status = BS->ExitBootServices(image, key);
        }
        *ret_size = size;
        return status;
}

static void __attribute__((noreturn)) enter_kernel(const struct area *a, struct thatte_bootinfo *bi,
                                                   UINT64 entry)
{
        trampoline_fn jump = (trampoline_fn)(UINTN)at(a, AREA_TRAMPOLINE);
        UINT64 stack_top = (UINT64)(UINTN)at(a, AREA_STACK + STACK_PAGES);

        bi->tsc.kernel_jump = boot_rdtsc();
        jump((UINT64)(UINTN)at(a, AREA_TABLES), entry, stack_top, (UINT64)(UINTN)bi);
}

static EFI_STATUS prepare(struct area *a, const struct boot_state *s, struct thatte_bootinfo **ret)
{
        EFI_STATUS status;
        UINT64 cr4;

        __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
        if (cr4 & CR4_LA57) {
                boot_say("the firmware runs 5-level paging; the handoff needs 4-level");
                return EFI_UNSUPPORTED;
        }
        status = area_alloc(a, MAP_SLACK);
        if (EFI_ERROR(status)) {
                boot_say("cannot allocate the boot information area (%r)", status);
                return status;
        }
        (void)boot_pt_build((UINT64 *)at(a, AREA_TABLES), a->base);
        BS->CopyMem(at(a, AREA_TRAMPOLINE), (void *)trampoline_code, sizeof(trampoline_code));
        *ret = fill_bootinfo(a, s);
        return EFI_SUCCESS;
}

EFI_STATUS boot_handoff(EFI_HANDLE image, struct boot_state *s)
{
        struct area a;
        struct thatte_bootinfo *bi;
        struct boot_mem_claim claims[N_CLAIMS];
        UINTN map_size = 0, desc_size = 0;
        size_t count;
        EFI_STATUS status;

        status = prepare(&a, s, &bi);
        if (EFI_ERROR(status))
                return status;
        claims[CLAIM_KERNEL] = (struct boot_mem_claim){ s->kernel_base, s->kernel_end - s->kernel_base,
                                                        THATTE_MEM_KERNEL };
        claims[CLAIM_AREA] = (struct boot_mem_claim){ a.base, a.pages * PAGE, THATTE_MEM_BOOTINFO };
        for (UINT32 i = 0; i < s->module_count; i++)
                claims[CLAIM_MODULES + i] = (struct boot_mem_claim){ s->modules[i].base,
                                                                     s->modules[i].size,
                                                                     THATTE_MEM_MODULE };
        boot_say("memory map: %ld entries, room for %ld", (UINT64)a.desc_now, (UINT64)a.desc_cap);
        boot_say("boot information at 0x%lx", (UINT64)a.base);
        boot_say("exiting boot services");

        status = exit_boot_services(image, &a, &map_size, &desc_size);
        if (status == EFI_BUFFER_TOO_SMALL) {
                /* Still before ExitBootServices: the firmware is usable. */
                (void)BS->FreePages(a.base, a.pages);
                boot_say("the memory map outgrew its slack");
                return status;
        }
        if (EFI_ERROR(status))
                halt("ExitBootServices failed");
        /* The firmware's interrupt handlers are no longer ours to call. */
        __asm__ volatile("cli");
        bi->tsc.exit_boot_services = boot_rdtsc();
        if (boot_memmap_convert(a.efi_map, map_size, desc_size, claims,
                                CLAIM_MODULES + s->module_count, a.ranges, a.scratch, a.range_cap,
                                &count) < 0)
                halt("cannot convert the firmware's memory map");
        bi->mem_count = (UINT32)count;
        enter_kernel(&a, bi, s->entry);
}
