#!/usr/bin/env python3
"""A synthetic SPIP 1.9.1 XML dump of about SIZE megabytes with the quirks of
real dumps, those that man/mie-import.1 (DESCRIPTION, spip-dump) says the
importer handles:

- link tables first (spip_documents_articles without a primary key, so with
  repeated pairs), sections after the articles that use them;
- iso-8859-1 (default) with raw cp1252 bytes 0x80-0x9F (’ € œ …), or utf-8
  (--charset utf-8) with legacy latin-1 rows and "<CONVERT iso-8859-1>" rows
  left by an interrupted conversion;
- C0 control characters (VT, FF, US) in brèves and some articles, "]]>",
  SPIP entities (&eacute; &#8217;) under the dump's &amp; escaping;
- numbered titles ("03. Titre"), <multi> titles, 0000-00-00 dates, virtual
  articles (chapo "=url"), <docN> models and [->artN] links;
- repeated 400-row slices (identical) and one slice re-exported after an
  edit (same key, different row);
- binary spip_versions_fragments (zlib bytes with NUL), private messages,
  spip_meta secrets, a plugin table, credential and personal columns whose
  values are canaries ("CANARY-...") that must never reach an output;
- --cut: the last row cut and no </SPIP> (an abandoned export).
Usage: gen-spip-dump.py SIZE_MB [--charset utf-8|iso-8859-1] [--cut] > dump.xml
The output depends only on the arguments (fixed random seed)."""
import random
import sys
import zlib

WORDS = ("mineur isolé étranger accès à l’éducation protection de l’enfance département "
         "aide sociale circulaire tribunal pour enfants juge évaluation minorité hébergement "
         "scolarisation droit d’asile association accueil préfecture titre de séjour "
         "majorité santé œuvre « guillemets » € naïveté Noël").split()
SLICE = 400


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;")


class Dump:
    def __init__(self, charset, out):
        self.charset = charset
        self.out = out
        self.size = 0

    def raw(self, b):
        self.out.write(b)
        self.size += len(b)

    def enc(self, s, legacy=False):
        """Text in the dump's charset; legacy rows of a utf-8 dump are latin-1."""
        if self.charset == "utf-8" and not legacy:
            return s.encode("utf-8")
        return s.encode("cp1252", errors="replace")

    def row(self, table, cols, legacy=False):
        """One row as SPIP writes it; values are str (escaped here) or bytes (raw)."""
        parts = [b"<%s>\n" % table.encode()]
        for name, value in cols:
            v = value if isinstance(value, bytes) else self.enc(esc(str(value)), legacy)
            parts.append(b"<%s>%s</%s>\n" % (name.encode(), v, name.encode()))
        parts.append(b"</%s>\n\n" % table.encode())
        return b"".join(parts)


def words(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def date(rng, i):
    if i % 13 == 0:
        return "0000-00-00 00:00:00"
    return f"20{rng.randint(3, 12):02d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} {rng.randint(8, 19):02d}:{rng.randint(0, 59):02d}:00"


def article(d, rng, i, n_sections, n_docs):
    title = words(rng, 6)
    if i % 7 == 0:
        title = f"{i % 90:02d}. {title}"
    if i % 17 == 0:
        title = f"<multi>[fr]{title}[en]{words(rng, 4)}</multi>"
    legacy = d.charset == "utf-8" and i % 23 == 0
    if legacy:
        title = "<CONVERT iso-8859-1>" + title
    paras = []
    for k in range(3):
        p = "{{" + words(rng, 3) + "}} " + words(rng, 50) + " &eacute;t&eacute; &#8217; [[note " + str(i) + "]]"
        if k == 1 and i % 5 == 0:
            p += f" <doc{i % n_docs + 1}|center> voir [l’article->art{max(1, i - 3)}]"
        paras.append(p)
    text = "\n\n".join(paras)
    if i % 11 == 0:
        text += "\x0b ]]> \x1f fin\x0c"
    chapo = "=http://www.example.org/doc" if i % 50 == 0 else words(rng, 20)
    dt = date(rng, i)
    return d.row("spip_articles", [
        ("id_article", i), ("surtitre", ""), ("titre", title), ("soustitre", ""),
        ("id_rubrique", i % n_sections + 1), ("descriptif", ""), ("chapo", chapo),
        ("texte", text), ("ps", "" if i % 3 else words(rng, 8)), ("date", dt),
        ("statut", "publie" if i % 9 else "prop"), ("id_secteur", 1),
        ("maj", "20070101000000"), ("export", "oui"), ("date_redac", "0000-00-00 00:00:00"),
        ("visites", i * 3), ("referers", 0), ("popularite", "0.5"), ("accepter_forum", "pos"),
        ("date_modif", dt), ("lang", "fr"), ("langue_choisie", "non"), ("id_trad", 0),
        ("extra", ""), ("idx", "oui"), ("id_version", 0), ("nom_site", ""), ("url_site", ""),
        ("url_propre", "")], legacy)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    charset = "utf-8" if "--charset" in sys.argv and sys.argv[sys.argv.index("--charset") + 1] == "utf-8" else "iso-8859-1"
    if "--charset" in sys.argv:
        args = [a for a in args if a not in ("utf-8", "iso-8859-1")]
    target = int(args[0]) << 20
    rng = random.Random(1)
    d = Dump(charset, sys.stdout.buffer)
    n_articles = max(1, int(target * 0.75) // 2900)
    n_sections, n_docs, n_authors, n_mots = 40, 200, 20, 30

    d.raw(f'<?xml version="1.0" encoding="{charset}"?>\n'
          '<SPIP version="1.9.1" version_base="1.917" version_archive="1.3">\n\n'.encode())
    # link tables first, as SPIP writes them
    for i in range(1, n_articles + 1, 4):
        d.raw(d.row("spip_mots_articles", [("id_mot", i % n_mots + 1), ("id_article", i)]))
    for i in range(1, n_articles + 1, 5):
        pair = d.row("spip_documents_articles", [("id_document", i % n_docs + 1), ("id_article", i)])
        d.raw(pair)
        if i % 15 == 1:
            d.raw(pair)  # no primary key in 1.9.1: repeated pairs
    for i in range(1, n_articles + 1, 3):
        d.raw(d.row("spip_auteurs_articles", [("id_auteur", i % n_authors + 1), ("id_article", i)]))

    # articles in 400-row slices; now and then a slice is written twice
    i, slice_rows, slices, pending = 0, [], 0, 0
    body_target = int(target * 0.75)
    while d.size + pending < body_target or i == 0:
        i += 1
        slice_rows.append(article(d, rng, i, n_sections, n_docs))
        pending += len(slice_rows[-1])
        if len(slice_rows) == SLICE:
            pending = 0
            for r in slice_rows:
                d.raw(r)
            slices += 1
            if slices % 25 == 1:  # a part appended twice
                for r in slice_rows:
                    d.raw(r)
            slice_rows = []
    for r in slice_rows:
        d.raw(r)
    # the last article re-exported after an edit (same key, different row)
    d.raw(article(d, random.Random(99), i, n_sections, n_docs))
    n_articles = i

    for a in range(1, n_authors + 1):
        d.raw(d.row("spip_auteurs", [
            ("id_auteur", a), ("nom", words(rng, 2)), ("bio", words(rng, 12)),
            ("email", f"CANARY-EMAIL-{a}@example.org"), ("nom_site", ""), ("url_site", ""),
            ("login", f"CANARY-LOGIN-{a}"), ("pass", "CANARY-PASS-5f4dcc3b5aa765d61d8327deb882cf99"),
            ("low_sec", "CANARY-LOWSEC"), ("statut", "1comite" if a > 1 else "0minirezo"),
            ("maj", "2006-12-12 15:30:00"), ("pgp", ""), ("htpass", "CANARY-HTPASS-$1$abc$xyz"),
            ("en_ligne", "2006-12-12 15:30:00"), ("imessage", "oui"), ("messagerie", "oui"),
            ("alea_actuel", "CANARY-ALEA-ACTUEL"), ("alea_futur", "CANARY-ALEA-FUTUR"),
            ("prefs", 'a:1:{s:7:"couleur";i:1;}'), ("cookie_oubli", "CANARY-COOKIE"),
            ("source", "spip"), ("lang", "fr"), ("idx", "oui"), ("url_propre", ""), ("extra", "")]))
    # brèves: saved without corriger_caracteres, so control characters stay
    n_breves = max(1, int(target * 0.08) // 700)
    for b in range(1, n_breves + 1):
        d.raw(d.row("spip_breves", [
            ("id_breve", b), ("date_heure", date(rng, b)), ("titre", words(rng, 5)),
            ("texte", words(rng, 60) + ("\x0b\x0c" if b % 4 == 0 else "") + " {{" + words(rng, 2) + "}}"),
            ("lien_titre", ""), ("lien_url", ""), ("statut", "publie"),
            ("id_rubrique", b % 4 + 1), ("lang", "fr"), ("langue_choisie", "non"),
            ("maj", "20061212153000"), ("idx", "oui"), ("extra", ""), ("url_propre", "")]))
    for m in range(1, 4):
        d.raw(d.row("spip_messages", [("id_message", m), ("titre", "CANARY-PRIVATE-TITLE"),
                                      ("texte", "CANARY-PRIVATE-MESSAGE"), ("type", "normal"),
                                      ("statut", "publie"), ("id_auteur", 1)]))
    for m in range(1, n_mots + 1):
        d.raw(d.row("spip_mots", [("id_mot", m), ("titre", words(rng, 2)), ("descriptif", ""),
                                  ("texte", ""), ("id_groupe", m % 3 + 1), ("type", "Thèmes"),
                                  ("extra", ""), ("idx", "oui"), ("url_propre", "")]))
    for g in range(1, 4):
        d.raw(d.row("spip_groupes_mots", [("id_groupe", g), ("titre", f"0{g}. " + words(rng, 2)),
                                          ("descriptif", ""), ("texte", ""), ("unseul", "non"),
                                          ("obligatoire", "non"), ("articles", "oui")]))
    for r in range(1, n_sections + 1):
        d.raw(d.row("spip_rubriques", [
            ("id_rubrique", r), ("id_parent", 0 if r <= 4 else r % 4 + 1),
            ("titre", f"{r:02d}. " + words(rng, 3)), ("descriptif", ""),
            ("texte", words(rng, 30) + ("\x1f" if r % 6 == 0 else "")), ("id_secteur", 1),
            ("maj", "20061212153000"), ("export", "oui"), ("id_import", 0), ("statut", "publie"),
            ("date", date(rng, r)), ("lang", "fr"), ("langue_choisie", "non"), ("idx", "oui"),
            ("extra", ""), ("url_propre", ""), ("statut_tmp", "publie"), ("date_tmp", date(rng, r))]))
    for doc in range(1, n_docs + 1):
        ext = ("pdf", "jpg", "doc")[doc % 3]
        d.raw(d.row("spip_documents", [
            ("id_document", doc), ("id_vignette", 0), ("id_type", doc % 3 + 1),
            ("titre", words(rng, 3) if doc % 4 else ""), ("date", date(rng, doc)),
            ("descriptif", words(rng, 10)), ("fichier", f"IMG/{ext}/document-{doc}.{ext}"),
            ("taille", doc * 1024), ("largeur", 640 if ext == "jpg" else 0),
            ("hauteur", 480 if ext == "jpg" else 0), ("mode", "document"), ("distant", "non"),
            ("idx", "oui"), ("maj", "20061212153000")]))
    for t, (ext, mime) in enumerate((("pdf", "application/pdf"), ("jpg", "image/jpeg"),
                                     ("doc", "application/msword")), 1):
        d.raw(d.row("spip_types_documents", [("id_type", t), ("titre", ext.upper()), ("descriptif", ""),
                                             ("extension", ext), ("mime_type", mime), ("inclus", "non"),
                                             ("upload", "oui")]))
    for s in range(1, 6):
        d.raw(d.row("spip_syndic", [("id_syndic", s), ("id_rubrique", s), ("nom_site", words(rng, 2)),
                                    ("url_site", f"http://www.example{s}.org/"), ("url_syndic", ""),
                                    ("descriptif", words(rng, 8)), ("syndication", "non"),
                                    ("statut", "publie"), ("date", date(rng, s))]))
    # forum: personal data (IP, e-mail) only with --keep-personal
    target_forum = target - 200000
    f = 0
    while d.size < target_forum:
        f += 1
        d.raw(d.row("spip_forum", [
            ("id_forum", f), ("id_parent", 0 if f % 3 == 1 or (f - 1) % 10 == 0 else f - 1), ("id_thread", f),
            ("id_rubrique", 0), ("id_article", f % n_articles + 1), ("id_breve", 0),
            ("date_heure", date(rng, f)), ("titre", words(rng, 4)), ("texte", words(rng, 40)),
            ("auteur", words(rng, 2)), ("email_auteur", f"CANARY-FORUM-{f}@example.net"),
            ("nom_site", ""), ("url_site", ""), ("statut", "publie" if f % 10 else "privrac"),
            ("idx", "oui"), ("ip", f"192.0.2.{f % 250}"), ("maj", "20061212153000"), ("id_auteur", 0)]))
    d.raw(d.row("spip_petitions", [("id_article", 1), ("email_unique", "oui"), ("site_obli", "non"),
                                   ("site_unique", "non"), ("message", "oui"), ("texte", words(rng, 20))]))
    for s in range(1, 11):
        d.raw(d.row("spip_signatures", [("id_signature", s), ("id_article", 1), ("date_time", date(rng, s)),
                                        ("nom_email", words(rng, 2)), ("ad_email", f"CANARY-SIGN-{s}@example.org"),
                                        ("nom_site", ""), ("url_site", ""), ("message", words(rng, 6)),
                                        ("statut", "publie" if s % 3 else "CANARY-CONFIRM-KEY")]))
    d.raw(d.row("spip_auteurs_rubriques", [("id_auteur", 1), ("id_rubrique", 1)]))
    d.raw(d.row("spip_auteurs_messages", [("id_auteur", 1), ("id_message", 1), ("vu", "oui")]))
    d.raw(d.row("spip_plugin_agenda", [("id_evenement", 1), ("titre", words(rng, 3))]))
    # revision history: serialized, zlib-compressed fragments (arbitrary bytes, NUL included)
    for v in range(1, 6):
        blob = zlib.compress(b'a:1:{i:1;s:20:"' + words(rng, 3).encode("utf-8") + b'";}') + b"\x00\x01"
        d.raw(d.row("spip_versions_fragments", [("id_article", v), ("id_fragment", 1), ("version_min", 1),
                                                ("version_max", 1), ("compress", 1),
                                                ("fragment", blob.replace(b"&", b"&amp;").replace(b"<", b"&lt;"))]))
    if "--cut" in sys.argv:
        d.raw(b"<spip_breves>\n<id_breve>999999</id_breve>\n<titre>Coup")
    else:
        d.raw(b"</SPIP>\n\n")


main()
