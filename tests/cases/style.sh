# One mechanical style (.clang-format), and no banned string function.
. "$TOP/tests/lib.sh"
cd "$TOP"
if clang-format --dry-run -Werror libcommon/*/*.c libcommon/*/*.h tools/*.c tests/unit/*.c tests/unit/*.h tests/fuzz/*.c > "$OLDPWD/fmt.log" 2>&1; then
	pass "clang-format: the tree is formatted"
else
	fail "clang-format: the tree is formatted" "$(grep -c "error:" "$OLDPWD/fmt.log") places, e.g. $(head -3 "$OLDPWD/fmt.log")"
fi
if grep -nE '\b(strcpy|strcat|sprintf|vsprintf|gets)\s*\(' libcommon/*/*.c tools/*.c > "$OLDPWD/banned.log"; then
	fail "no banned string functions" "$(head -5 "$OLDPWD/banned.log")"
else
	pass "no banned string functions"
fi
