#!/bin/sh
# bench/export.sh — mie-export against peers on the same input, same run
# (called by bench/run.sh with BIN and W set):
#  - CSV of N article records (bench/gen-records.py), columns id, title,
#    date_published, section, against `mlr --ijsonl --ocsv cut -o -f` (goal:
#    at most 0.5x); peak RSS on N/10 and N records (goal: flat);
#  - SQLite of the same N records with the FTS5 index, against the sqlite3
#    CLI importing the same rows from CSV into the same tables (the schema
#    mie-export made, read back with .schema) and building the same FTS5
#    index and indexes (goal: at most 1.0x); peak RSS (goal: 64 MiB).
# Each pair of commands takes turns RUNS times; the least time is kept.
# EXPORT_N (default 1000000) sets N.
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$TOP/bin}
W=${W:-$TOP/build/bench}
N=${EXPORT_N:-1000000}
RUNS=${BENCH_RUNS:-3}
mkdir -p "$W"
COLS=id,title,date_published,section
big="$W/export-$N.jsonl"
small="$W/export-$((N / 10)).jsonl"
if [ ! -s "$big" ]; then
	# gen-records.py makes 40 sections, then articles of about 2.6 KB
	mb=$((N * 27 / 10000 + 10))
	python3 "$TOP/bench/gen-records.py" "$mb" 2> /dev/null | head -n $((N + 40)) > "$big"
fi
[ -s "$small" ] || head -n $((N / 10 + 40)) "$big" > "$small"
MB=$(($(stat -c %s "$big") >> 20))

. "$TOP/bench/lib.sh"

rm -f "$W"/best.*
i=0
while [ "$i" -lt "$RUNS" ]; do
	timed csv "$BIN/mie-export" -q --to csv --type article --columns $COLS -o "$W/export.csv" "$big"
	timed mlr sh -c "mlr --ijsonl --ocsv cut -o -f $COLS '$big' > '$W/mlr.csv'"
	timed csvsmall "$BIN/mie-export" -q --to csv --type article --columns $COLS -o "$W/export-small.csv" "$small"
	i=$((i + 1))
done
set -- $(best csv) $(best mlr) $(best csvsmall)
cs=$1 cr=$2 ms=$3 sr=$6
echo "## mie-export ($(date -u +%Y-%m-%d), $(nproc) cores)"
echo
echo "| run | records | MB | seconds | peak RSS KiB | peer | peer seconds | ratio mie/peer |"
echo "|---|---|---|---|---|---|---|---|"
echo "| CSV, 4 columns | $N | $MB | $cs | $cr | mlr --ijsonl --ocsv cut -o -f | $ms | $(ratio $cs $ms) |"
echo "| CSV, 4 columns | $((N / 10)) | $(($(stat -c %s "$small") >> 20)) | $5 | $sr | | | |"

# SQLite: mie-export, then the sqlite3 CLI loading the same rows
db="$W/export.db"
peer="$W/peer.db"
rm -f "$db"
"$BIN/mie-export" -q --to sqlite -o "$db" "$big"
rm -rf "$W/rows" && mkdir -p "$W/rows"
tables=$(sqlite3 "$db" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'search%' AND sql NOT LIKE 'CREATE VIRTUAL%'")
for t in $tables; do
	[ "$(sqlite3 "$db" "SELECT count(*) FROM \"$t\"")" = 0 ] && continue
	sqlite3 -csv "$db" "SELECT * FROM \"$t\"" > "$W/rows/$t.csv"
done
{
	echo "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN;"
	sqlite3 "$db" "SELECT sql || ';' FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'search_%'"
	for f in "$W"/rows/*.csv; do echo ".import --csv '$f' \"$(basename "$f" .csv)\""; done
	echo "INSERT INTO search SELECT id, 'section', title, text_plain FROM section;"
	echo "INSERT INTO search SELECT id, 'article', title, text_plain FROM article;"
	sqlite3 "$db" "SELECT sql || ';' FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
	echo "COMMIT;"
} > "$W/peer.sql"
rm -f "$W"/best.*
i=0
while [ "$i" -lt "$RUNS" ]; do
	rm -f "$db" "$peer"
	timed sqlite "$BIN/mie-export" -q --to sqlite -o "$db" "$big"
	timed peer sh -c "sqlite3 '$peer' < '$W/peer.sql'"
	i=$((i + 1))
done
set -- $(best sqlite) $(best peer)
echo "| SQLite + FTS5 | $N | $MB | $1 | $2 | sqlite3 .import (CSV) + FTS5 | $3 | $(ratio $1 $3) |"
echo
echo "Rows: mie $(sqlite3 "$db" 'SELECT count(*) FROM article') articles, peer $(sqlite3 "$peer" 'SELECT count(*) FROM article');"
echo "FTS5 'education': mie $(sqlite3 "$db" "SELECT count(*) FROM search WHERE search MATCH 'education'"), peer $(sqlite3 "$peer" "SELECT count(*) FROM search WHERE search MATCH 'education'")."
echo "CSV at most 0.5x mlr: $(awk -v a="$cs" -v b="$ms" 'BEGIN { print (a <= 0.5 * b ? "met" : "NOT met") }');"
echo "CSV peak RSS flat ($sr KiB on $((N / 10)), $cr KiB on $N): $(awk -v a="$cr" -v b="$sr" 'BEGIN { print (a <= 1.1 * b ? "met" : "NOT met") }');"
echo "SQLite at most 1.0x the sqlite3 CLI: $(awk -v a="$1" -v b="$3" 'BEGIN { print (a <= b ? "met" : "NOT met") }');"
echo "SQLite peak RSS at most 64 MiB: $(awk -v a="$2" 'BEGIN { print (a <= 65536 ? "met" : "NOT met") }')."
