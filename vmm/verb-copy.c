/* vmm/verb-copy.c: `copy NAME:PATH LOCAL` and `copy LOCAL NAME:PATH`: one
 * regular file to or from the guest through its agent
 * (docs/guest-agent.md). What comes from the guest lands in a temporary
 * file next to LOCAL, renamed into place only once complete. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent.h"
#include "atomic-file.h"
#include "vmm.h"

/* A guest side "NAME:/PATH": splits it (name into buf). */
static const char *guest_path(const char *arg, char *name, size_t size)
{
        const char *colon = strchr(arg, ':');

        if (!colon || colon == arg || (size_t)(colon - arg) >= size || colon[1] != '/')
                return NULL;
        memcpy(name, arg, (size_t)(colon - arg));
        name[colon - arg] = '\0';
        return vmm_name_valid(name) ? colon + 1 : NULL;
}

/* The file name `base`'s last component appended when `dir` is a folder
 * (a local one that exists, or a guest path ending in '/'). */
static int target_path(const char *dir, bool is_dir, const char *base, char *out, size_t size)
{
        char copy[4096];

        snprintf(copy, sizeof(copy), "%s", base);
        if (!is_dir)
                return snprintf(out, size, "%s", dir) < (int)size ? 0 : -ENAMETOOLONG;
        return snprintf(out, size, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/",
                        basename(copy)) < (int)size ? 0 : -ENAMETOOLONG;
}

/* Sends the file open on fd as PUT path, DATA..., END; waits for OK. */
static int put(vmm_agent *a, int fd, const char *path, mode_t mode, uint8_t *buf)
{
        size_t plen = strlen(path) + 1;
        unsigned type;
        uint32_t len;
        ssize_t n;

        thatte_agent_put_u32(buf, mode & 0777);
        memcpy(buf + 4, path, plen);
        if (vmm_agent_send(a, THATTE_AGENT_PUT, buf, 4 + plen) < 0)
                return -1;
        while ((n = read(fd, buf, THATTE_AGENT_MAX_PAYLOAD)) > 0)
                if (vmm_agent_send(a, THATTE_AGENT_DATA, buf, (size_t)n) < 0)
                        return -1;
        if (n < 0) {
                snprintf(a->why, sizeof(a->why), "reading the local file: %s", strerror(errno));
                return -1;      /* no END: the guest drops the half file */
        }
        if (vmm_agent_send(a, THATTE_AGENT_END, NULL, 0) < 0 || vmm_agent_recv(a, -1, &type, buf, &len) < 0)
                return -1;
        if (type == THATTE_AGENT_OK)
                return 0;
        if (type == THATTE_AGENT_ERROR)
                snprintf(a->why, sizeof(a->why), "guest: %.1024s", (char *)buf);
        else
                snprintf(a->why, sizeof(a->why), "the guest answered with a frame of type %u", type);
        return -1;
}

static int copy_in(const vmm_cmd *c, const char *local, const char *name, const char *gpath)
{
        static uint8_t buf[THATTE_AGENT_MAX_PAYLOAD + 1];
        char path[THATTE_AGENT_MAX_PATH + 2];
        const char *why = NULL;
        struct stat st;
        vmm_agent a;
        int fd, r;

        fd = open(local, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
                vmm_err("copy: %s: %s", local, fd < 0 ? strerror(errno) : "not a regular file");
                if (fd >= 0)
                        close(fd);
                return VMM_EXIT_FAIL;
        }
        if (target_path(gpath, gpath[strlen(gpath) - 1] == '/', local, path, sizeof(path)) < 0 ||
            !thatte_agent_path_ok(path, strlen(path) + 1, &why)) {
                vmm_err("copy: guest path '%s': not absolute, too long, or with '.', '..' or '//'", gpath);
                close(fd);
                return VMM_EXIT_USAGE;
        }
        if ((unsigned long long)st.st_size > THATTE_AGENT_MAX_FILE) {
                vmm_err("copy: %s is larger than 1 GiB, the agent's limit", local);
                close(fd);
                return VMM_EXIT_FAIL;
        }
        if (vmm_cli_agent(c, "copy with", name, &a) < 0) {
                close(fd);
                return VMM_EXIT_FAIL;
        }
        r = put(&a, fd, path, st.st_mode, buf);
        if (r < 0)
                vmm_err("copy to %s:%s: %s", name, path, a.why);
        close(fd);
        vmm_agent_close(&a);
        return r < 0 ? VMM_EXIT_FAIL : VMM_EXIT_OK;
}

/* Receives DATA... END into f; the guest's size limit is checked here too. */
static int get(vmm_agent *a, struct thatte_atomic_file *f, uint8_t *buf)
{
        unsigned long long total = 0;
        unsigned type;
        uint32_t len;

        for (;;) {
                if (vmm_agent_recv(a, -1, &type, buf, &len) < 0)
                        return -1;
                if (type == THATTE_AGENT_END)
                        return 0;
                if (type == THATTE_AGENT_ERROR) {
                        snprintf(a->why, sizeof(a->why), "guest: %.1024s", (char *)buf);
                        return -1;
                }
                if (type != THATTE_AGENT_DATA) {
                        snprintf(a->why, sizeof(a->why), "the guest sent a frame of type %u during copy", type);
                        return -1;
                }
                total += len;
                if (total > THATTE_AGENT_MAX_FILE) {
                        snprintf(a->why, sizeof(a->why), "the guest sent more than 1 GiB, the agent's limit");
                        return -1;
                }
                if (thatte_agent_write_all(f->fd, buf, len) < 0) {
                        snprintf(a->why, sizeof(a->why), "writing: %s", strerror(errno ? errno : EIO));
                        return -1;
                }
        }
}

static int copy_out(const vmm_cmd *c, const char *name, const char *gpath, const char *local)
{
        static uint8_t buf[THATTE_AGENT_MAX_PAYLOAD + 1];
        struct thatte_atomic_file *f = NULL;
        char path[4096];
        const char *why;
        struct stat st;
        vmm_agent a;
        int r;

        if (!thatte_agent_path_ok(gpath, strlen(gpath) + 1, &why)) {
                vmm_err("copy: guest path '%s': %s", gpath, why);
                return VMM_EXIT_USAGE;
        }
        if (target_path(local, stat(local, &st) == 0 && S_ISDIR(st.st_mode), gpath, path, sizeof(path)) < 0) {
                vmm_err("copy: %s: %s", local, strerror(ENAMETOOLONG));
                return VMM_EXIT_USAGE;
        }
        r = thatte_atomic_file_open(path, 0644, &f);
        if (r < 0) {
                vmm_err("copy: creating %s: %s", path, strerror(-r));
                return VMM_EXIT_FAIL;
        }
        if (vmm_cli_agent(c, "copy with", name, &a) < 0) {
                thatte_atomic_file_free(f);
                return VMM_EXIT_FAIL;
        }
        r = vmm_agent_send(&a, THATTE_AGENT_GET, gpath, strlen(gpath) + 1);
        r = r ?: get(&a, f, buf);
        if (r < 0)
                vmm_err("copy from %s:%s: %s", name, gpath, a.why);
        else if ((r = thatte_atomic_file_commit(f)) < 0)
                vmm_err("copy: writing %s: %s", path, strerror(-r));
        thatte_atomic_file_free(f);
        vmm_agent_close(&a);
        return r < 0 ? VMM_EXIT_FAIL : VMM_EXIT_OK;
}

int vmm_verb_copy(const vmm_cmd *c)
{
        char name[VMM_NAME_MAX + 1];
        const char *from = guest_path(c->target, name, sizeof(name)), *to;

        signal(SIGPIPE, SIG_IGN);       /* a closed channel: EPIPE */
        if (from) {
                if (guest_path(c->arg, (char[VMM_NAME_MAX + 1]){ 0 }, VMM_NAME_MAX + 1)) {
                        vmm_err("copy: one side must be a local file");
                        return VMM_EXIT_USAGE;
                }
                return copy_out(c, name, from, c->arg);
        }
        to = guest_path(c->arg, name, sizeof(name));
        if (!to) {
                vmm_err("copy: one side must be NAME:/PATH in the guest (an absolute path)");
                return VMM_EXIT_USAGE;
        }
        return copy_in(c, c->target, name, to);
}
