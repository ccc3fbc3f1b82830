#!/bin/sh
# tests/deps.sh build|test — installs what is missing on a Debian 12 machine:
#   build: the compiler and the -dev packages pkg-config cannot find;
#   test:  that, plus the independent checkers the tests use (xmllint, ajv
#          from npm into build/npm, python3, bsdtar, wget, jq, miller, and
#          MariaDB's server and client for the SQL dump tests, valgrind for
#          .ci/run), chromium, tidy and hugo for the html archive, GNU parallel for
#          the batch test.
# A no-op when everything is there.  Needs root (or sudo) only to install.
mode=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
missing=""

need() { # debian-package test-command...
	pkg=$1
	shift
	"$@" >/dev/null 2>&1 || missing="$missing $pkg"
}
have() { command -v "$1"; }
pc() { pkg-config --exists "$1"; }

need make have make
need gcc have cc
need pkg-config have pkg-config
need libjansson-dev pc jansson
need libxml2-dev pc libxml-2.0
need libarchive-dev pc libarchive
need libutf8proc-dev pc libutf8proc
need libsqlite3-dev pc sqlite3
need libssl-dev pc libcrypto
need libcsv-dev test -f /usr/include/csv.h
need zlib1g-dev pc zlib
need libgoogle-perftools-dev pc libtcmalloc_minimal
if [ "$mode" = test ]; then
	need libxml2-utils have xmllint
	need jq have jq
	need miller have mlr
	need libarchive-tools have bsdtar
	need wget have wget
	need python3 have python3
	need time test -x /usr/bin/time
	need xz-utils have xz
	need bzip2 have bzip2
	need bsdutils have script
	need nodejs have node
	need npm have npm
	need clang have clang
	need clang-format have clang-format
	need mariadb-server test -x /usr/sbin/mariadbd
	need mariadb-client have mysqldump
	need sqlite3 have sqlite3
	need libreoffice-calc-nogui have soffice
	need chromium have chromium
	need tidy have tidy
	need hugo have hugo
	need zip have zip
	need unzip have unzip
	need valgrind have valgrind
	need hugo have hugo
	need jekyll have jekyll
	need nginx-light test -x /usr/sbin/nginx
	need apache2 test -x /usr/sbin/apache2
	need curl have curl
	need parallel have parallel
fi

if [ -n "$missing" ]; then
	echo "deps: installing:$missing"
	sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq && $sudo apt-get install -y -qq $missing >/dev/null || {
		echo "deps: could not install:$missing" >&2
		exit 2
	}
fi

if [ "$mode" = test ] && [ ! -x "$top/build/npm/node_modules/.bin/ajv" ]; then
	echo "deps: installing ajv-cli (JSON Schema validator) into build/npm"
	mkdir -p "$top/build/npm"
	(cd "$top/build/npm" && npm install --silent --no-audit --no-fund --prefix . \
		ajv-cli@5 ajv-formats@2 >/dev/null) || {
		echo "deps: npm install ajv-cli failed" >&2
		exit 2
	}
fi
exit 0
