/*
 * main.c: the coso program: global options, the command table, dispatch.
 * Library code never prints; messages are printed here and in the cmd_*.c
 * files, from the error slot.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const struct command {
	const char *name;
	int (*fn)(struct cli_ctx *, int, char **);
	const char *summary;
	const char *usage;
} commands[] = {
	{ "import", cmd_import, "import a registry folder (all or nothing)",
	  "coso [--db PATH] import DIR\n"
	  "  Reads the files of DIR that are present (units.csv, institutions.csv, orgs.csv,\n"
	  "  members.csv, member_periods.csv) into the database, creating it when missing.\n"
	  "  Each row replaces the stored rows of its code (or member). If any row is wrong,\n"
	  "  nothing is stored and every problem is printed as FILE:LINE: column: problem.\n" },
	{ "export", cmd_export, "write the registry as a folder of CSV files",
	  "coso [--db PATH] export DIR\n"
	  "  Writes the five files of the interchange format into DIR (created when missing).\n" },
	{ "report", cmd_report, "figures as of a date, or over a period",
	  "coso [--db PATH] report --as-of DATE [--compare DATE0] [--scope CODE] [--format text|json|csv]\n"
	  "coso [--db PATH] report --from DATE --to DATE [--scope CODE] [--format text|json|csv]\n"
	  "  --as-of DATE     villages, schools, health stations and members on DATE, with the\n"
	  "                   scope's children (default: today)\n"
	  "  --compare DATE0  (text) DATE0 and DATE side by side, with the change\n"
	  "  --from/--to      admissions and organizations founded and dissolved, both days included\n"
	  "  --scope CODE     a unit's code (default: the top unit)\n"
	  "  --format         text (default, Vietnamese), json (the contract), csv\n" },
	{ "serve", cmd_serve, "serve the HTTP API and the browser interface",
	  "coso [--db PATH] serve [--port N] [--bind ADDR] [--web DIR]\n"
	  "  Serves the API (docs/API.md) under /api/v1/ and the browser interface, until\n"
	  "  SIGINT or SIGTERM. The database must exist (import a registry first).\n"
	  "  --port N     the port (default 8080; 0: any free port, printed on start)\n"
	  "  --bind ADDR  the address to listen on (default 127.0.0.1)\n"
	  "  --web DIR    the browser interface (default: web/dist of the repository)\n" },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

int cli_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("coso: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
	const struct command *c = find_command(cmd);
	va_list ap;

	fputs("coso: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (c)
		fprintf(stderr, "usage: %.*s\n", (int)strcspn(c->usage, "\n"), c->usage);
	fprintf(stderr, "(coso %s --help for more)\n", cmd);
	return 2;
}

int cli_is_help(const char *arg)
{
	return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

void cli_print_help(const char *cmd)
{
	const struct command *c = find_command(cmd);

	if (c)
		fputs(c->usage, stdout);
}

static void print_help(void)
{
	puts("coso: the registry of the grassroots political system (hệ thống chính trị ở cơ sở)\n\n"
	     "usage: coso [--db PATH] COMMAND [ARGS]\n\n"
	     "  --db PATH   the database (default: $COSO_DB, else coso.db)\n\n"
	     "commands:");
	for (size_t i = 0; i < N_COMMANDS; i++)
		printf("  %-8s %s\n", commands[i].name, commands[i].summary);
	puts("\ncoso COMMAND --help tells more about a command.");
}

int main(int argc, char **argv)
{
	struct cli_ctx ctx = { NULL, "coso" };
	const struct command *c;
	int i = 1;

	ctx.db_path = getenv("COSO_DB");
	if (!ctx.db_path || !*ctx.db_path)
		ctx.db_path = "coso.db";
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
			ctx.db_path = argv[++i];
		} else if (strncmp(argv[i], "--db=", 5) == 0) {
			ctx.db_path = argv[i] + 5;
		} else if (cli_is_help(argv[i])) {
			print_help();
			return 0;
		} else if (strcmp(argv[i], "--version") == 0) {
			puts("coso 0.1.0");
			return 0;
		} else {
			fprintf(stderr, "coso: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	if (i >= argc) {
		print_help();
		return 2;
	}
	if (strcmp(argv[i], "help") == 0) {
		if (i + 1 < argc && find_command(argv[i + 1]))
			cli_print_help(argv[i + 1]);
		else
			print_help();
		return 0;
	}
	c = find_command(argv[i]);
	if (!c) {
		fprintf(stderr, "coso: unknown command '%s' (coso --help lists them)\n", argv[i]);
		return 2;
	}
	if (!*ctx.db_path)
		return cli_fail("--db: empty path");
	return c->fn(&ctx, argc - i - 1, argv + i + 1);
}
