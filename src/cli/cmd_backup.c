/*
 * cmd_backup.c: coso backup FILE [--pages N]: an online, consistent copy of
 * the database while coso serve (or anything else) keeps writing
 * (coso_store_backup in db/store_audit.h; docs/DURABILITY.md).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "db/store_audit.h"
#include "util/error.h"

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int cmd_backup(struct cli_ctx *ctx, int argc, char **argv)
{
	coso_store *st = NULL;
	coso_backup_stats stats;
	const char *file = NULL;
	struct stat a, b;
	long pages = 1024;
	double t0;
	int rc;

	for (int i = 0; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			cli_print_help("backup");
			return 0;
		}
		if (strcmp(argv[i], "--pages") == 0) {
			char *end;

			if (i + 1 >= argc)
				return cli_usage("backup", "--pages needs a value");
			errno = 0;
			pages = strtol(argv[++i], &end, 10);
			if (errno || *end || end == argv[i] || pages < 1 || pages > 1000000)
				return cli_usage("backup", "--pages: '%s' is not a number of pages (1 to 1000000)", argv[i]);
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_usage("backup", "unknown option '%s'", argv[i]);
		} else if (file) {
			return cli_usage("backup", "backup takes one file");
		} else {
			file = argv[i];
		}
	}
	if (!file || !*file)
		return cli_usage("backup", "backup takes one file");
	if (stat(file, &b) == 0 && S_ISDIR(b.st_mode))
		return cli_usage("backup", "'%s' is a folder: give the file to write", file);
	if (stat(ctx->db_path, &a) == 0 && stat(file, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		return cli_fail("%s is the database itself: back it up to another file", file);
	if (coso_store_open(&st, ctx->db_path, 0, NULL) < 0)
		return cli_fail("%s", coso_error_last());
	t0 = seconds();
	rc = coso_store_backup(st, file, (int)pages, &stats);
	coso_store_close(st);
	if (rc < 0)
		return cli_fail("%s", coso_error_last());
	fprintf(stderr, "backed up %s to %s: %lld pages of %lld bytes in %lld steps, %.2f s; audit log intact, %lld entries\n",
		ctx->db_path, file, stats.pages, stats.page_size, stats.steps, seconds() - t0, stats.audit.entries);
	return 0;
}
