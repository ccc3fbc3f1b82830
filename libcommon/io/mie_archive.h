/* mie_archive.h — walking a command-line input that may be a folder or an
 * archive, handing each file in it to a callback as a stream.
 *
 * - A folder is walked in name order; symbolic links are never followed
 *   (named in a warning), so loops cannot happen.
 * - A file is opened through libarchive with the accepted archive formats
 *   (tar, zip, 7z, cpio) and every compression filter.  If it is an archive,
 *   each regular member is a stream; a member that is itself an archive is
 *   walked in turn, down to `max_depth` levels.  Otherwise the file, once
 *   decompressed, is one stream (so dump.xml.gz is a dump, not an archive).
 * - Members are read as streams, never extracted: nothing is written to disk.
 *   Members whose names hold ".." or start with "/", symbolic and hard links,
 *   devices, FIFOs and sockets, and encrypted members are skipped, each named
 *   in a warning (exit status 1).
 * - One budget per command-line input bounds the bytes that come out, in
 *   total and as ratios (decompression bombs): of the file as a whole, and
 *   of each member of a zip, tar or cpio with no compression filter to its
 *   own stored bytes (see mie_budget in mie_input.h).  Past it the member
 *   stops with an error (its stream fails); the walk goes on with the
 *   archive's next member when that costs no decompression (see past_a_bomb
 *   in mie_archive.c), else with the next command-line input.  A stream
 *   abandoned by its reader because it failed stops only itself.
 * Member paths are UTF-8 (the tools set LC_CTYPE to C.UTF-8); a member of a
 * nested archive is named "outer/inner.zip!page.html". */
#ifndef MIE_ARCHIVE_H
#define MIE_ARCHIVE_H

#include <stdint.h>

#include "core/mie_err.h"
#include "io/mie_input.h"

typedef struct mie_walk_options {
	int64_t max_bytes; /* bytes out per input; 0 = default 4 GiB */
	double max_ratio;  /* 0 = default 1000:1 (checked after the first MiB),
	                      < 0 = not checked */
	int max_depth;     /* archives inside archives; 0 = default 3 */
} mie_walk_options;

/* Called once per stream: `in` and `where` are borrowed for the call
 * (where->file is the command-line path, where->member the member path or
 * NULL).  Returns 0 to go on, -1 to stop the walk (output error). */
typedef int (*mie_walk_fn)(void *ctx, mie_input *in, const mie_loc *where);

/* Walks path ("-" = standard input).  Returns 0, or -1 when the walk was
 * stopped by the callback or a fatal error (message printed). */
int mie_walk(const char *path, const mie_walk_options *opt, mie_walk_fn fn, void *ctx);

#endif
