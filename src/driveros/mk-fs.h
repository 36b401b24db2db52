/* mk-fs.h: file helpers for thatte-driveros-make. */
#ifndef THATTE_DRIVEROS_MK_FS_H
#define THATTE_DRIVEROS_MK_FS_H

#include <stddef.h>
#include <sys/types.h>

/* mk_rmtree: removes PATH and everything below it, not following symlinks
 * and not crossing into other file systems. A missing PATH is fine.
 * Returns 0 or the first -errno. */
int mk_rmtree(const char *path);

/* mk_mkdir_p: creates PATH and missing parents with MODE. 0 or -errno. */
int mk_mkdir_p(const char *path, mode_t mode);

/* mk_copy_file: copies SRC to DST (created with MODE, replaced if present).
 * Returns 0 or -errno; on error DST is removed. */
int mk_copy_file(const char *src, const char *dst, mode_t mode);

/* mk_write_file: writes SIZE bytes of DATA to DST with MODE. 0 or -errno. */
int mk_write_file(const char *dst, const void *data, size_t size, mode_t mode);

/* mk_read_file: the whole file at PATH, NUL-terminated, into *ret (free
 * it). Returns 0 or -errno (-EFBIG past 64 MiB). */
int mk_read_file(const char *path, char **ret);

/* mk_path: asprintf that aborts the program on out-of-memory (paths are
 * small; there is no useful recovery). */
char *mk_path(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
