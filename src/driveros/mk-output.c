/* mk-output.c: the temporary image folder and its rename into place. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driveros/mk-fs.h"
#include "driveros/mk-output.h"

int mk_output_begin(const char *output, char **ret_tmp)
{
        const char *slash = strrchr(output, '/');
        char *tmp;

        if (slash)
                tmp = mk_path("%.*s/.%s.tmp-XXXXXX", (int)(slash - output), output, slash + 1);
        else
                tmp = mk_path(".%s.tmp-XXXXXX", output);
        if (!mkdtemp(tmp)) {
                int r = -errno;
                free(tmp);
                return r;
        }
        (void)chmod(tmp, 0755);
        *ret_tmp = tmp;
        return 0;
}

static bool replaceable(const char *output)
{
        char *manifest = mk_path("%s/MANIFEST", output);
        bool yes = access(manifest, F_OK) == 0;
        DIR *d;
        struct dirent *de;

        free(manifest);
        if (yes)
                return true;
        d = opendir(output);
        if (!d)
                return false;
        yes = true;
        while (yes && (de = readdir(d)))
                if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
                        yes = false;
        closedir(d);
        return yes;
}

int mk_output_commit(const char *tmp, const char *output)
{
        struct stat st;

        if (lstat(output, &st) < 0) {
                if (errno != ENOENT)
                        return -errno;
                return rename(tmp, output) < 0 ? -errno : 0;
        }
        if (!S_ISDIR(st.st_mode) || !replaceable(output))
                return -EEXIST;
        if (renameat2(AT_FDCWD, tmp, AT_FDCWD, output, RENAME_EXCHANGE) < 0)
                return -errno;
        /* tmp now names the previous image. */
        (void)mk_rmtree(tmp);
        return 0;
}
