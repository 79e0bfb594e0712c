#!/usr/bin/env python3
"""The demo province (data/demo/dien-bien) must reproduce the article.

Imports the committed demo registry with the real coso and checks every
figure the article of 22 May 2018 gives (see data/demo/dien-bien/README.md),
the 2020 and 2025 reorganizations, and that the generator still makes exactly
the committed files.
"""
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
DEMO = os.path.join(ROOT, "data", "demo", "dien-bien")
COSO = os.environ.get("COSO", os.path.join(ROOT, "build", "coso"))


def coso(db, *args):
    p = subprocess.run([COSO, "--db", db] + list(args), capture_output=True, text=True)
    if p.returncode != 0:
        raise AssertionError("coso %s failed: %s" % (" ".join(args), p.stderr))
    return p.stdout


class Demo(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="coso-demo-")
        cls.db = os.path.join(cls.tmp, "demo.db")
        coso(cls.db, "import", DEMO)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def asof(self, day, *extra):
        return json.loads(coso(self.db, "report", "--as-of", day, "--scope", "11", "--format", "json", *extra))

    def flow(self, a, b):
        return json.loads(coso(self.db, "report", "--from", a, "--to", b, "--scope", "11", "--format", "json"))

    def test_the_province_on_the_article_day(self):
        r = self.asof("2018-05-22")
        self.assertEqual(r["scope"], {"code": "11", "name": "Tỉnh Điện Biên"})
        # "1.601/1.813 thôn bản có chi bộ ... 21/1.813 bản" (white villages)
        self.assertEqual(r["villages"], {"total": 1813, "with_org": 1601, "without_org": 212, "without_member": 21})
        # "10 đơn vị hành chính cấp huyện, có 130 xã, phường, thị trấn (116 xã, 9 phường và 5 thị trấn);
        #  trong đó có 29 xã biên giới; 101 xã và 1.146/1.813 thôn, bản đặc biệt khó khăn"
        u = r["units"]
        self.assertEqual((u["districts"], u["communes"]), (10, 130))
        self.assertEqual(u["communes_by_kind"], {"xã": 116, "phường": 9, "thị trấn": 5, "other": 0})
        self.assertEqual((u["border_communes"], u["difficult_communes"], u["difficult_villages"]), (29, 101, 1146))
        self.assertEqual(len(r["children"]), 10)
        # "57 vạn dân"
        self.assertTrue(560000 <= u["population"] <= 580000, u["population"])

    def test_the_start_of_2016(self):
        r = self.asof("2016-01-01")
        # "từ 95 bản xuống còn 21"; 328 villages without a cell (the article also says 327)
        self.assertEqual(r["villages"]["without_member"], 95)
        self.assertEqual(r["villages"]["without_org"], 328)

    def test_admissions_and_new_cells_since_2016(self):
        r = self.flow("2016-01-01", "2018-05-22")
        # "3.406 đảng viên mới, chiếm gần 65 %"
        self.assertEqual(r["admissions"]["commune_level"], 3406)
        share = r["admissions"]["commune_level"] / r["admissions"]["total"]
        self.assertTrue(0.64 <= share <= 0.66, share)
        # "thành lập mới 245 chi bộ thôn bản, 32 chi bộ trường học và 34 chi bộ trạm y tế"
        f = r["orgs_founded"]
        self.assertEqual((f["village"], f["school"], f["health_station"]), (245, 32, 34))

    def test_the_first_quarter_of_2018(self):
        # "riêng quý I năm 2018, cấp xã có 247/407 đảng viên mới kết nạp (chiếm 60,7%)"
        self.assertEqual(self.flow("2018-01-01", "2018-03-31")["admissions"], {"total": 407, "commune_level": 247})

    def test_the_2020_merger_and_the_2025_reform(self):
        self.assertEqual(self.asof("2020-06-01")["units"]["communes"], 129)  # NQ 815/NQ-UBTVQH14
        r = self.asof("2026-01-01")
        self.assertEqual(r["units"]["districts"], 0)
        self.assertEqual(r["units"]["communes"], 45)
        self.assertEqual(r["units"]["communes_by_kind"]["xã"], 42)
        self.assertEqual(len(r["children"]), 45)  # directly under the province
        self.assertEqual(r["villages"]["total"], r["units"]["villages"])

    def test_the_text_report_speaks_vietnamese_numbers(self):
        out = coso(self.db, "report", "--as-of", "2018-05-22", "--compare", "2016-01-01", "--scope", "11")
        for s in ("1.813", "1.601", "88,3%", "Huyện Điện Biên Đông", "01/01/2016", "22/05/2018"):
            self.assertIn(s, out)

    def test_the_generator_makes_exactly_the_committed_files(self):
        out = os.path.join(self.tmp, "regenerated")
        p = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "demo", "gen_dien_bien.py"), "--out", out],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        names = ["units.csv", "institutions.csv", "orgs.csv", "members.csv", "member_periods.csv"]
        match, mismatch, errors = filecmp.cmpfiles(DEMO, out, names, shallow=False)
        self.assertEqual((mismatch, errors), ([], []))


if __name__ == "__main__":
    unittest.main(verbosity=1)
