#!/usr/bin/env python3
"""Resolutions, targets, reports on another day's tree, the written report (docs/PLANS.md).

Black-box tests of the real coso on the hand-made registry (tests/cases/handmade)
with the resolutions of tests/cases/plans, every figure worked out by hand below,
and on the demo province (data/demo/dien-bien) for the article's report.
"""
import csv
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
HANDMADE = os.path.join(ROOT, "tests", "cases", "handmade")
PLANS = os.path.join(ROOT, "tests", "cases", "plans")
DEMO = os.path.join(ROOT, "data", "demo", "dien-bien")
COSO = os.environ.get("COSO", os.path.join(ROOT, "build", "coso"))


def run(db, *args, check=True):
    p = subprocess.run([COSO, "--db", db] + list(args), capture_output=True, text=True)
    if check and p.returncode != 0:
        raise AssertionError("coso %s failed (%d): %s" % (" ".join(args), p.returncode, p.stderr))
    return p


def jrun(db, *args):
    return json.loads(run(db, *args, "--format", "json").stdout)


def cell(report, unit, target, year=None):
    """The cell of a unit's target: a year's, or the period's (year None)."""
    for u in report["units"]:
        if u["code"] == unit:
            for t in u["targets"]:
                if t["code"] == target:
                    if year is None:
                        return t["period"]
                    return next(c for c in t["years"] if c["year"] == year)
    raise KeyError((unit, target, year))


def brief(c):
    return (c.get("actual"), c.get("required"), c["status"])


class HandMade(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="coso-plans-")
        cls.db = os.path.join(cls.tmp, "h.db")
        run(cls.db, "import", HANDMADE)
        run(cls.db, "import", PLANS)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def targets(self, *extra):
        return jrun(self.db, "report", "targets", "--resolution", "R1", *extra)

    # R1 covers 2016-01-01 .. 2018-12-31. Read on 2017-06-30 (a Friday): 2016 is
    # complete, 2017 is in progress (181 of its 365 days: 31+28+31+30+31+30), 2018
    # has not started. The period has run 366 + 181 = 547 of its 1096 days.
    # The tree is the one of 2017-06-30: 01 > 001 > 00001, 00002; 01 > 002 > 00003.

    def test_the_units_are_the_tree_of_the_report_day_parents_first(self):
        r = self.targets("--as-of", "2017-06-30")
        self.assertEqual([u["code"] for u in r["units"]], ["01", "001", "00001", "00002", "002", "00003"])
        self.assertEqual(r["tree_as_of"], "2017-06-30")
        self.assertEqual([y["year"] for y in r["years"]], [2016, 2017, 2018])
        self.assertEqual(r["years"][0], {"year": 2016, "from": "2016-01-01", "to": "2016-12-31"})

    def test_admissions_counted_per_year_against_the_province_target(self):
        r = self.targets("--as-of", "2017-06-30")
        # 2016: M2 admitted 2016-06-01 -> 1 of 1: met.
        self.assertEqual(brief(cell(r, "01", "R1-A", 2016)), (1, 1, "met"))
        # 2017 so far: M3 on 2017-05-22 -> 1; required 1 x 181/365 = 0.50 (shown rounded up: 1): on track.
        self.assertEqual(brief(cell(r, "01", "R1-A", 2017)), (1, 1, "on_track"))
        self.assertEqual(cell(r, "01", "R1-A", 2018), {"status": "pending", "year": 2018})
        # the period: 2 against 3 x 547/1096 = 1.50 (shown 2): on track.
        self.assertEqual(brief(cell(r, "01", "R1-A")), (2, 2, "on_track"))
        # a count binds its scope only: districts and communes are measured, not judged
        self.assertEqual(brief(cell(r, "001", "R1-A", 2016)), (1, None, "none"))   # M2's cell in 00002-01
        self.assertEqual(brief(cell(r, "002", "R1-A", 2017)), (1, None, "none"))   # M3's cell in agency A1 of 00003

    def test_a_count_allotted_to_one_commune(self):
        r = self.targets("--as-of", "2017-06-30")
        # R1-D names Xã Ba (00003): 0 in 2016 (not met), M3 in 2017 (on track), 1 of 1.50 over the period (behind)
        self.assertEqual(brief(cell(r, "00003", "R1-D", 2016)), (0, 1, "not_met"))
        self.assertEqual(brief(cell(r, "00003", "R1-D", 2017)), (1, 1, "on_track"))
        self.assertEqual(brief(cell(r, "00003", "R1-D")), (1, 2, "behind"))
        self.assertFalse(next(t for t in r["units"][0]["targets"] if t["code"] == "R1-D")["applies"])

    def test_villages_without_a_cell_reduced_each_year_chained_and_compounded(self):
        r = self.targets("--as-of", "2017-06-30")
        # 2016-01-01: without a cell 00002-01 (CV21 comes 2016-05-01) and 00003-01: 2.
        # 2016-12-31: only 00003-01: 1. (2-1)/2 = 50% of 50%: met.
        c = cell(r, "01", "R1-B", 2016)
        self.assertEqual((c["start"], c["end"], c["actual"], c["required"], c["status"]), (2, 1, 50, 50, "met"))
        # 2017 starts where 2016 ended (1); on 2017-06-30 Bản Mới (00001-02, opened 2017-03-01, no cell)
        # is added: 2. -100% against 50% x 181/365 = 24.8%: behind.
        c = cell(r, "01", "R1-B", 2017)
        self.assertEqual((c["start"], c["end"], c["actual"], c["required"], c["status"]), (1, 2, -100, 24.8, "behind"))
        # the period: 2 -> 2 = 0% against 1 - 0.5^(3 x 547/1096) = 64.6% so far: behind
        self.assertEqual(brief(cell(r, "01", "R1-B")), (0, 64.6, "behind"))
        # Huyện Một: 00002-01 alone at the start (1), none on 2016-12-31: 100%, met
        self.assertEqual(brief(cell(r, "001", "R1-B", 2016)), (100, 50, "met"))
        # Xã Hai: from 1 to 0 in 2016; in 2017 nothing is left to reduce and none came back: on track
        self.assertEqual(brief(cell(r, "00002", "R1-B", 2017)), (None, 24.8, "on_track"))
        # Xã Một: none without a cell at the start; Bản Mới makes 1: nothing measured, behind
        self.assertEqual(brief(cell(r, "00001", "R1-B", 2017)), (None, 24.8, "behind"))
        # Xã Ba: 00003-01 all along: 0%, not met
        self.assertEqual(brief(cell(r, "00003", "R1-B", 2016)), (0, 50, "not_met"))

    def test_a_share_to_reach_by_the_end_of_the_period(self):
        r = self.targets("--as-of", "2017-06-30")
        # schools with a cell, at least 100% by the end. At the start: S1 (cell CS1 only from
        # 2017-01-10): 0 of 1 = 0%. On 2017-06-30: S1 with CS1, S3 (opened 2016-09-01, cell CS3
        # only 2018-05-22) without: 50%. Required so far: 0 + (100 - 0) x 547/1096 = 49.9%: on track.
        c = cell(r, "01", "R1-C")
        self.assertEqual((c["actual"], c["required"], c["status"], c["end"], c["total"]), (50, 49.9, "on_track", 1, 2))
        # per period: the years are measured only (2016-12-31: S1 and S3, neither with a cell)
        self.assertEqual(brief(cell(r, "01", "R1-C", 2016)), (0, None, "none"))
        # Xã Hai has no school: nothing to measure
        self.assertEqual(brief(cell(r, "00002", "R1-C")), (None, 49.9, "none"))

    def test_a_reduction_over_the_period(self):
        r = self.targets("--as-of", "2017-06-30")
        # white villages: 2016-01-01: 00002-01 (M6 died that day) and 00003-01: 2.
        # 2017-06-30: Bản Mới (00001-02) only (M2 moves there in 2018): 1. 50% against 50% x 547/1096 = 25%.
        self.assertEqual(brief(cell(r, "01", "R1-E")), (50, 25, "on_track"))
        self.assertEqual(brief(cell(r, "01", "R1-E", 2016)), (50, None, "none"))

    def test_after_the_period_every_span_is_complete(self):
        r = self.targets("--as-of", "2019-03-01")
        # admissions 2016: M2; 2017: M3; 2018: M5 (2018-05-22): each year met, 3 of 3 over the period
        self.assertEqual([brief(cell(r, "01", "R1-A", y)) for y in (2016, 2017, 2018)],
                         [(1, 1, "met"), (1, 1, "met"), (1, 1, "met")])
        self.assertEqual(brief(cell(r, "01", "R1-A")), (3, 3, "met"))
        # the tree is the one of the period's last day, 2018-12-31
        self.assertEqual(r["tree_as_of"], "2018-12-31")

    def test_today_s_map_holds_the_merged_commune(self):
        # On 2026-01-01 the districts are gone and Xã Hai (00002) is part of Xã Một (00001):
        # M2's admission (2016, cell of Bản Hai in Xã Hai) now counts in Xã Một.
        r = self.targets("--as-of", "2017-06-30", "--tree-as-of", "2026-01-01")
        self.assertEqual([u["code"] for u in r["units"]], ["01", "00001", "00003"])
        self.assertEqual(brief(cell(r, "00001", "R1-A", 2016)), (1, None, "none"))
        # Xã Một's villages without a cell, on today's map: 00001-01 (cell) and 00002-01 (no cell
        # until 2016-05-01) at the start: 1; none on 2016-12-31: 100%
        self.assertEqual(brief(cell(r, "00001", "R1-B", 2016)), (100, 50, "met"))

    def test_the_scope_limits_the_units_and_must_be_in_the_tree(self):
        r = self.targets("--as-of", "2017-06-30", "--scope", "002")
        self.assertEqual([u["code"] for u in r["units"]], ["002", "00003"])
        self.assertIsNone(r["units"][0]["parent"])
        p = run(self.db, "report", "targets", "--resolution", "R1", "--as-of", "2017-06-30", "--scope", "00001-01",
                check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("00001-01 is not under 01", p.stderr)
        p = run(self.db, "report", "targets", "--resolution", "R9", check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("resolution R9 is not in the register", p.stderr)

    def test_the_text_is_vietnamese(self):
        out = run(self.db, "report", "targets", "--resolution", "R1", "--as-of", "2017-06-30").stdout
        for s in ("Nghị quyết số 01-NQ/TU ngày 15/03/2016", "Năm 2016: 50% / 50%: đạt",
                  "Năm 2017: -100% / 24,8%: chậm tiến độ", "Cả giai đoạn: 50% / 49,9%: đúng tiến độ",
                  "Năm 2018: chưa đến kỳ", "Huyện Một (001)"):
            self.assertIn(s, out)
        self.assertNotIn("Xã Một (00001)", out)  # text goes one level down by default

    def test_resolutions_with_the_same_number_are_told_apart(self):
        r = jrun(self.db, "report", "resolutions")
        self.assertEqual([(x["code"], x["number"], x["issued_on"]) for x in r],
                         [("R1", "01-NQ/TU", "2016-03-15"), ("R2", "01-NQ/TU", "2021-02-01")])

    def test_export_gives_back_the_register_files(self):
        out = os.path.join(self.tmp, "export")
        run(self.db, "export", out)
        match, mismatch, errors = filecmp.cmpfiles(PLANS, out, ["resolutions.csv", "targets.csv"], shallow=False)
        self.assertEqual((mismatch, errors), ([], []))

    # ---- reports on the tree of another day (hand-worked in docs/PLANS.md) ----

    def test_a_2017_figure_for_today_s_commune(self):
        # Xã Một on today's map holds 00001-01, 00001-02 and 00002-01 (merged in 2020). On 2017-06-01:
        # villages 3 (00001-02 opened 2017-03-01), with a cell 2 (CV11, CV21), white 1 (00001-02);
        # school S1 with CS1; health station H1 without; members M1 (CV11) and M2 (CV21, official
        # on 2017-06-01 itself).
        r = jrun(self.db, "report", "--as-of", "2017-06-01", "--scope", "00001", "--tree-as-of", "2026-01-01")
        self.assertEqual(r["tree_as_of"], "2026-01-01")
        self.assertEqual(r["villages"], {"total": 3, "with_org": 2, "without_org": 1, "without_member": 1})
        self.assertEqual(r["schools"], {"total": 1, "with_org": 1})
        self.assertEqual(r["health_stations"], {"total": 1, "with_org": 0})
        self.assertEqual(r["members"], {"total": 2, "probationary": 0, "official": 2})
        self.assertEqual([(c["code"], c["villages"]["with_org"], c["members"]["total"]) for c in r["children"]],
                         [("00001-01", 1, 1), ("00001-02", 0, 0), ("00002-01", 1, 1)])
        # on that day's own tree, Xã Một had 2 villages and M1 only
        r = jrun(self.db, "report", "--as-of", "2017-06-01", "--scope", "00001")
        self.assertNotIn("tree_as_of", r)
        self.assertEqual((r["villages"]["total"], r["members"]["total"]), (2, 1))

    def test_the_province_on_today_s_map(self):
        # 2019-01-01 facts, 2026 tree: children Xã Một and Thị trấn Ba (directly under the province).
        # Thị trấn Ba: 00003-01 without a cell; M3 (agency A1) and M5 (school S3), both probationary.
        r = jrun(self.db, "report", "--as-of", "2019-01-01", "--tree-as-of", "2026-01-01")
        self.assertEqual(r["villages"], {"total": 4, "with_org": 2, "without_org": 2, "without_member": 1})
        self.assertEqual(r["members"], {"total": 4, "probationary": 2, "official": 2})
        kids = {c["code"]: c for c in r["children"]}
        self.assertEqual(sorted(kids), ["00001", "00003"])
        self.assertEqual(kids["00003"]["members"], {"total": 2, "probationary": 2, "official": 0})
        self.assertEqual(kids["00001"]["villages"]["total"], 3)

    def test_a_period_on_today_s_map(self):
        # 2016-01-01 .. 2018-05-22 in today's Xã Một: M2's admission (by CV21, under Đảng bộ xã Hai,
        # of commune level), CV21 founded (2016-05-01, village) and CS1 (2017-01-10, school).
        r = jrun(self.db, "report", "--from", "2016-01-01", "--to", "2018-05-22", "--scope", "00001",
                 "--tree-as-of", "2026-01-01")
        self.assertEqual(r["admissions"], {"total": 1, "commune_level": 1})
        self.assertEqual(r["orgs_founded"], {"village": 1, "school": 1, "health_station": 0, "other": 0})
        # counted where they happened, Xã Một had only CS1
        r = jrun(self.db, "report", "--from", "2016-01-01", "--to", "2018-05-22", "--scope", "00001")
        self.assertEqual(r["admissions"], {"total": 0, "commune_level": 0})
        self.assertEqual(r["orgs_founded"]["village"], 0)

    def test_a_merged_commune_s_committee_counts_in_the_commune_not_in_a_village(self):
        # On 2015-06-01 M6 belonged to Đảng bộ xã Hai (OC2, sitting in the commune 00002). On today's map
        # Xã Hai is part of Xã Một: M6 counts in Xã Một (2 members with M1), in none of its villages
        # (Bản Hai, Trên has no member of its own then).
        r = jrun(self.db, "report", "--as-of", "2015-06-01", "--scope", "00001", "--tree-as-of", "2026-01-01")
        self.assertEqual(r["members"]["total"], 2)
        self.assertEqual([(c["code"], c["members"]["total"]) for c in r["children"]],
                         [("00001-01", 1), ("00001-02", 0), ("00002-01", 0)])
        self.assertEqual(r["villages"]["total"], 2)  # Bản Mới opened in 2017

    def test_the_text_says_which_map(self):
        out = run(self.db, "report", "--as-of", "2017-06-01", "--scope", "00001", "--tree-as-of", "2026-01-01").stdout
        self.assertIn("(số liệu cộng theo địa giới hành chính ngày 01/01/2026)", out)
        self.assertIn("Bản Hai, Trên", out)  # a child of today's Xã Một
        # its profile: the two communes of 2017 that make it up (not Huyện Một, whose facts it holds)
        self.assertIn("2 xã, phường, thị trấn (2 xã, 0 phường, 0 thị trấn)", out)
        self.assertNotIn("cấp huyện", out)
        out = run(self.db, "report", "--as-of", "2017-06-01", "--scope", "00001").stdout
        self.assertNotIn("địa giới", out)

    def test_the_same_day_for_the_tree_changes_nothing(self):
        a = jrun(self.db, "report", "--as-of", "2018-05-22", "--scope", "01")
        b = jrun(self.db, "report", "--as-of", "2018-05-22", "--scope", "01", "--tree-as-of", "2018-05-22")
        b.pop("tree_as_of")
        self.assertEqual(a, b)

    def test_a_closed_village_counts_where_its_commune_went(self):
        # Bản Cũ (00003-02, cell CV32) closed on 2018-01-01: on today's map its 2017 facts count in
        # Thị trấn Ba, where its last parent (00003) still is.
        r = jrun(self.db, "report", "--as-of", "2017-06-01", "--scope", "00003", "--tree-as-of", "2026-01-01")
        self.assertEqual(r["villages"]["total"], 2)
        self.assertEqual(r["villages"]["with_org"], 1)

    def test_narrative_on_the_hand_made_registry(self):
        out = run(self.db, "report", "narrative", "--from", "2016-01-01", "--to", "2018-05-22").stdout
        for s in ("Tỉnh Thử Nghiệm, từ ngày 01/01/2016 đến ngày 22/05/2018",
                  # M2, M3, M5 admitted; commune level: M2 (under OC2) and M5 (CS3 under OC3); not M3 (CA1)
                  "kết nạp 3 đảng viên mới, trong đó các tổ chức cơ sở đảng cấp xã kết nạp 2 đảng viên, chiếm 66,7%",
                  # the last whole quarter is Q1 2018: nobody admitted
                  "Riêng quý I năm 2018, cấp xã kết nạp 0/0 đảng viên mới (chiếm –)",
                  "Nghị quyết số 01-NQ/TU ngày 15/03/2016 của Tỉnh ủy Thử Nghiệm",
                  "Chưa có số liệu về đào tạo"):
            self.assertIn(s, out)


class Errors(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="coso-plans-err-")
        self.db = os.path.join(self.tmp, "e.db")
        run(self.db, "import", HANDMADE)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def write(self, name, text):
        d = os.path.join(self.tmp, "in")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, name), "w", encoding="utf-8") as f:
            f.write(text)
        return d

    def test_bad_rows_name_file_line_and_column_and_nothing_is_stored(self):
        self.write("resolutions.csv", "code,issuer,number,issued_on,title,scope_code,period_from,period_to\n"
                   "R1,TU,01-NQ/TU,2016-02-30,T,01,2016-01-01,2019-01-01\n"
                   "R2,TU,02-NQ/TU,2016-03-01,T,01,2019-01-01,2016-01-01\n")
        d = self.write("targets.csv", "code,resolution_code,label,indicator,kind,per,value_min,value_max,baseline_on,scope_code\n"
                       "A,R1,L,admissions,reduce,year,5,,,\n"
                       "B,R1,L,villages_with_cells,share,year,5,,,\n"
                       "C,R1,L,admissions,count,year,1.5,,,\n"
                       "D,R1,L,villages_with_org,share,year,120,,,\n"
                       "E,R1,L,villages_without_org,reduce,decade,20,10,,\n"
                       "E,R1,L,admissions,count,year,1e3,,2016-01-01,\n"
                       "F,R1,L,admissions,count,year,5,,,\n"
                       "F,R1,L,admissions,count,year,6,,,\n")
        p = run(self.db, "import", d, check=False)
        self.assertNotEqual(p.returncode, 0)
        for s in ("resolutions.csv:2: issued_on: '2016-02-30' is not a date that exists",
                  "resolutions.csv:3: period_to: the period ends (2016-01-01) on or before the day it starts (2019-01-01)",
                  "targets.csv:2: kind: a 'reduce' target cannot be written over admissions",
                  "targets.csv:3: indicator: 'villages_with_cells' is not an indicator",
                  "targets.csv:4: value_min: a count is a whole number",
                  "targets.csv:5: value_min: 120 is more than 100",
                  "targets.csv:6: per: 'decade' is not one of: year, period",
                  "targets.csv:6: value_max: is less than value_min",
                  "targets.csv:7: value_min: '1e3' is not a number",
                  "targets.csv:7: baseline_on: a count has no baseline",
                  "targets.csv:9: code: 'F' appears on more than one row"):
            self.assertIn(s, p.stderr)
        self.assertEqual(jrun(self.db, "report", "resolutions"), [])

    def test_whole_register_rules(self):
        self.write("resolutions.csv", "code,issuer,number,issued_on,title,scope_code,period_from,period_to\n"
                   "R1,TU,01-NQ/TU,2016-03-01,T,01,2016-01-01,2019-01-01\n"
                   "R2,TU,01-NQ/TU,2016-03-01,Same,01,2016-01-01,2019-01-01\n"
                   "R3,TU,03-NQ/TU,2016-03-01,T,99,2016-01-01,2019-01-01\n")
        d = self.write("targets.csv", "code,resolution_code,label,indicator,kind,per,value_min,value_max,baseline_on,scope_code\n"
                       "A,R9,L,admissions,count,year,5,,,\n"
                       "B,R1,L,admissions,count,year,5,,,00002-01x\n"
                       "C,R1,L,villages_without_org,reduce,year,5,,2019-01-01,\n"
                       "D,R1,L,admissions,count,year,5,,,00003\n")
        p = run(self.db, "import", d, check=False)
        self.assertNotEqual(p.returncode, 0)
        for s in ("resolutions.csv:3: number: resolution 01-NQ/TU of 2016-03-01 by TU is also given as R1",
                  "resolutions.csv:4: scope_code: unit 99 does not exist during the period",
                  "targets.csv:2: resolution_code: resolution R9 is not in the register",
                  "targets.csv:3: scope_code: unit 00002-01x is not under 01",
                  "targets.csv:4: baseline_on: the baseline comes on or after the end of the period of R1"):
            self.assertIn(s, p.stderr)
        self.assertEqual(jrun(self.db, "report", "resolutions"), [])

    def test_documents_to_a_path_that_cannot_be_written(self):
        run(self.db, "import", PLANS)
        for fmt in ("fodt", "xlsx"):
            bad = os.path.join(self.tmp, "missing", "bao-cao." + fmt)
            p = run(self.db, "report", "narrative", "--from", "2016-01-01", "--to", "2018-05-22", "--format", fmt,
                    "--out", bad, check=False)
            self.assertEqual(p.returncode, 1)
            self.assertTrue(p.stderr.startswith("coso: %s: cannot write" % bad), p.stderr)

    def test_a_second_import_replaces_the_rows_of_the_codes_it_names(self):
        run(self.db, "import", PLANS)
        d = self.write("targets.csv", "code,resolution_code,label,indicator,kind,per,value_min,value_max,baseline_on,scope_code\n"
                       "R1-A,R1,Kết nạp,admissions,count,year,7,,,\n")
        run(self.db, "import", d)
        r = jrun(self.db, "report", "targets", "--resolution", "R1", "--as-of", "2019-03-01", "--depth", "0")
        self.assertEqual([t["code"] for t in r["targets"]], ["R1-A", "R1-B", "R1-C", "R1-D", "R1-E"])
        self.assertEqual(r["targets"][0]["value_min"], 7)
        self.assertEqual(brief(cell(r, "01", "R1-A", 2016)), (1, 7, "not_met"))


class Demo(unittest.TestCase):
    """The article's report, from the demo registry."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="coso-plans-demo-")
        cls.db = os.path.join(cls.tmp, "demo.db")
        run(cls.db, "import", DEMO)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_the_generator_makes_exactly_the_committed_files(self):
        out = os.path.join(self.tmp, "regenerated")
        p = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "demo", "gen_plans.py"), "--out", out],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        match, mismatch, errors = filecmp.cmpfiles(DEMO, out, ["resolutions.csv", "targets.csv"], shallow=False)
        self.assertEqual((mismatch, errors), ([], []))

    def test_resolution_04_of_2016_and_its_targets(self):
        with open(os.path.join(DEMO, "targets.csv"), encoding="utf-8") as f:
            rows = {r["code"]: r for r in csv.DictReader(f)}
        # "phấn đấu hằng năm kết nạp 2.000 đảng viên; giảm 15-20% số thôn, bản chưa có đảng viên,
        #  chưa có chi bộ; giảm từ 20% trở lên số trường học, trạm y tế chưa có chi bộ"
        self.assertEqual((rows["NQ04-2016-KN"]["value_min"], rows["NQ04-2016-KN"]["per"]), ("2000", "year"))
        self.assertEqual((rows["NQ04-2016-TCB"]["value_min"], rows["NQ04-2016-TCB"]["value_max"]), ("15", "20"))
        self.assertEqual((rows["NQ04-2016-TTY"]["value_min"], rows["NQ04-2016-TTY"]["value_max"]), ("20", ""))
        self.assertEqual((rows["NQ04-2021-KN"]["value_min"], rows["NQ04-2021-TCB"]["value_min"],
                          rows["NQ04-2021-TCB"]["value_max"]), ("2500", "20", "25"))

    def test_the_targets_agree_with_the_report(self):
        r = jrun(self.db, "report", "targets", "--resolution", "NQ04-2016", "--as-of", "2018-05-22")
        flow = jrun(self.db, "report", "--from", "2016-01-01", "--to", "2018-05-22", "--scope", "11")
        start = jrun(self.db, "report", "--as-of", "2016-01-01", "--scope", "11")
        end = jrun(self.db, "report", "--as-of", "2018-05-22", "--scope", "11")
        # admissions: the years add up to the period, which is the report's 5.240
        years = [cell(r, "11", "NQ04-2016-KN", y) for y in (2016, 2017, 2018)]
        self.assertEqual(sum(c["actual"] for c in years), flow["admissions"]["total"])
        self.assertEqual(cell(r, "11", "NQ04-2016-KN")["actual"], 5240)
        # villages without a cell: 328 at the start, 212 on the article's day; the years chain
        c = cell(r, "11", "NQ04-2016-TCB")
        self.assertEqual((c["start"], c["end"]), (start["villages"]["without_org"], end["villages"]["without_org"]))
        self.assertEqual((c["start"], c["end"]), (328, 212))
        ys = [cell(r, "11", "NQ04-2016-TCB", y) for y in (2016, 2017, 2018)]
        self.assertEqual(ys[0]["start"], 328)
        self.assertEqual((ys[0]["end"], ys[1]["end"]), (ys[1]["start"], ys[2]["start"]))
        self.assertEqual(ys[2]["end"], 212)
        # white villages: 95 -> 21
        c = cell(r, "11", "NQ04-2016-TDV")
        self.assertEqual((c["start"], c["end"]), (95, 21))
        # every district and commune of 2018 is there
        self.assertEqual(len([u for u in r["units"] if u["level"] == "district"]), 10)
        self.assertEqual(len([u for u in r["units"] if u["level"] == "commune"]), 130)
        # a district's admissions add up over its communes
        for d in (u for u in r["units"] if u["level"] == "district"):
            kids = [u for u in r["units"] if u["parent"] == d["code"]]
            self.assertEqual(sum(cell(r, k["code"], "NQ04-2016-KN")["actual"] for k in kids),
                             cell(r, d["code"], "NQ04-2016-KN")["actual"])

    def test_the_2021_resolution_is_measured_on_its_own_years(self):
        r = jrun(self.db, "report", "targets", "--resolution", "NQ04-2021", "--as-of", "2026-01-01", "--depth", "0")
        self.assertEqual([y["year"] for y in r["years"]], [2021, 2022, 2023, 2024, 2025])
        self.assertEqual(cell(r, "11", "NQ04-2021-KN", 2021)["required"], 2500)
        flow = jrun(self.db, "report", "--from", "2021-01-01", "--to", "2025-12-31", "--scope", "11")
        self.assertEqual(cell(r, "11", "NQ04-2021-KN")["actual"], flow["admissions"]["total"])

    def test_a_2018_figure_for_every_commune_of_today(self):
        today = jrun(self.db, "report", "--as-of", "2026-01-01", "--scope", "11")
        then = jrun(self.db, "report", "--as-of", "2018-05-22", "--scope", "11", "--tree-as-of", "2026-01-01")
        # the 45 communes of today, each with its 2018 figures; together they are the province's
        self.assertEqual([c["code"] for c in then["children"]], [c["code"] for c in today["children"]])
        self.assertEqual(len(then["children"]), 45)
        self.assertEqual(then["villages"], {"total": 1813, "with_org": 1601, "without_org": 212, "without_member": 21})
        self.assertEqual(sum(c["villages"]["total"] for c in then["children"]), 1813)
        self.assertEqual(sum(c["villages"]["with_org"] for c in then["children"]), 1601)
        self.assertEqual(sum(c["members"]["total"] for c in then["children"]), then["members"]["total"])
        flow = jrun(self.db, "report", "--from", "2016-01-01", "--to", "2018-05-22", "--scope", "11",
                    "--tree-as-of", "2026-01-01")
        self.assertEqual(flow["admissions"], {"total": 5240, "commune_level": 3406})

    def test_the_narrative_reads_like_the_article(self):
        out = run(self.db, "report", "narrative", "--from", "2016-01-01", "--to", "2018-05-22").stdout
        for s in ("Tỉnh Điện Biên có 10 đơn vị hành chính cấp huyện, 130 đơn vị hành chính cấp xã"
                  " (116 xã, 9 phường, 5 thị trấn)",
                  "29 xã biên giới; 101 xã và 1.146/1.813 thôn, bản đặc biệt khó khăn",
                  "328 thôn, bản chưa có chi bộ và 95 thôn, bản chưa có đảng viên",
                  "Nghị quyết số 04-NQ/TU ngày 23/05/2016 của Tỉnh ủy Điện Biên",
                  "1.601/1.813 thôn, bản có chi bộ (88,3%), còn 212 thôn, bản chưa có chi bộ",
                  "giảm từ 328 xuống còn 212", "giảm từ 95 xuống còn 21",
                  "468/469 trường học (99,8%) và 77/130 trạm y tế (59,2%) có chi bộ",
                  "thành lập mới 245 chi bộ thôn, bản, 32 chi bộ trường học và 34 chi bộ trạm y tế",
                  "kết nạp 5.240 đảng viên mới, trong đó các tổ chức cơ sở đảng cấp xã kết nạp 3.406 đảng viên,"
                  " chiếm 65,0%",
                  "Riêng quý I năm 2018, cấp xã kết nạp 247/407 đảng viên mới (chiếm 60,7%)",
                  "Kết nạp đảng viên mới (chỉ tiêu 2.000 mỗi năm): năm 2016: 2.150 (yêu cầu 2.000: đạt)",
                  "VI. Đào tạo, bồi dưỡng cán bộ, công chức cấp xã"):
            self.assertIn(s, out)
        # one number for each thing: never the article's 327 or 191
        self.assertNotIn("327", out)
        self.assertNotIn(" 191 ", out)

    def test_a_district_s_narrative_measures_the_province_s_resolution(self):
        j = jrun(self.db, "report", "narrative", "--from", "2016-01-01", "--to", "2018-05-22", "--scope", "094")
        self.assertEqual(j["targets"]["resolution"]["code"], "NQ04-2016")
        self.assertEqual([u["code"] for u in j["targets"]["units"]], ["094"])
        start = jrun(self.db, "report", "--as-of", "2016-01-01", "--scope", "094")
        end = jrun(self.db, "report", "--as-of", "2018-05-22", "--scope", "094")
        c = cell(j["targets"], "094", "NQ04-2016-TCB")
        self.assertEqual((c["start"], c["end"]), (start["villages"]["without_org"], end["villages"]["without_org"]))
        text = "\n".join(p["text"] for p in j["paragraphs"])
        self.assertNotIn("Kết nạp đảng viên mới (chỉ tiêu", text)  # the province's count binds the province only
        self.assertIn("Giảm số thôn, bản chưa có chi bộ (chỉ tiêu 15%–20% mỗi năm)", text)

    def test_the_narrative_as_json_fodt_and_xlsx(self):
        j = jrun(self.db, "report", "narrative", "--from", "2016-01-01", "--to", "2018-05-22")
        self.assertEqual(j["flow"]["admissions"], {"total": 5240, "commune_level": 3406})
        self.assertEqual(j["quarter"]["admissions"], {"total": 407, "commune_level": 247})
        # the cadres register of the demo (docs/CADRES.md): the article's 614, 454 and "hơn 13.000"
        self.assertEqual(j["training"], {"professional": 614, "political_theory": 454, "short_courses": 13046})
        text = "\n".join(p["text"] for p in j["paragraphs"])
        self.assertIn("đã cử 614 người đi đào tạo về chuyên môn nghiệp vụ, 454 cán bộ, công chức", text)
        self.assertIn("13.046 lượt cán bộ, công chức tham gia các khóa bồi dưỡng", text)
        self.assertEqual(j["paragraphs"][0]["level"], 1)
        fodt = os.path.join(self.tmp, "bao-cao.fodt")
        run(self.db, "report", "narrative", "--from", "2016-01-01", "--to", "2018-05-22", "--format", "fodt",
            "--out", fodt)
        root = ET.parse(fodt).getroot()
        ns = {"text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
              "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0"}
        body = " ".join("".join(p.itertext()) for p in root.iter("{%s}p" % ns["text"]))
        self.assertIn("1.601/1.813 thôn, bản có chi bộ (88,3%)", body)
        rows = root.findall(".//table:table-row", ns)
        self.assertEqual(len(rows), 1 + 10 + 1)  # header, 10 districts, total
        last = ["".join(c.itertext()) for c in rows[-1]]
        self.assertEqual(last[:4], ["Tổng cộng", "1.813", "1.601", "88,3%"])
        xlsx = os.path.join(self.tmp, "bao-cao.xlsx")
        run(self.db, "report", "narrative", "--from", "2016-01-01", "--to", "2018-05-22", "--format", "xlsx",
            "--out", xlsx)
        with zipfile.ZipFile(xlsx) as z:
            names = z.namelist()
            self.assertIn("xl/worksheets/sheet2.xml", names)
            strings = z.read("xl/sharedStrings.xml").decode("utf-8")
            sheet2 = z.read("xl/worksheets/sheet2.xml").decode("utf-8")
        self.assertIn("Tổng cộng", strings)
        self.assertIn("<v>1813</v>", sheet2)
        self.assertIn("<v>1601</v>", sheet2)
        # the targets of every unit: the province, 10 districts, 130 communes (and the header)
        with zipfile.ZipFile(xlsx) as z:
            sheet4 = z.read("xl/worksheets/sheet4.xml").decode("utf-8")
        self.assertEqual(sheet4.count("<row "), 1 + 1 + 10 + 130)
        p = run(self.db, "report", "narrative", "--from", "2016-01-01", "--to", "2018-05-22", "--format", "xlsx",
                check=False)
        self.assertEqual(p.returncode, 2)


if __name__ == "__main__":
    unittest.main(verbosity=1)
