/* mk-kconfig.h: Kconfig fragments (the THATTE kernel's, a user's): read
 * with FILE:LINE errors before the long build, and checked against the
 * .config the kernel's own configurator made of them. */
#ifndef THATTE_DRIVEROS_MK_KCONFIG_H
#define THATTE_DRIVEROS_MK_KCONFIG_H

#include <stddef.h>
#include <stdio.h>

struct mk_kconfig_entry {
        char *name;             /* "CONFIG_FOO" */
        char *value;            /* "y", "42", "\"text\"", or NULL: not set */
        const char *file;       /* the fragment's path (owned by the list) */
        unsigned line;
};

struct mk_kconfig {
        struct mk_kconfig_entry *entries;
        size_t n;
        size_t n_base;          /* the first n_base entries are not checked */
        char **files;           /* the fragments read, in order */
        size_t n_files;
};

/* mk_kconfig_read: appends the entries of fragment TEXT (read from PATH;
 * PATH names it in messages) to *k. A line is blank, a comment, or
 * CONFIG_NAME=VALUE (y, n, a decimal or 0x number, a "quoted string") or
 * "# CONFIG_NAME is not set"; =n means not set. =m is refused: the THATTE
 * kernel has no modules. On a bad line, prints "PATH:LINE: message" to ERR
 * and returns -EINVAL; -ENOMEM; else 0. Later entries override earlier
 * ones for the same name. */
int mk_kconfig_read(struct mk_kconfig *k, const char *path, const char *text, FILE *err);

/* mk_kconfig_check: compares *k with CONFIG, the text of the final .config.
 * Every entry's value from n_base on must hold there (a name set twice:
 * the last one).
 * On the first that does not, prints "FILE:LINE: CONFIG_NAME=VALUE did not
 * hold (...)" to ERR and returns -EINVAL; else 0. */
int mk_kconfig_check(const struct mk_kconfig *k, const char *config, FILE *err);

/* mk_kconfig_diff: the lines of EDITED (a .config's text) that BASE (the
 * .config it was edited from) does not hold, as a fragment to OUT: what a
 * user changed in menuconfig, with what the change brought along. Returns
 * how many lines, or -EINVAL (a bad line, told to ERR), -EIO. */
int mk_kconfig_diff(const char *base, const char *edited, FILE *out, FILE *err);

/* mk_kconfig_write: the entries as a .config fragment (KCONFIG_ALLCONFIG's
 * input) to OUT, each name once (its last entry), so the configurator has
 * nothing to override. Returns 0 or -errno. */
int mk_kconfig_write(const struct mk_kconfig *k, FILE *out);

/* mk_kconfig_done: frees *k; accepts a zeroed struct. */
void mk_kconfig_done(struct mk_kconfig *k);

#endif
