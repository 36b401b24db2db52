/* src/libthatte/thatte-toml.h: a strict parser for the TOML subset THATTE's files use.
 *
 * Supported: comments, bare and basic-quoted keys, one-level `[table]` and
 * `[[array-of-tables]]` headers, basic and literal single-line strings,
 * decimal integers, booleans, and arrays of those (one nesting level).
 * Everything else (dotted keys, inline tables, floats, dates, multi-line
 * strings) is reported as an error rather than half-parsed.
 *
 * Limits keep hostile input cheap: THATTE_TOML_MAX_SIZE bytes of input,
 * THATTE_TOML_MAX_DEPTH nested arrays; the input must be valid UTF-8 and
 * contain no NUL byte. */
#ifndef THATTE_TOML_H
#define THATTE_TOML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define THATTE_TOML_MAX_SIZE (1024 * 1024)
#define THATTE_TOML_MAX_DEPTH 4

typedef enum thatte_toml_type {
        THATTE_TOML_STRING,
        THATTE_TOML_INTEGER,
        THATTE_TOML_BOOLEAN,
        THATTE_TOML_ARRAY,
        THATTE_TOML_TABLE,
} thatte_toml_type;

typedef struct thatte_toml_value thatte_toml_value;

typedef struct thatte_toml_entry {
        char *key;
        thatte_toml_value *value;
} thatte_toml_entry;

struct thatte_toml_value {
        thatte_toml_type type;
        unsigned line;          /* where the value (or table header) starts */
        bool array_of_tables;   /* an ARRAY created by [[key]] headers */
        bool explicit_table;    /* a TABLE opened by a [key] header */
        union {
                char *string;
                int64_t integer;
                bool boolean;
                struct {
                        thatte_toml_value **items;
                        size_t n;
                } array;
                struct {
                        thatte_toml_entry *entries;
                        size_t n;
                } table;
        };
};

/* Where and why parsing failed; line is 1-based. */
typedef struct thatte_toml_error {
        unsigned line;
        char message[320];
} thatte_toml_error;

/* thatte_toml_parse: parses `size` bytes of `data` into a root table.
 * Returns 0 and stores a tree in *ret_root (free with thatte_toml_free), or
 * -EINVAL with err filled in for a syntax or content error, -EFBIG when the
 * input is larger than THATTE_TOML_MAX_SIZE, -ENOMEM. *ret_root is untouched
 * on failure. */
int thatte_toml_parse(const char *data, size_t size, thatte_toml_value **ret_root,
                      thatte_toml_error *err);

/* thatte_toml_free: releases a tree; accepts NULL. */
void thatte_toml_free(thatte_toml_value *v);

/* thatte_toml_get: the value stored under `key` in `table`, or NULL. */
const thatte_toml_value *thatte_toml_get(const thatte_toml_value *table, const char *key);

/* thatte_toml_type_name: "string", "integer", ... for messages. */
const char *thatte_toml_type_name(thatte_toml_type t);

/* thatte_utf8_validate: checks that data is well-formed UTF-8 without NUL
 * bytes. Returns 0, or -EILSEQ (bad UTF-8) / -EINVAL (NUL byte) and stores
 * the offending byte offset in *ret_offset. */
int thatte_utf8_validate(const char *data, size_t size, size_t *ret_offset);

#endif
