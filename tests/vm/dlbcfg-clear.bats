#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/dlbcfg-clear.bats - dlbcfg clear against domains whose port
# files are open: refused before anything changes, left alone with
# --keep-going, stopped by force (the domain's force_stop) with --force.

load ../lib/common
load ../lib/configfs
load ../lib/datapath
load ../dlbcfg/vm-helpers

setup() {
	cfs_setup
	dlbcfg_need_tool
	D=$DOMS/pipeline
}

teardown() {
	pipeline_teardown
}

@test "dlbcfg: clear refuses a domain with an open port and changes nothing" {
	"$DLBCFG" apply "$PIPELINE"
	mkdir "$DOMS/by-hand"
	hold_port /dev/dlb/dlb0/pipeline/tx
	before=$(dlbcfg_snapshot)
	gen=$(cat "$D/generation")
	run "$DLBCFG" clear
	assert_failure 3
	assert_output --partial "dlb0/pipeline: stop: Device or resource busy: 1 port file(s) open (--force revokes them)"
	assert_output --partial "nothing was changed"
	assert_equal "$(dlbcfg_snapshot)" "$before"
	assert_equal "$(cat "$D/generation")" "$gen"
	assert_attr "$D/start" 1
	assert_attr "$D/open_ports" 1
	assert_exist /dev/dlb/dlb0/pipeline/tx

	# The same for the domain named alone, and by dry-run.
	run "$DLBCFG" clear dlb0/pipeline
	assert_failure 3
	run "$DLBCFG" clear --dry-run
	assert_failure 3
	refute_output --partial "echo"
	assert_equal "$(dlbcfg_snapshot)" "$before"
}

@test "dlbcfg: clear --keep-going clears the other domains and leaves one with an open port" {
	"$DLBCFG" apply "$PIPELINE"
	mkdir "$DOMS/by-hand"
	hold_port /dev/dlb/dlb0/pipeline/tx
	run "$DLBCFG" clear --keep-going
	assert_failure 3
	assert_output --partial "dlb0/pipeline: stop: Device or resource busy"
	assert_not_exist "$DOMS/by-hand"
	assert_attr "$D/start" 1
}

@test "dlbcfg: clear --force stops a domain with open ports and frees its resources" {
	total=$(cfs_total)
	"$DLBCFG" apply "$PIPELINE"
	hold_port /dev/dlb/dlb0/pipeline/w1
	run "$DLBCFG" clear --force --dry-run
	assert_success
	assert_line "echo 1 > $DLB_CONFIGFS/dlb0/domains/pipeline/force_stop"
	assert_attr "$D/start" 1

	run "$DLBCFG" clear --force
	assert_success
	assert_output ""
	run ls "$DOMS"
	assert_output ""
	assert_equal "$(cfs_avail)" "$total"
	assert_not_exist /dev/dlb/dlb0/pipeline
	run dlb_kmsg
	assert_output --partial "domain pipeline: forced stop: 1 port file(s) revoked, 0 event(s) dropped"
	# The holder's file is dead, and closes cleanly after the domain went.
	kill -0 "$DLB_HOLDER"
	release_port
}
