# Outputs (io/mie_output.h, man/mie-conventions.7): the mode of -o files,
# the one rule that an output is neither an input nor another output, files
# that are written in place (devices, /dev/stdout), the temporary file of an
# output on every fatal signal, and the smaller edge cases of option values.
. "$TOP/tests/lib.sh"
V="$BIN/mie-validate"
printf '%s\n' '{"type":"article","id":"infomie.net:article:1","title":"Droits des mineurs"}' \
	'{"type":"article","id":"pas-un-id","title":"Sans identifiant"}' > in.jsonl
cp in.jsonl in.orig
mode() { stat -c %a "$1"; }

# ---- modes: the umask for a new file, the old mode for a replaced one ----
(umask 077 && "$V" -q in.jsonl -o private.jsonl 2> err)
check_eq "umask 077: new -o file is 600" 600 "$(mode private.jsonl)"
(umask 022 && "$V" -q in.jsonl -o public.jsonl 2> err)
check_eq "umask 022: new -o file is 644" 644 "$(mode public.jsonl)"
(umask 027 && "$V" -q in.jsonl --rejects rej.jsonl -o /dev/null 2> err)
check_eq "umask 027: new --rejects file is 640" 640 "$(mode rej.jsonl)"
echo previous > kept.jsonl
chmod 600 kept.jsonl
(umask 022 && "$V" -q in.jsonl -o kept.jsonl 2> err)
check_eq "a replaced 0600 file stays 600" 600 "$(mode kept.jsonl)"
check_eq "a replaced file has the new content" 1 "$(wc -l < kept.jsonl)"
chmod 664 kept.jsonl
(umask 077 && "$V" -q in.jsonl -o kept.jsonl 2> err)
check_eq "a replaced 0664 file stays 664 under umask 077" 664 "$(mode kept.jsonl)"

# ---- an output is neither an input nor another output ----
refused() { # name expected-message command...
	n=$1 m=$2
	shift 2
	run "$@"
	check_exit "$n: exit" 2
	check_text "$n: message" "$m
Try '${m%%:*} --help' for more information." err
	check_empty "$n: stdout" out
	check_same "$n: input untouched" in.orig in.jsonl
}
refused "--rejects at the input" \
	'mie-validate: --rejects "in.jsonl" is the same file as the input "in.jsonl"' \
	"$V" in.jsonl --rejects in.jsonl
mkdir sub
refused "--rejects at the input, another spelling" \
	'mie-validate: --rejects "./sub/../in.jsonl" is the same file as the input "in.jsonl"' \
	"$V" in.jsonl --rejects ./sub/../in.jsonl -o /dev/null
ln in.jsonl hard.jsonl
refused "--rejects at a hard link of the input" \
	'mie-validate: --rejects "hard.jsonl" is the same file as the input "in.jsonl"' \
	"$V" in.jsonl --rejects hard.jsonl
ln -s in.jsonl link.jsonl
refused "-o at a symbolic link to the input" \
	'mie-validate: -o "link.jsonl" is the same file as the input "in.jsonl"' \
	"$V" in.jsonl -o link.jsonl
refused "-o and --rejects one new file" \
	'mie-validate: --rejects "./both.jsonl" is the same file as -o "both.jsonl"' \
	"$V" in.jsonl -o both.jsonl --rejects ./both.jsonl
check_eq "-o and --rejects one new file: nothing created" "" "$(ls -a | grep both)"
refused "two outputs on standard output" \
	'mie-validate: standard output is the same file as --rejects "-" (standard output)' \
	"$V" in.jsonl --rejects -
refused "-o at standard input" \
	'mie-validate: -o "in.jsonl" is the same file as standard input' \
	sh -c "exec '$V' -o in.jsonl < in.jsonl"
: > redirected
refused "--rejects at the file standard output goes to" \
	'mie-validate: standard output is the same file as --rejects "redirected"' \
	sh -c "exec '$V' in.jsonl --rejects redirected > redirected"
refused "mie-import --rejects at the input" \
	'mie-import: --rejects "in.jsonl" is the same file as the input "in.jsonl"' \
	"$BIN/mie-import" in.jsonl --rejects in.jsonl
refused "mie-dedup --report at -o" \
	'mie-dedup: --report "r.jsonl" is the same file as -o "r.jsonl"' \
	"$BIN/mie-dedup" in.jsonl -o r.jsonl --report r.jsonl
refused "mie-export --report at the input" \
	'mie-export: --report "in.jsonl" is the same file as the input "in.jsonl"' \
	"$BIN/mie-export" --to csv in.jsonl -o out.csv --report in.jsonl
refused "mie-stats --html at -o" \
	'mie-stats: --html "s.html" is the same file as -o "s.html"' \
	"$BIN/mie-stats" in.jsonl -o s.html --html s.html
refused "mie-diff -o at its second input" \
	'mie-diff: -o "in.jsonl" is the same file as the input "in.jsonl"' \
	"$BIN/mie-diff" -o in.jsonl in.orig in.jsonl
refused "mie-filter -o at its --ids file" \
	'mie-filter: -o "in.jsonl" is the same file as the input "in.jsonl"' \
	"$BIN/mie-filter" --ids in.jsonl in.orig -o in.jsonl
# character devices are never "the same file": /dev/null twice is fine
run "$V" -q in.jsonl -o /dev/null --rejects /dev/null
check_exit "-o /dev/null --rejects /dev/null: exit" 1
check_empty "-o /dev/null --rejects /dev/null: stdout" out
# reading one file twice is fine
run "$V" -q in.jsonl in.jsonl
check_exit "one input twice: exit" 1

# ---- /dev/stdout, /dev/stderr: written through the descriptor ----
echo "first line" > appended
"$V" -q in.jsonl -o /dev/stdout >> appended 2> err
rc=$?
check_exit "-o /dev/stdout >> file: exit" 1
check_text "-o /dev/stdout >> file: appended, not replaced" 'first line
{"type":"article","id":"infomie.net:article:1","title":"Droits des mineurs"}' appended
check_eq "-o /dev/stdout: /dev/stdout is still a link" "/proc/self/fd/1" "$(readlink /dev/stdout)"
check_eq "-o /dev/stdout: no temporary file in /dev" "" "$(ls -a /dev | grep '^\.stdout\.')"
"$V" -q in.jsonl -o /dev/null --rejects /dev/stderr 2> rejected
check_text "--rejects /dev/stderr: the rejected record on stderr" \
	'mie-validate: in.jsonl:2: pas-un-id: id: not an id (SITE:TYPE:LOCAL): "pas-un-id"
{"type":"article","id":"pas-un-id","title":"Sans identifiant"}' rejected
mkfifo pipe
cat pipe > from-pipe &
"$V" -q in.jsonl -o pipe 2> err
wait
check_eq "-o FIFO: written in place" 1 "$(wc -l < from-pipe)"
check_eq "-o FIFO: still a FIFO" fifo "$(stat -c %F pipe)"

# ---- signals: no temporary file left, ignored signals stay ignored ----
rm -f pipe && mkfifo pipe
killed() { # name signal expected-exit
	# (under SANITIZE=1, ASan would catch SIGBUS as a crash of its own)
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}handle_sigbus=0" "$V" -q pipe -o killed.jsonl 2> err &
	p=$!
	exec 3> pipe
	echo '{"type":"article","id":"infomie.net:article:1","title":"Un"}' >&3
	sleep 0.3
	kill -s "$2" $p
	wait $p
	rc=$?
	exec 3>&-
	check_exit "$1: exit" "$3"
	check_eq "$1: no temporary file" "" "$(ls -a | grep '^\.killed')"
	check_eq "$1: no output" "" "$(ls -a | grep '^killed')"
}
killed "SIGTERM" TERM 143
killed "SIGHUP" HUP 129
killed "SIGUSR1" USR1 138
killed "SIGBUS" BUS 135
killed "SIGALRM" ALRM 142
# nohup: SIGHUP ignored at start-up stays ignored, the run completes
(trap '' HUP && exec "$V" -q pipe -o nohup.jsonl 2> err) &
p=$!
exec 3> pipe
sleep 0.3
kill -s HUP $p
echo '{"type":"article","id":"infomie.net:article:1","title":"Un"}' >&3
exec 3>&-
wait $p
rc=$?
check_exit "SIGHUP ignored at start-up: exit" 0
check_eq "SIGHUP ignored at start-up: output written" 1 "$(wc -l < nohup.jsonl)"
(trap '' INT && exec "$V" -q pipe -o noint.jsonl 2> err) &
p=$!
exec 3> pipe
sleep 0.3
kill -s INT $p
echo '{"type":"article","id":"infomie.net:article:1","title":"Un"}' >&3
exec 3>&-
wait $p
rc=$?
check_exit "SIGINT ignored at start-up: exit" 0
# a file size limit (SIGXFSZ): 4 MB of records, at most 100 blocks written
i=0
while [ $i -lt 40000 ]; do
	i=$((i + 1))
	echo "{\"type\":\"article\",\"id\":\"infomie.net:article:$i\",\"title\":\"Article numéro $i\"}"
done > big.jsonl
(ulimit -f 100 && exec "$BIN/mie-cat" big.jsonl -o limited.jsonl 2> err)
rc=$?
check_exit "ulimit -f: killed by SIGXFSZ" 153
check_eq "ulimit -f: no temporary file" "" "$(ls -a | grep '^\.limited')"

# ---- option values ----
run "$V" in.jsonl -o ''
check_exit "-o '': exit" 2
check_text "-o '': message" "mie-validate: -o: empty file name
Try 'mie-validate --help' for more information." err
run "$V" in.jsonl --rejects=
check_exit "--rejects='': exit" 2
check_text "--rejects='': message" "mie-validate: --rejects: empty file name
Try 'mie-validate --help' for more information." err
I="$BIN/mie-import"
run "$I" --map "$PWD" in.jsonl
check_exit "--map DIR: exit" 2
check_text "--map DIR: message" "mie-import: --map: \"$PWD\": neither a preset (organisations, bibliography) nor a mapping file: is a directory
Try 'mie-import --help' for more information." err
run "$I" --charset klingon in.jsonl
check_exit "--charset klingon: exit" 2
check_text "--charset klingon: message" "mie-import: --charset: unknown charset \"klingon\"
Try 'mie-import --help' for more information." err

# ---- a missing TMPDIR is said once, however many spills need it ----
mkdir dumps
printf '%s\n' '<?xml version="1.0" encoding="utf-8"?>' '<SPIP version="1.9.1" version_base="1.917" version_archive="1.3">' \
	'<spip_articles>' '<id_article>1</id_article>' '<titre>Un</titre>' '<statut>publie</statut>' \
	'</spip_articles>' '</SPIP>' > dumps/a.xml
for n in b c d e; do cp dumps/a.xml dumps/$n.xml; done
TMPDIR="$PWD/no-such-dir" "$I" -q dumps > /dev/null 2> err
rc=$?
check_exit "missing TMPDIR: exit" 2
check_eq "missing TMPDIR: said once" 1 "$(grep -c 'cannot create a temporary file' err)"
check_grep "missing TMPDIR: message" "mie-import: $PWD/no-such-dir: cannot create a temporary file: No such file or directory" err

# ---- a folder read never reads the run's own output back ----
mkdir site
cp dumps/a.xml site/
run "$I" site -o site/out.jsonl
check_exit "import a folder into itself: exit" 0
check_nogrep "import a folder into itself: temporary file not read" ".out.jsonl." err
run "$I" site -o site/out.jsonl
check_exit "again, over the previous output: exit" 0
check_nogrep "again: previous output not read" "site/out.jsonl" err
check_eq "again: one record" 1 "$(wc -l < site/out.jsonl)"

# ---- a file in no format the importer reads is an error: exit 1, even with -q ----
mkdir mixed
cp dumps/a.xml mixed/
echo "ni une page ni un export" > mixed/notes.bin
run "$I" -q mixed
check_exit "unknown file, -q: exit" 1
check_text "unknown file, -q: said" "mie-import: mixed/notes.bin: not a format mie-import reads: skipped" err

# ---- a cut inside an archive member is said at archive!member ----
i=0
while [ $i -lt 3000 ]; do
	i=$((i + 1))
	echo "{\"type\":\"article\",\"id\":\"infomie.net:article:$i\",\"title\":\"Article $i\"}"
done > notes.jsonl
tar cf whole.tar notes.jsonl
head -c 150000 whole.tar > cut.tar
run "$I" -q cut.tar
check_exit "cut tar member: exit" 1
sed 's/needed [0-9]* bytes, only [0-9]* available/needed N bytes, only M available/' err > err.n
check_text "cut tar member: at archive!member" "mie-import: cut.tar!notes.jsonl: not a format mie-import reads: skipped
mie-import: cut.tar!notes.jsonl: truncated: Truncated input file (needed N bytes, only M available): what came before the cut is read" err.n

# ---- issue 10's leftovers on messages and progress ----
# every message names where it is: dedup's record that XML cannot carry,
# the id table outgrowing --memory
printf '%s\n' '{"type":"article","id":"infomie.net:article:1","title":"Un\u0001"}' \
	'{"type":"article","id":"infomie.net:article:2","title":"Deux"}' > ctl.jsonl
run "$BIN/mie-dedup" --to xml ctl.jsonl
check_exit "dedup, a record XML cannot carry: exit" 1
check_text "dedup, a record XML cannot carry: at its input, by id, counted" "mie-dedup: ctl.jsonl: infomie.net:article:1: not written: character U+0001 not allowed at byte 2 (in title)
mie-dedup: 2 records read, 0 clusters, 0 duplicates, 1 written" err
run "$V" --memory 1K -o /dev/null big.jsonl
check_exit "validate, ids beyond --memory: exit" 0
check_eq "validate, ids beyond --memory: the note says where" 1 \
	"$(grep -cE '^mie-validate: big\.jsonl:[0-9]+: more ids than the memory budget holds: growing the id table to [0-9]+ KiB$' err)"
# progress while a JSON Lines file is read in place (dedup's pass 1) or by
# mie-export's threads, not only once it is over: with a line every 0 s,
# several lines of the reading phase before its 100 %
python3 -c "
text = 'accueil des mineurs isolés ' * 80
for i in range(1, 6001):
    print('{\"type\":\"article\",\"id\":\"infomie.net:article:%d\",\"title\":\"Page %d\",\"text\":{\"plain\":\"%s\"}}' % (i, i, text))" > long.jsonl
MIE_PROGRESS_SECONDS=0 "$BIN/mie-dedup" --progress long.jsonl > /dev/null 2> err
check_eq "dedup pass 1 over a file: progress during the read" 1 \
	"$([ "$(grep -cE '^mie-dedup: [0-9 ]+ records, [0-9]+ %, [0-9.]+ MB/s, ETA [0-9:]+$' err)" -ge 3 ] && echo 1 || cat err)"
MIE_PROGRESS_SECONDS=0 "$BIN/mie-export" --to csv -o /dev/null --progress long.jsonl 2> err
check_eq "mie-export's threaded read: progress during the read" 1 \
	"$([ "$(grep -cE '^mie-export: [0-9 ]+ records, [0-9]+ %, [0-9.]+ MB/s, ETA [0-9:]+$' err)" -ge 3 ] && echo 1 || cat err)"
