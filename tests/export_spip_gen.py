#!/usr/bin/env python3
"""Random but valid rows of every SPIP 1.9 table mie-import reads, as one
SPIP 1.9.2 XML dump on standard output: the input of the property test of
tests/cases/export_spipdump.sh (import -> export spip-dump -> import gives
the same records).

Valid: what a working SPIP site stores (no control characters, no "]]>",
no repeated keys, no cut rows: the damage mie-import repairs is the
importer's tests' business).  Random: section trees, numbered and <multi>
titles, SPIP markup with links, notes, models and tables, entities,
virtual articles, zero and impossible dates, link tables with repeated
pairs, comments about each kind of object, confirmation keys, legacy
columns, credential columns (canaries that must never come out).

Usage: export_spip_gen.py SEED [--charset iso-8859-1|utf-8] [--rows N]
The output depends only on the arguments."""
import random
import sys

args = sys.argv[1:]
seed = int(args[0])
charset = args[args.index("--charset") + 1] if "--charset" in args else "utf-8"
rows = int(args[args.index("--rows") + 1]) if "--rows" in args else 12
rnd = random.Random(seed)

WORDS = ("mineur isolé étranger accès à l’éducation protection de l’enfance "
         "aide sociale « circulaire » tribunal juge évaluation hébergement œuvre "
         "scolarisation droit d’asile accueil préfecture titre de séjour majorité "
         "santé naïveté Noël € 12,5 % Œdipe façade").split()
# outside windows-1252: only where a SPIP import decodes references
RARE = ["Ŝ", "ő", "Ω", "→", "ǅ"]
HOSTILE = ["<script>alert(1)</script>", "=cmd|' /C calc'!A0"]


def words(n, rare=False):
    w = [rnd.choice(WORDS) for _ in range(n)]
    if rare and rnd.random() < 0.3:
        w.insert(rnd.randrange(len(w) + 1), rnd.choice(RARE))
    return " ".join(w)


def title():
    r = rnd.random()
    t = words(rnd.randint(1, 5), rare=True).capitalize()
    if r < 0.2:
        return "%02d. %s" % (rnd.randint(0, 40), t)
    if r < 0.3:
        return "<multi>[fr]%s [en]%s</multi>" % (t, words(2))
    if r < 0.4:
        return t.replace("é", "&eacute;").replace("’", "&#8217;") + " &amp; co"
    if r < 0.45:
        return ""
    return t


def markup(n_ids, docs=True, notes=True):
    """SPIP source; models (<docN>) and notes only where the schema lets
    a record hold the documents and notes they give (else the import
    refuses the record, and the test would see less)."""
    parts = []
    for _ in range(rnd.randint(0, 4)):
        k = rnd.random()
        if (k >= 0.3 and k < 0.4 and not notes) or (k >= 0.4 and k < 0.5 and not docs):
            k = 0.8
        if k < 0.15:
            parts.append("{{{%s}}}" % words(3))
        elif k < 0.3:
            parts.append("Voir [%s->art%d] et {{%s}}." % (words(2), rnd.randint(1, n_ids), words(2)))
        elif k < 0.4:
            parts.append("%s[[%s]] fin." % (words(4, rare=True), words(3)))
        elif k < 0.5:
            parts.append("<doc%d|left> %s" % (rnd.randint(1, n_ids), words(3)))
        elif k < 0.6:
            parts.append("-* %s\n-* %s\n-** %s" % (words(2), words(2), words(1)))
        elif k < 0.65:
            parts.append("|{{a}}|{{b}}|\n|%s|%s|" % (words(1), words(1)))
        elif k < 0.7:
            parts.append("Ligne\r\nsuivante <b>gras</b> &lt;tag&gt; 3 &lt; 4 &eacute;t&eacute;")
        elif k < 0.75:
            parts.append("[->http://www.example.org/%s] <quote>%s</quote>" % (rnd.randint(1, 99), words(3)))
        else:
            parts.append(words(rnd.randint(3, 12), rare=True) + " : n’est-ce pas ?")
    return "\n\n".join(parts)


def date():
    r = rnd.random()
    if r < 0.1:
        return "0000-00-00 00:00:00"
    if r < 0.13:
        return "2006-02-31 10:00:00"
    return "%04d-%02d-%02d %02d:%02d:%02d" % (rnd.randint(2001, 2007), rnd.randint(1, 12),
                                             rnd.randint(1, 28), rnd.randint(0, 23),
                                             rnd.randint(0, 59), rnd.randint(0, 59))


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;")


def enc(s):
    """Record text in the dump's charset; outside latin-1 an iso-8859-1 site
    stores numeric references, as browsers sent them."""
    if charset == "utf-8":
        return s.encode("utf-8")
    out = []
    for ch in s:
        try:
            out.append(ch.encode("cp1252"))
        except UnicodeEncodeError:
            out.append(b"&#%d;" % ord(ch))
    return b"".join(out)


out = sys.stdout.buffer


def row(table, cols):
    b = [b"<%s>\n" % table.encode()]
    for name, value in cols:
        b.append(b"<%s>%s</%s>\n" % (name.encode(), esc_enc(str(value)), name.encode()))
    b.append(b"</%s>\n\n" % table.encode())
    out.write(b"".join(b))


def esc_enc(s):
    # references are SPIP content: under the dump's escaping, like the rest
    return esc(enc(s).decode("latin-1")).encode("latin-1")


n = rows
out.write(b'<?xml version="1.0" encoding="%s"?>\n<SPIP\n\tversion="1.9.2"\n\tversion_base="1.927"\n'
          b'\tversion_archive="1.3"\n\tadresse_site="http://www.site-test.fr/"\n\tdir_img="IMG/"\n'
          b'\tdir_logos="IMG/">\n\n' % charset.encode())

# link tables first, as SPIP writes them; repeated pairs in spip_documents_*
links = [("spip_mots_syndic", "id_mot", "id_syndic"), ("spip_mots_rubriques", "id_mot", "id_rubrique"),
         ("spip_mots_forum", "id_mot", "id_forum"), ("spip_mots_documents", "id_mot", "id_document"),
         ("spip_documents_rubriques", "id_document", "id_rubrique"),
         ("spip_documents_breves", "id_document", "id_breve"), ("spip_mots_breves", "id_mot", "id_breve"),
         ("spip_documents_articles", "id_document", "id_article"),
         ("spip_auteurs_articles", "id_auteur", "id_article"), ("spip_mots_articles", "id_mot", "id_article")]
for table, a, b in links:
    pairs = set()
    for _ in range(rnd.randint(0, 2 * n)):
        pairs.add((rnd.randint(1, n), rnd.randint(1, n)))
    for x, y in sorted(pairs, key=lambda p: rnd.random()):
        row(table, [(a, x), (b, y)])
        if table.startswith("spip_documents") and rnd.random() < 0.1:
            row(table, [(a, x), (b, y)])

statuts = ["publie", "prop", "prepa", "refuse", "poubelle"]
for i in range(1, n + 1):
    t = title()
    if i <= len(HOSTILE):
        t = HOSTILE[i - 1]
    chapo = "=http://www.example.org/rapport%d.pdf" % i if rnd.random() < 0.1 else markup(n)
    row("spip_articles", [
        ("id_article", i), ("surtitre", words(rnd.randint(0, 2))), ("titre", t),
        ("soustitre", words(rnd.randint(0, 3))), ("id_rubrique", rnd.randint(0, n)),
        ("descriptif", markup(n) if rnd.random() < 0.3 else ""), ("chapo", chapo),
        ("texte", markup(n)), ("ps", markup(n) if rnd.random() < 0.3 else ""), ("date", date()),
        ("statut", rnd.choice(statuts)), ("id_secteur", rnd.randint(0, 3)), ("maj", "20061212153000"),
        ("export", "oui"), ("date_redac", date()), ("visites", rnd.randint(0, 5000)),
        ("referers", rnd.randint(0, 50)), ("popularite", "%.3f" % rnd.random()),
        ("accepter_forum", rnd.choice(["pos", "pri", "abo", "non", ""])), ("date_modif", date()),
        ("lang", rnd.choice(["fr", "en", ""])), ("langue_choisie", rnd.choice(["oui", "non"])),
        ("id_trad", 0), ("extra", rnd.choice(["", 'a:1:{s:4:"note";s:3:"é&a";}'])),
        ("idx", rnd.choice(["oui", "non", ""])), ("id_version", 0),
        ("nom_site", words(rnd.randint(0, 2))), ("url_site", rnd.choice(["", "http://www.example.org/?a=1&b=2"])),
        ("url_propre", "")])

for i in range(1, n + 1):
    row("spip_auteurs", [
        ("id_auteur", i), ("nom", words(2).title()), ("bio", markup(n, False, False) if rnd.random() < 0.5 else ""),
        ("email", "auteur%d@example.org" % i), ("nom_site", ""), ("url_site", rnd.choice(["", "http://perso.example.org/"])),
        ("login", "CANARY-LOGIN-%d" % i), ("pass", "CANARY-PASS-%d" % i), ("low_sec", "CANARY-LOWSEC"),
        ("statut", rnd.choice(["0minirezo", "1comite", "6forum", "5poubelle"])), ("maj", "2006-12-12 15:30:00"),
        ("htpass", "CANARY-HTPASS"), ("en_ligne", date()), ("imessage", "oui"), ("messagerie", "oui"),
        ("alea_actuel", "CANARY-ALEA"), ("alea_futur", "CANARY-ALEA2"), ("prefs", 'a:1:{s:3:"cnx";s:0:"";}'),
        ("cookie_oubli", "CANARY-COOKIE"), ("source", "spip"), ("lang", rnd.choice(["fr", ""])), ("idx", "oui"),
        ("url_propre", ""), ("extra", "")])

for i in range(1, n + 1):
    row("spip_breves", [
        ("id_breve", i), ("date_heure", date()), ("titre", title()), ("texte", markup(n)),
        ("lien_titre", words(rnd.randint(0, 2))), ("lien_url", rnd.choice(["", "http://www.example.org/breve"])),
        ("statut", rnd.choice(["prop", "publie", "refuse"])), ("id_rubrique", rnd.randint(0, n)),
        ("lang", rnd.choice(["fr", ""])), ("langue_choisie", "non"), ("maj", "20061212153000"),
        ("idx", "oui"), ("extra", ""), ("url_propre", "")])

groups = max(2, n // 4)
for i in range(1, n + 1):
    row("spip_mots", [
        ("id_mot", i), ("titre", title() or "mot %d" % i),
        ("descriptif", markup(n, False, False) if rnd.random() < 0.3 else ""),
        ("texte", words(rnd.randint(0, 4))), ("id_groupe", rnd.randint(1, groups)), ("type", words(1)),
        ("extra", ""), ("idx", "oui"), ("url_propre", ""), ("maj", "20061212153000")])

for i in range(1, groups + 1):
    row("spip_groupes_mots", [
        ("id_groupe", i), ("titre", title()), ("descriptif", markup(n, False, False) if rnd.random() < 0.3 else ""),
        ("texte", ""), ("unseul", rnd.choice(["oui", "non"])), ("obligatoire", "non"), ("articles", "oui"),
        ("breves", "oui"), ("rubriques", "non"), ("syndic", "non"), ("minirezo", "oui"), ("comite", "oui"),
        ("forum", "non"), ("maj", "20061212153000")])

for i in range(1, n + 1):
    row("spip_rubriques", [
        ("id_rubrique", i), ("id_parent", rnd.randint(0, i - 1)), ("titre", title()),
        ("descriptif", markup(n) if rnd.random() < 0.4 else ""), ("texte", markup(n)),
        ("id_secteur", 1), ("maj", "20061212153000"), ("export", "oui"), ("id_import", 0),
        ("statut", rnd.choice(["publie", "prive"])), ("date", date()), ("lang", rnd.choice(["fr", ""])),
        ("langue_choisie", "non"), ("idx", "oui"), ("extra", ""), ("url_propre", ""),
        ("statut_tmp", "publie"), ("date_tmp", "0000-00-00 00:00:00")])

types = [(1, "jpg", "image/jpeg"), (2, "pdf", "application/pdf"), (3, "odt", "application/vnd.oasis.opendocument.text")]
for i in range(1, n + 1):
    tid, ext, _ = rnd.choice(types + [(9, "xyz", "")])
    row("spip_documents", [
        ("id_document", i), ("id_vignette", 0), ("id_type", tid), ("titre", title()), ("date", date()),
        ("descriptif", markup(n, False, False) if rnd.random() < 0.4 else ""),
        ("fichier", rnd.choice(["IMG/%s/fiche-%d.%s" % (ext, i, ext), "http://www.example.org/doc%d.%s" % (i, ext)])),
        ("taille", rnd.randint(0, 900000)), ("largeur", rnd.choice([0, 640])), ("hauteur", rnd.choice([0, 480])),
        ("mode", rnd.choice(["document", "vignette"])), ("distant", "non"), ("idx", "oui"),
        ("maj", "20061212153000")])
for tid, ext, mime in types:
    row("spip_types_documents", [("id_type", tid), ("titre", ext.upper()), ("descriptif", ""),
                                 ("extension", ext), ("mime_type", mime), ("inclus", "non"),
                                 ("upload", "oui"), ("maj", "20061212153000")])

for i in range(1, n + 1):
    row("spip_syndic", [
        ("id_syndic", i), ("id_rubrique", rnd.randint(0, n)), ("id_secteur", 1), ("nom_site", title()),
        ("url_site", "http://www.example.org/site%d/" % i), ("url_syndic", ""),
        ("descriptif", markup(n, False, False) if rnd.random() < 0.5 else ""), ("url_propre", ""), ("idx", "oui"),
        ("maj", "20061212153000"), ("syndication", rnd.choice(["oui", "non", "sus", "off"])),
        ("statut", rnd.choice(["publie", "prop", "refuse"])), ("date", date()), ("date_syndic", date()),
        ("date_index", date()), ("extra", ""), ("moderation", "non"), ("miroir", "non"), ("oubli", "non"),
        ("resume", "oui")])

for i in range(1, n + 1):
    about = [0, 0, 0, 0]  # id_rubrique, id_article, id_breve, id_syndic
    k = rnd.randrange(5)
    if k < 4:
        about[k] = rnd.randint(1, n)
    row("spip_forum", [
        ("id_forum", i), ("id_parent", rnd.randint(0, i - 1)), ("id_thread", i), ("id_rubrique", about[0]),
        ("id_article", about[1]), ("id_breve", about[2]), ("date_heure", date()), ("titre", title()),
        ("texte", markup(n, False)), ("auteur", words(2).title()), ("email_auteur", "visiteur%d@example.net" % i),
        ("nom_site", ""), ("url_site", ""), ("statut", rnd.choice(["publie", "prop", "off", "publie", "privrac"])),
        ("idx", "oui"), ("ip", "192.0.2.%d" % i), ("maj", "20061212153000"), ("id_auteur", rnd.randint(0, n)),
        ("id_message", 0), ("id_syndic", about[3])])

for i in range(1, n + 1):
    row("spip_signatures", [
        ("id_signature", i), ("id_article", rnd.randint(1, n)), ("date_time", date()),
        ("nom_email", words(2).title()), ("ad_email", "signataire%d@example.net" % i), ("nom_site", ""),
        ("url_site", ""), ("message", markup(n, False, False) if rnd.random() < 0.5 else ""),
        ("statut", rnd.choice(["publie", "poubelle", "a8f3c2d9e1b0"])), ("idx", "oui"),
        ("maj", "20061212153000")])

for i in sorted(rnd.sample(range(1, n + 1), max(1, n // 3))):
    row("spip_petitions", [
        ("id_article", i), ("email_unique", "oui"), ("site_obli", "non"), ("site_unique", "non"),
        ("message", "oui"), ("texte", markup(n, False, False)), ("maj", "20061212153000")])

row("spip_meta", [("nom", "nom_site"), ("valeur", "Site de test"), ("impt", "oui")])
out.write(b"</SPIP>\n\n")
