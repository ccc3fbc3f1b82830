# Outputs do not depend on where the tree is nor on how an input path was
# spelled: provenance names an input by its path from the working folder
# (or --source-label), never by the importing machine's absolute path; the
# demo run from two copies of the tree, one from another working folder,
# gives the same bytes (SOURCE_DATE_EPOCH for the bag's dates).
. "$TOP/tests/lib.sh"
T=$PWD
IMPORT="$BIN/mie-import"

# one input, four spellings: the same records
mkdir -p work/exports && cp "$TOP/examples/infomie-export-2006.zip" work/exports/2006.zip
(cd work && "$IMPORT" -q exports/2006.zip) > relative.jsonl
(cd work && "$IMPORT" -q "$T/work/exports/2006.zip") > absolute.jsonl
(cd work && "$IMPORT" -q ./exports//./2006.zip) > dotted.jsonl
(cd work/exports && "$IMPORT" -q ../exports/2006.zip) > around.jsonl
check_eq "relative path stored as typed" 72 "$(grep -c '"file":"exports/2006.zip"' relative.jsonl)"
check_same "absolute path: stored from the working folder" relative.jsonl absolute.jsonl
check_same "./ and // dropped" relative.jsonl dotted.jsonl
check_eq "../ folded against the working folder" 72 "$(grep -c '"file":"2006.zip"' around.jsonl)"
(cd / && "$IMPORT" -q "$T/work/exports/2006.zip") > from-root.jsonl
check_eq "from /: no leading slash" 72 "$(grep -c "\"file\":\"${PWD#/}/work/exports/2006.zip\"" from-root.jsonl)"
(cd /usr && "$IMPORT" -q "$T/work/exports/2006.zip") > from-usr.jsonl
check_eq "from another folder: ../ to it" 72 "$(grep -c "\"file\":\"../${PWD#/}/work/exports/2006.zip\"" from-usr.jsonl)"

# --source-label: the input's name in provenance, whatever the path
run "$IMPORT" -q --source-label partenaire-A/2006.zip "$PWD/work/exports/2006.zip"
check_exit "--source-label: exit 0" 0
check_eq "--source-label: every record named by it" 72 "$(grep -c '"file":"partenaire-A/2006.zip"' out)"
"$IMPORT" -q --source-label partenaire-A/2006.zip - < work/exports/2006.zip > stdin.jsonl
check_same "--source-label: standard input named the same" out stdin.jsonl
mkdir -p dir/sub && cp "$FIX/man/dump.xml" dir/sub/dump.xml
run "$IMPORT" -q --source-label fonds "$PWD/dir"
check_eq "--source-label on a folder: its files under the label" 3 "$(grep -c '"file":"fonds/sub/dump.xml"' out)"
run "$IMPORT" -q "$PWD/dir/"
check_eq "a folder with a trailing slash" 3 "$(grep -c '"file":"dir/sub/dump.xml"' out)"
run "$IMPORT" -q "$PWD/nowhere.zip"
check_grep "messages still name the input as typed" "mie-import: $PWD/nowhere.zip:" err

# the demo from two copies of the tree, one run from another working folder
for copy in a/mie b/deeper/mie; do
	mkdir -p "$copy/examples"
	cp -r "$TOP/examples/demo.sh" "$TOP/examples/infomie-export-2006.zip" "$TOP/examples/files" \
		"$copy/examples/"
done
SOURCE_DATE_EPOCH=1175000000 BIN="$BIN" sh a/mie/examples/demo.sh > demo-a.log 2>&1
check_eq "demo in copy a: exit 0" 0 $?
(cd / && SOURCE_DATE_EPOCH=1175000000 BIN="$BIN" sh "$T/b/deeper/mie/examples/demo.sh") > demo-b.log 2>&1
check_eq "demo in copy b, run from /: exit 0" 0 $?
ls a/mie/examples/out > files-a
ls b/deeper/mie/examples/out > files-b
check_same "the same deliverables" files-a files-b
check_grep "the deliverables include the bag" dossier.zip files-a
for f in $(cat files-a); do
	if [ -d "a/mie/examples/out/$f" ]; then # a folder (the offline site): every file in it
		if diff -r "a/mie/examples/out/$f" "b/deeper/mie/examples/out/$f" > tree.diff; then
			pass "demo: $f/ byte for byte"
		else
			fail "demo: $f/ byte for byte" "$(head -40 tree.diff)"
		fi
	else
		check_same "demo: $f byte for byte" "a/mie/examples/out/$f" "b/deeper/mie/examples/out/$f"
	fi
done
(cd a/mie/examples/out && for z in *.zip; do unzip -p "$z"; done) > unzipped
check_nogrep "no absolute path of the tree in the deliverables" "$PWD" a/mie/examples/out unzipped
check_nogrep "no path from the root in provenance" '"file":"/' a/mie/examples/out unzipped
check_grep "provenance names the sample from the top of the tree" \
	'"file":"examples/infomie-export-2006.zip"' a/mie/examples/out/records.jsonl
