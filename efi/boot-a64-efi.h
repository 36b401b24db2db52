/* efi/boot-a64-efi.h: the few UEFI declarations thatte-boot-aa64.efi uses,
 * written from the UEFI specification (2.10: system table, boot services,
 * simple text output, loaded image, configuration table GUIDs).
 *
 * Why not gnu-efi: Debian's gnu-efi:arm64 cannot be installed beside the
 * amd64 one (not Multi-Arch), and an aarch64 loader needs only these. On
 * aarch64 UEFI calls follow AAPCS64, the compiler's own convention, so the
 * function pointers need no attribute. Only the members used are typed;
 * the others are placeholders that keep the offsets. */
#ifndef THATTE_EFI_BOOT_A64_EFI_H
#define THATTE_EFI_BOOT_A64_EFI_H

#include <stddef.h>
#include <stdint.h>

typedef uint64_t efi_status;
typedef void *efi_handle;
typedef uint16_t efi_char16;

#define EFI_ERR(n) (0x8000000000000000ull | (n))
#define EFI_SUCCESS 0ull
#define EFI_LOAD_ERROR EFI_ERR(1)
#define EFI_INVALID_PARAMETER EFI_ERR(2)
#define EFI_UNSUPPORTED EFI_ERR(3)
#define EFI_BUFFER_TOO_SMALL EFI_ERR(5)
#define EFI_NOT_FOUND EFI_ERR(14)
#define EFI_ABORTED EFI_ERR(21)
#define EFI_IS_ERROR(s) ((int64_t)(s) < 0)

struct efi_guid {
        uint32_t d1;
        uint16_t d2, d3;
        uint8_t d4[8];
};

#define EFI_LOADED_IMAGE_GUID \
        { 0x5b1b31a1, 0x9562, 0x11d2, { 0x8e, 0x3f, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b } }
#define EFI_DEVICE_TREE_GUID \
        { 0xb1b621d5, 0xf19c, 0x41a5, { 0x83, 0x0b, 0xd9, 0x15, 0x2c, 0x69, 0xaa, 0xe0 } }

enum { EFI_ALLOCATE_ANY_PAGES, EFI_ALLOCATE_MAX_ADDRESS, EFI_ALLOCATE_ADDRESS };
enum { EFI_LOADER_CODE = 1, EFI_LOADER_DATA = 2 };

struct efi_table_header {
        uint64_t signature;
        uint32_t revision, header_size, crc32, reserved;
};

struct efi_text_output {
        void *reset;
        efi_status (*output_string)(struct efi_text_output *self, const efi_char16 *s);
};

struct efi_boot_services {
        struct efi_table_header hdr;
        void *raise_tpl, *restore_tpl;
        efi_status (*allocate_pages)(int type, int mem_type, uint64_t pages, uint64_t *addr);
        efi_status (*free_pages)(uint64_t addr, uint64_t pages);
        efi_status (*get_memory_map)(uint64_t *size, void *map, uint64_t *key, uint64_t *desc_size,
                                     uint32_t *desc_version);
        efi_status (*allocate_pool)(int mem_type, uint64_t size, void **ret);
        efi_status (*free_pool)(void *p);
        void *create_event, *set_timer, *wait_for_event, *signal_event, *close_event,
                *check_event, *install_protocol, *reinstall_protocol, *uninstall_protocol;
        efi_status (*handle_protocol)(efi_handle h, const struct efi_guid *guid, void **ret);
        void *reserved, *register_protocol_notify, *locate_handle, *locate_device_path,
                *install_configuration_table, *load_image, *start_image, *exit, *unload_image;
        efi_status (*exit_boot_services)(efi_handle image, uint64_t map_key);
        void *get_next_monotonic_count, *stall;
        efi_status (*set_watchdog_timer)(uint64_t timeout, uint64_t code, uint64_t size,
                                         const efi_char16 *data);
};

struct efi_configuration_table {
        struct efi_guid guid;
        void *table;
};

struct efi_system_table {
        struct efi_table_header hdr;
        const efi_char16 *firmware_vendor;
        uint32_t firmware_revision;
        efi_handle console_in_handle;
        void *con_in;
        efi_handle console_out_handle;
        struct efi_text_output *con_out;
        efi_handle standard_error_handle;
        struct efi_text_output *std_err;
        void *runtime_services;
        struct efi_boot_services *boot_services;
        uint64_t n_tables;
        struct efi_configuration_table *tables;
};

struct efi_loaded_image {
        uint32_t revision;
        efi_handle parent;
        struct efi_system_table *system_table;
        efi_handle device;
        void *file_path;
        void *reserved;
        uint32_t load_options_size;
        void *load_options;
        void *image_base;
        uint64_t image_size;
        int image_code_type, image_data_type;
        void *unload;
};

#endif
