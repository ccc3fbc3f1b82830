# mie-import --max-ratio: the expansion ratio of a decompression bomb is that
# of each zip member (or member of an uncompressed tar), and that of the
# compressed stream as a whole (a .gz, a tar.gz, a tar.xz, a 7z, and a zip
# whose members share their compressed bytes); archives nested in archives
# are measured at every level.  Every input is built here with python3.
. "$TOP/tests/lib.sh"
I="$BIN/mie-import"
# the byte counts of a ratio message, which depend on zlib's block sizes
counts() { sed -E 's/\(([0-9]+) bytes from ([0-9]+)\)/(N bytes from M)/' err > err.n; echo err.n; }
# 1 when every ratio message of err states more than $1:1
over() { sed -nE 's/.*\(([0-9]+) bytes from ([0-9]+)\).*/\1 \2/p' err | awk -v r="$1" 'BEGIN { ok = 0 } { ok = 1; if ($1 <= r * $2) { ok = 0; exit } } END { print ok }'; }

python3 - <<'PY'
import io, random, tarfile, zipfile
random.seed(15)
mots = ("le la les un une des aide sociale enfance jeune mineur isolé accueil foyer "
        "département tutelle recours juge droit séjour titre scolarité formation "
        "hébergement évaluation minorité contrat majeur protection").split()
def page(i):  # a saved page of about 1 KB, about 2.5:1 in a zip
    texte = " ".join(random.choice(mots) for _ in range(120))
    return ('<html><head><meta charset="utf-8"><title>Fiche %d</title></head>'
            '<body class="page_article"><h1 class="titre">Fiche pratique %d</h1>'
            '<div class="texte"><p>%s</p></div></body></html>\n' % (i, i, texte)).encode()
zeros = b"Nom;Ville\n" + b"0" * (50 << 20)  # deflates 1028:1
def tar_add(t, name, data):
    ti = tarfile.TarInfo(name); ti.size = len(data); ti.mtime = 1700000000
    t.addfile(ti, io.BytesIO(data))
with zipfile.ZipFile("pages-bomb.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for i in range(1, 3001):
        z.writestr("site/article%d.html" % i, page(i))
        if i == 1500:
            z.writestr("site/zeros.csv", zeros)
with zipfile.ZipFile("pages.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for i in range(1, 5001):
        z.writestr("site/article%d.html" % i, page(i))
for mode, ext in (("w:gz", "tar.gz"), ("w:xz", "tar.xz")):
    with tarfile.open("pages." + ext, mode) as t:
        for i in range(1, 5001):
            tar_add(t, "./site/article%d.html" % i, page(i))
with tarfile.open("bomb.tar.gz", "w:gz") as t:
    tar_add(t, "zeros.csv", zeros)
    for i in range(1, 11):
        tar_add(t, "site/article%d.html" % i, page(i))
with tarfile.open("zeros.tar", "w") as t:
    tar_add(t, "zeros.csv", b"Nom;Ville\n" + b"0" * (5 << 20))
    tar_add(t, "site/article1.html", page(1))
PY

# ---- one bomb member among 3 000 pages of a zip: it alone is stopped ----
run "$I" --max-ratio 1000 pages-bomb.zip; check_exit "zip bomb member exit" 2
check_text "zip bomb member: stopped by its own ratio, named archive!member" 'mie-import: pages-bomb.zip!site/zeros.csv: delimiter '"';'"', charset utf-8
mie-import: pages-bomb.zip!site/zeros.csv: header matches the "organisations" columns: organisation records (--map to choose)
mie-import: pages-bomb.zip!site/zeros.csv: expands more than 1000:1 (N bytes from M): stopped as a decompression bomb (raise with --max-ratio)' "$(counts)"
check_eq "zip bomb member: the ratio stated is over 1000:1" 1 "$(over 1000)"
check_eq "zip bomb member: the 3 000 pages around it are all read" "3000 infomie.net:article:1 infomie.net:article:3000" \
	"$(jq -r .id out | sort -u | wc -l | tr -d ' ') $(head -1 out | jq -r .id) $(tail -1 out | jq -r .id)"
cp err err.1000
# the same zip from standard input: no seeking past the stopped member there
"$I" --max-ratio 1000 - < pages-bomb.zip > out 2> err; rc=$?
check_exit "zip bomb member from standard input exit" 2
check_eq "zip bomb member from standard input: the rest not read, and why" \
	"mie-import: (stdin): archive read from a stream: the members after the stopped one are not read" "$(tail -1 err)"
run "$I" pages-bomb.zip; check_exit "zip bomb member, default ratio exit" 2
check_same "the default ratio is 1000:1" err.1000 err
run "$I" --max-bytes 2G --max-ratio 1000 pages-bomb.zip; check_exit "--max-ratio with --max-bytes exit" 2
check_same "--max-ratio given: checked beside an explicit --max-bytes" err.1000 err
run "$I" --max-ratio 1100 pages-bomb.zip; check_exit "zip member under --max-ratio exit" 1
check_text "the member's own ratio (1028:1) is under 1100: read" 'mie-import: pages-bomb.zip!site/zeros.csv: delimiter '"';'"', charset utf-8
mie-import: pages-bomb.zip!site/zeros.csv: header matches the "organisations" columns: organisation records (--map to choose)
mie-import: pages-bomb.zip!site/zeros.csv:2: organisations: row longer than 16 MiB: not imported
mie-import: pages-bomb.zip: html spip_articles: 3000 read, 3000 written, 0 rejected
mie-import: pages-bomb.zip!site/zeros.csv: csv organisations: 1 read, 0 written, 1 rejected' err
run "$I" --max-ratio 0.5 pages.zip; check_exit "--max-ratio below 1 exit" 2
check_text "--max-ratio below 1 refused" 'mie-import: --max-ratio: not 0 or a ratio from 1 to 1e12: "0.5"
Try '"'mie-import --help'"' for more information.' err

# ---- mirrors of 5 000 pages: a zip, a tar.gz, a tar.xz, a 7z: no bomb ----
mkdir -p x && (cd x && bsdtar -xf ../pages.zip && bsdtar --format 7zip -cf ../pages.7z site) && rm -rf x
for f in pages.zip pages.tar.gz pages.tar.xz pages.7z; do
	run "$I" "$f"; check_exit "$f of 5 000 pages exit" 0
	check_text "$f: every page read, nothing stopped" "mie-import: $f: html spip_articles: 5000 read, 5000 written, 0 rejected" err
	check_eq "$f: 5 000 records" 5000 "$(jq -r .id out | sort -u | wc -l | tr -d ' ')"
done

# ---- a tar.gz bomb: the stream as a whole passes the ratio ----
run "$I" bomb.tar.gz; check_exit "tar.gz bomb exit" 2
check_text "tar.gz bomb: the stream's ratio, the member named, the rest not read" 'mie-import: bomb.tar.gz!zeros.csv: delimiter '"';'"', charset utf-8
mie-import: bomb.tar.gz!zeros.csv: header matches the "organisations" columns: organisation records (--map to choose)
mie-import: bomb.tar.gz: expands more than 1000:1 (N bytes from M): stopped as a decompression bomb in bomb.tar.gz!zeros.csv (raise with --max-ratio)
mie-import: bomb.tar.gz: compressed archive: the members after the stopped one are not read' "$(counts)"
check_empty "tar.gz bomb: nothing imported" out

# ---- an uncompressed tar: its members are stored as they are, 1:1 ----
run "$I" --max-ratio 2 zeros.tar; check_exit "plain tar exit" 1
check_text "plain tar: 5 MiB of zeros are no bomb, even at --max-ratio 2" 'mie-import: zeros.tar!zeros.csv: delimiter '"';'"', charset utf-8
mie-import: zeros.tar!zeros.csv: header matches the "organisations" columns: organisation records (--map to choose)
mie-import: zeros.tar!zeros.csv:2: organisations: 1 cell where the header has 2: row not imported
mie-import: zeros.tar!zeros.csv: csv organisations: 1 read, 0 written, 1 rejected
mie-import: zeros.tar!site/article1.html: html spip_articles: 1 read, 1 written, 0 rejected' err

# ---- 42.zip in small: zips of zips, every leaf 229:1 on its own; what comes
# out under a nested zip, against its compressed bytes, is the bomb ----
python3 - <<'PY'
import io, zipfile
def zip_of(members, level):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, data in members:
            z.writestr(name, data)
    return b.getvalue()
inner = zip_of([("p%02d.csv" % i, b"0" * (8 << 20)) for i in range(16)], 1)
middle = zip_of([("i%02d.zip" % i, inner) for i in range(16)], 9)
open("nest.zip", "wb").write(zip_of([("m%02d.zip" % i, middle) for i in range(16)], 9))
PY
run "$I" nest.zip; check_exit "nested zip bomb exit" 2
check_text "nested zip bomb: stopped in each outer member, then the input" 'mie-import: nest.zip!m00.zip!i00.zip: expands more than 1000:1 (N bytes from M): stopped as a decompression bomb in nest.zip!m00.zip!i00.zip!p00.csv (raise with --max-ratio)
mie-import: nest.zip!m01.zip!i00.zip: expands more than 1000:1 (N bytes from M): stopped as a decompression bomb in nest.zip!m01.zip!i00.zip!p00.csv (raise with --max-ratio)
mie-import: nest.zip!m02.zip!i00.zip: expands more than 1000:1 (N bytes from M): stopped as a decompression bomb in nest.zip!m02.zip!i00.zip!p00.csv (raise with --max-ratio)
mie-import: nest.zip!m03.zip!i00.zip: expands more than 1000:1 (N bytes from M): stopped as a decompression bomb in nest.zip!m03.zip!i00.zip!p00.csv (raise with --max-ratio)
mie-import: nest.zip!m04.zip!i00.zip: expands more than 1000:1 (N bytes from M): stopped as a decompression bomb in nest.zip!m04.zip!i00.zip!p00.csv (raise with --max-ratio)
mie-import: nest.zip: too many members stopped by the limits: rest not read' "$(grep -v 'delimiter\|header matches' err > err2; mv err2 err; counts)"
check_eq "nested zip bomb: the ratios stated are over 1000:1" 1 "$(over 1000)"
check_empty "nested zip bomb: nothing imported" out

# ---- an overlapping zip (every member's compressed bytes run on to one
# shared kernel, the headers between quoted as stored deflate blocks): each
# member is under the ratio, the zip as a whole is far over it ----
python3 - <<'PY'
import struct, zlib
n, K = 10, 8 << 20
d = zlib.compressobj(1, zlib.DEFLATED, -15)
kernel = d.compress(b"0" * K) + d.flush()  # 229:1
names = [("f%02d.csv" % i).encode() for i in range(n)]
def local(name, crc, csize, usize):
    return struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, 0, 8, 0, 0, crc, csize, usize, len(name), 0) + name
def quote(h):  # a stored, not final, deflate block holding h
    return b"\x00" + struct.pack("<HH", len(h), len(h) ^ 0xFFFF)
headers, after = [None] * n, b""  # after: the headers that member i quotes
for i in range(n - 1, -1, -1):
    csize = sum(5 + len(h) for h in headers[i + 1:]) + len(kernel)
    headers[i] = local(names[i], zlib.crc32(b"0" * K, zlib.crc32(after)), csize, len(after) + K)
    after = headers[i] + after
body, offsets = b"", []
for i in range(n):
    offsets.append(len(body))
    body += headers[i] + (quote(headers[i + 1]) if i < n - 1 else b"")
body += kernel
cd = b"".join(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 20, 20, 0, 8, 0, 0,
                          *struct.unpack("<III", headers[i][14:26]), len(names[i]), 0, 0, 0, 0, 0,
                          offsets[i]) + names[i] for i in range(n))
eocd = struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, n, n, len(cd), len(body), 0)
open("overlap.zip", "wb").write(body + cd + eocd)
import zipfile
assert all(len(zipfile.ZipFile("overlap.zip").read(m)) > K for m in zipfile.ZipFile("overlap.zip").namelist())
PY
run "$I" overlap.zip; check_exit "overlapping zip exit" 2
check_text "overlapping zip: the archive's ratio stops it, member after member" 'mie-import: overlap.zip!f00.csv!f01.csv: cannot read member: ZIP decompression failed (-3)
mie-import: overlap.zip: expands more than 1000:1 (N bytes from M): stopped as a decompression bomb in overlap.zip!f01.csv (raise with --max-ratio)
mie-import: overlap.zip: expands more than 1000:1 (N bytes from M): stopped as a decompression bomb in overlap.zip!f02.csv (raise with --max-ratio)
mie-import: overlap.zip: expands more than 1000:1 (N bytes from M): stopped as a decompression bomb in overlap.zip!f03.csv (raise with --max-ratio)
mie-import: overlap.zip: expands more than 1000:1 (N bytes from M): stopped as a decompression bomb in overlap.zip!f04.csv (raise with --max-ratio)
mie-import: overlap.zip: expands more than 1000:1 (N bytes from M): stopped as a decompression bomb in overlap.zip!f05.csv (raise with --max-ratio)
mie-import: overlap.zip: too many members stopped by the limits: rest not read' "$(grep -v 'delimiter\|header matches' err > err2; mv err2 err; counts)"
check_eq "overlapping zip: the ratios stated are over 1000:1" 1 "$(over 1000)"
check_empty "overlapping zip: nothing imported" out
