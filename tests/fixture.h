/* fixture.h: a site built from a content folder with the repository's
 * templates, and its search index opened: what the search suites
 * (tests/helpers.h) and the harnesses that question a real index
 * (tests/fuzz/fuzz_fixture.h) start from. Header-only and without cmocka,
 * so that both can include it. */
#ifndef TC_TEST_FIXTURE_H
#define TC_TEST_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "../cgi/search.h"
#include "../gen/build.h"
#include "../lib/buf.h"
#include "../lib/diag.h"

/* The repository root, where the tests find content/ and templates/:
 * $TC_ROOT, or the current folder. */
static inline const char *repo_root(void)
{
	const char *r = getenv("TC_ROOT");
	return r && *r ? r : ".";
}

/* Builds the content folder content (a path) with the repository's
 * templates into output, its search index at index; the diagnostics go to
 * stderr. Returns tc_build's 0 or -1. */
static inline int fixture_build(const char *content, const char *output,
				const char *index)
{
	char templates[4096];
	snprintf(templates, sizeof templates, "%s/templates", repo_root());
	tc_build_opts o = {.content = content,
			   .templates = templates,
			   .output = output,
			   .index = index};
	tc_diags *d = tc_diags_new();
	tc_build_result r;
	int rc = tc_build(&o, d, &r);
	tc_diags_print(d, stderr);
	tc_diags_free(d);
	return rc;
}

/* fixture_build, then its index opened; NULL when either fails, with
 * ts_index_open's reason in err (when err is not NULL). Close with
 * ts_index_close. */
static inline ts_index *fixture_index(const char *content, const char *output,
				      const char *index, tc_buf *err)
{
	tc_buf e = TC_BUF_INIT;
	ts_index *x = fixture_build(content, output, index)
			  ? NULL
			  : ts_index_open(index, err ? err : &e);
	tc_buf_free(&e);
	return x;
}

#endif
