/* mie-stats — a summary of a record stream, for people (text), scripts
 * (--json) or a page to open (--html FILE, SVG charts, no script).  See
 * man/mie-stats.1; the counting and drawing are libcommon/select/mie_stats.c. */
#include <stdlib.h>
#include <string.h>

#include "cli/mie_cli.h"
#include "io/mie_output.h"
#include "select/mie_stats.h"

enum { OPT_JSON = 1, OPT_HTML, OPT_TITLE };

static const mie_option options[] = {
        {OPT_JSON, 0, "json", NULL, "the summary as one JSON object, for scripts"},
        {OPT_HTML, 0, "html", "FILE", "also write a page with charts to FILE (self-contained)"},
        {OPT_TITLE, 0, "title", "TEXT", "the page's heading (default: the inputs' names)"},
        {0, 0, NULL, NULL, NULL}};

typedef struct stats {
	mie_cli cli;
	int json;
	const char *html, *title;
} stats;

static int on_option(void *ctx, int id, const char *arg)
{
	stats *s = ctx;
	switch (id) {
	case OPT_JSON: s->json = 1; break;
	case OPT_HTML: s->html = arg; break;
	case OPT_TITLE: s->title = arg; break;
	}
	return 0;
}

/* The page's heading: --title, else "Records of NAME[, NAME...]". */
static char *heading(const stats *s)
{
	mie_buf b = MIE_BUF_INIT;
	if (s->title) {
		mie_buf_adds(&b, s->title);
	} else {
		mie_buf_adds(&b, "Records of ");
		for (int i = 0; i < s->cli.ninputs; i++)
			mie_buf_addf(&b, "%s%s", i ? ", " : "",
			             strcmp(s->cli.inputs[i], "-") ? s->cli.inputs[i] : "(stdin)");
	}
	return mie_buf_detach(&b, NULL);
}

static void run(stats *s)
{
	mie_output *out = mie_output_open(s->cli.output);
	mie_output *page = out && s->html ? mie_output_open(s->html) : NULL;
	if (!out || (s->html && !page)) {
		mie_output_abort(&out);
		return;
	}
	mie_stats *st = mie_stats_new();
	mie_records *in = mie_cli_records(&s->cli, 0);
	json_t *rec;
	mie_loc loc;
	while (mie_records_next(in, &rec, &loc) == MIE_READ_OK) {
		mie_stats_add(st, rec);
		json_decref(rec);
	}
	int failed = mie_records_failed(in);
	mie_records_free(&in);
	json_t *sm = mie_stats_json(st);
	mie_stats_free(&st);
	if (s->json) {
		json_dumpf(sm, mie_output_file(out), JSON_INDENT(2));
		fputc('\n', mie_output_file(out));
	} else {
		mie_stats_write_text(sm, mie_output_file(out));
	}
	if (page) {
		char *h = heading(s);
		mie_stats_write_html(sm, h, mie_output_file(page));
		free(h);
	}
	json_decref(sm);
	if (failed) {
		mie_output_abort(&page);
		mie_output_abort(&out);
		return;
	}
	if (mie_output_commit(&out) == 0 && page)
		mie_output_commit(&page);
	mie_output_abort(&page);
}

int main(int argc, char **argv)
{
	stats s = {.cli = {.prog = "mie-stats",
	                   .synopsis = "[OPTION]... [FILE]...",
	                   .purpose = "Summarise interchange records: counts per type, status, "
	                              "language, section and year,\ndates, repairs, duplicates, "
	                              "withheld fields, text sizes.",
	                   .options = options,
	                   .on_option = on_option,
	                   .features = MIE_CLI_OUTPUT,
	                   .file_outputs = (const int[]){OPT_HTML, 0}}};
	s.cli.ctx = &s;
	if (mie_cli_parse(&s.cli, argc, argv) == MIE_CLI_RUN)
		run(&s);
	return mie_cli_exit();
}
