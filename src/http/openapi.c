/*
 * openapi.c: GET /api/v1/openapi.json, an OpenAPI 3.0 document generated
 * from the route table (routes.c), so it lists exactly the routes the server
 * has, with their parameters and bodies as the dispatcher checks them.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "http/api.h"
#include "util/error.h"

static json_t *schema_of(const api_param *p)
{
	json_t *s, *values;

	switch (p->type) {
	case API_DATE:
		return json_pack("{s:s, s:s}", "type", "string", "format", "date");
	case API_INT:
		return json_pack("{s:s, s:I, s:I}", "type", "integer", "minimum", (json_int_t)p->min,
				 "maximum", (json_int_t)p->max);
	case API_FLAG:
		return json_pack("{s:[{s:s}, {s:s, s:[i, i]}]}", "oneOf", "type", "boolean", "type", "integer", "enum", 0, 1);
	case API_ENUM:
		s = json_pack("{s:s}", "type", "string");
		values = json_array();
		for (const char *const *v = p->values; v && *v; v++)
			json_array_append_new(values, json_string(*v));
		if (!s || json_object_set_new(s, "enum", values) < 0) {
			json_decref(s);
			return NULL;
		}
		return s;
	default:
		return json_pack("{s:s}", "type", "string");
	}
}

static json_t *parameter(const char *name, const char *in, bool required, const char *description, json_t *schema)
{
	return json_pack("{s:s, s:s, s:b, s:s, s:o}", "name", name, "in", in, "required", required,
			 "description", description ? description : "", "schema", schema);
}

/* The route's path and query parameters. */
static json_t *parameters(const api_route *r)
{
	json_t *arr = json_array();
	const char *p = r->pattern;

	while (arr && (p = strchr(p, '{')) != NULL) {
		size_t n = strcspn(p + 1, "}");
		char name[64];

		snprintf(name, sizeof(name), "%.*s", (int)n, p + 1);
		json_array_append_new(arr, parameter(name, "path", true, "the record's code or id",
						     json_pack("{s:s}", "type", "string")));
		p += n + 1;
	}
	for (const api_param *q = r->query; arr && q && q->name; q++)
		json_array_append_new(arr, parameter(q->name, "query", q->required, q->description, schema_of(q)));
	return arr;
}

static json_t *request_body(const api_route *r)
{
	json_t *props = json_object(), *required = json_array();

	for (const api_param *b = r->body; props && required && b->name; b++) {
		json_t *s = schema_of(b);

		if (s)
			json_object_set_new(s, "description", json_string(b->description ? b->description : ""));
		json_object_set_new(props, b->name, s);
		if (b->required)
			json_array_append_new(required, json_string(b->name));
	}
	return json_pack("{s:b, s:{s:{s:{s:s, s:b, s:o, s:o}}}}", "required", 1, "content", "application/json",
			 "schema", "type", "object", "additionalProperties", 0, "required", required,
			 "properties", props);
}

static const char *perm_name(api_perm p)
{
	switch (p) {
	case API_PUBLIC: return "public";
	case API_SIGNED_IN: return "signed_in";
	case API_READ: return "read";
	case API_WRITE_REGISTRY: return "write_registry";
	case API_WRITE_UNITS: return "write_units";
	case API_ADMIN: return "admin";
	}
	return "";
}

static json_t *operation(const api_route *r)
{
	char id[160];
	size_t n = 0;
	json_t *op, *responses;

	/* operationId: method and path, e.g. get_api_v1_units_code */
	for (const char *s = r->method; *s && n + 1 < sizeof(id); s++)
		id[n++] = (char)tolower((unsigned char)*s);
	for (const char *s = r->pattern; *s && n + 1 < sizeof(id); s++) {
		if (isalnum((unsigned char)*s))
			id[n++] = (char)tolower((unsigned char)*s);
		else if (*s == '/' || *s == '.')
			id[n++] = '_';
	}
	id[n] = '\0';
	responses = json_pack("{s:{s:s, s:{s:{s:{s:s}}}}, s:{s:s, s:{s:{s:{s:s}}}}}",
			      r->status == 201 ? "201" : "200", "description", r->status == 201 ? "Created" : "OK",
			      "content", "application/json", "schema", "type", "object",
			      "default", "description", "A problem (RFC 9457): 400, 401, 403, 404, 405, 413, 415, 422,"
			      " 429 or 500",
			      "content", "application/problem+json", "schema", "$ref", "#/components/schemas/Problem");
	op = json_pack("{s:s, s:s, s:o, s:o, s:s}", "summary", r->summary, "operationId", id,
		       "parameters", parameters(r), "responses", responses, "x-permission", perm_name(r->perm));
	if (op && r->body && json_object_set_new(op, "requestBody", request_body(r)) < 0) {
		json_decref(op);
		return NULL;
	}
	/* who may call it (docs/SECURITY.md): the session cookie, and for a POST
	 * the session's CSRF token too; the public routes need neither */
	if (op && r->perm == API_PUBLIC && json_object_set_new(op, "security", json_array()) < 0) {
		json_decref(op);
		return NULL;
	}
	if (op && r->perm != API_PUBLIC && strcmp(r->method, "POST") == 0 &&
	    json_object_set_new(op, "security", json_pack("[{s:[], s:[]}]", "session", "csrf")) < 0) {
		json_decref(op);
		return NULL;
	}
	return op;
}

int api_openapi(const api_req *req, api_res *res)
{
	json_t *paths = json_object(), *doc;

	(void)req;
	if (!paths)
		return coso_error_set(COSO_ENOMEM, "out of memory");
	for (size_t i = 0; i < api_nroutes; i++) {
		const api_route *r = &api_routes[i];
		json_t *item = json_object_get(paths, r->pattern);
		char method[8];
		size_t k;

		if (!item) {
			item = json_object();
			if (!item || json_object_set_new(paths, r->pattern, item) < 0) {
				json_decref(paths);
				return coso_error_set(COSO_ENOMEM, "out of memory");
			}
		}
		for (k = 0; r->method[k] && k + 1 < sizeof(method); k++)
			method[k] = (char)tolower((unsigned char)r->method[k]);
		method[k] = '\0';
		if (json_object_set_new(item, method, operation(r)) < 0) {
			json_decref(paths);
			return coso_error_set(COSO_ENOMEM, "out of memory");
		}
	}
	doc = json_pack("{s:s, s:{s:s, s:s, s:s}, s:o, s:{s:{s:{s:s, s:[s, s, s], s:{s:{s:s}, s:{s:s}, s:{s:s},"
			" s:{s:s}, s:{s:s, s:{s:s, s:{s:{s:s}, s:{s:s}}}}}}}}}",
			"openapi", "3.0.3",
			"info", "title", "coso", "version", "0.1.0",
			"description", "The registry of the grassroots political system: reads as of a day, reports,"
			" and dated events (docs/API.md).",
			"paths", paths,
			"components", "schemas", "Problem", "type", "object", "required", "type", "title", "status",
			"properties", "type", "type", "string", "title", "type", "string", "status", "type", "integer",
			"detail", "type", "string",
			"errors", "type", "array", "items", "type", "object", "properties",
			"field", "type", "string", "message", "type", "string");
	if (doc && json_object_set_new(json_object_get(doc, "components"), "securitySchemes",
				       json_pack("{s:{s:s, s:s, s:s, s:s}, s:{s:s, s:s, s:s, s:s}}",
						 "session", "type", "apiKey", "in", "cookie", "name", API_SESSION_COOKIE,
						 "description", "the session cookie set by POST /api/v1/session",
						 "csrf", "type", "apiKey", "in", "header", "name", "X-CSRF-Token",
						 "description", "the csrf of the session (POST /api/v1/session,"
						 " GET /api/v1/session), on every POST")) < 0) {
		json_decref(doc);
		doc = NULL;
	}
	if (doc && json_object_set_new(doc, "security", json_pack("[{s:[]}]", "session")) < 0) {
		json_decref(doc);
		doc = NULL;
	}
	return api_ok(res, doc);
}
