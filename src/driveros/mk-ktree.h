/* mk-ktree.h: what a Linux source tree offers to --driver: its Kconfig
 * symbols for x86 (type, prompt, the symbols they depend on) read by
 * following `source` from the top Kconfig, and which Kconfig symbol builds
 * which module, read from the Makefiles and Kbuild files. */
#ifndef THATTE_DRIVEROS_MK_KTREE_H
#define THATTE_DRIVEROS_MK_KTREE_H

#include <stdbool.h>
#include <stddef.h>

struct mk_ksym {
        char *name;             /* "E1000", without CONFIG_ */
        char *prompt;           /* NULL: invisible (only selected or defaulted) */
        bool boolean;           /* bool or tristate: can be =y */
        char **deps;            /* plain symbols it needs, NULL-terminated */
};

struct mk_kmod {
        char *module;           /* "snd_hda_intel": '-' read as '_' */
        char *symbol;           /* "SND_HDA_INTEL" */
        char *dir;              /* "sound/pci/hda", the Makefile's folder */
};

struct mk_ktree {
        struct mk_ksym *syms;   /* sorted by name */
        size_t n_syms;
        struct mk_kmod *mods;   /* sorted by module */
        size_t n_mods;
};

/* mk_ktree_read: reads the tree at SRC. Returns 0, -ENOENT when SRC/Kconfig
 * is missing, -ENOMEM. Files it cannot read below the top are skipped. */
int mk_ktree_read(const char *src, struct mk_ktree *ret);

/* mk_ktree_symbol: the symbol NAME (with or without CONFIG_), or NULL. */
const struct mk_ksym *mk_ktree_symbol(const struct mk_ktree *t, const char *name);

/* mk_ktree_module: the module NAME ('-' and '_' alike), or NULL. */
const struct mk_kmod *mk_ktree_module(const struct mk_ktree *t, const char *name);

/* mk_ktree_read_kconfig: the symbols alone (mk_ktree_read's first half).
 * mk_ktree_sym_free: frees what one symbol holds. */
int mk_ktree_read_kconfig(const char *src, struct mk_ktree *t);
void mk_ktree_sym_free(struct mk_ksym *k);

/* mk_ktree_next_line: the next line of the text at *at (backslash-
 * continued lines joined, in place), NULL at the end; advances *at. */
char *mk_ktree_next_line(char **at);

/* mk_ktree_done: frees *t; accepts a zeroed struct. */
void mk_ktree_done(struct mk_ktree *t);

/* mk_ktree_module_name: NAME with '-' as '_', allocated (NULL: no memory). */
char *mk_ktree_module_name(const char *name);

#endif
