/*
 * sf_file.h - opening the files a person names (inputs, config, presets,
 * templates) for reading: only regular files. A FIFO would block the run
 * forever, a device such as /dev/zero would feed it without end, and a
 * folder is a mistake; each is refused at once with a clear reason.
 */
#ifndef SF_FILE_H
#define SF_FILE_H

#include <stdio.h>

#include "base/sf_common.h"

/* Open path read-only if it is a regular file (opened without blocking,
 * then checked, so a FIFO never waits for a writer). Returns the
 * descriptor (O_CLOEXEC), or -1 with why (at least 96 bytes) set to the
 * reason: the system's ("No such file or directory", "Is a directory")
 * or "is a FIFO, not a regular file" and the like. */
int sf_open_regular(const char *path, char *why, size_t why_n);
/* The same as a stdio stream ("r"). */
FILE *sf_fopen_regular(const char *path, char *why, size_t why_n);
/* Read a whole regular file of at most max bytes: *data malloc'd and
 * NUL-terminated (caller frees), *len its length. 0, or an errno value
 * (EFBIG when it is larger than max) with why set as above. */
int sf_read_regular(const char *path, size_t max, char **data, size_t *len, char *why, size_t why_n);

/* An unlinked temporary file in dir (O_TMPFILE, or a file made and
 * unlinked at once where the file system has none): never seen in the
 * folder, gone with the process whatever happens. The descriptor
 * (O_RDWR, O_CLOEXEC), or -1 with errno set. */
int sf_tmpfile(const char *dir);

#endif
