#!/bin/sh
# bench/links.sh — link rows of one article, called by bench/run.sh (BIN, W
# set): mie-import of a dump holding one article and LINK_N (default
# 200 000), then 5 x LINK_N keyword link rows (bench/gen-links.py).  Linear
# time means the second run costs about 5 times the first (the goal: a
# ratio of at most 6); it was quadratic (40 000 rows: 15 s).  Instructions
# are counted too when perf is there (load does not change them).
TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
BIN=${BIN:-$TOP/bin}
W=${W:-$TOP/build/bench}
N=${LINK_N:-200000}
mkdir -p "$W"
. "$TOP/bench/lib.sh"
one() { # N: sets secs rss ins
	f="$W/links-$1.xml"
	[ -s "$f" ] || python3 "$TOP/bench/gen-links.py" "$1" > "$f"
	/usr/bin/time -f "%e %M" -o "$W/links-time.txt" "$BIN/mie-import" -q "$f" > /dev/null
	set -- $(tail -1 "$W/links-time.txt")
	secs=$1 rss=$2 ins=-
	if command -v perf > /dev/null 2>&1; then
		ins=$(perf stat -x, -e instructions:u "$BIN/mie-import" -q "$f" 2>&1 > /dev/null |
			awk -F, '/instructions/ && $1 ~ /^[0-9]+$/ { print $1 }')
		[ -n "$ins" ] || ins=-
	fi
}
echo "## mie-import: link rows of one article ($(date -u +%Y-%m-%d), $(nproc) cores)"
echo ""
echo "| link rows | seconds | peak RSS (KiB) | instructions |"
echo "|---|---|---|---|"
one "$N"; s1=$secs i1=$ins
echo "| $N | $secs | $rss | $ins |"
one $((N * 5)); s5=$secs i5=$ins
echo "| $((N * 5)) | $secs | $rss | $ins |"
echo ""
echo "Ratio 5x rows / 1x: $(ratio "$s5" "$s1") in time, $(ratio "$i5" "$i1") in instructions (goal: <= 6)."
