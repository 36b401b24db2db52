/* tests/helpers/qmp-json.h: just enough JSON for QMP reply lines.
 *
 * QEMU's monitor sends one JSON object per line; what a client needs is
 * the object's top-level keys ("QMP", "return", "error", "event") and the
 * error's "desc" string. This scanner walks the whole object, strings and
 * nesting included, so a key-like text inside a string value never counts
 * as a key. It allocates nothing and never reads past the given length. */
#ifndef THATTE_TESTS_QMP_JSON_H
#define THATTE_TESTS_QMP_JSON_H

#include <stddef.h>

enum qmp_kind {
        QMP_KIND_GREETING,      /* {"QMP": ...} sent once on connect */
        QMP_KIND_RETURN,        /* a command succeeded */
        QMP_KIND_ERROR,         /* a command failed */
        QMP_KIND_EVENT,         /* asynchronous event, not a reply */
        QMP_KIND_OTHER,         /* a well-formed object with none of those */
};

/* qmp_json_member: looks up the top-level member KEY of the JSON object in
 * TEXT[0..len) (whitespace around it allowed, nothing else).
 * Returns 0 and points *ret_value and *ret_len at the member's value text;
 * -ENOENT if the object has no such member; -EINVAL if TEXT is not exactly
 * one well-formed JSON object. Outputs untouched on failure. */
int qmp_json_member(const char *text, size_t len, const char *key,
                    const char **ret_value, size_t *ret_len);

/* qmp_json_string: decodes the JSON string value TEXT[0..len) (quotes
 * included, surrounding whitespace allowed) into BUF as UTF-8, NUL-terminated
 * and cut to SIZE - 1 bytes. Returns 0, or -EINVAL if TEXT is not one JSON
 * string; BUF is then left as an empty string when SIZE > 0. */
int qmp_json_string(const char *text, size_t len, char *buf, size_t size);

/* qmp_json_classify: tells what kind of QMP message the line TEXT[0..len) is.
 * Returns 0 and sets *ret_kind, or -EINVAL for a line that is not one
 * well-formed JSON object (*ret_kind untouched). */
int qmp_json_classify(const char *text, size_t len, enum qmp_kind *ret_kind);

/* qmp_json_error_desc: copies the "desc" of an {"error": {...}} line into
 * BUF (cut to SIZE - 1 bytes). Returns 0, -ENOENT when the line has no
 * error.desc string, -EINVAL for malformed JSON. */
int qmp_json_error_desc(const char *text, size_t len, char *buf, size_t size);

#endif
