/*
 * api_plans.c: the handlers of resolutions, their targets' progress and the
 * written report (docs/PLANS.md): /api/v1/resolutions,
 * /api/v1/reports/targets, /api/v1/reports/narrative.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/api.h"
#include "report/narrative.h"
#include "report/plans.h"
#include "util/error.h"

int api_resolutions_list(const api_req *req, api_res *res)
{
	coso_resolution *all = NULL;
	coso_target *targets = NULL;
	size_t n = 0, nt = 0;
	json_t *arr;
	int rc;

	if ((rc = coso_store_resolutions(req->st, &all, &n)) < 0)
		return rc;
	if ((rc = coso_store_targets(req->st, NULL, &targets, &nt)) < 0) {
		coso_resolutions_free(all, n);
		return rc;
	}
	arr = json_array();
	for (size_t i = 0; arr && i < n; i++) {
		json_t *o = coso_resolution_json(&all[i]), *ts = json_array();

		for (size_t t = 0; ts && t < nt; t++)
			if (strcmp(targets[t].resolution_code, all[i].code) == 0)
				json_array_append_new(ts, coso_target_json(&targets[t]));
		json_object_set_new(o, "targets", ts);
		json_array_append_new(arr, o);
	}
	coso_resolutions_free(all, n);
	coso_targets_free(targets, nt);
	if (!arr)
		return coso_error_set(COSO_ENOMEM, "out of memory");
	return api_ok(res, json_pack("{s:o}", "resolutions", arr));
}

/* The report's scope: the query's, else the user's (NULL: the resolution's). */
static const char *plans_scope(const api_req *req)
{
	const char *s = api_query(req, "scope");

	return s && *s ? s : req->default_scope;
}

int api_reports_targets(const api_req *req, api_res *res)
{
	coso_plan_report r;
	coso_day as_of = api_query_day(req, "as_of", req->today);
	coso_day tree = api_query_day(req, "tree_as_of", COSO_DAY_MIN);
	const char *code = api_query(req, "resolution");
	char *picked = NULL;
	json_t *out;
	int rc;

	if (code && !*code)
		return coso_error_set(COSO_EINVALID, "resolution: give a resolution's code (GET /api/v1/resolutions)");
	if (!code) {
		/* the one in force on as_of, else the latest to start before it */
		if ((rc = coso_plan_pick(req->st, NULL, as_of, as_of, true, &picked)) < 0)
			return rc;
		if (!picked) /* no resolution in the registry yet */
			return api_ok(res, json_pack("{s:n, s:[], s:[], s:[]}", "resolution", "years", "targets", "units"));
		code = picked;
	}
	rc = coso_plan_report_build(req->st, code, plans_scope(req), as_of, tree, &r);
	free(picked);
	if (rc < 0)
		return rc;
	out = coso_plan_report_json(&r, (int)api_query_int(req, "depth", -1));
	coso_plan_report_clear(&r);
	return out ? api_ok(res, out) : coso_error_set(COSO_ENOMEM, "out of memory");
}

/* The bytes of a file (at most 16 MiB), base64 in a JSON string. */
static json_t *file_base64(const char *path)
{
	static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	FILE *fp = fopen(path, "rb");
	unsigned char in[3];
	char *out = NULL;
	size_t len = 0, cap = 0, k;
	json_t *j = NULL;

	if (!fp)
		return NULL;
	while ((k = fread(in, 1, 3, fp)) > 0) {
		if (len + 5 > cap) {
			size_t ncap = cap ? cap * 2 : 65536;
			char *nb = ncap > 24u * 1024 * 1024 ? NULL : realloc(out, ncap);

			if (!nb)
				goto done;
			out = nb;
			cap = ncap;
		}
		out[len++] = tbl[in[0] >> 2];
		out[len++] = tbl[((in[0] & 3) << 4) | (k > 1 ? in[1] >> 4 : 0)];
		out[len++] = k > 1 ? tbl[((in[1] & 15) << 2) | (k > 2 ? in[2] >> 6 : 0)] : '=';
		out[len++] = k > 2 ? tbl[in[2] & 63] : '=';
		memset(in, 0, sizeof(in));
	}
	if (out) {
		out[len] = '\0';
		j = json_stringn(out, len);
	} else {
		j = json_string("");
	}
done:
	fclose(fp);
	free(out);
	return j;
}

/* The narrative as a document: {filename, content_type, content} with the
 * content as text (fodt) or base64 (xlsx). */
static int narrative_file(const coso_narrative *n, coso_narrative_format fmt, json_t **out)
{
	char path[] = "/tmp/coso-narrative-XXXXXX";
	int fd = mkstemp(path), rc;
	FILE *fp;
	json_t *content;
	bool xlsx = fmt == COSO_NARRATIVE_XLSX;

	*out = NULL;
	if (fd < 0)
		return coso_error_set(COSO_EIO, "cannot make a temporary file");
	fp = fdopen(fd, "wb");
	if (!fp) {
		close(fd);
		unlink(path);
		return coso_error_set(COSO_EIO, "cannot make a temporary file");
	}
	rc = xlsx ? 0 : coso_narrative_write(n, fmt, fp, path);
	if (fclose(fp) != 0 && rc == 0)
		rc = coso_error_set(COSO_EIO, "cannot write the document");
	if (rc == 0 && xlsx)
		rc = coso_narrative_write(n, fmt, NULL, path);
	if (rc == 0) {
		if (xlsx) {
			content = file_base64(path);
		} else {
			FILE *in = fopen(path, "rb");
			char *buf = NULL;
			size_t len = 0;
			FILE *mem = open_memstream(&buf, &len);
			char chunk[8192];
			size_t k;

			while (in && mem && (k = fread(chunk, 1, sizeof(chunk), in)) > 0)
				fwrite(chunk, 1, k, mem);
			if (in)
				fclose(in);
			if (mem)
				fclose(mem);
			content = buf ? json_stringn(buf, len) : NULL;
			free(buf);
		}
		if (!content)
			rc = coso_error_set(COSO_ENOMEM, "out of memory");
		else
			*out = json_pack("{s:s, s:s, s:s, s:o}", "filename", xlsx ? "bao-cao.xlsx" : "bao-cao.fodt",
					 "content_type", xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
					 : "application/vnd.oasis.opendocument.text-flat-xml",
					 "encoding", xlsx ? "base64" : "utf-8", "content", content);
	}
	unlink(path);
	return rc;
}

int api_reports_narrative(const api_req *req, api_res *res)
{
	coso_narrative n;
	coso_day to = api_query_day(req, "to", req->today), from;
	coso_narrative_format fmt = COSO_NARRATIVE_JSON;
	const char *f = api_query(req, "format");
	json_t *out = NULL;
	int y, rc;

	coso_date_to_ymd(to, &y, NULL, NULL);
	from = api_query_day(req, "from", coso_date_from_ymd(y, 1, 1));
	if (to < from)
		return coso_error_set(COSO_EINVALID, "to comes before from");
	if (f && (rc = coso_narrative_format_parse(f, &fmt)) < 0)
		return rc;
	if ((rc = coso_narrative_build(req->st, plans_scope(req), from, to, api_query(req, "resolution"), &n)) < 0)
		return rc;
	if (fmt == COSO_NARRATIVE_FODT || fmt == COSO_NARRATIVE_XLSX)
		rc = narrative_file(&n, fmt, &out);
	else if (!(out = coso_narrative_json(&n)))
		rc = coso_error_set(COSO_ENOMEM, "out of memory");
	coso_narrative_clear(&n);
	return rc < 0 ? rc : api_ok(res, out);
}
