#!/usr/bin/env python3
"""gen-links.py N: a SPIP 1.9 dump of one article with N keyword link rows
(spip_mots_articles), one in a thousand repeated: the shape that was
quadratic in mie-import (issue 11).  Used by bench/links.sh and
tests/cases/hostile.sh."""
import sys

n = int(sys.argv[1])
w = sys.stdout.write
w('<?xml version="1.0" encoding="utf-8"?>\n<SPIP version="1.9.1">\n')
w('<spip_articles>\n<id_article>1</id_article>\n<titre>Un article très lié</titre>\n'
  '<id_rubrique>0</id_rubrique>\n<statut>publie</statut>\n</spip_articles>\n')
row = '<spip_mots_articles>\n<id_mot>%d</id_mot>\n<id_article>1</id_article>\n</spip_mots_articles>\n'
for i in range(1, n + 1):
    w(row % i)
    if i % 1000 == 0:
        w(row % i)
w('</SPIP>\n')
