/* mk-apt.c: resolving, downloading and unpacking packages into the cache. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driveros/mk-apt.h"
#include "driveros/mk-fs.h"
#include "driveros/mk-sha256.h"
#include "driveros/mk-spawn.h"

void mk_apt_pkg_done(struct mk_apt_pkg *p)
{
        if (!p)
                return;
        free(p->name);
        free(p->version);
        free(p->file);
        free(p->sha256);
        *p = (struct mk_apt_pkg){ 0 };
}

/* The value of "KEY: value" in the first stanza of TEXT, or NULL. */
static char *field(const char *text, const char *key)
{
        size_t klen = strlen(key);

        for (const char *l = text; l && *l && *l != '\n'; l = strchr(l, '\n'), l = l ? l + 1 : l) {
                if (!strncmp(l, key, klen) && l[klen] == ':') {
                        const char *v = l + klen + 1;
                        v += strspn(v, " ");
                        return strndup(v, strcspn(v, "\n"));
                }
        }
        return NULL;
}

/* "Depends: linux-image-6.1.0-56-amd64 (= ...), ..." -> the image package. */
static char *image_dependency(const char *text)
{
        char *deps = field(text, "Depends"), *p, *name = NULL;

        if (!deps)
                return NULL;
        for (p = strstr(deps, "linux-image-"); p; p = strstr(p + 1, "linux-image-"))
                if (p[strlen("linux-image-")] >= '0' && p[strlen("linux-image-")] <= '9') {
                        name = strndup(p, strcspn(p, " ,|("));
                        break;
                }
        free(deps);
        return name;
}

static int show_one(const char *pkg, bool verbose, char **ret_text)
{
        char *argv[] = { "apt-cache", "show", "--no-all-versions", (char *)pkg, NULL };
        char *out = NULL;
        int r = mk_spawn_run(argv, NULL, verbose, &out);

        if (r == -EPROTO || (r == 0 && !out[0]))
                r = -ENOENT;    /* apt-cache exits 100 for an unknown name */
        if (r < 0) {
                free(out);
                return r;
        }
        *ret_text = out;
        return 0;
}

int mk_apt_show(const char *pkg, bool verbose, struct mk_apt_pkg *ret)
{
        struct mk_apt_pkg p = { 0 };
        char *text = NULL, *filename, *dep;
        int r;

        r = show_one(pkg, verbose, &text);
        if (r < 0)
                return r;
        dep = !strncmp(pkg, "linux-image-", 12) ? image_dependency(text) : NULL;
        if (dep && strcmp(dep, pkg)) {
                free(text);
                r = show_one(dep, verbose, &text);
                free(dep);
                if (r < 0)
                        return r;
        } else {
                free(dep);
        }
        p.name = field(text, "Package");
        p.version = field(text, "Version");
        p.sha256 = field(text, "SHA256");
        filename = field(text, "Filename");
        free(text);
        if (filename) {
                p.file = strdup(strrchr(filename, '/') ? strrchr(filename, '/') + 1 : filename);
                free(filename);
        }
        if (!p.name || !p.version || !p.sha256 || !p.file || strchr(p.file, '/') || p.file[0] == '.') {
                mk_apt_pkg_done(&p);
                return -EPROTO;
        }
        *ret = p;
        return 0;
}

static bool sha256_matches(const char *path, const char *want)
{
        uint8_t d[MK_SHA256_SIZE];
        char hex[2 * MK_SHA256_SIZE + 1];

        if (mk_sha256_file(path, d) < 0)
                return false;
        mk_sha256_hex(d, hex);
        return !strcmp(hex, want);
}

/* The one .deb apt-get download left in DIR (its name encodes an epoch as
 * "%3a", unlike the archive's Filename), or NULL. */
static char *downloaded_deb(const char *dir)
{
        struct dirent *de;
        char *found = NULL;
        DIR *d = opendir(dir);

        while (d && (de = readdir(d))) {
                size_t n = strlen(de->d_name);
                if (n > 4 && !strcmp(de->d_name + n - 4, ".deb") && !found)
                        found = mk_path("%s/%s", dir, de->d_name);
        }
        if (d)
                closedir(d);
        return found;
}

/* A fresh folder for apt-get download. As root, apt downloads as its
 * _apt user and warns ("Download is performed unsandboxed as root") when
 * that user cannot write there, as under root's home: so root's folder is
 * made under TMPDIR (whose parents anyone may cross) and given to _apt, as
 * apt's own archives/partial is. Returns the folder or NULL (errno set). */
static char *download_dir(const char *cache)
{
        struct passwd *apt = geteuid() == 0 ? getpwnam("_apt") : NULL;
        const char *tmpdir = getenv("TMPDIR");
        char *tmp = apt ? mk_path("%s/thatte-apt.XXXXXX", tmpdir && *tmpdir == '/' ? tmpdir : "/tmp") :
                          mk_path("%s/download.XXXXXX", cache);

        if (!mkdtemp(tmp) || (apt && chown(tmp, apt->pw_uid, (gid_t)-1) < 0)) {
                int e = errno;

                if (*tmp && access(tmp, F_OK) == 0)
                        (void)rmdir(tmp);
                free(tmp);
                errno = e;
                return NULL;
        }
        return tmp;
}

/* Moves the downloaded file into the cache, whole or not at all, across
 * file systems too. */
static int move_into(const char *got, const char *deb)
{
        char *part;
        int r;

        if (rename(got, deb) == 0)
                return 0;
        if (errno != EXDEV)
                return -errno;
        part = mk_path("%s.part", deb);
        r = mk_copy_file(got, part, 0644);
        if (r == 0 && rename(part, deb) < 0)
                r = -errno;
        if (r < 0)
                (void)unlink(part);
        free(part);
        return r;
}

/* apt-get download into a fresh temporary folder, then into CACHE. */
static int download(const char *cache, const struct mk_apt_pkg *p, bool verbose, const char *deb)
{
        char *tmp = download_dir(cache), *spec, *got;
        int r;

        if (!tmp)
                return -errno;
        spec = mk_path("%s=%s", p->name, p->version);
        {
                char *argv[] = { "apt-get", "download", "-q", spec, NULL };
                r = mk_spawn_run(argv, tmp, verbose, NULL);
        }
        got = r == 0 ? downloaded_deb(tmp) : NULL;
        if (r == 0 && !got)
                r = -ENOENT;
        if (r == 0 && !sha256_matches(got, p->sha256))
                r = -EBADMSG;
        if (r == 0)
                r = move_into(got, deb);
        (void)mk_rmtree(tmp);
        free(got);
        free(spec);
        free(tmp);
        return r;
}

int mk_apt_fetch(const char *cache, const struct mk_apt_pkg *p, bool verbose,
                 char **ret_deb, bool *ret_reused)
{
        char *deb = mk_path("%s/%s", cache, p->file);
        bool reused = access(deb, F_OK) == 0 && sha256_matches(deb, p->sha256);
        int r = 0;

        if (!reused)
                r = download(cache, p, verbose, deb);
        if (r < 0) {
                free(deb);
                return r;
        }
        *ret_deb = deb;
        if (ret_reused)
                *ret_reused = reused;
        return 0;
}

int mk_apt_unpack(const char *cache, const char *deb, bool verbose,
                  int (*prepare)(const char *tree, void *userdata), void *userdata,
                  char **ret_tree)
{
        const char *base = strrchr(deb, '/') ? strrchr(deb, '/') + 1 : deb;
        size_t n = strlen(base);
        char *tree, *tmp;
        struct stat st;
        int r = 0;

        if (n > 4 && !strcmp(base + n - 4, ".deb"))
                n -= 4;
        tree = mk_path("%s/%.*s.tree", cache, (int)n, base);
        if (stat(tree, &st) == 0 && S_ISDIR(st.st_mode)) {
                *ret_tree = tree;
                return 0;
        }
        tmp = mk_path("%s/unpack.XXXXXX", cache);
        if (!mkdtemp(tmp))
                r = -errno;
        if (r == 0) {
                char *argv[] = { "dpkg-deb", "-x", (char *)deb, tmp, NULL };
                r = mk_spawn_run(argv, NULL, verbose, NULL);
        }
        if (r == 0 && prepare)
                r = prepare(tmp, userdata);
        if (r == 0 && mk_interrupted)
                r = -EINTR;
        if (r == 0 && rename(tmp, tree) < 0)
                r = -errno;
        /* Another build unpacked the same package meanwhile (tests run in
         * parallel on one cache): its tree is the same, keep it. */
        if ((r == -ENOTEMPTY || r == -EEXIST) && stat(tree, &st) == 0 && S_ISDIR(st.st_mode)) {
                (void)mk_rmtree(tmp);
                r = 0;
        }
        if (r < 0) {
                (void)mk_rmtree(tmp);
                free(tree);
        } else {
                *ret_tree = tree;
        }
        free(tmp);
        return r;
}
