/* thatte-test-json: checks that every line of FILE is one JSON object that
 * has each KEY, for tests of thatte-vmm's --json output and `events`.
 *
 *   thatte-test-json FILE [KEY]...
 *
 * Prints the number of objects; exit 0 when there was at least one and
 * every line passed, 1 otherwise (the offending line on stderr), 2 on
 * usage errors. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

static int check_line(const char *line, char **keys, int n_keys)
{
        json_object *o = json_tokener_parse(line);
        int ok = o && json_object_is_type(o, json_type_object);

        for (int i = 0; ok && i < n_keys; i++)
                ok = json_object_object_get_ex(o, keys[i], NULL);
        json_object_put(o);
        return ok;
}

int main(int argc, char **argv)
{
        char line[1 << 16];
        int objects = 0, bad = 0;
        FILE *f;

        if (argc < 2) {
                fputs("Usage: thatte-test-json FILE [KEY]...\n", stderr);
                return 2;
        }
        f = fopen(argv[1], "re");
        if (!f) {
                perror(argv[1]);
                return 1;
        }
        while (fgets(line, sizeof(line), f)) {
                line[strcspn(line, "\n")] = 0;
                if (!*line)
                        continue;
                if (check_line(line, argv + 2, argc - 2)) {
                        objects++;
                } else {
                        fprintf(stderr, "thatte-test-json: not a JSON object with the keys asked for: %s\n", line);
                        bad++;
                }
        }
        fclose(f);
        printf("%d\n", objects);
        return objects > 0 && bad == 0 ? 0 : 1;
}
