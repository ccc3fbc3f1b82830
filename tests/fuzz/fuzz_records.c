/* Fuzz target: the JSON Lines reader and the interchange XML reader, each
 * forced on the same bytes (fuzz_streams picks one by the first byte, as
 * the tools do): no crash, no leak, and every record either reader
 * accepts is JSON that jansson reads back equal. */
#include <libxml/parser.h>
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>

#include "io/mie_input.h"
#include "formats/mie_stream_impl.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	setlocale(LC_CTYPE, "C.UTF-8");
	xmlInitParser();
	return 0;
}

static void read_all(const uint8_t *data, size_t size, int xml)
{
	mie_input *in = mie_input_open_memory(data, size, "fuzz.in");
	if (!in)
		return;
	mie_reader *r = xml ? mie_ixml_reader_new(in) : mie_jsonl_reader_new(in);
	json_t *rec;
	mie_loc loc;
	int st;
	while ((st = mie_reader_next(r, &rec, &loc)) != MIE_READ_EOF && st != MIE_READ_FATAL) {
		if (st != MIE_READ_OK)
			continue;
		char *s = json_dumps(rec, JSON_COMPACT);
		json_t *back = s ? json_loads(s, 0, NULL) : NULL;
		if (!back || !json_equal(back, rec))
			abort();
		json_decref(back);
		free(s);
		json_decref(rec);
	}
	mie_reader_free(r);
	mie_input_free(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 65536)
		return 0;
	read_all(data, size, 0);
	read_all(data, size, 1);
	return 0;
}
