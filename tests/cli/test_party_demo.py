#!/usr/bin/env python3
"""The party-work registers of the Điện Biên demo (tools/demo/gen_party.py,
docs/PARTY.md): the generator makes exactly the committed files, coso imports
the demo with them (every check of the registers against the registry
passes), and coso gives the figures the generator says it made: candidates
per stage, members admitted through a candidate row, reviews per outcome.
"""
import collections
import csv
import filecmp
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DEMO = os.path.join(ROOT, "data", "demo", "dien-bien")
GEN = os.path.join(ROOT, "tools", "demo", "gen_party.py")
sys.path.insert(0, HERE)
from test_registry import run  # noqa: E402


class PartyDemo(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="coso-party-demo-")
        out = os.path.join(cls.tmp, "regenerated")
        p = subprocess.run([sys.executable, GEN, "--out", out, "--summary"], capture_output=True, text=True)
        if p.returncode != 0:
            raise AssertionError(p.stderr)
        cls.out = out
        cls.summary = json.loads(p.stdout)
        cls.db = os.path.join(cls.tmp, "demo.db")
        run("import", DEMO, db=cls.db)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_the_generator_makes_exactly_the_committed_files(self):
        names = ["candidates.csv", "probation_reviews.csv", "transfers.csv", "ratings.csv", "badges.csv"]
        match, mismatch, errors = filecmp.cmpfiles(DEMO, self.out, names, shallow=False)
        self.assertEqual((sorted(match), mismatch, errors), (sorted(names), [], []))

    def test_coso_gives_the_generators_figures(self):
        out = run("party", "candidates", "--as-of", "2026-09-30", "--all", "--format", "csv", db=self.db).stdout
        stages = collections.Counter(r["stage"] for r in csv.DictReader(io.StringIO(out)))
        self.assertEqual(dict(stages), self.summary["stages"])
        self.assertEqual(sum(stages.values()), self.summary["candidates"])
        # every admitted candidate is the member admitted on the ceremony's day
        with open(os.path.join(DEMO, "candidates.csv"), encoding="utf-8") as f:
            admitted = [r for r in csv.DictReader(f) if r["member_id"]]
        self.assertEqual(len(admitted), self.summary["admitted"])
        with open(os.path.join(DEMO, "members.csv"), encoding="utf-8") as f:
            members = {r["id"]: r for r in csv.DictReader(f)}
        for r in admitted:
            m = members[r["member_id"]]
            self.assertEqual((m["full_name"], m["admitted_on"]), (r["full_name"], r["ceremony_on"]))
        with open(os.path.join(DEMO, "probation_reviews.csv"), encoding="utf-8") as f:
            outcomes = collections.Counter(r["outcome"] for r in csv.DictReader(f))
        self.assertEqual((outcomes["recognised"], outcomes["removed"]),
                         (self.summary["recognised"], self.summary["removed"]))

    def test_transfers_by_kind_and_their_members(self):
        out = os.path.join(self.tmp, "export")
        run("export", out, db=self.db)
        with open(os.path.join(out, "transfers.csv"), encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        self.assertEqual(dict(collections.Counter(r["kind"] for r in rows)), self.summary["transfers"])
        # an official transfer presented is the member's new period, an out transfer its end
        with open(os.path.join(out, "members.csv"), encoding="utf-8") as f:
            members = {r["id"]: r for r in csv.DictReader(f)}
        for r in rows:
            if r["kind"] == "out":
                self.assertEqual((members[r["member_id"]]["ended_on"], members[r["member_id"]]["end_reason"]),
                                 (r["letter_on"], "transferred_out"))

    def test_badges_awarded_are_not_due_again(self):
        with open(os.path.join(DEMO, "badges.csv"), encoding="utf-8") as f:
            awarded = list(csv.DictReader(f))
        self.assertEqual(len(awarded), self.summary["badges"])
        # the ceremony of 2/9/2026: every member due then was awarded, so none is listed
        out = run("party", "badges", "--as-of", "2026-09-02", "--format", "csv", db=self.db).stdout
        due = [r for r in csv.DictReader(io.StringIO(out)) if r["list"] == "due"]
        self.assertEqual(due, [])
        self.assertTrue(any(r["awarded_on"] == "2026-09-02" for r in awarded))

    def test_the_ratings_of_2025(self):
        out = run("party", "ratings", "--year", "2025", "--format", "csv", db=self.db).stdout
        got = {(r["kind"], r["level"]): int(r["count"]) for r in csv.DictReader(io.StringIO(out)) if r["kind"] != "over"}
        for kind in ("member", "org"):
            for level, n in self.summary["ratings"][kind].items():
                self.assertEqual(got[(kind, level)], n, (kind, level))

    def test_the_lists_of_the_registry_day(self):
        d = json.loads(run("party", "due", "--as-of", "2026-10-01", "--format", "json", db=self.db).stdout)
        # members admitted in October 2025 are due for their review in October 2026; none of the
        # deadlines listed as due is before the day, none overdue after it
        self.assertTrue(any(x["kind"] == "review" for x in d["due"]))
        self.assertTrue(all(x["deadline"] >= "2026-10-01" for x in d["due"]))
        self.assertTrue(all(x["deadline"] < "2026-10-01" for x in d["overdue"]))
        self.assertTrue(all(x["done"] > x["deadline"] for x in d["late"]))
        # a candidate decided and never admitted: its ceremony is listed
        with open(os.path.join(DEMO, "candidates.csv"), encoding="utf-8") as f:
            waiting = {r["id"] for r in csv.DictReader(f) if r["decided_on"] and not r["ceremony_on"]}
        listed = {x["id"] for x in d["due"] + d["overdue"] if x["kind"] == "ceremony"}
        self.assertEqual(listed, waiting)


if __name__ == "__main__":
    unittest.main()
