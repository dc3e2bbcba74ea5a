/*
 * version.c - `salesfocus --version`. "built with" comes from the headers
 * this binary was compiled against, "runs with" from the shared libraries
 * it loaded; the two differ after a library upgrade without a rebuild,
 * which is worth seeing in a bug report. inih and libcsv have no version
 * function, so they appear only under "built with" (inih's version comes
 * from pkg-config through the Makefile, as its header has none).
 */
#include "cli/sf_version.h"

#include <cairo.h>
#include <csv.h>
#include <gnu/libc-version.h>
#include <gsl/gsl_version.h>
#include <pango/pango.h>
#include <xlsxwriter.h>
#include <zlib.h>

#ifndef SF_VERSION
#define SF_VERSION "dev"
#endif
#ifndef SF_INIH_VERSION
#define SF_INIH_VERSION ""
#endif


void sf_print_version(FILE *f)
{
    const char *inih = SF_INIH_VERSION;
    fprintf(f, "salesfocus %s\n", SF_VERSION);
    fprintf(f,
            "built with: cairo %s, pango %s, libxlsxwriter %s, zlib %s, gsl %s, inih%s%s, libcsv %d.%d.%d, "
            "glibc %d.%d\n",
            CAIRO_VERSION_STRING, PANGO_VERSION_STRING, LXW_VERSION, ZLIB_VERSION, GSL_VERSION, *inih ? " " : "",
            inih, CSV_MAJOR, CSV_MINOR, CSV_RELEASE, __GLIBC__, __GLIBC_MINOR__);
    fprintf(f, "runs with: cairo %s, pango %s, libxlsxwriter %s, zlib %s, gsl %s, glibc %s\n",
            cairo_version_string(), pango_version_string(), lxw_version(), zlibVersion(), gsl_version,
            gnu_get_libc_version());
}
