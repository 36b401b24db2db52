/* vmm/edit-paths.h: a profile's text made to mean the same from another
 * folder (edit's copy of a profile it cannot write). */
#ifndef VMM_EDIT_PATHS_H
#define VMM_EDIT_PATHS_H

#include <stddef.h>

/* vmm_absolute_paths: a copy of the profile text data (size bytes) in which
 * each relative path ([boot] esp, kernel, initrd; [[disk]] and [[share]]
 * path) is made absolute against dir, the profile's own folder. Text that
 * does not parse, and a path written with escapes, are copied as they are
 * (the check of the copy then names them). Returns 0 with *ret
 * (NUL-terminated; free it) and *ret_size, or -ENOMEM. */
int vmm_absolute_paths(const char *data, size_t size, const char *dir, char **ret, size_t *ret_size);

#endif
