# mie-import of web archives (WARC/1.0 from wget, WARC/1.1 written by hand):
# BAD-INPUTS catalogue 21-29.
. "$TOP/tests/lib.sh"
I="$BIN/mie-import"
W="$FIX/web/site"

# ---- a real capture: wget --warc-file from a local server ----
mkdir -p www && cp "$W/spip.php?article78.html" www/article78.html
cp "$W/index.html" www/index.html && printf '<a href="article78.html">a</a>\n' >> www/index.html
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
(cd www && exec python3 -m http.server "$port" --bind 127.0.0.1) > server.log 2>&1 &
server=$!
i=0; while ! wget -q -O /dev/null "http://127.0.0.1:$port/" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
wget -q -r -l1 -P got --warc-file=cap "http://127.0.0.1:$port/" 2>/dev/null
kill $server 2>/dev/null; wait $server 2>/dev/null
run "$I" --site http://www.infomie.net/ cap.warc.gz; check_exit "wget capture exit" 0
check_text "wget capture summary" 'mie-import: cap.warc.gz: warc warcinfo records: 1 skipped
mie-import: cap.warc.gz: warc request records: 3 skipped
mie-import: cap.warc.gz: warc responses not 2xx: 1 skipped
mie-import: cap.warc.gz: warc metadata records: 1 skipped
mie-import: cap.warc.gz: warc resource records: 2 skipped
mie-import: cap.warc.gz: html non-content pages: 1 skipped
mie-import: cap.warc.gz: html spip_articles: 1 read, 1 written, 0 rejected' err
cp out wget.jsonl
jq -c '[.id, .title, .section_path, .date_published, .provenance[0].format, .provenance[0].file, (.provenance[0].date | test("^20[0-9][0-9]-[01][0-9]-[0-3][0-9]T..:..:..Z$"))]' wget.jsonl > a
check_text "wget capture record" '["infomie.net:article:78","La scolarisation des mineurs isolés étrangers",["Droits et procédures","Accès à l’éducation"],"2006-12-05","warc","cap.warc.gz",true]' a
run "$BIN/mie-validate" wget.jsonl; check_exit "wget capture valid" 0
check_jsonschema "wget capture passes the JSON Schema" wget.jsonl
# the same bytes on stdin, uncompressed
gzip -dc cap.warc.gz > cap.warc
run sh -c "\"$I\" --site http://www.infomie.net/ - < cap.warc"; check_exit "stdin exit" 0
check_same "stdin gives the same records" wget.jsonl "$(jq -c 'del(.provenance[0].file)' out > o1; jq -c 'del(.provenance[0].file)' wget.jsonl > o2; cmp -s o1 o2 && echo wget.jsonl || echo o1)"

# ---- a hand-written WARC/1.1 ----
# rec TYPE URI DATE CONTENT-TYPE FILE [LENGTH-FIELD-NAME]: one record
rec() {
	printf 'WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:%s>\r\n' "$1" "$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
	[ -n "$2" ] && printf 'WARC-Target-URI: %s\r\n' "$2"
	printf 'WARC-Date: %s\r\nContent-Type: %s\r\n%s: %d\r\n\r\n' "$3" "$4" "${6:-Content-Length}" "$(wc -c < "$5")"
	cat "$5"
	printf '\r\n\r\n'
}
H='application/http; msgtype=response'
http() { # FILE [extra header lines]: an HTTP 200 response around FILE
	printf 'HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n%s\r\n' "$2"
	cat "$1"
}
sed 's/La scolarisation des mineurs isolés étrangers/Version %s/' "$W/spip.php?article78.html" > tpl
for v in 1 2 3; do sed "s/Version %s/Version $v/" tpl > v$v.html; http v$v.html > r$v; done
printf 'software: mie-test\r\nformat: WARC File Format 1.1\r\n' > info
printf 'GET /spip.php?article78 HTTP/1.1\r\nHost: www.infomie.net\r\n\r\n' > req
printf 'outlinks: http://www.infomie.net/spip.php?article79\r\n' > meta
http "$W/index.html" > home
# article 79: latin-1, chunked then gzip-encoded
gzip -9n < "$W/page-circulaire.html" > circ.gz
{ printf 'HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=iso-8859-1\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n'
  size=$(wc -c < circ.gz); half=$((size / 2))
  printf '%x\r\n' $half; head -c $half circ.gz; printf '\r\n'
  printf '%x;ext=1\r\n' $((size - half)); tail -c $((size - half)) circ.gz; printf '\r\n0\r\n\r\n'; } > chunked
{ printf 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: br\r\n\r\n'; printf '\033\001\002'; } > brotli
http "$W/article5.html" > last
{
	rec warcinfo "" 2007-01-01T00:00:00Z application/warc-fields info
	rec request http://www.infomie.net/spip.php?article78 2007-01-10T10:00:00Z 'application/http; msgtype=request' req
	rec response http://www.infomie.net/spip.php?article78 2007-01-10T10:00:00Z "$H" r1
	rec response http://www.infomie.net/spip.php?article78 2008-03-01T08:30:00Z "$H" r3 Content-length
	rec metadata http://www.infomie.net/spip.php?article78 2008-03-01T08:30:00Z application/warc-fields meta
	rec response http://www.infomie.net/spip.php?article78 2007-06-15T12:00:00Z "$H" r2
	rec response http://www.infomie.net/ 2008-03-01T08:29:00Z "$H" home
	rec response http://www.infomie.net/spip.php?article79 2008-03-01T08:31:00Z "$H" chunked
	rec response http://www.infomie.net/spip.php?article90 2008-03-01T08:32:00Z "$H" brotli
} > hand.warc
good=$(wc -c < hand.warc)
rec response http://www.infomie.net/spip.php?article5 2008-03-01T08:33:00Z "$H" last > last.rec
full=$(wc -c < last.rec)
head -c $((full - 30)) last.rec >> hand.warc
run "$I" hand.warc; check_exit "hand-written WARC/1.1 exit" 1
check_text "hand-written WARC/1.1 messages" "mie-import: hand.warc: responses: record at offset $(($(grep -abo 'WARC/1.1' hand.warc | sed -n 9p | cut -d: -f1))) (http://www.infomie.net/spip.php?article90): content encoding \"br\" not supported: not imported
mie-import: hand.warc: responses: record at offset $good (http://www.infomie.net/spip.php?article5): truncated: $(($(wc -c < last) - 26)) of $(wc -c < last) bytes
mie-import: hand.warc: warc warcinfo records: 1 skipped
mie-import: hand.warc: warc request records: 1 skipped
mie-import: hand.warc: warc older captures: 2 skipped
mie-import: hand.warc: warc metadata records: 1 skipped
mie-import: hand.warc: warc responses: 2 read, 0 written, 2 rejected
mie-import: hand.warc: html spip_articles: 2 read, 2 written, 0 rejected
mie-import: hand.warc: html non-content pages: 1 skipped" err
cp out hand.jsonl
jq -c '[.id, .title, .provenance[0].date, .provenance[0].charset]' hand.jsonl > h
check_text "latest capture kept; chunked gzip latin-1 page decoded" '["infomie.net:article:78","Version 3","2008-03-01T08:30:00Z","utf-8"]
["infomie.net:article:79","Circulaire du 12 mars 2007 sur l’accueil des élèves allophones","2008-03-01T08:31:00Z","iso-8859-1"]' h
run "$BIN/mie-validate" hand.jsonl; check_exit "hand-written WARC records valid" 0
check_jsonschema "hand-written WARC records pass the JSON Schema" hand.jsonl

# the same file gzipped record by record (a .warc.gz chain of members)
: > hand.warc.gz
off=0
for n in $(grep -abo 'WARC/1.1' hand.warc | cut -d: -f1) $(wc -c < hand.warc); do
	[ "$n" -gt 0 ] && tail -c +$((off + 1)) hand.warc | head -c $((n - off)) | gzip -9n >> hand.warc.gz
	off=$n
done
run "$I" hand.warc.gz; check_exit "gzip members exit" 1
jq -c '[.id, .title]' out > g
check_text "gzip members give the same records" '["infomie.net:article:78","Version 3"]
["infomie.net:article:79","Circulaire du 12 mars 2007 sur l’accueil des élèves allophones"]' g

# ---- not WARC after all, another version, header cut short ----
printf 'WARC/1.1\r\nWARC-Type: warcinfo\r\nContent-Length: 4\r\n\r\nabcd\r\n\r\nWARC/2.0\r\nWARC-Type: warcinfo\r\n\r\n' > v2.warc
run "$I" v2.warc; check_exit "unsupported version exit" 1
check_grep "unsupported version message" 'mie-import: v2.warc: offset 60: unsupported WARC version "WARC/2.0": rest of the file not read' err
printf 'WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Len' > cut.warc
run "$I" cut.warc; check_exit "cut header exit" 1
check_grep "cut header message" 'mie-import: cut.warc: offset 0: record header cut short: rest of the file not read' err
printf 'WARC/1.0\r\nWARC-Type: resource\r\nContent-Length: 99999999999\r\n\r\nabc' > huge.warc
run "$I" huge.warc; check_exit "huge length exit" 1
check_text "huge length: never allocated, reported" 'mie-import: huge.warc: offset 0: record cut short (3 of 99999999999 body bytes): rest of the file not read
mie-import: huge.warc: warc resource records: 1 skipped
mie-import: huge.warc: warc unreadable files: 1 skipped' err
# a response claiming more than 64 MiB is not read into memory
printf 'WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://www.infomie.net/spip.php?article1\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: 99999999999\r\n\r\nabc' > big.warc
run "$I" big.warc; check_exit "huge response exit" 1
check_grep "huge response message" 'mie-import: big.warc: responses: record at offset 0 (http://www.infomie.net/spip.php?article1): body larger than 64 MiB: not read' err

# ---- revisit records: a page whose response is in the inputs is imported
# once; an HTML page with only revisits is named in one warning ----
printf 'HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n' > revh
printf 'HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n' > revimg
{
	rec revisit http://www.infomie.net/spip.php?article78 2009-01-01T00:00:00Z "$H" revh
	rec response http://www.infomie.net/spip.php?article78 2008-03-01T08:30:00Z "$H" r3
	rec revisit http://www.infomie.net/spip.php?article81 2009-01-01T00:00:00Z "$H" revh
	rec revisit http://www.infomie.net/spip.php?article82 2009-01-01T00:00:00Z "$H" revh
	rec revisit http://www.infomie.net/IMG/logo.png 2009-01-01T00:00:00Z "$H" revimg
} > revisits.warc
run "$I" revisits.warc; check_exit "revisits exit" 0
check_text "revisits: counted; pages without their response named once" 'mie-import: revisits.warc: 2 HTML pages have only revisit records in the inputs, no response: not imported (their responses are in the archive of the crawl the revisits refer to)
mie-import: revisits.warc: warc revisit records: 4 skipped
mie-import: revisits.warc: html spip_articles: 1 read, 1 written, 0 rejected' err
check_text "revisits: the response's page, once" '["infomie.net:article:78","Version 3"]' "$(jq -c '[.id, .title]' out > rv; echo rv)"

# ---- a Content-Length too short or too long: the record ends where the
# next "WARC/1." header starts, each said with its number and id, exit 1 ----
# lrec ID URI FILE DELTA: a response record whose Content-Length is DELTA off
lrec() {
	printf 'WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:%s>\r\nWARC-Target-URI: %s\r\nWARC-Date: 2008-03-01T08:30:00Z\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n' "$1" "$2" "$H" $(($(wc -c < "$3") + $4))
	cat "$3"
	printf '\r\n\r\n'
}
for n in 1 2 3; do sed "s/Version %s/Longueur $n/" tpl > l$n.html; http l$n.html > lr$n; done
{ lrec 1 http://www.infomie.net/spip.php?article1 lr1 0
  lrec 2 http://www.infomie.net/spip.php?article2 lr2 -500
  lrec 3 http://www.infomie.net/spip.php?article3 lr3 0; } > short.warc
run "$I" short.warc; check_exit "Content-Length too short exit" 1
check_text "Content-Length too short: said, the whole page kept" "mie-import: short.warc: record 2 (WARC-Record-ID <urn:uuid:2>): Content-Length $(($(wc -c < lr2) - 500)) too short: the record holds $(wc -c < lr2) bytes up to the next one
mie-import: short.warc: html spip_articles: 3 read, 3 written, 0 rejected" err
check_text "Content-Length too short: every page whole" '["infomie.net:article:1","Longueur 1"]
["infomie.net:article:2","Longueur 2"]
["infomie.net:article:3","Longueur 3"]' "$(jq -c '[.id, .title]' out > ls; echo ls)"
check_same "Content-Length too short: the page's text as with the right length" "$(lrec 2 http://www.infomie.net/spip.php?article2 lr2 0 > ok2.warc; "$I" ok2.warc 2>/dev/null | jq -c .text > t1; echo t1)" "$(jq -c 'select(.id == "infomie.net:article:2") | .text' out > t2; echo t2)"
{ lrec 1 http://www.infomie.net/spip.php?article1 lr1 0
  lrec 2 http://www.infomie.net/spip.php?article2 lr2 120
  lrec 3 http://www.infomie.net/spip.php?article3 lr3 0; } > long.warc
run "$I" long.warc; check_exit "Content-Length too long exit" 1
check_text "Content-Length too long: said, the next record kept" "mie-import: long.warc: record 2 (WARC-Record-ID <urn:uuid:2>): Content-Length $(($(wc -c < lr2) + 120)) too long: the record holds $(wc -c < lr2) bytes up to the next one
mie-import: long.warc: html spip_articles: 3 read, 3 written, 0 rejected" err
check_same "Content-Length too long: the same records as the right lengths" "$(jq -c '[.id, .title]' out > ll; echo ll)" ls
# the last record too long (nothing after it), a skipped record too short
{ lrec 1 http://www.infomie.net/spip.php?article1 lr1 0
  printf 'WARC/1.1\r\nWARC-Type: metadata\r\nWARC-Record-ID: <urn:uuid:m>\r\nContent-Type: application/warc-fields\r\nContent-Length: 3\r\n\r\nvia: http://www.infomie.net/\r\n\r\n'
  lrec 3 http://www.infomie.net/spip.php?article3 lr3 9; } > ends.warc
run "$I" ends.warc; check_exit "lengths at the ends exit" 1
check_text "lengths at the ends: both said, both pages kept" "mie-import: ends.warc: record 2 (WARC-Record-ID <urn:uuid:m>): Content-Length 3 too short: the record holds 28 bytes up to the next one
mie-import: ends.warc: record 3 (WARC-Record-ID <urn:uuid:3>): Content-Length $(($(wc -c < lr3) + 9)) too long: the record holds $(wc -c < lr3) bytes up to the next one
mie-import: ends.warc: warc metadata records: 1 skipped
mie-import: ends.warc: html spip_articles: 2 read, 2 written, 0 rejected" err

# ---- response records that are not application/http: not read, their
# number an error (exit 1) ----
{ lrec 1 http://www.infomie.net/spip.php?article1 lr1 0
  printf 'WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:t1>\r\nWARC-Target-URI: http://www.infomie.net/spip.php?article2\r\nContent-Type: text/html\r\nContent-Length: 25\r\n\r\n<p>Accueil des jeunes</p>\r\n\r\n'
  printf 'WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:t2>\r\nWARC-Target-URI: http://www.infomie.net/spip.php?article3\r\nContent-Length: 10\r\n\r\nsans type.\r\n\r\n'; } > nothttp.warc
run "$I" nothttp.warc; check_exit "responses not HTTP exit" 1
check_text "responses not HTTP: counted in an error" 'mie-import: nothttp.warc: 2 response records without "Content-Type: application/http; msgtype=response": content not imported
mie-import: nothttp.warc: warc responses not HTTP: 2 skipped
mie-import: nothttp.warc: html spip_articles: 1 read, 1 written, 0 rejected' err
check_text "responses not HTTP: the HTTP one imported" '["infomie.net:article:1","Longueur 1"]' "$(jq -c '[.id, .title]' out > nh; echo nh)"
# a file cut in the next record's version line: that header is the problem,
# not the length of the record before it
{ lrec 1 http://www.infomie.net/spip.php?article1 lr1 0; printf 'WAR'; } > cutv.warc
run "$I" cutv.warc; check_exit "cut version line exit" 1
check_text "cut version line: said, the record before kept whole" "mie-import: cutv.warc: offset $(($(wc -c < cutv.warc) - 3)): not a WARC record (no \"WARC/\" version line): rest of the file not read
mie-import: cutv.warc: warc unreadable files: 1 skipped
mie-import: cutv.warc: html spip_articles: 1 read, 1 written, 0 rejected" err
