/* src/libthatte/thatte-toml-internal.h: tree helpers shared by the TOML parser files. */
#ifndef THATTE_TOML_INTERNAL_H
#define THATTE_TOML_INTERNAL_H

#include "thatte-toml.h"

/* A zeroed value of `type` at `line`, or NULL when out of memory. */
thatte_toml_value *toml_value_new(thatte_toml_type type, unsigned line);

/* Appends key (taken over) and value (taken over) to a table: 0 or -ENOMEM
 * (then the caller still owns both). Duplicates are the caller's check. */
int toml_table_add(thatte_toml_value *table, char *key, thatte_toml_value *value);

/* Appends value (taken over) to an array: 0 or -ENOMEM. */
int toml_array_add(thatte_toml_value *array, thatte_toml_value *value);

#endif
