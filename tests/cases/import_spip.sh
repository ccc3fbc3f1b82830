# mie-import on SPIP 1.9 dumps: each quirk of BAD-INPUTS.md 35-48 and 92-96
# with exact outputs; the sample dump passes every checker; no credential
# anywhere; a property test of the charset path.
. "$TOP/tests/lib.sh"
I="$BIN/mie-import"
V="$BIN/mie-validate"
S="$FIX/spip"

# ---- a latin-1 dump with raw bytes (written here: they must stay raw) ----
{
	printf '<?xml version="1.0" encoding="iso-8859-1"?>\n'
	printf '<SPIP version="1.9.1" version_base="1.917" version_archive="1.3">\n\n'
	printf '<spip_articles>\n<id_article>1</id_article>\n'
	printf '<titre>Contr\364le\013 des \223papiers\224 ]]> &amp;eacute;t&amp;eacute; 5\200</titre>\n'
	printf '<id_rubrique>0</id_rubrique>\n'
	printf '<texte>Texte\037 &amp;lt;b&amp;gt; &lt;code>x ]]> y&lt;/code> \234uvre\000</texte>\n'
	printf '<date>0000-00-00 00:00:00</date>\n<date_modif>2006-02-31 10:00:00</date_modif>\n'
	printf '<statut>publie</statut>\n</spip_articles>\n\n'
	# the same row again (a re-appended 400-row slice): kept once
	printf '<spip_articles>\n<id_article>1</id_article>\n'
	printf '<titre>Contr\364le\013 des \223papiers\224 ]]> &amp;eacute;t&amp;eacute; 5\200</titre>\n'
	printf '<id_rubrique>0</id_rubrique>\n'
	printf '<texte>Texte\037 &amp;lt;b&amp;gt; &lt;code>x ]]> y&lt;/code> \234uvre\000</texte>\n'
	printf '<date>0000-00-00 00:00:00</date>\n<date_modif>2006-02-31 10:00:00</date_modif>\n'
	printf '<statut>publie</statut>\n</spip_articles>\n\n'
	# same key, other content: both kept
	printf '<spip_articles>\n<id_article>1</id_article>\n<titre>Autre version</titre>\n<statut>prop</statut>\n</spip_articles>\n\n'
	printf '<spip_articles>\n<id_article>3</id_article>\n<titre>07. Rapport</titre>\n<chapo>=http://example.org/r.pdf</chapo>\n<texte></texte>\n<statut>publie</statut>\n</spip_articles>\n\n'
	printf '<spip_articles>\n<titre>Sans cl\351</titre>\n<statut>publie</statut>\n</spip_articles>\n\n'
	printf '<spip_mots_articles>\n<id_mot>4</id_mot>\n<id_article>3</id_article>\n</spip_mots_articles>\n\n'
	printf '<spip_mots>\n<id_mot>4</id_mot>\n<titre>Sant\351</titre>\n<id_groupe>0</id_groupe>\n</spip_mots>\n\n'
	printf '<spip_messages>\n<id_message>1</id_message>\n<titre>priv\351</titre>\n</spip_messages>\n\n'
	printf '<spip_versions_fragments>\n<id_article>1</id_article>\n<fragment>x\234\000\001\377</fragment>\n</spip_versions_fragments>\n\n'
	printf '<spip_plugin_truc>\n<id>1</id>\n</spip_plugin_truc>\n\n'
	printf '<spip_auteurs>\n<id_auteur>2</id_auteur>\n<nom>L\351a</nom>\n<pass>CANARY-P</pass>\n<password_hash>CANARY-H</password_hash>\n<api_key>CANARY-K</api_key>\n<secret_du_site>CANARY-S</secret_du_site>\n<email>lea@example.org</email>\n<en_ligne>2007-13-01 00:00:00</en_ligne>\n<statut>1comite</statut>\n</spip_auteurs>\n\n'
	printf '<spip_forum>\n<id_forum>7</id_forum>\n<id_parent>0</id_parent>\n<id_article>3</id_article>\n<titre>Question</titre>\n<texte>Bonjour</texte>\n<auteur>Sophie</auteur>\n<email_auteur>sophie@example.org</email_auteur>\n<ip>192.0.2.7</ip>\n<statut>publie</statut>\n</spip_forum>\n\n'
	printf '<spip_forum>\n<id_forum>8</id_forum>\n<id_article>3</id_article>\n<titre>Interne</titre>\n<statut>privadm</statut>\n</spip_forum>\n\n'
	printf '<spip_articles>\n<id_article>9</id_article>\n<titre>Coup\351 net'
} > quirks.xml

run "$I" --site http://www.infomie.net/ --rejects rej.jsonl quirks.xml
check_exit "quirks: exit 1 (rejected rows)" 1
check_same "quirks: records" "$S/quirks.expected.jsonl" out
check_same "quirks: messages" "$S/quirks.expected.err" err
check_same "quirks: rejects" "$S/quirks.expected.rej" rej.jsonl
cp out quirks.jsonl
run "$V" --strict quirks.jsonl; check_exit "quirks: output valid (--strict)" 0
check_nogrep "quirks: no canary" CANARY out err rej.jsonl
check_nogrep "quirks: no e-mail by default" @example.org out
check_nogrep "quirks: no IP by default" 192.0.2.7 out
run "$I" -q --keep-personal --site infomie.net quirks.xml
check_grep "--keep-personal: author e-mail" '"email":"lea@example.org"' out
check_grep "--keep-personal: forum IP" '"ip":"192.0.2.7"' out
check_nogrep "--keep-personal: still no canary" CANARY out err

# ---- links, sections, document types and site address after the content ----
run "$I" -q "$S/links-last.xml"; check_exit "links last: exit" 0
sed "s|$S/||" out > out.short
check_same "links last: records" "$S/links-last.expected.jsonl" out.short
check_nogrep "links last: no spip_meta secret" CANARY out err

# ---- UTF-8 BOM wins over the declared encoding ----
printf '\357\273\277<?xml version="1.0" encoding="ISO-8859-1"?>\n<SPIP version="1.9.1">\n<spip_mots>\n<id_mot>1</id_mot>\n<titre>\303\251t\303\251</titre>\n</spip_mots>\n</SPIP>\n' > bom.xml
run "$I" -q bom.xml
check_grep "BOM: read as UTF-8" '"title":"été"' out
run "$I" bom.xml
check_grep "BOM: warning" 'mie-import: bom.xml: UTF-8 byte order mark and encoding "ISO-8859-1": read as UTF-8' err

# ---- <CONVERT iso-8859-1> title prefix in a UTF-8 dump ----
printf '<?xml version="1.0" encoding="utf-8"?>\n<SPIP version="1.9.2">\n<spip_breves>\n<id_breve>1</id_breve>\n<titre>&lt;CONVERT iso-8859-1>R\351sum\351</titre>\n<texte>D\351j\340</texte>\n</spip_breves>\n</SPIP>\n' > convert.xml
run "$I" -q convert.xml
check_grep "CONVERT: title" '"title":"Résumé"' out
check_grep "CONVERT: text" '"spip":"Déjà"' out
check_grep "CONVERT: repair" '"kind":"convert-prefix","path":"title"' out

# ---- a text field over 10 MB ----
{
	printf '<?xml version="1.0" encoding="utf-8"?>\n<SPIP version="1.9.1">\n<spip_articles>\n<id_article>1</id_article>\n<texte>'
	head -c 11000000 /dev/zero | tr '\0' 'a'
	printf '</texte>\n</spip_articles>\n<spip_articles>\n<id_article>2</id_article>\n<titre>Apr\303\250s</titre>\n</spip_articles>\n</SPIP>\n'
} > big.xml
run "$I" -q big.xml; check_exit "11 MB text: exit" 0
check_eq "11 MB text: both rows" 2 "$(wc -l < out)"
check_grep "11 MB text: row after it" '"title":"Après"' out

# ---- a dump split in two files, cut inside a row ----
head -c 700 "$S/links-last.xml" > part1.xml
tail -c +701 "$S/links-last.xml" > part2.xml
run "$I" -q --from spip-dump part1.xml part2.xml
sed "s|$S/||" out | sed 's|"file":"part[12].xml","line":[0-9]*|"file":"X","line":0|' > split.out
sed 's|"file":"links-last.xml","line":[0-9]*|"file":"X","line":0|' "$S/links-last.expected.jsonl" > split.expected
check_same "split dump: same records" split.expected split.out

# ---- the sample dump (multi-member gzip, link tables first, cp1252...) ----
D="$TOP/examples/sample/dump.xml.gz"
run "$I" -o sample.jsonl --rejects sample.rej "$D"; check_exit "sample: exit" 0
run "$V" --strict sample.jsonl; check_exit "sample: mie-validate --strict" 0
check_jsonschema "sample: JSON Schema" sample.jsonl
"$I" -q --to xml "$D" > sample.xml
check_xsd "sample: XSD" sample.xml
check_nogrep "sample: no canary" CANARY sample.jsonl sample.rej sample.xml err out
run "$I" -q --keep-personal -o personal.jsonl --rejects personal.rej "$D"
check_nogrep "sample --keep-personal: no canary" CANARY personal.jsonl personal.rej err out
check_grep "sample: virtual article" '"redirect":"http://www.infomie.net/IMG/pdf/rapport-2006.pdf"' sample.jsonl
check_grep "sample: mojibake repaired" '(arrêt confirmé)' sample.jsonl
check_grep "sample: vertical tab repaired" '"kind":"control-char","path":"text.spip"' sample.jsonl

# ---- property: random latin-1 SPIP text comes back as it was ----
python3 - <<'PY' > prop.xml
import random
random.seed(7)
alpha = list("abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789éèàçôÉÀœŒ€’‘“”…–—«»°&<>\"'") + ["&eacute;", "&nbsp;", "&#8217;", "\x0b", "\x1f", "\x0c"]
def enc(s):
    b = s.encode("cp1252")
    return b.replace(b"&", b"&amp;").replace(b"<", b"&lt;")
import sys
out = sys.stdout.buffer
out.write(b'<?xml version="1.0" encoding="iso-8859-1"?>\n<SPIP version="1.9.1">\n')
exp = open("prop.expected", "w", encoding="utf-8")
for i in range(1, 301):
    t = "".join(random.choice(alpha) for _ in range(random.randint(1, 40)))
    t = "x" + t + "x"
    out.write(b"<spip_mots>\n<id_mot>%d</id_mot>\n<titre>" % i + enc(t) + b"</titre>\n</spip_mots>\n")
    e = t.replace("&eacute;", "é").replace("&nbsp;", "\u00a0").replace("&#8217;", "’")
    e = e.replace("\x0b", " ").replace("\x0c", " ").replace("\x1f", "")
    import unicodedata
    exp.write(unicodedata.normalize("NFC", e) + "\n")
out.write(b"</SPIP>\n")
PY
"$I" -q prop.xml | jq -r .title > prop.actual
check_same "property: titles survive latin-1 SPIP encoding" prop.expected prop.actual
