/* fuzz_fixture.h: the prologue of the harnesses that question a real
 * index (fuzz_request, fuzz_xlsxd): a fixture of the repository built and
 * its index opened in LLVMFuzzerInitialize (tests/fixture.h). Header-only:
 * each harness is one file (Makefile). */
#ifndef TC_FUZZ_FIXTURE_H
#define TC_FUZZ_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "../../lib/fsx.h"
#include "../fixture.h"

/* The index of the repository's folder rel (tests/fixtures/mini), built
 * in a temporary folder that is gone when it returns (the open index
 * keeps its file alive); aborts, saying why as the harness who, when
 * there is none. */
static inline ts_index *fuzz_fixture_index(const char *rel, const char *who)
{
	char tmp[] = "/tmp/tc-fuzz-XXXXXX", content[4096], out[64], index[64];
	if (!mkdtemp(tmp))
		abort();
	snprintf(content, sizeof content, "%s/%s", repo_root(), rel);
	snprintf(out, sizeof out, "%s/out", tmp);
	snprintf(index, sizeof index, "%s/search.sqlite", tmp);
	tc_buf err = TC_BUF_INIT;
	ts_index *ix = fixture_index(content, out, index, &err);
	if (!ix)
		fprintf(stderr,
			"%s: no index (run from the repository root or set "
			"TC_ROOT): %s\n",
			who, tc_buf_cstr(&err));
	tc_buf_free(&err);
	tc_rmtree(tmp);
	if (!ix)
		abort();
	return ix;
}

#endif
