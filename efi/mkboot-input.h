/* efi/mkboot-input.h: reading and checking thatte-mkboot's input files. */
#ifndef THATTE_EFI_MKBOOT_INPUT_H
#define THATTE_EFI_MKBOOT_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "boot-elf.h"

/* The largest input file thatte-mkboot reads. */
#define MKBOOT_INPUT_MAX (256u << 20)

/* mkboot_read_file: the whole of path in a malloc'd buffer. Returns 0,
 * or -errno (-EFBIG past MKBOOT_INPUT_MAX, -EINVAL for a non-regular
 * file); outputs untouched on error. */
int mkboot_read_file(const char *path, uint8_t **ret_data, size_t *ret_len);

/* mkboot_read_file_said: mkboot_read_file, and prints why it failed
 * ("thatte-mkboot: PATH: ..."). */
int mkboot_read_file_said(const char *path, uint8_t **ret_data, size_t *ret_len);

/* mkboot_load_elf: reads path and checks it as a payload for role; prints
 * why it is refused ("thatte-mkboot: PATH: ROLE: ..."). Returns 0 and the
 * bytes, or -errno (-ENOEXEC for a bad payload). */
int mkboot_load_elf(const char *path, enum boot_elf_role role, uint8_t **ret_data, size_t *ret_len);

/* mkboot_load_loader: reads path and checks it is an x86-64 EFI
 * application; prints why not. Returns 0 and the bytes, or -errno. */
int mkboot_load_loader(const char *path, uint8_t **ret_data, size_t *ret_len);

#endif
