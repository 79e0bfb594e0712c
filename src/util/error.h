/*
 * error.h: one place for the last error message (libgit2's model).
 *
 * Library code returns an int (0 ok, negative failure) and records a message
 * with coso_error_set() where the failure is found; the edge (the CLI's main,
 * the HTTP dispatcher) reads it with coso_error_last(). The slot is
 * thread-local, so server threads do not see each other's messages.
 */
#ifndef COSO_UTIL_ERROR_H
#define COSO_UTIL_ERROR_H

enum coso_rc {
	COSO_OK = 0,
	COSO_ERR = -1,        /* generic failure, message in the slot */
	COSO_ENOTFOUND = -2,  /* a record or file that does not exist */
	COSO_EINVALID = -3,   /* bad input from the user; message says what */
	COSO_ENOMEM = -4,     /* out of memory */
	COSO_EIO = -5,        /* file or database I/O */
	COSO_ECONFLICT = -6,  /* the change conflicts with stored records */
};

/* Records a printf-style message as the last error; returns `rc` so that a
 * caller can write `return coso_error_set(COSO_EINVALID, "...")`. */
int coso_error_set(int rc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The last message recorded on this thread ("" when none). Owned by the slot;
 * valid until the next coso_error_set() or coso_error_clear() on this thread. */
const char *coso_error_last(void);

void coso_error_clear(void);

#endif
