#!/bin/sh
# tests/vmm/fuzz-profile.sh [SECONDS]: runs the libFuzzer target for the
# profile parser for SECONDS (default $THATTE_FUZZ_SECONDS, else 5), starting
# from the seed corpus in tests/vmm/corpus/ (new inputs go to a scratch copy,
# never into the source tree). CI runs it with 60.
seconds=${1:-${THATTE_FUZZ_SECONDS:-5}}
# FUZZ_TARGET=agent (fuzz-agent.sh): the guest agent channel's target instead.
fuzzer=${top_builddir:-.}/tests/vmm/fuzz-${FUZZ_TARGET:-profile}
corpus=${top_srcdir:-.}/tests/vmm/corpus${FUZZ_TARGET:+-$FUZZ_TARGET}
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
cp "$corpus"/* "$work/corpus/"
echo "1..1"
if (cd "$work" && "$fuzzer" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
        -print_final_stats=1 corpus >"$work/log" 2>&1); then
        echo "ok 1 - no finding in $seconds s ($(grep -c . "$work/corpus"/* 2>/dev/null | wc -l) corpus files)"
else
        echo "not ok 1 - fuzzer finding"
        tail -n 60 "$work/log" | sed 's/^/# /'
        cp "$work"/crash-* "$work"/leak-* "$work"/timeout-* . 2>/dev/null
        exit 1
fi
