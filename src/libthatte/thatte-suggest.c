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

/* Optimal string alignment distance over three rows of the table. */
static size_t distance(const char *a, const char *b)
{
        size_t la = strlen(a), lb = strlen(b), rows[3][WORD_MAX + 1];
        size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];

        if (la > WORD_MAX || lb > WORD_MAX)
                return (size_t)-1;
        for (size_t j = 0; j <= lb; j++)
                prev[j] = j;
        for (size_t i = 1; i <= la; i++) {
                size_t *t;

                cur[0] = i;
                for (size_t j = 1; j <= lb; j++) {
                        size_t cost = a[i - 1] != b[j - 1];

                        cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
                        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
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
                size_t d = distance(word, *candidates);

                if (d == 0)
                        return NULL;
                if (d < best_d && d * 2 < len) {
                        best = *candidates;
                        best_d = d;
                }
        }
        return best;
}
