/* floor: what no generator of this site can avoid, for the benchmarks.
 *
 *   floor CONTENT_DIR OUT_DIR MANIFEST
 *
 * Reads the same Markdown sources tc-gen reads, parses and renders them with
 * cmark-gfm (table extension), then writes the files MANIFEST lists ("size
 * path" lines: every file tc-gen wrote for the same content) into OUT_DIR,
 * each with as many bytes of the rendered HTML: the same folders, files and
 * bytes, and nothing else. */
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)len + 1);
	*n = fread(s, 1, (size_t)len, f);
	s[*n] = '\0';
	fclose(f);
	return s;
}

/* Appends the rendered HTML of one source (front matter skipped). */
static void render(const char *path, char **html, size_t *len)
{
	size_t n;
	char *src = slurp(path, &n);
	if (!src)
		return;
	char *body = src;
	if (!strncmp(src, "---\n", 4)) {
		char *end = strstr(src + 4, "\n---\n");
		body = end ? end + 5 : src;
	}
	cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT);
	cmark_parser_attach_syntax_extension(p, cmark_find_syntax_extension("table"));
	cmark_parser_attach_syntax_extension(p, cmark_find_syntax_extension("tagfilter"));
	cmark_parser_feed(p, body, strlen(body));
	cmark_node *doc = cmark_parser_finish(p);
	char *out = cmark_render_html(doc, CMARK_OPT_DEFAULT,
				      cmark_parser_get_syntax_extensions(p));
	size_t m = strlen(out);
	*html = realloc(*html, *len + m + 1);
	memcpy(*html + *len, out, m + 1);
	*len += m;
	free(out);
	cmark_node_free(doc);
	cmark_parser_free(p);
	free(src);
}

static int md(const struct dirent *e)
{
	size_t n = strlen(e->d_name);
	return n > 3 && !strcmp(e->d_name + n - 3, ".md");
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fputs("usage: floor CONTENT_DIR OUT_DIR MANIFEST\n", stderr);
		return 2;
	}
	cmark_gfm_core_extensions_ensure_registered();
	char *html = NULL, path[8300];
	size_t len = 0;
	snprintf(path, sizeof path, "%s/site.md", argv[1]);
	render(path, &html, &len);
	snprintf(path, sizeof path, "%s/scopes.md", argv[1]);
	render(path, &html, &len);
	struct dirent **list;
	snprintf(path, sizeof path, "%s/categories", argv[1]);
	int n = scandir(path, &list, md, alphasort);
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/categories/%s", argv[1], list[i]->d_name);
		render(path, &html, &len);
		free(list[i]);
	}
	free(list);
	if (!len)
		return 1;
	FILE *m = fopen(argv[3], "r");
	if (!m)
		return 1;
	mkdir(argv[2], 0755);
	long long want;
	char rel[4096];
	while (fscanf(m, "%lld %4095s", &want, rel) == 2) {
		snprintf(path, sizeof path, "%s/%s", argv[2], rel);
		FILE *o = fopen(path, "wb");
		if (!o) {
			/* make the folders, as any generator of these paths must */
			for (char *p = path + strlen(argv[2]) + 1; *p; p++)
				if (*p == '/') {
					*p = '\0';
					mkdir(path, 0755);
					*p = '/';
				}
			o = fopen(path, "wb");
		}
		if (!o)
			return 1;
		while (want > 0) {
			size_t chunk = want < (long long)len ? (size_t)want : len;
			fwrite(html, 1, chunk, o);
			want -= (long long)chunk;
		}
		fclose(o);
	}
	fclose(m);
	free(html);
	return 0;
}
