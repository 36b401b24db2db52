#!/bin/bash
# tests/integration/lib.sh: shared code for integration tests (bash).
#
# Sourced by each tests/integration/*.sh test. It gives them:
#   - TAP output: plan, ok, not_ok, check, diag, diag_file, skip_all,
#     bail_out, finish
#   - require_tool NAME..., require_helpers, find_ovmf / require_ovmf,
#     ovmf_drive_args, qemu_opt_escape, json_string
#   - $scratch: a private directory, removed on exit together with QEMU
#   - qemu_start ARGS..., qemu_alive, qemu_wait_exit, qemu_stop, qmp CMD...,
#     qemu_screendump FILE, gradient_check ARGS..., check_screen_gradient,
#     qemu_guest_halted
#   - wait_for_line FILE REGEX TIMEOUT, first_match FILE REGEX, seconds_since START
#   - for the benchmarks (tests/bench): median, ratio A B
#
# Environment it reads:
#   top_builddir                  set by `make check`; locates the helpers
#                                 (tests source this file from their own folder)
#   THATTE_REQUIRE_INTEGRATION=1  a missing tool fails the test instead of skipping
#   THATTE_SKIP_INTEGRATION=1     skip every integration test (package builds:
#                                 no VMs, no downloads on a build daemon)
#   THATTE_TEST_ACCEL             QEMU accelerator, default tcg (kvm to speed up)
#   THATTE_QEMU                   QEMU binary, default qemu-system-x86_64
#   THATTE_OVMF_CODE, THATTE_OVMF_VARS   firmware to use instead of searching
#   THATTE_TEST_QMP, THATTE_TEST_GRADIENT  helper programs, default from the build tree
#   THATTE_TEST_KEEP=1            keep the scratch directory for a look afterwards

# ---------------------------------------------------------------- TAP

tap_planned=
tap_count=0
tap_failed=0

# plan N: announce N test points (once, before the first).
plan() {
        tap_planned=$1
        echo "1..$1"
}

ok() {
        tap_count=$((tap_count + 1))
        echo "ok $tap_count - $*"
}

not_ok() {
        tap_count=$((tap_count + 1))
        tap_failed=$((tap_failed + 1))
        echo "not ok $tap_count - $*"
}

# check NAME COMMAND [ARG]...: one test point from a command's exit status;
# returns that status so the caller can stop what depends on it.
check() {
        local name=$1
        shift
        if "$@"; then
                ok "$name"
                return 0
        fi
        not_ok "$name"
        return 1
}

# diag TEXT...: comment lines the harness shows in the log.
diag() {
        local line
        printf '%s\n' "$*" | while IFS= read -r line; do
                echo "# $line"
        done
}

# diag_file FILE [LINES]: the last LINES (default 40) lines of FILE as
# comments, with carriage returns and terminal escapes taken out.
diag_file() {
        [ -f "$1" ] || return 0
        diag "--- last lines of ${1##*/}:"
        tail -n "${2:-40}" -- "$1" | LC_ALL=C sed -e 's/\x1b\[[0-9;=?]*[A-Za-z]//g' -e 's/\r//g' |
                while IFS= read -r line; do
                        echo "#   $line"
                done
}

# skip_all REASON: the test cannot run here. A skip (exit 0), unless
# THATTE_REQUIRE_INTEGRATION=1 asks for the integration tests to run for sure.
skip_all() {
        [ -z "$tap_planned" ] || bail_out "$*"
        if [ "${THATTE_REQUIRE_INTEGRATION:-0}" = 1 ]; then
                echo "1..1"
                echo "not ok 1 - $* (THATTE_REQUIRE_INTEGRATION=1)"
                exit 1
        fi
        echo "1..0 # SKIP $*"
        exit 0
}

# bail_out REASON: the test itself cannot go on (a broken setup, not a
# missing tool): stops with an error.
bail_out() {
        echo "Bail out! $*"
        exit 1
}

# finish: ends the test; the exit status says whether every point passed
# and the plan was kept.
finish() {
        if [ "$tap_count" != "$tap_planned" ]; then
                diag "planned $tap_planned test points but ran $tap_count"
                exit 1
        fi
        [ "$tap_failed" = 0 ] || exit 1
        exit 0
}

# ---------------------------------------------------------------- tools

# require_tool NAME...: skips the whole test when one of the programs is missing.
require_tool() {
        local tool
        for tool in "$@"; do
                command -v -- "$tool" >/dev/null 2>&1 || skip_all "$tool not found"
        done
}

# find_ovmf: sets OVMF_CODE and OVMF_VARS to a matching pair of firmware
# images (the read-only code and the template of the variable store).
# Returns 1 when there is none.
find_ovmf() {
        local dir pair
        if [ -n "${THATTE_OVMF_CODE:-}" ] || [ -n "${THATTE_OVMF_VARS:-}" ]; then
                OVMF_CODE=${THATTE_OVMF_CODE:-}
                OVMF_VARS=${THATTE_OVMF_VARS:-}
                [ -f "$OVMF_CODE" ] && [ -f "$OVMF_VARS" ]
                return
        fi
        # Debian 12 ships the 4 MiB build first; the 2 MiB one is the fallback.
        for dir in /usr/share/OVMF /usr/share/edk2/ovmf; do
                for pair in OVMF_CODE_4M.fd:OVMF_VARS_4M.fd OVMF_CODE.fd:OVMF_VARS.fd; do
                        if [ -f "$dir/${pair%%:*}" ] && [ -f "$dir/${pair#*:}" ]; then
                                OVMF_CODE=$dir/${pair%%:*}
                                OVMF_VARS=$dir/${pair#*:}
                                return 0
                        fi
                done
        done
        return 1
}

require_ovmf() {
        find_ovmf || skip_all "OVMF firmware not found (Debian package ovmf)"
}

# require_helpers: the helper programs must be there (they come from the
# build tree, so their absence is an error, not a reason to skip).
require_helpers() {
        [ -x "$test_qmp" ] || bail_out "thatte-test-qmp not found: set top_builddir or THATTE_TEST_QMP"
        [ -x "$test_gradient" ] ||
                bail_out "thatte-test-gradient not found: set top_builddir or THATTE_TEST_GRADIENT"
}

# qemu_opt_escape VALUE: VALUE made safe inside a QEMU -option a=b,c=d list.
qemu_opt_escape() {
        printf '%s' "${1//,/,,}"
}

# ovmf_drive_args: fills the array ovmf_args with the two pflash drives:
# the firmware code read-only, and a private copy of the variable store.
ovmf_drive_args() {
        cp -- "$OVMF_VARS" "$scratch/ovmf-vars.fd" || return 1
        ovmf_args=(
                -drive "if=pflash,format=raw,unit=0,readonly=on,file=$(qemu_opt_escape "$OVMF_CODE")"
                -drive "if=pflash,format=raw,unit=1,file=$(qemu_opt_escape "$scratch/ovmf-vars.fd")"
        )
}

# json_string TEXT: TEXT as a JSON string literal (for file names in QMP).
json_string() {
        local s=$1
        s=${s//\\/\\\\}
        s=${s//\"/\\\"}
        case $s in
        *[[:cntrl:]]*) return 1 ;;
        esac
        printf '"%s"' "$s"
}

# ---------------------------------------------------------------- scratch

scratch=$(mktemp -d "${TMPDIR:-/tmp}/thatte-itest.XXXXXX") || {
        echo "Bail out! cannot create a scratch directory"
        exit 1
}
qemu_pid=

lib_cleanup() {
        qemu_stop
        if [ "${THATTE_TEST_KEEP:-0}" = 1 ]; then
                echo "# scratch directory kept: $scratch"
        else
                rm -rf -- "$scratch"
        fi
}
trap lib_cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- QEMU

QEMU=${THATTE_QEMU:-qemu-system-x86_64}
test_qmp=${THATTE_TEST_QMP:-${top_builddir:+$top_builddir/tests/helpers/thatte-test-qmp}}
test_gradient=${THATTE_TEST_GRADIENT:-${top_builddir:+$top_builddir/tests/helpers/thatte-test-gradient}}
qmp_socket=$scratch/qmp.sock
serial_log=$scratch/serial.log
qemu_log=$scratch/qemu.log

# qemu_start ARG...: starts QEMU headless in the background with the given
# machine arguments, a QMP socket ($qmp_socket) and the first serial port
# written to $serial_log; QEMU's own messages go to $qemu_log. Sets
# qemu_pid, and qemu_started_at (seconds since the epoch, with fraction).
qemu_start() {
        : >"$serial_log" || return 1
        qemu_started_at=$(date +%s.%N)
        "$QEMU" -nodefaults -no-user-config -display none \
                -accel "${THATTE_TEST_ACCEL:-tcg}" \
                -qmp "unix:$(qemu_opt_escape "$qmp_socket"),server=on,wait=off" \
                -serial "file:$serial_log" \
                "$@" </dev/null >"$qemu_log" 2>&1 &
        qemu_pid=$!
}

qemu_alive() {
        [ -n "$qemu_pid" ] && kill -0 "$qemu_pid" 2>/dev/null
}

# qemu_wait_exit TIMEOUT: waits up to TIMEOUT seconds for QEMU to exit by
# itself (after a quit command, or a guest power-off). Returns 1 if it still runs.
qemu_wait_exit() {
        local end=$((SECONDS + $1))
        while qemu_alive; do
                [ "$SECONDS" -lt "$end" ] || return 1
                sleep 0.1
        done
        wait "$qemu_pid" 2>/dev/null
        qemu_pid=
        return 0
}

# qemu_stop: ends QEMU if it still runs: SIGTERM, then SIGKILL after 10 s.
qemu_stop() {
        local i
        [ -n "$qemu_pid" ] || return 0
        if qemu_alive; then
                kill -TERM "$qemu_pid" 2>/dev/null
                for ((i = 0; i < 100; i++)); do
                        qemu_alive || break
                        sleep 0.1
                done
                qemu_alive && kill -KILL "$qemu_pid" 2>/dev/null
        fi
        wait "$qemu_pid" 2>/dev/null
        qemu_pid=
}

# qmp CMD...: sends QMP commands to the running QEMU (see thatte-test-qmp).
qmp() {
        "$test_qmp" --wait 30 --timeout 60 "$qmp_socket" "$@"
}

# qemu_screendump FILE: saves the display as a binary PPM.
qemu_screendump() {
        local name
        name=$(json_string "$1") || return 1
        qmp "{\"execute\":\"screendump\",\"arguments\":{\"filename\":$name}}" >/dev/null &&
                [ -s "$1" ]
}

# check_screen_gradient PREFIX WxH FILE: two test points, "PREFIXscreendump
# taken" and "PREFIXgradient matches" (failed too when there is no
# screendump); returns 1 unless both pass.
check_screen_gradient() {
        if ! check "${1}screendump taken" qemu_screendump "$3"; then
                not_ok "${1}gradient matches"
                return 1
        fi
        check "${1}gradient matches" gradient_check --expect-size "$2" "$3"
}

# check_vmm_root_picture VMM NAME LOG: two test points, "NAME: screenshot
# taken" through `VMM screenshot NAME` and "NAME: gradient matches" at the
# size of the root task's `painted WxH` line in LOG (failed too without a
# screenshot).
check_vmm_root_picture() {
        local size
        size=$(first_match "$3" '^thatte-root: painted [0-9]+x[0-9]+')
        size=${size##* }
        if ! check "$2: screenshot taken" "$1" screenshot "$2" -o "$scratch/$2.ppm"; then
                not_ok "$2: gradient matches"
                return 1
        fi
        check "$2: gradient matches" gradient_check --expect-size "${size:-0x0}" "$scratch/$2.ppm"
}

# gradient_check ARG...: runs thatte-test-gradient, its report as comments.
gradient_check() {
        local out status
        out=$("$test_gradient" "$@")
        status=$?
        # Its mismatch lines are comments already.
        printf '%s\n' "$out" | sed -e '/^#/!s/^/# /'
        return $status
}

# qemu_guest_halted: prints the run state and returns 0 when the guest can
# no longer make progress although QEMU still runs (a KVM internal error,
# a panic, a shutdown with -no-shutdown); returns 1 otherwise.
qemu_guest_halted() {
        local reply state
        reply=$("$test_qmp" --wait 1 --timeout 5 "$qmp_socket" \
                '{"execute":"query-status"}' 2>/dev/null) || return 1
        state=$(printf '%s\n' "$reply" | grep -oE '"status": "[a-z-]+"' | head -n 1)
        state=${state#*: }
        case $state in
        '"internal-error"' | '"guest-panicked"' | '"shutdown"' | '"io-error"')
                echo "$state"
                return 0
                ;;
        esac
        return 1
}

# wait_for_line FILE REGEX TIMEOUT: waits until a line of FILE matches the
# extended REGEX. Returns 0 when found, 1 after TIMEOUT seconds, 2 when QEMU
# (if started) exited first, 3 when its guest halted (checked every 5 s).
wait_for_line() {
        local file=$1 regex=$2 end=$((SECONDS + $3)) polls=0 state
        while :; do
                grep -aqE -- "$regex" "$file" 2>/dev/null && return 0
                if [ -n "$qemu_pid" ] && ! qemu_alive; then
                        grep -aqE -- "$regex" "$file" 2>/dev/null && return 0
                        diag "QEMU exited"
                        return 2
                fi
                if [ -n "$qemu_pid" ] && [ $((++polls % 50)) = 0 ] &&
                        state=$(qemu_guest_halted); then
                        diag "guest halted: run state $state"
                        return 3
                fi
                [ "$SECONDS" -lt "$end" ] || return 1
                sleep 0.1
        done
}

# time_to LINE... -- ARGS...: boots $QEMU with ARGS (benchmarks) and prints, for each
# LINE in order, the seconds (ms precision) from QEMU start to the first
# serial line matching it; polls every 10 ms so short boots stay exact.
time_to() {
        local lines=() line end
        while [ "$1" != -- ]; do lines+=("$1"); shift; done
        shift
        qemu_start "$@" || return 1
        end=$((SECONDS + 300))
        for line in "${lines[@]}"; do
                until grep -aqE -- "$line" "$serial_log"; do
                        if ! qemu_alive || [ "$SECONDS" -ge "$end" ]; then
                                qemu_stop
                                echo "time_to: no '$line'" >&2
                                return 1
                        fi
                        sleep 0.01
                done
                awk -v a="$qemu_started_at" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f ", b - a }'
        done
        echo
        qemu_stop
}

# first_match FILE REGEX: prints the first text in FILE matching REGEX.
first_match() {
        grep -aoE -m1 -- "$2" "$1" | head -n 1
}

# seconds_since START: seconds from START (date +%s.%N) to now, one decimal.
seconds_since() {
        awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f\n", b - a }'
}

# median: the median of the numbers on stdin, one a line (of an even count,
# the upper one).
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# ratio A B: A / B with $ratio_decimals decimals (default 3), no newline.
ratio() { awk -v a="$1" -v b="$2" -v d="${ratio_decimals:-3}" 'BEGIN { printf "%." d "f", a / b }'; }

# A package build runs `make check` too; it boots nothing and downloads nothing.
# An explicit request, so it wins over THATTE_REQUIRE_INTEGRATION.
if [ "${THATTE_SKIP_INTEGRATION:-0}" = 1 ]; then
        echo "1..0 # SKIP THATTE_SKIP_INTEGRATION=1"
        exit 0
fi
