/*
 * auth.h: who may do what (docs/SECURITY.md). The roles and their
 * permissions in one table, user names, passwords (Argon2id, libsodium) and
 * the random tokens of sessions and their CSRF tokens.
 *
 * Nothing here touches the database (db/store_auth.h keeps users, sessions
 * and sign-in attempts) or HTTP (the dispatcher, http/dispatch.c, checks
 * every request). Functions return 0 or a negative coso_rc with the message
 * in the error slot (util/error.h) unless they say otherwise.
 */
#ifndef COSO_AUTH_AUTH_H
#define COSO_AUTH_AUTH_H

#include <stdbool.h>
#include <stddef.h>

/* ---- roles and permissions ------------------------------------------------- */

typedef enum coso_role {
	COSO_ROLE_NONE = 0,
	COSO_ROLE_ADMIN,        /* quản trị: everything, users */
	COSO_ROLE_PROVINCIAL,   /* cán bộ tỉnh: the registry and the units of its scope */
	COSO_ROLE_DISTRICT,     /* cán bộ huyện: members, organizations, institutions of its scope */
	COSO_ROLE_CLERK,        /* văn phòng đảng ủy xã: the same, for a commune */
	COSO_ROLE_LEADER,       /* lãnh đạo: reads only */
	COSO_ROLE_MAX
} coso_role;

typedef enum coso_perm {
	COSO_PERM_READ,           /* read, search, report */
	COSO_PERM_WRITE_REGISTRY, /* members, organizations, institutions */
	COSO_PERM_WRITE_UNITS,    /* administrative units */
	COSO_PERM_ADMIN,          /* users */
	COSO_PERM_MAX
} coso_perm;

/* "admin", "provincial", "district", "clerk", "leader"; NULL for NONE. */
const char *coso_role_name(coso_role r);
/* "administrator", "provincial staff", ... (for messages); "" for NONE. */
const char *coso_role_title(coso_role r);
/* The role named s, or COSO_ROLE_NONE. */
coso_role coso_role_parse(const char *s);
/* Whether role r holds permission p (the table of docs/SECURITY.md). */
bool coso_role_allows(coso_role r, coso_perm p);
/* Every role but the administrator works inside a scope (a unit's subtree). */
bool coso_role_needs_scope(coso_role r);
/* "read", "write_registry", "write_units", "admin". */
const char *coso_perm_name(coso_perm p);
/* What the permission lets one do, for a 403's message ("change the registry"). */
const char *coso_perm_title(coso_perm p);

/* ---- user names -------------------------------------------------------------- */

#define COSO_USER_NAME_MAX 64

/* A user name is 1 to 64 of A-Z a-z 0-9 . _ - @ (so it can be printed and
 * logged as it is). COSO_EINVALID otherwise. */
int coso_user_name_check(const char *name);

/* ---- passwords ------------------------------------------------------------------ */

#define COSO_PASSWORD_MIN 10      /* characters (bytes) */
#define COSO_PASSWORD_MAX 1024
#define COSO_PWHASH_BUFSZ 128     /* crypto_pwhash_STRBYTES */

/* Initializes libsodium (once; thread-safe). */
int coso_auth_init(void);

/* COSO_EINVALID unless pw has COSO_PASSWORD_MIN..MAX bytes. */
int coso_password_check(const char *pw);

/* Hashes pw with Argon2id at libsodium's INTERACTIVE limits (2 passes,
 * 64 MiB) into out (a NUL-terminated string of at most COSO_PWHASH_BUFSZ
 * bytes). With COSO_INSECURE_FAST_HASH=1 in the environment the MIN limits
 * are used instead: for the test suite only (docs/SECURITY.md); such hashes
 * are upgraded on the next sign-in of a server without it. */
int coso_password_hash(const char *pw, char out[COSO_PWHASH_BUFSZ]);

/* 1 when pw matches hash, 0 when it does not (or the hash is malformed). */
int coso_password_verify(const char *hash, const char *pw);

/* Spends the time of one verification, for a sign-in with an unknown user
 * name (so that the answer's delay does not tell which names exist). */
void coso_password_burn(const char *pw);

/* Whether hash was made with other limits than coso_password_hash uses now. */
bool coso_password_needs_rehash(const char *hash);

/* A random password of 20 characters (base64url of 15 random bytes, 120
 * bits) from libsodium's CSPRNG, into out (at least 21 bytes). */
int coso_password_generate(char *out, size_t outsz);

/* ---- session tokens -------------------------------------------------------------- */

#define COSO_TOKEN_BYTES 32       /* random bytes of a token */
#define COSO_TOKEN_TEXT 44        /* base64url without padding (43) + NUL */
#define COSO_TOKEN_HASH_BYTES 32  /* SHA-256 */

/* A new session token: 32 bytes from the CSPRNG, as base64url text. */
int coso_token_new(char out[COSO_TOKEN_TEXT]);

/* Whether s looks like a token (43 base64url characters): anything else is
 * refused before it reaches the database. */
bool coso_token_valid(const char *s);

/* The SHA-256 of a token's text: what the database keeps, never the token. */
void coso_token_hash(const char *token, unsigned char out[COSO_TOKEN_HASH_BYTES]);

/* The CSRF token bound to a session token: BLAKE2b keyed by the session
 * token, as base64url text. Derived, so nothing more is stored; knowing the
 * stored hash does not give it. */
void coso_token_csrf(const char *token, char out[COSO_TOKEN_TEXT]);

/* Compares two NUL-terminated strings in time independent of their content
 * (lengths may leak). */
bool coso_token_equal(const char *a, const char *b);

#endif
