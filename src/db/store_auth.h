/*
 * store_auth.h: the store side of who may see and change what
 * (docs/SECURITY.md): users, sessions, failed sign-in attempts (migration 4),
 * and the scope that limits what the API's reads return.
 *
 * Times of sessions and attempts are Unix seconds (the caller's clock, so
 * that tests and callers agree); days of the registry are coso_day. As in
 * store.h, every function returns 0 (or a count where it says so) or a
 * negative coso_rc with a message in the error slot.
 */
#ifndef COSO_DB_STORE_AUTH_H
#define COSO_DB_STORE_AUTH_H

#include <stdbool.h>
#include <stddef.h>

#include "db/store.h"

/* ---- users ------------------------------------------------------------------------ */

typedef struct coso_user {
	char *name;
	char *role;          /* "admin", "provincial", "district", "clerk", "leader" (auth/auth.h) */
	char *scope;         /* a unit's code; NULL: the whole registry */
	char *pwhash;        /* Argon2id string */
	bool disabled;
	long long created_at;
	long long sessions;  /* open sessions (coso_store_users only) */
} coso_user;

/* Frees the strings of u (which may be reused); accepts NULL. */
void coso_user_clear(coso_user *u);

/* Adds a user. COSO_ECONFLICT when the name is taken. */
int coso_store_user_add(coso_store *st, const char *name, const char *role, const char *scope, const char *pwhash,
			long long now);
/* Reads user `name` into *out (free with coso_user_clear). COSO_ENOTFOUND. */
int coso_store_user_get(coso_store *st, const char *name, coso_user *out);
/* Sets the password hash and ends every session of the user. COSO_ENOTFOUND. */
int coso_store_user_set_password(coso_store *st, const char *name, const char *pwhash);
/* Replaces the password hash by one of the same password made with other
 * limits (sessions are kept). COSO_ENOTFOUND. */
int coso_store_user_rehash(coso_store *st, const char *name, const char *pwhash);
/* Disables the user and ends every session; returns the number of sessions
 * ended. COSO_ENOTFOUND. */
int coso_store_user_disable(coso_store *st, const char *name);
/* Calls fn for every user, by name (u->pwhash is NULL); fn's non-zero return stops. */
int coso_store_users(coso_store *st, int (*fn)(void *ctx, const coso_user *u), void *ctx);
/* The number of users that are not disabled. */
int coso_store_user_count(coso_store *st, long long *out);

/* Whether unit `code` is in the registry at any time (1) or not (0). */
int coso_store_unit_known(coso_store *st, const char *code);

/* ---- sessions ------------------------------------------------------------------------- */

/* A session opened at now for user, keyed by the hash of its token (never the
 * token), ending at expires_at whatever happens. */
int coso_store_session_create(coso_store *st, const unsigned char *token_hash, size_t hash_len, const char *user,
			      const char *remote, long long now, long long expires_at);

/* The user of the session whose token hashes to token_hash, when the session
 * has been used within `idle` seconds, has not reached its end, and its user
 * is not disabled: fills *out (free with coso_user_clear) and records the use
 * (at most once a minute, so that reads seldom write). COSO_ENOTFOUND
 * otherwise (an expired session is removed). */
int coso_store_session_get(coso_store *st, const unsigned char *token_hash, size_t hash_len, long long now,
			   long long idle, coso_user *out);

/* Ends (removes) a session. Ending one that does not exist is not an error. */
int coso_store_session_end(coso_store *st, const unsigned char *token_hash, size_t hash_len);

/* Removes every session idle for `idle` seconds or past its end. */
int coso_store_sessions_purge(coso_store *st, long long now, long long idle);

/* ---- failed sign-in attempts ------------------------------------------------------------ */

typedef enum coso_attempt_kind { COSO_ATTEMPT_USER, COSO_ATTEMPT_ADDRESS } coso_attempt_kind;

/* The failures of `key` (a user name, or an address) since `since`: how many,
 * and when the oldest of them was (0 when none). */
int coso_store_attempts(coso_store *st, coso_attempt_kind kind, const char *key, long long since, long long *count,
			long long *oldest);
/* Records a failure for the user name and for the address (NULL: none), and
 * forgets failures older than `forget_before`. */
int coso_store_attempt_add(coso_store *st, const char *user, const char *address, long long now,
			   long long forget_before);
/* Forgets the failures of a user name (after a successful sign-in). */
int coso_store_attempts_clear(coso_store *st, const char *user);

/* ---- the scope of reads ----------------------------------------------------------------
 *
 * A user's scope is a unit's code. What the user sees is decided as of
 * `today` (docs/SECURITY.md):
 *
 * - the roots: the scope itself when it exists today; when it no longer does
 *   (a commune merged in 2025), the units of its level (or, when that level
 *   is gone, the highest level below it) that today hold what it held on its
 *   last day;
 * - the visible units: the roots and every unit under them today; and a unit
 *   that does not exist today when, going up from it by the rows nearest to
 *   today, one meets the scope itself or a visible unit;
 * - an organization when the unit where it sits (by its row covering today,
 *   else its last) is visible; an institution when its unit is;
 * - a member when the organization of the member's period covering today
 *   (else the last one, else the first) is visible.
 *
 * coso_store_set_access() limits every read of store_api.h on this
 * connection to what is visible (lists, counts, search, parents, a record by
 * its code), until it is called with scope NULL. The sets are kept in
 * temporary tables and rebuilt only when the scope, the day or the database
 * changed. */

int coso_store_set_access(coso_store *st, const char *scope, coso_day today);
/* Whether reads are limited (coso_store_set_access with a scope). */
bool coso_store_access_limited(coso_store *st);

typedef enum coso_ref_kind {
	COSO_REF_NONE = 0,
	COSO_REF_UNIT,
	COSO_REF_ORG,
	COSO_REF_MEMBER,
	COSO_REF_INSTITUTION,
} coso_ref_kind;

/* Whether record `code` of `kind` is visible (1) or not (0: also when it
 * does not exist). Always 1 when reads are not limited. */
int coso_store_visible(coso_store *st, coso_ref_kind kind, const char *code);

/* The roots of the scope (see above), by code: fn gets each code and its
 * name today; a non-zero return stops. None when reads are not limited. */
int coso_store_access_roots(coso_store *st, int (*fn)(void *ctx, const char *code, const char *name), void *ctx);

#endif
