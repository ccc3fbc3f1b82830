# make install PREFIX=… DESTDIR=… puts tools, man pages and schemas in place.
. "$TOP/tests/lib.sh"
run make -s -C "$TOP" install BUILD="${BIN%/bin}" PREFIX=/usr DESTDIR="$PWD/root"
check_exit "make install" 0
for t in "$BIN"/mie-*; do
	n=$(basename "$t")
	if [ -x "root/usr/bin/$n" ]; then pass "installed $n"; else fail "installed $n" "missing"; fi
	if [ -f "root/usr/share/man/man1/$n.1" ]; then pass "man page $n"; else fail "man page $n" "missing"; fi
done
run "root/usr/bin/mie-validate" --version; check_exit "installed tool runs" 0
