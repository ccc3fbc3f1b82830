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
check_same "schemas/README.md installed with the schemas" "$TOP/schemas/README.md" root/usr/share/mie/schemas/README.md
for f in mie-v1.xsd mie-v1.schema.json; do
	check_same "schema $f installed" "$TOP/schemas/$f" "root/usr/share/mie/schemas/$f"
done

# make uninstall removes what install put, and only that
echo 'not ours' > root/usr/bin/other-tool
run make -s -C "$TOP" uninstall BUILD="${BIN%/bin}" PREFIX=/usr DESTDIR="$PWD/root"
check_exit "make uninstall" 0
check_eq "uninstall: nothing of mie left" "root/usr/bin/other-tool" "$(find root -type f | sort)"
check_eq "uninstall: mie's own folder removed" "" "$(find root -path '*share/mie*')"
check_eq "uninstall: the shared folders stay" "root/usr/bin root/usr/share/man/man1" \
	"$(ls -d root/usr/bin root/usr/share/man/man1 | tr '\n' ' ' | sed 's/ $//')"
run make -s -C "$TOP" uninstall BUILD="${BIN%/bin}" PREFIX=/usr DESTDIR="$PWD/root"
check_exit "make uninstall twice: nothing to do, exit 0" 0
