# Hostile inputs to the readers (issue 11: crashes, runaway resources, silent
# losses): each class with its exact outcome.  Big inputs are generated here.
. "$TOP/tests/lib.sh"
NS=urn:infomie:mie:interchange:1

# --- interchange XML nested 30 000 deep: a bad record, never a crash
python3 -c "
n = 30000
print('<?xml version=\"1.0\"?><records xmlns=\"$NS\" schema_version=\"1\">'
      '<article id=\"a\"><extra>' + '<x>' * n + 'y' + '</x>' * n + '</extra></article>'
      '<article id=\"b\"><title>Suite</title></article></records>')" > deep.xml
for t in validate cat dedup; do
	run "$BIN/mie-$t" deep.xml; check_exit "deep xml $t exit" 1
	check_grep "deep xml $t message" \
		"mie-$t: deep.xml:1: line 1: <x>: elements nested deeper than 256 in one record" err
done
run "$BIN/mie-cat" deep.xml
check_text "deep xml: the next record is read" '{"type":"article","id":"b","title":"Suite"}' out

# --- a record element in a foreign namespace is not a record
cat > ns.xml <<XML
<?xml version="1.0"?>
<records xmlns="$NS" xmlns:x="urn:autre" schema_version="1">
  <x:article id="a"><title>Bonjour</title></x:article>
  <article id="b"><x:title>Bonjour</x:title></article>
  <article id="c"><title>Bonjour</title></article>
</records>
XML
run "$BIN/mie-cat" ns.xml; check_exit "foreign namespace exit" 1
cat > expected.err <<MSG
mie-cat: ns.xml:3: line 3: <x:article>: element not in the namespace $NS
mie-cat: ns.xml:4: line 4: <x:title>: element not in the namespace $NS
MSG
check_same "foreign namespace messages" expected.err err
check_text "foreign namespace: the rest is read" '{"type":"article","id":"c","title":"Bonjour"}' out

# --- a file that starts with NUL blocks (a wiped disk, an ISO image) is not an empty tar
{ head -c 1024 /dev/zero; echo 'Nom;Ville'; echo 'Foyer;Lyon'; } > nul.csv
python3 -c "
import sys
sys.stdout.buffer.write(bytes(32768) + b'\x01CD001\x01' + bytes(2041) + bytes(4096))" > image.iso
run "$BIN/mie-import" nul.csv image.iso; check_exit "NUL-led file exit" 1
check_text "NUL-led file and ISO image named" 'mie-import: nul.csv: archive without members (empty, or not an archive): nothing read
mie-import: image.iso: archive without members (empty, or not an archive): nothing read' err
check_empty "NUL-led file: no output" out

# --- a UTF-16 dump read as a dump: said, exit 1 (was: nothing, exit 0)
printf '<?xml version="1.0" encoding="utf-8"?>\n<SPIP version="1.9.1">\n<spip_rubriques>\n<id_rubrique>1</id_rubrique>\n<titre>Écoles</titre>\n</spip_rubriques>\n</SPIP>\n' > d8.xml
iconv -f utf-8 -t utf-16 d8.xml > u16.xml
iconv -f utf-8 -t utf-16le d8.xml > u16le.xml
run "$BIN/mie-import" --from spip-dump u16.xml u16le.xml; check_exit "UTF-16 dump exit" 1
check_text "UTF-16 dump said" "mie-import: u16.xml: UTF-16 text, not a SPIP dump's encoding: not read (convert it to UTF-8 first)
mie-import: u16le.xml: UTF-16 text, not a SPIP dump's encoding: not read (convert it to UTF-8 first)" err

# --- unclosed elements in legacy text: the tag goes, the rest of the article stays
{
	echo '<?xml version="1.0" encoding="utf-8"?>'
	echo '<SPIP version="1.9.1">'
	i=0
	for tag in form object select textarea title math svg; do
		i=$((i + 1))
		printf '<spip_articles>\n<id_article>%s</id_article>\n<titre>T%s</titre>\n<texte>Avant &lt;%s>dedans\n\nLa suite compte.</texte>\n<id_rubrique>0</id_rubrique>\n<statut>publie</statut>\n</spip_articles>\n' "$i" "$i" "$tag"
	done
	printf '<spip_articles>\n<id_article>8</id_article>\n<titre>T8</titre>\n<texte>Avant &lt;form>champ&lt;/form> après</texte>\n<id_rubrique>0</id_rubrique>\n<statut>publie</statut>\n</spip_articles>\n'
	echo '</SPIP>'
} > unclosed.xml
run "$BIN/mie-import" unclosed.xml; check_exit "unclosed elements exit" 0
python3 -c "
import json, sys
for l in open('out'):
    r = json.loads(l)
    if r['type'] == 'article':
        print(r['text']['html'] + ' | ' + r['text']['plain'])" > texts
check_text "unclosed elements: content kept, closed ones still dropped" '<p class="spip">Avant dedans</p>
<p class="spip">La suite compte.</p> | Avant dedans

La suite compte.
<p class="spip">Avant dedans</p>
<p class="spip">La suite compte.</p> | Avant dedans

La suite compte.
<p class="spip">Avant dedans</p>
<p class="spip">La suite compte.</p> | Avant dedans

La suite compte.
<p class="spip">Avant dedans</p>
<p class="spip">La suite compte.</p> | Avant dedans

La suite compte.
<p class="spip">Avant dedans</p>
<p class="spip">La suite compte.</p> | Avant dedans

La suite compte.
<p class="spip">Avant dedans</p>
<p class="spip">La suite compte.</p> | Avant dedans

La suite compte.
<p class="spip">Avant dedans</p>
<p class="spip">La suite compte.</p> | Avant dedans

La suite compte.
Avant  après | Avant après' texts

# --- 200 000 link rows for one article: linear (was quadratic: 40 000 took 15 s)
python3 "$TOP/bench/gen-links.py" 200000 > links.xml
run timeout 60 "$BIN/mie-import" links.xml; check_exit "200 000 link rows within 60 s" 0
python3 -c "
import json
r = json.loads(open('out').readline())
k = r['keywords']
print(len(k), len(set(k)), k[0], k[-1])" > links.txt
check_text "200 000 link rows: each keyword once, in order" \
	'200000 200000 infomie.net:keyword:1 infomie.net:keyword:200000' links.txt
cp out links.jsonl
run timeout 60 "$BIN/mie-validate" links.jsonl; check_exit "200 000 references validated within 60 s" 0
check_grep "200 000 references counted" 'mie-validate: 1 records read, 1 valid, 0 invalid, 200000 dangling references' err

# --- cycles of sections broken with a repair; only safe redirects
cat > cycle.xml <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<SPIP version="1.9.1">
<spip_rubriques>
<id_rubrique>1</id_rubrique>
<titre>Seule</titre>
<id_parent>1</id_parent>
</spip_rubriques>
<spip_rubriques>
<id_rubrique>3</id_rubrique>
<titre>Trois</titre>
<id_parent>4</id_parent>
</spip_rubriques>
<spip_rubriques>
<id_rubrique>4</id_rubrique>
<titre>Quatre</titre>
<id_parent>3</id_parent>
</spip_rubriques>
<spip_articles>
<id_article>9</id_article>
<titre>Piège</titre>
<id_rubrique>4</id_rubrique>
<chapo>= JavaScript:alert(1)</chapo>
</spip_articles>
<spip_articles>
<id_article>10</id_article>
<titre>Renvoi</titre>
<id_rubrique>1</id_rubrique>
<chapo>=art12</chapo>
</spip_articles>
<spip_articles>
<id_article>11</id_article>
<titre>Ailleurs</titre>
<chapo>=https://exemple.fr/page</chapo>
</spip_articles>
</SPIP>
XML
run "$BIN/mie-import" cycle.xml; check_exit "section cycles exit" 0
check_text "section cycles and unsafe redirect said" 'mie-import: cycle.xml:3: section 1: its parent closes a cycle of sections: left out
mie-import: cycle.xml:8: section 3: its parent closes a cycle of sections: left out
mie-import: cycle.xml:18: article 9: redirect " JavaScript:alert(1)" is neither http(s), relative nor a SPIP shortcut: kept in extra.chapo
mie-import: cycle.xml: spip-dump spip_rubriques: 3 read, 3 written, 0 rejected
mie-import: cycle.xml: spip-dump spip_articles: 3 read, 3 written, 0 rejected' err
python3 -c "
import json
for l in open('out'):
    r = json.loads(l)
    rep = [x['kind'] + ':' + x['path'] for p in r['provenance'] for x in p.get('repairs', [])]
    print(r['id'].split(':', 1)[1], r.get('section', '-'), '/'.join(r.get('section_path', [])),
          r.get('redirect', '-'), json.dumps(r.get('extra', {}), ensure_ascii=False), ' '.join(rep))" > cyc.txt
check_text "section cycles broken at the lowest id, redirects judged" 'section:1 - Seule - {} section-cycle:section_path section-cycle:section
section:3 - Trois - {} section-cycle:section_path section-cycle:section
section:4 infomie.net:section:3 Trois/Quatre - {} section-cycle:section_path
article:9 infomie.net:section:4 Trois/Quatre - {"chapo": "= JavaScript:alert(1)"} section-cycle:section_path unsafe-redirect:redirect
article:10 infomie.net:section:1 Seule art12 {} section-cycle:section_path
article:11 -  https://exemple.fr/page {} ' cyc.txt

# --- a value over the 16 MiB field limit: its row rejected with its line, every
# other row read and counted, memory bounded (300 MB value: gzip-compressed here)
cat > genbig.py <<'PY'
import sys
mb = int(sys.argv[1])
w = sys.stdout.buffer.write
w(b'<?xml version="1.0" encoding="utf-8"?>\n<SPIP version="1.9.1">\n')
def art(i, body):
    w(b'<spip_articles>\n<id_article>%d</id_article>\n<titre>Article %d</titre>\n'
      b'<id_rubrique>0</id_rubrique>\n<texte>' % (i, i))
    body()
    w(b'</texte>\n</spip_articles>\n')
chunk = b'Un texte tr\xc3\xa8s long. ' * 4096
def big():
    for _ in range(mb * (1 << 20) // len(chunk)):
        w(chunk)
art(1, lambda: w(b'Court.'))
art(2, big)
for i in range(3, 30):
    art(i, lambda: w(b'Suite.'))
w(b'</SPIP>\n')
PY
python3 genbig.py 300 | gzip -1 > v300.xml.gz
python3 genbig.py 50 > v50.xml
for f in v300.xml.gz v50.xml; do
	/usr/bin/time -f %M -o rss "$BIN/mie-import" "$f" > out 2> err; rc=$?
	check_exit "$f: exit" 1
	check_text "$f: the row rejected with its line, every row counted" "mie-import: $f:9: spip_articles: column texte: a value over 16 MiB: row not imported
mie-import: $f: spip-dump spip_articles: 29 read, 28 written, 1 rejected" err
	check_eq "$f: the 28 other rows" 28 "$(grep -c '"type":"article"' out)"
	rss=$(tail -1 rss)
	if [ "$rss" -lt 160000 ]; then pass "$f: peak RSS under 160 MB"; else fail "$f: peak RSS under 160 MB" "$rss KiB"; fi
done
rm -f v50.xml v300.xml.gz

# --- a cut .gz keeps every complete row or record before the cut, file and pipe alike
python3 - <<'PY'
import gzip
rows = ''.join('<spip_articles>\n<id_article>%d</id_article>\n<titre>Article numéro %d</titre>\n'
               '<id_rubrique>0</id_rubrique>\n<texte>Un texte %d sur l\u2019accueil.</texte>\n'
               '</spip_articles>\n' % (i, i, i) for i in range(1, 41))
dump = ('<?xml version="1.0" encoding="utf-8"?>\n<SPIP version="1.9.1">\n' + rows + '</SPIP>\n').encode()
z = gzip.compress(dump)
open('cutdump.xml.gz', 'wb').write(z[:len(z) * 3 // 4])
def rec(i):
    html = ('<html><head><title>Article %d</title></head><body><div class="texte"><p>Texte %d sur '
            'la protection de l\'enfance.</p></div></body></html>' % (i, i)).encode()
    http = (b'HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n'
            % len(html)) + html
    return ('WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-%012d>\r\n'
            'WARC-Date: 2006-03-01T10:00:00Z\r\nWARC-Target-URI: http://www.infomie.net/spip.php?article%d\r\n'
            'Content-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n'
            % (i, i, len(http))).encode() + http + b'\r\n\r\n'
for name, z in (('one', gzip.compress(b''.join(rec(i) for i in range(1, 400)))),
                ('members', b''.join(gzip.compress(rec(i)) for i in range(1, 400)))):
    open('cut-%s.warc.gz' % name, 'wb').write(z[:len(z) * 2 // 3])
PY
rows=$(zcat cutdump.xml.gz 2>/dev/null | grep -c '^</spip_articles>$')
check_eq "cut dump: zcat recovers 25 rows" 25 "$rows"
run "$BIN/mie-import" cutdump.xml.gz; check_exit "cut dump file exit" 1
check_text "cut dump file: said, every complete row kept" 'mie-import: cutdump.xml.gz: truncated: truncated gzip input: what came before the cut is read
mie-import: cutdump.xml.gz:153: spip_articles: row cut short by the end of the input: not imported
mie-import: the dump ends without </SPIP>: it was cut; every complete row before the cut is imported
mie-import: cutdump.xml.gz: spip-dump spip_articles: 26 read, 25 written, 1 rejected' err
sed 's/"file":"cutdump.xml.gz"/"file":"-"/' out > cutdump.file
cat cutdump.xml.gz | "$BIN/mie-import" > cutdump.pipe 2> err; rc=$?
check_exit "cut dump pipe exit" 1
check_same "cut dump: the pipe gives what the file gives" cutdump.file cutdump.pipe
check_grep "cut dump pipe: said" 'mie-import: (stdin): truncated: truncated gzip input: what came before the cut is read' err
for w in one members; do
	# the reference: the bytes zcat recovers, read as a plain (cut) WARC file
	zcat cut-$w.warc.gz > cut-$w.warc 2> /dev/null
	n=$("$BIN/mie-import" cut-$w.warc 2> /dev/null | grep -c '"type":"article"')
	run "$BIN/mie-import" cut-$w.warc.gz; check_exit "cut warc.gz ($w gzip member) exit" 1
	check_grep "cut warc.gz ($w): said" "mie-import: cut-$w.warc.gz: truncated: truncated gzip input: what came before the cut is read" err
	check_eq "cut warc.gz ($w): every complete record kept ($n)" "$n" "$(grep -c '"type":"article"' out)"
	sed "s/\"file\":\"cut-$w.warc.gz\"/\"file\":\"-\"/" out > warc.file
	cat cut-$w.warc.gz | "$BIN/mie-import" > warc.pipe 2> /dev/null
	check_same "cut warc.gz ($w): the pipe gives what the file gives" warc.file warc.pipe
done

# --- legacy text nested deeper than 256: the content kept, flattened, with a repair
python3 -c "
print('<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<SPIP version=\"1.9.1\">\n<spip_articles>\n<id_article>5</id_article>\n<titre>Profond</titre>')
print('<texte>' + '&lt;div>' * 300 + 'Tout au fond.' + '&lt;/div>' * 300 + ' Après.</texte>')
print('</spip_articles>\n</SPIP>')" > deephtml.xml
run "$BIN/mie-import" deephtml.xml; check_exit "deep legacy text exit" 0
python3 -c "
import json
r = json.loads(open('out').readline())
print(r['text']['plain'])
print(r['text']['html'].count('<div>'))
print(json.dumps(r['provenance'][0]['repairs']))" > deep.txt
check_text "deep legacy text: all content, 256 levels, the repair" 'Tout au fond.

Après.
256
[{"kind": "html-flattened", "path": "text.html", "detail": "44 elements nested deeper than 256 unwrapped: their content kept"}]' deep.txt

# --- zip member names: without the UTF-8 flag, CP437 (the zip default);
# a control character removed from the name with a warning, the rows kept
python3 -c "
import zipfile
csv = 'Nom;Ville\nFoyer de Lyon;Lyon\n'
with zipfile.ZipFile('cp437.zip', 'w') as z:
    z.writestr('annuaire-XtX.csv', csv)
b = open('cp437.zip', 'rb').read().replace(b'annuaire-XtX.csv', b'annuaire-\x82t\x82.csv')
open('cp437.zip', 'wb').write(b)
with zipfile.ZipFile('utf8name.zip', 'w') as z:
    z.writestr('annuaire-\u00e9t\u00e9.csv', csv)
with zipfile.ZipFile('ctlname.zip', 'w') as z:
    z.writestr('annu\x01aire.csv', csv)
"
check_eq "zip name without the UTF-8 flag: the flag is not set" "0" "$(python3 -c "import zipfile; print(zipfile.ZipFile('cp437.zip').infolist()[0].flag_bits & 0x800)")"
for z in cp437 utf8name; do
	run "$BIN/mie-import" $z.zip; check_exit "zip name $z exit" 0
	check_text "zip name $z: read as annuaire-été.csv" 'annuaire-été.csv' "$(jq -r '.provenance[0].member' out > m; echo m)"
	check_grep "zip name $z: messages name it" "mie-import: $z.zip!annuaire-été.csv: csv organisations: 1 read, 1 written, 0 rejected" err
done
run "$BIN/mie-import" ctlname.zip; check_exit "control character in a member name exit" 0
check_text "control character in a member name: said, removed, the row kept" 'mie-import: ctlname.zip!annuaire.csv: control characters removed from the member name "annu\x01aire.csv"
mie-import: ctlname.zip!annuaire.csv: delimiter '"';'"', charset utf-8
mie-import: ctlname.zip!annuaire.csv: header matches the "organisations" columns: organisation records (--map to choose)
mie-import: ctlname.zip!annuaire.csv: csv organisations: 1 read, 1 written, 0 rejected' err
check_text "control character in a member name: the record" '["infomie.net:organisation:foyer-de-lyon","ctlname.zip","annuaire.csv",2]' "$(jq -c '[.id, .provenance[0].file, .provenance[0].member, .provenance[0].line]' out > cm; echo cm)"
