/* src/libthatte/thatte-toml-tree.c: building, querying and freeing TOML value trees. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "thatte-toml.h"
#include "thatte-toml-internal.h"

void thatte_toml_free(thatte_toml_value *v)
{
        if (!v)
                return;
        switch (v->type) {
        case THATTE_TOML_STRING:
                free(v->string);
                break;
        case THATTE_TOML_ARRAY:
                for (size_t i = 0; i < v->array.n; i++)
                        thatte_toml_free(v->array.items[i]);
                free(v->array.items);
                break;
        case THATTE_TOML_TABLE:
                for (size_t i = 0; i < v->table.n; i++) {
                        free(v->table.entries[i].key);
                        thatte_toml_free(v->table.entries[i].value);
                }
                free(v->table.entries);
                break;
        default:
                break;
        }
        free(v);
}

thatte_toml_value *toml_value_new(thatte_toml_type type, unsigned line)
{
        thatte_toml_value *v = calloc(1, sizeof(*v));

        if (v) {
                v->type = type;
                v->line = line;
        }
        return v;
}

const thatte_toml_value *thatte_toml_get(const thatte_toml_value *table, const char *key)
{
        if (!table || table->type != THATTE_TOML_TABLE)
                return NULL;
        for (size_t i = 0; i < table->table.n; i++)
                if (strcmp(table->table.entries[i].key, key) == 0)
                        return table->table.entries[i].value;
        return NULL;
}

/* Growth doubles, so n appends cost O(n) and never more than twice the
 * memory the input itself justifies. */
static int grow(void **items, size_t n, size_t size)
{
        void *p;

        if ((n & (n - 1)) != 0)
                return 0;       /* capacity is the next power of two */
        p = realloc(*items, 2 * n * size);
        if (!p)
                return -ENOMEM;
        *items = p;
        return 0;
}

int toml_table_add(thatte_toml_value *table, char *key, thatte_toml_value *value)
{
        int r;

        if (table->table.n == 0) {
                table->table.entries = malloc(sizeof(thatte_toml_entry));
                if (!table->table.entries)
                        return -ENOMEM;
        } else {
                r = grow((void **)&table->table.entries, table->table.n, sizeof(thatte_toml_entry));
                if (r < 0)
                        return r;
        }
        table->table.entries[table->table.n].key = key;
        table->table.entries[table->table.n].value = value;
        table->table.n++;
        return 0;
}

int toml_array_add(thatte_toml_value *array, thatte_toml_value *value)
{
        int r;

        if (array->array.n == 0) {
                array->array.items = malloc(sizeof(thatte_toml_value *));
                if (!array->array.items)
                        return -ENOMEM;
        } else {
                r = grow((void **)&array->array.items, array->array.n, sizeof(thatte_toml_value *));
                if (r < 0)
                        return r;
        }
        array->array.items[array->array.n++] = value;
        return 0;
}

const char *thatte_toml_type_name(thatte_toml_type t)
{
        switch (t) {
        case THATTE_TOML_STRING:  return "string";
        case THATTE_TOML_INTEGER: return "integer";
        case THATTE_TOML_BOOLEAN: return "boolean";
        case THATTE_TOML_ARRAY:   return "array";
        case THATTE_TOML_TABLE:   return "table";
        }
        return "value";
}
