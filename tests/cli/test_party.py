#!/usr/bin/env python3
"""Black-box tests of party work on the command line (docs/PARTY.md): the
registers candidates.csv and probation_reviews.csv in `coso import` (all or
nothing, FILE:LINE: column: messages) and `coso export`, and `coso party due`
/ `coso party candidates` on hand-worked days.

The registry is tests/cases/handmade with the two register files below.
Working days: the day of the event is not counted; Saturdays, Sundays and
holidays are not working days (docs/CALENDAR.md).
"""
import json
import os
import shutil
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from test_registry import HANDMADE, run  # noqa: E402

CAND_HEADER = ("id,full_name,gender,birth_date,ethnicity,org_code,residence_code,proposed_on,course_on,course_by,"
               "verified_on,verified_by,voted_on,decided_on,decided_by,decision_no,ceremony_on,member_id,"
               "age_exception,dropped_on,drop_reason")
# C1: decided Friday 10/1/2025, no ceremony yet: due by Friday 28/2/2025 (13-17/1, 20-24/1, Tết Ất Tỵ
#     27-31/1 off, 3-7/2, 10-14/2, 17-21/2, 24-28/2: 30 working days).
# C2: voted Monday 1/7/2024, no decision: due by Wednesday 25/9/2024 (60 working days, 2-3/9 Quốc khánh).
# C3: admitted as M5 on 22/5/2018 (M5's admission in members.csv), decided on 2/5/2018 (Wednesday): the
#     ceremony was due by 13/6/2018 (3-4/5, 7-11/5, 14-18/5, 21-25/5, 28/5-1/6, 4-8/6, 11-13/6): on time.
# C4: dropped.
CANDIDATES = CAND_HEADER + '''
C1,Lò Thị Mai,female,2000-04-10,Thái,CV11,00001-01,2024-09-02,2024-08-15,Trung tâm Chính trị,2024-10-15,Đảng uỷ xã,2024-11-04,2025-01-10,OC1,15-QĐ/ĐU,,,,,
C2,Lường Văn Ánh,male,1999-02-01,Thái,CV11,,2024-03-01,2024-02-20,,2024-05-10,,2024-07-01,,,,,,,,
C3,Giàng A Páo,male,1998-12-01,Mông,CS3,,2017-09-01,2017-08-10,,2017-12-01,,2018-03-05,2018-05-02,OC3,,2018-05-22,M5,,,
C4,"Vì Thị ""Hoa""",female,2001-06-06,Thái,CV11,,2024-03-01,,,,,,,,,,,,2024-06-01,chuyển đi nơi khác
'''
# M2 (admitted 1/6/2016): 12 months to Thursday 1/6/2017; review due by Thursday 13/7/2017 (2/6, 5-9/6,
# 12-16/6, 19-23/6, 26-30/6, 3-7/7, 10-13/7: 30 working days); decided 20/6/2017: on time.
REVIEWS = """member_id,reviewed_on,decided_on,decided_by,decision_no,outcome
M2,2017-06-05,2017-06-20,OC2,,recognised
"""


class PartyCli(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="coso-party-cli-")
        self.dir = os.path.join(self.tmp, "reg")
        shutil.copytree(HANDMADE, self.dir)
        self.write("candidates.csv", CANDIDATES)
        self.write("probation_reviews.csv", REVIEWS)
        self.db = os.path.join(self.tmp, "r.db")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def write(self, name, text):
        with open(os.path.join(self.dir, name), "w", encoding="utf-8") as f:
            f.write(text)

    def due(self, as_of, *more):
        out = run("party", "due", "--as-of", as_of, "--format", "json", *more, db=self.db).stdout
        d = json.loads(out)
        return {k: [(x["id"], x["kind"], x["deadline"]) for x in d[k]] for k in ("due", "overdue", "late")}

    def test_import_export_and_import_again_gives_the_same_files(self):
        run("import", self.dir, db=self.db)
        out = os.path.join(self.tmp, "out")
        run("export", out, db=self.db)
        for name, text in (("candidates.csv", CANDIDATES), ("probation_reviews.csv", REVIEWS)):
            with open(os.path.join(out, name), encoding="utf-8") as f:
                self.assertEqual(f.read(), text.lstrip("\n") if name != "candidates.csv" else text, name)
        # importing twice changes nothing
        run("import", self.dir, db=self.db)
        out2 = os.path.join(self.tmp, "out2")
        run("export", out2, db=self.db)
        for name in os.listdir(out):
            with open(os.path.join(out, name), "rb") as a, open(os.path.join(out2, name), "rb") as b:
                self.assertEqual(a.read(), b.read(), name)

    def test_the_lists_on_hand_worked_days(self):
        run("import", self.dir, db=self.db)
        # 1/9/2024: C2's decision is due (its period opened on the vote); M3 (admitted 22/5/2017, never
        # reviewed) overdue since 3/7/2018, M5 (22/5/2018) since 3/7/2019
        self.assertEqual(self.due("2024-09-01"), {
            "due": [("C2", "decision", "2024-09-25")],
            "overdue": [("M3", "review", "2018-07-03"), ("M5", "review", "2019-07-03")], "late": []})
        # the last day, and the day after
        self.assertEqual(self.due("2024-09-25")["due"], [("C2", "decision", "2024-09-25")])
        self.assertIn(("C2", "decision", "2024-09-25"), self.due("2024-09-26")["overdue"])
        # C1's ceremony across Tết
        d = self.due("2025-02-28")
        self.assertEqual(d["due"], [("C1", "ceremony", "2025-02-28")])
        self.assertIn(("C1", "ceremony", "2025-02-28"), self.due("2025-03-01")["overdue"])
        # 2018: C3's ceremony met on time, M3's review due from 22/5/2018 (this month)
        d = self.due("2018-05-22")
        self.assertEqual(d, {"due": [("M3", "review", "2018-07-03")], "overdue": [], "late": []})
        # --org: only the cell CV11 (C1, C2)
        self.assertEqual(self.due("2024-09-01", "--org", "CV11")["overdue"], [])
        self.assertEqual(self.due("2024-09-01", "--org", "OC3")["due"], [])

    def test_text_is_in_vietnamese(self):
        run("import", self.dir, db=self.db)
        text = run("party", "due", "--as-of", "2025-03-01", db=self.db).stdout
        self.assertIn("việc theo thời hạn ngày 01/03/2025", text)
        self.assertIn("Quá hạn: 4", text)  # M3, M5, C2, C1
        self.assertIn("hạn 28/02/2025  Lễ kết nạp", text)
        text = run("party", "candidates", "--as-of", "2025-03-01", db=self.db).stdout
        self.assertIn("Lễ kết nạp hạn 28/02/2025 (quá hạn)", text)
        self.assertIn("Tổng số: 2", text)   # C1, C2: C3 admitted, C4 dropped
        text = run("party", "candidates", "--as-of", "2025-03-01", "--all", db=self.db).stdout
        self.assertIn("Tổng số: 4", text)
        self.assertIn("Dừng xem xét", text)

    def test_badges_in_vietnamese_and_csv(self):
        run("import", self.dir, db=self.db)
        text = run("party", "badges", "--as-of", "2039-11-08", db=self.db).stdout
        self.assertIn("Huy hiệu Đảng dịp 03/02/2040 (đủ tuổi đảng sau dịp 07/11/2039 đến ngày đó)", text)
        self.assertIn("30 năm  M1", text)
        self.assertIn("vào Đảng 01/01/2010, đủ 30 năm ngày 01/01/2040", text)
        self.assertIn("Tổng số: 1 được tặng, 0 có thể xét tặng sớm", text)
        out = run("party", "badges", "--as-of", "2039-11-07", "--format", "csv", db=self.db).stdout
        self.assertEqual(out, "list,years,id,full_name,org_code,admitted_on,anniversary\n"
                              "early,30,M1,Lò Văn Thắng,CV11,2010-01-01,2040-01-01\n")

    def test_transfers_register(self):
        # M2 moved from CV21 to CV11 on 1/2/2018 (member_periods.csv): the letter on 19/1, presented on 1/2;
        # M4 left on 1/1/2018 transferred_out; M5 away to study for 2 years from 1/6/2018
        header = "id,member_id,kind,from_org,to_org,destination,purpose,decided_on,letter_on,presented_on,until,returned_on\n"
        good = header + ("T1,M2,official,CV21,CV11,,,2018-01-02,2018-01-19,2018-02-01,,\n"
                         "T2,M4,out,CV32,,Tỉnh Sơn La,,2017-12-01,2018-01-01,,,\n"
                         "T3,M5,temporary,CS3,CA1,,study,2018-05-25,2018-06-01,2018-06-05,2020-06-01,\n")
        self.write("transfers.csv", good)
        run("import", self.dir, db=self.db)
        out = os.path.join(self.tmp, "out")
        run("export", out, db=self.db)
        with open(os.path.join(out, "transfers.csv"), encoding="utf-8") as f:
            self.assertEqual(f.read(), good)
        # T3's return is overdue from 2/6/2020; T1 was presented 9 working days after its letter: on time
        d = self.due("2020-06-02")
        self.assertIn(("M5", "return", "2020-06-01"), d["overdue"])
        self.assertEqual([x for x in d["late"] if x[0] == "M2"], [])
        self.write("transfers.csv", header + (
            "T1,M2,official,CV21,CV11,,,2018-01-02,2018-01-19,2018-02-02,,\n"
            "T2,M4,out,CV32,,,,2017-12-01,2018-01-01,,,\n"
            "T3,M5,temporary,CS3,CA1,,work,2018-05-25,2018-06-01,,2019-06-01,\n"
            "T4,M1,temporary,CV11,CA1,,,2018-05-25,2018-06-01,,2018-09-01,\n"
            "T5,M1,official,CV21,CA1,,,2018-05-25,2018-06-01,,,\n"))
        p = run("import", self.dir, db=os.path.join(self.tmp, "bad.db"), check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("transfers.csv:3: destination: is required for a transfer out", p.stderr)
        self.assertIn("transfers.csv:4: until: 2019-06-01 is a year or more after letter_on (2019-06-01)", p.stderr)
        self.assertIn("transfers.csv:5: purpose: is required for a temporary transfer", p.stderr)
        self.write("transfers.csv", header + (
            "T1,M2,official,CV21,CV11,,,2018-01-02,2018-01-19,2018-02-02,,\n"
            "T5,M1,official,CV21,CA1,,,2018-05-25,2018-06-01,,,\n"))
        p = run("import", self.dir, db=os.path.join(self.tmp, "bad.db"), check=False)
        self.assertIn("transfers.csv:2: presented_on: member M2 is not in CV11 from 2018-02-02", p.stderr)
        self.assertIn("transfers.csv:3: from_org: member M1 is not in CV21 on 2018-06-01 (letter_on)", p.stderr)

    def test_ratings_register_and_report(self):
        # 2019: M1 excellent and M2 good in OC1's cell CV11 (over the 20%); M3 good in the grassroots cell CA1
        header = "id,year,kind,subject,level,score,rated_on,rated_by\n"
        self.write("ratings.csv", header + ("R1,2019,member,M1,excellent,,2019-12-20,CV11\n"
                                            "R2,2019,member,M2,good,,2019-12-20,CV11\n"
                                            "R3,2019,member,M3,good,,2019-12-20,CA1\n"
                                            "R4,2019,org,CV11,good,,2019-12-20,OC1\n"))
        run("import", self.dir, db=self.db)
        text = run("party", "ratings", "--year", "2019", db=self.db).stdout
        self.assertIn("Đánh giá, xếp loại chất lượng năm 2019", text)
        self.assertIn("Hoàn thành xuất sắc nhiệm vụ          1  33,3%", text)
        self.assertIn("Đảng bộ xã Một (OC1): 1 xuất sắc, 1 tốt: tối đa 0", text)
        self.assertIn("1 trên 2 tổ chức cơ sở đảng", text)
        self.write("ratings.csv", header + ("R1,2025,member,M1,excellent,85,2025-12-20,CV11\n"
                                            "R2,2018,member,M5,good,,2018-11-21,CS3\n"
                                            "R3,2019,member,M3,good,,2019-12-20,CA1\n"
                                            "R4,2019,member,M3,done,,2019-12-21,CA1\n"))
        p = run("import", self.dir, db=os.path.join(self.tmp, "bad.db"), check=False)
        self.assertIn("ratings.csv:2: level: 'excellent' does not agree with the score 85, which gives 'good'", p.stderr)
        self.write("ratings.csv", header + ("R2,2018,member,M5,good,,2018-11-21,CS3\n"
                                            "R3,2019,member,M3,good,,2019-12-20,CA1\n"
                                            "R4,2019,member,M3,done,,2019-12-21,CA1\n"))
        p = run("import", self.dir, db=os.path.join(self.tmp, "bad.db"), check=False)
        self.assertIn("ratings.csv:2: subject: member M5 was admitted on 2018-05-22, less than 6 months before"
                      " 2018-11-21", p.stderr)
        self.assertIn("ratings.csv:3: subject: member M3 is also rated for 2019 by R4", p.stderr)

    def test_badges_awarded_register(self):
        header = "id,member_id,years,awarded_on,decision_no,early\n"
        # M1 (admitted 1/1/2010): 30 years on 1/1/2040, awarded at the ceremony of 3/2/2040
        self.write("badges.csv", header + "B1,M1,30,2040-02-03,12-QĐ/TU,\n")
        run("import", self.dir, db=self.db)
        self.assertIn("Tổng số: 0 được tặng", run("party", "badges", "--as-of", "2039-11-08", db=self.db).stdout)
        self.write("badges.csv", header + "B1,M1,35,2040-02-03,,\nB2,M2,30,2040-02-03,,\nB3,M1,30,2039-11-07,,\n")
        p = run("import", self.dir, db=os.path.join(self.tmp, "bad.db"), check=False)
        self.assertIn("badges.csv:2: years: '35' is not a badge", p.stderr)
        self.write("badges.csv", header + "B2,M2,30,2040-02-03,,\nB3,M1,30,2039-11-07,,\n")
        p = run("import", self.dir, db=os.path.join(self.tmp, "bad.db"), check=False)
        self.assertIn("badges.csv:2: awarded_on: the member has 30 years of party age on 2046-06-01", p.stderr)
        self.assertIn("badges.csv:3: awarded_on: the member has 30 years of party age on 2040-01-01", p.stderr)

    def test_bad_rows_are_reported_and_nothing_is_imported(self):
        self.write("candidates.csv", CAND_HEADER + """
C1,Lò Thị Mai,female,2000-04-10,Thái,CV11,,2024-09-02,2024-08-15,,2024-10-15,,2024-11-04,2024-11-01,OC1,,,,,,
C2,Lường Văn Ánh,male,2006-11-06,Thái,CV11,,2024-03-01,2024-02-20,,2024-05-10,,2024-11-05,,,,,,,,
C5,A,male,2000-01-01,Thái,CV11,,2024-02-30,,,,,,,,,,,,,
""")
        p = run("import", self.dir, db=self.db, check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("candidates.csv:2: decided_on: 2024-11-01 is before voted_on (2024-11-04)", p.stderr)
        self.assertIn("candidates.csv:3: voted_on: the candidate is 17 years 11 months old on 2024-11-05", p.stderr)
        self.assertIn("candidates.csv:4: proposed_on: '2024-02-30' is not a date that exists", p.stderr)
        self.assertFalse(os.path.exists(self.db))
        # the register's checks against the registry, with the lines found again
        self.write("candidates.csv", CAND_HEADER + """
C1,Lò Thị Mai,female,2000-04-10,Thái,ZZ,,2024-09-02,,,,,,,,,,,,,
C3,Giàng A Páo,male,1998-12-01,Mông,CS3,,2017-09-01,2017-08-10,,2017-12-01,,2018-03-05,2018-05-02,OC3,,2018-05-23,M5,,,
""")
        self.write("probation_reviews.csv", """member_id,reviewed_on,decided_on,decided_by,decision_no,outcome
M2,2017-05-30,2017-06-20,OC2,,recognised
M3,2018-06-01,2018-06-20,OC3,,recognised
""")
        p = run("import", self.dir, db=self.db, check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("candidates.csv:2: org_code: organization ZZ does not exist on 2024-09-02", p.stderr)
        self.assertIn("candidates.csv:3: ceremony_on: member M5 was admitted on 2018-05-22, not on the ceremony's"
                      " day 2018-05-23", p.stderr)
        self.assertIn("probation_reviews.csv:2: reviewed_on: 2017-05-30 is before the end of the 12 months of"
                      " probation (2017-06-01)", p.stderr)
        self.assertIn("probation_reviews.csv:3: outcome: member M3 is recognised but has no official_on", p.stderr)
        self.assertFalse(os.path.exists(self.db))


if __name__ == "__main__":
    unittest.main()
