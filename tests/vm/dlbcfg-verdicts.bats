#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/dlbcfg-verdicts.bats - dlbcfg check and the kernel judge a
# domain by the same code (module/rules/dlb_rules.c): for every file of
# tests/dlbcfg/verdicts/, check's verdict (reason, step, errno) is the one
# the kernel gives when dlbcfg apply makes the domain and starts it: the
# same reason in its one log line, the same errno from the same step.
# DLBCFG_KERNEL_RULES=1 makes apply leave the rules to the kernel.

load ../lib/common
load ../lib/configfs
load ../dlbcfg/vm-helpers

setup() {
	cfs_setup
	dlbcfg_need_tool
}

teardown() {
	cfs_teardown
}

# The reason in check's output: "FILE:LINE: dlb0/domains/DOM: REASON (STEP: ERRNO)".
check_verdict() {
	local out=$1 dom=$2 line

	line=$(grep -F " dlb0/domains/$dom: " <<<"$out") || return 0
	line=${line#* dlb0/domains/"$dom": }
	echo "$line"
}

@test "dlbcfg: check and a kernel start give every broken file the same reason, step and errno" {
	local f step err dom why out mine kernel line n=0 bad=() before
	local -A count=()

	before=$(dlbcfg_snapshot)
	for f in "$DLB_ROOT"/tests/dlbcfg/verdicts/*.cfg; do
		read -r _ _ step err dom why <"$f"
		dom=${dom%:}

		# check: exit 1, one error, the file's verdict
		run "$DLBCFG" check "$f"
		mine=$(check_verdict "$output" "$dom")
		if [[ $status != 1 || $mine != "$why ($step: $err)" ]]; then
			bad+=("${f##*/}: check said (status $status): $output")
			continue
		fi

		# the kernel: apply is refused at that step with that errno,
		# and the kernel's one log line gives the same reason
		dlb_common_setup
		run env DLBCFG_KERNEL_RULES=1 "$DLBCFG" apply "$f"
		line=$(grep -F ": $step: ${DLB_STRERROR[$err]}" <<<"$output" || true)
		kernel=$(dlb_kmsg | grep -F "domain $dom: " || true)
		if [[ $status != 3 || -z $line ||
		      $(grep -c '' <<<"$kernel") != 1 ||
		      ${kernel#*domain "$dom": } != "${mine% ("$step": "$err")}" ]]; then
			bad+=("${f##*/}: check: $mine; apply (status $status): $output; kernel: $kernel")
			continue
		fi
		n=$((n + 1))
		count[$step $err]=$((${count[$step $err]:-0} + 1))
	done
	for line in "${!count[@]}"; do
		echo "# $line: ${count[$line]}" >&3
	done
	echo "# $n files, the same verdict from both" >&3
	((${#bad[@]} == 0)) || fail "$(printf '%s\n' "${bad[@]}")"
	((n > 0)) || fail "no verdict file"
	# every refused apply rolled back
	assert_equal "$(dlbcfg_snapshot)" "$before"
}
