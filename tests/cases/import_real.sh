# mie-import on the shapes real files from elsewhere have (issue 15):
# mirrors of thousands of pages, tar archives of "./", UTF-16 exports,
# Internet Archive captures stored de-chunked, servers with a wrong charset,
# spreadsheets with repeated or unknown headers, old Mac line ends, Atom 0.3
# and feed keywords, the same dump in two charsets, ARC files.  Every input
# is synthetic and built here (python3, bsdtar, gzip).
. "$TOP/tests/lib.sh"
I="$BIN/mie-import"

# page FILE NUM TITLE [CANONICAL [CHARSET [FIRST]]]: a saved SPIP page
page() {
	python3 - "$@" <<'PY'
import sys
a = sys.argv[1:] + [""] * 6
path, num, title, canon, cs, first = a[:6]
cs = cs or "utf-8"
link = '<link rel="canonical" href="%s" />\n' % canon if canon else ""
html = """%s<html xmlns="http://www.w3.org/1999/xhtml" lang="fr">
<head>
<title>%s - Mineurs isolés</title>
<meta http-equiv="Content-Type" content="text/html; charset=%s" />
%s</head>
<body class="page_article">
<div id="hierarchie"><a href="/">Accueil</a> &gt; <a href="spip.php?rubrique2">Droits et procédures</a> &gt; %s</div>
<div class="cartouche"><h1 class="titre">%s</h1>
<p><small>jeudi 14 juin 2007</small></p></div>
<div class="texte"><p>Le conseil général rappelle l’accueil des jeunes majeurs (article %s).</p></div>
</body>
</html>
""" % (first or '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN">\n', title, cs, link, title, title, num)
open(path, "wb").write(html.encode("latin-1" if cs.lower() in ("iso-8859-1", "windows-1252") else "utf-8"))
PY
}
ids() { jq -r '[.id, (.provenance[0].member // .provenance[0].file), (.legacy.url // "-")] | join(" ")' out > ids.out; echo ids.out; }

# ---- a folder of 1 200 saved pages: no decompression bomb (a plain folder
# has no ratio), every page read; a gzip bomb in it is still stopped ----
mkdir -p big
python3 - <<'PY'
for i in range(1, 1201):
    open("big/article%d.html" % i, "w", encoding="utf-8").write(
        '<html><head><title>Fiche %d - Mineurs isolés</title></head><body class="page_article">'
        '<h1 class="titre">Fiche pratique numéro %d</h1><div class="texte"><p>%s</p></div></body></html>\n'
        % (i, i, "L’aide sociale à l’enfance accueille le jeune. " * 20))
PY
run "$I" big; check_exit "1 200 pages exit" 0
check_text "1 200 pages: all read, nothing stopped" 'mie-import: big: html spip_articles: 1200 read, 1200 written, 0 rejected' err
check_eq "1 200 pages: 1 200 records" 1200 "$(wc -l < out | tr -d ' ')"
python3 -c 'import gzip; open("big/zeros.csv.gz","wb").write(gzip.compress(b"Nom;Ville\n" + b"A" * (24 << 20)))'
run "$I" big; check_exit "folder with a gzip bomb exit" 2
check_grep "the gzip bomb in the folder is stopped by its own ratio" 'mie-import: big/zeros.csv.gz: expands more than 1000:1 (' err
check_eq "the pages beside it are all read" 1200 "$(wc -l < out | tr -d ' ')"
rm -rf big

# ---- tar czf x.tgz . : members ./www.infomie.net/… ----
mkdir -p tgz/www.infomie.net
page "tgz/www.infomie.net/spip.php?article717.html" 717 "Le contrat jeune majeur" "http://www.infomie.net/spip.php?article717"
page "tgz/www.infomie.net/spip.php?article718.html" 718 "La tutelle départementale"
(cd tgz && tar czf ../miroir.tgz .)
run "$I" miroir.tgz; check_exit "./ members exit" 0
sort -o out out
check_text "./ members: site from the canonical link and the host folder, ./ stripped" 'infomie.net:article:717 www.infomie.net/spip.php?article717.html http://www.infomie.net/spip.php?article717
infomie.net:article:718 www.infomie.net/spip.php?article718.html http://www.infomie.net/spip.php?article718' "$(ids)"
check_text "./ members: no canonical link taken for another site" 'mie-import: miroir.tgz: html spip_articles: 2 read, 2 written, 0 rejected' err

# ---- without --site: the site of the canonical links, for every page ----
mkdir -p propre
page propre/article3.html 3 "Le recours contre un refus de prise en charge" "https://www.mie-ressources.fr/spip.php?article3"
page propre/article4.html 4 "La minorité contestée"
page propre/article5.html 5 "Un lien d’ailleurs" "http://autre.example/spip.php?article1"
run "$I" propre; check_exit "site from canonical exit" 0
check_text "site from canonical: one site for all, the legacy URLs on it" 'mie-ressources.fr:article:3 propre/article3.html https://www.mie-ressources.fr/spip.php?article3
mie-ressources.fr:article:4 propre/article4.html https://www.mie-ressources.fr/spip.php?article4
mie-ressources.fr:article:5 propre/article5.html https://www.mie-ressources.fr/spip.php?article5' "$(ids)"
check_text "site from canonical: the link to another object of another site is said" 'mie-import: propre/article5.html: canonical link to another site ignored: http://autre.example/spip.php?article1
mie-import: propre: html spip_articles: 3 read, 3 written, 0 rejected' err
# an archive of two mirrors: each page its own site, the learnt one only
# for pages that name none
mkdir -p deux/www.mie-ressources.fr deux/www.infomie.net
page deux/www.mie-ressources.fr/article3.html 3 "Le recours" "https://www.mie-ressources.fr/spip.php?article3"
page deux/www.mie-ressources.fr/article4.html 4 "La minorité contestée"
page deux/www.infomie.net/article9.html 9 "L’évaluation sociale"
page deux/article10.html 10 "Hors de tout dossier"
(cd deux && bsdtar --format zip -cf ../deux.zip www.mie-ressources.fr/article3.html www.mie-ressources.fr/article4.html www.infomie.net/article9.html article10.html)
run "$I" deux.zip; check_exit "two mirrors exit" 0
check_text "two mirrors: the folder's site, the learnt one for the page outside" 'mie-ressources.fr:article:3 www.mie-ressources.fr/article3.html https://www.mie-ressources.fr/spip.php?article3
mie-ressources.fr:article:4 www.mie-ressources.fr/article4.html https://www.mie-ressources.fr/spip.php?article4
infomie.net:article:9 www.infomie.net/article9.html http://www.infomie.net/spip.php?article9
mie-ressources.fr:article:10 article10.html https://www.mie-ressources.fr/spip.php?article10' "$(ids)"
# a canonical link whose host is only "www.": no site from it
mkdir -p vide && page vide/article8.html 8 "Le lien sans hôte" "http://www./spip.php?article8"
run "$I" vide; check_exit "hostless canonical exit" 0
check_text "hostless canonical: the default site, the link said" 'infomie.net:article:8 vide/article8.html http://www.infomie.net/spip.php?article8' "$(ids)"
check_grep "hostless canonical: said" 'mie-import: vide/article8.html: canonical link to another site ignored: http://www./spip.php?article8' err
run "$I" --site http://www.infomie.net/ propre; check_exit "--site wins exit" 0
check_text "--site wins over the canonical links" 'infomie.net:article:3
infomie.net:article:4
infomie.net:article:5' "$(jq -r .id out > s.out; echo s.out)"

# ---- a title kept with its sort number; a page opening with <script> ----
mkdir -p rank
page rank/article21.html 21 "04. Circulaire du 12 mars 2007"
page rank/article22.html 22 "Accueil provisoire d’urgence" "" "" '<script type="text/javascript">var _paq = [];</script>
'
run "$I" rank; check_exit "rank and script exit" 0
check_text "rank moved out of the title; the <script> page read" '["infomie.net:article:21","Circulaire du 12 mars 2007",4]
["infomie.net:article:22","Accueil provisoire d’urgence",null]' "$(jq -c '[.id, .title, .rank]' out > r.out; echo r.out)"

# ---- CSV: UTF-16 with its BOM (Excel's "Unicode text": tab-separated) ----
python3 - <<'PY'
rows = "Nom\tVille\tTéléphone\r\nMaison d’accueil Saint-Exupéry\tNîmes\t04 66 00 00 00\r\nFoyer « Les Tilleuls »\tAgen\t05 53 00 00 00\r\n"
open("unicode.csv", "wb").write(b"\xff\xfe" + rows.encode("utf-16-le"))
open("unicode-be.csv", "wb").write(rows.encode("utf-16-be"))
PY
run "$I" unicode.csv; check_exit "utf-16 csv exit" 0
check_text "utf-16 csv: decoded before splitting" '["infomie.net:organisation:maison-d-accueil-saint-exupery","Maison d’accueil Saint-Exupéry","Nîmes","04 66 00 00 00","utf-16le"]
["infomie.net:organisation:foyer-les-tilleuls","Foyer « Les Tilleuls »","Agen","05 53 00 00 00","utf-16le"]' "$(jq -c '[.id, .title, .city, .phone, .provenance[0].charset]' out > u.out; echo u.out)"
check_grep "utf-16 csv: said" "mie-import: unicode.csv: delimiter '\\t', charset utf-16le" err
cp out u16.jsonl
run "$I" --charset UTF-16 unicode.csv; check_exit "utf-16 csv, --charset UTF-16 exit" 0
check_same "utf-16 csv, --charset UTF-16: the same records, cells split after decoding" u16.jsonl out
run "$I" unicode-be.csv; check_exit "utf-16 csv without BOM exit" 0
check_text "utf-16 csv without BOM: found by its NUL bytes" '["Maison d’accueil Saint-Exupéry","Nîmes","utf-16be"]
["Foyer « Les Tilleuls »","Agen","utf-16be"]' "$(jq -c '[.title, .city, .provenance[0].charset]' out > u.out; echo u.out)"
run "$I" --charset UTF-16BE unicode-be.csv; check_exit "utf-16 csv without BOM, --charset exit" 0
check_text "utf-16 csv without BOM, --charset" '["Maison d’accueil Saint-Exupéry","Nîmes"]
["Foyer « Les Tilleuls »","Agen"]' "$(jq -c '[.title, .city]' out > u.out; echo u.out)"

# ---- CSV: a repeated header name keeps both columns ----
printf 'Nom;Ville;phase;Remarque;phase\nFoyer Jean-Moulin;Rennes;évaluation;aucune;orientation\n' > phases.csv
run "$I" phases.csv; check_exit "repeated header exit" 0
check_text "repeated header: both kept" '{"phase":"évaluation","Remarque":"aucune","phase_2":"orientation"}' "$(jq -c .extra out > p.out; echo p.out)"
check_grep "repeated header: said" 'mie-import: phases.csv: column 5 repeats the header name "phase": kept as "phase_2"' err

# ---- CSV: a header that matches no preset: one error asking for --map ----
printf 'Intitulé;Commune;Effectif\nPermanence juridique;Lille;12\nAtelier français langue étrangère;Roubaix;8\nÉcoute jeunes;Tourcoing;5\n' > inconnu.csv
run "$I" inconnu.csv; check_exit "unknown header exit" 1
check_text "unknown header: one error, rows counted as skipped" "mie-import: inconnu.csv: delimiter ';', charset utf-8
mie-import: inconnu.csv: the header matches neither preset (organisations, bibliography): nothing imported; say which column is which with --map FILE (lines \"Column = field\")
mie-import: inconnu.csv: csv rows without a mapping: 3 skipped" err
check_empty "unknown header: nothing written" out
printf 'Intitulé = title\nCommune = city\n' > inconnu.map
run "$I" --map inconnu.map inconnu.csv; check_exit "unknown header with --map exit" 0
check_text "unknown header with --map" '["Permanence juridique","Lille",{"Effectif":"12"}]
["Atelier français langue étrangère","Roubaix",{"Effectif":"8"}]
["Écoute jeunes","Tourcoing",{"Effectif":"5"}]' "$(jq -c '[.title, .city, .extra]' out > m.out; echo m.out)"

# ---- CSV: a comma file whose quoted header name spans two lines ----
printf '"Nom de la structure\n(raison sociale)",Ville,"Code postal"\n"Association Jeunes Errants, antenne Est",Marseille,13003\n' > multi.csv
printf 'Nom de la structure (raison sociale) = title\nVille = city\nCode postal = postcode\n' > multi.map
run "$I" --map multi.map multi.csv; check_exit "multi-line header exit" 0
check_grep "multi-line header: comma detected" "mie-import: multi.csv: delimiter ',', charset utf-8" err
check_text "multi-line header: the rows read" '["Association Jeunes Errants, antenne Est","Marseille","13003",3]' "$(jq -c '[.title, .city, .postcode, .provenance[0].line]' out > c.out; echo c.out)"

# ---- CSV: CR-only line ends (old Mac exports): real line numbers ----
printf 'Nom;Ville\rFoyer des Lilas;Dijon\rFoyer sans ville\rCentre Arc-en-ciel;Besançon\r' > mac.csv
run "$I" mac.csv; check_exit "CR-only exit" 1
check_text "CR-only: the bad row named at its line" "mie-import: mac.csv: delimiter ';', charset utf-8
mie-import: mac.csv: header matches the \"organisations\" columns: organisation records (--map to choose)
mie-import: mac.csv:3: organisations: 1 cell where the header has 2: row not imported
mie-import: mac.csv: csv organisations: 3 read, 2 written, 1 rejected" err
check_text "CR-only: lines of the records" '["Foyer des Lilas",2]
["Centre Arc-en-ciel",4]' "$(jq -c '[.title, .provenance[0].line]' out > l.out; echo l.out)"

# ---- WARC: bodies stored de-chunked, a server's wrong charset, mojibake ----
# warc FILE: WARC/1.0 response records from the (uri, http header, body) triples below
python3 - <<'PY'
import gzip
def page(num, title, cs="utf-8", text="Le département reste compétent pour l’accueil."):
    return ("""<!DOCTYPE html>
<html lang="fr"><head><meta http-equiv="Content-Type" content="text/html; charset=%s" />
<title>%s - Mineurs isolés</title></head>
<body class="page_article"><h1 class="titre">%s</h1>
<div class="texte"><p>%s</p></div></body></html>
""" % (cs, title, title, text))
def rec(uri, head, body):
    http = head.encode("ascii") + b"\r\n" + body
    h = ("WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:%08d-0000-0000-0000-000000000000>\r\n"
         "WARC-Target-URI: %s\r\nWARC-Date: 2009-03-02T10:00:00Z\r\n"
         "Content-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n"
         % (len(uri), uri, len(http))).encode("ascii")
    return h + http + b"\r\n\r\n"
ok = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=%s\r\n"
out = b""
# 1. Transfer-Encoding: chunked kept, body stored de-chunked (Internet Archive)
out += rec("http://www.infomie.net/spip.php?article301", ok % "utf-8" + "Transfer-Encoding: chunked\r\n",
           page(301, "Le juge des enfants").encode("utf-8"))
# 2. a real chunked body, still decoded
b = page(302, "La protection de l’enfance").encode("utf-8")
out += rec("http://www.infomie.net/spip.php?article302", ok % "utf-8" + "Transfer-Encoding: chunked\r\n",
           b"%x\r\n" % len(b) + b + b"\r\n0\r\n\r\n")
# 3. header ISO-8859-1 (Apache's default), body UTF-8, meta utf-8
out += rec("http://www.infomie.net/spip.php?article303", ok % "ISO-8859-1",
           page(303, "Décisions de l’AG").encode("utf-8"))
# 4. header ISO-8859-1, body ISO-8859-1 declared so: as it says
out += rec("http://www.infomie.net/spip.php?article304", ok % "ISO-8859-1",
           page(304, "Réunion d'équipe", "iso-8859-1", "Le département reste compétent.").encode("latin-1"))
# 5. a page whose text was double-encoded at the source
out += rec("http://www.infomie.net/spip.php?article305", ok % "utf-8",
           page(305, "DÃ©cisions de lâ€™AG").encode("utf-8"))
# 6. a chunked body cut in its second chunk: still malformed
out += rec("http://www.infomie.net/spip.php?article306", ok % "utf-8" + "Transfer-Encoding: chunked\r\n",
           b"10\r\n<html><body>abc\r\nzz\r\n")
open("ia.warc.gz", "wb").write(gzip.compress(out))
PY
run "$I" ia.warc.gz; check_exit "IA captures exit" 1
cp out ia.jsonl; check_jsonschema "IA captures: the records pass the JSON Schema" ia.jsonl
check_text "IA captures: records" '["infomie.net:article:301","Le juge des enfants","utf-8",["not-chunked"]]
["infomie.net:article:302","La protection de l’enfance","utf-8",[]]
["infomie.net:article:303","Décisions de l’AG","utf-8",["charset-from-meta"]]
["infomie.net:article:304","Réunion d'"'"'équipe","ISO-8859-1",[]]
["infomie.net:article:305","Décisions de l’AG","utf-8",["double-utf8"]]' "$(jq -c '[.id, .title, .provenance[0].charset, [.provenance[0].repairs[]?.kind]]' out > w.out; echo w.out)"
check_text "IA captures: the repairs said" '{"kind":"not-chunked","path":"page","detail":"the HTTP header says \"Transfer-Encoding: chunked\" but the body was stored de-chunked: read as it is"}
{"kind":"charset-from-meta","path":"page","detail":"the HTTP header says ISO-8859-1, but the page is valid UTF-8 and its <meta> says utf-8: read as UTF-8"}' "$(jq -c '.provenance[0].repairs[]? | select(.kind != "double-utf8")' out > w2.out; echo w2.out)"
check_grep "IA captures: a cut chunked body still rejected" 'mie-import: ia.warc.gz: responses: record at offset ' err
check_grep "IA captures: its reason" '(http://www.infomie.net/spip.php?article306): malformed chunked transfer encoding' err

# ---- ARC files (the WARC predecessor): read as web archives ----
python3 - <<'PY'
import gzip
def arcrec(url, date, ctype, body):
    return ("%s 192.0.2.7 %s %s %d\n" % (url, date, ctype, len(body))).encode("ascii") + body + b"\n"
desc = b"1 0 Internet Archive\nURL IP-address Archive-date Content-type Archive-length\n"
html = ("""<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">
<title>Les droits du mineur isolé - Mineurs isolés</title></head><body class="page_article">
<h1 class="titre">Les droits du mineur isolé</h1><div class="texte"><p>Un mineur étranger isolé relève de l'aide sociale à l'enfance.</p></div></body></html>
""").encode("latin-1")
resp = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + html
out = arcrec("filedesc://IA-2007-crawl.arc", "20070611090000", "text/plain", desc)
out += arcrec("http://www.infomie.net/spip.php?article412", "20070611093512", "text/html", resp)
out += arcrec("dns:www.infomie.net", "20070611093500", "text/dns", b"www.infomie.net. 3600 IN A 192.0.2.7\n")
# a version 2 header: ten fields, the length still last
html2 = html.replace(b"Les droits du mineur isol\xe9", b"La tutelle du mineur").replace(b"page_article", b"page_article")
resp2 = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + html2
out += ("http://www.infomie.net/spip.php?article413 192.0.2.7 20070611093600 text/html 200 - - 0 IA-2007-crawl.arc %d\n" % len(resp2)).encode("ascii") + resp2 + b"\n"
open("crawl.arc", "wb").write(out)
open("crawl.arc.gz", "wb").write(gzip.compress(out))
PY
run "$I" crawl.arc; check_exit "ARC exit" 0
check_text "ARC: the pages read (versions 1 and 2)" '["infomie.net:article:412","Les droits du mineur isolé","arc","2007-06-11T09:35:12Z","iso-8859-1"]
["infomie.net:article:413","La tutelle du mineur","arc","2007-06-11T09:36:00Z","iso-8859-1"]' "$(jq -c '[.id, .title, .provenance[0].format, .provenance[0].date, .provenance[0].charset]' out > a.out; echo a.out)"
check_text "ARC: the other records counted" 'mie-import: crawl.arc: warc ARC file descriptions: 1 skipped
mie-import: crawl.arc: warc ARC records not HTTP: 1 skipped
mie-import: crawl.arc: html spip_articles: 2 read, 2 written, 0 rejected' err
cp out arc.jsonl; check_jsonschema "ARC: the records pass the JSON Schema" arc.jsonl
run "$I" crawl.arc.gz; check_exit "ARC gz exit" 0
check_text "ARC gz: the same pages" 'infomie.net:article:412
infomie.net:article:413' "$(jq -r .id out > a.out; echo a.out)"
head -c 300 crawl.arc > cut.arc
run "$I" cut.arc; check_exit "cut ARC exit" 1
check_text "cut ARC: said" 'mie-import: cut.arc: responses: record at offset 146 (http://www.infomie.net/spip.php?article412): truncated: 72 of 380 bytes
mie-import: cut.arc: warc ARC file descriptions: 1 skipped
mie-import: cut.arc: warc responses: 1 read, 0 written, 1 rejected' err

# ---- feeds: Atom 0.3, keywords, UTF-16 ----
cat > atom03.xml <<'X'
<?xml version="1.0" encoding="utf-8"?>
<feed version="0.3" xmlns="http://purl.org/atom/ns#" xmlns:dc="http://purl.org/dc/elements/1.1/">
<title>Mineurs isolés</title>
<link rel="alternate" type="text/html" href="http://www.infomie.net/"/>
<modified>2007-05-03T09:00:00Z</modified>
<entry>
<title>Circulaire sur l’accueil des élèves allophones</title>
<link rel="alternate" type="text/html" href="http://www.infomie.net/spip.php?article79"/>
<id>tag:infomie.net,2007:article79</id>
<issued>2007-03-14T10:00:00+01:00</issued>
<modified>2007-05-03T09:00:00Z</modified>
<author><name>Claire Dubreuil</name></author>
<dc:subject>Scolarité</dc:subject>
<content type="text/html" mode="escaped">&lt;p&gt;La circulaire rappelle le droit commun.&lt;/p&gt;</content>
</entry>
</feed>
X
run "$I" atom03.xml; check_exit "Atom 0.3 exit" 0
check_text "Atom 0.3 read" '{"type":"keyword","id":"infomie.net:keyword:scolarite","title":"Scolarité"}
{"type":"article","id":"infomie.net:article:79","title":"Circulaire sur l’accueil des élèves allophones","date_published":"2007-03-14T10:00:00+01:00","date_modified":"2007-05-03T09:00:00Z","text":"La circulaire rappelle le droit commun.","keywords":["infomie.net:keyword:scolarite"],"creator":"Claire Dubreuil"}' "$(jq -c '{type, id, title, date_published, date_modified, text: .text.plain, keywords, creator: .extra.creator} | with_entries(select(.value != null))' out > f.out; echo f.out)"
cat > rss.xml <<'X'
<?xml version="1.0" encoding="iso-8859-1"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Mineurs isolés</title><link>http://www.infomie.net/</link>
<item><title>La tutelle</title><link>http://www.infomie.net/spip.php?article81</link>
<category>Droits</category><dc:subject>Scolarité</dc:subject><dc:subject>Droits</dc:subject></item>
<item><title>Le jeune majeur</title><link>http://www.infomie.net/spip.php?article82</link>
<category>Scolarité</category></item>
</channel></rss>
X
iconv -f utf-8 -t iso-8859-1 rss.xml > rss1.xml
run "$I" rss1.xml; check_exit "feed keywords exit" 0
check_text "feed keywords: records once, ids on the items" '["keyword","infomie.net:keyword:droits","Droits",null]
["keyword","infomie.net:keyword:scolarite","Scolarité",null]
["article","infomie.net:article:81","La tutelle",["infomie.net:keyword:droits","infomie.net:keyword:scolarite"]]
["article","infomie.net:article:82","Le jeune majeur",["infomie.net:keyword:scolarite"]]' "$(jq -c '[.type, .id, .title, .keywords]' out > k.out; echo k.out)"
check_text "feed keywords: counted" 'mie-import: rss1.xml: feed keywords: 2 read, 2 written, 0 rejected
mie-import: rss1.xml: feed spip_articles: 2 read, 2 written, 0 rejected' err
cp out kw.jsonl; run "$BIN/mie-validate" --strict kw.jsonl; check_exit "feed keywords: the references resolve" 0
check_jsonschema "feed keywords: the records pass the JSON Schema" kw.jsonl
python3 -c 'import sys; s=open("rss.xml",encoding="utf-8").read().replace("iso-8859-1","utf-16"); open("rss16.xml","wb").write(b"\xff\xfe"+s.encode("utf-16-le"))'
run "$I" rss16.xml; check_exit "UTF-16 feed exit" 0
check_text "UTF-16 feed: read without --from" '["infomie.net:article:81","La tutelle","utf-16"]
["infomie.net:article:82","Le jeune majeur","utf-16"]' "$(jq -c 'select(.type=="article") | [.id, .title, .provenance[0].charset]' out > k.out; echo k.out)"

# ---- the same site dumped in UTF-8 and in ISO-8859-1: the same rows ----
cat > dump-utf8.xml <<'X'
<?xml version="1.0" encoding="utf-8"?>
<SPIP version="1.9.2" version_base="1.927" version_archive="1.3" adresse_site="http://www.infomie.net" dir_img="IMG/" dir_logos="IMG/">
<spip_articles>
<id_article>78</id_article>
<titre>La scolarisation des mineurs isolés étrangers</titre>
<texte>Tout mineur présent sur le territoire a droit à l’éducation.</texte>
<statut>publie</statut>
<id_rubrique>0</id_rubrique>
</spip_articles>
<spip_articles>
<id_article>79</id_article>
<titre>Réunion du comité</titre>
<texte>Ordre du jour : le budget.</texte>
<statut>publie</statut>
<id_rubrique>0</id_rubrique>
</spip_articles>
</SPIP>
X
python3 - <<'PY'
s = open("dump-utf8.xml", encoding="utf-8").read().replace('encoding="utf-8"', 'encoding="iso-8859-1"')
s = s.replace("l’éducation", "l&#8217;éducation").replace("Ordre du jour : le budget.", "Ordre du jour : les comptes.")
open("dump-latin1.xml", "wb").write(s.encode("latin-1"))
PY
run "$I" dump-utf8.xml dump-latin1.xml; check_exit "two charsets exit" 0
check_text "two charsets: identical rows once, a changed row kept as a variant" '["infomie.net:article:78","utf-8"]
["infomie.net:article:79","utf-8"]
["infomie.net:article:79~21f8d4e3","iso-8859-1"]' "$(jq -c '[.id, .provenance[0].charset]' out | sort > d.out; echo d.out)"
check_text "two charsets: the identical row counted as repeated, the other said" 'mie-import: dump-latin1.xml:10: spip_articles id 79: a second, different row with the same id: both kept, this one as id 79~21f8d4e3
mie-import: dump-latin1.xml: spip-dump repeated identical rows: 1 skipped
mie-import: dump-utf8.xml: spip-dump spip_articles: 2 read, 2 written, 0 rejected
mie-import: dump-latin1.xml: spip-dump spip_articles: 1 read, 1 written, 0 rejected' err

# ---- the bibliography preset: Auteurs, Éditeur and year-only dates ----
printf 'Titre;Auteurs;Éditeur;Date\nLes mineurs isolés en France;Jean Dupont, Marie Lefèvre;La Documentation française;2008\nAccueillir sans discriminer;Dupont, Jean;La Documentation française;mars 2009\n' > biblio.csv
run "$I" biblio.csv; check_exit "bibliography exit" 0
check_text "bibliography: authors and publisher as records, year-only dates as fields" '["author","infomie.net:author:jean-dupont","Jean Dupont",null,null,null,null]
["author","infomie.net:author:marie-lefevre","Marie Lefèvre",null,null,null,null]
["organisation","infomie.net:organisation:la-documentation-francaise","La Documentation française",null,null,null,null]
["document","infomie.net:document:les-mineurs-isoles-en-france","Les mineurs isolés en France",["infomie.net:author:jean-dupont","infomie.net:author:marie-lefevre"],["infomie.net:organisation:la-documentation-francaise"],"2008-01-01",null]
["author","infomie.net:author:dupont-jean","Dupont, Jean",null,null,null,null]
["document","infomie.net:document:accueillir-sans-discriminer","Accueillir sans discriminer",["infomie.net:author:dupont-jean"],["infomie.net:organisation:la-documentation-francaise"],"2009-03-01",null]' "$(jq -c '[.type, .id, .title, .authors, .links, .date_published, .extra]' out > b.out; echo b.out)"
check_text "bibliography: the partial dates said" '{"kind":"date-partial","path":"date_published","detail":"the source gives only the year: its first day written","original":"2008"}
{"kind":"date-partial","path":"date_published","detail":"the source gives only the month: its first day written","original":"mars 2009"}' "$(jq -c '.provenance[0].repairs[]?' out > b2.out; echo b2.out)"
cp out biblio.jsonl; run "$BIN/mie-validate" --strict biblio.jsonl; check_exit "bibliography: valid, references resolved" 0
check_jsonschema "bibliography: the records pass the JSON Schema" biblio.jsonl
