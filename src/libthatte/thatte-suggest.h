/* src/libthatte/thatte-suggest.h: "did you mean ...?" for mistyped verbs,
 * keys and names. */
#ifndef THATTE_SUGGEST_H
#define THATTE_SUGGEST_H

#include <stdbool.h>
#include <stddef.h>

/* thatte_suggest: the candidate (of the NULL-terminated list) closest to
 * word by edit distance (insert, delete, replace, swap of neighbours),
 * when it is close enough to be a typo: at most 2 edits, and fewer than
 * half of word's length. NULL otherwise, or for an exact match. */
const char *thatte_suggest(const char *word, const char *const *candidates);

/* thatte_suggest_distance: that edit distance between a and b, with
 * same(x, y) saying which characters count as equal (NULL: identical
 * ones only); SIZE_MAX when either is longer than 64. */
size_t thatte_suggest_distance(const char *a, const char *b, bool (*same)(char, char));

#endif
