/* Fuzz target: ARC web archives (the arc source) on arbitrary bytes, read
 * as --from arc reads them; every record written passes the schema checks
 * (fuzz_common.h). */
#include "fuzz_common.h"

FUZZ_IMPORT_TARGET("arc")
