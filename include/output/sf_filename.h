/*
 * sf_filename.h - file names made from data: an owner's name becomes the
 * <owner> part of email-<owner>.eml and review-<owner>.pdf.
 */
#ifndef SF_FILENAME_H
#define SF_FILENAME_H

/* A file-name-safe form of an owner name (no separators, no "..", no
 * control characters); malloc'd, NULL on out of memory. */
char *sf_safe_filename(const char *name);

#endif
