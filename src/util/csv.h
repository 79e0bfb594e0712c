/*
 * csv.h: a streaming RFC 4180 reader for the interchange format.
 *
 * Reads comma-separated records from a FILE*: quoted fields with "" escapes
 * and embedded commas and line breaks, LF or CRLF line ends, a UTF-8
 * byte-order mark at the very start skipped. Each record reports the physical
 * line on which it starts, so errors can say FILE:LINE. Every size a user
 * controls is bounded: a field longer than COSO_CSV_MAX_FIELD bytes or a
 * record of more than COSO_CSV_MAX_FIELDS fields is an error, not a crash.
 * Invalid UTF-8 is an error too, and so are a NUL byte and a CR outside
 * quotes that is not followed by LF (inside quotes, CR and CRLF are data).
 */
#ifndef COSO_UTIL_CSV_H
#define COSO_UTIL_CSV_H

#include <stddef.h>
#include <stdio.h>

#define COSO_CSV_MAX_FIELD 4096
#define COSO_CSV_MAX_FIELDS 64

typedef struct coso_csv coso_csv;

/* Opens a reader on `fp` (not owned: the caller closes it). Returns NULL on
 * out of memory. Free with coso_csv_free(), which accepts NULL. */
coso_csv *coso_csv_new(FILE *fp);
void coso_csv_free(coso_csv *csv);

/* Reads the next record. Returns 1 when a record was read, 0 at end of file,
 * COSO_EINVALID on malformed input (unterminated quote, a quote inside an
 * unquoted field, text after a closing quote, invalid UTF-8, a limit passed)
 * with a message in the error slot naming the line (without the file name),
 * COSO_EIO on a read error. After an error the reader stays failed: later
 * calls return the same error again.
 * A completely empty line is skipped, not returned as a record. */
int coso_csv_next(coso_csv *csv);

/* Number of fields of the current record, and field i (NUL-terminated, owned
 * by the reader and valid until the next coso_csv_next()). Field length in
 * bytes through *len when len is not NULL. NULL (length 0) when i is not
 * below coso_csv_nfields(). */
size_t coso_csv_nfields(const coso_csv *csv);
const char *coso_csv_field(const coso_csv *csv, size_t i, size_t *len);

/* Physical line (1-based) where the current record starts. */
long coso_csv_line(const coso_csv *csv);

/* After an error: its line (0 for an I/O error) and its text without the
 * "line N: " prefix, for messages of the form FILE:LINE: text. */
long coso_csv_error_line(const coso_csv *csv);
const char *coso_csv_error_text(const coso_csv *csv);

/* Bytes consumed so far (for a progress line). */
long long coso_csv_offset(const coso_csv *csv);

#endif
