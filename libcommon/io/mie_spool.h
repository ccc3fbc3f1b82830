/* mie_spool.h — a temporary file written behind the caller, read back once.
 *
 * Bytes given to mie_spool_write are gathered in large buffers that a
 * second thread writes to an unlinked temporary file, so the kernel's copy
 * into the page cache overlaps the caller's work (on a dump of hundreds of
 * MB it is a tenth of the import).  mie_spool_rewind waits for the writes
 * and hands the file back, positioned at its start, for reading through
 * stdio.  When no thread can be started the writes are made in place.  A
 * spool is used by one thread at a time. */
#ifndef MIE_SPOOL_H
#define MIE_SPOOL_H

#include <stddef.h>
#include <stdio.h>

typedef struct mie_spool mie_spool;

/* Creates the temporary file.  On failure prints the reason, raises exit
 * status 2 and returns NULL.  The caller owns the result (mie_spool_free). */
mie_spool *mie_spool_new(void);

/* Appends n bytes (copied).  Returns 0, or -1 once a write has failed
 * (reported once, exit status 2). */
int mie_spool_write(mie_spool *s, const void *p, size_t n);

/* Ends writing and returns the file at its start, borrowed: it lives until
 * mie_spool_free.  NULL (reported, exit status 2) when a write failed.
 * Writing after it is not allowed. */
FILE *mie_spool_rewind(mie_spool *s);

/* Stops the writer, closes and frees.  NULL is a no-op. */
void mie_spool_free(mie_spool *s);
#endif
