# Schema v1: the generated schema files are up to date; the example stream
# is valid for mie-validate, xmllint --schema and ajv (JSON Schema 2020-12);
# every invalid example is refused by all three; XML -> JSONL -> XML is
# identical on the examples.
. "$TOP/tests/lib.sh"
E="$TOP/schemas/examples"
if python3 "$TOP/schemas/gen-schemas.py" --check 2>gen.err; then pass "schema files up to date"; else fail "schema files up to date" "$(cat gen.err)"; fi

run "$BIN/mie-validate" --strict "$E/records.jsonl"; check_exit "examples valid for mie-validate" 0
check_jsonschema "examples valid for ajv" "$E/records.jsonl"
check_xsd "examples.xml valid for xmllint" "$E/records.xml"
run "$BIN/mie-cat" --to xml "$E/records.jsonl"; check_same "examples.xml is the XML form of examples.jsonl" "$E/records.xml" out
run "$BIN/mie-cat" "$E/records.xml"; check_same "XML -> JSONL gives the examples back" "$E/records.jsonl" out
"$BIN/mie-cat" --to xml out > again.xml; check_same "XML -> JSONL -> XML identical" "$E/records.xml" again.xml

for f in "$E"/invalid/*.jsonl; do
	n=$(basename "$f" .jsonl)
	run "$BIN/mie-validate" "$f"; check_exit "$n: refused by mie-validate" 1
	cp "$f" one.jsonl
	if "$AJV" validate --spec=draft2020 -c ajv-formats --strict=false \
		-s "$TOP/schemas/mie-v1.schema.json" -d one.jsonl > ajv.log 2>&1; then
		fail "$n: refused by ajv" "ajv accepted it"
	else
		pass "$n: refused by ajv"
	fi
	"$BIN/mie-cat" -q --to xml "$f" > one.xml
	if xmllint --noout --nonet --schema "$TOP/schemas/mie-v1.xsd" one.xml > xsd.log 2>&1; then
		fail "$n: refused by xmllint --schema" "accepted: $(cat one.xml)"
	else
		pass "$n: refused by xmllint --schema"
	fi
done

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
