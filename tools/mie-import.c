/* mie-import — legacy exports (SPIP 1.9 XML dumps...) to interchange
 * records.  See man/mie-import.1; the work is in libcommon/import/. */
#include <errno.h>
#include <string.h>

#include "mie_cli.h"
#include "mie_import.h"
#include "mie_output.h"

enum { OPT_FROM = 1, OPT_SITE, OPT_STATUS, OPT_KEEP, OPT_REJECTS };

static const mie_option options[] = {
        {OPT_FROM, 0, "from", "FORMAT", "read the inputs as FORMAT (spip-dump); default: detect"},
        {OPT_SITE, 0, "site", "URL", "site address for ids when the dump does not give it"},
        {OPT_STATUS, 0, "status", "STATUS", "keep only content with this status (e.g. publie)"},
        {OPT_KEEP, 0, "keep-personal", NULL, "keep e-mails and IP addresses"},
        {OPT_REJECTS, 0, "rejects", "FILE", "write rejected rows to FILE (JSON Lines)"},
        {0, 0, NULL, NULL, NULL}};

typedef struct importer {
	mie_cli cli;
	mie_import ctx;
	const char *rejects_path;
	mie_output *out, *rej;      /* owned */
	mie_writer *writer, *rwriter; /* owned */
} importer;

static int on_option(void *p, int id, const char *arg)
{
	importer *m = p;
	switch (id) {
	case OPT_FROM: m->ctx.opt.from = arg; break;
	case OPT_SITE: m->ctx.opt.site = arg; break;
	case OPT_STATUS: m->ctx.opt.status = arg; break;
	case OPT_KEEP: m->ctx.opt.keep_personal = 1; break;
	case OPT_REJECTS: m->rejects_path = arg; break;
	}
	return 0;
}

static int run(importer *m)
{
	if (m->ctx.opt.from) {
		int found = 0;
		for (int i = 0; mie_sources[i]; i++)
			found |= !strcmp(mie_sources[i]->name, m->ctx.opt.from);
		if (!found) {
			mie_fatal("--from: unknown format \"%s\"", m->ctx.opt.from);
			return -1;
		}
	}
	if (!(m->out = mie_output_open(m->cli.output)))
		return -1;
	if (m->rejects_path && !(m->rej = mie_output_open(m->rejects_path)))
		return -1;
	m->writer = mie_writer_new(mie_output_file(m->out), m->cli.to);
	if (m->rej)
		m->rwriter = mie_writer_new(mie_output_file(m->rej), MIE_FORM_JSONL);
	m->ctx.out = m->writer;
	m->ctx.rejects = m->rwriter;
	m->ctx.quiet = m->cli.quiet;
	for (int i = 0; i < m->cli.ninputs && !m->ctx.io_failed; i++)
		mie_import_path(&m->ctx, m->cli.inputs[i]);
	mie_import_finish(&m->ctx);
	int rc = mie_writer_finish(m->writer);
	m->writer = NULL;
	if (rc != MIE_WRITE_OK && !m->ctx.io_failed)
		m->ctx.io_failed = errno ? errno : EIO;
	if (m->rwriter && mie_writer_finish(m->rwriter) != MIE_WRITE_OK && !m->ctx.io_failed)
		m->ctx.io_failed = errno ? errno : EIO;
	m->rwriter = NULL;
	if (m->ctx.io_failed || mie_exit_status() == MIE_EXIT_FATAL)
		return -1;
	rc = mie_output_commit(m->out);
	m->out = NULL;
	if (rc < 0)
		return -1;
	if (m->rej) {
		rc = mie_output_commit(m->rej);
		m->rej = NULL;
		if (rc < 0)
			return -1;
	}
	mie_import_summary(&m->ctx);
	return 0;
}

static void cleanup(importer *m)
{
	if (m->writer)
		mie_writer_finish(m->writer);
	if (m->rwriter)
		mie_writer_finish(m->rwriter);
	mie_output_abort(m->out);
	mie_output_abort(m->rej);
	mie_import_release(&m->ctx);
}

int main(int argc, char **argv)
{
	importer m = {.cli = {.prog = "mie-import",
	                      .synopsis = "[OPTION]... INPUT...",
	                      .purpose = "Import legacy exports (SPIP 1.9 XML dumps) as interchange "
	                                 "records;\nthe inputs of one split dump are read in order "
	                                 "as one stream.",
	                      .epilog = "Exit status: 0 all rows imported, 1 some rows rejected, "
	                                "2 usage or I/O error.",
	                      .options = options,
	                      .on_option = on_option,
	                      .features = MIE_CLI_FORM | MIE_CLI_OUTPUT}};
	mie_import_init(&m.ctx);
	m.cli.ctx = &m;
	int rc = mie_cli_parse(&m.cli, argc, argv);
	if (rc != MIE_CLI_RUN)
		return rc == MIE_CLI_EXIT_OK ? MIE_EXIT_OK : MIE_EXIT_FATAL;
	if (run(&m) < 0) {
		if (m.ctx.io_failed) {
			mie_output_epipe_exit(m.ctx.io_failed);
			mie_fatal("%s: write error: %s", m.cli.output ? m.cli.output : "(stdout)",
			          strerror(m.ctx.io_failed));
		}
		mie_status_raise(MIE_EXIT_FATAL);
	}
	cleanup(&m);
	return mie_cli_exit();
}
