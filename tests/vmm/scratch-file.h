/* tests/vmm/scratch-file.h: writing fixture files into a test's scratch
 * folder, shared by the vmm unit tests (each test is one program, so the
 * helper is a static inline function). */
#ifndef TESTS_VMM_SCRATCH_FILE_H
#define TESTS_VMM_SCRATCH_FILE_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* scratch_write: writes text to dir/name. A failure is not a result of the
 * code under test, so it exits 99 (a hard error for the harness). */
static inline void scratch_write(const char *dir, const char *name, const char *text)
{
        char p[512];
        FILE *f;

        snprintf(p, sizeof(p), "%s/%s", dir, name);
        f = fopen(p, "w");
        if (!f)
                exit(99);
        fputs(text, f);
        fclose(f);
}

static inline char **scratch_slot(void)
{
        static char *dir;
        return &dir;
}

/* Removes PATH and, for a folder, all it holds (the scratch folders are
 * shallow, so recursion is fine). */
static inline void scratch_remove_tree(const char *path)
{
        DIR *d = opendir(path);
        struct dirent *de;

        while (d && (de = readdir(d))) {
                char sub[1024];

                if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") &&
                    snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name) < (int)sizeof(sub))
                        scratch_remove_tree(sub);
        }
        if (d)
                closedir(d);
        (void)remove(path);
}

static inline void scratch_remove(void)
{
        if (*scratch_slot())
                scratch_remove_tree(*scratch_slot());
}

/* scratch_make: creates the scratch folder from TEMPLATE (mkdtemp's
 * XXXXXX) and removes it, with all it holds, when the test exits. */
static inline char *scratch_make(char *template)
{
        if (!mkdtemp(template))
                exit(99);
        *scratch_slot() = template;
        atexit(scratch_remove);
        return template;
}

#endif
