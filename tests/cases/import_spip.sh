# mie-import of SPIP 1.9 XML dumps (issue 3): every quirk of real dumps,
# credentials, personal data, the sample dump, and a property test.
. "$TOP/tests/lib.sh"
I="$BIN/mie-import"
V="$BIN/mie-validate"

# ---- a latin-1 dump with the usual damage, written byte by byte ----
{
printf '<?xml version="1.0" encoding="iso-8859-1"?>\n<SPIP version="1.9.2" version_base="1.927" version_archive="1.3"\n\tadresse_site="http://www.infomie.net"\n\tdir_img="IMG/">\n\n'
printf '<spip_mots_articles>\n<id_mot>1</id_mot>\n<id_article>78</id_article>\n</spip_mots_articles>\n\n'
printf '<spip_articles>\n<id_article>78</id_article>\n<titre>03. L\222accueil des \351l\350ves</titre>\n<id_rubrique>3</id_rubrique>\n<chapo></chapo>\n'
printf '<texte>Un\013deux\014trois \234uvre \200 ]]> &amp;eacute;t&eacute; &amp;#8217; &amp;lt;b&amp;gt; [[note]]</texte>\n<date>2006-12-05 14:03:00</date>\n<date_modif>0000-00-00 00:00:00</date_modif>\n<date_redac>2006-02-31 00:00:00</date_redac>\n<statut>publie</statut>\n<visites>12</visites>\n</spip_articles>\n\n'
printf '<spip_articles>\n<id_article>78</id_article>\n<titre>03. L\222accueil des \351l\350ves</titre>\n<id_rubrique>3</id_rubrique>\n<chapo></chapo>\n'
printf '<texte>Un\013deux\014trois \234uvre \200 ]]> &amp;eacute;t&eacute; &amp;#8217; &amp;lt;b&amp;gt; [[note]]</texte>\n<date>2006-12-05 14:03:00</date>\n<date_modif>0000-00-00 00:00:00</date_modif>\n<date_redac>2006-02-31 00:00:00</date_redac>\n<statut>publie</statut>\n<visites>12</visites>\n</spip_articles>\n\n'
printf '<spip_articles>\n<id_article>80</id_article>\n<titre>Rapport</titre>\n<chapo>=http://www.example.org/rapport.pdf</chapo>\n<statut>prop</statut>\n</spip_articles>\n\n'
printf '<spip_articles>\n<id_article>80</id_article>\n<titre>Rapport (autre version)</titre>\n<chapo>=http://www.example.org/rapport.pdf</chapo>\n<statut>prop</statut>\n</spip_articles>\n\n'
printf '<spip_versions_fragments>\n<id_article>78</id_article>\n<fragment>x\234\000\001\377\000binaire</fragment>\n</spip_versions_fragments>\n\n'
printf '<spip_messages>\n<id_message>1</id_message>\n<texte>CANARY-PRIVATE-MESSAGE</texte>\n</spip_messages>\n\n'
printf '<spip_plugin_agenda>\n<id_evenement>4</id_evenement>\n</spip_plugin_agenda>\n\n'
printf '<spip_auteurs>\n<id_auteur>1</id_auteur>\n<nom>Claire Dubreuil</nom>\n<email>CANARY-EMAIL@example.org</email>\n<login>CANARY-LOGIN</login>\n<pass>CANARY-PASS</pass>\n<htpass>CANARY-HTPASS</htpass>\n<alea_actuel>CANARY-ALEA1</alea_actuel>\n<alea_futur>CANARY-ALEA2</alea_futur>\n<cookie_oubli>CANARY-COOKIE</cookie_oubli>\n<low_sec>CANARY-LOWSEC</low_sec>\n<password_hash>CANARY-HASH</password_hash>\n</spip_auteurs>\n\n'
printf '<spip_forum>\n<id_forum>12</id_forum>\n<id_article>78</id_article>\n<texte>Question</texte>\n<auteur>Sophie</auteur>\n<email_auteur>CANARY-FORUM@example.net</email_auteur>\n<ip>192.0.2.99</ip>\n</spip_forum>\n\n'
printf '<spip_rubriques>\n<id_rubrique>3</id_rubrique>\n<id_parent>2</id_parent>\n<titre>Acc\350s \340 l\222\351ducation</titre>\n</spip_rubriques>\n\n'
printf '<spip_rubriques>\n<id_rubrique>2</id_rubrique>\n<id_parent>0</id_parent>\n<titre>02. Droits</titre>\n</spip_rubriques>\n\n'
printf '<spip_meta>\n<nom>alea_ephemere</nom>\n<valeur>CANARY-META-SECRET</valeur>\n</spip_meta>\n\n'
printf '<spip_breves>\n<id_breve>4</id_breve>\n<titre>Coup\351e'
} > quirks.xml

run "$I" --rejects rej.jsonl quirks.xml; check_exit "quirks exit" 1
cp out quirks.jsonl
cat > expected.err <<'MSG'
mie-import: quirks.xml:44: spip_articles id 80: a second, different row with the same id: both kept, this one as id 80~f05f281a
mie-import: quirks.xml:105: spip_breves: row cut short by the end of the input: not imported
mie-import: the dump ends without </SPIP>: it was cut; every complete row before the cut is imported
mie-import: quirks.xml: spip-dump: 1 link row, carried as keywords references
mie-import: quirks.xml: spip-dump repeated identical rows: 1 skipped
mie-import: quirks.xml: spip-dump private messages (never exported): 1 skipped
mie-import: quirks.xml: spip-dump spip_breves: 1 read, 0 written, 1 rejected
mie-import: quirks.xml: spip-dump spip_articles: 3 read, 3 written, 0 rejected
mie-import: quirks.xml: spip-dump spip_versions_fragments: 1 read, 1 written, 0 rejected
mie-import: quirks.xml: spip-dump spip_plugin_agenda: 1 read, 1 written, 0 rejected
mie-import: quirks.xml: spip-dump spip_auteurs: 1 read, 1 written, 0 rejected
mie-import: quirks.xml: spip-dump spip_auteurs: withheld (privacy): email (1), login (1), pass (1), htpass (1), alea_actuel (1), alea_futur (1), cookie_oubli (1), low_sec (1), password_hash (1)
mie-import: quirks.xml: spip-dump spip_forum: 1 read, 1 written, 0 rejected
mie-import: quirks.xml: spip-dump spip_forum: withheld (privacy): email_auteur (1), ip (1)
mie-import: quirks.xml: spip-dump spip_rubriques: 2 read, 2 written, 0 rejected
mie-import: quirks.xml: spip-dump spip_meta: 1 read, 1 written, 0 rejected
mie-import: quirks.xml: spip-dump spip_meta: withheld (privacy): valeur (1)
MSG
check_same "quirks messages and summary (read = written + rejected)" expected.err err
run "$V" --strict quirks.jsonl; check_exit "quirks output: valid, a differing duplicate key has its own id; --strict refuses the dangling keyword" 1
check_text "quirks output: only the keyword this dump lacks" 'mie-validate: quirks.jsonl:1: infomie.net:article:78: keywords: reference to "infomie.net:keyword:1", absent from the stream
mie-validate: 10 records read, 10 valid, 0 invalid, 1 dangling references' err
run "$V" quirks.jsonl; check_exit "quirks output valid without --strict" 0
check_jsonschema "quirks output passes the JSON Schema" quirks.jsonl
"$BIN/mie-cat" --to xml quirks.jsonl > quirks.xml.out; check_xsd "quirks output as XML passes the XSD" quirks.xml.out

jq -c 'select(.id=="infomie.net:article:78") | [.title, .rank, .section_path, .date_published, .date_modified, .keywords, .extra.visites]' quirks.jsonl > a78
check_text "article: charset, rank, section path, dates, links" '["L’accueil des élèves",3,["Droits","Accès à l’éducation"],"2006-12-05T14:03:00",null,["infomie.net:keyword:1"],"12"]' a78
jq -r 'select(.id=="infomie.net:article:78") | .text.spip' quirks.jsonl > spip
check_text "text.spip: controls repaired, cp1252 read, entities decoded but markup kept" 'Un deux trois œuvre € ]]> été ’ &lt;b&gt; [[note]]' spip
jq -r 'select(.id=="infomie.net:article:78") | [.provenance[0].repairs[] | .kind + " " + .path] | join(", ")' quirks.jsonl > rep
check_text "every repair recorded" 'charset-cp1252 title, charset-cp1252 text.spip, control-char text.spip, entity text.spip' rep
jq -c 'select(.id=="infomie.net:article:78") | .notes.plain' quirks.jsonl > notes
check_text "footnotes into notes" '"[1] note"' notes
jq -c 'select(.legacy.id=="80") | [.id, .redirect, .title, (.provenance[0].repairs // [] | map(.kind))]' quirks.jsonl > a80
check_text "virtual articles and a differing duplicate key (own id, repair)" '["infomie.net:article:80","http://www.example.org/rapport.pdf","Rapport",[]]
["infomie.net:article:80~f05f281a","http://www.example.org/rapport.pdf","Rapport (autre version)",["duplicate_key"]]' a80
check_nogrep "rejects hold no credential" "CANARY" rej.jsonl

# credentials never leave, with or without --keep-personal; personal data only with it
for keep in "" --keep-personal; do
	"$I" $keep --rejects rej2.jsonl -o out2.jsonl quirks.xml 2> err2
	for canary in CANARY-PASS CANARY-HTPASS CANARY-ALEA CANARY-COOKIE CANARY-LOWSEC CANARY-HASH CANARY-META-SECRET CANARY-PRIVATE-MESSAGE; do
		check_nogrep "no $canary anywhere ${keep:-by default}" "$canary" out2.jsonl err2 rej2.jsonl
	done
done
"$I" -q -o def.jsonl quirks.xml
check_nogrep "no email, IP or login by default" "CANARY-EMAIL" def.jsonl
check_nogrep "no forum email by default" "CANARY-FORUM" def.jsonl
check_nogrep "no IP by default" "192.0.2.99" def.jsonl
check_nogrep "no login by default" "CANARY-LOGIN" def.jsonl
"$I" -q --keep-personal -o keep.jsonl quirks.xml
check_grep "email with --keep-personal" "CANARY-EMAIL@example.org" keep.jsonl
check_grep "IP with --keep-personal" "192.0.2.99" keep.jsonl

# --status keeps one status
run "$I" -q --status publie quirks.xml
check_text "--status publie" 'infomie.net:article:78
infomie.net:section:3
infomie.net:section:2' "$(jq -r 'select(.status=="publie" or .type=="section") | .id' out > st; echo st)"

# ---- UTF-8 dump: BOM against a declared encoding, a <CONVERT> row ----
printf '\357\273\277<?xml version="1.0" encoding="iso-8859-1"?>\n<SPIP version="1.9.1" version_base="1.917" version_archive="1.3">\n\n<spip_articles>\n<id_article>5</id_article>\n<titre>&lt;CONVERT iso-8859-1>Acc\350s</titre>\n</spip_articles>\n\n<spip_articles>\n<id_article>6</id_article>\n<titre>D\303\251j\303\240 converti</titre>\n</spip_articles>\n\n</SPIP>\n' > utf8.xml
run "$I" --site http://www.example.org/ utf8.xml; check_exit "utf-8 dump exit" 0
check_grep "BOM wins, with a warning" 'mie-import: utf8.xml: UTF-8 byte order mark, but encoding "iso-8859-1" declared: read as UTF-8' err
jq -c '[.id, .title, .provenance[0].charset]' out > conv
check_text "CONVERT row read in its own charset; --site gives the ids" '["example.org:article:5","Accès","iso-8859-1"]
["example.org:article:6","Déjà converti","utf-8"]' conv

# ---- a dump in gzip members, and a dump in two parts ----
head -n 36 quirks.xml > part1; tail -n +37 quirks.xml > part2 # parts end between rows, as SPIP's slices do
run "$I" -q --from spip-dump part1 part2; jq -c 'del(.provenance)' out > parts.jsonl
run "$I" -q quirks.xml; jq -c 'del(.provenance)' out > whole.jsonl
check_same "a dump in two parts reads as one" whole.jsonl parts.jsonl
for p in part1 part2; do gzip -c $p; done > members.xml.gz
run "$I" -q members.xml.gz; jq -c 'del(.provenance)' out > gz.jsonl
check_same "a multi-member gzip dump reads as one" whole.jsonl gz.jsonl

# ---- the sample dump: every record valid, references settled ----
run "$I" -o sample.jsonl "$TOP/examples/sample/dump.xml.gz"; check_exit "sample dump exit" 0
run "$V" --strict sample.jsonl; check_exit "sample dump valid, no dangling reference" 0
check_jsonschema "sample dump passes the JSON Schema" sample.jsonl

# ---- property: text a latin-1 site stored comes back as typed ----
python3 - <<'PY'
import random, unicodedata, json
rng = random.Random(7)
alphabet = list("abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ0123456789.,;:!?()-'\"") + list("éèêëàâäîïôöùûüçÉÈÀÇœŒ€’‘“”…–—«»°æ")
rows, expected = [], []
named = {"é": "&eacute;", "è": "&egrave;", "à": "&agrave;", "’": "&#8217;", "«": "&laquo;", "»": "&raquo;", "œ": "&oelig;"}
for i in range(1, 301):
    s = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))).strip() or "x"
    stored = ""
    for ch in s:   # some characters typed as entities, as SPIP stored them
        stored += named[ch] if ch in named and rng.random() < 0.4 else ch
    b = stored.replace("&", "&amp;").replace("<", "&lt;").encode("cp1252")
    ctl = b"\x0b" if rng.random() < 0.2 else b""
    rows.append(b"<spip_articles>\n<id_article>%d</id_article>\n<titre>%s%s</titre>\n</spip_articles>\n\n" % (i, b, ctl))
    expected.append(unicodedata.normalize("NFC", s + " " if ctl else s))  # VT becomes a space
with open("prop.xml", "wb") as f:
    f.write(b'<?xml version="1.0" encoding="iso-8859-1"?>\n<SPIP version="1.9.1" version_base="1.917" version_archive="1.3">\n\n' + b"".join(rows) + b"</SPIP>\n")
with open("prop.expected", "w", encoding="utf-8") as f:
    for e in expected:
        f.write(json.dumps(e, ensure_ascii=False) + "\n")
PY
"$I" -q prop.xml | jq -c '.title' > prop.got
check_same "property: 300 random latin-1 titles with entities and controls import back" prop.expected prop.got

# ---- repeated slices: one key, rows A B B C A -> A, B~h, C~h; 2 skipped ----
{
printf '<?xml version="1.0" encoding="utf-8"?>\n<SPIP version="1.9.1" version_base="1.917" version_archive="1.3">\n\n'
for t in Alpha Beta Beta Gamma Alpha; do
	printf '<spip_breves>\n<id_breve>9</id_breve>\n<titre>%s</titre>\n<statut>publie</statut>\n</spip_breves>\n\n' $t
done
printf '</SPIP>\n'
} > slices.xml
run "$I" slices.xml; check_exit "repeated slices exit (warnings only)" 0
jq -c '[.id, .title]' out > sl
check_text "repeated slices: each distinct copy once, with its own id" '["infomie.net:brief:9","Alpha"]
["infomie.net:brief:9~f32a48d7","Beta"]
["infomie.net:brief:9~ac1d1fb6","Gamma"]' sl
check_grep "repeated slices: two identical rows skipped" 'mie-import: slices.xml: spip-dump repeated identical rows: 2 skipped' err
check_grep "repeated slices: read = written" 'mie-import: slices.xml: spip-dump spip_breves: 3 read, 3 written, 0 rejected' err
"$V" out > /dev/null 2>&1; check_eq "repeated slices: output valid" 0 $?

# ---- <multi> titles in the record's language; <docN>, links, document mime ----
run "$I" "$FIX/spip/multi-docs.xml"; check_exit "multi/docs exit" 0
jq -c 'select(.type=="article") | [.title, .lang, .documents, .links, .provenance[0].repairs[0].kind]' out > md
check_text "<multi> resolved to the article lang; models and link-table documents; links" '["Hello","en",["infomie.net:document:5","infomie.net:document:3","infomie.net:document:9"],["infomie.net:article:12","infomie.net:section:4"],"multi"]' md
jq -c 'select(.type=="document") | [.mime, .file, .size, .kind]' out > doc
check_text "document: mime from spip_types_documents" '["application/pdf","IMG/pdf/guide.pdf",1234,"document"]' doc
sed 's/<lang>en<\/lang>//' "$FIX/spip/multi-docs.xml" > nolang.xml
"$I" -q nolang.xml | jq -r 'select(.type=="article") | .title' > nl
check_text "<multi> without a lang: the first language" 'Bonjour' nl
run "$I" -q --to xml - < "$FIX/spip/multi-docs.xml"; cp out md.xml
check_xsd "--to xml from stdin passes the XSD" md.xml

# ---- private forum threads and signature confirmation keys never leave ----
{
printf '<?xml version="1.0" encoding="utf-8"?>\n<SPIP version="1.9.1" version_base="1.917" version_archive="1.3">\n\n'
n=0
for st in publie privrac privadm prive perso privoff; do
	n=$((n + 1))
	printf '<spip_forum>\n<id_forum>%s</id_forum>\n<id_article>1</id_article>\n<titre>Sujet</titre>\n<texte>CANARY-%s</texte>\n<statut>%s</statut>\n</spip_forum>\n\n' $n $st $st
done
printf '<spip_signatures>\n<id_signature>1</id_signature>\n<id_article>1</id_article>\n<nom_email>Léa</nom_email>\n<statut>CANARY-KEY-7f3a9</statut>\n</spip_signatures>\n\n</SPIP>\n'
} > private.xml
run "$I" --rejects prej.jsonl private.xml; check_exit "private forum exit" 0
jq -c '[.id, .status, (.provenance[0].repairs // [] | map(.kind))]' out > pv
check_text "only the public comment; the signature awaiting confirmation reads as prop" '["infomie.net:comment:1","publie",[]]
["infomie.net:signature:1","prop",["confirmation-key"]]' pv
check_grep "private forum messages counted" 'mie-import: private.xml: spip-dump private forum messages (never exported): 5 skipped' err
for c in CANARY-privrac CANARY-privadm CANARY-prive CANARY-perso CANARY-privoff CANARY-KEY; do
	check_nogrep "no $c anywhere" "$c" out err prej.jsonl
done

# ---- the bench generator's dump (every quirk, 1 MB): valid, no secret leaves ----
python3 "$TOP/bench/gen-spip-dump.py" 1 > gen.xml
python3 "$TOP/bench/gen-spip-dump.py" 1 --charset utf-8 --cut > genu.xml
for g in gen genu; do
	for keep in "" --keep-personal; do
		"$I" $keep --rejects grej.jsonl -o g.jsonl $g.xml 2> gerr
		"$V" --strict g.jsonl > /dev/null 2> gval; check_eq "generated $g dump ${keep:-by default}: valid, no dangling reference" 0 $?
		for c in CANARY-PASS CANARY-HTPASS CANARY-ALEA CANARY-COOKIE CANARY-LOWSEC CANARY-PRIVATE CANARY-CONFIRM; do
			check_nogrep "generated $g dump ${keep:-by default}: no $c" "$c" g.jsonl gerr grej.jsonl
		done
	done
done
check_jsonschema "generated dump passes the JSON Schema" g.jsonl
"$I" -q gen.xml | jq -r 'select(.provenance[0].repairs) | .provenance[0].repairs[].kind' | sort -u | tr '\n' ' ' > kinds; echo >> kinds
check_text "generated dump exercises the repairs" 'charset-cp1252 confirmation-key control-char duplicate_key entity multi undecodable-byte withheld ' kinds
"$I" -q genu.xml | jq -r 'select(.provenance[0].repairs) | .provenance[0].repairs[].kind' | sort -u | tr '\n' ' ' > kindsu; echo >> kindsu
check_text "generated utf-8 dump exercises the repairs" 'charset-cp1252 confirmation-key control-char convert-marker duplicate_key entity invalid-utf8 multi withheld ' kindsu

# ---- a dump cut anywhere (split -b: rows cut in the middle) reads as one ----
split -b 150000 gen.xml gpart.
run "$I" --from spip-dump gpart.*; jq -c 'del(.provenance)' out > gparts.jsonl
"$I" -q gen.xml | jq -c 'del(.provenance)' > gwhole.jsonl
check_same "byte-split parts: the same records as the whole dump" gwhole.jsonl gparts.jsonl
check_nogrep "byte-split parts: no row reported cut" "cut short" err
run "$I" --from spip-dump gpart.aa; check_exit "a lone first part: the row at its end is cut" 1
check_grep "a lone first part: the cut row rejected at the end" 'spip_articles: row cut short by the end of the input: not imported' err
printf '<spip_breves>\n<id_breve>1</id_breve>\n<titre>A' > cut1.xml
run "$I" --from spip-dump cut1.xml utf8.xml; check_exit "a cut row, then a new dump: the row stays cut" 1
check_grep "a cut row, then a new dump: reported at its own place" 'mie-import: cut1.xml:1: spip_breves: row cut short by the end of the input: not imported' err

# ---- property: cut in two at many offsets, the dump reads the same ----
"$I" -q "$FIX/spip/multi-docs.xml" quirks.xml 2> /dev/null | jq -c 'del(.provenance)' > cwhole.jsonl
cat "$FIX/spip/multi-docs.xml" quirks.xml > both.xml
size=$(wc -c < both.xml) off=1 bad=""
while [ $off -lt $size ]; do
	head -c $off both.xml > c1; tail -c +$((off + 1)) both.xml > c2
	"$I" -q --from spip-dump c1 c2 2> /dev/null | jq -c 'del(.provenance)' > cparts.jsonl
	cmp -s cwhole.jsonl cparts.jsonl || bad="$bad $off"
	off=$((off + 41))
done
check_eq "two dumps cut in two at every 41st byte read as the whole" "" "$bad"

# ---- --jobs: records are built on threads, the run is the same ----
# gen3.xml has about 2 000 rows: several batches of chunks.  Records,
# rejects, messages and the summary must not depend on the thread count.
python3 "$TOP/bench/gen-spip-dump.py" 3 > gen3.xml
for fmt in jsonl xml; do
	"$I" -j1 --to $fmt --rejects j1.rej gen3.xml cut1.xml > j1.$fmt 2> j1.err
	echo $? > j1.rc
	for j in 2 3 8; do
		"$I" -j$j --to $fmt --rejects j$j.rej gen3.xml cut1.xml > j$j.$fmt 2> j$j.err
		echo $? > j$j.rc
		check_same "--jobs $j, $fmt: the records of one thread" j1.$fmt j$j.$fmt
		check_same "--jobs $j, $fmt: the messages and summary of one thread" j1.err j$j.err
		check_same "--jobs $j, $fmt: the rejects of one thread" j1.rej j$j.rej
		check_same "--jobs $j, $fmt: the exit status of one thread" j1.rc j$j.rc
	done
done
check_grep "--jobs: the summary counts every row" 'gen3.xml: spip-dump spip_articles: ' j1.err
"$I" -j3 --status publie gen3.xml 2> /dev/null > js3.jsonl
"$I" -j1 --status publie gen3.xml 2> /dev/null > js1.jsonl
check_same "--jobs with --status: the same records" js1.jsonl js3.jsonl
run "$I" --jobs 0 gen.xml; check_exit "--jobs 0: usage error" 2
check_grep "--jobs 0: says why" 'mie-import: --jobs: not a number of threads from 1 to 64: "0"' err

# ---- a column name over 256 bytes: its end tag cannot be matched, the row is refused ----
long=$(printf 'n%.0s' $(seq 300))
printf '<SPIP>\n<spip_articles>\n<id_article>2</id_article>\n<%s>x</%s>\n<titre>T</titre>\n</spip_articles>\n<spip_articles>\n<id_article>3</id_article>\n<titre>Suivant</titre>\n</spip_articles>\n</SPIP>\n' "$long" "$long" > longname.xml
run "$I" longname.xml; check_exit "overlong column name: exit 1" 1
check_grep "overlong column name: said, with file and line" 'mie-import: longname.xml:2: spip_articles: a column name longer than 256 bytes: row not imported' err
check_text "overlong column name: the next row is imported" 'infomie.net:article:3 Suivant' "$(jq -r '.id + " " + .title' out > ln.out; echo ln.out)"

# ---- the temporary file: in $TMPDIR, and a clear error when it cannot be made ----
mkdir -p tmpdir
TMPDIR=$PWD/tmpdir "$I" gen.xml > tmpdir.jsonl 2> /dev/null
"$I" gen.xml > notmpdir.jsonl 2> /dev/null
check_same "TMPDIR: the same records" notmpdir.jsonl tmpdir.jsonl
ls tmpdir > tmpdir.ls
check_empty "TMPDIR: nothing left behind" tmpdir.ls
TMPDIR=$PWD/missing "$I" gen.xml > /dev/null 2> err; echo $? > rc
check_text "TMPDIR missing: exit 2" 2 rc
check_grep "TMPDIR missing: says where and why" "mie-import: $PWD/missing: cannot create a temporary file: No such file or directory" err
