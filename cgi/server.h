/* server.h: how tc-search meets the world.
 *
 * FastCGI on an inherited listening socket (fd 0, as spawn-fcgi and systemd
 * with StandardInput=socket pass it; or fd 3 with LISTEN_FDS=1) or on one it
 * creates (--listen PATH for a unix socket with mode 0660, HOST:PORT for
 * TCP). A master process pre-forks the workers, replaces any that die,
 * forwards SIGHUP (each worker reopens the index between requests) and on
 * SIGTERM lets in-flight requests finish before everyone exits. Started
 * with a CGI environment instead, it answers that one request on stdout. */
#ifndef TS_SERVER_H
#define TS_SERVER_H

typedef struct ts_server_opts {
	const char *index;
	const char *listen; /* NULL: inherited socket */
	int workers;
	int cache_slots; /* answers each worker keeps; 0: no cache */
} ts_server_opts;

/* Returns the process exit status. */
int ts_serve(const ts_server_opts *o);
int ts_cgi_once(const char *index);
/* 1 when started as a CGI program (a CGI environment, no listening fd). */
int ts_is_cgi(void);

#endif
