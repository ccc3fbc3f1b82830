/* mie_bagit.h — the rules of BagIt 1.0 (RFC 8493) that the bag writer
 * (export/mie_export_bagit.c) and the bag reader (import/mie_src_bagit.c)
 * share, so that what one writes the other reads by the same definition.
 *
 * Invariants:
 *  - tag files are UTF-8, lines end with LF;
 *  - a manifest line is "CHECKSUM  PATH": lowercase hex, two spaces (so
 *    that sha256sum -c reads it when no escape is needed), PATH relative
 *    to the bag, '/' separated, with '%', LF and CR written %25, %0A, %0D
 *    (RFC 8493 section 2.1.3); nothing else is escaped;
 *  - a path that may go in a bag is relative, UTF-8 without control
 *    characters other than LF and CR, with no empty, "." or ".." part
 *    (mie_bagit_path_problem);
 *  - both payload digests are computed in one pass over the bytes
 *    (mie_bagit_digest). */
#ifndef MIE_BAGIT_H
#define MIE_BAGIT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/mie_buf.h"

/* The digests mie computes: SHA-256 and SHA-512 (OpenSSL's libcrypto). */
enum { MIE_BAGIT_SHA256, MIE_BAGIT_SHA512, MIE_BAGIT_NALGS };
extern const char *const mie_bagit_alg_names[MIE_BAGIT_NALGS]; /* "sha256", "sha512" */

typedef struct mie_bagit_digest mie_bagit_digest;
/* A new pair of running digests.  The caller owns it. */
mie_bagit_digest *mie_bagit_digest_new(void);
void mie_bagit_digest_update(mie_bagit_digest *d, const void *p, size_t n);
/* Writes the lowercase hex digests into hex[alg] (NUL-terminated) and
 * starts over. */
void mie_bagit_digest_final(mie_bagit_digest *d, char hex[MIE_BAGIT_NALGS][129]);
/* Frees *d and clears it; NULL is a no-op. */
void mie_bagit_digest_free(mie_bagit_digest **d);

/* NULL when path may be a file of a bag, else why not (a static string:
 * "absolute", "empty part", "\"..\" part", "control character",
 * "not UTF-8"). */
const char *mie_bagit_path_problem(const char *path);

/* Appends path escaped for a manifest line. */
void mie_bagit_escape(mie_buf *out, const char *path);
/* Appends the manifest path p (n bytes) unescaped: %25 %0A %0D (either
 * case) become their bytes, any other '%' stays as it is. */
void mie_bagit_unescape(mie_buf *out, const char *p, size_t n);

/* Parses one manifest line (without its LF; a final CR is dropped):
 * sets *hex (borrowed from line, *hexlen bytes) and appends the unescaped
 * path to `path`.  Returns 0, or -1 when it is not "HEX<space>PATH". */
int mie_bagit_parse_line(const char *line, size_t n, const char **hex, size_t *hexlen,
                         mie_buf *path);

/* Payload-Oxum "OCTETS.STREAMS". */
void mie_bagit_oxum(mie_buf *out, int64_t bytes, long files);
/* Bag-Size for people: "183.4 KB" (powers of 1000, as bagit tools write). */
void mie_bagit_size(mie_buf *out, int64_t bytes);

/* Where a packaged file's bytes come from, for code that digests them as
 * they pass: reads up to n bytes into buf, returns the count, 0 at end, -1
 * on error (errno or the archive's error says why). */
typedef ssize_t (*mie_bagit_read_fn)(void *src, void *buf, size_t n);
/* src is a FILE * (borrowed). */
ssize_t mie_bagit_read_stdio(void *src, void *buf, size_t n);
/* src is a libarchive reader positioned at an entry's data (borrowed). */
ssize_t mie_bagit_read_archive(void *src, void *buf, size_t n);
/* src is a mie_bagit_mem: bytes in memory (borrowed), consumed as read. */
typedef struct mie_bagit_mem {
	const char *p;
	size_t left;
} mie_bagit_mem;
ssize_t mie_bagit_read_mem(void *src, void *buf, size_t n);

#endif
