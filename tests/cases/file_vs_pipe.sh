# The same bytes as a file and through a pipe: every tool gives the same
# stdout, the same stderr (but for the input's name) and the same exit
# status (man/mie-conventions.7).  mie-dedup reads a regular file in place
# and a pipe through a copy: both must take and refuse the same lines.
. "$TOP/tests/lib.sh"

# inputs, named after what they hold
ok='{"type":"article","id":"infomie.net:article:1","title":"L’été à Lyon","text":{"plain":"Un texte"}}'
ok2='{"type":"article","id":"infomie.net:article:2","title":"L’été à Lyon","text":{"plain":"Un texte"}}'
{ echo "$ok"; echo "$ok2"; echo '{"type":"organisation","id":"infomie.net:organisation:1","title":"Maison des jeunes"}'; } > good.jsonl
{ echo "$ok"; echo '{"type":"article","id":"infomie.net:article:3","title":"Un","title":"Deux"}'; echo "$ok2"; } > dupkey.jsonl
{ echo "$ok"; printf '{"type":"article","id":"infomie.net:article:4","title":"\351t\351"}\n'; echo "$ok2"; } > badutf8.jsonl
{
	echo "$ok"
	python3 -c 'print("{\"a\":" + "[" * 100 + "]" * 100 + "}")'
	python3 -c 'print("{\"a\":" + "[" * 3000 + "]" * 3000 + "}")'
	echo "$ok2"
} > deep.jsonl
{
	echo "$ok"
	echo '{"type":"article","id":"infomie.net:article:5","n":1e400}'
	echo '{"type":"article","id":"infomie.net:article:6","n":123456789012345678901234}'
	echo '{"type":"article","id":"infomie.net:article:7","n":01}'
	echo '{"type":"article","id":"infomie.net:article:8","n":-0.5e-7}'
	echo "$ok2"
} > numbers.jsonl
{
	echo "$ok"
	echo '{"type":"article","id":"infomie.net:article:9","title":"a\u0000b"}'
	echo '{"type":"article","id":"infomie.net:article:10","title":"\ud800"}'
	printf '{"type":"article","id":"infomie.net:article:11","title":"x\ty"}\n'
	echo '{"type":"article","id":"infomie.net:article:12","t\u0069tle":"x","title":"y"}'
	echo "$ok2"
} > strings.jsonl
printf '\357\273\277%s\r\n\r\n  \n%s\r\n' "$ok" "$ok2" > bom-crlf.jsonl
: > empty.jsonl
printf '\211PNG\r\n\032\n\000\000\000\rIHDR\377\376\n' > garbage.jsonl
head -c 150 good.jsonl > cut.jsonl
i=0
while [ $i -lt 3000 ]; do
	i=$((i + 1))
	echo "{\"type\":\"article\",\"id\":\"infomie.net:article:$i\",\"title\":\"Numéro $i\",\"text\":{\"plain\":\"Le texte $i\"}}"
done | gzip -c > big.jsonl.gz
head -c 20000 big.jsonl.gz > cutgz.jsonl.gz
printf '<?xml version="1.0" encoding="utf-8"?>\n<SPIP version="1.9.1" version_base="1.917" version_archive="1.3">\n<spip_articles>\n<id_article>1</id_article>\n<titre>Été</titre>\n<statut>publie</statut>\n</spip_articles>\n</SPIP>\n' > dump.xml

# same TOOL-ARGS... INPUT: runs once on the file, once on a pipe
same() {
	in=$1
	shift
	name="$* < $in"
	"$@" "$in" > f.out 2> f.err
	frc=$?
	cat "$in" | "$@" > p.out 2> p.err
	prc=$?
	# the name of the input is the only difference allowed
	# (and mie-import's summary, which names "-" for any input today)
	for f in f.out f.err; do
		sed -i "s|$in|NAME|g; s|^\\([a-z-]*\\): -: |\\1: NAME: |" $f
	done
	for f in p.out p.err; do
		sed -i 's|(stdin)|NAME|g; s|"file":"-"|"file":"NAME"|g; s|^\([a-z-]*\): -: |\1: NAME: |' $f
	done
	check_eq "$name: exit" "$frc" "$prc"
	# a cut gzip pipe too is read on to its last complete line, from the
	# copy of its bytes (mie_stdin_open), as the file is
	check_same "$name: stdout" f.out p.out
	check_same "$name: stderr" f.err p.err
}

for in in good.jsonl dupkey.jsonl badutf8.jsonl deep.jsonl numbers.jsonl strings.jsonl \
	bom-crlf.jsonl empty.jsonl garbage.jsonl cut.jsonl big.jsonl.gz cutgz.jsonl.gz; do
	same "$in" "$BIN/mie-cat"
	same "$in" "$BIN/mie-cat" --to xml
	same "$in" "$BIN/mie-validate"
	same "$in" "$BIN/mie-dedup"
	same "$in" "$BIN/mie-dedup" --to xml
	same "$in" "$BIN/mie-dedup" --mode merge
	same "$in" "$BIN/mie-dedup" --mode drop --methods identity,exact
	same "$in" "$BIN/mie-export" --to jsonl
	same "$in" "$BIN/mie-export" --to csv
	# an empty stream through a pipe reaches mie-import's sniffing, which
	# says "not a format" (exit 1) where an empty file has "no records"
	# (exit 0): the importer's own messages are to change (issue 10)
	same "$in" "$BIN/mie-import"
done
same dump.xml "$BIN/mie-import"
same dump.xml "$BIN/mie-cat"

# what dedup takes is what the JSON Lines reader takes: the records mie-cat
# passes are the ones dedup reads, from a file as from a pipe
for in in dupkey.jsonl badutf8.jsonl deep.jsonl numbers.jsonl strings.jsonl bom-crlf.jsonl; do
	"$BIN/mie-cat" "$in" 2> cat.err > /dev/null
	"$BIN/mie-dedup" "$in" 2> dedup.err > /dev/null
	sed -i 's/^mie-cat: //' cat.err
	sed -i '/records read/d; s/^mie-dedup: //' dedup.err
	check_same "dedup refuses what the reader refuses: $in" cat.err dedup.err
done
# mie-export parses JSON Lines on worker threads: the same records, bytes
# and messages as mie-cat, in the same order
for in in good.jsonl dupkey.jsonl badutf8.jsonl deep.jsonl numbers.jsonl strings.jsonl \
	bom-crlf.jsonl empty.jsonl garbage.jsonl cut.jsonl big.jsonl.gz cutgz.jsonl.gz; do
	"$BIN/mie-cat" "$in" 2> cat.err > cat.out
	"$BIN/mie-export" --to jsonl "$in" 2> export.err > export.out
	sed -i 's/^mie-cat: /mie-export: /' cat.err
	check_same "mie-export reads what mie-cat reads: $in" cat.out export.out
	check_same "mie-export says what mie-cat says: $in" cat.err export.err
done
# the summary counts a refused record as read
printf '%s\n' '{"type":"article","id":"infomie.net:article:3","title":"Un","title":"Deux"}' > one-bad.jsonl
run "$BIN/mie-dedup" one-bad.jsonl
check_exit "one refused record: exit" 1
check_text "one refused record: counted as read" 'mie-dedup: one-bad.jsonl:1: column 67: duplicate key
mie-dedup: 1 records read, 0 clusters, 0 duplicates, 0 written' err
# --to xml never writes an empty record for a refused line, merge never
# fails on one
run "$BIN/mie-dedup" --to xml badutf8.jsonl
check_exit "invalid UTF-8, --to xml: exit" 1
check_nogrep "invalid UTF-8, --to xml: no empty record" "<record></record>" out
run "$BIN/mie-dedup" --mode merge badutf8.jsonl
check_exit "invalid UTF-8, merge: exit" 1
check_nogrep "invalid UTF-8, merge: no spill error" "spill file" err
# a stream of several chunks (mie-dedup copies a pipe and scans it 8 MB at a
# time, two chunks at once): the same verdicts, lines and order as the file
python3 - <<'PY' > chunks.jsonl
import sys
out = sys.stdout.buffer
for i in range(1, 200001):
    if i == 40000:
        out.write(b'{"type":"article","id":"x","id":"y"}\n')
    elif i == 150001:
        out.write(b'{"type":"article","title":"\xe9t\xe9"}\n')
    else:
        t = "Texte %d de la rubrique jeunesse" % (i % 9000)
        out.write(('{"type":"article","id":"infomie.net:article:%d","title":"Titre %d",'
                   '"text":{"plain":"%s"}}\n' % (i, i % 9000, t)).encode())
PY
same chunks.jsonl "$BIN/mie-dedup" --methods identity,exact
same chunks.jsonl "$BIN/mie-dedup" --methods identity,exact --mode drop
same chunks.jsonl "$BIN/mie-dedup" --mode merge
