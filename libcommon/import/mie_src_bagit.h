/* mie_src_bagit.h — reading a BagIt package of mie records after checking
 * it whole (see mie_src_bagit.c for what is checked and held): the reader
 * behind `mie-import --from bagit`, and a bag given to mie-diff. */
#ifndef MIE_SRC_BAGIT_H
#define MIE_SRC_BAGIT_H

#include <jansson.h>

#include "core/mie_err.h"

/* Gets each record of a valid package in order (rec: a new reference the
 * callee owns, its bagit provenance entry added; loc borrowed), or an
 * unreadable line (rec NULL, why says why).  Returns 0 to go on, -1 to
 * stop (output error). */
typedef int (*mie_bagit_record_fn)(void *ctx, json_t *rec, const mie_loc *loc, const char *why);

/* Checks the package at path (folder, .zip, .tar.gz); when it is valid,
 * writes its attachments (data/files/PATH) to files_out/PATH when files_out
 * is not NULL (each atomically, hashed again as it is written), then hands
 * its records to fn.  Returns 0 (valid, records handed), 1 (refused:
 * every problem said, exit status 1, no record handed) or -1 (fatal,
 * said, exit status 2). */
int mie_bagit_read(const char *path, const char *files_out, mie_bagit_record_fn fn, void *ctx);

/* 1 when path looks like a package: a folder holding bagit.txt, or a
 * .zip, .tar.gz or .tgz file. */
int mie_bagit_is_package(const char *path);

#endif
