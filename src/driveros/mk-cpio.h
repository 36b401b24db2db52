/* mk-cpio.h: a reproducible newc ("070701") cpio writer for initramfs images. */
#ifndef THATTE_DRIVEROS_MK_CPIO_H
#define THATTE_DRIVEROS_MK_CPIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

struct mk_cpio;

/* mk_cpio_new: an empty archive whose entries all get MTIME and owner 0:0.
 * Returns 0 or -ENOMEM. */
int mk_cpio_new(uint32_t mtime, struct mk_cpio **ret);

/* mk_cpio_free: frees the archive; accepts NULL. */
void mk_cpio_free(struct mk_cpio *c);

/* Adding entries. NAME is a relative or absolute path inside the archive
 * (a leading '/' is dropped); missing parent directories are added with mode
 * 0755. A name added twice gives -EEXIST, an empty or ".."-holding name
 * -EINVAL; otherwise 0 or -ENOMEM. PERM is the permission bits only.
 *  - file: contents read from SRC when the archive is written;
 *  - data: contents copied from memory now;
 *  - node: a character or block device (TYPE is S_IFCHR or S_IFBLK). */
int mk_cpio_add_dir(struct mk_cpio *c, const char *name, mode_t perm);
int mk_cpio_add_file(struct mk_cpio *c, const char *name, mode_t perm, const char *src);
int mk_cpio_add_data(struct mk_cpio *c, const char *name, mode_t perm, const void *data, size_t size);
int mk_cpio_add_symlink(struct mk_cpio *c, const char *name, const char *target);
int mk_cpio_add_node(struct mk_cpio *c, const char *name, mode_t type, mode_t perm,
                     unsigned major, unsigned minor);

/* mk_cpio_write: writes the archive to OUT, entries sorted by name (so a
 * directory precedes its contents), inode numbers in that order, then the
 * trailer. Returns 0, or -errno when a source file cannot be read (or its
 * size changed) or OUT fails. */
int mk_cpio_write(struct mk_cpio *c, FILE *out);

#endif
