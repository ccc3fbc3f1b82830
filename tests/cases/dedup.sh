# mie-dedup on the labelled fixture (tests/fixtures/dedup/gen-corpus.py):
# precision/recall, modes, lossless merge, schema, determinism, usage errors.
. "$TOP/tests/lib.sh"
D="$FIX/dedup"
DEDUP="$BIN/mie-dedup"
ALL="--merge-methods identity,exact,near,name"

# mark (default): every record passes, duplicates marked; report scored
run "$DEDUP" -q --report r.json "$D/corpus.jsonl"
check_exit "mark: exit 0" 0
cp out mark.jsonl
check_eq "mark: every record passes" 41 "$(wc -l < mark.jsonl)"
check_eq "mark: 13 duplicates marked" 13 "$(grep -c '"duplicate_of"' mark.jsonl)"
check_jsonschema "mark: output conforms to the schema" mark.jsonl
check_grep "mark: organisation typed in capitals" \
	'"id":"infomie.net:organisation:2","title":"SECOURS POPULAIRE FRANCAIS","city":"PARIS","phone":"01 44 78 21 00","provenance":[{"format":"spip-xml","file":"dump.xml"}],"duplicate_of":"infomie.net:organisation:1","duplicate_method":"name","duplicate_score":1.0}' mark.jsonl
check_grep "mark: mojibake copy is exact" \
	'"duplicate_of":"infomie.net:article:103","duplicate_method":"exact","duplicate_score":1.0}' mark.jsonl
check_grep "mark: re-edited copy is near" \
	'"duplicate_of":"infomie.net:article:310","duplicate_method":"near","duplicate_score":0.832}' mark.jsonl
python3 "$D/score.py" "$D/truth.txt" r.json > score.txt
st=$?
cat score.txt
check_eq "precision 1.0 on hard negatives, recall >= 0.95" 0 "$st"
check_grep "precision and recall" "precision 1.000 recall 1.000 (15 of 15 labelled pairs, 15 predicted); hard negatives: precision 1.000, 0 of 13 pairs clustered" score.txt

# clusters do not depend on input order; output follows it
tac "$D/corpus.jsonl" > reversed.jsonl
run "$DEDUP" -q --report r2.json reversed.jsonl
check_same "report independent of input order" r.json r2.json
sort mark.jsonl > a.sorted
sort out > b.sorted
check_same "marks independent of input order" a.sorted b.sorted
sort "$D/corpus.jsonl" > sorted.jsonl
"$DEDUP" -q --report r6.json sorted.jsonl > /dev/null
"$DEDUP" -q --mode merge $ALL sorted.jsonl > sorted-merged.jsonl
check_same "report independent of input order (sorted)" r.json r6.json
sort sorted-merged.jsonl > a.sorted
"$DEDUP" -q --mode merge $ALL "$D/corpus.jsonl" | sort > b.sorted
check_same "merged records independent of input order" b.sorted a.sorted
run "$DEDUP" -q --report r3.json "$D/corpus.jsonl"
check_same "deterministic output" mark.jsonl out

# a regular JSON Lines file is scanned in place, standard input goes through
# the record reader and the spill file: the same bytes out
"$DEDUP" -q --report r5.json < "$D/corpus.jsonl" > stdin.jsonl
check_same "stdin: same output as the file" mark.jsonl stdin.jsonl
check_same "stdin: same report" r.json r5.json
"$DEDUP" -q --mode merge $ALL < "$D/corpus.jsonl" > stdin-merged.jsonl
"$DEDUP" -q --mode merge $ALL "$D/corpus.jsonl" > file-merged.jsonl
check_same "stdin: same merge" file-merged.jsonl stdin-merged.jsonl

# signatures spilled to disk beyond --memory: same clusters
run "$DEDUP" -q --memory 1K --report r4.json "$D/corpus.jsonl"
check_same "--memory 1K: same report" r.json r4.json

# merge (default --merge-methods identity,exact): identity and exact
# duplicates merged, near and name ones marked, nothing lost, valid
run "$DEDUP" -q --mode merge "$D/corpus.jsonl"
check_exit "merge: exit 0" 0
cp out merged-default.jsonl
check_eq "merge: identity and exact merged, 35 records" 35 "$(wc -l < merged-default.jsonl)"
check_eq "merge: the 7 near and name duplicates marked" 7 "$(grep -c '"duplicate_of"' merged-default.jsonl)"
check_grep "merge: a near duplicate is marked, not merged" \
	'"duplicate_of":"infomie.net:article:310","duplicate_method":"near","duplicate_score":0.832}' merged-default.jsonl
python3 "$D/lossless.py" "$D/corpus.jsonl" merged-default.jsonl > lossless.txt
check_text "merge: default methods lose nothing" "35 merged records, 0 values lost" lossless.txt

# merge with every method: one record per cluster
run "$DEDUP" -q --mode merge $ALL "$D/corpus.jsonl"
check_exit "merge: exit 0" 0
cp out merged.jsonl
check_eq "merge: one record per cluster" 28 "$(wc -l < merged.jsonl)"
python3 "$D/lossless.py" "$D/corpus.jsonl" merged.jsonl > lossless.txt
check_eq "merge: no value of any member lost" 0 $?
check_text "merge: lossless report" "28 merged records, 0 values lost" lossless.txt
check_grep "merge: organisation merged, every variant with its id, source and record" \
	'{"type":"organisation","id":"infomie.net:organisation:1","title":"Secours populaire français","city":"Paris","kind":"association","url":"https://www.secourspopulaire.fr","provenance":[{"format":"spip-xml","file":"dump.xml","record":"infomie.net:organisation:1"},{"format":"spip-xml","file":"dump.xml","record":"infomie.net:organisation:2"},{"format":"spip-xml","file":"dump.xml","record":"infomie.net:organisation:3"}],"phone":"01 44 78 21 00","postcode":"75003","merged_from":["infomie.net:organisation:1","infomie.net:organisation:2","infomie.net:organisation:3"],"variants":{"id":[{"value":"infomie.net:organisation:2","id":"infomie.net:organisation:2","source":{"file":"dump.xml"},"record":1},{"value":"infomie.net:organisation:3","id":"infomie.net:organisation:3","source":{"file":"dump.xml"},"record":2}],"title":[{"value":"SECOURS POPULAIRE FRANCAIS","id":"infomie.net:organisation:2","source":{"file":"dump.xml"},"record":1},{"value":"Secours Populaire Français ","id":"infomie.net:organisation:3","source":{"file":"dump.xml"},"record":2}],"city":[{"value":"PARIS","id":"infomie.net:organisation:2","source":{"file":"dump.xml"},"record":1}]},"merge_layout":{"0":["type","id","title","city","kind","url",["provenance",1,1]],"1":["type","id","title","city","phone",["provenance",1,1]],"2":["type","id","title","postcode",["provenance",1,1]]}}' merged.jsonl
check_grep "merge: dump and mirror provenance concatenated, each naming its record" \
	'"provenance":[{"format":"spip-xml","file":"dump.xml","record":"infomie.net:article:104"},{"format":"html","file":"miroir/spip.php@article104.html","date":"2019-04-02","record":"infomie.net:article:104"}],"merged_from":["infomie.net:article:104"]' merged.jsonl
run "$BIN/mie-validate" -q merged.jsonl
check_exit "merge: output passes mie-validate" 0
check_jsonschema "merge: output conforms to the schema" merged.jsonl

# --unmerge: the members back, byte for byte (the corpus is mie-import's
# compact JSON); records not merged pass as they are
run "$DEDUP" --unmerge merged.jsonl
check_exit "unmerge: exit 0" 0
check_text "unmerge: summary" "mie-dedup: 28 records read, 11 merged records split, 41 written" err
sort out > unmerged.sorted
sort "$D/corpus.jsonl" > corpus.sorted
check_same "unmerge: the records before the merge, byte for byte" corpus.sorted unmerged.sorted
# after the default merge: the records as --mode mark gives them, without
# the marks of the identity and exact duplicates (merged, not marked)
sed -E 's/,"duplicate_of":"[^"]*","duplicate_method":"(identity|exact)","duplicate_score":[0-9.]+}$/}/' \
	mark.jsonl | sort > b.sorted
"$DEDUP" -q --unmerge merged-default.jsonl | sort > a.sorted
check_same "unmerge after the default merge: near and name duplicates still marked" b.sorted a.sorted
"$DEDUP" -q --mode merge $ALL merged-default.jsonl > remerged.jsonl
check_eq "merge of merged records: one record per cluster" 28 "$(wc -l < remerged.jsonl)"
"$DEDUP" -q --unmerge remerged.jsonl | "$DEDUP" -q --unmerge | sort > a.sorted
check_same "unmerge twice after two merges: the records of the first merge" b.sorted a.sorted
run "$DEDUP" -q --mode merge $ALL --to xml "$D/corpus.jsonl"
cp out merged-rt.xml
run "$DEDUP" -q --unmerge merged-rt.xml
sort out > a.sorted
check_same "unmerge from XML: the same records" corpus.sorted a.sorted
printf '%s\n' '{"type":"article","id":"infomie.net:article:1","title":"Essai","merge_layout":{"0":["type","id","title","lead"]}}' > broken.jsonl
run "$DEDUP" --unmerge broken.jsonl
check_exit "unmerge: a layout that does not hold: exit 1" 1
check_text "unmerge: a layout that does not hold: message" \
	"mie-dedup: broken.jsonl:1: infomie.net:article:1: not split: merge_layout.0: field 3: no value to rebuild
mie-dedup: 1 records read, 0 merged records split, 1 written" err
check_eq "unmerge: the record kept as it is" "$(cat broken.jsonl)" "$(cat out)"
run "$DEDUP" --unmerge --report r.json merged.jsonl
check_exit "unmerge with --report: exit 2" 2
check_text "unmerge with --report: message" "mie-dedup: --unmerge: no clusters to report (--report)" err

# drop: only canonicals, unchanged
run "$DEDUP" -q --mode drop "$D/corpus.jsonl"
cp out drop.jsonl
check_eq "drop: canonicals only" 28 "$(wc -l < drop.jsonl)"
check_eq "drop: no marks" 0 "$(grep -c duplicate_of drop.jsonl)"
run "$BIN/mie-validate" -q drop.jsonl
check_exit "drop: output passes mie-validate" 0

# XML in and out, text report
run "$DEDUP" -q --mode drop --to xml --report r.txt --report-format text "$D/corpus.jsonl"
check_exit "xml: exit 0" 0
cp out drop.xml
check_xsd "xml: output valid against the XSD" drop.xml
run "$DEDUP" -q --mode merge $ALL --to xml "$D/corpus.jsonl"
cp out merged.xml
check_xsd "xml: merged output valid against the XSD" merged.xml
run "$BIN/mie-validate" -q merged.xml
check_same "xml: merged records read back as the JSON Lines ones" merged.jsonl out
run "$DEDUP" -q --mode drop drop.xml
check_eq "xml: canonicals read back, no new duplicate" 28 "$(wc -l < out)"
check_grep "text report: cluster line" "cluster 7: infomie.net:organisation:1 (name, 1.000)" r.txt
check_grep "text report: member line, with its source" "  + infomie.net:organisation:3  name 1.000  same name key \"francais populaire secours\"  (dump.xml)" r.txt
check_grep "text report: totals" "41 records, 11 clusters, 13 duplicates (identity 2, exact 4, near 3, name 4), 28 written" r.txt

# methods switch off; summary on stderr
run "$DEDUP" --methods identity "$D/corpus.jsonl"
check_text "--methods identity: summary" "mie-dedup: 41 records read, 2 clusters, 2 duplicates, 41 written" err

# usage errors: exact message, exit 2
run "$DEDUP" --mode fuse "$D/corpus.jsonl"
check_exit "--mode fuse: exit 2" 2
check_grep "--mode fuse: message" 'mie-dedup: --mode: expected mark, merge or drop, not "fuse"' err
run "$DEDUP" --threshold 1.5 "$D/corpus.jsonl"
check_exit "--threshold 1.5: exit 2" 2
check_grep "--threshold 1.5: message" 'mie-dedup: --threshold: expected a number in ]0, 1], not "1.5"' err
run "$DEDUP" --methods exact,fuzzy "$D/corpus.jsonl"
check_exit "--methods fuzzy: exit 2" 2

# an unreadable record is reported, the rest deduplicated, exit 1
{ head -3 "$D/corpus.jsonl"; echo '{"type": "article", "id": '; sed -n 4p "$D/corpus.jsonl"; } > bad.jsonl
run "$DEDUP" -q bad.jsonl
check_exit "bad record: exit 1" 1
check_eq "bad record: the others pass" 4 "$(wc -l < out)"
check_text "bad record: reported with its line" "mie-dedup: bad.jsonl:4: column 26: unexpected token near end of file" err
"$DEDUP" -q < bad.jsonl > stdin-bad.jsonl 2> stdin-bad.err
check_same "bad record: same output through standard input" out stdin-bad.jsonl
check_text "bad record: same message through standard input" "mie-dedup: (stdin):4: column 26: unexpected token near end of file" stdin-bad.err

# a large input (from 65 536 records the output is made ready by two threads,
# the second half held): every line out is its line in, in order, with the
# marks added to the duplicates only; the same through a pipe; drop keeps
# the rest
python3 - <<'PY'
import json
mots = "mineur isolé accueil aide sociale enfance juge tutelle séjour école".split()
copies = {}
with open("large.jsonl", "w") as f:
    for i in range(1, 70001):
        k = i % 9000 if i % 7 == 0 else i  # a seventh are copies of another text
        copies[k] = copies.get(k, 0) + 1
        t = " ".join(mots[(k * 7 + j) % len(mots)] for j in range(6)) + " n°%d" % k
        r = {"type": "article", "id": "infomie.net:article:%d" % i, "title": "Fiche %d" % k,
             "text": {"plain": t}, "provenance": [{"format": "spip-xml", "file": "dump.xml"}]}
        f.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")
dups = sum(n - 1 for n in copies.values())
with open("large.expected", "w") as f:  # what the texts make, counted here
    print(sum(1 for n in copies.values() if n > 1), dups, 70000 - dups, file=f)
PY
read clusters dups kept < large.expected
run "$DEDUP" --methods identity,exact large.jsonl
check_exit "large input: exit" 0
check_eq "large input: the summary" "mie-dedup: 70000 records read, $clusters clusters, $dups duplicates, 70000 written" "$(cat err)"
jq -c 'del(.duplicate_of, .duplicate_method, .duplicate_score)' out > large.stripped
jq -c . large.jsonl > large.want
check_same "large input: every line out is its line in, in order" large.want large.stripped
check_eq "large input: marks on the duplicates only" "$dups" "$(grep -c '"duplicate_of"' out)"
cat large.jsonl | "$DEDUP" -q --methods identity,exact > large.pipe
check_same "large input: the same through a pipe" out large.pipe
"$DEDUP" -q --methods identity,exact --mode drop large.jsonl > large.drop
grep -v '"duplicate_of"' out > large.kept
check_eq "large input, drop: the count kept" "$kept" "$(wc -l < large.drop | tr -d ' ')"
check_same "large input, drop: the lines not marked, byte for byte, in order" large.kept large.drop
