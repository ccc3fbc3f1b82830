# mie-export --to spip-dump (issue 12): a SPIP 1.9 XML dump that xmllint
# reads and mie-import turns back into the same records (provenance aside),
# in both charsets, plain and gzip; hostile values; what it cannot carry.
. "$TOP/tests/lib.sh"
I="$BIN/mie-import"
E="$BIN/mie-export"
GEN="$TOP/tests/export_spip_gen.py"
F="$FIX/export"

# records without their provenance, keys sorted: what must come back
norm() { jq -cS 'del(.provenance)' "$1"; }

# ---- property: import -> export -> import gives the same records ----
# random valid rows of every table (seeded), in both source charsets, out
# in both dump charsets, plain and gzip
n=0 bad=""
for seed in 1 2 3; do
	for src in utf-8 iso-8859-1; do
		python3 "$GEN" "$seed" --charset "$src" --rows 16 > gen.xml
		"$I" gen.xml > a.jsonl 2> a.err
		norm a.jsonl > a.norm
		for cs in utf-8 iso-8859-1; do
			for out in dump.xml dump.xml.gz; do
				rm -f "$out"
				"$E" --to spip-dump --charset "$cs" -o "$out" a.jsonl 2> e.err
				st=$?
				case $out in *.gz) zcat "$out" > plain.xml ;; *) cp "$out" plain.xml ;; esac
				xmllint --noout plain.xml 2> x.err || bad="$bad $seed/$src/$cs/$out:xmllint"
				"$I" "$out" > b.jsonl 2> b.err
				norm b.jsonl > b.norm
				[ $st -eq 0 ] || bad="$bad $seed/$src/$cs/$out:exit$st"
				cmp -s a.norm b.norm || bad="$bad $seed/$src/$cs/$out:differs"
				n=$((n + 1))
			done
		done
	done
done
check_eq "property: 24 import -> export -> import round trips give the same records" "" "$bad"
types=$(jq -r .type a.jsonl | sort -u | tr '\n' ' ')
check_eq "property: the records cover every SPIP type, and rows of other tables" \
	"article author brief comment document keyword keyword_group petition section signature site table_row " "$types"
check_text "property: the only loss reported is the provenance" \
	"mie-export: spip-dump: provenance: not exported ($(wc -l < a.jsonl | tr -d ' ') records)" e.err
check_nogrep "property: no credential reaches the dump" "CANARY" dump.xml plain.xml

# personal fields (imported with --keep-personal) come back too
python3 "$GEN" 4 --rows 16 > gen.xml
"$I" --keep-personal gen.xml 2> /dev/null > p.jsonl
norm p.jsonl > p.norm
bad=""
for cs in utf-8 iso-8859-1; do
	"$E" -q --to spip-dump --charset "$cs" -o p.xml p.jsonl
	"$I" --keep-personal p.xml 2> /dev/null > q.jsonl
	norm q.jsonl | cmp -s - p.norm || bad="$bad $cs"
done
check_eq "property: e-mails and IPs (--keep-personal) round trip in both charsets" "" "$bad"
check_eq "property: the personal fields were there" 1 "$(grep -c '"author_email"' p.jsonl | awk '{print ($1 > 0)}')"

# ---- the layout SPIP writes, exactly (the schema's example records) ----
run "$E" --to spip-dump -o ex.xml "$TOP/schemas/examples/records.jsonl"
check_exit "examples: exit" 0
check_same "examples: the dump, byte for byte" "$F/records.spip-dump.xml" ex.xml
cat > expected.err <<'MSG'
mie-export: spip-dump: type organisation: not exported (2 records)
mie-export: spip-dump: type dossier: not exported (1 record)
mie-export: spip-dump: provenance: not exported (14 records)
mie-export: spip-dump: duplicate_of: not exported (1 record)
mie-export: spip-dump: duplicate_method: not exported (1 record)
mie-export: spip-dump: duplicate_score: not exported (1 record)
mie-export: spip-dump: text.spip: not written exactly (1 record): no SPIP source: the plain text written as source
MSG
check_same "examples: what is not carried, once per field" expected.err err
run "$E" --to spip-dump --strict -o ex2.xml "$TOP/schemas/examples/records.jsonl"
check_exit "examples: --strict makes the loss exit 1" 1

# gzip: several members, as SPIP (header, slices, end), one stream to gzip
"$E" --to spip-dump -o ex.xml.gz "$TOP/schemas/examples/records.jsonl" 2> /dev/null
zcat ex.xml.gz > ex-gz.xml
check_same "gzip: zcat gives the plain dump" ex.xml ex-gz.xml
members=$(python3 -c '
import sys, zlib
d = open(sys.argv[1], "rb").read(); n = 0
while d:
    o = zlib.decompressobj(31); o.decompress(d); d = o.unused_data; n += 1
print(n)' ex.xml.gz)
# header, 3 link tables and 13 tables (one slice each), end
check_eq "gzip: header, one member per table slice, end" 18 "$members"

# ---- hostile values survive as text, both charsets ----
for cs in utf-8 iso-8859-1; do
	run "$E" --to spip-dump --charset "$cs" -o h.xml "$F/hostile.jsonl"
	check_exit "hostile $cs: exit" 0
	if xmllint --noout h.xml 2> x.err; then pass "hostile $cs: xmllint"; else fail "hostile $cs: xmllint" "$(head -3 x.err)"; fi
	"$I" h.xml > h.jsonl 2> /dev/null
	jq -rs 'sort_by(.id)[] | .title, .surtitle // empty, .text.spip // empty' "$F/hostile.jsonl" > want.txt
	jq -rs 'sort_by(.id)[] | .title, .surtitle // empty, .text.spip // empty' h.jsonl > got.txt
	check_same "hostile $cs: titles and SPIP sources come back exactly" want.txt got.txt
done
check_grep "hostile: <script> is escaped as SPIP does" '<titre>&lt;script>alert(1)&lt;/script></titre>' h.xml
check_grep "hostile: a formula is text" "<titre>=cmd|' /C calc'!A0</titre>" h.xml
check_grep "hostile: a literal entity stays literal" '<titre>L&amp;#8217;accueil &amp;amp;eacute; des' h.xml

# ---- what a dump cannot hold is said, with its record count ----
run "$E" --to spip-dump --charset iso-8859-1 -o l.xml "$F/lossy.jsonl"
check_exit "lossy: records not written make exit 1" 1
cat > expected.err <<MSG
mie-export: $F/lossy.jsonl:2: autre.org:article:6: not of the site infomie.net: a SPIP dump holds one site, not exported
mie-export: $F/lossy.jsonl:3: infomie.net:keyword:abc: not a SPIP id (infomie.net:TYPE:NUMBER): not exported
mie-export: spip-dump: type organisation: not exported (1 record)
mie-export: spip-dump: extra.pass: not written exactly (1 record): a credential or a name no column can have: left out
mie-export: spip-dump: extra.nom site: not written exactly (1 record): a credential or a name no column can have: left out
mie-export: spip-dump: extra.note: not written exactly (1 record): characters the dump cannot hold as they are (outside its charset, C1 controls, ]]>)
mie-export: spip-dump: keywords: not written exactly (1 record): ids of another site or type, or not SPIP numbers: left out
mie-export: spip-dump: date_published: not written exactly (1 record): a time offset SPIP's naive dates cannot hold: left out
mie-export: spip-dump: text.spip: not written exactly (1 record): characters the dump cannot hold as they are (outside its charset, C1 controls, ]]>)
MSG
check_same "lossy: each field once, with the number of records" expected.err err
check_nogrep "lossy: a credential in extra is never written" "CANARY" l.xml
if xmllint --noout l.xml 2> x.err; then pass "lossy: still well-formed (]]> escaped)"; else fail "lossy: xmllint" "$(head -3 x.err)"; fi
# inexact values are losses like the others: --strict, --report
head -1 "$F/lossy.jsonl" > lossy1.jsonl
run "$E" --to spip-dump --charset iso-8859-1 -o l1.xml lossy1.jsonl
check_exit "lossy: inexact values alone, a warning: exit" 0
run "$E" --to spip-dump --charset iso-8859-1 --strict --report l1.json -o l1.xml lossy1.jsonl
check_exit "lossy: inexact values under --strict: exit" 1
check_eq "lossy: inexact values in --report" "$(grep -c 'not written exactly' err)" \
	"$(jq '.fields_not_exact | length' l1.json)"
check_eq "lossy: --report names an inexact field with its reason" \
	"extra.pass: a credential or a name no column can have: left out" \
	"$(jq -r '.fields_not_exact[] | select(.field == "extra.pass") | .field + ": " + .why' l1.json)"
run "$E" --to spip-dump --charset utf-8 -o l8.xml "$F/lossy.jsonl"
check_nogrep "lossy: utf-8 holds every character" "extra.note" err

# ---- usage ----
run "$E" --to spip-dump --charset latin9 -o u.xml "$F/hostile.jsonl"
check_exit "usage: unknown charset exit" 2
check_text "usage: unknown charset message" 'mie-export: --charset: "latin9": iso-8859-1 or utf-8' err
if [ ! -e u.xml ]; then pass "usage: no output left"; else fail "usage: no output left" "u.xml exists"; fi

# ---- a full disk is an error, not silence ----
run "$E" -q --to spip-dump -o /dev/full "$TOP/schemas/examples/records.jsonl"
check_exit "full disk: exit" 2
check_text "full disk: message" "mie-export: /dev/full: write error: No space left on device" err
