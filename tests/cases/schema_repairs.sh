# The table "Repair kinds" of schemas/README.md lists every repair kind the
# sources write, and nothing else: the kinds are read from every call of
# mie_rec_add_repair in libcommon/ and tools/ (a string literal, or the
# decoder's table kind_names[] of mie_text.c, which mie_text_repair_to_prov
# passes on); a call whose kind is neither fails too, so a new writer cannot
# hide.  Then the schemas' description of `kind` points at the table.
. "$TOP/tests/lib.sh"

cat > kinds.py <<'EOF'
import os, re, sys
top = sys.argv[1]
code, unseen = set(), []
for folder in ("libcommon", "tools"):
    for root, _, files in sorted(os.walk(os.path.join(top, folder))):
        for f in sorted(files):
            if not f.endswith(".c"):
                continue
            path = os.path.join(root, f)
            rel = os.path.relpath(path, top)
            src = open(path, encoding="utf-8").read()
            for m in re.finditer(r"\bmie_rec_add_repair\s*\(([^,;]*),\s*([^,;]*),", src):
                kind = m.group(2).strip()
                line = src.count("\n", 0, m.start()) + 1
                if re.fullmatch(r'"[^"]+"', kind):
                    code.add(kind[1:-1])
                elif rel == "libcommon/text/mie_text.c" and kind == "kind":
                    table = src[src.index("kind_names[K_COUNT] = {"):]
                    code.update(re.findall(r'"([^"]+)"', table[:table.index("};")]))
                elif not src[:m.start()].rstrip().endswith("void"):  # not the definition
                    unseen.append("%s:%d: kind %s" % (rel, line, kind))
readme = open(os.path.join(top, "schemas", "README.md"), encoding="utf-8").read()
section = readme[readme.index("\n## Repair kinds\n"):]
section = section[:section.index("\n## ", 1)]
table = re.findall(r"^\| `([^`]+)` \|", section, re.M)
if len(table) != len(set(table)):
    print("listed twice: " + " ".join(sorted(k for k in set(table) if table.count(k) > 1)))
for k in sorted(code - set(table)):
    print("written, not in the README table: " + k)
for k in sorted(set(table) - code):
    print("in the README table, never written: " + k)
for u in unseen:
    print("a kind this test cannot read: " + u)
sys.stderr.write("%d kinds written, %d listed\n" % (len(code), len(table)))
EOF
python3 kinds.py "$TOP" > kinds.out 2> kinds.err
check_eq "the kinds were read" "0 25 kinds written, 25 listed" "$? $(cat kinds.err)"
check_empty "the README table lists exactly the kinds the code writes" kinds.out

# the test reads what it claims to (on copies): a kind added to the code,
# a row left out of the table, a row too many, a kind that is no literal
mkdir -p copy/schemas
cp -r "$TOP/libcommon" "$TOP/tools" copy/
printf 'void f(json_t *p)\n{\n\tmie_rec_add_repair(p, "nouveau-genre", "title", NULL, NULL);\n}\n' > copy/tools/t.c
grep -v '^| `nfc` |' "$TOP/schemas/README.md" > copy/schemas/README.md
python3 kinds.py copy > copy.out 2>/dev/null
check_text "a kind written but not listed is named" 'written, not in the README table: nfc
written, not in the README table: nouveau-genre' copy.out
printf 'void g(json_t *p, const char *k)\n{\n\tmie_rec_add_repair(p, k, "title", NULL, NULL);\n}\n' > copy/tools/t.c
sed 's/^| `nfc` |.*/&\n| `nouveau-genre` | csv | rien |/' "$TOP/schemas/README.md" > copy/schemas/README.md
python3 kinds.py copy > copy.out 2>/dev/null
check_text "a kind listed but never written, and a kind that is no literal, are named" 'in the README table, never written: nouveau-genre
a kind this test cannot read: tools/t.c:3: kind k' copy.out

# the schemas say where the list is, and accept any kind
for f in mie-v1.schema.json mie-v1.xsd; do
	check_grep "$f: kind points at the table" "The kinds mie-import writes, each with its meaning, are the table 'Repair kinds' of schemas/README.md; records written by other programs may carry other kinds, so any string is valid here." "$TOP/schemas/$f"
done
printf '%s\n' '{"type":"article","id":"infomie.net:article:1","title":"Un titre","provenance":[{"format":"autre-outil","repairs":[{"kind":"genre-inconnu"}]}]}' > other.jsonl
check_jsonschema "a kind of another program passes the JSON Schema" other.jsonl
run "$BIN/mie-validate" other.jsonl; check_exit "a kind of another program passes mie-validate" 0
