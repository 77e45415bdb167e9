#include "lang.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tc_msgs {
	json_t *obj;
};

/* English, as templates/i18n/en.json says it, built in: NUL-terminated.
 * The Makefile makes lang.o depend on the file. */
__asm__(".section .rodata\n"
	".global tc_msgs_en_json\n"
	"tc_msgs_en_json:\n"
	".incbin \"templates/i18n/en.json\"\n"
	".byte 0\n"
	".previous\n");
extern const char tc_msgs_en_json[];

static bool valid_key(const char *k)
{
	if (!*k || strlen(k) > 64)
		return false;
	for (; *k; k++)
		if (!((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') ||
		      *k == '_' || *k == '.' || *k == '-'))
			return false;
	return true;
}

/* The first problem of obj as a catalogue, or NULL. */
static const char *problem(const json_t *obj, const char **bad_key)
{
	const char *k;
	json_t *v;
	*bad_key = "";
	if (!json_is_object(obj))
		return "a catalogue is a JSON object of strings";
	json_object_foreach ((json_t *)obj, k, v) {
		*bad_key = k;
		if (!valid_key(k))
			return "keys are 1 to 64 of a-z, 0-9, '_', '.', '-'";
		if (!json_is_string(v))
			return "every word is a string";
	}
	return NULL;
}

tc_msgs *tc_msgs_from_json(const json_t *obj)
{
	const char *k;
	if (problem(obj, &k))
		return NULL;
	tc_msgs *m = malloc(sizeof *m);
	if (!m)
		abort();
	m->obj = json_deep_copy(obj);
	return m;
}

tc_msgs *tc_msgs_load(const char *path, tc_diags *d)
{
	json_error_t e;
	json_t *obj = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
	if (!obj) {
		tc_diags_add(d, path, e.line > 0 ? e.line : 0,
			     e.column > 0 ? e.column : 0,
			     "message catalogue is not valid JSON: %s", e.text);
		return NULL;
	}
	const char *k, *why = problem(obj, &k);
	if (why) {
		tc_diags_add(d, path, 1, 1, "message catalogue: %s (at '%s')",
			     why, k);
		json_decref(obj);
		return NULL;
	}
	tc_msgs *m = malloc(sizeof *m);
	if (!m)
		abort();
	m->obj = obj;
	return m;
}

const tc_msgs *tc_msgs_default(void)
{
	static tc_msgs en;
	if (!en.obj) {
		en.obj = json_loads(tc_msgs_en_json, JSON_REJECT_DUPLICATES,
				    NULL);
		/* the build checks en.json (make check: test_lang); a broken
		 * one must not take every page down with it */
		if (!en.obj)
			en.obj = json_object();
	}
	return &en;
}

void tc_msgs_free(tc_msgs *m)
{
	if (!m || m == tc_msgs_default())
		return;
	json_decref(m->obj);
	free(m);
}

const char *tc_msgs_get(const tc_msgs *m, const char *key)
{
	return json_string_value(json_object_get(m->obj, key));
}

const json_t *tc_msgs_json(const tc_msgs *m)
{
	return m->obj;
}

int tc_msgs_check(const tc_msgs *ref, const tc_msgs *m, const char *file,
		  tc_diags *d)
{
	int n = 0;
	const char *k;
	json_t *v;
	json_object_foreach (ref->obj, k, v)
		if (!json_object_get(m->obj, k)) {
			tc_diags_add(d, file, 0, 0,
				     "message '%s' is missing (English: \"%s\")",
				     k, json_string_value(v));
			n++;
		}
	json_object_foreach (m->obj, k, v)
		if (!json_object_get(ref->obj, k)) {
			tc_diags_add(d, file, 0, 0,
				     "message '%s' is not one of the site's "
				     "(templates/i18n/en.json has no such key)",
				     k);
			n++;
		}
	return n;
}

static const tc_lang *current;

void tc_lang_use(const tc_lang *l)
{
	current = l;
}

const tc_lang *tc_lang_current(void)
{
	static tc_lang en = {"en", "", NULL};
	if (current)
		return current;
	en.msgs = tc_msgs_default();
	return &en;
}

static const tc_lang *all;
static size_t nall;

void tc_lang_set_all(const tc_lang *langs, size_t n)
{
	all = langs;
	nall = n;
}

const tc_lang *tc_lang_all(size_t *n)
{
	if (!all) {
		*n = 1;
		return tc_lang_current();
	}
	*n = nall;
	return all;
}

const tc_msgs *tc_lang_msgs(const tc_lang *l)
{
	return l && l->msgs ? l->msgs : tc_msgs_default();
}

static const tc_msgs *msgs(void)
{
	return tc_lang_msgs(tc_lang_current());
}

const char *tc_msg(const char *key)
{
	const char *w = tc_msgs_get(msgs(), key);
	return w ? w : key;
}

const char *tc_msg_n(const char *key, long n)
{
	char k[80];
	snprintf(k, sizeof k, "%s.%s", key, n == 1 ? "one" : "other");
	const char *w = tc_msgs_get(msgs(), k);
	return w ? w : key;
}
