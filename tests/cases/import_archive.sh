# mie-import of archives: limits that stop one member and let the rest of the
# archive be read where that costs no decompression, sparse tar bombs,
# encrypted members, duplicate member names, archives nested too deep.
# Every input is built here with python3, GNU tar and bsdtar.
. "$TOP/tests/lib.sh"
I="$BIN/mie-import"
ids() { jq -r '[.id, .provenance[0].file, (.provenance[0].member // "-")] | join(" ")' out > ids; echo ids; }

printf 'Nom;Ville\nBon;Lyon\n' > after.csv

# ---- a zip bomb member: stopped early, the member after it still read ----
python3 - <<'PY'
import zipfile
with zipfile.ZipFile("bomb.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("zeros.csv", b"A" * (64 << 20))
    z.writestr("after.csv", "Nom;Ville\nBon;Lyon\n")
PY
run "$I" --max-bytes 1M bomb.zip; check_exit "zip bomb exit" 2
check_grep "zip bomb message" 'mie-import: bomb.zip!zeros.csv: expands beyond 1048576 bytes: stopped (raise with --max-bytes)' err
check_text "zip bomb: the next member is read" 'infomie.net:organisation:bon bomb.zip after.csv' "$(ids)"

# ---- a compressed member (annuaire.csv.gz in a zip): its decompressed bytes count ----
python3 - <<'PY'
import gzip, zipfile
with zipfile.ZipFile("gz.zip", "w") as z:
    z.writestr("annuaire.csv.gz", gzip.compress(b"Nom;Ville\n" + b"Foyer;Lyon\n" * 400000))
    z.writestr("after.csv", "Nom;Ville\nBon;Lyon\n")
PY
run "$I" --max-bytes 1M gz.zip; check_exit "compressed member exit" 2
check_grep "compressed member: its decompressed bytes counted" 'mie-import: gz.zip!annuaire.csv.gz: expands beyond 1048576 bytes: stopped (raise with --max-bytes)' err
n=$(jq -r 'select(.provenance[0].member == "annuaire.csv.gz") | .id' out | wc -l)
check_eq "compressed member: about 1 MiB of rows (block-sized reads), not all 400 000" 1 "$([ "$n" -gt 80000 ] && [ "$n" -lt 100000 ] && echo 1 || echo "$n")"
check_text "compressed member: the next member read" 'infomie.net:organisation:bon' "$(jq -r 'select(.provenance[0].member == "after.csv") | .id' out > gza; echo gza)"

# ---- sparse tar bombs: 10 GiB of holes in a 10 KiB tar ----
printf 'Nom;Ville\n' > zeros.csv && truncate -s 10G zeros.csv
tar --sparse -cf sparse.tar zeros.csv after.csv && rm zeros.csv
gzip -c sparse.tar > sparse.tar.gz
run "$I" sparse.tar; check_exit "sparse tar exit" 2
check_grep "sparse tar stopped by the ratio" 'mie-import: sparse.tar!zeros.csv: expands more than 1000:1 (' err
check_text "sparse tar: the member after it is read" 'infomie.net:organisation:bon sparse.tar after.csv' "$(ids)"
run "$I" --max-bytes 5M sparse.tar; check_exit "sparse tar, explicit --max-bytes exit" 2
check_grep "explicit --max-bytes: the only bound, no ratio" 'mie-import: sparse.tar!zeros.csv: expands beyond 5242880 bytes: stopped (raise with --max-bytes)' err
check_nogrep "explicit --max-bytes: ratio not checked" 'expands more than' err
run "$I" sparse.tar.gz after.csv; check_exit "sparse tar.gz exit" 2
check_grep "sparse tar.gz stopped by the stream's ratio" 'mie-import: sparse.tar.gz: expands more than 1000:1 (' err
check_grep "sparse tar.gz: the member named" ': stopped as a decompression bomb in sparse.tar.gz!zeros.csv (raise with --max-ratio)' err
check_grep "compressed tar: rest not read, said" 'mie-import: sparse.tar.gz: compressed archive: the members after the stopped one are not read' err
check_text "compressed tar: the next input is read" 'infomie.net:organisation:bon after.csv -' "$(ids)"

# ---- more bombs than MAX_TRIPS in one zip: the input stops ----
python3 - <<'PY'
import zipfile
with zipfile.ZipFile("bombs.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for i in range(6):
        z.writestr("z%d.csv" % i, b"A" * (4 << 20))
    z.writestr("after.csv", "Nom;Ville\nBon;Lyon\n")
PY
run "$I" --max-bytes 1M bombs.zip; check_exit "many bombs exit" 2
check_text "many bombs: four skipped, then the input stops" 'mie-import: bombs.zip!z0.csv: expands beyond 1048576 bytes: stopped (raise with --max-bytes)
mie-import: bombs.zip!z1.csv: expands beyond 1048576 bytes: stopped (raise with --max-bytes)
mie-import: bombs.zip!z2.csv: expands beyond 1048576 bytes: stopped (raise with --max-bytes)
mie-import: bombs.zip!z3.csv: expands beyond 1048576 bytes: stopped (raise with --max-bytes)
mie-import: bombs.zip!z4.csv: expands beyond 1048576 bytes: stopped (raise with --max-bytes)
mie-import: bombs.zip: too many members stopped by the limits: rest not read' err
check_empty "many bombs: nothing imported" out

# ---- encrypted members: skipped with a warning ----
printf 'Nom;Ville\nSecret;Paris\n' > s.csv
bsdtar --format zip --options zip:encryption=zipcrypt --passphrase motdepasse -cf enc.zip s.csv
run "$I" enc.zip after.csv; check_exit "encrypted exit" 1
check_grep "encrypted member named" 'mie-import: enc.zip!s.csv: encrypted member not read' err
check_text "encrypted: the rest imported" 'infomie.net:organisation:bon after.csv -' "$(ids)"

# ---- duplicate member names: both read; nesting: 3 levels read, 4 refused ----
python3 - <<'PY' 2>/dev/null
import io, zipfile
with zipfile.ZipFile("dup.zip", "w") as z:
    z.writestr("a.csv", "Nom;Ville\nUn;Lyon\n")
    z.writestr("a.csv", "Nom;Ville\nDeux;Lyon\n")
def nest(levels, name):
    data, member = b"Nom;Ville\n%s;Lyon\n" % name.encode(), "p.csv"
    for i in range(levels, 0, -1):
        b = io.BytesIO()
        with zipfile.ZipFile(b, "w") as z:
            z.writestr(member, data)
        data, member = b.getvalue(), "n%d.zip" % i
    open(name + ".zip", "wb").write(data)
nest(3, "trois")
nest(4, "quatre")
PY
run "$I" dup.zip; check_exit "duplicate names exit" 0
check_text "duplicate names: both read" 'infomie.net:organisation:un dup.zip a.csv
infomie.net:organisation:deux dup.zip a.csv' "$(ids)"
run "$I" trois.zip quatre.zip; check_exit "nesting exit" 1
check_text "three levels read" 'infomie.net:organisation:trois trois.zip n2.zip!n3.zip!p.csv' "$(ids)"
check_grep "four levels refused" 'mie-import: quatre.zip!n2.zip!n3.zip!n4.zip: archive nested deeper than 3 levels, not read' err

# ---- member names in a legacy charset: a zip's without the UTF-8 flag as
# CP437 (the zip default), a tar's as windows-1252, UTF-8 in provenance ----
python3 - <<'PY'
import io, tarfile, zipfile
with zipfile.ZipFile("l1.zip", "w") as z:
    z.writestr("ete.csv", "Nom;Ville\nFoyer;Lyon\n")
raw = open("l1.zip", "rb").read()
open("l1.zip", "wb").write(raw.replace(b"ete.csv", b"\x82t\x82.csv"))
with tarfile.open("l1.tar", "w", format=tarfile.USTAR_FORMAT, encoding="latin-1") as t:
    data = b"Nom;Ville\nFoyer;Lyon\n"
    i = tarfile.TarInfo("\u00e9t\u00e9\x1b[31m.csv"); i.size = len(data); t.addfile(i, io.BytesIO(data))
PY
run "$I" l1.zip l1.tar; check_exit "legacy names exit" 0
check_text "legacy names in UTF-8, control characters removed" 'infomie.net:organisation:foyer l1.zip été.csv
infomie.net:organisation:foyer l1.tar été[31m.csv' "$(ids)"
check_nogrep "no escape sequence reaches the terminal" "$(printf '\033')" err

# ---- archives without members, cut archives ----
python3 -c "import zipfile; zipfile.ZipFile('e.zip', 'w').close()"
bsdtar -cf e.tar -T /dev/null
run "$I" e.zip e.tar; check_exit "empty archives exit" 1
check_text "empty archives said" 'mie-import: e.zip: archive without members (empty, or not an archive): nothing read
mie-import: e.tar: archive without members (empty, or not an archive): nothing read' err
bsdtar --format zip -cf z.zip after.csv && head -c 100 z.zip > cut.zip
run "$I" cut.zip after.csv; check_exit "cut zip exit" 1
check_text "cut zip: said once, the next input read" 'mie-import: cut.zip!after.csv: truncated: Truncated ZIP end-of-file record: what came before the cut is read
mie-import: after.csv: delimiter '"';'"', charset utf-8
mie-import: after.csv: header matches the "organisations" columns: organisation records (--map to choose)
mie-import: after.csv: csv organisations: 1 read, 1 written, 0 rejected' err
