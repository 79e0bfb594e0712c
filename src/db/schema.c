/*
 * schema.c: the migrations. A shipped migration is never edited: a change is
 * a new entry at the end of the list.
 *
 * Dates are INTEGER day numbers (util/date.h); open period ends are stored as
 * COSO_DAY_MIN (-10000000) and COSO_DAY_MAX (10000000), so that every period
 * test is `valid_from <= d AND d < valid_to` and can use an index.
 */
#include "db/schema.h"

#include <stdio.h>

#include "util/error.h"

static const char *const migrations[] = {
	/* 1: the registry (units, institutions, organizations, members). */
	"CREATE TABLE unit_row ("
	"  code TEXT NOT NULL,"
	"  valid_from INTEGER NOT NULL,"
	"  valid_to INTEGER NOT NULL,"
	"  name TEXT NOT NULL,"
	"  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),"
	"  kind TEXT NOT NULL,"
	"  parent_code TEXT,"
	"  border INTEGER NOT NULL DEFAULT 0,"
	"  difficult INTEGER NOT NULL DEFAULT 0,"
	"  population INTEGER,"
	"  PRIMARY KEY (code, valid_from),"
	"  CHECK (valid_from < valid_to)"
	") WITHOUT ROWID;"
	"CREATE INDEX unit_row_parent ON unit_row (parent_code, valid_from, valid_to);"
	"CREATE TABLE institution ("
	"  code TEXT PRIMARY KEY NOT NULL,"
	"  name TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  unit_code TEXT NOT NULL,"
	"  valid_from INTEGER NOT NULL,"
	"  valid_to INTEGER NOT NULL,"
	"  CHECK (valid_from < valid_to)"
	") WITHOUT ROWID;"
	"CREATE INDEX institution_unit ON institution (unit_code, kind);"
	"CREATE TABLE org_row ("
	"  code TEXT NOT NULL,"
	"  valid_from INTEGER NOT NULL,"
	"  valid_to INTEGER NOT NULL,"
	"  name TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  grassroots INTEGER NOT NULL,"
	"  parent_code TEXT,"
	"  site_unit TEXT,"
	"  site_institution TEXT,"
	"  PRIMARY KEY (code, valid_from),"
	"  CHECK (valid_from < valid_to),"
	"  CHECK ((site_unit IS NULL) <> (site_institution IS NULL))"
	") WITHOUT ROWID;"
	"CREATE INDEX org_row_parent ON org_row (parent_code, valid_from);"
	"CREATE INDEX org_row_site_unit ON org_row (site_unit, valid_from, valid_to) WHERE site_unit IS NOT NULL;"
	"CREATE INDEX org_row_site_inst ON org_row (site_institution, valid_from, valid_to) WHERE site_institution IS NOT NULL;"
	"CREATE TABLE member ("
	"  id TEXT PRIMARY KEY NOT NULL,"
	"  full_name TEXT NOT NULL,"
	"  gender TEXT NOT NULL,"
	"  birth_date INTEGER NOT NULL,"
	"  ethnicity TEXT NOT NULL,"
	"  admitted_on INTEGER NOT NULL,"
	"  official_on INTEGER NOT NULL,"
	"  ended_on INTEGER NOT NULL,"
	"  end_reason TEXT"
	") WITHOUT ROWID;"
	"CREATE INDEX member_admitted ON member (admitted_on);"
	"CREATE TABLE member_period ("
	"  member_id TEXT NOT NULL,"
	"  valid_from INTEGER NOT NULL,"
	"  valid_to INTEGER NOT NULL,"
	"  org_code TEXT NOT NULL,"
	"  residence_code TEXT,"
	"  PRIMARY KEY (member_id, valid_from),"
	"  CHECK (valid_from < valid_to)"
	") WITHOUT ROWID;"
	"CREATE INDEX member_period_org ON member_period (org_code, valid_from, valid_to, member_id);"
	"CREATE INDEX member_period_residence ON member_period (residence_code, valid_from, valid_to, member_id)"
	"  WHERE residence_code IS NOT NULL;",
	/* 2: step tables for fast as-of counts (store_summary.c): the days on
	 * which an organization's number of active (and probationary) members
	 * changes, with the value from that day on, and the days on which a
	 * village gets its first active resident or loses its last. Derived from member and
	 * member_period; summary_dirty lists the keys to rebuild, and
	 * summary_state.complete = 0 asks for a full rebuild (so a database
	 * that already holds members falls back to the plain queries until the
	 * next import or write rebuilds them). */
	"CREATE TABLE org_step ("
	"  org_code TEXT NOT NULL,"
	"  day INTEGER NOT NULL,"
	"  total INTEGER NOT NULL,"
	"  probationary INTEGER NOT NULL,"
	"  PRIMARY KEY (org_code, day)"
	") WITHOUT ROWID;"
	"CREATE TABLE residence_step ("
	"  residence_code TEXT NOT NULL,"
	"  day INTEGER NOT NULL,"
	"  occupied INTEGER NOT NULL,"
	"  PRIMARY KEY (residence_code, day)"
	") WITHOUT ROWID;"
	"CREATE TABLE summary_dirty ("
	"  kind INTEGER NOT NULL,"
	"  code TEXT NOT NULL,"
	"  PRIMARY KEY (kind, code)"
	") WITHOUT ROWID;"
	"CREATE TABLE summary_state (complete INTEGER NOT NULL);"
	"INSERT INTO summary_state SELECT NOT EXISTS (SELECT 1 FROM member);",
	/* 3: member search (store_api.c): each member's name folded for search
	 * ("mua a sung") and id, with a full-text index on them for word-prefix
	 * queries in any order, and the Vietnamese sort key of the name, given
	 * name first. Rows are derived from member (coso_store_refresh_search
	 * rebuilds those missing or stale); search_meta records the collator
	 * version the keys were made with. */
	"CREATE TABLE member_search ("
	"  n INTEGER PRIMARY KEY,"
	"  id TEXT NOT NULL UNIQUE,"
	"  full_name TEXT NOT NULL,"
	"  folded TEXT NOT NULL,"
	"  ident TEXT NOT NULL,"
	"  sort_key BLOB NOT NULL"
	");"
	"CREATE INDEX member_search_sort ON member_search (sort_key, id);"
	"CREATE VIRTUAL TABLE member_fts USING fts5 (folded, ident, content='member_search',"
	"  content_rowid='n', tokenize='unicode61 remove_diacritics 0', prefix='1 2');"
	"CREATE TRIGGER member_search_ai AFTER INSERT ON member_search BEGIN"
	"  INSERT INTO member_fts (rowid, folded, ident) VALUES (new.n, new.folded, new.ident);"
	" END;"
	"CREATE TRIGGER member_search_ad AFTER DELETE ON member_search BEGIN"
	"  INSERT INTO member_fts (member_fts, rowid, folded, ident) VALUES ('delete', old.n, old.folded, old.ident);"
	" END;"
	"CREATE TRIGGER member_search_au AFTER UPDATE ON member_search BEGIN"
	"  INSERT INTO member_fts (member_fts, rowid, folded, ident) VALUES ('delete', old.n, old.folded, old.ident);"
	"  INSERT INTO member_fts (rowid, folded, ident) VALUES (new.n, new.folded, new.ident);"
	" END;"
	"CREATE TABLE search_meta (k TEXT PRIMARY KEY NOT NULL, v TEXT NOT NULL) WITHOUT ROWID;",
	/* 4: the audit log (store_audit.c, docs/DURABILITY.md): one entry per
	 * change, written in the change's transaction, hash-chained (hash =
	 * SHA-256 of prev_hash and the other fields); audit_head names the last
	 * entry. The triggers keep both append-only for anyone writing SQL:
	 * no UPDATE or DELETE of an entry, an entry's seq follows the head, and
	 * the head only moves to the entry just appended. */
	"CREATE TABLE audit_log ("
	"  seq INTEGER PRIMARY KEY,"
	"  at TEXT NOT NULL,"
	"  actor TEXT,"
	"  remote TEXT,"
	"  action TEXT NOT NULL,"
	"  record_kind TEXT,"
	"  record_key TEXT,"
	"  before TEXT,"
	"  after TEXT,"
	"  prev_hash BLOB NOT NULL,"
	"  hash BLOB NOT NULL"
	");"
	"CREATE INDEX audit_log_actor ON audit_log (actor, seq);"
	"CREATE INDEX audit_log_record ON audit_log (record_kind, record_key, seq);"
	"CREATE INDEX audit_log_at ON audit_log (at);"
	"CREATE TABLE audit_head ("
	"  one INTEGER PRIMARY KEY CHECK (one = 1),"
	"  seq INTEGER NOT NULL,"
	"  hash BLOB NOT NULL"
	");"
	"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN"
	"  SELECT RAISE(ABORT, 'the audit log is append-only');"
	" END;"
	"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN"
	"  SELECT RAISE(ABORT, 'the audit log is append-only');"
	" END;"
	"CREATE TRIGGER audit_log_in_order BEFORE INSERT ON audit_log"
	"  WHEN new.seq IS NOT coalesce((SELECT seq FROM audit_head WHERE one = 1), 0) + 1 BEGIN"
	"  SELECT RAISE(ABORT, 'the audit log is append-only: an entry follows the last one');"
	" END;"
	"CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head BEGIN"
	"  SELECT RAISE(ABORT, 'the audit log is append-only');"
	" END;"
	"CREATE TRIGGER audit_head_moves BEFORE UPDATE ON audit_head"
	"  WHEN new.one IS NOT old.one OR new.seq IS NOT old.seq + 1"
	"    OR new.hash IS NOT (SELECT hash FROM audit_log WHERE seq = new.seq) BEGIN"
	"  SELECT RAISE(ABORT, 'the audit log is append-only: its head moves to the entry just appended');"
	" END;"
	"CREATE TRIGGER audit_head_starts BEFORE INSERT ON audit_head"
	"  WHEN new.seq IS NOT 1 OR new.hash IS NOT (SELECT hash FROM audit_log WHERE seq = 1) BEGIN"
	"  SELECT RAISE(ABORT, 'the audit log is append-only: its head starts at the first entry');"
	" END;",
	/* 5: who may see and change what (store_auth.c, docs/SECURITY.md):
	 * users with a role and a scope (a unit's code; NULL for an
	 * administrator of everything) and an Argon2id password hash; sessions
	 * keyed by the SHA-256 of their token (never the token), with the time
	 * of their last use and their absolute end (Unix seconds); and failed
	 * sign-in attempts per user name and per address, for throttling. */
	"CREATE TABLE app_user ("
	"  name TEXT PRIMARY KEY NOT NULL,"
	"  role TEXT NOT NULL CHECK (role IN ('admin', 'provincial', 'district', 'clerk', 'leader')),"
	"  scope TEXT,"
	"  pwhash TEXT NOT NULL,"
	"  disabled INTEGER NOT NULL DEFAULT 0,"
	"  created_at INTEGER NOT NULL,"
	"  CHECK (role = 'admin' OR scope IS NOT NULL)"
	") WITHOUT ROWID;"
	"CREATE TABLE app_session ("
	"  token_hash BLOB PRIMARY KEY NOT NULL,"
	"  user_name TEXT NOT NULL REFERENCES app_user (name) ON DELETE CASCADE,"
	"  created_at INTEGER NOT NULL,"
	"  last_seen INTEGER NOT NULL,"
	"  expires_at INTEGER NOT NULL,"
	"  remote TEXT"
	") WITHOUT ROWID;"
	"CREATE INDEX app_session_user ON app_session (user_name);"
	"CREATE TABLE auth_attempt ("
	"  kind INTEGER NOT NULL,"
	"  key TEXT NOT NULL,"
	"  at INTEGER NOT NULL"
	");"
	"CREATE INDEX auth_attempt_key ON auth_attempt (kind, key, at);"
	"CREATE INDEX auth_attempt_at ON auth_attempt (at);",
	/* ---- cadres (db/store_cadres.c, docs/CADRES.md) ---- */
	/* 6: commune cadres and civil servants: people (optionally party
	 * members), the posts they hold in a commune over time, their training
	 * (level_rank orders the levels of a kind, 0 for short courses),
	 * rotations from a province or district to a commune, and the
	 * standards of each post over time (ranks 0 = no minimum). */
	"CREATE TABLE cadre_person ("
	"  id TEXT PRIMARY KEY NOT NULL,"
	"  full_name TEXT NOT NULL,"
	"  gender TEXT NOT NULL,"
	"  birth_date INTEGER NOT NULL,"
	"  ethnicity TEXT NOT NULL,"
	"  member_id TEXT"
	") WITHOUT ROWID;"
	"CREATE TABLE cadre_position ("
	"  person_id TEXT NOT NULL,"
	"  post TEXT NOT NULL,"
	"  valid_from INTEGER NOT NULL,"
	"  valid_to INTEGER NOT NULL,"
	"  unit_code TEXT NOT NULL,"
	"  PRIMARY KEY (person_id, valid_from, post),"
	"  CHECK (valid_from < valid_to)"
	") WITHOUT ROWID;"
	"CREATE INDEX cadre_position_unit ON cadre_position (unit_code, valid_from, valid_to);"
	"CREATE TABLE cadre_training ("
	"  person_id TEXT NOT NULL,"
	"  started_on INTEGER NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  level TEXT,"
	"  level_rank INTEGER NOT NULL,"
	"  ended_on INTEGER NOT NULL,"
	"  course TEXT,"
	"  sent_by TEXT,"
	"  PRIMARY KEY (person_id, started_on, kind)"
	") WITHOUT ROWID;"
	"CREATE INDEX cadre_training_start ON cadre_training (started_on, kind);"
	"CREATE TABLE cadre_rotation ("
	"  person_id TEXT NOT NULL,"
	"  valid_from INTEGER NOT NULL,"
	"  valid_to INTEGER NOT NULL,"
	"  from_unit TEXT NOT NULL,"
	"  to_unit TEXT NOT NULL,"
	"  PRIMARY KEY (person_id, valid_from),"
	"  CHECK (valid_from < valid_to)"
	") WITHOUT ROWID;"
	"CREATE TABLE cadre_standard ("
	"  post TEXT NOT NULL,"
	"  valid_from INTEGER NOT NULL,"
	"  valid_to INTEGER NOT NULL,"
	"  min_professional TEXT,"
	"  professional_rank INTEGER NOT NULL,"
	"  min_political_theory TEXT,"
	"  political_rank INTEGER NOT NULL,"
	"  PRIMARY KEY (post, valid_from),"
	"  CHECK (valid_from < valid_to)"
	") WITHOUT ROWID;",
	/* ---- end cadres ---- */
	/* 7: plans: resolutions and their targets (docs/PLANS.md). */
	"CREATE TABLE resolution ("
	"  code TEXT PRIMARY KEY NOT NULL,"
	"  issuer TEXT NOT NULL,"
	"  number TEXT NOT NULL,"
	"  issued_on INTEGER NOT NULL,"
	"  title TEXT NOT NULL,"
	"  scope_code TEXT NOT NULL,"
	"  period_from INTEGER NOT NULL,"
	"  period_to INTEGER NOT NULL,"
	"  CHECK (period_from < period_to)"
	") WITHOUT ROWID;"
	"CREATE TABLE target ("
	"  code TEXT PRIMARY KEY NOT NULL,"
	"  resolution_code TEXT NOT NULL,"
	"  label TEXT NOT NULL,"
	"  indicator TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  per TEXT NOT NULL,"
	"  value_min REAL NOT NULL,"
	"  value_max REAL,"
	"  baseline_on INTEGER,"
	"  scope_code TEXT"
	") WITHOUT ROWID;"
	"CREATE INDEX target_resolution ON target (resolution_code, code);",
	/* 8: services (docs/SERVICES.md): the procedure catalogue of the one-stop
	 * desk, the cases of the desk and of complaints, denunciations and
	 * petitions, their dated events, the citizen reception sessions (one
	 * row per matter raised), and voters' petitions to the People's Council. The svc_case columns after `note` are
	 * derived from the case, its events and the calendar (core/services.c),
	 * written by every import and write; scope_path is the unit and its
	 * ancestors on the day received. */
	"CREATE TABLE svc_procedure ("
	"  code TEXT NOT NULL,"
	"  valid_from INTEGER NOT NULL,"
	"  valid_to INTEGER NOT NULL,"
	"  name TEXT NOT NULL,"
	"  field TEXT NOT NULL,"
	"  days INTEGER NOT NULL CHECK (days BETWEEN 0 AND 365),"
	"  source TEXT,"
	"  PRIMARY KEY (code, valid_from),"
	"  CHECK (valid_from < valid_to)"
	") WITHOUT ROWID;"
	"CREATE TABLE svc_case ("
	"  id TEXT PRIMARY KEY NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  unit_code TEXT NOT NULL,"
	"  received_on INTEGER NOT NULL,"
	"  procedure_code TEXT,"
	"  subject TEXT NOT NULL,"
	"  person_name TEXT NOT NULL,"
	"  person_doc TEXT,"
	"  person_address TEXT,"
	"  complexity INTEGER NOT NULL DEFAULT 0,"
	"  officer TEXT,"
	"  note TEXT,"
	"  scope_path TEXT,"
	"  remote INTEGER NOT NULL DEFAULT 0,"
	"  accept_due INTEGER,"
	"  accepted_on INTEGER,"
	"  due_on INTEGER,"
	"  promised_on INTEGER,"
	"  closed_on INTEGER,"
	"  closed_as TEXT,"
	"  extensions INTEGER NOT NULL DEFAULT 0"
	") WITHOUT ROWID;"
	"CREATE INDEX svc_case_unit ON svc_case (unit_code, received_on);"
	"CREATE INDEX svc_case_received ON svc_case (received_on);"
	"CREATE INDEX svc_case_closed ON svc_case (closed_on);"
	"CREATE TABLE svc_event ("
	"  case_id TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  day INTEGER NOT NULL,"
	"  action TEXT NOT NULL,"
	"  body TEXT,"
	"  new_date INTEGER,"
	"  note TEXT,"
	"  PRIMARY KEY (case_id, seq)"
	") WITHOUT ROWID;"
	"CREATE TABLE svc_reception ("
	"  session_id TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  unit_code TEXT NOT NULL,"
	"  day INTEGER NOT NULL,"
	"  session_kind TEXT NOT NULL,"
	"  host TEXT,"
	"  person_name TEXT NOT NULL,"
	"  person_doc TEXT,"
	"  person_address TEXT,"
	"  matter TEXT NOT NULL,"
	"  route TEXT NOT NULL,"
	"  case_id TEXT,"
	"  note TEXT,"
	"  scope_path TEXT,"
	"  PRIMARY KEY (session_id, seq)"
	") WITHOUT ROWID;"
	"CREATE INDEX svc_reception_day ON svc_reception (day);"
	"CREATE TABLE svc_voter_petition ("
	"  id TEXT PRIMARY KEY NOT NULL,"
	"  unit_code TEXT NOT NULL,"
	"  meeting_on INTEGER NOT NULL,"
	"  council TEXT NOT NULL,"
	"  next_session_on INTEGER NOT NULL,"
	"  content TEXT NOT NULL,"
	"  field TEXT,"
	"  addressee TEXT NOT NULL,"
	"  answered_on INTEGER,"
	"  answer TEXT,"
	"  note TEXT,"
	"  scope_path TEXT"
	") WITHOUT ROWID;",
	/* 9: party work (store_party.c, docs/PARTY.md): candidates for admission, one
	 * row each, a date per stage (NULL: not reached); the review of a
	 * member's probation and the committee's decision; transfers of party
	 * membership (chuyển sinh hoạt đảng); the yearly quality ratings; the
	 * Party badges awarded. */
	"CREATE TABLE party_candidate ("
	"  id TEXT PRIMARY KEY NOT NULL, full_name TEXT NOT NULL, gender TEXT NOT NULL, birth_date INTEGER NOT NULL,"
	"  ethnicity TEXT NOT NULL, org_code TEXT NOT NULL, residence_code TEXT, proposed_on INTEGER NOT NULL,"
	"  course_on INTEGER, course_by TEXT, verified_on INTEGER, verified_by TEXT, voted_on INTEGER,"
	"  decided_on INTEGER, decided_by TEXT, decision_no TEXT, ceremony_on INTEGER, member_id TEXT,"
	"  age_exception TEXT, dropped_on INTEGER, drop_reason TEXT"
	") WITHOUT ROWID;"
	"CREATE INDEX party_candidate_org ON party_candidate (org_code);"
	"CREATE INDEX party_candidate_member ON party_candidate (member_id) WHERE member_id IS NOT NULL;"
	"CREATE TABLE party_review ("
	"  member_id TEXT PRIMARY KEY NOT NULL, reviewed_on INTEGER NOT NULL, decided_on INTEGER NOT NULL,"
	"  decided_by TEXT NOT NULL, decision_no TEXT,"
	"  outcome TEXT NOT NULL CHECK (outcome IN ('recognised', 'removed'))"
	") WITHOUT ROWID;"
	"CREATE TABLE party_transfer ("
	"  id TEXT PRIMARY KEY NOT NULL, member_id TEXT NOT NULL, kind TEXT NOT NULL, from_org TEXT NOT NULL,"
	"  to_org TEXT, destination TEXT, purpose TEXT, decided_on INTEGER NOT NULL, letter_on INTEGER NOT NULL,"
	"  presented_on INTEGER, until INTEGER, returned_on INTEGER"
	") WITHOUT ROWID;"
	"CREATE INDEX party_transfer_member ON party_transfer (member_id);"
	"CREATE TABLE party_rating ("
	"  id TEXT PRIMARY KEY NOT NULL, year TEXT NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL,"
	"  level TEXT NOT NULL, score TEXT, rated_on INTEGER NOT NULL, rated_by TEXT NOT NULL"
	") WITHOUT ROWID;"
	"CREATE INDEX party_rating_year ON party_rating (year, kind, subject);"
	"CREATE TABLE party_badge ("
	"  id TEXT PRIMARY KEY NOT NULL, member_id TEXT NOT NULL, years TEXT NOT NULL, awarded_on INTEGER NOT NULL,"
	"  decision_no TEXT, early TEXT"
	") WITHOUT ROWID;"
	"CREATE INDEX party_badge_member ON party_badge (member_id, years);",
	/* 10: member search in name order (store_search.c). The search rows
	 * are made again, numbered in sort order by the next refresh of the
	 * search data (search_meta "numbering"), with each member's admission
	 * and end days beside the name, kept by a trigger when member changes
	 * (a search tests who was active without reading member); the id's
	 * uniqueness is an index a full fill can drop and make again; no index
	 * of the sort key (the rowid is the sort order); the full-text index
	 * follows only the columns it holds. member_word: the
	 * words of the folded names and ids that do not begin with a digit, so
	 * that a word of a query becomes the words it begins. */
	"CREATE TABLE member_word (word TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;"
	"DROP TABLE member_search;"
	"CREATE TABLE member_search ("
	"  n INTEGER PRIMARY KEY,"
	"  id TEXT NOT NULL,"
	"  full_name TEXT NOT NULL,"
	"  folded TEXT NOT NULL,"
	"  ident TEXT NOT NULL,"
	"  sort_key BLOB NOT NULL,"
	"  admitted_on INTEGER NOT NULL,"
	"  ended_on INTEGER NOT NULL"
	");"
	"CREATE UNIQUE INDEX member_search_id ON member_search (id);"
	"CREATE TRIGGER member_search_ai AFTER INSERT ON member_search BEGIN"
	"  INSERT INTO member_fts (rowid, folded, ident) VALUES (new.n, new.folded, new.ident);"
	" END;"
	"CREATE TRIGGER member_search_ad AFTER DELETE ON member_search BEGIN"
	"  INSERT INTO member_fts (member_fts, rowid, folded, ident) VALUES ('delete', old.n, old.folded, old.ident);"
	" END;"
	"CREATE TRIGGER member_search_au AFTER UPDATE OF n, folded, ident ON member_search BEGIN"
	"  INSERT INTO member_fts (member_fts, rowid, folded, ident) VALUES ('delete', old.n, old.folded, old.ident);"
	"  INSERT INTO member_fts (rowid, folded, ident) VALUES (new.n, new.folded, new.ident);"
	" END;"
	"INSERT INTO member_fts (member_fts) VALUES ('delete-all');"
	"CREATE TRIGGER member_search_days AFTER UPDATE OF admitted_on, ended_on ON member BEGIN"
	"  UPDATE member_search SET admitted_on = new.admitted_on, ended_on = new.ended_on WHERE id = new.id;"
	" END;"
	"DELETE FROM search_meta WHERE k = 'numbering';",
	/* 11: a leaner full-text index, filled again by the next refresh:
	 * - no table of each row's column sizes (columnsize=0): they serve
	 *   ranking by relevance, and a search is in name order; writing them
	 *   was a third of the index's build (84 MB at national scale);
	 * - no positions or columns (detail=none): a query is words that must
	 *   all be in the row, never a phrase or a column; a third smaller;
	 * - the ascii tokenizer: its tokens are exactly the words of
	 *   coso_text_each_word (runs of ASCII letters and digits and of any
	 *   non-ASCII byte), so a word of a query, quoted, is always one token
	 *   (a phrase, which detail=none cannot answer, never arises) and the
	 *   index agrees with member_word and vn_words on every name. */
	"DROP TABLE member_fts;"
	"CREATE VIRTUAL TABLE member_fts USING fts5 (folded, ident, content='member_search',"
	"  content_rowid='n', tokenize='ascii', prefix='1 2', detail='none', columnsize=0);"
	"DELETE FROM search_meta WHERE k = 'numbering';",
};

#define N_MIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

int coso_schema_latest(void)
{
	return N_MIGRATIONS;
}

static int user_version(sqlite3 *db, int *out)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);

	if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		*out = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		return 0;
	}
	coso_error_set(COSO_EIO, "cannot read the schema version: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return COSO_EIO;
}

int coso_schema_migrate(sqlite3 *db)
{
	int version = 0;
	char *err = NULL;

	if (user_version(db, &version) < 0)
		return COSO_EIO;
	if (version > N_MIGRATIONS)
		return coso_error_set(COSO_EINVALID,
			"the database has schema version %d, newer than this coso knows (%d): upgrade coso",
			version, N_MIGRATIONS);
	for (int v = version; v < N_MIGRATIONS; v++) {
		char pragma[64];
		int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &err);

		if (rc == SQLITE_OK)
			rc = sqlite3_exec(db, migrations[v], NULL, NULL, &err);
		if (rc == SQLITE_OK) {
			snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v + 1);
			rc = sqlite3_exec(db, pragma, NULL, NULL, &err);
		}
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(db, "COMMIT", NULL, NULL, &err);
		if (rc != SQLITE_OK) {
			coso_error_set(COSO_EIO, "schema migration %d failed: %s", v + 1,
				       err ? err : sqlite3_errmsg(db));
			sqlite3_free(err);
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return COSO_EIO;
		}
	}
	return 0;
}
