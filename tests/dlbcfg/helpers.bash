# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# tests/dlbcfg/helpers.bash - what the host suites of dlbcfg share
# (dlbcfg.bats and out/files.bats, which gen-file-tests writes): the
# environment dlbcfg runs in, running it, the assertions, and the checks of
# one file. Load after common:
#
#	load ../lib/common
#	load helpers
#
#   DLBCFG                  out/dlbcfg-asan, the build with ASan/UBSan
#   run_dlbcfg ARG...       run it: its status in $status, its stdout and
#                           stderr in the files $OUT and $ERR
#   capture CMD...          the same for any command
#   assert_status N         the last run exited N
#   assert_sanitized        the last run made no sanitizer report
#   assert_grep GREP-ARGS... FILE   grep -q finds it
#   refute_grep GREP-ARGS... FILE   grep -q does not
#   dlbcfg_fail MSG...      fail with MSG and the last run's stdout and stderr
#   check_corpus FILE, check_verdict FILE, check_example FILE
#                           the test of one corpus/, verdicts/ or
#                           examples/ file (see gen-file-tests)
#
# Every test runs in tests/dlbcfg: dlbcfg names the files as it was given
# them (corpus/X.cfg:LINE), and the expected messages say so.

DLBCFG_TESTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$DLBCFG_TESTS" || return
DLBCFG=$DLBCFG_TESTS/out/dlbcfg-asan

export DLBCFG_SCHEMA=$DLB_ROOT/configfs-schema/dlb.schema
export DLBCFG_SYSFS=/nonexistent-dlbcfg-sysfs
# A sanitizer report fails the test it happens in: ASan exits 86 (leaks
# too), UBSan 87, and either says "Sanitizer" on stderr.
export ASAN_OPTIONS=exitcode=86:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:exitcode=87:print_stacktrace=1
export LSAN_OPTIONS=suppressions=$DLBCFG_TESTS/lsan.supp

capture() {
	OUT=$BATS_TEST_TMPDIR/out
	ERR=$BATS_TEST_TMPDIR/err
	status=0
	"$@" >"$OUT" 2>"$ERR" || status=$?
}

run_dlbcfg() {
	[[ -x $DLBCFG ]] || fail "no $DLBCFG: make -C tests/dlbcfg out/dlbcfg-asan"
	capture "$DLBCFG" "$@"
}

dlbcfg_fail() {
	{
		printf '%s\n' "$@"
		if [[ -s ${OUT:-} ]]; then
			echo "-- stdout:"
			cat "$OUT"
		fi
		if [[ -s ${ERR:-} ]]; then
			echo "-- stderr:"
			cat "$ERR"
		fi
	} | fail
}

assert_status() {
	[[ $status == "$1" ]] || dlbcfg_fail "status $status, wanted $1"
}

assert_sanitized() {
	if [[ $status == 86 || $status == 87 ]] || grep -q "Sanitizer" "$ERR"; then
		dlbcfg_fail "a sanitizer report (status $status)"
	fi
}

assert_grep() {
	grep -q "$@" || dlbcfg_fail "grep found nothing: grep $*"
}

refute_grep() {
	if grep -q "$@"; then
		dlbcfg_fail "grep found it: grep $*"
	fi
}

# assert_no_diff FILE: dlbcfg diff finds nothing between FILE and the tree
assert_no_diff() {
	run_dlbcfg diff "$1"
	assert_status 0
	assert_sanitized
	[[ ! -s $OUT ]] || dlbcfg_fail "diff printed changes"
}

# check_corpus FILE: FILE's first line is "# expect: TEXT"; check reports
# TEXT on stderr (LINE... is FILE:LINE...) and exits 1.
check_corpus() {
	local f=$1 expect

	expect=$(sed -n '1s/^# expect: //p' "$f")
	if [[ $expect == [0-9]* ]]; then
		expect="$f:$expect"
	fi
	run_dlbcfg check "$f"
	assert_status 1
	assert_sanitized
	assert_grep -F -- "$expect" "$ERR"
}

# check_verdict FILE: FILE is valid to the schema and breaks one rule of a
# start or a link. Its first line is "# verdict: STEP ERRNO DOMAIN: REASON",
# what the kernel says (tests/vm/dlbcfg-verdicts.bats compares it there);
# check says the same, as the one error, and exits 1.
check_verdict() {
	local f=$1 step err dom why expect

	read -r _ _ step err dom why < <(sed -n 1p "$f")
	expect="dlb0/domains/$dom $why ($step: $err)"
	run_dlbcfg check "$f"
	assert_status 1
	assert_sanitized
	assert_grep -F -- "$expect" "$ERR"
	[[ $(grep -c '^verdicts/' "$ERR") == 1 ]] ||
		dlbcfg_fail "wanted one error: $expect"
}

# check_example FILE: check accepts FILE, silently.
check_example() {
	run_dlbcfg check "$1"
	assert_status 0
	assert_sanitized
	[[ ! -s $ERR ]] || dlbcfg_fail "stderr is not empty"
}
