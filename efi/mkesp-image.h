/* efi/mkesp-image.h: turn a plan into a FAT image file with mkfs.fat and mtools. */
#ifndef THATTE_EFI_MKESP_IMAGE_H
#define THATTE_EFI_MKESP_IMAGE_H

#include "mkesp-plan.h"

/* mkesp_image_write: makes a FAT image of size_mib MiB at output holding
 * the plan's folders and files, through a temporary file next to output
 * that is renamed into place only when everything succeeded.
 * Prints "thatte-mkesp: ..." on stderr for what failed. Returns 0;
 * -ENOSPC when the image is too small for the plan; -errno otherwise.
 * On any error nothing is left at output or next to it. */
int mkesp_image_write(const char *output, unsigned size_mib, const struct mkesp_plan *plan);

#endif
