#!/usr/bin/env python3
"""check_report.py: compares coso's report JSON with the figures the baseline
SQL (bench/sql/asof.sql, bench/sql/period.sql) printed in the sqlite3 shell.

    check_report.py asof|period COSO.json SQLITE.out

SQLITE.out is the shell's output in list mode with `.timer on`; the "Run
Time:" lines are summed (real seconds). Prints one line:

    OK <n> figures | <seconds of SQL>
    MISMATCH <what>: coso X, sql Y; ... | <seconds of SQL>

and exits 0 on OK, 1 on MISMATCH.
"""
import json
import sys

FIGS = ("villages.total", "villages.with_org", "villages.without_org", "villages.without_member",
        "schools.total", "schools.with_org", "health_stations.total", "health_stations.with_org",
        "members.total", "members.probationary", "members.official")


def read_sql(path):
    rows, secs = [], 0.0
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("Run Time:"):
                secs += float(line.split()[3])
            elif line:
                rows.append(line.split("|"))
    return rows, secs


def zero():
    return {k: 0 for k in FIGS}


def asof_sql(rows):
    """{child code ('' the scope's own rows): figures}; '*' the sum."""
    out = {}
    for r in rows:
        f = out.setdefault(r[1], zero())
        if r[0] == "villages":
            f["villages.total"] += int(r[2])
            f["villages.with_org"] += int(r[3])
            f["villages.without_org"] += int(r[2]) - int(r[3])
            f["villages.without_member"] += int(r[4])
        elif r[0] == "inst":
            k = "schools" if r[2] == "school" else "health_stations"
            f[k + ".total"] += int(r[3])
            f[k + ".with_org"] += int(r[4])
        elif r[0] == "members":
            f["members.total"] += int(r[2])
            f["members.probationary"] += int(r[3])
            f["members.official"] += int(r[2]) - int(r[3])
        else:
            raise SystemExit("unexpected row %r" % (r,))
    total = zero()
    for f in out.values():
        for k in FIGS:
            total[k] += f[k]
    out["*"] = total
    return out


def asof_json(j):
    def figs(o):
        return {k: o[k.split(".")[0]][k.split(".")[1]] for k in FIGS}
    out = {"*": figs(j)}
    for c in j["children"]:
        out[c["code"]] = figs(c)
    return out


def period_sql(rows):
    out = {"admissions.total": 0, "admissions.commune_level": 0}
    for g in ("orgs_founded", "orgs_dissolved"):
        for c in ("village", "school", "health_station", "other"):
            out["%s.%s" % (g, c)] = 0
    for r in rows:
        key = {"admissions": "admissions", "founded": "orgs_founded", "dissolved": "orgs_dissolved"}[r[0]]
        out["%s.%s" % (key, r[1])] += int(r[2])
    return out


def period_json(j):
    out = {}
    for g in ("admissions", "orgs_founded", "orgs_dissolved"):
        for k, v in j[g].items():
            out["%s.%s" % (g, k)] = v
    return out


def main():
    kind, cjson, sqlout = sys.argv[1:4]
    with open(cjson, encoding="utf-8") as f:
        j = json.load(f)
    rows, secs = read_sql(sqlout)
    bad, n = [], 0
    if kind == "asof":
        got, want = asof_sql(rows), asof_json(j)
        for code in sorted(set(got) | set(want)):
            if code == "":
                continue  # the scope's own rows: in '*' only
            a, b = want.get(code), got.get(code, zero())
            if a is None:
                if any(b.values()):
                    bad.append("%s: a child in the SQL only" % code)
                continue
            for k in FIGS:
                n += 1
                if a[k] != b[k]:
                    bad.append("%s %s: coso %d, sql %d" % (code or "scope", k, a[k], b[k]))
    else:
        got, want = period_sql(rows), period_json(j)
        for k in sorted(set(got) | set(want)):
            n += 1
            if want.get(k, 0) != got.get(k, 0):
                bad.append("%s: coso %s, sql %s" % (k, want.get(k), got.get(k)))
    if bad:
        print("MISMATCH %s%s | %.3f" % ("; ".join(bad[:5]), " (+%d)" % (len(bad) - 5) if len(bad) > 5 else "", secs))
        return 1
    print("OK %d figures | %.3f" % (n, secs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
