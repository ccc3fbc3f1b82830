/* fuzz_common.h — what the per-reader fuzz targets share: running one
 * source reader of mie-import over the input and checking that every
 * record written passes the schema v1 checks (importers repair or reject,
 * they never emit an invalid record).  Included by one target each: the
 * functions are static. */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <libxml/parser.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/mie_import.h"
#include "record/mie_schema.h"

#define FUZZ_MAX 65536

static void fuzz_setup(void)
{
	setlocale(LC_CTYPE, "C.UTF-8");
	xmlInitParser();
	mie_set_quiet(1);
}

static void fuzz_on_problem(void *ctx, const char *field, const char *problem)
{
	fprintf(stderr, "invalid record: %s: %s\n", field, problem);
	abort();
}

/* Every line of buf[0..len) is a record that passes the schema checks. */
static void fuzz_check_records(const char *buf, size_t len)
{
	for (const char *line = buf, *end = buf + len, *nl; line < end; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(end - line));
		if (!nl)
			abort(); /* a record line always ends */
		json_t *rec = json_loadb(line, (size_t)(nl - line), JSON_REJECT_DUPLICATES, NULL);
		if (!rec)
			abort();
		mie_schema_check(rec, fuzz_on_problem, NULL);
		json_decref(rec);
	}
}

/* Runs mie-import's source `from` (NULL: chosen by sniffing) over the
 * bytes, or over the file `path` when it is not NULL (archives, folders:
 * mie_import_path), and checks its records. */
static void fuzz_import(const uint8_t *data, size_t size, const char *from, const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	mie_import ctx;
	mie_import_init(&ctx);
	ctx.out = mie_writer_new(fp, MIE_FORM_JSONL);
	ctx.opt.from = from;
	if (path) {
		mie_import_path(&ctx, path);
	} else {
		mie_input *in = mie_input_open_memory(data, size, "fuzz.in");
		mie_loc where = {"fuzz.in", NULL, 0};
		if (in)
			mie_import_stream(&ctx, in, &where);
		mie_input_free(in);
	}
	mie_import_finish(&ctx);
	mie_writer_finish(ctx.out);
	mie_import_release(&ctx);
	fclose(fp);
	fuzz_check_records(buf, len);
	free(buf);
}

/* The two entry points of a target that runs source `from` on its input. */
#define FUZZ_IMPORT_TARGET(from)                                                                   \
	int LLVMFuzzerInitialize(int *argc, char ***argv)                                          \
	{                                                                                          \
		fuzz_setup();                                                                      \
		return 0;                                                                          \
	}                                                                                          \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)                               \
	{                                                                                          \
		if (size <= FUZZ_MAX)                                                              \
			fuzz_import(data, size, from, NULL);                                       \
		return 0;                                                                          \
	}

#endif
