#!/bin/sh
# bench/reports.sh [SCALE]: how fast coso's reports are on a national registry,
# against the plainest SQL for the same figures in the sqlite3 shell.
#
#   bench/reports.sh          scale 0.1
#   bench/reports.sh 1        the whole country (13.9 million rows)
#
# 1. generates the registry (bench/gen_national.py, seed $SEED) or reuses it,
#    and imports it into $BENCH_DIR/coso-s<SCALE>.db, or reuses that database
#    when this same coso binary imported it (bench/common.sh; bench/import.sh
#    leaves one behind);
# 2. for five reports: as of $AS_OF for the whole country with its children,
#    for province $PROVINCE and for commune $COMMUNE (default: the first
#    commune of that province by code), and $FROM..$TO for the whole country
#    and for the province, measures `coso report ... --format json` cold and
#    warm (wall time, peak RSS), once with COSO_PLAIN=1, and the baseline
#    bench/sql/asof.sql or period.sql in the sqlite3 shell on the same
#    database, cold and warm (bench/reports.py tells how);
# 3. checks fast = plain (SAME/DIFF) and coso = sqlite3 (OK/MISMATCH) and
#    prints one table with the machine. Exit 1 when a check fails.
#
# Environment: COSO (default build/coso; `head` builds the committed HEAD),
# SEED, BENCH_DIR (default /tmp/coso-bench), REUSE_DB (1: reuse a database
# this binary imported; 0: import again; any: reuse whatever is there),
# AS_OF (2024-01-01), FROM (2016-01-01), TO (2025-12-31), PROVINCE (01),
# COMMUNE, WARM_RUNS (5), REPORTS (a subset to time, e.g. "commune"; "none"),
# SWEEP_DATES, SWEEP_PERIODS (the untimed equality checks; see reports.py),
# RESULTS (the JSON file of figures), SQLITE3, PYTHON.
set -eu
. "$(cd "$(dirname "$0")" && pwd)/common.sh"

SCALE=${1:-0.1}
AS_OF=${AS_OF:-2024-01-01}
FROM=${FROM:-2016-01-01}
TO=${TO:-2025-12-31}
PROVINCE=${PROVINCE:-01}

bench_coso
bench_db "$SCALE"

if [ -z "${COMMUNE:-}" ]; then
	# the first commune (level 3) under the province on AS_OF, by code
	COMMUNE=$("$SQLITE3" "$DB" "WITH RECURSIVE d (day) AS (SELECT CAST(julianday('$AS_OF') - 2440587.5 AS INTEGER)),
		s (code, level) AS (SELECT code, level FROM unit_row, d WHERE code = '$PROVINCE' AND valid_from <= day AND day < valid_to
		UNION ALL SELECT u.code, u.level FROM s JOIN unit_row u ON u.parent_code = s.code, d
		WHERE u.valid_from <= day AND day < u.valid_to AND s.level < 3)
		SELECT min(code) FROM s WHERE level = 3")
	[ -n "$COMMUNE" ] || die "province $PROVINCE has no commune on $AS_OF"
fi

OUT="$BENCH_DIR/reports-s$SCALE"
mkdir -p "$OUT"
cat <<EOF

coso report benchmark, $(date '+%Y-%m-%d %H:%M'), scale $SCALE seed $SEED
$(bench_machine)
- database: $DB_NOTE, $(cat "$DB" "$DB-wal" 2>/dev/null | wc -c | awk '{ printf "%.0f MB", $1 / 1048576 }'); $("$SQLITE3" "$DB" "SELECT (SELECT count(*) FROM member) || ' members, ' || (SELECT count(*) FROM member_period) || ' member periods, ' || (SELECT count(*) FROM unit_row WHERE level = 4) || ' village rows'")
- province $PROVINCE ($("$SQLITE3" "$DB" "SELECT name FROM unit_row WHERE code = '$PROVINCE' ORDER BY valid_from DESC LIMIT 1")), commune $COMMUNE ($("$SQLITE3" "$DB" "SELECT name FROM unit_row WHERE code = '$COMMUNE' ORDER BY valid_from LIMIT 1"))
EOF

rc=0
COSO=$COSO SQLITE3=$SQLITE3 DB=$DB OUT=$OUT AS_OF=$AS_OF FROM=$FROM TO=$TO PROVINCE=$PROVINCE \
	COMMUNE=$COMMUNE RESULTS="${RESULTS:-$OUT/results.json}" LABEL="scale $SCALE" \
	"$PYTHON" "$HERE/reports.py" || rc=$?
echo "(outputs: $OUT/; figures: ${RESULTS:-$OUT/results.json})"
exit $rc
