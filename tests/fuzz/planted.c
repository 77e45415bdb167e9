/* A harness with a planted bug, for the test of tests/fuzz/replay.sh: an
 * input that starts with "PLANTED" aborts, as a regressed crash would. Not
 * one of the fuzz_* harnesses: make fuzz never runs it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 7 && !memcmp(data, "PLANTED", 7))
		abort();
	return 0;
}
