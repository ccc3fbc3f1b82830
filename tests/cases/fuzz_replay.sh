# Replays every fuzz seed and kept crash through its libFuzzer target
# (tests/fuzz/README.md): inputs that once crashed stay fixed.
. "$TOP/tests/lib.sh"
if ! make -s -C "$TOP" fuzz-build > build.log 2>&1; then
	fail "fuzz targets build" "$(tail -20 build.log)"
	exit 0
fi
for src in "$TOP"/tests/fuzz/fuzz_*.c; do
	t=$(basename "$src" .c); t=${t#fuzz_}
	set -- "$TOP"/tests/fuzz/seeds/$t/*
	[ -d "$TOP/tests/fuzz/crashes/$t" ] && set -- "$@" "$TOP"/tests/fuzz/crashes/$t/*
	if "$TOP/build/fuzz/bin/$t" "$@" > $t.log 2>&1; then
		pass "fuzz replay $t ($# inputs)"
	else
		fail "fuzz replay $t" "$(tail -20 $t.log)"
	fi
done
