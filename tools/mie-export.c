/* mie-export — writes interchange records in another format (JSON, CSV,
 * SQLite...), one writer per --to value, and says what the format could not
 * carry.  See man/mie-export.1. */
#include <string.h>

#include "cli/mie_cli.h"
#include "export/mie_export.h"
#include "record/mie_record.h"

enum { OPT_TO = 1, OPT_STRICT, OPT_REPORT, OPT_WRITER = 100, MAX_OPTIONS = 64 };

typedef struct xport {
	mie_cli cli;
	mie_export_run run;
	const char *to;
	mie_option options[MAX_OPTIONS];     /* the tool's, then every writer's once */
	const char *value[MAX_OPTIONS];      /* given values, by position in options */
	const char *writer_opt[MAX_OPTIONS]; /* the chosen writer's, in its table's order */
	mie_buf help[MAX_OPTIONS];           /* generated help lines, owned */
} xport;

static const mie_option own[] = {
        {OPT_TO, 0, "to", "FORMAT", NULL},
        {OPT_STRICT, 0, "strict", NULL, "exit 1 when a field or record could not be exported"},
        {OPT_REPORT, 0, "report", "FILE", "write what was not exported to FILE, as JSON"},
};

static int find_long(const mie_option *t, const char *name)
{
	for (int i = 0; t[i].id; i++)
		if (t[i].long_name && strcmp(t[i].long_name, name) == 0)
			return i;
	return -1;
}

/* The option table: the tool's own, then each writer option once (by long
 * name), its help followed by the writers that take it. */
static void build_options(xport *x)
{
	int n = 0;
	for (size_t i = 0; i < sizeof own / sizeof *own; i++)
		x->options[n++] = own[i];
	for (int i = 0; i < MAX_OPTIONS; i++)
		mie_buf_init(&x->help[i]);
	mie_buf_adds(&x->help[0], "output format:");
	for (const mie_export_writer *const *w = mie_export_writers; *w; w++) {
		mie_buf_addf(&x->help[0], " %s", (*w)->name);
		for (const mie_option *o = (*w)->options; o && o->id; o++) {
			int at = find_long(x->options, o->long_name);
			if (at < 0 && n < MAX_OPTIONS - 1) {
				at = n++;
				x->options[at] = *o;
				x->options[at].id = OPT_WRITER + at;
				x->options[at].short_name = 0;
				mie_buf_addf(&x->help[at], "%s (--to %s", o->help, (*w)->name);
			} else if (at >= 0 && x->options[at].id >= OPT_WRITER) {
				mie_buf_addf(&x->help[at], ", %s", (*w)->name);
			}
		}
	}
	for (int i = 0; i < n; i++) {
		if (x->options[i].id >= OPT_WRITER)
			mie_buf_addc(&x->help[i], ')');
		if (x->help[i].len)
			x->options[i].help = x->help[i].data;
	}
}

static int on_option(void *ctx, int id, const char *arg)
{
	xport *x = ctx;
	switch (id) {
	case OPT_TO: x->to = arg; break;
	case OPT_STRICT: x->run.strict = 1; break;
	case OPT_REPORT: x->run.report = arg; break;
	default: x->value[id - OPT_WRITER] = arg ? arg : ""; break;
	}
	return 0;
}

/* The writer asked, and its own options in its table's order; one message
 * per impossible choice. */
static int choose_writer(xport *x)
{
	if (!x->to) {
		mie_fatal("--to FORMAT is required (%s)", x->options[0].help + 15);
		return -1;
	}
	const mie_export_writer *w = x->run.writer = mie_export_find(x->to);
	if (!w) {
		mie_fatal("--to: unknown format \"%s\" (%s)", x->to, x->options[0].help + 15);
		return -1;
	}
	for (int i = 0; x->options[i].id; i++) {
		if (x->options[i].id < OPT_WRITER || !x->value[i])
			continue;
		int at = w->options ? find_long(w->options, x->options[i].long_name) : -1;
		if (at < 0) {
			mie_fatal("--%s: not an option of --to %s", x->options[i].long_name,
			          w->name);
			return -1;
		}
		x->writer_opt[at] = x->value[i];
	}
	x->run.opts.output = x->cli.output;
	x->run.opts.opt = x->writer_opt;
	return 0;
}

static void run(xport *x)
{
	mie_export *ex = mie_export_open(&x->run);
	if (!ex)
		return;
	int failed = mie_export_read(ex, x->cli.inputs, x->cli.ninputs, x->cli.progress) < 0;
	mie_export_close(&ex, failed);
}

int main(int argc, char **argv)
{
	static const int report_option[] = {OPT_REPORT, 0};
	static xport x = {
	        .cli = {.prog = "mie-export",
	                .synopsis = "--to FORMAT [-o OUT] [OPTION]... [FILE]...",
	                .purpose = "Write interchange records (JSON Lines or XML, detected) in "
	                           "another format,\nand say what it could not carry.",
	                .epilog = "The man page mie-export(1) describes each format.",
	                .features = MIE_CLI_OUTPUT,
	                .file_outputs = report_option}};
	build_options(&x);
	x.cli.options = x.options;
	x.cli.on_option = on_option;
	x.cli.ctx = &x;
	if (mie_cli_parse(&x.cli, argc, argv) == MIE_CLI_RUN && choose_writer(&x) == 0)
		run(&x);
	for (int i = 0; i < MAX_OPTIONS; i++)
		mie_buf_release(&x.help[i]);
	return mie_cli_exit();
}
