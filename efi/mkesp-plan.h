/* efi/mkesp-plan.h: what goes into the ESP image: files, their paths in
 * the image, the folders those paths need, and the space all of it takes. */
#ifndef THATTE_EFI_MKESP_PLAN_H
#define THATTE_EFI_MKESP_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fat-bpb.h"

/* The smallest image thatte-mkesp makes by default, in MiB. */
#define MKESP_MIN_DEFAULT_MIB 4
/* The largest --size accepted, in MiB. */
#define MKESP_MAX_MIB 65536

struct mkesp_file {
        char *src;      /* path on the host, as given */
        char *dest;     /* path in the image, no leading '/' */
        uint64_t size;  /* filled in by the caller before sizing */
};

struct mkesp_plan {
        struct mkesp_file *files;
        size_t n_files;
        char **dirs;    /* every folder needed, parents before children */
        size_t n_dirs;
};

/* mkesp_plan_add: adds file src at dest in the image. dest may start with
 * '/'; a dest ending in '/' means that folder plus src's base name.
 * Returns 0; -EINVAL for an empty or invalid dest (empty, "." or ".."
 * components, characters FAT does not allow); -EEXIST when dest names a
 * file or folder already in the plan (FAT names ignore case); -ENOMEM. */
int mkesp_plan_add(struct mkesp_plan *plan, const char *src, const char *dest);

/* mkesp_plan_clusters: clusters the plan needs in a FAT of geometry g:
 * file data plus each folder's entries (the root's too on FAT32).
 * Returns the count; sets ret_root_fits to false when a FAT12/16 root
 * directory has too few slots for the root's entries. */
uint64_t mkesp_plan_clusters(const struct mkesp_plan *plan, const struct efi_fat_geometry *g,
                             bool *ret_root_fits);

/* mkesp_plan_default_mib: image size when none is given: the contents
 * (each file rounded up to 4 KiB, 4 KiB per folder) plus a quarter, plus
 * 1 MiB for the FAT itself, rounded up to whole MiB, at least
 * MKESP_MIN_DEFAULT_MIB. Returns 0 when that exceeds MKESP_MAX_MIB. */
unsigned mkesp_plan_default_mib(const struct mkesp_plan *plan);

/* mkesp_plan_free: releases what the plan holds, not the struct. Accepts NULL. */
void mkesp_plan_free(struct mkesp_plan *plan);

#endif
