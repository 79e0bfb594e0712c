#!/bin/sh
# bench/http.sh [SCALE|demo]: the API under load, with wrk.
#
#   bench/http.sh demo      the Điện Biên demo (data/demo/dien-bien)
#   bench/http.sh 0.1       a generated national registry (bench/gen_national.py)
#   bench/http.sh 1         the whole country
#
# Starts `coso serve` on the database (imported, or reused as bench/reports.sh
# does; see bench/common.sh), on 127.0.0.1 and a free port, and runs
# `wrk -t2 -c64 -d15s --latency` (DURATION, CONNECTIONS, THREADS change it)
# for each of:
#   report-scope    GET /api/v1/reports/asof?as_of=D&scope=S, the dashboard's
#                   report call, S every province (demo: the province and its
#                   districts) existing on D, D one of DATES;
#   report-country  the same without scope: the whole country (demo: the
#                   province), D one of DATES;
#   search          GET /api/v1/members?q=Q&per_page=20, Q one of a list of
#                   name prefixes without diacritics ("nguyen", "tran thi",
#                   "mua a", ...), sorted by name (the default), as an
#                   administrator (the whole country);
#   search-clerk    the same searches, and the list without words, as a
#                   commune's clerk (a reader limited to one commune of today);
#   search-varied   a search for each member whose id ends in 07 (59,000
#                   at scale 1, about 12,000 different), made of the name as
#                   people type it ("nguyen van hung", "nguyen hu", "hung
#                   nguyen"), as an administrator: the answer cache has only
#                   the common ones (its 100 "alone" paths are not among the
#                   load's);
# each request of a run taking the next path of the list (a Lua script made
# from the list; each wrk thread starts at a random place in it). Each path is
# first requested once alone: it must answer 200, and its time (curl's
# time_total) gives the "alone" columns. Then prints requests per second, p50,
# p99 and max latency, errors (socket errors, timeouts, non-2xx answers), and
# the server's resident memory (VmRSS, and VmHWM, its peak so far, from
# /proc/PID/status) before any request and after each run, and the server's
# CPU time per request (user + system of all its threads, /proc/PID/stat, over
# the run's requests): the figure the machine's other work disturbs least.
# wrk runs on the same machine as the server: both share its CPUs.
#
# wrk is installed with apt-get when missing (Debian package wrk).
# Environment: COSO, BENCH_DIR, SEED, REUSE_DB (see reports.sh), DURATION
# (15s), CONNECTIONS (64), THREADS (2), TIMEOUT (wrk's per-request timeout,
# 10s), DATES, RUNS (the runs to do, default "report-scope report-country
# search search-clerk search-varied").
set -eu
. "$(cd "$(dirname "$0")" && pwd)/common.sh"

WHAT=${1:-demo}
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
TIMEOUT=${TIMEOUT:-10s}
RUNS=${RUNS:-report-scope report-country search search-clerk search-varied}

if ! command -v wrk >/dev/null 2>&1; then
	echo "installing wrk ..." >&2
	if [ "$(id -u)" = 0 ]; then
		apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
	else
		sudo apt-get install -y wrk >/dev/null
	fi
fi
command -v wrk >/dev/null 2>&1 || die "no wrk (apt-get install wrk)"
command -v curl >/dev/null 2>&1 || die "no curl"

bench_coso
if [ "$WHAT" = demo ]; then
	DB="$BENCH_DIR/coso-demo.db"
	if [ "$REUSE_DB" != 0 ] && [ "$(cat "$DB.imported-by" 2>/dev/null)" = "$COSO_SUM" ] && db_ready "$DB"; then
		DB_NOTE="reused $DB"
	else
		rm -f "$DB" "$DB-wal" "$DB-shm" "$DB.imported-by"
		"$COSO" --db "$DB" import "$ROOT/data/demo/dien-bien" >"$DB.import.log" 2>&1 ||
			{ cat "$DB.import.log" >&2; die "import failed"; }
		echo "$COSO_SUM" >"$DB.imported-by"
		DB_NOTE="imported data/demo/dien-bien into $DB"
	fi
	DATES=${DATES:-"2016-01-01 2018-05-22 2020-01-01 2024-01-01 2025-12-31"}
else
	bench_db "$WHAT"
	DATES=${DATES:-"2016-01-01 2018-05-22 2020-01-01 2024-01-01 2025-12-31"}
fi

OUT="$BENCH_DIR/http-$WHAT"
mkdir -p "$OUT"

# ---- the paths -------------------------------------------------------------------
day() { echo "CAST(julianday('$1') - 2440587.5 AS INTEGER)"; }
: >"$OUT/report-scope.paths"
: >"$OUT/report-country.paths"
for d in $DATES; do
	if [ "$WHAT" = demo ]; then
		# the province and the units directly under it
		"$SQLITE3" "$DB" "SELECT code FROM unit_row WHERE (parent_code IS NULL OR parent_code IN
			(SELECT code FROM unit_row WHERE parent_code IS NULL)) AND valid_from <= $(day "$d") AND $(day "$d") < valid_to
			ORDER BY code"
	else
		"$SQLITE3" "$DB" "SELECT code FROM unit_row WHERE parent_code IS NULL
			AND valid_from <= $(day "$d") AND $(day "$d") < valid_to ORDER BY code"
	fi | sed "s|^|/api/v1/reports/asof?as_of=$d\&scope=|" >>"$OUT/report-scope.paths"
	echo "/api/v1/reports/asof?as_of=$d" >>"$OUT/report-country.paths"
done
# the clerk's commune: that of the first member period open today
T=$(day "$(date +%F)")
CLERK_SCOPE=$("$SQLITE3" "$DB" "SELECT CASE u.level WHEN 4 THEN u.parent_code ELSE u.code END
	FROM member_period p JOIN org_row o ON o.code = p.org_code AND o.valid_from <= $T AND $T < o.valid_to
	JOIN unit_row u ON u.code = o.site_unit AND u.valid_from <= $T AND $T < u.valid_to
	WHERE p.valid_from <= $T AND $T < p.valid_to AND u.level IN (3, 4) LIMIT 1")
[ -n "$CLERK_SCOPE" ] || die "no commune with members today"
# name prefixes as people type them, without diacritics: family names, middle
# names, given names, of the Kinh and of the mountain peoples of the demo
for q in nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly \
	"nguyen van" "nguyen thi" "tran thi" "le van" "pham thi h" "nguyen van h" "thi lan" "van hung" \
	"mua a" "lo van" "lo thi" "quang van" "ca van" "giang a" "sung" "vang a" "lau" "cam" \
	ngu tra "hoang t" "dinh" "mai" "lam" "trinh" "dao" "luong" "tong"; do
	echo "/api/v1/members?q=$(echo "$q" | sed 's/ /%20/g')&per_page=20"
done >"$OUT/search.paths"
{ cat "$OUT/search.paths"; echo "/api/v1/members?per_page=20"; } >"$OUT/search-clerk.paths"
# searches as varied as the registry's names: the members whose id ends in
# 07 (one in a hundred), each as typed, in turn the whole name ("nguyen van
# hung"), the family name and the given name's first two letters ("nguyen
# hu"), the given name then the family name ("hung nguyen"); the first 100
# are the ones timed alone, the others are the load's
"$SQLITE3" "$DB" "SELECT folded FROM member_search WHERE substr(id, -2) = '07' ORDER BY id" |
	awk 'NF >= 2 { q = NR % 3 == 0 ? $0 : NR % 3 == 1 ? $1 " " substr($NF, 1, 2) : $NF " " $1; gsub(/ /, "%20", q)
		print "/api/v1/members?q=" q "&per_page=20" }' >"$OUT/search-varied.all"
head -n 100 "$OUT/search-varied.all" >"$OUT/search-varied.alone-paths"
tail -n +101 "$OUT/search-varied.all" >"$OUT/search-varied.paths"
[ -s "$OUT/search-varied.paths" ] || die "too few members for the varied searches"

# a Lua file per run: each request takes the next path (each wrk thread starts
# at a different place of the list)
lua() {
	{
		echo "local paths = {"
		sed 's/.*/  "&",/' "$1"
		echo "}"
		cat <<'EOF'
local i = 0
function setup(thread)
	thread:set("offset", math.random(#paths))
end
function init(args)
	i = tonumber(offset) or 0
end
function request()
	i = i + 1
	return wrk.format("GET", paths[(i % #paths) + 1])
end
EOF
	} >"$2"
}

# ---- the server ------------------------------------------------------------------
"$COSO" --db "$DB" serve --port 0 --bind 127.0.0.1 >"$OUT/serve.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true' EXIT INT TERM
PORT=
for _ in $(seq 1 600); do # up to a minute: opening the national database takes seconds
	PORT=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$OUT/serve.log" | head -n 1)
	[ -n "$PORT" ] && curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null 2>&1 && break
	sleep 0.1
done
[ -n "$PORT" ] || { cat "$OUT/serve.log" >&2; die "the server did not start"; }
BASE="http://127.0.0.1:$PORT"

# sessions (docs/SECURITY.md): an administrator, and the clerk of CLERK_SCOPE
PASSWORD="bench-$(date +%s)-password"
user() { # NAME ROLE [SCOPE]: the user, with PASSWORD
	printf '%s\n' "$PASSWORD" | "$COSO" --db "$DB" user add "$1" --role "$2" ${3:+--scope "$3"} --password-stdin \
		>/dev/null 2>&1 ||
		printf '%s\n' "$PASSWORD" | "$COSO" --db "$DB" user passwd "$1" --password-stdin >/dev/null ||
		die "cannot make user $1"
}
session() { # NAME: the value of its session cookie
	curl -s -o /dev/null -c - -H 'Content-Type: application/json' \
		-d "{\"user\":\"$1\",\"password\":\"$PASSWORD\"}" "$BASE/api/v1/session" |
		awk '$6 == "coso_session" { print $7 }'
}
user bench-admin admin
user bench-clerk clerk "$CLERK_SCOPE"
ADMIN_COOKIE="coso_session=$(session bench-admin)"
CLERK_COOKIE="coso_session=$(session bench-clerk)"
[ "$ADMIN_COOKIE" != "coso_session=" ] && [ "$CLERK_COOKIE" != "coso_session=" ] || die "cannot sign in"
cookie_of() { if [ "$1" = search-clerk ]; then echo "$CLERK_COOKIE"; else echo "$ADMIN_COOKIE"; fi; }

mem() { # VmRSS and VmHWM of the server, MB
	awk '/^VmRSS/ { r = $2 } /^VmHWM/ { h = $2 } END { printf "%.0f MB (peak %.0f MB)", r / 1024, h / 1024 }' \
		"/proc/$SERVER/status"
}
MEM0=$(mem)
TICKS=$(getconf CLK_TCK 2>/dev/null || echo 100)
cpu() { # the server's CPU time so far (user + system, all threads), s
	awk -v hz="$TICKS" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' "/proc/$SERVER/stat"
}

# every path once, alone, before the load: it must answer 200; its time
# (curl's time_total, one connection, nothing else running) is kept
for r in $RUNS; do
	paths="$OUT/$r.paths"
	[ -f "$OUT/$r.alone-paths" ] && paths="$OUT/$r.alone-paths"
	while read -r p; do
		res=$(curl -s -o /dev/null -b "$(cookie_of "$r")" -w '%{http_code} %{time_total}' "$BASE$p")
		[ "${res% *}" = 200 ] || die "GET $p: $res"
		echo "${res#* } $p"
	done <"$paths" >"$OUT/$r.alone"
done

cat <<EOF

coso API benchmark (wrk), $(date '+%Y-%m-%d %H:%M'), $WHAT
$(bench_machine)
- database: $DB_NOTE, $(cat "$DB" "$DB-wal" 2>/dev/null | wc -c | awk '{ printf "%.0f MB", $1 / 1048576 }'); $("$SQLITE3" "$DB" "SELECT (SELECT count(*) FROM member) || ' members'")
- wrk $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f2) -t$THREADS -c$CONNECTIONS -d$DURATION --latency --timeout $TIMEOUT, on the same machine
- search-clerk: signed in as a clerk of commune $CLERK_SCOPE (the other runs: an administrator)
- server RSS before any request: $MEM0; after one request per path, alone: $(mem)

| run | paths | alone: median | alone: max | requests | req/s | p50 | p99 | max | errors | server CPU per request | server RSS after |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|
EOF
# wrk's latency "12.34ms" / "1.02s" / "850.00us" in ms
to_ms='function ms(s) { if (s ~ /us$/) return s / 1000; if (s ~ /ms$/) return s + 0; if (s ~ /m$/) return s * 60000; if (s ~ /s$/) return s * 1000; return s }'
# Waits until the server is idle (its CPU time still for a second): wrk
# stops at the end of a run, but the requests it leaves queued are still
# answered, and would be counted against the next run.
settle() {
	prev=$(cpu)
	for _ in $(seq 1 120); do
		sleep 1
		now=$(cpu)
		awk -v a="$now" -v b="$prev" 'BEGIN { exit !(a - b < 0.05) }' && return 0
		prev=$now
	done
}
for r in $RUNS; do
	lua "$OUT/$r.paths" "$OUT/$r.lua"
	settle
	cpu0=$(cpu)
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency --timeout "$TIMEOUT" -H "Cookie: $(cookie_of "$r")" \
		-s "$OUT/$r.lua" "$BASE" >"$OUT/$r.wrk" 2>&1 ||
		{ cat "$OUT/$r.wrk" >&2; die "wrk failed"; }
	alone=$(sort -n "$OUT/$r.alone" | awk '{ t[NR] = $1 * 1000 } END { printf "%.1f ms | %.1f ms", t[int((NR + 1) / 2)], t[NR] }')
	awk -v run="$r" -v n="$(wc -l <"$OUT/$r.paths")" -v alone="$alone" -v mem="$(mem)" -v c0="$cpu0" -v c1="$(cpu)" -v timeout="$TIMEOUT" "$to_ms"'
		/^ +Latency +[0-9]/ { max = $4 }
		/^ +50%/ { p50 = $2 }
		/^ +99%/ { p99 = $2 }
		/requests in/ { reqs = $1 }
		/^Requests\/sec/ { rps = $2 }
		/Socket errors/ { gsub(/,/, ""); for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) err += $i }
		/Non-2xx/ { err += $NF }
		function lat(s) { return ms(s) > 0 ? sprintf("%.1f ms", ms(s)) : "none within " timeout }
		END { printf "| %s | %d | %s | %d | %.1f | %s | %s | %s | %d | %s | %s |\n",
			run, n, alone, reqs, rps, lat(p50), lat(p99), lat(max), err,
			reqs ? sprintf("%.1f ms", (c1 - c0) * 1000 / reqs) : sprintf("%.1f s in all", c1 - c0), mem }' "$OUT/$r.wrk"
done
cat <<EOF

requests: answered within the run; errors: wrk's timeouts ($TIMEOUT), socket
errors and non-2xx answers; latencies are of the answers within the timeout
(an answer after it counts as a timeout); server CPU per request: the
server's user + system time during the run (/proc/PID/stat) over the requests
answered (requests abandoned by wrk also cost CPU); with C cores free, a closed
loop of N connections waits about N x that / C per request (Little's law).
Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg).
(wrk outputs: $OUT/*.wrk; paths: $OUT/*.paths; times alone: $OUT/*.alone)
EOF
