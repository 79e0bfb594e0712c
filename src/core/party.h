/*
 * party.h: party work as it is done (docs/PARTY.md): the candidates for
 * admission (quần chúng ưu tú, đối tượng kết nạp) from the cell's proposal to
 * the admission ceremony, and the probation of the members admitted, with
 * every deadline the Party's rules set, computed on the one working-day
 * calendar (core/workdays.h).
 *
 * Three registers (core/register.h): candidates.csv (one row per
 * candidate, one dated column per stage), probation_reviews.csv (the review
 * of a member's probation and the competent committee's decision) and
 * transfers.csv (transfers of party membership). Their rows
 * live in memory as coso_prow: text columns and date columns, indexed by
 * the column's number in the register's table.
 *
 * The rules, each named in the code by its source:
 * - Điều lệ Đảng (2011), Điều 4 (admission) and Điều 5 (probation: twelve
 *   months from the day the cell holds the admission ceremony; the party age
 *   counts from the date of the admission decision once official);
 * - Quy định 24-QĐ/TW (30/7/2021) on implementing the Charter, point 1.1
 *   (age 18 to 60, in months, when the cell considers the admission; older
 *   only by the decision of a committee directly under the Central
 *   Committee), point 4.1 (the ceremony within 30 working days of the
 *   decision), point 4.2 (the review within 30 working days of the end of
 *   the 12 months; official from that end even when the meeting or the
 *   decision is late; a member not recognised is removed), point 6.3
 *   (transfers: the letter within 60 working days of the decision, the
 *   letter presented within 30 working days, temporary transfers of 3
 *   months to a year, or to 2 years to study). Quy định 232-QĐ/TW (2025),
 *   as a secondary source quotes it, keeps 4.1 and sets in 4.3.1 the 60
 *   working days the competent committee has to decide after the cell's
 *   resolution (docs/PARTY.md says what was checked).
 */
#ifndef COSO_CORE_PARTY_H
#define COSO_CORE_PARTY_H

#include <stdbool.h>

#include "core/register.h"
#include "core/workdays.h"
#include "util/date.h"

#define COSO_PROW_MAX_COLS 24

/* A register of party work: its file, its SQL table, its audit kind and
 * its columns ('t' text, 'd' date, in types[]); column 0 is the key. */
typedef struct coso_ptable {
	const char *file;     /* "candidates.csv" */
	const char *table;    /* "party_candidate" */
	const char *kind;     /* the audit log's record kind: "candidate" */
	const coso_column *cols;
	const char *types;
	int ncols;
} coso_ptable;

/* One row: text[c] for a text column (NULL when empty), day[c] for a date
 * column (COSO_DAY_MAX when empty). The strings are owned by the row. */
typedef struct coso_prow {
	char *text[COSO_PROW_MAX_COLS];
	coso_day day[COSO_PROW_MAX_COLS];
} coso_prow;

void coso_prow_init(coso_prow *r);
void coso_prow_clear(coso_prow *r);
/* Sets text column c to a copy of s (NULL or "" empties it). 0 or COSO_ENOMEM. */
int coso_prow_set(coso_prow *r, int c, const char *s);
int coso_prow_copy(coso_prow *dst, const coso_prow *src);

/* ---- candidates.csv ------------------------------------------------------- */

enum {
	CAND_ID, CAND_NAME, CAND_GENDER, CAND_BIRTH, CAND_ETHNICITY, CAND_ORG, CAND_RESIDENCE,
	CAND_PROPOSED, CAND_COURSE, CAND_COURSE_BY, CAND_VERIFIED, CAND_VERIFIED_BY, CAND_VOTED,
	CAND_DECIDED, CAND_DECIDED_BY, CAND_DECISION_NO, CAND_CEREMONY, CAND_MEMBER, CAND_AGE_EXCEPTION,
	CAND_DROPPED, CAND_DROP_REASON, CAND_N
};
extern const coso_ptable coso_candidates;

/* The stages of a candidate, in order; DROPPED ends the pipeline early. */
typedef enum coso_stage {
	COSO_STAGE_PROPOSED, COSO_STAGE_COURSE, COSO_STAGE_VERIFIED, COSO_STAGE_VOTED,
	COSO_STAGE_DECIDED, COSO_STAGE_ADMITTED, COSO_STAGE_DROPPED, COSO_STAGE_MAX
} coso_stage;

/* "proposed", "course", ... "admitted", "dropped" */
const char *coso_stage_name(coso_stage s);
/* The furthest stage the row has reached. */
coso_stage coso_candidate_stage(const coso_prow *c);

/* A problem of a row: the column (an index of the table) and the message. */
typedef void (*coso_party_problem_fn)(void *ctx, int col, const char *msg);

/* The rules of one candidate on its own (order and presence of the stages,
 * the age at the cell's vote): fn is called for each problem. */
void coso_candidate_check(const coso_prow *c, coso_party_problem_fn fn, void *ctx);

/* Completed months of age on `day` of someone born on `birth`. */
int coso_age_months(coso_day birth, coso_day day);

/* `day` plus n months; a day missing in the last month (31, 29 February)
 * gives that month's last day. */
coso_day coso_add_months(coso_day day, int n);

/* ---- deadlines ---------------------------------------------------------------- */

/* What a deadline is about. */
typedef enum coso_due_kind {
	COSO_DUE_DECISION,   /* the competent committee decides after the cell's vote */
	COSO_DUE_CEREMONY,   /* the cell holds the admission ceremony */
	COSO_DUE_REVIEW,     /* the cell reviews the probation and the committee decides */
	COSO_DUE_LETTER,     /* the transfer's letter (giới thiệu) after the decision that moves the member */
	COSO_DUE_PRESENT,    /* the member presents the letter to the receiving cell */
	COSO_DUE_RETURN,     /* a temporary transfer ends */
	COSO_DUE_MAX
} coso_due_kind;

/* "decision", "ceremony", "review", "letter", "present", "return" */
const char *coso_due_kind_name(coso_due_kind k);

/* Where a deadline stands on a day. */
typedef enum coso_due_state {
	COSO_DUE_PENDING,   /* the period has not started (probation still running) */
	COSO_DUE_OPEN,      /* in the period, not done */
	COSO_DUE_OVERDUE,   /* past the deadline, not done */
	COSO_DUE_ON_TIME,   /* done by the deadline */
	COSO_DUE_LATE,      /* done after the deadline */
} coso_due_state;

const char *coso_due_state_name(coso_due_state s);

/* One deadline: the period opens on `from` (the vote, the decision, the end
 * of probation) and ends on `deadline` (included); `done` is the day it was
 * met (COSO_DAY_MAX: not yet). */
typedef struct coso_due {
	coso_due_kind kind;
	coso_day from, deadline, done;
} coso_due;

/* The deadline of `kind` counted from `from` on the calendar:
 * DECISION: 60 working days after the cell's vote (Quy định 232-QĐ/TW, 4.3.1);
 * CEREMONY: 30 working days after the decision (Quy định 24-QĐ/TW, 4.1);
 * REVIEW: 30 working days after the end of the 12 months of probation
 * (Quy định 24-QĐ/TW, 4.2.a), `from` being that end;
 * LETTER: 60 working days after the decision takes effect (6.3.1.a);
 * PRESENT: 30 working days after the letter (6.3.1.c);
 * RETURN: `from` itself, the planned end of a temporary transfer.
 * Returns 0 or COSO_EINVALID (outside the calendar). */
int coso_due_compute(coso_due *out, const coso_calendar *cal, coso_due_kind kind, coso_day from, coso_day done);

/* Where a deadline stands on day d. */
coso_due_state coso_due_state_on(const coso_due *due, coso_day d);

/* The end of probation of a member admitted (ceremony) on `admitted_on`:
 * twelve months later (Điều lệ Đảng, Điều 5 khoản 1), the day the member
 * counts as official from when recognised (Quy định 24-QĐ/TW, 4.2.b). */
coso_day coso_probation_end(coso_day admitted_on);

/* ---- probation_reviews.csv -------------------------------------------------- */

enum {
	REV_MEMBER, REV_REVIEWED, REV_DECIDED, REV_DECIDED_BY, REV_DECISION_NO, REV_OUTCOME, REV_N
};
extern const coso_ptable coso_reviews;

/* "recognised", "removed" */
extern const char *const coso_review_outcomes[];

/* The rules of one review on its own, given the member's admission day:
 * the cell reviews after the 12 months (Điều lệ Đảng, Điều 5 khoản 2), the
 * committee decides on or after the review. */
void coso_review_check(const coso_prow *r, coso_day admitted_on, coso_party_problem_fn fn, void *ctx);

/* ---- the lists of what is due ------------------------------------------------------ */

/* The list a deadline is on, on day D:
 * DUE: not met by D, its deadline D or later, its period opening by the end
 *      of D's month (what the month's meetings must do);
 * OVERDUE: not met by D, its deadline before D;
 * LATE: met after its deadline, in the 365 days up to D. */
typedef enum coso_due_list { COSO_LIST_DUE, COSO_LIST_OVERDUE, COSO_LIST_LATE, COSO_LIST_MAX } coso_due_list;

const char *coso_due_list_name(coso_due_list l);

/* One deadline of a candidate or a member, on a list. */
typedef struct coso_due_item {
	coso_due due;
	coso_due_list list;
	bool member;                 /* a member's review or transfer (else a candidate's step) */
	const char *id, *full_name, *org_code, *org_name;
	const char *transfer;        /* the transfer's id, for its deadlines; else NULL */
} coso_due_item;

typedef int (*coso_due_fn)(void *ctx, const coso_due_item *it);

/* Every deadline on one of the lists on day d, for the candidates and the
 * members of organization `org` or under it (NULL: all the reader sees):
 * candidates' decisions and ceremonies, members' probation reviews. A
 * deadline the calendar cannot compute (before 1995) is left out; a member
 * made official or ended without a stored review has no review date and is
 * not listed. Returns 0, a non-zero return of fn, or a negative coso_rc. */
int coso_party_dues(coso_store *st, const coso_calendar *cal, coso_day d, const char *org, coso_due_fn fn, void *ctx);

/* Where a candidate's deadlines stand: fills due[0] (decision) and due[1]
 * (ceremony) and returns how many apply (0: not voted yet; 1: voted; 2:
 * decided); a dropped candidate has none. */
int coso_candidate_dues(const coso_prow *c, const coso_calendar *cal, coso_due due[2]);

/* ---- Party badges (Huy hiệu Đảng) ----------------------------------------------------
 *
 * Hướng dẫn 01-HD/TW (2021), mục 18 (as quoted by secondary sources; see
 * docs/PARTY.md): members with 30, 40, 45, 50, ..., 90 years of party age
 * are awarded the badge at the ceremonies of 3/2, 19/5, 2/9 and 7/11; a
 * seriously ill member may be awarded up to 12 months early (30 to 65
 * years) or 24 months early (70 to 90). The party age is counted from
 * admitted_on (Điều lệ Đảng, Điều 5 khoản 4 counts it from the date of the
 * admission decision; interruptions are not recorded by the registry). */

#define COSO_BADGE_NYEARS 12
extern const int coso_badge_years[COSO_BADGE_NYEARS];

/* The ceremony on or after d (3/2, 19/5, 2/9 or 7/11) into *next, and the
 * one before it into *prev. */
void coso_badge_ceremonies(coso_day d, coso_day *prev, coso_day *next);

/* The badge of a member admitted on `admitted_on` at the ceremony `next`
 * (the one before being `prev`): the years (30..90) whose anniversary falls
 * in (prev, next], with the anniversary in *anniversary; else 0. With
 * `early`, the years whose anniversary falls after `next` but within the
 * early award's 12 or 24 months. */
int coso_badge_at(coso_day admitted_on, coso_day prev, coso_day next, bool early, coso_day *anniversary);

/* ---- transfers.csv (chuyển sinh hoạt đảng) ----------------------------------------------- */

enum {
	TR_ID, TR_MEMBER, TR_KIND, TR_FROM, TR_TO, TR_DESTINATION, TR_PURPOSE, TR_DECIDED, TR_LETTER, TR_PRESENTED,
	TR_UNTIL, TR_RETURNED, TR_N
};
extern const coso_ptable coso_transfers;

/* "official" (to another cell of the registry), "out" (out of the
 * registry: the membership ends transferred_out), "temporary" */
extern const char *const coso_transfer_kinds[];
/* "work", "study" (temporary transfers) */
extern const char *const coso_transfer_purposes[];

/* The rules of one transfer on its own: the columns each kind needs, the
 * dates in order, and the length of a temporary transfer (Quy định
 * 24-QĐ/TW, 6.3.2: 3 months to under a year; to study, 3 months to 2
 * years). */
void coso_transfer_check(const coso_prow *t, coso_party_problem_fn fn, void *ctx);

/* A transfer's deadlines (LETTER, then PRESENT when not `out`, then RETURN
 * for a temporary one) into due[], returning how many. */
int coso_transfer_dues(const coso_prow *t, const coso_calendar *cal, coso_due due[3]);

/* ---- ratings.csv (đánh giá, xếp loại chất lượng hằng năm) ---------------------------------- */

enum {
	RAT_ID, RAT_YEAR, RAT_KIND, RAT_SUBJECT, RAT_LEVEL, RAT_SCORE, RAT_RATED_ON, RAT_RATED_BY, RAT_N
};
extern const coso_ptable coso_ratings;

/* "member", "org" */
extern const char *const coso_rating_kinds[];
/* "excellent" (hoàn thành xuất sắc nhiệm vụ), "good" (hoàn thành tốt), "done"
 * (hoàn thành), "not_done" (không hoàn thành) */
extern const char *const coso_rating_levels[];
/* The first year rated on the 100-point scale (Quy định 366-QĐ/TW, 2025). */
#define COSO_RATING_SCORE_YEAR 2025

/* The level a score gives (Quy định 366-QĐ/TW, Điều 11: 90 and more
 * excellent, 70 to under 90 good, 50 to under 70 done, under 50 not done). */
const char *coso_rating_level_of(int score);

/* The rules of one rating on its own: the year, the level, the score (from
 * 2025 required and agreeing with the level; before, absent), rated_on in
 * the year or the next. */
void coso_rating_check(const coso_prow *r, coso_party_problem_fn fn, void *ctx);

/* A member may be rated on `rated_on` when admitted at least 6 months
 * before (members admitted less than 6 months before are not rated). */
bool coso_rating_member_old_enough(coso_day admitted_on, coso_day rated_on);

/* ---- badges.csv: the badges awarded ------------------------------------------------------ */

enum { BDG_ID, BDG_MEMBER, BDG_YEARS, BDG_AWARDED, BDG_DECISION_NO, BDG_EARLY, BDG_N };
extern const coso_ptable coso_badges;

/* The rules of an award given the member's admission: `years` one of the
 * badges; on `awarded_on` the member has the years of party age, or (early
 * = "1", seriously ill) will have them within 12 months (30 to 65 years) or
 * 24 months (70 to 90): Hướng dẫn 01-HD/TW (2021), mục 18. */
void coso_badge_award_check(const coso_prow *b, coso_day admitted_on, coso_party_problem_fn fn, void *ctx);

/* A member due for a badge at a ceremony. */
typedef struct coso_badge_item {
	const char *id, *full_name, *org_code, *org_name;
	coso_day admitted_on, anniversary;
	int years;
	bool early;                  /* only if seriously ill: the anniversary is after the ceremony */
} coso_badge_item;
typedef int (*coso_badge_fn)(void *ctx, const coso_badge_item *it);

/* The members active on the ceremony `next` (coso_badge_ceremonies of d)
 * due for a badge then (early: false), then those who may have it early if
 * seriously ill (early: true); `org` as coso_party_dues. */
int coso_party_badges(coso_store *st, coso_day d, const char *org, coso_badge_fn fn, void *ctx);

/* ---- the registers ----------------------------------------------------------- */

extern const coso_register_file coso_register_candidates;
extern const coso_register_file coso_register_reviews;
extern const coso_register_file coso_register_transfers;
extern const coso_register_file coso_register_ratings;
extern const coso_register_file coso_register_badges;

#endif
