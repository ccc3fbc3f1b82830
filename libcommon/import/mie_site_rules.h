/* mie_site_rules.h — the site-specific selectors used to read saved pages
 * of the public site (mie_src_html.c).  Everything a new template needs is
 * a row in mie_site_rules.c; the extraction code has no selector of its own.
 *
 * A rule matches an element named `tag` whose attribute `attr` holds
 * `value` (for "class", as one of its space-separated words); attr NULL
 * matches the tag alone. */
#ifndef MIE_SITE_RULES_H
#define MIE_SITE_RULES_H

enum mie_page_part {
	MIE_PAGE_NONE,
	MIE_PAGE_TITLE,      /* the title, as text */
	MIE_PAGE_BREADCRUMB, /* links = ancestors from the home page */
	MIE_PAGE_DATES,      /* text holding "5 décembre 2006" dates */
	MIE_PAGE_LEAD,       /* the lead paragraph (SPIP chapo) */
	MIE_PAGE_TEXT,       /* the body */
};

typedef struct mie_page_rule {
	enum mie_page_part part;
	const char *tag, *attr, *value;
} mie_page_rule;

extern const mie_page_rule mie_page_rules[];         /* ends with MIE_PAGE_NONE */
extern const char *const mie_page_skipped_classes[]; /* NULL-terminated */

/* Pages whose address names no object (SPIP's "propres" URLs such as
 * Acces-a-l-education.html): the <body> class says which kind of object the
 * page shows (a word of mie_page_kinds), and the page's own link to its
 * forum, whose address holds `reply` (spip.php?page=forum&id_article=78),
 * says which one. */
typedef struct mie_page_reply_rule {
	const char *body_class, *kind;
} mie_page_reply_rule;

extern const mie_page_reply_rule mie_page_reply_rules[]; /* ends with NULL */
extern const char mie_page_reply[];

#endif
