#!/bin/sh
# tests/vmm/fuzz-agent.sh [SECONDS]: the libFuzzer target for the guest
# agent channel (fuzz-agent.c), run like fuzz-profile.sh, from the seeds in
# tests/vmm/corpus-agent/.
FUZZ_TARGET=agent exec sh "${top_srcdir:-.}/tests/vmm/fuzz-profile.sh" "$@"
