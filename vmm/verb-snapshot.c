/* vmm/verb-snapshot.c: `snapshot NAME save|load|delete TAG` and
 * `snapshot NAME list`: named snapshots of a stopped VM's disks, kept
 * inside its qcow2 overlays by `qemu-img snapshot` (every overlay under one
 * tag). Only disks with overlays have them; the OVMF variables are not
 * part of a snapshot. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "held.h"
#include "kvm-probe.h"
#include "paths.h"
#include "spawn.h"
#include "vmm.h"

#define TAG_MAX 64

enum { SAVE, LOAD, DELETE, LIST };     /* indices of actions[] */

static const struct {
        const char *action, *flag, *done;
} actions[] = {
        { "save", "-c", "saved" },
        { "load", "-a", "loaded" },
        { "delete", "-d", "deleted" },
        { "list", "-l", NULL },
};

static int tag_valid(const char *s)
{
        size_t n = strlen(s);

        return n > 0 && n <= TAG_MAX && s[0] != '-' && s[0] != '.' &&
               strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

/* Which action, with its tag checked; -1 after printing a usage error. */
static int parse(const vmm_cmd *c)
{
        for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
                bool list = actions[i].done == NULL;

                if (c->argc < 1 || strcmp(c->argv[0], actions[i].action) != 0)
                        continue;
                if (c->argc != (list ? 1 : 2)) {
                        vmm_err("snapshot %s %s", actions[i].action, list ? "takes no tag" : "needs one TAG");
                        return -1;
                }
                if (!list && !tag_valid(c->argv[1])) {
                        vmm_err("snapshot: '%s' is not a tag (1 to %d letters, digits, '.', '_', '-'; "
                                "not starting with '-' or '.')", c->argv[1], TAG_MAX);
                        return -1;
                }
                return (int)i;
        }
        vmm_err("snapshot NAME needs save TAG, load TAG, delete TAG or list");
        return -1;
}

/* Whether `qemu-img snapshot -l` lists tag in overlay (its second column). */
static bool has_tag(const char *overlay, const char *tag)
{
        char qemu_img[4096], out[65536];
        char *argv[] = { qemu_img, "snapshot", "-l", (char *)overlay, NULL };

        if (vmm_find_program("qemu-img", qemu_img, sizeof(qemu_img)) < 0 ||
            vmm_capture(argv, NULL, 30000, out, sizeof(out), NULL) < 0)
                return false;
        for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
                char id[32], name[TAG_MAX + 2];

                if (sscanf(line, "%31s %65s", id, name) == 2 && strcmp(name, tag) == 0)
                        return true;
        }
        return false;
}

static int run_qemu_img(const char *flag, const char *tag, const char *overlay)
{
        const char *argv[] = { "qemu-img", "snapshot", flag, tag, overlay, NULL };
        const char *list[] = { "qemu-img", "snapshot", "-l", overlay, NULL };
        int status, r = thatte_spawn_wait(tag ? argv : list, THATTE_SPAWN_NULL_STDIN, &status);

        if (r < 0) {
                vmm_err("running qemu-img (Debian package qemu-utils): %s", strerror(-r));
                return VMM_EXIT_FAIL;
        }
        return status == 0 ? VMM_EXIT_OK : VMM_EXIT_FAIL;
}

/* The overlays must agree before anything changes: a tag saved on some
 * disks only, or loaded on some only, would leave disks from different
 * moments. save: no overlay has the tag; load: every overlay has it;
 * delete: at least one has it (it removes a half-saved tag too). */
static int tags_agree(const vmm_held *h, char (*paths)[4200], size_t n, int a, const char *tag,
                      bool *has)
{
        size_t with = 0;

        for (size_t i = 0; i < n; i++)
                with += has[i] = has_tag(paths[i], tag);
        if (a == SAVE && with) {
                vmm_err("VM '%s' has a snapshot '%s' already; delete it first", h->name, tag);
                return VMM_EXIT_FAIL;
        }
        for (size_t i = 0; a == LOAD && i < n; i++)
                if (!has[i]) {
                        vmm_err("VM '%s': %s has no snapshot '%s'; no disk was changed", h->name, paths[i], tag);
                        return VMM_EXIT_FAIL;
                }
        if (a == DELETE && !with) {
                vmm_err("VM '%s' has no snapshot '%s'", h->name, tag);
                return VMM_EXIT_FAIL;
        }
        return VMM_EXIT_OK;
}

/* Runs the action on each overlay (delete: those with the tag); a save
 * that fails part way is taken back from the overlays it reached. */
static int each_overlay(char (*paths)[4200], size_t n, int a, const char *tag, const bool *has)
{
        int r = VMM_EXIT_OK;
        size_t i;

        for (i = 0; i < n && r == VMM_EXIT_OK; i++) {
                if (a == DELETE && !has[i])
                        continue;
                if (!tag)
                        printf("%s:\n", paths[i]);
                fflush(stdout);
                r = run_qemu_img(actions[a].flag, tag, paths[i]);
                if (r != VMM_EXIT_OK)
                        vmm_err("snapshot %s%s%s of %s failed (qemu-img's message above)", actions[a].action,
                                tag ? " " : "", tag ? tag : "", paths[i]);
        }
        for (size_t j = 0; a == SAVE && r != VMM_EXIT_OK && j + 1 < i; j++)
                (void)run_qemu_img("-d", tag, paths[j]);
        return r;
}

int vmm_verb_snapshot(const vmm_cmd *c)
{
        char paths[VMM_MAX_DISKS][4200];
        bool has[VMM_MAX_DISKS] = { false };
        int a = parse(c), r;
        const char *tag;
        vmm_held h;
        size_t n;

        if (a < 0)
                return VMM_EXIT_USAGE;
        tag = actions[a].done ? c->argv[1] : NULL;
        r = vmm_hold_stopped(c, &h);
        if (r != VMM_EXIT_OK)
                return r;
        n = vmm_held_overlays(&h, paths, VMM_MAX_DISKS);
        if (n == 0) {
                vmm_err("VM '%s' has no disk overlays to snapshot (only [[disk]]s with an overlay, "
                        "made at its first start, have them)", h.name);
                r = VMM_EXIT_FAIL;
        }
        if (r == VMM_EXIT_OK && tag)
                r = tags_agree(&h, paths, n, a, tag, has);
        if (r == VMM_EXIT_OK)
                r = each_overlay(paths, n, a, tag, has);
        vmm_release(&h);
        if (r == VMM_EXIT_OK && tag)
                vmm_confirm(c, "%s: snapshot %s %s", h.name, tag, actions[a].done);
        return r;
}
