/* test-qmp-json: the QMP line scanner decides by top-level keys only,
 * rejects malformed input and decodes error descriptions. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "../tap.h"
#include "qmp-json.h"

static int kind_of(const char *line)
{
        enum qmp_kind kind = QMP_KIND_OTHER;
        int r = qmp_json_classify(line, strlen(line), &kind);

        return r < 0 ? r : (int)kind;
}

static void test_kinds(void)
{
        is_int(kind_of("{\"return\": {}}"), QMP_KIND_RETURN, "plain return");
        is_int(kind_of("  {\"return\": {\"status\": \"running\"}, \"id\": 7}\r\n"),
               QMP_KIND_RETURN, "return with id and surrounding whitespace");
        is_int(kind_of("{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"x\"}}"),
               QMP_KIND_ERROR, "error");
        is_int(kind_of("{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, "
                       "\"event\": \"RESUME\"}"),
               QMP_KIND_EVENT, "event with the key second");
        is_int(kind_of("{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0}}, "
                       "\"capabilities\": [\"oob\"]}}"),
               QMP_KIND_GREETING, "greeting");
        is_int(kind_of("{}"), QMP_KIND_OTHER, "empty object");
        is_int(kind_of("{\"re\\u0074urn\": []}"), QMP_KIND_RETURN, "escaped key is decoded");
}

static void test_keys_only_at_top(void)
{
        is_int(kind_of("{\"event\": \"X\", \"data\": {\"msg\": \"\\\"return\\\": {}\"}}"),
               QMP_KIND_EVENT, "\"return\" inside a string value is not a key");
        is_int(kind_of("{\"event\": \"X\", \"data\": {\"return\": 1, \"error\": 2}}"),
               QMP_KIND_EVENT, "nested return/error keys are not top-level");
        is_int(kind_of("{\"data\": [\"return\", {\"error\": {}}]}"), QMP_KIND_OTHER,
               "keys inside arrays do not count");
        is_int(kind_of("{\"return\\u0000x\": 1}"), QMP_KIND_OTHER,
               "a key with an embedded NUL does not match a prefix");
        is_int(kind_of("{\"return_value\": 1}"), QMP_KIND_OTHER, "a longer key does not match");
}

static void test_malformed(void)
{
        static const char *const bad[] = {
                "", "   ", "[1]", "\"return\"", "{\"return\": {}",
                "{\"return\": {}} x", "{\"return\": {}}{}", "{\"return\" {}}",
                "{return: 1}", "{\"return\": 01}", "{\"return\": -}", "{\"return\": 1.}",
                "{\"return\": 1e}", "{\"return\": tru}", "{\"return\": [1,]}",
                "{\"return\": {},}", "{\"a\": \"unterminated}", "{\"a\": \"bad \\x escape\"}",
                "{\"a\": \"ctl \x01 char\"}", "{\"a\": \"\\u12G4\"}", "{\"a\": \"\\u12\"}",
        };

        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
                is_int(kind_of(bad[i]), -EINVAL, "malformed rejected: '%s'", bad[i]);
        is_int(kind_of("{\"return\": [-1.5e+3, 0, 0.25, true, false, null, \"\"]}"),
               QMP_KIND_RETURN, "all scalar forms accepted");
}

static void test_depth_limit(void)
{
        char deep[512];
        size_t n = 0;

        n += (size_t)snprintf(deep, sizeof deep, "{\"return\": ");
        for (int i = 0; i < 200; i++)
                deep[n++] = '[';
        for (int i = 0; i < 200; i++)
                deep[n++] = ']';
        deep[n++] = '}';
        deep[n] = '\0';
        is_int(kind_of(deep), -EINVAL, "nesting beyond the limit is rejected, not recursed");
}

static void test_error_desc(void)
{
        const char *line = "{\"error\": {\"class\": \"GenericError\", "
                           "\"desc\": \"a \\\"q\\\" \\u00e9 \\ud83d\\ude00 \\n\\/\"}}";
        char buf[64], small[5];

        is_int(qmp_json_error_desc(line, strlen(line), buf, sizeof buf), 0, "desc found");
        ok(strcmp(buf, "a \"q\" \xc3\xa9 \xf0\x9f\x98\x80 \n/") == 0,
           "desc decoded with escapes, UTF-8 and a surrogate pair: '%s'", buf);
        is_int(qmp_json_error_desc(line, strlen(line), small, sizeof small), 0,
               "desc into a small buffer");
        ok(strcmp(small, "a \"q") == 0, "cut to the buffer: '%s'", small);

        line = "{\"error\": {\"class\": \"X\", \"desc\": \"\\udc00\"}}";
        is_int(qmp_json_error_desc(line, strlen(line), buf, sizeof buf), 0, "lone surrogate");
        ok(strcmp(buf, "\xef\xbf\xbd") == 0, "lone surrogate becomes U+FFFD");

        line = "{\"error\": {\"class\": \"X\"}}";
        is_int(qmp_json_error_desc(line, strlen(line), buf, sizeof buf), -ENOENT,
               "error without desc");
        line = "{\"error\": \"text\"}";
        is_int(qmp_json_error_desc(line, strlen(line), buf, sizeof buf), -ENOENT,
               "error that is not an object");
        line = "{\"return\": {\"desc\": \"x\"}}";
        is_int(qmp_json_error_desc(line, strlen(line), buf, sizeof buf), -ENOENT,
               "no error member");
}

static void test_member_span(void)
{
        const char *line = "{\"a\": 1, \"execute\" : \"screendump\" , \"b\": [2]}";
        const char *v = NULL;
        size_t n = 0;

        is_int(qmp_json_member(line, strlen(line), "execute", &v, &n), 0, "member found");
        ok(v && n == 12 && memcmp(v, "\"screendump\"", 12) == 0, "member span is the value");
        is_int(qmp_json_member(line, strlen(line), "c", &v, &n), -ENOENT, "absent member");
        /* Length-bounded: a prefix of a valid line is not valid. */
        is_int(qmp_json_member(line, 10, "a", &v, &n), -EINVAL, "reads only LEN bytes");
}

int main(void)
{
        test_kinds();
        test_keys_only_at_top();
        test_malformed();
        test_depth_limit();
        test_error_desc();
        test_member_span();
        return tap_done();
}
