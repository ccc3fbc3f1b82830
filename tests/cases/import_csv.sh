# mie-import of CSV exports: the bibliography preset, TAB files, --delimiter,
# --charset, --map FILE, dates.  (Quoting, BOM, ragged rows, cp1252 and
# personal columns are in import_web.sh.)
. "$TOP/tests/lib.sh"
I="$BIN/mie-import"

# ---- bibliography, TAB-separated, chosen from the header ----
printf 'Titre\tAuteurs\tDate\tÉditeur\tURL\tType\tCote\nGuide des droits des mineurs isolés\tGISTI; InfoMIE\t12 mars 2007\tGISTI\thttp://www.gisti.org/guide\tguide\tB-12\n' > biblio.tsv
run "$I" biblio.tsv; check_exit "bibliography exit" 0
check_text "bibliography messages" "mie-import: biblio.tsv: delimiter '\\t', charset utf-8
mie-import: biblio.tsv: header matches the \"bibliography\" columns: document records (--map to choose)
mie-import: biblio.tsv: csv authors: 2 read, 2 written, 0 rejected
mie-import: biblio.tsv: csv publishers: 1 read, 1 written, 0 rejected
mie-import: biblio.tsv: csv bibliography: 1 read, 1 written, 0 rejected" err
check_text "bibliography records: authors and publisher as records, referenced" '{"type":"author","id":"infomie.net:author:gisti","title":"GISTI","provenance":[{"format":"csv","file":"biblio.tsv","line":2,"charset":"utf-8"}]}
{"type":"author","id":"infomie.net:author:infomie","title":"InfoMIE","provenance":[{"format":"csv","file":"biblio.tsv","line":2,"charset":"utf-8"}]}
{"type":"organisation","id":"infomie.net:organisation:gisti","title":"GISTI","kind":"éditeur","provenance":[{"format":"csv","file":"biblio.tsv","line":2,"charset":"utf-8"}]}
{"type":"document","id":"infomie.net:document:guide-des-droits-des-mineurs-isoles","title":"Guide des droits des mineurs isolés","authors":["infomie.net:author:gisti","infomie.net:author:infomie"],"date_published":"2007-03-12","links":["infomie.net:organisation:gisti"],"url":"http://www.gisti.org/guide","kind":"guide","extra":{"Cote":"B-12"},"provenance":[{"format":"csv","file":"biblio.tsv","line":2,"charset":"utf-8"}]}' out
cp out biblio.jsonl
run "$BIN/mie-validate" biblio.jsonl; check_exit "bibliography valid" 0
check_jsonschema "bibliography passes the JSON Schema" biblio.jsonl

# ---- dates: whole days parsed, a year or a month as its first day with
# a repair holding what the source said, anything else kept in extra ----
printf 'Titre;Date\nA;2008\nB;12/03/2007\nC;mai 2008\nD;2007-03-12\nE;vers 2008\n' > dates.csv
run "$I" dates.csv; check_exit "dates exit" 0
check_text "dates" '["A","2008-01-01",null,"date-partial","2008"]
["B","2007-03-12",null,null,null]
["C","2008-05-01",null,"date-partial","mai 2008"]
["D","2007-03-12",null,null,null]
["E",null,"vers 2008",null,null]' "$(jq -c '[.title, .date_published, .extra.Date, .provenance[0].repairs[0].kind, .provenance[0].repairs[0].original]' out > d; echo d)"

# ---- --delimiter and --charset override the detection (nothing said) ----
printf 'Nom|Ville\nFoyer|Lyon\n' > pipe.csv
run "$I" --delimiter '|' pipe.csv; check_exit "--delimiter exit" 0
check_text "--delimiter" '["Foyer","Lyon"]' "$(jq -c '[.title, .city]' out > p; echo p)"
printf 'Nom;Ville\nCaf\351 des \351coles;N\356mes\n' > l1.csv
run "$I" --charset iso-8859-1 l1.csv; check_exit "--charset exit" 0
check_text "--charset" '["Café des écoles","Nîmes","iso-8859-1"]' "$(jq -c '[.title, .city, .provenance[0].charset]' out > c; echo c)"
check_text "latin-1 detected without --charset" '["Café des écoles","windows-1252"]' "$("$I" l1.csv 2>/dev/null | jq -c '[.title, .provenance[0].charset]' > c2; echo c2)"

# ---- --map FILE ----
printf '# colonnes du tableur de 2009\nStructure = title\nCOMMUNE = city\n\nTéléphone fixe = phone\n' > annuaire.map
printf 'Structure,Commune,Telephone Fixe,Autre\nADJIE,Paris,01 02 03 04 05,x\n' > m.csv
run "$I" --map annuaire.map m.csv; check_exit "--map FILE exit" 0
check_text "--map FILE (case and accents ignored)" '{"type":"organisation","id":"infomie.net:organisation:adjie","title":"ADJIE","city":"Paris","phone":"01 02 03 04 05","extra":{"Autre":"x"},"provenance":[{"format":"csv","file":"m.csv","line":2,"charset":"utf-8"}]}' out
printf 'Structure = title\nsans signe egal\n' > bad.map
run "$I" --map bad.map m.csv; check_exit "bad map exit" 2
check_grep "bad map message" 'mie-import: bad.map:2: --map: expected "Column = field"' err

# ---- a UTF-8 file with one Latin-1 cell stays UTF-8: that cell alone is
# read as windows-1252, with an "invalid-utf8" repair on its record ----
printf 'Nom;Ville\nAssociation fran\303\247aise;Paris\nFoyer;Li\351ge\n' > mix.csv
run "$I" mix.csv; check_exit "mixed charset exit" 0
check_text "mixed charset messages" "mie-import: mix.csv: delimiter ';', charset utf-8
mie-import: mix.csv: header matches the \"organisations\" columns: organisation records (--map to choose)
mie-import: mix.csv: csv organisations: 2 read, 2 written, 0 rejected" err
check_text "mixed charset: UTF-8 cells kept, the Latin-1 cell repaired" '["Association française","Paris","utf-8",null]
["Foyer","Liége","utf-8",[{"kind":"invalid-utf8","path":"city","detail":"1 invalid UTF-8 byte read as windows-1252, first at byte 2","original":"\\xe9"}]]' "$(jq -c '[.title, .city, .provenance[0].charset, .provenance[0].repairs]' out > mx; echo mx)"

# ---- ids unique within the file: a taken slug gets the first free -N
# ("A", "A", "A-2", "A" give a, a-2, a-2-2, a-3), each said with its line ----
printf 'Nom;Ville\nA;Paris\nA;Lyon\nA-2;Nice\nA;Metz\n' > dup.csv
run "$I" dup.csv; check_exit "repeated names exit" 0
check_text "repeated names: every id unique" '["infomie.net:organisation:a","Paris"]
["infomie.net:organisation:a-2","Lyon"]
["infomie.net:organisation:a-2-2","Nice"]
["infomie.net:organisation:a-3","Metz"]' "$(jq -c '[.id, .city]' out > du; echo du)"
check_text "repeated names messages" "mie-import: dup.csv: delimiter ';', charset utf-8
mie-import: dup.csv: header matches the \"organisations\" columns: organisation records (--map to choose)
mie-import: dup.csv:3: id infomie.net:organisation:a already given to an earlier row: this one is infomie.net:organisation:a-2
mie-import: dup.csv:4: id infomie.net:organisation:a-2 already given to an earlier row: this one is infomie.net:organisation:a-2-2
mie-import: dup.csv:5: id infomie.net:organisation:a already given to an earlier row: this one is infomie.net:organisation:a-3
mie-import: dup.csv: csv organisations: 4 read, 4 written, 0 rejected" err
