# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# tests/dlbcfg/vm-helpers.bash - what the dlbcfg suites in tests/vm share.
# Load after common and configfs:
#
#	load ../lib/common
#	load ../lib/configfs
#	load ../dlbcfg/vm-helpers
#
#   DLBCFG              the tool built on the host (make tools)
#   PIPELINE            examples/pipeline.cfg
#   dlbcfg_snapshot     the configfs tree (paths, links, attribute values
#                       but the generations) and avail_resources, to compare
#   dlbcfg_whole_device FILE  write a file that takes every resource of dlb0

DLBCFG=$DLB_ROOT/tools/dlbcfg/dlbcfg
# shellcheck disable=SC2034 # used by the suites
PIPELINE=$DLB_ROOT/examples/pipeline.cfg
export DLBCFG_SCHEMA=$DLB_ROOT/configfs-schema/dlb.schema

dlbcfg_need_tool() {
	[[ -x $DLBCFG ]] || fail "no $DLBCFG: run make tools on the host first"
}

# Generations are left out: undoing a change is a change, and bumps them.
# force_stop is write-only. Few processes: forks are slow in the test VM.
dlbcfg_snapshot() {
	(cd "$DLB_CONFIGFS" && find . -printf '%p %l\n' | sort &&
		grep -r --exclude=generation --exclude=force_stop '' . | sort)
	grep -r '' "$DLB_SYSFS/dlb0/avail_resources/"
}

# 32 domains that together take every resource of DLB 2.0's totals.
dlbcfg_whole_device() {
	local i sched extra
	{
		echo 'devices = ( { name = "dlb0"; domains = ('
		for ((i = 0; i < 32; i++)); do
			# two ordered queues fill the two sequence-number groups;
			# the other 30 queues share the 2048 atomic inflights.
			if ((i < 2)); then
				sched='sched_type = "ordered"; sequence_numbers = 1024;'
			else
				extra=64
				((i == 2)) && extra=192
				sched="sched_type = \"atomic\"; atomic_inflights = $extra;"
			fi
			cat <<-EOT
			{ name = "d$i"; ldb_credits = 256; dir_credits = 128;
			  queues = ( { name = "q"; $sched },
			             { name = "e0"; type = "dir"; },
			             { name = "e1"; type = "dir"; } );
			  ports = ( { name = "w0"; links = ( "q" ); },
			            { name = "w1"; links = ( "q" ); },
			            { name = "t0"; type = "dir"; links = ( "e0" ); },
			            { name = "t1"; type = "dir"; links = ( "e1" ); } );
			}$( ((i < 31)) && echo ,)
			EOT
		done
		echo '); } );'
	} >"$1"
}
