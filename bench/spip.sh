#!/bin/sh
# bench/spip.sh — mie-import on synthetic SPIP dumps (bench/gen-spip-dump.py)
# against `xmllint --stream --noout` on the same dump once the characters
# that make it ill-formed (C0 controls, "]]>") are removed; peak RSS on two
# sizes (BENCH_BIG=1 adds 1 GB).  Called by bench/run.sh with BIN and W set.
TOP=$(cd "$(dirname "$0")/.." && pwd)
W=${W:-$TOP/build/bench}
MB=${BENCH_SPIP_MB:-100}
over=""
sizes="$MB $((MB * 4))"
RUNS=${BENCH_RUNS:-3}
# timed NAME CMD...: runs CMD once, keeping the least elapsed time and the
# largest peak RSS seen for NAME in $W/best.NAME ("seconds KiB").  The three
# commands of a size take turns RUNS times, so a slow spell of the shared
# machine falls on all of them alike; the least time is the least disturbed.
timed() {
	n=$1
	shift
	/usr/bin/time -f "%e %M" -o "$W/t.txt" "$@" # exit 1 (rows rejected) is expected
	tail -1 "$W/t.txt" | awk -v f="$W/best.$n" 'BEGIN { if ((getline l < f) > 0) split(l, o, " ") }
		{ t = (o[1] == "" || $1 + 0 < o[1] + 0) ? $1 : o[1]; m = ($2 + 0 > o[2] + 0) ? $2 : o[2]
		  print t, m > f }'
}
[ "${BENCH_BIG:-0}" = 1 ] && sizes="$sizes 1024"
echo "## mie-import, SPIP dumps ($(date -u +%Y-%m-%d), $(nproc) cores)"
echo
echo "| dump | rows | mie-import s | MB/s | rows/s | peak RSS KiB | -j1 s | xmllint --stream s | ratio mie/xmllint | ratio -j1/xmllint |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for s in $sizes; do
	d="$W/dump$s.xml"
	[ -s "$d" ] || python3 "$TOP/bench/gen-spip-dump.py" "$s" > "$d"
	[ -s "$d.clean" ] || tr -d '\000-\010\013\014\016-\037' < "$d" | sed 's/]]>/]] >/g' > "$d.clean"
	rm -f "$W"/best.*
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		timed mie "$BIN/mie-import" -q -o /dev/null "$d"
		timed j1 "$BIN/mie-import" -j1 -q -o /dev/null "$d"
		timed xmllint xmllint --stream --noout "$d.clean"
		i=$((i + 1))
	done
	set -- $(cat "$W/best.mie"); mt=$1 mr=$2
	set -- $(cat "$W/best.j1"); m1=$1
	set -- $(cat "$W/best.xmllint"); xt=$1
	rows=$(grep -c '^<spip_' "$d")
	bytes=$(stat -c %s "$d")
	awk -v s="$s" -v r="$rows" -v mt="$mt" -v mr="$mr" -v xt="$xt" -v b="$bytes" -v m1="$m1" 'BEGIN {
		printf "| %d MB | %d | %.2f | %.1f | %.0f | %d | %.2f | %.2f | %.2f | %.2f |\n", s, r, mt, b / 1048576 / mt, r / mt, mr, m1, xt, mt / xt, m1 / xt }'
	[ "$mr" -le 65536 ] || over="$over ${s}MB:${mr}KiB"
done
echo
echo "Each figure is the best of $RUNS runs (least time, largest peak RSS), the three commands taking turns; output to /dev/null."
echo "mie-import runs with its default --jobs ($(nproc) threads here) and with -j1 (one thread reads, builds and writes in turn; the temporary file is still written by a second thread)."
echo "Targets: peak RSS <= 64 MiB on every size: ${over:+NOT MET ($over)}${over:-met}; speed: ratio mie/xmllint <= 1 (see the table)."
