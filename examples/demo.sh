#!/bin/sh
# The main job on the sample legacy export: import -> validate -> dedup, in
# both interchange forms, then a dossier (filter -> BagIt -> checked back ->
# diff), an overview page and the offline archive to browse (out/site/),
# into examples/out/.  Run by `make demo`.
# Exit status 1 from a tool means "some data was rejected, the run went on"
# and is expected on legacy data; 2 stops the demo.
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$TOP/bin}
# from the top of the tree: provenance names the inputs by their paths from
# the working folder, so the outputs are the same wherever the tree is
# (with SOURCE_DATE_EPOCH set, the bag's dates too)
cd "$TOP" || exit 2
OUT=examples/out
mkdir -p "$OUT"
step() { # what command...
	what=$1
	shift
	echo "== $what"
	"$@"
	st=$?
	if [ $st -ge 2 ]; then
		echo "demo: $what failed (exit $st)" >&2
		exit 2
	fi
}
step "import the legacy export" "$BIN/mie-import" -o "$OUT/imported.jsonl" \
	--rejects "$OUT/import-rejects.jsonl" examples/infomie-export-2006.zip
step "validate against schema v1" "$BIN/mie-validate" -o "$OUT/valid.jsonl" \
	--rejects "$OUT/invalid.jsonl" "$OUT/imported.jsonl"
step "deduplicate (merge, nothing lost)" "$BIN/mie-dedup" --mode merge \
	--report "$OUT/dedup-report.json" -o "$OUT/records.jsonl" "$OUT/valid.jsonl"
step "the same records as interchange XML" "$BIN/mie-validate" -q --to xml \
	-o "$OUT/records.xml" "$OUT/records.jsonl"
step "a dossier: one section with what it refers to" "$BIN/mie-filter" \
	--section "Droits et procédures" --with-refs --as-dossier "Droits des mineurs" \
	-o "$OUT/dossier.jsonl" "$OUT/records.jsonl"
step "the dossier as a BagIt package, with its attachments" "$BIN/mie-export" --to bagit \
	--files-root examples/files -o "$OUT/dossier.zip" "$OUT/dossier.jsonl"
step "checked and read back as a partner would" "$BIN/mie-import" --from bagit \
	-o "$OUT/dossier-received.jsonl" "$OUT/dossier.zip"
step "nothing changed in transit" "$BIN/mie-diff" "$OUT/dossier.jsonl" "$OUT/dossier-received.jsonl"
step "an overview with charts" "$BIN/mie-stats" --html "$OUT/overview.html" "$OUT/records.jsonl"
step "the offline archive to browse and search" "$BIN/mie-export" -q --to html \
	--title "InfoMIE — archive" --files-root "$TOP/examples/files" -o "$OUT/site" "$OUT/records.jsonl"
echo "== done: $(wc -l < "$OUT/records.jsonl") records in examples/out/records.jsonl and records.xml"
echo "   dedup report: examples/out/dedup-report.json"
echo "   dossier: examples/out/dossier.zip ($(wc -l < "$OUT/dossier.jsonl") records), overview: examples/out/overview.html"
echo "   offline archive (open it in a browser, no server needed): $OUT/site/index.html"
