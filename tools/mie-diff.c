/* mie-diff — record-level differences between two streams: added, removed
 * and changed records, with the fields that changed.  Exit 0 when equal, 1
 * when different, 2 on trouble, like diff(1).  See man/mie-diff.1; the
 * work is libcommon/select/mie_diff.c. */
#include <string.h>

#include "cli/mie_cli.h"
#include "formats/mie_sink.h"
#include "select/mie_diff.h"
#include "record/mie_record.h"

enum { OPT_IGNORE = 1, OPT_JSON, OPT_ALL, OPT_MEMORY };

static const mie_option options[] = {
        {OPT_IGNORE, 0, "ignore", "FIELD",
         "leave FIELD out of the comparison (repeatable; provenance always, unless --all)"},
        {OPT_ALL, 0, "all", NULL, "compare provenance too"},
        {OPT_JSON, 0, "json", NULL, "one JSON object per difference, for scripts"},
        {OPT_MEMORY, 0, "memory", "SIZE", "memory for sorting, per input (default 64M)"},
        {0, 0, NULL, NULL, NULL}};

#define MAX_IGNORE 64

typedef struct diff {
	mie_cli cli;
	mie_diff_opts o;
	const char *ignore[MAX_IGNORE + 1];
	int all;
} diff;

static int on_option(void *ctx, int id, const char *arg)
{
	diff *d = ctx;
	switch (id) {
	case OPT_IGNORE:
		if (d->o.nignore == MAX_IGNORE) {
			mie_fatal("--ignore: at most %d fields", MAX_IGNORE);
			return -1;
		}
		d->ignore[d->o.nignore++] = arg;
		return 0;
	case OPT_ALL: d->all = 1; return 0;
	case OPT_JSON: d->o.json = 1; return 0;
	case OPT_MEMORY: {
		int64_t n = mie_cli_parse_size(arg);
		if (n <= 0) {
			mie_fatal("--memory: not a size: \"%s\"", arg);
			return -1;
		}
		d->o.memory = (size_t)n;
		return 0;
	}
	}
	return 0;
}

static int run(diff *d)
{
	if (d->cli.ninputs != 2) {
		mie_fatal("two inputs expected, A and B (\"-\" for standard input)");
		return -1;
	}
	if (!d->all)
		d->ignore[d->o.nignore++] = "provenance";
	d->o.ignore = d->ignore;
	/* the report goes through the one output sink: -o atomic, a write
	 * error said once */
	mie_sink *out = mie_sink_open(d->cli.output, MIE_FORM_JSONL);
	if (!out)
		return -1;
	mie_diff *x = mie_diff_new(&d->o, mie_sink_file(out));
	for (int side = 0; side < 2; side++)
		if (mie_diff_read(x, side, d->cli.inputs[side]) < 0)
			break;
	mie_diff_stats st;
	/* an input that could not be read whole is trouble, not a difference */
	int rc = mie_exit_status() == MIE_EXIT_OK ? mie_diff_run(x, &st) : -1;
	mie_diff_free(&x);
	if (rc < 0)
		mie_status_raise(MIE_EXIT_FATAL); /* the previous -o file stays */
	if (mie_sink_close(&out) < 0 || rc < 0)
		return -1;
	mie_note("%ld added, %ld removed, %ld changed, %ld identical", st.added, st.removed,
	         st.changed, st.same);
	return st.added || st.removed || st.changed;
}

int main(int argc, char **argv)
{
	diff d = {.cli = {.prog = "mie-diff",
	                  .synopsis = "[OPTION]... A B",
	                  .purpose = "Compare two interchange record streams (or BagIt dossiers) "
	                             "record by record "
	                             "(paired by id):\nadded, removed and changed records, "
	                             "and the fields that changed.",
	                  .epilog = "Exit status: 0 the same records, 1 differences, 2 trouble.",
	                  .options = options,
	                  .on_option = on_option,
	                  .features = MIE_CLI_OUTPUT}};
	d.cli.ctx = &d;
	if (mie_cli_parse(&d.cli, argc, argv) != MIE_CLI_RUN)
		return mie_cli_exit();
	int rc = run(&d);
	if (rc < 0)
		mie_status_raise(MIE_EXIT_FATAL);
	else if (rc > 0)
		mie_status_raise(MIE_EXIT_DATA);
	return mie_cli_exit();
}
