// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz.c - libFuzzer target: any text through the parser, the schema
 * checks and the device rules must give errors, never a crash, a leak or
 * undefined behaviour. The schema comes from $DLBCFG_SCHEMA, else from
 * the source tree.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dlbcfg.h"

/* libFuzzer's entry points; it declares them in no header. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct schema *fuzz_schema;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *s = getenv("DLBCFG_SCHEMA");

	(void)argc;
	(void)argv;
	dlbcfg_quiet = true;
	/* no device: the rules use DLB 2.0's totals */
	dlbcfg_opts.sysfs = "/nonexistent-dlbcfg";
	dlbcfg_opts.root = "/nonexistent-dlbcfg";
	fuzz_schema = schema_load(s ? s : "../../configfs-schema/dlb.schema");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct tree *t;

	memcpy(text, data, size);
	text[size] = '\0';
	dlbcfg_errors = 0;
	t = parse_config(fuzz_schema, "fuzz.cfg", text);
	if (t && !dlbcfg_errors)
		rules_check(t);
	if (t) {
		struct strbuf sb = { 0 };

		/* what export would write of it must be writable too */
		export_tree(&sb, t);
		sb_free(&sb);
	}
	tree_free(t);
	free(text);
	return 0;
}
