/*
 * cadres.h: commune cadres and civil servants (cán bộ, công chức cấp xã):
 * the posts of a commune, the people who hold them, their training, their
 * rotations from a province or district, and the standards of each post
 * (docs/CADRES.md). Five register files (core/register.h) carry them:
 * cadre_people.csv, cadre_positions.csv, cadre_training.csv,
 * cadre_rotations.csv and cadre_standards.csv.
 *
 * The figures a report needs for a period are one call:
 * coso_cadres_training_summary(); the holders of a commune's posts as of a
 * day are coso_cadres_holders().
 */
#ifndef COSO_CORE_CADRES_H
#define COSO_CORE_CADRES_H

#include <stdbool.h>
#include <stddef.h>

#include "core/register.h"
#include "db/store.h"
#include "util/date.h"

/* ---- posts and levels --------------------------------------------------- */

typedef enum coso_post_category {
	COSO_POST_CADRE,         /* cán bộ: elected or appointed by the Party, council, front, mass organizations */
	COSO_POST_CIVIL_SERVANT, /* công chức: recruited to a professional post */
} coso_post_category;

typedef struct coso_post {
	const char *code;   /* "party_secretary" (the CSV's and the API's identifier) */
	const char *label;  /* "Bí thư Đảng ủy" */
	coso_post_category category;
	bool single;        /* one holder at a time in a commune */
	int default_professional; /* the standard when cadre_standards.csv sets none: rank */
	int default_political;    /* (see coso_training_level) */
} coso_post;

/* The posts, in the order of a commune's list (Party, council, committee,
 * front, mass organizations, civil servants); ends with {NULL}. */
extern const coso_post coso_posts[];
/* The post of `code`, or NULL. */
const coso_post *coso_post_find(const char *code);

typedef enum coso_training_kind {
	COSO_TRAINING_PROFESSIONAL,     /* đào tạo chuyên môn nghiệp vụ */
	COSO_TRAINING_POLITICAL,        /* lý luận chính trị */
	COSO_TRAINING_SHORT_COURSE,     /* bồi dưỡng */
	COSO_TRAINING_MAX,
} coso_training_kind;

/* "professional", "political_theory", "short_course"; NULL-terminated. */
extern const char *const coso_training_kinds[];
/* The kind of `code`, or -1. */
int coso_training_kind_find(const char *code);

typedef struct coso_training_level {
	const char *code;   /* "intermediate" */
	const char *label;  /* "Trung cấp" */
	int rank;           /* 1 = lowest */
} coso_training_level;

/* The levels of a kind, lowest first, ending with {NULL}; short courses
 * have none (an empty list). */
const coso_training_level *coso_levels_of(coso_training_kind kind);
/* The level `code` of `kind`, or NULL. */
const coso_training_level *coso_level_find(coso_training_kind kind, const char *code);
/* The level of `kind` with `rank`, or NULL (rank 0: none). */
const coso_training_level *coso_level_of_rank(coso_training_kind kind, int rank);

/* ---- the register files ---------------------------------------------------- */

extern const coso_register_file coso_cadre_people_file;
extern const coso_register_file coso_cadre_positions_file;
extern const coso_register_file coso_cadre_training_file;
extern const coso_register_file coso_cadre_rotations_file;
extern const coso_register_file coso_cadre_standards_file;

/* ---- figures ----------------------------------------------------------------- */

typedef struct coso_training_count {
	long long people;       /* distinct people sent */
	long long attendances;  /* training records (lượt người) */
} coso_training_count;

/* The standards of the posts held in one commune on a day. */
typedef struct coso_commune_standard {
	char *code, *name;
	long long holdings;         /* posts held (a person holding two posts counts twice) */
	long long meeting;          /* of which the holder meets both minimums of the post */
	long long professional_ok;  /* ... meets the professional minimum */
	long long political_ok;     /* ... meets the political theory minimum */
	/* holdings and meeting by coso_post_category (cán bộ, công chức) */
	long long holdings_by[2], meeting_by[2];
	/* training of the period started by people holding a post in this
	 * commune on its first day (a commune that no longer exists on `to`
	 * has no row: its training counts in the scope's totals only) */
	coso_training_count training[COSO_TRAINING_MAX];
} coso_commune_standard;

typedef struct coso_training_summary {
	coso_day from, to;                 /* both included */
	coso_unit_ref scope;               /* named as of `to`; code "" for everything */
	/* training that started in [from, to], by people holding a commune
	 * post in the scope on the day it started */
	coso_training_count kinds[COSO_TRAINING_MAX];
	long long political_by_rank[4];    /* political theory attendances by level rank 1..3 */
	long long professional_by_rank[7]; /* professional attendances by level rank 1..6 */
	/* rotations to a commune of the scope: started in the period; in
	 * progress on `to` */
	long long rotations_started, rotations_active;
	/* standards as of `to`, over the communes of the scope */
	long long holdings, meeting;
	long long holdings_by[2], meeting_by[2];  /* by coso_post_category */
	coso_commune_standard *communes;   /* one per commune of the scope on `to`, by code */
	size_t ncommunes;
} coso_training_summary;

/*
 * The cadre figures of `scope` (a unit code, NULL for everything) over the
 * period [from, to]: people and attendances sent to each kind of training,
 * rotations, and the share of posts whose holder meets the post's
 * standards on `to`, per commune. A scope that is not in the registry is
 * COSO_EINVALID; `to` before `from` is COSO_EINVALID. Fills *out (free
 * with coso_training_summary_clear, which accepts a cleared or failed one).
 */
int coso_cadres_training_summary(coso_store *st, const char *scope, coso_day from, coso_day to,
				 coso_training_summary *out);
void coso_training_summary_clear(coso_training_summary *s);

/* One post held in a commune on a day, with its holder. */
typedef struct coso_cadre_holder {
	const char *post;           /* code */
	const char *person_id, *full_name, *member_id; /* member_id NULL when not a member */
	coso_day valid_from, valid_to;
	int professional_rank, political_rank;  /* the holder's levels on the day (0: none) */
	int min_professional, min_political;    /* the post's standard on the day */
	bool rotated;               /* on a rotation to this commune on the day */
} coso_cadre_holder;

typedef int (*coso_cadre_holder_fn)(void *ctx, const coso_cadre_holder *h);

/* The posts held in commune `unit` on day d, in the order of coso_posts and
 * then by the holder's start; fn's non-zero return stops and is returned.
 * COSO_ENOTFOUND when the unit is not in the registry. */
int coso_cadres_holders(coso_store *st, const char *unit, coso_day d, coso_cadre_holder_fn fn, void *ctx);

/* One training record of a period: who was sent, from which commune, to what. */
typedef struct coso_cadre_sent {
	const char *person_id, *full_name, *member_id; /* member_id NULL when not a member */
	const char *unit_code, *unit_name;  /* the commune of the person's post on started_on */
	const char *kind, *level, *course;  /* level NULL for a short course, course may be NULL */
	coso_day started_on, ended_on;      /* ended_on COSO_DAY_MAX: still studying */
	const char *sent_by;                /* may be NULL */
} coso_cadre_sent;

typedef int (*coso_cadre_sent_fn)(void *ctx, const coso_cadre_sent *r);

/* The training records counted by coso_cadres_training_summary() for scope
 * and [from, to] (of `kind` only, unless NULL), by first day, then commune
 * and person: those from `offset`, at most `limit` (1..COSO_CADRES_PAGE_MAX;
 * 0: all of them, for a program that streams them, as the CLI does);
 * *total gets how many there are. fn's non-zero return stops and is
 * returned. COSO_EINVALID for a bad kind, limit or period. */
#define COSO_CADRES_PAGE_MAX 500
int coso_cadres_training_list(coso_store *st, const char *scope, coso_day from, coso_day to, const char *kind,
			      long long offset, long long limit, coso_cadre_sent_fn fn, void *ctx, long long *total);

#endif
