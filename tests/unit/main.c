#include "../harness.h"

#include <sodium.h>

#include "base/log.h"

int
main(int argc, char **argv)
{
	if (sodium_init() < 0)
		return 2;
	log_set_level(LOG_ERROR);
	return test_main(argc, argv);
}
