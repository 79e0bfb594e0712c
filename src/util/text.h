/*
 * text.h: Vietnamese text for people searching and reading lists.
 *
 * Folding (for search): "Đặng Thị Ánh" -> "dang thi anh": compatibility
 * decomposition (NFKD), combining marks removed, case folded, and đ/Đ
 * (which have no decomposition) mapped to d. Uses utf8proc.
 *
 * Collation (for ordering): the ICU collator of locale "vi", in which the
 * letters follow the Vietnamese alphabet (a < ă < â < b < c < d < đ < e < ê
 * ...) and tones are secondary differences. A person's name is ordered given
 * name first, as Vietnamese offices list people: "Lò Văn An" sorts as
 * "An Lò Văn".
 */
#ifndef COSO_UTIL_TEXT_H
#define COSO_UTIL_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Folds UTF-8 text for search into *out (malloc'd, NUL-terminated; the caller
 * frees it). Returns 0, COSO_EINVALID for invalid UTF-8, COSO_ENOMEM. */
int coso_text_fold(const char *s, char **out);

/* Whether every word of `query` is the beginning of some word of `text`, in
 * any order ("sung mua" matches "mua a sung"). Both are folded already. Words
 * are runs of ASCII letters and digits and of non-ASCII bytes. A query with no
 * word matches everything. */
bool coso_text_words_match(const char *text, const char *query);

/* Calls fn for each word of folded text s (see above) with its start and
 * length, until fn returns non-zero (which is returned). */
int coso_text_each_word(const char *s, int (*fn)(void *ctx, const char *w, size_t n), void *ctx);

/* A person's name given name first: the last word, then the words before it,
 * separated by single spaces ("Lò  Văn An " -> "An Lò Văn"). *out is malloc'd
 * (the caller frees it). Returns 0 or COSO_ENOMEM. */
int coso_text_given_first(const char *full_name, char **out);

/* The Vietnamese collator. Not thread-safe: one per thread (or per database
 * connection). Free with coso_collator_free(), which accepts NULL. */
typedef struct coso_collator coso_collator;

int coso_collator_open(coso_collator **out);
void coso_collator_free(coso_collator *c);

/* <0, 0, >0 as a sorts before, with, after b (UTF-8 of the given lengths). */
int coso_collator_compare(coso_collator *c, const char *a, size_t alen, const char *b, size_t blen);

/* The sort key of s: byte strings that compare with memcmp (shorter first on
 * a common prefix) as the texts collate. *out is malloc'd (the caller frees
 * it). Returns 0, COSO_EINVALID (invalid UTF-8), COSO_ENOMEM. */
int coso_collator_key(coso_collator *c, const char *s, unsigned char **out, size_t *len);

/* The sort key of a person's name, given name first. As above. */
int coso_collator_name_key(coso_collator *c, const char *full_name, unsigned char **out, size_t *len);

/* The collator's version (ICU's collation rules and Unicode data), e.g.
 * "153.112.32.0", so that stored sort keys can be rebuilt when it changes. */
void coso_collator_version(coso_collator *c, char *buf, size_t n);

#endif
