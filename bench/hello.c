/* hello: the FastCGI floor for the benchmarks. A libfcgi responder with the
 * same process model as tc-search (pre-forked workers on a unix socket)
 * that answers every request with a fixed body of BYTES bytes.
 *
 *   hello SOCKET BYTES WORKERS */
#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 4) {
		fputs("usage: hello SOCKET BYTES WORKERS\n", stderr);
		return 2;
	}
	size_t n = (size_t)atol(argv[2]);
	char *body = malloc(n + 1);
	memset(body, 'x', n);
	char head[256];
	int hl = snprintf(head, sizeof head,
			  "Status: 200 OK\r\nContent-Type: application/json; "
			  "charset=utf-8\r\nContent-Length: %zu\r\n\r\n", n);
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	strncpy(a.sun_path, argv[1], sizeof a.sun_path - 1);
	unlink(argv[1]);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 128) < 0) {
		perror("hello");
		return 1;
	}
	chmod(argv[1], 0660);
	FCGX_Init();
	int workers = atoi(argv[3]);
	for (int i = 0; i < workers; i++) {
		if (fork() == 0) {
			FCGX_Request r;
			FCGX_InitRequest(&r, fd, 0);
			while (FCGX_Accept_r(&r) >= 0) {
				FCGX_PutStr(head, hl, r.out);
				FCGX_PutStr(body, (int)n, r.out);
				FCGX_Finish_r(&r);
			}
			_exit(0);
		}
	}
	signal(SIGTERM, SIG_DFL);
	while (wait(NULL) > 0)
		;
	return 0;
}
