/* mie-dedup — finds duplicate records and marks, merges or drops them.
 * The work lives in libcommon/dedup; see man/mie-dedup.1. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/mie_cli.h"
#include "dedup/mie_dedup.h"
#include "formats/mie_sink.h"
#include "record/mie_record.h"

enum {
	OPT_MODE = 1,
	OPT_THRESHOLD,
	OPT_REPORT,
	OPT_REPORT_FORMAT,
	OPT_METHODS,
	OPT_MEMORY,
	OPT_MERGE_METHODS,
	OPT_UNMERGE
};

static const mie_option options[] = {
        {OPT_MODE, 0, "mode", "MODE", "mark (default), merge or drop"},
        {OPT_THRESHOLD, 0, "threshold", "T", "near: Jaccard similarity from T (default 0.8)"},
        {OPT_METHODS, 0, "methods", "LIST",
         "comma-separated: identity,exact,near,name (default all)"},
        {OPT_MERGE_METHODS, 0, "merge-methods", "LIST",
         "merge: the methods whose duplicates are merged, the others marked (default "
         "identity,exact)"},
        {OPT_UNMERGE, 0, "unmerge", NULL,
         "split merged records back into their members, as they were before the merge"},
        {OPT_REPORT, 0, "report", "FILE", "write the clusters found to FILE"},
        {OPT_REPORT_FORMAT, 0, "report-format", "FORM", "json (default) or text"},
        {OPT_MEMORY, 0, "memory", "SIZE",
         "near: signatures (their LSH keys) held in memory (default 256M)"},
        {0, 0, NULL, NULL, NULL}};

typedef struct dedup_run {
	mie_cli cli;
	mie_dedup_opts opts;
	const char *report_path;
	int report_text, unmerge;
	mie_dedup *engine;      /* owned */
	mie_sink *out, *report; /* owned */
} dedup_run;

static int on_option(void *ctx, int id, const char *arg)
{
	dedup_run *v = ctx;
	char *end;
	switch (id) {
	case OPT_MODE:
		if (mie_dedup_mode_parse(arg, &v->opts.mode) == 0)
			return 0;
		mie_fatal("--mode: expected mark, merge or drop, not \"%s\"", arg);
		return -1;
	case OPT_THRESHOLD:
		v->opts.threshold = strtod(arg, &end);
		if (*arg && !*end && v->opts.threshold > 0 && v->opts.threshold <= 1)
			return 0;
		mie_fatal("--threshold: expected a number in ]0, 1], not \"%s\"", arg);
		return -1;
	case OPT_METHODS:
		if (mie_dedup_methods_parse(arg, &v->opts.methods) == 0)
			return 0;
		mie_fatal("--methods: expected names among identity,exact,near,name, not \"%s\"",
		          arg);
		return -1;
	case OPT_MERGE_METHODS:
		if (mie_dedup_methods_parse(arg, &v->opts.merge_methods) == 0)
			return 0;
		mie_fatal("--merge-methods: expected names among identity,exact,near,name, not "
		          "\"%s\"",
		          arg);
		return -1;
	case OPT_UNMERGE: v->unmerge = 1; return 0;
	case OPT_REPORT: v->report_path = arg; return 0;
	case OPT_REPORT_FORMAT:
		if (strcmp(arg, "json") == 0 || strcmp(arg, "text") == 0)
			return v->report_text = arg[0] == 't', 0;
		mie_fatal("--report-format: expected json or text, not \"%s\"", arg);
		return -1;
	case OPT_MEMORY: {
		int64_t n = mie_cli_parse_size(arg);
		if (n > 0)
			return v->opts.memory = (size_t)n, 0;
		mie_fatal("--memory: not a size: \"%s\"", arg);
		return -1;
	}
	}
	return 0;
}

/* JSON Lines go to the engine's scanner (mie_dedup_add_input). */
static int take_jsonl(void *ctx, const char *path, mie_input *in, mie_records_stats *st)
{
	dedup_run *v = ctx;
	return mie_dedup_add_input(v->engine, path, in, &st->records, &st->bad);
}

/* Pass 1: every record of every input into the engine. */
static int read_inputs(dedup_run *v, long *read)
{
	mie_records_opts o = {0, v->cli.progress, take_jsonl, v};
	mie_records *in = mie_records_open(v->cli.inputs, v->cli.ninputs, &o);
	json_t *rec;
	mie_loc loc;
	int rc = 0;
	while (rc == 0 && mie_records_next(in, &rec, &loc) == MIE_READ_OK) {
		rc = mie_dedup_add(v->engine, rec, NULL, 0);
		json_decref(rec);
	}
	*read = mie_records_get_stats(in)->records;
	mie_records_free(&in);
	return rc < 0 || mie_exit_status() == MIE_EXIT_FATAL ? -1 : 0;
}

/* --unmerge: every merged record becomes its members again, the others
 * pass as they are. */
static void unmerge(dedup_run *v)
{
	if (!(v->out = mie_sink_open(v->cli.output, v->cli.to)))
		return;
	mie_records *in = mie_cli_records(&v->cli, 0);
	json_t *rec;
	mie_loc loc;
	long read = 0, merged = 0, written = 0;
	mie_buf why = MIE_BUF_INIT;
	while (!mie_sink_failed(v->out) && mie_records_next(in, &rec, &loc) == MIE_READ_OK) {
		read++;
		mie_buf_reset(&why);
		json_t *members = mie_dedup_unmerge(rec, &why);
		if (!members && why.len)
			mie_error_at(&loc, "%s: not split: %s", mie_rec_id_or_dash(rec), why.data);
		merged += members != NULL;
		for (size_t i = 0; i < (members ? json_array_size(members) : 1); i++) {
			mie_buf_reset(&why);
			if (mie_sink_put(v->out, members ? json_array_get(members, i) : rec,
			                 &why) == MIE_WRITE_BAD)
				mie_error_at(&loc, "%s: %s", mie_rec_id_or_dash(rec), why.data);
			else
				written++;
		}
		json_decref(members);
		json_decref(rec);
	}
	mie_buf_release(&why);
	mie_records_free(&in);
	if (mie_sink_close(&v->out) == 0 && !v->cli.quiet)
		mie_note("%ld records read, %ld merged records split, %ld written", read, merged,
		         written);
}

static void run(dedup_run *v)
{
	long read;
	if (!(v->engine = mie_dedup_new(&v->opts)) ||
	    !(v->out = mie_sink_open(v->cli.output, v->cli.to)))
		return;
	if (v->report_path && !(v->report = mie_sink_open(v->report_path, MIE_FORM_JSONL)))
		return mie_sink_abort(&v->out);
	if (read_inputs(v, &read) < 0 || mie_dedup_cluster(v->engine) < 0) {
		mie_sink_abort(&v->out);
		return mie_sink_abort(&v->report);
	}
	FILE *fp = mie_sink_file(v->out);
	setvbuf(fp, NULL, _IOFBF, 1 << 20); /* nothing written yet: big blocks out */
	/* JSON Lines: the engine copies unchanged lines itself */
	int rc = mie_dedup_write(v->engine,
	                         v->cli.to == MIE_FORM_XML ? mie_sink_writer(v->out) : NULL, fp);
	if (rc == MIE_WRITE_IO)
		mie_sink_fail(v->out, errno);
	else if (rc == 0 && v->report &&
	         (rc = mie_dedup_report(v->engine, mie_sink_file(v->report), v->report_text)) < 0)
		rc == -1 ? mie_sink_fail(v->report, errno) : mie_sink_abort(&v->report);
	const mie_dedup_stats *s = mie_dedup_get_stats(v->engine);
	if (mie_sink_close(&v->out) == 0 && mie_sink_close(&v->report) == 0 && !v->cli.quiet)
		mie_note("%ld records read, %ld clusters, %ld duplicates, %ld written", read,
		         s->clusters, s->duplicates, s->written);
	mie_sink_abort(&v->report);
}

int main(int argc, char **argv)
{
	dedup_run v = {.cli = {.prog = "mie-dedup",
	                       .synopsis = "[OPTION]... [FILE]...",
	                       .purpose =
	                               "Find duplicate records (same id or legacy URL, same "
	                               "normalized content, edited copies,\nsame name) and mark, "
	                               "merge or drop them.  Exit 0 ok, 1 unreadable records, 2 "
	                               "fatal.",
	                       .options = options,
	                       .on_option = on_option,
	                       .features = MIE_CLI_FORM | MIE_CLI_OUTPUT,
	                       .file_outputs = (const int[]){OPT_REPORT, 0}},
	               .opts = {MIE_DEDUP_ALL, 0.8, 256u << 20, MIE_DEDUP_MARK,
	                        MIE_DEDUP_IDENTITY | MIE_DEDUP_EXACT}};
	v.cli.ctx = &v;
	if (mie_cli_parse(&v.cli, argc, argv) != MIE_CLI_RUN)
		;
	else if (v.unmerge && v.report_path)
		mie_fatal("--unmerge: no clusters to report (--report)");
	else if (v.unmerge)
		unmerge(&v);
	else
		run(&v);
	mie_dedup_free(&v.engine);
	return mie_cli_exit();
}
