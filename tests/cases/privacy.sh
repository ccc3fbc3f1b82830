# The privacy rule of mie-import (issue 11, man/mie-import.1 PRIVACY): a
# canary test over every reader (XML dump, SQL dump, CSV, HTML page, feed,
# WARC), both output forms, --rejects, the summary and the reports made
# from the records (mie-dedup --report, mie-export --report, a bag's
# data/withheld.json), with and without --keep-personal: every output byte
# is searched for every canary, one distinct string per column.  Then the
# exact outcome of damaged dump tags, of table_row records and of the
# withheld repairs.
. "$TOP/tests/lib.sh"
I="$BIN/mie-import"
W="$FIX/web/site"

# ---- the inputs: CANARY-D-* credentials, CANARY-P-* personal data ----
{
printf '<?xml version="1.0" encoding="utf-8"?>\n<SPIP version="1.9.2" version_base="1.927" version_archive="1.3" adresse_site="http://www.infomie.net">\n\n'
printf '<spip_auteurs>\n<id_auteur>1</id_auteur>\n<nom>Claire Dubreuil</nom>\n<bio>Juriste.</bio>\n<url_site>http://admin:CANARY-D-URLPW@www.example.org/claire</url_site>\n'
printf '<email>CANARY-P-EMAIL@example.org</email>\n<email2>CANARY-P-EMAIL2@example.org</email2>\n<login>CANARY-P-LOGIN</login>\n<en_ligne>CANARY-P-ENLIGNE</en_ligne>\n'
printf '<pass>CANARY-D-PASS</pass>\n<htpass>CANARY-D-HTPASS</htpass>\n<alea_actuel>CANARY-D-ALEA1</alea_actuel>\n<alea_futur>CANARY-D-ALEA2</alea_futur>\n'
printf '<cookie_oubli>CANARY-D-COOKIEOUBLI</cookie_oubli>\n<low_sec>CANARY-D-LOWSEC</low_sec>\n<pass_md5>CANARY-D-PASSMD5</pass_md5>\n<private_key>CANARY-D-PRIVKEY</private_key>\n'
printf '<access_key>CANARY-D-ACCESSKEY</access_key>\n<session_id>CANARY-D-SESSION</session_id>\n<pwd>CANARY-D-PWD</pwd>\n<mdp>CANARY-D-MDP</mdp>\n<salt>CANARY-D-SALT</salt>\n'
printf '<hash>CANARY-D-HASH</hash>\n<cookie>CANARY-D-COOKIE</cookie>\n<secret>CANARY-D-SECRET</secret>\n<token>CANARY-D-TOKEN</token>\n<sessionId>CANARY-D-CAMEL</sessionId>\n'
printf '<source>$2y$10$CANARYDCRYPTabcdefghijklmnopqrstu</source>\n<nom_site>cafebabecafebabecafebabecafebabe</nom_site>\n</spip_auteurs>\n\n'
printf '<spip_forum>\n<id_forum>3</id_forum>\n<id_article>1</id_article>\n<titre>Question</titre>\n<texte>Voir http://u:CANARY-D-FORUMPW@www.example.org/ merci</texte>\n<auteur>Sophie</auteur>\n<email_auteur>CANARY-P-FEMAIL@example.net</email_auteur>\n<ip>192.0.2.77</ip>\n<statut>publie</statut>\n</spip_forum>\n\n'
printf '<spip_signatures>\n<id_signature>4</id_signature>\n<id_article>1</id_article>\n<nom_email>Léa</nom_email>\n<ad_email>CANARY-P-SIGMAIL@example.net</ad_email>\n<statut>publie</statut>\n</spip_signatures>\n\n'
printf '<spip_contacts>\n<id_contact>5</id_contact>\n<prenom>CANARY-P-PRENOM</prenom>\n<telephone>CANARY-P-TEL</telephone>\n<pass>CANARY-D-CONTACTPASS</pass>\n</spip_contacts>\n\n'
printf '<spip_meta>\n<nom>alea_ephemere</nom>\n<valeur>CANARY-D-META</valeur>\n</spip_meta>\n\n'
printf '<spip_meta>\n<nom>email_webmaster</nom>\n<valeur>CANARY-P-METAMAIL</valeur>\n</spip_meta>\n\n'
printf '<spip_auteurs>\n<id_auteur>6</id_auteur>\n<nom>Rompu</nom>\n<url_site>http://ex.org</url_site >\n<pass>CANARY-D-DMG1</pass>\n</spip_auteurs>\n\n'
printf '<spip_auteurs>\n<id_auteur>7</id_auteur>\n<login>x</LOGIN>\n<alea_actuel>CANARY-D-DMG2</alea_actuel>\n</spip_auteurs>\n\n'
printf '<spip_forum>\n<id_forum>8</id_forum>\n<auteur>Anne</auteur\n<email_auteur>CANARY-P-DMG3</email_auteur>\n<ip>192.0.2.78</ip>\n</spip_forum>\n\n'
printf '<spip_auteurs>\n<id_auteur>9</id_auteur>\n<pass/>\n<nom>CANARY-D-DMG4</nom>\n</spip_auteurs>\n\n'
printf '<spip_auteurs>\n<id_auteur>10</id_auteur>\n<spip:pass>CANARY-D-DMG5</spip:pass>\n</spip_auteurs>\n\n'
printf '<spip_auteurs>\n<id_auteur>11</id_auteur>\n<pass\013>CANARY-D-DMG6</pass\013>\n</spip_auteurs>\n\n'
printf '<spip_auteurs>\n<id_auteur>12</id_auteur>\n<pa\000ss>CANARY-D-DMG7</pa\000ss>\n</spip_auteurs>\n\n'
printf '<spip_auteurs>\n<nom>Sans clef</nom>\n<pass>CANARY-D-NOKEY</pass>\n<email>CANARY-P-NOKEYMAIL</email>\n</spip_auteurs>\n\n'
printf '</SPIP>\n'
} > dump.xml

cat > dump.sql <<'SQL'
INSERT INTO `spip_auteurs` (`id_auteur`, `nom`, `email`, `pass`, `alea_actuel`, `cookie_oubli`, `pass_md5`, `url_site`) VALUES (1,'Claire','CANARY-P-SQLMAIL','CANARY-D-SQLPASS','CANARY-D-SQLALEA','CANARY-D-SQLCOOKIE','CANARY-D-SQLMD5','http://u:CANARY-D-SQLURLPW@h.example/');
INSERT INTO `spip_plugin_membres` (`id_membre`, `Mot_de_passe`, `courriel`) VALUES (2,'CANARY-D-SQLMDP','CANARY-P-SQLCOURRIEL');
INSERT INTO `spip_auteurs` (`id_auteur`, `nom`, `pass`, `email`) VALUES ('x','Sans','CANARY-D-SQLREJ','CANARY-P-SQLREJMAIL');
SQL

printf 'Nom;Ville;Site;Password;Token;Mot de passe;Contact;E-mail 2;Horaires\n' > orgs.csv
printf 'Foyer A;Lyon;http://adm:CANARY-C-URLPW@foyer.example/;CANARY-C-PASS;CANARY-C-TOKEN;CANARY-C-MDP;CANARY-P-CCONTACT;CANARY-P-CMAIL2;9h-18h\n' >> orgs.csv
printf 'Foyer B;Paris;CANARY-C-MIS1;CANARY-C-MIS2\n' >> orgs.csv
printf ';Nulle part;;CANARY-C-NONAME;;;CANARY-P-CNONAME;;\n' >> orgs.csv

sed 's|<h3 class="spip">Le principe</h3>|<h3 class="spip">Le principe</h3><p><a href="http://admin:CANARY-H-PW@www.example.org/x">lien</a></p>|' "$W/spip.php?article78.html" > 'spip.php?article78.html'
sed 's|Tout mineur pr&#233;sent|\&lt;a href="http://admin:CANARY-F-PW@www.example.org/"\&gt;lien\&lt;/a\&gt; Tout mineur pr\&#233;sent|' "$FIX/feed/backend.xml" > feed.xml

rec() { # TYPE URI DATE CONTENT-TYPE FILE: one WARC record
	printf 'WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:%s>\r\n' "$1" "0000000$(echo "$2" | cksum | cut -d' ' -f1)"
	printf 'WARC-Target-URI: %s\r\nWARC-Date: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n' "$2" "$3" "$4" "$(wc -c < "$5")"
	cat "$5"
	printf '\r\n\r\n'
}
{ printf 'HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n'
  sed 's|<h3 class="spip">Le principe</h3>|<h3 class="spip">Le principe</h3><p><a href="http://admin:CANARY-W-PW@www.example.org/y">lien</a></p>|' "$W/spip.php?article78.html"; } > r1
{ printf 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: br\r\n\r\n'; printf '\033\001\002'; } > r2
{
	rec response 'http://admin:CANARY-W-URIPW@www.infomie.net/spip.php?article78' 2007-01-10T10:00:00Z 'application/http; msgtype=response' r1
	rec response 'http://admin:CANARY-W-REJPW@www.infomie.net/spip.php?article90' 2007-01-10T10:00:00Z 'application/http; msgtype=response' r2
} > cap.warc

CANARIES_D="CANARY-D-URLPW CANARY-D-PASS CANARY-D-HTPASS CANARY-D-ALEA1 CANARY-D-ALEA2 CANARY-D-COOKIEOUBLI CANARY-D-LOWSEC CANARY-D-PASSMD5 CANARY-D-PRIVKEY CANARY-D-ACCESSKEY CANARY-D-SESSION CANARY-D-PWD CANARY-D-MDP CANARY-D-SALT CANARY-D-HASH CANARY-D-COOKIE CANARY-D-SECRET CANARY-D-TOKEN CANARY-D-CAMEL CANARYDCRYPT cafebabecafebabe CANARY-D-FORUMPW CANARY-D-CONTACTPASS CANARY-D-META CANARY-D-DMG1 CANARY-D-DMG2 CANARY-D-DMG4 CANARY-D-DMG5 CANARY-D-DMG6 CANARY-D-DMG7 CANARY-D-NOKEY CANARY-D-SQLPASS CANARY-D-SQLALEA CANARY-D-SQLCOOKIE CANARY-D-SQLMD5 CANARY-D-SQLURLPW CANARY-D-SQLMDP CANARY-D-SQLREJ CANARY-C-URLPW CANARY-C-PASS CANARY-C-TOKEN CANARY-C-MDP CANARY-C-MIS1 CANARY-C-MIS2 CANARY-C-NONAME CANARY-H-PW CANARY-F-PW CANARY-W-PW CANARY-W-URIPW CANARY-W-REJPW"
# personal data: out only with --keep-personal (the damaged rows' never)
# (in records, or in the rejects of intact rows: CANARY-P-*REJ*), the
# damaged rows' never
CANARIES_P="CANARY-P-EMAIL@ CANARY-P-EMAIL2 CANARY-P-LOGIN CANARY-P-ENLIGNE CANARY-P-FEMAIL 192.0.2.77 CANARY-P-SIGMAIL CANARY-P-PRENOM CANARY-P-TEL CANARY-P-METAMAIL CANARY-P-SQLMAIL CANARY-P-SQLCOURRIEL CANARY-P-CCONTACT CANARY-P-CMAIL2 CANARY-P-NOKEYMAIL CANARY-P-SQLREJMAIL CANARY-P-CNONAME"
CANARIES_NEVER_P="CANARY-P-DMG3 192.0.2.78"

# every output of one configuration: the records in both forms, rejects,
# messages and summary, reports made from the records
outputs() { # KEEP (or "")
	rm -rf o && mkdir o
	for form in jsonl xml; do
		"$I" $1 --to $form --rejects o/rej.$form -o o/all.$form dump.xml 2> o/err.dump.$form
		"$I" $1 --to $form --rejects o/rej.sql.$form -o o/sql.$form --from sql dump.sql 2> o/err.sql.$form
		"$I" $1 --to $form --rejects o/rej.csv.$form -o o/csv.$form orgs.csv 2> o/err.csv.$form
		"$I" $1 --to $form --rejects o/rej.html.$form -o o/html.$form --site http://www.infomie.net/ 'spip.php?article78.html' 2> o/err.html.$form
		"$I" $1 --to $form --rejects o/rej.feed.$form -o o/feed.$form --from feed feed.xml 2> o/err.feed.$form
		"$I" $1 --to $form --rejects o/rej.warc.$form -o o/warc.$form cap.warc 2> o/err.warc.$form
	done
	cat o/all.jsonl o/sql.jsonl o/csv.jsonl o/html.jsonl o/feed.jsonl o/warc.jsonl > o/records.jsonl
	"$BIN/mie-dedup" --report o/dedup-report.json -o o/dedup.jsonl o/records.jsonl 2> o/err.dedup
	"$BIN/mie-export" --to csv --report o/export-report.json -o o/export.csv o/records.jsonl 2> o/err.export
	"$BIN/mie-export" --to bagit --allow-missing -o o/bag o/records.jsonl 2> o/err.bag
}

for keep in "" --keep-personal; do
	outputs "$keep"
	label=${keep:-default}
	check_eq "$label: every reader wrote records" 6 "$(for f in all sql csv html feed warc; do [ -s o/$f.jsonl ] && echo x; done | wc -l)"
	check_eq "$label: and rejects" "all csv sql warc" "$(for f in all csv sql warc; do [ -s o/rej.${f#all}jsonl ] || [ -s o/rej.$f.jsonl ] && printf '%s ' $f; done | sed 's/ $//')"
	for c in $CANARIES_D $CANARIES_NEVER_P; do
		check_nogrep "$label: no $c in any output byte" "$c" o
	done
	for c in $CANARIES_P; do
		if [ -n "$keep" ]; then
			check_eq "$label: $c kept" 1 "$(grep -rlF -- "$c" o | head -1 | wc -l)"
		else
			check_nogrep "$label: no $c in any output byte" "$c" o
		fi
	done
	check_grep "$label: the URL kept without its userinfo" '"url":"http://www.example.org/claire"' o/all.jsonl
done

# ---- exact outcomes: the damaged rows, rejected whole ----
run "$I" --rejects rej.jsonl dump.xml; check_exit "damaged rows: exit 1" 1
grep 'damaged\|primary key' err > damaged
check_text "damaged rows: each rejected whole with its line, never salvaged" 'mie-import: dump.xml:71: spip_auteurs: a damaged tag at column "url_site": where its value ends is in doubt, row rejected whole (no value kept)
mie-import: dump.xml:78: spip_auteurs: a damaged tag at column "login": where its value ends is in doubt, row rejected whole (no value kept)
mie-import: dump.xml:84: spip_forum: a damaged tag at column "auteur": where its value ends is in doubt, row rejected whole (no value kept)
mie-import: dump.xml:91: spip_auteurs: a damaged tag at column "pass/": where its value ends is in doubt, row rejected whole (no value kept)
mie-import: dump.xml:97: spip_auteurs: a damaged tag at column "spip:pass": where its value ends is in doubt, row rejected whole (no value kept)
mie-import: dump.xml:102: spip_auteurs: a damaged tag at column "pass\x0b": where its value ends is in doubt, row rejected whole (no value kept)
mie-import: dump.xml:107: spip_auteurs: a damaged tag at column "pa\x00ss": where its value ends is in doubt, row rejected whole (no value kept)
mie-import: dump.xml:112: spip_auteurs: row without its primary key: not imported' damaged
jq -c . rej.jsonl > rej.c
check_text "damaged rows: --rejects has file, line, table, reason and names only" '{"file":"dump.xml","line":71,"source":"spip-dump","table":"spip_auteurs","reason":"a damaged tag at column \"url_site\": where its value ends is in doubt, row rejected whole (no value kept)","columns_withheld":["id_auteur","nom","url_site"]}
{"file":"dump.xml","line":78,"source":"spip-dump","table":"spip_auteurs","reason":"a damaged tag at column \"login\": where its value ends is in doubt, row rejected whole (no value kept)","columns_withheld":["id_auteur","login"]}
{"file":"dump.xml","line":84,"source":"spip-dump","table":"spip_forum","reason":"a damaged tag at column \"auteur\": where its value ends is in doubt, row rejected whole (no value kept)","columns_withheld":["id_forum","auteur"]}
{"file":"dump.xml","line":91,"source":"spip-dump","table":"spip_auteurs","reason":"a damaged tag at column \"pass/\": where its value ends is in doubt, row rejected whole (no value kept)","columns_withheld":["id_auteur","pass/"]}
{"file":"dump.xml","line":97,"source":"spip-dump","table":"spip_auteurs","reason":"a damaged tag at column \"spip:pass\": where its value ends is in doubt, row rejected whole (no value kept)","columns_withheld":["id_auteur","spip:pass"]}
{"file":"dump.xml","line":102,"source":"spip-dump","table":"spip_auteurs","reason":"a damaged tag at column \"pass\\x0b\": where its value ends is in doubt, row rejected whole (no value kept)","columns_withheld":["id_auteur","pass\\x0b"]}
{"file":"dump.xml","line":107,"source":"spip-dump","table":"spip_auteurs","reason":"a damaged tag at column \"pa\\x00ss\": where its value ends is in doubt, row rejected whole (no value kept)","columns_withheld":["id_auteur","pa\\x00ss"]}
{"file":"dump.xml","line":112,"source":"spip-dump","table":"spip_auteurs","reason":"row without its primary key: not imported","columns":{"nom":"Sans clef"},"withheld":["pass","email"]}' rej.c
check_eq "damaged rows: no record for them" "" "$(jq -r 'select(.legacy.id | IN("6","7","8","9","10","11","12")) | .id' out)"

# ---- exact outcomes: withheld repairs, the summary, table_row records ----
jq -c 'select(.id == "infomie.net:author:1") | [.url, .extra, [.provenance[0].repairs[] | .kind + " " + (.path // "")]]' out > a1
check_text "author: allow-list kept, the rest named in withheld repairs" '["http://www.example.org/claire",null,["withheld email","withheld extra.email2","withheld extra.login","withheld extra.en_ligne","withheld extra.pass","withheld extra.htpass","withheld extra.alea_actuel","withheld extra.alea_futur","withheld extra.cookie_oubli","withheld extra.low_sec","withheld extra.pass_md5","withheld extra.private_key","withheld extra.access_key","withheld extra.session_id","withheld extra.pwd","withheld extra.mdp","withheld extra.salt","withheld extra.hash","withheld extra.cookie","withheld extra.secret","withheld extra.token","withheld extra.sessionId","withheld extra.source","withheld extra.nom_site","url-userinfo url"]]' a1
check_grep "summary: withheld columns counted per table, never a value" 'mie-import: dump.xml: spip-dump spip_forum: withheld (privacy): email_auteur (1), ip (1)' err
jq -c 'select(.type == "table_row") | [.id, .extra, [.provenance[0].repairs // [] | .[] | .path]]' out > tr
check_text "table_row records: unknown tables and spip_meta, through the same rule" '["infomie.net:table_row:spip_contacts/5",{"id_contact":"5"},["extra.prenom","extra.telephone","extra.pass"]]
["infomie.net:table_row:spip_meta/alea_ephemere",{"nom":"alea_ephemere"},["extra.valeur"]]
["infomie.net:table_row:spip_meta/email_webmaster",{"nom":"email_webmaster"},["extra.valeur"]]' tr
"$I" -q --keep-personal dump.xml | jq -c 'select(.type == "table_row") | .extra' > trk
check_text "table_row with --keep-personal: personal columns, never credentials" '{"id_contact":"5","prenom":"CANARY-P-PRENOM","telephone":"CANARY-P-TEL"}
{"nom":"alea_ephemere"}
{"nom":"email_webmaster","valeur":"CANARY-P-METAMAIL"}' trk
"$BIN/mie-validate" out > /dev/null 2> val; check_text "records valid (the article and petition are not in this dump)" "mie-validate: 6 records read, 6 valid, 0 invalid, 2 dangling references" "$(tail -1 val > val1; echo val1)"

# ---- CSV: the exact reject lines and the withheld paths ----
"$I" --rejects crej.jsonl orgs.csv > c.jsonl 2> cerr
check_text "csv: credentials and personal columns named" 'mie-import: orgs.csv: delimiter '"';'"', charset utf-8
mie-import: orgs.csv: header matches the "organisations" columns: organisation records (--map to choose)
mie-import: orgs.csv: credentials never exported: "Password", "Token", "Mot de passe"
mie-import: orgs.csv: personal data of individuals not kept (--keep-personal to keep): "Contact", "E-mail 2"
mie-import: orgs.csv:3: organisations: 4 cells where the header has 9: row not imported
mie-import: orgs.csv:4: organisations: no name in the title column: row not imported
mie-import: orgs.csv: csv organisations: 3 read, 1 written, 2 rejected
mie-import: orgs.csv: csv organisations: withheld (privacy): Password (2), Token (1), Mot de passe (1), Contact (2), E-mail 2 (1)' cerr
check_text "csv: rejects without withheld cells (none when misaligned)" '{"file":"orgs.csv","line":3,"source":"csv","table":"organisations","reason":"4 cells where the header has 9: row not imported","cells_withheld":4}
{"file":"orgs.csv","line":4,"source":"csv","table":"organisations","reason":"no name in the title column: row not imported","cells":["","Nulle part","",null,null,null,null,null,""]}' crej.jsonl
jq -c '[.url, .extra, [.provenance[0].repairs[] | .kind + " " + .path]]' c.jsonl > cr
check_text "csv: record, withheld repairs" '["http://foyer.example/",{"Horaires":"9h-18h"},["withheld extra.Password","withheld extra.Token","withheld extra.Mot de passe","withheld extra.Contact","withheld extra.E-mail 2","url-userinfo url"]]' cr

# ---- WARC: the URI of a rejected record, without its userinfo ----
run "$I" cap.warc
check_grep "warc: a rejected record's address said without its userinfo" '(http://www.infomie.net/spip.php?article90): content encoding "br" not supported: not imported' err

# ---- HTML: a canonical link to another site, said without its userinfo ----
mkdir -p canon
sed 's|</head>|<link rel="canonical" href="http://adm:CANARY-H-CANONPW@autre.example.org/x" /></head>|' "$W/spip.php?article78.html" > 'canon/spip.php?article78.html'
run "$I" --site http://www.infomie.net/ canon
check_grep "html: the canonical link said without its userinfo" 'canonical link to another site ignored: http://autre.example.org/x' err
check_nogrep "html: the canonical link's password nowhere" CANARY-H-CANONPW out err

# ---- a bag lists what was withheld, never a value ----
"$I" -q dump.xml | "$BIN/mie-export" -q --to bagit --allow-missing -o bag -
jq -c '[.withheld[] | select(.type == "author") | .field + " " + (.records | tostring)] | .[0:3]' bag/data/withheld.json > wj
check_text "bag: data/withheld.json lists the module's withheld fields" '["email 1","extra.email2 1","extra.login 1"]' wj

# ---- mie-stats counts the same withheld paths ----
"$I" -q orgs.csv 2> /dev/null | "$BIN/mie-stats" --json | jq -c .withheld > st
check_text "mie-stats: the withheld fields, by type and path" '{"organisation.extra.Contact":1,"organisation.extra.E-mail 2":1,"organisation.extra.Mot de passe":1,"organisation.extra.Password":1,"organisation.extra.Token":1}' st

# ---- private correspondence: set aside whole, attributable in --rejects ----
printf '<?xml version="1.0" encoding="utf-8"?>\n<SPIP version="1.9.1">\n<spip_messages>\n<id_message>1</id_message>\n<texte>CANARY-D-MSG</texte>\n</spip_messages>\n<spip_forum>\n<id_forum>2</id_forum>\n<texte>CANARY-D-PRIV</texte>\n<statut>privrac</statut>\n</spip_forum>\n</SPIP>\n' > pm.xml
for keep in "" --keep-personal; do
	run "$I" $keep --rejects pm.rej pm.xml; check_exit "private rows ${keep:-by default}: exit 0" 0
	check_text "private rows ${keep:-by default}: in --rejects by place, never by value" '{"file":"pm.xml","line":3,"source":"spip-dump","table":"spip_messages","reason":"private correspondence: never exported (mie-import(1), PRIVACY)","withheld":true}
{"file":"pm.xml","line":7,"source":"spip-dump","table":"spip_forum","id":"2","reason":"private correspondence: never exported (mie-import(1), PRIVACY)","withheld":true}' pm.rej
	check_nogrep "private rows ${keep:-by default}: no value anywhere" CANARY-D- out err pm.rej
done
