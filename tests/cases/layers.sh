# The layers of libcommon/README.md, in order: a file may include the
# headers of its own layer and of the layers before it, never of a later
# one.  Every include of a libcommon header names its layer
# ("core/mie_buf.h", the Makefile has -Ilibcommon only), and the folder it
# names must be the one that holds it.
. "$TOP/tests/lib.sh"
# the order is the table of libcommon/README.md, read from it
LAYERS=$(sed -n 's/^| `\([a-z]*\)\/` .*/\1/p' "$TOP/libcommon/README.md")

# Known exceptions, one "file header" pair a line, each with its reason:
#   (none)
ALLOWED=""

rank() { # layer -> its position, or nothing
	i=0
	for l in $LAYERS; do
		i=$((i + 1))
		[ "$l" = "$1" ] && echo $i && return
	done
}

# violations DIR: one line per include against the order in DIR (a tree of
# layer folders); sets $n to the number of libcommon includes looked at.
violations() {
	n=0
	(cd "$1" || exit 1
	for d in */; do
		[ -n "$(rank "${d%/}")" ] || echo "${d%/}/: a folder that is not a layer of README.md"
	done
	for f in */*.c */*.h; do
		[ -f "$f" ] || continue
		from=${f%%/*}
		for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
			found=$(ls */"${inc##*/}" 2>/dev/null)
			[ -n "$found" ] || continue # not a libcommon header
			echo "+" >&3
			case $inc in
			*/*) [ "$inc" = "$found" ] || { echo "$f: \"$inc\" is $found"; continue; } ;;
			*) echo "$f: \"$inc\": name its layer, \"$found\"" && continue ;;
			esac
			to=${found%%/*}
			[ "$(rank "$to")" -gt "$(rank "$from")" ] || continue
			case " $ALLOWED " in
			*" $f $found "*) ;;
			*) echo "$f ($from) includes $found ($to, a later layer)" ;;
			esac
		done
	done) 3> .count
	n=$(grep -c + .count)
}

violations "$TOP/libcommon" > layers.log
for l in $LAYERS; do
	[ -d "$TOP/libcommon/$l" ] || echo "$l/: no such folder" >> layers.log
done
if [ ! -s layers.log ] && [ "$n" -gt 100 ]; then
	pass "libcommon includes follow the layers ($n includes)"
else
	fail "libcommon includes follow the layers ($n includes)" "$(head -10 layers.log)"
fi

# the check itself catches an include against the order, in both forms,
# and a qualified include that names the wrong folder
mkdir -p t/core t/cli
: > t/cli/mie_x.h
: > t/core/mie_z.h
for form in '"mie_x.h"' '"cli/mie_x.h"' '"cli/mie_z.h"'; do
	printf '#include "core/mie_z.h"\n#include %s\n' "$form" > t/core/mie_y.c
	violations t > t.log
	if [ "$(wc -l < t.log)" = 1 ] && [ "$n" = 2 ]; then
		pass "the layer check catches #include $form in core/"
	else
		fail "the layer check catches #include $form in core/" "n=$n: $(cat t.log)"
	fi
done
printf '#include "core/mie_z.h"\n' > t/cli/mie_w.c
rm t/core/mie_y.c
violations t > t.log
check_empty "the layer check lets cli/ include \"core/mie_z.h\"" t.log
