# Each build has its own folder (build/rel, build/san, build/nosimd) and
# bin/ points at the last one made: after `make SANITIZE=1`, a plain `make`
# points it back at the release tools.  Run on a one-file library and one
# tool with the real Makefile, so it takes a second.
. "$TOP/tests/lib.sh"
mkdir -p libcommon/core tools
printf '#include "core/mie_a.h"\nint mie_a(void)\n{\n#ifdef MIE_NO_SIMD\n\treturn 3;\n#else\n\treturn 0;\n#endif\n}\n' > libcommon/core/mie_a.c
printf 'int mie_a(void);\n' > libcommon/core/mie_a.h
printf '#include "core/mie_a.h"\nint main(void)\n{\n\treturn mie_a();\n}\n' > tools/mie-x.c
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u NOSIMD -u SANITIZE -u BUILD make -s -f "$TOP/Makefile" "$@" > make.log 2>&1; }

mk all
check_eq "make: bin is build/rel/bin" "build/rel/bin" "$(readlink bin)"
mk SANITIZE=1 all
check_eq "make SANITIZE=1: bin is build/san/bin" "build/san/bin" "$(readlink bin)"
mk all
check_eq "make after make SANITIZE=1: bin is build/rel/bin again" "build/rel/bin" "$(readlink bin)"
if nm bin/mie-x | grep -q __asan; then
	fail "the release tool is not the sanitized one" "bin/mie-x has ASan symbols"
else
	pass "the release tool is not the sanitized one"
fi
mk NOSIMD=1 all
check_eq "make NOSIMD=1: bin is build/nosimd/bin" "build/nosimd/bin" "$(readlink bin)"
run bin/mie-x
check_exit "make NOSIMD=1 compiles with MIE_NO_SIMD" 3
mk all
run bin/mie-x
check_exit "make: compiled with the fast paths" 0
