#!/usr/bin/env python3
"""Synthetic interchange records with known duplicates, for bench/dedup.sh.

Usage: gen-dedup.py exact N > out.jsonl   N short briefs, ~10% republished
                                          (same text, other id) and ~5% with
                                          the same id from a second source
       gen-dedup.py short N > out.jsonl   the same with shorter texts
       gen-dedup.py near N > out.jsonl    N articles of ~250 words, ~20% of
                                          them edited copies of another

Deterministic (fixed seed): the same arguments give the same bytes."""
import json
import random
import sys

WORDS = ("mineur isolé étranger accès à l’éducation protection de l’enfance "
         "département aide sociale circulaire tribunal pour enfants juge "
         "évaluation minorité hébergement scolarisation droit d’asile "
         "association accueil préfecture titre de séjour majorité santé "
         "conseil départemental placement recours décision cour appel "
         "ordonnance audience avocat tuteur parquet jeune arrivée France "
         "formation apprentissage contrat jeune majeur allocation examen "
         "osseux état civil acte naissance document identité frontière "
         "zone attente interpellation plateforme mise abri orientation "
         "répartition nationale clé cellule ministère justice intérieur").split()


def words(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def dump(rec):
    sys.stdout.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")


def exact(n, text_words=30, title_words=6):
    rng = random.Random(5)
    made = []
    for i in range(1, n + 1):
        r = rng.random()
        if made and r < 0.10:
            src = rng.choice(made)
            rec = dict(src, id=f"infomie.net:brief:{i}",
                       section_path=["Accueil", "Archives"],
                       legacy={"site": "infomie.net", "table": "spip_breves", "id": str(i),
                               "url": f"http://www.infomie.net/spip.php?breve{i}"})
        elif made and r < 0.15:
            rec = dict(rng.choice(made))
            rec["provenance"] = [{"format": "html", "file": "miroir/breve.html"}]
        else:
            plain = words(rng, text_words).capitalize() + "."
            rec = {"type": "brief", "id": f"infomie.net:brief:{i}",
                   "title": words(rng, title_words).capitalize(), "lang": "fr",
                   "date_published": f"20{rng.randint(6, 19):02d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                   "text": {"plain": plain},
                   "legacy": {"site": "infomie.net", "table": "spip_breves", "id": str(i),
                              "url": f"http://www.infomie.net/spip.php?breve{i}"},
                   "provenance": [{"format": "spip-xml", "file": "dump.xml"}]}
            if len(made) < 50000:
                made.append(rec)
            else:
                made[rng.randrange(len(made))] = rec
        dump(rec)


def edit(rng, text):
    w = text.split(" ")
    for _ in range(max(1, len(w) // 60)):
        k = rng.randrange(len(w))
        w[k] = rng.choice(WORDS)
    return " ".join(w)


def near(n):
    rng = random.Random(7)
    made = []
    for i in range(1, n + 1):
        if made and rng.random() < 0.20:
            src = rng.choice(made)
            plain = edit(rng, src["text"]["plain"])
            title = src["title"]
        else:
            plain = words(rng, 250).capitalize() + "."
            title = words(rng, 7).capitalize()
        rec = {"type": "article", "id": f"infomie.net:article:{i}", "title": title,
               "text": {"plain": plain},
               "provenance": [{"format": "spip-xml", "file": "dump.xml"}]}
        if len(made) < 20000:
            made.append(rec)
        dump(rec)


def short(n):
    """The same mix as exact, with texts of 12 words and titles of 4 (about
    430 bytes a record, as the short records of issue 15)."""
    exact(n, 12, 4)


if __name__ == "__main__":
    {"exact": exact, "near": near, "short": short}[sys.argv[1]](int(sys.argv[2]))
