/* mk-options.h: thatte-driveros-make's command line. */
#ifndef THATTE_DRIVEROS_MK_OPTIONS_H
#define THATTE_DRIVEROS_MK_OPTIONS_H

#include <stdbool.h>

#define MK_MAX_MODULES 64
#define MK_MAX_ADDS 16
#define MK_MAX_FRAGMENTS 8

/* The Debian architecture of this program, the default guest's. */
#if defined(__aarch64__)
#define MK_NATIVE_ARCH "arm64"
#else
#define MK_NATIVE_ARCH "amd64"
#endif

struct mk_options {
        const char *output;             /* -o DIR, default "driveros" */
        char name[65];                  /* --name, else from the output folder */
        bool disk;                      /* --mode disk */
        const char *suite;
        const char *mirror;
        const char *arch;               /* --arch: "amd64" or "arm64" */
        const char *kernel_package;
        const char *kernel;             /* --kernel: "debian", "thatte" or a PATH */
        const char *kernel_configs[MK_MAX_FRAGMENTS + 1];  /* --kernel-config, NULL-terminated */
        char *include;                  /* --include PKG,... as given */
        const char *compositor;         /* NULL: found by the program */
        const char *init;               /* NULL: found by the program */
        const char *cache;              /* NULL: the XDG default */
        const char *append;             /* extra kernel arguments */
        const char *modules[MK_MAX_MODULES + 1];  /* --module NAME, NULL-terminated */
        const char *module_set;         /* --modules=LIST: replaces the default set */
        const char *add_src[MK_MAX_ADDS + 1];   /* --add SRC=DEST, NULL-terminated */
        const char *add_dest[MK_MAX_ADDS + 1];
        bool uki, verbose;
        bool system;                    /* --system: the system-wide image */
};

/* mk_options_parse: fills *o from argv (--add splits its argument in place,
 * at the last '='). Returns 0 to go on, 1 when --help
 * or --version was answered (exit 0), -EINVAL after printing a usage error
 * (exit 2). */
int mk_options_parse(int argc, char **argv, struct mk_options *o);

/* mk_options_foreign: whether the guest's architecture is not this
 * program's (its compositor and thatte-init are the cross-built ones). */
bool mk_options_foreign(const struct mk_options *o);

/* mk_options_kernel_is: whether --kernel names WHICH ("debian", "thatte"). */
bool mk_options_kernel_is(const struct mk_options *o, const char *which);

#endif
