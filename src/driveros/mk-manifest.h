/* mk-manifest.h: the MANIFEST of a DriverOS image folder. */
#ifndef THATTE_DRIVEROS_MK_MANIFEST_H
#define THATTE_DRIVEROS_MK_MANIFEST_H

#include <stdio.h>

struct mk_manifest_field {
        const char *key;
        const char *value;
};

/* mk_manifest_write: writes to OUT one "# KEY: VALUE" line per field, in the
 * order given, then "SHA256  NAME" for each of the NULL-terminated FILES
 * (names inside DIR) in byte order of their names. The format is
 * sha256sum(1)'s, which skips '#' lines, so `sha256sum -c MANIFEST` checks
 * the folder. Returns 0; -EINVAL for a key, value or name holding a newline
 * (or a name holding '/'); -errno when a file cannot be read or OUT fails. */
int mk_manifest_write(FILE *out, const struct mk_manifest_field *fields, size_t n_fields,
                      const char *dir, const char *const *files);

#endif
