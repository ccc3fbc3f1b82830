#!/bin/sh
# tests/valgrind.sh — valgrind's memcheck over the sample pipeline: the
# README's pipeline on examples/ (import -> validate -> dedup), then every
# other tool on its output, each run under memcheck with --error-exitcode, so
# an invalid read, a use of uninitialised memory or a definite leak fails it.
# tcmalloc, linked into mie-import, is made visible to memcheck
# (--soname-synonyms) and its own start-up allocation is suppressed by
# tests/valgrind.supp, nothing else.  Run by .ci/run on the release build.
# Usage: BIN=build/rel/bin sh tests/valgrind.sh; prints one line per step and
# exits 1 if a step failed.
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$TOP/bin}
EX=$TOP/examples
work=$(mktemp -d "${TMPDIR:-/tmp}/mie-valgrind.XXXXXX")
VG="valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect
	--track-origins=yes --soname-synonyms=somalloc=*tcmalloc* --suppressions=$TOP/tests/valgrind.supp"

# step NAME TOOL ARGS... : the tool under memcheck; its own exit status 0 or
# 1 (legacy data has rejects) is fine, 99 is memcheck's, anything else fails
step() {
	name=$1 tool=$2
	shift 2
	$VG "$BIN/$tool" "$@" 2> "$work/$name.err"
	st=$?
	if [ $st -le 1 ]; then
		echo "PASS valgrind $name"
	else
		echo "FAIL valgrind $name: exit $st"
		grep -v "^$tool: " "$work/$name.err" | head -40
		: > "$work/failed"
	fi
}

cd "$work" || exit 2
# the README's pipeline, one tool at a time so each runs under memcheck
step import mie-import -o imported.jsonl --rejects import-rejects.jsonl "$EX/infomie-export-2006.zip"
step import-folder mie-import -o folder.jsonl "$EX/sample"
step validate mie-validate -o valid.jsonl --rejects invalid.jsonl imported.jsonl
step dedup mie-dedup --mode merge --report dedup-report.json -o records.jsonl valid.jsonl
cat valid.jsonl | step dedup-pipe mie-dedup -o /dev/null -
step cat-xml mie-cat --to xml -o records.xml records.jsonl
step cat-back mie-cat -o back.jsonl records.xml
step filter mie-filter --section "Droits et procédures" --with-refs \
	--as-dossier "Droits des mineurs" -o dossier.jsonl records.jsonl
step export-csv mie-export --to csv -o tables records.jsonl
step export-sqlite mie-export --to sqlite -o records.sqlite records.jsonl
step export-spip-dump mie-export --to spip-dump -o dump.xml records.jsonl
step export-bagit mie-export --to bagit --files-root "$EX/files" -o dossier.zip dossier.jsonl
step import-bagit mie-import --from bagit -o received.jsonl dossier.zip
step diff mie-diff -o diff.jsonl dossier.jsonl received.jsonl
step stats mie-stats --html overview.html -o stats.txt records.jsonl
cd / || exit 2
if [ -e "$work/failed" ]; then
	echo "kept: $work"
	exit 1
fi
rm -rf "$work"
