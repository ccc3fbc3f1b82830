/* mie_ixml.c — the interchange XML form: writer and streaming reader.
 *
 * Mapping (schemas/README.md): <records xmlns=MIE_XML_NS schema_version="1">
 * holds one element per record, named after its "type" (first member) with
 * its "id" (second member) as attribute; a record whose first members are
 * not so is written <record> with every member as a child.  A member is an
 * element named after its key, or <field name="KEY"> when the key is not a
 * plain XML name or is "item"/"field", and always inside "extra" and
 * "variants" (so that the XSD can check them); arrays hold <item> children; the
 * attribute t gives the JSON type where it cannot be inferred (numbers,
 * booleans, null, empty arrays and objects).
 *
 * The writer escapes everything itself (libxml2's text writer lets control
 * characters and "]]>" through): & < > always, CR as &#13;, and in
 * attributes " TAB LF too.  A string holding a character XML 1.0 cannot
 * carry makes that record MIE_WRITE_BAD, never a broken document.
 *
 * The reader is libxml2's xmlTextReader: one record subtree expanded at a
 * time, then freed.  No DTD is ever accepted: a DOCTYPE or ENTITY
 * declaration anywhere stops the input before libxml2 can act on it, which
 * makes XML_PARSE_HUGE (text nodes over 10 MB) safe to use.  No network, no
 * entity substitution. */
#include <libxml/xmlreader.h>
#include <stdlib.h>
#include <string.h>

#include "record/mie_record.h"
#include "formats/mie_stream_impl.h"
#include "core/mie_utf8.h"

/* ---------------------------------------------------------------- writer */

typedef struct ixml_writer {
	mie_writer base;
	int started;
} ixml_writer;

static int plain_name(const char *k)
{
	if (!((*k >= 'A' && *k <= 'Z') || (*k >= 'a' && *k <= 'z') || *k == '_'))
		return 0;
	if (strncasecmp(k, "xml", 3) == 0 || strcmp(k, "item") == 0 || strcmp(k, "field") == 0)
		return 0;
	for (const char *p = k + 1; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' || *p == '.'))
			return 0;
	return 1;
}

/* Appends s escaped; returns -1 (why set) if s holds a non-XML character. */
static int add_escaped(mie_buf *b, const char *s, size_t n, int attr, mie_buf *why)
{
	const char *what;
	long bad = mie_text_check(s, n, &what);
	if (bad >= 0) {
		if (why)
			mie_buf_addf(why, "%s at byte %ld", what, bad);
		return -1;
	}
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep = NULL;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '\r': rep = "&#13;"; break;
		case '"': rep = attr ? "&quot;" : NULL; break;
		case '\t': rep = attr ? "&#9;" : NULL; break;
		case '\n': rep = attr ? "&#10;" : NULL; break;
		}
		if (rep) {
			mie_buf_add(b, s + start, i - start);
			mie_buf_adds(b, rep);
			start = i + 1;
		}
	}
	mie_buf_add(b, s + start, n - start);
	return 0;
}

static void indent(mie_buf *b, int depth)
{
	for (int i = 0; i < depth; i++)
		mie_buf_add(b, "  ", 2);
}

static int put_value(mie_buf *b, const char *key, const json_t *v, int depth, int generic,
                     mie_buf *why);

/* Opens <key ...> (or <field name="key">), with t="..." when given. */
/* The element name for a member: its key when plain (outside generic
 * subtrees), else "field" (with name=key), or "item" in an array. */
static const char *tag_of(const char *key, int generic)
{
	return key && !generic && plain_name(key) ? key : key ? "field" : "item";
}

static int open_tag(mie_buf *b, const char *key, const char *t, int empty, int generic,
                    mie_buf *why)
{
	const char *tag = tag_of(key, generic);
	mie_buf_addc(b, '<');
	mie_buf_adds(b, tag);
	if (key && tag != key) {
		mie_buf_adds(b, " name=\"");
		if (add_escaped(b, key, strlen(key), 1, why) < 0) {
			if (why)
				mie_buf_adds(why, " (in a field name)");
			return -1;
		}
		mie_buf_addc(b, '"');
	}
	if (t)
		mie_buf_addf(b, " t=\"%s\"", t);
	mie_buf_adds(b, empty ? "/>" : ">");
	return 0;
}

static void close_tag(mie_buf *b, const char *key, int generic)
{
	mie_buf_adds(b, "</");
	mie_buf_adds(b, tag_of(key, generic));
	mie_buf_adds(b, ">\n");
}

static int put_members(mie_buf *b, const json_t *obj, void *skip_until, int depth, int generic,
                       mie_buf *why)
{
	const char *k;
	json_t *v;
	void *it = skip_until ? skip_until : json_object_iter((json_t *)obj);
	for (; it; it = json_object_iter_next((json_t *)obj, it)) {
		k = json_object_iter_key(it);
		v = json_object_iter_value(it);
		if (put_value(b, k, v, depth, generic, why) < 0) {
			if (why)
				mie_buf_addf(why, " (in %s)", k);
			return -1;
		}
	}
	return 0;
}

/* key NULL = an array item.  generic: this element is inside "extra",
 * "variants" or "merge_layout", where every member is written <field name="KEY">. */
static int put_value(mie_buf *b, const char *key, const json_t *v, int depth, int generic,
                     mie_buf *why)
{
	int inner = generic || (depth == 2 && key &&
	                        (strcmp(key, "extra") == 0 || strcmp(key, "variants") == 0 ||
	                         strcmp(key, "merge_layout") == 0));
	indent(b, depth);
	switch (json_typeof(v)) {
	case JSON_STRING:
		if (open_tag(b, key, NULL, 0, generic, why) < 0 ||
		    add_escaped(b, json_string_value(v), json_string_length(v), 0, why) < 0)
			return -1;
		close_tag(b, key, generic);
		return 0;
	case JSON_INTEGER:
	case JSON_REAL: {
		char num[64]; /* an integer or a real to 17 digits: no allocation */
		size_t n = json_dumpb(v, num, sizeof num,
		                      JSON_ENCODE_ANY | mie_json_real_precision(v));
		if (!n || n >= sizeof num)
			mie_die("cannot write a number");
		int rc = open_tag(b, key, "number", 0, generic, why);
		mie_buf_add(b, num, n);
		close_tag(b, key, generic);
		return rc;
	}
	case JSON_TRUE:
	case JSON_FALSE:
		if (open_tag(b, key, "boolean", 0, generic, why) < 0)
			return -1;
		mie_buf_adds(b, json_is_true(v) ? "true" : "false");
		close_tag(b, key, generic);
		return 0;
	case JSON_NULL:
		if (open_tag(b, key, "null", 1, generic, why) < 0)
			return -1;
		mie_buf_addc(b, '\n');
		return 0;
	case JSON_ARRAY: {
		size_t n = json_array_size(v);
		if (open_tag(b, key, n ? NULL : "array", !n, generic, why) < 0)
			return -1;
		mie_buf_addc(b, '\n');
		if (!n)
			return 0;
		for (size_t i = 0; i < n; i++)
			if (put_value(b, NULL, json_array_get(v, i), depth + 1, inner, why) < 0)
				return -1;
		indent(b, depth);
		close_tag(b, key, generic);
		return 0;
	}
	case JSON_OBJECT: {
		size_t n = json_object_size(v);
		if (open_tag(b, key, n ? NULL : "object", !n, generic, why) < 0)
			return -1;
		mie_buf_addc(b, '\n');
		if (!n)
			return 0;
		if (put_members(b, v, NULL, depth + 1, inner, why) < 0)
			return -1;
		indent(b, depth);
		close_tag(b, key, generic);
		return 0;
	}
	}
	return -1;
}

static void start_document(mie_writer *base)
{
	ixml_writer *w = (ixml_writer *)base;
	if (w->started)
		return;
	w->started = 1;
	mie_buf_adds(&w->base.buf,
	             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<records xmlns=\"" MIE_XML_NS
	             "\" schema_version=\"" MIE_SCHEMA_VERSION "\">\n");
}

/* The record element: named after the type when "type" comes first as a
 * plain name (not one of the mapping's own names), else <record>. */
static int put_record(mie_buf *b, const json_t *rec, mie_buf *why)
{
	void *it = json_object_iter((json_t *)rec);
	const char *type = NULL;
	if (it && strcmp(json_object_iter_key(it), "type") == 0) {
		type = json_string_value(json_object_iter_value(it));
		if (type && (!plain_name(type) || strcmp(type, "record") == 0 ||
		             strcmp(type, "records") == 0))
			type = NULL;
	}
	if (!type) {
		mie_buf_adds(b, "  <record>\n");
		if (put_members(b, rec, NULL, 2, 0, why) < 0)
			return -1;
		mie_buf_adds(b, "  </record>\n");
		return 0;
	}
	mie_buf_addf(b, "  <%s", type);
	it = json_object_iter_next((json_t *)rec, it);
	if (it && strcmp(json_object_iter_key(it), "id") == 0 &&
	    json_is_string(json_object_iter_value(it))) {
		const json_t *id = json_object_iter_value(it);
		mie_buf_adds(b, " id=\"");
		if (add_escaped(b, json_string_value(id), json_string_length(id), 1, why) < 0) {
			if (why)
				mie_buf_adds(why, " (in id)");
			return -1;
		}
		mie_buf_addc(b, '"');
		it = json_object_iter_next((json_t *)rec, it);
	}
	if (!it) {
		mie_buf_adds(b, "/>\n");
		return 0;
	}
	mie_buf_adds(b, ">\n");
	if (put_members(b, rec, it, 2, 0, why) < 0)
		return -1;
	mie_buf_addf(b, "  </%s>\n", type);
	return 0;
}

static int ixml_put(mie_writer *base, const json_t *rec, mie_buf *why)
{
	start_document(base);
	size_t before = base->buf.len;
	if (put_record(&base->buf, rec, why) < 0) {
		mie_buf_setlen(&base->buf, before);
		return MIE_WRITE_BAD;
	}
	if (base->buf.len >= 1 << 16)
		return mie_writer_flush_buf(base);
	return MIE_WRITE_OK;
}

static int ixml_finish(mie_writer *base)
{
	start_document(base);
	mie_buf_adds(&base->buf, "</records>\n");
	return MIE_WRITE_OK;
}

static void ixml_wfree(mie_writer *w)
{
	free(w);
}

static const struct mie_writer_ops ixml_writer_ops = {ixml_put, start_document, ixml_finish,
                                                      ixml_wfree};

mie_writer *mie_ixml_writer_new(FILE *fp)
{
	ixml_writer *w = mie_xcalloc(1, sizeof *w);
	w->base.ops = &ixml_writer_ops;
	w->base.fp = fp;
	mie_buf_init(&w->base.buf);
	return &w->base;
}

/* ---------------------------------------------------------------- reader */

typedef struct ixml_reader {
	mie_reader base;
	xmlTextReaderPtr xr; /* owned */
	int positioned;      /* xr already stands on the next node */
	int root_seen, done;
	char carry[16]; /* tail of the previous block, for the DTD scan */
	size_t ncarry;
	int dtd;        /* a DOCTYPE/ENTITY declaration was seen */
	mie_buf xmlerr; /* first libxml2 error */
	long xmlerr_line;
} ixml_reader;

static int has_dtd(ixml_reader *r, const char *p, size_t n)
{
	static const char *const bad[] = {"<!DOCTYPE", "<!ENTITY", NULL};
	char tmp[16 + 64];
	/* the seam between blocks */
	size_t k = n < 64 ? n : 64;
	memcpy(tmp, r->carry, r->ncarry);
	memcpy(tmp + r->ncarry, p, k);
	for (int i = 0; bad[i]; i++)
		if (memmem(tmp, r->ncarry + k, bad[i], strlen(bad[i])) ||
		    memmem(p, n, bad[i], strlen(bad[i])))
			return 1;
	r->ncarry = n < 15 ? n : 15;
	memcpy(r->carry, p + n - r->ncarry, r->ncarry);
	return 0;
}

static int read_cb(void *ctx, char *buf, int len)
{
	ixml_reader *r = ctx;
	if (r->dtd)
		return -1;
	ssize_t n = mie_input_read(r->base.in, buf, (size_t)len);
	if (n > 0 && has_dtd(r, buf, (size_t)n)) {
		r->dtd = 1;
		return -1;
	}
	return n < 0 ? -1 : (int)n;
}

static void error_cb(void *ctx, xmlErrorPtr e)
{
	ixml_reader *r = ctx;
	if (r->xmlerr.len || !e || e->level < XML_ERR_ERROR)
		return;
	mie_buf_adds(&r->xmlerr, e->message ? e->message : "XML error");
	while (r->xmlerr.len && r->xmlerr.data[r->xmlerr.len - 1] == '\n')
		mie_buf_setlen(&r->xmlerr, r->xmlerr.len - 1);
	r->xmlerr_line = e->line;
}

static int blank(const xmlChar *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return 0;
	return 1;
}

/* Elements below a record element: the schema needs a handful of levels;
 * the bound keeps the recursive conversion (and jansson's recursive writers
 * after it) off the end of the stack (man/mie-conventions.7). */
#define IXML_MAX_DEPTH 256

static json_t *convert(xmlNodePtr el, int depth, mie_buf *err);

/* 0 when el is in the interchange namespace; else the reason in err. */
static int foreign(xmlNodePtr el, mie_buf *err)
{
	if (el->ns && el->ns->href && strcmp((const char *)el->ns->href, MIE_XML_NS) == 0)
		return 0;
	mie_buf_addf(err, "line %ld: <%s%s%s>: element not in the namespace %s", xmlGetLineNo(el),
	             el->ns && el->ns->prefix ? (const char *)el->ns->prefix : "",
	             el->ns && el->ns->prefix ? ":" : "", el->name, MIE_XML_NS);
	return -1;
}

static const char *member_key(xmlNodePtr el, xmlChar **owned)
{
	*owned = NULL;
	if (strcmp((const char *)el->name, "field") == 0) {
		*owned = xmlGetProp(el, (const xmlChar *)"name");
		return (const char *)*owned;
	}
	return (const char *)el->name;
}

/* Children of el into obj (object) or arr (array). */
static int convert_children(xmlNodePtr el, json_t *obj, json_t *arr, int depth, mie_buf *err)
{
	for (xmlNodePtr c = el->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			if (!blank(c->content)) {
				mie_buf_addf(err, "line %ld: <%s>: text mixed with elements",
				             xmlGetLineNo(c), el->name);
				return -1;
			}
			continue;
		}
		if (c->type != XML_ELEMENT_NODE)
			continue;
		json_t *v = convert(c, depth + 1, err);
		if (!v)
			return -1;
		if (arr) {
			json_array_append_new(arr, v);
			continue;
		}
		xmlChar *owned;
		const char *key = member_key(c, &owned);
		if (!key || json_object_get(obj, key)) {
			mie_buf_addf(err, "line %ld: %s field <%s>", xmlGetLineNo(c),
			             key ? "duplicate" : "nameless", key ? key : "field");
			xmlFree(owned);
			json_decref(v);
			return -1;
		}
		json_object_set_new(obj, key, v);
		xmlFree(owned);
	}
	return 0;
}

static json_t *convert_leaf(xmlNodePtr el, const char *t, mie_buf *err)
{
	xmlChar *text = xmlNodeGetContent(el);
	const char *s = text ? (const char *)text : "";
	json_t *v = NULL;
	if (!t) {
		v = json_string_nocheck(s);
	} else if (strcmp(t, "number") == 0) {
		json_error_t je;
		v = json_loads(s, JSON_DECODE_ANY, &je);
		if (v && !json_is_number(v)) {
			json_decref(v);
			v = NULL;
		}
	} else if (strcmp(t, "boolean") == 0) {
		v = strcmp(s, "true") == 0    ? json_true()
		    : strcmp(s, "false") == 0 ? json_false()
		                              : NULL;
	} else if (strcmp(t, "null") == 0) {
		v = *s ? NULL : json_null();
	} else if (strcmp(t, "array") == 0) {
		v = *s ? NULL : json_array();
	} else if (strcmp(t, "object") == 0) {
		v = *s ? NULL : json_object();
	}
	if (!v)
		mie_buf_addf(err, "line %ld: <%s t=\"%s\">: bad value \"%.40s\"", xmlGetLineNo(el),
		             el->name, t ? t : "", s);
	xmlFree(text);
	return v;
}

static json_t *convert(xmlNodePtr el, int depth, mie_buf *err)
{
	if (depth > IXML_MAX_DEPTH) {
		mie_buf_addf(err, "line %ld: <%s>: elements nested deeper than %d in one record",
		             xmlGetLineNo(el), el->name, IXML_MAX_DEPTH);
		return NULL;
	}
	if (foreign(el, err) < 0)
		return NULL;
	xmlChar *t = xmlGetProp(el, (const xmlChar *)"t");
	int has_el = 0, all_items = 1;
	for (xmlNodePtr c = el->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE) {
			has_el = 1;
			if (strcmp((const char *)c->name, "item") != 0)
				all_items = 0;
		}
	json_t *v;
	if (!has_el || (t && strcmp((char *)t, "array") != 0 && strcmp((char *)t, "object") != 0)) {
		v = convert_leaf(el, (const char *)t, err);
	} else {
		int is_array = t ? strcmp((char *)t, "array") == 0 : all_items;
		v = is_array ? json_array() : json_object();
		if (convert_children(el, is_array ? NULL : v, is_array ? v : NULL, depth, err) <
		    0) {
			json_decref(v);
			v = NULL;
		}
	}
	xmlFree(t);
	return v;
}

static json_t *convert_record(xmlNodePtr el, mie_buf *err)
{
	if (foreign(el, err) < 0)
		return NULL;
	json_t *rec = json_object();
	if (strcmp((const char *)el->name, "record") != 0) {
		json_object_set_new(rec, "type", json_string_nocheck((const char *)el->name));
		xmlChar *id = xmlGetProp(el, (const xmlChar *)"id");
		if (id)
			json_object_set_new(rec, "id", json_string_nocheck((const char *)id));
		xmlFree(id);
	}
	if (convert_children(el, rec, NULL, 1, err) < 0) {
		json_decref(rec);
		return NULL;
	}
	return rec;
}

static int fatal_from_xml(ixml_reader *r, mie_loc *loc)
{
	if (r->dtd) {
		mie_buf_adds(&r->base.error, "DOCTYPE and ENTITY declarations are not accepted");
	} else if (r->xmlerr.len) {
		loc->line = r->xmlerr_line;
		mie_buf_add(&r->base.error, r->xmlerr.data, r->xmlerr.len);
	} else {
		mie_buf_adds(&r->base.error, "not well-formed XML");
	}
	r->done = 1;
	return MIE_READ_FATAL;
}

static int check_root(ixml_reader *r, mie_loc *loc)
{
	const xmlChar *name = xmlTextReaderConstLocalName(r->xr);
	const xmlChar *ns = xmlTextReaderConstNamespaceUri(r->xr);
	xmlChar *ver = xmlTextReaderGetAttribute(r->xr, (const xmlChar *)"schema_version");
	int ok = 0;
	xmlNodePtr node = xmlTextReaderCurrentNode(r->xr);
	loc->line = node ? xmlGetLineNo(node) : xmlTextReaderGetParserLineNumber(r->xr);
	if (!name || strcmp((const char *)name, "records") != 0 || !ns ||
	    strcmp((const char *)ns, MIE_XML_NS) != 0)
		mie_buf_addf(&r->base.error, "root element is not <records xmlns=\"%s\">",
		             MIE_XML_NS);
	else if (!ver || strcmp((const char *)ver, MIE_SCHEMA_VERSION) != 0)
		mie_buf_addf(&r->base.error, "unsupported schema_version \"%s\"",
		             ver ? (const char *)ver : "");
	else
		ok = 1;
	xmlFree(ver);
	r->root_seen = 1;
	if (!ok)
		r->done = 1;
	return ok;
}

static int ixml_next(mie_reader *base, json_t **rec, mie_loc *loc)
{
	ixml_reader *r = (ixml_reader *)base;
	while (!r->done) {
		int st = r->positioned ? 1 : xmlTextReaderRead(r->xr);
		r->positioned = 0;
		if (st == 0) {
			r->done = 1;
			if (r->dtd || r->xmlerr.len)
				return fatal_from_xml(r, loc);
			if (!r->root_seen) {
				mie_buf_adds(&base->error, "no <records> element");
				return MIE_READ_FATAL;
			}
			return MIE_READ_EOF;
		}
		if (st < 0)
			return fatal_from_xml(r, loc);
		int type = xmlTextReaderNodeType(r->xr), depth = xmlTextReaderDepth(r->xr);
		if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
			r->dtd = 1;
			return fatal_from_xml(r, loc);
		}
		if (type != XML_READER_TYPE_ELEMENT)
			continue;
		if (depth == 0) {
			if (!check_root(r, loc))
				return MIE_READ_FATAL;
			continue;
		}
		if (depth != 1)
			continue;
		xmlNodePtr node = xmlTextReaderExpand(r->xr);
		if (!node)
			return fatal_from_xml(r, loc);
		loc->line = xmlGetLineNo(node);
		*rec = convert_record(node, &base->error);
		st = xmlTextReaderNext(r->xr);
		if (st < 0)
			return *rec ? (json_decref(*rec), *rec = NULL, fatal_from_xml(r, loc))
			            : fatal_from_xml(r, loc);
		r->positioned = st == 1;
		if (st == 0)
			r->done = 0, r->positioned = 0;
		return *rec ? MIE_READ_OK : MIE_READ_BAD;
	}
	return MIE_READ_EOF;
}

static void ixml_free(mie_reader *base)
{
	ixml_reader *r = (ixml_reader *)base;
	if (r->xr)
		xmlFreeTextReader(r->xr);
	mie_buf_release(&r->xmlerr);
	free(r);
}

static const struct mie_reader_ops ixml_reader_ops = {ixml_next, ixml_free};

static xmlParserInputPtr no_entities(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	return NULL;
}

mie_reader *mie_ixml_reader_new(mie_input *in)
{
	ixml_reader *r = mie_xcalloc(1, sizeof *r);
	r->base.ops = &ixml_reader_ops;
	r->base.in = in;
	r->base.form = MIE_FORM_XML;
	mie_buf_init(&r->base.error);
	mie_buf_init(&r->base.raw);
	mie_buf_init(&r->xmlerr);
	xmlSetExternalEntityLoader(no_entities);
	r->xr = xmlReaderForIO(read_cb, NULL, r, mie_input_name(in), NULL,
	                       XML_PARSE_NONET | XML_PARSE_HUGE | XML_PARSE_BIG_LINES |
	                               XML_PARSE_NOCDATA);
	if (!r->xr)
		mie_die("out of memory");
	xmlTextReaderSetStructuredErrorHandler(r->xr, error_cb, r);
	return &r->base;
}
