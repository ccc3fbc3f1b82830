# mie-export --to bagit and mie-import --from bagit.
# The bags are checked independently of mie's writer: sha256sum -c and
# sha512sum -c on every manifest line, tagmanifest too; completeness,
# Payload-Oxum, encoding, line endings and %25 %0A %0D escaping by
# tests/fixtures/bagit/check_bag.py; file names with a space, accents,
# a percent sign, '&#+=()' and a line break.  Then the round trip on the
# sample, and five tampered packages refused, each naming the file.
. "$TOP/tests/lib.sh"
E="$BIN/mie-export"
I="$BIN/mie-import"
R="$FIX/bagit/records.jsonl"
CHECK="python3 $FIX/bagit/check_bag.py"
SOURCE_DATE_EPOCH=1764633600
export SOURCE_DATE_EPOCH

mkdir -p files/IMG/pdf files/IMG/doc files/IMG/archives
printf '%%PDF-1.4\n%% Guide d’inscription\n' > files/IMG/pdf/guide-inscription.pdf
printf '%%PDF-1.4\n%% Fiche n°2\n' > "files/IMG/pdf/fiche n°2 (version définitive).pdf"
printf '%%PDF-1.4\n%% Taux\n' > "files/IMG/pdf/taux de réussite 100%.pdf"
printf 'Accueil des élèves allophones.\n' > "files/IMG/doc/l'accueil & la #scolarité+=.txt"
printf 'Annexe 1\nAnnexe 2\n' | gzip -n > files/IMG/archives/annexes.txt.gz
printf 'première\nseconde\n' > "files/IMG/doc/deux
lignes.txt"

# one bag, checked as a folder, all by tools other than mie
check_bag() { # name folder
	(cd "$2" && $CHECK . sums manifest-sha256.txt | sha256sum -c --strict --quiet) > sums.log 2>&1
	if [ $? -eq 0 ]; then pass "$1: sha256sum -c"; else fail "$1: sha256sum -c" "$(head -5 sums.log)"; fi
	(cd "$2" && $CHECK . sums manifest-sha512.txt | sha512sum -c --strict --quiet) > sums.log 2>&1
	if [ $? -eq 0 ]; then pass "$1: sha512sum -c"; else fail "$1: sha512sum -c" "$(head -5 sums.log)"; fi
	(cd "$2" && $CHECK . sums tagmanifest-sha256.txt | sha256sum -c --strict --quiet) > sums.log 2>&1
	if [ $? -eq 0 ]; then pass "$1: tagmanifest"; else fail "$1: tagmanifest" "$(head -5 sums.log)"; fi
	if $CHECK "$2" check > check.log 2>&1; then pass "$1: complete, Payload-Oxum, encoding"; else fail "$1: rules" "$(head -5 check.log)"; fi
	check_eq "$1: payload lines" 9 "$(wc -l < "$2/manifest-sha256.txt")"
	check_eq "$1: tag manifest lists" "bag-info.txt bagit.txt manifest-sha256.txt manifest-sha512.txt" \
		"$(sed 's/^[0-9a-f]*  //' "$2/tagmanifest-sha256.txt" | sort | tr '\n' ' ' | sed 's/ $//')"
}

run "$E" --to bagit --files-root files -o bag "$R"
check_exit "folder bag: exit" 0
check_bag "folder" bag
check_grep "percent escaped" "data/files/IMG/pdf/taux de réussite 100%25.pdf" bag/manifest-sha256.txt
check_grep "line break escaped" "data/files/IMG/doc/deux%0Alignes.txt" bag/manifest-sha256.txt
check_grep "accent and space as they are" "data/files/IMG/pdf/fiche n°2 (version définitive).pdf" bag/manifest-sha512.txt
if cmp -s files/IMG/archives/annexes.txt.gz bag/data/files/IMG/archives/annexes.txt.gz; then pass "a .gz attachment is copied, not decompressed"; else fail "gz attachment" "bytes differ"; fi
check_same "records.jsonl holds the records" "$R" bag/data/records.jsonl
"$BIN/mie-cat" --to xml "$R" > expected.xml
check_same "records.xml holds them too" expected.xml bag/data/records.xml
check_xsd "records.xml is valid" bag/data/records.xml
check_text "bag-info.txt" 'Source-Organization: infomie.net
Bagging-Date: 2025-12-02
Payload-Oxum: '"$(find bag/data -type f -printf '%s\n' | awk '{s+=$1} END {print s}')"'.9
Bag-Size: '"$(sed -n 's/^Bag-Size: //p' bag/bag-info.txt)"'
External-Description: 9 interchange records of infomie.net (schema v1) and 6 attached files
External-Identifier: infomie.net:dossier:scolarite
Bag-Software-Agent: mie-export (mie 1.0.0)
Mie-Schema-Version: 1
Mie-Record-Count: section 1
Mie-Record-Count: article 1
Mie-Record-Count: document 6
Mie-Record-Count: dossier 1' bag/bag-info.txt
check_eq "withheld.json, no value" '{"schema_version":"1","withheld":[]}' "$(jq -c 'del(.about)' bag/data/withheld.json)"

# zip and tar.gz: one top folder, the same bag once unpacked
run "$E" --to bagit --files-root files -o dossier.zip "$R"
check_exit "zip bag: exit" 0
check_eq "zip: one top folder" "dossier/" "$(unzip -Z1 dossier.zip | sed 's|/.*|/|' | sort -u)"
# Python's zipfile unpacks (unzip drops the line break of a name)
python3 -c 'import zipfile; zipfile.ZipFile("dossier.zip").extractall("z")'
check_bag "zip" z/dossier
run "$E" --to bagit --files-root files -o dossier.tar.gz "$R"
check_exit "tar.gz bag: exit" 0
mkdir t && tar -xzf dossier.tar.gz -C t
check_bag "tar.gz" t/dossier
# attachments read from an archive, as they are
(cd files && zip -qr ../files.zip .)
run "$E" --to bagit --files-root files.zip -o fromzip "$R"
check_exit "files from a zip: exit" 0
check_bag "files from a zip" fromzip

# a missing attachment: an error naming it, no bag; --allow-missing lists it
rm -f "files/IMG/pdf/taux de réussite 100%.pdf"
run "$E" --to bagit --files-root files -o missing.zip "$R"
check_exit "missing attachment: exit" 1
check_grep "missing attachment named" 'mie-export: infomie.net:document:5: file "IMG/pdf/taux de réussite 100%.pdf": missing from files' err
if [ -e missing.zip ]; then fail "no bag when an attachment is missing" "missing.zip written"; else pass "no bag when an attachment is missing"; fi
run "$E" --to bagit --allow-missing --files-root files -o allowed "$R"
check_exit "--allow-missing: exit" 0
check_grep "--allow-missing in bag-info" "Missing-Attachment: IMG/pdf/taux de réussite 100%.pdf" allowed/bag-info.txt
$CHECK allowed check > check.log 2>&1 && pass "--allow-missing bag still valid" || fail "--allow-missing bag" "$(cat check.log)"
printf '%%PDF-1.4\n%% Taux\n' > "files/IMG/pdf/taux de réussite 100%.pdf"
# names that cannot be paths are refused by name
printf '%s\n' '{"type":"document","id":"infomie.net:document:9","file":"../../etc/passwd"}' \
	'{"type":"document","id":"infomie.net:document:10","file":"/etc/hosts"}' > badnames.jsonl
run "$E" --to bagit --files-root files -o bad.zip badnames.jsonl
check_exit "bad names: exit" 1
check_text "bad names refused by name" 'mie-export: infomie.net:document:9: file "../../etc/passwd": cannot be a path in a bag ("." or ".." part)
mie-export: infomie.net:document:10: file "/etc/hosts": cannot be a path in a bag (absolute)' err
run "$E" --to bagit "$R"
check_exit "no -o: exit" 2
check_grep "no -o message" "mie-export: --to bagit needs -o OUT (a folder, a .zip or a .tar.gz)" err

# ---- mie-import --from bagit ----
for b in bag dossier.zip dossier.tar.gz; do
	run "$I" -q --from bagit "$b"
	check_exit "import $b: exit" 0
	jq -c 'del(.provenance)' out > got.jsonl
	jq -c 'del(.provenance)' "$R" > want.jsonl
	check_same "import $b: the records" want.jsonl got.jsonl
done
check_eq "provenance names the bag" '{"format":"bagit","file":"infomie.net:dossier:scolarite","member":"data/records.jsonl","line":1}' "$(head -1 out | jq -c '.provenance[-1]')"

# --files-out: the attachments, once the package is checked, as they were
for b in bag dossier.zip dossier.tar.gz; do
	rm -rf out-files
	run "$I" -q --from bagit --files-out out-files "$b"
	check_exit "--files-out $b: exit" 0
	if diff -r files out-files > diffr.log 2>&1; then pass "--files-out $b: the same files"; else fail "--files-out $b" "$(head -5 diffr.log)"; fi
done

# five tampered packages, each refused (exit 1, no record) naming the file
tamper() { # name expected-stderr
	run "$I" --from bagit tampered
	check_exit "$1: exit" 1
	check_empty "$1: no record" out
	check_text "$1: named" "$2" err
}
rm -rf tampered && cp -r bag tampered
printf 'X' | dd of=tampered/data/files/IMG/pdf/guide-inscription.pdf bs=1 seek=5 conv=notrunc 2>/dev/null
rm -rf out-files
run "$I" -q --from bagit --files-out out-files tampered
if [ -e out-files ]; then fail "tampered: nothing extracted" "$(find out-files | head -3)"; else pass "tampered: nothing extracted"; fi
tamper "one byte flipped" 'mie-import: tampered!data/files/IMG/pdf/guide-inscription.pdf: changed (its sha256 is not the one in manifest-sha256.txt)
mie-import: tampered!data/files/IMG/pdf/guide-inscription.pdf: changed (its sha512 is not the one in manifest-sha512.txt)
mie-import: tampered: package refused: 2 problems, no record read
mie-import: tampered: bagit refused packages: 1 skipped'
rm -rf tampered && cp -r bag tampered
rm "tampered/data/files/IMG/pdf/fiche n°2 (version définitive).pdf"
tamper "one file deleted" 'mie-import: tampered!data/files/IMG/pdf/fiche n°2 (version définitive).pdf: missing (listed in manifest-sha256.txt)
mie-import: tampered!data/files/IMG/pdf/fiche n°2 (version définitive).pdf: missing (listed in manifest-sha512.txt)
mie-import: tampered!bag-info.txt: Payload-Oxum is '"$(sed -n 's/^Payload-Oxum: //p' bag/bag-info.txt)"', the payload is '"$(($(sed -n 's/^Payload-Oxum: \([0-9]*\).*/\1/p' bag/bag-info.txt) - $(wc -c < "files/IMG/pdf/fiche n°2 (version définitive).pdf")))"'.8
mie-import: tampered: package refused: 3 problems, no record read
mie-import: tampered: bagit refused packages: 1 skipped'
rm -rf tampered && cp -r bag tampered
echo "ajouté" > tampered/data/files/IMG/ajout.txt
tamper "one file added" 'mie-import: tampered!data/files/IMG/ajout.txt: not in the manifest (manifest-sha256.txt)
mie-import: tampered!data/files/IMG/ajout.txt: not in the manifest (manifest-sha512.txt)
mie-import: tampered!bag-info.txt: Payload-Oxum is '"$(sed -n 's/^Payload-Oxum: //p' bag/bag-info.txt)"', the payload is '"$(($(sed -n 's/^Payload-Oxum: \([0-9]*\).*/\1/p' bag/bag-info.txt) + 8))"'.10
mie-import: tampered: package refused: 3 problems, no record read
mie-import: tampered: bagit refused packages: 1 skipped'
rm -rf tampered && cp -r bag tampered
sed -i 's/^Source-Organization: .*/Source-Organization: Autre association/' tampered/bag-info.txt
tamper "bag-info.txt changed" 'mie-import: tampered!bag-info.txt: changed (its sha256 is not the one in tagmanifest-sha256.txt)
mie-import: tampered: package refused: 1 problem, no record read
mie-import: tampered: bagit refused packages: 1 skipped'
rm -rf tampered
head -c $(($(wc -c < dossier.zip) * 2 / 3)) dossier.zip > tampered
run "$I" --from bagit tampered
check_exit "zip truncated: exit" 1
check_empty "zip truncated: no record" out
check_grep "zip truncated: named" "mie-import: tampered!dossier/bagit.txt: damaged or truncated: " err
check_grep "zip truncated: refused" "mie-import: tampered: package refused:" err
# names compared after normalisation: a bag unpacked with NFD names checks
rm -rf nfd && cp -r bag nfd
python3 -c 'import os,unicodedata,sys
for root,dirs,files in os.walk("nfd/data/files", topdown=False):
    for f in files+dirs:
        d=unicodedata.normalize("NFD",f)
        if d!=f: os.rename(os.path.join(root,f),os.path.join(root,d))'
run "$I" -q --from bagit nfd
check_exit "NFD names: exit" 0
check_eq "NFD names: records" 9 "$(wc -l < out)"

# ---- the round trip on the sample ----
"$I" -q -o imported.jsonl "$TOP/examples/infomie-export-2006.zip"
"$BIN/mie-dedup" -q --mode merge -o dedup.jsonl imported.jsonl
"$BIN/mie-filter" -q --section "Droits et procédures" --with-refs --as-dossier "Droits des mineurs" -o selection.jsonl dedup.jsonl
run "$E" -q --to bagit --files-root "$TOP/examples/files" -o sample.zip selection.jsonl
check_exit "round trip: export" 0
run "$I" -q --from bagit -o back.jsonl sample.zip
check_exit "round trip: import" 0
run "$BIN/mie-diff" selection.jsonl back.jsonl
check_exit "round trip: mie-diff exit 0" 0
check_text "round trip: mie-diff says" "mie-diff: 0 added, 0 removed, 0 changed, $(wc -l < selection.jsonl) identical" err
run "$BIN/mie-validate" --strict -o /dev/null back.jsonl
check_exit "round trip: strict validation" 0

# ---- the README's pipeline, as written, in a copy of examples/ ----
mkdir readme && cp "$TOP/examples/infomie-export-2006.zip" readme/ && cp -r "$TOP/examples/files" readme/
awk '/^## Dossiers for partners/{on=1} on&&/^```sh/{getline; while ($0 !~ /^```/) {print; getline}; exit}' \
	"$TOP/README.md" > readme/pipeline.sh
check_grep "README pipeline found" "mie-export --to bagit --files-root files -o dossier.zip" readme/pipeline.sh
(cd readme && PATH="$BIN:$PATH" sh -e pipeline.sh) > readme.out 2> readme.err
rc=$?
check_exit "README pipeline: exit" 0
run "$I" -q --from bagit -o readme/back.jsonl readme/dossier.zip
check_exit "README dossier verifies" 0
check_eq "README dossier: its records" "infomie.net:dossier:droits-des-mineurs" "$(tail -1 readme/back.jsonl | jq -r .id)"
check_eq "README dossier: the PDF travels" "$(sha256sum < "$TOP/examples/files/IMG/pdf/guide-inscription.pdf")" \
	"$(unzip -p readme/dossier.zip dossier/data/files/IMG/pdf/guide-inscription.pdf | sha256sum)"
