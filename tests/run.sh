#!/bin/sh
# tests/run.sh — runs the unit tests and every tests/cases/*.sh, then prints
# "N passed, N failed".  Usage: BIN=build/rel/bin sh tests/run.sh [CASE...]
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$TOP/bin}
export TOP BIN
LC_ALL=C.UTF-8
export LC_ALL
results=$(mktemp)
work=$(mktemp -d "${TMPDIR:-/tmp}/mie-tests.XXXXXX")

run_case() { # name command...
	name=$1
	shift
	dir="$work/$name"
	mkdir -p "$dir"
	(cd "$dir" && "$@") > "$dir/.log" 2>&1
	status=$?
	grep -E '^(PASS|FAIL) ' "$dir/.log" | sed "s|^\(PASS\|FAIL\) |\1 $name: |" >> "$results"
	grep -E '^FAIL ' "$dir/.log" | sed "s|^|$name: |"
	if [ $status -ne 0 ] && ! grep -q '^FAIL ' "$dir/.log"; then
		echo "FAIL $name: script exited $status" | tee -a "$results"
		tail -5 "$dir/.log"
	fi
}

if [ $# -eq 0 ]; then
	run_case unit "$BIN/unit-tests"
	set -- "$TOP"/tests/cases/*.sh
fi
for f in "$@"; do
	case $f in /*) ;; *) f="$PWD/$f" ;; esac
	[ -f "$f" ] || continue
	run_case "$(basename "$f" .sh)" timeout 600 sh "$f"
done

passed=$(grep -c '^PASS ' "$results")
failed=$(grep -c '^FAIL ' "$results")
if [ "$failed" -eq 0 ]; then rm -rf "$work"; else echo "kept: $work"; fi
rm -f "$results"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
