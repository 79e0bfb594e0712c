#!/usr/bin/env python3
"""Black-box tests of /api/v1/cadres/... (docs/CADRES.md) against the real
`coso serve`, on the hand-worked case tests/cases/cadres over
tests/cases/handmade: the summary is the CLI's JSON, the posts of a commune,
the statuses of bad requests, and the user's scope (a clerk of 00003).

Run by ctest with COSO set to the binary under test.
"""
import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from test_api import Server, ServerCase, add_user, run  # noqa: E402

CADRES = os.path.join(HERE, "..", "cases", "cadres")


class Cadres(ServerCase):
    """The handmade registry served (ServerCase), then the cadre files imported."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        run("import", CADRES, db=cls.db)
        add_user(cls.db, "xa", "clerk", "00003")
        cls.clerk = Server.__new__(Server)
        cls.clerk.__dict__.update(cls.server.__dict__)
        cls.clerk.sign_in("xa")

    def test_summary_is_the_clis_json(self):
        args = {"from": "2016-01-01", "to": "2018-05-22", "scope": "01"}
        got = self.server.ok("/api/v1/cadres/summary", **args)
        cli = json.loads(run("cadres", "report", "--from", "2016-01-01", "--to", "2018-05-22", "--scope", "01",
                             "--format", "json", db=self.db).stdout)
        self.assertEqual(got, cli)
        self.assertEqual(got["training"]["political_theory"]["people"], 3)
        self.assertEqual((got["standards"]["holdings"], got["standards"]["meeting"]), (6, 2))

    def test_training_records_page_by_page(self):
        q = {"from": "2016-01-01", "to": "2018-05-22", "scope": "01", "per_page": 3}
        first = self.server.ok("/api/v1/cadres/training", **q)
        self.assertEqual((first["total"], first["page"], first["per_page"], len(first["items"])), (7, 1, 3, 3))
        self.assertEqual(first["items"][0]["unit"], {"code": "00001", "name": "Xã Một"})
        last = self.server.ok("/api/v1/cadres/training", page=3, **q)
        self.assertEqual([(i["person_id"], i["kind"], i["started_on"]) for i in last["items"]],
                         [("P2", "short_course", "2018-05-22")])
        only = self.server.ok("/api/v1/cadres/training", kind="political_theory", **q)
        self.assertEqual(only["total"], 3)
        status, _, _ = self.server.get("/api/v1/cadres/training", kind="retreat")
        self.assertEqual(status, 400)
        got = self.clerk.ok("/api/v1/cadres/training", **{"from": "2016-01-01", "to": "2018-05-22"})
        self.assertEqual([i["person_id"] for i in got["items"]], ["P5"])

    def test_posts_of_a_commune(self):
        got = self.server.ok("/api/v1/cadres/posts", unit="00001", as_of="2017-06-01")
        self.assertEqual(got["unit"], {"code": "00001", "name": "Xã Một", "exists": True})
        self.assertEqual([(i["post"], i["person_id"], i["member_id"], i["meets_standard"]) for i in got["items"]],
                         [("party_secretary", "P1", "M1", False), ("council_chair", "P1", "M1", False),
                          ("justice_civil_status", "P2", None, True)])
        first = got["items"][0]
        self.assertEqual((first["post_label"], first["professional"], first["political_theory"],
                          first["min_professional"], first["min_political_theory"]),
                         ("Bí thư Đảng ủy", "university", None, "university", "intermediate"))
        # 00002 was merged away on 2020-01-01: the unit is named, no posts
        got = self.server.ok("/api/v1/cadres/posts", unit="00002", as_of="2021-01-01")
        self.assertEqual((got["unit"]["exists"], got["items"]), (False, []))

    def test_bad_requests(self):
        s = self.server
        for params, status in (({"from": "2018-05-22", "to": "2016-01-01"}, 400),
                               ({"from": "2016-02-30", "to": "2018-05-22"}, 400),
                               ({"from": "2016-01-01", "to": "2018-05-22", "scope": ""}, 400),
                               ({"from": "2016-01-01", "to": "2018-05-22", "scope": "99999"}, 404)):
            got, _, body = s.get("/api/v1/cadres/summary", **params)
            self.assertEqual(got, status, (params, body))
            self.assertEqual(body["status"], status)
        got, _, body = s.get("/api/v1/cadres/posts", unit="99999")
        self.assertEqual(got, 404, body)
        # without dates: 1 January of this year to today; without a unit (an
        # administrator has no scope): no posts
        body = s.ok("/api/v1/cadres/summary")
        self.assertEqual(body["from"], body["to"][:4] + "-01-01")
        self.assertEqual(s.ok("/api/v1/cadres/posts")["items"], [])
        self.assertIsNone(s.ok("/api/v1/cadres/posts")["unit"])

    def test_a_clerk_sees_the_clerks_commune(self):
        c = self.clerk
        got = c.ok("/api/v1/cadres/summary", **{"from": "2016-01-01", "to": "2018-05-22"})
        self.assertEqual(got["scope"]["code"], "00003")
        self.assertEqual(got["training"]["political_theory"]["people"], 1)  # P5
        self.assertEqual([x["code"] for x in got["standards"]["communes"]], ["00003"])
        status, _, _ = c.get("/api/v1/cadres/summary", **{"from": "2016-01-01", "to": "2018-05-22", "scope": "01"})
        self.assertEqual(status, 403)
        status, _, _ = c.get("/api/v1/cadres/posts", unit="00001")
        self.assertEqual(status, 403)
        self.assertEqual(len(c.ok("/api/v1/cadres/posts", unit="00003", as_of="2018-05-22")["items"]), 2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
