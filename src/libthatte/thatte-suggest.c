/* src/libthatte/thatte-suggest.c: see thatte-suggest.h. */
#include "config.h"

#include <string.h>

#include "thatte-suggest.h"

#define WORD_MAX 64     /* longer words are no typos we can help with */

static size_t min3(size_t a, size_t b, size_t c)
{
        size_t m = a < b ? a : b;

        return m < c ? m : c;
}

static bool identical(char a, char b)
{
        return a == b;
}

/* Optimal string alignment distance over three rows of the table. */
size_t thatte_suggest_distance(const char *a, const char *b, bool (*same)(char, char))
{
        size_t la = strlen(a), lb = strlen(b), rows[3][WORD_MAX + 1];
        size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];

        if (la > WORD_MAX || lb > WORD_MAX)
                return (size_t)-1;
        if (!same)
                same = identical;
        for (size_t j = 0; j <= lb; j++)
                prev[j] = j;
        for (size_t i = 1; i <= la; i++) {
                size_t *t;

                cur[0] = i;
                for (size_t j = 1; j <= lb; j++) {
                        size_t cost = !same(a[i - 1], b[j - 1]);

                        cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
                        if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1]) &&
                            prev2[j - 2] + 1 < cur[j])
                                cur[j] = prev2[j - 2] + 1;
                }
                t = prev2;
                prev2 = prev;
                prev = cur;
                cur = t;
        }
        return prev[lb];
}

const char *thatte_suggest(const char *word, const char *const *candidates)
{
        const char *best = NULL;
        size_t best_d = 3, len = strlen(word);

        for (; candidates && *candidates; candidates++) {
                size_t d = thatte_suggest_distance(word, *candidates, NULL);

                if (d == 0)
                        return NULL;
                if (d < best_d && d * 2 < len) {
                        best = *candidates;
                        best_d = d;
                }
        }
        return best;
}
