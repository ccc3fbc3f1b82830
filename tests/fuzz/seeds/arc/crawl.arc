filedesc://essai.arc 192.0.2.7 20070611090000 text/plain 76
1 0 Archive de test
URL IP-address Archive-date Content-type Archive-length

http://www.infomie.net/spip.php?article7 192.0.2.7 20070611093512 text/html 312
HTTP/1.0 200 OK
Content-Type: text/html
Transfer-Encoding: chunked

<html><head><meta charset="iso-8859-1"><title>L'accueil d'urgence - Mineurs isolés</title></head>
<body class="page_article"><h1 class="titre">L'accueil d'urgence</h1><div class="texte"><p>Le jeune est mis à l'abri.</p></div></body></html>

http://www.infomie.net/spip.php?breve3 192.0.2.7 20070611093600 text/html 200 - - 0 essai.arc 312
HTTP/1.0 200 OK
Content-Type: text/html
Transfer-Encoding: chunked

<html><head><meta charset="iso-8859-1"><title>L'accueil d'urgence - Mineurs isolés</title></head>
<body class="page_article"><h1 class="titre">L'accueil d'urgence</h1><div class="texte"><p>Le jeune est mis à l'abri.</p></div></body></html>

