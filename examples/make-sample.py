#!/usr/bin/env python3
"""Builds examples/infomie-export-2006.zip: a small synthetic legacy export of
the InfoMIE site as partners still exchange it — a SPIP 1.9.1 dump of a
latin-1 site (multi-member gzip, link tables first, the usual damage), a saved
mirror of some public pages (its own zip inside the zip, customised template
with a "Publié le …" line), and the directory of organisations exported from
a spreadsheet (windows-1252, ';').  Beside the damaged cases, a few dozen
generated articles and brèves over a nested section tree, with keywords,
authors and three attachments (two small PDFs and a PNG, written under
files/IMG/ as the site's IMG/ folder held them).  All content is invented.

Usage: make-sample.py OUTDIR   (writes OUTDIR/infomie-export-2006.zip, the
loose files under OUTDIR/sample/ and the attachments under OUTDIR/files/)"""
import gzip
import io
import os
import random
import struct
import sys
import zipfile
import zlib

SITE = "http://www.infomie.net"


def x(s):
    """SPIP's dump escaping: & then <, nothing else."""
    return s.replace("&", "&amp;").replace("<", "&lt;")


def row(table, cols):
    out = [f"<{table}>"]
    for k, v in cols:
        out.append(f"<{k}>{x(v if isinstance(v, str) else v.decode('latin-1'))}</{k}>")
    out.append(f"</{table}>\n")
    return "\n".join(out) + "\n"


SECTIONS = [  # id, parent, title, descriptif
    (1, 0, "01. L’association", "Qui sommes-nous ?"),
    (2, 0, "02. Droits et procédures", ""),
    (3, 2, "Accès à l’éducation", "Scolarité, formation, apprentissage"),
    (4, 2, "Jurisprudence", "Décisions commentées"),
    (5, 2, "Protection de l’enfance", "Prise en charge par les départements"),
    (6, 5, "Évaluation de la minorité", "Entretiens, documents d’état civil, expertises"),
    (7, 5, "Hébergement et accompagnement", ""),
    (8, 0, "03. Ressources", "Guides, modèles et contacts"),
    (9, 8, "Guides pratiques", ""),
    (10, 9, "Fiches par département", "Les pratiques locales, département par département"),
]

ARTICLES = [
    dict(id=78, rub=3, titre="La scolarisation des mineurs isolés étrangers",
         surtitre="Fiche pratique", chapo="Tout mineur présent sur le territoire a droit à l'éducation.",
         texte=("{{{Le principe}}}\n\nL'obligation scolaire s'applique {{jusqu'à 16 ans}}, "
                "quelle que soit la situation administrative du jeune[[Code de l'éducation, "
                "article L.131-1.]].\n\n-* inscription auprès de la mairie\n-* évaluation par le "
                "CASNAV\n-* affectation par la DSDEN\n\nVoir aussi la [circulaire->art79] et le "
                "<doc3|left>.\n\n| {{Âge}} | {{Démarche}} |\n| moins de 16 ans | mairie |\n| 16 à 18 ans | CIO |"),
         ps="Mise à jour après la circulaire de mars 2007.", date="2006-12-05 14:03:00",
         modif="2007-03-20 09:12:44", statut="publie", lang="fr"),
    dict(id=79, rub=3, titre="03. Circulaire du 12 mars 2007 sur l&#8217;accueil des élèves allophones",
         surtitre="", chapo="", texte=("La circulaire rappelle que l&#8217;accueil des élèves "
                                        "nouvellement arrivés relève du droit commun.\n\n<quote>Aucun "
                                        "élève ne peut être refusé faute de papiers.</quote>"),
         ps="", date="2007-03-14 10:00:00", modif="0000-00-00 00:00:00", statut="publie", lang="fr"),
    dict(id=80, rub=1, titre="Rapport annuel 2006", surtitre="", chapo="=http://www.infomie.net/IMG/pdf/rapport-2006.pdf",
         texte="", ps="", date="2007-01-15 08:30:00", modif="0000-00-00 00:00:00", statut="publie", lang="fr"),
    dict(id=81, rub=1, titre="Scolarisation des mineurs isolés étrangers (rappel)",
         surtitre="Fiche pratique", chapo="Tout mineur présent sur le territoire a droit à l'éducation.",
         texte=("{{{Le principe}}}\n\nL'obligation scolaire s'applique {{jusqu'à 16 ans}}, "
                "quelle que soit la situation administrative du jeune[[Code de l'éducation, "
                "article L.131-1.]].\n\n-* inscription auprès de la mairie\n-* évaluation par le "
                "CASNAV\n-* affectation par la DSDEN\n\nVoir aussi la [circulaire->art79] et le "
                "<doc3|left>.\n\n| {{Âge}} | {{Démarche}} |\n| moins de 16 ans | mairie |\n| 16 à 18 ans | CIO |"),
         ps="", date="2007-02-01 11:00:00", modif="0000-00-00 00:00:00", statut="publie", lang="fr"),
    dict(id=82, rub=4, titre="Cour d’appel de Lyon, 14 février 2007, n° 07/0112",
         surtitre="", chapo="", texte=("{{Faits}} : un jeune se déclarant mineur conteste le refus de prise en charge.\n\n"
                                       "{{Décision}} : la cour ordonne une nouvelle évaluation et le placement provisoire."),
         ps="", date="2007-02-20 16:45:00", modif="0000-00-00 00:00:00", statut="publie", lang="fr"),
    dict(id=83, rub=4, titre="Cour d’appel de Lyon, 3 avril 2007, n° 07/0488 (arrêt confirmÃ©)",
         surtitre="", chapo="", texte=("{{Faits}} : un jeune se déclarant mineur conteste le refus de prise en charge.\n\n"
                                       "{{Décision}} : la cour confirme le jugement, l’expertise osseuse n’étant pas seule en cause."),
         ps="", date="2007-04-10 09:00:00", modif="0000-00-00 00:00:00", statut="prop", lang="fr"),
]


# ---- the generated part: enough records for the offline site to show what
# the tool does (a seeded generator: the zip is rebuilt byte for byte) ----
TOPICS = [  # section, title stems
    (3, ["L’inscription au collège d’un mineur isolé", "Le rôle du CASNAV dans l’affectation",
         "Apprentissage et contrat de travail avant 18 ans", "La scolarité après 16 ans : les lycées professionnels"]),
    (4, ["Tribunal pour enfants de Bobigny, ordonnance de placement",
         "Conseil d’État, référé-liberté et hébergement d’urgence",
         "Cour de cassation, valeur des actes d’état civil étrangers"]),
    (5, ["La mise à l’abri pendant l’évaluation", "Le contrat jeune majeur",
         "L’aide sociale à l’enfance face aux arrivées"]),
    (6, ["L’entretien d’évaluation : déroulement", "Les examens osseux et leurs limites",
         "La vérification des documents d’identité"]),
    (7, ["Hébergement à l’hôtel : ce que dit la loi", "L’accompagnement éducatif en foyer",
         "Santé : l’accès à la couverture maladie"]),
    (9, ["Guide de l’accueil pour les bénévoles", "Modèle de saisine du juge des enfants",
         "Préparer un rendez-vous à la préfecture"]),
    (10, ["Seine-Saint-Denis : la plateforme d’accueil", "Rhône : la cellule d’évaluation",
          "Bouches-du-Rhône : l’accueil de jour", "Nord : les permanences juridiques"]),
]

SENTENCES = [
    "Le jeune doit être mis à l’abri dès qu’il se présente.",
    "Le département reste compétent tant que la minorité n’est pas écartée.",
    "La circulaire rappelle le droit à l’éducation de tout mineur présent sur le territoire.",
    "Un refus doit être motivé et notifié par écrit.",
    "L’association peut accompagner le jeune lors de l’entretien.",
    "Le juge des enfants peut être saisi directement par le mineur.",
    "Les documents d’état civil étrangers font foi, sauf preuve contraire.",
    "L’accès aux soins ne dépend pas de la situation administrative.",
    "Un hébergement adapté à l’âge du jeune doit être proposé.",
    "La scolarisation ne peut être subordonnée à la présentation d’un titre de séjour.",
    "Le délai d’évaluation est en principe de cinq jours.",
    "Les bénévoles tiennent une permanence chaque mercredi après-midi.",
]

MORE_MOTS = [(3, "Hébergement"), (4, "Santé"), (5, "Droit d’asile"), (6, "Formation professionnelle")]
MORE_AUTHORS = [(3, "Nadia Benali", "Éducatrice spécialisée."), (4, "Paul Girard", "")]
MORE_DOCS = [  # id, title, file, type id, description
    (5, "Carte des permanences", "IMG/png/carte-permanences.png", 12, "Les lieux d’accueil en Île-de-France."),
    (6, "Modèle de recours au juge des enfants", "IMG/pdf/modele-recours.pdf", 11, "Deux pages à compléter."),
]


def generated():
    rng = random.Random(2006)
    arts, briefs, auteurs, mots, docs = [], [], [], [], []
    n = 84
    for rub, stems in TOPICS:
        for stem in stems:
            y, m, d = rng.choice([2005, 2006, 2007]), rng.randint(1, 12), rng.randint(1, 28)
            paras = ["{{{" + stem.split(" : ")[0] + "}}}"] + [
                " ".join(rng.sample(SENTENCES, 3)) for _ in range(rng.randint(2, 3))]
            if n % 4 == 0:
                paras.append(f"Voir aussi [l’article précédent->art{n - 1}].")
            arts.append(dict(id=n, rub=rub, titre=stem, surtitre="", chapo=rng.choice(SENTENCES) if n % 3 == 0 else "",
                             texte="\n\n".join(paras), ps="", date=f"{y}-{m:02d}-{d:02d} 10:{n % 60:02d}:00",
                             modif="0000-00-00 00:00:00", statut="publie", lang="fr"))
            auteurs.append((n, rng.choice([1, 2, 3, 4])))
            for mot in sorted(rng.sample([1, 2, 3, 4, 5, 6], rng.randint(1, 2))):
                mots.append((mot, n))
            n += 1
    for i, rub in enumerate([1, 1, 3, 5, 5, 7, 9, 10, 10, 6]):
        y, m, d = rng.choice([2006, 2007]), rng.randint(1, 12), rng.randint(1, 28)
        briefs.append((5 + i, f"{y}-{m:02d}-{d:02d} 09:00:00", rub,
                       ["Permanence exceptionnelle le samedi", "Nouvelle fiche en ligne",
                        "Formation des bénévoles", "Réunion avec le département",
                        "Rapport d’activité disponible", "Appel à bénévoles",
                        "Changement d’adresse de l’accueil de jour", "Journée d’étude à Lyon",
                        "Mise à jour des fiches départementales", "Rencontre avec les avocats"][i],
                       " ".join(rng.sample(SENTENCES, 2))))
    docs = [(3, 78), (5, 90), (6, 105), (6, 100)]
    return arts, briefs, auteurs, mots, docs


GEN_ARTICLES, GEN_BRIEFS, GEN_AUTEURS, GEN_MOTS, GEN_DOCS = generated()


def pdf(title):
    """A small valid PDF of one page showing `title` (ASCII), offsets exact."""
    text = f"BT /F1 18 Tf 72 720 Td ({title}) Tj ET".encode()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length " + str(len(text)).encode() + b" >>\nstream\n" + text + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = b"%PDF-1.4\n", []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + o + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def png(w, h):
    """A small valid PNG: a map-like pattern in the site's blue."""
    raw = b"".join(b"\x00" + b"".join(
        bytes((11, 92, 138) if (x // 8 + y // 8) % 2 else (230, 238, 244)) for x in range(w)) for y in range(h))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


FILES = {"IMG/pdf/guide-inscription.pdf": lambda: pdf("Guide d'inscription scolaire"),
         "IMG/png/carte-permanences.png": lambda: png(48, 32),
         "IMG/pdf/modele-recours.pdf": lambda: pdf("Modele de recours au juge des enfants")}


def article_row(a, encode):
    cols = [("id_article", str(a["id"])), ("surtitre", a["surtitre"]), ("titre", a["titre"]),
            ("soustitre", ""), ("id_rubrique", str(a["rub"])), ("descriptif", ""),
            ("chapo", a["chapo"]), ("texte", a["texte"]), ("ps", a["ps"]), ("date", a["date"]),
            ("statut", a["statut"]), ("id_secteur", "2"), ("maj", "20070320091244"),
            ("export", "oui"), ("date_redac", "0000-00-00 00:00:00"), ("visites", "1204"),
            ("referers", "37"), ("popularite", "2.5"), ("accepter_forum", "pos"),
            ("date_modif", a["modif"]), ("lang", a["lang"]), ("langue_choisie", "non"),
            ("id_trad", "0"), ("extra", ""), ("idx", "oui"), ("nom_site", ""), ("url_site", ""),
            ("url_propre", "")]
    return row("spip_articles", [(k, encode(v)) for k, v in cols])


def latin(s):
    # what a latin-1 SPIP site stored: cp1252 bytes for ’ œ € …
    return s.encode("cp1252")


def dump():
    parts = []
    head = ('<?xml version="1.0" encoding="iso-8859-1"?>\n'
            '<SPIP version="1.9.1" version_base="1.917" version_archive="1.3">\n\n')
    links = ""
    for art, aut in [(78, 1), (79, 1), (81, 2), (82, 2), (83, 2)]:
        links += row("spip_auteurs_articles", [("id_auteur", str(aut)), ("id_article", str(art))])
    for art, mot in [(78, 1), (81, 1), (82, 2), (83, 2)]:
        links += row("spip_mots_articles", [("id_mot", str(mot)), ("id_article", str(art))])
    for art, aut in GEN_AUTEURS:
        links += row("spip_auteurs_articles", [("id_auteur", str(aut)), ("id_article", str(art))])
    for mot, art in GEN_MOTS:
        links += row("spip_mots_articles", [("id_mot", str(mot)), ("id_article", str(art))])
    for i, (bid, _, _, _, _) in enumerate(GEN_BRIEFS):
        links += row("spip_mots_breves", [("id_mot", str(1 + i % 6)), ("id_breve", str(bid))])
    for doc, art in GEN_DOCS:
        links += row("spip_documents_articles", [("id_document", str(doc)), ("id_article", str(art))])
    body = ""
    for a in ARTICLES + GEN_ARTICLES:
        body += article_row(a, latin)
    for aid, nom, bio in MORE_AUTHORS:
        body += row("spip_auteurs", [(k, latin(v)) for k, v in [
            ("id_auteur", str(aid)), ("nom", nom), ("bio", bio), ("statut", "1comite"), ("lang", "fr")]])
    for bid, date, rub, titre, texte in GEN_BRIEFS:
        body += row("spip_breves", [(k, latin(v)) for k, v in [
            ("id_breve", str(bid)), ("date_heure", date), ("titre", titre), ("texte", texte),
            ("statut", "publie"), ("id_rubrique", str(rub)), ("lang", "fr")]])
    for mid, titre in MORE_MOTS:
        body += row("spip_mots", [(k, latin(v)) for k, v in [
            ("id_mot", str(mid)), ("titre", titre), ("id_groupe", "1"), ("type", "Thèmes")]])
    for did, titre, fichier, tid, desc in MORE_DOCS:
        body += row("spip_documents", [(k, latin(v)) for k, v in [
            ("id_document", str(did)), ("id_type", str(tid)), ("titre", titre), ("date", "2007-01-10 12:00:00"),
            ("descriptif", desc), ("fichier", fichier), ("taille", str(len(FILES[fichier]()))),
            ("mode", "document"), ("distant", "non")]])
    body += row("spip_types_documents", [(k, latin(v)) for k, v in [
        ("id_type", "12"), ("titre", "PNG"), ("extension", "png"), ("mime_type", "image/png")]])
    body += row("spip_auteurs", [(k, latin(v)) for k, v in [
        ("id_auteur", "1"), ("nom", "Claire Dubreuil"), ("bio", "Juriste, permanence du mercredi."),
        ("email", "claire.dubreuil@example.org"), ("nom_site", ""), ("url_site", ""),
        ("login", "cdubreuil"), ("pass", "CANARY-PASS-5f4dcc3b5aa765d61d8327deb882cf99"),
        ("low_sec", "CANARY-LOWSEC-91"), ("statut", "0minirezo"), ("maj", "20070101000000"),
        ("pgp", ""), ("htpass", "CANARY-HTPASS-$1$abcd"), ("en_ligne", "2007-03-20 09:00:00"),
        ("imessage", "oui"), ("messagerie", "oui"), ("alea_actuel", "CANARY-ALEA-1"),
        ("alea_futur", "CANARY-ALEA-2"), ("prefs", ""), ("cookie_oubli", "CANARY-COOKIE"),
        ("source", "spip"), ("lang", "fr"), ("idx", "oui"), ("url_propre", ""), ("extra", "")]])
    body += row("spip_auteurs", [(k, latin(v)) for k, v in [
        ("id_auteur", "2"), ("nom", "Marc Lefèvre"), ("bio", ""), ("email", "m.lefevre@example.org"),
        ("login", "mlefevre"), ("pass", "CANARY-PASS-2"), ("statut", "1comite"),
        ("alea_actuel", "CANARY-ALEA-3"), ("alea_futur", "CANARY-ALEA-4"), ("lang", "fr")]])
    body += row("spip_breves", [(k, latin(v)) for k, v in [
        ("id_breve", "4"), ("date_heure", "2006-12-18 17:20:00"),
        ("titre", "Permanence juridique : nouveaux horaires"),
        ("texte", "La permanence a lieu le mercredi de 14\u00a0h à 18\u00a0h.\x0b Entrée libre."),
        ("lien_titre", ""), ("lien_url", ""), ("statut", "publie"), ("id_rubrique", "1"),
        ("lang", "fr"), ("langue_choisie", "non"), ("maj", "20061218172000"), ("idx", "oui"),
        ("extra", ""), ("url_propre", "")]])
    body += row("spip_mots", [(k, latin(v)) for k, v in [
        ("id_mot", "1"), ("titre", "Scolarité"), ("descriptif", ""), ("texte", ""),
        ("id_groupe", "1"), ("type", "Thèmes"), ("extra", ""), ("idx", "oui"), ("maj", "20061201000000")]])
    body += row("spip_mots", [(k, latin(v)) for k, v in [
        ("id_mot", "2"), ("titre", "Évaluation de la minorité"), ("descriptif", ""), ("texte", ""),
        ("id_groupe", "1"), ("type", "Thèmes"), ("extra", ""), ("idx", "oui"), ("maj", "20061201000000")]])
    body += row("spip_groupes_mots", [(k, latin(v)) for k, v in [
        ("id_groupe", "1"), ("titre", "Thèmes"), ("descriptif", ""), ("texte", ""), ("unseul", "non"),
        ("obligatoire", "non"), ("articles", "oui"), ("breves", "oui"), ("rubriques", "non"),
        ("syndic", "non"), ("minirezo", "oui"), ("comite", "oui"), ("forum", "non"), ("maj", "20061201000000")]])
    for sid, parent, titre, desc in SECTIONS:
        body += row("spip_rubriques", [(k, latin(v)) for k, v in [
            ("id_rubrique", str(sid)), ("id_parent", str(parent)), ("titre", titre),
            ("descriptif", desc), ("texte", ""), ("id_secteur", str(parent or sid)),
            ("maj", "20061201000000"), ("export", "oui"), ("id_import", "0"), ("statut", "publie"),
            ("date", "2007-03-14 10:00:00"), ("lang", "fr"), ("langue_choisie", "non"), ("idx", "oui"),
            ("extra", ""), ("url_propre", ""), ("statut_tmp", "publie"), ("date_tmp", "2007-03-14 10:00:00")]])
    body += row("spip_documents", [(k, latin(v)) for k, v in [
        ("id_document", "3"), ("id_vignette", "0"), ("id_type", "11"), ("titre", "Guide d’inscription scolaire"),
        ("date", "2006-12-05 14:00:00"), ("descriptif", "Fiche en quatre pages."),
        ("fichier", "IMG/pdf/guide-inscription.pdf"), ("taille", "183412"), ("largeur", "0"),
        ("hauteur", "0"), ("mode", "document"), ("distant", "non"), ("maj", "20061205140000"), ("idx", "oui")]])
    body += row("spip_types_documents", [(k, latin(v)) for k, v in [
        ("id_type", "11"), ("titre", "PDF"), ("descriptif", ""), ("extension", "pdf"),
        ("mime_type", "application/pdf"), ("inclus", "non"), ("upload", "oui"), ("maj", "20061201000000")]])
    body += row("spip_forum", [(k, latin(v)) for k, v in [
        ("id_forum", "12"), ("id_parent", "0"), ("id_rubrique", "0"), ("id_article", "78"),
        ("id_breve", "0"), ("date_heure", "2006-12-07 21:14:00"), ("titre", "Inscription refusée"),
        ("texte", "Le collège demande un titre de séjour, est-ce légal ?"), ("auteur", "Sophie"),
        ("email_auteur", "sophie.m@example.net"), ("nom_site", ""), ("url_site", ""),
        ("statut", "publie"), ("ip", "192.0.2.44"), ("maj", "20061207211400"), ("id_auteur", "0"),
        ("id_message", "0"), ("id_syndic", "0")]])
    tail = "</SPIP>\n"
    # one gzip member for the header, one per slice, one for the footer (as SPIP wrote it)
    return [m.encode("latin-1") for m in (head, links, body, tail)]


def body(texte):
    """The article's text as the site showed it (a rough rendering: enough
    for a saved page; the importer never sees SPIP markup here)."""
    import re
    out = []
    for para in texte.split("\n\n"):
        para = re.sub(r"\[\[.*?\]\]", "", para)
        para = re.sub(r"\[([^\]]*?)->[^\]]*\]", r"\1", para)
        para = re.sub(r"<doc\d+\|?\w*>", "", para)
        para = para.replace("{{{", "").replace("}}}", "").replace("{{", "<strong>").replace("}}", "</strong>")
        para = para.replace("<quote>", "<blockquote>").replace("</quote>", "</blockquote>")
        out.append("<p>" + para.replace("'", "&#8217;") + "</p>")
    return "".join(out)


def page(a, path_titles):
    crumbs = " &gt; ".join(f'<a href="spip.php?rubrique{sid}">{t}</a>' for sid, t in path_titles)
    title = a["titre"].split(". ", 1)[-1] if a["titre"][:2].isdigit() else a["titre"]
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" dir="ltr" lang="fr">
<head>
<title>{title} - InfoMIE</title>
<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1" />
<meta name="generator" content="SPIP 1.9.1" />
<link rel="canonical" href="{SITE}/spip.php?article{a['id']}" />
</head>
<body class="page_article">
<div id="page">
<div id="entete"><a href="{SITE}/" title="Accueil"><span id="nom_site_spip">InfoMIE</span></a></div>
<div id="hierarchie"><a href="{SITE}/">Accueil du site</a> &gt; {crumbs} &gt; {title}</div>
<div id="conteneur"><div id="contenu">
<div class="cartouche">
<h1 class="titre">{title}</h1>
<p class="info-publi">Publi&eacute; le mardi 5 d&eacute;cembre 2006 , mis &agrave; jour le mardi 20 mars 2007</p>
</div>
<div class="chapo"><p>{a['chapo']}</p></div>
<div class="texte">{body(a['texte'])}</div>
</div></div>
<div id="navigation"><div class="rubriques"><h2 class="menu-titre">Rubriques</h2><ul><li><a href="spip.php?rubrique1">L&#8217;association</a></li></ul></div></div>
<div id="pied"><a href="spip.php?page=backend">RSS 2.0</a> | <a href="spip.php?page=plan">Plan du site</a></div>
</div>
</body>
</html>
"""


ANNUAIRE = [
    ("Nom", "Type", "Adresse", "Ville", "Téléphone", "Courriel", "Site"),
    ("Secours populaire français", "Association", "9-11 rue Froissart", "Paris", "01 44 78 21 00", "contact@example.org", "http://www.example.org"),
    ("SECOURS POPULAIRE FRANCAIS", "association", "9 rue Froissart", "PARIS", "", "", ""),
    ("Secours Populaire Français ", "Association", "", "Paris", "", "", ""),
    ("Maison des jeunes réfugiés", "Foyer", "12 allée des Tilleuls", "Lyon", "04 72 00 00 00", "", ""),
    ("Permanence d’accès aux droits", "Permanence", "Palais de justice", "Marseille", "", "", ""),
]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    loose = os.path.join(out, "sample")
    os.makedirs(os.path.join(loose, "mirror"), exist_ok=True)
    members = dump()
    gz = b"".join(gzip.compress(m, mtime=0) for m in members)
    with open(os.path.join(loose, "dump.xml.gz"), "wb") as f:
        f.write(gz)
    paths = {3: [(2, "Droits et procédures"), (3, "Accès à l’éducation")]}
    mirror = io.BytesIO()
    with zipfile.ZipFile(mirror, "w", zipfile.ZIP_DEFLATED) as z:
        for a in ARTICLES[:2]:
            html = page(a, paths[3]).encode("cp1252")
            name = f"www.infomie.net/spip.php?article{a['id']}.html"
            z.writestr(zipfile.ZipInfo(name, (2007, 3, 21, 0, 0, 0)), html)
            with open(os.path.join(loose, "mirror", f"article{a['id']}.html"), "wb") as f:
                f.write(html)
    for name, make in FILES.items():
        path = os.path.join(out, "files", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(make())
    csv = "\r\n".join(";".join(r) for r in ANNUAIRE) + "\r\n"
    csvb = csv.encode("cp1252")
    with open(os.path.join(loose, "annuaire.csv"), "wb") as f:
        f.write(csvb)
    with zipfile.ZipFile(os.path.join(out, "infomie-export-2006.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in [("sauvegarde/dump.xml.gz", gz), ("site/mirror.zip", mirror.getvalue()),
                           ("annuaire.csv", csvb)]:
            z.writestr(zipfile.ZipInfo(name, (2007, 3, 21, 0, 0, 0)), data)


main()
