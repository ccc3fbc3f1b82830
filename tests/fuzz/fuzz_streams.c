/* Fuzz target: the record stream readers (JSON Lines or XML, detected from
 * the first byte, as the tools do), and the round trip of every record they
 * accept through the interchange XML writer and reader (must give back an
 * equal record, or be refused by the writer as not representable). */
#include <libxml/parser.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "io/mie_input.h"
#include "formats/mie_stream.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	setlocale(LC_CTYPE, "C.UTF-8");
	xmlInitParser();
	return 0;
}

static void round_trip(const json_t *rec)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	mie_writer *w = mie_writer_new(fp, MIE_FORM_XML);
	int rc = mie_writer_put(w, rec, NULL);
	mie_writer_finish(w);
	fclose(fp);
	if (rc == MIE_WRITE_OK) {
		mie_input *in = mie_input_open_memory(buf, len, "rt.xml");
		mie_reader *r = mie_reader_open(in);
		json_t *back;
		mie_loc loc;
		if (mie_reader_next(r, &back, &loc) != MIE_READ_OK || !json_equal(back, rec))
			abort();
		json_decref(back);
		mie_reader_free(r);
		mie_input_free(in);
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 65536)
		return 0;
	mie_input *in = mie_input_open_memory(data, size, "fuzz.in");
	if (!in)
		return 0;
	mie_reader *r = mie_reader_open(in);
	json_t *rec;
	mie_loc loc;
	int st;
	while ((st = mie_reader_next(r, &rec, &loc)) != MIE_READ_EOF && st != MIE_READ_FATAL) {
		if (st == MIE_READ_OK) {
			round_trip(rec);
			json_decref(rec);
		}
	}
	mie_reader_free(r);
	mie_input_free(in);
	return 0;
}
