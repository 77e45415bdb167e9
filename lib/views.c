#include "views.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "buf.h"
#include "escape.h"
#include "lang.h"

tc_val *tc_view_cell_val(tc_arena *a, const tc_lang *l, tc_status st, tc_resp r,
			 const char *label, const char *note_html,
			 const char *scope, const char *scope_id)
{
	tc_badge b = tc_cell_badge(l, st, r);
	tc_val *v = tc_val_map(a);
	tc_val_set_str(v, "cls", b.cls);
	tc_val_set_str(v, "title", b.title);
	tc_val_set_str(v, "icon", b.icon);
	tc_val_set_bool(v, "other", b.label);
	tc_val_set_str(v, "label", label);
	tc_val_set_str(v, "note_html", note_html);
	tc_val_set_str(v, "resp", tc_resp_id(r));
	tc_val_set_str(v, "resp_title", tc_resp_title(l, r));
	/* who does a free text mark, after it in a sentence ("rootkit tests
	 * (provided by us)"): the phrase, not the badge's title */
	tc_val_set_str(v, "resp_phrase", tc_resp_phrase(l, r));
	if (scope)
		tc_val_set_str(v, "scope", scope);
	if (scope_id)
		tc_val_set_str(v, "scope_id", scope_id);
	return v;
}

/* Where the last word of s[0..n) starts, past an opening bracket or
 * quote: in "(instead: EAC-8" the word "EAC-8". n when there is none (no
 * letter or digit: punctuation is no link text). */
static size_t last_word(const char *s, size_t n)
{
	size_t w = n;
	while (w > 0 && s[w - 1] != ' ' && s[w - 1] != '\t' && s[w - 1] != '\n')
		w--;
	while (w < n && strchr("([{\"'", s[w]))
		w++;
	for (size_t i = w; i < n; i++)
		if (isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)
			return w;
	return n;
}

/* A note of the data is plain text with each link's URL after its text
 * ("see EAC-8 <https://...#EAC-8>"): shown with the word before each URL
 * as its link ("see <a>EAC-8</a>"), so a long URL neither shows nor
 * stretches a phone's page, and paper reads as the source does. Without
 * a word before it, the link reads "(link)". */
void tc_view_data_html(tc_buf *out, const tc_lang *l, const char *s,
		       const char *base)
{
	size_t nb = base ? strlen(base) : 0;
	for (;;) {
		const char *lt = strstr(s, " <");
		const char *u = lt ? lt + 2 : NULL;
		size_t n = u ? strcspn(u, "> \t\n") : 0;
		bool link = u && u[n] == '>' &&
			    (!strncmp(u, "https://", 8) ||
			     !strncmp(u, "http://", 7) || u[0] == '/');
		if (!link) {
			const char *end = lt ? lt + 2 : s + strlen(s);
			tc_esc_html(out, s, (size_t)(end - s));
			if (!lt)
				return;
			s = end;
			continue;
		}
		size_t w = last_word(s, (size_t)(lt - s));
		tc_esc_html(out, s, w);
		tc_buf_puts(out, w == (size_t)(lt - s) ? " <a href=\""
						       : "<a href=\"");
		/* a page of this site: its path, as the site's own links */
		if (nb && n > nb && !strncmp(u, base, nb) && u[nb] == '/') {
			u += nb;
			n -= nb;
		}
		tc_esc_html(out, u, n);
		tc_buf_puts(out, "\">");
		if (w < (size_t)(lt - s))
			tc_esc_html(out, s + w, (size_t)(lt - s) - w);
		else
			tc_esc_html(out, tc_msg(l, "note.link"),
				    strlen(tc_msg(l, "note.link")));
		tc_buf_puts(out, "</a>");
		s = u + n + 1;
	}
}

/* A copy of s in a. */
static const char *own(tc_arena *a, const char *s)
{
	return tc_val_str_value(tc_val_strdup(a, s), NULL);
}

/* The words of a cell of the data, each NULL when it has none. */
typedef struct data_cell {
	const char *status, *resp, *label, *note;
	const char *lang[2]; /* label_lang, note_lang */
} data_cell;

static const char *const lang_keys[] = {"label_lang", "note_lang"};

/* c's view; owned: c's strings are a's already (else copied). */
static tc_val *data_cell_val(tc_arena *a, const tc_lang *l, const data_cell *c,
			     bool owned, const char *scope,
			     const char *scope_id, const char *base)
{
	int st = c->status ? tc_status_from_id(c->status) : -1;
	int rs = c->resp ? tc_resp_from_id(c->resp) : -1;
	tc_buf html = TC_BUF_INIT;
	if (c->note)
		tc_view_data_html(&html, l, c->note, base);
	/* tc_view_cell_val borrows its strings: these are a's own */
	const char *label = c->label ? c->label : "";
	tc_val *v = tc_view_cell_val(
	    a, l, st < 0 ? ST_OTHER : (tc_status)st,
	    rs < 0 ? RS_NONE : (tc_resp)rs, owned ? label : own(a, label),
	    own(a, tc_buf_cstr(&html)), scope ? own(a, scope) : NULL,
	    scope_id ? own(a, scope_id) : NULL);
	tc_buf_free(&html);
	/* words an old release kept in the original's language say so */
	for (size_t i = 0; i < 2; i++)
		if (c->lang[i])
			tc_val_set_str(v, lang_keys[i],
				       owned ? c->lang[i] : own(a, c->lang[i]));
	return v;
}

tc_val *tc_view_data_cell_val(tc_arena *a, const tc_lang *l, json_t *cell,
			      const char *scope, const char *scope_id,
			      const char *base)
{
	data_cell c = {
	    json_string_value(json_object_get(cell, "status")),
	    json_string_value(json_object_get(cell, "responsibility")),
	    json_string_value(json_object_get(cell, "label")),
	    json_string_value(json_object_get(cell, "note")),
	    {json_string_value(json_object_get(cell, lang_keys[0])),
	     json_string_value(json_object_get(cell, lang_keys[1]))}};
	return data_cell_val(a, l, &c, false, scope, scope_id, base);
}

/* A string member of a view as a C string of a's, or NULL. */
static const char *val_cstr(tc_arena *a, const tc_val *m, const char *key)
{
	size_t n;
	const char *s = tc_val_str_value(tc_val_get(m, key), &n);
	return s ? tc_arena_strndup(a, s, n) : NULL;
}

tc_val *tc_view_val_cell_val(tc_arena *a, const tc_lang *l, const tc_val *cell,
			     const char *scope, const char *scope_id,
			     const char *base)
{
	data_cell c = {
	    val_cstr(a, cell, "status"),
	    val_cstr(a, cell, "responsibility"),
	    val_cstr(a, cell, "label"),
	    val_cstr(a, cell, "note"),
	    {val_cstr(a, cell, lang_keys[0]), val_cstr(a, cell, lang_keys[1])}};
	return data_cell_val(a, l, &c, true, scope, scope_id, base);
}

json_t *tc_view_cell_json(const tc_lang *l, json_t *cell, const char *scope,
			  const char *scope_id, const char *base)
{
	tc_arena *a = tc_arena_new(1024);
	json_t *v = tc_val_to_json(
	    tc_view_data_cell_val(a, l, cell, scope, scope_id, base));
	tc_arena_free(a);
	return v;
}

static tc_val *word(tc_arena *a, const char *id, const char *title,
		    const char *icon)
{
	tc_val *v = tc_val_map(a);
	tc_val_set_str(v, "id", id);
	tc_val_set_str(v, "title", title);
	tc_val_set_str(v, "icon", icon);
	return v;
}

tc_val *tc_view_legend_val(tc_arena *a, const tc_lang *l)
{
	tc_val *list = tc_val_list(a);
	for (int s = 0; s < ST__COUNT; s++) {
		tc_badge b = tc_cell_badge(l, (tc_status)s, RS_PROVIDER);
		tc_val_list_push(list, word(a, b.cls, b.title, b.icon));
		if (s == ST_PROVIDED) {
			b = tc_cell_badge(l, ST_PROVIDED, RS_SHARED);
			tc_val_list_push(list, word(a, b.cls, b.title, b.icon));
		}
	}
	return list;
}

tc_val *tc_view_statuses_val(tc_arena *a, const tc_lang *l)
{
	tc_val *list = tc_val_list(a);
	for (int s = 0; s < ST__COUNT; s++)
		tc_val_list_push(list, word(a, tc_status_id((tc_status)s),
					    tc_status_title(l, (tc_status)s),
					    tc_status_icon((tc_status)s)));
	return list;
}

tc_val *tc_view_resps_val(tc_arena *a, const tc_lang *l)
{
	tc_val *list = tc_val_list(a);
	for (int r = 0; r < RS__COUNT; r++) {
		tc_val *v = word(a, tc_resp_id((tc_resp)r),
				 tc_resp_title(l, (tc_resp)r),
				 tc_resp_icon((tc_resp)r));
		tc_val_set_str(v, "phrase", tc_resp_phrase(l, (tc_resp)r));
		tc_val_list_push(list, v);
	}
	return list;
}
