/* src/libthatte/atomic-file.h: write an output file so that it appears complete or
 * not at all: a temporary file in the same folder, renamed at the end. */
#ifndef THATTE_ATOMIC_FILE_H
#define THATTE_ATOMIC_FILE_H

#include <sys/types.h>

struct thatte_atomic_file {
        char *path;     /* the final output path */
        char *tmp_path; /* .NAME.XXXXXX next to it, until committed */
        int fd;         /* open on tmp_path for writing */
};

/* thatte_atomic_file_open: creates the temporary file next to path with the
 * given mode (less the umask) and watches it with thatte_tmp_cleanup_add.
 * Returns 0 and a new object in ret; -errno otherwise (ret untouched). */
int thatte_atomic_file_open(const char *path, mode_t mode, struct thatte_atomic_file **ret);

/* thatte_atomic_file_commit: flushes the temporary file to disk, closes it
 * and renames it to the output path. Returns 0 or -errno; on error the
 * temporary file is still there for thatte_atomic_file_free to remove. */
int thatte_atomic_file_commit(struct thatte_atomic_file *f);

/* thatte_atomic_file_free: closes f and removes its temporary file when it
 * was not committed. Accepts NULL. */
void thatte_atomic_file_free(struct thatte_atomic_file *f);

#endif
