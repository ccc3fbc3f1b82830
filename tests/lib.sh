# tests/lib.sh — assertions for the black-box tests in tests/cases/*.sh.
#
# A case file is a POSIX shell script run by tests/run.sh in a fresh temporary
# folder ($T, kept on failure) with these in the environment:
#   BIN    the folder holding the built tools (mie-*, unit-tests)
#   TOP    the repository root;  FIX = $TOP/tests/fixtures
# It sources this file and calls the check_* functions; each prints one line,
# "PASS name" or "FAIL name: why", which tests/run.sh counts.  Assert exact
# exit codes and exact messages: a crash must never pass.

FIX="$TOP/tests/fixtures"
AJV="$TOP/build/npm/node_modules/.bin/ajv"

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }

# run CMD... : runs a command, stdout to out, stderr to err, status in $rc.
run() {
	"$@" >out 2>err
	rc=$?
}

check_exit() { # name expected
	if [ "$rc" = "$2" ]; then pass "$1"; else fail "$1" "exit $rc, expected $2; stderr: $(head -c 600 err)"; fi
}

check_same() { # name expected-file actual-file
	if cmp -s "$2" "$3"; then pass "$1"; else fail "$1" "$(diff -u "$2" "$3" | head -40)"; fi
}

check_text() { # name expected-text actual-file  (exact content, trailing newline added)
	printf '%s\n' "$2" > .expected
	check_same "$1" .expected "$3"
}

check_empty() { # name file
	if [ ! -s "$2" ]; then pass "$1"; else fail "$1" "not empty: $(head -c 600 "$2")"; fi
}

check_grep() { # name fixed-string file
	if grep -qF -- "$2" "$3"; then pass "$1"; else fail "$1" "'$2' not in $3: $(head -c 600 "$3")"; fi
}

check_nogrep() { # name fixed-string file...
	n=$1 s=$2; shift 2
	if grep -rqF -- "$s" "$@"; then fail "$n" "'$s' found in $*"; else pass "$n"; fi
}

check_eq() { # name expected actual
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$3', expected '$2'"; fi
}

# The JSONL file conforms to schemas/mie-v1.schema.json (ajv, an independent validator).
check_jsonschema() { # name file.jsonl
	if [ ! -x "$AJV" ]; then fail "$1" "ajv not installed (make test-deps)"; return; fi
	rm -rf .ajv && mkdir .ajv
	i=0
	while IFS= read -r line || [ -n "$line" ]; do
		[ -z "$line" ] && continue
		i=$((i + 1))
		printf '%s\n' "$line" > .ajv/r$i.json
	done < "$2"
	if [ $i -eq 0 ]; then pass "$1"; return; fi
	if "$AJV" validate --spec=draft2020 -c ajv-formats --strict=false \
		-s "$TOP/schemas/mie-v1.schema.json" -d ".ajv/r*.json" > .ajv.log 2>&1; then
		pass "$1"
	else
		fail "$1" "$(grep -v ' valid$' .ajv.log | head -20)"
	fi
}

# The XML file is valid against schemas/mie-v1.xsd (xmllint).
check_xsd() { # name file.xml
	if xmllint --noout --nonet --schema "$TOP/schemas/mie-v1.xsd" "$2" > .xsd.log 2>&1; then
		pass "$1"
	else
		fail "$1" "$(head -20 .xsd.log)"
	fi
}

# headless Chromium with a profile of its own, removed after; its messages in chromium.log
chrome() { # args...
	prof=$(mktemp -d)
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run --user-data-dir="$prof" "$@" 2>chromium.log
	st=$?
	rm -rf "$prof"
	return $st
}
