/* mk-moddep.h: kernel module dependencies from depmod's modules.dep. */
#ifndef THATTE_DRIVEROS_MK_MODDEP_H
#define THATTE_DRIVEROS_MK_MODDEP_H

#include <stdio.h>

struct mk_moddep;

/* mk_moddep_parse: reads modules.dep text ("PATH: DEP DEP...", paths
 * relative to the module folder) and, when BUILTIN is not NULL, the
 * modules.builtin list (one path a line) of modules compiled into the
 * kernel. Returns 0, -ENOMEM, or -EINVAL with *ret_line set to the 1-based
 * line of modules.dep that is malformed. */
int mk_moddep_parse(FILE *dep, FILE *builtin, struct mk_moddep **ret, unsigned *ret_line);

/* mk_moddep_free: accepts NULL. */
void mk_moddep_free(struct mk_moddep *d);

/* mk_moddep_name: the module name of a path or name: the file name without
 * ".ko" (and a compression suffix), '-' written '_' as the kernel does.
 * Writes at most SIZE bytes into BUF; returns BUF. */
char *mk_moddep_name(const char *path, char *buf, size_t size);

/* mk_moddep_resolve: the module files needed to load the NAMES (a NULL-
 * terminated list, module names or file names), dependencies before the
 * modules needing them, each once; built-in modules need no file and are
 * left out. Returns a NULL-terminated list of paths (free each and the
 * list), or NULL with errno: ENOENT (a name is unknown; *ret_missing points
 * at it), ELOOP (a dependency cycle), ENOMEM. */
char **mk_moddep_resolve(const struct mk_moddep *d, const char *const *names,
                         const char **ret_missing);

#endif
