#!/bin/sh
# bench/spip.sh — mie-import figures, called by bench/run.sh (BIN, W set):
# mie-import of a ~100 MB synthetic SPIP dump to JSON Lines against
# `xmllint --stream --noout` on the same dump with its control characters
# removed (xmllint refuses them), same run; MB/s, rows/s, peak RSS
# (/usr/bin/time -f %M).  BENCH_BIG=1 adds a 1 GB dump.  Goals: ratio
# mie/xmllint <= 1.0, peak RSS <= 64 MiB.
TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
BIN=${BIN:-$TOP/bin}
W=${W:-$TOP/build/bench}
mkdir -p "$W"
t() { # LABEL CMD... : sets secs, rss
	label=$1
	shift
	/usr/bin/time -f "%e %M" -o "$W/spip-time.txt" "$@" > /dev/null 2> "$W/spip-err.txt" ||
		echo "$label: exit $?: $(grep -v '^mie-import: spip_' "$W/spip-err.txt" | head -3)" >&2
	set -- $(tail -1 "$W/spip-time.txt")
	secs=$1 rss=$2
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
per() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.0f", (t > 0 ? n / t : 0) }'; }

echo "## mie-import, SPIP dump ($(date -u +%Y-%m-%d), $(nproc) cores)"
echo ""
echo "| dump | MB | rows | mie-import s | MB/s | rows/s | peak RSS (KiB) | xmllint --stream s | xmllint RSS (KiB) | ratio mie/xmllint |"
echo "|---|---|---|---|---|---|---|---|---|---|"
sizes=100
[ "${BENCH_BIG:-0}" = 1 ] && sizes="100 1024"
for mb in $sizes; do
	D="$W/spip-$mb.xml"
	[ -s "$D" ] || python3 "$TOP/bench/gen-spip-dump.py" "$mb" > "$D"
	[ -s "$D.clean" ] || tr -d '\000-\010\013\014\016-\037' < "$D" | sed 's/]]>/]] >/g' > "$D.clean"
	bytes=$(stat -c %s "$D")
	rows=$(grep -c '^</spip_' "$D")
	cat "$D" "$D.clean" > /dev/null
	t mie "$BIN/mie-import" -q "$D"; ms=$secs mr=$rss
	t xmllint xmllint --stream --noout "$D.clean"; xs=$secs xr=$rss
	echo "| synthetic $mb MB | $((bytes >> 20)) | $rows | $ms | $(per $((bytes >> 20)) $ms) | $(per $rows $ms) | $mr | $xs | $xr | $(ratio $ms $xs) |"
done
echo ""
echo "Goals: ratio <= 1.0 and peak RSS <= 65536 KiB (64 MiB)."
