# The tool contract (man/mie-conventions.7), one table over every tool:
# help, version, a bad option, /dev/full as stdout and as -o, | head -1, an
# empty input, an empty folder, a missing file, a directory, binary garbage,
# - for stdin.  Exact messages and exit codes.  mie-diff, which takes two
# inputs, has its own block at the end.
#
# A new tool adds one line to TOOLS: its name, then "stream" (it reads record
# streams: a directory is an error), "summary" (the same, but what it writes
# is a summary of its input: a few lines, written at the end, even of an
# empty input) or "import" (it reads folders and legacy formats), then the input its tests feed it (a file made below, or its own),
# then the arguments it always needs, if any.
. "$TOP/tests/lib.sh"
TOOLS="mie-cat stream records.jsonl
mie-validate stream records.jsonl
mie-dedup stream records.jsonl
mie-import import dump.xml
mie-export stream records.jsonl --to jsonl
mie-filter stream records.jsonl
mie-stats summary records.jsonl"

# inputs every tool is given
i=0
while [ $i -lt 20000 ]; do
	i=$((i + 1))
	echo "{\"type\":\"article\",\"id\":\"infomie.net:article:$i\",\"title\":\"Article numéro $i\"}"
done > records.jsonl
{
	echo '<?xml version="1.0" encoding="utf-8"?>'
	echo '<SPIP version="1.9.1" version_base="1.917" version_archive="1.3">'
	i=0
	while [ $i -lt 20000 ]; do
		i=$((i + 1))
		printf '<spip_articles>\n<id_article>%d</id_article>\n<titre>Article numéro %d</titre>\n' $i $i
		printf '<texte>{{Tout mineur}} a droit à l%séducation.</texte>\n' "'"
		printf '<date>2006-12-05 14:03:00</date>\n<statut>publie</statut>\n</spip_articles>\n'
	done
	echo '</SPIP>'
} > dump.xml
: > empty
mkdir emptydir fulldir
cp dump.xml fulldir/
# binary garbage, the same bytes every run
printf '\211PNG\r\n\032\n\000\000\000\rIHDR\377\376\375\n\200\201 garbage\n' > garbage.bin

echo "$TOOLS" | while read -r tool kind input args; do
	T="$BIN/$tool"
	if [ -n "$args" ]; then
		printf '#!/bin/sh\nexec "%s" %s "$@"\n' "$T" "$args" > "$tool.args"
		chmod +x "$tool.args"
		T="$PWD/$tool.args"
	fi
	t=$tool
	run "$T" --help
	check_exit "$t --help exit" 0
	check_eq "$t --help starts with Usage" "Usage: $tool " "$(head -1 out | cut -c1-$((${#tool} + 8)))"
	check_empty "$t --help stderr" err
	run "$T" --version
	check_exit "$t --version exit" 0
	check_text "$t --version text" "$tool 1.0.0 (interchange schema v1)" out
	run "$T" --no-such-option
	check_exit "$t bad option exit" 2
	check_text "$t bad option message" "$tool: unknown option \"--no-such-option\"
Try '$tool --help' for more information." err
	check_empty "$t bad option stdout" out

	# a full disk, as stdout and as -o: one message, exit 2
	for args in "--help" "--version" "-q $input"; do
		"$T" $args > /dev/full 2> err
		rc=$?
		check_exit "$t $args > /dev/full exit" 2
		check_text "$t $args > /dev/full message" "$tool: (stdout): write error: No space left on device" err
	done
	run "$T" -q -o /dev/full "$input"
	check_exit "$t -o /dev/full exit" 2
	check_text "$t -o /dev/full message" "$tool: /dev/full: write error: No space left on device" err
	# -o stays atomic: a failed run leaves the previous file as it was
	echo previous > kept
	run "$T" -q -o kept "$input" absent
	check_exit "$t failed -o exit" 2
	check_text "$t failed -o keeps the previous file" "previous" kept

	# | head -1: the first record, no message, killed quietly by SIGPIPE
	{
		"$T" "$input" 2> err
		echo $? > rc
	} | head -1 > out
	if [ "$kind" = summary ]; then # a summary fits in the pipe: written whole before head exits
		check_eq "$t | head -1 exit" 0 "$(cat rc)"
	else
		check_eq "$t | head -1 exit" 141 "$(cat rc)"
	fi
	check_empty "$t | head -1 stderr" err
	check_eq "$t | head -1 one line" 1 "$(wc -l < out)"

	# an empty input: 0 records, exit 0, one warning first
	run "$T" empty
	check_exit "$t empty file exit" 0
	[ "$kind" = summary ] || check_empty "$t empty file stdout" out
	check_eq "$t empty file warning" "$tool: empty: no records" "$(head -1 err)"
	run "$T" < empty
	check_exit "$t empty stdin exit" 0
	check_eq "$t empty stdin warning" "$tool: (stdin): no records" "$(head -1 err)"

	# a missing file
	run "$T" absent
	check_exit "$t missing file exit" 2
	check_text "$t missing file message" "$tool: absent: cannot open: No such file or directory" err

	# folders
	if [ "$kind" != import ]; then
		run "$T" emptydir
		check_exit "$t empty folder exit" 2
		check_text "$t empty folder message" "$tool: emptydir: is a directory" err
		run "$T" fulldir
		check_exit "$t directory exit" 2
		check_text "$t directory message" "$tool: fulldir: is a directory" err
	else
		run "$T" emptydir
		check_exit "$t empty folder exit" 0
		check_eq "$t empty folder warning" "$tool: emptydir: no records (empty folder)" "$(head -1 err)"
		run "$T" -q fulldir
		check_exit "$t directory exit" 0
		check_eq "$t directory: its file read" 20000 "$(wc -l < out)"
	fi

	# binary garbage: errors at FILE:LINE (stream tools), exit 1
	if [ "$kind" != import ]; then
		run "$T" -q garbage.bin
		check_exit "$t garbage exit" 1
		check_text "$t garbage messages" "$tool: garbage.bin:1: column 0: invalid UTF-8
$tool: garbage.bin:2: column 1: '[' or '{' expected near '\\x1a'
$tool: garbage.bin:3: column 1: '[' or '{' expected near end of file
$tool: garbage.bin:4: column 0: invalid UTF-8" err
	else
		run "$T" garbage.bin
		check_exit "$t garbage exit" 1
		check_grep "$t garbage message names the file" "$tool: garbage.bin: " err
	fi

	# - is standard input: the same output as the file (but for the name
	# a record's provenance gives)
	"$T" -q "$input" 2>/dev/null | sed 's/"file":"[^"]*"/"file":F/g' > byname
	run sh -c "'$T' -q - < '$input'"
	check_exit "$t - exit" 0
	sed -i 's/"file":"[^"]*"/"file":F/g' out
	check_same "$t - reads stdin" byname out
done

# mie-diff takes two inputs, A and B, and exits as diff(1) does: 0 the same
# records, 1 differences, 2 trouble (an input it cannot read whole, garbage
# included: a difference it cannot vouch for).  The same contract otherwise.
t=mie-diff
T="$BIN/mie-diff"
run "$T" --help
check_exit "$t --help exit" 0
check_eq "$t --help starts with Usage" "Usage: mie-diff " "$(head -1 out | cut -c1-16)"
run "$T" --version
check_text "$t --version text" "mie-diff 1.0.0 (interchange schema v1)" out
run "$T" --no-such-option
check_exit "$t bad option exit" 2
check_text "$t bad option message" "mie-diff: unknown option \"--no-such-option\"
Try 'mie-diff --help' for more information." err
for args in "--help" "--version" "-q empty records.jsonl"; do
	"$T" $args > /dev/full 2> err
	check_exit "$t $args > /dev/full exit" 2
	check_text "$t $args > /dev/full message" "mie-diff: (stdout): write error: No space left on device" err
done
run "$T" -q -o /dev/full empty records.jsonl
check_exit "$t -o /dev/full exit" 2
check_text "$t -o /dev/full message" "mie-diff: /dev/full: write error: No space left on device" err
echo previous > kept
run "$T" -q -o kept empty absent
check_exit "$t failed -o exit" 2
check_text "$t failed -o keeps the previous file" "previous" kept
{
	"$T" empty records.jsonl 2> err
	echo $? > rc
} | head -1 > out
check_eq "$t | head -1 exit" 141 "$(cat rc)"
check_text "$t | head -1 stderr: only the empty side's warning" "mie-diff: empty: no records" err
check_eq "$t | head -1 one line" 1 "$(wc -l < out)"
run "$T" empty empty
check_exit "$t empty inputs exit" 0
check_empty "$t empty inputs stdout" out
check_eq "$t empty inputs warning" "mie-diff: empty: no records" "$(head -1 err)"
run "$T" records.jsonl absent
check_exit "$t missing file exit" 2
check_text "$t missing file message" "mie-diff: absent: cannot open: No such file or directory" err
run "$T" records.jsonl fulldir
check_exit "$t directory exit" 2
check_text "$t directory message" "mie-diff: fulldir: is a directory" err
run "$T" -q records.jsonl garbage.bin
check_exit "$t garbage exit" 2
check_grep "$t garbage messages at FILE:LINE" "mie-diff: garbage.bin:1: column 0: invalid UTF-8" err
run sh -c "'$T' -q - records.jsonl < records.jsonl"
check_exit "$t - reads stdin" 0
check_empty "$t - reads stdin: no difference" out
