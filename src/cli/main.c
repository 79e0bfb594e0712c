/*
 * main.c: the coso program: global options, the command table, dispatch.
 * Library code never prints; messages are printed here and in the cmd_*.c
 * files, from the error slot.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/workdays.h"
#include "util/error.h"

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
	  "  --format         text (default, Vietnamese), json (the contract), csv\n"
	  /* plans (docs/PLANS.md) */
	  "  --tree-as-of T   figures on the tree of day T: the facts of a unit that no longer exists\n"
	  "                   (or not yet) count in the unit of T that now holds its villages\n"
	  "coso [--db PATH] report resolutions [--format text|json]\n"
	  "coso [--db PATH] report targets --resolution CODE [--as-of DATE] [--tree-as-of T] [--scope CODE]\n"
	  "                 [--depth N] [--format text|json]\n"
	  "  each target's progress year by year and over the period (met, not met, on track, behind)\n"
	  "  for the resolution's scope and its districts and communes (--depth: 0 the scope only,\n"
	  "  1 (text default) its children, -1 (json default) all)\n"
	  "coso [--db PATH] report narrative --from DATE --to DATE [--scope CODE] [--resolution CODE]\n"
	  "                 [--format text|json|fodt|xlsx] [--out FILE]\n"
	  "  the written report of the period in Vietnamese; fodt: a document LibreOffice and Word\n"
	  "  open; xlsx: an Excel workbook of its tables (needs --out)\n" },
	/* cadres */
	{ "cadres", cmd_cadres, "commune cadres: training, rotations, standards; a commune's posts",
	  "coso [--db PATH] cadres report --from DATE --to DATE [--scope CODE] [--format text|json|csv]\n"
	  "coso [--db PATH] cadres training --from DATE --to DATE [--scope CODE] [--kind KIND] [--format text|json|csv]\n"
	  "coso [--db PATH] cadres posts --unit CODE [--as-of DATE] [--format text|json]\n"
	  "  report   people sent to professional training, to political theory and to short\n"
	  "           courses that started in the period (both days included), rotations, and the\n"
	  "           share of posts whose holder meets the post's standards on --to, per commune\n"
	  "  training the training records counted by report: who was sent, from which commune,\n"
	  "           to what (--kind professional, political_theory or short_course); text ends\n"
	  "           with their number\n"
	  "  posts    the posts of commune CODE held on DATE (default: today), with their holders\n"
	  "  --scope CODE   a unit's code (default: everything)\n"
	  "  --format       text (default, Vietnamese), json, csv\n"
	  "  The files are docs/CADRES.md's (cadre_*.csv, imported with the registry).\n" },
	/* end cadres */
	{ "serve", cmd_serve, "serve the HTTP API and the browser interface",
	  "coso [--db PATH] serve [--port N] [--bind ADDR] [--web DIR]\n"
	  "  Serves the API (docs/API.md) under /api/v1/ and the browser interface, until\n"
	  "  SIGINT or SIGTERM. The database must exist (import a registry first).\n"
	  "  --port N     the port (default 8080; 0: any free port, printed on start)\n"
	  "  --bind ADDR  the address to listen on (default 127.0.0.1)\n"
	  "  --web DIR    the browser interface (default: web/dist of the repository)\n" },
	{ "audit", cmd_audit, "verify or show the audit log of every change",
	  "coso [--db PATH] audit verify\n"
	  "coso [--db PATH] audit log [--user U] [--record KIND:KEY] [--from DATE] [--to DATE] [--format text|json]\n"
	  "  verify   walks the hash chain of the log; names the first entry edited, removed or\n"
	  "           reordered and exits with 1, else prints the number of entries and the head\n"
	  "  log      the entries, oldest first: when (UTC), who, from where, what, and the\n"
	  "           record before and after\n"
	  "  --user U           entries of user U\n"
	  "  --record KIND:KEY  entries of one record (member:M12, org:CV11, unit:00001,\n"
	  "                     institution:S1, registry:FOLDER for imports; KIND: for any of a kind)\n"
	  "  --from/--to DATE   entries of those UTC days (both included)\n"
	  "  --format           text (default) or json\n" },
	{ "backup", cmd_backup, "copy the database consistently, even while it is served",
	  "coso [--db PATH] backup FILE [--pages N]\n"
	  "  Writes a consistent copy of the database to FILE (through FILE.tmp, renamed when\n"
	  "  complete and checked) while coso serve may go on writing. The copy is one SQLite\n"
	  "  file: restore it by using it as --db (or copying it over the database while no\n"
	  "  coso runs).\n"
	  "  --pages N    pages copied per step (default 1024)\n" },
	{ "user", cmd_user, "add, change or disable who may sign in to coso serve",
	  "coso [--db PATH] user add NAME --role ROLE [--scope CODE] [--password-stdin | --generate-password]\n"
	  "coso [--db PATH] user passwd NAME [--password-stdin | --generate-password]\n"
	  "coso [--db PATH] user disable NAME\n"
	  "coso [--db PATH] user list\n"
	  "  add       a user of the browser interface and the API (docs/SECURITY.md); the first\n"
	  "            administrator is made this way (there is no default account). The database\n"
	  "            is created when missing.\n"
	  "  passwd    a new password; the user's sessions end\n"
	  "  disable   the user can no longer sign in; the user's sessions end\n"
	  "  list      users, roles, scopes, whether disabled, open sessions\n"
	  "  --role ROLE    admin (everything), provincial (the registry and units of its scope),\n"
	  "                 district, clerk (members, organizations, institutions of its scope),\n"
	  "                 leader (reads only)\n"
	  "  --scope CODE   the unit whose subtree (as of today) the user sees; required but for admin\n"
	  "  --password-stdin     read the password from the first line of standard input\n"
	  "  --generate-password  make one up (20 random characters) and print it\n"
	  "  Without either, the password is asked twice on a terminal (not shown), else read from\n"
	  "  standard input. At least 10 characters.\n" },
	/* services */
	{ "services", cmd_services, "one-stop cases, complaints, denunciations, petitions (docs/SERVICES.md)",
	  "coso [--db PATH] services list [--scope CODE] [--kind KIND] [--status S] [--on DATE] [--from DATE]\n"
	  "                                [--to DATE] [--q WORDS] [--limit N] [--format text|json]\n"
	  "coso [--db PATH] services show ID [--as-of DATE] [--format text|json]\n"
	  "coso [--db PATH] services slip ID\n"
	  "coso [--db PATH] services report [--scope CODE] [--from DATE] [--to DATE] [--by kind|unit|procedure]\n"
	  "                                  [--format text|json]\n"
	  "coso [--db PATH] services receptions [--scope CODE] [--from DATE] [--to DATE] [--format text|json]\n"
	  "coso [--db PATH] services reception ID [--format text|json]\n"
	  "coso [--db PATH] services voters [--scope CODE] [--status S] [--on DATE] [--from DATE] [--to DATE]\n"
	  "                                [--format text|json]\n"
	  "coso [--db PATH] services procedures [--as-of DATE] [--format text|json]\n"
	  "coso [--db PATH] [--calendar FILE] services recompute\n"
	  "  list        cases received in the scope (a unit's code: its cases and those of the units\n"
	  "              under it on the day received); --status open (default), due (due on --on,\n"
	  "              default today), overdue (open past the deadline on --on), late (closed after\n"
	  "              it), closed or all; --kind onestop, complaint, complaint_second, denunciation\n"
	  "              or petition; --from/--to: received between; at most --limit (500) rows\n"
	  "  show        one case, its events and its clock as of --as-of (default today): whether it\n"
	  "              was open and on time that day\n"
	  "  slip        the apology slip of a late one-stop case (phiếu xin lỗi và hẹn lại ngày trả\n"
	  "              kết quả), for printing\n"
	  "  report      received, resolved, on time, late, open and overdue, by kind (and by commune\n"
	  "              with --by unit, by procedure with --by procedure), for the period (default:\n"
	  "              1 January of --to's year to --to); citizen reception; voters' petitions\n"
	  "  receptions  citizen reception sessions (tiếp công dân) of the scope and period\n"
	  "  reception   one session: the citizens received, their matters, the cases they went to\n"
	  "  voters      voters' petitions to the People's Council (kiến nghị cử tri) of meetings\n"
	  "              --from/--to; --status answered, unanswered (on --on), late (not answered by\n"
	  "              the next session) or all\n"
	  "  procedures  the procedure catalogue and its processing times\n"
	  "  recompute   compute every stored deadline again (after a new calendar file)\n"
	  "  The command line has no user: a denouncer's identity is never shown (coso export writes it).\n" },
	/* party */
	{ "party", cmd_party, "party work: what is due, overdue and late; candidates for admission",
	  "coso [--db PATH] [--calendar FILE] party due [--as-of DATE] [--org CODE] [--format text|json|csv]\n"
	  "coso [--db PATH] [--calendar FILE] party candidates [--as-of DATE] [--org CODE] [--all] [--format text|csv]\n"
	  "coso [--db PATH] party badges [--as-of DATE] [--org CODE] [--format text|csv]\n"
	  "coso [--db PATH] party ratings --year YEAR [--org CODE] [--format text|csv]\n"
	  "  due         the deadlines of the Party's rules (docs/PARTY.md) on DATE: due this month, overdue,\n"
	  "              and met late in the last 365 days: the committee's decision after the cell's vote,\n"
	  "              the admission ceremony, the review of the probation; in working days\n"
	  "  candidates  the candidates proposed by DATE and not yet admitted nor dropped (--all: every\n"
	  "              one), with their stage and next deadline\n"
	  "  badges      the members due for a Party badge (30 to 90 years) at the next ceremony on or\n"
	  "              after DATE (3/2, 19/5, 2/9, 7/11), and those who may have it early if seriously ill\n"
	  "  ratings     the year's quality ratings of members and organizations per level, and the\n"
	  "              grassroots organizations with more excellent members than 20% of the good ones\n"
	  "  --as-of DATE  the day (default: today)\n"
	  "  --org CODE    an organization: itself and those under it (default: all)\n" },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

const char *cli_user(void)
{
	static char name[256];
	const char *u = getenv("USER");
	struct passwd *pw;

	if (u && *u)
		return u;
	if (!name[0] && (pw = getpwuid(geteuid())) && pw->pw_name)
		snprintf(name, sizeof(name), "%s", pw->pw_name);
	return name[0] ? name : "cli";
}

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

int cli_take_option(const char *cmd, const struct cli_opt *opts, int argc, char **argv, int *i)
{
	for (const struct cli_opt *o = opts; o->name; o++) {
		if (strcmp(argv[*i], o->name) != 0)
			continue;
		if (*i + 1 >= argc)
			return cli_usage(cmd, "%s needs a value", o->name);
		*o->value = argv[++*i];
		return 1;
	}
	return 0;
}

int cli_format_of(const char *cmd, const char *value, int csv, enum cli_format *fmt)
{
	*fmt = CLI_TEXT;
	if (!value || strcmp(value, "text") == 0)
		return 0;
	if (strcmp(value, "json") == 0)
		*fmt = CLI_JSON;
	else if (csv && strcmp(value, "csv") == 0)
		*fmt = CLI_CSV;
	else
		return cli_usage(cmd, "--format: '%s' is not %s", value, csv ? "text, json or csv" : "text or json");
	return 0;
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
	     "usage: coso [--db PATH] [--calendar FILE] COMMAND [ARGS]\n\n"
	     "  --db PATH        the database (default: $COSO_DB, else coso.db)\n"
	     "  --calendar FILE  days off and make-up working days declared after this release, added to\n"
	     "                   the shipped ones (default: $COSO_CALENDAR; format in docs/CALENDAR.md)\n\n"
	     "commands:");
	for (size_t i = 0; i < N_COMMANDS; i++)
		printf("  %-8s %s\n", commands[i].name, commands[i].summary);
	puts("\ncoso COMMAND --help tells more about a command.");
}

int main(int argc, char **argv)
{
	struct cli_ctx ctx = { NULL, "coso" };
	const struct command *c;
	const char *calendar = getenv("COSO_CALENDAR");
	int i = 1, rc;

	ctx.db_path = getenv("COSO_DB");
	if (!ctx.db_path || !*ctx.db_path)
		ctx.db_path = "coso.db";
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
			ctx.db_path = argv[++i];
		} else if (strncmp(argv[i], "--db=", 5) == 0) {
			ctx.db_path = argv[i] + 5;
		} else if (strcmp(argv[i], "--calendar") == 0 && i + 1 < argc) {
			calendar = argv[++i];
		} else if (strncmp(argv[i], "--calendar=", 11) == 0) {
			calendar = argv[i] + 11;
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
	/* the working-day calendar, built before any command starts threads */
	if (calendar && *calendar && coso_calendar_configure(calendar) < 0)
		return cli_fail("--calendar: %s", coso_error_last());
	rc = c->fn(&ctx, argc - i - 1, argv + i + 1);
	coso_calendar_shutdown();
	return rc;
}
