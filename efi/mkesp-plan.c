/* efi/mkesp-plan.c: image paths, the folder list they imply, and sizing. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mkesp-plan.h"

#define MIB (UINT64_C(1) << 20)
#define FAT_NAME_MAX 255

static bool valid_component(const char *name, size_t len)
{
        if (len == 0 || len > FAT_NAME_MAX)
                return false;
        if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
                return false;
        for (size_t i = 0; i < len; i++) {
                unsigned char c = (unsigned char)name[i];

                if (c < 0x20 || c == 0x7f || strchr("\"*:<>?\\|", c))
                        return false;
        }
        return true;
}

static bool valid_dest(const char *dest)
{
        const char *p = dest;

        if (!*dest)
                return false;
        for (;;) {
                const char *slash = strchr(p, '/');
                size_t len = slash ? (size_t)(slash - p) : strlen(p);

                if (!valid_component(p, len))
                        return false;
                if (!slash)
                        return true;
                p = slash + 1;
        }
}

/* dest without leading slashes; src's base name appended after a final '/'. */
static char *normalize_dest(const char *src, const char *dest)
{
        const char *base = strrchr(src, '/');
        bool in_folder = *dest && dest[strlen(dest) - 1] == '/';
        size_t len;
        char *out;

        while (*dest == '/')
                dest++;
        if (!in_folder)
                return strdup(dest);
        len = strlen(dest);
        base = base ? base + 1 : src;
        out = malloc(len + strlen(base) + 1);
        if (out) {
                memcpy(out, dest, len);
                strcpy(out + len, base);
        }
        return out;
}

static bool dir_known(const struct mkesp_plan *plan, const char *dir, size_t len)
{
        for (size_t i = 0; i < plan->n_dirs; i++)
                if (strlen(plan->dirs[i]) == len && strncasecmp(plan->dirs[i], dir, len) == 0)
                        return true;
        return false;
}

static bool file_known(const struct mkesp_plan *plan, const char *path, size_t len)
{
        for (size_t i = 0; i < plan->n_files; i++)
                if (strlen(plan->files[i].dest) == len && strncasecmp(plan->files[i].dest, path, len) == 0)
                        return true;
        return false;
}

/* Checks that dest clashes with nothing in the plan. */
static int check_conflicts(const struct mkesp_plan *plan, const char *dest)
{
        size_t len = strlen(dest);

        if (file_known(plan, dest, len) || dir_known(plan, dest, len))
                return -EEXIST;
        for (const char *s = strchr(dest, '/'); s; s = strchr(s + 1, '/'))
                if (file_known(plan, dest, (size_t)(s - dest)))
                        return -EEXIST;
        return 0;
}

static int add_parent_dirs(struct mkesp_plan *plan, const char *dest)
{
        for (const char *s = strchr(dest, '/'); s; s = strchr(s + 1, '/')) {
                size_t len = (size_t)(s - dest);
                char **dirs;

                if (dir_known(plan, dest, len))
                        continue;
                dirs = realloc(plan->dirs, (plan->n_dirs + 1) * sizeof(*dirs));
                if (!dirs)
                        return -ENOMEM;
                plan->dirs = dirs;
                dirs[plan->n_dirs] = strndup(dest, len);
                if (!dirs[plan->n_dirs])
                        return -ENOMEM;
                plan->n_dirs++;
        }
        return 0;
}

int mkesp_plan_add(struct mkesp_plan *plan, const char *src, const char *dest)
{
        struct mkesp_file *files;
        char *norm, *src_copy;
        int r;

        norm = normalize_dest(src, dest);
        if (!norm)
                return -ENOMEM;
        r = valid_dest(norm) ? check_conflicts(plan, norm) : -EINVAL;
        if (r == 0)
                r = add_parent_dirs(plan, norm);
        if (r < 0)
                goto fail;

        r = -ENOMEM;
        files = realloc(plan->files, (plan->n_files + 1) * sizeof(*files));
        if (!files)
                goto fail;
        plan->files = files;
        src_copy = strdup(src);
        if (!src_copy)
                goto fail;
        files[plan->n_files++] = (struct mkesp_file){ .src = src_copy, .dest = norm };
        return 0;
fail:
        free(norm);
        return r;
}

/* The parent folder of path ("" for the root) has this length. */
static size_t parent_len(const char *path)
{
        const char *slash = strrchr(path, '/');

        return slash ? (size_t)(slash - path) : 0;
}

static const char *base_name(const char *path)
{
        const char *slash = strrchr(path, '/');

        return slash ? slash + 1 : path;
}

static bool is_child(const char *path, const char *dir, size_t dir_len)
{
        return parent_len(path) == dir_len && strncasecmp(path, dir, dir_len) == 0;
}

/* Directory entries of the folder dir (length dir_len; 0 = root). */
static uint64_t dir_entries(const struct mkesp_plan *plan, const char *dir, size_t dir_len)
{
        uint64_t n = 0;

        for (size_t i = 0; i < plan->n_files; i++)
                if (is_child(plan->files[i].dest, dir, dir_len))
                        n += efi_fat_dir_entries(strlen(base_name(plan->files[i].dest)));
        for (size_t i = 0; i < plan->n_dirs; i++)
                if (is_child(plan->dirs[i], dir, dir_len))
                        n += efi_fat_dir_entries(strlen(base_name(plan->dirs[i])));
        return n;
}

uint64_t mkesp_plan_clusters(const struct mkesp_plan *plan, const struct efi_fat_geometry *g,
                             bool *ret_root_fits)
{
        /* The root also holds the volume label entry. */
        uint64_t root = dir_entries(plan, "", 0) + 1, n = 0;

        for (size_t i = 0; i < plan->n_files; i++)
                n += efi_fat_file_clusters(plan->files[i].size, g->cluster_bytes);
        /* Each folder also holds "." and "..". */
        for (size_t i = 0; i < plan->n_dirs; i++)
                n += efi_fat_file_clusters(
                        32 * (2 + dir_entries(plan, plan->dirs[i], strlen(plan->dirs[i]))),
                        g->cluster_bytes);

        *ret_root_fits = true;
        if (g->root_entries)
                *ret_root_fits = root <= g->root_entries;
        else
                n += efi_fat_file_clusters(32 * root, g->cluster_bytes);
        return n;
}

unsigned mkesp_plan_default_mib(const struct mkesp_plan *plan)
{
        uint64_t bytes = 4096 * (uint64_t)(plan->n_dirs + 1), mib;

        for (size_t i = 0; i < plan->n_files; i++) {
                if (plan->files[i].size > MKESP_MAX_MIB * MIB)
                        return 0;
                bytes += (plan->files[i].size + 4095) / 4096 * 4096;
        }
        mib = (bytes + bytes / 4 + MIB - 1) / MIB + 1;
        if (mib < MKESP_MIN_DEFAULT_MIB)
                mib = MKESP_MIN_DEFAULT_MIB;
        return mib > MKESP_MAX_MIB ? 0 : (unsigned)mib;
}

void mkesp_plan_free(struct mkesp_plan *plan)
{
        if (!plan)
                return;
        for (size_t i = 0; i < plan->n_files; i++) {
                free(plan->files[i].src);
                free(plan->files[i].dest);
        }
        for (size_t i = 0; i < plan->n_dirs; i++)
                free(plan->dirs[i]);
        free(plan->files);
        free(plan->dirs);
        *plan = (struct mkesp_plan){ 0 };
}
