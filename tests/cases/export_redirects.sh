# mie-export --to redirects (issue 13): nginx and Apache httpd, each
# started here on 127.0.0.1 (free ports, private configuration, http and
# https) with the generated map included, answer every legacy address of
# the sample (every form of every record, with and without www.) with a
# 301 to the page Hugo built for that record, and a 404 for an address not
# in the map.  The expected addresses come from the rule restated here in
# Python, not from the tool.
. "$TOP/tests/lib.sh"
E="$BIN/mie-export"
BASE=https://archive.example.org/

"$BIN/mie-import" -q -o imported.jsonl "$TOP/examples/infomie-export-2006.zip"
"$BIN/mie-dedup" -q --mode merge --merge-methods identity,exact,near -o sample.jsonl imported.jsonl
"$E" -q --to markdown --files-root "$TOP/examples/files" -o site sample.jsonl
(cd site && hugo) > hugo.log 2>&1 || fail "hugo builds the site" "$(tail -5 hugo.log)"

# the maps are read by the servers' workers (nobody, when run as root):
# they live in a folder anyone can read, removed at the end
PUB=$(mktemp -d /tmp/mie-redirects.XXXXXX) && chmod 755 "$PUB"
trap 'rm -rf "$PUB"' EXIT
ln -s "$PUB/r" r
run "$E" -q --to redirects --for hugo --base "$BASE" -o "$PUB/r" sample.jsonl
check_exit "redirects: exit" 0
for f in redirects.map redirects.txt nginx.conf apache.conf; do
	if [ -s "r/$f" ]; then pass "redirects: $f written"; else fail "redirects: $f written" "$(ls r)"; fi
done
check_grep "nginx map: the form of the map" \
	'"www.infomie.net/spip.php?article78" "https://archive.example.org/droits-et-procedures/acces-a-l-education/78-la-scolarisation-des-mineurs-isoles-etrangers/";' r/redirects.map
check_grep "apache map: a merged article leads to the record it is in" \
	'infomie.net/article81.html https://archive.example.org/droits-et-procedures/acces-a-l-education/78-la-scolarisation-des-mineurs-isoles-etrangers/' r/redirects.txt

# every legacy address of the sample: HOST PATH ID (the record shown there)
python3 - sample.jsonl > expected.txt <<'PY'
import json, sys, urllib.parse
words = {"article": "article", "section": "rubrique", "brief": "breve", "author": "auteur",
         "keyword": "mot"}
tables = {"spip_articles": "article", "spip_rubriques": "rubrique", "spip_breves": "breve",
          "spip_auteurs": "auteur", "spip_mots": "mot"}
def forms(w, n):
    return ["spip.php?%s%s" % (w, n), "%s%s.html" % (w, n),
            "spip.php?page=%s&id_%s=%s" % (w, w, n), "%s.php3?id_%s=%s" % (w, w, n)]
for line in open(sys.argv[1]):
    r = json.loads(line)
    w, leg = words.get(r["type"]), r.get("legacy", {})
    paths = []
    if w and leg.get("id", "").isdigit():
        paths += forms(w, leg["id"])
    if r["type"] == "document" and r.get("file"):
        paths.append(r["file"])
    for v in r.get("variants", {}).get("legacy", []):
        if v.get("table") in tables:
            paths += forms(tables[v["table"]], v["id"])
    host = leg.get("site") or r["id"].split(":")[0]
    for p in dict.fromkeys(paths):
        for h in (host, "www." + host):
            print(h, urllib.parse.quote(p, safe="/?=&:;,+$!*'()@~-._"), r["id"])
PY
check_eq "the sample has legacy addresses" yes "$([ "$(wc -l < expected.txt)" -gt 40 ] && echo yes)"
missing=$(while read -r h p id; do grep -qF "$h/$p " r/redirects.txt || echo "$h/$p"; done < expected.txt)
check_eq "every legacy address is in the map" "" "$missing"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=infomie.net -days 2 \
	-keyout key.pem -out cert.pem > /dev/null 2>&1

# ask SCHEME PORT: one line per expected address, "CODE LOCATION"
ask() {
	: > urls.cfg
	while read -r h p id; do
		printf 'url = "%s://%s:%s/%s"\noutput = "/dev/null"\n' "$1" "$h" "$2" "$p" >> urls.cfg
	done < expected.txt
	curl -s -g -k --resolve "infomie.net:$2:127.0.0.1" --resolve "www.infomie.net:$2:127.0.0.1" \
		-w '%{http_code} %{redirect_url}\n' -K urls.cfg
}
# check_answers SERVER SCHEME PORT: each answer is a 301 to the record's page
check_answers() {
	ask "$2" "$3" > answers.txt
	bad=$(paste -d ' ' expected.txt answers.txt | while read -r h p id code loc; do
		rel=${loc#"$BASE"}
		case $code:$loc in
		301:"$BASE"*) ;;
		*) echo "$h/$p: $code $loc"; continue ;;
		esac
		case $id in
		*:document:*) [ -f "site/public/$(printf '%b' "$(echo "$rel" | sed 's/%/\\x/g')")" ] || echo "$h/$p: $rel: no such file" ;;
		*) grep -qF "data-mie-id=\"$id\"" "site/public/${rel}index.html" 2>/dev/null ||
			echo "$h/$p: $rel: not the page of $id" ;;
		esac
	done)
	check_eq "$1 $2: every legacy address answers 301 to its record's page ($(wc -l < expected.txt))" "" "$bad"
	code=$(curl -s -k -o /dev/null -w '%{http_code}' --resolve "www.infomie.net:$3:127.0.0.1" \
		"$2://www.infomie.net:$3/spip.php?article99999")
	check_eq "$1 $2: an address not in the map is 404" 404 "$code"
	code=$(curl -s -k -o /dev/null -w '%{http_code}' --resolve "www.infomie.net:$3:127.0.0.1" \
		"$2://www.infomie.net:$3/article78.html?x=1")
	check_eq "$1 $2: another query is not in the map either" 404 "$code"
}

# ---- nginx ----
NP=$(free_port) NS=$(free_port)
mkdir -p ng/tmp
cat > ng/nginx.conf <<CONF
worker_processes 1;
pid $PWD/ng/nginx.pid;
error_log $PWD/ng/error.log;
events { worker_connections 64; }
http {
	access_log off;
	client_body_temp_path $PWD/ng/tmp/body;
	proxy_temp_path $PWD/ng/tmp/proxy;
	fastcgi_temp_path $PWD/ng/tmp/fastcgi;
	uwsgi_temp_path $PWD/ng/tmp/uwsgi;
	scgi_temp_path $PWD/ng/tmp/scgi;
	include $PUB/r/nginx.conf;
	server {
		listen 127.0.0.1:$NP;
		listen 127.0.0.1:$NS ssl;
		ssl_certificate $PWD/cert.pem;
		ssl_certificate_key $PWD/key.pem;
		if (\$legacy_redirect) { return 301 \$legacy_redirect; }
		location / { return 404; }
	}
}
CONF
if /usr/sbin/nginx -p "$PWD/ng" -c "$PWD/ng/nginx.conf" -e "$PWD/ng/error.log" > ng/start.log 2>&1; then
	pass "nginx starts with the map included"
	check_answers nginx http "$NP"
	check_answers nginx https "$NS"
	kill "$(cat ng/nginx.pid)"
else
	fail "nginx starts with the map included" "$(cat ng/start.log ng/error.log | head -5)"
fi

# ---- Apache httpd ----
AP=$(free_port) AS=$(free_port)
M=/usr/lib/apache2/modules
mkdir -p ap "$PUB/www"
cat > ap/httpd.conf <<CONF
ServerRoot "$PWD/ap"
ServerName localhost
Listen 127.0.0.1:$AP
Listen 127.0.0.1:$AS https
PidFile "$PWD/ap/httpd.pid"
DefaultRuntimeDir "$PWD/ap"
ErrorLog "$PWD/ap/error.log"
LoadModule mpm_event_module $M/mod_mpm_event.so
LoadModule authz_core_module $M/mod_authz_core.so
LoadModule rewrite_module $M/mod_rewrite.so
LoadModule socache_shmcb_module $M/mod_socache_shmcb.so
LoadModule ssl_module $M/mod_ssl.so
User nobody
Group nogroup
DocumentRoot "$PUB/www"
<Directory />
	AllowOverride None
</Directory>
<Directory "$PUB/www">
	Require all granted
</Directory>
<VirtualHost 127.0.0.1:$AP>
	Include "$PUB/r/apache.conf"
</VirtualHost>
<VirtualHost 127.0.0.1:$AS>
	SSLEngine on
	SSLCertificateFile "$PWD/cert.pem"
	SSLCertificateKeyFile "$PWD/key.pem"
	Include "$PUB/r/apache.conf"
</VirtualHost>
CONF
if /usr/sbin/apache2 -f "$PWD/ap/httpd.conf" -k start > ap/start.log 2>&1; then
	pass "apache2 starts with the map included"
	i=0
	while [ ! -s ap/httpd.pid ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	check_answers apache http "$AP"
	check_answers apache https "$AS"
	/usr/sbin/apache2 -f "$PWD/ap/httpd.conf" -k stop > /dev/null 2>&1
else
	fail "apache2 starts with the map included" "$(cat ap/start.log ap/error.log | head -5)"
fi

# ---- the other layouts ----
run "$E" -q --to redirects --for jekyll -o rj sample.jsonl
check_exit "--for jekyll: exit" 0
"$E" -q --to markdown --layout jekyll --files-root "$TOP/examples/files" -o js sample.jsonl
(cd js && jekyll build) > jekyll.log 2>&1
bad=$(while read -r k t; do
	t=$(printf '%b' "$(echo "${t#/}" | sed 's/%/\\x/g')")
	[ -f "js/_site/$t" ] || [ -f "js/_site/${t}index.html" ] || echo "$k -> $t"
done < rj/redirects.txt)
check_eq "--for jekyll: every target is a page or file Jekyll built" "" "$bad"
run "$E" -q --to redirects --for html -o rh sample.jsonl
check_exit "--for html: exit" 0
check_grep "--for html: the html layout's paths" 'www.infomie.net/spip.php?rubrique3 /section/3.html' rh/redirects.txt
check_grep "--for html: documents under files/" 'infomie.net/IMG/pdf/guide-inscription.pdf /files/IMG/pdf/guide-inscription.pdf' rh/redirects.txt

# with the html writer (issue 13's --to html, when it is in the tree): every
# target of --for html is a file of the offline archive
if "$E" --help | grep -q '^ *--to FORMAT .* html '; then
	"$E" -q --to html --files-root "$TOP/examples/files" -o html sample.jsonl
	bad=$(while read -r k t; do
		t=$(printf '%b' "$(echo "${t#/}" | sed 's/%/\\x/g')")
		[ -f "html/$t" ] || echo "$k -> $t"
	done < rh/redirects.txt)
	check_eq "--for html: every target is a file of the offline archive" "" "$bad"
fi

# ---- usage ----
run "$E" --to redirects --for wordpress -o x sample.jsonl
check_exit "unknown layout: exit 2" 2
check_text "unknown layout: message" 'mie-export: --for: "wordpress": not html, hugo or jekyll' err
run "$E" --to redirects --base 'http://a b/' -o x sample.jsonl
check_exit "a base a configuration cannot hold: exit 2" 2
check_text "a base a configuration cannot hold: message" 'mie-export: --base: "http://a b/": not a URL a server configuration can hold' err
run "$E" --to redirects sample.jsonl
check_exit "no -o: exit 2" 2
check_text "no -o: message" "mie-export: --to redirects needs -o DIR" err
