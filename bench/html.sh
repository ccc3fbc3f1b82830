#!/bin/sh
# bench/html.sh — mie-export --to html against Hugo on the same records, same
# run (called by bench/run.sh with BIN and W set):
#  - N article records (bench/gen-records.py: 40 sections, articles of about
#    2.6 KB): mie-export --to html (folder) against `hugo` building the
#    Markdown of the same records (a content tree written by this script:
#    one page per article under its section, the section's _index.md, and
#    minimal templates so that Hugo renders every page; Hugo also renders
#    its list pages and sitemap, mie its section, date and search pages);
#    goal: at most 0.5x Hugo's time, peak RSS <= 128 MiB;
#  - 5N records, mie alone: peak RSS <= 128 MiB;
#  - pages/s and the size of the search index.
# Each pair of commands takes turns RUNS times; the least time is kept.
# HTML_N (default 20000) sets N.
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$TOP/bin}
W=${W:-$TOP/build/bench}
N=${HTML_N:-20000}
RUNS=${BENCH_RUNS:-3}
mkdir -p "$W"
big="$W/html-$((N * 5)).jsonl"
small="$W/html-$N.jsonl"
if [ ! -s "$big" ]; then
	mb=$((N * 5 * 27 / 10000 + 10))
	python3 "$TOP/bench/gen-records.py" "$mb" 2> /dev/null | head -n $((N * 5 + 40)) > "$big"
fi
[ -s "$small" ] || head -n $((N + 40)) "$big" > "$small"

# the Hugo site: the same records as Markdown with front matter
H="$W/hugo-$N"
if [ ! -s "$H/config.toml" ]; then
	rm -rf "$H"
	python3 - "$small" "$H" << 'PY'
import json, os, sys
src, top = sys.argv[1], sys.argv[2]
os.makedirs(os.path.join(top, "layouts", "_default"))
for name, body in [("baseof.html", '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>{{ block "main" . }}{{ end }}</body></html>\n'),
                   ("single.html", '{{ define "main" }}<h1>{{ .Title }}</h1><p>{{ .Date.Format "2006-01-02" }}</p>{{ .Content }}{{ end }}\n'),
                   ("list.html", '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n')]:
    open(os.path.join(top, "layouts", "_default", name), "w").write(body)
open(os.path.join(top, "config.toml"), "w").write('baseURL = "/"\nlanguageCode = "fr"\ntitle = "bench"\nrelativeURLs = true\ndisableKinds = ["taxonomy", "term", "RSS"]\n')
def q(s):
    return json.dumps(s, ensure_ascii=False)
for line in open(src, encoding="utf-8"):
    r = json.loads(line)
    local = r["id"].rsplit(":", 1)[1]
    if r["type"] == "section":
        d = os.path.join(top, "content", "section-" + local)
        os.makedirs(d, exist_ok=True)
        open(os.path.join(d, "_index.md"), "w").write(f"---\ntitle: {q(r['title'])}\n---\n")
    elif r["type"] == "article":
        d = os.path.join(top, "content", "section-" + r["section"].rsplit(":", 1)[1])
        text = r.get("text", {}).get("plain", "")
        open(os.path.join(d, f"article-{local}.md"), "w").write(
            f"---\ntitle: {q(r['title'])}\ndate: {r['date_published']}\n---\n\n{text}\n")
PY
fi

. "$TOP/bench/lib.sh"
rate() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.0f", (t > 0 ? n / t : 0) }'; }

rm -f "$W"/best.*
i=0
while [ "$i" -lt "$RUNS" ]; do
	timed mie "$BIN/mie-export" -q --to html -o "$W/html-site" "$small"
	rm -rf "$W/hugo-public"
	timed hugo hugo --quiet -s "$H" -d "$W/hugo-public"
	timed big "$BIN/mie-export" -q --to html -o "$W/html-site-big" "$big"
	i=$((i + 1))
done
set -- $(best mie) $(best hugo) $(best big)
mt=$1 mr=$2 ht=$3 hr=$4 bt=$5 br=$6
mp=$(find "$W/html-site" -name '*.html' | wc -l)
hp=$(find "$W/hugo-public" -name '*.html' | wc -l)
bp=$(find "$W/html-site-big" -name '*.html' | wc -l)
idx=$(du -sb "$W/html-site/search" | cut -f1)
bidx=$(du -sb "$W/html-site-big/search" | cut -f1)
pieces=$(find "$W/html-site-big/search" -name '*.js' | wc -l)
echo "## mie-export --to html ($(date -u +%Y-%m-%d), $(nproc) cores, $(hugo version | cut -d' ' -f1-2))"
echo
echo "| run | records | pages | seconds | pages/s | peak RSS KiB | search index | peer | peer pages | peer seconds | ratio mie/peer |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
echo "| --to html | $N | $mp | $mt | $(rate $mp $mt) | $mr | $((idx >> 10)) KiB | hugo (same records as Markdown) | $hp | $ht | $(ratio $mt $ht) |"
echo "| --to html | $((N * 5)) | $bp | $bt | $(rate $bp $bt) | $br | $((bidx >> 10)) KiB in $pieces pieces | | | | |"
echo
echo "Each figure is the best of $RUNS runs, the commands taking turns; Hugo's peak RSS: $hr KiB."
echo "Targets: ratio <= 0.5: $(awk -v r="$(ratio $mt $ht)" 'BEGIN { print (r <= 0.5 ? "met" : "NOT MET") }');" \
	"peak RSS <= 128 MiB on $N and $((N * 5)) records: $([ "$mr" -le 131072 ] && [ "$br" -le 131072 ] && echo met || echo NOT MET)."
