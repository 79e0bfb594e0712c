#!/usr/bin/env python3
"""The plans of a member list give the same pages (src/db/store_api.c).

A list of members (GET /api/v1/members) is answered by one of five plans:
walking the sort order, reading the full-text matches in their rowid order
(the name order), walking the members a limited reader may see in name
order, the set of the scope's members, or the set of the full-text matches,
chosen by how many candidates each side has.
Each plan applies every filter, so each must give the same rows in the same
order. This test imports the Điện Biên demo (57,040 members) and asks the
same lists of servers: one choosing by itself, and one forced to each
plan run to its end (COSO_MEMBERS_PLAN=walk|ordered|access|scope|words), and one choosing
by itself whose walks all give up at once (COSO_MEMBERS_BUDGET=1), so that
the plans taken after a walk answer. Items must be
identical; the forced plans' totals exact and equal; the chosen plan's
total exact and equal to them, or (total_exact false) a number the list
is longer than, at least the rows up to the end of the page less one. As the administrator (no
reader scope), a district user and a commune clerk (the reader's scope is
a filter of its own).
"""
import itertools
import os
import shutil
import sqlite3
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import test_api  # noqa: E402  (the Server class and the helpers)

DEMO = os.path.join(HERE, "..", "..", "data", "demo", "dien-bien")
AHEAD = 100  # rows counted past the page (COSO_MEMBERS_AHEAD)
PLANS = ["", "walk", "ordered", "access", "scope", "words", "tight"]
USERS = [("admin", "admin", None), ("huyen", "district", "100"), ("xa", "clerk", "03124")]

# words: common and rare names, several words, an id prefix, nothing
WORDS = [None, "nguyen", "thi", "lo van", "mua a", "a", "DV0001", "zzzq", "ngu th"]
SCOPES = [None, "11", "100", "03124"]
ORGS = [None, "DB100"]
DAYS = ["2018-05-22", "2026-01-01", "2005-06-30"]
SORTS = ["name", "-name", "admitted_on", "-admitted_on", "id"]


def requests():
    """A deterministic sample of the combinations (every value of each axis
    appears, with varied partners), and some pages further on."""
    out = []
    axes = [WORDS, SCOPES, ORGS, DAYS, SORTS, ["active", "all"]]
    for i, combo in enumerate(itertools.product(*axes)):
        if i % 23:
            continue
        q, scope, org, day, sort, status = combo
        params = {"as_of": day, "sort": sort, "status": status, "per_page": 7, "page": 1 + i % 3}
        if q:
            params["q"] = q
        if scope:
            params["scope"] = scope
        if org:
            params["org"] = org
        out.append(params)
    out += [{"q": "nguyen", "per_page": 50, "page": 30}, {"per_page": 100, "page": 40},
            {"q": "thi", "sort": "-name", "per_page": 500, "page": 2}]
    return out


class MemberPlans(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="coso-plans-")
        cls.db = os.path.join(cls.tmp, "demo.db")
        test_api.run("import", DEMO, db=cls.db)
        for name, role, scope in USERS:
            test_api.add_user(cls.db, name, role, scope)
        cls.servers = {}
        base_env = test_api.ENV
        try:
            for plan in PLANS:
                # "tight": choosing by itself, but every walk gives up after one
                # tick, so the plans after it answer
                test_api.ENV = dict(base_env, COSO_MEMBERS_PLAN="" if plan == "tight" else plan,
                                    COSO_MEMBERS_BUDGET="1" if plan == "tight" else "")
                cls.servers[plan] = test_api.Server(cls.db)
        finally:
            test_api.ENV = base_env

    @classmethod
    def tearDownClass(cls):
        for plan, srv in cls.servers.items():
            status, err = srv.stop()
            if status != 0:
                raise AssertionError("server %r exited %d:\n%s" % (plan, status, err))
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def answers(self, user, params):
        """Each server's answer; None when the reader may not ask (a scope or
        organization outside its own: 403 from every server alike)."""
        got, statuses = {}, set()
        for plan, srv in self.servers.items():
            srv.sign_in(user, test_api.PASSWORD)
            status, _, body = srv.get("/api/v1/members", **params)
            statuses.add(status)
            self.assertIn(status, (200, 403), "%s %s %r: %r" % (plan or "auto", user, params, body))
            got[plan] = body
        self.assertEqual(len(statuses), 1, "%s %r" % (user, params))
        return got if statuses == {200} else None

    def test_every_plan_gives_the_same_page(self):
        checked = lists_with_rows = 0
        for user, _, _ in USERS:
            for params in requests():
                got = self.answers(user, params)
                if got is None:
                    continue
                where = "%s %r" % (user, params)
                exact = got["walk"]["total"]
                for plan in ("walk", "ordered", "access", "scope", "words"):
                    self.assertTrue(got[plan]["total_exact"], where)
                    self.assertEqual(got[plan]["total"], exact, "%s: %s" % (plan, where))
                    self.assertEqual([m["id"] for m in got[plan]["items"]],
                                     [m["id"] for m in got["walk"]["items"]], "%s: %s" % (plan, where))
                for auto in (got[""], got["tight"]):
                    self.assertEqual(auto["items"], got["walk"]["items"], where)
                    if auto["total_exact"]:
                        self.assertEqual(auto["total"], exact, where)
                    else:
                        shown = (params.get("page", 1) - 1) * params.get("per_page", 50) + len(auto["items"])
                        # "more than total": at least the rows up to the end of the page
                        self.assertGreaterEqual(auto["total"], shown - 1, where)
                        self.assertLess(auto["total"], exact, where)
                auto = got[""]
                checked += 1
                lists_with_rows += bool(auto["items"])
        # the sample is not mostly empty lists
        self.assertGreater(lists_with_rows, checked // 2)

    def test_a_long_list_is_counted_only_so_far(self):
        srv = self.servers[""]
        srv.sign_in("admin", test_api.PASSWORD)
        for q in (None, "nguyen"):  # the walk; the full-text matches in order
            params = {"as_of": "2018-05-22", "per_page": 20}
            if q:
                params["q"] = q
            body = srv.ok("/api/v1/members", **params)
            self.assertFalse(body["total_exact"])
            self.assertEqual(body["total"], 20 + AHEAD)
            exact = self.servers["walk"]
            exact.sign_in("admin", test_api.PASSWORD)
            self.assertGreater(exact.ok("/api/v1/members", **params)["total"], 20 + AHEAD)

    def test_the_bulk_filled_search_index_is_the_schema_s_and_sound(self):
        """The import fills member_search without its triggers and sort
        index and makes them again: they must be the migration's, and the
        full-text index must match its rows."""
        def objects(path):
            with sqlite3.connect(path) as db:
                return db.execute("SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'member_search'"
                                  " ORDER BY type, name").fetchall()
        fresh = os.path.join(self.tmp, "fresh.db")
        test_api.add_user(fresh, "someone", "admin")   # makes the database, with no member
        self.assertEqual(objects(self.db), objects(fresh))
        self.assertEqual(len([o for o in objects(fresh) if o[0] == "trigger"]), 3)
        with sqlite3.connect(self.db) as db:
            db.execute("INSERT INTO member_fts (member_fts) VALUES ('integrity-check')")
            self.assertEqual(db.execute("SELECT count(*) FROM member_search").fetchone()[0],
                             db.execute("SELECT count(*) FROM member").fetchone()[0])

    def test_pages_past_the_first_ten_thousand_rows_are_refused(self):
        srv = self.servers[""]
        srv.sign_in("admin", test_api.PASSWORD)
        status, _, body = srv.get("/api/v1/members", per_page=50, page=201)
        self.assertEqual(status, 400, body)
        self.assertIn("first 10000", body["detail"])
        self.assertEqual(srv.get("/api/v1/members", per_page=50, page=200)[0], 200)


if __name__ == "__main__":
    unittest.main()
