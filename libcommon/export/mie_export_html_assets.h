/* mie_export_html_assets.h — the stylesheet and the search script of the
 * offline HTML archive, as NUL-terminated UTF-8 text (static: never freed).
 * The script's index format is the html writer's (mie_export_html.c). */
#ifndef MIE_EXPORT_HTML_ASSETS_H
#define MIE_EXPORT_HTML_ASSETS_H

extern const char mie_export_html_css[];
extern const char mie_export_html_search_js[];

#endif
