#!/bin/sh
# bench/cluster.sh — one cluster of duplicates merged, called by bench/run.sh
# (BIN, W set): mie-dedup --mode merge of CLUSTER_N (default 40 000) copies
# of one article under distinct ids, then of 5 x CLUSTER_N.  Linear time
# means the second run costs about 5 times the first (the goal: a ratio of
# at most 6); it was quadratic (40 000 records: 11 to 135 s, the merged
# record's merged_from checked id by id against every id before it).
TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
BIN=${BIN:-$TOP/bin}
W=${W:-$TOP/build/bench}
N=${CLUSTER_N:-40000}
mkdir -p "$W"
. "$TOP/bench/lib.sh"
one() { # N: sets secs rss
	f="$W/cluster-$1.jsonl"
	[ -s "$f" ] || python3 -c '
import json, sys
for i in range(int(sys.argv[1])):
    print(json.dumps({"type": "article", "id": "bench.example:article:%d" % i,
                      "title": "Le même article, copié", "date": "2007-01-15",
                      "text": {"plain": "Un texte identique dans chaque copie."}},
                     ensure_ascii=False))' "$1" > "$f"
	/usr/bin/time -f "%e %M" -o "$W/cluster-time.txt" "$BIN/mie-dedup" -q --mode merge "$f" > /dev/null
	set -- $(tail -1 "$W/cluster-time.txt")
	secs=$1 rss=$2
}
echo "## mie-dedup --mode merge: one cluster ($(date -u +%Y-%m-%d), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
echo ""
echo "| records in the cluster | seconds | peak RSS (KiB) |"
echo "|---|---|---|"
one "$N"; s1=$secs
echo "| $N | $secs | $rss |"
one $((N * 5)); s5=$secs
echo "| $((N * 5)) | $secs | $rss |"
echo ""
echo "Ratio 5x records / 1x: $(ratio "$s5" "$s1") (goal: <= 6)."
