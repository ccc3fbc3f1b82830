/* mie_sink.c — an output, its writer and its error state (mie_sink.h). */
#include <errno.h>
#include <stdlib.h>

#include "core/mie_err.h"
#include "io/mie_output.h"
#include "formats/mie_sink.h"

struct mie_sink {
	mie_output *out; /* owned */
	mie_writer *w;   /* owned */
	int err;         /* errno of the first failed write, or 0 */
};

mie_sink *mie_sink_open(const char *path, mie_form form)
{
	mie_output *out = mie_output_open(path);
	if (!out)
		return NULL;
	mie_sink *s = mie_xcalloc(1, sizeof *s);
	s->out = out;
	s->w = mie_writer_new(mie_output_file(out), form);
	return s;
}

void mie_sink_fail(mie_sink *s, int err)
{
	if (!s->err)
		s->err = err ? err : EIO;
}

int mie_sink_failed(const mie_sink *s)
{
	return s->err != 0;
}

int mie_sink_put(mie_sink *s, const json_t *rec, mie_buf *why)
{
	if (s->err)
		return MIE_WRITE_IO;
	errno = 0;
	int rc = mie_writer_put(s->w, rec, why);
	if (rc == MIE_WRITE_IO)
		mie_sink_fail(s, errno);
	return rc;
}

mie_writer *mie_sink_writer(mie_sink *s)
{
	return s->w;
}

FILE *mie_sink_file(mie_sink *s)
{
	return mie_output_file(s->out);
}

const char *mie_sink_name(const mie_sink *s)
{
	return mie_output_name(s->out);
}

/* Finishes the writer (written and freed) and returns the first write
 * error, or 0.  A failed writer's end is still freed through finish: what
 * it writes then goes nowhere that counts. */
static int finish(mie_sink *s)
{
	if (s->w) {
		/* a write that failed through the writer (the importer writes
		 * through it): the writer kept its reason */
		if (mie_writer_errno(s->w))
			mie_sink_fail(s, mie_writer_errno(s->w));
		errno = 0;
		if (mie_writer_finish(s->w) != MIE_WRITE_OK)
			mie_sink_fail(s, errno);
		s->w = NULL;
	}
	return s->err;
}

int mie_sink_close(mie_sink **sp)
{
	mie_sink *s = sp ? *sp : NULL;
	if (!s)
		return 0;
	*sp = NULL;
	int rc = 0;
	if (mie_exit_status() == MIE_EXIT_FATAL && !s->err) {
		/* the run failed: the previous file stays as it was */
		finish(s);
		mie_output_abort(&s->out);
		rc = -1;
	} else if (finish(s)) {
		mie_output_fail(&s->out, s->err);
		rc = -1;
	} else {
		rc = mie_output_commit(&s->out);
	}
	free(s);
	return rc;
}

void mie_sink_abort(mie_sink **sp)
{
	mie_sink *s = sp ? *sp : NULL;
	if (!s)
		return;
	*sp = NULL;
	finish(s);
	mie_output_abort(&s->out);
	free(s);
}
