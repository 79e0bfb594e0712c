#!/usr/bin/env python3
"""check_demo.py: validate the Điện Biên demo registry and recompute its figures.

    python3 tools/demo/check_demo.py [DIR]      (default data/demo/dien-bien)

Independent of the generator (it shares no code with gen_dien_bien.py): it reads
the five CSV files as any importer would, checks the rules of FORMAT.md and of
the project (contiguous rows, references that exist for the whole period that
uses them, parents of a higher level, no cycles, member periods that cover the
active span exactly, ...), then computes every figure of the article with the
definitions of FORMAT.md, scope = province 11, and compares them with the
expected values. Exits 1 when a rule is broken or an exact figure is off.
Standard library only.
"""

import csv
import datetime
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_DIR = os.path.join(ROOT, "data", "demo", "dien-bien")
REF_DIR = os.path.join(ROOT, "data", "reference")

SCOPE = "11"
NEVER = "0000-00-00"      # open valid_from
ALWAYS = "9999-12-31"     # open valid_to

COLUMNS = {
    "units.csv": (["code", "name", "level", "kind"],
                  ["parent_code", "valid_from", "valid_to", "border", "difficult",
                   "population"]),
    "institutions.csv": (["code", "name", "kind", "unit_code"], ["valid_from", "valid_to"]),
    "orgs.csv": (["code", "name", "kind", "grassroots"],
                 ["parent_code", "site_unit", "site_institution", "valid_from", "valid_to"]),
    "members.csv": (["id", "full_name", "gender", "birth_date", "ethnicity", "admitted_on"],
                    ["official_on", "ended_on", "end_reason"]),
    "member_periods.csv": (["member_id", "valid_from", "org_code"],
                           ["valid_to", "residence_code"]),
}
LEVELS = {"province": 0, "district": 1, "commune": 2, "village": 3}
INST_KINDS = {"school", "health_station", "agency", "enterprise", "armed_forces", "other"}
END_REASONS = {"died", "expelled", "removed", "left", "transferred_out"}

# The figures of the article (Điện Biên TV, 22/05/2018) the registry must give.
EXPECTED = {
    "2018-05-22 villages.total": 1813,
    "2018-05-22 villages.with_org": 1601,
    "2018-05-22 villages.without_org": 212,
    "2018-05-22 villages.without_member": 21,
    "2018-05-22 districts": 10,
    "2018-05-22 communes": 130,
    "2018-05-22 communes.xã": 116,
    "2018-05-22 communes.phường": 9,
    "2018-05-22 communes.thị trấn": 5,
    "2018-05-22 communes.border": 29,
    "2018-05-22 communes.difficult": 101,
    "2018-05-22 villages.difficult": 1146,
    "2018-05-22 schools.without_org": 1,
    "2018-05-22 ethnic groups of active members": 19,
    "2016-01-01 villages.total": 1813,
    "2016-01-01 villages.without_member": 95,
    "2016-01-01 villages.without_org": 328,
    "2016-01-01..2018-05-22 admissions.total": 5240,
    "2016-01-01..2018-05-22 admissions.commune_level": 3406,
    "2016-01-01..2018-05-22 orgs_founded.village": 245,
    "2016-01-01..2018-05-22 orgs_founded.school": 32,
    "2016-01-01..2018-05-22 orgs_founded.health_station": 34,
    "2018-01-01..2018-03-31 admissions.total": 407,
    "2018-01-01..2018-03-31 admissions.commune_level": 247,
    "2024-01-01 districts": 10,
    "2024-01-01 communes": 129,
    "2026-01-01 districts": 0,
    "2026-01-01 communes": 45,
    "2026-01-01 communes.xã": 42,
    "2026-01-01 communes.phường": 3,
    "2026-01-01 communes directly under the province": 45,
    "2026-01-01 villages not under a 2025 commune": 0,
}
# Figures that are "about" something: (low, high), both inclusive.
RANGES = {
    "2018-05-22 population": (560_000, 580_000),            # "57 vạn dân"
    "2018-05-22 members.total": (35_000, 40_000),
    "2016-01-01..2018-05-22 commune share %": (64.0, 66.0),  # "gần 65 %"
    "2018-05-22 health_stations.with_org %": (55.0, 60.0),   # "gần 60%"
    "2018-05-22 schools.with_org %": (99.0, 100.0),          # "gần 100%"
    "2016-01-01..2018-05-22 orgs_founded.other": (0, 10),
    "members.csv rows": (1, 60_000),
}

errors = []


def error(msg):
    if len(errors) < 200:
        print("ERROR:", msg)
    errors.append(msg)


def valid_date(text):
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def prev_day(text):
    return (datetime.date.fromisoformat(text) - datetime.timedelta(days=1)).isoformat()


def load(folder, fname):
    path = os.path.join(folder, fname)
    raw = open(path, "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        error("%s: has a byte-order mark" % fname)
    if b"\r" in raw:
        error("%s: has CR characters (line ends must be LF)" % fname)
    if not raw.endswith(b"\n"):
        error("%s: no final line end" % fname)
    text = raw.decode("utf-8")
    rows = list(csv.reader(text.splitlines(keepends=True)))
    header = rows[0]
    required, optional = COLUMNS[fname]
    for col in required:
        if col not in header:
            error("%s: missing column %s" % (fname, col))
    for col in header:
        if col not in required and col not in optional:
            error("%s: unknown column %s" % (fname, col))
    out = []
    for n, fields in enumerate(rows[1:], start=2):
        if len(fields) != len(header):
            error("%s:%d: %d fields" % (fname, n, len(fields)))
            continue
        rec = dict(zip(header, fields))
        rec["_where"] = "%s:%d" % (fname, n)
        for col in required + optional:
            rec.setdefault(col, "")
        for col, val in rec.items():
            if col.startswith("_"):
                continue
            if val != val.strip():
                error("%s: %s has leading/trailing spaces" % (rec["_where"], col))
            if col in required and val == "":
                error("%s: %s is empty" % (rec["_where"], col))
            if (col in ("valid_from", "valid_to", "birth_date", "admitted_on", "official_on",
                        "ended_on") and val and not valid_date(val)):
                error("%s: %s is not a real date: %r" % (rec["_where"], col, val))
            if (col == "code" or col.endswith("_code") or col.startswith("site_")
                    or col in ("id", "member_id")) and " " in val:
                error("%s: %s has a space: %r" % (rec["_where"], col, val))
        if "valid_from" in rec:
            rec["from"] = rec["valid_from"] or NEVER
            rec["to"] = rec["valid_to"] or ALWAYS
            if rec["from"] >= rec["to"]:
                error("%s: empty or reversed period" % rec["_where"])
        out.append(rec)
    return out


class Timed:
    """Records of one kind indexed by code; rows of a code must be contiguous."""

    def __init__(self, records, what):
        self.rows = {}
        for r in records:
            self.rows.setdefault(r["code"], []).append(r)
        for code, rows in self.rows.items():
            for a, b in zip(rows, rows[1:]):
                if b["from"] != a["to"] or a["to"] == ALWAYS:
                    error("%s: %s %s rows not contiguous (%s then %s)"
                          % (b["_where"], what, code, a["valid_to"], b["valid_from"]))

    def at(self, code, d):
        for r in self.rows.get(code, ()):
            if r["from"] <= d < r["to"]:
                return r
        return None

    def span(self, code):
        rows = self.rows.get(code)
        return (rows[0]["from"], rows[-1]["to"]) if rows else None

    def covers(self, code, a, b):
        """The record exists on every day of [a, b)."""
        s = self.span(code)
        return s is not None and s[0] <= a and b <= s[1]

    def cuts(self):
        out = set()
        for rows in self.rows.values():
            for r in rows:
                out.add(r["from"])
                out.add(r["to"])
        return out


def check_units(units):
    for code, rows in units.rows.items():
        levels = {r["level"] for r in rows}
        if len(levels) != 1 or not levels <= set(LEVELS):
            error("units: %s has level(s) %s" % (code, sorted(levels)))
        for r in rows:
            for flag in ("border", "difficult"):
                if r[flag] not in ("", "0", "1"):
                    error("%s: %s is not 0/1" % (r["_where"], flag))
            if r["population"] and not r["population"].isdigit():
                error("%s: population not a whole number" % r["_where"])
            p = r["parent_code"]
            if not p:
                if r["level"] != "province":
                    error("%s: no parent" % r["_where"])
                continue
            if not units.covers(p, r["from"], r["to"]):
                error("%s: parent %s does not exist for the whole row" % (r["_where"], p))
                continue
            # the parent's level is higher on every day of the row
            for pr in units.rows[p]:
                if pr["from"] < r["to"] and r["from"] < pr["to"] and \
                        LEVELS.get(pr["level"], 9) >= LEVELS.get(r["level"], -1):
                    error("%s: parent %s is not of a higher level" % (r["_where"], p))


def check_cycles(table, what, cut_dates):
    for d in sorted(cut_dates):
        if d in (ALWAYS,):
            continue
        day = "0001-01-01" if d == NEVER else d
        for code in table.rows:
            seen = set()
            c = code
            while c:
                if c in seen:
                    error("%s: cycle through %s on %s" % (what, code, day))
                    break
                seen.add(c)
                r = table.at(c, day)
                c = r["parent_code"] if r else None


def check_insts(insts, units):
    seen = set()
    for r in insts:
        if r["code"] in seen:
            error("%s: duplicate institution %s" % (r["_where"], r["code"]))
        seen.add(r["code"])
        if r["kind"] not in INST_KINDS:
            error("%s: kind %r" % (r["_where"], r["kind"]))
        if not units.covers(r["unit_code"], r["from"], r["to"]):
            error("%s: unit %s does not exist for the whole period" % (r["_where"], r["unit_code"]))


def check_orgs(orgs, units, insts_by_code):
    tops = set()
    for code, rows in orgs.rows.items():
        for r in rows:
            if r["kind"] not in ("committee", "cell"):
                error("%s: kind %r" % (r["_where"], r["kind"]))
            if r["grassroots"] not in ("0", "1"):
                error("%s: grassroots %r" % (r["_where"], r["grassroots"]))
            su, si = r["site_unit"], r["site_institution"]
            if bool(su) == bool(si):
                error("%s: needs exactly one of site_unit / site_institution" % r["_where"])
            elif su and not units.covers(su, r["from"], r["to"]):
                error("%s: site_unit %s missing during the row" % (r["_where"], su))
            elif si:
                inst = insts_by_code.get(si)
                if inst is None or not (inst["from"] <= r["from"] and r["to"] <= inst["to"]):
                    error("%s: site_institution %s missing during the row" % (r["_where"], si))
            p = r["parent_code"]
            if not p:
                tops.add(code)
                continue
            if not orgs.covers(p, r["from"], r["to"]):
                error("%s: parent %s missing during the row" % (r["_where"], p))
                continue
            for pr in orgs.rows[p]:
                if pr["from"] < r["to"] and r["from"] < pr["to"] and pr["kind"] != "committee":
                    error("%s: parent %s is a cell" % (r["_where"], p))
    if len(tops) != 1:
        error("orgs: %d organizations without parent: %s" % (len(tops), sorted(tops)[:5]))


def check_members(members, periods, orgs, units):
    by_member = {}
    for p in periods:
        by_member.setdefault(p["member_id"], []).append(p)
    ids = set()
    for m in members:
        w = m["_where"]
        if m["id"] in ids:
            error("%s: duplicate id" % w)
        ids.add(m["id"])
        if m["gender"] not in ("male", "female"):
            error("%s: gender %r" % (w, m["gender"]))
        a, o, e = m["admitted_on"], m["official_on"], m["ended_on"]
        b = datetime.date.fromisoformat(m["birth_date"])
        ad = datetime.date.fromisoformat(a)
        age = ad.year - b.year - ((ad.month, ad.day) < (b.month, b.day))
        if not 18 <= age <= 60:
            error("%s: age %d at admission" % (w, age))
        if o and o <= a:
            error("%s: official_on not after admitted_on" % w)
        if bool(e) != bool(m["end_reason"]):
            error("%s: end_reason iff ended_on" % w)
        if m["end_reason"] and m["end_reason"] not in END_REASONS:
            error("%s: end_reason %r" % (w, m["end_reason"]))
        if e and e <= a:
            error("%s: ended_on not after admitted_on" % w)
        ps = sorted(by_member.get(m["id"], []), key=lambda p: p["from"])
        if not ps:
            error("%s: no periods" % w)
            continue
        if ps[0]["from"] != a:
            error("%s: first period starts %s, admitted %s" % (ps[0]["_where"], ps[0]["from"], a))
        for x, y in zip(ps, ps[1:]):
            if y["from"] != x["to"]:
                error("%s: gap or overlap before this period" % y["_where"])
        last = ps[-1]["to"]
        if last != (e or ALWAYS):
            error("%s: last period ends %s, member ends %s" % (ps[-1]["_where"], last, e))
        for p in ps:
            if not orgs.covers(p["org_code"], p["from"], p["to"]):
                error("%s: org %s missing during the period" % (p["_where"], p["org_code"]))
            res = p["residence_code"]
            if res:
                if not units.covers(res, p["from"], p["to"]):
                    error("%s: residence %s missing during the period" % (p["_where"], res))
                elif units.rows[res][0]["level"] != "village":
                    error("%s: residence %s is not a village" % (p["_where"], res))
    for mid in by_member:
        if mid not in ids:
            error("member_periods: unknown member %s" % mid)
    return by_member


# ---------------------------------------------------------------------------
# Figures (FORMAT.md, "Definitions")
# ---------------------------------------------------------------------------


class Figures:
    def __init__(self, units, insts_by_code, orgs, members, by_member):
        self.units, self.insts, self.orgs = units, insts_by_code, orgs
        self.members, self.by_member = members, by_member
        self._anc = {}

    def unit_in_scope(self, code, d):
        key = (code, d)
        if key not in self._anc:
            c, ok, steps = code, False, 0
            while c and steps < 20:
                if c == SCOPE:
                    ok = True
                    break
                r = self.units.at(c, d)
                c = r["parent_code"] if r else None
                steps += 1
            self._anc[key] = ok
        return self._anc[key]

    def inst_exists(self, code, d):
        i = self.insts.get(code)
        return i is not None and i["from"] <= d < i["to"]

    def inst_in_scope(self, code, d):
        return self.inst_exists(code, d) and self.unit_in_scope(self.insts[code]["unit_code"], d)

    def org_in_scope(self, code, d):
        r = self.orgs.at(code, d)
        if r is None:
            return False
        if r["site_unit"]:
            return self.unit_in_scope(r["site_unit"], d)
        return self.inst_in_scope(r["site_institution"], d)

    def period_at(self, mid, d):
        for p in self.by_member.get(mid, ()):
            if p["from"] <= d < p["to"]:
                return p
        return None

    def active(self, m, d):
        return m["admitted_on"] <= d and (not m["ended_on"] or d < m["ended_on"])

    def as_of(self, d):
        f = {}
        units_at = {}
        for code, rows in self.units.rows.items():
            r = self.units.at(code, d)
            if r and self.unit_in_scope(code, d):
                units_at[code] = r
        villages = [c for c, r in units_at.items() if r["level"] == "village"]
        communes = [r for r in units_at.values() if r["level"] == "commune"]
        f["villages.total"] = len(villages)
        f["districts"] = sum(r["level"] == "district" for r in units_at.values())
        f["communes"] = len(communes)
        for kind in ("xã", "phường", "thị trấn"):
            f["communes." + kind] = sum(r["kind"] == kind for r in communes)
        f["communes.border"] = sum(r["border"] == "1" for r in communes)
        f["communes.difficult"] = sum(r["difficult"] == "1" for r in communes)
        f["villages.difficult"] = sum(units_at[v]["difficult"] == "1" for v in villages)
        f["population"] = sum(int(units_at[v]["population"] or 0) for v in villages)
        f["communes directly under the province"] = sum(r["parent_code"] == SCOPE
                                                        for r in communes)
        sites_u, sites_i = set(), set()
        for code in self.orgs.rows:
            r = self.orgs.at(code, d)
            if r:
                sites_u.add(r["site_unit"])
                sites_i.add(r["site_institution"])
        f["villages.with_org"] = sum(v in sites_u for v in villages)
        f["villages.without_org"] = f["villages.total"] - f["villages.with_org"]
        lived = set()
        total = prob = 0
        groups = set()
        for m in self.members:
            if not self.active(m, d):
                continue
            p = self.period_at(m["id"], d)
            if p is None:
                continue
            if p["residence_code"]:
                lived.add(p["residence_code"])
            if self.org_in_scope(p["org_code"], d):
                total += 1
                groups.add(m["ethnicity"])
                if not m["official_on"] or d < m["official_on"]:
                    prob += 1
        f["villages.without_member"] = sum(v not in lived for v in villages)
        f["members.total"] = total
        f["members.probationary"] = prob
        f["members.official"] = total - prob
        f["ethnic groups of active members"] = len(groups)
        for kind, key in (("school", "schools"), ("health_station", "health_stations")):
            codes = [c for c, i in self.insts.items() if i["kind"] == kind
                     and self.inst_in_scope(c, d)]
            f[key + ".total"] = len(codes)
            f[key + ".with_org"] = sum(c in sites_i for c in codes)
            f[key + ".without_org"] = f[key + ".total"] - f[key + ".with_org"]
            f[key + ".with_org %"] = round(100.0 * f[key + ".with_org"] / max(1, len(codes)), 1)
        new_communes = {r["code"] for r in communes}
        f["villages not under a 2025 commune"] = sum(units_at[v]["parent_code"] not in new_communes
                                                     for v in villages)
        return f

    def where_kind(self, r):
        """village / school / health_station / other, by where an org row sits."""
        if r["site_unit"]:
            u = self.units.at(r["site_unit"], r["_day"])
            return "village" if u and u["level"] == "village" else "other"
        i = self.insts.get(r["site_institution"])
        if i and i["kind"] in ("school", "health_station"):
            return i["kind"]
        return "other"

    def nearest_grassroots(self, code, d):
        steps = 0
        while code and steps < 20:
            r = self.orgs.at(code, d)
            if r is None:
                return None
            if r["grassroots"] == "1":
                return r
            code = r["parent_code"]
            steps += 1
        return None

    def period(self, a, b):
        f = {"admissions.total": 0, "admissions.commune_level": 0}
        for m in self.members:
            day = m["admitted_on"]
            if not a <= day <= b:
                continue
            p = self.period_at(m["id"], day)
            if p is None or not self.org_in_scope(p["org_code"], day):
                continue
            f["admissions.total"] += 1
            g = self.nearest_grassroots(p["org_code"], day)
            if g and g["site_unit"]:
                u = self.units.at(g["site_unit"], day)
                if u and u["level"] == "commune":
                    f["admissions.commune_level"] += 1
        for what in ("founded", "dissolved"):
            for k in ("village", "school", "health_station", "other"):
                f["orgs_%s.%s" % (what, k)] = 0
        for code, rows in self.orgs.rows.items():
            first, last = rows[0], rows[-1]
            if first["valid_from"] and a <= first["from"] <= b:
                first["_day"] = first["from"]
                if self.org_in_scope(code, first["from"]):
                    f["orgs_founded." + self.where_kind(first)] += 1
            if last["valid_to"] and a <= last["to"] <= b:
                last["_day"] = prev_day(last["to"])
                if self.org_in_scope(code, last["_day"]):
                    f["orgs_dissolved." + self.where_kind(last)] += 1
        f["commune share %"] = round(100.0 * f["admissions.commune_level"]
                                     / max(1, f["admissions.total"]), 1)
        return f


def compare_with_reference(units):
    """The real units must be those of data/reference (codes and parents)."""
    def ref(name):
        with open(os.path.join(REF_DIR, name), encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    for fname, day in (("vn_admin_units_2018.csv", "2018-05-22"),
                       ("vn_admin_units_2024.csv", "2024-01-01"),
                       ("vn_admin_units_2025.csv", "2026-01-01")):
        rows = ref(fname)
        want = {}
        ups = {SCOPE}
        for level in ("district", "commune"):
            for r in rows:
                if r["level"] == level and r["parent_code"] in ups:
                    want[r["code"]] = (r["parent_code"], r["level"], r["name"])
            ups |= {c for c, v in want.items() if v[1] == level}
        got = {}
        for code, rs in units.rows.items():
            r = units.at(code, day)
            if r and r["level"] in ("district", "commune"):
                got[code] = (r["parent_code"], r["level"], r["name"])
        if sorted(want) != sorted(got):
            error("%s: units on %s differ from %s: %s" % ("units.csv", day, fname,
                  sorted(set(want) ^ set(got))[:10]))
        for c in want:
            if c in got and want[c][:2] != got[c][:2]:
                error("units.csv: %s on %s: %s, reference %s" % (c, day, got[c], want[c]))
            elif c in got and want[c][2].lower() != got[c][2].lower():
                error("units.csv: %s on %s named %r, reference %r" % (c, day, got[c][2],
                                                                       want[c][2]))
        print("ok: districts and communes on %s match %s (%d units)" % (day, fname, len(want)))


def main(argv):
    folder = argv[1] if len(argv) > 1 else DEFAULT_DIR
    tables = {name: load(folder, name) for name in COLUMNS}
    units = Timed(tables["units.csv"], "unit")
    orgs = Timed(tables["orgs.csv"], "org")
    insts_by_code = {r["code"]: r for r in tables["institutions.csv"]}
    check_units(units)
    check_cycles(units, "units", units.cuts())
    check_insts(tables["institutions.csv"], units)
    check_orgs(orgs, units, insts_by_code)
    check_cycles(orgs, "orgs", orgs.cuts())
    by_member = check_members(tables["members.csv"], tables["member_periods.csv"], orgs, units)
    compare_with_reference(units)
    print("validation: %d problem(s)" % len(errors))

    fig = Figures(units, insts_by_code, orgs, tables["members.csv"], by_member)
    got = {}
    for d in ("2016-01-01", "2018-05-22", "2024-01-01", "2026-01-01"):
        for k, v in fig.as_of(d).items():
            got["%s %s" % (d, k)] = v
    for a, b in (("2016-01-01", "2018-05-22"), ("2018-01-01", "2018-03-31")):
        for k, v in fig.period(a, b).items():
            got["%s..%s %s" % (a, b, k)] = v
    for name in COLUMNS:
        got["%s rows" % name] = len(tables[name])

    bad = 0
    print()
    print("%-62s %10s %12s" % ("figure", "registry", "expected"))
    for k in sorted(got):
        mark = ""
        if k in EXPECTED:
            mark = "%12s" % EXPECTED[k]
            if got[k] != EXPECTED[k]:
                mark += "  <-- WRONG"
                bad += 1
        elif k in RANGES:
            lo, hi = RANGES[k]
            mark = "%12s" % ("%s..%s" % (lo, hi))
            if not lo <= got[k] <= hi:
                mark += "  <-- OUT OF RANGE"
                bad += 1
        print("%-62s %10s %s" % (k, got[k], mark))
    for k in list(EXPECTED) + list(RANGES):
        if k not in got:
            print("missing figure:", k)
            bad += 1
    print()
    print("figures: %d wrong; rules: %d problem(s)" % (bad, len(errors)))
    return 1 if bad or errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
