/* mie_tmp.h — temporary files.
 *
 * Every spill of the tools (a dump's rows, web archive pages, references
 * to check, dedup's signatures) lives in one: created in $TMPDIR (or /tmp
 * when it is unset or empty), unlinked at once, so nothing is left behind
 * whatever happens to the process, and gone when closed. */
#ifndef MIE_TMP_H
#define MIE_TMP_H

#include <stdio.h>

/* Opens a new unlinked temporary file for reading and writing; the caller
 * owns it (fclose).  On failure raises exit status 2 and returns NULL,
 * after printing "DIR: cannot create a temporary file: REASON" the first
 * time in the run only (threads, inputs and spills that each need one
 * meet the same missing folder). */
FILE *mie_tmpfile(void);
#endif
