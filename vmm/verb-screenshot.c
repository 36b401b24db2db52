/* vmm/verb-screenshot.c: `screenshot NAME -o FILE`: QMP screendump into a
 * temporary file next to FILE, renamed into place once complete. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "thatte-qmp.h"
#include "vmm.h"
#include "vmstate.h"

/* "png" or "ppm" from the file name, or NULL. */
static const char *format_of(const char *file)
{
        const char *dot = strrchr(file, '.');

        if (dot && strcasecmp(dot, ".png") == 0)
                return "png";
        if (dot && strcasecmp(dot, ".ppm") == 0)
                return "ppm";
        return NULL;
}

/* QEMU resolves relative names against its own folder: hand it absolute ones. */
static int absolute(const char *file, char *buf, size_t size)
{
        char cwd[PATH_MAX];

        if (file[0] == '/')
                return snprintf(buf, size, "%s", file) < (int)size ? 0 : -ENAMETOOLONG;
        if (!getcwd(cwd, sizeof(cwd)))
                return -errno;
        return snprintf(buf, size, "%s/%s", cwd, file) < (int)size ? 0 : -ENAMETOOLONG;
}

static int dump(const vmm_vm *vm, const char *tmp, const char *format)
{
        json_object *args = json_object_new_object();
        thatte_qmp *q;
        int r;

        json_object_object_add(args, "filename", json_object_new_string(tmp));
        json_object_object_add(args, "format", json_object_new_string(format));
        r = vmm_cli_qmp(vm, 5000, &q);
        if (r < 0) {
                json_object_put(args);
                return r;
        }
        r = thatte_qmp_execute(q, "screendump", args, NULL, 30000);
        if (r == -EREMOTEIO)
                vmm_err("screendump: %s", thatte_qmp_last_error(q));
        else if (r < 0)
                vmm_err("screendump: %s", strerror(-r));
        thatte_qmp_free(q);
        return r;
}

int vmm_verb_screenshot(const vmm_cmd *c)
{
        char name[VMM_NAME_MAX + 1], out[PATH_MAX], tmp[PATH_MAX + 32];
        const char *format;
        vmm_vm vm;
        int r;

        if (!c->output || !(format = format_of(c->output))) {
                vmm_err("screenshot needs -o FILE ending in .png or .ppm");
                return VMM_EXIT_USAGE;
        }
        r = vmm_cli_vm(c, true, name, sizeof(name), &vm);
        if (r != VMM_EXIT_OK)
                return r;
        if (absolute(c->output, out, sizeof(out)) < 0) {
                vmm_err("%s: path too long", c->output);
                return VMM_EXIT_FAIL;
        }
        snprintf(tmp, sizeof(tmp), "%s.tmp-%d", out, (int)getpid());
        if (dump(&vm, tmp, format) < 0) {
                (void)unlink(tmp);
                return VMM_EXIT_FAIL;
        }
        if (rename(tmp, out) < 0) {
                vmm_err("renaming %s to %s: %s", tmp, out, strerror(errno));
                (void)unlink(tmp);
                return VMM_EXIT_FAIL;
        }
        return VMM_EXIT_OK;
}
