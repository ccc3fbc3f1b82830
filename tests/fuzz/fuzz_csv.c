/* Fuzz target: CSV exports (the csv source) on arbitrary bytes, read as
 * --from csv reads them; every record written passes the schema checks
 * (fuzz_common.h). */
#include "fuzz_common.h"

FUZZ_IMPORT_TARGET("csv")
