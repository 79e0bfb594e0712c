/*
 * text.c: folding Vietnamese text for search (utf8proc) and ordering it the
 * Vietnamese way (ICU's "vi" collator). See text.h.
 */
#include "util/text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ucol.h>
#include <unicode/uloc.h>
#include <unicode/ustring.h>
#include <unicode/uversion.h>
#include <utf8proc.h>

#include "util/error.h"

/* ---- folding -------------------------------------------------------------- */

/* đ and Đ are letters of their own, not d with a mark: no decomposition
 * removes the bar, so they are mapped before decomposing. */
static utf8proc_int32_t fold_custom(utf8proc_int32_t cp, void *data)
{
	(void)data;
	if (cp == 0x0110 || cp == 0x0111)
		return 'd';
	return cp;
}

int coso_text_fold(const char *s, char **out)
{
	utf8proc_uint8_t *dst = NULL;
	utf8proc_ssize_t n;

	*out = NULL;
	/* ASCII (a member's id, most often) folds to its lower case: utf8proc
	 * would give the same, at many times the cost */
	for (n = 0; s[n] && (unsigned char)s[n] < 0x80; n++)
		;
	if (!s[n]) {
		char *a = malloc((size_t)n + 1);

		if (!a)
			return coso_error_set(COSO_ENOMEM, "out of memory");
		for (utf8proc_ssize_t i = 0; i <= n; i++)
			a[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
		*out = a;
		return 0;
	}
	n = utf8proc_map_custom((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)strlen(s), &dst,
				UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT |
				UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD,
				fold_custom, NULL);
	if (n < 0) {
		if (n == UTF8PROC_ERROR_NOMEM)
			return coso_error_set(COSO_ENOMEM, "out of memory");
		return coso_error_set(COSO_EINVALID, "text is not valid UTF-8: %s", utf8proc_errmsg(n));
	}
	*out = (char *)dst;
	return 0;
}

static bool is_word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

int coso_text_each_word(const char *s, int (*fn)(void *ctx, const char *w, size_t n), void *ctx)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		const unsigned char *start;
		int rc;

		while (*p && !is_word_byte(*p))
			p++;
		if (!*p)
			break;
		start = p;
		while (*p && is_word_byte(*p))
			p++;
		if ((rc = fn(ctx, (const char *)start, (size_t)(p - start))) != 0)
			return rc;
	}
	return 0;
}

struct prefix_probe {
	const char *w;
	size_t n;
};

/* 1 when the text word (w, n) begins with the probe's word. */
static int starts_with_probe(void *ctx, const char *w, size_t n)
{
	const struct prefix_probe *p = ctx;

	return n >= p->n && memcmp(w, p->w, p->n) == 0;
}

/* 1 (stop) when query word (w, n) begins no word of the text in ctx. */
static int word_missing(void *ctx, const char *w, size_t n)
{
	struct prefix_probe probe = { w, n };

	return coso_text_each_word(ctx, starts_with_probe, &probe) == 0;
}

bool coso_text_words_match(const char *text, const char *query)
{
	return coso_text_each_word(query, word_missing, (void *)(uintptr_t)text) == 0;
}

/* ---- names ---------------------------------------------------------------- */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

int coso_text_given_first(const char *full_name, char **out)
{
	size_t len = strlen(full_name), o = 0;
	const char *end = full_name + len, *last, *last_end;
	char *buf;

	*out = NULL;
	while (end > full_name && is_space(end[-1]))
		end--;
	last_end = end;
	last = end;
	while (last > full_name && !is_space(last[-1]))
		last--;
	buf = malloc(len + 2);
	if (!buf)
		return coso_error_set(COSO_ENOMEM, "out of memory");
	memcpy(buf, last, (size_t)(last_end - last));
	o = (size_t)(last_end - last);
	/* the words before the given name, single-spaced */
	for (const char *p = full_name; p < last;) {
		const char *w;

		while (p < last && is_space(*p))
			p++;
		if (p >= last)
			break;
		w = p;
		while (p < last && !is_space(*p))
			p++;
		if (o > 0)
			buf[o++] = ' ';
		memcpy(buf + o, w, (size_t)(p - w));
		o += (size_t)(p - w);
	}
	buf[o] = '\0';
	*out = buf;
	return 0;
}

/* ---- collation ------------------------------------------------------------ */

struct coso_collator {
	UCollator *coll;
};

int coso_collator_open(coso_collator **out)
{
	UErrorCode status = U_ZERO_ERROR;
	coso_collator *c = calloc(1, sizeof(*c));

	*out = NULL;
	if (!c)
		return coso_error_set(COSO_ENOMEM, "out of memory");
	c->coll = ucol_open("vi", &status);
	if (U_FAILURE(status) || !c->coll) {
		free(c);
		return coso_error_set(COSO_ERR, "cannot open the Vietnamese collator: %s", u_errorName(status));
	}
	*out = c;
	return 0;
}

void coso_collator_free(coso_collator *c)
{
	if (!c)
		return;
	ucol_close(c->coll);
	free(c);
}

int coso_collator_compare(coso_collator *c, const char *a, size_t alen, const char *b, size_t blen)
{
	UErrorCode status = U_ZERO_ERROR;
	UCollationResult r;

	if (alen > INT32_MAX || blen > INT32_MAX)
		return 0;
	r = ucol_strcollUTF8(c->coll, a, (int32_t)alen, b, (int32_t)blen, &status);
	if (U_FAILURE(status)) {
		/* invalid UTF-8: fall back to byte order, so that the order is total */
		int m = memcmp(a, b, alen < blen ? alen : blen);

		return m ? m : (alen > blen) - (alen < blen);
	}
	return r == UCOL_LESS ? -1 : r == UCOL_GREATER ? 1 : 0;
}

/* Converts UTF-8 to UTF-16 into *out (malloc'd). */
static int to_utf16(const char *s, UChar **out, int32_t *len)
{
	UErrorCode status = U_ZERO_ERROR;
	size_t n = strlen(s);
	UChar *u;

	*out = NULL;
	if (n > INT32_MAX / 2)
		return coso_error_set(COSO_EINVALID, "text too long");
	u = malloc((n + 1) * sizeof(*u));
	if (!u)
		return coso_error_set(COSO_ENOMEM, "out of memory");
	u_strFromUTF8(u, (int32_t)n + 1, len, s, (int32_t)n, &status);
	if (U_FAILURE(status)) {
		free(u);
		return coso_error_set(COSO_EINVALID, "text is not valid UTF-8");
	}
	*out = u;
	return 0;
}

int coso_collator_key(coso_collator *c, const char *s, unsigned char **out, size_t *len)
{
	UChar *u = NULL;
	int32_t ulen = 0, need;
	uint8_t stack[256], *key = NULL;
	int rc;

	*out = NULL;
	*len = 0;
	if ((rc = to_utf16(s, &u, &ulen)) < 0)
		return rc;
	need = ucol_getSortKey(c->coll, u, ulen, stack, (int32_t)sizeof(stack));
	if (need <= 0) {
		rc = coso_error_set(COSO_ERR, "cannot compute a sort key");
		goto done;
	}
	key = malloc((size_t)need);
	if (!key) {
		rc = coso_error_set(COSO_ENOMEM, "out of memory");
		goto done;
	}
	if (need <= (int32_t)sizeof(stack))
		memcpy(key, stack, (size_t)need);
	else
		ucol_getSortKey(c->coll, u, ulen, key, need);
	/* ICU ends a key with a zero byte (and has none inside): drop it, so
	 * that a key that is a prefix of another sorts first under memcmp. */
	*len = (size_t)need - 1;
	*out = key;
	key = NULL;
	rc = 0;
done:
	free(key);
	free(u);
	return rc;
}

int coso_collator_name_key(coso_collator *c, const char *full_name, unsigned char **out, size_t *len)
{
	char *given_first = NULL;
	int rc;

	*out = NULL;
	*len = 0;
	if ((rc = coso_text_given_first(full_name, &given_first)) < 0)
		return rc;
	rc = coso_collator_key(c, given_first, out, len);
	free(given_first);
	return rc;
}

void coso_collator_version(coso_collator *c, char *buf, size_t n)
{
	UVersionInfo v;
	char s[U_MAX_VERSION_STRING_LENGTH];

	ucol_getVersion(c->coll, v);
	u_versionToString(v, s);
	snprintf(buf, n, "%s", s);
}
