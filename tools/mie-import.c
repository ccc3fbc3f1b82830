/* mie-import — legacy exports (SPIP dumps, saved pages, CSV, inside folders
 * and archives) to interchange records.  See man/mie-import.1. */
#include <dirent.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/mie_cli.h"
#include "import/mie_import.h"
#include "formats/mie_records.h"
#include "formats/mie_sink.h"
#include "text/mie_text.h"

enum {
	OPT_FROM = 1,
	OPT_SITE,
	OPT_STATUS,
	OPT_KEEP,
	OPT_REJECTS,
	OPT_CHARSET,
	OPT_DELIM,
	OPT_MAP,
	OPT_MAXBYTES,
	OPT_MAXRATIO,
	OPT_JOBS,
	OPT_FILES_OUT,
	OPT_SOURCE_LABEL
};

static const mie_option options[] = {
        {OPT_FROM, 0, "from", "FORMAT",
         "read every input as FORMAT (spip-dump, sql, html, warc, arc, feed, csv, bagit) "
         "instead of detecting it"},
        {OPT_SITE, 0, "site", "URL", "the site's address, for ids and legacy URLs"},
        {OPT_STATUS, 0, "status", "STATUS", "keep only records with this status (e.g. publie)"},
        {OPT_KEEP, 0, "keep-personal", NULL, "keep personal data (emails, IPs) of people"},
        {OPT_REJECTS, 0, "rejects", "FILE", "write rejected rows to FILE (JSON Lines)"},
        {OPT_CHARSET, 0, "charset", "NAME", "charset of CSV inputs (default: detected)"},
        {OPT_DELIM, 0, "delimiter", "CHAR", "CSV delimiter (default: detected among ; , TAB)"},
        {OPT_MAP, 0, "map", "MAP", "CSV columns: organisations, bibliography, or a mapping FILE"},
        {OPT_MAXBYTES, 0, "max-bytes", "SIZE", "bytes one input may expand to (default 4G)"},
        {OPT_MAXRATIO, 0, "max-ratio", "N",
         "expansion past which a compressed stream is a bomb (default 1000, 0: none)"},
        {OPT_JOBS, 'j', "jobs", "N",
         "threads building a dump's records (default: the CPUs, at most 8)"},
        {OPT_FILES_OUT, 0, "files-out", "DIR",
         "--from bagit: write the package's attached files to DIR, once it is checked"},
        {OPT_SOURCE_LABEL, 0, "source-label", "LABEL",
         "name the input LABEL in provenance (default: its path from the working folder)"},
        {0, 0, NULL, NULL, NULL}};

typedef struct run {
	mie_cli cli;
	mie_import ctx;
	const char *rejects_path;
	mie_sink *out, *rej; /* owned */
} run;

static int on_option(void *p, int id, const char *arg)
{
	run *r = p;
	mie_import_options *o = &r->ctx.opt;
	switch (id) {
	case OPT_FROM: o->from = arg; break;
	case OPT_SITE: o->site = arg; break;
	case OPT_STATUS: o->status = arg; break;
	case OPT_KEEP: o->keep_personal = 1; break;
	case OPT_REJECTS: r->rejects_path = arg; break;
	case OPT_CHARSET:
		if (!mie_text_charset_known(arg)) {
			mie_fatal("--charset: unknown charset \"%s\"", arg);
			return -1;
		}
		o->charset = arg;
		break;
	case OPT_MAP:
		if (mie_import_check_map(arg) < 0)
			return -1;
		o->map = arg;
		break;
	case OPT_FILES_OUT: o->unpack = arg; break;
	case OPT_SOURCE_LABEL: o->source_label = arg; break;
	case OPT_DELIM:
		if (strlen(arg) != 1 && strcmp(arg, "\\t") != 0 && strcmp(arg, "tab") != 0) {
			mie_fatal("--delimiter: one character, or \\t");
			return -1;
		}
		o->delimiter = strlen(arg) == 1 ? arg[0] : '\t';
		break;
	case OPT_JOBS: {
		char *end;
		long n = strtol(arg, &end, 10);
		if (end == arg || *end || n < 1 || n > 64) {
			mie_fatal("--jobs: not a number of threads from 1 to 64: \"%s\"", arg);
			return -1;
		}
		o->jobs = (int)n;
		break;
	}
	case OPT_MAXBYTES:
		if ((o->max_bytes = mie_cli_parse_size(arg)) <= 0) {
			mie_fatal("--max-bytes: not a size: \"%s\"", arg);
			return -1;
		}
		break;
	case OPT_MAXRATIO: {
		char *end;
		double n = strtod(arg, &end);
		if (end == arg || *end || !(n == 0 || (n >= 1 && n <= 1e12))) {
			mie_fatal("--max-ratio: not 0 or a ratio from 1 to 1e12: \"%s\"", arg);
			return -1;
		}
		o->max_ratio = n > 0 ? n : -1;
		break;
	}
	}
	return 0;
}

/* The edge cases of man/mie-conventions.7 that the importer does not see
 * itself: an empty file or an empty folder has no records (a warning, exit
 * 0).  Returns 1 when `path` is to be imported. */
static int worth_importing(const char *path)
{
	if (mie_records_check_path(path, 1) < 0)
		return 0;
	struct stat st;
	mie_loc loc = {strcmp(path, "-") == 0 ? "(stdin)" : path, NULL, 0};
	if ((strcmp(path, "-") == 0 ? fstat(0, &st) : stat(path, &st)) != 0)
		return 1;
	if (S_ISREG(st.st_mode) && st.st_size == 0) {
		mie_warn_at(&loc, "no records");
		return 0;
	}
	if (S_ISDIR(st.st_mode)) {
		DIR *dir = opendir(path);
		struct dirent *e;
		int empty = 1;
		while (dir && empty && (e = readdir(dir)))
			empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
		if (dir)
			closedir(dir);
		if (empty) {
			mie_warn_at(&loc, "no records (empty folder)");
			return 0;
		}
	}
	return 1;
}

static void import_all(run *r)
{
	if (!(r->out = mie_sink_open(r->cli.output, r->cli.to)))
		return;
	if (r->rejects_path && !(r->rej = mie_sink_open(r->rejects_path, MIE_FORM_JSONL)))
		return mie_sink_abort(&r->out);
	r->ctx.out = mie_sink_writer(r->out);
	r->ctx.rejects = r->rej ? mie_sink_writer(r->rej) : NULL;
	mie_progress progress;
	mie_progress_init(&progress, r->cli.progress,
	                  mie_records_inputs_size(r->cli.inputs, r->cli.ninputs));
	r->ctx.progress = &progress;
	int rc = 0;
	for (int i = 0; i < r->cli.ninputs && rc == 0; i++)
		if (worth_importing(r->cli.inputs[i]))
			rc = mie_import_path(&r->ctx, r->cli.inputs[i]);
	if (rc == 0)
		rc = mie_import_finish(&r->ctx);
	mie_progress_done(&progress);
	r->ctx.progress = NULL;
	r->ctx.out = r->ctx.rejects = NULL;
	/* an output error that stopped the import is on the writer's file:
	 * closing says it; the summary only for what reached its output */
	if (mie_sink_close(&r->rej) == 0 && mie_sink_close(&r->out) == 0)
		mie_import_summary(&r->ctx);
	mie_sink_abort(&r->out);
}

int main(int argc, char **argv)
{
	run r = {.cli = {.prog = "mie-import",
	                 .synopsis = "[OPTION]... [INPUT]...",
	                 .purpose =
	                         "Import legacy exports of the site (SPIP XML dumps, saved pages,\n"
	                         "web archives, CSV exports, feeds), as files, folders or "
	                         "archives,\n"
	                         "into interchange records.",
	                 .options = options,
	                 .on_option = on_option,
	                 .features = MIE_CLI_FORM | MIE_CLI_OUTPUT,
	                 .file_outputs = (const int[]){OPT_REJECTS, 0}}};
#ifdef M_TOP_PAD
	/* records are built and freed by the million: heaps grown 16 MiB at a
	 * time are not handed back and faulted in again at every batch */
	mallopt(M_TOP_PAD, 16 << 20);
#endif
	mie_import_init(&r.ctx);
	r.cli.ctx = &r;
	if (mie_cli_parse(&r.cli, argc, argv) == MIE_CLI_RUN)
		import_all(&r);
	mie_import_release(&r.ctx);
	return mie_cli_exit();
}
