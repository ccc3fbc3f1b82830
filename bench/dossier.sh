#!/bin/sh
# bench/dossier.sh — dossier figures, called by bench/run.sh (BIN, W set):
#  - mie-export --to bagit over BAG_MB (default 1024) MB of attachments,
#    both digests in one pass, against sha256sum then sha512sum run one
#    after the other over the same files (goal: at least 0.8 of their
#    throughput, i.e. a ratio peer/mie >= 0.8);
#  - mie-import --from bagit verifying that bag, against the same peer;
#  - mie-diff of two DIFF_N (default 1 000 000) record streams differing in
#    1 % of their records, the second in another order, against `sort` of
#    each plus `diff` of the sorted files (goal: ratio mie/peer <= 1.0),
#    peak RSS (goal: <= 256 MiB).
TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
BIN=${BIN:-$TOP/bin}
W=${W:-$TOP/build/bench}
MB=${BAG_MB:-1024}
N=${DIFF_N:-1000000}
mkdir -p "$W"
. "$TOP/bench/lib.sh"
mbs() { awk -v s="$1" -v t="$2" 'BEGIN { printf "%.0f", (t > 0 ? s / t : 0) }'; }
t() { # LABEL CMD... : sets secs and rss (KiB)
	label=$1
	shift
	/usr/bin/time -f "%e %M" -o "$W/dossier-time.txt" "$@" > /dev/null 2> "$W/dossier-err.txt"
	st=$?
	# mie-diff exits 1 when the inputs differ, as they do here
	[ $st -eq 0 ] || { [ "$label" = diff ] && [ $st -eq 1 ]; } ||
		echo "$label: failed (exit $st): $(head -3 "$W/dossier-err.txt")" >&2
	set -- $(tail -1 "$W/dossier-time.txt")
	secs=$1 rss=$2
}

# attachments: 16 MiB files of random bytes, and one document record each
F="$W/dossier-files-$MB"
if [ ! -d "$F" ]; then
	mkdir -p "$F/IMG/pdf"
	i=0
	while [ $((i * 16)) -lt "$MB" ]; do
		head -c $((16 << 20)) /dev/urandom > "$F/IMG/pdf/piece-$i.pdf"
		i=$((i + 1))
	done
fi
R="$W/dossier-records-$MB.jsonl"
ls "$F/IMG/pdf" | awk '{ printf "{\"type\":\"document\",\"id\":\"infomie.net:document:%d\",\"file\":\"IMG/pdf/%s\"}\n", NR, $0 }' > "$R"
cat "$F"/IMG/pdf/* > /dev/null # the same page-cache state for every run

echo "## mie-export --to bagit and mie-import --from bagit ($(date -u +%Y-%m-%d), $(nproc) cores, $MB MB of attachments)"
echo ""
echo "| run | seconds | MB/s | peak RSS (KiB) | peer: sha256sum then sha512sum | ratio peer/mie (goal >= 0.8) |"
echo "|---|---|---|---|---|---|"
t peer sh -c "sha256sum '$F'/IMG/pdf/* > /dev/null && sha512sum '$F'/IMG/pdf/* > /dev/null"
pt=$secs
rm -rf "$W/dossier-bag"
t export "$BIN/mie-export" -q --to bagit --files-root "$F" -o "$W/dossier-bag" "$R"
echo "| mie-export --to bagit (folder) | $secs | $(mbs "$MB" "$secs") | $rss | $pt | $(ratio "$pt" "$secs") |"
t import "$BIN/mie-import" -q --from bagit "$W/dossier-bag"
echo "| mie-import --from bagit (verify) | $secs | $(mbs "$MB" "$secs") | $rss | $pt | $(ratio "$pt" "$secs") |"
rm -rf "$W/dossier-bag"
echo ""

A="$W/diff-a-$N.jsonl"
B="$W/diff-b-$N.jsonl"
if [ ! -s "$B" ]; then
	python3 - "$N" "$A" "$B" <<'PY'
import json, random, sys
n, a, b = int(sys.argv[1]), sys.argv[2], sys.argv[3]
rnd = random.Random(14)
words = "mineur isolé étranger droit scolarité accueil protection enfance juge tribunal aide".split()
with open(a, "w") as fa:
    recs = []
    for i in range(n):
        r = {"type": "article", "id": f"infomie.net:article:{i}", "title": f"Article {i}",
             "status": "publie", "text": {"plain": " ".join(rnd.choice(words) for _ in range(30))},
             "provenance": [{"format": "spip-dump", "file": "dump.xml", "line": i + 1}]}
        fa.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")
        if rnd.random() < 0.01:
            r["title"] += " (mis à jour)"
        recs.append(json.dumps(r, ensure_ascii=False, separators=(",", ":")))
rnd.shuffle(recs)
with open(b, "w") as fb:
    fb.write("\n".join(recs) + "\n")
PY
fi
cat "$A" "$B" > /dev/null
echo "## mie-diff ($(date -u +%Y-%m-%d), $N records a side, 1 % changed, B shuffled)"
echo ""
echo "| run | seconds | peak RSS (KiB) | peer: sort A, sort B, diff | ratio mie/peer (goal <= 1.0) |"
echo "|---|---|---|---|---|"
t peer sh -c "LC_ALL=C sort '$A' > '$W/diff-a.sorted' && LC_ALL=C sort '$B' > '$W/diff-b.sorted' && diff '$W/diff-a.sorted' '$W/diff-b.sorted' > /dev/null; true"
pt=$secs
rm -f "$W/diff-a.sorted" "$W/diff-b.sorted"
t diff "$BIN/mie-diff" -q "$A" "$B"
echo "| mie-diff | $secs | $rss | $pt | $(ratio "$secs" "$pt") |"
