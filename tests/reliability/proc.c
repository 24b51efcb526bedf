/* A real `pingan` server process on a free port: started, killed, stopped. */
#include "rel.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_SERVERS 16

static pthread_mutex_t servers_lock = PTHREAD_MUTEX_INITIALIZER;
static struct rel_server *servers[MAX_SERVERS];
static int nservers;
static bool servers_atexit;

/* Servers still running at exit are stopped (their directories go with the temp dirs). */
static void
servers_cleanup(void)
{
	for (int i = 0; i < nservers; i++)
		if (servers[i]->pid > 0)
			(void)rel_server_stop(servers[i]);
}

static void
remember(struct rel_server *s)
{
	pthread_mutex_lock(&servers_lock);
	if (!servers_atexit) {
		atexit(servers_cleanup);
		servers_atexit = true;
	}
	for (int i = 0; i < nservers; i++)
		if (servers[i] == s) {
			pthread_mutex_unlock(&servers_lock);
			return;
		}
	if (nservers < MAX_SERVERS)
		servers[nservers++] = s;
	pthread_mutex_unlock(&servers_lock);
}

static int
write_config(struct rel_server *s, const char *extra)
{
	FILE *f = fopen(s->config, "w");

	if (f == NULL)
		return -1;
	fprintf(f, "# written by the reliability tests\n"
		   "argon2_memlimit_kib = 19456\n"
		   "argon2_opslimit = 2\n"
		   "signin_rate_per_minute = 100000\n"
		   "log_level = warn\n%s\n", extra ? extra : "");
	return fclose(f) == 0 ? 0 : -1;
}

int
rel_server_init_at(struct rel_server *s, const char *data_dir, const char *extra_config)
{
	memset(s, 0, sizeof *s);
	if (rel_temp_dir(s->dir, sizeof s->dir) != 0)
		return -1;
	if (data_dir)
		snprintf(s->data_dir, sizeof s->data_dir, "%s", data_dir);
	else
		snprintf(s->data_dir, sizeof s->data_dir, "%s/data", s->dir);
	snprintf(s->db_path, sizeof s->db_path, "%s/pingan.db", s->data_dir);
	snprintf(s->config, sizeof s->config, "%s/pingan.conf", s->dir);
	snprintf(s->log, sizeof s->log, "%s/server.log", s->dir);
	remember(s);
	return write_config(s, extra_config);
}

int
rel_server_init(struct rel_server *s, const char *extra_config)
{
	return rel_server_init_at(s, NULL, extra_config);
}

/* A port nobody listens on now: bind to port 0, read it, close. */
static int
free_port(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = 0;

	if (fd < 0)
		return 0;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	close(fd);
	return port;
}

static int
spawn(struct rel_server *s, const char *command)
{
	char listen[32];
	pid_t pid;

	snprintf(listen, sizeof listen, "127.0.0.1:%d", s->port);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int log = open(s->log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		int devnull = open("/dev/null", O_RDONLY);

		if (log >= 0) {
			dup2(log, STDOUT_FILENO);
			dup2(log, STDERR_FILENO);
		}
		if (devnull >= 0)
			dup2(devnull, STDIN_FILENO);
		unsetenv("PINGAN_CONFIG");
		execl(rel_pingan_bin(), rel_pingan_bin(), command, "--config", s->config, "--data-dir",
		    s->data_dir, "--listen", listen, (char *)NULL);
		fprintf(stderr, "cannot run %s: %s\n", rel_pingan_bin(), strerror(errno));
		_exit(127);
	}
	s->pid = pid;
	return 0;
}

static bool
healthz_ok(struct rel_server *s)
{
	struct rel_http *h = rel_http_new(s->base);
	struct rel_resp r;
	bool ok;

	rel_request(h, "GET", "/healthz", NULL, NULL, NULL, 1000, &r);
	ok = r.status == 200;
	rel_resp_release(&r);
	rel_http_free(h);
	return ok;
}

void
rel_server_print_log(const struct rel_server *s, const char *why)
{
	char line[1024];
	long lines = 0, skip;
	FILE *f = fopen(s->log, "r");

	printf("    server: %s; log %s:\n", why, s->log);
	if (f == NULL)
		return;
	while (fgets(line, sizeof line, f))
		lines++;
	rewind(f);
	skip = lines > 40 ? lines - 40 : 0;
	while (fgets(line, sizeof line, f))
		if (skip-- <= 0)
			printf("      %s", line);
	fclose(f);
	fflush(stdout);
}

int
rel_server_spawn(struct rel_server *s, const char *command)
{
	remember(s);
	s->port = free_port();
	snprintf(s->base, sizeof s->base, "http://127.0.0.1:%d", s->port);
	return s->port == 0 ? -1 : spawn(s, command);
}

int
rel_server_start(struct rel_server *s, const char *command, long wait_ms)
{
	remember(s);
	for (int attempt = 0; attempt < 4; attempt++) {
		long long until = rel_now_ms() + wait_ms;
		int status;

		/* A retry waits a little: the port was taken, or the binary is being rebuilt. */
		rel_sleep_ms(attempt * 500L);
		s->port = free_port();
		snprintf(s->base, sizeof s->base, "http://127.0.0.1:%d", s->port);
		if (s->port == 0 || spawn(s, command) != 0)
			return -1;
		while (rel_now_ms() < until) {
			if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
				s->pid = 0;
				break;
			}
			if (healthz_ok(s))
				return 0;
			rel_sleep_ms(30);
		}
		if (s->pid > 0) {
			rel_server_kill(s);
			rel_server_print_log(s, "no answer from /healthz in time");
			return -1;
		}
		/* Exited at once: try again on another port. */
	}
	rel_server_print_log(s, "the server exited at start-up");
	return -1;
}

void
rel_server_kill(struct rel_server *s)
{
	int status;

	if (s->pid <= 0)
		return;
	kill(s->pid, SIGKILL);
	while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
		;
	s->pid = 0;
}

int
rel_server_stop(struct rel_server *s)
{
	long long until = rel_now_ms() + 20000;
	int status = 0;

	if (s->pid <= 0)
		return -1;
	kill(s->pid, SIGTERM);
	for (;;) {
		pid_t w = waitpid(s->pid, &status, WNOHANG);

		if (w == s->pid)
			break;
		if (w < 0 && errno != EINTR) {
			s->pid = 0;
			return -1;
		}
		if (rel_now_ms() > until) {
			kill(s->pid, SIGKILL);
			(void)waitpid(s->pid, &status, 0);
			break;
		}
		rel_sleep_ms(10);
	}
	s->pid = 0;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
}
