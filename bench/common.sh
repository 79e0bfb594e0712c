# bench/common.sh: shared by bench/reports.sh and bench/http.sh (sourced, not run).
#
# Sets HERE, ROOT, BENCH_DIR, PYTHON, SQLITE3 and provides:
#   bench_coso            resolves $COSO (like import.sh: default build/coso,
#                         built in /tmp/build-bench if missing; COSO=head builds
#                         the committed HEAD apart) and copies it to a private
#                         file, so that a rebuild meanwhile changes nothing;
#                         sets COSO, BUILT, COSO_SUM
#   bench_registry SCALE  generates (or reuses) the registry; sets REG, ROWS
#   bench_db SCALE        a database of that registry, imported by this coso,
#                         reused when it was (see below); sets DB, DB_NOTE
#   bench_machine         prints the machine lines
#
# A database is reused when $DB.imported-by holds the md5 of the coso binary
# being measured (written here and by import.sh), its step tables are complete
# (summary_state.complete = 1, else reports would silently take the plain path)
# and REUSE_DB is not 0. REUSE_DB=any reuses whatever database is there, as
# long as its step tables are complete.

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/coso-bench}
PYTHON=${PYTHON:-python3}
SQLITE3=${SQLITE3:-sqlite3}
SEED=${SEED:-1}
REUSE_DB=${REUSE_DB:-1}

die() { echo "$(basename "$0"): $*" >&2; exit 1; }

bench_coso() {
	REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "?")
	if [ "${COSO:-}" = head ]; then
		SRC=/tmp/coso-src-$REV
		if [ ! -x "/tmp/build-bench-$REV/coso" ]; then
			echo "building coso $REV (Release) in /tmp/build-bench-$REV ..." >&2
			rm -rf "$SRC" && mkdir -p "$SRC"
			git -C "$ROOT" archive HEAD | tar -x -C "$SRC"
			cmake -S "$SRC" -B "/tmp/build-bench-$REV" -DCOSO_TESTS=OFF -DCMAKE_BUILD_TYPE=Release >/dev/null
			cmake --build "/tmp/build-bench-$REV" -j "$(nproc)" >/dev/null
		fi
		COSO=/tmp/build-bench-$REV/coso
		BUILT="commit $REV, Release"
	elif [ -z "${COSO:-}" ]; then
		COSO="$ROOT/build/coso"
		if [ ! -x "$COSO" ]; then
			echo "building coso (Release) in /tmp/build-bench ..." >&2
			cmake -S "$ROOT" -B /tmp/build-bench -DCOSO_TESTS=OFF -DCMAKE_BUILD_TYPE=Release >/dev/null
			cmake --build /tmp/build-bench -j "$(nproc)" >/dev/null
			COSO=/tmp/build-bench/coso
		fi
	fi
	[ -x "$COSO" ] || die "no coso binary at $COSO"
	BUILT=${BUILT:-"$COSO, built $(date -r "$COSO" '+%Y-%m-%d %H:%M'), HEAD $REV"}
	COSO_SUM=$(md5sum <"$COSO" | cut -c1-10)
	mkdir -p "$BENCH_DIR"
	# a private copy per binary (several scripts may run at once)
	cp "$COSO" "$BENCH_DIR/coso-$COSO_SUM.bin.tmp$$" && mv "$BENCH_DIR/coso-$COSO_SUM.bin.tmp$$" "$BENCH_DIR/coso-$COSO_SUM.bin"
	COSO="$BENCH_DIR/coso-$COSO_SUM.bin"
	command -v "$SQLITE3" >/dev/null 2>&1 || die "no sqlite3 shell (set SQLITE3)"
}

bench_registry() {
	GEN="$HERE/gen_national.py"
	GENSUM=$(md5sum <"$GEN" | cut -c1-10)
	REG="$BENCH_DIR/registry-s$1-seed$SEED-$GENSUM"
	if [ ! -f "$REG/.complete" ]; then
		rm -rf "$REG"
		echo "generating scale $1 seed $SEED into $REG ..." >&2
		t0=$(date +%s.%N)
		"$PYTHON" "$GEN" --scale "$1" --seed "$SEED" --out "$REG" --quiet
		t1=$(date +%s.%N)
		awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f s\n", b - a }' >"$REG/.gentime"
		touch "$REG/.complete"
	fi
	ROWS=0
	for f in units institutions orgs members member_periods; do
		ROWS=$((ROWS + $(wc -l <"$REG/$f.csv") - 1))
	done
}

db_ready() { # the step tables are complete
	[ -f "$1" ] && [ "$("$SQLITE3" "$1" "SELECT complete FROM summary_state" 2>/dev/null)" = 1 ]
}

bench_db() {
	DB="$BENCH_DIR/coso-s$1.db"
	if [ "$REUSE_DB" = any ] && db_ready "$DB"; then
		DB_NOTE="reused $DB (imported by $(cat "$DB.imported-by" 2>/dev/null || echo 'an unknown coso'))"
		return
	fi
	if [ "$REUSE_DB" != 0 ] && [ "$(cat "$DB.imported-by" 2>/dev/null)" = "$COSO_SUM" ] && db_ready "$DB"; then
		DB_NOTE="reused $DB (imported by this coso, $COSO_SUM)"
		return
	fi
	bench_registry "$1"
	rm -f "$DB" "$DB-wal" "$DB-shm" "$DB-journal" "$DB.imported-by"
	echo "importing $REG into $DB ..." >&2
	t0=$(date +%s.%N)
	"$COSO" --db "$DB" import "$REG" >"$DB.import.log" 2>&1 || { cat "$DB.import.log" >&2; die "import failed"; }
	t1=$(date +%s.%N)
	echo "$COSO_SUM" >"$DB.imported-by"
	DB_NOTE="imported $REG into $DB in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f s", b - a }')"
	db_ready "$DB" || die "$DB: the step tables are not complete after the import"
}

bench_machine() {
	CPU=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
	MEM=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
	echo "- machine: $(nproc) CPUs ($CPU), $MEM RAM, $(uname -sr); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "- coso: $BUILT (md5 $COSO_SUM); sqlite3 shell $("$SQLITE3" --version | cut -d' ' -f1)"
}
