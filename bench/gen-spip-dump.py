#!/usr/bin/env python3
"""bench/gen-spip-dump.py SIZE_MB > dump.xml — a synthetic SPIP 1.9.1 XML dump
of about SIZE_MB megabytes, latin-1, with the quirks of real dumps: link
tables first, sections after articles, cp1252 bytes (’ œ €), control
characters (VT, FF, 0x1F), entities (&eacute; &#8217;), "]]>", numbered
titles, virtual articles, zero dates, credentials in spip_auteurs.
Deterministic (fixed seed)."""
import random
import sys

random.seed(1906)
target = int(sys.argv[1]) * 1024 * 1024
out = sys.stdout.buffer
words = ("mineur isolé étranger accès à l’éducation protection de l’enfance aide sociale "
         "département évaluation minorité tribunal juge des enfants circulaire œuvre "
         "hébergement scolarité titre de séjour majorité 18 ans coût 3 € « accueil »").split()


def text(n):
    w = [random.choice(words) for _ in range(n)]
    r = random.random()
    if r < 0.05:
        w.append("\x0b")
    elif r < 0.08:
        w.append("&eacute;t&#8217;e")
    elif r < 0.10:
        w.append("[[note]]> fin")
    return " ".join(w)


def esc(s):
    return s.encode("cp1252").replace(b"&", b"&amp;").replace(b"<", b"&lt;")


def row(table, cols):
    b = [b"<", table, b">\n"]
    for k, v in cols:
        b += [b"<", k, b">", v if isinstance(v, bytes) else esc(str(v)), b"</", k, b">\n"]
    b += [b"</", table, b">\n\n"]
    out.write(b"".join(b))
    return sum(len(x) for x in b)


out.write(b'<?xml version="1.0" encoding="iso-8859-1"?>\n'
          b'<SPIP version="1.9.1" version_base="1.917" version_archive="1.3">\n\n')
size = 0
n_art = max(10, target // 4000)
nsec = 50
for a in range(1, n_art + 1):
    size += row(b"spip_auteurs_articles", [(b"id_auteur", a % 20 + 1), (b"id_article", a)])
    size += row(b"spip_mots_articles", [(b"id_mot", a % 30 + 1), (b"id_article", a)])
a = 0
while size < target * 0.97:
    a += 1
    virtual = a % 97 == 0
    size += row(b"spip_articles", [
        (b"id_article", a), (b"surtitre", ""),
        (b"titre", ("%02d. " % (a % 40) if a % 5 == 0 else "") + text(8)),
        (b"soustitre", ""), (b"id_rubrique", a % nsec + 1), (b"descriptif", text(10)),
        (b"chapo", "=http://www.example.org/doc%d.pdf" % a if virtual else text(30)),
        (b"texte", "" if virtual else "{{{Titre}}}\n\n" + text(400) + "\n\n" + text(100)),
        (b"ps", ""), (b"date", "2006-12-05 14:03:00"), (b"statut", "publie"),
        (b"id_secteur", 1), (b"maj", "20070320091244"), (b"export", "oui"),
        (b"date_redac", "0000-00-00 00:00:00"), (b"visites", a * 7 % 1000),
        (b"popularite", "2.5"), (b"accepter_forum", "pos"),
        (b"date_modif", "0000-00-00 00:00:00"), (b"lang", "fr"), (b"idx", "oui")])
    if a % 10 == 0:
        size += row(b"spip_forum", [
            (b"id_forum", a), (b"id_parent", 0), (b"id_article", a),
            (b"date_heure", "2007-01-02 10:00:00"), (b"titre", text(4)), (b"texte", text(60)),
            (b"auteur", "Visiteur"), (b"email_auteur", "v@example.org"), (b"ip", "192.0.2.1"),
            (b"statut", "publie")])
for i in range(1, 21):
    row(b"spip_auteurs", [(b"id_auteur", i), (b"nom", "Auteur %d" % i), (b"bio", text(10)),
                          (b"email", "a%d@example.org" % i), (b"login", "a%d" % i),
                          (b"pass", "CANARY-PASS-%d" % i), (b"alea_actuel", "CANARY-ALEA"),
                          (b"statut", "1comite")])
for i in range(1, 31):
    row(b"spip_mots", [(b"id_mot", i), (b"titre", text(2)), (b"id_groupe", 1)])
row(b"spip_groupes_mots", [(b"id_groupe", 1), (b"titre", "Thèmes")])
for i in range(1, nsec + 1):
    row(b"spip_rubriques", [(b"id_rubrique", i), (b"id_parent", 0 if i <= 5 else i % 5 + 1),
                            (b"titre", "%02d. %s" % (i, text(3))), (b"statut", "publie")])
out.write(b"</SPIP>\n")
