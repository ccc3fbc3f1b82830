/* mie-cat — concatenates record streams (JSON Lines or XML, detected) into
 * one, in the form asked, without checking them.  See man/mie-cat.1. */
#include <errno.h>
#include <string.h>

#include "mie_cli.h"
#include "mie_output.h"
#include "mie_record.h"

typedef struct cat {
	mie_cli cli;
	mie_output *out; /* owned */
	mie_writer *w;   /* owned */
	long read, written;
	int io_errno;
} cat;

static void cat_input(cat *c, const char *path)
{
	mie_input *in = mie_input_open(path);
	if (!in)
		return;
	mie_reader *r = mie_reader_open(in);
	const char *name = strcmp(path, "-") == 0 ? "(stdin)" : path;
	json_t *rec;
	mie_loc loc;
	int st;
	mie_buf why = MIE_BUF_INIT;
	while (!c->io_errno && (st = mie_reader_next(r, &rec, &loc)) != MIE_READ_EOF) {
		loc.file = name;
		if (st != MIE_READ_OK) {
			mie_error_at(&loc, "%s", mie_reader_error(r));
			if (st == MIE_READ_FATAL)
				break;
			continue;
		}
		c->read++;
		mie_buf_reset(&why);
		int rc = mie_writer_put(c->w, rec, &why);
		if (rc == MIE_WRITE_OK)
			c->written++;
		else if (rc == MIE_WRITE_BAD)
			mie_error_at(&loc, "%s: %s", mie_rec_id_or_dash(rec), why.data);
		else
			c->io_errno = errno ? errno : EIO;
		json_decref(rec);
	}
	mie_buf_release(&why);
	mie_reader_free(r);
	mie_input_free(in);
}

static int run(cat *c)
{
	if (!(c->out = mie_output_open(c->cli.output)))
		return -1;
	c->w = mie_writer_new(mie_output_file(c->out), c->cli.to);
	for (int i = 0; i < c->cli.ninputs && !c->io_errno; i++)
		cat_input(c, c->cli.inputs[i]);
	if (mie_writer_finish(c->w) != MIE_WRITE_OK && !c->io_errno)
		c->io_errno = errno ? errno : EIO;
	c->w = NULL;
	if (c->io_errno || mie_exit_status() == MIE_EXIT_FATAL)
		return -1;
	mie_output *o = c->out;
	c->out = NULL;
	return mie_output_commit(o);
}

int main(int argc, char **argv)
{
	cat c = {.cli = {.prog = "mie-cat",
	                 .synopsis = "[OPTION]... [FILE]...",
	                 .purpose =
	                         "Concatenate interchange record streams (JSON Lines or XML, "
	                         "detected) into one,\nin the form asked, without checking them.",
	                 .features = MIE_CLI_FORM | MIE_CLI_OUTPUT}};
	int rc = mie_cli_parse(&c.cli, argc, argv);
	if (rc != MIE_CLI_RUN)
		return rc == MIE_CLI_EXIT_OK ? MIE_EXIT_OK : MIE_EXIT_FATAL;
	if (run(&c) < 0 && c.io_errno) {
		mie_output_epipe_exit(c.io_errno);
		mie_fatal("%s: write error: %s", c.cli.output ? c.cli.output : "(stdout)",
		          strerror(c.io_errno));
	}
	if (c.w)
		mie_writer_finish(c.w);
	mie_output_abort(c.out);
	return mie_cli_exit();
}
