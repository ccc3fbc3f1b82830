# mie-export: jsonl, xml and json, read back by programs mie did not write
# (ajv, xmllint --schema, jq); the usage errors; the lossiness report.
. "$TOP/tests/lib.sh"
X="$BIN/mie-export"
R="$FIX/export/records.jsonl"
N=$(wc -l < "$R")

# jsonl and xml are the interchange forms, as mie-cat writes them
run "$X" --to jsonl "$R"
check_exit "jsonl exits 0" 0
check_empty "jsonl says nothing" err
"$BIN/mie-cat" "$R" > cat.jsonl
check_same "jsonl is mie-cat's JSON Lines" cat.jsonl out
check_jsonschema "jsonl valid against the JSON Schema (ajv)" out
run "$X" --to xml -o r.xml "$R"
check_exit "xml exits 0" 0
"$BIN/mie-cat" --to xml "$R" > cat.xml
check_same "xml is mie-cat's XML" cat.xml r.xml
check_xsd "xml valid against mie-v1.xsd (xmllint)" r.xml
run "$X" --to xml --pretty "$R"
check_same "xml --pretty: the interchange XML is indented already" cat.xml out

# json: one array, each element a valid record, the same records
run "$X" --to json -o r.json "$R"
check_exit "json exits 0" 0
check_eq "jq reads the array: $N records" "$N" "$(jq length r.json)"
jq -c '.[]' r.json > elements.jsonl
jq -c . cat.jsonl > cat-jq.jsonl
check_same "json elements are the records (jq)" cat-jq.jsonl elements.jsonl
check_jsonschema "each json element valid against the JSON Schema (ajv)" elements.jsonl
run "$X" --to json --pretty "$R"
jq -c '.[]' out > pretty.jsonl
check_same "json --pretty holds the same records" cat-jq.jsonl pretty.jsonl
check_eq "json --pretty is indented" "  {" "$(sed -n 2p out)"
run "$X" --to jsonl --pretty "$R"
jq -c . out > pretty.jsonl
check_same "jsonl --pretty holds the same records (jq)" cat-jq.jsonl pretty.jsonl
printf '' | "$X" --to json > empty.json
check_text "json of no records is []" "[]" empty.json

# hostile titles survive as text
"$X" --to jsonl "$R" > r.jsonl
for t in '<script>alert(1)</script>' "=cmd|' /C calc'!A0" '=HYPERLINK("http://x","y")'; do
	check_eq "jsonl keeps title $t (jq)" 1 "$(jq --arg t "$t" 'select(.title == $t) | .id' r.jsonl | wc -l)"
	check_eq "json keeps title $t" 1 "$(jq --arg t "$t" '[.[] | select(.title == $t)] | length' r.json)"
	check_eq "xml keeps title $t (Python's XML parser)" 1 "$(python3 -c '
import sys, xml.etree.ElementTree as E
ns = "{urn:infomie:mie:interchange:1}"
print(sum(1 for a in E.parse(sys.argv[1]).getroot() if a.findtext(ns + "title") == sys.argv[2]))' r.xml "$t")"
done
check_grep "xml escapes the markup" '<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>' r.xml

# usage errors: one message each, exit 2 (the formats: the registry's, as --help lists them)
F=$("$X" --help | sed -n 's/^ *--to FORMAT *output format: //p')
check_eq "--help lists the part-1 formats" "jsonl json xml csv sqlite" "$(echo "$F" | tr ' ' '\n' | grep -vx 'spip-dump\|dc\|bagit\|markdown\|redirects' | tr '\n' ' ' | sed 's/ $//')"
run "$X" "$R"
check_exit "no --to: exit 2" 2
check_text "no --to: message" "mie-export: --to FORMAT is required ($F)" err
run "$X" --to html "$R"
check_exit "unknown format: exit 2" 2
check_grep "unknown format: message" "mie-export: --to: unknown format \"html\" ($F)" err
run "$X" --to json --excel "$R"
check_exit "option of another writer: exit 2" 2
check_grep "option of another writer: message" "mie-export: --excel: not an option of --to json" err
check_empty "option of another writer: no output" out

# the lossiness report: computed from what the writer carries
run "$X" --to csv --type keyword_group --report rep.json "$R"
check_exit "loss without --strict: exit 0" 0
check_text "loss lines" "mie-export: csv: type section: not exported (2 records)
mie-export: csv: type article: not exported (7 records)
mie-export: csv: type brief: not exported (1 record)
mie-export: csv: type author: not exported (1 record)
mie-export: csv: type keyword: not exported (1 record)
mie-export: csv: type document: not exported (1 record)
mie-export: csv: type site: not exported (1 record)
mie-export: csv: type comment: not exported (1 record)
mie-export: csv: type organisation: not exported (2 records)
mie-export: csv: type dossier: not exported (1 record)
mie-export: csv: type petition: not exported (1 record)
mie-export: csv: type signature: not exported (1 record)
mie-export: csv: provenance: not exported (1 record); --columns to choose
mie-export: csv: extra: not exported (1 record); --columns to choose" err
check_eq "--report: the same as JSON" \
	'{"to":"csv","records":21,"exported":1,"rejected":0,"types_not_exported":12,"fields_not_exported":[{"field":"provenance","records":1},{"field":"extra","records":1}],"fields_not_exact":[]}' \
	"$(jq -c '.types_not_exported |= length' rep.json)"
run "$X" --to csv --type article --strict "$R"
check_exit "loss with --strict: exit 1" 1
check_grep "text.html counted over the articles" "mie-export: csv: text.html: not exported (1 record); --columns to choose" err
check_grep "text.spip counted over the articles" "mie-export: csv: text.spip: not exported (2 records); --columns to choose" err
run "$X" -q --to csv --type article --strict "$R"
check_exit "--strict -q: still exit 1" 1
run "$X" --to sqlite -o db.sqlite --strict --report rep2.json "$R"
check_exit "sqlite carries everything: --strict exits 0" 0
check_empty "sqlite: no loss line" err
check_eq "sqlite: empty report" '0 0 21' "$(jq -r '"\(.fields_not_exported | length) \(.types_not_exported | length) \(.exported)"' rep2.json)"
