/*!40101 SET NAMES latin1 */;
CREATE TABLE t (a text CHARACTER SET utf8mb4, b blob) DEFAULT CHARSET=latin1;
INSERT INTO t VALUES ('\0\Z\n''x', 0x41),(_binary'a',X'42'),(NULL,b'1');
LOAD DATA INFILE 'x' INTO TABLE t;
/* /* */ x */;
INSERT INTO spip_articles (id_article, titre) VALUES (1, 'a' 'b'), (NOW(), 2), (3, 'cut