/* efi/boot-a64.c: thatte-boot-aa64.efi's entry: payload -> Image placed
 * -> device tree copied -> handoff. A failure before the handoff is said on
 * the console, what was allocated is freed, and the status goes back to the
 * firmware. */
#include <stdarg.h>

#include "boot-a64-fdt.h"
#include "boot-a64-image.h"
#include "boot-a64.h"
#include "boot-pe.h"

#define PAGE 4096ull
#define LINE_MAX 160
#define FDT_MAGIC 0xd00dfeedu
#define FDT_MAX (2u << 20)

struct efi_system_table *boot_a64_st;

static void put(char *line, unsigned *n, char c)
{
        if (*n < LINE_MAX - 3)
                line[(*n)++] = c;
}

void boot_a64_say(const char *fmt, ...)
{
        static const char prefix[] = "thatte-boot: ";
        char line[LINE_MAX];
        efi_char16 wide[LINE_MAX];
        unsigned n = 0;
        va_list ap;

        for (const char *p = prefix; *p; p++)
                put(line, &n, *p);
        va_start(ap, fmt);
        for (; *fmt; fmt++) {
                if (*fmt != '%' || (fmt[1] != 's' && fmt[1] != 'x')) {
                        put(line, &n, *fmt);
                        continue;
                }
                if (*++fmt == 's') {
                        for (const char *s = va_arg(ap, const char *); *s; s++)
                                put(line, &n, *s);
                        continue;
                }
                uint64_t v = va_arg(ap, uint64_t);
                int shift = 60;

                put(line, &n, '0');
                put(line, &n, 'x');
                while (shift > 0 && !(v >> shift))
                        shift -= 4;
                for (; shift >= 0; shift -= 4)
                        put(line, &n, "0123456789abcdef"[v >> shift & 0xf]);
        }
        va_end(ap);
        line[n++] = '\r';
        line[n++] = '\n';
        for (unsigned i = 0; i < n; i++)
                wide[i] = (unsigned char)line[i];
        wide[n] = 0;
        (void)boot_a64_st->con_out->output_string(boot_a64_st->con_out, wide);
}

static void copy(void *dst, const void *src, uint64_t n)
{
        uint8_t *d = dst;
        const uint8_t *s = src;

        while (n--)
                *d++ = *s++;
}

static void fill_zero(void *dst, uint64_t n)
{
        uint8_t *d = dst;

        while (n--)
                *d++ = 0;
}

static uint64_t str_len(const char *s)
{
        uint64_t n = 0;

        while (s[n])
                n++;
        return n;
}

static int guid_eq(const struct efi_guid *a, const struct efi_guid *b)
{
        const uint8_t *x = (const uint8_t *)a, *y = (const uint8_t *)b;

        for (unsigned i = 0; i < sizeof(*a); i++)
                if (x[i] != y[i])
                        return 0;
        return 1;
}

static uint32_t be32(const uint8_t *p)
{
        return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The .kernel section and the optional .cmdline (NUL-terminated inside
 * its section; NULL when there is none) of the image the firmware loaded. */
static efi_status find_payload(efi_handle image, const uint8_t **kernel, size_t *kernel_len,
                               const char **cmdline)
{
        static const struct efi_guid loaded_image_guid = EFI_LOADED_IMAGE_GUID;
        struct efi_loaded_image *li = NULL;
        const uint8_t *text;
        size_t n, len;
        efi_status status;

        status = boot_a64_st->boot_services->handle_protocol(image, &loaded_image_guid, (void **)&li);
        if (EFI_IS_ERROR(status) || !li) {
                boot_a64_say("cannot find my own loaded image");
                return EFI_NOT_FOUND;
        }
        if (boot_pe_find(li->image_base, li->image_size, BOOT_PE_KERNEL, kernel, kernel_len) < 0 ||
            !*kernel_len) {
                boot_a64_say("no .kernel section in this image: pack it with thatte-mkboot");
                return EFI_NOT_FOUND;
        }
        *cmdline = NULL;
        if (boot_pe_find(li->image_base, li->image_size, BOOT_PE_CMDLINE, &text, &len) < 0)
                return EFI_SUCCESS;
        for (n = 0; n < len && text[n]; n++)
                ;
        if (n == len) {
                boot_a64_say("the .cmdline section is not NUL-terminated");
                return EFI_NOT_FOUND;
        }
        *cmdline = (const char *)text;
        return EFI_SUCCESS;
}

/* The lowest RAM address in the firmware's map, rounded down to 2 MiB:
 * the protocol wants the Image "as close as possible to the base of DRAM"
 * (and thatte-mk-aarch64 is linked for exactly that place). */
static efi_status ram_base(uint64_t *ret)
{
        struct efi_boot_services *bs = boot_a64_st->boot_services;
        uint64_t size = 0, key, desc_size = 0, lo = ~0ull;
        uint32_t version;
        uint8_t *map = NULL;
        efi_status status;

        status = bs->get_memory_map(&size, NULL, &key, &desc_size, &version);
        if (status != EFI_BUFFER_TOO_SMALL || !desc_size)
                return EFI_IS_ERROR(status) ? status : EFI_LOAD_ERROR;
        size += 4 * desc_size;
        status = bs->allocate_pool(EFI_LOADER_DATA, size, (void **)&map);
        if (!EFI_IS_ERROR(status))
                status = bs->get_memory_map(&size, map, &key, &desc_size, &version);
        for (uint64_t off = 0; !EFI_IS_ERROR(status) && off + desc_size <= size; off += desc_size) {
                uint32_t type = *(const uint32_t *)(map + off);
                uint64_t phys = *(const uint64_t *)(map + off + 8);

                /* Loader, boot services, runtime services, conventional, ACPI. */
                if (type >= 1 && type <= 10 && type != 8 && phys < lo)
                        lo = phys;
        }
        if (map)
                (void)bs->free_pool(map);
        if (!EFI_IS_ERROR(status) && lo == ~0ull)
                status = EFI_NOT_FOUND;
        *ret = lo & ~(BOOT_A64_IMAGE_ALIGN - 1);
        return status;
}

static efi_status place_kernel(const uint8_t *data, size_t len, struct boot_a64_state *s)
{
        struct efi_boot_services *bs = boot_a64_st->boot_services;
        struct boot_a64_image img;
        enum boot_a64_image_result r = boot_a64_image_check(data, len, &img);
        uint64_t base;
        efi_status status;

        if (r != BOOT_A64_IMAGE_OK) {
                boot_a64_say("kernel: %s", boot_a64_image_strerror(r));
                return EFI_LOAD_ERROR;
        }
        status = ram_base(&base);
        if (EFI_IS_ERROR(status)) {
                boot_a64_say("no RAM in the firmware's memory map");
                return status;
        }
        s->kernel = base + img.text_offset;
        s->kernel_size = (img.image_size + PAGE - 1) & ~(PAGE - 1);
        status = bs->allocate_pages(EFI_ALLOCATE_ADDRESS, EFI_LOADER_CODE, s->kernel_size / PAGE,
                                    &s->kernel);
        if (EFI_IS_ERROR(status)) {
                boot_a64_say("kernel range %x-%x is taken", s->kernel, s->kernel + s->kernel_size);
                s->kernel_size = 0;
                return status;
        }
        copy((void *)s->kernel, data, len);
        fill_zero((uint8_t *)s->kernel + len, s->kernel_size - len);
        boot_a64_say("kernel %x-%x (arm64 Image, text_offset %x)", s->kernel,
                     s->kernel + s->kernel_size, img.text_offset);
        return EFI_SUCCESS;
}

/* The firmware's device tree, copied into loader memory (its own copy is
 * boot-services memory, free for the kernel to reuse after the handoff),
 * with /chosen/bootargs = cmdline when there is one and the linux,uefi-*
 * properties of the memory map, filled at the handoff. */
static efi_status copy_dtb(struct boot_a64_state *s, const char *cmdline)
{
        static const struct efi_guid dt_guid = EFI_DEVICE_TREE_GUID;
        const uint8_t *fdt = NULL;
        uint64_t len;
        efi_status status;

        for (uint64_t i = 0; i < boot_a64_st->n_tables; i++)
                if (guid_eq(&boot_a64_st->tables[i].guid, &dt_guid))
                        fdt = boot_a64_st->tables[i].table;
        if (!fdt) {
                boot_a64_say("no device tree from the firmware (AAVMF offers one without ACPI:");
                boot_a64_say("-machine virt,acpi=off)");
                return EFI_UNSUPPORTED;
        }
        if (be32(fdt) != FDT_MAGIC || be32(fdt + 4) < 40 || be32(fdt + 4) > FDT_MAX) {
                boot_a64_say("the firmware's device tree at %x has a bad header", (uint64_t)fdt);
                return EFI_LOAD_ERROR;
        }
        len = be32(fdt + 4);
        s->dtb_size = (len + (cmdline ? BOOT_A64_FDT_SLACK(str_len(cmdline)) : 0) + BOOT_A64_FDT_UEFI_SLACK +
                       PAGE - 1) & ~(PAGE - 1);
        status = boot_a64_st->boot_services->allocate_pages(EFI_ALLOCATE_ANY_PAGES, EFI_LOADER_DATA,
                                                           s->dtb_size / PAGE, &s->dtb);
        if (EFI_IS_ERROR(status)) {
                boot_a64_say("no memory for the device tree");
                s->dtb_size = 0;
                return status;
        }
        s->chosen.cmdline = cmdline;
        s->chosen.uefi = 1;
        if (!(len = boot_a64_fdt_set_chosen(fdt, len, &s->chosen, (uint8_t *)s->dtb, s->dtb_size))) {
                boot_a64_say("cannot put /chosen's properties into the firmware's device tree");
                return EFI_LOAD_ERROR;
        }
        boot_a64_say("device tree %x bytes at %x", len, s->dtb);
        if (cmdline)
                boot_a64_say("cmdline '%s'", cmdline);
        return EFI_SUCCESS;
}

efi_status efi_main(efi_handle image, struct efi_system_table *st)
{
        struct boot_a64_state s = { 0 };
        const uint8_t *kernel;
        const char *cmdline;
        size_t kernel_len;
        efi_status status;

        boot_a64_st = st;
        /* The firmware's 5-minute watchdog would reset a kernel that runs
         * longer before exiting boot services; switch it off. */
        (void)st->boot_services->set_watchdog_timer(0, 0, 0, NULL);
        status = find_payload(image, &kernel, &kernel_len, &cmdline);
        if (!EFI_IS_ERROR(status))
                status = place_kernel(kernel, kernel_len, &s);
        if (!EFI_IS_ERROR(status))
                status = copy_dtb(&s, cmdline);
        if (!EFI_IS_ERROR(status))
                status = boot_a64_handoff(image, &s);
        if (s.kernel_size)
                (void)st->boot_services->free_pages(s.kernel, s.kernel_size / PAGE);
        if (s.dtb_size)
                (void)st->boot_services->free_pages(s.dtb, s.dtb_size / PAGE);
        boot_a64_say("cannot boot (status %x); back to the firmware", status);
        return status;
}
