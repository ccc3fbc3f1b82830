# Record streams: JSON Lines <-> interchange XML, lossless, and the
# conventions every tool shares (driven through mie-validate).
. "$TOP/tests/lib.sh"
V="$BIN/mie-validate"
S="$FIX/streams"

# JSONL -> XML -> JSONL gives the same bytes; XML -> JSONL -> XML too.
run "$V" --to xml "$S/mixed.jsonl"; check_exit "to-xml exit" 0
cp out mixed.xml
if xmllint --noout --nonet mixed.xml 2>/dev/null; then pass "xml well-formed"; else fail "xml well-formed" "$(xmllint --noout mixed.xml 2>&1 | head -3)"; fi
run "$V" mixed.xml; check_exit "from-xml exit" 0
check_same "jsonl->xml->jsonl identical" "$S/mixed.jsonl" out
cp out back.jsonl
run "$V" --to xml back.jsonl; check_same "xml->jsonl->xml identical" mixed.xml out

# Special values keep their JSON types through XML.
printf '%s\n' '{"type":"article","id":"a:article:1","variants":{"n":[1.5,-3,false,null],"e":[[],{}],"nest":[[[1],[{"k":"v","item":"x","weird key":"y"}],[[]]]],"ws":["  "]},"extra":{"item":"x","field":"y","Téléphone portable":"01 02","xmlns":"z"}}' > types.jsonl
"$BIN/mie-validate" -q --to xml types.jsonl > types.xml
"$BIN/mie-validate" -q types.xml > types.back
check_same "typed values survive xml" types.jsonl types.back

# Characters XML cannot carry: that record is refused, the document stays well-formed.
printf '%s\n' '{"type":"article","id":"a:article:2","title":"x\u000by"}' '{"type":"article","id":"a:article:3","title":"]]> & <"}' > ctl.jsonl
run "$V" --to xml ctl.jsonl; check_exit "control char exit" 1
check_text "control char message" 'mie-validate: ctl.jsonl:1: a:article:2: title: character U+000B not allowed at byte 1
mie-validate: 2 records read, 1 valid, 1 invalid, 0 dangling references' err
if xmllint --noout out 2>/dev/null; then pass "]]> escaped"; else fail "]]> escaped" "$(cat out)"; fi

# JSON Lines reader: CRLF, blank lines, missing final newline accepted;
# duplicate keys, trailing garbage, two objects, NUL, lone surrogate refused
# with their line, and the lines after them still read.
printf '{"type":"article","id":"a:article:1"}\r\n\n{"type":"article","id":"a:article:2"}' > ok.jsonl
run "$V" ok.jsonl; check_exit "crlf/blank/no-eol" 0
check_text "crlf/blank/no-eol summary" 'mie-validate: 2 records read, 2 valid, 0 invalid, 0 dangling references' err
cat > bad.jsonl <<'JSON'
{"type":"article","id":"a:article:1","id":"b"}
{"type":"article","id":"a:article:2"} x
{"type":"article","id":"a:article:3"}{"type":"article","id":"a:article:4"}
{"type":"article","id":"a:article:5","t":"a\u0000b"}
{"type":"article","id":"a:article:6","t":"\ud800"}
[1,2]
{"type":"article","id":"a:article:7"}
JSON
run "$V" --rejects rej.jsonl bad.jsonl; check_exit "bad json exit" 1
check_text "bad json messages" "mie-validate: bad.jsonl:1: column 41: duplicate key
mie-validate: bad.jsonl:2: column 39: text after the JSON object
mie-validate: bad.jsonl:3: column 38: text after the JSON object
mie-validate: bad.jsonl:4: column 51: NUL character (\\u0000) not allowed
mie-validate: bad.jsonl:5: column 49: invalid Unicode '\\uD800' near '\"\\ud800\"'
mie-validate: bad.jsonl:6: not a JSON object
mie-validate: 7 records read, 1 valid, 6 invalid, 0 dangling references" err
check_text "bad json valid output" '{"type":"article","id":"a:article:7"}' out
head -6 bad.jsonl > rej.expected
check_same "rejects kept whole" rej.expected rej.jsonl

# Invalid UTF-8 bytes in a JSONL line.
printf '{"type":"article","id":"a:article:1","title":"caf\351"}\n' > latin.jsonl
run "$V" latin.jsonl; check_exit "invalid utf-8 exit" 1
check_grep "invalid utf-8 message" 'latin.jsonl:1: column' err

# Interchange XML: no DTD, ever; bad root; truncated document.
printf '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<records xmlns="urn:infomie:mie:interchange:1" schema_version="1"><article id="a:article:1"><title>&x;</title></article></records>\n' > xxe.xml
run "$V" xxe.xml; check_exit "doctype refused exit" 1
check_text "doctype refused message" 'mie-validate: xxe.xml: DOCTYPE and ENTITY declarations are not accepted
mie-validate: 0 records read, 0 valid, 0 invalid, 0 dangling references' err
check_nogrep "xxe not expanded" "root:" out
printf '<records xmlns="urn:other" schema_version="1"/>\n' > root.xml
run "$V" root.xml; check_exit "bad root exit" 1
check_grep "bad root message" 'root.xml:1: root element is not <records xmlns="urn:infomie:mie:interchange:1">' err
printf '<records xmlns="urn:infomie:mie:interchange:1" schema_version="1">\n<article id="a:article:1"><title>x</title></article>\n<article id="a:article:2"><title>y</ti' > cut.xml
run "$V" cut.xml; check_exit "truncated xml exit" 1
check_text "truncated xml keeps records before" '{"type":"article","id":"a:article:1","title":"x"}' out

# Compressed input is read through libarchive.
gzip -c "$S/mixed.jsonl" > mixed.jsonl.gz
run "$V" mixed.jsonl.gz; check_same "gzip input" "$S/mixed.jsonl" out

# Empty input: an empty stream; as XML an empty document.
: > empty.jsonl
run "$V" --to xml empty.jsonl; check_exit "empty exit" 0
check_text "empty xml document" '<?xml version="1.0" encoding="UTF-8"?>
<records xmlns="urn:infomie:mie:interchange:1" schema_version="1">
</records>' out

# Reals: 15 significant digits when they give the number back (0.93 stays
# 0.93), 17 when not, so no digit is lost through JSON Lines, XML, dedup
# or export (a fuzz find: 2.1111111111111111e88 came back as ...111e88).
printf '{"type":"article","id":"a:article:7","title":"x","extra":{"r":[0.93,2.1111111111111111e88,0.1,3.141592653589793]}}\n' > reals.jsonl
want='{"type":"article","id":"a:article:7","title":"x","extra":{"r":[0.93,2.1111111111111111e88,0.1,3.1415926535897931]}}'
"$BIN/mie-cat" reals.jsonl > out; check_text "reals: JSON Lines keeps every digit" "$want" out
"$BIN/mie-cat" --to xml reals.jsonl | "$BIN/mie-cat" > out; check_text "reals: through XML and back" "$want" out
# a record jansson writes whole (a merge) has all its reals at 17 digits when one needs them
"$BIN/mie-dedup" -q --mode merge reals.jsonl reals.jsonl > out
check_eq "reals: through a dedup merge, every value the same" "$(python3 -c "print([0.93, 2.1111111111111111e88, 0.1, 3.141592653589793])")" \
	"$(python3 -c 'import json,sys; print(json.loads(open("out").read())["extra"]["r"])')"
"$BIN/mie-export" -q --to jsonl reals.jsonl > out; check_text "reals: mie-export --to jsonl" "$want" out
