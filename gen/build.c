#include "build.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/buf.h"
#include "../lib/fsx.h"
#include "../lib/routes.h"
#include "../lib/xlsx.h"
#include "changes.h"
#include "content.h"
#include "export.h"
#include "release.h"
#include "index.h"
#include "publish.h"

/* The whole data set's workbook is the biggest single piece of work of a
 * big site's build (deflating one row per measure and scope) and needs
 * nothing the pages make: a thread writes it while the pages are written
 * (lib/xlsx.h), and the site's writer collects it where it would have
 * written it. Same bytes either way. */
static void start_workbook(const char *staging, json_t *doc, const char *tom,
			   size_t tom_len)
{
	tc_buf p = TC_BUF_INIT;
	tc_buf_printf(&p, "%s/%s", staging, tc_route_get(R_TOM_XLSX)->file);
	if (tc_mkdirs_parent(tc_buf_cstr(&p)) == 0)
		tc_xlsx_start(doc, tom, tom_len, tc_buf_cstr(&p));
	tc_buf_free(&p);
}

static void count(const tc_model *m, tc_build_result *r)
{
	for (size_t i = 0; i < m->ncategories; i++) {
		const tc_category *c = &m->categories[i];
		r->measures += c->nmeasures;
		for (size_t k = 0; k < c->nmeasures; k++)
			r->cells += c->tables[c->measures[k].table].nscopes;
	}
}

int tc_build(const tc_build_opts *o, tc_diags *d, tc_build_result *r)
{
	memset(r, 0, sizeof *r);
	tc_model *m = tc_content_load(o->content, d);
	if (!m)
		return -1;
	count(m, r);
	tc_releases rel;
	json_t *data = tc_release_data(m);
	if (tc_releases_load(o->content, &rel, d) +
		tc_releases_check(&rel, m, data, d) >
	    0) {
		json_decref(data);
		tc_releases_free(&rel);
		tc_model_free(m);
		return -1;
	}
	char *schema = tc_export_schema_url(m, "changes");
	tc_history hist = {&rel, json_pack("{s:s}", "$schema", schema)};
	json_t *built = tc_changes_build(&rel, m, data);
	json_object_update(hist.changes, built);
	json_decref(built);
	free(schema);
	json_decref(data);
	json_t *doc = tc_export_json(m);
	size_t tom_len = 0;
	char *tom = doc ? tc_export_text(doc, &tom_len) : NULL;
	int rc = -1;
	char *index_tmp = NULL;
	tc_publish *pub = NULL;
	if (!tom) {
		tc_diags_add(d, o->content, 0, 0,
			     "internal error: the model does not export as "
			     "JSON");
		goto out;
	}
	pub = tc_publish_begin(o->output);
	if (!pub && errno == EWOULDBLOCK) {
		tc_diags_add(d, o->output, 0, 0,
			     "another tc-gen run is publishing it (its lock "
			     "file %s.lock is held)",
			     o->output);
		goto out;
	}
	if (!pub) {
		tc_diags_add(d, o->output, 0, 0,
			     "cannot create a staging folder beside it: %s",
			     strerror(errno));
		goto out;
	}
	const char *staging = tc_publish_staging(pub);
	start_workbook(staging, doc, tom, tom_len);
	if (tc_site_write(m, doc, tom, tom_len, o->templates, staging, &hist, d,
			  &r->site) < 0)
		goto out;
	if (o->index) {
		json_t *page = tc_site_context(m, doc);
		char *changes = json_dumps(hist.changes, JSON_COMPACT |
							       JSON_PRESERVE_ORDER);
		index_tmp = tc_index_write(m, tom, page, changes, o->templates,
					   o->index, d);
		free(changes);
		json_decref(page);
		if (!index_tmp)
			goto out;
	}
	if (tc_publish_commit(pub) < 0) {
		tc_diags_add(d, o->output, 0, 0, "cannot publish: %s",
			     strerror(errno));
		goto out;
	}
	if (index_tmp && tc_index_commit(index_tmp, o->index) < 0) {
		tc_diags_add(d, o->index, 0, 0,
			     "cannot move the new search index into place: %s",
			     strerror(errno));
		goto out;
	}
	rc = 0;
out:
	tc_xlsx_finish(); /* before the staging folder can go */
	if (index_tmp && rc)
		unlink(index_tmp);
	free(index_tmp);
	tc_publish_end(pub);
	free(tom);
	json_decref(doc);
	json_decref(hist.changes);
	tc_releases_free(&rel);
	tc_model_free(m);
	return rc;
}

int tc_build_release(const tc_build_opts *o, tc_diags *d, char **written)
{
	*written = NULL;
	tc_model *m = tc_content_load(o->content, d);
	if (!m)
		return -1;
	tc_releases rel;
	json_t *data = tc_release_data(m);
	int rc = -1;
	/* an already released version is reported by tc_release_write, with
	 * the advice that fits; everything else must be right first */
	if (tc_releases_load(o->content, &rel, d) == 0 &&
	    (tc_releases_find(&rel, m->version) ||
	     tc_releases_check(&rel, m, data, d) == 0)) {
		json_t *doc = tc_export_json(m);
		rc = tc_release_write(o->content, m, doc, d);
		json_decref(doc);
		if (rc == 0) {
			tc_buf p = TC_BUF_INIT;
			tc_buf_printf(&p, "%s/releases/%s.json", o->content,
				      m->version);
			*written = tc_buf_detach(&p);
		}
	}
	json_decref(data);
	tc_releases_free(&rel);
	tc_model_free(m);
	return rc;
}
