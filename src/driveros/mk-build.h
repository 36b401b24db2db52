/* mk-build.h: the steps of one thatte-driveros-make run. */
#ifndef THATTE_DRIVEROS_MK_BUILD_H
#define THATTE_DRIVEROS_MK_BUILD_H

#include <stdbool.h>
#include <stdint.h>

#include "driveros/mk-kbuild.h"
#include "driveros/mk-kernel.h"
#include "driveros/mk-options.h"

struct mk_build {
        const struct mk_options *o;
        const char *cache, *dir;        /* dir: the temporary image folder */
        char *init, *compositor, *busybox;
        struct mk_kernel kernel;        /* initramfs mode, Debian's kernel */
        struct mk_kbuild kbuild;        /* --kernel=thatte (zeroed otherwise) */
        char *release;                  /* kernel release in the image */
        char *kernel_package;           /* "NAME VERSION" for the MANIFEST */
        char *drivers;                  /* --driver: what each found, for the MANIFEST */
        bool user_fragment;             /* the build read the one --menuconfig kept */
        char **modules;                 /* initramfs mode, load order */
        uint32_t mtime;
        bool progress;                  /* say what is happening (on a TTY or -v) */
        bool mkboot_done;               /* --system: the thatte-mk boot files are there */
};

/* mk_build_run: makes every file of the image in DIR. Prints what failed
 * (once, as "thatte-driveros-make: ...") and returns -errno, or 0. */
int mk_build_run(struct mk_build *b, const struct mk_options *o, const char *cache, const char *dir);

/* mk_build_report: on a TTY or with -v, a short summary of the image. */
void mk_build_report(const struct mk_build *b, const char *output);

/* mk_build_done: frees what the build holds; accepts a zeroed struct. */
void mk_build_done(struct mk_build *b);

/* mk_build_own_kernel: with --kernel=thatte or PATH, copies the kernel
 * image (the cached THATTE vmlinux, or PATH) into the image folder as
 * vmlinuz and sets b->release and b->kernel_package (and b->kbuild with
 * --kernel=thatte); prints what failed and returns -errno. */
int mk_build_own_kernel(struct mk_build *b);

/* mk_build_say: a progress line when b->progress. */
void mk_build_say(const struct mk_build *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
