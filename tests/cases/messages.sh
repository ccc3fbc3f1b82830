# Messages: every line "TOOL: WHERE: what", WHERE a path, path:line or
# archive!member:line (the `!` of provenance); summaries name their input;
# counts with the noun that fits; floods capped; mie-import's edge cases
# (empty file, stdin and folder, a missing file, cut zip and gzip inputs).
. "$TOP/tests/lib.sh"
I="$BIN/mie-import"
V="$BIN/mie-validate"

# ---- an archive member is written archive!member:line, as in provenance ----
printf 'Nom;Ville\nFoyer Saint-Michel;Lyon\nSeul\nRelais jeunes;Paris\n' > orgs.csv
python3 -c "import zipfile; zipfile.ZipFile('z.zip', 'w').write('orgs.csv')"
run "$I" z.zip; check_exit "member line: exit" 1
check_text "member line: z.zip!orgs.csv:3, one cell in the singular" "mie-import: z.zip!orgs.csv: delimiter ';', charset utf-8
mie-import: z.zip!orgs.csv: header matches the \"organisations\" columns: organisation records (--map to choose)
mie-import: z.zip!orgs.csv:3: organisations: 1 cell where the header has 2: row not imported
mie-import: z.zip!orgs.csv: csv organisations: 3 read, 2 written, 1 rejected" err
jq -r '.provenance[0] | "\(.file)!\(.member):\(.line)"' out > prov
check_text "member line: provenance says the same place" 'z.zip!orgs.csv:2
z.zip!orgs.csv:4' prov

# ---- every summary line names its input; link rows counted with the right noun ----
cp "$TOP/examples/sample/dump.xml.gz" "$TOP/examples/sample/annuaire.csv" .
run "$I" dump.xml.gz annuaire.csv; check_exit "summary: exit" 0
grep -v 'delimiter\|header matches\|credentials never\|already given' err > summary
check_text "summary: each line names the file its rows came from" 'mie-import: dump.xml.gz: spip-dump: 28 link rows, carried as authors references
mie-import: dump.xml.gz: spip-dump: 52 link rows, carried as keywords references
mie-import: dump.xml.gz: spip-dump: 4 link rows, carried as documents references
mie-import: dump.xml.gz: spip-dump spip_types_documents: 2 skipped
mie-import: annuaire.csv: csv organisations: 5 read, 5 written, 0 rejected
mie-import: dump.xml.gz: spip-dump spip_articles: 29 read, 29 written, 0 rejected
mie-import: dump.xml.gz: spip-dump spip_auteurs: 4 read, 4 written, 0 rejected
mie-import: dump.xml.gz: spip-dump spip_auteurs: withheld (privacy): email (2), login (2), pass (2), low_sec (1), pgp (1), htpass (1), en_ligne (1), imessage (1), messagerie (1), alea_actuel (2), alea_futur (2), prefs (1), cookie_oubli (1), extra (1)
mie-import: dump.xml.gz: spip-dump spip_breves: 11 read, 11 written, 0 rejected
mie-import: dump.xml.gz: spip-dump spip_mots: 6 read, 6 written, 0 rejected
mie-import: dump.xml.gz: spip-dump spip_documents: 3 read, 3 written, 0 rejected
mie-import: dump.xml.gz: spip-dump spip_groupes_mots: 1 read, 1 written, 0 rejected
mie-import: dump.xml.gz: spip-dump spip_rubriques: 10 read, 10 written, 0 rejected
mie-import: dump.xml.gz: spip-dump spip_forum: 1 read, 1 written, 0 rejected
mie-import: dump.xml.gz: spip-dump spip_forum: withheld (privacy): email_auteur (1), ip (1)' summary
# a CSV without a known header, read through a mapping file: its table is
# its source, said once
printf 'Intitulé;Commune\nFoyer;Lyon\n' > libre.csv
printf 'Intitulé = title\n' > libre.map
run "$I" --map libre.map libre.csv; check_exit "csv without preset: exit" 0
check_grep "csv without preset: 'libre.csv: csv: ...', not 'csv: csv: ...'" 'mie-import: libre.csv: csv: 1 read, 1 written, 0 rejected' err
# pages of a folder: one line for the folder, not one per page
mkdir -p site && cp "$TOP"/examples/sample/mirror/*.html site/
run "$I" site; check_exit "folder summary: exit" 0
check_grep "folder summary: the folder named once" 'mie-import: site: html spip_articles: 2 read, 2 written, 0 rejected' err

# ---- floods: 20 lines of one kind per input, then how many more ----
python3 -c "
import random
random.seed(7)
open('noise.bin', 'wb').write(bytes(random.getrandbits(8) for _ in range(300000)))"
run "$V" noise.bin; check_exit "flood: exit" 1
n=$(sed -n 's/^mie-validate: \([0-9]*\) records read.*/\1/p' err)
check_eq "flood: 20 lines, one '… and M more', the summary" 22 "$(wc -l < err)"
check_eq "flood: M is what was not printed" "mie-validate: noise.bin: … and $((n - 20)) more like this" "$(grep 'more like this' err)"
check_eq "flood: the held-back count before the summary" "more like this" "$(sed -n 21p err | grep -o 'more like this')"
run "$I" --from csv noise.bin
check_grep "flood: the importer too, per input" 'mie-import: noise.bin: … and ' err
check_eq "flood: the importer's lines are few" 1 "$([ "$(wc -l < err)" -lt 30 ] && echo 1 || wc -l < err)"
mkdir junk
for i in $(seq 1 25); do printf '\001\002données %d' "$i" > "junk/f$i.bin"; done
run "$I" junk; check_exit "flood of unknown files: exit" 1
check_eq "flood of unknown files: 20 named" 20 "$(grep -c 'not a format mie-import reads' err)"
check_text "flood of unknown files: then the folder's count" 'mie-import: junk: … and 5 more like this
mie-import: junk: unknown files: 25 skipped' "$(tail -2 err > tail2; echo tail2)"
"$V" noise.bin noise.bin 2> two.err
check_eq "flood: counted per input" 2 "$(grep -c 'more like this' two.err)"

# ---- edge cases of mie-import: one decision each ----
: > empty.xml
run "$I" empty.xml; check_exit "empty file: exit 0" 0
check_text "empty file: no records, said" 'mie-import: empty.xml: no records' err
check_empty "empty file: nothing written" out
run "$I" < /dev/null; check_exit "empty stdin: exit 0" 0
check_text "empty stdin: said" 'mie-import: (stdin): no records' err
mkdir vide
run "$I" vide; check_exit "empty folder: exit 0" 0
check_text "empty folder: said" 'mie-import: vide: no records (empty folder)' err
run "$I" absent.xml; check_exit "missing file: exit 2" 2
check_text "missing file: cannot open" 'mie-import: absent.xml: cannot open: No such file or directory' err
run "$V" absent.jsonl; check_exit "missing file, mie-validate: exit 2" 2
check_text "missing file, mie-validate: the same words" 'mie-validate: absent.jsonl: cannot open: No such file or directory' err

# a cut gzip file: every complete row before the cut, exit 1
python3 -c "
import random
random.seed(3)
print('Nom;Ville')
for i in range(20000):
    print('Foyer %08x;Lyon' % random.getrandbits(32))" > long.csv
gzip -c long.csv > long.csv.gz
head -c 6000 long.csv.gz > cut.csv.gz
python3 -c "
import zlib
t = zlib.decompressobj(31).decompress(open('cut.csv.gz', 'rb').read())
print(t.count(b'\n') - 1)" > complete
run "$I" cut.csv.gz; check_exit "cut gzip: exit 1" 1
check_grep "cut gzip: truncated, said" 'mie-import: cut.csv.gz: truncated: truncated gzip input: what came before the cut is read' err
check_eq "cut gzip: every complete row before the cut" "$(cat complete)" "$(wc -l < out)"
head -c 60000 long.csv.gz > cut2.csv.gz
python3 -c "
import zlib
t = zlib.decompressobj(31).decompress(open('cut2.csv.gz', 'rb').read())
print(t.count(b'\n') - 1)" > complete2
run "$I" cut2.csv.gz; check_exit "cut gzip past its first block: exit 1" 1
check_eq "cut gzip past its first block: every complete row" "$(cat complete2)" "$(wc -l < out)"
# a cut zip: the member cut in its data is said truncated, exit 1, rows before kept
python3 - <<'PY'
import zipfile
with zipfile.ZipFile("long.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.write("long.csv")
data = open("long.zip", "rb").read()
open("cut.zip", "wb").write(data[: len(data) // 2])
PY
run "$I" cut.zip orgs.csv; check_exit "cut zip: exit 1" 1
check_grep "cut zip: truncated, said" 'mie-import: cut.zip!long.csv: truncated: ' err
check_eq "cut zip: said once" 1 "$(grep -c 'truncated\|read error' err)"
check_eq "cut zip: rows before the cut kept, the next input read" 1 "$([ "$(grep -c '"member":"long.csv"' out)" -gt 100 ] && grep -q '"file":"orgs.csv"' out && echo 1)"
