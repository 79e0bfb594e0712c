#!/usr/bin/env python3
"""check_registry.py: checks a registry folder against the rules of docs/FORMAT.md.

    bench/check_registry.py DIR [--max-errors N] [--quiet]

Independent of coso (Python 3 standard library only). Units, institutions and
organizations are held in memory (a few hundred thousand rows at the national
scale); members.csv and member_periods.csv are streamed. When both files list
the members in the same order (as gen_national.py writes them) memory stays
bounded; otherwise the members' dates are kept in a dictionary.

Checks, besides each row's own syntax (header, required columns, unknown
columns, dates that exist, flags, enumerations, codes without spaces):

- units / orgs: the rows of one code are consecutive in the file and follow
  each other without gap or overlap; a parent (unit, organization), site unit,
  site institution and an institution's unit exist for the whole period of the
  row; a unit's parent is of a higher level; only provinces have no unit
  parent; an organization has exactly one site; no cycle of organizations;
- members: unique ids, official_on / ended_on not before admitted_on,
  birth_date before admitted_on, end_reason with ended_on and only then;
- member periods (the strict form the brief asks for): the periods of a member
  are consecutive rows, the first starts exactly on admitted_on, each starts
  where the previous ended, the last ends exactly on ended_on (open when the
  member has not ended); the organization and the residence (a village) exist
  for the whole period.

Exit status 0 when every rule holds, 1 otherwise. Prints counts either way.
"""

import argparse
import datetime
import sys
import time

NEG = -10 ** 8
POS = 10 ** 8
LEVELS = {"province": 1, "district": 2, "commune": 3, "village": 4}
INST_KINDS = {"school", "health_station", "agency", "enterprise", "armed_forces", "other"}
END_REASONS = {"died", "expelled", "removed", "left", "transferred_out"}

SPECS = {
    "units.csv": (["code", "name", "level", "kind"],
                  ["parent_code", "valid_from", "valid_to", "border", "difficult", "population"]),
    "institutions.csv": (["code", "name", "kind", "unit_code"], ["valid_from", "valid_to"]),
    "orgs.csv": (["code", "name", "kind", "grassroots"],
                 ["parent_code", "site_unit", "site_institution", "valid_from", "valid_to"]),
    "members.csv": (["id", "full_name", "gender", "birth_date", "ethnicity", "admitted_on"],
                    ["official_on", "ended_on", "end_reason"]),
    "member_periods.csv": (["member_id", "valid_from", "org_code"], ["valid_to", "residence_code"]),
}


class Checker:
    def __init__(self, folder, max_errors):
        self.dir = folder
        self.max_errors = max_errors
        self.errors = 0
        self.dcache = {}
        self.stats = {}

    def err(self, fname, line, col, msg):
        self.errors += 1
        if self.errors <= self.max_errors:
            print("%s:%s: %s: %s" % (fname, line, col or "-", msg))
        elif self.errors == self.max_errors + 1:
            print("... more problems (only the first %d are shown)" % self.max_errors)

    def date(self, s, fname, line, col, empty):
        if s == "":
            return empty
        v = self.dcache.get(s)
        if v is None:
            try:
                if len(s) != 10 or s[4] != "-" or s[7] != "-":
                    raise ValueError
                v = datetime.date(int(s[0:4]), int(s[5:7]), int(s[8:10])).toordinal()
            except ValueError:
                self.err(fname, line, col, "'%s' is not a date that exists" % s)
                return empty
            if len(self.dcache) < 200000:
                self.dcache[s] = v
        return v

    def rows(self, fname):
        """Yields (line, dict) of a file; csv module for RFC 4180."""
        import csv
        path = "%s/%s" % (self.dir, fname)
        try:
            f = open(path, encoding="utf-8-sig", newline="")
        except OSError as e:
            self.err(fname, 0, None, "cannot open: %s" % e)
            return
        with f:
            rd = csv.reader(f)
            try:
                header = next(rd)
            except StopIteration:
                self.err(fname, 1, None, "empty file")
                return
            req, opt = SPECS[fname]
            for c in header:
                if c not in req and c not in opt:
                    self.err(fname, 1, c, "unknown column")
            if len(set(header)) != len(header):
                self.err(fname, 1, None, "a column appears twice")
            for c in req:
                if c not in header:
                    self.err(fname, 1, c, "required column is missing")
                    return
            n = len(header)
            line = 1
            for rec in rd:
                line = rd.line_num
                if len(rec) != n:
                    self.err(fname, line, None, "%d fields, the header has %d" % (len(rec), n))
                    continue
                yield line, dict(zip(header, rec))

    def code(self, r, col, fname, line, required=True):
        s = r.get(col, "")
        if s == "":
            if required:
                self.err(fname, line, col, "is required")
            return None
        if s != s.strip():
            self.err(fname, line, col, "'%s' has spaces around it" % s)
        return s

    def flag(self, r, col, fname, line, required=False):
        s = r.get(col, "")
        if s == "" and not required:
            return 0
        if s not in ("0", "1"):
            self.err(fname, line, col, "'%s' is not a flag" % s)
            return 0
        return int(s)

    def period(self, r, fname, line):
        f = self.date(r.get("valid_from", ""), fname, line, "valid_from", NEG)
        t = self.date(r.get("valid_to", ""), fname, line, "valid_to", POS)
        if t <= f:
            self.err(fname, line, "valid_to", "the period ends on or before the day it starts")
        return f, t

    @staticmethod
    def fmt(d):
        if d == NEG or d == POS:
            return "open"
        return datetime.date.fromordinal(d).isoformat()

    def per(self, f, t):
        return "[%s, %s)" % (self.fmt(f), self.fmt(t))

    def exists(self, sp):
        """The ' (it exists ...)' of a message, sp as returned by covers()."""
        if sp is None:
            return " (it does not exist at all)"
        return " (it exists %s%s)" % (self.per(sp[0], sp[1]), ", with a gap" if len(sp) > 2 else "")

    # -- versioned files: rows of one code consecutive and contiguous -------
    def versioned(self, fname, parse):
        table = {}      # code -> list of rows (f, t, line, fields...)
        last = None
        for line, r in self.rows(fname):
            code = self.code(r, "code", fname, line)
            if code is None:
                continue
            f, t = self.period(r, fname, line)
            rec = parse(r, line, f, t)
            rows = table.get(code)
            if rows is None:
                table[code] = [rec]
            else:
                if code != last:
                    self.err(fname, line, "code", "the rows of %s are not consecutive in the file" % code)
                prev = rows[-1]
                if prev[1] != f:
                    self.err(fname, line, "valid_from",
                             "%s: row %s does not start where the previous one %s ends"
                             % (code, self.per(f, t), self.per(prev[0], prev[1])))
                rows.append(rec)
            last = code
        return table

    @staticmethod
    def span(rows):
        return rows[0][0], rows[-1][1]

    def covers(self, table, code, f, t):
        """Whether code's rows cover [f, t) (rows are contiguous when valid)."""
        rows = table.get(code)
        if rows is None:
            return False, None
        a, b = rows[0][0], rows[-1][1]
        ok = a <= f and t <= b
        if ok:
            # also no hole (in case the rows are not contiguous)
            cur = f
            for r in rows:
                if r[1] <= cur:
                    continue
                if r[0] > cur:
                    return False, (a, b, "gap")
                cur = r[1]
                if cur >= t:
                    break
            ok = cur >= t
        return ok, (a, b)

    def check(self):
        t0 = time.time()
        units = self.versioned("units.csv", self.parse_unit)
        self.stats["units.csv"] = sum(len(v) for v in units.values())
        self.units = units
        # unit parents
        for code, rows in units.items():
            for (f, t, line, level, parent) in rows:
                if parent is None:
                    if level != 1:
                        self.err("units.csv", line, "parent_code", "required below a province")
                    continue
                ok, sp = self.covers(units, parent, f, t)
                if not ok:
                    self.err("units.csv", line, "parent_code", "unit %s does not exist for the whole period %s%s"
                             % (parent, self.per(f, t), self.exists(sp)))
                    continue
                for (pf, pt, _pl, plevel, _pp) in units[parent]:
                    if pf < t and f < pt and plevel >= level:
                        self.err("units.csv", line, "parent_code",
                                 "unit %s is not of a higher level" % parent)
                        break
        # institutions
        insts = {}
        n = 0
        for line, r in self.rows("institutions.csv"):
            n += 1
            code = self.code(r, "code", "institutions.csv", line)
            if r.get("name", "") == "":
                self.err("institutions.csv", line, "name", "is required")
            if r.get("kind") not in INST_KINDS:
                self.err("institutions.csv", line, "kind", "'%s' is not a kind" % r.get("kind"))
            unit = self.code(r, "unit_code", "institutions.csv", line)
            f, t = self.period(r, "institutions.csv", line)
            if code is None:
                continue
            if code in insts:
                self.err("institutions.csv", line, "code", "'%s' appears on more than one row" % code)
            insts[code] = (f, t, r.get("kind"))
            if unit is not None:
                ok, sp = self.covers(units, unit, f, t)
                if not ok:
                    self.err("institutions.csv", line, "unit_code", "unit %s does not exist for the whole period %s%s"
                             % (unit, self.per(f, t), self.exists(sp)))
        self.stats["institutions.csv"] = n
        # orgs
        orgs = self.versioned("orgs.csv", self.parse_org)
        self.orgs = orgs
        self.stats["orgs.csv"] = sum(len(v) for v in orgs.values())
        grass = 0
        for code, rows in orgs.items():
            if any(r[3] for r in rows):
                grass += 1
            for (f, t, line, grassroots, parent, su, si) in rows:
                if parent is not None:
                    ok, sp = self.covers(orgs, parent, f, t)
                    if not ok:
                        self.err("orgs.csv", line, "parent_code",
                                 "organization %s does not exist for the whole period %s%s"
                                 % (parent, self.per(f, t), self.exists(sp)))
                if su is not None:
                    ok, sp = self.covers(units, su, f, t)
                    if not ok:
                        self.err("orgs.csv", line, "site_unit", "unit %s does not exist for the whole period %s%s"
                                 % (su, self.per(f, t), self.exists(sp)))
                if si is not None:
                    i = insts.get(si)
                    if i is None or i[0] > f or i[1] < t:
                        self.err("orgs.csv", line, "site_institution",
                                 "institution %s does not exist for the whole period %s" % (si, self.per(f, t)))
                # cycle: walk up on the row's first day
                seen = {code}
                cur, day = parent, f
                depth = 0
                while cur is not None and depth < 200:
                    if cur in seen:
                        self.err("orgs.csv", line, "parent_code", "a cycle of parents through %s" % cur)
                        break
                    seen.add(cur)
                    nxt = None
                    for r in orgs.get(cur, ()):
                        if r[0] <= day < r[1]:
                            nxt = r[4]
                            break
                    cur = nxt
                    depth += 1
        self.stats["grassroots organizations"] = grass
        self.stats["organizations"] = len(orgs)
        t1 = time.time()
        self.members()
        t2 = time.time()
        self.stats["seconds"] = "%.1f (structure %.1f, members %.1f)" % (t2 - t0, t1 - t0, t2 - t1)

    def parse_unit(self, r, line, f, t):
        fn = "units.csv"
        level = LEVELS.get(r.get("level", ""))
        if level is None:
            self.err(fn, line, "level", "'%s' is not a level" % r.get("level", ""))
            level = 4
        for c in ("name", "kind"):
            if r.get(c, "") == "":
                self.err(fn, line, c, "is required")
        parent = self.code(r, "parent_code", fn, line, False)
        if parent is not None and parent == r.get("code"):
            self.err(fn, line, "parent_code", "a unit cannot be its own parent")
        self.flag(r, "border", fn, line)
        self.flag(r, "difficult", fn, line)
        p = r.get("population", "")
        if p != "" and not p.isdigit():
            self.err(fn, line, "population", "'%s' is not a whole number" % p)
        return (f, t, line, level, parent)

    def parse_org(self, r, line, f, t):
        fn = "orgs.csv"
        if r.get("name", "") == "":
            self.err(fn, line, "name", "is required")
        if r.get("kind") not in ("committee", "cell"):
            self.err(fn, line, "kind", "'%s' is not committee or cell" % r.get("kind"))
        g = self.flag(r, "grassroots", fn, line, True)
        parent = self.code(r, "parent_code", fn, line, False)
        su = self.code(r, "site_unit", fn, line, False)
        si = self.code(r, "site_institution", fn, line, False)
        if (su is None) == (si is None):
            self.err(fn, line, "site_unit", "give exactly one of site_unit, site_institution")
        if parent is not None and parent == r.get("code"):
            self.err(fn, line, "parent_code", "an organization cannot be its own parent")
        return (f, t, line, g, parent, su, si)

    # -- members and their periods ------------------------------------------
    def members(self):
        units, orgs = self.units, self.orgs
        mrows = self.rows("members.csv")
        prows = self.rows("member_periods.csv")
        fm, fp = "members.csv", "member_periods.csv"
        # pass 1 in lockstep: periods grouped by member in members.csv order
        nmem = nper = active_end = 0
        ended = {}
        pending_p = None
        lockstep = True
        mdates = None  # fallback dictionary: id -> (admitted, ended)

        def member_dates(line, r):
            adm = self.date(r.get("admitted_on", ""), fm, line, "admitted_on", None)
            off = self.date(r.get("official_on", ""), fm, line, "official_on", POS)
            end = self.date(r.get("ended_on", ""), fm, line, "ended_on", POS)
            birth = self.date(r.get("birth_date", ""), fm, line, "birth_date", None)
            reason = r.get("end_reason", "")
            for c in ("full_name", "ethnicity"):
                if r.get(c, "") == "":
                    self.err(fm, line, c, "is required")
            if r.get("gender") not in ("male", "female"):
                self.err(fm, line, "gender", "'%s' is not male or female" % r.get("gender"))
            if adm is None:
                self.err(fm, line, "admitted_on", "is required")
                return None
            if birth is None:
                self.err(fm, line, "birth_date", "is required")
            elif birth >= adm:
                self.err(fm, line, "birth_date", "not before admitted_on")
            if off != POS and off < adm:
                self.err(fm, line, "official_on", "before admitted_on")
            if end != POS and end <= adm:
                self.err(fm, line, "ended_on", "not after admitted_on")
            if reason and reason not in END_REASONS:
                self.err(fm, line, "end_reason", "'%s' is not a reason" % reason)
            if bool(reason) != (end != POS):
                self.err(fm, line, "end_reason", "end_reason and ended_on go together")
            if reason:
                ended[reason] = ended.get(reason, 0) + 1
            return adm, end

        def check_group(mid, adm, end, periods):
            """periods: list of (line, f, t, org, res) of one member, in file order."""
            nonlocal nper
            if not periods:
                self.err(fm, "-", "id", "member %s has no period" % mid)
                return
            cur = adm
            for i, (line, f, t, org, res) in enumerate(periods):
                if f != cur:
                    if i == 0:
                        self.err(fp, line, "valid_from", "the first period of %s starts %s, not on admitted_on %s"
                                 % (mid, self.fmt(f), self.fmt(adm)))
                    else:
                        self.err(fp, line, "valid_from", "period of %s starts %s, the previous ended %s"
                                 % (mid, self.fmt(f), self.fmt(cur)))
                cur = t
                if org is not None:
                    ok, sp = self.covers(orgs, org, f, t)
                    if not ok:
                        self.err(fp, line, "org_code", "organization %s does not exist for the whole period %s%s"
                                 % (org, self.per(f, t), self.exists(sp)))
                if res is not None:
                    ok, sp = self.covers(units, res, f, t)
                    if not ok:
                        self.err(fp, line, "residence_code", "unit %s does not exist for the whole period %s%s"
                                 % (res, self.per(f, t), self.exists(sp)))
                    elif any(r[3] != 4 for r in units[res] if r[0] < t and f < r[1]):
                        self.err(fp, line, "residence_code", "unit %s is not a village" % res)
            if cur != end:
                self.err(fp, periods[-1][0], "valid_to", "the last period of %s ends %s, ended_on is %s"
                         % (mid, self.fmt(cur), self.fmt(end)))

        def read_period(line, r):
            mid = self.code(r, "member_id", fp, line)
            f = self.date(r.get("valid_from", ""), fp, line, "valid_from", None)
            t = self.date(r.get("valid_to", ""), fp, line, "valid_to", POS)
            if f is None:
                self.err(fp, line, "valid_from", "is required")
                f = NEG
            if t <= f:
                self.err(fp, line, "valid_to", "ends on or before it starts")
            org = self.code(r, "org_code", fp, line)
            res = self.code(r, "residence_code", fp, line, False)
            return mid, (line, f, t, org, res)

        pit = iter(prows)
        nxt = None
        try:
            pl, pr = next(pit)
            nxt = read_period(pl, pr)
        except StopIteration:
            nxt = None
        mids_seen = set()
        for line, r in mrows:
            mid = self.code(r, "id", fm, line)
            nmem += 1
            if mid is None:
                continue
            if mid in mids_seen:
                self.err(fm, line, "id", "'%s' appears on more than one row" % mid)
            mids_seen.add(mid)
            dates = member_dates(line, r)
            if dates is None:
                continue
            adm, end = dates
            if end == POS:
                active_end += 1
            if not lockstep:
                mdates[mid] = (adm, end)
                continue
            group = []
            while nxt is not None and nxt[0] == mid:
                group.append(nxt[1])
                try:
                    pl, pr = next(pit)
                    nxt = read_period(pl, pr)
                except StopIteration:
                    nxt = None
            if not group:
                # not in the same order: fall back to a dictionary
                lockstep = False
                print("(member_periods.csv is not in the order of members.csv: keeping members in memory)",
                      file=sys.stderr)
                mdates = {mid: (adm, end)}
                continue
            nper += len(group)
            check_group(mid, adm, end, group)
        if lockstep:
            if nxt is not None:
                self.err(fp, nxt[1][0], "member_id", "member %s is not in members.csv (or not in its order)"
                         % nxt[0])
        else:
            # second pass: group the periods by member (they must be consecutive rows)
            groups_done = set()
            cur_mid, group = None, []
            pieces = []
            if nxt is not None:
                pieces.append(nxt)
            for pl, pr in pit:
                pieces.append(read_period(pl, pr))
                if len(pieces) < 100000:
                    continue
                cur_mid, group = self.flush(pieces, cur_mid, group, groups_done, mdates, check_group)
                pieces = []
            cur_mid, group = self.flush(pieces, cur_mid, group, groups_done, mdates, check_group)
            if cur_mid is not None:
                self.finish_group(cur_mid, group, groups_done, mdates, check_group)
            nper = self.nper_fallback
            for mid in mdates:
                if mid not in groups_done:
                    self.err(fm, "-", "id", "member %s has no period" % mid)
        self.stats["members.csv"] = nmem
        self.stats["member_periods.csv"] = nper
        self.stats["members active at the end"] = active_end
        self.stats["members ended"] = " ".join("%s %d" % kv for kv in sorted(ended.items()))

    nper_fallback = 0

    def finish_group(self, mid, group, done, mdates, check_group):
        if mid in done:
            self.err("member_periods.csv", group[0][0], "member_id",
                     "the periods of %s are not consecutive rows" % mid)
            return
        done.add(mid)
        d = mdates.get(mid)
        if d is None:
            self.err("member_periods.csv", group[0][0], "member_id", "member %s is not in members.csv" % mid)
            return
        self.nper_fallback += len(group)
        check_group(mid, d[0], d[1], group)

    def flush(self, pieces, cur_mid, group, done, mdates, check_group):
        for mid, rec in pieces:
            if mid != cur_mid:
                if cur_mid is not None:
                    self.finish_group(cur_mid, group, done, mdates, check_group)
                cur_mid, group = mid, []
            group.append(rec)
        return cur_mid, group


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--max-errors", type=int, default=50)
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    c = Checker(args.dir.rstrip("/"), args.max_errors)
    c.check()
    if not args.quiet:
        for k, v in c.stats.items():
            print("  %-28s %s" % (k, v))
    if c.errors:
        print("%d problem(s)" % c.errors)
        return 1
    print("ok: every rule holds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
