/*
 * store_party.h: the storage of party work (core/party.h, docs/PARTY.md):
 * the rows of its registers (candidates, probation reviews), their checks
 * against the registry, their dated writes with audit entries, and the rows
 * the lists of deadlines are computed from.
 *
 * As everywhere in src/db: 0 (or a count) or a negative coso_rc with the
 * message in the error slot. Reads are limited to the user's scope when the
 * store's reads are (db/store_auth.h): a candidate by its organization, a
 * member by the organization of its period.
 */
#ifndef COSO_DB_STORE_PARTY_H
#define COSO_DB_STORE_PARTY_H

#include "core/party.h"
#include "db/store.h"
#include "db/store_api.h"

/* ---- import and export ------------------------------------------------------- */

/* Before the first row of a file of register t is loaded. */
int coso_store_prow_load_begin(coso_store *st, const coso_ptable *t);
/* Stores a row read from a file: it replaces the stored row of its key.
 * COSO_ECONFLICT when the file already gave that key. */
int coso_store_prow_load(coso_store *st, const coso_ptable *t, const coso_prow *r);

typedef int (*coso_prow_fn)(void *ctx, const coso_prow *r);
/* Every stored row of t in key order (not limited to a scope); a non-zero
 * return of fn stops and is returned. */
int coso_store_prow_each(coso_store *st, const coso_ptable *t, coso_prow_fn fn, void *ctx);

/* The register as a whole against the registry: references to
 * organizations, units and members at the rows' dates, candidates admitted
 * as the member they became, reviews of members admitted. Returns the number
 * of problems or a negative coso_rc. */
int coso_store_party_check(coso_store *st, const coso_ptable *t, coso_problem_fn fn, void *ctx);

/* ---- reads (limited to the scope) ---------------------------------------------- */

/* Row `key` of t into *out (coso_prow_clear() it). COSO_ENOTFOUND when there
 * is none, or none the reader may see. */
int coso_store_prow_get(coso_store *st, const coso_ptable *t, const char *key, coso_prow *out);

/* A candidate with the names of its organization as of d, for lists. */
typedef struct coso_candidate_item {
	const coso_prow *row;
	const char *org_name;       /* NULL when the organization does not exist at d */
} coso_candidate_item;
typedef int (*coso_candidate_fn)(void *ctx, const coso_candidate_item *it);

/* Candidates whose organization is `org` or under it at d (NULL: any), in
 * the order of their id. */
int coso_store_candidates_each(coso_store *st, coso_day d, const char *org, coso_candidate_fn fn, void *ctx);

/* A member whose probation a list may name on day d. */
typedef struct coso_probation_item {
	const char *id, *full_name, *org_code, *org_name;
	coso_day admitted_on, official_on, ended_on;
	const coso_prow *review;    /* NULL without a review */
} coso_probation_item;
typedef int (*coso_probation_fn)(void *ctx, const coso_probation_item *it);

/* Members admitted on or before d whose probation is recent (admitted in
 * the three years before d) or still open (neither official nor ended, nor
 * reviewed), with their review if any; `org` as above. In admission order. */
int coso_store_probation_each(coso_store *st, coso_day d, const char *org, coso_probation_fn fn, void *ctx);

/* Members active on d admitted on or before `admitted_by` (for the badges),
 * with their organization on d (as for probation); `org` as above. In
 * admission order. The item's review is NULL. */
int coso_store_seniors_each(coso_store *st, coso_day d, coso_day admitted_by, const char *org, coso_probation_fn fn,
			    void *ctx);

/* A transfer with its member's name and the names of its organizations as of d. */
typedef struct coso_transfer_item {
	const coso_prow *row;
	const char *full_name, *from_name, *to_name;
} coso_transfer_item;
typedef int (*coso_transfer_fn)(void *ctx, const coso_transfer_item *it);

/* Transfers decided on or before d whose from_org or to_org is `org` or
 * under it at d (NULL: any), of members the reader sees; by id. */
int coso_store_transfers_each(coso_store *st, coso_day d, const char *org, coso_transfer_fn fn, void *ctx);

/* ---- writes ---------------------------------------------------------------------- */

/* Checks a write of a row: before is NULL for a new one. Adds problems to errs. */
typedef void (*coso_prow_check_fn)(void *ctx, const coso_prow *before, const coso_prow *after,
				   coso_field_errors *errs);

/* For a write's check: a problem (on `field`, or on the column when NULL)
 * for each date of `before` that `after` changes: a stage, once recorded,
 * is not rewritten (an event cannot change the past). before may be NULL. */
void coso_prow_keep_past(const coso_ptable *t, const coso_prow *before, const coso_prow *after, const char *field,
			 coso_field_errors *errs);

/* Writes row `row` of t (create: a new key; else the stored row of its key,
 * which must exist and be visible), after `check`, in one transaction with
 * its audit entry (action, kind t->kind, the row before and after as JSON).
 * On a problem nothing is written: COSO_EINVALID with errs filled. */
int coso_store_prow_write(coso_store *st, const coso_ptable *t, const coso_prow *row, bool create,
			  const char *action, coso_prow_check_fn check, void *ctx, coso_field_errors *errs);

/* The admission of candidate `id` at its ceremony on `ceremony_on`, as
 * member `member_id`: the member is admitted by coso_store_member_admit
 * (its checks, its audit entry) with the candidate's name, gender, birth,
 * ethnicity, organization and residence, and in the same transaction the
 * candidate gets its ceremony day and member id (audit "candidate.admit").
 * The candidate must have its committee's decision and not be admitted or
 * dropped. Problems are named by the request's fields (member_id,
 * ceremony_on). */
int coso_store_candidate_admit(coso_store *st, const char *id, const char *member_id, coso_day ceremony_on,
			       coso_field_errors *errs);

/* The decision on the probation of member `id` (review row r, its key the
 * member): "recognised" makes the member official from the end of the 12
 * months (coso_store_member_official), "removed" ends the membership on the
 * decision day with end_reason removed (coso_store_member_end); the review
 * row is stored in the same transaction (audit "probation.decide"). */
int coso_store_probation_decide(coso_store *st, const coso_prow *r, coso_field_errors *errs);

/* A new transfer (row t; its from_org, when not given, is the member's
 * organization on letter_on). An `out` transfer ends the membership on
 * letter_on with end_reason transferred_out (coso_store_member_end), in the
 * same transaction (audit "transfer.out"); the others are stored
 * ("transfer.official", "transfer.temporary"): the member's cell changes
 * only when the letter is presented. */
int coso_store_transfer_create(coso_store *st, const coso_prow *t, coso_field_errors *errs);

/* The letter of transfer `id` presented to the receiving cell on `day`: an
 * official transfer moves the member there from that day
 * (coso_store_member_transfer); a temporary one changes neither the home
 * cell nor its count. Audit "transfer.present". */
int coso_store_transfer_present(coso_store *st, const char *id, coso_day day, coso_field_errors *errs);

/* The member of temporary transfer `id` back on `day` (audit "transfer.return"). */
int coso_store_transfer_return(coso_store *st, const char *id, coso_day day, coso_field_errors *errs);

/* ---- ratings ---------------------------------------------------------------------------------- */

/* Ratings of a year per level (index in coso_rating_levels), of members and
 * of organizations, whose subject sits in `org` or under it (NULL: all the
 * reader sees): a member by its cell on rated_on. */
typedef struct coso_rating_stats {
	long long members[4], orgs[4];
} coso_rating_stats;
int coso_store_rating_stats(coso_store *st, int year, const char *org, coso_rating_stats *out);

/* Per grassroots organization (the member's cell, or the first above it with
 * grassroots = 1, on rated_on): its members rated excellent and good that
 * year, for the rule on how many may be excellent. */
typedef struct coso_quota_item {
	const char *code, *name;
	long long excellent, good;
} coso_quota_item;
typedef int (*coso_quota_fn)(void *ctx, const coso_quota_item *it);
int coso_store_rating_quota_each(coso_store *st, int year, const char *org, coso_quota_fn fn, void *ctx);

/* Whether member_id has the badge of `years`: 1, 0 or a negative coso_rc. */
int coso_store_badge_awarded(coso_store *st, const char *member_id, int years);

/* A badge awarded (row b of badges.csv; audit "badge.award"), checked as an import's. */
int coso_store_badge_award(coso_store *st, const coso_prow *b, coso_field_errors *errs);

/* A new rating (audit "rating.member" / "rating.org"), checked as an import's. */
int coso_store_rating_create(coso_store *st, const coso_prow *r, coso_field_errors *errs);

#endif
