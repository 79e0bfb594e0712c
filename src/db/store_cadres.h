/*
 * store_cadres.h: the storage of commune cadres (core/cadres.h,
 * docs/CADRES.md): loading the register files, checking them as a whole,
 * writing them back, and the queries behind the cadre figures.
 */
#ifndef COSO_DB_STORE_CADRES_H
#define COSO_DB_STORE_CADRES_H

#include "core/cadres.h"
#include "db/store.h"

typedef enum coso_cadre_table {
	COSO_CADRE_PEOPLE,
	COSO_CADRE_POSITIONS,
	COSO_CADRE_TRAINING,
	COSO_CADRE_ROTATIONS,
	COSO_CADRE_STANDARDS,
	COSO_CADRE_TABLE_MAX,
} coso_cadre_table;

typedef struct coso_cadre_person_row {
	const char *id, *full_name, *gender;
	coso_day birth_date;
	const char *ethnicity;
	const char *member_id;  /* NULL: not a party member */
} coso_cadre_person_row;

typedef struct coso_cadre_position_row {
	const char *person_id, *unit_code, *post;
	coso_day valid_from, valid_to;
} coso_cadre_position_row;

typedef struct coso_cadre_training_row {
	const char *person_id, *kind, *level; /* level NULL for a short course */
	int level_rank;
	const char *course;     /* may be NULL */
	coso_day started_on, ended_on;  /* ended_on COSO_DAY_MAX: still studying */
	const char *sent_by;    /* may be NULL */
} coso_cadre_training_row;

typedef struct coso_cadre_rotation_row {
	const char *person_id, *from_unit, *to_unit;
	coso_day valid_from, valid_to;
} coso_cadre_rotation_row;

typedef struct coso_cadre_standard_row {
	const char *post;
	coso_day valid_from, valid_to;
	const char *min_professional, *min_political_theory; /* NULL: no minimum */
	int professional_rank, political_rank;
} coso_cadre_standard_row;

/* ---- loading (inside the import's transaction) ----------------------------
 * Begin, then add rows: the first row of a key in this load removes the
 * stored rows of that key (a person's id; for positions, training and
 * rotations the person's id; for standards the post), so a file replaces
 * what it names. COSO_ECONFLICT for a row whose primary key this load
 * already gave. */
int coso_store_cadre_begin(coso_store *st, coso_cadre_table t);
int coso_store_add_cadre_person(coso_store *st, const coso_cadre_person_row *r);
int coso_store_add_cadre_position(coso_store *st, const coso_cadre_position_row *r);
int coso_store_add_cadre_training(coso_store *st, const coso_cadre_training_row *r);
int coso_store_add_cadre_rotation(coso_store *st, const coso_cadre_rotation_row *r);
int coso_store_add_cadre_standard(coso_store *st, const coso_cadre_standard_row *r);

/* Checks table t as a whole (references to people, members and units that
 * exist at the dates, one holder at a time, no overlaps), calling fn for
 * each problem with the row's key and start. Returns the number of
 * problems or a negative coso_rc. */
int coso_store_cadre_check(coso_store *st, coso_cadre_table t, coso_problem_fn fn, void *ctx);

/* ---- reading everything back, in key order -------------------------------- */
typedef int (*coso_cadre_person_fn)(void *ctx, const coso_cadre_person_row *r);
typedef int (*coso_cadre_position_fn)(void *ctx, const coso_cadre_position_row *r);
typedef int (*coso_cadre_training_fn)(void *ctx, const coso_cadre_training_row *r);
typedef int (*coso_cadre_rotation_fn)(void *ctx, const coso_cadre_rotation_row *r);
typedef int (*coso_cadre_standard_fn)(void *ctx, const coso_cadre_standard_row *r);
int coso_store_each_cadre_person(coso_store *st, coso_cadre_person_fn fn, void *ctx);
int coso_store_each_cadre_position(coso_store *st, coso_cadre_position_fn fn, void *ctx);
int coso_store_each_cadre_training(coso_store *st, coso_cadre_training_fn fn, void *ctx);
int coso_store_each_cadre_rotation(coso_store *st, coso_cadre_rotation_fn fn, void *ctx);
int coso_store_each_cadre_standard(coso_store *st, coso_cadre_standard_fn fn, void *ctx);

/* ---- figures ---------------------------------------------------------------- */

/* Fills the counts of out (kinds, by rank, rotations) for scope (NULL:
 * everything) over [from, to], and the standards of the communes of the
 * scope on `to` (out->communes, malloc'd; holdings, meeting). */
int coso_store_cadre_summary(coso_store *st, const char *scope, coso_day from, coso_day to,
			     coso_training_summary *out);

/* See coso_cadres_training_list(). */
int coso_store_cadre_training_list(coso_store *st, const char *scope, coso_day from, coso_day to, const char *kind,
				   long long offset, long long limit, coso_cadre_sent_fn fn, void *ctx, long long *total);

/* See coso_cadres_holders(). */
int coso_store_cadre_holders(coso_store *st, const char *unit, coso_day d, coso_cadre_holder_fn fn, void *ctx);

#endif
