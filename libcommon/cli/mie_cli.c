/* mie_cli.c — the one option parser (table driven, GNU style: -x, -xVAL,
 * -x VAL, --long, --long=VAL, --long VAL, "--" ends options) and the
 * conventions every tool shares. */
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/mie_cli.h"
#include "core/mie_err.h"
#include "io/mie_output.h"
#include "record/mie_record.h"
#include "formats/mie_records.h"

#ifndef MIE_VERSION
#define MIE_VERSION "1.0.0"
#endif

enum {
	OPT_OUTPUT = -1,
	OPT_TO = -2,
	OPT_QUIET = -3,
	OPT_PROGRESS = -4,
	OPT_NO_PROGRESS = -5,
	OPT_HELP = -6,
	OPT_VERSION = -7
};

static const mie_option common_options[] = {
        {OPT_OUTPUT, 'o', "output", "FILE", "write to FILE, atomically (default: standard output)"},
        {OPT_TO, 0, "to", "FORM", "output form: jsonl (default) or xml"},
        {OPT_QUIET, 'q', "quiet", NULL, "print no warnings and no summary"},
        {OPT_PROGRESS, 0, "progress", NULL,
         "show progress on stderr even when it is not a terminal"},
        {OPT_NO_PROGRESS, 0, "no-progress", NULL, "never show progress"},
        {OPT_HELP, 'h', "help", NULL, "show this help and exit"},
        {OPT_VERSION, 0, "version", NULL, "show the version and exit"},
        {0, 0, NULL, NULL, NULL}};

static int common_applies(const mie_cli *cli, int id)
{
	if (id == OPT_TO)
		return (cli->features & MIE_CLI_FORM) != 0;
	if (id == OPT_OUTPUT)
		return (cli->features & MIE_CLI_OUTPUT) != 0;
	return 1;
}

static void print_option(const mie_option *o)
{
	mie_buf b = MIE_BUF_INIT;
	mie_buf_adds(&b, "  ");
	if (o->short_name)
		mie_buf_addf(&b, "-%c%s", o->short_name, o->long_name ? ", " : "");
	else
		mie_buf_adds(&b, "    ");
	if (o->long_name)
		mie_buf_addf(&b, "--%s", o->long_name);
	if (o->arg)
		mie_buf_addf(&b, " %s", o->arg);
	printf("%-28s %s\n", b.data, o->help);
	mie_buf_release(&b);
}

static void print_help(const mie_cli *cli)
{
	printf("Usage: %s %s\n%s\n\nOptions:\n", cli->prog, cli->synopsis, cli->purpose);
	for (const mie_option *o = cli->options; o && o->id; o++)
		print_option(o);
	for (const mie_option *o = common_options; o->id; o++)
		if (common_applies(cli, o->id))
			print_option(o);
	printf("\nWith no FILE, or when FILE is -, read standard input.\n");
	if (cli->epilog)
		printf("\n%s\n", cli->epilog);
	printf("\nExit status: 0 all went well; 1 some data was invalid or rejected "
	       "(the run completed);\n2 usage error or fatal I/O error.\n");
}

/* Finds the option for a short name or a long name (n bytes). */
static const mie_option *find(const mie_cli *cli, char shortc, const char *lng, size_t n)
{
	const mie_option *tables[] = {cli->options, common_options};
	for (int t = 0; t < 2; t++)
		for (const mie_option *o = tables[t]; o && o->id; o++) {
			if (t == 1 && !common_applies(cli, o->id))
				continue;
			if (shortc && o->short_name == shortc)
				return o;
			if (lng && o->long_name && strlen(o->long_name) == n &&
			    strncmp(o->long_name, lng, n) == 0)
				return o;
		}
	return NULL;
}

static int apply_common(mie_cli *cli, int id, const char *arg)
{
	switch (id) {
	case OPT_OUTPUT: cli->output = strcmp(arg, "-") == 0 ? NULL : arg; return 0;
	case OPT_TO:
		if (mie_form_parse(arg, &cli->to) == 0)
			return 0;
		mie_fatal("--to: unknown form \"%s\" (jsonl or xml)", arg);
		return -1;
	case OPT_QUIET:
		cli->quiet = 1;
		mie_set_quiet(1);
		return 0;
	case OPT_PROGRESS: cli->progress = 1; return 0;
	case OPT_NO_PROGRESS: cli->progress = 0; return 0;
	}
	return 0;
}

static int usage_error(const mie_cli *cli)
{
	fprintf(stderr, "Try '%s --help' for more information.\n", cli->prog);
	return MIE_CLI_USAGE;
}

static int listed(const int *ids, int id)
{
	for (; ids && *ids; ids++)
		if (*ids == id)
			return 1;
	return 0;
}

/* Parses one argv element starting with '-'; *i may advance for a separate
 * argument.  Returns 0, 1 (help/version shown) or -1 (usage error). */
static int parse_one(mie_cli *cli, int argc, char **argv, int *i)
{
	const char *a = argv[*i], *val = NULL;
	const mie_option *o;
	if (a[1] == '-') {
		const char *eq = strchr(a + 2, '=');
		size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		o = find(cli, 0, a + 2, n);
		if (!o) {
			mie_fatal("unknown option \"%s\"", a);
			return -1;
		}
		if (eq && !o->arg) {
			mie_fatal("option --%s takes no argument", o->long_name);
			return -1;
		}
		val = eq ? eq + 1 : NULL;
	} else {
		o = find(cli, a[1], NULL, 0);
		if (!o) {
			mie_fatal("unknown option \"-%c\"", a[1]);
			return -1;
		}
		if (a[2] && o->arg)
			val = a + 2;
		else if (a[2]) {
			mie_fatal("option -%c takes no argument (combine flags separately)", a[1]);
			return -1;
		}
	}
	if (o->arg && !val) {
		if (*i + 1 >= argc) {
			mie_fatal("option %s needs an argument %s", a, o->arg);
			return -1;
		}
		val = argv[++*i];
	}
	int names_file = 0; /* 1: a file the run writes, 2: one it reads */
	if (o->id == OPT_OUTPUT || (o->id > 0 && listed(cli->file_outputs, o->id)))
		names_file = 1;
	else if (o->id > 0 && listed(cli->file_inputs, o->id))
		names_file = 2;
	if (names_file) {
		mie_buf what = MIE_BUF_INIT;
		if (o->short_name)
			mie_buf_addf(&what, "-%c", o->short_name);
		else
			mie_buf_addf(&what, "--%s", o->long_name);
		int bad = mie_output_claim(what.data, val, names_file == 2);
		mie_buf_release(&what);
		if (bad)
			return -1;
	}
	if (o->id == OPT_HELP) {
		print_help(cli);
		return 1;
	}
	if (o->id == OPT_VERSION) {
		printf("%s %s (interchange schema v%s)\n", cli->prog, MIE_VERSION,
		       MIE_SCHEMA_VERSION_STR);
		return 1;
	}
	if (o->id < 0)
		return apply_common(cli, o->id, val);
	return cli->on_option ? cli->on_option(cli->ctx, o->id, val) : 0;
}

int mie_cli_parse(mie_cli *cli, int argc, char **argv)
{
	static char *stdin_only[] = {"-", NULL};
	mie_set_prog(cli->prog);
	setlocale(LC_CTYPE, "C.UTF-8");
	signal(SIGPIPE, SIG_IGN);
	cli->progress = MIE_PROGRESS_AUTO;
	cli->to = MIE_FORM_JSONL;
	/* operands are gathered in place at the front of argv[1..] */
	int nin = 0, only_operands = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (only_operands || a[0] != '-' || a[1] == '\0') {
			argv[1 + nin++] = argv[i];
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_operands = 1;
			continue;
		}
		int rc = parse_one(cli, argc, argv, &i);
		if (rc > 0)
			return MIE_CLI_EXIT_OK;
		if (rc < 0)
			return usage_error(cli);
	}
	cli->inputs = nin ? argv + 1 : stdin_only;
	cli->ninputs = nin ? nin : 1;
	if (!cli->output && mie_output_claim(NULL, NULL, 0) < 0)
		return usage_error(cli);
	for (int i = 0; i < cli->ninputs; i++)
		if (mie_output_claim("input", cli->inputs[i], 1) < 0)
			return usage_error(cli);
	return MIE_CLI_RUN;
}

int64_t mie_cli_parse_size(const char *s)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (end == s || v < 0)
		return -1;
	int shift = 0;
	switch (*end) {
	case 'k':
	case 'K':
		shift = 10;
		end++;
		break;
	case 'm':
	case 'M':
		shift = 20;
		end++;
		break;
	case 'g':
	case 'G':
		shift = 30;
		end++;
		break;
	case 't':
	case 'T':
		shift = 40;
		end++;
		break;
	}
	if (*end == 'i' || *end == 'B')
		end += *end == 'i' && end[1] == 'B' ? 2 : 1;
	if (*end || (shift && v > (INT64_MAX >> shift)))
		return -1;
	return (int64_t)v << shift;
}

int mie_cli_exit(void)
{
	mie_output_check_stdout();
	return mie_exit_status();
}

mie_records *mie_cli_records(const mie_cli *cli, unsigned flags)
{
	mie_records_opts o = {.flags = flags, .progress = cli->progress};
	return mie_records_open(cli->inputs, cli->ninputs, &o);
}
