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
