#!/usr/bin/env python3
"""gen-examples.py [--check] BIN: the examples of schemas/README.md are the
tools' real output.  Writes a small synthetic legacy export (a SPIP 1.9 dump
with one row of each table, a saved page of one of its articles, a directory
of organisations as CSV; all content invented) into a temporary folder,
imports it with BIN/mie-import, merges the article read twice with
BIN/mie-dedup --mode merge, makes a dossier with BIN/mie-filter, and puts
the first record of each type, as JSON and as XML (BIN/mie-cat --to xml),
into the ```json and ```xml blocks after each "### `TYPE`" heading of
README.md.  With --check, changes nothing and exits 1 when README.md is not
what it would write."""
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SITE = "http://www.infomie.net"


def x(s):
    """SPIP's dump escaping: & then <, nothing else."""
    return s.replace("&", "&amp;").replace("<", "&lt;")


def row(table, cols):
    return "<%s>\n%s\n</%s>\n\n" % (table, "\n".join(f"<{k}>{x(v)}</{k}>" for k, v in cols), table)


ARTICLE = [
    ("id_article", "78"), ("surtitre", "Fiche pratique"),
    ("titre", "La scolarisation des mineurs isolés étrangers"), ("soustitre", ""),
    ("id_rubrique", "3"), ("descriptif", ""),
    ("chapo", "Tout mineur présent sur le territoire a droit à l'éducation."),
    ("texte", "{{{Le principe}}}\n\nL'obligation scolaire s'applique {{jusqu'à 16 ans}}"
              "[[Code de l'éducation, article L.131-1.]].\n\nVoir aussi la [circulaire->art79]."),
    ("ps", "Mise à jour après la circulaire de mars 2007."),
    ("date", "2006-12-05 14:03:00"), ("statut", "publie"), ("id_secteur", "2"),
    ("maj", "20070320091244"), ("export", "oui"), ("date_redac", "0000-00-00 00:00:00"),
    ("visites", "1204"), ("referers", "37"), ("popularite", "2.5"), ("accepter_forum", "pos"),
    ("date_modif", "2007-03-20 09:12:44"), ("lang", "fr"), ("langue_choisie", "non"),
    ("id_trad", "0"), ("extra", ""), ("id_version", "0"), ("nom_site", ""), ("url_site", ""),
]


def dump():
    body = ""
    for k, v in [("1", "78"), ("1", "79")]:
        body += row("spip_auteurs_articles", [("id_auteur", k), ("id_article", v)])
    body += row("spip_mots_articles", [("id_mot", "1"), ("id_article", "78")])
    body += row("spip_documents_articles", [("id_document", "3"), ("id_article", "78")])
    body += row("spip_articles", ARTICLE)
    body += row("spip_articles", [
        ("id_article", "79"), ("titre", "Circulaire du 12 mars 2007"), ("id_rubrique", "3"),
        ("texte", "La circulaire précise l'accueil des élèves allophones."),
        ("date", "2007-03-12 10:00:00"), ("statut", "publie"), ("lang", "fr"),
        ("date_modif", "2007-03-12 10:00:00")])
    for sid, parent, titre, desc in [(2, 0, "Droits et procédures", ""),
                                     (3, 2, "Accès à l’éducation", "Scolarité, formation, apprentissage")]:
        body += row("spip_rubriques", [
            ("id_rubrique", str(sid)), ("id_parent", str(parent)), ("titre", titre),
            ("descriptif", desc), ("texte", ""), ("id_secteur", "2"), ("maj", "20070314100000"),
            ("statut", "publie"), ("date", "2007-03-14 10:00:00"), ("lang", "fr"),
            ("langue_choisie", "non"), ("extra", ""), ("statut_tmp", "publie")])
    body += row("spip_breves", [
        ("id_breve", "4"), ("date_heure", "2006-12-18 17:20:00"),
        ("titre", "Permanence juridique : nouveaux horaires"),
        ("texte", "La permanence a lieu le mercredi de 14\u00a0h à 18\u00a0h."),
        ("lien_titre", "Plan d'accès"), ("lien_url", "http://www.infomie.net/spip.php?page=plan"),
        ("statut", "publie"), ("id_rubrique", "2"), ("lang", "fr"), ("maj", "20061218172000")])
    body += row("spip_auteurs", [
        ("id_auteur", "1"), ("nom", "Claire Dubreuil"), ("bio", "Juriste, permanence du mercredi."),
        ("email", "claire.dubreuil@example.org"), ("login", "cdubreuil"),
        ("pass", "5f4dcc3b5aa765d61d8327deb882cf99"), ("statut", "0minirezo"),
        ("maj", "20070101000000"), ("lang", "fr")])
    body += row("spip_groupes_mots", [
        ("id_groupe", "1"), ("titre", "Thèmes"), ("descriptif", "Les thèmes du site"),
        ("unseul", "non"), ("obligatoire", "non"), ("articles", "oui"), ("maj", "20061201000000")])
    body += row("spip_mots", [
        ("id_mot", "1"), ("titre", "Scolarité"), ("descriptif", "École, collège, lycée"),
        ("texte", ""), ("id_groupe", "1"), ("type", "Thèmes"), ("maj", "20061201000000")])
    body += row("spip_auteurs_rubriques", [("id_auteur", "2"), ("id_rubrique", "3")])
    body += row("spip_types_documents", [
        ("id_type", "11"), ("titre", "PDF"), ("extension", "pdf"), ("mime_type", "application/pdf")])
    body += row("spip_documents", [
        ("id_document", "3"), ("id_type", "11"), ("titre", "Guide d’inscription scolaire"),
        ("date", "2006-12-05 14:00:00"), ("descriptif", "Fiche en quatre pages."),
        ("fichier", "IMG/pdf/guide-inscription.pdf"), ("taille", "183412"), ("largeur", "0"),
        ("hauteur", "0"), ("mode", "document"), ("distant", "non"), ("maj", "20061205140000")])
    body += row("spip_syndic", [
        ("id_syndic", "5"), ("id_rubrique", "3"), ("id_secteur", "2"),
        ("nom_site", "Réseau éducation sans frontières"), ("url_site", "http://www.example.org/resf/"),
        ("url_syndic", ""), ("descriptif", "Un réseau de soutien aux élèves."),
        ("maj", "20070110120000"), ("syndication", "non"), ("statut", "publie"),
        ("date", "2007-01-10 12:00:00")])
    body += row("spip_forum", [
        ("id_forum", "12"), ("id_parent", "0"), ("id_rubrique", "0"), ("id_article", "78"),
        ("id_breve", "0"), ("date_heure", "2006-12-07 21:14:00"), ("titre", "Inscription refusée"),
        ("texte", "Le collège demande un titre de séjour, est-ce légal ?"), ("auteur", "Sophie"),
        ("email_auteur", "sophie.m@example.net"), ("statut", "publie"), ("ip", "192.0.2.44"),
        ("maj", "20061207211400"), ("id_auteur", "0")])
    body += row("spip_petitions", [
        ("id_article", "79"), ("email_unique", "oui"), ("site_obli", "non"), ("site_unique", "non"),
        ("message", "oui"), ("texte", "Pour l'accueil de tous les élèves allophones."),
        ("maj", "20070315000000")])
    body += row("spip_signatures", [
        ("id_signature", "31"), ("id_article", "79"), ("date_time", "2007-03-16 08:30:00"),
        ("nom_email", "Jeanne Martin"), ("ad_email", "jeanne.martin@example.net"),
        ("nom_site", ""), ("url_site", ""), ("message", "Enseignante en classe d'accueil."),
        ("statut", "publie"), ("maj", "20070316083000")])
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<SPIP version="1.9.2" version_base="1.927" version_archive="1.3" dir_img="IMG/">\n\n'
            + body + "</SPIP>\n")


PAGE = """<!DOCTYPE html>
<html lang="fr">
<head>
<title>La scolarisation des mineurs isolés étrangers - InfoMIE</title>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta name="generator" content="SPIP 1.9.2" />
<link rel="canonical" href="http://www.infomie.net/spip.php?article78" />
</head>
<body class="page_article">
<div id="hierarchie"><a href="http://www.infomie.net/">Accueil du site</a> &gt; <a href="spip.php?rubrique2">Droits et procédures</a> &gt; <a href="spip.php?rubrique3">Accès à l’éducation</a> &gt; La scolarisation</div>
<div id="contenu">
<h1 class="titre">La scolarisation des mineurs isolés étrangers</h1>
<p class="info-publi">Publié le mardi 5 décembre 2006, mis à jour le mardi 20 mars 2007</p>
<div class="chapo"><p>Tout mineur présent sur le territoire a droit à l&#8217;éducation.</p></div>
<div class="texte"><h3 class="spip">Le principe</h3><p>L&#8217;obligation scolaire s&#8217;applique <strong>jusqu&#8217;à 16 ans</strong>.</p><p>Voir aussi la <a href="spip.php?article79">circulaire</a>.</p></div>
</div>
</body>
</html>
"""

ANNUAIRE = ("Nom;Type;Adresse;Code postal;Ville;Téléphone;Courriel;Site\r\n"
            "Secours populaire français;Association;9-11 rue Froissart;75003;Paris;01 44 78 21 00;"
            "contact@example.org;http://www.example.org\r\n")


def run(cmd, cwd, stdin=None):
    p = subprocess.run(cmd, cwd=cwd, input=stdin, capture_output=True,
                       env=dict(os.environ, LC_ALL="C.UTF-8", SOURCE_DATE_EPOCH="1175000000"))
    if p.returncode not in (0, 1):
        sys.exit(f"gen-examples: {' '.join(cmd)}: exit {p.returncode}: {p.stderr.decode()}")
    return p.stdout


def records(bin_dir, work):
    with open(os.path.join(work, "dump.xml"), "w", encoding="utf-8") as f:
        f.write(dump())
    os.makedirs(os.path.join(work, "miroir"))
    with open(os.path.join(work, "miroir", "spip.php@article78.html"), "w", encoding="utf-8") as f:
        f.write(PAGE)
    with open(os.path.join(work, "annuaire.csv"), "w", encoding="cp1252") as f:
        f.write(ANNUAIRE)
    b = lambda tool: os.path.join(bin_dir, tool)
    run([b("mie-import"), "-q", "--site", SITE, "-o", "imported.jsonl", "dump.xml", "miroir",
         "annuaire.csv"], work)
    run([b("mie-dedup"), "-q", "--mode", "merge", "-o", "records.jsonl", "imported.jsonl"], work)
    dossier = run([b("mie-filter"), "-q", "--ids", "/dev/stdin", "--as-dossier",
                   "Scolarité des mineurs", "records.jsonl"], work,
                  stdin=b"infomie.net:article:78\ninfomie.net:article:79\n")
    lines = open(os.path.join(work, "records.jsonl"), "rb").read().splitlines()
    lines += [l for l in dossier.splitlines() if b'"type":"dossier"' in l]
    first = {}  # the first record of each type, but the section inside another
    for l in lines:
        r = json.loads(l)
        if r["type"] != "section" or "section" in r:
            first.setdefault(r["type"], l)
    out = {}
    for t, l in first.items():
        rec = json.loads(l)
        xml = run([b("mie-cat"), "-q", "--to", "xml"], work, stdin=l + b"\n").decode()
        body = xml.split("\n")
        start = next(i for i, s in enumerate(body) if s.startswith(f"  <{t} "))
        end = next(i for i, s in enumerate(body) if s == f"  </{t}>" and i > start)
        out[t] = (json.dumps(rec, indent=2, ensure_ascii=False), "\n".join(body[start:end + 1]))
    return out


def rewrite(readme, examples):
    parts = re.split(r"(?m)^(### `[a-z_]+`\n)", readme)
    missing = set(examples)
    for i in range(1, len(parts), 2):
        t = parts[i][5:-2]
        if t not in examples:
            sys.exit(f"gen-examples: README.md has a section for {t}, the tools gave no such record")
        missing.discard(t)
        js, xml = examples[t]
        sec = parts[i + 1]
        sec, n = re.subn(r"```json\n.*?\n```", lambda m: f"```json\n{js}\n```", sec, 1, re.S)
        sec, k = re.subn(r"```xml\n.*?\n```", lambda m: f"```xml\n{xml}\n```", sec, 1, re.S)
        if n != 1 or k != 1:
            sys.exit(f"gen-examples: the {t} section has no ```json and ```xml blocks")
        parts[i + 1] = sec
    if missing:
        sys.exit(f"gen-examples: README.md has no section for {', '.join(sorted(missing))}")
    return "".join(parts)


def main():
    args = [a for a in sys.argv[1:] if a != "--check"]
    if len(args) != 1:
        sys.exit("usage: gen-examples.py [--check] BIN")
    with tempfile.TemporaryDirectory() as work:
        examples = records(os.path.abspath(args[0]), work)
    path = os.path.join(HERE, "README.md")
    old = open(path, encoding="utf-8").read()
    new = rewrite(old, examples)
    if "--check" in sys.argv:
        if new != old:
            sys.exit("gen-examples: schemas/README.md's examples are not the tools' output "
                     "(run schemas/gen-examples.py BIN)")
        return
    with open(path, "w", encoding="utf-8") as f:
        f.write(new)


main()
