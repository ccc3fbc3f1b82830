/* mie_export_files.h — the documents' files of an export, read from
 * --files-root DIR|ARCHIVE: the one reading the writers that copy
 * attachments (bagit, html) share.
 *
 * Invariants:
 *  - the wanted paths are the documents' `file` values, relative to the
 *    site's root ("IMG/pdf/guide.pdf"); a path mie_bagit_path_problem
 *    refuses is never looked for (a file outside the root is never read);
 *  - DIR: each path is opened under DIR if it is a regular file there;
 *    ARCHIVE (any format and filter libarchive reads): its regular members
 *    are matched by name ("./" dropped), read as they are (a .gz member is
 *    not decompressed), each path at most once (the first member wins);
 *  - the bytes are handed to the caller as they are read (one pass, never
 *    held whole). */
#ifndef MIE_EXPORT_FILES_H
#define MIE_EXPORT_FILES_H

#include <stdint.h>

#include "formats/mie_bagit.h"

/* Called once per wanted path found: i is its index in paths, size its
 * size, rd/src where its bytes come from (borrowed for the call), what
 * names it for messages ("ROOT/PATH", "ROOT: MEMBER").  Returns 0, or -1
 * after a message to stop (fatal). */
typedef int (*mie_export_file_fn)(void *ctx, size_t i, int64_t size, mie_bagit_read_fn rd,
                                  void *src, const char *what);

/* Looks for paths[0..n) (borrowed) in root and calls fn for each one
 * found.  Returns 0 (paths not found are the caller's to say), or -1 after
 * a message (root unreadable, or fn stopped). */
int mie_export_files_read(const char *root, const char *const *paths, size_t n,
                          mie_export_file_fn fn, void *ctx);

#endif
