#!/usr/bin/env python3
"""coso_ref: an independent, deliberately plain reference implementation of
the coso report contract (docs: docs/FORMAT.md).

It reads a registry folder in the interchange format (five CSV files) and
prints the report JSON that `coso report ... --format json` must print:

    coso_ref.py DIR --as-of D [--scope CODE]
    coso_ref.py DIR --from A --to B [--scope CODE]

Nothing here is clever on purpose: every definition of FORMAT.md is coded
literally, record by record, so that a mistake in the C program and a mistake
here are unlikely to coincide.  Only the Python 3 standard library is used.

Choices where FORMAT.md is silent (see also tests/oracle/README.md):
  * The scope's name is its name on the report date (as-of: D; period: the
    `to` date), "" when the scope does not exist on that day (expected/5.json).
  * Without --scope: the "top units" are the unit codes that have a row with
    an empty parent_code (provinces).  Exactly one such code: it is the scope.
    Several: the scope is {"code": "", "name": "Toàn quốc"}, everything is in
    scope, and `children` are the top units that exist on D.
  * An admission is of commune level when the nearest grassroots organization
    has a `site_unit` whose level (on that day) is `commune`; a grassroots
    organization sitting in an institution is not (it sits in an institution,
    not in a unit).
  * A scope code that is not a unit at all gives name "" and zero counts.
"""

import argparse
import csv
import datetime
import json
import os
import re
import sys

# ---------------------------------------------------------------------------
# Reading the interchange format
# ---------------------------------------------------------------------------

# file name -> (required columns, optional columns)
COLUMNS = {
    "units.csv": (["code", "name", "level", "kind"],
                  ["parent_code", "valid_from", "valid_to", "border",
                   "difficult", "population"]),
    "institutions.csv": (["code", "name", "kind", "unit_code"],
                         ["valid_from", "valid_to"]),
    "orgs.csv": (["code", "name", "kind", "grassroots"],
                 ["parent_code", "site_unit", "site_institution",
                  "valid_from", "valid_to"]),
    "members.csv": (["id", "full_name", "gender", "birth_date", "ethnicity",
                     "admitted_on"],
                    ["official_on", "ended_on", "end_reason"]),
    "member_periods.csv": (["member_id", "valid_from", "org_code"],
                           ["valid_to", "residence_code"]),
}

# Sentinels for open period ends.  Dates are kept as 'YYYY-MM-DD' strings,
# which compare correctly as text.
SINCE_ALWAYS = "0000-00-00"
STILL_HOLDS = "9999-99-99"

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class FormatError(Exception):
    """The folder is not in the interchange format."""


def check_date(text, where):
    """Return text if it is an existing YYYY-MM-DD date, else raise."""
    if not DATE_RE.match(text):
        raise FormatError("%s: not a YYYY-MM-DD date: %r" % (where, text))
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        raise FormatError("%s: no such date: %r" % (where, text))
    return text


def day_before(text):
    """The day before the date `text` (YYYY-MM-DD)."""
    d = datetime.date.fromisoformat(text) - datetime.timedelta(days=1)
    return d.isoformat()


def read_table(folder, fname):
    """Read one CSV file of the registry; return a list of dicts (column ->
    text, optional columns that are absent read as "").  A missing file is an
    empty table (import reads only the files present)."""
    path = os.path.join(folder, fname)
    if not os.path.exists(path):
        return []
    required, optional = COLUMNS[fname]
    # utf-8-sig drops a byte-order mark; newline='' lets csv handle CRLF and
    # line breaks inside quoted fields (RFC 4180).
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    if not rows:
        raise FormatError("%s: no header row" % fname)
    header = rows[0]
    for col in header:
        if col not in required and col not in optional:
            raise FormatError("%s: unknown column %r" % (fname, col))
    for col in required:
        if col not in header:
            raise FormatError("%s: missing column %r" % (fname, col))
    if len(set(header)) != len(header):
        raise FormatError("%s: repeated column" % fname)
    table = []
    for lineno, fields in enumerate(rows[1:], start=2):
        if fields == []:          # a blank line (csv gives []); skip it
            continue
        if len(fields) != len(header):
            raise FormatError("%s:%d: %d fields, header has %d"
                              % (fname, lineno, len(fields), len(header)))
        rec = {col: "" for col in required + optional}
        rec.update(zip(header, fields))
        rec["_line"] = lineno
        table.append(rec)
    return table


def period_of(rec, where):
    """(from, to) of a record, with the open ends replaced by sentinels."""
    vf = rec.get("valid_from", "")
    vt = rec.get("valid_to", "")
    vf = check_date(vf, where) if vf else SINCE_ALWAYS
    vt = check_date(vt, where) if vt else STILL_HOLDS
    return vf, vt


class Registry:
    """The whole registry, indexed plainly:
       units / insts / orgs: code -> list of row dicts (each with 'from', 'to'),
       members: list of dicts, periods: member id -> list of row dicts."""

    def __init__(self, folder):
        self.units = {}
        self.insts = {}
        self.orgs = {}
        self.members = []
        self.periods = {}
        for fname, index in (("units.csv", self.units),
                             ("institutions.csv", self.insts),
                             ("orgs.csv", self.orgs)):
            for rec in read_table(folder, fname):
                where = "%s:%d" % (fname, rec["_line"])
                rec["from"], rec["to"] = period_of(rec, where)
                index.setdefault(rec["code"], []).append(rec)
        for rows in list(self.units.values()) + list(self.insts.values()) + \
                list(self.orgs.values()):
            rows.sort(key=lambda r: r["from"])
        for rec in read_table(folder, "members.csv"):
            where = "members.csv:%d" % rec["_line"]
            check_date(rec["admitted_on"], where)
            for col in ("official_on", "ended_on"):
                if rec[col]:
                    check_date(rec[col], where)
            self.members.append(rec)
        for rec in read_table(folder, "member_periods.csv"):
            where = "member_periods.csv:%d" % rec["_line"]
            if not rec["valid_from"]:
                raise FormatError("%s: valid_from is required" % where)
            rec["from"], rec["to"] = period_of(rec, where)
            self.periods.setdefault(rec["member_id"], []).append(rec)

    # -- "a record exists at D when its period covers D" --------------------

    @staticmethod
    def row_at(index, code, d):
        """The row of `code` in `index` whose period covers d, or None."""
        for row in index.get(code, []):
            if row["from"] <= d < row["to"]:
                return row
        return None

    def period_at(self, member_id, d):
        """The member's period covering d, or None."""
        for row in self.periods.get(member_id, []):
            if row["from"] <= d < row["to"]:
                return row
        return None

    # -- the tree as of D ---------------------------------------------------

    def unit_in_scope(self, code, scope, d):
        """True when scope is the unit `code` or one of its ancestors at d.
        scope None means the whole country: everything is in it."""
        if scope is None:
            return True
        steps = 0
        while code:
            if code == scope:
                return True
            row = self.row_at(self.units, code, d)
            if row is None:
                return False
            code = row["parent_code"]
            steps += 1
            if steps > 100:          # a cycle: invalid registry
                return False
        return False

    def inst_in_scope(self, code, scope, d):
        """An institution's ancestors are its unit's."""
        if scope is None:
            return True
        row = self.row_at(self.insts, code, d)
        if row is None:
            return False
        return self.unit_in_scope(row["unit_code"], scope, d)

    def org_row_in_scope(self, org_row, scope, d):
        """An organization is in scope when its site is."""
        if scope is None:
            return True
        if org_row["site_unit"]:
            return self.unit_in_scope(org_row["site_unit"], scope, d)
        return self.inst_in_scope(org_row["site_institution"], scope, d)

    def top_units(self):
        """Codes of the units that have a row without a parent."""
        return sorted(code for code, rows in self.units.items()
                      if any(r["parent_code"] == "" for r in rows))

    def unit_name(self, code, d):
        row = self.row_at(self.units, code, d)
        return row["name"] if row else ""

    # -- the as-of report ---------------------------------------------------

    def day_facts(self, d):
        """What does not depend on the scope, for day d:
        the unit codes and institution codes where an organization existing
        at d sits, the residence codes of active members' periods covering d,
        and the active members with their period covering d."""
        sited_units, sited_insts = set(), set()
        for code in self.orgs:
            row = self.row_at(self.orgs, code, d)
            if row is None:
                continue
            if row["site_unit"]:
                sited_units.add(row["site_unit"])
            if row["site_institution"]:
                sited_insts.add(row["site_institution"])
        residences = set()
        active = []           # (member, period covering d)
        for m in self.members:
            if not (m["admitted_on"] <= d and
                    (m["ended_on"] == "" or d < m["ended_on"])):
                continue
            p = self.period_at(m["id"], d)
            if p is None:
                continue
            active.append((m, p))
            if p["residence_code"]:
                residences.add(p["residence_code"])
        return sited_units, sited_insts, residences, active

    def indicators(self, d, scope, facts):
        """The four objects of the as-of report for one scope (None = all)."""
        sited_units, sited_insts, residences, active = facts
        villages = {"total": 0, "with_org": 0, "without_org": 0,
                    "without_member": 0}
        for code in self.units:
            row = self.row_at(self.units, code, d)
            if row is None or row["level"] != "village":
                continue
            if not self.unit_in_scope(code, scope, d):
                continue
            villages["total"] += 1
            if code in sited_units:
                villages["with_org"] += 1
            else:
                villages["without_org"] += 1
            if code not in residences:
                villages["without_member"] += 1
        schools = {"total": 0, "with_org": 0}
        stations = {"total": 0, "with_org": 0}
        for code in self.insts:
            row = self.row_at(self.insts, code, d)
            if row is None:
                continue
            if row["kind"] == "school":
                counts = schools
            elif row["kind"] == "health_station":
                counts = stations
            else:
                continue
            if not self.unit_in_scope(row["unit_code"], scope, d):
                continue
            counts["total"] += 1
            if code in sited_insts:
                counts["with_org"] += 1
        members = {"total": 0, "probationary": 0, "official": 0}
        for m, p in active:
            org = self.row_at(self.orgs, p["org_code"], d)
            if org is None or not self.org_row_in_scope(org, scope, d):
                continue
            members["total"] += 1
            if m["official_on"] == "" or d < m["official_on"]:
                members["probationary"] += 1
            else:
                members["official"] += 1
        return {"villages": villages, "schools": schools,
                "health_stations": stations, "members": members}

    def report_as_of(self, d, scope_code=None):
        check_date(d, "--as-of")
        facts = self.day_facts(d)
        if scope_code is None:
            tops = self.top_units()
            if len(tops) == 1:
                scope_code = tops[0]
        # children: the units whose parent at d is the scope ("" for the
        # whole country: the top units existing at d)
        if scope_code is None:
            scope = {"code": "", "name": "Toàn quốc"}
            parent_wanted = ""
        else:
            scope = {"code": scope_code,
                     "name": self.unit_name(scope_code, d)}
            parent_wanted = scope_code
        child_codes = []
        for c in self.units:
            row = self.row_at(self.units, c, d)
            if row is not None and row["parent_code"] == parent_wanted:
                child_codes.append(c)
        out = {"as_of": d, "scope": scope}
        out.update(self.indicators(d, scope_code, facts))
        children = []
        for c in sorted(child_codes):
            child = {"code": c, "name": self.unit_name(c, d)}
            child.update(self.indicators(d, c, facts))
            children.append(child)
        out["children"] = children
        return out

    # -- the period report --------------------------------------------------

    def nearest_grassroots(self, org_code, d):
        """The org itself or its nearest ancestor (on day d) with
        grassroots = 1, as its row on d; None when there is none."""
        steps = 0
        while org_code and steps < 100:
            row = self.row_at(self.orgs, org_code, d)
            if row is None:
                return None
            if row["grassroots"] == "1":
                return row
            org_code = row["parent_code"]
            steps += 1
        return None

    def site_category(self, org_row, d):
        """Where an organization sits: village / school / health_station /
        other."""
        if org_row["site_unit"]:
            unit = self.row_at(self.units, org_row["site_unit"], d)
            if unit is not None and unit["level"] == "village":
                return "village"
            return "other"
        inst = self.row_at(self.insts, org_row["site_institution"], d)
        if inst is not None and inst["kind"] in ("school", "health_station"):
            return inst["kind"]
        return "other"

    def report_period(self, a, b, scope_code=None):
        check_date(a, "--from")
        check_date(b, "--to")
        if scope_code is None:
            tops = self.top_units()
            if len(tops) == 1:
                scope_code = tops[0]
        if scope_code is None:
            scope = {"code": "", "name": "Toàn quốc"}
        else:
            scope = {"code": scope_code,
                     "name": self.unit_name(scope_code, b)}

        admissions = {"total": 0, "commune_level": 0}
        for m in self.members:
            day = m["admitted_on"]
            if not (a <= day <= b):
                continue
            p = self.period_at(m["id"], day)
            if p is None:
                continue
            org = self.row_at(self.orgs, p["org_code"], day)
            if org is None or not self.org_row_in_scope(org, scope_code, day):
                continue
            admissions["total"] += 1
            top = self.nearest_grassroots(p["org_code"], day)
            if top is not None and top["site_unit"]:
                unit = self.row_at(self.units, top["site_unit"], day)
                if unit is not None and unit["level"] == "commune":
                    admissions["commune_level"] += 1

        founded = {"village": 0, "school": 0, "health_station": 0, "other": 0}
        dissolved = dict(founded)
        for code, rows in self.orgs.items():
            first, last = rows[0], rows[-1]
            # founded on the first row's valid_from, counted where it sits on
            # that (its first) day, in scope by the tree of that day
            day = first["from"]
            if day != SINCE_ALWAYS and a <= day <= b:
                if self.org_row_in_scope(first, scope_code, day):
                    founded[self.site_category(first, day)] += 1
            # dissolved on the last row's valid_to, counted where it sits on
            # its last day (valid_to - 1), in scope by the tree of that day
            end = last["to"]
            if end != STILL_HOLDS and a <= end <= b:
                day = day_before(end)
                if self.org_row_in_scope(last, scope_code, day):
                    dissolved[self.site_category(last, day)] += 1

        return {"from": a, "to": b, "scope": scope,
                "admissions": admissions, "orgs_founded": founded,
                "orgs_dissolved": dissolved}


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------

def parse_query(argv):
    """Parse report arguments (without DIR): --as-of D | --from A --to B,
    optional --scope CODE, and an ignored --format json."""
    p = argparse.ArgumentParser(prog="coso_ref.py DIR", add_help=False)
    p.add_argument("--as-of")
    p.add_argument("--from", dest="from_")
    p.add_argument("--to")
    p.add_argument("--scope")
    p.add_argument("--format", default="json")
    q = p.parse_args(argv)
    if q.format != "json":
        p.error("only --format json")
    if q.as_of is not None:
        if q.from_ is not None or q.to is not None:
            p.error("--as-of excludes --from/--to")
    elif q.from_ is None or q.to is None:
        p.error("give --as-of D, or --from A --to B")
    return q


def run_query(reg, argv):
    """The report (a dict) for report arguments argv on registry reg."""
    q = parse_query(argv)
    if q.as_of is not None:
        return reg.report_as_of(q.as_of, q.scope)
    return reg.report_period(q.from_, q.to, q.scope)


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    try:
        reg = Registry(argv[1])
        report = run_query(reg, argv[2:])
    except FormatError as e:
        print("coso_ref: %s" % e, file=sys.stderr)
        return 1
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
