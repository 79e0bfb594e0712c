/* cmd_export.c: coso export DIR. */
#include <stdio.h>

#include "cli/cli.h"
#include "core/export.h"
#include "util/error.h"

int cmd_export(struct cli_ctx *ctx, int argc, char **argv)
{
	coso_store *st = NULL;
	int rc;

	if (argc == 1 && cli_is_help(argv[0])) {
		cli_print_help("export");
		return 0;
	}
	if (argc != 1)
		return cli_usage("export", "export takes one folder");
	if (coso_store_open(&st, ctx->db_path, 0, NULL) < 0)
		return cli_fail("%s", coso_error_last());
	rc = coso_export_dir(st, argv[0]);
	coso_store_close(st);
	if (rc < 0)
		return cli_fail("%s", coso_error_last());
	return 0;
}
