/* mie_cli.h — what every mie tool shares: one table-driven option parser,
 * the common options, and the run-time conventions.
 *
 * A tool declares its own options in a table of mie_option (terminated by
 * an entry with id 0); mie_cli_parse() merges them with the common ones:
 *   -o, --output FILE   write to FILE, atomically (default stdout)
 *       --to FORM       jsonl (default) or xml        [MIE_CLI_FORM]
 *   -q, --quiet         no warnings, no summary
 *       --progress / --no-progress
 *   -h, --help          help generated from the same tables
 *       --version
 * Inputs are the operands; none means "-" (stdin).
 *
 * mie_cli_parse() also sets the locale to C.UTF-8 (libarchive needs it for
 * UTF-8 member names), ignores SIGPIPE so that `| head` ends through EPIPE
 * quietly, and refuses an output (-o, standard output, every option in
 * file_outputs) that is the same file as an input or as another output
 * (mie_output_claim: one message naming both, exit status 2). */
#ifndef MIE_CLI_H
#define MIE_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "core/mie_progress.h" /* progress moved to core/; kept here for the tools */
#include "formats/mie_records.h"
#include "formats/mie_stream.h"

typedef struct mie_option {
	int id;                /* > 0, passed to on_option; unique in the tool */
	char short_name;       /* 0: none */
	const char *long_name; /* NULL: none */
	const char *arg;       /* metavariable ("FILE"); NULL: a flag */
	const char *help;      /* one line */
} mie_option;

enum mie_cli_features {
	MIE_CLI_FORM = 1 << 0,   /* the tool writes records: --to applies */
	MIE_CLI_OUTPUT = 1 << 1, /* -o applies */
};

typedef struct mie_cli {
	/* set by the tool before parsing */
	const char *prog;          /* "mie-validate" */
	const char *synopsis;      /* "[OPTION]... [FILE]..." */
	const char *purpose;       /* one line */
	const char *epilog;        /* extra help text (exit codes...), may be NULL */
	const mie_option *options; /* tool's own, may be NULL */
	/* Called for each tool option; arg is NULL for flags.  Returns 0, or -1
	 * after printing a usage message with mie_fatal(). */
	int (*on_option)(void *ctx, int id, const char *arg);
	void *ctx;
	unsigned features;
	/* Ids of the tool's options whose argument is a file the run writes
	 * (--rejects, --report, --html) or reads besides the operands (--ids),
	 * each list ending with 0; NULL: none.  mie_cli_parse claims them
	 * (mie_output_claim), so an output that is an input or another output
	 * is a usage error before anything is read. */
	const int *file_outputs;
	const int *file_inputs;

	/* filled by mie_cli_parse */
	const char *output; /* -o, NULL = stdout */
	mie_form to;        /* --to, default MIE_FORM_JSONL */
	int quiet;
	int progress;  /* MIE_PROGRESS_ON, _OFF, or _AUTO (neither option given) */
	char **inputs; /* borrowed from argv, or the static {"-"} */
	int ninputs;
} mie_cli;

enum { MIE_CLI_RUN = 0, MIE_CLI_EXIT_OK = 1, MIE_CLI_USAGE = 2 };
/* Parses argv.  Returns MIE_CLI_RUN, MIE_CLI_EXIT_OK (help or version was
 * printed) or MIE_CLI_USAGE (message printed, exit status 2).  For any
 * result but MIE_CLI_RUN the tool returns mie_cli_exit(), which checks
 * that the help reached standard output:
 *     if (mie_cli_parse(&cli, argc, argv) != MIE_CLI_RUN)
 *             return mie_cli_exit(); */
int mie_cli_parse(mie_cli *cli, int argc, char **argv);

/* Parses a size with optional K/M/G suffix (binary); -1 when invalid. */
int64_t mie_cli_parse_size(const char *s);

/* Exit status to return from main: mie_exit_status(), after checking that
 * standard output was written without error (said once, exit 2; quiet on
 * EPIPE: see mie_output_check_stdout). */
int mie_cli_exit(void);

/* The record iterator over the tool's inputs, with progress as asked by
 * --progress (see mie_records.h; flags are mie_records_flags).  The caller
 * owns it. */
mie_records *mie_cli_records(const mie_cli *cli, unsigned flags);

#endif
