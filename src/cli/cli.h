/*
 * cli.h: the coso command line. Each command is one entry of the table in
 * main.c: {name, function, summary, usage}; main handles the global options
 * (--db, --help) and hands the command its own arguments.
 */
#ifndef COSO_CLI_CLI_H
#define COSO_CLI_CLI_H

struct cli_ctx {
	const char *db_path;  /* --db, else $COSO_DB, else coso.db */
	const char *prog;
};

/* Each returns the process exit status (0 ok, 1 failure, 2 usage error). */
int cmd_import(struct cli_ctx *ctx, int argc, char **argv);
int cmd_export(struct cli_ctx *ctx, int argc, char **argv);
int cmd_report(struct cli_ctx *ctx, int argc, char **argv);
int cmd_serve(struct cli_ctx *ctx, int argc, char **argv);
int cmd_audit(struct cli_ctx *ctx, int argc, char **argv);
int cmd_backup(struct cli_ctx *ctx, int argc, char **argv);
int cmd_user(struct cli_ctx *ctx, int argc, char **argv);
int cmd_cadres(struct cli_ctx *ctx, int argc, char **argv); /* cadres */
/* plans: coso report resolutions | targets | narrative (argv[0] names it) */
int cmd_report_plans(struct cli_ctx *ctx, int argc, char **argv);
/* services */
int cmd_services(struct cli_ctx *ctx, int argc, char **argv);
int cmd_party(struct cli_ctx *ctx, int argc, char **argv); /* party */

/* Who runs the command, for the audit log: $USER, else the account's name,
 * else "cli". Static storage. */
const char *cli_user(void);

/* Prints "coso: message" on stderr; returns 1. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "coso: message" and the command's usage line; returns 2. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* An option of a command that takes a value: "--from", and where it goes. */
struct cli_opt {
	const char *name;
	const char **value;
};

/* When argv[*i] names one of opts (ended by a NULL name), stores the next
 * argument as its value and moves *i onto it: returns 1. Returns 0 when it
 * names none, and 2 (the usage error printed) when its value is missing. */
int cli_take_option(const char *cmd, const struct cli_opt *opts, int argc, char **argv, int *i);

/* The formats a command prints in. */
enum cli_format { CLI_TEXT, CLI_JSON, CLI_CSV };

/* The value of --format (NULL: text) in *fmt, csv only when `csv`: 0, or 2
 * with the usage error printed. */
int cli_format_of(const char *cmd, const char *value, int csv, enum cli_format *fmt);

/* True when arg is --help or -h. */
int cli_is_help(const char *arg);
/* Prints the usage text of a command on stdout. */
void cli_print_help(const char *cmd);

#endif
