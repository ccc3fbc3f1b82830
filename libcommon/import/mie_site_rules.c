/* mie_site_rules.c — where the parts of a public page of the site are.
 *
 * The one table of site-specific page selectors (see mie_site_rules.h).
 * The first rule of a part that matches an element wins; rules are tried in
 * order, so the default SPIP 1.9 templates ("dist/") come first and the
 * variants of customised templates after them. */
#include <stddef.h>

#include "import/mie_site_rules.h"

const mie_page_rule mie_page_rules[] = {
        /* title: <h1 class="titre"> in dist/; else the page <title> */
        {MIE_PAGE_TITLE, "h1", "class", "titre"},
        {MIE_PAGE_TITLE, "h1", "class", "entry-title"},
        {MIE_PAGE_TITLE, "title", NULL, NULL},
        /* breadcrumb: <div id="hierarchie"> in dist/, <p class="ariane"> in
         * many customised templates */
        {MIE_PAGE_BREADCRUMB, "div", "id", "hierarchie"},
        {MIE_PAGE_BREADCRUMB, "p", "class", "ariane"},
        {MIE_PAGE_BREADCRUMB, "div", "class", "ariane"},
        /* date line: "Publié le …, mis à jour le …" of customised templates;
         * dist/ puts the date in the cartouche's <small> */
        {MIE_PAGE_DATES, "p", "class", "info-publi"},
        {MIE_PAGE_DATES, "div", "class", "cartouche"},
        /* lead and body */
        {MIE_PAGE_LEAD, "div", "class", "chapo"},
        {MIE_PAGE_TEXT, "div", "class", "texte"},
        {MIE_PAGE_TEXT, "div", "class", "entry-content"},
        {MIE_PAGE_NONE, NULL, NULL, NULL},
};

/* the kind of object a page shows, by its <body> class: dist/ gives the
 * brève page the class page_mot (sic); customised templates page_breve */
const mie_page_reply_rule mie_page_reply_rules[] = {
        {"page_article", "article"},
        {"page_breve", "breve"},
        {"page_mot", "breve"},
        {NULL, NULL},
};

/* "Répondre à cet article": spip.php?page=forum&id_article=78 */
const char mie_page_reply[] = "page=forum";

/* <body class="page_…"> of pages that are not content */
const char *const mie_page_skipped_classes[] = {
        "page_sommaire", "page_plan", "page_recherche", "page_login", "page_calendrier",
        "page_backend",  NULL};
