// SPDX-License-Identifier: GPL-2.0
/*
 * Stand-ins for a backend that cannot be built here: event_sw and event_dsw without
 * libdpdk (HAVE_DPDK unset), the engine without module/engine (HAVE_ENGINE
 * unset). The report then says which side was not measured and why.
 */
#include <errno.h>
#include <stdio.h>

#include "bench.h"

#ifndef HAVE_DPDK
/* No init: dlb-bench reports the peer as not built. */
const struct bench_backend bench_event_sw = {
	.name = "event_sw",
};

const struct bench_backend bench_event_dsw = {
	.name = "event_dsw",
};
#endif

#ifndef HAVE_ENGINE
static int stub_init(const char *argv0, const char *args)
{
	(void)argv0;
	(void)args;
	return 0;
}

static int stub_setup(const struct bench_case *c, char *why, size_t len)
{
	(void)c;
	snprintf(why, len, "engine not built: no module/engine");
	return -ENOTSUP;
}

static void stub_teardown(void)
{
}

const struct bench_backend bench_engine = {
	.name = "engine",
	.init = stub_init,
	.setup = stub_setup,
	.teardown = stub_teardown,
};
#endif
