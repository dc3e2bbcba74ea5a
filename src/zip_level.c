/*
 * zip_level.c - make libxlsxwriter compress its zip at deflate level 1.
 *
 * libxlsxwriter has no option for the compression level and deflates at
 * zlib's default (6); on a 100,000-account workbook that was a third of
 * the whole run. Level 1 is about three times faster for ~15 % larger
 * files. The workbook library calls minizip's zipOpenNewFileInZip4_64
 * through the dynamic linker, so defining it here interposes it for the
 * process; this forwards to the real one with the level replaced.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>

#include "sf_common.h"

/* minizip's prototype (zip.h), spelled with plain C types. */
typedef int (*zip_open_fn)(void *file, const char *filename, const void *zipfi,
                           const void *extra_local, unsigned size_local, const void *extra_global,
                           unsigned size_global, const char *comment, int method, int level,
                           int raw, int window_bits, int mem_level, int strategy,
                           const char *password, unsigned long crc_for_crypting,
                           unsigned long version_made_by, unsigned long flag_base, int zip64);

int zipOpenNewFileInZip4_64(void *file, const char *filename, const void *zipfi,
                            const void *extra_local, unsigned size_local, const void *extra_global,
                            unsigned size_global, const char *comment, int method, int level,
                            int raw, int window_bits, int mem_level, int strategy,
                            const char *password, unsigned long crc_for_crypting,
                            unsigned long version_made_by, unsigned long flag_base, int zip64);

int zipOpenNewFileInZip4_64(void *file, const char *filename, const void *zipfi,
                            const void *extra_local, unsigned size_local, const void *extra_global,
                            unsigned size_global, const char *comment, int method, int level,
                            int raw, int window_bits, int mem_level, int strategy,
                            const char *password, unsigned long crc_for_crypting,
                            unsigned long version_made_by, unsigned long flag_base, int zip64)
{
    static zip_open_fn real;
    if (!real) {
        void *sym = dlsym(RTLD_NEXT, "zipOpenNewFileInZip4_64");
        if (!sym)
            return -104; /* ZIP_INTERNALERROR */
        *(void **)&real = sym;
    }
    if (level != 0) /* 0 = stored; keep it */
        level = 1;
    return real(file, filename, zipfi, extra_local, size_local, extra_global, size_global, comment,
                method, level, raw, window_bits, mem_level, strategy, password, crc_for_crypting,
                version_made_by, flag_base, zip64);
}
