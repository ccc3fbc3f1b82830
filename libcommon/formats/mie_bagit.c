/* mie_bagit.c — see mie_bagit.h. */
#include "formats/mie_bagit.h"

#include <archive.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mie_err.h"
#include "core/mie_utf8.h"

const char *const mie_bagit_alg_names[MIE_BAGIT_NALGS] = {"sha256", "sha512"};

struct mie_bagit_digest {
	EVP_MD_CTX *ctx[MIE_BAGIT_NALGS]; /* owned */
};

static void digest_start(mie_bagit_digest *d)
{
	const EVP_MD *md[MIE_BAGIT_NALGS] = {EVP_sha256(), EVP_sha512()};
	for (int i = 0; i < MIE_BAGIT_NALGS; i++)
		if (!EVP_DigestInit_ex(d->ctx[i], md[i], NULL))
			mie_die("libcrypto: cannot start %s", mie_bagit_alg_names[i]);
}

mie_bagit_digest *mie_bagit_digest_new(void)
{
	mie_bagit_digest *d = mie_xcalloc(1, sizeof *d);
	for (int i = 0; i < MIE_BAGIT_NALGS; i++)
		if (!(d->ctx[i] = EVP_MD_CTX_new()))
			mie_die("out of memory");
	digest_start(d);
	return d;
}

void mie_bagit_digest_update(mie_bagit_digest *d, const void *p, size_t n)
{
	for (int i = 0; i < MIE_BAGIT_NALGS; i++)
		EVP_DigestUpdate(d->ctx[i], p, n);
}

void mie_bagit_digest_final(mie_bagit_digest *d, char hex[MIE_BAGIT_NALGS][129])
{
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < MIE_BAGIT_NALGS; i++) {
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned n = 0;
		EVP_DigestFinal_ex(d->ctx[i], md, &n);
		for (unsigned j = 0; j < n; j++) {
			hex[i][2 * j] = digits[md[j] >> 4];
			hex[i][2 * j + 1] = digits[md[j] & 15];
		}
		hex[i][2 * n] = '\0';
	}
	digest_start(d);
}

void mie_bagit_digest_free(mie_bagit_digest **dp)
{
	if (!dp || !*dp)
		return;
	for (int i = 0; i < MIE_BAGIT_NALGS; i++)
		EVP_MD_CTX_free((*dp)->ctx[i]);
	free(*dp);
	*dp = NULL;
}

const char *mie_bagit_path_problem(const char *path)
{
	size_t n = strlen(path);
	if (!n)
		return "empty";
	if (path[0] == '/')
		return "absolute";
	if (!mie_utf8_valid(path, n))
		return "not UTF-8";
	for (const char *p = path;; p++) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == 0)
			return "empty part";
		if ((len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.'))
			return "\".\" or \"..\" part";
		if (!end)
			break;
		p = end;
	}
	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		if ((*p < 0x20 && *p != '\n' && *p != '\r') || *p == 0x7f)
			return "control character";
	return NULL;
}

void mie_bagit_escape(mie_buf *out, const char *path)
{
	for (const char *p = path; *p; p++) {
		if (*p == '%')
			mie_buf_adds(out, "%25");
		else if (*p == '\n')
			mie_buf_adds(out, "%0A");
		else if (*p == '\r')
			mie_buf_adds(out, "%0D");
		else
			mie_buf_addc(out, *p);
	}
}

void mie_bagit_unescape(mie_buf *out, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '%' && i + 2 < n) {
			char a = p[i + 1], b = (char)(p[i + 2] | 0x20);
			int code = a == '2' && b == '5'   ? '%'
			           : a == '0' && b == 'a' ? '\n'
			           : a == '0' && b == 'd' ? '\r'
			                                  : 0;
			if (code) {
				mie_buf_addc(out, code);
				i += 2;
				continue;
			}
		}
		mie_buf_addc(out, p[i]);
	}
}

int mie_bagit_parse_line(const char *line, size_t n, const char **hex, size_t *hexlen,
                         mie_buf *path)
{
	if (n && line[n - 1] == '\r')
		n--;
	size_t i = 0;
	while (i < n && ((line[i] >= '0' && line[i] <= '9') ||
	                 ((line[i] | 0x20) >= 'a' && (line[i] | 0x20) <= 'f')))
		i++;
	if (i == 0 || i >= n || (line[i] != ' ' && line[i] != '\t'))
		return -1;
	*hex = line;
	*hexlen = i;
	while (i < n && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i < n && line[i] == '*') /* sha256sum's binary mark */
		i++;
	if (i >= n)
		return -1;
	mie_bagit_unescape(path, line + i, n - i);
	return 0;
}

void mie_bagit_oxum(mie_buf *out, int64_t bytes, long files)
{
	mie_buf_addf(out, "%lld.%ld", (long long)bytes, files);
}

void mie_bagit_size(mie_buf *out, int64_t bytes)
{
	static const char *const units[] = {"bytes", "KB", "MB", "GB", "TB"};
	if (bytes < 1000) {
		mie_buf_addf(out, "%lld bytes", (long long)bytes);
		return;
	}
	double v = (double)bytes;
	int u = 0;
	while (v >= 1000 && u < 4) {
		v /= 1000;
		u++;
	}
	mie_buf_addf(out, "%.1f %s", v, units[u]);
}

ssize_t mie_bagit_read_stdio(void *src, void *buf, size_t n)
{
	size_t got = fread(buf, 1, n, src);
	return got == 0 && ferror((FILE *)src) ? -1 : (ssize_t)got;
}

ssize_t mie_bagit_read_archive(void *src, void *buf, size_t n)
{
	la_ssize_t got = archive_read_data(src, buf, n);
	return got < 0 ? -1 : (ssize_t)got;
}

ssize_t mie_bagit_read_mem(void *src, void *buf, size_t n)
{
	mie_bagit_mem *m = src;
	size_t k = n < m->left ? n : m->left;
	memcpy(buf, m->p, k);
	m->p += k;
	m->left -= k;
	return (ssize_t)k;
}
