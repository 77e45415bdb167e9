/* fuzz_category: one category file, as bytes, through the whole content
 * loader and the export, with no file I/O (tc_content_load_mem).
 *
 * The site.md and scopes.md around it are those of tests/fixtures/mini
 * (without the intro's link, which names a category the input may not
 * have), the scope registry extended by the bundled content's scopes, so
 * the seeds from tests/fixtures/mini and content/ both load.
 *
 * Invariants beyond "no crash, no leak, no UB": a model that loads exports
 * whole (tc_export_json never NULL: that NULL was a blank page or a crash
 * in cell_html), and every diagnostic is one line of printable text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../gen/content.h"
#include "../../gen/export.h"
#include "../../lib/tomdata.h"
#include "fuzz_diags.h"

static const char site_md[] = "---\n"
			      "organisation: Example Hosting\n"
			      "title: Trust Center\n"
			      "version: \"1.0-test\"\n"
			      "date: \"2026-01-31\"\n"
			      "base_url: \"https://trust.example.test\"\n"
			      "---\n"
			      "Intro.\n";

static const char scopes_md[] =
    "---\n"
    "scopes:\n"
    "  - id: box\n"
    "    name: Box\n"
    "    kind: product\n"
    "    managed: true\n"
    "    description: A managed box.\n"
    "  - id: rack\n"
    "    name: Rack\n"
    "    kind: product\n"
    "    description: Your own rack & \"quotes\".\n"
    "  - id: site\n"
    "    name: Site\n"
    "    kind: site\n"
    "    description: Our building.\n"
    "  - id: general\n"
    "    name: General\n"
    "    kind: organisation\n"
    "  - id: colocation\n"
    "    name: Colocation\n"
    "    kind: product\n"
    "    managed: false\n"
    "    description: Rack space in our data centers for hardware the client "
    "owns and runs.\n"
    "  - id: dedicated-servers\n"
    "    name: Dedicated servers\n"
    "    kind: product\n"
    "    managed: false\n"
    "    description: Physical servers rented to one client, who manages them "
    "completely.\n"
    "  - id: cloud-servers\n"
    "    name: Cloud servers\n"
    "    kind: product\n"
    "    managed: false\n"
    "    description: Virtual servers on our cloud infrastructure, managed by "
    "the client.\n"
    "  - id: managed-servers\n"
    "    name: Managed servers\n"
    "    kind: product\n"
    "    managed: true\n"
    "    description: Servers that we administer, maintain and secure for the "
    "client.\n"
    "  - id: web-hosting\n"
    "    name: Web hosting\n"
    "    kind: product\n"
    "    managed: true\n"
    "    description: Shared hosting for websites, run and secured by us.\n"
    "  - id: storage-shares\n"
    "    name: Storage Shares\n"
    "    kind: product\n"
    "    managed: true\n"
    "    description: Managed file sharing and collaboration storage.\n"
    "  - id: storage-boxes\n"
    "    name: Storage Boxes\n"
    "    kind: product\n"
    "    managed: true\n"
    "    description: Managed online storage for backups and files.\n"
    "  - id: object-storage\n"
    "    name: Object Storage\n"
    "    kind: product\n"
    "    managed: false\n"
    "    description: S3-compatible object storage in our cluster system.\n"
    "  - id: data-centers\n"
    "    name: Data centers\n"
    "    kind: site\n"
    "    description: Our data center parks.\n"
    "  - id: admin-buildings\n"
    "    name: Admin buildings\n"
    "    kind: site\n"
    "    description: Our administrative offices.\n"
    "  - id: internal-admin-systems\n"
    "    name: Internal admin systems\n"
    "    kind: internal\n"
    "    description: The systems our own staff use to run the business.\n"
    "  - id: general\n"
    "    name: General\n"
    "    kind: organisation\n"
    "    description: Measures in place across the whole company.\n"
    "  - id: depends-on-product\n"
    "    name: Depends on product\n"
    "    kind: organisation\n"
    "    description: Measures whose availability depends on the product "
    "purchased.\n"
    "---\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const tc_content_file files[] = {
	    {"c/site.md", site_md, sizeof site_md - 1},
	    {"c/scopes.md", scopes_md, sizeof scopes_md - 1},
	    {"c/categories/01-fuzz.md", (const char *)data, size},
	};
	tc_diags *d = tc_diags_new();
	tc_model *m = tc_content_load_mem("c", files, 3, d);
	fuzz_check_diags(d);
	if (m) {
		json_t *doc = tc_export_json(m, tc_lang_default());
		if (!doc)
			abort(); /* a loaded model must export whole */
		size_t len;
		char *tom = tc_export_text(doc, &len);
		if (!tom)
			abort();
		tc_buf csv = TC_BUF_INIT;
		tc_pick *all = tc_pick_all(m);
		tc_model_csv(m, all, tc_lang_default(), ',', &csv, NULL, NULL);
		tc_pick_free(all);
		tc_buf_free(&csv);
		free(tom);
		json_decref(doc);
		tc_model_free(m);
	}
	tc_diags_free(d);
	return 0;
}
