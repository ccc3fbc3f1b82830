#!/bin/sh
# make bench: times the tools against peers on the same data in the same run,
# with peak RSS, and appends the results to bench/README.md.
# BENCH_MB (default 100) sets the base size; the memory check uses 4x that.
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$TOP/bin}
export TOP BIN
W=${BENCH_DIR:-$TOP/build/bench}
mkdir -p "$W"
MB=${BENCH_MB:-100}
REPORT="$W/report.md"
: > "$REPORT"

# measure LABEL CMD... : runs CMD, prints "LABEL seconds rss_kib"
measure() {
	label=$1
	shift
	/usr/bin/time -f "%e %M" -o "$W/time.txt" "$@" > /dev/null 2> "$W/stderr.txt"
	set -- $(tail -1 "$W/time.txt")
	echo "$label $1 $2"
}
. "$TOP/bench/lib.sh"
mbs() { awk -v s="$1" -v t="$2" 'BEGIN { printf "%.1f", (t > 0 ? s / 1048576 / t : 0) }'; }
row() { echo "$*" | tee -a "$REPORT"; }

echo "== generating ${MB} MB and $((MB * 4)) MB of records"
[ -s "$W/s.jsonl" ] || python3 "$TOP/bench/gen-records.py" "$MB" > "$W/s.jsonl"
[ -s "$W/l.jsonl" ] || python3 "$TOP/bench/gen-records.py" "$((MB * 4))" > "$W/l.jsonl"
[ -s "$W/s.xml" ] || "$BIN/mie-validate" -q --to xml "$W/s.jsonl" > "$W/s.xml"
SJ=$(stat -c %s "$W/s.jsonl"); SX=$(stat -c %s "$W/s.xml")

row "## mie-validate and JSONL <-> XML ($(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m))"
row ""
row "| run | seconds | MB/s | peak RSS (KiB) | peer | peer seconds | ratio mie/peer |"
row "|---|---|---|---|---|---|---|"
set -- $(measure v "$BIN/mie-validate" -q "$W/s.jsonl"); vt=$2 vr=$3
set -- $(measure jq jq -c . "$W/s.jsonl"); jt=$2
row "| mie-validate JSONL ($MB MB) | $vt | $(mbs $SJ $vt) | $vr | jq -c . | $jt | $(ratio $vt $jt) |"
set -- $(measure x "$BIN/mie-validate" -q --to xml "$W/s.jsonl"); xt=$2 xr=$3
row "| JSONL -> XML ($MB MB) | $xt | $(mbs $SJ $xt) | $xr | jq -c . | $jt | $(ratio $xt $jt) |"
set -- $(measure r "$BIN/mie-validate" -q "$W/s.xml"); rt=$2 rr=$3
set -- $(measure xl xmllint --stream --noout "$W/s.xml"); lt=$2
row "| XML -> JSONL ($((SX >> 20)) MB XML) | $rt | $(mbs $SX $rt) | $rr | xmllint --stream --noout | $lt | $(ratio $rt $lt) |"
set -- $(measure big "$BIN/mie-validate" -q "$W/l.jsonl"); bt=$2 br=$3
row "| mie-validate JSONL ($((MB * 4)) MB) | $bt | $(mbs $(stat -c %s "$W/l.jsonl") $bt) | $br | | | |"
row ""
row "Peak RSS of mie-validate: $vr KiB on $MB MB, $br KiB on $((MB * 4)) MB (ratio $(ratio $br $vr))."
row ""

for part in "$TOP"/bench/spip.sh "$TOP"/bench/sql.sh "$TOP"/bench/web.sh "$TOP"/bench/dedup.sh "$TOP"/bench/export.sh "$TOP"/bench/dossier.sh "$TOP"/bench/links.sh "$TOP"/bench/cluster.sh "$TOP"/bench/html.sh; do
	[ -f "$part" ] || continue
	echo "== $(basename "$part")"
	W="$W" sh "$part" | tee -a "$REPORT"
	echo | tee -a "$REPORT"
done
echo "== report in $REPORT (copy into bench/README.md with the date and machine)"
