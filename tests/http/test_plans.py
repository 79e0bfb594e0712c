#!/usr/bin/env python3
"""The API of plans (docs/PLANS.md) against the real `coso serve`.

The hand-made registry with the resolutions of tests/cases/plans: the API must
answer exactly the CLI's JSON (whose figures tests/cli/test_plans.py works out
by hand), limit a user with a scope to it, and give the documents.
"""
import base64
import io
import os
import shutil
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import test_api as base  # noqa: E402  (the server harness)

PLANS = os.path.join(HERE, "..", "cases", "plans")


class Plans(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="coso-http-plans-")
        cls.db = os.path.join(cls.tmp, "r.db")
        base.run("import", base.HANDMADE, db=cls.db)
        base.run("import", PLANS, db=cls.db)
        base.add_user(cls.db, base.ADMIN, "admin")
        base.add_user(cls.db, "ba", "district", scope="002")
        cls.srv = base.Server(cls.db)
        cls.srv.sign_in()

    @classmethod
    def tearDownClass(cls):
        status, err = cls.srv.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)
        if status != 0:
            raise AssertionError("coso serve exited %d: %s" % (status, err))

    def test_resolutions_with_their_targets(self):
        r = self.srv.ok("/api/v1/resolutions")["resolutions"]
        self.assertEqual([(x["code"], x["number"]) for x in r], [("R1", "01-NQ/TU"), ("R2", "01-NQ/TU")])
        self.assertEqual([t["code"] for t in r[0]["targets"]], ["R1-A", "R1-B", "R1-C", "R1-D", "R1-E"])
        self.assertEqual(r[0]["targets"][1]["indicator_label"], "thôn, bản chưa có chi bộ")

    def test_targets_are_the_cli_s_json(self):
        api = self.srv.ok("/api/v1/reports/targets", resolution="R1", as_of="2017-06-30")
        cli = base.cli_report(self.db, "targets", "--resolution", "R1", "--as-of", "2017-06-30")
        self.assertEqual(api, cli)
        api = self.srv.ok("/api/v1/reports/targets", resolution="R1", as_of="2017-06-30", tree_as_of="2026-01-01",
                          depth=1)
        self.assertEqual([u["code"] for u in api["units"]], ["01", "00001", "00003"])

    def test_unknown_resolution_is_404_and_a_scope_outside_400(self):
        status, _, body = self.srv.get("/api/v1/reports/targets", resolution="R9")
        self.assertEqual(status, 404)
        status, _, body = self.srv.get("/api/v1/reports/targets", resolution="R1", scope="00001-01",
                                       as_of="2017-06-30")
        self.assertEqual(status, 400)
        status, _, body = self.srv.get("/api/v1/reports/targets", resolution="")
        self.assertEqual(status, 400)

    def test_without_a_resolution_the_one_in_force(self):
        # on 2017-06-30 R1 (2016-2018) is in force; on 2020-01-01 none is: R1 started last before it
        self.assertEqual(self.srv.ok("/api/v1/reports/targets", as_of="2017-06-30", depth=0)["resolution"]["code"], "R1")
        self.assertEqual(self.srv.ok("/api/v1/reports/targets", as_of="2020-01-01", depth=0)["resolution"]["code"], "R1")
        self.assertEqual(self.srv.ok("/api/v1/reports/targets", as_of="2022-01-01", depth=0)["resolution"]["code"], "R2")

    def test_a_district_user_sees_its_district(self):
        s = base.Server(self.db)
        try:
            s.sign_in("ba")
            # the user's scope (002) is read as of today: Huyện Hai is gone since 2025-07-01 and its
            # commune, Thị trấn Ba (00003), is the root of what the user sees
            r = s.ok("/api/v1/reports/targets", resolution="R1", as_of="2017-06-30")
            self.assertEqual([u["code"] for u in r["units"]], ["00003"])
            status, _, _ = s.get("/api/v1/reports/targets", resolution="R1", scope="001")
            self.assertEqual(status, 403)
        finally:
            status, err = s.stop()
            self.assertEqual(status, 0, err)

    def test_tree_as_of_in_the_reports(self):
        api = self.srv.ok("/api/v1/reports/asof", as_of="2017-06-01", scope="00001", tree_as_of="2026-01-01")
        cli = base.cli_report(self.db, "--as-of", "2017-06-01", "--scope", "00001",
                              "--tree-as-of", "2026-01-01")
        self.assertEqual(api, cli)
        self.assertEqual(api["villages"]["total"], 3)
        both = self.srv.ok("/api/v1/reports/asof", as_of="2019-01-01", compare="2017-06-01", scope="00001",
                           tree_as_of="2026-01-01")
        self.assertEqual((both["before"]["villages"]["total"], both["after"]["villages"]["total"]), (3, 3))
        self.assertEqual(both["before"]["tree_as_of"], "2026-01-01")
        flow = self.srv.ok("/api/v1/reports/flow", **{"from": "2016-01-01", "to": "2018-05-22", "scope": "00001",
                                                      "tree_as_of": "2026-01-01"})
        self.assertEqual(flow["admissions"], {"total": 1, "commune_level": 1})

    def test_narrative_json_and_documents(self):
        q = {"from": "2016-01-01", "to": "2018-05-22"}
        j = self.srv.ok("/api/v1/reports/narrative", **q)
        self.assertEqual(j["flow"]["admissions"], {"total": 3, "commune_level": 2})
        text = "\n".join(p["text"] for p in j["paragraphs"])
        self.assertIn("Nghị quyết số 01-NQ/TU ngày 15/03/2016", text)
        d = self.srv.ok("/api/v1/reports/narrative", format="fodt", **q)
        self.assertEqual(d["filename"], "bao-cao.fodt")
        root = ET.fromstring(d["content"].encode("utf-8"))
        self.assertTrue(root.tag.endswith("document"))
        x = self.srv.ok("/api/v1/reports/narrative", format="xlsx", **q)
        self.assertEqual(x["encoding"], "base64")
        with zipfile.ZipFile(io.BytesIO(base64.b64decode(x["content"]))) as z:
            self.assertIn("xl/workbook.xml", z.namelist())
        status, _, _ = self.srv.get("/api/v1/reports/narrative", format="pdf", **q)
        self.assertEqual(status, 400)


if __name__ == "__main__":
    unittest.main(verbosity=1)
