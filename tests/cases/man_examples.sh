# The EXAMPLES of every man page run as tests: in each .EX/.EE block, a line
# "$ command" is run (from a copy of tests/fixtures/man, tools on PATH) and
# the lines after it, up to the next "$ " or .EE, are its exact output
# (stdout and stderr together).
. "$TOP/tests/lib.sh"
PATH="$BIN:$PATH"
export PATH
for page in "$TOP"/man/*.[17]; do
	name=$(basename "$page"); name=${name%.*}
	[ -d "$FIX/man" ] && cp -r "$FIX/man/." .
	awk '/^\.EX/{inb=1; next} /^\.EE/{inb=0; print "@@END"; next} inb{print}' "$page" |
		sed 's/\\-/-/g; s/\\e/\\/g' > "$name.examples"
	n=0
	cmd=""
	: > expected
	while IFS= read -r line; do
		case $line in
		'$ '* | @@END)
			if [ -n "$cmd" ]; then
				n=$((n + 1))
				sh -c "$cmd" > actual 2>&1
				check_same "$name example $n: $cmd" expected actual
			fi
			cmd=""
			: > expected
			case $line in '$ '*) cmd=${line#'$ '} ;; esac
			;;
		*) printf '%s\n' "$line" >> expected ;;
		esac
	done < "$name.examples"
done
