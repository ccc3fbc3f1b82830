#!/bin/sh
# bench/dedup.sh — mie-dedup figures, called by bench/run.sh (BIN, W set):
#  - identity+exact and the default methods (all four) on 1 million JSON
#    Lines records, the bench's (~600 bytes) and short ones (~430 bytes),
#    from the file against `sort -u` on the same file, from a pipe against
#    `cat FILE | sort -u`, best of DEDUP_ROUNDS (5) runs each taking turns
#    (ratio mie/sort: at most 1 for identity+exact, 3 for all methods);
#  - the same from a pipe (`cat FILE | mie-dedup`) against from the file
#    (ratio pipe/file: at most 1.2 is the goal);
#  - near-duplicates (MinHash/LSH) on 100 000 articles (goal: under 30 s);
#  - peak RSS of each (/usr/bin/time -f %M).
# DEDUP_N / DEDUP_NEAR_N change the sizes.
TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
BIN=${BIN:-$TOP/bin}
W=${W:-$TOP/build/bench}
N=${DEDUP_N:-1000000}
NN=${DEDUP_NEAR_N:-100000}
mkdir -p "$W"
[ -s "$W/dedup-exact-$N.jsonl" ] || python3 "$TOP/bench/gen-dedup.py" exact "$N" > "$W/dedup-exact-$N.jsonl"
[ -s "$W/dedup-short-$N.jsonl" ] || python3 "$TOP/bench/gen-dedup.py" short "$N" > "$W/dedup-short-$N.jsonl"
[ -s "$W/dedup-near-$NN.jsonl" ] || python3 "$TOP/bench/gen-dedup.py" near "$NN" > "$W/dedup-near-$NN.jsonl"
E="$W/dedup-exact-$N.jsonl"
NE="$W/dedup-near-$NN.jsonl"
cat "$E" "$NE" > /dev/null # same cache state for every run

# t LABEL CMD... : sets secs and rss (KiB) of CMD (stdout to /dev/null)
t() {
	label=$1
	shift
	/usr/bin/time -f "%e %M" -o "$W/dedup-time.txt" "$@" > /dev/null 2> "$W/dedup-err.txt" ||
		echo "$label: failed: $(head -3 "$W/dedup-err.txt")" >&2
	set -- $(tail -1 "$W/dedup-time.txt")
	secs=$1 rss=$2
}
. "$TOP/bench/lib.sh"

echo "## mie-dedup ($(date -u +%Y-%m-%d), $(nproc) cores, locale ${LC_ALL:-${LANG:-C}})"
echo ""
echo "| run | records | MB | seconds | peak RSS (KiB) | peer | peer seconds | ratio mie/peer |"
echo "|---|---|---|---|---|---|---|---|"
MB=$(($(stat -c %s "$E") >> 20))
t sort sort -u "$E"; ss=$secs sr=$rss
t exact "$BIN/mie-dedup" -q --methods identity,exact "$E"; es=$secs er=$rss
echo "| identity+exact, mark | $N | $MB | $es | $er | sort -u | $ss | $(ratio $es $ss) |"
t pipe sh -c "cat '$E' | '$BIN/mie-dedup' -q --methods identity,exact"; ps=$secs pr=$rss
echo "| identity+exact, mark, from a pipe | $N | $MB | $ps | $pr | the same from the file | $es | $(ratio $ps $es) |"
t drop "$BIN/mie-dedup" -q --methods identity,exact --mode drop "$E"; ds=$secs dr=$rss
echo "| identity+exact, drop | $N | $MB | $ds | $dr | sort -u | $ss | $(ratio $ds $ss) |"
goals=""
# every record set: identity+exact and all methods, from the file against
# `sort -u FILE`, from a pipe against `cat FILE | sort -u` (and, to see
# what the pipe costs, against `sort -u FILE` too); the best of
# DEDUP_ROUNDS runs of each, taking turns
rounds=${DEDUP_ROUNDS:-5}
for set in exact short; do
	F="$W/dedup-$set-$N.jsonl"
	cat "$F" > /dev/null
	FMB=$(($(stat -c %s "$F") >> 20))
	rm -f "$W"/best.dd-*
	r=0
	while [ $r -lt "$rounds" ]; do
		r=$((r + 1))
		timed dd-sort sort -u "$F"
		timed dd-sortpipe sh -c "cat '$F' | sort -u"
		for m in identity,exact identity,exact,near,name; do
			timed "dd-file-$m" "$BIN/mie-dedup" -q --methods "$m" "$F"
			timed "dd-pipe-$m" sh -c "cat '$F' | '$BIN/mie-dedup' -q --methods '$m'"
		done
	done
	set -- $(best dd-sort); fs=$1 fsr=$2
	set -- $(best dd-sortpipe); fp=$1 fpr=$2
	echo "| sort -u, $set records | $N | $FMB | $fs | $fsr | | | |"
	echo "| cat \| sort -u, $set records | $N | $FMB | $fp | $fpr | | | |"
	for m in identity,exact identity,exact,near,name; do
		goal=1
		[ "$m" = identity,exact ] || goal=3
		set -- $(best "dd-file-$m"); a=$1 ar=$2
		set -- $(best "dd-pipe-$m"); b=$1 br=$2
		echo "| $m, mark, $set records | $N | $FMB | $a | $ar | sort -u | $fs | $(ratio $a $fs) |"
		echo "| $m, mark, $set records, from a pipe | $N | $FMB | $b | $br | cat \| sort -u | $fp | $(ratio $b $fp) (against sort -u FILE: $(ratio $b $fs)) |"
		goals="$goals
$m on $set records within ${goal}x sort -u: file $(awk -v a="$a" -v b="$fs" -v g=$goal 'BEGIN { print (a <= g * b ? "met" : "NOT met") }'), pipe $(awk -v a="$b" -v b="$fp" -v g=$goal 'BEGIN { print (a <= g * b ? "met" : "NOT met") }') (against sort -u FILE: $(awk -v a="$b" -v b="$fs" -v g=$goal 'BEGIN { print (a <= g * b ? "met" : "NOT met") }'))."
	done
done
NMB=$(($(stat -c %s "$NE") >> 20))
t near "$BIN/mie-dedup" -q --report "$W/dedup-near-report.json" "$NE"; ns=$secs nr=$rss
pairs=$(grep -o '"near_pairs_compared": [0-9]*' "$W/dedup-near-report.json" | grep -o '[0-9]*$')
dups=$(grep -o '"duplicates": [0-9]*' "$W/dedup-near-report.json" | grep -o '[0-9]*$')
echo "| all methods (near) | $NN | $NMB | $ns | $nr | | | |"
echo ""
echo "sort -u peak RSS: $sr KiB. Near run: $dups duplicates found, $pairs candidate pairs"
echo "confirmed by their real Jaccard similarity; goal under 30 s: $(awk -v s="$ns" 'BEGIN { print (s < 30 ? "met" : "NOT met") }')."
echo "$goals" | sed 1d
echo "identity+exact no slower than sort -u: $(awk -v a="$es" -v b="$ss" 'BEGIN { print (a <= b ? "met" : "NOT met") }')."
echo "from a pipe within 1.2x of from the file: $(awk -v a="$ps" -v b="$es" 'BEGIN { print (a <= 1.2 * b ? "met" : "NOT met") }') (the pipe's peak RSS is the shell's and mie-dedup's larger one)."
