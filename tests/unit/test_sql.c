/* test_sql.c — the SQL dump lexer (mie_sql.h) on dumps held in memory:
 * every row as one line of text, messages captured, exact. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/mie_sql.h"
#include "mie_test.h"

/* Lexes `sql` and returns every row as "table:line:index name=value..."
 * lines (values escaped: \xNN for bytes outside printable ASCII; kind
 * after a '/': s string, b bytes, n number, 0 null; charset after '@' for
 * strings), bad rows as "BAD table:line:index why", then "cut" when the
 * input was cut, then the messages.  Caller frees. */
static char *lex(const char *sql, size_t n)
{
	mie_buf out = MIE_BUF_INIT, msgs = MIE_BUF_INIT;
	mie_sql_schema schema;
	mie_sql_schema_init(&schema);
	mie_input *in = mie_input_open_memory(sql, n, "d.sql");
	mie_loc where = {"d.sql", NULL, 0};
	mie_sql *s = mie_sql_new(in, &where, &schema);
	mie_sql_row row;
	int r;
	mie_err_capture(&msgs);
	while ((r = mie_sql_next(s, &row)) > 0) {
		if (r == MIE_SQL_BAD_ROW) {
			mie_buf_addf(&out, "BAD %s:%ld:%ld %s\n", row.table, row.line, row.index,
			             row.why);
			continue;
		}
		mie_buf_addf(&out, "%s:%ld:%ld", row.table, row.line, row.index);
		for (size_t i = 0; i < row.n; i++) {
			const mie_sql_value *v = &row.values[i];
			mie_buf_addf(&out, " %s=", row.names[i]);
			for (size_t k = 0; k < v->len; k++) {
				unsigned char c = (unsigned char)v->data[k];
				if (c >= 0x20 && c < 0x7F && c != '\\')
					mie_buf_addc(&out, c);
				else
					mie_buf_addf(&out, "\\x%02x", c);
			}
			mie_buf_addf(&out, "/%c",
			             "sbn0"[v->kind == MIE_SQL_STRING   ? 0
			                    : v->kind == MIE_SQL_BYTES  ? 1
			                    : v->kind == MIE_SQL_NUMBER ? 2
			                                                : 3]);
			if (v->kind == MIE_SQL_STRING)
				mie_buf_addf(&out, "@%s", v->charset ? v->charset : "-");
			if (v->decl)
				mie_buf_addf(&out, "[%s%s%s]",
				             v->decl->type == MIE_SQL_TEXT   ? "text"
				             : v->decl->type == MIE_SQL_BLOB ? "blob"
				                                             : "other",
				             v->decl->charset[0] ? " " : "", v->decl->charset);
		}
		mie_buf_addc(&out, '\n');
	}
	mie_err_capture(NULL);
	if (r < 0)
		mie_buf_adds(&out, "ERROR\n");
	if (mie_sql_cut(s))
		mie_buf_adds(&out, "cut\n");
	mie_buf_add(&out, msgs.data, msgs.len);
	mie_sql_free(&s);
	mie_input_free(in);
	mie_sql_schema_release(&schema);
	mie_buf_release(&msgs);
	return mie_buf_detach(&out, NULL);
}

#define LEX_CHECK(sql, want)                                                                       \
	do {                                                                                       \
		char *got_ = lex(sql, sizeof sql - 1);                                             \
		int same_ = strcmp(got_, want) == 0;                                               \
		if (!same_)                                                                        \
			mie_test_fail(__FILE__, __LINE__, "got:\n%s\nwant:\n%s", got_, want);      \
		free(got_);                                                                        \
		if (!same_)                                                                        \
			return;                                                                    \
	} while (0)

TEST(sql_mysqldump_extended)
{
	LEX_CHECK("/*M!999999\\- enable the sandbox mode */ \n"
	          "-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB\n"
	          "/*!40101 SET NAMES utf8mb4 */;\n"
	          "/*!40101 SET @saved_cs_client     = @@character_set_client */;\n"
	          "/*!40101 SET character_set_client = utf8 */;\n"
	          "CREATE TABLE `a` (\n  `id` bigint(21) NOT NULL AUTO_INCREMENT,\n"
	          "  `titre` text NOT NULL,\n  `texte` longblob DEFAULT NULL,\n"
	          "  `u` varchar(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci DEFAULT "
	          "NULL,\n  `e` enum('a','b'),\n  PRIMARY KEY (`id`),\n  KEY `x` (`titre`(10))\n"
	          ") ENGINE=InnoDB AUTO_INCREMENT=3 DEFAULT CHARSET=latin1 "
	          "COLLATE=latin1_swedish_ci;\n"
	          "/*!40101 SET character_set_client = @saved_cs_client */;\n"
	          "LOCK TABLES `a` WRITE;\n/*!40000 ALTER TABLE `a` DISABLE KEYS */;\n"
	          "INSERT INTO `a` VALUES\n"
	          "(1,'L\\'Ã©tÃ© \\\"x\\\" \\\\ back\\nnl','blob\\0nul\\Z','ok','a'),\n"
	          "(2,'it''s',NULL,NULL,'b');\n"
	          "UNLOCK TABLES;\n-- Dump completed on 2026-12-02  0:00:58\n",
	          "a:18:1 id=1/n[other] titre=L'\\xc3\\xa9t\\xc3\\xa9 \"x\" \\x5c "
	          "back\\x0anl/s@latin1[text latin1] texte=blob\\x00nul\\x1a/s@utf8mb4[blob] "
	          "u=ok/s@utf8mb4[text utf8mb4] e=a/s@latin1[text latin1]\n"
	          "a:18:2 id=2/n[other] titre=it's/s@latin1[text latin1] texte=/0[blob] "
	          "u=/0[text utf8mb4] e=b/s@latin1[text latin1]\n");
}

TEST(sql_literals)
{
	LEX_CHECK("INSERT INTO t (a,b,c,d,e,f,g,h) VALUES (0x4142, X'43', _binary 'x\\%y', "
	          "b'0100000101', -1.5e-3, TRUE, 'con' \"cat\", N'n'),"
	          "(_latin1'\\q', 0x0, 0b1, +7, FALSE, NULL, '', \"a\"\"b\");",
	          "t:1:1 a=AB/b b=C/b c=x\\x5c%y/b d=\\x01\\x05/b e=-1.5e-3/n f=1/n "
	          "g=concat/s@latin1 "
	          "h=n/s@utf8mb4\n"
	          "t:1:2 a=q/s@latin1 b=\\x00/b c=\\x01/b d=7/n e=0/n f=/0 g=/s@latin1 "
	          "h=a\"b/s@latin1\n");
}

TEST(sql_per_row_forms)
{
	LEX_CHECK("SET NAMES latin1;\nCREATE TABLE IF NOT EXISTS db.t (x int, y text) DEFAULT "
	          "CHARACTER SET utf8;\n"
	          "INSERT IGNORE INTO t VALUES (1,'a');\nREPLACE t (y, x) VALUE ('b', 2);\n"
	          "INSERT INTO `t` (`x`,`y`) VALUES (3,'c') ON DUPLICATE KEY UPDATE y='d';\n"
	          "# a comment\n-- another\n/* and ; one */ INSERT INTO t VALUES(4,'e');\n",
	          "t:3:1 x=1/n[other] y=a/s@utf8[text utf8]\n"
	          "t:4:1 y=b/s@utf8[text utf8] x=2/n[other]\n"
	          "t:5:1 x=3/n[other] y=c/s@utf8[text utf8]\n"
	          "t:8:1 x=4/n[other] y=e/s@utf8[text utf8]\n");
}

TEST(sql_hostile)
{
	LEX_CHECK("INSERT INTO t (a) VALUES ('x');\nLOAD DATA INFILE '/etc/passwd' INTO TABLE t;\n"
	          "DROP DATABASE spip;\n/* a /* nested */ comment */\n"
	          ";INSERT INTO t (a) VALUES (NOW()), ('y');\nINSERT INTO t (a,b) VALUES ('z');\n"
	          "UPDATE t SET a='w';\nINSERT INTO t (a) VALUES ('ok'),('cut",
	          "t:1:1 a=x/s@latin1\n"
	          "BAD t:5:1 column a: not a literal value (a name or an expression): row not "
	          "imported\n"
	          "t:5:2 a=y/s@latin1\n"
	          "BAD t:6:1 1 values for 2 columns: row not imported\n"
	          "t:8:1 a=ok/s@latin1\n"
	          "BAD t:8:2 a string begun on line 8 is not closed at the end of the input: not "
	          "imported\n"
	          "cut\n"
	          "mie: d.sql:2: LOAD DATA: not read (mie-import reads CREATE TABLE and INSERT, "
	          "and never runs SQL)\n"
	          "mie: d.sql:3: DROP DATABASE: not read (mie-import reads CREATE TABLE and "
	          "INSERT, and never runs SQL)\n"
	          "mie: d.sql:4: \"/*\" inside a comment: SQL comments do not nest, this one ends "
	          "at the first \"*/\"\n"
	          "mie: d.sql:4: COMMENT: not read (mie-import reads CREATE TABLE and INSERT, and "
	          "never runs SQL)\n"
	          "mie: d.sql:7: UPDATE: not read (mie-import reads CREATE TABLE and INSERT, and "
	          "never runs SQL)\n");
}

TEST(sql_cut)
{
	LEX_CHECK("-- MySQL dump 10.13\nINSERT INTO t (a) VALUES ('x'),\n('y');\n",
	          "t:2:1 a=x/s@latin1\nt:2:2 a=y/s@latin1\ncut\n"
	          "mie: d.sql:4: the dump ends without mysqldump's \"-- Dump completed\" line: it "
	          "was cut; every complete row before the cut is imported\n");
	LEX_CHECK("INSERT INTO t (a) VALUES ('x'),\n('y'),",
	          "t:1:1 a=x/s@latin1\nt:1:2 a=y/s@latin1\n"
	          "cut\nmie: d.sql:1: INSERT INTO t: the statement is cut short by the end of the "
	          "input after row 2 (every row before is read)\n");
	LEX_CHECK("INSERT INTO t (a) VALUES ('x')",
	          "t:1:1 a=x/s@latin1\ncut\nmie: d.sql:1: INSERT INTO t: the statement is cut "
	          "short by the end of the input after row 1 (every row before is read)\n");
}

TEST(sql_no_backslash_escapes)
{
	LEX_CHECK("SET sql_mode = 'ANSI,NO_BACKSLASH_ESCAPES';\n"
	          "INSERT INTO t (a) VALUES ('c:\\dir\\'), ('it''s');\n"
	          "SET @@SESSION.sql_mode = '';\nINSERT INTO t (a) VALUES ('\\'');\n",
	          "t:2:1 a=c:\\x5cdir\\x5c/s@latin1\nt:2:2 a=it's/s@latin1\nt:4:1 a='/s@latin1\n");
}

TEST(sql_charsets)
{
	/* what the server stores: utf8mb4 literals into latin1 (windows-1252:
	 * ’ € œ, a five-undefined byte, an emoji it lacks, bytes that are not
	 * UTF-8), latin1 literals into utf8, introducers, blobs untouched */
	LEX_CHECK(
	        "SET NAMES utf8mb4;\n"
	        "CREATE TABLE t (a text, b text CHARACTER SET utf8, c blob, d int) "
	        "CHARSET=latin1;\n"
	        "INSERT INTO t VALUES ('l\xe2\x80\x99\xc5\x93uvre \xe2\x82\xac \xc2\x81 "
	        "\xf0\x9f\x8e\x89 \xff', 'd\xc3\xa9j\xc3\xa0', '\xc3\xa9', 1),\n"
	        "(_latin1'\xe9\x92', _latin1'\xe9\x92', _latin1'\xe9', 2);\n",
	        "t:3:1 a=l\\x92\\x9cuvre \\x80 \\x81 ? \\xff/s@latin1[text latin1] "
	        "b=d\\xc3\\xa9j\\xc3\\xa0/s@utf8mb4[text utf8] c=\\xc3\\xa9/s@utf8mb4[blob] "
	        "d=1/n[other]\n"
	        "t:3:2 a=\\xe9\\x92/s@latin1[text latin1] b=\\xc3\\xa9\\xe2\\x80\\x99/s@utf8[text "
	        "utf8] c=\\xe9/s@latin1[blob] d=2/n[other]\n");
	CHECK_INT(mie_sql_charset_class("UTF8MB3"), MIE_SQL_CS_UTF8);
	CHECK_INT(mie_sql_charset_class("latin1"), MIE_SQL_CS_LATIN1);
	CHECK_INT(mie_sql_charset_class("binary"), MIE_SQL_CS_AS_IS);
}

TEST(sql_sniff)
{
	CHECK_INT(mie_sql_sniff((const unsigned char *)"-- MySQL dump 10.13", 19, NULL), 95);
	CHECK_INT(mie_sql_sniff((const unsigned char *)"\n-- phpMyAdmin SQL Dump\n", 24, NULL), 95);
	CHECK_INT(mie_sql_sniff((const unsigned char *)"CREATE TABLE t (a int);", 23, "x.sql"), 85);
	CHECK_INT(mie_sql_sniff((const unsigned char *)"<?xml version", 13, "x.xml"), 0);
	CHECK_INT(mie_sql_sniff((const unsigned char *)"id,titre\n", 9, "x.csv"), 0);
}
