/* vmm/profile-load.c: reads a profile file and hands it to the mapper. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "profile.h"

static int parse_port(const char *s, size_t n, unsigned *ret)
{
        unsigned v = 0;

        if (n == 0 || n > 5 || s[0] == '0')
                return -EINVAL;
        for (size_t i = 0; i < n; i++) {
                if (s[i] < '0' || s[i] > '9')
                        return -EINVAL;
                v = v * 10 + (unsigned)(s[i] - '0');
        }
        if (v > 65535)
                return -EINVAL;
        *ret = v;
        return 0;
}

int vmm_parse_forward(const char *s, vmm_forward *ret)
{
        vmm_forward f = { 0 };
        const char *colon;

        if (strncmp(s, "tcp:", 4) == 0)
                f.udp = false;
        else if (strncmp(s, "udp:", 4) == 0)
                f.udp = true;
        else
                return -EINVAL;
        s += 4;
        colon = strchr(s, ':');
        if (!colon || parse_port(s, (size_t)(colon - s), &f.host_port) < 0 ||
            parse_port(colon + 1, strlen(colon + 1), &f.guest_port) < 0)
                return -EINVAL;
        *ret = f;
        return 0;
}

static int set_error(thatte_toml_error *err, const char *what, int e)
{
        err->line = 0;
        snprintf(err->message, sizeof(err->message), "%s: %s", what, strerror(e));
        return -EINVAL;
}

/* Reads the whole file, refusing anything that is not a regular file of a
 * size the parser accepts, so a FIFO or /dev/zero cannot stall or exhaust us. */
int vmm_read_toml_file(const char *path, const char *what, char **ret, size_t *ret_size,
                       thatte_toml_error *err)
{
        char m[64];

        struct stat st;
        char *buf;
        size_t got = 0;
        int fd;

        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return set_error(err, (snprintf(m, sizeof(m), "cannot open %s", what), m), errno);
        if (fstat(fd, &st) < 0) {
                int e = errno;

                close(fd);
                return set_error(err, (snprintf(m, sizeof(m), "cannot read %s", what), m), e);
        }
        if (!S_ISREG(st.st_mode) || st.st_size > THATTE_TOML_MAX_SIZE) {
                close(fd);
                err->line = 0;
                snprintf(err->message, sizeof(err->message), "%s %s", what,
                         S_ISREG(st.st_mode) ? "larger than 1 MiB" : "is not a regular file");
                return -EINVAL;
        }
        buf = malloc((size_t)st.st_size + 1);
        if (!buf) {
                close(fd);
                return -ENOMEM;
        }
        while (got < (size_t)st.st_size) {
                ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        break;
                got += (size_t)n;
        }
        close(fd);
        buf[got] = 0;
        *ret = buf;
        *ret_size = got;
        return 0;
}

int vmm_profile_parse(const char *data, size_t size, const char *file, const char *dir,
                      vmm_profile **ret, thatte_toml_error *err)
{
        thatte_toml_value *root = NULL;
        vmm_profile *p = NULL;
        int r;

        r = thatte_toml_parse(data, size, &root, err);
        if (r == -EFBIG)
                r = -EINVAL;
        if (r < 0)
                return r;
        r = vmm_profile_from_toml(root, dir, &p, err);
        thatte_toml_free(root);
        if (r < 0)
                return r;
        p->file = strdup(file);
        p->dir = strdup(dir);
        p->source = malloc(size + 1);
        if (!p->file || !p->dir || !p->source) {
                vmm_profile_free(p);
                return -ENOMEM;
        }
        memcpy(p->source, data, size);
        p->source[size] = 0;
        p->source_len = size;
        *ret = p;
        return 0;
}

int vmm_profile_load(const char *path, vmm_profile **ret, thatte_toml_error *err)
{
        char *data = NULL, *real = NULL;
        size_t size;
        int r;

        r = vmm_read_toml_file(path, "profile", &data, &size, err);
        if (r < 0)
                return r;
        real = realpath(path, NULL);
        if (!real)
                r = set_error(err, "cannot resolve profile path", errno);
        else
                r = vmm_profile_parse(data, size, path, dirname(real), ret, err);
        free(real);
        free(data);
        return r;
}
