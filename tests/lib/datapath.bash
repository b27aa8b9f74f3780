# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# tests/lib/datapath.bash - helpers of the suites that use port device
# files. Load after common and configfs:
#
#	load ../lib/common
#	load ../lib/configfs
#	load ../lib/datapath
#
#   PORT                      tests/lib/dlb_port.py, the ports' test client
#   PIPE                      /dev/dlb/dlb0/pipeline, the example pipeline's
#                             port files
#   pipeline_setup            cfs_setup, then scripts/examples/pipeline.sh up:
#                             the suite's setup() when each test starts
#                             from the started example pipeline
#   pipeline_teardown         release_port if a port is held, cfs_teardown
#   hold_port PATH            open port PATH in a background process and
#                             return once it is open (status 1 if it never
#                             opened); it stays open until release_port
#   release_port              close the port hold_port opened
#   port_stat DOMAIN PORT K   counter K of a port of dlb0, from
#                             /sys/class/dlb_port/dlb0.DOMAIN.PORT/stats/K
#
# The holder is killed rather than timed: how long a start-up takes in the
# emulated VM on a loaded host is anyone's guess.

PORT=tests/lib/dlb_port.py
PIPE=/dev/dlb/dlb0/pipeline

pipeline_setup() {
	cfs_setup
	sh scripts/examples/pipeline.sh up
}

pipeline_teardown() {
	[[ -z ${DLB_HOLDER:-} ]] || release_port
	cfs_teardown
}

hold_port() {
	local i out=$BATS_TEST_TMPDIR/hold

	python3 "$PORT" hold "$1" 600 >"$out" &
	DLB_HOLDER=$!
	for i in $(seq 600); do
		grep -q holding "$out" && return 0
		kill -0 "$DLB_HOLDER" 2>/dev/null || break
		sleep 0.1
	done
	cat "$out"
	return 1
}

release_port() {
	kill "$DLB_HOLDER"
	wait "$DLB_HOLDER" || true
	DLB_HOLDER=
}

port_stat() {
	local v

	read -r v <"/sys/class/dlb_port/dlb0.$1.$2/stats/$3" || return
	echo "$v"
}
