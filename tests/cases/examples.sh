# The bundled sample is what examples/make-sample.py makes (no opaque blob),
# and the main job on it gives valid, deduplicated records in both forms.
. "$TOP/tests/lib.sh"
python3 "$TOP/examples/make-sample.py" .
check_same "the sample zip is rebuilt byte for byte by its generator" "$TOP/examples/infomie-export-2006.zip" infomie-export-2006.zip
for f in IMG/pdf/guide-inscription.pdf IMG/pdf/modele-recours.pdf IMG/png/carte-permanences.png; do
	check_same "the attachment $f is rebuilt byte for byte by the generator" "$TOP/examples/files/$f" "files/$f"
done
check_eq "the sample's attachments: the files the generator writes, no other" \
	"IMG/pdf/guide-inscription.pdf IMG/pdf/modele-recours.pdf IMG/png/carte-permanences.png" \
	"$(cd "$TOP/examples/files" && find IMG -type f | sort | tr '\n' ' ' | sed 's/ $//')"
"$BIN/mie-import" -q -o imported.jsonl infomie-export-2006.zip; rc=$?
check_exit "import the sample" 0
run "$BIN/mie-validate" -q imported.jsonl; check_exit "the import is valid" 0
cp out valid.jsonl
run "$BIN/mie-dedup" -q --mode merge valid.jsonl; check_exit "dedup merge" 0
cp out records.jsonl
run "$BIN/mie-validate" --strict records.jsonl; check_exit "merged records valid, ids unique, no dangling reference" 0
check_text "one record per real thing (article 81 and the look-alike organisations only marked)" "70" "$(wc -l < records.jsonl > n; echo n)"
check_jsonschema "merged records pass the JSON Schema" records.jsonl
"$BIN/mie-cat" --to xml records.jsonl > records.xml
check_xsd "merged records as XML pass the XSD" records.xml
"$BIN/mie-cat" records.xml | "$BIN/mie-cat" --to xml > again.xml
check_same "XML -> JSONL -> XML identical on the example stream" records.xml again.xml
