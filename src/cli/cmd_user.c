/*
 * cmd_user.c: coso user add | passwd | disable | list (docs/SECURITY.md).
 *
 * There is no default account and no default password: the first
 * administrator is made here, by whoever can write the database file.
 * A password is typed twice with the echo off on a terminal, read from the
 * first line of standard input otherwise (--password-stdin says so), or
 * made up from the CSPRNG and printed (--generate-password). Each change is
 * one transaction with its entry in the audit log (never the password or
 * its hash).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "auth/auth.h"
#include "cli/cli.h"
#include "db/store_audit.h"
#include "db/store_auth.h"
#include "util/error.h"

/* Overwrites a secret in a way the compiler does not drop. */
static void wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;

	while (n--)
		*v++ = 0;
}

/* One line of fp into buf (without its end); -1 at end of file, -2 when too long. */
static int read_line(FILE *fp, char *buf, size_t n)
{
	size_t len;

	if (!fgets(buf, (int)n, fp))
		return -1;
	len = strlen(buf);
	if (len == n - 1 && buf[len - 1] != '\n' && !feof(fp))
		return -2;
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	return 0;
}

/* Asks for a line on the terminal with the echo off. */
static int ask_hidden(const char *prompt, char *buf, size_t n)
{
	struct termios old, quiet;
	bool restore;
	int rc;

	fputs(prompt, stderr);
	fflush(stderr);
	restore = tcgetattr(STDIN_FILENO, &old) == 0;
	if (restore) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		quiet.c_lflag |= ECHONL;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	rc = read_line(stdin, buf, n);
	if (restore)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	return rc;
}

enum pw_source { PW_ASK, PW_STDIN, PW_GENERATE };

/* The new password of `name` into buf (COSO_PASSWORD_MAX + 2 bytes); 0, or
 * the exit status of a failure (printed). */
static int get_password(enum pw_source src, const char *name, char *buf, size_t n)
{
	char again[COSO_PASSWORD_MAX + 2];
	char prompt[128];
	int rc;

	if (src == PW_GENERATE) {
		if (coso_password_generate(buf, n) < 0)
			return cli_fail("%s", coso_error_last());
		return 0;
	}
	if (src == PW_ASK && isatty(STDIN_FILENO)) {
		snprintf(prompt, sizeof(prompt), "New password for %s: ", name);
		rc = ask_hidden(prompt, buf, n);
		if (rc == 0 && coso_password_check(buf) < 0) {
			wipe(buf, n);
			return cli_fail("%s", coso_error_last());
		}
		if (rc == 0)
			rc = ask_hidden("Again: ", again, sizeof(again));
		if (rc == 0 && strcmp(buf, again) != 0) {
			wipe(buf, n);
			wipe(again, sizeof(again));
			return cli_fail("the two passwords differ: nothing changed");
		}
		wipe(again, sizeof(again));
	} else {
		rc = read_line(stdin, buf, n);
	}
	if (rc == -1)
		return cli_fail("no password given (standard input is empty)");
	if (rc == -2) {
		wipe(buf, n);
		return cli_fail("a password has at most %d characters", COSO_PASSWORD_MAX);
	}
	if (coso_password_check(buf) < 0) {
		wipe(buf, n);
		return cli_fail("%s", coso_error_last());
	}
	return 0;
}

/* Opens the database (created by `add` when missing) with the CLI's actor. */
static int open_store(struct cli_ctx *ctx, bool create, coso_store **st)
{
	if (coso_store_open(st, ctx->db_path, create ? COSO_STORE_CREATE : 0, NULL) < 0)
		return cli_fail("%s", coso_error_last());
	if (coso_store_set_actor(*st, cli_user(), "local") < 0) {
		coso_store_close(*st);
		*st = NULL;
		return cli_fail("%s", coso_error_last());
	}
	return 0;
}

/* Runs change(st, arg) and its audit entry in one transaction. */
static int in_transaction(coso_store *st, int (*change)(coso_store *, void *), void *arg, const char *action,
			  const char *name, const char *before, const char *after)
{
	int rc;

	if ((rc = coso_store_begin(st)) < 0)
		return rc;
	if ((rc = change(st, arg)) < 0 ||
	    (rc = coso_store_audit_append(st, action, "user", name, before, after)) < 0 ||
	    (rc = coso_store_commit(st)) < 0) {
		coso_store_rollback(st);
		return rc;
	}
	return 0;
}

struct user_change {
	const char *name, *role, *scope, *pwhash;
	int ended;
};

static int do_add(coso_store *st, void *arg)
{
	struct user_change *c = arg;

	return coso_store_user_add(st, c->name, c->role, c->scope, c->pwhash, (long long)time(NULL));
}

static int do_passwd(coso_store *st, void *arg)
{
	struct user_change *c = arg;

	return coso_store_user_set_password(st, c->name, c->pwhash);
}

static int do_disable(coso_store *st, void *arg)
{
	struct user_change *c = arg;
	int rc = coso_store_user_disable(st, c->name);

	c->ended = rc;
	return rc < 0 ? rc : 0;
}

/* Parses the options of add and passwd. Returns 0, or an exit status. */
static int parse_opts(const char *sub, int argc, char **argv, const char **name, const char **role, const char **scope,
		      enum pw_source *src)
{
	*name = NULL;
	*src = PW_ASK;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--password-stdin") == 0 || strcmp(a, "--generate-password") == 0) {
			if (*src != PW_ASK)
				return cli_usage("user", "%s: give --password-stdin or --generate-password, not both", sub);
			*src = a[2] == 'p' ? PW_STDIN : PW_GENERATE;
		} else if (role && (strcmp(a, "--role") == 0 || strcmp(a, "--scope") == 0)) {
			if (i + 1 >= argc)
				return cli_usage("user", "%s needs a value", a);
			*(strcmp(a, "--role") == 0 ? role : scope) = argv[++i];
		} else if (a[0] == '-') {
			return cli_usage("user", "%s: unknown option %s", sub, a);
		} else if (*name) {
			return cli_usage("user", "%s takes one user name", sub);
		} else {
			*name = a;
		}
	}
	if (!*name)
		return cli_usage("user", "%s: give the user's name", sub);
	if (coso_user_name_check(*name) < 0)
		return cli_usage("user", "%s: %s", *name, coso_error_last());
	return 0;
}

static int user_add(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *name, *role_s = NULL, *scope = NULL;
	char pw[COSO_PASSWORD_MAX + 2], hash[COSO_PWHASH_BUFSZ], after[512];
	struct user_change c;
	enum pw_source src;
	coso_role role;
	coso_store *st = NULL;
	json_t *j;
	char *js;
	int rc;

	if ((rc = parse_opts("add", argc, argv, &name, &role_s, &scope, &src)) != 0)
		return rc;
	if (!role_s)
		return cli_usage("user", "add: give --role (admin, provincial, district, clerk or leader)");
	if ((role = coso_role_parse(role_s)) == COSO_ROLE_NONE)
		return cli_usage("user", "--role: '%s' is not one of admin, provincial, district, clerk, leader", role_s);
	if (scope && !*scope)
		scope = NULL;
	if (!scope && coso_role_needs_scope(role))
		return cli_usage("user", "add: a %s works in a scope: give --scope CODE (a unit's code)",
				 coso_role_title(role));
	if ((rc = open_store(ctx, true, &st)) != 0)
		return rc;
	if (scope && (rc = coso_store_unit_known(st, scope)) <= 0) {
		coso_store_close(st);
		if (rc < 0)
			return cli_fail("%s", coso_error_last());
		return cli_fail("--scope: unit %s is not in the registry (import the registry first)", scope);
	}
	if ((rc = get_password(src, name, pw, sizeof(pw))) != 0) {
		coso_store_close(st);
		return rc;
	}
	rc = coso_password_hash(pw, hash);
	if (rc == 0) {
		c = (struct user_change){ .name = name, .role = coso_role_name(role), .scope = scope, .pwhash = hash };
		j = json_pack("{s:s, s:o}", "role", c.role, "scope", scope ? json_string(scope) : json_null());
		js = j ? json_dumps(j, JSON_COMPACT) : NULL;
		json_decref(j);
		snprintf(after, sizeof(after), "%s", js ? js : "{}");
		free(js);
		rc = in_transaction(st, do_add, &c, "user.add", name, NULL, after);
	}
	wipe(hash, sizeof(hash));
	coso_store_close(st);
	if (rc < 0) {
		wipe(pw, sizeof(pw));
		return cli_fail("%s", coso_error_last());
	}
	printf("user %s added: %s, %s%s\n", name, coso_role_title(role), scope ? "scope " : "the whole registry",
	       scope ? scope : "");
	if (src == PW_GENERATE)
		printf("password: %s\n", pw);
	wipe(pw, sizeof(pw));
	return 0;
}

static int user_passwd(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *name;
	char pw[COSO_PASSWORD_MAX + 2], hash[COSO_PWHASH_BUFSZ];
	struct user_change c;
	enum pw_source src;
	coso_store *st = NULL;
	coso_user u;
	int rc;

	if ((rc = parse_opts("passwd", argc, argv, &name, NULL, NULL, &src)) != 0)
		return rc;
	if ((rc = open_store(ctx, false, &st)) != 0)
		return rc;
	if (coso_store_user_get(st, name, &u) < 0) {
		coso_store_close(st);
		return cli_fail("%s", coso_error_last());
	}
	coso_user_clear(&u);
	if ((rc = get_password(src, name, pw, sizeof(pw))) != 0) {
		coso_store_close(st);
		return rc;
	}
	rc = coso_password_hash(pw, hash);
	if (rc == 0) {
		c = (struct user_change){ .name = name, .pwhash = hash };
		rc = in_transaction(st, do_passwd, &c, "user.passwd", name, NULL, NULL);
	}
	wipe(hash, sizeof(hash));
	coso_store_close(st);
	if (rc < 0) {
		wipe(pw, sizeof(pw));
		return cli_fail("%s", coso_error_last());
	}
	printf("password of %s changed; its sessions are ended\n", name);
	if (src == PW_GENERATE)
		printf("password: %s\n", pw);
	wipe(pw, sizeof(pw));
	return 0;
}

static int user_disable(struct cli_ctx *ctx, int argc, char **argv)
{
	struct user_change c = { 0 };
	coso_store *st = NULL;
	int rc;

	if (argc != 1 || argv[0][0] == '-')
		return cli_usage("user", "disable takes one user name");
	if (coso_user_name_check(argv[0]) < 0)
		return cli_usage("user", "%s: %s", argv[0], coso_error_last());
	if ((rc = open_store(ctx, false, &st)) != 0)
		return rc;
	c.name = argv[0];
	rc = in_transaction(st, do_disable, &c, "user.disable", c.name, "{\"disabled\":false}", "{\"disabled\":true}");
	coso_store_close(st);
	if (rc < 0)
		return cli_fail("%s", coso_error_last());
	printf("user %s disabled; %d session%s ended\n", c.name, c.ended, c.ended == 1 ? "" : "s");
	return 0;
}

static int print_user(void *ctx, const coso_user *u)
{
	char when[32];
	time_t t = (time_t)u->created_at;
	struct tm tm;

	(void)ctx;
	if (localtime_r(&t, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
	else
		snprintf(when, sizeof(when), "?");
	printf("%-20s %-11s %-12s %-9s %8lld  %s\n", u->name, u->role, u->scope ? u->scope : "(all)",
	       u->disabled ? "disabled" : "active", u->sessions, when);
	return 0;
}

static int user_list(struct cli_ctx *ctx, int argc, char **argv)
{
	coso_store *st = NULL;
	int rc;

	(void)argv;
	if (argc != 0)
		return cli_usage("user", "list takes no argument");
	if (coso_store_open(&st, ctx->db_path, 0, NULL) < 0)
		return cli_fail("%s", coso_error_last());
	printf("%-20s %-11s %-12s %-9s %8s  %s\n", "USER", "ROLE", "SCOPE", "STATUS", "SESSIONS", "CREATED");
	rc = coso_store_users(st, print_user, NULL);
	coso_store_close(st);
	if (rc < 0)
		return cli_fail("%s", coso_error_last());
	return 0;
}

int cmd_user(struct cli_ctx *ctx, int argc, char **argv)
{
	if (argc == 0)
		return cli_usage("user", "give a subcommand: add, passwd, disable or list");
	if (cli_is_help(argv[0])) {
		cli_print_help("user");
		return 0;
	}
	for (int i = 1; i < argc; i++)
		if (cli_is_help(argv[i])) {
			cli_print_help("user");
			return 0;
		}
	if (coso_auth_init() < 0)
		return cli_fail("%s", coso_error_last());
	if (strcmp(argv[0], "add") == 0)
		return user_add(ctx, argc - 1, argv + 1);
	if (strcmp(argv[0], "passwd") == 0)
		return user_passwd(ctx, argc - 1, argv + 1);
	if (strcmp(argv[0], "disable") == 0)
		return user_disable(ctx, argc - 1, argv + 1);
	if (strcmp(argv[0], "list") == 0)
		return user_list(ctx, argc - 1, argv + 1);
	return cli_usage("user", "unknown subcommand '%s' (add, passwd, disable, list)", argv[0]);
}
