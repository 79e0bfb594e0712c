/*
 * schema.h: the database schema as an append-only list of migrations.
 * Internal to src/db.
 */
#ifndef COSO_DB_SCHEMA_H
#define COSO_DB_SCHEMA_H

#include <sqlite3.h>

/* Brings the database to the newest schema, one migration per transaction,
 * recording each in PRAGMA user_version. Refuses a database whose version is
 * newer than this program knows. */
int coso_schema_migrate(sqlite3 *db);

/* The newest schema version this program knows. */
int coso_schema_latest(void);

#endif
