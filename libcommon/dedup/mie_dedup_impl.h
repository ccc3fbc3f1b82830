/* mie_dedup_impl.h — the engine's state, shared by mie_dedup.c (passes),
 * mie_dedup_merge.c and mie_dedup_report.c.  Private to libcommon/dedup. */
#ifndef MIE_DEDUP_IMPL_H
#define MIE_DEDUP_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dedup/mie_dedup.h"

/* Signatures per block of LSH keys (mie_dedup.kblk). */
#define MIE_DEDUP_KBLK 4096

/* Compatibility classes: only records of one class are compared. */
enum { CLS_NONE = 0, CLS_CONTENT = 1, CLS_ORG, CLS_AUTHOR, CLS_KEYWORD, CLS_OTHER = 16 };

/* The compact signature of one record (pass 1), ~100 bytes.  Hash keys are
 * 0 when the method does not apply; they include the class. */
typedef struct drec {
	uint64_t off;      /* of its line in the spill file or its source */
	uint64_t tie;      /* hash of its bytes (last tie-break), never 0 */
	uint64_t id_h;     /* identity: id */
	uint64_t url_h;    /* identity: legacy.url */
	uint64_t fp_h;     /* exact: normalized title + text.plain */
	uint64_t key_h;    /* name: fingerprint key */
	uint64_t ngram_h;  /* name: 2-gram key */
	uint64_t sh_off;   /* near: its shingles in the shingle spill (text order) */
	uint64_t date;     /* date_modified as YYYYMMDDHHMMSS, 0 absent */
	uint32_t len;      /* bytes of its line, without the LF */
	uint32_t sh_n;     /* shingles */
	uint32_t sig;      /* index of its MinHash signature */
	uint32_t id_off;   /* its id in mie_dedup.ids */
	uint32_t complete; /* non-empty values (canonical rule) */
	uint32_t canon;    /* its cluster's canonical (itself when alone) */
	float score;       /* to its canonical */
	uint16_t src;      /* 0: in the spill file; k: in sources[k - 1] */
	uint8_t cls, method, has_sig;
	uint8_t dup;    /* not the canonical of its cluster */
	uint8_t head;   /* canonical of a cluster of 2 or more */
	uint8_t marked; /* carries duplicate_* members */
	uint8_t fold;   /* merged into its canonical (--mode merge, --merge-methods) */
	uint8_t folds;  /* a canonical with members folded into it */
} drec;

/* An input file whose records are re-read in place (no spill copy). */
typedef struct dsource {
	char *path; /* owned */
	int fd;
	const char *map; /* read-only mapping of the whole file; NULL if empty */
	uint64_t size;
	uint64_t done; /* pass 3: pages below were released */
} dsource;

/* Releases the pages of map below `upto` (rounded down to a page) once
 * 16 MB have been read past *done, or at once with `force`. */
void mie_dedup_release(const char *map, uint64_t *done, uint64_t upto, int force);

/* Where pass 1 puts signatures: the engine's own arrays, or a worker's
 * (see add_fd in mie_dedup.c), appended to the engine's afterwards. */
typedef struct dsink {
	drec **r;
	size_t *n, *cap;
	mie_buf *ids, *scratch, *fbufs;
} dsink;

struct mie_dedup {
	mie_dedup_opts o;
	int rows; /* LSH rows per band */
	FILE *spill, *shf, *sigf;
	uint64_t spill_len, sh_len;
	drec *r;
	size_t n, cap;
	mie_buf ids; /* NUL-terminated ids, in input order */
	/* near: each signature's LSH bucket keys (mie_dedup_band_keys), in
	 * blocks of MIE_DEDUP_KBLK signatures, band by band within a block
	 * (a band's keys are read in one stream); a block is in memory
	 * (kblk[j]) while o.memory holds it, else in the signature spill at
	 * j * the block's size */
	uint64_t **kblk; /* owned, and each block */
	size_t nkblk, kblk_cap, kblk_held;
	size_t nsig;
	int sig_spilled;  /* a block went to the spill */
	uint32_t *parent; /* pass 2's union-find, one per record (owned) */
	uint32_t *order;  /* members of clusters, by canonical then rank */
	size_t norder;
	uint32_t *first;   /* canonical -> its position in order */
	uint32_t *sa, *sb; /* shingle buffers */
	size_t sa_cap, sb_cap;
	mie_buf scratch;
	mie_buf fbufs[6]; /* decoded strings of the scanner */
	dsource *sources;
	size_t nsources;
	struct mie_dedup_batches *batches; /* near's signatures in the making */
	mie_dedup_stats st;
};

/* Pass 1's last signatures put in place (mie_dedup.c); pass 2 calls it
 * first.  Returns 0 or -1 on a spill error (message printed). */
int mie_dedup_signatures_done(mie_dedup *d);
const char *mie_dedup_id(const mie_dedup *d, uint32_t i);
/* Builds d->order and d->first (once; merge and the report need them). */
void mie_dedup_order(mie_dedup *d);
int mie_dedup_rank_cmp(const mie_dedup *d, uint32_t a, uint32_t b);
/* Record i parsed from the spill: new reference, or NULL (message printed). */
json_t *mie_dedup_read(mie_dedup *d, uint32_t i);
/* The merged record of the cluster whose canonical is c (new reference), or
 * NULL after a message. */
json_t *mie_dedup_merge(mie_dedup *d, uint32_t c);
/* The source of a record for the report and variants: its first provenance
 * entry's file, member and line (new reference; {} when it has none). */
json_t *mie_dedup_source(const json_t *rec);
/* Fields that are bookkeeping, not content (type, id, legacy, provenance,
 * variants, merge_layout, merged_from, duplicate_*, schema_version). */
int mie_dedup_bookkeeping_field(const char *k, size_t n);
double mie_dedup_pair_jaccard(mie_dedup *d, uint32_t a, uint32_t b);
/* Prints "spill file: WHAT: reason" (exit status 2) and returns -1. */
int mie_dedup_spill_error(const char *what);
/* jansson dump callback appending to a mie_buf. */
int mie_dedup_dump_cb(const char *s, size_t n, void *b);
/* Scores are written with 3 decimals. */
double mie_dedup_round(double x);

#endif
