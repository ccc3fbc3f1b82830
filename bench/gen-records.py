#!/usr/bin/env python3
"""Synthetic interchange records (JSON Lines) for benchmarks: realistic French
article-like records of about 1.5 KB.  Usage: gen-records.py MEGABYTES > out.jsonl"""
import json
import random
import sys

WORDS = ("mineur isolé étranger accès à l’éducation protection de l’enfance "
         "département aide sociale circulaire tribunal pour enfants juge "
         "évaluation minorité hébergement scolarisation droit d’asile "
         "association accueil préfecture titre de séjour majorité santé").split()


def text(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def main():
    target = int(sys.argv[1]) << 20
    rng = random.Random(42)
    out = sys.stdout
    size = 0
    i = 0
    sections = 40
    for s in range(1, sections + 1):
        line = json.dumps({"type": "section", "id": f"infomie.net:section:{s}",
                           "title": text(rng, 3).capitalize()}, ensure_ascii=False) + "\n"
        out.write(line)
        size += len(line.encode())
    while size < target:
        i += 1
        plain = text(rng, 120)
        rec = {
            "type": "article", "id": f"infomie.net:article:{i}",
            "title": text(rng, 8).capitalize(), "lang": "fr", "status": "publie",
            "date_published": f"20{rng.randint(6, 19):02d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T10:00:00",
            "section": f"infomie.net:section:{rng.randint(1, sections)}",
            "section_path": ["Accueil", text(rng, 2)],
            "text": {"spip": "{{" + plain + "}}", "plain": plain},
            "legacy": {"site": "infomie.net", "table": "spip_articles", "id": str(i),
                       "url": f"http://www.infomie.net/spip.php?article{i}"},
            "provenance": [{"format": "spip-dump", "file": "dump.xml", "line": i * 30,
                            "charset": "iso-8859-1"}],
        }
        line = json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n"
        out.write(line)
        size += len(line.encode())


main()
