# mie-import of RSS and Atom feeds (SPIP's backend.php and an Atom feed).
. "$TOP/tests/lib.sh"
I="$BIN/mie-import"
F="$FIX/feed"

cp "$F/backend.xml" "$F/atom.xml" .
run "$I" backend.xml atom.xml; check_exit "feeds exit" 0
check_text "feeds summary: per input" 'mie-import: backend.xml: feed spip_articles: 1 read, 1 written, 0 rejected
mie-import: backend.xml: feed spip_breves: 1 read, 1 written, 0 rejected
mie-import: atom.xml: feed spip_articles: 1 read, 1 written, 0 rejected
mie-import: atom.xml: feed spip_breves: 1 read, 1 written, 0 rejected' err
cp out feeds.jsonl
run "$BIN/mie-validate" feeds.jsonl; check_exit "feeds valid" 0
check_jsonschema "feeds pass the JSON Schema" feeds.jsonl
check_nogrep "no script survives" "__pwned" feeds.jsonl
check_nogrep "no javascript: URL survives" "avascript" feeds.jsonl
jq -c '[.type, .id, .title, .date_published, .date_modified, .legacy.url, .provenance[0].format, .provenance[0].line]' feeds.jsonl > f
check_text "feed records" '["article","infomie.net:article:78","La scolarisation des mineurs isolés étrangers","2006-12-05T13:03:00Z",null,"http://www.infomie.net/spip.php?article78","feed",14]
["brief","infomie.net:brief:12","Journée d’étude & débat : l’accueil provisoire d’urgence","2007-03-14T09:30:00+01:00",null,"http://www.infomie.net/spip.php?breve12","feed",29]
["article","infomie.net:article:79","Circulaire du 12 mars 2007 sur l’accueil des élèves allophones","2007-03-14T10:00:00+01:00","2007-05-03T09:15:00+02:00","http://www.infomie.net/spip.php?page=article&id_article=79","feed",6]
["brief","infomie.net:brief:15","Brève : ouverture d’un dispositif à Lyon","2007-04-01T12:00:00Z",null,"http://www.infomie.net/breve15.html","feed",16]' f
jq -r 'select(.id=="infomie.net:article:78") | .text.plain' feeds.jsonl > t78
check_text "content:encoded is the text, sanitised" 'Tout mineur présent sur le territoire a droit à l’éducation.

Le principe

L’obligation scolaire s’applique jusqu’à 16 ans.

clic' t78
jq -r 'select(.id=="infomie.net:brief:15") | .text.plain' feeds.jsonl > t15
check_text "Atom text summary stays text" 'Un dispositif d’accueil <pour> les jeunes ouvre à Lyon.' t15

# --site decides the host; a link off the site is rejected; RSS 0.91 and 1.0
printf '<?xml version="1.0" encoding="ISO-8859-1"?>\n<rss version="0.91"><channel><title>x</title>\n<item><title>Caf\351 des mineurs</title><link>http://miroir.example/spip.php?article7</link><description>Texte</description></item>\n<item><title>Ailleurs</title><link>http://www.example.org/a.html</link></item>\n</channel></rss>\n' > old.rss
run "$I" --site http://www.infomie.net/ old.rss; check_exit "RSS 0.91 exit" 1
check_text "RSS 0.91 messages" 'mie-import: old.rss:4: items: the link names no article or brief of the site
mie-import: old.rss: feed spip_articles: 1 read, 1 written, 0 rejected
mie-import: old.rss: feed items: 1 read, 0 written, 1 rejected' err
jq -c '[.id, .title, .provenance[0].charset]' out > o
check_text "RSS 0.91 latin-1 record" '["infomie.net:article:7","Café des mineurs","iso-8859-1"]' o
printf '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">\n<channel rdf:about="http://www.infomie.net/"><title>InfoMIE</title></channel>\n<item rdf:about="http://www.infomie.net/spip.php?article80"><title>Tutelle</title><link>http://www.infomie.net/spip.php?article80</link><dc:date>2007-02-01</dc:date></item>\n</rdf:RDF>\n' > rss10.rdf
run "$I" rss10.rdf; check_exit "RSS 1.0 exit" 0
jq -c '[.id, .title, .date_published]' out > o
check_text "RSS 1.0 record" '["infomie.net:article:80","Tutelle","2007-02-01"]' o

# entities are never expanded, the network never used, a broken feed keeps its first items
printf '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "aaaa"><!ENTITY x SYSTEM "file:///etc/passwd">]>\n<rss version="2.0"><channel>\n<item><title>Titre &a; &x;</title><link>http://www.infomie.net/spip.php?article81</link></item>\n<item><title>Deux</title><link>http://www.infomie.net/spip.php?article82</link></item>\n<item><title>Cass\351</title>\n' > cut.rss
run "$I" cut.rss; check_exit "broken feed exit" 1
jq -c '[.id, .title]' out > o
check_text "broken feed: no expansion, first items kept" '["infomie.net:article:81","Titre"]
["infomie.net:article:82","Deux"]' o
check_nogrep "no file read through an entity" "root:" out
check_text "broken feed messages" 'mie-import: cut.rss:7: not well-formed XML (Premature end of data in tag item line 6): items after this point may be lost
mie-import: cut.rss:6: items: the link names no article or brief of the site
mie-import: cut.rss: feed spip_articles: 2 read, 2 written, 0 rejected
mie-import: cut.rss: feed items: 1 read, 0 written, 1 rejected' err
e='&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;'
printf '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "%s">]>\n<rss version="2.0"><channel>\n<item><title>&g;&g;&g;&g;&g;&g;&g;&g;</title><link>http://www.infomie.net/spip.php?article81</link></item>\n</channel></rss>\n' "$e" > laughs.rss
run timeout 10 "$I" laughs.rss; check_exit "billion laughs exit" 1
check_grep "billion laughs stopped" 'mie-import: laughs.rss:4: not well-formed XML (Detected an entity reference loop)' err

# ---- authors' names: they name no author record, so they stay as the feed says ----
jq -r '[.id, .extra.creator // "-"] | join(" ")' feeds.jsonl > cr
check_text "dc:creator kept in extra.creator" 'infomie.net:article:78 Équipe InfoMIE
infomie.net:brief:12 -
infomie.net:article:79 -
infomie.net:brief:15 -' cr
cat > authors.xml <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>InfoMIE</title>
<entry><title>Deux auteurs</title><link href="http://www.infomie.net/spip.php?article80"/>
<author><name>Claire Dubreuil</name><email>claire@example.org</email></author>
<author><name>Karim B&#233;lkacem</name></author>
<updated>2007-06-01T10:00:00Z</updated></entry>
</feed>
XML
run "$I" authors.xml; check_exit "Atom authors exit" 0
check_text "Atom author names joined, emails left out" '"Claire Dubreuil, Karim Bélkacem"' "$(jq -c .extra.creator out > ac; echo ac)"
check_nogrep "Atom author emails left out" "claire@example.org" out
