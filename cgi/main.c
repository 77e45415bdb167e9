/* tc-search: FastCGI search and export for the trust center. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server.h"

#ifndef TC_VERSION
#define TC_VERSION "dev"
#endif

static void usage(FILE *f)
{
	fputs(
	    "usage: tc-search [--index FILE] [--listen PATH|HOST:PORT] "
	    "[--workers N]\n"
	    "Answers /api/search, /api/export and /api/health over FastCGI "
	    "(or CGI).\n\n"
	    "  --index FILE     search index written by tc-gen (default: "
	    "tc-index.sqlite, or $TC_INDEX)\n"
	    "  --listen ADDR    unix socket path (mode 0660) or HOST:PORT; "
	    "default: inherited fd 0\n"
	    "  --workers N      pre-forked workers, 1-64 (default: the number "
	    "of "
	    "online CPUs)\n"
	    "  --cache N        answers each worker keeps (default: 512, 4 MB "
	    "in all; 0: none)\n"
	    "  --no-sandbox     workers run without their seccomp filter (for "
	    "debuggers\n"
	    "                   and valgrind; never in production)\n"
	    "  --help, --version\n"
	    "Signals: SIGHUP reopens the index, SIGTERM finishes requests and "
	    "exits.\n",
	    f);
}

int main(int argc, char **argv)
{
	/* One worker per online CPU by default, within 1-64. */
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int ncpu = cpus < 1 ? 1 : cpus > 64 ? 64 : (int)cpus;
	ts_server_opts o = {NULL, NULL, ncpu, 512, 0, 0};
	static const struct option opts[] = {
	    {"index", required_argument, NULL, 'i'},
	    {"listen", required_argument, NULL, 'l'},
	    {"workers", required_argument, NULL, 'w'},
	    {"cache", required_argument, NULL, 'c'},
	    {"no-sandbox", no_argument, NULL, 'S'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0}};
	int ch;
	while ((ch = getopt_long(argc, argv, "i:l:w:c:hV", opts, NULL)) != -1) {
		switch (ch) {
		case 'i': o.index = optarg; break;
		case 'l': o.listen = optarg; break;
		case 'w': o.workers = atoi(optarg); break;
		case 'c': o.cache_slots = atoi(optarg); break;
		case 'S': o.no_sandbox = 1; break;
		case 'h': usage(stdout); return 0;
		case 'V': puts("tc-search " TC_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	/* CGI servers pass no arguments: TC_INDEX names the index there. */
	const char *env_index = getenv("TC_INDEX");
	if (!o.index)
		o.index =
		    env_index && *env_index ? env_index : "tc-index.sqlite";
	if (optind < argc || o.workers < 1 || o.workers > 64 ||
	    o.cache_slots < 0 || o.cache_slots > 65536) {
		usage(stderr);
		return 2;
	}
	/* Tests only: lets the integration suite check that a worker which
	 * opens a file is killed and replaced (README, "Sandbox"). */
	const char *probe = getenv("TC_SEARCH_SANDBOX_PROBE");
	o.sandbox_probe = probe && !strcmp(probe, "1");
	if (!o.listen && ts_is_cgi())
		return ts_cgi_once(o.index, o.no_sandbox);
	return ts_serve(&o);
}
