# mie-filter: every criterion on the sample stream, AND across kinds and OR
# within one, the section subtree by id and by title, --with-refs giving a
# stream mie-validate --strict accepts, --as-dossier, stdin and XML inputs,
# usage errors with their exact messages.
. "$TOP/tests/lib.sh"
F="$BIN/mie-filter"
S="$FIX/filter/stream.jsonl"
ids() { jq -r .id out | tr '\n' ' ' | sed 's/ $//'; }

t() { # name expected-ids args...
	n=$1 want=$2
	shift 2
	run "$F" -q "$@" "$S"
	check_exit "$n: exit" 0
	check_eq "$n" "$want" "$(ids)"
}
t "type" "infomie.net:keyword:1 infomie.net:keyword:2" --type keyword
t "two types OR" "infomie.net:brief:4 infomie.net:document:3" --type brief --type document
t "section subtree by id" "infomie.net:article:78 infomie.net:article:79 infomie.net:article:82 infomie.net:article:83 infomie.net:section:2 infomie.net:section:3 infomie.net:section:4" --section infomie.net:section:2
t "section by title, another spelling" "infomie.net:article:78 infomie.net:article:79 infomie.net:section:3" --section "acces a l'education"
t "section AND status" "infomie.net:article:83" --section Jurisprudence --status prop
t "keyword by title" "infomie.net:article:82 infomie.net:article:83" --keyword "Évaluation de la minorité"
t "keyword by id" "infomie.net:article:78" --keyword infomie.net:keyword:1
t "author by name" "infomie.net:article:82 infomie.net:article:83" --author "Marc Lefèvre"
t "since and until" "infomie.net:article:79 infomie.net:article:82" --type article --since 2007-02 --until 2007-03
t "until a day" "infomie.net:article:78 infomie.net:brief:4 infomie.net:document:3 infomie.net:comment:12" --until 2006-12-31
t "lang" "" --lang en
t "grep, case and accents" "infomie.net:article:79" --grep 'ELEVES' -i --fold
t "grep without fold misses" "" --grep 'eleves' -i
t "grep plain text" "infomie.net:article:78" --grep 'obligation scolaire'
t "where nested, OR" "infomie.net:article:83 infomie.net:brief:4" --where legacy.table=spip_breves --where status=prop
t "where number" "infomie.net:document:3" --where size=183412
printf '%s\n' '# the dossier of the day' infomie.net:article:80 '' infomie.net:section:9 > ids.txt
t "ids file" "infomie.net:article:80" --ids ids.txt
t "no criterion keeps all" "$(jq -r .id "$S" | tr '\n' ' ' | sed 's/ $//')"

# --with-refs: self-contained, in stream order, strict validation passes
run "$F" --section infomie.net:section:4 --with-refs --as-dossier "Jurisprudence des mineurs" "$S"
check_exit "with-refs exit" 0
check_eq "with-refs records" "infomie.net:article:82 infomie.net:article:83 infomie.net:author:2 infomie.net:keyword:2 infomie.net:keyword_group:1 infomie.net:section:2 infomie.net:section:4 infomie.net:dossier:jurisprudence-des-mineurs" "$(ids)"
check_text "with-refs summary" "mie-filter: 20 records read, 3 selected, 4 added as references, 1 dossier" err
check_eq "dossier members" '["infomie.net:article:82","infomie.net:article:83","infomie.net:section:4"]' "$(tail -1 out | jq -c .members)"
check_eq "dossier provenance" '[{"format":"mie-filter"}]' "$(tail -1 out | jq -c .provenance)"
cp out sel.jsonl
run "$BIN/mie-validate" --strict -o /dev/null sel.jsonl
check_exit "validate --strict on with-refs" 0
# without --with-refs the same selection dangles
"$F" -q --section infomie.net:section:4 "$S" > bare.jsonl
run "$BIN/mie-validate" --strict -o /dev/null bare.jsonl
check_exit "validate --strict without refs" 1
check_grep "dangling named" 'infomie.net:article:82: authors: reference to "infomie.net:author:2", absent from the stream' err

# stdin (spilled for the two passes) and XML give the same records
"$F" -q --section infomie.net:section:4 --with-refs < "$S" > stdin.jsonl
head -n 7 sel.jsonl > expected.jsonl
check_same "stdin with-refs" expected.jsonl stdin.jsonl
"$BIN/mie-cat" --to xml "$S" > stream.xml
"$F" -q --section infomie.net:section:4 --with-refs stream.xml > fromxml.jsonl
check_same "xml input" expected.jsonl fromxml.jsonl
"$F" -q --type keyword --to xml "$S" > kw.xml
check_xsd "xml output" kw.xml

# a section that is not there is said; usage errors
run "$F" --section "Nulle part" "$S"
check_exit "unknown section exit" 0
check_text "unknown section note" 'mie-filter: --section "Nulle part": no such section in the stream
mie-filter: 20 records read, 0 selected, 0 added as references' err
run "$F" --type artcle "$S"; check_exit "bad type exit" 2
check_text "bad type message" "mie-filter: --type: unknown record type \"artcle\"
Try 'mie-filter --help' for more information." err
run "$F" --since 2007-13 "$S"; check_exit "bad date exit" 2
check_grep "bad date message" 'mie-filter: --since: not a date (YYYY, YYYY-MM or YYYY-MM-DD): "2007-13"' err
run "$F" --where status "$S"; check_exit "bad where exit" 2
check_grep "bad where message" 'mie-filter: --where: not FIELD=VALUE: "status"' err
run "$F" --grep '(' "$S"; check_exit "bad regex exit" 2
check_text "bad regex message" 'mie-filter: --grep: "(": Unmatched ( or \(' err
run "$F" --ids missing.txt "$S"; check_exit "missing ids file" 2
check_empty "nothing written on usage error" out
check_text "missing ids file message" "mie-filter: missing.txt: cannot open: No such file or directory
Try 'mie-filter --help' for more information." err
