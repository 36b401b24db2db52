#!/bin/sh
# tests/compositor/fuzz-channel.sh [SECONDS]: runs the libFuzzer target for
# the display channel reader for SECONDS (default $THATTE_FUZZ_SECONDS, else
# 5) in a scratch folder (it needs no seed corpus: see fuzz-channel.c). CI
# runs it with 60.
seconds=${1:-${THATTE_FUZZ_SECONDS:-5}}
fuzzer=$(cd "${top_builddir:-.}" && pwd)/tests/compositor/fuzz-channel
if [ ! -x "$fuzzer" ]; then
        if [ "${THATTE_REQUIRE_INTEGRATION:-0}" = 1 ]; then
                echo "1..1"
                echo "not ok 1 - fuzzer not built (configure found no clang with -fsanitize=fuzzer)"
                exit 1
        fi
        echo "1..0 # SKIP fuzzer not built (needs clang with -fsanitize=fuzzer)"
        exit 0
fi
work=$(mktemp -d /tmp/thatte-fuzz.XXXXXX) || exit 99
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus"
echo "1..1"
if (cd "$work" && "$fuzzer" -max_total_time="$seconds" -max_len=8192 -timeout=10 \
        -print_final_stats=1 corpus >"$work/log" 2>&1); then
        echo "ok 1 - no finding in $seconds s ($(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$work/log" | grep -o '[0-9]*$') runs)"
else
        echo "not ok 1 - fuzzer finding"
        tail -n 60 "$work/log" | sed 's/^/# /'
        cp "$work"/crash-* "$work"/leak-* "$work"/timeout-* . 2>/dev/null
        exit 1
fi
