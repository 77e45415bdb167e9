/* fuzz_schemas: the /api/ page's two inputs from templates/, as bytes,
 * through the doors tc-gen reads them by (gen/apidoc.h). The first byte
 * chooses: even, the input is a language's schema words
 * (templates/i18n/xx.schemas.json, read as a source by tc_apidoc_words);
 * odd, it is a JSON Schema (templates/schema/<name>.schema.json, read by
 * tc_apidoc_load beside seven plain ones, and its field reference built by
 * tc_apidoc_fields as the /api/ page builds it).
 *
 * Invariants beyond "no crash, no leak, no UB": words that load are a flat
 * object of strings of 1 to TC_MAX_MSG_BYTES bytes; a schema that loads
 * has fewer than TC_APIDOC_MAX_FIELDS rows in its field reference, and any
 * schema's reference stops at that many; every row's path, type and
 * description are strings; every diagnostic is one line of printable
 * text. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../gen/apidoc.h"
#include "../../gen/content.h"
#include "../../lib/fsx.h"
#include "../../lib/lang.h"
#include "fuzz_diags.h"

static tc_model *model;
static char dir[64];

static void setup(void)
{
	tc_diags *d = tc_diags_new();
	model = tc_content_load("tests/fixtures/mini", d);
	if (!model)
		abort();
	tc_diags_free(d);
	snprintf(dir, sizeof dir, "/tmp/tc-fuzz-sch-XXXXXX");
	if (!mkdtemp(dir))
		abort();
	char p[128];
	snprintf(p, sizeof p, "%s/i18n", dir);
	if (mkdir(p, 0700) != 0)
		abort();
	snprintf(p, sizeof p, "%s/schema", dir);
	if (mkdir(p, 0700) != 0)
		abort();
	for (const char *const *n = tc_apidoc_names + 1; *n; n++) {
		snprintf(p, sizeof p, "%s/schema/%s.schema.json", dir, *n);
		if (tc_write_file(p, "{\"properties\": {}}", 18) != 0)
			abort();
	}
}

static void check_fields(json_t *schema, int loaded)
{
	json_t *f = tc_apidoc_fields(schema, tc_lang_default());
	size_t n = json_array_size(f);
	if (n > TC_APIDOC_MAX_FIELDS || (loaded && n >= TC_APIDOC_MAX_FIELDS))
		abort();
	size_t i;
	json_t *row;
	json_array_foreach (f, i, row) {
		if (!json_is_string(json_object_get(row, "path")) ||
		    !json_is_string(json_object_get(row, "type")) ||
		    !json_is_string(json_object_get(row, "description")))
			abort();
	}
	json_decref(f);
}

static void words(const uint8_t *data, size_t size, tc_diags *d)
{
	char p[128];
	snprintf(p, sizeof p, "%s/i18n/xx.schemas.json", dir);
	if (tc_write_file(p, (const char *)data, size) != 0)
		abort();
	json_t *w = tc_apidoc_words(dir, "xx", d);
	const char *k;
	json_t *v;
	json_object_foreach (w, k, v) {
		if (!json_is_string(v) || !*json_string_value(v) ||
		    json_string_length(v) > TC_MAX_MSG_BYTES)
			abort();
		if (tc_apidoc_word(w, k) != json_string_value(v))
			abort();
	}
	json_decref(w);
}

static void schema(const uint8_t *data, size_t size, tc_diags *d)
{
	char p[128];
	snprintf(p, sizeof p, "%s/schema/%s.schema.json", dir,
		 tc_apidoc_names[0]);
	if (tc_write_file(p, (const char *)data, size) != 0)
		abort();
	json_t *all = tc_apidoc_load(model, dir, d);
	json_t *mine = json_object_get(all, tc_apidoc_names[0]);
	if (all && !mine)
		abort();
	if (mine)
		check_fields(mine, 1);
	json_decref(all);
	/* whatever the loader thought of it: the reference stays bounded */
	json_t *any = json_loadb((const char *)data, size, 0, NULL);
	if (any)
		check_fields(any, 0);
	json_decref(any);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!model)
		setup();
	if (size < 1)
		return 0;
	tc_diags *d = tc_diags_new();
	if (data[0] & 1)
		schema(data + 1, size - 1, d);
	else
		words(data + 1, size - 1, d);
	fuzz_check_diags(d);
	tc_diags_free(d);
	return 0;
}
