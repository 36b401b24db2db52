/* tests/vmm/scratch-file.h: writing fixture files into a test's scratch
 * folder, shared by the vmm unit tests (each test is one program, so the
 * helper is a static inline function). */
#ifndef TESTS_VMM_SCRATCH_FILE_H
#define TESTS_VMM_SCRATCH_FILE_H

#include <stdio.h>
#include <stdlib.h>

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

#endif
