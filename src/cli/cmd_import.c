/* cmd_import.c: coso import DIR. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/import.h"
#include "db/store_audit.h"
#include "util/error.h"
#include "util/vnfmt.h"

/* Removes a database file that this command created and then failed to fill,
 * so that a failed first import leaves nothing behind. */
static void remove_db(const char *path)
{
	char side[4200];

	remove(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	remove(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	remove(side);
}

int cmd_import(struct cli_ctx *ctx, int argc, char **argv)
{
	coso_diag diag = COSO_DIAG_INIT;
	coso_import_stats stats;
	coso_store *st = NULL;
	bool created = false;
	int rc;

	if (argc == 1 && cli_is_help(argv[0])) {
		cli_print_help("import");
		return 0;
	}
	if (argc != 1)
		return cli_usage("import", "import takes one folder");
	if (coso_store_open(&st, ctx->db_path, COSO_STORE_CREATE, &created) < 0)
		return cli_fail("%s", coso_error_last());
	if (coso_store_bulk(st) < 0 || coso_store_set_actor(st, cli_user(), "local") < 0) {
		coso_store_close(st);
		return cli_fail("%s", coso_error_last());
	}
	rc = coso_import_dir(st, argv[0], &diag, &stats, isatty(fileno(stderr)) ? stderr : NULL);
	coso_store_close(st);
	if (rc < 0) {
		for (size_t i = 0; i < diag.n; i++)
			fprintf(stderr, "%s\n", diag.msgs[i]);
		if (diag.total > diag.n)
			fprintf(stderr, "... and %zu more problems\n", diag.total - diag.n);
		cli_fail("%s: %s", argv[0], coso_error_last());
		coso_diag_clear(&diag);
		if (created)
			remove_db(ctx->db_path);
		return 1;
	}
	coso_diag_clear(&diag);
	{
		char b[32];
		long long total = 0;

		for (int f = 0; f < coso_import_file_count(); f++) {
			if (!stats.present[f])
				continue;
			total += stats.rows[f];
			fprintf(stderr, "  %-20s %12s rows\n", coso_import_file_name(f),
				coso_vnfmt_int(b, sizeof(b), stats.rows[f]));
		}
		fprintf(stderr, "imported %s rows into %s\n", coso_vnfmt_int(b, sizeof(b), total), ctx->db_path);
	}
	return 0;
}
