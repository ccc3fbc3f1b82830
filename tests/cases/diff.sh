# mie-diff: exact reports (text and JSON) on fixtures — added, removed,
# changed fields with a word diff; reordered input is no difference;
# provenance ignored unless --all; --ignore; sorting through spills gives
# the same report; exit codes 0 / 1 / 2 like diff(1).
. "$TOP/tests/lib.sh"
D="$BIN/mie-diff"
cp "$FIX/diff/a.jsonl" "$FIX/diff/b.jsonl" .

run "$D" a.jsonl b.jsonl
check_exit "different: exit 1" 1
check_text "text report" 'changed infomie.net:article:78  "La scolarisation des mineurs isolés"
  title: "La scolarisation des mineurs isolés étrangers" -> "La scolarisation des mineurs isolés"
  status: "publie" -> "prop"
  keywords: ["infomie.net:keyword:1"] -> ["infomie.net:keyword:1","infomie.net:keyword:2"]
  text.plain: L’obligation scolaire s’applique jusqu’à [-16-] {+18+} ans, quelle que …
removed infomie.net:article:80  "Rapport annuel 2006"
added   infomie.net:brief:4  "Permanence juridique : nouveaux horaires"
changed infomie.net:section:3  "Accès à l’éducation"
  lang: (absent) -> "fr"' out
check_text "summary" "mie-diff: 1 added, 1 removed, 2 changed, 2 identical" err

run "$D" --json a.jsonl b.jsonl
check_exit "json exit" 1
check_eq "json lines" 4 "$(wc -l < out)"
check_eq "json changed fields" '[{"field":"title","old":"La scolarisation des mineurs isolés étrangers","new":"La scolarisation des mineurs isolés"},{"field":"status","old":"publie","new":"prop"},{"field":"keywords","old":["infomie.net:keyword:1"],"new":["infomie.net:keyword:1","infomie.net:keyword:2"]},{"field":"text.plain","old":"L’obligation scolaire s’applique jusqu’à 16 ans, quelle que soit la situation administrative du jeune, dès son arrivée sur le territoire.","new":"L’obligation scolaire s’applique jusqu’à 18 ans, quelle que soit la situation administrative du jeune, dès son arrivée sur le territoire."}]' "$(head -1 out | jq -c .fields)"
check_eq "json added" '{"change":"added","id":"infomie.net:brief:4","type":"brief","title":"Permanence juridique : nouveaux horaires"}' "$(sed -n 3p out)"
check_eq "json absent old" '[{"field":"lang","new":"fr"}]' "$(sed -n 4p out | jq -c .fields)"

# the same records in another order, members in another order: equal
tac a.jsonl > rev.jsonl
run "$D" a.jsonl rev.jsonl
check_exit "reordered: exit 0" 0
check_empty "reordered: no output" out
check_text "reordered summary" "mie-diff: 0 added, 0 removed, 0 changed, 5 identical" err
jq -c '{id, type} + .' a.jsonl > members.jsonl
run "$D" -q a.jsonl members.jsonl
check_exit "member order: exit 0" 0

# provenance: ignored by default (document and keyword differ only there)
run "$D" -q --all a.jsonl b.jsonl
check_exit "--all exit" 1
check_eq "--all sees provenance" "changed infomie.net:document:3  \"Guide d’inscription scolaire\"" "$(grep document out)"
run "$D" -q --ignore title --ignore status --ignore keywords --ignore text --ignore lang a.jsonl b.jsonl
check_text "--ignore" 'removed infomie.net:article:80  "Rapport annuel 2006"
added   infomie.net:brief:4  "Permanence juridique : nouveaux horaires"' out

# sorted through spills (a tiny budget: one run per record or two)
"$D" -q a.jsonl b.jsonl > mem.txt
run "$D" -q --memory 300 a.jsonl b.jsonl
check_same "spilled sort, same report" mem.txt out
cat "$FIX/filter/stream.jsonl" > big.jsonl
tac big.jsonl > bigrev.jsonl
run "$D" --memory 2K big.jsonl bigrev.jsonl
check_exit "spilled, reordered: exit 0" 0
check_text "spilled summary" "mie-diff: 0 added, 0 removed, 0 changed, 20 identical" err

# stdin as one side; trouble is 2
run sh -c "\"$D\" -q a.jsonl - < b.jsonl"
check_exit "stdin side" 1
run "$D" a.jsonl
check_exit "one input: exit 2" 2
check_grep "one input message" 'mie-diff: two inputs expected, A and B ("-" for standard input)' err
run "$D" a.jsonl missing.jsonl
check_exit "missing input: exit 2" 2
printf '%s\n' '{"type":"article","id":"x:article:1"}' 'not json' > bad.jsonl
run "$D" a.jsonl bad.jsonl
check_exit "unreadable record: exit 2" 2
check_empty "no report on trouble" out

# either side may be a bag: checked whole first; a tampered one is trouble
"$BIN/mie-export" -q --to bagit --allow-missing -o v1.zip a.jsonl
"$BIN/mie-export" -q --to bagit --allow-missing -o v2 b.jsonl
run "$D" a.jsonl v1.zip
check_exit "bag = its stream: exit 0" 0
"$D" -q a.jsonl b.jsonl > streams.txt
run "$D" -q v1.zip v2
check_exit "two bags: exit 1" 1
check_same "two bags: the report of their streams" streams.txt out
echo "modifié" >> v2/data/records.jsonl
run "$D" v1.zip v2
check_exit "tampered bag: exit 2" 2
check_grep "tampered bag named" "mie-diff: v2!data/records.jsonl: changed (its sha256 is not the one in manifest-sha256.txt)" err
check_empty "tampered bag: no report" out
