#!/usr/bin/env python3
"""reports.py: the report benchmark's measuring part (run by bench/reports.sh,
which picks the binary and the database and sets the environment below).

For each report: coso (fast path, the step tables) cold and warm, coso with
COSO_PLAIN=1 (the plain SQL path), and the baseline, bench/sql/*.sql in the
sqlite3 shell on the same database, cold and warm. Cold: the OS page cache is
dropped first (sync; echo 3 > /proc/sys/vm/drop_caches) when that is allowed
(root); otherwise "cold" is only the first run in a fresh process and the
table says so. Warm: the median of WARM_RUNS runs (3 when one run takes more
than 10 s). Wall time is the whole process (start, open, query, print); peak
RSS is the process's ru_maxrss (os.wait4).

Checks: coso's JSON with and without COSO_PLAIN=1 must be byte for byte the
same (SAME / DIFF), and the baseline's numbers must equal coso's (OK /
MISMATCH, by check_report.py). Exit status 1 when any check fails.

Then the same two checks, untimed, for the whole country as of each day of
SWEEP_DATES and for each period of SWEEP_PERIODS (around the reform of
2025-07-01; empty to skip).

Environment: COSO, SQLITE3, DB, OUT (a folder for the outputs), AS_OF, FROM,
TO, PROVINCE, COMMUNE, WARM_RUNS, REPORTS (a subset of the reports to time, by
name: country province commune country-period province-period; "none"),
SWEEP_DATES, SWEEP_PERIODS, RESULTS (a JSON
file to write), LABEL.
"""
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
env = os.environ
COSO, SQLITE3, DB, OUT = env["COSO"], env.get("SQLITE3", "sqlite3"), env["DB"], env["OUT"]
AS_OF, FROM, TO = env.get("AS_OF", "2024-01-01"), env.get("FROM", "2016-01-01"), env.get("TO", "2025-12-31")
PROVINCE, COMMUNE = env["PROVINCE"], env["COMMUNE"]
WARM_RUNS = int(env.get("WARM_RUNS", "5"))
os.makedirs(OUT, exist_ok=True)


def can_drop():
    try:
        subprocess.run(["sync"], check=True)
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
        return True
    except OSError:
        return False


DROP = can_drop()


def drop_caches():
    if DROP:
        subprocess.run(["sync"], check=True)
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")


def run(argv, out_path, extra_env=None):
    """Runs argv with stdout to out_path; returns (wall s, peak RSS KiB, CPU s)."""
    e = dict(os.environ)
    e.pop("COSO_PLAIN", None)
    if extra_env:
        e.update(extra_env)
    with open(out_path, "wb") as out, open(out_path + ".err", "wb") as err:
        t = time.monotonic()
        p = subprocess.Popen(argv, stdout=out, stderr=err, env=e)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.monotonic() - t
    if status != 0:
        sys.stderr.write(open(out_path + ".err").read())
        raise SystemExit("failed (%d): %s" % (status, " ".join(argv)))
    return wall, ru.ru_maxrss, ru.ru_utime + ru.ru_stime


def day_expr(date):
    return "\"CAST(julianday('%s') - 2440587.5 AS INTEGER)\"" % date


def sql_argv(name, params):
    """The sqlite3 shell reading a prelude of .parameter lines, then the SQL."""
    pre = os.path.join(OUT, name + ".prelude")
    with open(pre, "w") as f:
        # the same page cache as coso asks for, so that both read alike (set
        # first: changing temp_store drops the temp tables, parameters included)
        f.write("PRAGMA cache_size = -65536;\nPRAGMA temp_store = MEMORY;\n.parameter init\n")
        for k, v in params.items():
            if not k.startswith("__"):
                f.write(".parameter set @%s %s\n" % (k, v))
        f.write(".timer on\n")
    return [SQLITE3, DB, ".read " + pre, ".read " + os.path.join(HERE, "sql", params["__file"])]


def scope_param(code):
    return "NULL" if code is None else "\"'%s'\"" % code


REPORTS = []


def asof(name, label, scope):
    args = ["report", "--as-of", AS_OF, "--format", "json"] + (["--scope", scope] if scope else [])
    REPORTS.append((name, label, "asof", args, {"__file": "asof.sql", "d": day_expr(AS_OF),
                                                "scope": scope_param(scope)}))


def period(name, label, scope):
    args = ["report", "--from", FROM, "--to", TO, "--format", "json"] + (["--scope", scope] if scope else [])
    REPORTS.append((name, label, "period", args, {"__file": "period.sql", "from": day_expr(FROM),
                                                  "to": day_expr(TO), "scope": scope_param(scope)}))


asof("country", "as of %s, whole country with its children" % AS_OF, None)
asof("province", "as of %s, province %s" % (AS_OF, PROVINCE), PROVINCE)
asof("commune", "as of %s, commune %s" % (AS_OF, COMMUNE), COMMUNE)
period("country-period", "%s..%s, whole country" % (FROM, TO), None)
period("province-period", "%s..%s, province %s" % (FROM, TO, PROVINCE), PROVINCE)


if env.get("REPORTS"):  # a subset: names among country province commune country-period province-period, or none
    REPORTS = [r for r in REPORTS if r[0] in env["REPORTS"].split()]


def measure(name, argv, extra_env=None):
    """cold (after dropping the page cache) then warm runs; returns a dict."""
    drop_caches()
    cold, cold_rss, cold_cpu = run(argv, os.path.join(OUT, name + ".cold"), extra_env)
    walls, cpus, rss = [], [], cold_rss
    n = WARM_RUNS
    i = 0
    while i < n:
        w, r, c = run(argv, os.path.join(OUT, name), extra_env)
        walls.append(w)
        cpus.append(c)
        rss = max(rss, r)
        if w > 10 and n > 3:
            n = 3
        i += 1
    return {"cold": cold, "cold_cpu": cold_cpu, "warm": statistics.median(walls), "warm_cpu": statistics.median(cpus),
            "walls": walls, "runs": len(walls), "rss_kib": rss}


results = []
failed = False
for name, label, kind, args, params in REPORTS:
    sys.stderr.write("%s ...\n" % label)
    fast = measure("coso-" + name, [COSO, "--db", DB] + args)
    base = measure("sql-" + name, sql_argv(name, params))
    plain_w, plain_rss, plain_cpu = run([COSO, "--db", DB] + args, os.path.join(OUT, "plain-" + name), {"COSO_PLAIN": "1"})
    with open(os.path.join(OUT, "coso-" + name), "rb") as a, open(os.path.join(OUT, "plain-" + name), "rb") as b:
        same = a.read() == b.read()
    chk = subprocess.run([sys.executable, os.path.join(HERE, "check_report.py"), kind,
                          os.path.join(OUT, "coso-" + name), os.path.join(OUT, "sql-" + name)],
                         capture_output=True, text=True)
    verdict, _, sqlsecs = chk.stdout.strip().rpartition(" | ")
    failed |= not same or chk.returncode != 0
    results.append({"name": name, "label": label, "coso": fast, "plain": {"wall": plain_w, "rss_kib": plain_rss, "cpu": plain_cpu},
                    "sql": base, "sql_timer": float(sqlsecs or 0), "same": same, "check": verdict})

# ---- the table -------------------------------------------------------------------


def ms(s):
    return "%.0f ms" % (s * 1000) if s < 10 else "%.1f s" % s


if results:
    print()
    print("| report | coso cold | coso warm | warm cpu | coso RSS | plain path | sqlite3 cold | sqlite3 warm | warm cpu | sqlite3 RSS | fast = plain | coso = sqlite3 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")
    for r in results:
        c, s = r["coso"], r["sql"]
        print("| %s | %s | %s (%d) | %s | %.0f MB | %s | %s | %s (%d) | %s | %.0f MB | %s | %s |" % (
            r["label"], ms(c["cold"]), ms(c["warm"]), c["runs"], ms(c["warm_cpu"]), c["rss_kib"] / 1024,
            ms(r["plain"]["wall"]), ms(s["cold"]), ms(s["warm"]), s["runs"], ms(s["warm_cpu"]), s["rss_kib"] / 1024,
            "SAME" if r["same"] else "DIFF", r["check"].split(" ")[0] if r["check"].startswith("OK") else r["check"]))
    print()
    print("cold: %s; warm: median of the runs in brackets; wall time of the whole process; cpu: user + system;"
          " plain path: one warm run with COSO_PLAIN=1; sqlite3: bench/sql/*.sql (SQL alone,"
          " .timer, last warm run: %s)" % (
              "after sync; echo 3 > /proc/sys/vm/drop_caches" if DROP else
              "NOT a dropped page cache (not allowed here), only the first run in a fresh process",
              ", ".join("%s %s" % (r["name"], ms(r["sql_timer"])) for r in results)))
# ---- the equality sweep: more days, the whole country (every province a child) ----
SWEEP = env.get("SWEEP_DATES", "2016-01-01 2018-05-22 2025-06-30 2025-07-01 2025-12-31").split()
SWEEP_PERIODS = [p.split("..") for p in env.get("SWEEP_PERIODS", "2025-01-01..2025-06-30 2025-07-01..2025-12-31").split()]
sweep = []
for d in SWEEP:
    sys.stderr.write("sweep: as of %s ...\n" % d)
    args = ["report", "--as-of", d, "--format", "json"]
    base = os.path.join(OUT, "sweep-%s" % d)
    run([COSO, "--db", DB] + args, base + ".coso")
    run([COSO, "--db", DB] + args, base + ".plain", {"COSO_PLAIN": "1"})
    run(sql_argv("sweep-%s" % d, {"__file": "asof.sql", "d": day_expr(d), "scope": "NULL"}), base + ".sql")
    same = open(base + ".coso", "rb").read() == open(base + ".plain", "rb").read()
    chk = subprocess.run([sys.executable, os.path.join(HERE, "check_report.py"), "asof", base + ".coso", base + ".sql"],
                         capture_output=True, text=True)
    failed |= not same or chk.returncode != 0
    sweep.append(("as of %s, whole country with its children" % d, "SAME" if same else "DIFF",
                  chk.stdout.strip().rpartition(" | ")[0]))
for a, b in SWEEP_PERIODS:
    sys.stderr.write("sweep: %s..%s ...\n" % (a, b))
    args = ["report", "--from", a, "--to", b, "--format", "json"]
    base = os.path.join(OUT, "sweep-%s-%s" % (a, b))
    run([COSO, "--db", DB] + args, base + ".coso")
    run([COSO, "--db", DB] + args, base + ".plain", {"COSO_PLAIN": "1"})
    run(sql_argv("sweep-%s-%s" % (a, b), {"__file": "period.sql", "from": day_expr(a), "to": day_expr(b),
                                         "scope": "NULL"}), base + ".sql")
    same = open(base + ".coso", "rb").read() == open(base + ".plain", "rb").read()
    chk = subprocess.run([sys.executable, os.path.join(HERE, "check_report.py"), "period", base + ".coso", base + ".sql"],
                         capture_output=True, text=True)
    failed |= not same or chk.returncode != 0
    sweep.append(("%s..%s, whole country" % (a, b), "SAME" if same else "DIFF", chk.stdout.strip().rpartition(" | ")[0]))
if sweep:
    print()
    print("Equality on more days (not timed):")
    print()
    print("| report | fast = plain | coso = sqlite3 |")
    print("|---|---|---|")
    for label, same, verdict in sweep:
        print("| %s | %s | %s |" % (label, same, verdict))

if env.get("RESULTS"):
    with open(env["RESULTS"], "w") as f:
        json.dump({"label": env.get("LABEL", ""), "loadavg_end": open("/proc/loadavg").read().split()[:3], "drop_caches": DROP, "as_of": AS_OF, "from": FROM, "to": TO,
                   "province": PROVINCE, "commune": COMMUNE, "reports": results,
                   "sweep": [{"label": a, "same": b, "check": c} for a, b, c in sweep]}, f, indent=1)
sys.exit(1 if failed else 0)
