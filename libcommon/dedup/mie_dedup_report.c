/* mie_dedup_report.c — the cluster report, as JSON or text.
 *
 * Clusters come in canonical-rank order (so the report does not depend on
 * the input order), members in rank order, canonical first.  A cluster's
 * method and score are those of its weakest member (near < name < exact <
 * identity; lowest score); its evidence lists each member's.  Each
 * member is listed once, with its source (mie_dedup_source), its method
 * and score, and with --mode merge whether it was merged (the others are
 * marked). */
#include <string.h>

#include "dedup/mie_dedup_impl.h"
#include "record/mie_record.h"

static int weakness(unsigned m)
{
	return m == MIE_DEDUP_NEAR ? 0 : m == MIE_DEDUP_NAME ? 1 : m == MIE_DEDUP_EXACT ? 2 : 3;
}

/* Why member i is a duplicate of its canonical c, appended to out. */
static void evidence(mie_dedup *d, uint32_t i, mie_buf *out)
{
	const drec *r = &d->r[i], *c = &d->r[r->canon];
	switch (r->method) {
	case MIE_DEDUP_IDENTITY:
		mie_buf_adds(out, r->id_h && r->id_h == c->id_h ? "same id" : "same legacy.url");
		break;
	case MIE_DEDUP_EXACT: mie_buf_adds(out, "same normalized title and text"); break;
	case MIE_DEDUP_NEAR:
		mie_buf_addf(out, "Jaccard %.3f of %d-word shingles", mie_dedup_round(r->score),
		             MIE_DEDUP_SHINGLE);
		break;
	case MIE_DEDUP_NAME: {
		json_t *rec = mie_dedup_read(d, i);
		const char *t = rec ? mie_rec_str(rec, "title") : NULL;
		mie_buf key = MIE_BUF_INIT;
		if (t && r->key_h == c->key_h) {
			mie_dedup_name_key(&key, t, strlen(t));
			mie_buf_addf(out, "same name key \"%s\"", key.data);
		} else if (t && r->ngram_h == c->ngram_h) {
			mie_dedup_ngram_key(&key, t, strlen(t), 2);
			mie_buf_addf(out, "same 2-gram key \"%s\"", key.data);
		} else {
			mie_buf_adds(out, "name keys shared through other members");
		}
		mie_buf_release(&key);
		json_decref(rec);
		break;
	}
	}
}

static json_t *stats_json(const mie_dedup *d)
{
	json_t *s = json_object(), *bm = json_object();
	json_object_set_new(s, "records", json_integer(d->st.records));
	json_object_set_new(s, "clusters", json_integer(d->st.clusters));
	json_object_set_new(s, "duplicates", json_integer(d->st.duplicates));
	for (int b = 0; b < 4; b++)
		json_object_set_new(bm, mie_dedup_method_name(1u << b),
		                    json_integer(d->st.by_method[b]));
	json_object_set_new(s, "by_method", bm);
	json_object_set_new(s, "near_pairs_compared", json_integer(d->st.candidates));
	json_t *m = json_array();
	for (unsigned b = 1; b <= MIE_DEDUP_NAME; b <<= 1)
		if (d->o.methods & b)
			json_array_append_new(m, json_string(mie_dedup_method_name(b)));
	json_object_set_new(s, "methods", m);
	json_object_set_new(s, "threshold", json_real(d->o.threshold));
	json_object_set_new(s, "shingle_words", json_integer(MIE_DEDUP_SHINGLE));
	json_object_set_new(s, "minhash_values", json_integer(MIE_DEDUP_SIG));
	json_object_set_new(s, "rows_per_band", json_integer(d->rows));
	json_object_set_new(s, "written", json_integer(d->st.written));
	return s;
}

/* Member i of a cluster (c its canonical): {"id", "source", and for a
 * duplicate "method", "score", "merged" (--mode merge)}.  NULL after a
 * message (the record cannot be re-read). */
static json_t *member_json(mie_dedup *d, uint32_t i, mie_buf *src_text)
{
	json_t *rec = mie_dedup_read(d, i);
	if (!rec)
		return NULL;
	json_t *m = json_object(), *src = mie_dedup_source(rec);
	json_object_set_new(m, "id", json_string(mie_dedup_id(d, i)));
	if (json_object_size(src))
		json_object_set(m, "source", src);
	mie_buf_reset(src_text);
	const char *file = json_string_value(json_object_get(src, "file"));
	const char *member = json_string_value(json_object_get(src, "member"));
	json_int_t line = json_integer_value(json_object_get(src, "line"));
	if (file || member) {
		mie_buf_addf(src_text, "  (%s%s%s%s", file ? file : "", member ? "(" : "",
		             member ? member : "", member ? ")" : "");
		if (line)
			mie_buf_addf(src_text, ":%lld", (long long)line);
		mie_buf_addc(src_text, ')');
	}
	const drec *r = &d->r[i];
	if (r->dup) {
		json_object_set_new(m, "method", json_string(mie_dedup_method_name(r->method)));
		json_object_set_new(m, "score", json_real(mie_dedup_round(r->score)));
		if (d->o.mode == MIE_DEDUP_MERGE)
			json_object_set_new(m, "merged", json_boolean(r->fold));
	}
	json_decref(src);
	json_decref(rec);
	return m;
}

int mie_dedup_report(mie_dedup *d, FILE *fp, int text)
{
	mie_dedup_order(d);
	json_t *clusters = json_array();
	mie_buf ev = MIE_BUF_INIT, lines = MIE_BUF_INIT, src = MIE_BUF_INIT, csrc = MIE_BUF_INIT;
	int rc = 0;
	for (size_t k = 0; k < d->norder;) {
		uint32_t c = d->order[k];
		json_t *members = json_array();
		unsigned method = MIE_DEDUP_IDENTITY;
		double score = 1;
		mie_buf_reset(&ev);
		mie_buf_reset(&lines);
		json_t *mj = member_json(d, c, &csrc);
		rc |= json_array_append_new(members, mj);
		size_t e = k + 1;
		for (; e < d->norder && d->r[d->order[e]].canon == c; e++) {
			uint32_t i = d->order[e];
			const drec *r = &d->r[i];
			rc |= json_array_append_new(members, member_json(d, i, &src));
			if (weakness(r->method) < weakness(method))
				method = r->method;
			if (r->score < score)
				score = r->score;
			size_t at = ev.len;
			if (ev.len)
				mie_buf_adds(&ev, "; ");
			mie_buf_addf(&ev, "%s: ", mie_dedup_id(d, i));
			size_t why = ev.len;
			evidence(d, i, &ev);
			mie_buf_addf(&lines, "  %c %s  %s %.3f  %s%s\n",
			             d->o.mode == MIE_DEDUP_MERGE && !r->fold ? '~' : '+',
			             mie_dedup_id(d, i), mie_dedup_method_name(r->method),
			             mie_dedup_round(r->score), ev.data + why, src.data);
			(void)at;
		}
		if (text) {
			fprintf(fp, "cluster %zu: %s (%s, %.3f)\n  = %s%s\n%s",
			        json_array_size(clusters) + 1, mie_dedup_id(d, c),
			        mie_dedup_method_name(method), mie_dedup_round(score),
			        mie_dedup_id(d, c), csrc.data, lines.data);
		}
		json_t *cl = json_object();
		json_object_set_new(cl, "canonical", json_string(mie_dedup_id(d, c)));
		json_object_set_new(cl, "members", members);
		json_object_set_new(cl, "method", json_string(mie_dedup_method_name(method)));
		json_object_set_new(cl, "score", json_real(mie_dedup_round(score)));
		json_object_set_new(cl, "evidence", json_string(ev.data));
		json_array_append_new(clusters, cl);
		k = e;
	}
	if (rc) {
		json_decref(clusters);
		mie_buf_release(&ev), mie_buf_release(&lines), mie_buf_release(&src),
		        mie_buf_release(&csrc);
		return -2;
	}
	if (text) {
		const mie_dedup_stats *s = &d->st;
		fprintf(fp,
		        "%ld records, %ld clusters, %ld duplicates (identity %ld, exact %ld, near "
		        "%ld, name %ld), %ld written\n",
		        s->records, s->clusters, s->duplicates, s->by_method[0], s->by_method[1],
		        s->by_method[2], s->by_method[3], s->written);
	} else {
		json_t *doc = json_object();
		json_object_set_new(doc, "clusters", clusters);
		json_object_set_new(doc, "stats", stats_json(d));
		rc = json_dumpf(doc, fp, JSON_INDENT(2) | mie_json_real_precision(doc)) == 0 &&
		                     putc('\n', fp) != EOF
		             ? 0
		             : -1;
		clusters = NULL;
		json_decref(doc);
	}
	json_decref(clusters);
	mie_buf_release(&ev);
	mie_buf_release(&lines);
	mie_buf_release(&src);
	mie_buf_release(&csrc);
	return rc || ferror(fp) ? -1 : 0;
}
