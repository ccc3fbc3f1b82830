/* mie_export_dc.c — records to Dublin Core (--to dc): one OAI-PMH 2.0
 * Static Repository, the XML file a library catalogue harvests through a
 * Static Repository Gateway (no server), holding one oai_dc record per
 * record.
 *
 * The document (static-repository.xsd, OAI-PMH-static-repository.xsd,
 * oai_dc.xsd; tests/fixtures/oai-pmh/):
 *   <Repository> <Identify> repository name, base URL, protocol 2.0, admin
 *   e-mail, earliest datestamp, deletedRecord "no", granularity YYYY-MM-DD
 *   </Identify> <ListMetadataFormats> oai_dc </ListMetadataFormats>
 *   <ListRecords metadataPrefix="oai_dc"> one <oai:record> per record:
 *   header (identifier "oai:" + the record's id, datestamp = the day of
 *   date_modified, else date_published, else of the export) and an
 *   <oai_dc:dc>.
 * The mapping, for every record type (man/mie-export.1, FORMATS, dc):
 *   dc:title        title
 *   dc:creator      the names of the authors (their author records), or
 *                   author_name (comments); a signature's title
 *   dc:subject      the titles of the keywords (their keyword records)
 *   dc:description  description, lead, text, notes and ps, each as plain
 *                   text
 *   dc:date         date_published
 *   dc:type         the DCMI type (Text, Collection, StillImage, Sound,
 *                   MovingImage, InteractiveResource) when one fits, then
 *                   the record type
 *   dc:format       mime
 *   dc:identifier   id, the legacy URL, url
 *   dc:language     lang
 *   dc:relation     section, documents, about, parent, group, members
 *                   (their ids), redirect (a virtual article's target)
 * Private fields (emails, IPs) are never written.
 *
 * Memory: authors' names and keywords' titles come from records that may
 * follow the ones that use them, and Identify (first in the file) names
 * the earliest datestamp: records are spilled to an unlinked temporary file (JSON
 * Lines) and written at finish; held whole: the titles of authors and
 * keywords (one string per such record). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "export/mie_export.h"
#include "text/mie_html.h"
#include "io/mie_output.h"
#include "record/mie_record.h"
#include "core/mie_tmp.h"

enum { OPT_NAME = 1, OPT_BASE, OPT_EMAIL };
static const mie_option options[] = {
        {OPT_NAME, 0, "repository-name", "NAME",
         "the repository's name (default: the site's host)"},
        {OPT_BASE, 0, "base-url", "URL",
         "this file's address at its gateway (default: the site's + its name)"},
        {OPT_EMAIL, 0, "admin-email", "EMAIL",
         "the repository's contact (default: webmaster@HOST)"},
        {0, 0, NULL, NULL, NULL}};

/* (Every type: a field a type does not have is simply absent.) */
static const char *const carries_all[] = {"type",
                                          "id",
                                          "title",
                                          "authors",
                                          "author_name",
                                          "keywords",
                                          "description.plain",
                                          "lead.plain",
                                          "text.plain",
                                          "notes.plain",
                                          "ps.plain",
                                          "date_published",
                                          "date_modified",
                                          "mime",
                                          "legacy.url",
                                          "url",
                                          "lang",
                                          "section",
                                          "documents",
                                          "about",
                                          "parent",
                                          "group",
                                          "members",
                                          "redirect",
                                          NULL};

typedef struct dc {
	mie_output *out;                 /* owned until finish/abort */
	const char *name, *base, *email; /* options, borrowed */
	const char *file;                /* -o, borrowed */
	FILE *spill;                     /* owned: records, one JSON line each */
	long records;
	json_t *names; /* id -> title of authors and keywords (owned) */
	char *host, *site_url;
	char earliest[11];
	char today[11];
	mie_buf b; /* scratch */
} dc;

static int dc_open(const mie_export_opts *o, void **state)
{
	const char *email = o->opt[2];
	if (email && (!strchr(email, '@') || strpbrk(email, " \t\r\n") ||
	              !strchr(strchr(email, '@'), '.'))) {
		mie_fatal("--admin-email: \"%s\": not an e-mail address", email);
		return -1;
	}
	mie_output *out = mie_output_open(o->output);
	if (!out)
		return -1;
	dc *w = mie_xcalloc(1, sizeof *w);
	w->out = out;
	w->name = o->opt[0];
	w->base = o->opt[1];
	w->email = email;
	w->file = o->output;
	w->names = json_object();
	/* the day of the export, for records without a date: SOURCE_DATE_EPOCH
	 * when set (reproducible builds), else now */
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	time_t now = sde && *sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(w->today, sizeof w->today, "%Y-%m-%d", &tm);
	*state = w;
	return 0;
}

static const char *const *dc_carries(void *state, const char *type)
{
	return carries_all;
}

/* The record's datestamp: the day of its last change, as far as known. */
static void datestamp(const dc *w, const json_t *rec, char day[11])
{
	const char *d = mie_rec_str(rec, "date_modified");
	if (!d)
		d = mie_rec_str(rec, "date_published");
	if (!d || strlen(d) < 10)
		d = w->today;
	memcpy(day, d, 10);
	day[10] = '\0';
}

/* Notes what the record brings to the whole (site, names, earliest
 * datestamp) and spills it: its JSON Lines text when the input was one
 * (line, n), else as jansson writes it. */
static int spill(dc *w, const json_t *rec, const char *line, size_t n, const mie_loc *loc)
{
	const char *type = mie_rec_str(rec, "type"), *id = mie_rec_str(rec, "id");
	if (!type || !id) {
		mie_error_at(loc, "record without type or id: not exported");
		return MIE_EXPORT_BAD;
	}
	if (!w->spill && !(w->spill = mie_tmpfile()))
		return MIE_EXPORT_FATAL;
	if (!w->host) {
		const char *c = strchr(id, ':');
		w->host = mie_xstrndup(id, c ? (size_t)(c - id) : strlen(id));
	}
	const char *u = mie_rec_str(json_object_get(rec, "legacy"), "url");
	const char *p = u ? strstr(u, "spip.php?") : NULL;
	if (p && !w->site_url)
		w->site_url = mie_xstrndup(u, (size_t)(p - u));
	const char *title = mie_rec_str(rec, "title");
	if (title && (strcmp(type, "author") == 0 || strcmp(type, "keyword") == 0))
		json_object_set_new(w->names, id, json_string(title));
	char day[11];
	datestamp(w, rec, day);
	if (!w->earliest[0] || strcmp(day, w->earliest) < 0)
		memcpy(w->earliest, day, sizeof day);
	char *dumped = line ? NULL : json_dumps(rec, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (dumped) {
		line = dumped;
		n = strlen(dumped);
	}
	int ok = line && fwrite(line, 1, n, w->spill) == n && fputc('\n', w->spill) != EOF;
	free(dumped);
	if (!ok) {
		mie_fatal("temporary file: write error");
		return MIE_EXPORT_FATAL;
	}
	w->records++;
	return MIE_EXPORT_OK;
}

static int dc_put(void *state, const json_t *rec, const mie_loc *loc)
{
	return spill(state, rec, NULL, 0, loc);
}

static int dc_put_line(void *state, const json_t *rec, const char *line, size_t n,
                       const mie_loc *loc)
{
	return spill(state, rec, line, n, loc);
}

/* ---- writing ---- */

static void text(mie_buf *b, const char *s)
{
	mie_html_escape(b, s, strlen(s), 0);
}

static void element(mie_buf *b, const char *name, const char *s)
{
	if (!s || !*s)
		return;
	mie_buf_addf(b, "      <%s>", name);
	text(b, s);
	mie_buf_addf(b, "</%s>\n", name);
}

/* An id as an OAI identifier: "oai:" then the id, every byte outside
 * RFC 2396's unreserved and reserved characters %-escaped. */
static void oai_identifier(mie_buf *b, const char *id)
{
	static const char ok[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	                         "-_.!~*'();/?:@&=+$,";
	mie_buf u = MIE_BUF_INIT;
	mie_buf_adds(&u, "oai:");
	for (const unsigned char *p = (const unsigned char *)id; *p; p++)
		if (*p < 0x80 && strchr(ok, *p))
			mie_buf_addc(&u, *p);
		else
			mie_buf_addf(&u, "%%%02X", *p);
	text(b, u.data);
	mie_buf_release(&u);
}

/* The DCMI Type Vocabulary term of a record, or NULL. */
static const char *dcmi_type(const json_t *rec, const char *type)
{
	static const char *const text_types[] = {"article",  "brief",     "comment",
	                                         "petition", "signature", NULL};
	for (size_t i = 0; text_types[i]; i++)
		if (strcmp(type, text_types[i]) == 0)
			return "Text";
	if (strcmp(type, "section") == 0 || strcmp(type, "dossier") == 0)
		return "Collection";
	if (strcmp(type, "site") == 0)
		return "InteractiveResource";
	if (strcmp(type, "document") == 0) {
		const char *m = mie_rec_str(rec, "mime");
		if (m && strncmp(m, "image/", 6) == 0)
			return "StillImage";
		if (m && strncmp(m, "audio/", 6) == 0)
			return "Sound";
		if (m && strncmp(m, "video/", 6) == 0)
			return "MovingImage";
		return "Text";
	}
	return NULL;
}

/* dc:NAME for each id of the array field, as the name held for it, or
 * (as_ids) as the id itself. */
static void each_id(dc *w, const json_t *rec, const char *field, const char *name, int as_ids)
{
	size_t i;
	const json_t *v;
	json_array_foreach(json_object_get(rec, field), i, v)
	{
		const char *id = json_string_value(v);
		const char *s = as_ids ? id : json_string_value(json_object_get(w->names, id));
		element(&w->b, name, s);
	}
}

static void put_record(dc *w, const json_t *rec)
{
	mie_buf *b = &w->b;
	const char *type = mie_rec_str(rec, "type"), *id = mie_rec_str(rec, "id");
	char day[11];
	datestamp(w, rec, day);
	mie_buf_adds(b, "  <oai:record>\n    <oai:header>\n      <oai:identifier>");
	oai_identifier(b, id);
	mie_buf_addf(b,
	             "</oai:identifier>\n      <oai:datestamp>%s</oai:datestamp>\n"
	             "    </oai:header>\n    <oai:metadata>\n"
	             "     <oai_dc:dc>\n",
	             day);
	element(b, "dc:title", mie_rec_str(rec, "title"));
	each_id(w, rec, "authors", "dc:creator", 0);
	element(b, "dc:creator", mie_rec_str(rec, "author_name"));
	if (strcmp(type, "signature") == 0)
		element(b, "dc:creator", mie_rec_str(rec, "title"));
	each_id(w, rec, "keywords", "dc:subject", 0);
	static const char *const texts[] = {"description", "lead", "text", "notes", "ps"};
	for (size_t i = 0; i < 5; i++)
		element(b, "dc:description", mie_rec_str(json_object_get(rec, texts[i]), "plain"));
	element(b, "dc:date", mie_rec_str(rec, "date_published"));
	element(b, "dc:type", dcmi_type(rec, type));
	element(b, "dc:type", type);
	element(b, "dc:format", mie_rec_str(rec, "mime"));
	element(b, "dc:identifier", id);
	element(b, "dc:identifier", mie_rec_str(json_object_get(rec, "legacy"), "url"));
	element(b, "dc:identifier", mie_rec_str(rec, "url"));
	element(b, "dc:language", mie_rec_str(rec, "lang"));
	static const char *const one[] = {"section", "about", "parent", "group", "redirect"};
	for (size_t i = 0; i < 5; i++)
		element(b, "dc:relation", mie_rec_str(rec, one[i]));
	each_id(w, rec, "documents", "dc:relation", 1);
	each_id(w, rec, "members", "dc:relation", 1);
	mie_buf_adds(b, "     </oai_dc:dc>\n    </oai:metadata>\n  </oai:record>\n");
}

static void release(dc *w)
{
	if (w->spill)
		fclose(w->spill);
	json_decref(w->names);
	free(w->host);
	free(w->site_url);
	mie_buf_release(&w->b);
	free(w);
}

static int write_all(dc *w, FILE *fp)
{
	mie_buf *b = &w->b;
	const char *host = w->host ? w->host : "local";
	mie_buf site = MIE_BUF_INIT, base = MIE_BUF_INIT, email = MIE_BUF_INIT;
	if (w->site_url)
		mie_buf_adds(&site, w->site_url);
	else
		mie_buf_addf(&site, "http://www.%s/", host);
	if (w->base) {
		mie_buf_adds(&base, w->base);
	} else {
		const char *f = w->file ? strrchr(w->file, '/') : NULL;
		f = f ? f + 1 : w->file;
		mie_buf_addf(&base, "%s%s", site.data, f && *f && strcmp(f, "-") ? f : "oai.xml");
	}
	if (w->email)
		mie_buf_adds(&email, w->email);
	else
		mie_buf_addf(&email, "webmaster@%s", host);
	mie_buf_reset(b);
	mie_buf_adds(
	        b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	           "<Repository xmlns=\"http://www.openarchives.org/OAI/2.0/static-repository\"\n"
	           "    xmlns:oai=\"http://www.openarchives.org/OAI/2.0/\"\n"
	           "    xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\"\n"
	           "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
	           "    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
	           "    xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/static-repository "
	           "http://www.openarchives.org/OAI/2.0/static-repository.xsd "
	           "http://www.openarchives.org/OAI/2.0/oai_dc/ "
	           "http://www.openarchives.org/OAI/2.0/oai_dc.xsd\">\n"
	           " <Identify>\n  <oai:repositoryName>");
	text(b, w->name ? w->name : host);
	mie_buf_adds(b, "</oai:repositoryName>\n  <oai:baseURL>");
	text(b, base.data);
	mie_buf_adds(b, "</oai:baseURL>\n  <oai:protocolVersion>2.0</oai:protocolVersion>\n"
	                "  <oai:adminEmail>");
	text(b, email.data);
	mie_buf_addf(b,
	             "</oai:adminEmail>\n  <oai:earliestDatestamp>%s</oai:earliestDatestamp>\n"
	             "  <oai:deletedRecord>no</oai:deletedRecord>\n"
	             "  <oai:granularity>YYYY-MM-DD</oai:granularity>\n </Identify>\n"
	             " <ListMetadataFormats>\n  <oai:metadataFormat>\n"
	             "   <oai:metadataPrefix>oai_dc</oai:metadataPrefix>\n"
	             "   <oai:schema>http://www.openarchives.org/OAI/2.0/oai_dc.xsd</oai:schema>\n"
	             "   <oai:metadataNamespace>http://www.openarchives.org/OAI/2.0/oai_dc/"
	             "</oai:metadataNamespace>\n  </oai:metadataFormat>\n"
	             " </ListMetadataFormats>\n <ListRecords metadataPrefix=\"oai_dc\">\n",
	             w->earliest);
	mie_buf_release(&site);
	mie_buf_release(&base);
	mie_buf_release(&email);
	int rc = fwrite(b->data, 1, b->len, fp) == b->len ? 0 : -1;
	rewind(w->spill);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while (rc == 0 && (n = getline(&line, &cap, w->spill)) > 0) {
		json_error_t err;
		json_t *rec = json_loadb(line, (size_t)n, JSON_DISABLE_EOF_CHECK, &err);
		if (!rec) {
			mie_fatal("temporary file: unreadable record");
			rc = -1;
			break;
		}
		mie_buf_reset(b);
		put_record(w, rec);
		json_decref(rec);
		if (fwrite(b->data, 1, b->len, fp) != b->len)
			rc = -1;
	}
	free(line);
	if (rc == 0 && fputs(" </ListRecords>\n</Repository>\n", fp) < 0)
		rc = -1;
	return rc;
}

static int dc_finish(void *state)
{
	dc *w = state;
	int rc = -1, err = 0;
	if (!w->records)
		mie_fatal("dc: no record to export: a static repository holds at least one");
	else if ((errno = 0, write_all(w, mie_output_file(w->out))) < 0)
		err = errno ? errno : EIO;
	else
		rc = 0;
	if (err && mie_exit_status() < MIE_EXIT_FATAL)
		mie_output_fail(&w->out, err);
	else if (rc == 0 && mie_exit_status() < MIE_EXIT_FATAL)
		rc = mie_output_commit(&w->out);
	rc = w->out ? -1 : rc;
	mie_output_abort(&w->out); /* not committed: the target stays as it was */
	release(w);
	return rc;
}

static void dc_abort(void *state)
{
	dc *w = state;
	mie_output_abort(&w->out);
	release(w);
}

const mie_export_writer mie_export_dc = {
        .name = "dc",
        .summary = "Dublin Core: an OAI-PMH 2.0 Static Repository of oai_dc records",
        .options = options,
        .open = dc_open,
        .carries = dc_carries,
        .put = dc_put,
        .finish = dc_finish,
        .abort = dc_abort,
        .put_line = dc_put_line,
};
