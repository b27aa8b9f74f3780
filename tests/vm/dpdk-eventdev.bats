#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/dpdk-eventdev.bats - DPDK's own eventdev tests against the
# event_dlbk driver (tools/event_dlbk, built by make tools): dpdk-test's
# eventdev_common_autotest, and dpdk-test-eventdev's order_queue and
# perf_queue, and their all-types-queue forms order_atq and perf_atq (no
# service core: the kernel's scheduler thread schedules); DPDK's adapters
# feeding dlb: dpdk-test's Ethernet Rx and Tx and crypto adapter
# autotests, DPDK's eventdev_pipeline and l2fwd-event samples (built by
# scripts/dpdk-sdk), and perf tests fed by the event timer adapter and by
# the Rx adapter from net_null (dpdk-test's event_timer_adapter_test is
# not run: it takes a device with no service for one whose timer adapter
# is in hardware, and fails the same on event_dsw; its Rx interrupt test
# needs a NIC with Rx interrupts, which net_null lacks); dlbk-evcheck for
# what they do not reach (xstats, runtime links, stop flush, ...); bad
# input and the managed and attach modes' handling of configfs, attach
# mode also on a tree dlbcfg apply made.
# dpdk-test-eventdev prints "Result: Success" even when its test failed,
# so each run is also checked for error lines and counts.
# Needs dpdk-dev (scripts/install-deps) and a guest with SSE4.2
# (scripts/vm-run's default -cpu max).

load ../lib/common
load ../lib/configfs

BUILT=$DLB_ROOT/tools/build/librte_event_dlbk.so
# EAL loads no plugin from below a world-writable directory (a checkout
# under /tmp, say): the tests load a copy from a directory only root writes.
PLUGIN=/var/lib/dlb-test/librte_event_dlbk.so
EAL=(--no-huge -m 256 --no-pci --no-shconf -d "$PLUGIN")
# The test knob that makes the kernel's scheduler thread do nothing.
PAUSED=/sys/kernel/debug/dlb/dlb0/sched_paused

setup_file() {
	dlb_unload
	dlb_load
	if [[ -f $BUILT ]]; then
		install -d -m 0755 "${PLUGIN%/*}"
		install -m 0644 "$BUILT" "$PLUGIN"
	fi
}

teardown_file() {
	rm -rf "${PLUGIN%/*}"
	dlb_unload
}

setup() {
	dlb_common_setup
	[[ -x /usr/bin/dpdk-test && -x /usr/bin/dpdk-test-eventdev ]] ||
		skip "dpdk-dev is not installed"
	[[ -f $BUILT ]] || fail "$BUILT is not built: run make tools"
	grep -qw sse4_2 /proc/cpuinfo || fail "the guest CPU lacks SSE4.2 (vm-run --cpu max)"
}

# Remove what a failed test left (a passing one leaves nothing but the
# vdev a test made).
teardown() {
	echo 0 >"$PAUSED" 2>/dev/null || true
	cfs_cleanup 2>/dev/null || true
	dlb_common_teardown
}

# The domains of dlb0, one per line.
domains() {
	local d

	for d in "$DLB_CONFIGFS"/dlb0/domains/*; do
		[[ -d $d ]] && echo "${d##*/}"
	done
	return 0
}

# Run dpdk-test-eventdev with 5 lcores on the guest's 2 CPUs (TEV_EAL for
# more EAL options); the driver logs what its ports did at stop, which the
# tests check.
test_eventdev() {
	run timeout 300 dpdk-test-eventdev --no-huge -m 512 --no-pci --no-shconf \
		--lcores=0@0,1@1,2@0,3@1,4@0 ${TEV_EAL:-} \
		-d "$PLUGIN" --log-level=pmd.event.dlbk:info \
		--vdev="event_dlbk0,name=tev${TEV_DEVARGS:-}" -- "$@"
	echo "$output" | tail -n 30
	assert_success
	assert_output --regexp "Result: .*Success"
	refute_output --regexp "error|deadlock|mismatch|Failed|failed"
	assert_equal "$(domains)" ""
}

# assert_counts NEW FORWARDED DEQUEUED: what the driver's ports did.
assert_counts() {
	assert_output --regexp "events new $1 forwarded $2 released [0-9]+ dequeued $3,"
}

# assert_workers_total N: perf_*'s "Worker i packets: <hex>" lines add to N.
assert_workers_total() {
	local n sum=0

	for n in $(worker_packets); do
		sum=$((sum + n))
	done
	assert_equal "worker packets: $sum" "worker packets: $1"
}

# worker_packets: what each worker of a perf_* run took, from its
# "Worker i packets: <hex>" line in $output, one decimal count a line.
worker_packets() {
	local hex

	echo "$output" | sed 's/\x1b\[[0-9;]*m//g' |
		sed -n 's/^Worker [0-9]* packets: \([0-9a-f]*\) .*/\1/p' |
		while read -r hex; do
			echo $((16#$hex))
		done
}

# order_run TEST WLCORES: DPDK's order test TEST (order_queue, order_atq)
# with one producer and the workers WLCORES, 20000 events over 64 flows:
# every event forwarded once, in order (the test checks the order).
order_run() {
	test_eventdev --test="$1" --plcores=1 --wlcores="$2" \
		--nb_flows=64 --nb_pkts=20000
	assert_counts 20000 20000 40000
}

# perf_run TEST STLIST FORWARDS: DPDK's perf test TEST (perf_queue,
# perf_atq) through the stages STLIST with two workers, 20000 events over
# 64 flows: the workers take all of them and forward FORWARDS in between.
perf_run() {
	test_eventdev --test="$1" --plcores=1 --wlcores=2,3 --stlist="$2" \
		--nb_flows=64 --nb_pkts=20000
	assert_workers_total 20000
	assert_counts 20000 "$3" $((20000 + $3))
}

# dpdk_autotest CMD MB: dpdk-test's CMD against dlb with MB of memory, 4
# lcores on the guest's 2 CPUs; it passes with nothing failed and leaves
# no domain. DPDK's adapter tests, too, use event device 0 when there is
# one.
dpdk_autotest() {
	run timeout 300 dpdk-test --no-huge -m "$2" --no-pci --no-shconf \
		--lcores='0@0,1@1,2@0,3@1' -d "$PLUGIN" \
		--vdev=event_dlbk0,name=autotest <<<"$1"
	echo "$output" | grep -E 'TestCase|Tests|Test OK|Test Failed|failed|rror' || true
	assert_success
	assert_output --partial "Test OK"
	assert_output --regexp "Tests Failed :[[:space:]]+0"
	assert_equal "$(domains)" ""
}

@test "event_dlbk: eventdev_common_autotest passes, skipping only the runtime queue attributes it lacks" {
	dpdk_autotest eventdev_common_autotest 256
	# RTE_EVENT_DEV_CAP_RUNTIME_QUEUE_ATTR is not advertised: the three
	# runtime queue attribute cases skip, every other case passes.
	assert_output --regexp "Tests Skipped :[[:space:]]+3"
	assert_output --regexp "Tests Passed :[[:space:]]+24"
}

@test "event_dlbk: fields come back unchanged, timeouts sleep, new_event_threshold holds, links change while running, xstats count, stop flushes, quiesce leaves a port its events, all-types queues carry each event's type, a burst cut short says ENOSPC, bad queue ids are refused, setup and start answer as eventdev says, each device has its own stop-flush callback and an attached domain changed after setup fails the start (dlbk-evcheck)" {
	adm_domain
	run env EVCHECK_ADM="$DLB_CONFIGFS/dlb0/domains/adm" \
		timeout 300 "$DLB_ROOT/tools/build/dlbk-evcheck" "${EAL[@]}" -l 0 \
		--vdev=event_dlbk0,name=evcheck --vdev=event_dlbk1,name=evcheck1 \
		--vdev=event_dlbk2,domain=adm
	echo "$output"
	adm_domain_remove
	assert_success
	assert_output --partial "1..26"
	assert_output --partial "# 26 checks, 0 failed"
	refute_output --partial "not ok"
	refute_output --partial "# SKIP"
	assert_equal "$(domains)" ""
}

@test "event_dlbk: unknown devargs fail the probe naming the known keys" {
	run timeout 120 dpdk-test "${EAL[@]}" -l 0 --vdev=event_dlbk0,bogus=1 <<<quit
	assert_output --partial 'cannot parse devargs "bogus=1": known keys are dev, name, domain and sched_call'
	assert_output --partial "failed to initialize event_dlbk0"
	assert_equal "$(domains)" ""
}

@test "event_dlbk: a sched_call other than 0 or 1 fails the probe naming the devarg" {
	run timeout 120 dpdk-test "${EAL[@]}" -l 0 --vdev=event_dlbk0,sched_call=yes <<<quit
	assert_output --partial "devarg sched_call=yes: 0 or 1"
	assert_output --partial "failed to initialize event_dlbk0"
	assert_equal "$(domains)" ""
}

@test "event_dlbk: a missing dlb device fails the probe naming it" {
	run timeout 120 dpdk-test "${EAL[@]}" -l 0 --vdev=event_dlbk0,dev=dlb7 <<<quit
	assert_output --partial "no dlb device dlb7"
	assert_output --partial "failed to initialize event_dlbk0"
}

@test "event_dlbk: a domain name dlb would not take fails the probe, before configfs is touched" {
	local long=a123456789b123456789c123456789d12

	run timeout 120 dpdk-test "${EAL[@]}" -l 0 --vdev=event_dlbk0,name=../x <<<quit
	assert_output --partial "devarg name=../x: a domain name is 1 to 32 of a-z, 0-9, '_' and '-'"
	assert_output --partial "failed to initialize event_dlbk0"
	run timeout 120 dpdk-test "${EAL[@]}" -l 0 --vdev=event_dlbk0,domain=$long <<<quit
	assert_output --partial "devarg domain=$long: a domain name is 1 to 32"
	# The default name, dpdk-<pid>-<vdev name>, from a vdev name with a capital.
	run timeout 120 dpdk-test "${EAL[@]}" -l 0 --vdev=event_dlbkA <<<quit
	assert_output --regexp "event_dlbkA: the default domain name dpdk-[0-9]+-event_dlbkA is not one dlb takes .*: name one with name="
	assert_output --partial "failed to initialize event_dlbkA"
	assert_equal "$(domains)" ""
}

@test "event_dlbk: a domain left by a dead application is reclaimed at the next start" {
	local d=$DLB_CONFIGFS/dlb0/domains/autotest

	mkdir "$d" "$d/queues/q00" "$d/ports/p00"
	ln -s "$d/queues/q00" "$d/ports/p00/q00"
	echo 1 >"$d/start"
	run timeout 300 dpdk-test "${EAL[@]}" -l 0 --vdev=event_dlbk0,name=autotest \
		<<<eventdev_common_autotest
	assert_success
	assert_output --partial "reclaiming domain autotest of dlb0"
	assert_output --regexp "Tests Failed :[[:space:]]+0"
	assert_equal "$(domains)" ""
}

@test "event_dlbk: a same-named domain a run of ours could not have left (another uid, or objects start does not name so) fails start with EEXIST and stays" {
	local d=$DLB_CONFIGFS/dlb0/domains/admin uid q p why

	while read -r uid q p why; do
		mkdir "$d" "$d/queues/$q" "$d/ports/$p"
		ln -s "$d/queues/$q" "$d/ports/$p/$q"
		echo "$uid" >"$d/uid"
		echo 1 >"$d/start"
		run timeout 300 dpdk-test "${EAL[@]}" -l 0 --vdev=event_dlbk0,name=admin \
			<<<eventdev_common_autotest
		assert_output --partial "domain admin of dlb0 is not one a run of ours left ($why), so it stays"
		refute_output --partial "reclaiming domain admin"
		assert_equal "$(<"$d/start") $(<"$d/uid") $(ls "$d/queues") $(ls "$d/ports")" \
			"1 $uid $q $p"
		echo 0 >"$d/start"
		rm "$d/ports/$p/$q"
		rmdir "$d/ports/$p" "$d/queues/$q" "$d"
	done <<-'EOF'
	4242 q00 p00 its uid and gid are 4242 and 0, not this process's 0 and 0
	0 a0 w0 its queue a0 is not named as start names them
	EOF
}

@test "event_dlbk: an application killed mid-run leaves its domain for the next run to reclaim" {
	local d=$DLB_CONFIGFS/dlb0/domains/tev pid i

	dpdk-test-eventdev --no-huge -m 512 --no-pci --no-shconf \
		--lcores='0@0,1@1,2@0,3@1' -d "$PLUGIN" --vdev=event_dlbk0,name=tev \
		-- --test=order_queue --plcores=1 --wlcores=2,3 --nb_pkts=100000000 \
		>/dev/null 2>&1 &
	pid=$!
	for ((i = 0; i < 600; i++)); do
		[[ -r $d/open_ports && $(<"$d/open_ports") == 3 ]] && break
		sleep 0.1
	done
	assert_equal "open ports: $(<"$d/open_ports")" "open ports: 3"
	sleep 1
	kill -9 "$pid"
	wait "$pid" || true
	# The dead process's files are closed: the domain stays, started.
	assert_equal "$(<"$d/start") $(<"$d/open_ports")" "1 0"
	test_eventdev --test=order_queue --plcores=1 --wlcores=2,3 \
		--nb_flows=64 --nb_pkts=5000
	assert_output --partial "reclaiming domain tev of dlb0"
	assert_counts 5000 5000 10000
}

# hog_run ATTR VALUE: with the domain hog started holding VALUE of its
# ATTR (and 1 load-balanced credit unless ATTR says otherwise), run
# order_queue in managed mode (domain tev); hog is removed after.
hog_run() {
	local d=$DLB_CONFIGFS/dlb0/domains/hog

	mkdir "$d" "$d/queues/q00" "$d/ports/p00"
	ln -s "$d/queues/q00" "$d/ports/p00/q00"
	echo 1 >"$d/ldb_credits"
	echo "$2" >"$d/$1"
	echo 1 >"$d/start"
	run timeout 300 dpdk-test-eventdev --no-huge -m 512 --no-pci --no-shconf \
		--lcores='0@0,1@1,2@0,3@1' -d "$PLUGIN" --vdev=event_dlbk0,name=tev \
		-- --test=order_queue --plcores=1 --wlcores=2,3 --nb_pkts=100
	echo 0 >"$d/start"
	rm "$d/ports/p00/q00"
	rmdir "$d/ports/p00" "$d/queues/q00" "$d"
}

@test "event_dlbk: a start dlb refuses (no history list room) fails and leaves nothing in configfs" {
	# hog's port holds 2040 of the device's 2048 history list entries;
	# the application's 3 ports need more than the 8 left.
	hog_run ports/p00/hist_list_size 2040
	assert_output --partial "dlb refused to start domain tev (dlb0): No space left on device"
	assert_output --partial "failed to start eventdev"
	assert_equal "$(domains)" ""
}

@test "event_dlbk: an application sized by rte_event_dev_info_get() starts beside a domain holding credits" {
	# hog holds 8000 of the device's 8192 load-balanced credits;
	# dpdk-test-eventdev asks for max_num_events, which is what is free.
	hog_run ldb_credits 8000
	assert_success
	assert_output --regexp "Result: .*Success"
	refute_output --regexp "refused|credits free|rror"
	assert_equal "$(domains)" ""
}

@test "event_dlbk: more queues than the driver has fail at configure, before configfs" {
	run timeout 300 dpdk-test-eventdev --no-huge -m 512 --no-pci --no-shconf \
		--lcores='0@0,1@1,2@0,3@1' -d "$PLUGIN" --vdev=event_dlbk0,name=tev \
		-- --test=perf_queue --plcores=1 --wlcores=2,3 --stlist=aaaaaaaaa \
		--nb_pkts=100
	assert_output --regexp "nb_event_queues=9 .*max_event_queues=8"
	assert_equal "$(domains)" ""
}

# adm_domain [SCHED1]: an administrator's domain for order_queue with 2
# workers, owned by nobody: a0 ordered, a1 SCHED1 (atomic), w0 and w1
# linked to both, w2 (the producer) to none.
adm_domain() {
	local d=$DLB_CONFIGFS/dlb0/domains/adm w

	mkdir "$d" "$d/queues/a0" "$d/queues/a1" "$d/ports/w0" "$d/ports/w1" "$d/ports/w2"
	echo ordered >"$d/queues/a0/sched_type"
	echo 64 >"$d/queues/a0/sequence_numbers"
	echo "${1:-atomic}" >"$d/queues/a1/sched_type"
	for w in w0 w1; do
		ln -s "$d/queues/a0" "$d/ports/$w/a0"
		ln -s "$d/queues/a1" "$d/ports/$w/a1"
	done
	echo 65534 >"$d/uid"
	echo 65534 >"$d/gid"
	echo 1 >"$d/start"
}

adm_domain_remove() {
	local d=$DLB_CONFIGFS/dlb0/domains/adm

	echo 0 >"$d/start"
	for l in "$d"/ports/*/*; do
		[[ -L $l ]] && rm "$l"
	done
	rmdir "$d"/ports/* "$d"/queues/* "$d"
}

# order_queue_as_nobody PKTS [DOMAIN]: run order_queue as nobody,
# attached to DOMAIN (default adm).
order_queue_as_nobody() {
	run timeout 300 setpriv --reuid=65534 --regid=65534 --clear-groups \
		dpdk-test-eventdev --no-huge -m 512 --no-pci --no-shconf \
		--lcores='0@0,1@1,2@0,3@1' -d "$PLUGIN" \
		--log-level=pmd.event.dlbk:info --vdev=event_dlbk0,domain="${2:-adm}" \
		-- --test=order_queue --plcores=1 --wlcores=2,3 --nb_flows=64 \
		--nb_pkts="$1"
}

@test "event_dlbk: attach mode runs order_queue as an unprivileged user and changes nothing" {
	local d=$DLB_CONFIGFS/dlb0/domains/adm gen

	adm_domain
	gen=$(<"$d/generation")
	order_queue_as_nobody 20000
	echo "$output" | tail -n 20
	assert_success
	assert_output --regexp "Result: .*Success"
	refute_output --regexp "error|deadlock|mismatch|Failed|failed"
	assert_output --partial "attached domain adm"
	assert_counts 20000 20000 40000
	assert_equal "$(<"$d/start") $(<"$d/generation") $(<"$d/open_ports")" "1 $gen 0"
	adm_domain_remove
}

@test "event_dlbk: attach mode runs order_queue as the domain's user on a tree dlbcfg apply made" {
	local cfg=$BATS_TEST_TMPDIR/dlb.cfg d=$DLB_CONFIGFS/dlb0/domains/cfgdom

	cat >"$cfg" <<-'EOF'
	version = 1;
	devices = ( { name = "dlb0"; domains = ( {
	  name = "cfgdom"; uid = 65534; gid = 65534;
	  queues = ( { name = "a0"; sched_type = "ordered"; sequence_numbers = 64; },
	             { name = "a1"; sched_type = "atomic"; } );
	  ports = ( { name = "w0"; links = ( "a0", "a1" ); },
	            { name = "w1"; links = ( "a0", "a1" ); },
	            { name = "w2"; } );
	} ); } );
	EOF
	DLBCFG_SCHEMA=$DLB_ROOT/configfs-schema/dlb.schema \
		"$DLB_ROOT/tools/dlbcfg/dlbcfg" apply "$cfg"
	assert_equal "$(<"$d/start") $(<"$d/uid")" "1 65534"
	order_queue_as_nobody 20000 cfgdom
	echo "$output" | tail -n 20
	DLBCFG_SCHEMA=$DLB_ROOT/configfs-schema/dlb.schema \
		"$DLB_ROOT/tools/dlbcfg/dlbcfg" clear dlb0/cfgdom
	assert_success
	assert_output --regexp "Result: .*Success"
	refute_output --regexp "error|deadlock|mismatch|Failed|failed"
	assert_output --partial "attached domain cfgdom"
	assert_counts 20000 20000 40000
	assert_equal "$(domains)" ""
}

@test "event_dlbk: attach mode refuses a queue whose type differs from the domain's" {
	adm_domain unordered
	order_queue_as_nobody 100
	adm_domain_remove
	assert_output --partial "queue 1: the application sets up ldb atomic, domain adm's queue a1 is ldb unordered"
	assert_output --partial "failed to setup queue1"
}

@test "event_dlbk: attach mode to a domain that does not exist fails the probe naming it" {
	run timeout 120 dpdk-test "${EAL[@]}" -l 0 --vdev=event_dlbk0,domain=nosuch <<<quit
	assert_output --partial "no domain nosuch on dlb0"
	assert_output --partial "failed to initialize event_dlbk0"
	assert_equal "$(domains)" ""
}

@test "event_dlbk: order_queue keeps every flow in order with 2 workers" {
	order_run order_queue 2,3
}

@test "event_dlbk: order_queue keeps every flow in order with 3 workers" {
	order_run order_queue 2,3,4
}

@test "event_dlbk: with sched_call=1 (the default) the lcores schedule by themselves: order_queue keeps every flow in order while the kernel's thread does nothing" {
	local before
	before=$(cat /sys/class/dlb/dlb0/sched_stats/caller_passes)
	echo 1 >"$PAUSED"
	order_run order_queue 2,3
	echo 0 >"$PAUSED"
	(($(cat /sys/class/dlb/dlb0/sched_stats/caller_passes) > before)) ||
		fail "no scheduling call ran a pass"
}

@test "event_dlbk: sched_call=0 keeps the lcores' calls to the wake-ups: order_queue in order, far fewer caller passes than with 1" {
	local c0 c1 c2
	c0=$(cat /sys/class/dlb/dlb0/sched_stats/caller_passes)
	TEV_DEVARGS=",sched_call=0" order_run order_queue 2,3
	c1=$(cat /sys/class/dlb/dlb0/sched_stats/caller_passes)
	order_run order_queue 2,3
	c2=$(cat /sys/class/dlb/dlb0/sched_stats/caller_passes)
	echo "caller passes: sched_call=0 $((c1 - c0)), sched_call=1 $((c2 - c1))"
	(((c2 - c1) > 4 * (c1 - c0))) || fail "sched_call=0 made as many calls as 1"
}

@test "event_dlbk: perf_queue through an atomic stage loses nothing" {
	perf_run perf_queue a 0
}

@test "event_dlbk: perf_queue through an ordered stage loses nothing" {
	perf_run perf_queue o 0
}

@test "event_dlbk: perf_queue through a parallel stage loses nothing" {
	perf_run perf_queue p 0
}

@test "event_dlbk: perf_queue through atomic then ordered stages loses nothing" {
	perf_run perf_queue ao 20000
}

@test "event_dlbk: order_queue runs in managed mode on a virtual device, its domain in the vdev's domains/" {
	local v=$DEV/vdevs/tenant d
	mkdir "$v"
	cfs_set "$v" num_sched_domains=1 num_ldb_queues=8 num_ldb_ports=16 \
		num_dir_ports=8 num_ldb_credits=4096 num_dir_credits=1024 \
		num_hist_list_entries=1024 num_atomic_inflights=1024 \
		num_sequence_numbers=1024
	echo 1 >"$v/commit"
	read -r d <"$v/device"
	TEV_DEVARGS=",dev=$d" order_run order_queue 2,3
	run ls "$v/domains"
	assert_output ""
	assert_equal "$(cfs_res avail "$d")" "$(cfs_res total "$d")"
}

@test "event_dlbk: order_atq keeps every flow in order through one all-types queue with 2 workers" {
	order_run order_atq 2,3
}

@test "event_dlbk: order_atq keeps every flow in order through one all-types queue with 3 workers" {
	order_run order_atq 2,3,4
}

@test "event_dlbk: perf_atq through atomic, ordered and parallel stages on one queue loses nothing" {
	perf_run perf_atq aop 40000
}

@test "event_dlbk: DPDK's Ethernet Rx adapter autotest passes on dlb, every case" {
	local kb

	# The test's packet pool alone is 524,288 buffers of 2 KiB.
	kb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
	((kb > 3500000)) || fail "the guest has ${kb} kB; the test needs 3.5 GB (vm-run --mem 4096)"
	dpdk_autotest event_eth_rx_adapter_autotest 2600
	assert_output --regexp "Tests Skipped :[[:space:]]+0"
	assert_output --regexp "Tests Passed :[[:space:]]+10"
}

@test "event_dlbk: DPDK's Ethernet Tx adapter autotest passes on dlb, every case" {
	dpdk_autotest event_eth_tx_adapter_autotest 256
	assert_output --regexp "Tests Skipped :[[:space:]]+0"
	assert_output --regexp "Tests Passed :[[:space:]]+7"
}

@test "event_dlbk: DPDK's crypto adapter autotest passes on dlb, skipping only the asymmetric cases crypto_null lacks" {
	dpdk_autotest event_crypto_adapter_autotest 256
	assert_output --regexp "Tests Passed :[[:space:]]+7"
	assert_output --regexp "Tests Skipped :[[:space:]]+4"
	refute_output --regexp "TestCase .* : test_[^a][a-z_]* skipped"
}

@test "event_dlbk: perf_atq fed by DPDK's event timer adapter gets every timer's expiry event, once" {
	# The adapter runs as a service on lcore 1 (EAL takes service lcores
	# only on CPUs the guest has). The single-arm producer retries a
	# failed arm; the burst one ignores what an arm returns, and lost 16
	# timers (one burst, never given to dlb) in one of five runs here.
	TEV_EAL="-s 0x2" \
		test_eventdev --test=perf_atq --plcores=2 --wlcores=3,4 \
		--stlist=o --prod_type_timerdev --nb_timers=20000 \
		--timer_tick_nsec=100000 --max_tmo_nsec=100000000 \
		--expiry_nsec=10000000 --nb_flows=64
	assert_workers_total 20000
	assert_counts 20000 0 20000
}

@test "event_dlbk: perf_atq fed by DPDK's Ethernet Rx adapter from net_null keeps both workers busy until stopped and leaves no domain" {
	local n busy=0

	# net_null is an endless source: the test runs until SIGTERM.
	run timeout -k 20 -s TERM 15 dpdk-test-eventdev --no-huge -m 512 --no-pci \
		--no-shconf --lcores=0@0,1@1,2@0,3@1 -s 0x2 -d "$PLUGIN" \
		--vdev=event_dlbk0,name=rxa --vdev=net_null0 -- \
		--test=perf_atq --wlcores=2,3 --stlist=ap --prod_type_ethdev \
		--nb_flows=64
	echo "$output" | sed 's/\x1b\[[0-9;]*m//g' | grep -v 'mpps avg' | tail -n 8
	assert_failure 124
	assert_output --partial "Rx adapter[0] started"
	assert_output --partial "Signal 15 received"
	refute_output --regexp "error|deadlock|Failed|failed"
	for n in $(worker_packets); do
		((n > 1000)) && busy=$((busy + 1))
	done
	assert_equal "workers with over 1000 packets: $busy" "workers with over 1000 packets: 2"
	assert_equal "$(domains)" ""
}

# interrupt_after SECS CMD...: run CMD, send it one SIGINT after SECS
# seconds (timeout(1) sends two, one to its process group, and the second
# makes eventdev_pipeline exit at once with status 1), give it 20 s to
# exit, and return its status (137 if it had to be killed).
interrupt_after() {
	local secs=$1 pid i

	shift
	"$@" </dev/null &
	pid=$!
	sleep "$secs"
	kill -INT "$pid" 2>/dev/null || true
	for ((i = 0; i < 200; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid"
}

# sample NAME: DPDK's sample application NAME, which scripts/dpdk-sdk
# (run by install-deps) builds from Debian's source of the installed DPDK.
sample() {
	local dir

	dir=$("$DLB_ROOT/scripts/dpdk-sdk" --examples) ||
		fail "DPDK's samples are not built: run scripts/dpdk-sdk"
	echo "$dir/$1"
}

@test "event_dlbk: DPDK's eventdev_pipeline sample moves net_null's packets through two ordered stages, or three atomic ones, and stops cleanly at SIGINT" {
	local prog stages type opts line rx

	prog=$(sample eventdev_pipeline)
	# NIC Rx and Tx as services on lcore 1, workers on lcores 2-4; it runs
	# until a signal.
	while read -r stages type opts; do
		run interrupt_after 15 "$prog" --no-huge -m 512 --no-pci \
			--no-shconf --lcores=0@0,1@1,2@0,3@1,4@0 -d "$PLUGIN" \
			--vdev=event_dlbk0,name=pipeline --vdev=net_null0 -- \
			-r 0x2 -t 0x2 -e 0x2 -w 0x1c -c 16 -f 64 -s "$stages" $opts
		echo "$output" | grep -E 'Stage|thread done|rror' || true
		assert_success
		assert_output --partial "Signal 2 received"
		refute_output --regexp "error|Error|failed"
		assert_equal "$(echo "$output" | grep -c "Type $type")" "$stages"
		rx=0
		while read -r line; do
			[[ $line =~ RX=([0-9]+) ]] && rx=$((rx + BASH_REMATCH[1]))
		done < <(echo "$output" | grep 'thread done')
		((rx > 1000)) || fail "the workers took $rx packets"
		assert_equal "$(domains)" ""
	done <<-EOF
		2 Ordered -o
		3 Atomic
	EOF
}

@test "event_dlbk: DPDK's l2fwd-event sample forwards between two net_null ports through atomic and ordered queues, its adapters dropping nothing, and stops cleanly at SIGINT" {
	local prog sched recv rxdrop txdrop

	prog=$(sample l2fwd-event)
	# The Rx and Tx adapters as services on lcore 1, workers on 2-4.
	for sched in atomic ordered; do
		run interrupt_after 15 "$prog" --no-huge -m 512 --no-pci \
			--no-shconf --lcores=0@0,1@1,2@0,3@1,4@0 -s 0x2 \
			-d "$PLUGIN" --vdev=event_dlbk0,name=l2fwd \
			--vdev=net_null0 --vdev=net_null1 -- -p 0x3 \
			--mode=eventdev --eventq-sched="$sched" -T 5
		# The last statistics, printed at exit.
		recv=$(echo "$output" | sed -n 's/^Total packets received: *//p' | tail -n 1)
		rxdrop=$(echo "$output" | sed -n 's/^Received packet dropped count: *//p' | tail -n 1)
		txdrop=$(echo "$output" | sed -n 's/^Number of packets dropped: *//p' | tail -n 1)
		echo "$sched: received $recv, Rx adapter dropped $rxdrop, Tx adapter dropped $txdrop"
		assert_success
		assert_output --partial "Bye..."
		refute_output --regexp "error|Error|failed"
		((recv > 1000)) || fail "$sched: $recv packets received"
		assert_equal "Rx adapter dropped: $rxdrop" "Rx adapter dropped: 0"
		assert_equal "Tx adapter dropped: $txdrop" "Tx adapter dropped: 0"
		assert_equal "$(domains)" ""
	done
}
