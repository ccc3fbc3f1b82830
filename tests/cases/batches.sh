# Batches of archives (README "Batches of archives"): three archives
# imported each on its own by GNU parallel, then one mie-dedup over the
# outputs, give byte for byte what the imports one after the other in one
# process and the same dedup give; the report does not depend on the order
# of the files.
. "$TOP/tests/lib.sh"
if ! command -v parallel > /dev/null; then
	fail "GNU parallel installed" "parallel not found (make test-deps)"
	exit 0
fi
PATH="$BIN:$PATH"
export PATH

# three partners' archives: the sample export (zip), a backup folder as
# tar.gz, saved pages with a feed as .tgz; article 78 is in the first and
# the third
mkdir -p archives/partenaire-a archives/partenaire-b archives/partenaire-c sauvegarde site
cp "$TOP/examples/infomie-export-2006.zip" archives/partenaire-a/export-2006.zip
cp "$FIX/man/dump.xml" "$FIX/man/annuaire.csv" sauvegarde/
tar czf archives/partenaire-b/sauvegarde-2007.tar.gz sauvegarde
cp -r "$FIX/web/site" site/www.infomie.net
cp "$FIX/feed/backend.xml" site/
tar czf archives/partenaire-c/site-2008.tgz site

# one process, one archive after the other
mkdir seq
for a in $(find archives -type f | sort); do
	name=$(basename "$a")
	mie-import -q -o "seq/${name%.*}.jsonl" "$a"
done
mie-dedup -q --mode merge --report seq-report.json -o single.jsonl seq/*.jsonl
check_eq "single run: three outputs" 3 "$(ls seq | wc -l)"

# the batch shape of the README, three jobs at once
mkdir imported
find archives -name '*.zip' -o -name '*.tar.gz' -o -name '*.tgz' | sort |
	parallel -j3 mie-import -q -o imported/{/.}.jsonl {}
check_eq "parallel: exit 0" 0 $?
run mie-dedup --mode merge --report dedup-report.json -o records.jsonl imported/*.jsonl
check_exit "dedup over the batch: exit 0" 0
for f in $(ls seq); do
	check_same "parallel import $f: the single run's bytes" "seq/$f" "imported/$f"
done
check_same "batch dedup: the single run's records, byte for byte" single.jsonl records.jsonl
check_same "batch dedup: the single run's report, byte for byte" seq-report.json dedup-report.json
check_grep "the article of two partners merged" '"merged_from":["infomie.net:article:78"]' records.jsonl
check_grep "its provenance names both archives" '"file":"archives/partenaire-c/site-2008.tgz"' records.jsonl
check_grep "its provenance names both archives (2)" '"file":"archives/partenaire-a/export-2006.zip"' records.jsonl
check_nogrep "no absolute path of the machine" "$PWD" records.jsonl dedup-report.json

# across machines: --sshlogin (":" is this machine, no ssh needed)
mkdir remote
find archives -type f | sort |
	parallel --sshlogin : mie-import -q -o remote/{/.}.jsonl {}
mie-dedup -q --mode merge -o remote.jsonl remote/*.jsonl
check_same "parallel --sshlogin: the same records" single.jsonl remote.jsonl

# the dedup report does not depend on the order of the files
mie-dedup -q --mode merge --report reversed-report.json imported/site-2008.jsonl \
	imported/sauvegarde-2007.tar.jsonl imported/export-2006.jsonl > reversed.jsonl
check_same "files in another order: the same report" dedup-report.json reversed-report.json
sort records.jsonl > a.sorted
sort reversed.jsonl > b.sorted
check_same "files in another order: the same records, in their order" a.sorted b.sorted
