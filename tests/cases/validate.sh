# mie-validate: each problem of the catalogue is caught, with its exact
# message; valid records pass; rejects are kept whole; exit codes.
. "$TOP/tests/lib.sh"
V="$BIN/mie-validate"
C="$FIX/validate/catalogue.jsonl"

run "$V" --rejects rej.jsonl "$C"; check_exit "catalogue exit" 1
cat > expected.err <<'MSG'
mie-validate: catalogue.jsonl:2: -: id: missing
mie-validate: catalogue.jsonl:3: infomie.net:article:2: type: unknown record type "articel"
mie-validate: catalogue.jsonl:4: infomie.net:article:3: date_published: not a date: "2006-02-31"
mie-validate: catalogue.jsonl:4: infomie.net:article:3: date_modified: not a date: "0000-00-00 00:00:00"
mie-validate: catalogue.jsonl:5: infomie.net:article:3: id: duplicate id (first at catalogue.jsonl:4)
mie-validate: catalogue.jsonl:7: infomie.net:article:5: visites: unknown field
mie-validate: catalogue.jsonl:8: infomie.net:article:6: rank: must be a whole number >= 0
mie-validate: catalogue.jsonl:8: infomie.net:article:6: lang: not a language tag: "FR"
mie-validate: catalogue.jsonl:8: infomie.net:article:6: provenance[0].line: must be a whole number >= 0
mie-validate: catalogue.jsonl:8: infomie.net:article:6: provenance[0].repairs[0].kind: missing
mie-validate: catalogue.jsonl:8: infomie.net:article:6: provenance[0].format: missing
mie-validate: catalogue.jsonl:9: infomie.net:keyword:1: section: not a field of keyword records
mie-validate: catalogue.jsonl:9: infomie.net:keyword:1: text: not a field of keyword records
mie-validate: catalogue.jsonl:6: infomie.net:article:4: authors: reference to "infomie.net:author:9", absent from the stream
mie-validate: 9 records read, 2 valid, 7 invalid, 1 dangling references
MSG
sed "s|$FIX/validate/||g" err > err.short
check_same "catalogue messages" expected.err err.short
sed -n '1p;6p' "$C" > expected.out
check_same "only valid records pass" expected.out out
sed -n '2,5p;7,9p' "$C" > expected.rej
check_same "rejects kept whole" expected.rej rej.jsonl

# a dangling reference is a warning (exit 0) unless --strict (exit 1)
sed -n '1p;6p' "$C" > refs.jsonl
run "$V" refs.jsonl; check_exit "dangling is a warning" 0
run "$V" --strict refs.jsonl; check_exit "--strict dangling is an error" 1
check_grep "--strict message" 'refs.jsonl:2: infomie.net:article:4: authors: reference to "infomie.net:author:9", absent from the stream' err
# references settle whatever the order: the target may come later
sed -n '6p;1p' "$C" | grep -v author > fwd.jsonl
printf '%s\n' '{"type":"article","id":"infomie.net:article:8","section":"infomie.net:section:3"}' '{"type":"section","id":"infomie.net:section:3"}' > fwd.jsonl
run "$V" --strict fwd.jsonl; check_exit "forward reference settles" 0

# invalid UTF-8 is refused with its line
run "$V" "$FIX/validate/latin1.jsonl"; check_exit "invalid utf-8 exit" 1
check_grep "invalid utf-8 message" "latin1.jsonl:1: column 59: invalid UTF-8" err

# the same checks on the XML form
sed -n '1p;6p;7p' "$C" | "$V" -q --to xml > /dev/null
printf '%s\n' '<records xmlns="urn:infomie:mie:interchange:1" schema_version="1">' \
	'<article id="infomie.net:article:1"><titre>x</titre><date_published>2006-13-01</date_published></article>' \
	'<articel id="infomie.net:article:2"/>' '</records>' > bad.xml
run "$V" bad.xml; check_exit "xml exit" 1
check_text "xml messages" 'mie-validate: bad.xml:2: infomie.net:article:1: titre: unknown field
mie-validate: bad.xml:2: infomie.net:article:1: date_published: not a date: "2006-13-01"
mie-validate: bad.xml:3: infomie.net:article:2: type: unknown record type "articel"
mie-validate: 2 records read, 0 valid, 2 invalid, 0 dangling references' err
