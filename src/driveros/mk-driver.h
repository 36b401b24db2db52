/* mk-driver.h: thatte-driveros-make --driver: a Linux driver named by its
 * module, its Kconfig symbol or a PCI vendor:device id, found in a source
 * tree (mk-ktree.h) and turned into the Kconfig lines that build it in,
 * with the symbols it depends on. */
#ifndef THATTE_DRIVEROS_MK_DRIVER_H
#define THATTE_DRIVEROS_MK_DRIVER_H

#include <stdio.h>

#include "driveros/mk-ktree.h"

struct mk_driver {
        char *found;            /* "e1000 (drivers/net/ethernet/intel/e1000)" */
        char **symbols;         /* to set =y, the driver's first, NULL-terminated */
};

/* mk_driver_is_pci_id: whether QUERY is VVVV:DDDD (hex). */
bool mk_driver_is_pci_id(const char *query);

/* mk_driver_resolve: QUERY (a module name, '-' and '_' alike; a Kconfig
 * symbol with or without CONFIG_; or a PCI id, looked up in ALIASES, the
 * text of a modules.alias, which may be NULL otherwise) in t. Returns 0
 * and fills *ret; on an unknown name prints "unknown driver 'QUERY'" and
 * the closest module names and symbols to ERR and returns -ENOENT; a
 * symbol that cannot be chosen (no prompt, not bool or tristate):
 * -EINVAL with a message; -ENOMEM. */
int mk_driver_resolve(const struct mk_ktree *t, const char *aliases, const char *query, FILE *err,
                      struct mk_driver *ret);

/* mk_driver_fragment: the Kconfig fragment of the N drivers to OUT, one
 * CONFIG_SYM=y a symbol (each once), commented with what asked for it. */
int mk_driver_fragment(const struct mk_driver *d, const char *const *queries, size_t n, FILE *out);

/* mk_driver_help: without CLASS the folders that hold drivers with the
 * number of each; with CLASS (a folder such as drivers/net or sound/pci)
 * every module below it with its symbol and prompt. Returns how many
 * lines it printed. */
size_t mk_driver_help(const struct mk_ktree *t, const char *class, FILE *out);

/* mk_driver_done: frees *d; accepts a zeroed struct. */
void mk_driver_done(struct mk_driver *d);

#endif
