# mie-export --to dc (issue 12): Dublin Core as one OAI-PMH 2.0 Static
# Repository, valid against the official OAI-PMH, Static Repository and
# oai_dc schemas (copied in tests/fixtures/oai-pmh, read offline through its
# XML catalog); the mapping of every record type; hostile values.
. "$TOP/tests/lib.sh"
I="$BIN/mie-import"
E="$BIN/mie-export"
F="$FIX/export"
S="$FIX/oai-pmh"
SOURCE_DATE_EPOCH=1164931200 # 2006-12-01: the datestamp of undated records
export SOURCE_DATE_EPOCH

check_oai() { # name file
	if XML_CATALOG_FILES="$S/catalog.xml" xmllint --noout --nonet \
		--schema "$S/static-repository-oai_dc.xsd" "$2" > .oai.log 2>&1; then
		pass "$1"
	else
		fail "$1" "$(head -10 .oai.log)"
	fi
}

# ---- every record type of the schema's examples ----
run "$E" --to dc -o ex.xml "$TOP/schemas/examples/records.jsonl"
check_exit "examples: exit" 0
check_oai "examples: valid OAI-PMH static repository of oai_dc records" ex.xml
check_same "examples: the repository, byte for byte" "$F/records.dc.xml" ex.xml
check_grep "examples: what is not carried is reported" \
	"mie-export: dc: text.spip: not exported (4 records)" err
check_grep "examples: personal fields are not carried" \
	"mie-export: dc: phone: not exported (1 record)" err
# the mapping, read back by a program we did not write
python3 - ex.xml > mapping.txt <<'PY'
import sys
import xml.etree.ElementTree as ET
ns = {"oai": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/",
      "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/"}
for r in ET.parse(sys.argv[1]).getroot().iter("{%s}record" % ns["oai"]):
    if r.find("oai:header/oai:identifier", ns).text != "oai:infomie.net:article:78":
        continue
    for e in r.find("oai:metadata/oai_dc:dc", ns):
        print(e.tag.split("}")[1], "=", e.text.split("\n")[0])
PY
cat > expected.txt <<'TXT'
title = La scolarisation des mineurs isolés étrangers
creator = Claire Dubreuil
subject = Scolarité
description = Tout mineur présent sur le territoire a droit à l’éducation.
description = Le principe
description = [1] Code de l’éducation, article L.131-1.
description = Mise à jour après la circulaire de mars 2007.
date = 2006-12-05T14:03:00
type = Text
type = article
identifier = infomie.net:article:78
identifier = http://www.infomie.net/spip.php?article78
language = fr
relation = infomie.net:section:3
relation = infomie.net:document:3
TXT
check_same "mapping: an article's title, creator, subject, descriptions, date, type, identifiers, language, relations" expected.txt mapping.txt

# ---- a whole imported site, and the options ----
"$I" "$TOP/examples/sample/dump.xml.gz" > site.jsonl 2> /dev/null
run "$E" --to dc --repository-name "InfoMIE — archives 2006" --base-url \
	"http://gateway.example.org/oai/www.infomie.net/oai.xml" --admin-email archives@infomie.net \
	-o site.xml site.jsonl
check_exit "site: exit" 0
check_oai "site: valid" site.xml
check_grep "site: --repository-name" "<oai:repositoryName>InfoMIE — archives 2006</oai:repositoryName>" site.xml
check_grep "site: --base-url" "<oai:baseURL>http://gateway.example.org/oai/www.infomie.net/oai.xml</oai:baseURL>" site.xml
check_grep "site: --admin-email" "<oai:adminEmail>archives@infomie.net</oai:adminEmail>" site.xml
check_eq "site: one oai record per record" "$(wc -l < site.jsonl | tr -d ' ')" "$(grep -c '<oai:record>' site.xml)"
check_nogrep "site: no e-mail of a person" "@example" site.xml

# random rows of every SPIP table (the spip-dump property test's generator)
python3 "$TOP/tests/export_spip_gen.py" 2 --rows 16 > gen.xml
"$I" -q gen.xml > gen.jsonl
run "$E" -q --to dc -o gen-oai.xml gen.jsonl
check_exit "random site: exit" 0
check_oai "random site: valid" gen-oai.xml
check_eq "random site: one oai record per record" "$(wc -l < gen.jsonl | tr -d ' ')" "$(grep -c '<oai:record>' gen-oai.xml)"

# ---- hostile values stay text ----
run "$E" --to dc -o h.xml "$F/hostile.jsonl"
check_exit "hostile: exit" 0
check_oai "hostile: valid" h.xml
python3 - h.xml > got.txt <<'PY'
import sys
import xml.etree.ElementTree as ET
for e in ET.parse(sys.argv[1]).getroot().iter("{http://purl.org/dc/elements/1.1/}title"):
    print(e.text)
PY
jq -r .title "$F/hostile.jsonl" > want.txt
check_same "hostile: titles read back as the same text" want.txt got.txt
check_grep "hostile: <script> escaped" "<dc:title>&lt;script&gt;alert(1)&lt;/script&gt;</dc:title>" h.xml

# ---- usage and empty input ----
run "$E" --to dc --admin-email nobody -o u.xml "$F/hostile.jsonl"
check_exit "usage: bad --admin-email exit" 2
check_text "usage: bad --admin-email message" 'mie-export: --admin-email: "nobody": not an e-mail address' err
: > empty.jsonl
run "$E" --to dc -o e.xml empty.jsonl
check_exit "empty: exit" 2
check_text "empty: message" "mie-export: empty.jsonl: no records
mie-export: dc: no record to export: a static repository holds at least one" err
if [ ! -e e.xml ]; then pass "empty: no output left"; else fail "empty: no output left" "e.xml exists"; fi

# ---- a full disk is an error, not silence ----
run "$E" -q --to dc -o /dev/full "$TOP/schemas/examples/records.jsonl"
check_exit "full disk: exit" 2
check_text "full disk: message" "mie-export: /dev/full: write error: No space left on device" err
