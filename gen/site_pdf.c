/* site_pdf.c: the annexes as PDFs (gen/pdf.h), written beside their pages:
 * what each one names (its data file's absolute URL and digest, the
 * version, whether it is superseded or translated) is decided here, from
 * the same values the HTML annexes print.
 *
 * The PDFs were most of a build's time and need nothing the pages make, so
 * threads write them while the pages are written: site_write_annex_pdf
 * queues a job that owns everything it reads but the model (read-only
 * while the site is written; a release's is freed by site_pdf_end, which
 * site_pdf_adopt gives it) and owns its selection of the model, each of
 * up to SITE_PDF_THREADS threads takes the next job
 * with its own fonts (pango's objects stay in one thread; the annexes a
 * thread writes share their layouts, lib/pdf.h), and
 * site_pdf_end waits for them and writes the files in the order the jobs
 * were queued, so the files, the counts and the errors are those of
 * writing them one after another. A job names its language (lib/lang.h),
 * which the thread writes in (tc_pdf_annex's lang), whatever language the
 * main thread writes by then. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/lang.h"
#include "../lib/model.h"
#include "../lib/pdf.h"
#include "../lib/routes.h"
#include "limits.h"
#include "release.h"
#include "site_parts.h"

/* Threads that write PDFs: one per processor, at most this many (each
 * holds its fonts and the annex it is writing). */
#define SITE_PDF_THREADS 4

_Static_assert(TC_PDF_MAX_COLUMNS == TC_MAX_TABLE_COLUMNS,
	       "lib/pdf.h's widest table is the content's");

/* The model's prose as lib/pdf.h asks for it. */
static int prose_category(const void *ud, const char *id, tc_pdf_cat_prose *out)
{
	const tc_category *mc = tc_model_category(ud, id);
	if (!mc)
		return 0;
	*out = (tc_pdf_cat_prose){.html = mc->prose_html,
				  .at = mc->prose_at,
				  .ntables = mc->ntables,
				  .cat = mc};
	return 1;
}

static size_t prose_table_of(const void *cat, const char *id, size_t *cursor)
{
	const tc_category *mc = cat;
	for (size_t k = *cursor; k < mc->nmeasures; k++)
		if (!strcmp(mc->measures[k].id, id)) {
			*cursor = k;
			return mc->measures[k].table;
		}
	return (size_t)-1;
}

typedef struct pdf_job {
	tc_pdf_annex a;
	tc_pdf_prose prose; /* the current version's, from the model */
	const tc_lang *lang;
	tc_pick *pick; /* a's selection, owned */
	/* the strings of a, owned */
	char *organisation, *version, *date, *url, *digest, *product, *sup;
	char *orig_url, *orig_digest, *changes;
	char *rel; /* the file, under the output folder */
	tc_buf pdf, err;
	int rc;
	struct pdf_job *next; /* in the queue of jobs not started */
} pdf_job;

struct site_pdfq {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pdf_job *head, *tail; /* not started */
	pdf_job **all;        /* every job, in the order queued */
	size_t n, cap;
	bool closing;
	pthread_t th[SITE_PDF_THREADS];
	size_t nth;
	tc_model **adopted; /* site_pdf_adopt's, freed at the end */
	size_t nadopted;
};

static char *dup0(const char *s)
{
	return s ? tc_xstrdup(s) : NULL;
}

/* The selection goes as soon as the annex is written, and the jobs wait
 * for site_pdf_end with their PDFs. */
static void job_run(pdf_job *j)
{
	j->rc = tc_pdf_annex_write(&j->a, &j->pdf, &j->err);
	tc_pick_free(j->pick);
	j->pick = NULL;
	j->a.pick = NULL;
}

static void *worker(void *arg)
{
	struct site_pdfq *q = arg;
	tc_pdf_fonts *fonts = NULL;
	for (;;) {
		pthread_mutex_lock(&q->mu);
		while (!q->head && !q->closing)
			pthread_cond_wait(&q->cv, &q->mu);
		pdf_job *j = q->head;
		if (j) {
			q->head = j->next;
			if (!q->head)
				q->tail = NULL;
		}
		pthread_mutex_unlock(&q->mu);
		if (!j)
			break;
		if (!fonts) {
			fonts = tc_pdf_fonts_new();
			tc_pdf_fonts_share_layouts(fonts);
		}
		j->a.fonts = fonts;
		job_run(j);
	}
	tc_pdf_fonts_free(fonts);
	return NULL;
}

void site_pdf_begin(site *S)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t want = cpus < 1                  ? 1
		      : cpus > SITE_PDF_THREADS ? SITE_PDF_THREADS
						: (size_t)cpus;
	struct site_pdfq *q = tc_xcalloc(1, sizeof *q);
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->cv, NULL);
	while (q->nth < want &&
	       pthread_create(&q->th[q->nth], NULL, worker, q) == 0)
		q->nth++;
	S->pdfq = q; /* no thread: site_pdf_end writes them itself */
}

static void job_free(pdf_job *j)
{
	tc_pick_free(j->pick); /* a job that did not run */
	free(j->organisation);
	free(j->version);
	free(j->date);
	free(j->url);
	free(j->digest);
	free(j->product);
	free(j->sup);
	free(j->orig_url);
	free(j->changes);
	free(j->orig_digest);
	free(j->rel);
	tc_buf_free(&j->pdf);
	tc_buf_free(&j->err);
	free(j);
}

static void job_emit(site *S, pdf_job *j)
{
	if (j->rc < 0) {
		tc_buf p = TC_BUF_INIT;
		tc_buf_printf(&p, "%s/%s", S->out, j->rel);
		tc_diags_add(S->d, tc_buf_cstr(&p), 0, 0,
			     "cannot write the annex PDF: %s",
			     tc_buf_cstr(&j->err));
		tc_buf_free(&p);
		S->failed = 1;
	} else {
		site_emit(S, j->rel, j->pdf.data, j->pdf.len);
	}
}

void site_pdf_end(site *S)
{
	struct site_pdfq *q = S->pdfq;
	if (!q)
		return;
	pthread_mutex_lock(&q->mu);
	q->closing = true;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
	for (size_t i = 0; i < q->nth; i++)
		pthread_join(q->th[i], NULL);
	/* without threads, or what they left: here, one after another */
	if (q->head) {
		tc_pdf_fonts *fonts = tc_pdf_fonts_new();
		tc_pdf_fonts_share_layouts(fonts);
		for (pdf_job *j = q->head; j; j = j->next) {
			j->a.fonts = fonts;
			job_run(j);
		}
		tc_pdf_fonts_free(fonts);
	}
	for (size_t i = 0; i < q->n; i++) {
		job_emit(S, q->all[i]);
		job_free(q->all[i]);
	}
	free(q->all);
	for (size_t i = 0; i < q->nadopted; i++)
		tc_model_free(q->adopted[i]);
	free(q->adopted);
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->cv);
	free(q);
	S->pdfq = NULL;
}

void site_pdf_adopt(site *S, tc_model *m)
{
	struct site_pdfq *q = S->pdfq;
	if (!q) {
		tc_model_free(m);
		return;
	}
	q->adopted =
	    tc_xrealloc(q->adopted, (q->nadopted + 1) * sizeof *q->adopted);
	q->adopted[q->nadopted++] = m;
}

void site_write_annex_pdf(site *S, const tc_release *x, const tc_model *m,
			  tc_pick *pick, const tc_lang *links, const char *pid,
			  const char *pname)
{
	tc_route r =
	    x ? (pid ? R_VERSION_PRODUCT_ANNEX_PDF : R_VERSION_ANNEX_PDF)
	      : (pid ? R_PRODUCT_ANNEX_PDF : R_ANNEX_PDF);
	const char *ver = x ? x->version : NULL;
	pdf_job *j = tc_xcalloc(1, sizeof *j);
	/* the data file as the annex names it, in this language's folder */
	tc_buf url = TC_BUF_INIT, rel = TC_BUF_INIT;
	tc_buf_puts(&url, S->m->base_url);
	tc_route_url(&url, S->lang, x ? R_VERSION_TOM : R_TOM_JSON, ver, NULL);
	tc_route_file(&rel, S->lang, r, x ? ver : pid, x ? pid : NULL);
	j->lang = S->lang;
	j->organisation = dup0(S->m->organisation);
	j->version = dup0(x ? x->version : S->m->version);
	j->date = dup0(x ? x->date : S->m->date);
	j->url = tc_buf_detach(&url);
	tc_buf_puts(&url, S->m->base_url);
	tc_route_url(&url, S->lang, R_CHANGES, NULL, NULL);
	j->changes = tc_buf_detach(&url);
	j->digest =
	    dup0(x ? (x->frozen ? x->frozen->sha256 : x->sha256) : S->digest);
	if (x && x->frozen) {
		/* the original's file, in the first language's folder */
		size_t n;
		const tc_lang *all = tc_lang_all(S->lang, &n);
		tc_buf o = TC_BUF_INIT;
		tc_buf_puts(&o, S->m->base_url);
		tc_route_url(&o, &all[0], R_VERSION_TOM, ver, NULL);
		j->orig_url = tc_buf_detach(&o);
		j->orig_digest = dup0(x->sha256);
	}
	j->product = dup0(pid ? pname : NULL);
	j->sup =
	    dup0(x && strcmp(x->version, S->m->version) ? S->m->version : NULL);
	j->rel = tc_buf_detach(&rel);
	j->prose = (tc_pdf_prose){.intro_html = S->m->intro_html,
				  .ud = S->m,
				  .category = prose_category,
				  .table_of = prose_table_of};
	j->pick = pick;
	j->a = (tc_pdf_annex){
	    .lang = j->lang,
	    .model = m,
	    .pick = pick,
	    .links = links ? links : j->lang,
	    .organisation = j->organisation,
	    .version = j->version,
	    .date = j->date,
	    .data_url = j->url,
	    .digest = j->digest,
	    .product = j->product,
	    .prose = x ? NULL : &j->prose,
	    .superseded_by = j->sup,
	    /* a release's words in a translation are today's, unless it
	     * froze them */
	    .translated = x && *j->lang->prefix && !x->frozen,
	    .orig_url = j->orig_url,
	    .orig_digest = j->orig_digest,
	    .changes_url = j->changes,
	};
	struct site_pdfq *q = S->pdfq;
	if (!q) { /* outside tc_site_write's queue: now */
		job_run(j);
		job_emit(S, j);
		job_free(j);
		return;
	}
	pthread_mutex_lock(&q->mu);
	if (q->n == q->cap) {
		q->cap = q->cap ? 2 * q->cap : 16;
		q->all = tc_xrealloc(q->all, q->cap * sizeof *q->all);
	}
	q->all[q->n++] = j;
	if (q->tail)
		q->tail->next = j;
	else
		q->head = j;
	q->tail = j;
	pthread_cond_signal(&q->cv);
	pthread_mutex_unlock(&q->mu);
}
