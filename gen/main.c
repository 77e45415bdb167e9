/* tc-gen: turns the TOM sources in content/ into the static trust center. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "build.h"

#ifndef TC_VERSION
#define TC_VERSION "dev"
#endif

static void usage(FILE *f)
{
	fputs("usage: tc-gen [--content DIR] [--templates DIR] [--output DIR] "
	      "[--index FILE] [--drafts]\n"
	      "       tc-gen release [--content DIR]\n"
	      "Builds the trust-center site from Markdown TOM sources; "
	      "`release`\nfreezes the content as the release of its version "
	      "(content/releases/).\n\n"
	      "  --content DIR    sources (default: content)\n"
	      "  --templates DIR  Mustache templates and assets (default: "
	      "templates)\n"
	      "  --output DIR     the site, replaced only on success "
	      "(default: public)\n"
	      "  --index FILE     search index to write (default: "
	      "tc-index.sqlite; \"\" for none)\n"
	      "  --drafts         a measure or cell missing its translation "
	      "shows the\n"
	      "                   original's words, marked, instead of "
	      "failing the build\n"
	      "  --help, --version\n",
	      f);
}

/* tc-gen release: writes content/releases/<version>.json. */
static int release(const tc_build_opts *o)
{
	tc_diags *d = tc_diags_new();
	char *written;
	int rc = tc_build_release(o, d, &written);
	tc_diags_print(d, stderr);
	if (rc == 0)
		printf("tc-gen: released %s\n", written);
	else
		fprintf(stderr, "tc-gen: %zu error%s; nothing released\n",
			tc_diags_count(d), tc_diags_count(d) == 1 ? "" : "s");
	free(written);
	tc_diags_free(d);
	return rc == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	tc_build_opts o = {.content = "content",
			   .templates = "templates",
			   .output = "public",
			   .index = "tc-index.sqlite"};
	int releasing = argc > 1 && !strcmp(argv[1], "release");
	if (releasing) {
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	static const struct option opts[] = {
	    {"content", required_argument, NULL, 'c'},
	    {"templates", required_argument, NULL, 't'},
	    {"output", required_argument, NULL, 'o'},
	    {"index", required_argument, NULL, 'i'},
	    {"drafts", no_argument, NULL, 'd'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0}};
	int ch;
	while ((ch = getopt_long(argc, argv, "c:t:o:i:dhV", opts, NULL)) !=
	       -1) {
		switch (ch) {
		case 'c': o.content = optarg; break;
		case 't': o.templates = optarg; break;
		case 'o': o.output = optarg; break;
		case 'i': o.index = *optarg ? optarg : NULL; break;
		case 'd': o.drafts = true; break;
		case 'h': usage(stdout); return 0;
		case 'V': puts("tc-gen " TC_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}
	if (releasing)
		return release(&o);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	tc_diags *d = tc_diags_new();
	tc_build_result r;
	int rc = tc_build(&o, d, &r);
	tc_diags_print(d, stderr);
	if (rc == 0) {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		double s = (double)(t1.tv_sec - t0.tv_sec) +
			   (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		printf(
		    "tc-gen: %zu pages, %zu files (%zu bytes), %zu measures, "
		    "%zu cells -> %s in %.3f s\n",
		    r.site.pages, r.site.files, r.site.bytes, r.measures,
		    r.cells, o.output, s);
	} else {
		fprintf(stderr, "tc-gen: %zu error%s; %s left unchanged\n",
			tc_diags_count(d), tc_diags_count(d) == 1 ? "" : "s",
			o.output);
	}
	tc_diags_free(d);
	return rc == 0 ? 0 : 1;
}
