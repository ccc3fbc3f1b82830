# mie-export --to markdown (issue 13): a Hugo content tree and a Jekyll
# site, each built by the real program (Debian's hugo and jekyll) with no
# error and no warning, one page per exported article; the conversion of
# SPIP's shapes and the front matter of a hostile title checked exactly,
# the YAML read back by Ruby's parser (Jekyll's own).
. "$TOP/tests/lib.sh"
E="$BIN/mie-export"
M="$FIX/markdown"

# hugo_build DIR / jekyll_build DIR: exit status in $rc, output in build.log
hugo_build() { (cd "$1" && hugo) > build.log 2>&1; rc=$?; }
jekyll_build() { (cd "$1" && jekyll build --trace) > build.log 2>&1; rc=$?; }
# article_pages DIR: the built pages that show an article record
article_pages() { grep -rl 'data-mie-id="[^"]*:article:' "$1" --include=index.html | wc -l; }

# ---- the fixture: every shape, a hostile title ----
mkdir -p files/IMG/pdf && printf '%%PDF-1.4 note\n' > "files/IMG/pdf/note info.pdf"
run "$E" --to markdown --files-root files -o h "$M/records.jsonl"
check_exit "hugo tree: exit" 0
A=h/content/droits-demarches/5-titre-deux-points-x-script-alert-1-script-fin-tab-fin
check_same "hugo tree: article page, byte for byte" "$M/article5.hugo.md" "$A/index.md"
check_same "hugo tree: attachment copied into the page bundle" "files/IMG/pdf/note info.pdf" "$A/note info.pdf"
for f in hugo.toml layouts/_default/baseof.html content/droits-demarches/_index.md \
	content/droits-demarches/6-l-autre-article/index.md content/mots/2-mot-cle.md \
	content/auteurs/3-anne-auteur.md; do
	if [ -f "h/$f" ]; then pass "hugo tree: $f"; else fail "hugo tree: $f" "missing: $(cd h && find . -type f)"; fi
done
check_grep "loss: extra is reported" "mie-export: markdown: extra: not exported (1 record)" err
check_grep "loss: the HTML is converted" \
	"mie-export: markdown: text.html: not written exactly (3 records): converted to Markdown: the HTML's classes and attributes are not kept" err
check_grep "loss: comments have no page" "mie-export: markdown: type comment: not exported (1 record)" err
# the front matter read back by another YAML parser: the values as they were
jq -r 'select(.id == "exemple.org:article:5") | .title' "$M/records.jsonl" > title.want
ruby -rdate -ryaml -e 'fm = File.read(ARGV[0]).split(/^---$/)[1]; d = YAML.safe_load(fm, permitted_classes: [Time, Date]); puts d["title"]; puts d["tags"].join("|"); puts d["authors"].join("|"); puts d["interchange_id"]; puts d.keys.join(" ")' \
	"$A/index.md" > yaml.got 2> yaml.err
{ cat title.want; echo "Mot « clé »"; echo "Anne Auteur"; echo "exemple.org:article:5"
  echo "title date lastmod authors tags section_path interchange_id record_type aliases legacy_urls"; } > yaml.want
check_same "front matter: Ruby's YAML reads the hostile title and the lists exactly" yaml.want yaml.got
hugo_build h
check_exit "hugo builds the fixture" 0
check_nogrep "hugo: no warning" "WARN" build.log
check_nogrep "hugo: no error" "ERROR" build.log
check_eq "hugo: one page per article" 2 "$(article_pages h/public)"
P=$(echo "$A" | sed 's|^h/content|h/public|')/index.html
check_grep "hugo: the hostile title is text" '--- # {{&lt; x &gt;}} &lt;script&gt;alert(1)&lt;/script&gt;' "$P"
check_nogrep "hugo: no script element from the title" '<script>' "$P"
check_grep "hugo: the footnote" '<li id="fn:1">' "$P"
check_grep "hugo: the internal link, relative" '<a href="../6-l-autre-article/">l’autre</a>' "$P"
check_grep "hugo: the table" '<th>A|B</th>' "$P"
check_grep "hugo: the home page links the section" '<a href="droits-demarches/">Droits &amp; démarches</a>' h/public/index.html
check_grep "hugo: the legacy address answered" '6-l-autre-article' h/public/article6.html

run "$E" --to markdown --layout jekyll --files-root files -o j "$M/records.jsonl"
check_exit "jekyll site: exit" 0
J=j/_posts/2008-05-04-5-titre-deux-points-x-script-alert-1-script-fin-tab-fin.md
check_same "jekyll site: article post, byte for byte" "$M/article5.jekyll.md" "$J"
check_text "jekyll site: the home page lists the sections" '---
title: "exemple.org"
layout: default
render_with_liquid: false
---

- [Droits & démarches](droits-demarches/)' j/index.md
check_same "jekyll site: attachment under files/" "files/IMG/pdf/note info.pdf" "j/files/IMG/pdf/note info.pdf"
jekyll_build j
check_exit "jekyll builds the fixture" 0
check_nogrep "jekyll: no warning" "Warn" build.log
check_nogrep "jekyll: no error" "Error" build.log
check_eq "jekyll: one page per article" 2 "$(article_pages j/_site)"
P=j/_site/2008/05/5-titre-deux-points-x-script-alert-1-script-fin-tab-fin/index.html
check_grep "jekyll: the hostile title is text" '&lt;script&gt;alert(1)&lt;/script&gt;' "$P"
check_nogrep "jekyll: no script element from the title" '<script>' "$P"
check_grep "jekyll: the footnote" '<li id="fn:1"' "$P"
check_grep "jekyll: the document link" '<a href="../../../files/IMG/pdf/note%20info.pdf">Note d’information</a>' "$P"

# an article with no date: a Jekyll page (a post's file is named by its date)
jq -c 'if .id == "exemple.org:article:6" then .date_published = null else . end' "$M/records.jsonl" > nodate.jsonl
run "$E" --to markdown --layout jekyll --files-root files -o jn nodate.jsonl
check_exit "jekyll, an article with no date: exit" 0
check_eq "jekyll, no date: a page under sans-date/, no 1970 post" "jn/sans-date/6-l-autre-article.md" \
	"$(find jn -name '*6-l-autre-article*' | sort | tr '\n' ' ' | sed 's/ $//')"
check_grep "jekyll, no date: its permalink" 'permalink: "/sans-date/6-l-autre-article/"' jn/sans-date/6-l-autre-article.md
jekyll_build jn
check_exit "jekyll builds the undated article" 0
check_eq "jekyll, no date: served at sans-date/" 1 "$(grep -c 'data-mie-id="exemple.org:article:6"' jn/_site/sans-date/6-l-autre-article/index.html)"
check_grep "jekyll, no date: the dated article links it" '../../../sans-date/6-l-autre-article/' \
	jn/_site/2008/05/5-titre-deux-points-x-script-alert-1-script-fin-tab-fin/index.html

# two sibling sections of one title: two folders, each article in its own
{ cat "$M/records.jsonl"
  jq -c 'select(.id == "exemple.org:section:1") | .id = "exemple.org:section:2" | .legacy = null' "$M/records.jsonl"
  jq -c 'select(.id == "exemple.org:article:6") | .id = "exemple.org:article:7" | .section = "exemple.org:section:2" | .legacy = null' "$M/records.jsonl"; } > twins.jsonl
run "$E" --to markdown --files-root files -o ht twins.jsonl
check_exit "hugo, two sections of one title: exit" 0
check_eq "hugo, two sections of one title: two folders, each article in its section's" "ht/content/droits-demarches-2/7-l-autre-article/index.md
ht/content/droits-demarches/6-l-autre-article/index.md" \
	"$(find ht/content -path '*l-autre-article/index.md' | sort)"
hugo_build ht
check_exit "hugo builds the two sections" 0
check_eq "hugo, two sections of one title: article 7 under the second" 1 \
	"$(grep -c 'data-mie-id="exemple.org:article:7"' ht/public/droits-demarches-2/7-l-autre-article/index.html)"

# ---- usage and missing files ----
run "$E" --to markdown "$M/records.jsonl"
check_exit "no -o: exit 2" 2
check_text "no -o: message" "mie-export: --to markdown needs -o DIR" err
run "$E" --to markdown --layout gatsby -o x "$M/records.jsonl"
check_exit "unknown layout: exit 2" 2
check_text "unknown layout: message" 'mie-export: --layout: "gatsby": not hugo or jekyll' err
run "$E" -q --to markdown -o miss "$M/records.jsonl"
check_exit "missing attachment: exit 1" 1
check_text "missing attachment: message" 'mie-export: exemple.org:document:9: file "IMG/pdf/note info.pdf": missing from the files (no --files-root)' err
run "$E" -q --to markdown --allow-missing -o miss "$M/records.jsonl"
check_exit "--allow-missing: exit 0" 0
check_empty "--allow-missing: nothing said" err

# ---- the sample: built as it is by both programs ----
"$BIN/mie-import" -q -o imported.jsonl "$TOP/examples/infomie-export-2006.zip"
"$BIN/mie-dedup" -q --mode merge -o sample.jsonl imported.jsonl
N=$(jq -r 'select(.type == "article") | .id' sample.jsonl | wc -l)
run "$E" -q --to markdown --files-root "$TOP/examples/files" -o sh sample.jsonl
check_exit "sample, hugo: exit" 0
hugo_build sh
check_exit "sample: hugo builds it" 0
check_nogrep "sample: hugo says no warning" "WARN" build.log
check_eq "sample: hugo makes one page per article ($N)" "$N" "$(article_pages sh/public)"
check_grep "sample: the page of article 78 answers its legacy address" \
	'droits-et-procedures/acces-a-l-education/78-la-scolarisation-des-mineurs-isoles-etrangers/' sh/public/article78.html
run "$E" -q --to markdown --layout jekyll --files-root "$TOP/examples/files" -o sj sample.jsonl
check_exit "sample, jekyll: exit" 0
jekyll_build sj
check_exit "sample: jekyll builds it" 0
check_nogrep "sample: jekyll says no warning" "Warn" build.log
check_eq "sample: jekyll makes one page per article ($N)" "$N" "$(article_pages sj/_site)"
