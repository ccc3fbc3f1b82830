# Progress (core/mie_progress): named after its tool; drawn in place only on
# a terminal, by the last tool of a pipeline; with --progress into a file
# or a pipe, plain lines without escape codes; a percentage and an ETA when
# the size is known; every long phase shown.  Terminals are real ones:
# script(1) from util-linux gives the tools a pty.
. "$TOP/tests/lib.sh"
V="$BIN/mie-validate"
I="$BIN/mie-import"
D="$BIN/mie-dedup"
esc=$(printf '\033')
cr=$(printf '\r')

for i in $(seq 1 600); do
	printf '{"type":"article","id":"a:article:%d","title":"Accueil des mineurs %d"}\n' "$i" "$i"
done > a.jsonl
{ cat a.jsonl; sed 's/article:/article:b/' a.jsonl; } > two.jsonl

# ---- into a file: nothing by default; with --progress, plain lines ----
run "$V" two.jsonl; check_exit "default into a file: exit" 0
check_text "default into a file: no progress" 'mie-validate: 1200 records read, 1200 valid, 0 invalid, 0 dangling references' err
run "$V" --progress two.jsonl
check_nogrep "--progress into a file: no escape code" "$esc" err
check_nogrep "--progress into a file: no carriage return" "$cr" err
check_eq "--progress into a file: the last line of the phase, named, 100 %" 1 \
	"$(grep -cE '^mie-validate: 1 200 records, 100 %, [0-9]+\.[0-9] MB/s$' err)"
# a pipe of unknown size: records/s, and a line every 2 seconds
sh -c "(cat a.jsonl; sleep 2.3; sed 's/article:/article:c/' a.jsonl) | '$V' --progress > /dev/null 2> slow.err"
check_eq "--progress from a pipe: periodic lines, records/s, no percentage" 1 \
	"$([ "$(grep -cE '^mie-validate: [0-9 ]+ records?, [0-9 ]+ records/s(, [0-9.]+ MB/s)?$' slow.err)" -ge 2 ] && ! grep -q % slow.err && echo 1 || cat slow.err)"

# ---- on a terminal: drawn in place, erased before the summary ----
script -qfc "sh -c \"(cat a.jsonl; sleep 1; sed 's/article:/article:c/' a.jsonl) | '$V' > /dev/null\"" /dev/null > tty1
check_grep "terminal: drawn in place, named" "${cr}mie-validate: " tty1
check_grep "terminal: the rest of the line erased" "${esc}[K" tty1
check_grep "terminal: erased before the summary" "${cr}${esc}[Kmie-validate: 1200 records read" tty1
python3 -c "
text = 'accueil des mineurs isolés ' * 80
for i in range(1, 15001):
    print('{\"type\":\"article\",\"id\":\"a:article:%d\",\"title\":\"Page %d\",\"text\":{\"plain\":\"%s\"}}' % (i, i, text))" > big.jsonl
script -qfc "'$V' big.jsonl > /dev/null" /dev/null > tty2
check_eq "terminal, known size: percentage and ETA" 1 \
	"$(tr '\r' '\n' < tty2 | grep -qE '^mie-validate: [0-9 ]+ records, [0-9]+ %, [0-9.]+ MB/s, ETA [0-9]+:[0-9][0-9]' && echo 1 || cat -v tty2 | head -5)"

# ---- a pipeline on a terminal: only the last tool draws ----
printf 'Nom;Ville\n' > h.csv
for i in $(seq 1 700); do printf 'Foyer %d;Lyon\n' "$i"; done > r1.csv
for i in $(seq 701 1400); do printf 'Foyer %d;Lyon\n' "$i"; done > r2.csv
script -qfc "sh -c \"(cat h.csv r1.csv; sleep 1; cat r2.csv) | '$I' --from csv | '$V' > /dev/null\"" /dev/null > tty3
check_grep "pipeline: the last tool draws" "${cr}mie-validate: " tty3
check_eq "pipeline: the first tool does not, by default" 0 "$(grep -c 'mie-import: [0-9]' tty3)"
script -qfc "sh -c \"(cat h.csv r1.csv; sleep 1; cat r2.csv) | '$I' --progress --from csv | '$V' > /dev/null\"" /dev/null > tty4
grep -ao "mie-import: [0-9][^$esc$cr]*$cr*" tty4 > lines4 || true
check_eq "pipeline, --progress: the first tool prints whole lines" 1 \
	"$([ -s lines4 ] && ! grep -qv "$cr\$" lines4 && echo 1 || cat -v tty4 | head -5)"
check_grep "pipeline, --progress: each over the drawn line, not beside it" "${cr}${esc}[Kmie-import: " tty4

# ---- every long phase: dedup's clustering and writing, a dump's building ----
run "$D" --progress two.jsonl; check_exit "dedup phases: exit" 0
check_eq "dedup: reading, clustering and writing shown" 'mie-dedup: clustering: 100 %
mie-dedup: writing: 100 %' "$(grep -E 'clustering|writing' err)"
check_eq "dedup: the reading phase shown" 1 "$(grep -cE '^mie-dedup: [0-9 ]*(records, )?100 %' err)"
cp "$TOP/examples/sample/dump.xml.gz" .
run "$I" --progress -o out.jsonl dump.xml.gz; check_exit "import phases: exit" 0
check_eq "import: the dump's reading shown with its size" 1 "$(grep -cE '^mie-import: 100 %, [0-9.]+ MB/s$' err)"
check_eq "import: the records' building shown" 1 "$(grep -cE '^mie-import: building records: 65 records, [0-9 ]+ records/s$' err)"
run "$I" --no-progress -o out.jsonl dump.xml.gz
check_eq "--no-progress: nothing" 0 "$(grep -c 'building records' err)"
