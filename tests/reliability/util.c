/* Clocks, randomness, temporary directories and child processes for the reliability tests. */
#include "rel.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

long long
rel_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
rel_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

bool
rel_deep(void)
{
	const char *d = getenv("PINGAN_DEEP");

	return d && *d && strcmp(d, "0") != 0;
}

uint64_t
rel_seed(const char *what)
{
	const char *env = getenv("PINGAN_SEED");
	struct timespec ts;
	uint64_t seed;

	if (env && *env) {
		seed = strtoull(env, NULL, 10);
	} else {
		clock_gettime(CLOCK_REALTIME, &ts);
		seed = (uint64_t)ts.tv_sec * 1000003u ^ (uint64_t)ts.tv_nsec ^ (uint64_t)getpid();
	}
	printf("    %s: seed %llu (PINGAN_SEED=%llu repeats it)\n", what, (unsigned long long)seed,
	    (unsigned long long)seed);
	fflush(stdout);
	return seed;
}

uint64_t
rel_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

long
rel_rand_range(uint64_t *state, long lo, long hi)
{
	if (hi <= lo)
		return lo;
	return lo + (long)(rel_rand(state) % (uint64_t)(hi - lo + 1));
}

double
rel_rand_unit(uint64_t *state)
{
	return (double)(rel_rand(state) >> 11) / 9007199254740992.0;
}

/* --- temporary directories -------------------------------------------------- */

static pthread_mutex_t temp_lock = PTHREAD_MUTEX_INITIALIZER;
static char **temp_dirs;
static int ntemp, captemp;
static bool temp_atexit;

static void remove_now(const char *dir);

static void
temp_cleanup(void)
{
	bool keep = getenv("PINGAN_KEEP_TMP") != NULL;

	for (int i = 0; i < ntemp; i++) {
		if (keep)
			fprintf(stderr, "reliability-tests: kept %s\n", temp_dirs[i]);
		else
			remove_now(temp_dirs[i]);
		free(temp_dirs[i]);
	}
	free(temp_dirs);
	temp_dirs = NULL;
	ntemp = captemp = 0;
}

int
rel_temp_dir(char *out, size_t n)
{
	char tmpl[] = "/tmp/pingan-rel-XXXXXX";

	if (mkdtemp(tmpl) == NULL || strlen(tmpl) >= n)
		return -1;
	snprintf(out, n, "%s", tmpl);
	pthread_mutex_lock(&temp_lock);
	if (!temp_atexit) {
		atexit(temp_cleanup);
		temp_atexit = true;
	}
	if (ntemp == captemp) {
		captemp = captemp ? captemp * 2 : 32;
		temp_dirs = realloc(temp_dirs, (size_t)captemp * sizeof *temp_dirs);
		if (temp_dirs == NULL)
			abort();
	}
	if ((temp_dirs[ntemp] = strdup(tmpl)) == NULL)
		abort();
	ntemp++;
	pthread_mutex_unlock(&temp_lock);
	return 0;
}

static void
remove_now(const char *dir)
{
	const char *argv[] = { "rm", "-rf", dir, NULL };

	if (dir && strncmp(dir, "/tmp/", 5) == 0 && strstr(dir, "..") == NULL)
		(void)rel_run(argv, NULL, NULL, 0);
}

void
rel_remove_tree(const char *dir)
{
	if (getenv("PINGAN_KEEP_TMP") != NULL)
		return;
	remove_now(dir);
	pthread_mutex_lock(&temp_lock);
	for (int i = 0; i < ntemp; i++) {
		if (strcmp(temp_dirs[i], dir) != 0)
			continue;
		free(temp_dirs[i]);
		temp_dirs[i] = temp_dirs[--ntemp];
		break;
	}
	pthread_mutex_unlock(&temp_lock);
}

const char *
rel_pingan_bin(void)
{
	const char *b = getenv("PINGAN_BIN");

	return b && *b ? b : "./pingan";
}

/* --- child processes ---------------------------------------------------------- */

static int
exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return -1;
}

static void
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

/* Reads fd to its end into out (n bytes, cut to fit; may be NULL). */
static void
read_into(int fd, char *out, size_t n)
{
	size_t len = 0;
	char sink[4096];

	for (;;) {
		char *dst = out && len + 1 < n ? out + len : sink;
		size_t room = out && len + 1 < n ? n - len - 1 : sizeof sink;
		ssize_t r = read(fd, dst, room);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (dst != sink)
			len += (size_t)r;
	}
	if (out && n)
		out[len] = '\0';
}

/* A pipe whose ends are closed in children that exec. */
static int
cloexec_pipe(int fds[2])
{
	if (pipe(fds) != 0)
		return -1;
	(void)fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	(void)fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	return 0;
}

int
rel_run(const char *const *argv, const char *input, char *out, size_t n)
{
	int in[2], pout[2], status;
	pid_t pid;

	if (cloexec_pipe(in) != 0)
		return -1;
	if (cloexec_pipe(pout) != 0) {
		close(in[0]);
		close(in[1]);
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(in[0]);
		close(in[1]);
		close(pout[0]);
		close(pout[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(in[0], STDIN_FILENO);
		dup2(pout[1], STDOUT_FILENO);
		dup2(pout[1], STDERR_FILENO);
		unsetenv("PINGAN_CONFIG");
		execvp(argv[0], (char *const *)argv);
		fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(pout[1]);
	if (input)
		write_all(in[1], input, strlen(input));
	close(in[1]);
	read_into(pout[0], out, n);
	close(pout[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return exit_code(status);
}

/* --- a quiet stderr --------------------------------------------------------------- */

static int saved_stderr = -1;

void
rel_quiet_begin(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);

	if (fd < 0)
		return;
	fflush(stderr);
	if (saved_stderr < 0)
		saved_stderr = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	close(fd);
}

void
rel_quiet_end(void)
{
	if (saved_stderr < 0)
		return;
	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	saved_stderr = -1;
}
