/* mie_export_jsonl.c — the interchange forms as export writers: jsonl and
 * xml (the record stream writers of libcommon/formats, as mie-cat writes
 * them) and json (one array, streamed: one record in memory at a time).
 * All three carry every field.
 *
 * --pretty: json indents the array and its records; jsonl writes each
 * record indented over several lines (for people and jq: no longer one
 * record per line, so not JSON Lines); the interchange XML is indented
 * already and stays the same bytes. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "export/mie_export.h"
#include "record/mie_record.h"
#include "formats/mie_sink.h"

enum { OPT_PRETTY = 1 };
static const mie_option pretty_options[] = {
        {OPT_PRETTY, 0, "pretty", NULL, "indent the output for people"}, {0, 0, NULL, NULL, NULL}};

enum shape { SHAPE_STREAM, SHAPE_JSONL_PRETTY, SHAPE_ARRAY };

typedef struct stream_state {
	mie_sink *out; /* owned */
	enum shape shape;
	int pretty;
	long records;
	mie_buf buf, why;
} stream_state;

static const char *const all_fields[] = {"*", NULL};

static const char *const *carries_all(void *state, const char *type)
{
	return all_fields;
}

static int open_shape(const mie_export_opts *o, void **state, mie_form form, enum shape shape)
{
	mie_sink *out = mie_sink_open(o->output, form);
	if (!out)
		return -1;
	stream_state *s = mie_xcalloc(1, sizeof *s);
	s->out = out;
	s->pretty = o->opt[0] != NULL;
	s->shape = shape;
	mie_buf_init(&s->buf);
	mie_buf_init(&s->why);
	*state = s;
	return 0;
}

static int open_jsonl(const mie_export_opts *o, void **state)
{
	return open_shape(o, state, MIE_FORM_JSONL, o->opt[0] ? SHAPE_JSONL_PRETTY : SHAPE_STREAM);
}

static int open_xml(const mie_export_opts *o, void **state)
{
	return open_shape(o, state, MIE_FORM_XML, SHAPE_STREAM);
}

/* json and pretty jsonl write their own bytes on the sink's file; its JSON
 * Lines writer stays unused and writes nothing at its end. */
static int open_json(const mie_export_opts *o, void **state)
{
	return open_shape(o, state, MIE_FORM_JSONL, SHAPE_ARRAY);
}

static int dump_cb(const char *p, size_t n, void *data)
{
	mie_buf_add(data, p, n);
	return 0;
}

/* rec as JSON into s->buf; indented records have every line after the
 * first shifted by `shift` spaces (strings hold no raw line feed). */
static int dump(stream_state *s, const json_t *rec, int indent, int shift)
{
	size_t flags = mie_json_real_precision(rec) | (indent ? JSON_INDENT(indent) : JSON_COMPACT);
	if (!shift)
		return json_dump_callback(rec, dump_cb, &s->buf, flags);
	mie_buf tmp = MIE_BUF_INIT;
	int rc = json_dump_callback(rec, dump_cb, &tmp, flags);
	for (size_t i = 0; i < tmp.len; i++) {
		mie_buf_addc(&s->buf, tmp.data[i]);
		if (tmp.data[i] == '\n')
			mie_buf_add(&s->buf, "    ", (size_t)shift);
	}
	mie_buf_release(&tmp);
	return rc;
}

static int flush_buf(stream_state *s)
{
	FILE *fp = mie_sink_file(s->out);
	if (s->buf.len && fwrite(s->buf.data, 1, s->buf.len, fp) != s->buf.len)
		mie_sink_fail(s->out, errno);
	mie_buf_reset(&s->buf);
	return mie_sink_failed(s->out) ? -1 : 0;
}

static int put_stream(void *state, const json_t *rec, const mie_loc *loc)
{
	stream_state *s = state;
	int rc;
	switch (s->shape) {
	case SHAPE_STREAM:
		mie_buf_reset(&s->why);
		rc = mie_sink_put(s->out, rec, &s->why);
		if (rc == MIE_WRITE_BAD) {
			mie_error_at(loc, "%s: %s", mie_rec_id_or_dash(rec), s->why.data);
			return MIE_EXPORT_BAD;
		}
		return rc == MIE_WRITE_OK ? MIE_EXPORT_OK : MIE_EXPORT_FATAL;
	case SHAPE_JSONL_PRETTY:
		dump(s, rec, 2, 0);
		mie_buf_addc(&s->buf, '\n');
		break;
	case SHAPE_ARRAY:
		mie_buf_adds(&s->buf, s->records ? ",\n" : "[\n");
		if (s->pretty)
			mie_buf_adds(&s->buf, "  ");
		dump(s, rec, s->pretty ? 2 : 0, s->pretty ? 2 : 0);
		break;
	}
	s->records++;
	if (s->buf.len >= 1 << 16 && flush_buf(s) < 0)
		return MIE_EXPORT_FATAL;
	return MIE_EXPORT_OK;
}

static void free_state(stream_state *s)
{
	mie_buf_release(&s->buf);
	mie_buf_release(&s->why);
	free(s);
}

static int finish_stream(void *state)
{
	stream_state *s = state;
	if (s->shape == SHAPE_ARRAY)
		mie_buf_adds(&s->buf, s->records ? "\n]\n" : "[]\n");
	flush_buf(s);
	int rc = mie_sink_close(&s->out);
	free_state(s);
	return rc;
}

static void abort_stream(void *state)
{
	stream_state *s = state;
	mie_sink_abort(&s->out);
	free_state(s);
}

const mie_export_writer mie_export_jsonl = {
        .name = "jsonl",
        .summary = "interchange JSON Lines, as mie-cat writes it",
        .options = pretty_options,
        .open = open_jsonl,
        .carries = carries_all,
        .put = put_stream,
        .finish = finish_stream,
        .abort = abort_stream,
};

const mie_export_writer mie_export_json = {
        .name = "json",
        .summary = "one JSON array of the records",
        .options = pretty_options,
        .open = open_json,
        .carries = carries_all,
        .put = put_stream,
        .finish = finish_stream,
        .abort = abort_stream,
};

const mie_export_writer mie_export_xml = {
        .name = "xml",
        .summary = "interchange XML, as mie-cat writes it",
        .options = pretty_options,
        .open = open_xml,
        .carries = carries_all,
        .put = put_stream,
        .finish = finish_stream,
        .abort = abort_stream,
};
