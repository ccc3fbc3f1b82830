#!/usr/bin/env python3
"""bench/gen-web.py — synthetic inputs for bench/web.sh (French, made up).

  gen-web.py pages N OUT.zip   a zipped wget-style mirror of N SPIP 1.9 article pages
  gen-web.py csv ROWS          a ';'-separated directory of organisations on stdout
"""
import random
import sys
import zipfile

WORDS = ("mineur isolé étranger accueil protection enfance juge tutelle département "
         "scolarisation hébergement éducateur association foyer droit asile titre séjour "
         "majorité évaluation mise à l’abri circulaire préfecture santé formation").split()
MONTHS = ("janvier février mars avril mai juin juillet août septembre octobre "
          "novembre décembre").split()


def phrase(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def page(rng, i):
    title = phrase(rng, 6).capitalize()
    d = f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(2006, 2012)}"
    paras = "\n".join(f"<p>{phrase(rng, 40).capitalize()}.</p>" for _ in range(rng.randint(3, 8)))
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" dir="ltr" lang="fr">
<head>
<title>{title} - InfoMIE</title>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta name="generator" content="SPIP 1.9.1" />
</head>
<body class="page_article">
<div id="page">
<div id="entete"><a href="http://www.infomie.net/"><span id="nom_site_spip">InfoMIE</span></a></div>
<div id="hierarchie"><a href="http://www.infomie.net/">Accueil du site</a> &gt; <a href="spip.php?rubrique2">Droits et proc&eacute;dures</a> &gt; <a href="spip.php?rubrique{i % 40 + 3}">Rubrique {i % 40 + 3}</a> &gt; {title}</div>
<div id="conteneur"><div id="contenu">
<div class="cartouche">
<h1 class="titre">{title}</h1>
<p><small>{d}, par <a href="spip.php?auteur1">Claire Dubreuil</a></small></p>
</div>
<div class="chapo"><p>{phrase(rng, 20).capitalize()}.</p></div>
<div class="texte">{paras}</div>
</div></div>
<div id="pied"><a href="spip.php?page=backend">RSS 2.0</a> | <a href="spip.php?page=plan">Plan du site</a></div>
</div>
</body>
</html>
"""


def main():
    rng = random.Random(78)
    if sys.argv[1] == "pages":
        n = int(sys.argv[2])
        with zipfile.ZipFile(sys.argv[3], "w", zipfile.ZIP_DEFLATED) as z:
            for i in range(1, n + 1):
                z.writestr(f"mirror/www.infomie.net/article{i}.html", page(rng, i))
    else:
        out = sys.stdout
        out.write("Nom;Type;Adresse;Code postal;Ville;Téléphone;Courriel;Site\r\n")
        for i in range(1, int(sys.argv[2]) + 1):
            out.write(f"\"Association {phrase(rng, 2)} n°{i}\";Association;"
                      f"{rng.randint(1, 200)} rue de la République;{rng.randint(10, 95)}000;"
                      f"Ville {i % 500};01 {rng.randint(10, 99)} {rng.randint(10, 99)} 00 00;"
                      f"contact{i}@example.org;http://www.example.org/{i}\r\n")


main()
