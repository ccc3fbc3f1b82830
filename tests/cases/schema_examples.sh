# Schema v1: the generated schema files are up to date with mie_schema.c's
# field table; the example stream is valid for mie-validate, xmllint
# --schema and ajv (JSON Schema 2020-12); every invalid example is refused
# by all three, mie-validate with its exact message; dates are judged alike
# by the three; XML -> JSONL -> XML is identical on the examples; the
# examples of schemas/README.md are the tools' output (schemas/gen-examples.py),
# valid, and their two forms agree; the
# three checkers agree on thousands of mutants of the examples.
. "$TOP/tests/lib.sh"
E="$TOP/schemas/examples"
if python3 "$TOP/schemas/gen-schemas.py" --check 2>gen.err; then pass "schema files up to date"; else fail "schema files up to date" "$(cat gen.err)"; fi
if python3 "$TOP/schemas/gen-examples.py" --check "$BIN" 2>gen.err; then pass "README examples are the tools' output"; else fail "README examples are the tools' output" "$(cat gen.err)"; fi

run "$BIN/mie-validate" --strict "$E/records.jsonl"; check_exit "examples valid for mie-validate" 0
check_jsonschema "examples valid for ajv" "$E/records.jsonl"
check_xsd "examples.xml valid for xmllint" "$E/records.xml"
run "$BIN/mie-cat" --to xml "$E/records.jsonl"; check_same "examples.xml is the XML form of examples.jsonl" "$E/records.xml" out
run "$BIN/mie-cat" "$E/records.xml"; check_same "XML -> JSONL gives the examples back" "$E/records.jsonl" out
"$BIN/mie-cat" --to xml out > again.xml; check_same "XML -> JSONL -> XML identical" "$E/records.xml" again.xml
types=$(sed 's/^{"type":"\([a-z_]*\)".*/\1/' "$E/records.jsonl" | sort -u | tr '\n' ' ')
check_eq "examples hold every record type" "article author brief comment document dossier keyword keyword_group organisation petition section signature site " "$types"

ajv_one() { # file.jsonl (one record): 0 when ajv accepts it, 1 when it
	# finds it invalid, 2 when it could not judge (a failure of the test)
	cp "$1" ajv-one.json
	"$AJV" validate --spec=draft2020 -c ajv-formats --strict=false \
		-s "$TOP/schemas/mie-v1.schema.json" -d ajv-one.json > ajv.log 2>&1
	if grep -q '^ajv-one.json valid$' ajv.log; then return 0; fi
	if grep -q '^ajv-one.json invalid$' ajv.log; then return 1; fi
	return 2
}

# verdicts FILE.jsonl: prints "mie-validate ajv xmllint" exit statuses (0
# valid, 1 refused) for the one record in FILE and its XML form.
verdicts() {
	"$BIN/mie-cat" -q --to xml "$1" > v.xml
	"$BIN/mie-validate" -q "$1" > /dev/null 2> v.err
	r1=$?
	ajv_one "$1"
	r2=$?
	xmllint --noout --nonet --schema "$TOP/schemas/mie-v1.xsd" v.xml > /dev/null 2>&1 && r3=0 || r3=1
	echo "$r1 $r2 $r3"
}

# Every invalid example, with mie-validate's message (after "FILE:1: ").
# The XML form of the ones XML cannot carry (control characters) is refused
# by the writer instead.
cat > expected.tsv <<'EOF'
bad-day	infomie.net:article:3: date_published: not a date: "2006-02-31"
bad-id	article 78: id: not an id (SITE:TYPE:LOCAL): "article 78"
bad-lang	infomie.net:article:11: lang: not a language tag: "Français"
bad-month	infomie.net:article:3: date_published: not a date: "2006-13-01"
control-char	infomie.net:article:15: text.plain: character U+000C not allowed at byte 4
day-zero	infomie.net:article:3: date_modified: not a date: "0000-00-00"
duplicate-ref	infomie.net:article:12: authors[1]: duplicate "infomie.net:author:1"
extra-name-control	infomie.net:article:14: extra.vis\x0bites: name: character U+000B not allowed at byte 3
extra-number	infomie.net:article:6: extra.visites: must be a string, not a number
field-of-other-type	infomie.net:keyword:1: redirect: not a field of keyword records
id-first	infomie.net:article:13: type: must be the first member
missing-id	-: id: missing
provenance-empty	infomie.net:article:8: provenance: must be a non-empty array
rank-string	infomie.net:article:6: rank: must be a whole number >= 0
repair-without-kind	infomie.net:article:9: provenance[0].repairs[0].kind: missing
score-above-one	infomie.net:article:10: duplicate_score: must be a number from 0 to 1
text-member	infomie.net:article:7: text.pdf: unknown field
unknown-field	infomie.net:article:5: visites: unknown field
unknown-type	infomie.net:article:2: type: unknown record type "articel"
variant-not-array	infomie.net:organisation:1: variants.title: must be an array, not a string
year-zero	infomie.net:article:3: date_published: not a date: "0000-01-01"
EOF
ls "$E"/invalid/*.jsonl | sed 's|.*/||; s|\.jsonl$||' > have
cut -f1 expected.tsv > want
check_same "every invalid example has its expected message" want have
while IFS='	' read -r n msg; do
	f="$E/invalid/$n.jsonl"
	cp "$f" one.jsonl
	run "$BIN/mie-validate" one.jsonl
	check_exit "$n: refused by mie-validate" 1
	check_text "$n: mie-validate message" "mie-validate: one.jsonl:1: $msg
mie-validate: 1 records read, 0 valid, 1 invalid, 0 dangling references" err
	ajv_one one.jsonl
	if [ "$n" = id-first ]; then # JSON Schema cannot see member order
		check_eq "$n: accepted by ajv (order is mie-validate's)" 0 $?
	else
		check_eq "$n: refused by ajv" 1 $?
	fi
	"$BIN/mie-cat" -q --to xml one.jsonl > one.xml
	if grep -q 'U+00' err; then
		run "$BIN/mie-cat" -q --to xml one.jsonl
		check_exit "$n: not writable as XML" 1
	elif xmllint --noout --nonet --schema "$TOP/schemas/mie-v1.xsd" one.xml > xsd.log 2>&1; then
		fail "$n: refused by xmllint --schema" "accepted: $(cat one.xml)"
	else
		pass "$n: refused by xmllint --schema"
	fi
done < expected.tsv

# Dates: the JSON Schema's pattern, the XSD's xs:date/xs:dateTime and
# mie-validate agree on the calendar, leap years and zones.
for d in 2008-02-29 2000-02-29 0001-01-01 9999-12-31 2006-12-31T23:59:59 \
	2006-12-05T14:03:00Z 2006-12-05T14:03:00+14:00 2006-12-05T14:03:00-09:30; do
	printf '{"type":"article","id":"infomie.net:article:1","date_published":"%s"}\n' "$d" > d.jsonl
	check_eq "date $d valid for mie-validate, ajv, xmllint" "0 0 0" "$(verdicts d.jsonl)"
done
for d in 2007-02-29 1900-02-29 2006-04-31 2006-02-31 0000-00-00 0000-02-29 2006-00-10 \
	2006-12-05T24:00:00 2006-12-05T14:60:00 2006-12-05+01:00 2006-12-05T14:03 \
	2006-12-05T14:03:00+14:30 2006-12-05T14:03:00.5 2006-12-05T14:03:00z "2006-12-05 14:03:00" \
	20061205 2006-1-5; do
	printf '{"type":"article","id":"infomie.net:article:1","date_published":"%s"}\n' "$d" > d.jsonl
	check_eq "date \"$d\" refused by mie-validate, ajv, xmllint" "1 1 1" "$(verdicts d.jsonl)"
done

# Scores and whole numbers, as the writer spells them.
for x in 0 1 0.5 0.00001 0.999999; do
	printf '{"type":"article","id":"infomie.net:article:1","duplicate_score":%s,"rank":7}\n' "$x" > n.jsonl
	check_eq "score $x valid for mie-validate, ajv, xmllint" "0 0 0" "$(verdicts n.jsonl)"
done
for x in 1.5 -0.1 '"0.5"' 1e3; do
	printf '{"type":"article","id":"infomie.net:article:1","duplicate_score":%s}\n' "$x" > n.jsonl
	check_eq "score $x refused by mie-validate, ajv, xmllint" "1 1 1" "$(verdicts n.jsonl)"
done

# Text the data keeps (catalogue 69, 78): bidi override, line separator,
# BOM, "]]>", markup, an astral character; valid for the three checkers.
printf '%s\n' '{"type":"article","id":"infomie.net:article:1","title":"\u202eegassem\u2028ligne\ufeff]]> <script>alert(1)</script> 😀 \t\r\n","extra":{"\u2028 ]]>":"\ufeff"}}' > hostile.jsonl
"$BIN/mie-cat" -q --to xml hostile.jsonl > hostile.xml
run "$BIN/mie-validate" -q hostile.jsonl; check_exit "hostile but valid text: mie-validate" 0
check_jsonschema "hostile but valid text: ajv" hostile.jsonl
check_xsd "hostile but valid text: xmllint" hostile.xml
"$BIN/mie-cat" hostile.jsonl > canonical.jsonl
run "$BIN/mie-cat" hostile.xml; check_same "hostile but valid text: XML -> JSONL" canonical.jsonl out

# What the tools write conforms: the sample legacy export imported, then
# marked and merged by mie-dedup, is valid for ajv and (as XML) xmllint.
if [ -x "$BIN/mie-import" ] && [ -x "$BIN/mie-dedup" ]; then
	"$BIN/mie-import" -q "$TOP/examples/infomie-export-2006.zip" > imported.jsonl
	for m in mark merge; do
		"$BIN/mie-dedup" -q --mode $m imported.jsonl > $m.jsonl
		check_jsonschema "sample export, mie-dedup --mode $m: valid for ajv" $m.jsonl
		"$BIN/mie-cat" -q --to xml $m.jsonl > $m.xml
		check_xsd "sample export, mie-dedup --mode $m: XML valid for xmllint" $m.xml
	done
fi

# The examples in schemas/README.md are valid, and each XML example is the
# XML form of the JSON example before it.
python3 - "$TOP/schemas/README.md" <<'PY'
import json, re, sys
doc = open(sys.argv[1], encoding="utf-8").read()
blocks = re.findall(r"```(json|xml)\n(.*?)\n```", doc, re.S)
n = 0
for kind, body in blocks:
    if kind == "json":
        n += 1
        open(f"doc{n}.jsonl", "w", encoding="utf-8").write(json.dumps(json.loads(body), ensure_ascii=False, separators=(",", ":")) + "\n")
    else:
        open(f"doc{n}.xml", "w", encoding="utf-8").write('<?xml version="1.0" encoding="UTF-8"?>\n<records xmlns="urn:infomie:mie:interchange:1" schema_version="1">\n' + body + "\n</records>\n")
print(n)
PY
for j in doc*.jsonl; do
	n=${j%.jsonl}
	run "$BIN/mie-validate" "$j"; check_exit "README $n valid for mie-validate" 0
	check_jsonschema "README $n valid for ajv" "$j"
	check_xsd "README $n XML valid" "$n.xml"
	"$BIN/mie-cat" --to xml "$j" > "$n.again.xml"
	check_same "README $n XML is the JSON's XML form" "$n.xml" "$n.again.xml"
done

# Mutations: every member of every example record (and the members of its
# first provenance entry and of its text objects) replaced by values of
# other kinds; mie-validate, ajv and xmllint must judge each mutant alike.
mkdir mutants
python3 - "$E/records.jsonl" <<'PY'
import json, sys
values = [7, -1, 1.5, "x", ["x"], {"a": "b"}, None, True, "2006-02-31",
          "infomie.net:article:1", ["infomie.net:article:1"], {"spip": "x"}, [], {}]
out = []
def emit(rec):
    out.append(rec)
for n, line in enumerate(open(sys.argv[1], encoding="utf-8")):
    rec = json.loads(line)
    for key in list(rec):
        if key in ("type", "id"):
            continue
        for v in values:
            emit({**rec, key: v})
        sub = rec[key]
        if key == "provenance":
            for k2 in list(sub[0]):
                for v in values:
                    emit({**rec, key: [{**sub[0], k2: v}] + sub[1:]})
        elif isinstance(sub, dict) and key not in ("extra", "variants"):
            for k2 in list(sub):
                for v in values:
                    emit({**rec, key: {**sub, k2: v}})
    emit({**rec, "id": "infomie.net article 1"})
    emit({**rec, "type": "articel"})
with open("mutants.jsonl", "w", encoding="utf-8") as f:
    for i, rec in enumerate(out):  # unique ids: no cross-record noise
        if isinstance(rec.get("id"), str) and " " not in rec["id"]:
            rec["id"] += "-m%d" % i
        f.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")
        open("mutants/m%05d.json" % i, "w", encoding="utf-8").write(json.dumps(rec, ensure_ascii=False) + "\n")
PY
"$BIN/mie-validate" -q mutants.jsonl > valid.jsonl 2> /dev/null
"$BIN/mie-cat" -q --to xml mutants.jsonl > mutants.xml
"$AJV" validate --spec=draft2020 -c ajv-formats --strict=false \
	-s "$TOP/schemas/mie-v1.schema.json" -d "mutants/*.json" > ajv.log 2>&1
mkdir xml
python3 - <<'PY'
# one XML document per record of mutants.xml (records start and end on
# lines indented by two spaces; text content never starts with "<")
lines = open("mutants.xml", encoding="utf-8").read().split("\n")
head, recs, cur = lines[:2], [], None
for l in lines[2:]:
    if l.startswith("  <") and not l.startswith("  </"):
        cur = [l]
        recs.append(cur)
        if l.endswith("/>"):
            cur = None
    elif cur is not None:
        cur.append(l)
        if l.startswith("  </"):
            cur = None
for i, r in enumerate(recs):
    open("xml/m%05d.xml" % i, "w", encoding="utf-8").write("\n".join(head + r + ["</records>", ""]))
PY
xmllint --noout --nonet --schema "$TOP/schemas/mie-v1.xsd" xml/*.xml > xsd.log 2>&1
python3 - > verdicts.txt <<'PY'
import json, re
muts = open("mutants.jsonl", encoding="utf-8").read().splitlines()
v1 = set()
for l in open("valid.jsonl", encoding="utf-8"):
    v1.add(int(re.search(r"-m(\d+)$", json.loads(l)["id"]).group(1)))
v2 = {int(m) for m in re.findall(r"^mutants/m(\d+)\.json valid$", open("ajv.log").read(), re.M)}
v3 = {int(m) for m in re.findall(r"^xml/m(\d+)\.xml validates$", open("xsd.log").read(), re.M)}
judged = len(re.findall(r"^mutants/m\d+\.json (?:valid|invalid)$", open("ajv.log").read(), re.M))
print("mutants %d, judged by ajv %d, valid %d %d %d" % (len(muts), judged, len(v1), len(v2), len(v3)))
for i, m in enumerate(muts):
    a = (i in v1, i in v2, i in v3)
    if len(set(a)) > 1:
        print("disagree (mie-validate, ajv, xmllint) = %s: %s" % (a, m[:300]))
PY
n=$(wc -l < mutants.jsonl)
check_grep "mutants: ajv judged every one" "mutants $n, judged by ajv $n," verdicts.txt
if grep -q '^disagree' verdicts.txt; then
	fail "mutants: the three checkers agree" "$(grep '^disagree' verdicts.txt | head -5)"
else
	pass "mutants: the three checkers agree ($(head -1 verdicts.txt))"
fi
