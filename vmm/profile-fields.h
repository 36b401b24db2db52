/* vmm/profile-fields.h: helpers that read one profile key with checks.
 * All return 0, -EINVAL with c->err filled (line of the entry), or -ENOMEM. */
#ifndef VMM_PROFILE_FIELDS_H
#define VMM_PROFILE_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#include "thatte-toml.h"

typedef struct pf_ctx {
        const char *dir;                /* folder relative paths resolve against */
        thatte_toml_error *err;
} pf_ctx;

int pf_fail(pf_ctx *c, unsigned line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int pf_unknown(pf_ctx *c, const char *section, const thatte_toml_entry *e);
int pf_type(pf_ctx *c, const char *section, const thatte_toml_entry *e, thatte_toml_type t);
int pf_uint(pf_ctx *c, const char *section, const thatte_toml_entry *e,
            unsigned min, unsigned max, unsigned *out);
int pf_bool(pf_ctx *c, const char *section, const thatte_toml_entry *e, bool *out);
int pf_text_ok(pf_ctx *c, const char *section, const char *key, const char *s,
               unsigned line, size_t max);
/* Copies a string without control characters, at most max bytes, into *out
 * (freeing the previous *out). */
int pf_text(pf_ctx *c, const char *section, const thatte_toml_entry *e, size_t max, char **out);
/* Stores in *out the index of the string in the NULL-terminated names. */
int pf_choice(pf_ctx *c, const char *section, const thatte_toml_entry *e,
              const char *const *names, int *out);
/* What pf_path accepts, as a mask. */
enum { PF_FILE = 1 << 0, PF_BLOCKDEV = 1 << 1, PF_FOLDER = 1 << 2 };

/* Stores in *out the canonical absolute path of an existing file of one of
 * the PF_* kinds. */
int pf_path(pf_ctx *c, const char *section, const thatte_toml_entry *e, unsigned kinds,
            char **out);

/* pf_shares: the [[share]] tables of arr into p (profile-share.c). */
struct vmm_profile;
int pf_shares(pf_ctx *c, struct vmm_profile *p, const thatte_toml_value *arr);

/* pf_channels: the [[channel]] tables of arr into p (profile-channel.c). */
int pf_channels(pf_ctx *c, struct vmm_profile *p, const thatte_toml_value *arr);

#endif
