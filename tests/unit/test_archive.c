/* The walker: folders, archives, nested archives, hostile members, bombs.
 * Archives are built by the test with python3's zipfile and tarfile. */
#include <stdlib.h>

#include "io/mie_archive.h"
#include "io/mie_path.h"
#include "mie_test.h"

static int collect(void *ctx, mie_input *in, const mie_loc *where)
{
	mie_buf *b = ctx;
	char buf[4096];
	ssize_t n, total = 0;
	while ((n = mie_input_read(in, buf, sizeof buf)) > 0)
		total += n;
	mie_buf_addf(b, "%s|%s|%zd\n", where->file, where->member ? where->member : "-", total);
	return 0;
}

static int sh(const char *cmd)
{
	return system(cmd);
}

TEST(walk_nested_archives_and_plain_streams)
{
	CHECK_INT(sh("python3 - <<'PY'\n"
	             "import gzip, io, tarfile, zipfile\n"
	             "inner = io.BytesIO()\n"
	             "with zipfile.ZipFile(inner, 'w') as z:\n"
	             "    z.writestr('été/article78.html', b'<html>x</html>')\n"
	             "with zipfile.ZipFile('outer.zip', 'w', zipfile.ZIP_DEFLATED) as z:\n"
	             "    z.writestr('site/mirror.zip', inner.getvalue())\n"
	             "    z.writestr('dump.xml.gz', gzip.compress(b'<SPIP>' * 10) + "
	             "gzip.compress(b'</SPIP>'))\n"
	             "    z.writestr('annuaire.csv', b'Nom;Ville\\r\\n')\n"
	             "    z.writestr('vide.txt', b'')\n"
	             "PY"),
	          0);
	mie_buf got = MIE_BUF_INIT;
	mie_walk_options opt = {0};
	CHECK_INT(mie_walk("outer.zip", &opt, collect, &got), 0);
	CHECK_STR(got.data, "outer.zip|site/mirror.zip!été/article78.html|14\n"
	                    "outer.zip|dump.xml.gz|67\n"
	                    "outer.zip|annuaire.csv|11\n"
	                    "outer.zip|vide.txt|0\n");
	mie_buf_release(&got);
}

TEST(walk_refuses_hostile_members)
{
	CHECK_INT(sh("python3 - <<'PY'\n"
	             "import io, tarfile\n"
	             "with tarfile.open('bad.tar', 'w') as t:\n"
	             "    def add(name, data=b'x', kind=tarfile.REGTYPE, link=''):\n"
	             "        i = tarfile.TarInfo(name); i.type = kind; i.linkname = link\n"
	             "        i.size = len(data) if kind == tarfile.REGTYPE else 0\n"
	             "        t.addfile(i, io.BytesIO(data) if kind == tarfile.REGTYPE else None)\n"
	             "    add('../../evil.txt'); add('/etc/cron.d/x'); add('l', "
	             "kind=tarfile.SYMTYPE, link='/etc/passwd')\n"
	             "    add('h', kind=tarfile.LNKTYPE, link='../../etc/shadow'); add('p', "
	             "kind=tarfile.FIFOTYPE)\n"
	             "    add('ok.txt', b'bon')\n"
	             "PY"),
	          0);
	mie_buf got = MIE_BUF_INIT;
	mie_walk_options opt = {0};
	CHECK_INT(mie_walk("bad.tar", &opt, collect, &got), 0);
	CHECK_STR(got.data, "bad.tar|ok.txt|3\n");
	CHECK_INT(mie_exit_status(), MIE_EXIT_DATA);
	mie_buf_release(&got);
}

TEST(walk_stops_a_bomb_and_reads_the_next_member)
{
	CHECK_INT(sh("python3 -c \"import zipfile; z = zipfile.ZipFile('bomb.zip', 'w', "
	             "zipfile.ZIP_DEFLATED); z.writestr('zeros.bin', b'A' * (64 << 20)); "
	             "z.writestr('after.txt', b'ok'); z.close()\""),
	          0);
	mie_buf got = MIE_BUF_INIT;
	mie_walk_options opt = {0, 100, 0};
	mie_walk("bomb.zip", &opt, collect, &got);
	/* the bomb is cut early (a few blocks past the 100:1 ratio, counted
	 * once), and the zip's next member is still read */
	CHECK(strstr(got.data, "bomb.zip|zeros.bin|") != NULL);
	CHECK(atol(strstr(got.data, "bomb.zip|zeros.bin|") + 19) < (8 << 20));
	CHECK(strstr(got.data, "bomb.zip|after.txt|2\n") != NULL);
	CHECK_INT(mie_exit_status(), MIE_EXIT_FATAL);
	mie_buf_release(&got);
}

TEST(path_relative_to_the_working_folder)
{
	static const char *const cases[][3] = {
	        {"/srv/mie/a/b.zip", "/srv/mie", "a/b.zip"},
	        {"/srv/mie/b.zip", "/srv/mie", "b.zip"},
	        {"/srv/a/b.zip", "/srv/c/d", "../../a/b.zip"},
	        {"/srv/mie", "/srv/mie", "."},
	        {"/srv/mie/./x//y/../b.zip", "/srv/mie", "x/b.zip"},
	        {"/b.zip", "/", "b.zip"},
	        {"./b.zip", "/srv", "b.zip"},
	        {"x/../../b.zip", "/srv", "../b.zip"},
	        {"exports/2006/", "/srv", "exports/2006"},
	        {"", "/srv", "."},
	        {"été/b.zip", "/srv", "été/b.zip"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		mie_buf b = MIE_BUF_INIT;
		mie_path_relative(&b, cases[i][0], cases[i][1]);
		CHECK_STR(b.data, cases[i][2]);
		mie_buf_release(&b);
	}
}
