/* Fuzz target: RSS and Atom feeds (the feed source) on arbitrary bytes,
 * read as --from feed reads them; every record written passes the schema
 * checks (fuzz_common.h). */
#include "fuzz_common.h"

FUZZ_IMPORT_TARGET("feed")
