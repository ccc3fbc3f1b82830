# mie-stats: the summary of the deduplicated sample, exact, its numbers
# cross-checked with jq; --json; --html rendered by headless Chromium: the
# screenshot is not blank and every chart's numbers, read from the DOM
# Chromium built, are those of --json; the page needs nothing outside it.
. "$TOP/tests/lib.sh"
S="$FIX/filter/stream.jsonl"
ST="$BIN/mie-stats"

run "$ST" "$S"
check_exit "text: exit" 0
check_text "text summary" 'records     20
types       section 4, article 5, brief 1, author 2, keyword 2, keyword_group 1, document 1, comment 1, organisation 3
status      publie 10, 0minirezo 1, 1comite 1, prop 1
languages   fr 12
years       2006 4, 2007 8
dates       2006-12-05T14:00:00 .. 2007-04-10T09:00:00 (date_published)
dates       2007-03-20 .. 2007-03-20T09:12:44 (date_modified)
sections
  L’association  2 (2 in it)
  Droits et procédures  4 (0 in it)
    Accès à l’éducation  2 (2 in it)
    Jurisprudence  2 (2 in it)
repairs     charset-cp1252 8, entity 2, control-char 1, double-utf8 1
duplicates  merged 6
withheld    (none)
texts       7 records with a text, 930 bytes, 132 on average, largest infomie.net:article:78 (297 bytes)' out

run "$ST" --json "$S"
check_exit "json: exit" 0
cp out s.json
# the same numbers computed by jq from the records
check_eq "json types = jq" "$(jq -s -c 'group_by(.type) | map({(.[0].type): length}) | add' "$S")" "$(jq -c '.types | to_entries | sort_by(.key) | from_entries' s.json)"
check_eq "json years = jq" "$(jq -s -c '[.[] | .date_published // empty | .[0:4]] | group_by(.) | map({(.[0]): length}) | add' "$S")" "$(jq -c .years s.json)"
check_eq "json repairs = jq" "$(jq -s '[.[].provenance[]?.repairs[]? | .count // 1] | add' "$S")" "$(jq '[.repairs[]] | add' s.json)"
check_eq "json merged = jq" "$(jq -s '[.[].merged_from // [] | length] | add' "$S")" "$(jq .duplicates.merged s.json)"
check_eq "json section total" 4 "$(jq '.sections[] | select(.id == "infomie.net:section:2") | .total' s.json)"
check_eq "json texts = jq" "$(jq -s '[.[] | .text.plain // empty | utf8bytelength] | add' "$S")" "$(jq .text.bytes s.json)"

run "$ST" -q --html page.html --title "Le fonds InfoMIE" -o /dev/null "$S"
check_exit "html: exit" 0
check_nogrep "html: no script" "<script" page.html
if grep -Eq '(src|href)=|url\(|@import' page.html; then fail "html: no external resource" "$(grep -Eo '(src|href)=[^ >]*|url\([^)]*\)|@import' page.html | head -3)"; else pass "html: no external resource"; fi
check_grep "html: title" "<h1>Le fonds InfoMIE</h1>" page.html
check_grep "html: svg charts" '<svg xmlns="http://www.w3.org/2000/svg"' page.html
if xmllint --noout --html page.html 2>xmllint.log; then pass "html: parses"; else fail "html: parses" "$(head -3 xmllint.log)"; fi

if ! command -v chromium >/dev/null; then
	fail "html: chromium" "not installed (make test-deps)"
else
	chrome --window-size=900,1400 --screenshot="$PWD/shot.png" "file://$PWD/page.html" >/dev/null
	if [ -s shot.png ] && python3 "$FIX/stats/page_check.py" png shot.png > png.log; then pass "html: screenshot not blank"; else fail "html: screenshot not blank" "$(cat png.log)"; fi
	# the checker can fail: an empty page is blank
	printf '<!DOCTYPE html><html><body></body></html>\n' > empty.html
	chrome --window-size=900,1400 --screenshot="$PWD/blank.png" "file://$PWD/empty.html" >/dev/null
	if python3 "$FIX/stats/page_check.py" png blank.png > blank.log; then fail "html: a blank page is seen blank" "passed"; else pass "html: a blank page is seen blank"; fi
	chrome --dump-dom "file://$PWD/page.html" > dom.html
	if python3 "$FIX/stats/page_check.py" dom dom.html s.json > dom.log; then pass "html: charts' numbers = --json"; else fail "html: charts' numbers = --json" "$(cat dom.log)"; fi
	check_eq "html: bars drawn" "$(jq '(.years|length) + (.sections|length) + (.repairs|length) + (.duplicates|length)' s.json)" "$(grep -c 'class="bar"' dom.html)"
fi

# stdin, an empty stream, errors
run sh -c "\"$ST\" --json < \"$S\""
check_same "stdin" s.json out
printf '' > empty.jsonl
run "$ST" --json empty.jsonl
check_exit "empty stream: exit" 0
check_eq "empty stream: zero" 0 "$(jq .records out)"
run "$ST" missing.jsonl
check_exit "missing input: exit" 2
run "$ST" --html /nonexistent/dir/page.html "$S"
check_exit "html unwritable: exit" 2
