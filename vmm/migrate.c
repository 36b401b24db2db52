/* vmm/migrate.c: the QMP side of save and restore. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "migrate.h"

#define POLL_US 20000

int vmm_migrate_fd(thatte_qmp *q, const char *command, const char *name, int fd)
{
        json_object *args = json_object_new_object();
        char uri[128];
        int r;

        if (!args)
                return -ENOMEM;
        json_object_object_add(args, "fdname", json_object_new_string(name));
        r = thatte_qmp_execute_fd(q, "getfd", args, fd, NULL, 5000);
        if (r < 0)
                return r;
        args = json_object_new_object();
        if (!args)
                return -ENOMEM;
        snprintf(uri, sizeof(uri), "fd:%s", name);
        json_object_object_add(args, "uri", json_object_new_string(uri));
        return thatte_qmp_execute(q, command, args, NULL, 5000);
}

/* Runs command and copies the string members key1 (into buf, "" when absent)
 * and key2 (into buf2, untouched when absent; may be NULL) of its reply. */
static int qmp_strings(thatte_qmp *q, const char *command, const char *key1, char *buf, size_t size,
                       const char *key2, char *buf2, size_t size2)
{
        json_object *ret, *v;
        int r;

        r = thatte_qmp_execute(q, command, NULL, &ret, 5000);
        if (r < 0)
                return r;
        snprintf(buf, size, "%s", json_object_object_get_ex(ret, key1, &v) ? json_object_get_string(v) : "");
        if (key2 && json_object_object_get_ex(ret, key2, &v))
                snprintf(buf2, size2, "%s", json_object_get_string(v));
        json_object_put(ret);
        return 0;
}

int vmm_migrate_wait(thatte_qmp *q, long long deadline, char *why, size_t size)
{
        char status[64], desc[256];

        for (;;) {
                int r;

                *desc = 0;
                r = qmp_strings(q, "query-migrate", "status", status, sizeof(status),
                                "error-desc", desc, sizeof(desc));
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
        return qmp_strings(q, "query-status", "status", buf, size, NULL, NULL, 0);
}
