/* fuzz_mustache: a template from the input, parsed, checked and rendered.
 *
 * Input: the template, then optionally a NUL byte and a JSON context;
 * without one (or when it does not parse) a fixed context with every kind
 * of value is used. The loader serves two partials: "self", the template
 * itself (recursion), and "p", a small parent with a block. Rendering has
 * a budget (mus_env_set_budget), as any renderer of untrusted templates
 * should set: without it "{{>self}}{{>self}}" is 2^100 steps.
 *
 * Invariants beyond "no crash, no leak, no UB": diagnostics are one line
 * of printable text; a template that parses renders twice to the same
 * bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/mustache.h"
#include "fuzz_diags.h"

static const char fixed_ctx[] =
    "{\"s\":\"<b>&\\\"'\",\"n\":0,\"i\":42,\"f\":1.5,\"t\":true,\"z\":null,"
    "\"e\":\"\",\"l\":[1,\"two\",{\"k\":\"v\"},[]],\"o\":{\"a\":{\"b\":"
    "\"deep\"}},\"a\":true}";

static char *load(void *ud, const char *name, char **file)
{
	(void)file;
	if (!strcmp(name, "self"))
		return tc_xstrdup((const char *)ud);
	if (!strcmp(name, "p"))
		return tc_xstrdup("[{{$b}}default {{s}}{{/b}}]\n");
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nul = memchr(data, '\0', size);
	size_t tlen = nul ? (size_t)(nul - (const char *)data) : size;
	char *src = tc_xstrndup((const char *)data, tlen);
	json_t *ctx = NULL;
	if (nul)
		ctx =
		    json_loadb(nul + 1, size - tlen - 1, JSON_DECODE_ANY, NULL);
	if (!ctx)
		ctx = json_loads(fixed_ctx, 0, NULL);
	mus_env *env = mus_env_new(load, src);
	mus_env_set_budget(env, 50000);
	tc_diags *d = tc_diags_new();
	mus_tpl *t = mus_env_parse(env, "self", "self.mustache", src, d);
	if (t) {
		mus_env_check(env, t, d);
		tc_buf a = TC_BUF_INIT, b = TC_BUF_INIT;
		int ra = mus_render(env, t, ctx, &a);
		int rb = mus_render(env, t, ctx, &b);
		if (ra != rb || a.len != b.len ||
		    (a.len && memcmp(a.data, b.data, a.len)))
			abort(); /* rendering must not depend on history */
		tc_buf_free(&a);
		tc_buf_free(&b);
	}
	fuzz_check_diags(d);
	tc_diags_free(d);
	mus_env_free(env);
	json_decref(ctx);
	free(src);
	return 0;
}
