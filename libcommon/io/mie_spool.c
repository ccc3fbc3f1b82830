#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/mie_buf.h"
#include "core/mie_err.h"
#include "io/mie_spool.h"
#include "core/mie_tmp.h"

enum { SPOOL_BUF = 1 << 20 }; /* one write; two are in flight */

struct mie_spool {
	FILE *f;       /* owned: the unlinked temporary file */
	char *readbuf; /* owned: f's stdio buffer once rewound */
	char *buf[2];  /* owned: SPOOL_BUF each */
	size_t len[2]; /* bytes in buf[i] */
	int handed[2]; /* buf[i] is the writer's until it clears this */
	int cur;       /* the buffer being filled */
	int stop;      /* no more buffers will be handed */
	int err;       /* errno of the first failed write, 0 */
	int reported;  /* err was reported */
	int started;   /* the writer thread runs */
	pthread_t writer;
	pthread_mutex_t mu; /* guards handed, stop, err */
	pthread_cond_t cv;
};

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return k < 0 ? errno : EIO;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Writes handed buffers, in turn, until stopped with none left. */
static void *writer(void *p)
{
	mie_spool *s = p;
	int fd = fileno(s->f);
	pthread_mutex_lock(&s->mu);
	for (int w = 0;; w ^= 1) {
		while (!s->handed[w] && !s->stop)
			pthread_cond_wait(&s->cv, &s->mu);
		if (!s->handed[w])
			break; /* stopped, and the other one was written before */
		pthread_mutex_unlock(&s->mu);
		int e = s->err ? 0 : write_all(fd, s->buf[w], s->len[w]);
		pthread_mutex_lock(&s->mu);
		if (e && !s->err)
			s->err = e;
		s->len[w] = 0;
		s->handed[w] = 0;
		pthread_cond_broadcast(&s->cv);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

mie_spool *mie_spool_new(void)
{
	FILE *f = mie_tmpfile();
	if (!f)
		return NULL;
	mie_spool *s = mie_xcalloc(1, sizeof *s);
	s->f = f;
	s->buf[0] = mie_xmalloc(SPOOL_BUF);
	s->buf[1] = mie_xmalloc(SPOOL_BUF);
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	s->started = pthread_create(&s->writer, NULL, writer, s) == 0;
	return s;
}

static int failed(mie_spool *s)
{
	if (!s->reported) {
		s->reported = 1;
		mie_fatal("temporary file: write error: %s", strerror(s->err));
	}
	return -1;
}

/* Gives the current buffer to the writer and waits until the other one is
 * free; without a writer, writes it here. */
static void hand(mie_spool *s)
{
	int c = s->cur;
	if (!s->started) {
		int e = s->err ? 0 : write_all(fileno(s->f), s->buf[c], s->len[c]);
		if (e)
			s->err = e;
		s->len[c] = 0;
		return;
	}
	pthread_mutex_lock(&s->mu);
	s->handed[c] = 1;
	pthread_cond_broadcast(&s->cv);
	while (s->handed[c ^ 1])
		pthread_cond_wait(&s->cv, &s->mu);
	pthread_mutex_unlock(&s->mu);
	s->cur = c ^ 1;
}

int mie_spool_write(mie_spool *s, const void *p, size_t n)
{
	const char *b = p;
	while (n) {
		int c = s->cur;
		size_t room = SPOOL_BUF - s->len[c], k = n < room ? n : room;
		memcpy(s->buf[c] + s->len[c], b, k);
		s->len[c] += k;
		b += k;
		n -= k;
		if (s->len[c] == SPOOL_BUF)
			hand(s);
	}
	pthread_mutex_lock(&s->mu);
	int e = s->err;
	pthread_mutex_unlock(&s->mu);
	return e ? failed(s) : 0;
}

/* Hands what is left and waits for the writer to end. */
static void stop(mie_spool *s)
{
	if (s->len[s->cur])
		hand(s);
	if (s->started) {
		pthread_mutex_lock(&s->mu);
		s->stop = 1;
		pthread_cond_broadcast(&s->cv);
		pthread_mutex_unlock(&s->mu);
		pthread_join(s->writer, NULL);
		s->started = 0;
	}
}

FILE *mie_spool_rewind(mie_spool *s)
{
	stop(s);
	if (s->err) {
		failed(s);
		return NULL;
	}
	if (!s->readbuf) {
		s->readbuf = mie_xmalloc(SPOOL_BUF);
		setvbuf(s->f, s->readbuf, _IOFBF, SPOOL_BUF);
	}
	if (fseek(s->f, 0, SEEK_SET) != 0) {
		mie_fatal("temporary file: cannot rewind: %s", strerror(errno));
		return NULL;
	}
	return s->f;
}

void mie_spool_free(mie_spool *s)
{
	if (!s)
		return;
	s->len[0] = s->len[1] = 0; /* nothing more to write */
	stop(s);
	fclose(s->f);
	free(s->readbuf);
	free(s->buf[0]);
	free(s->buf[1]);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	free(s);
}
