# bench/lib.sh — what the bench scripts share (sourced, with W set):
#   timed NAME CMD...  runs CMD, keeps the least time and the largest peak
#                      RSS of the runs of NAME in $W/best.NAME
#   best NAME          "SECONDS RSS_KIB" so far;  ratio A B  A/B, 2 decimals ("-" when B is 0)
timed() { # NAME CMD...: keeps the least time and the largest RSS in $W/best.NAME
	n=$1
	shift
	/usr/bin/time -f "%e %M" -o "$W/t.txt" "$@" > /dev/null 2> "$W/err.$n" ||
		echo "$n: failed: $(head -3 "$W/err.$n")" >&2
	tail -1 "$W/t.txt" | awk -v f="$W/best.$n" 'BEGIN { if ((getline l < f) > 0) split(l, o, " ") }
		{ t = (o[1] == "" || $1 + 0 < o[1] + 0) ? $1 : o[1]; m = ($2 + 0 > o[2] + 0) ? $2 : o[2]
		  print t, m > f }'
}
best() { cat "$W/best.$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else printf "-" }'; }
