/*
 * fuzz.h: what the fuzz harnesses share (fuzz/README.md).
 *
 * Each harness is one LLVMFuzzerTestOneInput(). Built with clang and
 * -fsanitize=fuzzer (COSO_FUZZ=ON) it is a libFuzzer target; built with the
 * normal (gcc, ASan/UBSan) test build it is linked with replay_main.c, which
 * runs every file of the committed corpus through it (make check).
 *
 * A harness returns 0 for every input. A broken invariant is a crash
 * (FUZZ_CHECK aborts with the condition), so libFuzzer saves the input.
 */
#ifndef COSO_FUZZ_FUZZ_H
#define COSO_FUZZ_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts with file, line and the condition when cond is false. */
#define FUZZ_CHECK(cond) ((cond) ? (void)0 : fuzz_fail(__FILE__, __LINE__, #cond))
void fuzz_fail(const char *file, int line, const char *what) __attribute__((noreturn));

/* A fresh private folder for this process, coso-fuzz-PID-XXXXXX under
 * /dev/shm when it is writable (else $TMPDIR or /tmp), removed with
 * everything in it at exit; those of processes that died without their exit
 * (a crash) are removed when the next one starts. Returns its path (owned
 * by fuzz_util.c); aborts when it cannot be made. */
const char *fuzz_tmpdir(void);

/* Writes size bytes to path (created or truncated); 0 or -1. */
int fuzz_write_file(const char *path, const void *data, size_t size);

/* Copies a file; 0 or -1. */
int fuzz_copy_file(const char *from, const char *to);

/* Removes the files directly inside dir (not dir itself). */
void fuzz_empty_dir(const char *dir);

/* ---- the HTTP harnesses (fuzz_http.c) --------------------------------------- */

#include "http/http.h"

/* The dispatcher's environment over a database holding the hand-made
 * registry (tests/cases/handmade, or $COSO_FUZZ_REGISTRY), and a web folder
 * with an index page and one script. Made on first use. */
const coso_http_env *fuzz_http_env(void);

/* Puts the database back as it was made (after a write was accepted), so
 * that every input starts from the same registry. */
void fuzz_http_reset(void);

/* Dispatches req as the server does (precheck, then the whole request) and
 * checks what every answer must be: a status from the API's list, a JSON
 * body that parses (problem+json with its status for errors), never a 500;
 * a file only from inside the web folder. With signed_in, and when the tree
 * has sessions, the request carries the harness's session (cookie, CSRF
 * token). After a POST is accepted, calls after_write (when not NULL), then
 * fuzz_http_reset(). res is filled (the caller clears it). */
void fuzz_http_run(const coso_http_request *req, coso_http_response *res, bool signed_in,
		   void (*after_write)(void));

#endif
