/* bench-launch: run a command and report its own peak RSS and wall time.
 *
 *   bench-launch RESULT_FILE COMMAND [ARG...]
 *
 * Forks, execs COMMAND, waits for it with wait4 and writes one line to
 * RESULT_FILE: "<ru_maxrss in KiB> <wall seconds> <CPU seconds>" (user and
 * system time of the command and its threads: on a machine shared with
 * other work, the figure that its load changes least). Exits with the command's
 * status (128 + signal if it was killed).
 *
 * Why not wait4 from bench.py: a child forked from Python starts with the
 * parent's peak RSS, and Linux keeps that figure across exec, so /bin/true
 * measured from Python reads ~16 MB. This launcher is a small C program:
 * what it passes on to its child is about a megabyte, below anything the
 * benchmark measures (bench.py checks with /bin/true). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench-launch RESULT_FILE COMMAND [ARG...]\n");
		return 2;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid = fork();
	if (pid < 0) {
		perror("bench-launch: fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	int status;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("bench-launch: wait4");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double wall = (double)(t1.tv_sec - t0.tv_sec) +
		      (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	FILE *f = fopen(argv[1], "w");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	double cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
		     (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
	fprintf(f, "%ld %.6f %.6f\n", ru.ru_maxrss, wall, cpu);
	if (fclose(f) != 0) {
		perror(argv[1]);
		return 2;
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
