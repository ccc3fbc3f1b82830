#!/bin/sh
# bench/web.sh — mie-import on a zipped mirror of generated pages and on a
# large CSV (bench/gen-web.py), against the peers on the same data:
# `xmllint --html --noout` over the same pages extracted (many files per
# call) and `mlr --icsv --ifs ';' --ojson cat` over the same CSV; peak RSS
# on 1 000 and 10 000 pages.  Called by bench/run.sh with BIN and W set.
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$TOP/bin}
W=${W:-$TOP/build/bench}
PAGES=${BENCH_PAGES:-10000}
ROWS=${BENCH_ROWS:-100000}
mkdir -p "$W"
t() { # OUT CMD... : "seconds rss_kib" of CMD into OUT
	out=$1
	shift
	/usr/bin/time -f "%e %M" -o "$W/t.txt" "$@" > /dev/null 2>&1
	tail -1 "$W/t.txt" > "$out"
}
for n in 1000 "$PAGES"; do
	[ -s "$W/pages$n.zip" ] || python3 "$TOP/bench/gen-web.py" pages "$n" "$W/pages$n.zip"
done
[ -s "$W/orgs$ROWS.csv" ] || python3 "$TOP/bench/gen-web.py" csv "$ROWS" > "$W/orgs$ROWS.csv"
rm -rf "$W/pages" && mkdir -p "$W/pages" && bsdtar -xf "$W/pages$PAGES.zip" -C "$W/pages"

t "$W/m1" "$BIN/mie-import" -q -o /dev/null "$W/pages1000.zip"
t "$W/m" "$BIN/mie-import" -q -o /dev/null "$W/pages$PAGES.zip"
t "$W/x" sh -c "find '$W/pages' -name '*.html' -print0 | xargs -0 xmllint --html --noout"
t "$W/c" "$BIN/mie-import" -q -o /dev/null "$W/orgs$ROWS.csv"
t "$W/l" mlr --icsv --ifs ';' --ojson cat "$W/orgs$ROWS.csv"
written=$("$BIN/mie-import" -q "$W/pages$PAGES.zip" 2>/dev/null | wc -l)

echo "## mie-import, saved pages and CSV ($(date -u +%Y-%m-%d), $(nproc) cores)"
echo
echo "| input | items | mie-import s | items/s | peak RSS KiB | peer | peer s | peer items/s | ratio mie/peer |"
echo "|---|---|---|---|---|---|---|---|---|"
row() { # label items mie-file peer-label peer-file
	set -- "$1" "$2" $(cat "$3") "$4" $(cat "$5")
	awk -v l="$1" -v n="$2" -v mt="$3" -v mr="$4" -v p="$5" -v pt="$6" 'BEGIN {
		printf "| %s | %d | %.2f | %.0f | %d | %s | %.2f | %.0f | %.2f |\n",
			l, n, mt, n / (mt > 0 ? mt : 0.01), mr, p, pt, n / (pt > 0 ? pt : 0.01), mt / (pt > 0 ? pt : 0.01) }'
}
row "$PAGES pages (zip, $written records)" "$PAGES" "$W/m" "xmllint --html --noout (extracted)" "$W/x"
row "$ROWS CSV rows" "$ROWS" "$W/c" "mlr --icsv --ifs ';' --ojson cat" "$W/l"
echo
echo "Peak RSS of mie-import: $(cut -d' ' -f2 "$W/m1") KiB on 1000 pages, $(cut -d' ' -f2 "$W/m") KiB on $PAGES pages."
