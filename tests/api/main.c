/* The API test runner: every tests/api/test_*.c registers its tests at load time. */
#include "../harness.h"

int
main(int argc, char **argv)
{
	return test_main(argc, argv);
}
