#!/usr/bin/env python3
"""Black-box tests of the real `coso` program: import, export and report.

Run by ctest with COSO set to the binary under test (the sanitizer build, so a
leak or an undefined behaviour in any command fails the test through its exit
status). Registries come from tests/cases/.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "..", "cases")
HANDMADE = os.path.join(CASES, "handmade")
SAMPLE = os.path.join(CASES, "contract-sample")
COSO = os.environ.get("COSO", os.path.join(HERE, "..", "..", "build", "coso"))


def run(*args, db=None, check=True):
    cmd = [COSO] + (["--db", db] if db else []) + list(args)
    p = subprocess.run(cmd, capture_output=True, text=True)
    if check and p.returncode != 0:
        raise AssertionError("%s failed (%d):\n%s" % (" ".join(cmd), p.returncode, p.stderr))
    return p


def report(db, *args):
    return json.loads(run("report", *args, "--format", "json", db=db).stdout)


def export_snapshot(db, tmp):
    out = tempfile.mkdtemp(dir=tmp)
    run("export", out, db=db)
    snap = {}
    for name in sorted(os.listdir(out)):
        with open(os.path.join(out, name), encoding="utf-8") as f:
            snap[name] = f.read()
    return snap


def figures(v, s, h, m):
    """The four objects of the contract from compact tuples:
    v = (total, with_org, without_member), s/h = (total, with_org),
    m = (total, probationary)."""
    return {
        "villages": {"total": v[0], "with_org": v[1], "without_org": v[0] - v[1], "without_member": v[2]},
        "schools": {"total": s[0], "with_org": s[1]},
        "health_stations": {"total": h[0], "with_org": h[1]},
        "members": {"total": m[0], "probationary": m[1], "official": m[0] - m[1]},
    }


def strip(obj):
    """The contract's keys of an as-of report, children sorted by code."""
    keys = ("villages", "schools", "health_stations", "members")
    out = {"scope": obj["scope"]}
    out.update({k: obj[k] for k in keys})
    out["children"] = sorted(
        ({"code": c["code"], "name": c["name"], **{k: c[k] for k in keys}} for c in obj["children"]),
        key=lambda c: c["code"])
    return out


class Base(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="coso-test-")
        self.db = os.path.join(self.tmp, "r.db")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def copy_case(self, src):
        dst = os.path.join(self.tmp, "case-%d" % len(os.listdir(self.tmp)))
        shutil.copytree(src, dst)
        return dst


class ContractExamples(Base):
    """The examples of FORMAT.md's contract, exactly."""

    def test_sample_registry_gives_the_expected_reports(self):
        run("import", os.path.join(SAMPLE, "sample-registry"), db=self.db)
        commands = {
            "1.json": ["--as-of", "2018-05-22"],
            "2.json": ["--as-of", "2026-01-01"],
            "3.json": ["--as-of", "2016-01-01", "--scope", "1100"],
            "4.json": ["--from", "2016-01-01", "--to", "2018-05-22"],
            "5.json": ["--from", "2010-01-01", "--to", "2026-01-01", "--scope", "1101"],
        }
        for name, args in commands.items():
            with open(os.path.join(SAMPLE, "expected", name), encoding="utf-8") as f:
                want = json.load(f)
            got = report(self.db, *args)
            got = {k: got[k] for k in want}  # keys beyond the contract are allowed
            if "children" in want:
                want["children"].sort(key=lambda c: c["code"])
                got["children"].sort(key=lambda c: c["code"])
            self.assertEqual(got, want, name)


class HandWorkedFigures(Base):
    """tests/cases/handmade: every figure below was worked out by hand."""

    def setUp(self):
        super().setUp()
        run("import", HANDMADE, db=self.db)

    def test_as_of_2016_counts_only_what_existed_that_day(self):
        got = strip(report(self.db, "--as-of", "2016-01-01"))
        # Villages 00001-01, 00002-01, 00003-01, 00003-02 (00001-02 starts 2017).
        # Cells in 00001-01 and 00003-02; CV21 is founded 2016-05-01.
        # Active: M1 (official since 2011) and M4 (admitted 2015-12-31, official 2016-12-31);
        # M6 died on 2016-01-01, the first day no longer in the registry.
        # White: 00002-01 (M6 gone) and 00003-01.
        self.assertEqual(got["scope"], {"code": "01", "name": "Tỉnh Thử Nghiệm"})
        want = figures((4, 2, 2), (1, 0), (1, 0), (2, 1))
        self.assertEqual({k: got[k] for k in want}, want)
        self.assertEqual(got["children"], [
            {"code": "001", "name": "Huyện Một", **figures((2, 1, 1), (1, 0), (1, 0), (1, 0))},
            {"code": "002", "name": "Huyện Hai", **figures((2, 1, 1), (0, 0), (0, 0), (1, 1))},
        ])

    def test_as_of_the_article_day_counts_boundary_day_events(self):
        got = strip(report(self.db, "--as-of", "2018-05-22"))
        # 00003-02 closed 2018-01-01; 00001-02 exists. M5 admitted and CS3 founded
        # on this very day count; M4 left on 2018-01-01. M2 moved to 00001-02 on
        # 2018-02-01, so 00002-01 is white again.
        want = figures((4, 2, 1), (2, 2), (1, 0), (4, 2))
        self.assertEqual({k: got[k] for k in want}, want)
        self.assertEqual(got["children"], [
            {"code": "001", "name": "Huyện Một", **figures((3, 2, 1), (1, 1), (1, 0), (2, 0))},
            # M3 sits in an agency cell of 00003, M5 in the new school cell.
            {"code": "002", "name": "Huyện Hai", **figures((1, 0, 0), (1, 1), (0, 0), (2, 2))},
        ])

    def test_the_profile_counts_units_by_level_kind_and_flag(self):
        got = report(self.db, "--as-of", "2018-05-22")["units"]
        # 001 and 002; communes 00001 (border, difficult, 1.200 people), 00002
        # (difficult, 900), 00003 (a xã until 2019); difficult villages
        # 00001-01 and 00002-01. No village gives a population: communes' sum.
        self.assertEqual(got, {"districts": 2, "communes": 3,
                               "communes_by_kind": {"xã": 3, "phường": 0, "thị trấn": 0, "other": 0},
                               "villages": 4, "border_communes": 1, "difficult_communes": 2,
                               "difficult_villages": 2, "population": 2100})
        later = report(self.db, "--as-of", "2026-01-01")["units"]
        self.assertEqual((later["districts"], later["communes"], later["communes_by_kind"]["thị trấn"]), (0, 2, 1))

    def test_after_the_reform_communes_are_children_of_the_province(self):
        got = strip(report(self.db, "--as-of", "2026-01-01"))
        self.assertEqual([(c["code"], c["name"]) for c in got["children"]],
                         [("00001", "Xã Một"), ("00003", "Thị trấn Ba")])
        # 00002-01 moved with its cell to 00001 in 2020.
        self.assertEqual(got["children"][0]["villages"],
                         {"total": 3, "with_org": 2, "without_org": 1, "without_member": 1})

    def test_the_day_before_and_the_day_of_a_closing(self):
        before = strip(report(self.db, "--as-of", "2017-12-31", "--scope", "002"))
        after = strip(report(self.db, "--as-of", "2018-01-01", "--scope", "002"))
        self.assertEqual(before["children"][0]["name"], "Xã Ba")  # renamed only in 2019
        want_before = figures((2, 1, 0), (1, 0), (0, 0), (2, 1))
        want_after = figures((1, 0, 0), (1, 0), (0, 0), (1, 1))
        self.assertEqual({k: before[k] for k in want_before}, want_before)
        self.assertEqual({k: after[k] for k in want_after}, want_after)

    def test_period_counts_admissions_and_foundings_by_the_tree_of_their_day(self):
        got = report(self.db, "--from", "2016-01-01", "--to", "2018-05-22")
        # M2 (by CV21 under commune committee OC2), M3 (agency grassroots cell:
        # not of commune level), M5 (on the last day, by CS3 under OC3).
        self.assertEqual(got["admissions"], {"total": 3, "commune_level": 2})
        self.assertEqual(got["orgs_founded"], {"village": 1, "school": 2, "health_station": 0, "other": 0})
        self.assertEqual(got["orgs_dissolved"], {"village": 1, "school": 0, "health_station": 0, "other": 0})
        d2 = report(self.db, "--from", "2016-01-01", "--to", "2018-05-22", "--scope", "002")
        self.assertEqual(d2["admissions"], {"total": 2, "commune_level": 1})
        self.assertEqual(d2["orgs_founded"]["school"], 1)

    def test_dissolutions_are_counted_where_the_org_sat_on_its_last_day(self):
        got = report(self.db, "--from", "2019-01-01", "--to", "2026-01-01")
        # OC2 (ends 2020-01-01) and both district committees (2025-07-01).
        self.assertEqual(got["orgs_dissolved"], {"village": 0, "school": 0, "health_station": 0, "other": 3})
        c1 = report(self.db, "--from", "2019-01-01", "--to", "2026-01-01", "--scope", "00001")
        # OC2 sat in 00002, under 001, not under 00001.
        self.assertEqual(c1["orgs_dissolved"]["other"], 0)
        self.assertEqual(c1["scope"], {"code": "00001", "name": "Xã Một"})

    def test_a_scope_that_no_longer_exists_is_named_empty_and_counts_nothing_today(self):
        got = report(self.db, "--as-of", "2026-01-01", "--scope", "001")
        self.assertEqual(got["scope"], {"code": "001", "name": ""})
        self.assertEqual(got["members"]["total"], 0)
        self.assertEqual(got["children"], [])

    def test_text_report_is_vietnamese(self):
        out = run("report", "--as-of", "2018-05-22", "--compare", "2016-01-01", db=self.db).stdout
        self.assertIn("Tỉnh Thử Nghiệm", out)
        self.assertIn("01/01/2016", out)
        self.assertIn("22/05/2018", out)
        self.assertIn("50,0%", out)      # 2 of 4 villages with a cell
        self.assertIn("Huyện Hai", out)  # the children's table
        out = run("report", "--from", "2016-01-01", "--to", "2018-05-22", db=self.db).stdout
        self.assertIn("66,7%", out)      # 2 of 3 admissions at commune level

    def test_csv_report_has_a_row_per_child(self):
        out = run("report", "--as-of", "2018-05-22", "--format", "csv", db=self.db).stdout.splitlines()
        self.assertEqual(len(out), 4)
        self.assertTrue(out[0].startswith("as_of,code,name,villages_total"))
        self.assertEqual(out[2].split(",")[:4], ["2018-05-22", "001", "Huyện Một", "3"])


class ExportImport(Base):
    def test_export_then_import_gives_back_the_same_registry(self):
        for src in (HANDMADE, os.path.join(SAMPLE, "sample-registry")):
            db1 = os.path.join(self.tmp, "a-%s.db" % os.path.basename(src))
            db2 = os.path.join(self.tmp, "b-%s.db" % os.path.basename(src))
            run("import", src, db=db1)
            snap1 = export_snapshot(db1, self.tmp)
            out = tempfile.mkdtemp(dir=self.tmp)
            run("export", out, db=db1)
            run("import", out, db=db2)
            self.assertEqual(export_snapshot(db2, self.tmp), snap1)
            for args in (["--as-of", "2018-05-22"], ["--from", "2010-01-01", "--to", "2026-01-01"]):
                self.assertEqual(report(db1, *args), report(db2, *args))

    def test_importing_the_same_folder_twice_changes_nothing(self):
        run("import", HANDMADE, db=self.db)
        snap = export_snapshot(self.db, self.tmp)
        run("import", HANDMADE, db=self.db)
        self.assertEqual(export_snapshot(self.db, self.tmp), snap)

    def test_a_file_replaces_the_rows_of_the_keys_it_names_and_keeps_the_others(self):
        run("import", HANDMADE, db=self.db)
        part = os.path.join(self.tmp, "part")
        os.mkdir(part)
        with open(os.path.join(part, "members.csv"), "w", encoding="utf-8") as f:
            f.write("id,full_name,gender,birth_date,ethnicity,admitted_on,official_on,ended_on,end_reason\n"
                    "M3,Nguyễn Thị Lan Anh,female,1995-03-03,Kinh,2017-05-22,2018-05-22,,\n")
        run("import", part, db=self.db)
        snap = export_snapshot(self.db, self.tmp)
        self.assertIn("M3,Nguyễn Thị Lan Anh,female,1995-03-03,Kinh,2017-05-22,2018-05-22,,", snap["members.csv"])
        self.assertIn("M1,Lò Văn Thắng", snap["members.csv"])
        self.assertEqual(report(self.db, "--as-of", "2018-05-22")["members"]["probationary"], 1)

    def test_export_quotes_what_needs_quoting(self):
        run("import", HANDMADE, db=self.db)
        snap = export_snapshot(self.db, self.tmp)
        self.assertIn('"Nguyễn Thị ""Lan"", Anh"', snap["members.csv"])
        self.assertIn('"Bản Hai, Trên"', snap["units.csv"])


def edit(path, line, old, new):
    """Replaces `old` by `new` on 1-based `line` of a CSV file."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    assert old in lines[line - 1], (path, line, lines[line - 1])
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


def append(path, text):
    with open(path, "a", encoding="utf-8") as f:
        f.write(text + "\n")


# (name, file, how to break it, what the error must say)
REJECTIONS = [
    ("missing column", "units.csv", lambda p: _drop_column(p, "kind"), "units.csv:1: kind: required column is missing"),
    ("unknown column", "units.csv", lambda p: edit(p, 1, "border", "boder"), "units.csv:1: boder: unknown column"),
    ("date that does not exist", "institutions.csv", lambda p: edit(p, 4, "2016-09-01", "2016-02-30"),
     "institutions.csv:4: valid_from: '2016-02-30' is not a date that exists"),
    ("period ending before it starts", "units.csv", lambda p: edit(p, 12, "2017-03-01,", "2017-03-01,2016-01-01"),
     "units.csv:12: valid_to: the period ends"),
    ("rows of one code overlap", "units.csv", lambda p: edit(p, 9, "2019-06-01", "2019-05-01"),
     "units.csv:9: valid_from: overlaps the previous row of unit 00003"),
    ("rows of one code leave a gap", "units.csv", lambda p: edit(p, 9, "2019-06-01", "2019-07-01"),
     "units.csv:9: valid_from: leaves a gap"),
    ("parent that does not exist at the time", "units.csv", lambda p: edit(p, 12, ",00001,", ",00002,"),
     "units.csv:12: parent_code: unit 00002 does not exist for the whole period"),
    ("parent that never existed", "units.csv", lambda p: edit(p, 11, ",00001,", ",09999,"),
     "units.csv:11: parent_code: unit 09999 does not exist"),
    ("parent not of a higher level", "units.csv", lambda p: edit(p, 11, ",00001,", ",00003-01,"),
     "units.csv:11: parent_code: unit 00003-01 is a village"),
    ("parent missing below a province", "units.csv", lambda p: edit(p, 3, ",01,", ",,"),
     "units.csv:3: parent_code: required for a district"),
    ("site that does not exist at the time", "orgs.csv", lambda p: edit(p, 14, "2018-05-22", "2016-01-01"),
     "orgs.csv:14: site_institution: institution S3 does not exist for the whole period"),
    ("site unit that does not exist", "orgs.csv", lambda p: edit(p, 10, "00001-01", "00009-01"),
     "orgs.csv:10: site_unit: unit 00009-01 does not exist"),
    ("organization's parent that does not exist", "orgs.csv", lambda p: edit(p, 11, ",OC2,", ",OC9,"),
     "orgs.csv:11: parent_code: organization OC9 does not exist"),
    ("institution's unit that does not exist", "institutions.csv", lambda p: edit(p, 5, "00003", "99999"),
     "institutions.csv:5: unit_code: unit 99999 does not exist"),
    ("organization of a period that does not exist then", "member_periods.csv",
     lambda p: edit(p, 6, "CV32", "CV21"), "member_periods.csv:6: org_code: organization CV21 does not exist"),
    ("residence that does not exist then", "member_periods.csv",
     lambda p: edit(p, 2, "00001-01", "00001-02"), "member_periods.csv:2: residence_code: unit 00001-02 does not exist"),
    ("cycle of parents", "orgs.csv", lambda p: edit(p, 2, "0,,01", "0,CV11,01"),
     "orgs.csv:2: parent_code: organization OP would be its own ancestor"),
    ("member periods that overlap", "member_periods.csv", lambda p: edit(p, 4, "M2,2018-02-01", "M2,2018-01-01"),
     "member_periods.csv:4: valid_from: overlaps the previous period of member M2"),
    ("member periods with a gap while active", "member_periods.csv",
     lambda p: edit(p, 4, "M2,2018-02-01", "M2,2018-03-01"), "member_periods.csv:4: valid_from: no period of member M2 covers"),
    ("member periods starting after the admission", "member_periods.csv",
     lambda p: edit(p, 2, "M1,2010-01-01", "M1,2010-02-01"), "member_periods.csv:2: valid_from: the first period of member M1 starts after"),
    ("official_on before admitted_on", "members.csv", lambda p: edit(p, 2, "2011-01-01", "2009-01-01"),
     "members.csv:2: official_on: 2009-01-01 is before admitted_on"),
    ("end_reason without ended_on", "members.csv", lambda p: edit(p, 2, "2011-01-01,,", "2011-01-01,,died"),
     "members.csv:2: ended_on: is required when end_reason is given"),
    ("ended_on without end_reason", "members.csv", lambda p: edit(p, 2, "2011-01-01,,", "2011-01-01,2020-01-01,"),
     "members.csv:2: end_reason: is required when ended_on is given"),
    ("unknown end_reason", "members.csv", lambda p: edit(p, 7, "died", "vanished"),
     "members.csv:7: end_reason: 'vanished' is not one of"),
    ("flag that is not 0 or 1", "units.csv", lambda p: edit(p, 5, ",1,1,1200", ",2,1,1200"),
     "units.csv:5: border: '2' is not a flag"),
    ("unknown level", "units.csv", lambda p: edit(p, 2, "province", "region"),
     "units.csv:2: level: 'region' is not one of"),
    ("member listed twice", "members.csv", lambda p: append(p, "M1,Lò Văn Thắng,male,1980-02-29,Thái,2010-01-01,2011-01-01,,"),
     "members.csv:8: id: 'M1' appears on more than one row"),
    ("period of a member who does not exist", "member_periods.csv", lambda p: append(p, "M9,2010-01-01,,CV11,00001-01"),
     "member_periods.csv:9: member_id: member M9 is not in members.csv"),
    ("member with no period", "members.csv", lambda p: append(p, "M7,Lò Thị Mai,female,1990-01-01,Thái,2012-01-01,2013-01-01,,"),
     "members.csv:8: id: member M7 has no period"),
    ("organization with two sites", "orgs.csv", lambda p: edit(p, 10, "00001-01,,", "00001-01,S1,"),
     "orgs.csv:10: site_institution: give site_unit or site_institution, not both"),
    ("unterminated quote", "units.csv", lambda p: append(p, '00003-03,"Bản Lạ,village,bản,00003,,,0,0,'),
     "units.csv"),
    ("row with too few fields", "institutions.csv", lambda p: append(p, "S9,Trường X,school"),
     "institutions.csv:6: the row has 3 fields, the header 6"),
    ("code with spaces around it", "units.csv", lambda p: edit(p, 15, "00003-01,", " 00003-01,"),
     "units.csv:15: code: ' 00003-01' has spaces around it"),
]


def _drop_column(path, column):
    import csv as _csv
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(_csv.reader(f))
    idx = rows[0].index(column)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = _csv.writer(f, lineterminator="\n")
        for r in rows:
            w.writerow(r[:idx] + r[idx + 1:])


class Rejections(Base):
    """Every rejection names FILE:LINE: column and stores nothing."""

    def test_each_bad_registry_is_rejected_with_its_line_and_nothing_is_stored(self):
        run("import", HANDMADE, db=self.db)
        before = export_snapshot(self.db, self.tmp)
        for name, fname, breaker, message in REJECTIONS:
            with self.subTest(name):
                case = self.copy_case(HANDMADE)
                breaker(os.path.join(case, fname))
                p = run("import", case, db=self.db, check=False)
                self.assertEqual(p.returncode, 1, p.stderr)
                self.assertIn(message, p.stderr)
                self.assertIn("nothing was imported", p.stderr)
                self.assertEqual(export_snapshot(self.db, self.tmp), before)
                # into a new database: no database is left behind
                fresh = os.path.join(self.tmp, "fresh.db")
                p = run("import", case, db=fresh, check=False)
                self.assertNotEqual(p.returncode, 0)
                self.assertFalse(os.path.exists(fresh), "a failed first import left " + fresh)

    def test_every_problem_of_a_file_is_reported_not_only_the_first(self):
        case = self.copy_case(HANDMADE)
        edit(os.path.join(case, "members.csv"), 2, "2011-01-01", "2009-01-01")
        edit(os.path.join(case, "members.csv"), 3, "1990-07-15", "1990-07-32")
        edit(os.path.join(case, "units.csv"), 2, "province", "region")
        p = run("import", case, db=self.db, check=False)
        self.assertIn("members.csv:2: official_on:", p.stderr)
        self.assertIn("members.csv:3: birth_date:", p.stderr)
        self.assertIn("units.csv:2: level:", p.stderr)

    def test_a_change_that_breaks_stored_rows_is_refused(self):
        run("import", HANDMADE, db=self.db)
        part = os.path.join(self.tmp, "part")
        os.mkdir(part)
        # closing village 00001-01 in 2015 strands its cell, school and members
        with open(os.path.join(part, "units.csv"), "w", encoding="utf-8") as f:
            f.write("code,name,level,kind,parent_code,valid_from,valid_to\n"
                    "00001-01,Bản Nà Một,village,bản,00001,,2015-01-01\n")
        p = run("import", part, db=self.db, check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("orgs.csv: site_unit: stored row CV11", p.stderr)

    def test_a_folder_without_registry_files_is_an_error(self):
        empty = os.path.join(self.tmp, "empty")
        os.mkdir(empty)
        p = run("import", empty, db=self.db, check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("no registry file", p.stderr)


class CommandLine(Base):
    def test_bad_arguments_are_usage_errors(self):
        run("import", HANDMADE, db=self.db)
        for args, msg in ((["report", "--as-of", "2018-02-30"], "not a date that exists"),
                          (["report", "--from", "2018-01-01"], "needs both --from and --to"),
                          (["report", "--from", "2018-02-01", "--to", "2018-01-01"], "comes before"),
                          (["report", "--format", "xml"], "not text, json or csv"),
                          (["report", "--bogus"], "unknown argument"),
                          (["report", "--as-of"], "--as-of needs a value"),
                          (["report", "--as-of", "2018-05-22", "--scope"], "--scope needs a value"),
                          # the other commands' options, parsed by the same table
                          (["cadres", "report", "--from"], "--from needs a value"),
                          (["cadres", "training", "--format", "xml"], "not text, json or csv"),
                          (["services", "list", "--by"], "--by needs a value"),
                          (["services", "list", "--format", "csv"], "not text or json"),
                          (["party", "due", "--format", "yaml"], "not text, json or csv"),
                          (["frobnicate"], "unknown command")):
            p = run(*args, db=self.db, check=False)
            self.assertEqual(p.returncode, 2, args)
            self.assertIn(msg, p.stderr)

    def test_unknown_scope_is_an_error(self):
        run("import", HANDMADE, db=self.db)
        p = run("report", "--as-of", "2018-05-22", "--scope", "77777", db=self.db, check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("77777 is not in the registry", p.stderr)

    def test_report_on_a_missing_database_says_so(self):
        p = run("report", db=os.path.join(self.tmp, "none.db"), check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("no such database", p.stderr)

    def test_database_comes_from_COSO_DB_when_no_option(self):
        env = dict(os.environ, COSO_DB=self.db)
        p = subprocess.run([COSO, "import", HANDMADE], capture_output=True, text=True, env=env)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(os.path.exists(self.db))


if __name__ == "__main__":
    unittest.main(verbosity=1)
