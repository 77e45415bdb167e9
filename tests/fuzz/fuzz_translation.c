/* fuzz_translation: one translated category file, as bytes, through the
 * translation reader (gen/translate) against the bundled content.
 *
 * The original is content/ (the harness runs from the repository root, as
 * `make fuzz` and `make fuzz-replay` do); the other German files are those
 * of content/de, copied once into a temporary folder where each input
 * becomes content/de/categories/02-electronic-access-control.md. The first
 * byte's low bit turns drafts on, so both paths are explored.
 *
 * Invariants beyond "no crash, no leak, no UB": a translation that loads
 * keeps every mark of the original (status and responsibility of every
 * cell), and every diagnostic is one line of printable text. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../gen/content.h"
#include "../../gen/translate.h"
#include "../../lib/fsx.h"
#include "../../lib/lang.h"
#include "fuzz_diags.h"

static tc_model *orig;
static char dir[64];
static const char *victim = "02-electronic-access-control.md";

static void copy(const char *from, const char *to)
{
	size_t n;
	char *s = tc_read_file(from, &n);
	if (!s || tc_write_file(to, s, n) != 0)
		abort();
	free(s);
}

static void setup(void)
{
	tc_diags *d = tc_diags_new();
	orig = tc_content_load("content", d);
	if (!orig)
		abort();
	tc_diags_free(d);
	snprintf(dir, sizeof dir, "/tmp/tc-fuzz-tr-XXXXXX");
	if (!mkdtemp(dir))
		abort();
	static const char *files[] = {"site.md", "scopes.md", "releases.md",
				      "synonyms.md"};
	char a[512], b[512];
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		snprintf(a, sizeof a, "content/de/%s", files[i]);
		snprintf(b, sizeof b, "%s/de/%s", dir, files[i]);
		copy(a, b);
	}
	for (size_t i = 0; i < orig->ncategories; i++) {
		const char *base = strrchr(orig->categories[i].file, '/') + 1;
		snprintf(a, sizeof a, "content/de/categories/%s", base);
		snprintf(b, sizeof b, "%s/de/categories/%s", dir, base);
		copy(a, b);
	}
}

static void check_marks(const tc_model *t)
{
	for (size_t i = 0; i < orig->ncategories; i++) {
		const tc_category *a = &orig->categories[i],
				  *b = &t->categories[i];
		for (size_t k = 0; k < a->nmeasures; k++) {
			size_t n = a->tables[a->measures[k].table].nscopes;
			for (size_t j = 0; j < n; j++)
				if (a->measures[k].cells[j].status !=
					b->measures[k].cells[j].status ||
				    a->measures[k].cells[j].resp !=
					b->measures[k].cells[j].resp)
					abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static tc_lang de = {"de", "/de", NULL, NULL};
	if (!orig)
		setup();
	char path[512];
	snprintf(path, sizeof path, "%s/de/categories/%s", dir, victim);
	if (tc_write_file(path, (const char *)data, size) != 0)
		abort();
	tc_diags *d = tc_diags_new();
	tc_model *t = tc_translate(orig, dir, &de, size && (data[0] & 1), d);
	if (t)
		check_marks(t);
	fuzz_check_diags(d);
	tc_model_free(t);
	tc_diags_free(d);
	return 0;
}
