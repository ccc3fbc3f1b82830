/* mie_path.h — file paths as records store them.
 *
 * Invariants: pure functions of their arguments (no file system access),
 * so the same input path gives the same stored path on every machine that
 * runs from the same place. */
#ifndef MIE_PATH_H
#define MIE_PATH_H

#include "core/mie_buf.h"

/* Appends to out `path` made relative to the folder `cwd` (absolute, as
 * getcwd gives it), lexically: "." components and repeated slashes are
 * dropped, "x/.." is folded, an absolute path is written from the last
 * component it shares with cwd ("../" for each of cwd's others), so that
 * it never starts with "/".  "/srv/a/b.zip" from "/srv/a" is "b.zip", from
 * "/srv/c" "../a/b.zip"; "./b.zip" is "b.zip"; "" or "." is ".".  A path
 * that stays above cwd (more ".." than components) keeps its "../". */
void mie_path_relative(mie_buf *out, const char *path, const char *cwd);

#endif
