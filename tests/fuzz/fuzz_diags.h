/* fuzz_diags.h: the invariant every harness checks of the diagnostics a
 * run reported: each is one line of printable text (lib/diag escapes what
 * a file name or a quoted value holds), so no input can break a log line
 * or a terminal. Header-only: each harness is one file (Makefile). */
#ifndef TC_FUZZ_DIAGS_H
#define TC_FUZZ_DIAGS_H

#include <stdlib.h>

#include "../../lib/diag.h"

static inline void fuzz_check_diags(tc_diags *d)
{
	for (size_t i = 0; i < tc_diags_count(d); i++) {
		char *s = tc_diag_format(tc_diags_get(d, i));
		for (const char *p = s; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				abort(); /* a line break or ESC got through */
		free(s);
	}
}

#endif
