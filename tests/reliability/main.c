/* The reliability test runner (docs/reliability.md): every tests/reliability/test_*.c registers its tests. */
#include <curl/curl.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>

#include "../harness.h"
#include "base/log.h"

int
main(int argc, char **argv)
{
	int rc;

	signal(SIGPIPE, SIG_IGN);
	if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_ALL) != 0) {
		fprintf(stderr, "reliability-tests: libsodium or libcurl failed to initialise\n");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* In-process databases log their migrations; only problems matter here. */
	log_set_level(LOG_WARN);
	rc = test_main(argc, argv);
	curl_global_cleanup();
	return rc;
}
