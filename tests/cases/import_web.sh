# mie-import of saved pages, CSV exports, and the folders and archives that
# hold them (issue 4).  Archives are built here with bsdtar and python3.
. "$TOP/tests/lib.sh"
I="$BIN/mie-import"
W="$FIX/web"

# ---- pages ----
cp -r "$W/site" site
run "$I" site; check_exit "pages exit" 0
check_text "pages summary" 'mie-import: site/article5.html: canonical link to another site ignored: http://evil.example/spip.php?article1
mie-import: site: html spip_articles: 3 read, 3 written, 0 rejected
mie-import: site/index.html: html non-content pages: 1 skipped' err
cp out pages.jsonl
run "$BIN/mie-validate" pages.jsonl; check_exit "pages valid" 0
check_jsonschema "pages pass the JSON Schema" pages.jsonl
check_nogrep "no script survives" "__pwned" pages.jsonl
check_nogrep "no javascript: URL survives" "avascript" pages.jsonl
check_nogrep "no event handler survives" "onerror" pages.jsonl
jq -c 'select(.id=="infomie.net:article:78") | [.title, .section_path, .date_published, .lead.plain]' pages.jsonl > a78
check_text "default template page" '["La scolarisation des mineurs isolés étrangers",["Droits et procédures","Accès à l’éducation"],"2006-12-05","Tout mineur présent sur le territoire a droit à l’éducation."]' a78
jq -c 'select(.id=="infomie.net:article:79") | [.title, .section_path, .date_published, .date_modified, .text.plain, .provenance[0].charset, .provenance[0].repairs[0].kind]' pages.jsonl > a79
check_text "custom template latin-1 page" '["Circulaire du 12 mars 2007 sur l’accueil des élèves allophones",["Droits et procédures","Accès à l’éducation"],"2007-03-14","2007-05-03","La circulaire rappelle que l’accueil des élèves relève du droit commun.","iso-8859-1","charset-cp1252"]' a79
jq -r 'select(.id=="infomie.net:article:5") | .id' pages.jsonl > a5
check_text "foreign canonical ignored, id from the file name" "infomie.net:article:5" a5

# ---- file names wget writes for '?', and a section page ----
mkdir -p names && for n in 'spip.php@article78.html' 'spip.php%3Fbreve12.html' 'rubrique3.html'; do cp "$W/site/spip.php?article78.html" "names/$n"; done
run "$I" names; check_exit "wget file names exit" 0
check_text "wget file names give the ids" 'infomie.net:section:3 names/rubrique3.html
infomie.net:brief:12 names/spip.php%3Fbreve12.html
infomie.net:article:78 names/spip.php@article78.html' "$(jq -r '.id + " " + .provenance[0].file' out > names.ids; echo names.ids)"
check_text "a section has no lead" 'null' "$(jq -c 'select(.type=="section") | .lead' out > sl; echo sl)"

# ---- "propres" URLs: the address names no object; the page's own reply link does ----
mkdir -p propres
A78="$W/site/spip.php?article78.html"
reply() { sed "s|<div id=\"pied\">|<p><a href=\"$1\">Répondre</a></p><div id=\"pied\">|" "$A78"; }
reply 'spip.php?page=forum\&amp;id_article=78' > propres/La-scolarisation-des-mineurs.html
reply 'spip.php?page=forum\&amp;id_breve=12' | sed 's|class="page_article"|class="page_mot"|' > propres/+Nouvelle-circulaire+.html
{ reply 'spip.php?page=forum\&amp;id_article=78' | sed 's|<div id="pied">|<a href="spip.php?page=forum\&amp;id_article=80">autre</a><div id="pied">|'; } > propres/Deux-liens.html
reply 'spip.php?page=forum\&amp;id_breve=12' > propres/Mauvais-genre.html
sed 's|class="page_article"||' "$A78" > propres/Sans-classe.html
run "$I" propres; check_exit "propres URLs exit" 0
jq -r '[.id, .provenance[0].file, (.provenance[0].repairs // [] | map(.kind) | join(","))] | join(" ")' out > propres.ids
check_text "propres URLs: ids from the reply links, said in the repairs" 'infomie.net:brief:12 propres/+Nouvelle-circulaire+.html id-from-reply-link
infomie.net:article:78 propres/La-scolarisation-des-mineurs.html id-from-reply-link' propres.ids
check_grep "propres URLs: two reply links that disagree, a link of another kind, no body class: skipped" 'mie-import: propres: html non-content pages: 3 skipped' err

# ---- dist/ cartouche whose title names a day: the date comes from the date line ----
mkdir -p dt && sed 's|<h1 class="titre">La scolarisation des mineurs isolés étrangers</h1>|<h1 class="titre">Circulaire du 12 mars 2007</h1>|' "$W/site/spip.php?article78.html" > dt/article91.html
run "$I" dt; check_exit "title with a date exit" 0
check_text "title with a date: not taken for the publication date" '["Circulaire du 12 mars 2007","2006-12-05"]' "$(jq -c '[.title, .date_published]' out > dt.out; echo dt.out)"

# ---- breadcrumbs of customised templates ----
mkdir -p bc
crumb() { # file breadcrumb-html
	python3 - "$W/site/spip.php?article78.html" "$1" "$2" <<'PY2'
import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
s = re.sub(r'<div id="hierarchie">.*?</div>', lambda m: sys.argv[3], s, flags=re.S)
open(sys.argv[2], "w", encoding="utf-8").write(s)
PY2
}
crumb bc/article1.html '<div id="hierarchie">Accueil &gt; L&#8217;association &gt; Nos missions &gt; La scolarisation</div>'
crumb bc/article2.html '<p class="ariane"><a href="spip.php?rubrique2">Droits</a> » <a href="spip.php?rubrique3">École</a> » <a href="spip.php?article2">La scolarisation</a></p>'
crumb bc/article3.html '<div class="ariane"><a href="index.php">Retour</a> &gt; <a href="http://www.infomie.net/spip.php?rubrique2">Droits</a> <strong>La scolarisation</strong></div>'
run "$I" bc; check_exit "breadcrumbs exit" 0
check_text "breadcrumbs: text only, no home link, self link dropped, home by address" '["infomie.net:article:1",["L’association","Nos missions"]]
["infomie.net:article:2",["Droits","École"]]
["infomie.net:article:3",["Droits"]]' "$(jq -c '[.id, .section_path]' out > bc.out; echo bc.out)"

# ---- pages saved as UTF-16 ("Unicode"), with their BOM ----
mkdir -p u16
python3 - "$W/site/spip.php?article78.html" <<'PY2'
import sys
src = open(sys.argv[1], encoding="utf-8").read()
open("u16/article61.html", "wb").write(b"\xff\xfe" + src.encode("utf-16-le"))
open("u16/article62.html", "wb").write(b"\xfe\xff" + src.encode("utf-16-be"))
PY2
run "$I" u16; check_exit "utf-16 pages exit" 0
check_text "utf-16 pages read through their BOM" '["infomie.net:article:61","La scolarisation des mineurs isolés étrangers",["Droits et procédures","Accès à l’éducation"],"2006-12-05","utf-16le"]
["infomie.net:article:62","La scolarisation des mineurs isolés étrangers",["Droits et procédures","Accès à l’éducation"],"2006-12-05","utf-16be"]' "$(jq -c '[.id, .title, .section_path, .date_published, .provenance[0].charset]' out > u16.out; echo u16.out)"

# ---- a page nested deeper than libxml2's 256 levels: warned, not silent ----
python3 - "$W/site/spip.php?article78.html" <<'PY2'
import sys
src = open(sys.argv[1], encoding="utf-8").read()
j = src.index(">", src.index("<body")) + 1
k = src.index("</body>")
open("article90.html", "w", encoding="utf-8").write(src[:j] + "<div>" * 300 + src[j:k] + "</div>" * 300 + src[k:])
PY2
run "$I" article90.html; check_exit "deep page exit" 1
check_text "deep page warned" 'mie-import: article90.html: elements nested deeper than 256 levels: page read only up to there, the rest not imported
mie-import: article90.html: html spip_articles: 1 read, 1 written, 0 rejected' err
check_text "deep page: what came before the cut is kept" 'infomie.net:article:90 La scolarisation des mineurs isolés étrangers' "$(jq -r '.id + " " + .title' out > t; echo t)"

# ---- a wget mirror of pages served on 127.0.0.1 ----
mkdir -p www && cp "$W/site/spip.php?article78.html" www/article78.html
cp "$W/site/index.html" www/index.html && printf '<a href="article78.html">a</a>\n' >> www/index.html
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
(cd www && exec python3 -m http.server "$port" --bind 127.0.0.1) > server.log 2>&1 &
server=$!
i=0; while ! wget -q -O /dev/null "http://127.0.0.1:$port/" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
wget -q --mirror -P mirror "http://127.0.0.1:$port/" 2>/dev/null
kill $server 2>/dev/null; wait $server 2>/dev/null
run "$I" --site http://www.infomie.net/ mirror; check_exit "wget mirror exit" 0
check_text "wget mirror ids" 'infomie.net:article:78' "$(jq -r .id out > ids; echo ids)"

# ---- archives: nested, with UTF-8 names ----
mkdir -p pack/été && cp "$W/site/spip.php?article78.html" "pack/été/article78.html"
printf 'Nom;Type;Ville\r\nMaison des jeunes réfugiés;Foyer;Lyon\r\n' > pack/annuaire.csv
(cd pack && bsdtar -czf ../inner.tar.gz été) && cp inner.tar.gz pack/
bsdtar --format zip --options zip:hdrcharset=UTF-8 -cf outer.zip -C pack inner.tar.gz annuaire.csv
run "$I" outer.zip; check_exit "nested archive exit" 0
jq -r '[.id, .provenance[0].file, .provenance[0].member] | join(" ")' out > prov
check_text "nested archive provenance" 'infomie.net:article:78 outer.zip inner.tar.gz!été/article78.html
infomie.net:organisation:maison-des-jeunes-refugies outer.zip annuaire.csv' prov

# ---- hostile archives: nothing written, nothing followed, the rest imported ----
ln -s /etc/passwd link
printf 'Nom;Ville\nBon;Lyon\n' > good.csv
bsdtar -cf links.tar link good.csv
python3 - <<'PY'
import io, tarfile, zipfile
with zipfile.ZipFile("slip.zip", "w") as z:
    z.writestr("../../evil.csv", "Nom;Ville\nMal;Nulle part\n")
    z.writestr("/etc/cron.d/x.csv", "Nom;Ville\nMal;Nulle part\n")
    z.writestr("ok.csv", "Nom;Ville\nBon;Lyon\n")
with tarfile.open("hard.tar", "w") as t:
    for name, kind, link in [("h.csv", tarfile.LNKTYPE, "../../etc/shadow"), ("p", tarfile.FIFOTYPE, "")]:
        i = tarfile.TarInfo(name); i.type = kind; i.linkname = link; t.addfile(i)
with zipfile.ZipFile("bomb.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("zeros.csv", b"A" * (64 << 20))
    z.writestr("after.csv", "Nom;Ville\nBon;Lyon\n")
PY
before=$(find / -xdev -newer good.csv -type f 2>/dev/null | grep -v "^$PWD" | grep -v '^/proc' | wc -l)
run "$I" links.tar slip.zip hard.tar; check_exit "hostile members exit" 1
check_text "hostile members messages" 'mie-import: links.tar!link: symbolic link, not followed
mie-import: slip.zip!../../evil.csv: path with "..", not read
mie-import: slip.zip!/etc/cron.d/x.csv: absolute path, not read
mie-import: hard.tar!h.csv: hard link, not followed
mie-import: hard.tar!p: device, FIFO or socket, not read
mie-import: links.tar!good.csv: csv organisations: 1 read, 1 written, 0 rejected
mie-import: slip.zip!ok.csv: csv organisations: 1 read, 1 written, 0 rejected' "$(grep -v 'delimiter\|--map\|no --map' err > err2; echo err2)"
check_text "hostile: good members imported" '2' "$(wc -l < out > n; echo n)"
[ -e ../../evil.csv ] && fail "zip slip wrote nothing" "../../evil.csv exists" || pass "zip slip wrote nothing"
run "$I" --max-bytes 1M bomb.zip good.csv; check_exit "bomb exit" 2
check_grep "bomb message" 'mie-import: bomb.zip!zeros.csv: expands beyond 1048576 bytes: stopped (raise with --max-bytes)' err
check_text "after a bomb, the next member and the next input are read" 'bomb.zip after.csv
good.csv -' "$(jq -r '[.provenance[0].file, (.provenance[0].member // "-")] | join(" ")' out > f2; echo f2)"
check_grep "after a bomb, the next input is read" 'good.csv' "$(jq -r '.provenance[0].file' out > f; echo f)"

# ---- CSV ----
printf '\357\273\277"Nom";"Type";"Ville";"Téléphone";"Courriel";"Site"\r\n"Secours populaire français";Association;Paris;01 44 78 21 00;contact@example.org;http://www.example.org\r\n"Foyer ""Les Tilleuls""";Foyer;"Lyon\r\n3e arrondissement";;;\r\n\r\nSans ville;Association\r\n' > bom.csv
run "$I" --rejects rej.jsonl bom.csv; check_exit "csv ragged row exit" 1
check_text "csv messages" 'mie-import: bom.csv: delimiter '"';'"', charset utf-8
mie-import: bom.csv: header matches the "organisations" columns: organisation records (--map to choose)
mie-import: bom.csv:5: organisations: 2 cells where the header has 6: row not imported
mie-import: bom.csv: csv organisations: 3 read, 2 written, 1 rejected' err
jq -c '[.id, .title, .city, .provenance[0].line]' out > rows
check_text "csv rows (BOM, quoted header, multi-line cell, doubled quotes)" '["infomie.net:organisation:secours-populaire-francais","Secours populaire français","Paris",2]
["infomie.net:organisation:foyer-les-tilleuls","Foyer \"Les Tilleuls\"","Lyon\r\n3e arrondissement",3]' rows
check_text "csv reject kept with its file, line, table and reason" '{"file":"bom.csv","line":5,"source":"csv","table":"organisations","reason":"2 cells where the header has 6: row not imported","cells":["Sans ville","Association"]}' rej.jsonl
printf 'Nom;Ville;Taux\r\nAccueil \222Les Lilas\222;Nîmes;3,5\r\n' | iconv -f utf-8 -t cp1252 > cp.csv 2>/dev/null || printf 'Nom;Ville;Taux\r\nAccueil \222Les Lilas\222;N\356mes;3,5\r\n' > cp.csv
run "$I" cp.csv; check_exit "cp1252 csv exit" 0
jq -c '[.title, .city, .extra.Taux]' out > cp
check_text "cp1252 and French decimals" '["Accueil ’Les Lilas’","Nîmes","3,5"]' cp
printf 'Nom,Ville\n"Pas fermé,Lyon\nAutre,Paris\n' > open.csv
run "$I" open.csv; check_exit "unterminated quote exit" 1
check_grep "unterminated quote message" 'mie-import: open.csv:2: organisations: quote opened on this line is never closed: row not imported' err

# personal data of individuals: left out unless --keep-personal
printf 'Nom;Ville;Contact;Prénom du référent;Portable;Horaires\nFoyer Matisse;Lille;Marie Durand;Marie;06 12 34 56 78;9h-18h\n' > perso.csv
run "$I" perso.csv; check_exit "personal columns exit" 0
check_grep "personal columns named" 'mie-import: perso.csv: personal data of individuals not kept (--keep-personal to keep): "Contact", "Prénom du référent", "Portable"' err
check_text "personal columns dropped" '["Foyer Matisse","Lille",{"Horaires":"9h-18h"}]' "$(jq -c '[.title,.city,.extra]' out > pc; echo pc)"
run "$I" --keep-personal perso.csv; check_exit "--keep-personal exit" 0
check_nogrep "--keep-personal: nothing said" 'personal data' err
check_text "--keep-personal keeps them in extra" '{"Contact":"Marie Durand","Prénom du référent":"Marie","Portable":"06 12 34 56 78","Horaires":"9h-18h"}' "$(jq -c .extra out > pk; echo pk)"
