# mie-export --to csv: every table read back by Python's csv module to the
# values the man page's rules give; a folder and a zip of tables; --excel;
# formula cells neutralised, checked through LibreOffice Calc's conversion.
. "$TOP/tests/lib.sh"
X="$BIN/mie-export"
R="$FIX/export/records.jsonl"

# csvcheck.py FILE TYPE EXCEL [COLUMNS]: reads FILE with Python's csv module
# and compares each row with the record's values by the documented rules.
cat > csvcheck.py << 'EOF'
import csv, json, sys
path, rtype, excel = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
recs = [json.loads(l) for l in open(sys.argv[4], encoding="utf-8") if l.strip()]
recs = [r for r in recs if r["type"] == rtype]
raw = open(path, "rb").read()
if excel:
    assert raw.startswith(b"\xef\xbb\xbf"), "no BOM"
    assert raw.endswith(b"\r\n"), "no CRLF"
else:
    assert not raw.startswith(b"\xef\xbb\xbf"), "BOM"
text = raw.decode("utf-8-sig")
rows = list(csv.reader(text.splitlines(keepends=True), delimiter=";" if excel else ","))
head, body = rows[0], rows[1:]
def get(r, path):
    v = r
    for p in path.split("."):
        if isinstance(v, dict):
            v = v.get(p)
        elif isinstance(v, list) and p.isdigit() and int(p) < len(v):
            v = v[int(p)]
        else:
            return None
    return v
def scalar(v):
    if v is True: return "true"
    if v is False: return "false"
    if v is None: return ""
    return v if isinstance(v, str) else json.dumps(v)
def cell(v):
    if isinstance(v, list) and not any(isinstance(i, (list, dict)) for i in v):
        s = "|".join(scalar(i).replace("\\", "\\\\").replace("|", "\\|") for i in v)
    elif isinstance(v, (list, dict)):
        s = json.dumps(v, ensure_ascii=False, separators=(",", ":"))
    else:
        s = scalar(v)
    if s[:1] in ("=", "+", "-", "@", "\t", "\r"):
        s = "'" + s
    return s
assert len(body) == len(recs), f"{len(body)} rows for {len(recs)} records"
for r, row in zip(recs, body):
    want = [cell(get(r, c)) for c in head]
    assert row == want, f"{r['id']}: {row} != {want}"
print("ok", len(body))
EOF

# one table on stdout: --type, default columns
run "$X" -q --to csv --type article "$R"
check_exit "csv --type article: exit 0" 0
check_eq "Python reads the article table back" "ok 7" "$(python3 csvcheck.py out article 0 "$R" 2>&1)"
check_eq "default article columns (man page)" \
	"id,title,surtitle,subtitle,lang,status,date_published,date_modified,rank,section,section_path,authors,keywords,documents,links,redirect,description.plain,lead.plain,text.plain,ps.plain,notes.plain,legacy.url" \
	"$(head -1 out)"
check_grep "multi-valued: joined with |, escaped" 'Droits \| recours|C:\\dossiers|Accès à l’éducation' out
check_grep "formula cell neutralised" "infomie.net:article:902,'=cmd|' /C calc'!A0," out
check_grep "quotes doubled" "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"" out
check_grep "a leading minus is neutralised too" ",'-12 % de places" out
check_grep "markup is text" ",<script>alert(1)</script>," out

# --columns with dotted paths into nested fields
run "$X" -q --to csv --type article --columns id,text.plain,provenance.0.file,legacy "$R"
check_eq "--columns: header" "id,text.plain,provenance.0.file,legacy" "$(head -1 out)"
check_eq "Python reads --columns back" "ok 7" "$(python3 csvcheck.py out article 0 "$R" 2>&1)"
run "$X" --to csv --type article --columns id,title,text,provenance,legacy,extra,lead,ps,notes,surtitle,section,section_path,lang,status,date_published,date_modified,authors,keywords,documents,links,rank,duplicate_of,duplicate_method,duplicate_score,redirect "$R"
grep -v ': type [a-z_]*: not exported' err > err.fields
check_empty "every article field chosen: no field loss line" err.fields

# without --type on one output: the first record's type; the others reported
run "$X" --to csv "$R"
check_eq "one table: the first record's type" "ok 2" "$(python3 csvcheck.py out section 0 "$R" 2>&1)"
check_grep "one table: the other types reported" "mie-export: csv: type article: not exported (7 records)" err

# a folder: one file per type met
run "$X" -q --to csv -o tables/ "$R"
check_exit "csv to a folder: exit 0" 0
check_eq "a file per type" "article.csv author.csv brief.csv comment.csv document.csv dossier.csv keyword.csv keyword_group.csv organisation.csv petition.csv section.csv signature.csv site.csv" "$(cd tables && echo *)"
for t in section article brief author keyword keyword_group document site comment organisation dossier petition signature; do
	check_eq "Python reads $t.csv back" "ok $(grep -c "^{\"type\":\"$t\"" "$R")" "$(python3 csvcheck.py tables/$t.csv $t 0 "$R" 2>&1)"
done
# a zip: the same tables
run "$X" -q --to csv -o tables.zip "$R"
check_exit "csv to a zip: exit 0" 0
python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); z.extractall("unzipped"); print(" ".join(sorted(z.namelist())))' tables.zip > zipnames
check_eq "the zip holds a table per type" "$(cd tables && echo *)" "$(cat zipnames)"
for t in article organisation; do
	check_same "zip member $t.csv is the folder's" tables/$t.csv unzipped/$t.csv
done

# --excel: BOM, ';', CRLF
run "$X" -q --to csv --excel --type article "$R"
cp out excel.csv
check_eq "Python reads the --excel table back" "ok 7" "$(python3 csvcheck.py excel.csv article 1 "$R" 2>&1)"
check_eq "--excel: the 8 rows end in CRLF (line feeds inside cells stay)" 8 "$(grep -c "$(printf '\r')\$" excel.csv)"
"$X" -q --to csv --type article "$R" > plain.csv

# LibreOffice Calc converts both; the sheet holds the titles as text
if command -v soffice > /dev/null; then
	P="file://$PWD/lo-profile"
	soffice --headless -env:UserInstallation="$P" --convert-to xlsx --infilter="CSV:44,34,76,1" plain.csv --outdir . > lo.log 2>&1
	soffice --headless -env:UserInstallation="$P" --convert-to xlsx --infilter="CSV:59,34,76,1" excel.csv --outdir . >> lo.log 2>&1
	for f in plain excel; do
		check_eq "LibreOffice: $f.xlsx holds the titles as text, no formula" "ok" "$(python3 - "$f.xlsx" << 'EOF' 2>&1
import re, sys, zipfile, html
z = zipfile.ZipFile(sys.argv[1])
sheet = z.read("xl/worksheets/sheet1.xml").decode()
strings = [html.unescape(re.sub(r"<[^>]+>", "", s)) for s in re.findall(r"<si>(.*?)</si>", z.read("xl/sharedStrings.xml").decode(), re.S)]
assert "<f" not in sheet, "a formula in the sheet"
for want in ("'=HYPERLINK(\"http://x\",\"y\")", "'=cmd|' /C calc'!A0", "<script>alert(1)</script>", "La scolarisation des mineurs isolés étrangers", "Éducation populaire et hébergement d’urgence."):
    assert want in strings, "missing: " + want
print("ok")
EOF
)"
	done
else
	fail "LibreOffice conversion" "soffice not installed (make test-deps)"
fi

# usage
run "$X" --to csv --type articles "$R"
check_exit "--type unknown: exit 2" 2
check_text "--type unknown: message" 'mie-export: --type: unknown record type "articles"' err
