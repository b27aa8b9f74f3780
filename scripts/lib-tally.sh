# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# scripts/lib-tally.sh - how scripts/check, check-deb and check-debug run
# and report: the dependencies stage, stages, tests counted one per stage
# or from TAP, a per-stage table and the final "N passed, N failed[, N
# skipped]" line. Sourced after
# lib.sh, with the working directory at the repository and the stage logs
# in $logs.

passed=0
failed=0
skipped=0
summary=()
start=$(date +%s)

stage() {
	echo
	echo "==== $* ($(($(date +%s) - start))s)"
}

# note NAME RESULT: remember a line for the final per-stage table.
note() {
	summary+=("$(printf '%-18s %s' "$1" "$2")")
}

# one NAME STATUS: a stage that counts as one test.
one() {
	if [[ $2 == 0 ]]; then
		passed=$((passed + 1))
		note "$1" "ok"
	else
		failed=$((failed + 1))
		# shellcheck disable=SC2154  # $logs is the caller's
		note "$1" "FAILED (exit status $2, log in ${logs#"$DLB_ROOT"/}/)"
	fi
}

# tap NAME STATUS LOG: a stage whose LOG holds TAP results.
tap() {
	local name=$1 status=$2 log=$3 p f s m extra=0 why=

	read -r p f s m < <("$DLB_ROOT/scripts/tap-count" "$log")
	if [[ $m -gt 0 ]]; then
		extra=$m
		why=", $m planned results missing"
	fi
	if [[ $status != 0 && $f == 0 && $m == 0 ]]; then
		extra=1
		why=", the stage broke (exit status $status)"
	fi
	passed=$((passed + p))
	failed=$((failed + f + extra))
	skipped=$((skipped + s))
	note "$name" "$p passed, $((f + extra)) failed, $s skipped$why"
}

# deps_stage [OPTION...]: the stage every check starts with,
# scripts/install-deps [OPTION...]; nothing else can work without it, so
# the run ends here if it fails.
# shellcheck disable=SC2120  # the option is check-debug's alone
deps_stage() {
	local status

	stage "dependencies: scripts/install-deps${*:+ $*}"
	"$DLB_ROOT/scripts/install-deps" "$@" 2>&1 | tee "$logs/deps.log"
	status=${PIPESTATUS[0]}
	one deps "$status"
	[[ $status == 0 ]] || finish
}

finish() {
	local line

	echo
	echo "==== results ($(($(date +%s) - start))s)"
	for line in "${summary[@]}"; do
		echo "  $line"
	done
	line="$passed passed, $failed failed"
	[[ $skipped == 0 ]] || line+=", $skipped skipped"
	echo "$line"
	[[ $failed == 0 ]]
	exit
}
