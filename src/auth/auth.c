/*
 * auth.c: roles and permissions, user names, passwords and tokens
 * (auth/auth.h). The only file that includes sodium.h.
 */
#include "auth/auth.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

/* ---- roles and permissions ------------------------------------------------- */

static const struct role_def {
	const char *name, *title;
	bool perms[COSO_PERM_MAX];  /* read, write_registry, write_units, admin */
	bool scoped;
} roles[COSO_ROLE_MAX] = {
	[COSO_ROLE_NONE] = { NULL, "", { false, false, false, false }, true },
	[COSO_ROLE_ADMIN] = { "admin", "administrator", { true, true, true, true }, false },
	[COSO_ROLE_PROVINCIAL] = { "provincial", "provincial staff", { true, true, true, false }, true },
	[COSO_ROLE_DISTRICT] = { "district", "district staff", { true, true, false, false }, true },
	[COSO_ROLE_CLERK] = { "clerk", "commune clerk", { true, true, false, false }, true },
	[COSO_ROLE_LEADER] = { "leader", "read-only leader", { true, false, false, false }, true },
};

static const char *const perm_names[COSO_PERM_MAX] = { "read", "write_registry", "write_units", "admin" };
static const char *const perm_titles[COSO_PERM_MAX] = {
	"read the registry", "change members, organizations and institutions", "change administrative units",
	"manage users",
};

const char *coso_role_name(coso_role r)
{
	return r > COSO_ROLE_NONE && r < COSO_ROLE_MAX ? roles[r].name : NULL;
}

const char *coso_role_title(coso_role r)
{
	return r > COSO_ROLE_NONE && r < COSO_ROLE_MAX ? roles[r].title : "";
}

coso_role coso_role_parse(const char *s)
{
	for (int r = COSO_ROLE_NONE + 1; s && r < COSO_ROLE_MAX; r++)
		if (strcmp(s, roles[r].name) == 0)
			return (coso_role)r;
	return COSO_ROLE_NONE;
}

bool coso_role_allows(coso_role r, coso_perm p)
{
	return r > COSO_ROLE_NONE && r < COSO_ROLE_MAX && (int)p >= 0 && p < COSO_PERM_MAX && roles[r].perms[p];
}

bool coso_role_needs_scope(coso_role r)
{
	return r <= COSO_ROLE_NONE || r >= COSO_ROLE_MAX || roles[r].scoped;
}

const char *coso_perm_name(coso_perm p)
{
	return (int)p >= 0 && p < COSO_PERM_MAX ? perm_names[p] : "";
}

const char *coso_perm_title(coso_perm p)
{
	return (int)p >= 0 && p < COSO_PERM_MAX ? perm_titles[p] : "";
}

/* ---- user names -------------------------------------------------------------- */

int coso_user_name_check(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (n == 0 || n > COSO_USER_NAME_MAX)
		return coso_error_set(COSO_EINVALID, "a user name has 1 to %d characters", COSO_USER_NAME_MAX);
	for (size_t i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
		      c == '_' || c == '-' || c == '@'))
			return coso_error_set(COSO_EINVALID,
					      "a user name is made of letters A-Z, digits and . _ - @ only");
	}
	return 0;
}

/* ---- libsodium ------------------------------------------------------------------- */

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;
static int sodium_status = -1;

static void sodium_start(void)
{
	sodium_status = sodium_init() < 0 ? -1 : 0;
}

int coso_auth_init(void)
{
	pthread_once(&sodium_once, sodium_start);
	if (sodium_status < 0)
		return coso_error_set(COSO_ERR, "cannot initialize libsodium");
	return 0;
}

/* ---- passwords ------------------------------------------------------------------ */

/* The test suite's switch (docs/SECURITY.md): MIN limits instead of INTERACTIVE. */
static bool fast_hash(void)
{
	const char *v = getenv("COSO_INSECURE_FAST_HASH");

	return v && strcmp(v, "1") == 0;
}

static void limits(unsigned long long *ops, size_t *mem)
{
	if (fast_hash()) {
		*ops = crypto_pwhash_argon2id_OPSLIMIT_MIN;
		*mem = crypto_pwhash_argon2id_MEMLIMIT_MIN;
	} else {
		*ops = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
		*mem = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;
	}
}

int coso_password_check(const char *pw)
{
	size_t n = pw ? strlen(pw) : 0;

	if (n < COSO_PASSWORD_MIN)
		return coso_error_set(COSO_EINVALID, "a password has at least %d characters", COSO_PASSWORD_MIN);
	if (n > COSO_PASSWORD_MAX)
		return coso_error_set(COSO_EINVALID, "a password has at most %d characters", COSO_PASSWORD_MAX);
	return 0;
}

int coso_password_hash(const char *pw, char out[COSO_PWHASH_BUFSZ])
{
	unsigned long long ops;
	size_t mem;
	int rc;

	_Static_assert(COSO_PWHASH_BUFSZ == crypto_pwhash_argon2id_STRBYTES, "hash buffer size");
	if ((rc = coso_auth_init()) < 0)
		return rc;
	limits(&ops, &mem);
	if (crypto_pwhash_argon2id_str(out, pw, strlen(pw), ops, mem) != 0)
		return coso_error_set(COSO_ENOMEM, "cannot hash the password (out of memory)");
	return 0;
}

int coso_password_verify(const char *hash, const char *pw)
{
	if (coso_auth_init() < 0 || !hash || !pw || strlen(hash) >= COSO_PWHASH_BUFSZ)
		return 0;
	return crypto_pwhash_argon2id_str_verify(hash, pw, strlen(pw)) == 0;
}

/* A hash of a random password with the current limits, made once, that
 * coso_password_burn verifies against. */
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[COSO_PWHASH_BUFSZ];

static void make_dummy(void)
{
	char pw[32];

	if (coso_password_generate(pw, sizeof(pw)) < 0 || coso_password_hash(pw, dummy_hash) < 0)
		dummy_hash[0] = '\0';
	sodium_memzero(pw, sizeof(pw));
}

void coso_password_burn(const char *pw)
{
	pthread_once(&dummy_once, make_dummy);
	if (dummy_hash[0])
		(void)coso_password_verify(dummy_hash, pw ? pw : "");
}

bool coso_password_needs_rehash(const char *hash)
{
	unsigned long long ops;
	size_t mem;

	if (coso_auth_init() < 0)
		return false;
	limits(&ops, &mem);
	return crypto_pwhash_argon2id_str_needs_rehash(hash, ops, mem) != 0;
}

int coso_password_generate(char *out, size_t outsz)
{
	unsigned char raw[15];
	int rc;

	if ((rc = coso_auth_init()) < 0)
		return rc;
	if (outsz < sodium_base64_ENCODED_LEN(sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING))
		return coso_error_set(COSO_ERR, "internal error: password buffer too small");
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, outsz, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	return 0;
}

/* ---- session tokens -------------------------------------------------------------- */

int coso_token_new(char out[COSO_TOKEN_TEXT])
{
	unsigned char raw[COSO_TOKEN_BYTES];
	int rc;

	_Static_assert(COSO_TOKEN_TEXT == sodium_base64_ENCODED_LEN(COSO_TOKEN_BYTES,
								    sodium_base64_VARIANT_URLSAFE_NO_PADDING),
		       "token text size");
	if ((rc = coso_auth_init()) < 0)
		return rc;
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, COSO_TOKEN_TEXT, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	return 0;
}

bool coso_token_valid(const char *s)
{
	size_t i;

	for (i = 0; s && s[i] && i < COSO_TOKEN_TEXT; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	return s && i == COSO_TOKEN_TEXT - 1 && s[i] == '\0';
}

void coso_token_hash(const char *token, unsigned char out[COSO_TOKEN_HASH_BYTES])
{
	_Static_assert(COSO_TOKEN_HASH_BYTES == crypto_hash_sha256_BYTES, "token hash size");
	crypto_hash_sha256(out, (const unsigned char *)token, strlen(token));
}

void coso_token_csrf(const char *token, char out[COSO_TOKEN_TEXT])
{
	static const char label[] = "coso csrf v1";
	unsigned char mac[32];
	size_t klen = strlen(token);

	/* BLAKE2b keys are 16 to 64 bytes: a token's text is 43 */
	if (klen > crypto_generichash_KEYBYTES_MAX)
		klen = crypto_generichash_KEYBYTES_MAX;
	crypto_generichash(mac, sizeof(mac), (const unsigned char *)label, sizeof(label) - 1,
			   (const unsigned char *)token, klen);
	sodium_bin2base64(out, COSO_TOKEN_TEXT, mac, sizeof(mac), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

bool coso_token_equal(const char *a, const char *b)
{
	size_t n;

	if (!a || !b || (n = strlen(a)) != strlen(b))
		return false;
	return sodium_memcmp(a, b, n) == 0;
}
