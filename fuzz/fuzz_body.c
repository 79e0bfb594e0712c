/*
 * fuzz_body.c: JSON request bodies through the dispatcher (http/http.h).
 *
 * The first byte of the input picks the request, the rest is its body:
 *   bits 0-4  the route and record (targets[], modulo its length): every
 *             POST route of docs/API.md on records of the hand-made
 *             registry, a few on records that do not exist, and signing
 *             in and out (when the tree has sessions);
 *   bit 5     no Content-Length (a chunked body) instead of its length;
 *   bit 6     another Content-Type (types[], by bits 0-3 of the last byte);
 *   bit 7     without the session (when the tree has sessions: 401).
 * The answer is checked by fuzz_http_run(): a known status (never 5xx), a
 * JSON body, problem+json for errors. After a write is accepted, the
 * registry must still be valid: exported and imported into a fresh database
 * it passes every check of an import; then the database is put back.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/export.h"
#include "core/import.h"
#include "db/store.h"
#include "fuzz.h"
#include "util/error.h"

static const char *const targets[] = {
	"/api/v1/members",
	"/api/v1/members/M3/official",
	"/api/v1/members/M1/transfer",
	"/api/v1/members/M2/end",
	"/api/v1/orgs",
	"/api/v1/orgs/CS1/rename",
	"/api/v1/orgs/CA1/move",
	"/api/v1/orgs/CV21/dissolve",
	"/api/v1/units",
	"/api/v1/units/00001-02/rename",
	"/api/v1/units/00003-01/move",
	"/api/v1/units/00003-02/close",
	"/api/v1/institutions",
	"/api/v1/members/M5/transfer",
	"/api/v1/orgs/CV11/dissolve",
	"/api/v1/units/00003/rename",
	"/api/v1/members/NOPE/official",
	"/api/v1/orgs/NOPE/move",
	"/api/v1/units/NOPE/close",
	"/api/v1/members/M6/end",
	"/api/v1/session",
	"/api/v1/session/end",
};

static const char *const types[] = {
	"application/json; charset=utf-8", "APPLICATION/JSON", " application/json ;x=y", "application/jsonx",
	"text/plain", "", "application/json;", NULL, "application/json\xe1\xba", "text/\xff\xfe",
	"multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/json,text/plain",
	"application/ json", "application/json ", "\t",
};

/* After an accepted write: the registry passes an import's checks. */
static void check_registry_still_valid(void)
{
	const coso_http_env *env = fuzz_http_env();
	coso_store *st = NULL, *fresh = NULL;
	coso_diag diag = COSO_DIAG_INIT;
	char out[700];
	bool created;

	snprintf(out, sizeof(out), "%s/export", fuzz_tmpdir());
	fuzz_empty_dir(out);
	FUZZ_CHECK(env->store(env->store_ctx, &st) == 0);
	FUZZ_CHECK(coso_export_dir(st, out) == 0);
	FUZZ_CHECK(coso_store_open(&fresh, ":memory:", COSO_STORE_CREATE, &created) == 0);
	if (coso_import_dir(fresh, out, &diag, NULL, NULL) != 0) {
		coso_diag_print(&diag, stderr);
		fprintf(stderr, "fuzz_body: %s\n", coso_error_last());
		FUZZ_CHECK(!"an accepted write leaves a registry that imports");
	}
	coso_store_close(fresh);
	coso_diag_clear(&diag);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	coso_http_request req;
	coso_http_response res;
	char *body;
	uint8_t sel;

	if (size < 1)
		return 0;
	sel = data[0];
	/* an exact-size copy of the body, so that ASan sees any overread */
	body = malloc(size - 1 ? size - 1 : 1);
	if (!body)
		return 0;
	memcpy(body, data + 1, size - 1);
	memset(&req, 0, sizeof(req));
	req.method = "POST";
	req.path = targets[(sel & 0x1F) % (sizeof(targets) / sizeof(targets[0]))];
	req.content_type = sel & 0x40 ? types[data[size - 1] & 15] : "application/json";
	req.content_length = sel & 0x20 ? -1 : (long long)(size - 1);
	req.body = body;
	req.body_len = size - 1;

	fuzz_http_run(&req, &res, !(sel & 0x80), check_registry_still_valid);
	coso_http_response_clear(&res);
	free(body);
	return 0;
}
