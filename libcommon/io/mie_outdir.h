/* mie_outdir.h — a folder output written whole or not at all: the files
 * of a writer that makes a tree (a Markdown site, redirect maps).
 *
 * The tree is written in a temporary folder beside the target
 * (".NAME.XXXXXX"); mie_outdir_commit puts it in place of NAME (an
 * existing folder NAME is moved aside first, then removed), so a failed
 * run leaves the previous NAME as it was.  Relative names inside the tree
 * are the caller's: they must be relative, with no empty, "." or ".." part
 * (mie_outdir_open_file refuses others). */
#ifndef MIE_OUTDIR_H
#define MIE_OUTDIR_H

#include <stdio.h>

typedef struct mie_outdir mie_outdir;

/* Creates the temporary folder for target `path` (borrowed; copied).
 * Returns NULL after a message (exit status 2).  The caller owns the
 * result and must commit or abort it. */
mie_outdir *mie_outdir_open(const char *path);
/* The target's absolute path, for files that name where they will be
 * (borrowed, lives until commit/abort). */
const char *mie_outdir_final(const mie_outdir *d);
/* Opens `rel` (borrowed) inside the tree for writing ("wb"), creating its
 * folders.  Returns NULL after a message (exit status 2). */
FILE *mie_outdir_open_file(mie_outdir *d, const char *rel);
/* Closes fp, opened by mie_outdir_open_file, checking for write errors.
 * Returns 0, or -1 after a message naming rel (exit status 2). */
int mie_outdir_close_file(mie_outdir *d, FILE *fp, const char *rel);
/* Writes s[0..n) as file rel.  Returns 0 or -1 after a message. */
int mie_outdir_write(mie_outdir *d, const char *rel, const char *s, size_t n);
/* Puts the tree in place, frees *d and clears it.  Returns 0, or -1 after
 * a message (the temporary tree removed). */
int mie_outdir_commit(mie_outdir **d);
/* Removes the temporary tree, frees *d and clears it; NULL: nothing. */
void mie_outdir_abort(mie_outdir **d);
/* Removes the folder `path` (borrowed) that this run made, and everything
 * in it (links are removed, never followed); for writers that build their
 * own temporary tree. */
void mie_outdir_remove_tree(const char *path);

#endif
