/* mk-system.c: see mk-system.h. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "driveros/mk-fs.h"
#include "driveros/mk-system.h"

#define PROGRAM "thatte-driveros-make"

int mk_system_prepare(void)
{
        int r;

        if (geteuid() != 0) {
                fprintf(stderr, PROGRAM ": --system writes %s: run it as root (sudo)\n", MK_SYSTEM_IMAGE);
                return -EPERM;
        }
        r = mk_mkdir_p(MK_SYSTEM_PROFILES, 0755);
        if (r < 0)
                fprintf(stderr, PROGRAM ": creating %s failed: %s\n", MK_SYSTEM_PROFILES, strerror(-r));
        return r;
}

int mk_system_link(void)
{
        const char *link = MK_SYSTEM_PROFILES "/driveros.toml";
        const char *tmp = MK_SYSTEM_PROFILES "/.driveros.toml.new";
        int r = 0;

        (void)unlink(tmp);
        if (symlink("../driveros/driveros.toml", tmp) < 0 || rename(tmp, link) < 0)
                r = -errno;
        if (r < 0) {
                fprintf(stderr, PROGRAM ": linking %s to the image failed: %s\n", link, strerror(-r));
                (void)unlink(tmp);
        }
        return r;
}
