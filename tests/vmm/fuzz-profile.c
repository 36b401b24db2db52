/* tests/vmm/fuzz-profile.c: libFuzzer target for the profile parser: the
 * TOML subset, then the mapping onto a profile. Any crash, leak, overflow
 * or undefined behaviour the sanitizers see is a finding. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "profile.h"
#include "thatte-toml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        thatte_toml_value *root = NULL;
        thatte_toml_error err;
        vmm_profile *p = NULL;

        if (thatte_toml_parse((const char *)data, size, &root, &err) < 0)
                return 0;
        /* Relative paths resolve against a folder that does not exist, so
         * path keys fail fast without touching real files. */
        if (vmm_profile_from_toml(root, "/nonexistent-thatte-fuzz", &p, &err) == 0)
                vmm_profile_free(p);
        thatte_toml_free(root);
        return 0;
}
