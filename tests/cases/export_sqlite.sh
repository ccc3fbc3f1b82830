# mie-export --to sqlite: the database checked by the sqlite3 CLI — integrity,
# foreign keys, row counts per type, the FTS5 index (education finds
# éducation), the full records as JSON, hostile titles; atomic output.
. "$TOP/tests/lib.sh"
X="$BIN/mie-export"
R="$FIX/export/records.jsonl"

run "$X" --to sqlite -o db.sqlite "$R"
check_exit "sqlite: exit 0" 0
check_empty "sqlite: nothing said" err
check_eq "PRAGMA integrity_check" "ok" "$(sqlite3 db.sqlite 'PRAGMA integrity_check')"
check_eq "PRAGMA foreign_key_check: no rows" "" "$(sqlite3 db.sqlite 'PRAGMA foreign_key_check')"
check_eq "no temporary file left" "db.sqlite" "$(ls -A | grep -v '^\.\(expected\)$' | grep sqlite)"
for t in section article brief author keyword keyword_group document site comment organisation dossier petition signature; do
	check_eq "rows of $t = records of $t" "$(grep -c "^{\"type\":\"$t\"" "$R")" "$(sqlite3 db.sqlite "SELECT count(*) FROM \"$t\"")"
done
check_eq "FTS5: education finds éducation (titles and texts)" \
	"infomie.net:article:901 infomie.net:article:903 infomie.net:section:3" \
	"$(sqlite3 db.sqlite "SELECT id FROM search WHERE search MATCH 'education' ORDER BY id" | tr '\n' ' ' | sed 's/ $//')"
check_eq "FTS5: éducation finds the same" \
	"$(sqlite3 db.sqlite "SELECT id FROM search WHERE search MATCH 'education' ORDER BY id")" \
	"$(sqlite3 db.sqlite "SELECT id FROM search WHERE search MATCH 'éducation' ORDER BY id")"
check_eq "FTS5 tokenizer" "1" "$(sqlite3 db.sqlite "SELECT count(*) FROM sqlite_master WHERE name = 'search' AND sql LIKE '%unicode61 remove_diacritics 2%'")"
check_eq "link table: article_authors, with its position" "infomie.net:article:78|infomie.net:author:1|0
infomie.net:article:901|infomie.net:author:1|0" "$(sqlite3 db.sqlite 'SELECT * FROM article_authors ORDER BY 1')"
check_eq "link table: keyword references keyword" "keyword" \
	"$(sqlite3 db.sqlite "SELECT \"table\" FROM pragma_foreign_key_list('article_keywords') WHERE \"from\" = 'keyword_id'")"
check_eq "typed columns" "integer|text|text" \
	"$(sqlite3 db.sqlite "SELECT typeof(size), typeof(mime), typeof(description_plain) FROM document")"
check_eq "indexes on dates and references" "idx_article_date_modified idx_article_date_published idx_article_section" \
	"$(sqlite3 db.sqlite "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'article' AND name LIKE 'idx%' ORDER BY name" | tr '\n' ' ' | sed 's/ $//')"
# the json column holds every record whole
sqlite3 db.sqlite "SELECT json FROM section UNION ALL SELECT json FROM article" > back.jsonl
grep -E '^\{"type":"(section|article)"' "$R" | jq -c . > want.jsonl
jq -c . back.jsonl > got.jsonl
check_same "the json column holds the records" want.jsonl got.jsonl
for t in '<script>alert(1)</script>' "=cmd|' /C calc'!A0" '=HYPERLINK("http://x","y")'; do
	check_eq "sqlite keeps title $t" 1 "$(sqlite3 db.sqlite "SELECT count(*) FROM article WHERE title = '$(printf '%s' "$t" | sed "s/'/''/g")'")"
done

# a duplicate id: the record refused, the run goes on, exit 1
head -3 "$R" > dup.jsonl
sed -n 3p "$R" >> dup.jsonl
run "$X" --to sqlite -o dup.sqlite dup.jsonl
check_exit "duplicate id: exit 1" 1
check_text "duplicate id: message" "mie-export: dup.jsonl:4: infomie.net:article:78: sqlite: UNIQUE constraint failed: article.id" err
check_eq "duplicate id: the others written" 1 "$(sqlite3 dup.sqlite 'SELECT count(*) FROM article')"

# atomic: a failed run leaves the previous file; no stdout
echo previous > keep.sqlite
run "$X" --to sqlite -o keep.sqlite "$R" missing.jsonl
check_exit "missing input: exit 2" 2
check_text "missing input: the previous file stays" "previous" keep.sqlite
check_eq "missing input: no temporary file left" "" "$(ls -A | grep '^\.keep')"
run "$X" --to sqlite "$R"
check_exit "sqlite to stdout: exit 2" 2
check_text "sqlite to stdout: message" "mie-export: sqlite: -o FILE is required (a database is not written to standard output)" err
