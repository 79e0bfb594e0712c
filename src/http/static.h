/*
 * static.h: the files of the browser interface (web/dist), served for every
 * path outside /api/.
 */
#ifndef COSO_HTTP_STATIC_H
#define COSO_HTTP_STATIC_H

/* The Content-Type for a file name by its extension (.html .js .css .svg
 * .png .json .woff2 ...; application/octet-stream otherwise). */
const char *coso_static_content_type(const char *name);

/* Resolves a request path to a file under web_dir: the file when it exists,
 * else index.html (the interface routes its own paths), except for a path
 * with the extension of an asset (.js, .css, .png, ...), which is
 * COSO_ENOTFOUND when missing. *out is a malloc'd path (the caller frees
 * it). Returns 0; COSO_EINVALID for a path that climbs out of web_dir ("..",
 * a backslash, a symbolic link leading out); COSO_ENOTFOUND when there is
 * neither the file nor index.html. */
int coso_static_resolve(const char *web_dir, const char *path, char **out);

/* The folder of the browser interface when none is given: web/dist of the
 * repository the program was built in (<dir of the executable>/../web/dist),
 * else ./web/dist. *out is malloc'd, or NULL when neither exists. */
int coso_static_default_dir(char **out);

#endif
