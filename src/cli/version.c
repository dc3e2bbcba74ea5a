/*
 * version.c - `salesfocus --version`. "built with" comes from the headers
 * this binary was compiled against, "runs with" from the shared libraries
 * it loaded; the two differ after a library upgrade without a rebuild,
 * which is worth seeing in a bug report. inih, ISA-L, libcsv and minizip
 * have no version function, so they appear only under "built with" (inih's and
 * minizip's versions come from pkg-config through the Makefile, as their
 * headers have none).
 */
#include "cli/sf_version.h"

#include <cairo.h>
#include <csv.h>
#include <expat.h>
#include <gnu/libc-version.h>
#include <gsl/gsl_version.h>
#include <isa-l.h>
#include <string.h>
#include <pango/pango.h>
#include <xlsxwriter.h>
#include <zlib.h>

#ifndef SF_VERSION
#define SF_VERSION "dev"
#endif
#ifndef SF_INIH_VERSION
#define SF_INIH_VERSION ""
#endif
#ifndef SF_MINIZIP_VERSION
#define SF_MINIZIP_VERSION ""
#endif


void sf_print_version(FILE *f)
{
    const char *inih = SF_INIH_VERSION, *minizip = SF_MINIZIP_VERSION;
    const char *expat = XML_ExpatVersion(); /* "expat_2.5.0" */
    if (strncmp(expat, "expat_", 6) == 0)
        expat += 6;
    fprintf(f, "salesfocus %s\n", SF_VERSION);
    fprintf(f,
            "built with: cairo %s, pango %s, libxlsxwriter %s, zlib %s, isa-l %d.%d.%d, expat %d.%d.%d, gsl %s, "
            "inih%s%s, minizip%s%s, libcsv %d.%d.%d, glibc %d.%d\n",
            CAIRO_VERSION_STRING, PANGO_VERSION_STRING, LXW_VERSION, ZLIB_VERSION, ISAL_MAJOR_VERSION,
            ISAL_MINOR_VERSION, ISAL_PATCH_VERSION, XML_MAJOR_VERSION,
            XML_MINOR_VERSION, XML_MICRO_VERSION, GSL_VERSION, *inih ? " " : "", inih, *minizip ? " " : "",
            minizip, CSV_MAJOR, CSV_MINOR, CSV_RELEASE, __GLIBC__, __GLIBC_MINOR__);
    fprintf(f, "runs with: cairo %s, pango %s, libxlsxwriter %s, zlib %s, expat %s, gsl %s, glibc %s\n",
            cairo_version_string(), pango_version_string(), lxw_version(), zlibVersion(), expat, gsl_version,
            gnu_get_libc_version());
}
