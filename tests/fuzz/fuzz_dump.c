/* Fuzz target: SPIP 1.9 XML dump rows (the spip-dump source) on arbitrary
 * bytes, read as --from spip-dump reads them; every record written passes
 * the schema checks (fuzz_common.h). */
#include "fuzz_common.h"

FUZZ_IMPORT_TARGET("spip-dump")
