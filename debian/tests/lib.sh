# debian/tests/lib.sh: sourced by each autopkgtest. Runs from the source
# tree's top folder (as autopkgtest does). Sets top_srcdir and top_builddir
# (THATTE_TEST_BUILDDIR, a build tree that has the test helpers, as CI
# passes; else one is configured and the helpers built under
# $AUTOPKGTEST_TMP), exports THATTE_REQUIRE_INTEGRATION=1, and gives
# run_test NAME SCRIPT: runs a TAP test script, failing when it fails.
set -u
top_srcdir=$(pwd)
export top_srcdir THATTE_REQUIRE_INTEGRATION=1
tmp=${AUTOPKGTEST_TMP:-$(mktemp -d)}

build_helpers() {
        local b=$tmp/build
        mkdir -p "$b"
        [ -x configure ] || ./autogen.sh >"$tmp/autogen.log" 2>&1 || { cat "$tmp/autogen.log"; return 1; }
        (cd "$b" && "$top_srcdir/configure" --disable-sanitizers >"$tmp/configure.log" 2>&1 &&
                make tests/helpers/thatte-test-qmp tests/helpers/thatte-test-gradient \
                        tests/vmm/thatte-test-pty tests/vmm/thatte-test-json >"$tmp/make.log" 2>&1) ||
                { tail -n 40 "$tmp"/configure.log "$tmp"/make.log; return 1; }
        top_builddir=$b
}

if [ -n "${THATTE_TEST_BUILDDIR:-}" ]; then
        top_builddir=$THATTE_TEST_BUILDDIR
else
        build_helpers || exit 1
fi
export top_builddir

run_test() {
        echo "=== $1"
        if bash "$2"; then
                echo "=== $1: ok"
                return 0
        fi
        echo "=== $1: FAILED"
        return 1
}
