#!/usr/bin/env python3
"""The server's cache of answers (src/http/cache.h) never serves a stale or
another reader's answer.

The answers of the report routes and of the member list are kept, keyed by
the registry's version (the audit log's head), the reader, today and the
request. On the hand-made registry (tests/cases/handmade), against the same
database served with the cache (the default) and without it
(COSO_CACHE=0):
- every answer of a set of requests, asked twice, is the same with and
  without the cache;
- a change through the API (an admission) shows at once in the report and
  the list asked before it, and so does an import by the command line while
  the server runs (another process: only the version tells);
- two readers asking the same path get each their own answer (a commune
  clerk's default scope is not the administrator's).
"""
import copy
import os
import shutil
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import test_api  # noqa: E402  (the Server class and the helpers)

REQUESTS = [
    ("/api/v1/reports/asof", {"as_of": "2019-06-01"}),
    ("/api/v1/reports/asof", {"as_of": "2019-06-01", "scope": "00001"}),
    ("/api/v1/reports/asof", {"as_of": "2016-01-01", "compare": "2015-01-01"}),
    ("/api/v1/reports/flow", {"from": "2016-01-01", "to": "2019-12-31"}),
    ("/api/v1/reports/timeline", {"from": "2015-01-01", "to": "2020-01-01", "step": "year"}),
    ("/api/v1/reports/admissions", {"from": "2015-01-01", "to": "2020-12-31", "step": "year"}),
    ("/api/v1/members", {"as_of": "2019-06-01"}),
    ("/api/v1/members", {"as_of": "2019-06-01", "q": "lo"}),
    ("/api/v1/members", {"as_of": "2019-06-01", "sort": "-name", "per_page": 2, "page": 2}),
]


class Cache(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="coso-cache-")
        cls.db = os.path.join(cls.tmp, "r.db")
        test_api.run("import", test_api.HANDMADE, db=cls.db)
        test_api.add_user(cls.db, test_api.ADMIN, "admin")
        test_api.add_user(cls.db, "xa", "clerk", "00001")
        base = test_api.ENV
        try:
            test_api.ENV = dict(base, COSO_CACHE="1")
            cls.cached = test_api.Server(cls.db)
            test_api.ENV = dict(base, COSO_CACHE="0")
            cls.plain = test_api.Server(cls.db)
        finally:
            test_api.ENV = base
        cls.cached.sign_in()
        cls.plain.sign_in()

    @classmethod
    def tearDownClass(cls):
        for srv in (cls.cached, cls.plain):
            status, err = srv.stop()
            if status != 0:
                raise AssertionError("server exited %d:\n%s" % (status, err))
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def both(self, path, params):
        a = self.cached.get(path, **params)
        b = self.plain.get(path, **params)
        self.assertEqual(a[0], b[0], "%s %r" % (path, params))
        self.assertEqual(a[2], b[2], "%s %r" % (path, params))
        return a[2]

    def test_1_answers_are_the_same_with_and_without_the_cache(self):
        for path, params in REQUESTS:
            first = self.both(path, params)
            self.assertEqual(self.both(path, params), first)

    def test_2_a_change_through_the_api_shows_at_once(self):
        report = ("/api/v1/reports/asof", {"as_of": "2019-06-01", "scope": "00001"})
        members = ("/api/v1/members", {"as_of": "2019-06-01", "q": "dang thi"})
        before = self.both(*report)["members"]["total"]
        self.assertEqual(self.both(*members)["total"], 0)
        status, _, body = self.cached.post("/api/v1/members", {
            "id": "C7", "full_name": "Đặng Thị Ánh", "gender": "female", "birth_date": "1995-01-01",
            "ethnicity": "Kinh", "admitted_on": "2019-03-01", "org_code": "CV11", "residence_code": "00001-01"})
        self.assertEqual(status, 201, body)
        self.assertEqual(self.both(*report)["members"]["total"], before + 1)
        self.assertEqual([m["id"] for m in self.both(*members)["items"]], ["C7"])

    def test_3_an_import_by_another_process_shows_at_once(self):
        report = ("/api/v1/reports/asof", {"as_of": "2019-06-01", "scope": "00001"})
        before = self.both(*report)["members"]["total"]
        folder = os.path.join(self.tmp, "more")
        os.mkdir(folder)
        with open(os.path.join(folder, "members.csv"), "w", encoding="utf-8") as f:
            f.write("id,full_name,gender,birth_date,ethnicity,admitted_on,official_on,ended_on,end_reason\n"
                    "C8,Lò Văn Tám,male,1990-01-01,Thái,2019-04-01,,,\n")
        with open(os.path.join(folder, "member_periods.csv"), "w", encoding="utf-8") as f:
            f.write("member_id,valid_from,valid_to,org_code,residence_code\nC8,2019-04-01,,CV11,00001-01\n")
        test_api.run("import", folder, db=self.db)
        self.assertEqual(self.both(*report)["members"]["total"], before + 1)

    def test_4_each_reader_gets_its_own_answer(self):
        whole = self.cached.ok("/api/v1/reports/asof", as_of="2019-06-01")
        other = copy.copy(self.cached)   # the same server, another session
        other.sign_in("xa")
        district = other.ok("/api/v1/reports/asof", as_of="2019-06-01")
        self.assertNotEqual(district["scope"], whole["scope"])
        self.assertEqual(self.cached.ok("/api/v1/reports/asof", as_of="2019-06-01"), whole)


if __name__ == "__main__":
    unittest.main()
