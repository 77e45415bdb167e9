/* mustache.h: a logic-less Mustache engine over jansson or tc_val values.
 *
 * Conforms to the official Mustache spec: comments, delimiters,
 * interpolation, inverted sections, partials, sections and the optional
 * inheritance module (parents and blocks). Lambdas are not supported: the
 * data is data.
 *
 * Templates are parsed once into a tree and rendered many times. An
 * environment (mus_env) owns every template parsed through it and finds
 * partials through a loader callback; each partial is loaded and parsed at
 * most once.
 *
 * The same template renders over two data models, with the same results:
 * jansson values (mus_render) and arena values from val.h (mus_render_val),
 * which a page view builds without a malloc per node. The renderer reads
 * either through a small internal table of operations (look a key up,
 * truthiness, list length and element, text of a scalar); neither is
 * converted into the other.
 *
 * {{name}} escapes HTML (& < > " '); only {{{name}}} and {{& name}} are raw.
 * A template nests sections at most 100 deep (a parse error beyond).
 * Falsy values: missing names, null, false, "", 0 (integer or real) and
 * empty arrays/lists; an empty object/map is truthy. Integers print as
 * integers, reals in the shortest form that reads back as the same double,
 * booleans as true/false; null, lists and maps print nothing. */
#ifndef TC_MUSTACHE_H
#define TC_MUSTACHE_H

#include <jansson.h>

#include "buf.h"
#include "diag.h"
#include "val.h"

typedef struct mus_env mus_env;
typedef struct mus_tpl mus_tpl;

/* Returns the source of the template called name as a malloc'd string the
 * engine frees, or NULL when there is no such template. *file may be set to
 * a malloc'd file name used in diagnostics (the engine frees it). */
typedef char *(*mus_load_fn)(void *ud, const char *name, char **file);

mus_env *mus_env_new(mus_load_fn load, void *ud);
void mus_env_free(mus_env *env);

/* Parses src as the template called name (file is used in diagnostics).
 * Returns NULL and appends to diags on a syntax error. The template belongs
 * to env and is found by name as a partial from then on. */
mus_tpl *mus_env_parse(mus_env *env, const char *name, const char *file,
		       const char *src, tc_diags *diags);

/* Loads and parses the named template through the loader, once. Returns NULL
 * when the loader has no such template (nothing reported) or when it does
 * not parse (reported to diags, which may be NULL). */
mus_tpl *mus_env_get(mus_env *env, const char *name, tc_diags *diags);

/* Loads every partial and parent that tpl refers to, recursively, and
 * reports each one that is missing or does not parse at the tag that names
 * it. Returns the number of problems found. At render time a missing
 * partial renders as the empty string, as the spec requires; call this
 * first where a missing partial is an error. */
int mus_env_check(mus_env *env, mus_tpl *tpl, tc_diags *diags);

/* Bounds the work of each render: nodes rendered plus bytes written.
 * Unlimited by default (templates are the site's own code); whoever
 * renders templates it does not trust sets one, since recursive partials
 * make the work exponential in the template's size. */
void mus_env_set_budget(mus_env *env, size_t units);

/* Renders tpl with ctx (borrowed, may be NULL) as the bottom of the context
 * stack, appending to out. Nothing is kept after the call returns. Returns
 * 0, or -1 when the budget or the nesting limit (400 levels of sections,
 * blocks and partials) ran out: out then holds what was rendered up to
 * there. The same holds for mus_render_val and mus_render_vals. */
int mus_render(mus_env *env, const mus_tpl *tpl, json_t *ctx, tc_buf *out);

/* The same over a tc_val tree (borrowed: its arena, and every string it
 * borrows, must stay alive for the call; nothing is kept after it). */
int mus_render_val(mus_env *env, const mus_tpl *tpl, const tc_val *ctx,
		   tc_buf *out);

/* The same with a context stack of n values, bottom first: a name is looked
 * up in ctx[n-1], then ctx[n-2], and so on, exactly as if the template were
 * wrapped in sections that push them. This layers a page's own view over
 * values common to every page without copying or merging maps (what
 * json_object_update_missing did): the page's keys win. */
int mus_render_vals(mus_env *env, const mus_tpl *tpl, const tc_val *const *ctx,
		    size_t n, tc_buf *out);

#endif
