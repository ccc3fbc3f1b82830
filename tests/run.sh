#!/bin/sh
# tests/run.sh — runs the unit tests and every tests/cases/*.sh, then prints
# "N passed, N failed".  Usage: BIN=build/rel/bin sh tests/run.sh [CASE...]
# The cases run $MIE_TEST_JOBS at a time (default: the number of processors),
# each in its own folder; a case's FAIL lines are printed when it ends.
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$TOP/bin}
export TOP BIN
LC_ALL=C.UTF-8
export LC_ALL

# sh tests/run.sh --case WORK NAME COMMAND...: one case, called by the loop below
if [ "${1:-}" = "--case" ]; then
	work=$2 name=$3
	shift 3
	dir="$work/$name"
	mkdir -p "$dir"
	(cd "$dir" && "$@") > "$dir/.log" 2>&1
	status=$?
	grep -E '^(PASS|FAIL) ' "$dir/.log" | sed "s|^\(PASS\|FAIL\) |\1 $name: |" > "$dir/.results"
	grep -E '^FAIL ' "$dir/.log" | sed "s|^|$name: |"
	if [ $status -ne 0 ] && ! grep -q '^FAIL ' "$dir/.log"; then
		echo "FAIL $name: script exited $status" | tee -a "$dir/.results"
		tail -5 "$dir/.log"
	fi
	exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/mie-tests.XXXXXX")
jobs=${MIE_TEST_JOBS:-$(nproc 2>/dev/null || echo 1)}
MIE_TEST_WORK=$work
export MIE_TEST_WORK
{
	if [ $# -eq 0 ]; then
		printf '%s\n' "unit"
		set -- "$TOP"/tests/cases/*.sh
	fi
	for f in "$@"; do
		case $f in /*) ;; *) f="$PWD/$f" ;; esac
		[ -f "$f" ] && printf '%s\n' "$f"
	done
} | while read -r f; do
	if [ "$f" = unit ]; then
		printf '%s\0%s\0' unit "$BIN/unit-tests"
	else
		printf '%s\0%s\0' "$(basename "$f" .sh)" "$f"
	fi
done | xargs -0 -n 2 -P "$jobs" sh -c '
	case $2 in
	*.sh) exec sh "$0" --case "$MIE_TEST_WORK" "$1" timeout 600 sh "$2" ;;
	*) exec sh "$0" --case "$MIE_TEST_WORK" "$1" "$2" ;;
	esac' "$TOP/tests/run.sh"

cat "$work"/*/.results > "$work/.all" 2>/dev/null
passed=$(grep -c '^PASS ' "$work/.all")
failed=$(grep -c '^FAIL ' "$work/.all")
if [ "$failed" -eq 0 ]; then rm -rf "$work"; else echo "kept: $work"; fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
