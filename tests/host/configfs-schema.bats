#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/host/configfs-schema.bats - configfs-schema/dlb.schema on the host:
# libconfig itself reads it the way scripts/dlb_schema.py does, the schema
# keeps its own rules, and the reference page is generated from it.

load ../lib/common

SCHEMA=configfs-schema/dlb.schema

@test "schema: libconfig and dlb_schema.py read the same attributes" {
	# Dump every attribute's group, name, mode and default with libconfig.
	cat >"$BATS_TEST_TMPDIR/dump.c" <<'C'
#include <libconfig.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	config_setting_t *groups, *g, *attrs, *a;
	const char *gname, *name, *mode, *def;
	config_t cfg;
	int i, j;

	if (argc != 2)
		return 2;
	config_init(&cfg);
	if (!config_read_file(&cfg, argv[1])) {
		fprintf(stderr, "%s:%d: %s\n", argv[1],
			config_error_line(&cfg), config_error_text(&cfg));
		return 1;
	}
	groups = config_lookup(&cfg, "groups");
	for (i = 0; groups && i < config_setting_length(groups); i++) {
		g = config_setting_get_elem(groups, i);
		config_setting_lookup_string(g, "name", &gname);
		attrs = config_setting_get_member(g, "attributes");
		for (j = 0; attrs && j < config_setting_length(attrs); j++) {
			a = config_setting_get_elem(attrs, j);
			config_setting_lookup_string(a, "name", &name);
			config_setting_lookup_string(a, "mode", &mode);
			config_setting_lookup_string(a, "default", &def);
			printf("%s %s %s %s\n", gname, name, mode, def);
		}
	}
	config_destroy(&cfg);
	return 0;
}
C
	cc -Wall -Wextra -o "$BATS_TEST_TMPDIR/dump" "$BATS_TEST_TMPDIR/dump.c" \
		-lconfig
	run "$BATS_TEST_TMPDIR/dump" "$SCHEMA"
	assert_success
	local ours
	ours=$(python3 scripts/dlb_schema.py tsv "$SCHEMA" |
	       awk -F'\t' '{ print $1, $9, $2, $7 }')
	assert_equal "$output" "$ours"
	[[ $(wc -l <<<"$output") -ge 19 ]]
}

@test "schema: dlb_schema.py check accepts the schema and rejects a broken copy" {
	run python3 scripts/dlb_schema.py check "$SCHEMA"
	assert_success
	sed 's/default = "ldb"; frozen/default = "lbd"; frozen/' "$SCHEMA" \
		>"$BATS_TEST_TMPDIR/bad.schema"
	run python3 scripts/dlb_schema.py check "$BATS_TEST_TMPDIR/bad.schema"
	assert_failure
	assert_output --partial "default not among values"
	printf 'groups = ( { name = "x" ' >"$BATS_TEST_TMPDIR/trunc.schema"
	run python3 scripts/dlb_schema.py check "$BATS_TEST_TMPDIR/trunc.schema"
	assert_failure
	assert_output --partial "trunc.schema:1:"
}

@test "schema: the reference page is up to date with the schema" {
	run bash -c "python3 scripts/dlb_schema.py doc $SCHEMA |
		diff -u configfs-schema/README.md -"
	assert_success
}
