/* mie-dedup — finds duplicate records and marks, merges or drops them.
 * The work lives in libcommon/dedup; see man/mie-dedup.1. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mie_cli.h"
#include "mie_dedup.h"
#include "mie_output.h"

enum { OPT_MODE = 1, OPT_THRESHOLD, OPT_REPORT, OPT_REPORT_FORMAT, OPT_METHODS, OPT_MEMORY };

static const mie_option options[] = {
        {OPT_MODE, 0, "mode", "MODE", "mark (default), merge or drop"},
        {OPT_THRESHOLD, 0, "threshold", "T", "near: Jaccard similarity from T (default 0.8)"},
        {OPT_METHODS, 0, "methods", "LIST",
         "comma-separated: identity,exact,near,name (default all)"},
        {OPT_REPORT, 0, "report", "FILE", "write the clusters found to FILE"},
        {OPT_REPORT_FORMAT, 0, "report-format", "FORM", "json (default) or text"},
        {OPT_MEMORY, 0, "memory", "SIZE", "MinHash signatures held in memory (default 256M)"},
        {0, 0, NULL, NULL, NULL}};

typedef struct dedup_run {
	mie_cli cli;
	mie_dedup_opts opts;
	const char *report_path;
	int report_text;
	mie_dedup *engine;        /* owned */
	mie_output *out, *report; /* owned */
	long bad, read;
	mie_progress progress; /* pass 1, per record or per file */
	int64_t bytes_done;    /* raw bytes of the inputs already read */
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

/* Pass 1 over one input. */
static int read_input(dedup_run *v, const char *path)
{
	int direct = strcmp(path, "-") ? mie_dedup_add_file(v->engine, path) : 1;
	if (direct != 1) {
		struct stat st;
		v->bytes_done += stat(path, &st) == 0 ? st.st_size : 0;
		mie_progress_tick(&v->progress, v->read, v->bytes_done);
		return direct;
	}
	mie_input *in = mie_input_open(path);
	if (!in)
		return 0;
	mie_reader *r = mie_reader_open(in);
	json_t *rec;
	mie_loc loc;
	int st, rc = 0;
	while (rc == 0 && (st = mie_reader_next(r, &rec, &loc)) != MIE_READ_EOF) {
		if (st == MIE_READ_OK) {
			const mie_buf *raw = mie_reader_raw(r);
			rc = mie_dedup_add(v->engine, rec, raw ? raw->data : NULL,
			                   raw ? raw->len : 0);
			json_decref(rec);
			mie_progress_tick(&v->progress, ++v->read,
			                  v->bytes_done + mie_input_raw_bytes(in));
		} else {
			v->bad++;
			mie_error_at(&loc, "%s", mie_reader_error(r));
			if (st == MIE_READ_FATAL)
				break;
		}
	}
	v->bytes_done += mie_input_raw_bytes(in);
	mie_reader_free(r);
	mie_input_free(in);
	return rc;
}

static int run(dedup_run *v)
{
	if (!(v->engine = mie_dedup_new(&v->opts)) || !(v->out = mie_output_open(v->cli.output)))
		return -1;
	if (v->report_path && !(v->report = mie_output_open(v->report_path)))
		return -1;
	mie_progress_init(&v->progress, v->cli.progress, mie_cli_inputs_size(&v->cli));
	for (int i = 0; i < v->cli.ninputs; i++)
		if (read_input(v, v->cli.inputs[i]) < 0)
			return -1;
	mie_progress_done(&v->progress);
	if (mie_exit_status() == MIE_EXIT_FATAL || mie_dedup_cluster(v->engine) < 0)
		return -1;
	FILE *fp = mie_output_file(v->out);
	setvbuf(fp, NULL, _IOFBF, 1 << 20); /* nothing written yet: big blocks out */
	mie_writer *w = v->cli.to == MIE_FORM_XML ? mie_writer_new(fp, MIE_FORM_XML) : NULL;
	int rc = mie_dedup_write(v->engine, w, fp);
	if (w && mie_writer_finish(w) != MIE_WRITE_OK)
		rc = MIE_WRITE_IO;
	if (rc == MIE_WRITE_IO) {
		mie_output_epipe_exit(errno);
		mie_fatal("%s: write error: %s", mie_output_name(v->out), strerror(errno));
	}
	if (rc || (v->report &&
	           mie_dedup_report(v->engine, mie_output_file(v->report), v->report_text) < 0))
		return -1;
	if (mie_output_commit(v->out) < 0 || (v->out = NULL, 0) ||
	    (v->report && mie_output_commit(v->report) < 0))
		return v->report = NULL, -1;
	v->report = NULL;
	const mie_dedup_stats *s = mie_dedup_get_stats(v->engine);
	if (!v->cli.quiet)
		mie_note("%ld records read, %ld clusters, %ld duplicates, %ld written", s->records,
		         s->clusters, s->duplicates, s->written);
	return 0;
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
	                       .features = MIE_CLI_FORM | MIE_CLI_OUTPUT},
	               .opts = {MIE_DEDUP_ALL, 0.8, 256u << 20, MIE_DEDUP_MARK}};
	v.cli.ctx = &v;
	int rc = mie_cli_parse(&v.cli, argc, argv);
	if (rc != MIE_CLI_RUN)
		return rc == MIE_CLI_EXIT_OK ? MIE_EXIT_OK : MIE_EXIT_FATAL;
	if (run(&v) < 0)
		mie_status_raise(MIE_EXIT_FATAL);
	mie_output_abort(v.out);
	mie_output_abort(v.report);
	mie_dedup_free(v.engine);
	return mie_cli_exit();
}
