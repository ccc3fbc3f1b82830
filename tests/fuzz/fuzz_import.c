/* Fuzz target: mie-import's source readers (SPIP dump, saved pages, CSV,
 * chosen by sniffing as the tool does) on arbitrary bytes.  Besides not
 * crashing, every record they write must pass the schema v1 checks: the
 * importers repair or reject, they never emit an invalid record. */
#include <libxml/parser.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/mie_import.h"
#include "record/mie_schema.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	setlocale(LC_CTYPE, "C.UTF-8");
	xmlInitParser();
	mie_set_quiet(1);
	return 0;
}

static void on_problem(void *ctx, const char *field, const char *problem)
{
	fprintf(stderr, "invalid record: %s: %s\n", field, problem);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 65536)
		return 0;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	mie_import ctx;
	mie_import_init(&ctx);
	ctx.out = mie_writer_new(fp, MIE_FORM_JSONL);
	/* CSV is chosen by file name, which a fuzz input lacks: a quarter of
	 * the inputs are read as CSV */
	if (size && data[0] % 4 == 0)
		ctx.opt.from = "csv";
	mie_input *in = mie_input_open_memory(data, size, "fuzz.in");
	mie_loc where = {"fuzz.in", NULL, 0};
	if (in)
		mie_import_stream(&ctx, in, &where);
	mie_import_finish(&ctx);
	mie_writer_finish(ctx.out);
	mie_input_free(in);
	mie_import_release(&ctx);
	fclose(fp);
	/* every line written is a valid record */
	for (char *line = buf, *nl; line && *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			break;
		json_t *rec = json_loadb(line, (size_t)(nl - line), JSON_REJECT_DUPLICATES, NULL);
		if (!rec)
			abort();
		mie_schema_check(rec, on_problem, NULL);
		json_decref(rec);
	}
	free(buf);
	return 0;
}
