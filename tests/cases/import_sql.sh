# mie-import of SQL dumps of the SPIP database (issue 16): a MariaDB server
# of the test's own (private socket and data folder, stopped at the end)
# loads the site's database in three charset variants (tests/fixtures/sql/
# make-db.py); its own SELECT output is checked against the rows; mysqldump
# dumps it in five forms; each dump imports to the records the same
# database's SPIP XML backup gives.  Then a hand-written phpMyAdmin export,
# hostile SQL and the credentials canary.
. "$TOP/tests/lib.sh"
I="$BIN/mie-import"
S="$FIX/sql"
DB="$PWD/db"
mkdir -p "$DB"

# ---- the server ----
. "$S/server.sh"
trap 'db_stop "$DB"' EXIT
trap 'db_stop "$DB"; exit 1' INT TERM HUP
db_start "$DB"
rc=$?; check_exit "a private MariaDB server (own data folder and socket) answers" 0

# records without where they were read (provenance: file, line, format),
# sorted; SPIP's XML backup leaves spip_meta out, the SQL dump holds it (as
# table_row records): not compared
norm() { # file.jsonl
	jq -S -c 'select(.legacy.table != "spip_meta") | del(.provenance[].file, .provenance[].member, .provenance[].line, .provenance[].row, .provenance[].format)' "$1" | sort
}

for v in latin1 utf8 utf8mb4; do
	python3 "$S/make-db.py" "$v" "$v"
	$M -e "CREATE DATABASE spip_$v" && $M "spip_$v" < "$v/load.sql"
	rc=$?; check_exit "$v: the database loads" 0
	$M -B -N "spip_$v" < "$v/select.sql" > "$v/select.got"
	check_same "$v: the database holds exactly the fixture's bytes (SELECT of every value)" "$v/select.txt" "$v/select.got"
	run "$I" -o "$v/xml.jsonl" "$v/dump.xml"; check_exit "$v: the XML backup imports" 0
	norm "$v/xml.jsonl" > "$v/xml.norm"
	for form in default skip-extended-insert complete-insert hex-blob default-character-set=latin1; do
		case $form in default) opt="" ;; *) opt="--$form" ;; esac
		$MD $opt "spip_$v" > "$v/$form.sql"
		run "$I" -o "$v/$form.jsonl" "$v/$form.sql"
		check_exit "$v: mysqldump $opt imports" 0
		norm "$v/$form.jsonl" > "$v/$form.norm"
		if [ "$v$form" = utf8mb4default-character-set=latin1 ]; then
			# mysqldump itself writes '?' for what latin1 lacks (the emoji
			# of a utf8mb4 title): the only difference
			jq -c 'if .id == "infomie.net:article:5" then .title |= sub("🎉"; "?") else . end' "$v/xml.norm" | jq -S -c . | sort > "$v/xml.lossy"
			check_same "$v: mysqldump $opt: the XML backup's records, but for what mysqldump lost" "$v/xml.lossy" "$v/$form.norm"
		else
			check_same "$v: mysqldump $opt: the same records as the XML backup" "$v/xml.norm" "$v/$form.norm"
		fi
	done
	grep -c '' "$v/default.jsonl" > n
	check_text "$v: every content record, and every row of other tables as a table_row" "$( [ $v = utf8 ] && echo 32 || echo 31)" n
done

# ---- the database's own answers for the sensitive values ----
a5() { jq -r "select(.id == \"infomie.net:article:$1\") | $2" "$3"; }
$M -B -N -r --default-character-set=utf8mb4 spip_utf8mb4 -e 'SELECT texte FROM spip_articles WHERE id_article = 5' > db.txt
a5 5 .text.spip utf8mb4/default.jsonl > mie.txt
check_same "quotes, backslashes, newline, ';', '),(', comments and emoji as the database has them" db.txt mie.txt
$M -B -N -r --default-character-set=utf8mb4 spip_utf8mb4 -e 'SELECT titre FROM spip_articles WHERE id_article = 5' > db.txt
a5 5 .title utf8mb4/hex-blob.jsonl > mie.txt
check_same "a utf8mb4 title's emoji" db.txt mie.txt
for v in latin1 utf8; do
	# the site's bytes, as SPIP reads them: through a connection that
	# converts nothing (latin1 to latin1)
	$M -B -N -r --default-character-set=latin1 "spip_$v" -e 'SELECT titre FROM spip_articles WHERE id_article = 1' | iconv -f "$( [ $v = latin1 ] && echo cp1252 || echo utf-8)" -t utf-8 > db.txt
	a5 1 '"\(.rank | tostring | if length < 2 then "0" + . else . end). \(.title)"' "$v/default.jsonl" > mie.txt
	check_same "$v: accents and ’ of a title as the database has them" db.txt mie.txt
done
$M -B -N spip_latin1 -e 'SELECT HEX(texte) FROM spip_breves WHERE id_breve = 1' > db.txt
check_text "the database holds NUL, SUB, VT and FF in a brève" 556E0B646575780C74726F6973006E756C1A737562203C20262066696E db.txt
jq -r 'select(.id == "infomie.net:brief:1") | [.text.spip, (.provenance[0].repairs | map(select(.path == "text.spip") | .kind) | join(" "))] | join(" | ")' latin1/hex-blob.jsonl > mie.txt
check_text "controls removed with a recorded repair, as for the XML backup" 'Un deux troisnulsub < & fin | control-char' mie.txt
a5 6 '.text.spip' utf8/default.jsonl > mie.txt
check_text "text double-encoded in the database: repaired by the builder" 'Déjà publié : « été » – cœur' mie.txt
a5 6 '[.provenance[0].repairs[] | .kind] | join(" ")' utf8/default.jsonl > mie.txt
check_text "... with the repairs recorded (and the legacy latin-1 title's)" 'invalid-utf8 double-utf8' mie.txt

# ---- provenance: file, line of the statement, row in it ----
jq -c 'select(.id == "infomie.net:article:4") | .provenance[0] | [.format, .file, .line, .charset]' utf8/skip-extended-insert.jsonl > p
line=$(grep -n "^INSERT INTO \`spip_articles\` VALUES (4," utf8/skip-extended-insert.sql | cut -d: -f1)
check_text "provenance: format, file, line of the statement" "[\"sql\",\"utf8/skip-extended-insert.sql\",$line,\"utf-8\"]" p

# ---- a phpMyAdmin export, written by hand ----
run "$I" -o pma.jsonl "$S/phpmyadmin.sql"; check_exit "phpMyAdmin export imports" 0
run "$I" -o pma-xml.jsonl "$S/phpmyadmin.xml"; check_exit "its XML backup imports" 0
norm pma.jsonl > pma.norm
norm pma-xml.jsonl > pma-xml.norm
check_same "phpMyAdmin export: the records of the same site's XML backup" pma-xml.norm pma.norm
jq -r 'select(.type != "table_row") | [.id, .title // ""] | join(" ")' pma.jsonl > t
check_text "phpMyAdmin export: titles (UTF-8 site in latin1 tables, exported through utf8)" 'infomie.net:article:1 L’école pour tous
infomie.net:article:2 Santé des mineurs
infomie.net:author:1 Rédaction
infomie.net:section:1 Éducation' t

# ---- hostile SQL ----
printf 'INSERT INTO spip_rubriques (id_rubrique, titre) VALUES (1, %s);\nINSERT INTO spip_rubriques (id_rubrique, titre) VALUES (2, %s);\n' "'Avant'" "'sans fin" > unterminated.sql
run "$I" -o u.jsonl unterminated.sql; check_exit "unterminated string: exit 1" 1
check_text "unterminated string: said, the row before kept" 'mie-import: unterminated.sql:2: spip_rubriques: row 1 of the statement: a string begun on line 2 is not closed at the end of the input: not imported
mie-import: unterminated.sql: sql spip_rubriques: 2 read, 1 written, 1 rejected' err
python3 -c "
import sys
w = sys.stdout.buffer
w.write(b\"INSERT INTO spip_rubriques (id_rubrique, titre) VALUES (1, 'Avant'),\n(2, '\")
for i in range(100):
    w.write(b'x' * (1 << 20))
w.write(b\"'),\n(3, 'Apres');\nINSERT INTO spip_rubriques (id_rubrique, titre) VALUES (4, 'Ensuite');\n\")
" > big.sql
run /usr/bin/time -f %M -o big.rss "$I" -o big.jsonl big.sql; check_exit "100 MB statement: exit 1" 1
check_text "100 MB statement: bounded, said with its line, rows before and after kept" 'mie-import: big.sql:1: spip_rubriques: row 2 of the statement: the statement is longer than 16 MiB (the most mie-import reads in one statement): row 2 and the rest of the statement are not imported
mie-import: big.sql: sql spip_rubriques: 3 read, 2 written, 1 rejected' err
jq -r .legacy.id big.jsonl | paste -sd' ' - > ids
check_text "100 MB statement: the rows kept" '1 4' ids
rss=$(tail -1 big.rss)
check_eq "100 MB statement: memory bounded by the limit (peak RSS under 96 MiB)" yes "$([ "$rss" -lt 98304 ] && echo yes || echo "no: $rss KiB")"
cat > statements.sql <<'SQL'
INSERT INTO spip_rubriques (id_rubrique, titre) VALUES (1, 'Avant');
LOAD DATA INFILE '/etc/passwd' INTO TABLE spip_rubriques;
DROP DATABASE spip;
/* un commentaire /* imbriqué */ qui continue */;
INSERT INTO spip_rubriques (id_rubrique, titre) VALUES (2, 'Après'),
(3, 'coupé
SQL
run "$I" -o st.jsonl statements.sql; check_exit "LOAD DATA, DROP DATABASE, nested comment, cut statement: exit 1" 1
check_text "each one said, with its line; nothing run; every complete row kept" 'mie-import: statements.sql:2: LOAD DATA: not read (mie-import reads CREATE TABLE and INSERT, and never runs SQL)
mie-import: statements.sql:3: DROP DATABASE: not read (mie-import reads CREATE TABLE and INSERT, and never runs SQL)
mie-import: statements.sql:4: "/*" inside a comment: SQL comments do not nest, this one ends at the first "*/"
mie-import: statements.sql:4: QUI: not read (mie-import reads CREATE TABLE and INSERT, and never runs SQL)
mie-import: statements.sql:5: spip_rubriques: row 2 of the statement: a string begun on line 6 is not closed at the end of the input: not imported
mie-import: statements.sql: sql spip_rubriques: 3 read, 2 written, 1 rejected' err
jq -r .title st.jsonl | paste -sd' ' - > t
check_text "the complete rows" 'Avant Après' t
# a mysqldump output cut inside a row of its first INSERT (spip_articles)
python3 -c "
import sys
d = open('utf8/default.sql', 'rb').read()
sys.stdout.buffer.write(d[:d.index(b'\n(4,') + 40])
" > cut.sql
run "$I" -o cut.jsonl cut.sql; check_exit "a mysqldump output cut short: exit 1" 1
jq -r .legacy.id cut.jsonl | paste -sd' ' - > ids
check_text "a cut dump: every complete row before the cut" '1 2 3' ids
l=$(grep -n '^INSERT INTO `spip_articles`' cut.sql | cut -d: -f1)
grep -v 'skipped\|never exported' err > e
check_text "a cut dump: said, with the line of the statement" "mie-import: cut.sql:$l: spip_articles: row 4 of the statement: a string begun on line $((l + 4)) is not closed at the end of the input: not imported
mie-import: cut.sql:$((l + 4)): the dump ends without mysqldump's \"-- Dump completed\" line: it was cut; every complete row before the cut is imported
mie-import: cut.sql: sql spip_articles: 4 read, 3 written, 1 rejected" e
# ---- credentials never out ----
for keep in "" --keep-personal; do
	for f in utf8/default.sql latin1/hex-blob.sql utf8mb4/default-character-set=latin1.sql "$S/phpmyadmin.sql"; do
		"$I" $keep --rejects rej.jsonl -o out.jsonl "$f" 2> err
		for c in CANARY-PASS CANARY-HTPASS CANARY-ALEA CANARY-COOKIE CANARY-LOWSEC CANARY-META-SECRET CANARY-PRIVATE CANARYKEY1; do
			check_nogrep "no $c from $(basename "$f") ${keep:-by default}" "$c" out.jsonl err rej.jsonl
		done
	done
done
"$I" -o def.jsonl utf8/default.sql 2> /dev/null
check_nogrep "no e-mail by default" "CANARY-EMAIL" def.jsonl
check_nogrep "no login by default" "CANARY-LOGIN" def.jsonl
check_nogrep "no forum e-mail by default" "CANARY-FORUM" def.jsonl
"$I" --keep-personal -o keep.jsonl utf8/default.sql 2> /dev/null
check_grep "e-mails with --keep-personal" "CANARY-EMAIL" keep.jsonl

# ---- detection and --from ----
cp utf8/default.sql noext
run "$I" -o sniffed.jsonl noext; check_exit "a dump without .sql is detected" 0
norm sniffed.jsonl > sniffed.norm
check_same "detected: the same records" utf8/default.norm sniffed.norm
gzip -c utf8/skip-extended-insert.sql > dump.sql.gz
run "$I" -o gz.jsonl dump.sql.gz; check_exit ".sql.gz" 0
norm gz.jsonl > gz.norm
check_same ".sql.gz: the same records" utf8/skip-extended-insert.norm gz.norm
printf "INSERT INTO spip_rubriques (id_rubrique, titre) VALUES (1, 'Forcé');\n" > forced.txt
run "$I" --from sql -o forced.jsonl forced.txt; check_exit "--from sql" 0
jq -r .title forced.jsonl > t
check_text "--from sql: read" 'Forcé' t

db_stop "$DB"
check_eq "the server is stopped" no "$([ -e "$DB/sock" ] && echo yes || echo no)"
