/* tests/unit/thatte-atomic-file.c: the output appears only at commit; an
 * abandoned file leaves nothing; a signal removes the temporary file. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "atomic-file.h"
#include "tmp-cleanup.h"
#include "tests/tap.h"

static int count_entries(const char *dir)
{
        DIR *d = opendir(dir);
        struct dirent *e;
        int n = 0;

        if (!d)
                return -1;
        while ((e = readdir(d)))
                if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
                        n++;
        closedir(d);
        return n;
}

static void test_commit(const char *dir, const char *out)
{
        struct thatte_atomic_file *f = NULL;
        struct stat st;

        is_int(thatte_atomic_file_open(out, 0640, &f), 0, "open next to the output");
        ok(f && strncmp(f->tmp_path, dir, strlen(dir)) == 0, "temporary file in the same folder");
        ok(access(out, F_OK) < 0, "output absent before commit");
        ok(write(f->fd, "data", 4) == 4, "write to the temporary file");
        is_int(thatte_atomic_file_commit(f), 0, "commit");
        ok(stat(out, &st) == 0 && st.st_size == 4, "output present with its data after commit");
        ok(stat(out, &st) == 0 && (st.st_mode & 0777) == (0640 & ~022), "mode less the umask");
        thatte_atomic_file_free(f);
        is_int(count_entries(dir), 1, "only the output remains");
        (void)unlink(out);
}

static void test_abandon(const char *dir, const char *out)
{
        struct thatte_atomic_file *f = NULL;

        is_int(thatte_atomic_file_open(out, 0644, &f), 0, "open again");
        thatte_atomic_file_free(f);
        is_int(count_entries(dir), 0, "free without commit leaves nothing");
        thatte_atomic_file_free(NULL);
        is_int(thatte_atomic_file_open("/nonexistent-dir/x", 0644, &f), -ENOENT,
               "missing folder is -ENOENT");
}

/* A child opens a temporary file, then is killed by SIGTERM. */
static void test_signal(const char *dir, const char *out)
{
        int ready[2], status = 0;
        pid_t pid;
        char c;

        if (pipe(ready) < 0)
                return;
        pid = fork();
        if (pid == 0) {
                struct thatte_atomic_file *f = NULL;

                if (thatte_tmp_cleanup_install() < 0 || thatte_atomic_file_open(out, 0644, &f) < 0)
                        _exit(1);
                (void)!write(ready[1], "r", 1);
                pause();
                _exit(2);
        }
        close(ready[1]);
        ok(read(ready[0], &c, 1) == 1, "child created its temporary file");
        close(ready[0]);
        is_int(count_entries(dir), 1, "temporary file exists while the child runs");
        kill(pid, SIGTERM);
        waitpid(pid, &status, 0);
        ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "child died of SIGTERM");
        is_int(count_entries(dir), 0, "SIGTERM removed the temporary file");
}

int main(void)
{
        const char *tmp = getenv("TMPDIR");
        char dir[512], out[600];

        umask(022);
        snprintf(dir, sizeof(dir), "%s/thatte-atomic-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(dir)) {
                printf("1..0 # SKIP cannot create a temporary folder\n");
                return 0;
        }
        snprintf(out, sizeof(out), "%s/out.img", dir);
        test_commit(dir, out);
        test_abandon(dir, out);
        test_signal(dir, out);
        (void)rmdir(dir);
        return tap_done();
}
