/*
 * narrative.h: the written report of a period (docs/PLANS.md), the one a
 * provincial Organization Commission writes today, computed from the
 * registry: the scope's profile, the situation at the start, the results
 * against the resolution's targets, the cells founded, the admissions and
 * their share at commune level, the training of commune cadres. Written as
 * Vietnamese text, JSON (its figures), a Flat ODT document (.fodt) and an
 * Excel workbook of its tables.
 */
#ifndef COSO_REPORT_NARRATIVE_H
#define COSO_REPORT_NARRATIVE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "report/plans.h"
#include "report/report.h"

/* The training of commune cadres and civil servants over the period
 * (section 5), from the cadres register (core/cadres.h); `present` is false,
 * and the section says "chưa có số liệu", when the registry has no cadres. */
typedef struct coso_training_figures {
	bool present;
	long long professional;     /* sent to professional training (chuyên môn nghiệp vụ) */
	long long political_theory; /* to political theory courses (lý luận chính trị) */
	long long short_courses;    /* to short courses (bồi dưỡng) */
} coso_training_figures;

typedef struct coso_narrative {
	coso_day from, to;
	coso_report_asof start, end;  /* as of from and as of to (the profile is to's) */
	coso_report_flow flow;        /* [from, to] */
	bool has_quarter;             /* the last whole quarter inside [from, to] */
	coso_day q_from, q_to;
	int q_number, q_year;
	coso_report_flow quarter;
	bool has_plan;                /* a resolution was found (or given) */
	coso_plan_report plan;        /* as of to, the scope only */
	coso_training_figures training;
} coso_narrative;

typedef enum {
	COSO_NARRATIVE_TEXT, COSO_NARRATIVE_JSON, COSO_NARRATIVE_FODT, COSO_NARRATIVE_XLSX
} coso_narrative_format;

int coso_narrative_format_parse(const char *s, coso_narrative_format *out);

/* Builds the narrative of [from, to] for scope (NULL: the top unit). With
 * resolution NULL, the resolution measured is the latest issued by `to`
 * whose period overlaps [from, to] and whose scope is the report's scope,
 * else such a resolution of a unit above the scope, measured for the scope
 * (none: the section says so). Free with coso_narrative_clear. */
int coso_narrative_build(coso_store *st, const char *scope, coso_day from, coso_day to,
			 const char *resolution, coso_narrative *out);
void coso_narrative_clear(coso_narrative *n);

/* Sets the training figures (the cadres module's hook). */
void coso_narrative_set_training(coso_narrative *n, const coso_training_figures *t);

/* Writes the training section's sentence into buf: the figures, or
 * "Chưa có số liệu ..." when t->present is false. */
void coso_narrative_training_text(char *buf, size_t n, const coso_training_figures *t);

/* Writes the narrative in fmt to out; XLSX writes the file at path (out is
 * not used). */
int coso_narrative_write(const coso_narrative *n, coso_narrative_format fmt, FILE *out, const char *path);

/* The narrative as paragraphs of text (the sentences of every format):
 * calls fn with each heading (level 1 or 2) or paragraph (level 0). */
typedef int (*coso_para_fn)(void *ctx, int level, const char *text);
int coso_narrative_paragraphs(const coso_narrative *n, coso_para_fn fn, void *ctx);

json_t *coso_narrative_json(const coso_narrative *n);

#endif
