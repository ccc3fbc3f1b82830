/* mie-filter — selects records of a stream by type, section, keyword,
 * author, date, language, status, text or id; with --with-refs, also what
 * they refer to, so that the selection is a self-contained dossier.  See
 * man/mie-filter.1; the criteria are libcommon/select/mie_filter.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/mie_cli.h"
#include "select/mie_filter.h"
#include "select/mie_idmap.h"
#include "formats/mie_jsonl.h"
#include "record/mie_record.h"
#include "formats/mie_sink.h"
#include "core/mie_tmp.h"
#include "record/mie_xref.h"

/* Options 1..MIE_FILTER_KINDS are the criteria, id = kind + 1. */
enum { OPT_ICASE = MIE_FILTER_KINDS + 1, OPT_FOLD, OPT_WITH_REFS, OPT_AS_DOSSIER };

static const mie_option options[] = {
        {MIE_FILTER_TYPE + 1, 0, "type", "TYPE", "records of this type (article, document...)"},
        {MIE_FILTER_SECTION + 1, 0, "section", "ID|TITLE",
         "records in this section or any section under it"},
        {MIE_FILTER_KEYWORD + 1, 0, "keyword", "ID|TITLE", "records bearing this keyword"},
        {MIE_FILTER_AUTHOR + 1, 0, "author", "ID|NAME", "records by this author"},
        {MIE_FILTER_SINCE + 1, 0, "since", "DATE", "published on or after DATE (YYYY[-MM[-DD]])"},
        {MIE_FILTER_UNTIL + 1, 0, "until", "DATE", "published on or before DATE"},
        {MIE_FILTER_LANG + 1, 0, "lang", "LANG", "records in this language"},
        {MIE_FILTER_STATUS + 1, 0, "status", "STATUS", "records of this status (publie...)"},
        {MIE_FILTER_GREP + 1, 0, "grep", "REGEX",
         "title or plain text matches REGEX (POSIX extended)"},
        {MIE_FILTER_IDS + 1, 0, "ids", "FILE", "records whose id is a line of FILE"},
        {MIE_FILTER_WHERE + 1, 0, "where", "FIELD=VALUE",
         "FIELD (a dotted path: legacy.table) equals VALUE"},
        {OPT_ICASE, 'i', "ignore-case", NULL, "--grep ignores case"},
        {OPT_FOLD, 0, "fold", NULL, "--grep ignores accents"},
        {OPT_WITH_REFS, 0, "with-refs", NULL,
         "add the sections, authors, keywords, documents... the selection refers to"},
        {OPT_AS_DOSSIER, 0, "as-dossier", "TITLE",
         "add a dossier record whose members are the selection"},
        {0, 0, NULL, NULL, NULL}};

typedef struct filter {
	mie_cli cli;
	mie_filter *filter; /* owned */
	unsigned flags;
	int with_refs;
	const char *dossier; /* --as-dossier title, borrowed from argv */
	mie_sink *out;       /* owned */
	json_t *members;     /* owned: the selection's ids, for --as-dossier */
	mie_idmap member_set;
	long read, selected, added;
} filter;

static int on_option(void *ctx, int id, const char *arg)
{
	filter *f = ctx;
	switch (id) {
	case OPT_ICASE: f->flags |= MIE_FILTER_ICASE; return 0;
	case OPT_FOLD: f->flags |= MIE_FILTER_FOLD; return 0;
	case OPT_WITH_REFS: f->with_refs = 1; return 0;
	case OPT_AS_DOSSIER: f->dossier = arg; return 0;
	}
	mie_buf why = MIE_BUF_INIT;
	int rc = mie_filter_add(f->filter, (enum mie_filter_kind)(id - 1), arg, &why);
	if (rc < 0 && why.len)
		mie_fatal("--%s: %s", options[id - 1].long_name, why.data);
	else if (rc < 0)
		mie_status_raise(MIE_EXIT_FATAL);
	mie_buf_release(&why);
	return rc;
}

/* Writes a record kept; a selected one becomes a member of the dossier. */
static void keep(filter *f, const json_t *rec, const mie_loc *loc, int selected)
{
	mie_buf why = MIE_BUF_INIT;
	if (mie_sink_put(f->out, rec, &why) == MIE_WRITE_BAD)
		mie_error_at(loc, "%s: %s", mie_rec_id_or_dash(rec), why.data);
	mie_buf_release(&why);
	f->selected += selected;
	f->added += !selected;
	const char *id = mie_rec_str(rec, "id");
	int fresh = 0;
	if (selected && f->dossier && id)
		mie_idmap_put(&f->member_set, mie_xref_hash(id), 1, &fresh);
	if (fresh)
		json_array_append_new(f->members, json_string(id));
}

static void one_pass(filter *f)
{
	mie_records *in = mie_cli_records(&f->cli, 0);
	json_t *rec;
	mie_loc loc;
	while (!mie_sink_failed(f->out) && mie_records_next(in, &rec, &loc) == MIE_READ_OK) {
		f->read++;
		if (mie_filter_match(f->filter, rec))
			keep(f, rec, &loc, 1);
		json_decref(rec);
	}
	mie_records_free(&in);
}

/* First pass: every record noted and spilled as a JSON Lines line; second
 * pass over the spill, so the input is read once and messages said once. */
static void two_passes(filter *f)
{
	FILE *spill = mie_tmpfile();
	if (!spill)
		return;
	mie_records *in = mie_cli_records(&f->cli, 0);
	json_t *rec;
	mie_loc loc;
	int spill_failed = 0;
	while (mie_records_next(in, &rec, &loc) == MIE_READ_OK) {
		f->read++;
		mie_filter_note(f->filter, rec);
		spill_failed |= json_dumpf(rec, spill, JSON_COMPACT) < 0 || putc('\n', spill) < 0;
		json_decref(rec);
	}
	mie_records_free(&in);
	if (spill_failed || fflush(spill) || fseek(spill, 0, SEEK_SET)) {
		mie_fatal("temporary file: write error: %s", strerror(errno ? errno : EIO));
		fclose(spill);
		return;
	}
	mie_filter_plan(f->filter, f->with_refs);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	mie_buf why = MIE_BUF_INIT;
	mie_loc here = {.file = "(spill)"};
	for (size_t i = 0; !mie_sink_failed(f->out) && (n = getline(&line, &cap, spill)) > 0; i++) {
		here.line = (long)i + 1;
		if (!mie_filter_kept(f->filter, i))
			continue;
		mie_buf_reset(&why);
		if (mie_jsonl_parse(line, (size_t)n - 1, 0, &rec, &why) != MIE_JSONL_OK) {
			mie_fatal("temporary file: record %zu: %s", i + 1, why.data);
			break;
		}
		keep(f, rec, &here, mie_filter_selected(f->filter, i));
		json_decref(rec);
	}
	mie_buf_release(&why);
	free(line);
	fclose(spill);
}

static int run(filter *f)
{
	mie_buf why = MIE_BUF_INIT;
	if (mie_filter_ready(f->filter, f->flags, &why) < 0) {
		mie_fatal("--grep: %s", why.data);
		mie_buf_release(&why);
		return -1;
	}
	mie_buf_release(&why);
	if (!(f->out = mie_sink_open(f->cli.output, f->cli.to)))
		return -1;
	if (f->with_refs || mie_filter_needs_pass(f->filter))
		two_passes(f);
	else
		one_pass(f);
	if (f->dossier && !mie_sink_failed(f->out)) {
		json_t *d = mie_dossier_new(f->dossier, f->members);
		mie_sink_put(f->out, d, NULL);
		json_decref(d);
	}
	if (mie_sink_close(&f->out) < 0)
		return -1;
	mie_note("%ld records read, %ld selected, %ld added as references%s", f->read, f->selected,
	         f->added, f->dossier ? ", 1 dossier" : "");
	return 0;
}

int main(int argc, char **argv)
{
	filter f = {.cli = {.prog = "mie-filter",
	                    .synopsis = "[OPTION]... [FILE]...",
	                    .purpose = "Select interchange records: criteria of different kinds "
	                               "must all hold, a criterion\ngiven twice holds when either "
	                               "value does.",
	                    .options = options,
	                    .on_option = on_option,
	                    .features = MIE_CLI_FORM | MIE_CLI_OUTPUT,
	                    .file_inputs = (const int[]){MIE_FILTER_IDS + 1, 0}},
	            .filter = mie_filter_new(),
	            .members = json_array()};
	f.cli.ctx = &f;
	mie_idmap_init(&f.member_set);
	if (mie_cli_parse(&f.cli, argc, argv) == MIE_CLI_RUN)
		run(&f);
	mie_sink_abort(&f.out);
	mie_filter_free(&f.filter);
	mie_idmap_release(&f.member_set);
	json_decref(f.members);
	return mie_cli_exit();
}
