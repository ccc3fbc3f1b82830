/* Fuzz target: WARC captures (the warc source) on arbitrary bytes, read as
 * --from warc reads them; every record written passes the schema checks
 * (fuzz_common.h). */
#include "fuzz_common.h"

FUZZ_IMPORT_TARGET("warc")
