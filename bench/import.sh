#!/bin/sh
# bench/import.sh [SCALE]: how fast coso imports a national registry.
#
#   bench/import.sh            scale 0.01 (about 145,000 rows)
#   bench/import.sh 0.1        about 1.4 million rows
#   bench/import.sh 1          the whole country, about 13.7 million rows
#
# 1. generates the registry with bench/gen_national.py (seed $SEED, default 1)
#    into $BENCH_DIR (default /tmp/coso-bench), or reuses the one generated
#    before by the same generator at the same scale and seed;
# 2. times `coso import DIR` into a fresh database: wall time, rows per second,
#    peak resident memory (GNU time -v; without it, a Python resource wrapper);
# 3. times a re-import of the same folder into that database (replaces every
#    row; set REIMPORT=0 to skip);
# 4. times the baseline: the sqlite3 shell's `.import --csv --skip 1` of the
#    same five files into bare tables (all columns TEXT, no key, no index) of a
#    fresh database;
# and prints one table with the machine it ran on (wall and CPU time: user +
# system, which other work on the machine disturbs less than wall time).
#
# Environment: COSO (the coso binary; default build/coso, built if missing),
# SQLITE3 (default sqlite3), SEED, BENCH_DIR, REIMPORT, PYTHON (default python3).
set -eu

SCALE=${1:-0.01}
SEED=${SEED:-1}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/coso-bench}
PYTHON=${PYTHON:-python3}
SQLITE3=${SQLITE3:-sqlite3}
REIMPORT=${REIMPORT:-1}
FILES="units institutions orgs members member_periods"

die() { echo "import.sh: $*" >&2; exit 1; }

# ---- the coso binary ---------------------------------------------------------
REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "?")
if [ "${COSO:-}" = head ]; then
	# the committed HEAD, built apart from the working tree (others may be editing it)
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
command -v "$SQLITE3" >/dev/null 2>&1 || die "no sqlite3 shell (set SQLITE3)"

# ---- the registry (cached per generator version, scale and seed) -------------
GEN="$HERE/gen_national.py"
GENSUM=$(cat "$GEN" | md5sum | cut -c1-10)
REG="$BENCH_DIR/registry-s$SCALE-seed$SEED-$GENSUM"
mkdir -p "$BENCH_DIR"
if [ -f "$REG/.complete" ]; then
	GENTIME="cached"
else
	rm -rf "$REG"
	echo "generating scale $SCALE seed $SEED into $REG ..." >&2
	t0=$(date +%s.%N)
	"$PYTHON" "$GEN" --scale "$SCALE" --seed "$SEED" --out "$REG" --quiet
	t1=$(date +%s.%N)
	GENTIME=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f s", b - a }')
	echo "$GENTIME" >"$REG/.gentime"
	touch "$REG/.complete"
fi
[ "$GENTIME" = cached ] && GENTIME="cached (took $(cat "$REG/.gentime" 2>/dev/null || echo '?'))"

ROWS=0
COUNTS=""
for f in $FILES; do
	n=$(($(wc -l <"$REG/$f.csv") - 1))
	ROWS=$((ROWS + n))
	COUNTS="$COUNTS $f $n"
done
CSVBYTES=$(cat "$REG"/*.csv | wc -c)

# ---- measuring ----------------------------------------------------------------
# measure LOG CMD...: runs CMD, stdout+stderr to LOG; sets WALL (s) and RSS (KiB).
if [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; then
	TIMER="GNU time -v"
	measure() {
		log=$1
		shift
		/usr/bin/time -v -o "$log.time" "$@" >"$log" 2>&1 || { cat "$log" >&2; die "failed: $*"; }
		WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0;
			for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s }' "$log.time")
		RSS=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$log.time")
		CPUS=$(awk -F': ' '/(User|System) time \(seconds\)/ { s += $2 } END { printf "%.2f", s }' "$log.time")
	}
else
	TIMER="python resource wrapper"
	measure() {
		log=$1
		shift
		"$PYTHON" - "$log.time" "$@" >"$log" 2>&1 <<'EOF' || { cat "$log" >&2; die "failed: $*"; }
import resource, subprocess, sys, time
t = time.monotonic()
rc = subprocess.call(sys.argv[2:])
wall = time.monotonic() - t
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[1], "w").write("%.2f %d %.2f\n" % (wall, ru.ru_maxrss, ru.ru_utime + ru.ru_stime))
sys.exit(rc)
EOF
		read -r WALL RSS CPUS <"$log.time"
	}
fi

# a private copy, so that a rebuild of build/coso during the run does not change it
cp "$COSO" "$BENCH_DIR/coso.bin"
COSO="$BENCH_DIR/coso.bin"

DB="$BENCH_DIR/coso-s$SCALE.db"
BASE="$BENCH_DIR/sqlite-s$SCALE.db"
LOG="$BENCH_DIR/log-s$SCALE"
rm -f "$DB" "$DB-wal" "$DB-shm" "$DB-journal" "$DB.imported-by" "$BASE" "$BASE-journal"

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
echo "coso import ..." >&2
COSO_TIMING=1
export COSO_TIMING
measure "$LOG.coso" "$COSO" --db "$DB" import "$REG"
C_WALL=$WALL C_RSS=$RSS C_CPU=$CPUS
# "timing: NAME   1.234 s  (cpu ...)", NAME may hold spaces ("search: rows")
PHASES=$(sed -n 's/^timing: \(.*[^ ]\)  *\([0-9.][0-9.]*\) s .*/\1 \2/p' "$LOG.coso" |
	awk '{ t = $NF; $NF = ""; sub(/ $/, ""); printf "%s%s %.2f s", sep, $0, t; sep = ", " }')
C_SIZE=$(cat "$DB" "$DB-wal" 2>/dev/null | wc -c)

if [ "$REIMPORT" = 1 ]; then
	echo "coso import again (same folder, same database) ..." >&2
	measure "$LOG.reimport" "$COSO" --db "$DB" import "$REG"
	R_WALL=$WALL R_RSS=$RSS R_CPU=$CPUS
	R_SIZE=$(cat "$DB" "$DB-wal" 2>/dev/null | wc -c)
fi

# which binary imported the database (bench/reports.sh and bench/http.sh reuse it)
md5sum <"$COSO" | cut -c1-10 >"$DB.imported-by"

# the baseline: bare tables with the files' own header columns
SQL="$BENCH_DIR/baseline-s$SCALE.sql"
: >"$SQL"
for f in $FILES; do
	cols=$(head -n 1 "$REG/$f.csv" | tr -d '\r' | sed 's/,/ TEXT, /g; s/$/ TEXT/')
	echo "CREATE TABLE $f ($cols);" >>"$SQL"
done
for f in $FILES; do
	echo ".import --csv --skip 1 $REG/$f.csv $f" >>"$SQL"
done
echo "sqlite3 .import ..." >&2
measure "$LOG.sqlite" "$SQLITE3" "$BASE" ".read $SQL"
S_WALL=$WALL S_RSS=$RSS S_CPU=$CPUS
S_SIZE=$(wc -c <"$BASE")
got=$("$SQLITE3" "$BASE" "SELECT (SELECT count(*) FROM units) + (SELECT count(*) FROM institutions) +
	(SELECT count(*) FROM orgs) + (SELECT count(*) FROM members) + (SELECT count(*) FROM member_periods)")
[ "$got" = "$ROWS" ] || die "sqlite3 .import loaded $got rows, the files have $ROWS"

# ---- the table ------------------------------------------------------------------
CPU=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
MEM=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
SQLV=$("$SQLITE3" --version | cut -d' ' -f1)
# thousands separators (mawk has no %'d)
AWKG='function g(n,  s) { s = sprintf("%d", n); while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s); return s }'
row() { # label wall rss size cpu
	awk -v l="$1" -v w="$2" -v r="$3" -v s="$4" -v c="$5" -v n="$ROWS" -v b="$S_WALL" "$AWKG"'
	BEGIN {
		printf "| %-30s | %7.2f | %7.2f | %10s | %11.0f | %7.1f | %10s |\n", l, w, c, g(w > 0 ? n / w : 0),
			r / 1024, s / 1048576, sprintf("%.1fx", b > 0 ? w / b : 0) }'
}
cat <<EOF

coso import benchmark, $(date +%Y-%m-%d)
- machine: $(nproc) CPUs ($CPU), $MEM RAM, $(uname -sr); load average at start $LOAD0, at end $(cut -d' ' -f1-3 /proc/loadavg)
- coso: $BUILT; sqlite3 shell $SQLV, measured with $TIMER
- registry: scale $SCALE seed $SEED, $(awk -v n="$ROWS" "$AWKG"' BEGIN { print g(n) }') rows, $(awk -v b="$CSVBYTES" 'BEGIN { printf "%.1f MB", b / 1048576 }') of CSV; generated $GENTIME
- rows:$(echo "$COUNTS" | awk "$AWKG"' { for (i = 1; i < NF; i += 2) printf " %s %s%s", $i, g($(i + 1)), (i + 2 < NF ? "," : "") }')

| what                           |  wall s |   cpu s |     rows/s | peak RSS MB |   db MB | vs sqlite3 |
|--------------------------------|--------:|--------:|-----------:|------------:|--------:|-----------:|
EOF
row "coso import (fresh db)" "$C_WALL" "$C_RSS" "$C_SIZE" "$C_CPU"
[ "$REIMPORT" = 1 ] && row "coso import again (same db)" "$R_WALL" "$R_RSS" "$R_SIZE" "$R_CPU"
row "sqlite3 .import, bare tables" "$S_WALL" "$S_RSS" "$S_SIZE" "$S_CPU"
echo
[ -n "$PHASES" ] && echo "coso phases (COSO_TIMING=1): $PHASES"
echo "(logs: $LOG.*; databases: $DB, $BASE)"
