#!/usr/bin/env python3
"""A synthetic SPIP 1.9.1 dump of about SIZE megabytes, latin-1 with the
quirks of real dumps (cp1252 bytes, control characters, entities, "]]>",
numbered titles, 0000 dates, virtual articles, link tables first).
Usage: gen-spip-dump.py SIZE_MB > dump.xml"""
import random
import sys

WORDS = ("mineur isolé étranger accès à l’éducation protection de l’enfance département "
         "aide sociale circulaire tribunal pour enfants juge évaluation minorité hébergement "
         "scolarisation droit d’asile association accueil préfecture titre de séjour "
         "majorité santé œuvre « guillemets » €").split()


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;")


def words(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def main():
    target = int(sys.argv[1]) << 20
    rng = random.Random(1)
    out = sys.stdout.buffer
    size = 0

    def w(s):
        nonlocal size
        b = s.encode("cp1252", errors="replace")
        out.write(b)
        size += len(b)

    w('<?xml version="1.0" encoding="iso-8859-1"?>\n<SPIP version="1.9.1" version_base="1.917" version_archive="1.3">\n\n')
    n_articles = max(1, target // 2600)
    for i in range(1, n_articles + 1, 3):
        w(f"<spip_auteurs_articles>\n<id_auteur>{i % 20 + 1}</id_auteur>\n<id_article>{i}</id_article>\n</spip_auteurs_articles>\n\n")
    i = 0
    while size < target:
        i += 1
        title = f"{i % 90:02d}. " + words(rng, 6) if i % 7 == 0 else words(rng, 7)
        text = "\n\n".join("{{" + words(rng, 3) + "}} " + words(rng, 50) + " &eacute;t&eacute; [[note " + str(i) + "]]" for _ in range(3))
        if i % 11 == 0:
            text += "\x0b ]]> \x1f fin"
        chapo = "=http://www.example.org/doc" if i % 50 == 0 else words(rng, 20)
        date = "0000-00-00 00:00:00" if i % 13 == 0 else f"20{rng.randint(6, 12):02d}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)} 10:00:00"
        w(f"<spip_articles>\n<id_article>{i}</id_article>\n<surtitre></surtitre>\n<titre>{esc(title)}</titre>\n"
          f"<soustitre></soustitre>\n<id_rubrique>{i % 40 + 1}</id_rubrique>\n<descriptif></descriptif>\n"
          f"<chapo>{esc(chapo)}</chapo>\n<texte>{esc(text)}</texte>\n<ps></ps>\n<date>{date}</date>\n"
          f"<statut>publie</statut>\n<id_secteur>1</id_secteur>\n<maj>20070101000000</maj>\n<visites>{i}</visites>\n"
          f"<date_modif>{date}</date_modif>\n<lang>fr</lang>\n</spip_articles>\n\n")
    for a in range(1, 21):
        w(f"<spip_auteurs>\n<id_auteur>{a}</id_auteur>\n<nom>{words(rng, 2)}</nom>\n<pass>CANARY</pass>\n</spip_auteurs>\n\n")
    for r in range(1, 41):
        w(f"<spip_rubriques>\n<id_rubrique>{r}</id_rubrique>\n<id_parent>{0 if r <= 4 else r % 4 + 1}</id_parent>\n<titre>{words(rng, 3)}</titre>\n</spip_rubriques>\n\n")
    w("</SPIP>\n")


main()
