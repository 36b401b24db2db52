/* mk-output.h: an image folder built aside and swapped into place. */
#ifndef THATTE_DRIVEROS_MK_OUTPUT_H
#define THATTE_DRIVEROS_MK_OUTPUT_H

/* mk_output_begin: creates an empty temporary folder next to OUTPUT (same
 * file system, so the final rename is atomic). Returns 0 or -errno. */
int mk_output_begin(const char *output, char **ret_tmp);

/* mk_output_commit: moves TMP to OUTPUT. An existing OUTPUT is replaced only
 * when it is an earlier image (it holds a MANIFEST) or empty: the two are
 * exchanged atomically and the old one removed. Returns 0, -EEXIST when
 * OUTPUT is something else, or -errno; on error TMP is left for the caller
 * to remove. */
int mk_output_commit(const char *tmp, const char *output);

#endif
