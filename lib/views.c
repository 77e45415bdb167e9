#include "views.h"

#include <string.h>

#include "buf.h"
#include "escape.h"

json_t *tc_view_cell(tc_status st, tc_resp r, const char *label,
		     const char *note_html, const char *scope,
		     const char *scope_id)
{
	tc_badge b = tc_cell_badge(st, r);
	json_t *v = json_pack("{s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:s}", "cls",
			      b.cls, "title", b.title, "icon", b.icon, "other",
			      b.label, "label", label, "note_html", note_html,
			      "resp", tc_resp_id(r), "resp_title",
			      tc_resp_title(r));
	if (v && scope)
		json_object_set_new(v, "scope", json_string(scope));
	if (v && scope_id)
		json_object_set_new(v, "scope_id", json_string(scope_id));
	return v;
}

json_t *tc_view_cell_json(json_t *cell, const char *scope,
			  const char *scope_id)
{
	const char *s = json_string_value(json_object_get(cell, "status"));
	const char *r =
	    json_string_value(json_object_get(cell, "responsibility"));
	const char *label = json_string_value(json_object_get(cell, "label"));
	const char *note = json_string_value(json_object_get(cell, "note"));
	int st = s ? tc_status_from_id(s) : -1;
	int rs = r ? tc_resp_from_id(r) : -1;
	tc_buf html = TC_BUF_INIT;
	if (note)
		tc_esc_html(&html, note, strlen(note));
	json_t *v = tc_view_cell(st < 0 ? ST_OTHER : (tc_status)st,
				 rs < 0 ? RS_NONE : (tc_resp)rs,
				 label ? label : "", tc_buf_cstr(&html), scope,
				 scope_id);
	tc_buf_free(&html);
	return v;
}

json_t *tc_view_legend(void)
{
	json_t *a = json_array();
	for (int s = 0; s < ST__COUNT; s++) {
		tc_badge b = tc_cell_badge((tc_status)s, RS_PROVIDER);
		json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "id",
						   b.cls, "title", b.title,
						   "icon", b.icon));
		if (s == ST_PROVIDED) {
			b = tc_cell_badge(ST_PROVIDED, RS_SHARED);
			json_array_append_new(
			    a, json_pack("{s:s, s:s, s:s}", "id", b.cls,
					 "title", b.title, "icon", b.icon));
		}
	}
	return a;
}

json_t *tc_view_statuses(void)
{
	json_t *a = json_array();
	for (int s = 0; s < ST__COUNT; s++)
		json_array_append_new(
		    a, json_pack("{s:s, s:s, s:s}", "id",
				 tc_status_id((tc_status)s), "title",
				 tc_status_title((tc_status)s), "icon",
				 tc_status_icon((tc_status)s)));
	return a;
}

json_t *tc_view_resps(void)
{
	json_t *a = json_array();
	for (int r = 0; r < RS__COUNT; r++)
		json_array_append_new(
		    a, json_pack("{s:s, s:s, s:s, s:s}", "id",
				 tc_resp_id((tc_resp)r), "title",
				 tc_resp_title((tc_resp)r), "icon",
				 tc_resp_icon((tc_resp)r), "phrase",
				 tc_resp_phrase((tc_resp)r)));
	return a;
}
