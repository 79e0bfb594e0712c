/*
 * static.c: finding the files of the browser interface (http/static.h).
 * Nothing here reads a file: the server sends the resolved one.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "http/static.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/error.h"

static const struct {
	const char *ext, *type;
} types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".mjs", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".jpg", "image/jpeg" },
	{ ".ico", "image/x-icon" },
	{ ".json", "application/json" },
	{ ".map", "application/json" },
	{ ".webmanifest", "application/manifest+json" },
	{ ".woff2", "font/woff2" },
	{ ".woff", "font/woff" },
	{ ".txt", "text/plain; charset=utf-8" },
};

const char *coso_static_content_type(const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		size_t e = strlen(types[i].ext);

		if (n >= e && strcmp(name + n - e, types[i].ext) == 0)
			return types[i].type;
	}
	return "application/octet-stream";
}

/* Whether a path names a file of the interface by its extension (.js, .css,
 * ...; not .html): those are never answered with the index page. */
static bool is_asset(const char *path)
{
	const char *type = coso_static_content_type(path);

	return strncmp(type, "text/html", 9) != 0 && strcmp(type, "application/octet-stream") != 0;
}

static bool is_file(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static bool is_dir(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* Whether the path climbs: a ".." segment, or a backslash. */
static bool climbs(const char *path)
{
	const char *p = path;

	if (strchr(path, '\\'))
		return true;
	while (*p) {
		size_t n;

		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return true;
		p += n;
	}
	return false;
}

/* Whether the real path of `file` is inside the real folder `root`. */
static bool inside(const char *root_real, const char *file)
{
	char real[PATH_MAX];
	size_t n = strlen(root_real);

	if (!realpath(file, real))
		return false;
	return strncmp(real, root_real, n) == 0 && (real[n] == '/' || real[n] == '\0');
}

int coso_static_resolve(const char *web_dir, const char *path, char **out)
{
	char root[PATH_MAX], file[PATH_MAX];
	int w;

	*out = NULL;
	if (climbs(path))
		return coso_error_set(COSO_EINVALID, "the path climbs out of the web folder");
	if (!realpath(web_dir, root))
		return coso_error_set(COSO_ENOTFOUND, "the browser interface is not there (%s)", web_dir);
	while (*path == '/')
		path++;
	w = snprintf(file, sizeof(file), "%s/%s", root, path);
	if (w < 0 || (size_t)w >= sizeof(file))
		return coso_error_set(COSO_EINVALID, "path too long");
	if (*path && is_file(file)) {
		if (!inside(root, file))
			return coso_error_set(COSO_EINVALID, "the path leads out of the web folder");
	} else if (is_asset(path)) {
		/* a missing script or style sheet must not be answered with the
		 * page (a browser would refuse it with a confusing MIME error) */
		return coso_error_set(COSO_ENOTFOUND, "/%s: no such file in the browser interface", path);
	} else {
		/* the interface's own routes (and /) get its index page */
		w = snprintf(file, sizeof(file), "%s/index.html", root);
		if (w < 0 || (size_t)w >= sizeof(file) || !is_file(file))
			return coso_error_set(COSO_ENOTFOUND, "the browser interface is not built (%s has no index.html)",
					      web_dir);
	}
	*out = strdup(file);
	if (!*out)
		return coso_error_set(COSO_ENOMEM, "out of memory");
	return 0;
}

int coso_static_default_dir(char **out)
{
	char exe[PATH_MAX], dir[PATH_MAX + 32];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	*out = NULL;
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(dir, sizeof(dir), "%s/../web/dist", exe);
			if (is_dir(dir)) {
				*out = realpath(dir, NULL);
				return *out ? 0 : coso_error_set(COSO_ENOMEM, "out of memory");
			}
		}
	}
	if (is_dir("web/dist")) {
		*out = realpath("web/dist", NULL);
		return *out ? 0 : coso_error_set(COSO_ENOMEM, "out of memory");
	}
	return 0;
}
