#include "openapi.h"

#include <string.h>

#include "../lib/buf.h"
#include "../lib/formats.h"
#include "../lib/vocab.h"
#include "annex.h"
#include "endpoints.h"

static json_t *ids_of(json_t *list, const char *kind)
{
	json_t *out = json_array(), *v;
	size_t i;
	json_array_foreach (list, i, v) {
		const char *k = json_string_value(json_object_get(v, "kind"));
		if (!kind || (k && !strcmp(k, kind)))
			json_array_append(out, json_object_get(v, "id"));
	}
	return out;
}

json_t *ts_param_schema(ts_param p, json_t *doc, json_t *changes, json_t *langs)
{
	json_t *e;
	switch (p) {
	case P_Q:
		/* v_query: at most TS_MAX_QUERY bytes, a letter or digit
		 * (any non-ASCII character counts as a letter) */
		return json_pack("{s:s, s:i, s:i, s:s}", "type", "string",
				 "minLength", 1, "maxLength", TS_MAX_QUERY,
				 "pattern", "[0-9A-Za-z\\u0080-\\uFFFF]");
	case P_PRODUCT:
		return json_pack(
		    "{s:s, s:o}", "type", "string", "enum",
		    ids_of(json_object_get(doc, "scopes"), "product"));
	case P_CATEGORY:
		return json_pack(
		    "{s:s, s:o}", "type", "string", "enum",
		    ids_of(json_object_get(doc, "categories"), NULL));
	case P_STATUS:
		e = json_array();
		for (int s = 0; s < ST__COUNT; s++)
			json_array_append_new(
			    e, json_string(tc_status_id((tc_status)s)));
		return json_pack("{s:s, s:o}", "type", "string", "enum", e);
	case P_RESP:
		/* v_resp: one or more, comma-separated (style form, not
		 * exploded: the parameter's description says so) */
		e = json_array();
		for (int r = 0; r < RS__COUNT; r++)
			json_array_append_new(
			    e, json_string(tc_resp_id((tc_resp)r)));
		return json_pack("{s:s, s:i, s:{s:s, s:o}}", "type", "array",
				 "minItems", 1, "items", "type", "string",
				 "enum", e);
	case P_LIMIT:
		return json_pack("{s:s, s:i, s:i, s:i}", "type", "integer",
				 "minimum", 1, "maximum", TS_LIMIT_MAX,
				 "default", 20);
	case P_OFFSET:
		return json_pack("{s:s, s:i, s:i, s:i}", "type", "integer",
				 "minimum", 0, "maximum", TS_OFFSET_MAX,
				 "default", 0);
	case P_FORMAT:
		/* params.c's v_format accepts exactly these (lib/formats.h;
		 * tests/test_formats.c) */
		e = json_array();
		for (int f = 0; f < TC_FMT__COUNT; f++)
			if (tc_format_get((tc_format)f)->search)
				json_array_append_new(
				    e, json_string(
					   tc_format_get((tc_format)f)->id));
		return json_pack("{s:s, s:o, s:s}", "type", "string", "enum", e,
				 "default", "json");
	case P_SINCE:
		/* v_version checks the form; do_changes that it is one of
		 * the versions, which the description lists */
		if (!changes)
			return json_pack("{s:s, s:s}", "type", "string",
					 "pattern", "^[A-Za-z0-9._-]{1,40}$");
		e = json_array();
		size_t i;
		json_t *r;
		json_array_foreach (json_object_get(changes, "releases"), i, r)
			json_array_append(e, json_object_get(r, "version"));
		return json_pack("{s:s, s:o}", "type", "string", "enum", e);
	case P_LANG:
		/* v_lang checks the form; ts_handle that the site has it */
		if (!langs)
			return json_pack("{s:s, s:s}", "type", "string",
					 "pattern", "^[a-z]{2}$");
		return json_pack("{s:s, s:O, s:O}", "type", "string", "enum",
				 langs, "default", json_array_get(langs, 0));
	case P__COUNT: break;
	}
	return json_object();
}

static const char *param_doc[P__COUNT] = {
    [P_Q] = "Words to find, ANDed; each is a prefix, stemming applies, "
	    "\"quoted words\" match as a phrase. At most 200 bytes of UTF-8, "
	    "with at least one letter or digit.",
    [P_PRODUCT] = "Only what concerns this product: its own cells, and "
		  "site and organisation-wide measures whole; a search finds "
		  "only the certificates and subprocessors that cover or "
		  "serve it, and its own DPA annex.",
    [P_CATEGORY] = "Only this category's measures.",
    [P_STATUS] = "Only cells with this status (so only measures).",
    [P_RESP] = "Only cells with one of these responsibilities, "
	       "comma-separated: client,shared is what is the client's, "
	       "wholly or in part (so only measures).",
    [P_LIMIT] = "How many results, 1 to 100.",
    [P_OFFSET] = "How many results to skip, for paging.",
    /* P_FORMAT: from lib/formats.h (param_words) */
    [P_SINCE] = "A released version: the changes after it, newest first.",
    [P_LANG] = "The language of the answer's words and of the search: the "
	       "site's own language by default; German (de) is stemmed, "
	       "with umlauts matching their transliterations (Schluessel "
	       "finds Schlüssel).",
};

/* A shared parameter is required when every endpoint that takes it
 * requires it (q for search, since for changes). */
static int required_everywhere(ts_param p)
{
	size_t n;
	const ts_endpoint *eps = ts_endpoints(&n);
	int seen = 0;
	for (size_t i = 0; i < n; i++)
		if (eps[i].allowed & TS_BIT(p)) {
			if (!(eps[i].required & TS_BIT(p)))
				return 0;
			seen = 1;
		}
	return seen;
}

/* What the description says of p: "json (the shape of ...), csv (...) or
 * xlsx (...)." for the formats. */
static void param_words(ts_param p, tc_buf *out)
{
	if (p != P_FORMAT) {
		tc_buf_puts(out, param_doc[p]);
		return;
	}
	tc_format_search_ids(out, true);
	tc_buf_putc(out, '.');
}

static json_t *parameter(ts_param p, json_t *doc, json_t *changes,
			 json_t *langs, int required)
{
	tc_buf words = TC_BUF_INIT;
	param_words(p, &words);
	json_t *o = json_pack(
	    "{s:s, s:s, s:s, s:b, s:o}", "name", ts_param_name(p), "in",
	    "query", "description", tc_buf_cstr(&words), "required", required,
	    "schema", ts_param_schema(p, doc, changes, langs));
	tc_buf_free(&words);
	/* params.c: an empty value is as good as none (HTML forms send
	 * empty selects); for a required one that is a 400 */
	if (!required)
		json_object_set_new(o, "allowEmptyValue", json_true());
	/* an array in one comma-separated value: a=x,y */
	if (p == P_RESP) {
		json_object_set_new(o, "style", json_string("form"));
		json_object_set_new(o, "explode", json_false());
	}
	return o;
}

static json_t *ref(const char *fmt, const char *name)
{
	tc_buf r = TC_BUF_INIT;
	tc_buf_printf(&r, fmt, name);
	json_t *o = json_pack("{s:s}", "$ref", tc_buf_cstr(&r));
	tc_buf_free(&r);
	return o;
}

static json_t *ok_response(const ts_endpoint *e)
{
	json_t *content = json_object();
	json_object_set_new(
	    content, "application/json",
	    json_pack("{s:o}", "schema",
		      e->schema ? ref("schema/%s.schema.json", e->schema)
				: json_pack("{s:s}", "type", "object")));
	if (e->html)
		json_object_set_new(
		    content, "text/html",
		    json_pack("{s:{s:s}}", "schema", "type", "string"));
	/* an endpoint that takes format= answers each format of
	 * lib/formats.h it names (JSON's is above) */
	int fmts = (e->allowed & TS_BIT(P_FORMAT)) != 0;
	for (int f = 0; fmts && f < TC_FMT__COUNT; f++) {
		const tc_format_info *fi = tc_format_get((tc_format)f);
		if (!fi->search || json_object_get(content, fi->media))
			continue;
		json_t *s = json_pack("{s:s}", "type", "string");
		if (fi->binary)
			json_object_set_new(s, "contentMediaType",
					    json_string(fi->media));
		json_object_set_new(content, fi->media,
				    json_pack("{s:o}", "schema", s));
	}
	const char *desc =
	    !strcmp(e->path, "/api/search")
		? "The matches, best first: certificates, subprocessors, "
		  "data locations and pages (each with a kind), then the "
		  "measures; an HTML results page when the request accepts "
		  "text/html."
	    : !strcmp(e->path, "/api/export")
		? "The filtered data set as an attachment, in the shape of "
		  "api/tom.json, as CSV or as an Excel workbook."
		: "OK.";
	return json_pack(
	    "{s:s, s:{s:{s:s, s:{s:s}}}, s:o}", "description", desc, "headers",
	    "ETag", "description",
	    "Changes with the data; send it back in If-None-Match.", "schema",
	    "type", "string", "content", content);
}

static json_t *operation(const ts_endpoint *e, int head, json_t *doc,
			 json_t *changes, json_t *langs)
{
	json_t *params = json_array();
	for (int p = 0; p < P__COUNT; p++) {
		if (!(e->allowed & TS_BIT(p)))
			continue;
		/* q is required by search, optional for export: a parameter
		 * whose "required" differs from the shared one is written out
		 * here */
		int req = (e->required & TS_BIT(p)) != 0;
		json_array_append_new(
		    params,
		    req == required_everywhere((ts_param)p)
			? ref("#/components/parameters/%s",
			      ts_param_name((ts_param)p))
			: parameter((ts_param)p, doc, changes, langs, req));
	}
	json_t *responses = json_object();
	json_object_set_new(responses, "200", ok_response(e));
	json_object_set_new(responses, "304",
			    ref("#/components/responses/%s", "NotModified"));
	/* even without parameters: an unknown one is refused */
	json_object_set_new(responses, "400",
			    ref("#/components/responses/%s", "BadRequest"));
	/* a GET or HEAD never gets it, the same path with another method
	 * does */
	json_object_set_new(
	    responses, "405",
	    ref("#/components/responses/%s", "MethodNotAllowed"));
	/* every endpoint: a broken index, an answer that fails its last
	 * check; the export also a workbook that cannot be written now */
	json_object_set_new(responses, "503",
			    ref("#/components/responses/%s", "Unavailable"));
	tc_buf id = TC_BUF_INIT, sum = TC_BUF_INIT;
	/* "/api/openapi.json" -> "openapi" */
	const char *name = e->path + 5;
	size_t n = strcspn(name, ".");
	tc_buf_printf(&id, "%s%.*s", head ? "head-" : "", (int)n, name);
	tc_buf_printf(&sum, "%s%s", e->summary, head ? " (headers only)" : "");
	json_t *op = json_pack("{s:s, s:s, s:s, s:o, s:o}", "operationId",
			       tc_buf_cstr(&id), "summary", tc_buf_cstr(&sum),
			       "description",
			       "Parameters unknown to the endpoint, given "
			       "twice, badly percent-encoded or not UTF-8 are "
			       "refused with 400. Any method but GET and HEAD "
			       "is answered 405 (components/responses/"
			       "MethodNotAllowed).",
			       "parameters", params, "responses", responses);
	tc_buf_free(&id);
	tc_buf_free(&sum);
	return op;
}

/* POST /api/annex: a form in, a PDF out (cgi/annex.h), its limits from
 * the form's own table. */
static json_t *annex_operation(const ts_endpoint *e, json_t *doc, json_t *langs)
{
	json_t *prods = json_array(), *props = json_object();
	size_t i;
	json_t *sc;
	json_array_foreach (json_object_get(doc, "scopes"), i, sc)
		if (!strcmp(json_string_value(json_object_get(sc, "kind")),
			    "product"))
			json_array_append(prods, json_object_get(sc, "id"));
	static const char *desc[AF__COUNT] = {
	    [AF_PRODUCT] = "A product the annex is for; repeat it for each.",
	    [AF_VERSION] = "current (the default) or a released version "
			   "(api/versions.json).",
	    [AF_NAME] = "The controller's name (required).",
	    [AF_ADDRESS] = "The controller's address; line breaks allowed "
			   "(at most 8 lines).",
	    [AF_CONTACT] = "The contact person.",
	    [AF_EMAIL] = "The contact's e-mail address.",
	    [AF_NUMBER] = "A customer or contract number.",
	    [AF_DATE] = "The date of generation printed on it (YYYY-MM-DD, "
			"not before the version's date); default: the "
			"version's date.",
	    [AF_LANG] = "The document's language (and the errors'); default: "
			"the site's first.",
	};
	for (int f = 0; f < AF__COUNT; f++) {
		json_t *p = json_pack(
		    "{s:s, s:s, s:I}", "type", "string", "description", desc[f],
		    "maxLength",
		    (json_int_t)ts_annex_field_max((ts_annex_field)f));
		if (f == AF_PRODUCT) {
			json_object_set(p, "enum", prods);
			p = json_pack("{s:s, s:o, s:I, s:s}", "type", "array",
				      "items", p, "maxItems",
				      (json_int_t)TS_ANNEX_MAX_PRODUCTS,
				      "description", desc[f]);
		} else if (f == AF_LANG && langs) {
			json_object_set(p, "enum", langs);
		} else if (f == AF_DATE) {
			json_object_set_new(p, "format", json_string("date"));
		} else if (f == AF_EMAIL) {
			json_object_set_new(p, "format", json_string("email"));
		}
		json_object_set_new(props,
				    ts_annex_field_name((ts_annex_field)f), p);
	}
	json_decref(prods);
	json_t *body = json_pack(
	    "{s:b, s:{s:{s:{s:s, s:[s,s], s:o}, s:{s:{s:s}}}}}", "required", 1,
	    "content", "application/x-www-form-urlencoded", "schema", "type",
	    "object", "required", "name", "product", "properties", props,
	    "encoding", "product", "style", "form");
	json_t *responses = json_pack(
	    "{s:{s:s, s:{s:{s:{s:s, s:s}}}}, s:o, s:o, s:o, s:o}", "200",
	    "description",
	    "The annex as a PDF (an attachment): the same form gives the same "
	    "bytes and the same document ID.",
	    "content", "application/pdf", "schema", "type", "string",
	    "contentMediaType", "application/pdf", "400",
	    ref("#/components/responses/%s", "BadRequest"), "405",
	    ref("#/components/responses/%s", "MethodNotAllowed"), "413",
	    ref("#/components/responses/%s", "TooLarge"), "503",
	    ref("#/components/responses/%s", "Unavailable"));
	return json_pack(
	    "{s:s, s:s, s:s, s:o, s:o}", "operationId", "annex", "summary",
	    e->summary, "description",
	    "The form of the site's /dpa/ page. Every field is UTF-8 without "
	    "control or bidirectional formatting characters, within its "
	    "maxLength (bytes); an unknown field, a field given twice, an "
	    "unknown product or version or a missing name is a 400 naming the "
	    "field in the form's language. A body over 32768 bytes is a 413, "
	    "refused before it is read. Nothing of the form is stored or "
	    "logged. Any method but POST is answered 405.",
	    "requestBody", body, "responses", responses);
}

static json_t *error_response(const char *desc)
{
	json_t *err = ref("schema/%s.schema.json", "error");
	return json_pack("{s:s, s:{s:{s:o}, s:{s:{s:s}}}}", "description", desc,
			 "content", "application/json", "schema", err,
			 "text/html", "schema", "type", "string");
}

json_t *ts_openapi(json_t *doc, json_t *changes, json_t *langs,
		   const char *base_url)
{
	size_t n;
	const ts_endpoint *eps = ts_endpoints(&n);
	json_t *paths = json_object();
	for (size_t i = 0; i < n; i++)
		json_object_set_new(
		    paths, eps[i].path,
		    eps[i].post
			? json_pack("{s:o}", "post",
				    annex_operation(&eps[i], doc, langs))
			: json_pack(
			      "{s:o, s:o}", "get",
			      operation(&eps[i], 0, doc, changes, langs),
			      "head",
			      operation(&eps[i], 1, doc, changes, langs)));
	json_t *params = json_object();
	for (int p = 0; p < P__COUNT; p++)
		json_object_set_new(
		    params, ts_param_name((ts_param)p),
		    parameter((ts_param)p, doc, changes, langs,
			      required_everywhere((ts_param)p)));
	json_t *responses = json_pack(
	    "{s:o, s:o, s:o, s:o, s:{s:s}}", "BadRequest",
	    error_response("A parameter is unknown to the endpoint, missing, "
			   "given twice, badly encoded, or refused by its "
			   "rule; the message says which and why."),
	    "MethodNotAllowed",
	    error_response("Only GET and HEAD are allowed, or only POST for "
			   "/api/annex (header Allow)."),
	    "TooLarge",
	    error_response("The form is larger than its limit; it was not "
			   "read."),
	    "Unavailable",
	    error_response("The search index is broken (the message says "
			   "how; /api/health answers 503 too), an answer "
			   "failed its last check before it was sent, or a "
			   "workbook could not be written now; try again "
			   "(header Retry-After)."),
	    "NotModified", "description",
	    "The copy the client has (If-None-Match) is current.");
	const char *org =
	    json_string_value(json_object_get(doc, "organisation"));
	tc_buf title = TC_BUF_INIT, url = TC_BUF_INIT;
	tc_buf_printf(&title, "%s trust center API", org ? org : "");
	tc_buf_puts(&url, base_url && *base_url ? base_url : "/");
	json_t *o = json_pack(
	    "{s:s, s:{s:s, s:s, s:s}, s:[{s:s}], s:[], s:o, "
	    "s:{s:o, s:o}}",
	    "openapi", "3.1.0", "info", "title", tc_buf_cstr(&title), "version",
	    json_string_value(json_object_get(doc, "version")), "description",
	    "Search and filtered downloads of the technical and organisational "
	    "measures (TOMs), and a customer's DPA annex made from a form. "
	    "Public: no authentication, any origin may read it (CORS). The "
	    "static downloads (api/tom.json, .csv, .xlsx, "
	    "api/oscal/) are listed on /api/.",
	    "servers", "url", tc_buf_cstr(&url), "security", "paths", paths,
	    "components", "parameters", params, "responses", responses);
	tc_buf_free(&title);
	tc_buf_free(&url);
	return o;
}
