#!/usr/bin/env python3
"""The database a SPIP XML dump (bench/gen-spip-dump.py) was written from, as
a script that loads it into MariaDB: one latin1 table per dumped table (every
column it has in the dump, in order: ids as BIGINT, the revision fragments as
LONGBLOB, the rest MEDIUMTEXT), no primary key (so the dump's repeated rows
are rows of the database too, in the dump's order), every value a hex
literal (the bytes stored are the dump's, unescaped), and a spip_meta row
with the dump's charset, as the database of the site would hold it.
mysqldump of that database is then the SQL form of the same data.
Usage: spip-xml-to-sql.py DUMP.xml > load.sql"""
import re
import sys

data = open(sys.argv[1], "rb").read()
charset = re.search(rb'encoding="([^"]+)"', data[:200]).group(1).decode()
ROW = re.compile(rb"<(spip_\w+)>\n(.*?)</\1>\n", re.S)
COL = re.compile(rb"<(\w+)>(.*?)</\1>\n", re.S)
cols = {}
rows = []
for m in ROW.finditer(data):
    t = m.group(1).decode()
    r = [(c.group(1).decode(), c.group(2).replace(b"&lt;", b"<").replace(b"&amp;", b"&"))
         for c in COL.finditer(m.group(2))]
    known = cols.setdefault(t, [])
    for c, _ in r:
        if c not in known:
            known.append(c)
    rows.append((t, r))
out = sys.stdout
out.write("SET sql_mode = 'ALLOW_INVALID_DATES';\nSET NAMES latin1;\n")
for t, cs in cols.items():
    defs = ",\n".join("  `%s` %s" % (c, "bigint(21) NOT NULL DEFAULT 0" if c.startswith("id_") and c != "id_type"
                                       else "longblob" if c == "fragment" else "mediumtext")
                      for c in cs)
    out.write("CREATE TABLE `%s` (\n%s\n) ENGINE=InnoDB DEFAULT CHARSET=latin1;\n" % (t, defs))
out.write("CREATE TABLE `spip_meta` (`nom` varchar(255) NOT NULL, `valeur` text, PRIMARY KEY (`nom`))"
          " DEFAULT CHARSET=latin1;\nINSERT INTO `spip_meta` VALUES ('charset', '%s');\n" % charset)
batch = {}


def flush(t):
    out.write("INSERT INTO `%s` (%s) VALUES %s;\n" % (t, ", ".join("`%s`" % c for c in cols[t]),
                                                      ",".join(batch.pop(t))))


for t, r in rows:
    full = dict(r)
    vals = []
    for c in cols[t]:
        v = full.get(c)
        if c.startswith("id_") and c != "id_type":
            vals.append(v.decode() if v and v.isdigit() else "0")
        else:
            vals.append("0x" + v.hex() if v else "''" if v is not None else "NULL")
    b = batch.setdefault(t, [])
    b.append("(" + ",".join(vals) + ")")
    if len(b) >= 200:
        flush(t)
for t in list(batch):
    flush(t)
