/* mie-validate — checks interchange records against schema v1 and passes
 * the valid ones through.  See man/mie-validate.1. */
#include "cli/mie_cli.h"
#include "record/mie_record.h"
#include "record/mie_schema.h"
#include "formats/mie_sink.h"
#include "record/mie_xref.h"

enum { OPT_REJECTS = 1, OPT_STRICT, OPT_MEMORY };

static const mie_option options[] = {
        {OPT_REJECTS, 0, "rejects", "FILE",
         "write the invalid records, whole, to FILE (JSON Lines)"},
        {OPT_STRICT, 0, "strict", NULL, "references to ids absent from the stream are errors"},
        {OPT_MEMORY, 0, "memory", "SIZE", "memory for the id table (default 32M)"},
        {0, 0, NULL, NULL, NULL}};

typedef struct validate {
	mie_cli cli;
	const char *rejects_path;
	int strict;
	size_t memory;
	mie_sink *out, *rej; /* owned */
	mie_xref *xref;      /* owned */
	/* the record being checked */
	const char *rec_id;
	const mie_loc *loc;
	int problems;
	long valid, invalid, dangling;
} validate;

static int on_option(void *ctx, int id, const char *arg)
{
	validate *v = ctx;
	switch (id) {
	case OPT_REJECTS: v->rejects_path = arg; return 0;
	case OPT_STRICT: v->strict = 1; return 0;
	case OPT_MEMORY: {
		int64_t n = mie_cli_parse_size(arg);
		if (n < 0) {
			mie_fatal("--memory: not a size: \"%s\"", arg);
			return -1;
		}
		v->memory = (size_t)n;
		return 0;
	}
	}
	return 0;
}

static void report(void *ctx, const char *field, const char *problem)
{
	validate *v = ctx;
	v->problems++;
	mie_error_at(v->loc, "%s: %s: %s", v->rec_id, *field ? field : "(record)", problem);
}

static void note_ref(void *ctx, const char *field, const char *to)
{
	validate *v = ctx;
	mie_xref_add_ref(v->xref, v->rec_id, field, to, v->loc);
}

static void write_reject(validate *v, const json_t *rec, const mie_buf *raw)
{
	if (!v->rej)
		return;
	FILE *fp = mie_sink_file(v->rej);
	if (raw) {
		fwrite(raw->data, 1, raw->len, fp);
		fputc('\n', fp);
	} else if (rec) {
		json_dumpf(rec, fp, JSON_COMPACT);
		fputc('\n', fp);
	}
}

/* Where a record came from, for telling a duplicate id in one source (an
 * error) from the same thing imported from two sources (dedup's work):
 * its first provenance entry's format, file and member. */
static uint64_t source_of(const json_t *rec)
{
	const json_t *p = json_array_get(json_object_get(rec, "provenance"), 0);
	mie_buf k = MIE_BUF_INIT;
	mie_buf_addf(&k, "%s\t%s\t%s", mie_rec_str(p, "format") ? mie_rec_str(p, "format") : "",
	             mie_rec_str(p, "file") ? mie_rec_str(p, "file") : "",
	             mie_rec_str(p, "member") ? mie_rec_str(p, "member") : "");
	uint64_t h = mie_xref_hash(k.data);
	mie_buf_release(&k);
	return h;
}

/* Checks one record; writes it out or to the rejects. */
static void check_record(validate *v, json_t *rec, const mie_loc *loc, const mie_buf *raw)
{
	const char *id = mie_rec_str(rec, "id");
	v->rec_id = mie_rec_id_or_dash(rec);
	v->loc = loc;
	v->problems = 0;
	mie_schema_check(rec, report, v);
	mie_loc first;
	int dup = id ? mie_xref_add_id(v->xref, id, loc, source_of(rec), &first) : 0;
	if (dup == 1 || (dup == 2 && v->strict)) {
		mie_buf msg = MIE_BUF_INIT;
		mie_buf_addf(&msg, "duplicate id (first at %s:%ld)", first.file, first.line);
		report(v, "id", msg.data);
		mie_buf_release(&msg);
	} else if (dup == 2) {
		mie_warn_at(loc,
		            "%s: id: also read from another source (first at %s:%ld): "
		            "mie-dedup merges them",
		            id, first.file, first.line);
	}
	if (!v->problems) {
		mie_schema_each_ref(rec, note_ref, v); /* an invalid record's refs do not count */
		mie_buf why = MIE_BUF_INIT;
		if (mie_sink_put(v->out, rec, &why) == MIE_WRITE_BAD)
			report(v, "", why.data);
		mie_buf_release(&why);
	}
	if (v->problems) {
		v->invalid++;
		write_reject(v, rec, raw);
	} else {
		v->valid++;
	}
}

static void dangling(void *ctx, const mie_loc *loc, const char *from, const char *field,
                     const char *to)
{
	validate *v = ctx;
	if (v->strict)
		mie_error_at(loc, "%s: %s: reference to \"%s\", absent from the stream", from,
		             field, to);
	else
		mie_warn_at(loc, "%s: %s: reference to \"%s\", absent from the stream", from, field,
		            to);
}

static void run(validate *v)
{
	if (!(v->out = mie_sink_open(v->cli.output, v->cli.to)))
		return;
	if (v->rejects_path && !(v->rej = mie_sink_open(v->rejects_path, MIE_FORM_JSONL)))
		return mie_sink_abort(&v->out);
	v->xref = mie_xref_new(v->memory);
	mie_records *in = mie_cli_records(&v->cli, MIE_RECORDS_KEEP_BAD);
	json_t *rec;
	mie_loc loc;
	int st;
	while (!mie_sink_failed(v->out) &&
	       (st = mie_records_next(in, &rec, &loc)) != MIE_READ_EOF) {
		if (st == MIE_READ_OK)
			check_record(v, rec, &loc, mie_records_raw(in));
		else
			v->invalid++, write_reject(v, NULL, mie_records_raw(in));
		json_decref(rec);
	}
	long read = mie_records_get_stats(in)->records;
	mie_records_free(&in);
	v->dangling = mie_xref_finish(v->xref, dangling, v);
	mie_xref_free(v->xref);
	/* the rejects first: the output is the one a failed disk names */
	if (mie_sink_close(&v->rej) == 0 && mie_sink_close(&v->out) == 0)
		mie_note("%ld records read, %ld valid, %ld invalid, %ld dangling references", read,
		         v->valid, v->invalid, v->dangling < 0 ? 0 : v->dangling);
	mie_sink_abort(&v->out);
}

int main(int argc, char **argv)
{
	validate v = {
	        .cli = {.prog = "mie-validate",
	                .synopsis = "[OPTION]... [FILE]...",
	                .purpose =
	                        "Check interchange records (JSON Lines or XML, detected) against "
	                        "schema v1;\nvalid records go to the output, each problem to "
	                        "stderr as FILE:LINE: ID: FIELD: problem.",
	                .options = options,
	                .on_option = on_option,
	                .features = MIE_CLI_FORM | MIE_CLI_OUTPUT,
	                .file_outputs = (const int[]){OPT_REJECTS, 0}}};
	v.cli.ctx = &v;
	if (mie_cli_parse(&v.cli, argc, argv) == MIE_CLI_RUN)
		run(&v);
	return mie_cli_exit();
}
