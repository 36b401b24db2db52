/* vmm/migrate.c: the QMP side of save and restore. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "migrate.h"

#define POLL_US 20000

int vmm_migrate_pass_fd(thatte_qmp *q, const char *name, int fd)
{
        json_object *args = json_object_new_object();

        if (!args)
                return -ENOMEM;
        json_object_object_add(args, "fdname", json_object_new_string(name));
        return thatte_qmp_execute_fd(q, "getfd", args, fd, NULL, 5000);
}

/* "status" of query-migrate into buf, and its "error-desc" into why. */
static int query(thatte_qmp *q, char *buf, size_t size, char *why, size_t wsize)
{
        json_object *ret, *v;
        int r;

        r = thatte_qmp_execute(q, "query-migrate", NULL, &ret, 5000);
        if (r < 0)
                return r;
        snprintf(buf, size, "%s", json_object_object_get_ex(ret, "status", &v) ?
                 json_object_get_string(v) : "none");
        if (json_object_object_get_ex(ret, "error-desc", &v))
                snprintf(why, wsize, "%s", json_object_get_string(v));
        json_object_put(ret);
        return 0;
}

int vmm_migrate_wait(thatte_qmp *q, long long deadline, char *why, size_t size)
{
        char status[64], desc[256];

        for (;;) {
                int r;

                *desc = 0;
                r = query(q, status, sizeof(status), desc, sizeof(desc));
                if (r < 0)
                        return r;
                if (strcmp(status, "completed") == 0)
                        return 0;
                if (strcmp(status, "failed") == 0 || strcmp(status, "cancelled") == 0) {
                        snprintf(why, size, "%s", *desc ? desc : "migration failed");
                        return -EIO;
                }
                if (thatte_now_ms() >= deadline)
                        return -ETIMEDOUT;
                usleep(POLL_US);
        }
}

int vmm_qmp_run_state(thatte_qmp *q, char *buf, size_t size)
{
        json_object *ret, *v;
        int r;

        r = thatte_qmp_execute(q, "query-status", NULL, &ret, 5000);
        if (r < 0)
                return r;
        snprintf(buf, size, "%s", json_object_object_get_ex(ret, "status", &v) ?
                 json_object_get_string(v) : "unknown");
        json_object_put(ret);
        return 0;
}
