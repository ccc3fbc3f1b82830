#!/bin/sh
# bench/sql.sh — mie-import of a mysqldump of the bench database against
# mie-import of that database's SPIP XML dump (bench/gen-spip-dump.py): the
# XML dump is loaded into a scratch MariaDB server (bench/spip-xml-to-sql.py),
# dumped with mysqldump (its default form), and both dumps imported; loading
# the SQL dump back with `mariadb < dump.sql` is timed for the record.
# Called by bench/run.sh with BIN and W set; BENCH_SQL_MB sets the size of
# the SQL dump (100 MB by default).
TOP=$(cd "$(dirname "$0")/.." && pwd)
W=${W:-$TOP/build/bench}
MB=${BENCH_SQL_MB:-100}
RUNS=${BENCH_RUNS:-3}
DB="$W/mariadb"
. "$TOP/tests/fixtures/sql/server.sh"
timed() { # NAME CMD... (least time, largest peak RSS, as bench/spip.sh)
	n=$1
	shift
	/usr/bin/time -f "%e %M" -o "$W/t.txt" "$@"
	tail -1 "$W/t.txt" | awk -v f="$W/best.$n" 'BEGIN { if ((getline l < f) > 0) split(l, o, " ") }
		{ t = (o[1] == "" || $1 + 0 < o[1] + 0) ? $1 : o[1]; m = ($2 + 0 > o[2] + 0) ? $2 : o[2]
		  print t, m > f }'
}
x="$W/sqldump$MB.xml"
s="$W/sqldump$MB.sql"
rm -rf "$DB"
trap 'db_stop "$DB"' EXIT
db_start "$DB" || { echo "sql.sh: no MariaDB server" >&2; exit 1; }
# mysqldump writes the rows in about 3/4 of the XML's bytes (no tags): the
# XML dump is made 4/3 as large, for a mysqldump of about MB megabytes
[ -s "$x" ] || python3 "$TOP/bench/gen-spip-dump.py" $((MB * 4 / 3)) > "$x"
if [ ! -s "$s" ]; then
	python3 "$TOP/bench/spip-xml-to-sql.py" "$x" > "$W/load.sql"
	$M -e 'CREATE DATABASE spip' && $M spip < "$W/load.sql" && $MD spip > "$s"
	rm -f "$W/load.sql"
fi
rm -f "$W"/best.*
i=0
while [ "$i" -lt "$RUNS" ]; do
	timed sql "$BIN/mie-import" -q -o /dev/null "$s"
	timed xml "$BIN/mie-import" -q -o /dev/null "$x"
	i=$((i + 1))
done
$M -e 'DROP DATABASE IF EXISTS scratch; CREATE DATABASE scratch'
timed load sh -c "$M scratch < '$s'"
"$BIN/mie-import" -q -o "$W/sql.jsonl" "$s"
"$BIN/mie-import" -q -o "$W/xml.jsonl" "$x"
same=$(jq -S -c 'del(.provenance[].file, .provenance[].line, .provenance[].row, .provenance[].format)' "$W/sql.jsonl" | sort | md5sum)
same2=$(jq -S -c 'del(.provenance[].file, .provenance[].line, .provenance[].row, .provenance[].format)' "$W/xml.jsonl" | sort | md5sum)
set -- $(cat "$W/best.sql"); st=$1 sr=$2
set -- $(cat "$W/best.xml"); xt=$1 xr=$2
set -- $(cat "$W/best.load"); lt=$1
echo "## mie-import, SQL dump against XML dump of the same database ($(date -u +%Y-%m-%d), $(nproc) cores)"
echo
echo "| input | MB | mie-import s | peak RSS KiB | ratio SQL/XML | \`mariadb < dump.sql\` s |"
echo "|---|---|---|---|---|---|"
awk -v b="$(stat -c %s "$x")" -v t="$xt" -v r="$xr" 'BEGIN { printf "| XML dump | %.0f | %.2f | %d | | |\n", b / 1048576, t, r }'
awk -v b="$(stat -c %s "$s")" -v t="$st" -v r="$sr" -v x="$xt" -v l="$lt" 'BEGIN { printf "| mysqldump | %.0f | %.2f | %d | %.2f | %.2f |\n", b / 1048576, t, r, t / x, l }'
echo
echo "Each mie-import figure is the best of $RUNS runs, the two taking turns; output to /dev/null; the load into MariaDB is one run (InnoDB, a scratch database on the same server)."
echo "Records of the two imports identical (provenance aside): $([ "$same" = "$same2" ] && echo yes || echo NO)."
echo "Targets: ratio SQL/XML <= 1.0: $(awk -v a="$st" -v b="$xt" 'BEGIN { print (a <= b ? "met" : "NOT MET") }'); peak RSS <= 64 MiB: $([ "$sr" -le 65536 ] && echo met || echo "NOT MET ($sr KiB)")."
