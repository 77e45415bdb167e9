/* lib/vocab, lib/routes, lib/views: the words, the one responsibility
 * rule, and the route table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/lang.h"
#include "../lib/routes.h"
#include "../lib/views.h"
#include "../lib/vocab.h"

/* A mark in a sentence of another language: a word or letter mark is its
 * status's icon (where it sits), ✓ and free text stay; English keeps it. */
static void marks_shown(void **state)
{
	(void)state;
	const tc_marks *en = tc_marks_for("en");
	assert_non_null(en);
	assert_string_equal(
	    tc_mark_shown(tc_lang_default(), en, "NA", ST_NOT_APPLICABLE),
	    "NA");
	assert_string_equal(
	    tc_mark_shown(tc_lang_default(), en, "X", ST_NOT_AT_LEVEL), "X");
	tc_lang de = {"de", "/de", NULL, NULL};
	assert_string_equal(tc_mark_shown(&de, en, "X", ST_NOT_PROVIDED),
			    "\xe2\x9c\x97");
	assert_string_equal(tc_mark_shown(&de, en, "X", ST_NOT_AT_LEVEL),
			    "\xe2\x97\x8b");
	assert_string_equal(tc_mark_shown(&de, en, "NA", ST_NOT_APPLICABLE),
			    "\xe2\x80\x93");
	assert_string_equal(
	    tc_mark_shown(&de, en, "Client's responsibility", ST_CLIENT),
	    "\xe2\x97\x86");
	assert_string_equal(
	    tc_mark_shown(&de, en, "See product description", ST_SEE_PRODUCT),
	    "\xe2\x86\x92");
	assert_string_equal(tc_mark_shown(&de, en, "yes", ST_PROVIDED),
			    "\xe2\x9c\x93");
	assert_string_equal(
	    tc_mark_shown(&de, en, "\xe2\x9c\x93", ST_SEE_PRODUCT),
	    "\xe2\x9c\x93");
	/* free text, and a mark with more after it, are the translation's */
	assert_string_equal(
	    tc_mark_shown(&de, en, "X.509-Zertifikate", ST_OTHER),
	    "X.509-Zertifikate");
	assert_string_equal(tc_mark_shown(&de, en, "NA-Zone", ST_OTHER),
			    "NA-Zone");
}

static void words_round_trip(void **state)
{
	(void)state;
	for (int s = 0; s < ST__COUNT; s++)
		assert_int_equal(tc_status_from_id(tc_status_id((tc_status)s)),
				 s);
	for (int r = 0; r < RS__COUNT; r++)
		assert_int_equal(tc_resp_from_id(tc_resp_id((tc_resp)r)), r);
	assert_int_equal(tc_resp_from_id("somebody"), -1);
	assert_string_equal(tc_plural(1, "measure", "measures"), "measure");
	assert_string_equal(tc_plural(0, "measure", "measures"), "measures");
}

static void meaning(void **state)
{
	(void)state;
	static const struct {
		tc_status mark;
		tc_cell_where w;
		tc_status st;
		tc_resp r;
	} cases[] = {
	    {ST_PROVIDED, {0}, ST_PROVIDED, RS_PROVIDER},
	    /* a client duty's ✓ is the client's */
	    {ST_PROVIDED, {.client_duty = true}, ST_CLIENT, RS_CLIENT},
	    {ST_PROVIDED, {.shared = true}, ST_PROVIDED, RS_SHARED},
	    {ST_NOT_PROVIDED, {0}, ST_NOT_PROVIDED, RS_NONE},
	    /* a level column's X is "not at this level", never "not
	     * provided" */
	    {ST_NOT_PROVIDED, {.level = true}, ST_NOT_AT_LEVEL, RS_NONE},
	    {ST_NOT_PROVIDED,
	     {.level = true, .per_product = true},
	     ST_NOT_AT_LEVEL,
	     RS_NONE},
	    {ST_PROVIDED, {.level = true}, ST_PROVIDED, RS_PROVIDER},
	    {ST_PROVIDED,
	     {.level = true, .per_product = true},
	     ST_SEE_PRODUCT,
	     RS_SEE_PRODUCT},
	    {ST_NOT_APPLICABLE,
	     {.client_duty = true},
	     ST_NOT_APPLICABLE,
	     RS_NONE},
	    {ST_CLIENT, {0}, ST_CLIENT, RS_CLIENT},
	    {ST_SEE_PRODUCT, {0}, ST_SEE_PRODUCT, RS_SEE_PRODUCT},
	    {ST_OTHER, {0}, ST_OTHER, RS_PROVIDER},
	    {ST_OTHER, {.client_duty = true}, ST_OTHER, RS_CLIENT},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		tc_status st;
		tc_resp r;
		tc_cell_meaning(cases[i].mark, cases[i].w, &st, &r);
		if (st != cases[i].st || r != cases[i].r)
			print_error("case %zu\n", i);
		assert_int_equal(st, cases[i].st);
		assert_int_equal(r, cases[i].r);
	}
	tc_resp a[] = {RS_NONE, RS_PROVIDER, RS_SHARED};
	assert_int_equal(tc_resp_combine(a, 3), RS_SHARED);
	assert_int_equal(tc_resp_combine(a, 2), RS_PROVIDER);
	assert_int_equal(tc_resp_combine(a, 1), RS_NONE);
	assert_int_equal(tc_resp_combine(NULL, 0), RS_NONE);
	assert_true(tc_concerns(false, false));
	assert_true(tc_concerns(true, true));
	assert_false(tc_concerns(true, false));
}

/* Free text counts as done by us: near-marks are caught, words are not. */
static void suspect_marks(void **state)
{
	(void)state;
	static const struct {
		const char *text, *meant; /* meant NULL: real free text */
	} cases[] = {
	    {"N/A", "NA"},
	    {"n.a.", "NA"},
	    {"NA.", "NA"},
	    {"not applicable", "NA"},
	    {"No", "X"},
	    {"Yes!", "\xe2\x9c\x93"},
	    {"Clients responsibility", "Client's responsibility"},
	    {"Customer responsibility", "Client's responsibility"},
	    {"see product", "See product description"},
	    {"\xe2\x9c\x97", ""},             /* ✗ */
	    {"\xe2\x9c\x94\xef\xb8\x8f", ""}, /* ✔️ */
	    {"\xf0\x9f\x9a\xab", ""},         /* 🚫 */
	    {"-", ""},
	    {"?", ""},
	    {"rootkit tests", NULL},
	    {"RAID-based storage backend", NULL},
	    {"\xc3\x9c"
	     "berwachung",
	     NULL}, /* Überwachung */
	    {"No logs", NULL},
	    {"2FA", NULL},
	    {"\xe2\x9c\x97 \xc3\xa4", NULL}, /* a letter: words */
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const char *got =
		    tc_mark_suspect(tc_marks_for("en"), cases[i].text);
		if (!cases[i].meant)
			assert_null(got);
		else
			assert_string_equal(got, cases[i].meant);
	}
}

/* How much is the client's: none, part (shared), all. */
static void moves(void **state)
{
	(void)state;
	static const struct {
		tc_resp from, to;
		tc_move want;
		const char *id, *words;
	} cases[] = {
	    {RS_PROVIDER, RS_CLIENT, MV_TO_CLIENT, "to-client",
	     "Becomes your job"},
	    {RS_SHARED, RS_CLIENT, MV_TO_CLIENT, "to-client",
	     "Becomes your job"},
	    {RS_NONE, RS_SHARED, MV_PARTLY_TO_CLIENT, "partly-to-client",
	     "Becomes partly your job"},
	    {RS_CLIENT, RS_SHARED, MV_PARTLY_FROM_CLIENT, "partly-from-client",
	     "Only partly your job now"},
	    {RS_CLIENT, RS_NONE, MV_FROM_CLIENT, "from-client",
	     "No longer your job"},
	    {RS_SHARED, RS_PROVIDER, MV_FROM_CLIENT, "from-client",
	     "No longer your job"},
	    {RS_PROVIDER, RS_SEE_PRODUCT, MV_NONE, "", ""},
	    {RS_CLIENT, RS_CLIENT, MV_NONE, "", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		tc_move m = tc_resp_move(cases[i].from, cases[i].to);
		assert_int_equal(m, cases[i].want);
		assert_string_equal(tc_move_id(m), cases[i].id);
		assert_string_equal(tc_move_words(tc_lang_default(), m),
				    cases[i].words);
		assert_int_equal(tc_move_to_client(m),
				 m == MV_TO_CLIENT || m == MV_PARTLY_TO_CLIENT);
	}
}

static void badges(void **state)
{
	(void)state;
	tc_badge b = tc_cell_badge(tc_lang_default(), ST_PROVIDED, RS_SHARED);
	assert_string_equal(b.cls, "shared");
	b = tc_cell_badge(tc_lang_default(), ST_CLIENT, RS_CLIENT);
	assert_string_equal(b.title, "Client's responsibility");
	b = tc_cell_badge(tc_lang_default(), ST_OTHER, RS_PROVIDER);
	assert_true(b.label);
	json_t *cell = json_pack("{s:s, s:s, s:s, s:s}", "status", "provided",
				 "responsibility", "shared", "label", "✓",
				 "note", "<b>part</b>");
	json_t *v =
	    tc_view_cell_json(tc_lang_default(), cell, "Box", "box", NULL);
	assert_string_equal(json_string_value(json_object_get(v, "cls")),
			    "shared");
	assert_string_equal(json_string_value(json_object_get(v, "note_html")),
			    "&lt;b&gt;part&lt;/b&gt;");
	json_decref(v);
	/* URLs in a note become links; the site's own become its paths */
	json_object_set_new(
	    cell, "note",
	    json_string("see A-1 <https://x.test/c/#A-1> or "
			"<javascript:x> & B <https://y.test/>"));
	v = tc_view_cell_json(tc_lang_default(), cell, NULL, NULL,
			      "https://x.test");
	assert_string_equal(
	    json_string_value(json_object_get(v, "note_html")),
	    "see <a href=\"/c/#A-1\">A-1</a> or &lt;javascript:x&gt; "
	    "&amp; <a href=\"https://y.test/\">B</a>");
	json_decref(v);
	/* the word is the link's, past a bracket; none: "(link)" */
	json_object_set_new(
	    cell, "note",
	    json_string("(instead: EAC-8 </c/#EAC-8>) <https://z.test/>"));
	v = tc_view_cell_json(tc_lang_default(), cell, NULL, NULL, NULL);
	assert_string_equal(json_string_value(json_object_get(v, "note_html")),
			    "(instead: <a href=\"/c/#EAC-8\">EAC-8</a>) <a "
			    "href=\"https://z.test/\">(link)</a>");
	json_decref(v);
	json_decref(cell);
}

static void routes(void **state)
{
	(void)state;
	char *u = tc_route_urldup(tc_lang_default(), R_COMPARE, "a-1", "b");
	assert_string_equal(u, "/compare/a-1/b/");
	free(u);
	tc_buf f = TC_BUF_INIT;
	tc_route_file(&f, tc_lang_default(), R_PRODUCT_CSV, "box", NULL);
	assert_string_equal(tc_buf_cstr(&f), "api/products/box.csv");
	tc_buf_clear(&f);
	tc_route_measure_url(&f, tc_lang_default(), "alpha", "ALP-1");
	assert_string_equal(tc_buf_cstr(&f), "/categories/alpha/#ALP-1");
	tc_buf_free(&f);
	/* every route has its own name (templates' urls.<name>) */
	for (int r = 0; r < R__COUNT; r++)
		for (int q = 0; q < r; q++)
			assert_string_not_equal(
			    tc_route_get((tc_route)r)->name,
			    tc_route_get((tc_route)q)->name);
	/* every route's URL matches itself, and only that route */
	for (int r = 0; r < R__COUNT; r++) {
		char *url =
		    tc_route_urldup(tc_lang_default(), (tc_route)r, "x", "y");
		char *slots[2];
		assert_int_equal(tc_route_match(url, slots), r);
		const tc_route_info *ri = tc_route_get((tc_route)r);
		if (ri->slots >= 1)
			assert_string_equal(slots[0], "x");
		if (ri->slots == 2)
			assert_string_equal(slots[1], "y");
		free(slots[0]);
		free(slots[1]);
		free(url);
	}
	char *sl[2];
	assert_int_equal(
	    tc_route_match("/versions/2026.1/products/box/annex/", sl),
	    R_VERSION_PRODUCT_ANNEX);
	assert_string_equal(sl[0], "2026.1");
	assert_string_equal(sl[1], "box");
	free(sl[0]);
	free(sl[1]);
	/* a slot that is an ID wins over an earlier route's that is not */
	assert_int_equal(tc_route_match("/api/products/box.semicolon.csv", sl),
			 R_PRODUCT_CSV_SEMICOLON);
	assert_string_equal(sl[0], "box");
	assert_null(sl[1]);
	free(sl[0]);
	assert_int_equal(tc_route_match("/api/products/box.csv", sl),
			 R_PRODUCT_CSV);
	free(sl[0]);
	assert_int_equal(tc_route_match("/api/products/box.v2.json", sl),
			 R_PRODUCT_JSON);
	assert_string_equal(sl[0], "box.v2");
	free(sl[0]);
	static const char *bad[] = {"/categories/",
				    "/categories/a b/",
				    "/categories/x",
				    "/products/x/y/",
				    "/api/products/.json",
				    "/nope",
				    ""};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char *slots[2];
		assert_int_equal(tc_route_match(bad[i], slots), -1);
		assert_null(slots[0]);
	}
}

/* Runs fn(arg) in a child: true when the child ended by abort(). */
static bool aborts(void (*fn)(const char *), const char *arg)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		/* its message is expected: keep the test's output clean */
		if (!freopen("/dev/null", "w", stderr))
			_exit(2);
		fn(arg);
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	return WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT;
}

static void product_annex_of(const char *id)
{
	tc_buf b = TC_BUF_INIT;
	tc_route_file(&b, tc_lang_default(), R_VERSION_PRODUCT_ANNEX, "1.0",
		      id);
	tc_buf_free(&b);
}

static void version_annex_of(const char *v)
{
	tc_buf b = TC_BUF_INIT;
	tc_route_url(&b, tc_lang_default(), R_VERSION_ANNEX, v, NULL);
	tc_buf_free(&b);
}

/* Issue 22: no route slot was checked, and a release's scope ID
 * "../../../../X" became a path. A slot is an ID, {1} of a version's
 * routes a version that no file of the site is called; anything else ends
 * the process where the path would be made. */
static void route_slots(void **state)
{
	(void)state;
	assert_true(tc_route_is_id("box-2"));
	static const char *not_ids[] = {
	    "", "Box", "a_b", "a.b", "..", "a/b", "../../../../X", "ü", "a b"};
	for (size_t i = 0; i < sizeof not_ids / sizeof *not_ids; i++) {
		assert_false(tc_route_is_id(not_ids[i]));
		assert_false(tc_route_slot_ok(R_PRODUCT, 0, not_ids[i]));
	}
	assert_false(tc_route_is_id(NULL));
	assert_true(tc_route_is_measure_id("PAC-1"));
	assert_true(tc_route_is_measure_id("A1B-12"));
	static const char *not_measures[] = {"",   "pac-1",  "PAC1",    "PAC-",
					     "-1", "PAC-1a", "PAC-1-2", "1A-1"};
	for (size_t i = 0; i < sizeof not_measures / sizeof *not_measures; i++)
		assert_false(tc_route_is_measure_id(not_measures[i]));
	/* versions: their characters, and not a file's name where they
	 * make a folder (versions/index.html is /versions/) */
	assert_true(tc_route_slot_ok(R_VERSION_ANNEX, 0, "2026.1_rc-2"));
	assert_true(tc_route_slot_ok(R_VERSION_PRODUCT_ANNEX, 1, "box"));
	assert_false(tc_route_slot_ok(R_VERSION_PRODUCT_ANNEX, 1, "2026.1"));
	assert_true(tc_route_version_ok("index.htm"));
	assert_true(tc_route_version_ok("tom.json"));
	static const char *not_versions[] = {"index.html", "..", ".",  "",
					     "a/b",        "-1", "a b"};
	for (size_t i = 0; i < sizeof not_versions / sizeof *not_versions; i++)
		assert_false(tc_route_version_ok(not_versions[i]));
	/* where the path is made */
	assert_false(aborts(product_annex_of, "box"));
	assert_true(aborts(product_annex_of, "../../../../X"));
	assert_true(aborts(product_annex_of, NULL));
	assert_false(aborts(version_annex_of, "1.0"));
	assert_true(aborts(version_annex_of, "index.html"));
	assert_true(aborts(version_annex_of, "../1"));
}

static void base_path_of(const char *url, const char *want)
{
	tc_buf b = TC_BUF_INIT;
	tc_route_base_path(&b, url);
	assert_string_equal(tc_buf_cstr(&b), want);
	tc_buf_free(&b);
}

static void rebased(const char *html, const char *base, const char *want)
{
	tc_buf b = TC_BUF_INIT;
	tc_route_rebase_html(&b, html, strlen(html), base);
	assert_string_equal(tc_buf_cstr(&b), want);
	tc_buf_free(&b);
}

/* A site under a path of its base_url (issue 24): the path, and pages'
 * links put under it; nothing else of the page changes. */
static void sub_path(void **state)
{
	(void)state;
	base_path_of("https://example.org/tom", "/tom");
	base_path_of("https://example.org/tom/", "/tom");
	base_path_of("https://example.org/a/b", "/a/b");
	base_path_of("https://example.org", "");
	base_path_of("https://example.org/", "");
	base_path_of("", "");
	base_path_of(NULL, "");
	rebased("<a href=\"/categories/x/#A-1\">", "/tom",
		"<a href=\"/tom/categories/x/#A-1\">");
	rebased(
	    "<link rel=\"stylesheet\" href=\"/assets/style.css\"><script "
	    "src=\"/assets/tc.js\" defer></script><form "
	    "action=\"/api/search\">",
	    "/tom",
	    "<link rel=\"stylesheet\" href=\"/tom/assets/style.css\"><script "
	    "src=\"/tom/assets/tc.js\" defer></script><form "
	    "action=\"/tom/api/search\">");
	/* other hosts, fragments, relative links, text and other
	 * attributes stay */
	const char *same =
	    "<a href=\"//cdn.example/x\"> <a href=\"#A-1\"> <a "
	    "href=\"../dpa/\"> <a href=\"https://example.org/\"> href=/x "
	    "data-x=\"/y\" <p>href=&quot;/z&quot;</p>";
	rebased(same, "/tom", same);
	rebased("<a href=\"/\">", "", "<a href=\"/\">");
	rebased("<a href=\"/\">", NULL, "<a href=\"/\">");
	rebased("<a href=\"/\">", "/tom", "<a href=\"/tom/\">");
	rebased(" href=\"/", "/t", " href=\"/t/");
	rebased(" href=\"", "/t", " href=\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(marks_shown), cmocka_unit_test(words_round_trip),
	    cmocka_unit_test(meaning),     cmocka_unit_test(suspect_marks),
	    cmocka_unit_test(moves),       cmocka_unit_test(badges),
	    cmocka_unit_test(routes),      cmocka_unit_test(route_slots),
	    cmocka_unit_test(sub_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
