/*
 * sf_version.h - `salesfocus --version`: the program's version and the
 * libraries it was built with and runs with (a bug report then says which
 * cairo drew the chart, not just which salesfocus).
 */
#ifndef SF_VERSION_H
#define SF_VERSION_H

#include <stdio.h>

/* Write the version lines to f: "salesfocus X.Y.Z", "built with: ...",
 * "runs with: ..." (libraries that report their version at run time). */
void sf_print_version(FILE *f);

#endif
