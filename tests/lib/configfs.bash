# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# tests/lib/configfs.bash - helpers of the configfs (control plane) suites.
# Load after common:
#
#	load ../lib/common
#	load ../lib/configfs
#
#   DEV, DOMS                 /sys/kernel/config/dlb/dlb0 and its domains/
#   cfs_domain D [a=v...]     mkdir domain D, then write its attributes
#   cfs_queue D Q [a=v...]    mkdir queue Q in D, then write its attributes
#   cfs_port D P [a=v...]     mkdir port P in D, then write its attributes
#   cfs_link D P Q            ln -s the queue into the port
#   cfs_write FILE VALUE      echo VALUE > FILE (for `run`)
#   cfs_fails ERRNO CMD...    run CMD, assert it failed with ERRNO's message
#   cfs_res KIND [DEV]        KIND_resources of DEV (dlb0), "name=value" lines
#   cfs_avail                 avail_resources of dlb0, "name=value" lines
#   cfs_total                 total_resources, in the same form
#   cfs_cleanup               stop and remove every domain of every device,
#                             then uncommit and remove every vdev
#   cfs_setup / cfs_teardown  load the module (unloading one loaded before
#                             the suite, e.g. by vm-run) / clean up and
#                             unload it
#
# Objects are made with plain mkdir, echo and ln, as a shell user would.

DEV=$DLB_CONFIGFS/dlb0
DOMS=$DEV/domains

declare -A DLB_STRERROR=(
	[EINVAL]="Invalid argument"
	[ERANGE]="Numerical result out of range"
	[EBUSY]="Device or resource busy"
	[ENOSPC]="No space left on device"
	[ESTALE]="Stale file handle"
	[EEXIST]="File exists"
	[ENOENT]="No such file or directory"
	[ENOTEMPTY]="Directory not empty"
	[EIO]="Input/output error"
	[EACCES]="Permission denied"
	[EPERM]="Operation not permitted"
)

cfs_write() {
	echo "$2" >"$1"
}

# Write a=v pairs into directory $1.
cfs_set() {
	local dir=$1 kv
	shift
	for kv in "$@"; do
		echo "${kv#*=}" >"$dir/${kv%%=*}" || return
	done
}

cfs_domain() {
	local d=$1
	shift
	mkdir "$DOMS/$d" && cfs_set "$DOMS/$d" "$@"
}

cfs_queue() {
	local d=$1 q=$2
	shift 2
	mkdir "$DOMS/$d/queues/$q" && cfs_set "$DOMS/$d/queues/$q" "$@"
}

cfs_port() {
	local d=$1 p=$2
	shift 2
	mkdir "$DOMS/$d/ports/$p" && cfs_set "$DOMS/$d/ports/$p" "$@"
}

cfs_link() {
	ln -s "$DOMS/$1/queues/$3" "$DOMS/$1/ports/$2/$3"
}

cfs_fails() {
	local err=$1
	shift
	run "$@"
	assert_failure
	assert_output --partial "${DLB_STRERROR[$err]}"
}

# cfs_res KIND [DEV]: DEV's (default dlb0) KIND_resources, "name=value"
# lines. Builtins only: forks are slow under emulation.
cfs_res() {
	local f v
	for f in "$DLB_SYSFS/${2:-dlb0}/$1_resources"/*; do
		read -r v <"$f" || return
		echo "${f##*/}=$v"
	done
}

cfs_avail() {
	cfs_res avail
}

cfs_total() {
	cfs_res total
}

cfs_cleanup() {
	local d p l
	[[ -d $DLB_CONFIGFS ]] || return 0
	for d in "$DLB_CONFIGFS"/*/domains/*/ \
		 "$DLB_CONFIGFS"/*/vdevs/*/domains/*/; do
		[[ -d $d ]] || continue
		echo 0 >"$d/start" 2>/dev/null
		for l in "$d"ports/*/*; do
			[[ -L $l ]] && rm "$l"
		done
		for p in "$d"ports/*/ "$d"queues/*/; do
			[[ -d $p ]] && rmdir "$p"
		done
		rmdir "$d"
	done
	for d in "$DLB_CONFIGFS"/*/vdevs/*/; do
		[[ -d $d ]] || continue
		echo 0 >"$d/commit"
		rmdir "$d"
	done
}

cfs_setup() {
	dlb_common_setup
	# A suite run alone under vm-run finds the module loaded already; each
	# test loads it itself, with its own parameters.
	dlb_unload
	dlb_load "$@"
}

cfs_teardown() {
	cfs_cleanup
	dlb_unload
	dlb_common_teardown
}
