/* Fuzz target: saved HTML pages (the html source) on arbitrary bytes, read
 * as --from html reads them; every record written passes the schema checks
 * (fuzz_common.h). */
#include "fuzz_common.h"

FUZZ_IMPORT_TARGET("html")
