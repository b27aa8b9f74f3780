#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# pipeline.sh - a two-stage pipeline on a dlb device, built the way a shell
# user builds one: mkdir, echo and ln only.
#
#   rx --> stage1 (atomic) --> w0, w1 --> stage2 (ordered) --> w0, w1
#      --> egress (directed) --> tx
#
# rx produces; the workers w0 and w1 take stage1's events one flow at a time,
# forward them to stage2, where they are processed in parallel and put back
# in order on the way to the directed egress queue, which feeds tx alone.
#
#   pipeline.sh up [DEV [DOMAIN]]     build and start it (dlb0, pipeline)
#   pipeline.sh down [DEV [DOMAIN]]   stop and remove it
#
# Exit status: 0, or that of the first command that failed.
set -eu

cmd=${1:-up}
dev=${2:-dlb0}
name=${3:-pipeline}
# A device's configfs directory: dlb0's is dlb0, a virtual device's is its
# vdev's (dlb0/vdevs/<name>).
D=/sys/kernel/config/dlb/$(cat "/sys/class/dlb/$dev/config_dir")/domains/$name

up() {
	mkdir "$D"
	cd "$D"
	echo 512 >ldb_credits
	echo 64 >dir_credits

	mkdir queues/stage1 queues/stage2 queues/egress
	echo atomic >queues/stage1/sched_type	# one worker per flow at a time
	echo 128 >queues/stage1/atomic_inflights
	echo ordered >queues/stage2/sched_type	# in parallel, order restored
	echo 64 >queues/stage2/sequence_numbers
	echo dir >queues/egress/type		# sched_type follows: directed

	mkdir ports/rx ports/w0 ports/w1 ports/tx
	for w in w0 w1; do
		echo 64 >ports/$w/cq_depth
		echo 64 >ports/$w/hist_list_size
		# configfs resolves a link's target from the current directory.
		(cd ports/$w && ln -s ../../queues/stage1 stage1 &&
			ln -s ../../queues/stage2 stage2)
		# Finish events in flight before taking new ones.
		echo "stage2 0" >ports/$w/link_priorities
	done
	echo dir >ports/tx/type
	(cd ports/tx && ln -s ../../queues/egress egress)

	# Start only what was just read: fails with ESTALE if someone else
	# changed the domain in between.
	echo "1 $(cat generation)" >start
}

down() {
	cd "$D"
	echo 0 >start
	for l in ports/*/*; do
		if [ -L "$l" ]; then
			rm "$l"
		fi
	done
	rmdir ports/* queues/*
	cd /
	rmdir "$D"
}

case $cmd in
up) up ;;
down) down ;;
-h | --help) sed -n 's/^#   //p' "$0" ;;
*)
	echo "usage: pipeline.sh up|down [DEV [DOMAIN]]" >&2
	exit 2
	;;
esac
