/* mie_export_redirects.c — `mie-export --to redirects -o DIR`: the map from
 * every legacy address of every record (formats/mie_legacy.h: each path
 * form on each host) to the record's place in a new site
 * (export/mie_export_site.h, --for html|hugo|jekyll, under --base URL),
 * for nginx and for Apache httpd.
 *
 * DIR holds:
 *   redirects.map    nginx map entries: "HOST/PATH" "TARGET";
 *   redirects.txt    an Apache RewriteMap of type txt: HOST/PATH TARGET
 *   nginx.conf       for nginx's http block: the map of $host$request_uri
 *                    to $legacy_redirect, including redirects.map; a server
 *                    then says `if ($legacy_redirect) { return 301 $legacy_redirect; }`
 *   apache.conf      for a VirtualHost: RewriteMap of redirects.txt and the
 *                    rule answering 301 to a request found in it
 * A key is the host in lower case, then the request target as a client
 * sends it (path and query, the bytes a browser escapes written %HH),
 * which is what both servers compare: nginx's $host$request_uri, Apache's
 * host from HTTP_HOST (port dropped, lower-cased) and the target from
 * THE_REQUEST.  The scheme is not part of the key: http and https requests
 * find the same entries.  A key two records claim is kept for the first
 * (input order) and the others are counted in one warning.
 *
 * Held: every key and target until finish (the documents' places are
 * known only once every record is in), about 100 bytes a key and ten keys
 * a record. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "export/mie_export.h"
#include "export/mie_export_paths.h"
#include "export/mie_export_site.h"
#include "formats/mie_legacy.h"
#include "io/mie_outdir.h"
#include "record/mie_record.h"
#include "record/mie_xref.h"
#include "select/mie_idmap.h"

enum { O_FOR, O_BASE };

static const mie_option redirect_options[] = {
        {1, 0, "for", "html|hugo|jekyll", "the layout the addresses lead to (default hugo)"},
        {2, 0, "base", "URL", "where that site is served (default /)"},
        {0, 0, NULL, NULL, NULL}};

typedef struct rkey {
	char *key; /* owned: HOST/PATH, escaped */
	char *id;  /* owned: the record's id */
} rkey;

typedef struct redir {
	const char *out; /* borrowed (-o) */
	const char *base;
	mie_export_site *site; /* owned */
	rkey *k;
	size_t n, cap;
	mie_idmap seen; /* key hash -> 1 */
	long dup;
} redir;

static void redir_free(redir *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->k[i].key);
		free(r->k[i].id);
	}
	free(r->k);
	mie_export_site_free(&r->site);
	mie_idmap_release(&r->seen);
	free(r);
}

/* A base URL is written as it is into both servers' files: no white
 * space, quote, '$', ';', braces or backslash. */
static int base_ok(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || strchr("\"'$;{}\\`<>", *p))
			return 0;
	return *s != '\0';
}

static int redir_open(const mie_export_opts *o, void **state)
{
	if (!o->output || strcmp(o->output, "-") == 0) {
		mie_fatal("--to redirects needs -o DIR");
		return -1;
	}
	const char *lay = o->opt[O_FOR] ? o->opt[O_FOR] : "hugo";
	int layout = mie_site_layout_parse(lay);
	if (layout < 0) {
		mie_fatal("--for: \"%s\": not html, hugo or jekyll", lay);
		return -1;
	}
	const char *base = o->opt[O_BASE] ? o->opt[O_BASE] : "/";
	if (!base_ok(base)) {
		mie_fatal("--base: \"%s\": not a URL a server configuration can hold", base);
		return -1;
	}
	redir *r = mie_xcalloc(1, sizeof *r);
	r->out = o->output;
	r->base = base;
	r->site = mie_export_site_new(layout);
	mie_idmap_init(&r->seen);
	*state = r;
	return 0;
}

static const char *const *redir_carries(void *state, const char *type)
{
	static const char *const used[] = {
	        "type",         "id",        "legacy",         "file",          "title",
	        "section_path", "documents", "date_published", "date_modified", "variants.legacy",
	        "merged_from",  NULL};
	return used;
}

/* Appends s escaped as a client sends it: bytes outside printable ASCII
 * and " < > ` { } | \ ^ as %HH; '%' too unless it starts an escape. */
static void request_escape(mie_buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		int esc = *p <= ' ' || *p >= 0x7f || strchr("\"<>`{}|\\^#", *p) ||
		          (*p == '%' && !(p[1] && p[2] && strchr(hex, p[1] & ~0x20) &&
		                          strchr(hex, p[2] & ~0x20)));
		if (esc) {
			mie_buf_addc(out, '%');
			mie_buf_addc(out, hex[*p >> 4]);
			mie_buf_addc(out, hex[*p & 15]);
		} else {
			mie_buf_addc(out, (char)*p);
		}
	}
}

typedef struct collect {
	redir *r;
	const char *id;
	const json_t *rec;
	const char *path; /* the form being given, for the hosts' callback */
} collect;

static void add_key(void *arg, const char *host)
{
	collect *c = arg;
	redir *r = c->r;
	mie_buf k = MIE_BUF_INIT;
	mie_buf_addf(&k, "%s/", host);
	request_escape(&k, c->path);
	int added = 0;
	mie_idmap_put(&r->seen, mie_xref_hash(k.data), 1, &added);
	if (!added) {
		r->dup++;
		mie_buf_release(&k);
		return;
	}
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 256;
		r->k = mie_xrealloc(r->k, r->cap * sizeof *r->k);
	}
	r->k[r->n++] = (rkey){mie_buf_detach(&k, NULL), mie_xstrdup(c->id)};
}

static void on_path(void *arg, const char *path)
{
	collect *c = arg;
	c->path = path;
	mie_legacy_hosts(c->rec, add_key, c);
}

static int redir_put(void *state, const json_t *rec, const mie_loc *loc)
{
	redir *r = state;
	if (!mie_export_site_add(r->site, rec))
		return MIE_EXPORT_SKIP;
	collect c = {r, mie_rec_str(rec, "id"), rec, NULL};
	mie_legacy_paths(rec, on_path, &c);
	return MIE_EXPORT_OK;
}

static void target(const redir *r, mie_buf *out, const char *url)
{
	size_t n = strlen(r->base);
	mie_buf_adds(out, r->base);
	if (!n || r->base[n - 1] != '/')
		mie_buf_addc(out, '/');
	mie_export_href(out, url);
}

static int write_maps(redir *r)
{
	mie_outdir *d = mie_outdir_open(r->out);
	if (!d)
		return -1;
	mie_buf nginx = MIE_BUF_INIT, apache = MIE_BUF_INIT, t = MIE_BUF_INIT;
	size_t bucket = 64;
	for (size_t i = 0; i < r->n; i++) {
		const char *url = mie_export_site_url(r->site, r->k[i].id);
		if (!url)
			continue;
		mie_buf_reset(&t);
		target(r, &t, url);
		mie_buf_addf(&nginx, "\"%s\" \"%s\";\n", r->k[i].key, t.data);
		mie_buf_addf(&apache, "%s %s\n", r->k[i].key, t.data);
		while (bucket < strlen(r->k[i].key) + 32)
			bucket *= 2;
	}
	size_t max = 1024;
	while (max < 2 * r->n)
		max *= 2;
	const char *dir = mie_outdir_final(d);
	mie_buf conf = MIE_BUF_INIT;
	mie_buf_addf(&conf,
	             "# mie-export --to redirects: the legacy addresses of the archive.\n"
	             "# Include in nginx's http block; then, in the server block:\n"
	             "#     if ($legacy_redirect) { return 301 $legacy_redirect; }\n"
	             "map_hash_bucket_size %zu;\n"
	             "map_hash_max_size %zu;\n"
	             "map $host$request_uri $legacy_redirect {\n"
	             "\tdefault \"\";\n"
	             "\tinclude \"%s/redirects.map\";\n"
	             "}\n",
	             bucket, max, dir);
	int rc = mie_outdir_write(d, "redirects.map", nginx.data ? nginx.data : "", nginx.len);
	rc = rc ? rc
	        : mie_outdir_write(d, "redirects.txt", apache.data ? apache.data : "", apache.len);
	rc = rc ? rc : mie_outdir_write(d, "nginx.conf", conf.data, conf.len);
	mie_buf_reset(&conf);
	mie_buf_addf(&conf,
	             "# mie-export --to redirects: the legacy addresses of the archive.\n"
	             "# Include in a VirtualHost (RewriteMap is not allowed in .htaccess).\n"
	             "RewriteEngine On\n"
	             "RewriteMap mie_redirects \"txt:%s/redirects.txt\"\n"
	             "RewriteMap mie_lower int:tolower\n"
	             "RewriteCond %%{HTTP_HOST} ^([^:]+)\n"
	             "RewriteCond \"${mie_lower:%%1} %%{THE_REQUEST}\" \"^(\\S+) \\S+ (\\S+)\"\n"
	             "RewriteCond \"${mie_redirects:%%1%%2}\" \"^(.+)$\"\n"
	             "RewriteRule ^ %%1 [R=301,L,NE,QSD]\n",
	             dir);
	rc = rc ? rc : mie_outdir_write(d, "apache.conf", conf.data, conf.len);
	mie_buf_release(&conf);
	mie_buf_release(&nginx);
	mie_buf_release(&apache);
	mie_buf_release(&t);
	if (rc) {
		mie_outdir_abort(&d);
		return -1;
	}
	return mie_outdir_commit(&d);
}

static int redir_finish(void *state)
{
	redir *r = state;
	int rc = 0;
	mie_export_site_done(r->site);
	if (r->dup)
		mie_warn_at(NULL, "%ld legacy %s claimed by an earlier record: the first kept",
		            r->dup, mie_plural(r->dup, "address", "addresses"));
	if (mie_exit_status() < MIE_EXIT_FATAL)
		rc = write_maps(r);
	redir_free(r);
	return rc;
}

static void redir_abort(void *state)
{
	redir_free(state);
}

const mie_export_writer mie_export_redirects = {
        .name = "redirects",
        .summary = "nginx and Apache maps from every legacy URL to the new site",
        .options = redirect_options,
        .loss_hint = "a redirect map holds addresses only",
        .open = redir_open,
        .carries = redir_carries,
        .put = redir_put,
        .finish = redir_finish,
        .abort = redir_abort,
};
