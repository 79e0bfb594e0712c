#!/usr/bin/env python3
"""Black-box tests of party work in the HTTP API (docs/PARTY.md) against the
real `coso serve`, on the handmade registry (tests/cases/handmade).

One candidate is taken from the cell's proposal to official member through
the API, as the interface does; every deadline on the way is worked out by
hand below (working days: the day of the event is not counted; Saturdays,
Sundays and holidays are not working days), and the lists of what is due,
overdue and late are read on the days around each deadline.
"""
import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from test_api import PASSWORD, Server, ServerCase, add_user, run  # noqa: E402


def ids(items):
    return [(x["id"], x["deadline"]["kind"], x["deadline"]["deadline"]) for x in items]


class PartyWork(ServerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        add_user(cls.db, "ba", "clerk", scope="00003")

    def post(self, path, body, status=200):
        got, _, answer = self.server.post(path, body)
        self.assertEqual(got, status, answer)
        return answer

    def problem(self, path, body, field, fragment=None, status=422):
        got, _, answer = self.server.post(path, body)
        self.assertEqual(got, status, answer)
        if field:
            self.assertIn(field, [e["field"] for e in answer["errors"]], answer)
        if fragment:
            self.assertIn(fragment, json.dumps(answer, ensure_ascii=False))
        return answer

    def due(self, as_of):
        return self.server.ok("/api/v1/party/due", as_of=as_of)

    def test_a_candidate_from_proposal_to_official_member(self):
        s = self.server
        base = {"id": "C1", "full_name": "Lò Thị Mai", "gender": "female", "birth_date": "2000-04-10",
                "ethnicity": "Thái", "org_code": "CV11", "residence_code": "00001-01", "proposed_on": "2024-09-02",
                "course_on": "2024-08-15", "course_by": "Trung tâm Chính trị huyện Một"}
        # an organization that does not exist is named on its field, nothing is written
        self.problem("/api/v1/candidates", dict(base, org_code="ZZ"), "org_code", "organization ZZ does not exist")
        self.assertEqual(s.get("/api/v1/candidates/C1")[0], 404)
        got = self.post("/api/v1/candidates", base, 201)
        self.assertEqual((got["stage"], got["org"]["code"], got["deadlines"]), ("course", "CV11", []))
        self.problem("/api/v1/candidates", base, "id", "already in the register")
        # a vote before the verification of the background
        self.problem("/api/v1/candidates/C1/stage", {"stage": "voted", "date": "2024-11-05"}, "date",
                     "needs verified_on first")
        self.post("/api/v1/candidates/C1/stage", {"stage": "verified", "date": "2024-10-15", "by": "Đảng uỷ xã Một"})
        self.problem("/api/v1/candidates/C1/stage", {"stage": "verified", "date": "2024-10-16"}, "stage",
                     "already verified")
        # the vote: the committee has 60 working days (Monday 4/11/2024 +60: see test_party.c for the
        # way of counting; November 5-8 (4), 11-15 (9), 18-22 (14), 25-29 (19); December 2-6 (24), 9-13
        # (29), 16-20 (34), 23-27 (39), 30-31 (41); 1/1/2025 off; January 2-3 (43), 6-10 (48), 13-17 (53),
        # 20-24 (58); 27-31 Tết; February 3 (59), 4 (60): Tuesday 4/2/2025)
        got = self.post("/api/v1/candidates/C1/stage", {"stage": "voted", "date": "2024-11-04"})
        self.assertEqual(got["deadlines"], [{"kind": "decision", "state": "open", "from": "2024-11-04",
                                             "deadline": "2025-02-04", "done": None}])
        self.assertIn(("C1", "decision", "2025-02-04"), ids(self.due("2024-11-20")["due"]))
        # the decision: the ceremony within 30 working days, to Friday 28/2/2025 across Tết Ất Tỵ
        self.problem("/api/v1/candidates/C1/stage", {"stage": "decided", "date": "2025-01-10"}, "by")
        got = self.post("/api/v1/candidates/C1/stage", {"stage": "decided", "date": "2025-01-10", "by": "OC1",
                                                         "decision_no": "15-QĐ/ĐU"})
        self.assertEqual(got["stage"], "decided")
        self.assertEqual(got["deadlines"][1]["deadline"], "2025-02-28")
        self.assertEqual(got["deadlines"][0]["state"], "on_time")
        self.assertEqual(ids(self.due("2025-02-28")["due"]), [("C1", "ceremony", "2025-02-28")])
        d = self.due("2025-03-01")
        self.assertEqual(ids(d["due"]), [])
        self.assertEqual(ids(d["overdue"])[-1], ("C1", "ceremony", "2025-02-28"))  # after M3's and M5's reviews
        # the ceremony: the candidate becomes member M7 through the admission of the registry
        self.problem("/api/v1/candidates/C1/admit", {"member_id": "M1", "ceremony_on": "2025-03-03"}, "member_id",
                     "already in the registry")
        self.problem("/api/v1/candidates/C1/admit", {"member_id": "M7", "ceremony_on": "2025-01-09"},
                     "ceremony_on", "before the decision")
        member = self.post("/api/v1/candidates/C1/admit", {"member_id": "M7", "ceremony_on": "2025-03-03"}, 201)
        m = member["member"]
        self.assertEqual((m["id"], m["full_name"], m["birth_date"], m["admitted_on"], m["status"], m["org"]["code"]),
                         ("M7", "Lò Thị Mai", "2000-04-10", "2025-03-03", "probationary", "CV11"))
        self.assertEqual(member["periods"][0]["residence"]["code"], "00001-01")
        got = s.ok("/api/v1/candidates/C1")
        self.assertEqual((got["stage"], got["member_id"], got["ceremony_on"]), ("admitted", "M7", "2025-03-03"))
        self.assertEqual(got["deadlines"][1]["state"], "late")
        self.assertEqual(ids(self.due("2025-03-10")["late"]), [("C1", "ceremony", "2025-02-28")])
        self.problem("/api/v1/candidates/C1/admit", {"member_id": "M8", "ceremony_on": "2025-03-04"}, "ceremony_on",
                     "was admitted on")
        # probation: 12 months to Tuesday 3/3/2026; the review within 30 working days: March 4-6 (3),
        # 9-13 (8), 16-20 (13), 23-27 (18), 30-31 (20); April 1-3 (23), 6-10 (28), 13 (29), 14 (30)
        self.assertNotIn("M7", [x["id"] for x in self.due("2026-02-27")["due"]])
        self.assertIn(("M7", "review", "2026-04-14"), ids(self.due("2026-03-02")["due"]))
        self.assertIn(("M7", "review", "2026-04-14"), ids(self.due("2026-04-14")["due"]))
        self.assertIn(("M7", "review", "2026-04-14"), ids(self.due("2026-04-15")["overdue"]))
        prob = {x["id"]: x for x in s.ok("/api/v1/probation", as_of="2026-03-02")["items"]}
        self.assertEqual((prob["M7"]["probation_end"], prob["M7"]["deadline"]["deadline"]), ("2026-03-03", "2026-04-14"))
        review = {"reviewed_on": "2026-04-10", "decided_on": "2026-04-15", "decided_by": "OC1", "outcome": "recognised"}
        self.problem("/api/v1/members/M7/probation", dict(review, reviewed_on="2026-03-02"), "reviewed_on",
                     "before the end of the 12 months")
        self.problem("/api/v1/members/M7/probation", dict(review, decided_by="ZZ"), "decided_by",
                     "organization ZZ does not exist")
        got = self.post("/api/v1/members/M7/probation", review)
        # official from the end of the 12 months although the decision is late (Quy định 24-QĐ/TW, 4.2.b)
        self.assertEqual((got["member"]["official_on"], got["member"]["status"]), ("2026-03-03", "official"))
        self.assertEqual(ids(self.due("2026-04-20")["late"]), [("M7", "review", "2026-04-14")])
        self.problem("/api/v1/members/M7/probation", review, "member_id", "was decided on")
        # every step is in the audit log, the member's and the candidate's
        log = run("audit", "log", "--record", "candidate:C1", "--format", "json", db=self.db).stdout
        actions = [e["action"] for e in json.loads(log)]
        self.assertEqual(actions, ["candidate.propose", "candidate.verified", "candidate.voted", "candidate.decided",
                                   "candidate.admit"])
        # the export holds the registers, and imports again unchanged
        out = os.path.join(self.tmp, "out")
        run("export", out, db=self.db)
        with open(os.path.join(out, "candidates.csv"), encoding="utf-8") as f:
            rows = f.read().splitlines()
        self.assertEqual(rows[1], "C1,Lò Thị Mai,female,2000-04-10,Thái,CV11,00001-01,2024-09-02,2024-08-15,"
                         "Trung tâm Chính trị huyện Một,2024-10-15,Đảng uỷ xã Một,2024-11-04,2025-01-10,OC1,15-QĐ/ĐU,"
                         "2025-03-03,M7,,,")
        with open(os.path.join(out, "probation_reviews.csv"), encoding="utf-8") as f:
            self.assertEqual(f.read(), "member_id,reviewed_on,decided_on,decided_by,decision_no,outcome\n"
                             "M7,2026-04-10,2026-04-15,OC1,,recognised\n")
        db2 = os.path.join(self.tmp, "again.db")
        run("import", out, db=db2)
        out2 = os.path.join(self.tmp, "out2")
        run("export", out2, db=db2)
        for name in ("candidates.csv", "probation_reviews.csv", "members.csv"):
            with open(os.path.join(out, name), "rb") as a, open(os.path.join(out2, name), "rb") as b:
                self.assertEqual(a.read(), b.read(), name)

    def test_age_at_the_cells_vote_and_dropping(self):
        base = {"id": "C2", "full_name": "Giàng A Dính", "gender": "male", "birth_date": "2006-11-06",
                "ethnicity": "Mông", "org_code": "CV11", "proposed_on": "2024-09-02", "course_on": "2024-08-15"}
        self.post("/api/v1/candidates", base, 201)
        self.post("/api/v1/candidates/C2/stage", {"stage": "verified", "date": "2024-10-15"})
        self.problem("/api/v1/candidates/C2/stage", {"stage": "voted", "date": "2024-11-05"}, "date",
                     "17 years 11 months")
        got = self.post("/api/v1/candidates/C2/stage", {"stage": "voted", "date": "2024-11-06"})
        self.assertEqual(got["stage"], "voted")
        self.problem("/api/v1/candidates/C2/stage", {"stage": "dropped", "date": "2024-11-20"}, "by")
        got = self.post("/api/v1/candidates/C2/stage", {"stage": "dropped", "date": "2024-11-20",
                                                         "by": "chuyển đi nơi khác"})
        self.assertEqual((got["stage"], got["deadlines"]), ("dropped", []))
        self.problem("/api/v1/candidates/C2/admit", {"member_id": "M9", "ceremony_on": "2024-12-01"}, "ceremony_on",
                     "dropped")
        listed = self.server.ok("/api/v1/candidates", as_of="2024-12-01")["items"]
        self.assertNotIn("C2", [x["id"] for x in listed])
        listed = self.server.ok("/api/v1/candidates", as_of="2024-12-01", status="all")["items"]
        self.assertIn("C2", [x["id"] for x in listed])

    def test_members_admitted_before_coso_have_their_review_listed(self):
        # M3 was admitted on 22/5/2017 and is still probationary: 12 months to Tuesday 22/5/2018, the
        # review due by 30 working days later: May 23-25 (3), 28-31 (7); June 1 (8), 4-8 (13), 11-15 (18),
        # 18-22 (23), 25-29 (28); July 2 (29), 3 (30): Tuesday 3/7/2018. M5, admitted on 22/5/2018, is not due
        d = self.due("2018-05-22")
        self.assertEqual(ids(d["due"]), [("M3", "review", "2018-07-03")])
        self.assertEqual(ids(self.due("2018-07-04")["overdue"]), [("M3", "review", "2018-07-03")])

    def test_ratings_levels_scores_and_the_share_of_excellent(self):
        r = {"year": "2025", "level": "excellent", "score": "95", "rated_on": "2025-12-20", "rated_by": "CV11"}
        got = self.post("/api/v1/members/M1/rating", r, 201)
        self.assertEqual((got["id"], got["kind"], got["subject"]), ("2025/M1", "member", "M1"))
        self.problem("/api/v1/members/M1/rating", r, "id", "already in the register")
        # the 100-point scale from 2025 (Quy định 366-QĐ/TW, Điều 11): 85 gives good
        self.problem("/api/v1/members/M2/rating", dict(r, score="85"), "level", "gives 'good'")
        self.problem("/api/v1/members/M2/rating", dict(r, score=None), "score", "required from 2025")
        self.problem("/api/v1/members/M2/rating", dict(r, year="2024", rated_on="2024-12-20"), "score", "no score")
        # M5, admitted on 22/5/2018: not rated on 15/11/2018 (under 6 months), rated on 22/11/2018
        old = {"year": "2018", "level": "good", "rated_on": "2018-11-21", "rated_by": "CS3"}
        self.problem("/api/v1/members/M5/rating", old, "subject", "less than 6 months")
        self.post("/api/v1/members/M5/rating", dict(old, rated_on="2018-11-22"), 201)
        # 2019: in the grassroots committee OC1 (M1, M2 in its cell CV11) one excellent for one good: over
        # the 20% of Hướng dẫn 21-HD/BTCTW; CA1 (a grassroots cell) is within it
        y = {"year": "2019", "rated_on": "2019-12-20", "rated_by": "OC1"}
        self.post("/api/v1/members/M1/rating", dict(y, level="excellent"), 201)
        self.post("/api/v1/members/M2/rating", dict(y, level="good"), 201)
        self.post("/api/v1/members/M3/rating", dict(y, level="good", rated_by="CA1"), 201)
        self.post("/api/v1/orgs/OC1/rating", dict(y, level="good", rated_by="OP"), 201)
        got = self.server.ok("/api/v1/party/ratings", year=2019)
        self.assertEqual(got["members"], {"excellent": 1, "good": 2, "done": 0, "not_done": 0, "total": 3})
        self.assertEqual(got["orgs"]["good"], 1)
        self.assertEqual(got["quota"]["checked"], 2)
        self.assertEqual([(x["org"]["code"], x["excellent"], x["good"], x["allowed"]) for x in got["quota"]["over"]],
                         [("OC1", 1, 1, 0)])
        # by scope: the cell CA1 alone
        got = self.server.ok("/api/v1/party/ratings", year=2019, org="CA1")
        self.assertEqual((got["members"]["total"], got["quota"]["over"]), (1, []))
        out = os.path.join(self.tmp, "out-r")
        run("export", out, db=self.db)
        with open(os.path.join(out, "ratings.csv"), encoding="utf-8") as f:
            self.assertIn("2019/OC1,2019,org,OC1,good,,2019-12-20,OP\n", f.read())

    def test_transfers_official_temporary_and_out(self):
        s = self.server
        # official, M1 from CV11 to CS1. Decided Friday 10/1/2025: the letter within 60 working days (Tết
        # 27-31/1, Giỗ Tổ Monday 7/4/2025): Jan 13-24 (10), Feb 3-28 (30), Mar 3-31 (51), Apr 1-4 (55),
        # 8-11 (59), 14 (60): Monday 14/4/2025. Letter Monday 10/3/2025: presented within 30 working days:
        # Mar 11-14 (4), 17-28 (14), 31 (15), Apr 1-4 (19), 8-11 (23), 14-18 (28), 21 (29), 22 (30): 22/4/2025
        got = self.post("/api/v1/transfers", {"id": "T1", "member_id": "M1", "kind": "official", "to_org": "CS1",
                                              "decided_on": "2025-01-10", "letter_on": "2025-03-10"}, 201)
        self.assertEqual((got["from"]["code"], got["to"]["code"]), ("CV11", "CS1"))
        self.assertEqual([(x["kind"], x["deadline"], x["state"]) for x in got["deadlines"]],
                         [("letter", "2025-04-14", "on_time"), ("present", "2025-04-22", "open")])
        # until it is presented, the member stays in CV11
        self.assertEqual(s.ok("/api/v1/members/M1", as_of="2025-04-01")["member"]["org"]["code"], "CV11")
        self.assertIn(("M1", "present", "2025-04-22"), ids(self.due("2025-04-22")["due"]))
        self.assertIn(("M1", "present", "2025-04-22"), ids(self.due("2025-04-23")["overdue"]))
        overdue = [x for x in self.due("2025-04-23")["overdue"] if x["id"] == "M1"]
        self.assertEqual(overdue[0]["transfer"], "T1")
        self.problem("/api/v1/transfers/T1/present", {"presented_on": "2025-03-09"}, "presented_on", "before letter_on")
        got = self.post("/api/v1/transfers/T1/present", {"presented_on": "2025-04-23"})
        self.assertEqual(got["deadlines"][1]["state"], "late")
        m = s.ok("/api/v1/members/M1", as_of="2025-04-23")
        self.assertEqual(m["member"]["org"]["code"], "CS1")
        self.assertEqual([(p["valid_from"], p["org"]["code"]) for p in m["periods"]][-2:],
                         [("2010-01-01", "CV11"), ("2025-04-23", "CS1")])
        self.assertIn(("M1", "present", "2025-04-22"), ids(self.due("2025-05-01")["late"]))
        # temporary, to study: 3 months to 2 years from the letter (Quy định 24-QĐ/TW, 6.3.2)
        temp = {"id": "T2", "member_id": "M2", "kind": "temporary", "to_org": "CA1", "purpose": "study",
                "decided_on": "2025-08-01", "letter_on": "2025-08-15", "until": "2027-08-16"}
        self.problem("/api/v1/transfers", temp, "until", "more than 2 years")
        self.problem("/api/v1/transfers", dict(temp, until="2025-11-14"), "until", "less than 3 months")
        self.problem("/api/v1/transfers", dict(temp, purpose="work", until="2026-08-15"), "until", "a year or more")
        self.post("/api/v1/transfers", dict(temp, until="2027-08-15"), 201)
        self.post("/api/v1/transfers/T2/present", {"presented_on": "2025-08-20"})
        # the home cell and its count are unchanged
        self.assertEqual(s.ok("/api/v1/members/M2", as_of="2026-01-01")["member"]["org"]["code"], "CV11")
        self.assertIn(("M2", "return", "2027-08-15"), ids(self.due("2027-08-16")["overdue"]))
        self.post("/api/v1/transfers/T2/return", {"returned_on": "2027-08-10"})
        self.assertNotIn("M2", [x["id"] for x in self.due("2027-08-16")["overdue"]])
        # out of the registry: the membership ends transferred_out on the letter's day
        self.problem("/api/v1/transfers", {"id": "T3", "member_id": "M3", "kind": "out", "decided_on": "2025-09-01",
                                           "letter_on": "2025-09-10"}, "destination")
        got = self.post("/api/v1/transfers", {"id": "T3", "member_id": "M3", "kind": "out", "destination": "Tỉnh Lai Châu",
                                              "decided_on": "2025-09-01", "letter_on": "2025-09-10"}, 201)
        self.assertEqual([x["kind"] for x in got["deadlines"]], ["letter"])
        m = s.ok("/api/v1/members/M3")["member"]
        self.assertEqual((m["ended_on"], m["end_reason"]), ("2025-09-10", "transferred_out"))
        self.problem("/api/v1/transfers/T3/present", {"presented_on": "2025-09-20"}, "presented_on", "out of the registry")
        log = run("audit", "log", "--record", "transfer:", "--format", "json", db=self.db).stdout
        self.assertEqual([e["action"] for e in json.loads(log)],
                         ["transfer.official", "transfer.present", "transfer.temporary", "transfer.present",
                          "transfer.return", "transfer.out"])
        # exported and imported again unchanged
        out = os.path.join(self.tmp, "out-t")
        run("export", out, db=self.db)
        with open(os.path.join(out, "transfers.csv"), encoding="utf-8") as f:
            self.assertEqual(f.read(), "id,member_id,kind,from_org,to_org,destination,purpose,decided_on,letter_on,"
                             "presented_on,until,returned_on\n"
                             "T1,M1,official,CV11,CS1,,,2025-01-10,2025-03-10,2025-04-23,,\n"
                             "T2,M2,temporary,CV11,CA1,,study,2025-08-01,2025-08-15,2025-08-20,2027-08-15,2027-08-10\n"
                             "T3,M3,out,CA1,,Tỉnh Lai Châu,,2025-09-01,2025-09-10,,,\n")
        run("import", out, db=os.path.join(self.tmp, "again-t.db"))

    def test_badges_at_the_next_ceremony(self):
        # M1, admitted 1/1/2010: 30 years of party age on 1/1/2040, after the ceremony of 7/11/2039 and by
        # that of 3/2/2040; M6 (died 2016) and M4 (transferred out 2018) are not listed
        got = self.server.ok("/api/v1/party/badges", as_of="2039-11-08")
        self.assertEqual((got["previous"], got["ceremony"]), ("2039-11-07", "2040-02-03"))
        self.assertEqual([(x["id"], x["years"], x["anniversary"]) for x in got["due"]], [("M1", 30, "2040-01-01")])
        self.assertEqual(got["early"], [])
        # on the day of the ceremony of 7/11/2039 it is that ceremony's list: M1 only early (if ill)
        got = self.server.ok("/api/v1/party/badges", as_of="2039-11-07")
        self.assertEqual((got["ceremony"], got["due"]), ("2039-11-07", []))
        self.assertEqual([(x["id"], x["years"]) for x in got["early"]], [("M1", 30)])
        # more than 12 months before: not even early
        got = self.server.ok("/api/v1/party/badges", as_of="2038-11-07")
        self.assertEqual((got["due"], got["early"]), ([], []))
        # awarded: early only with the flag, and by at most 12 months; then no longer due
        self.problem("/api/v1/members/M1/badge", {"years": "30", "awarded_on": "2039-11-07"}, "awarded_on",
                     "30 years of party age on 2040-01-01")
        self.problem("/api/v1/members/M1/badge", {"years": "30", "awarded_on": "2038-12-31", "early": "1"},
                     "awarded_on", "more than 12 months")
        got = self.post("/api/v1/members/M1/badge", {"years": "30", "awarded_on": "2039-11-07", "early": "1",
                                                     "decision_no": "120-QĐ/TU"}, 201)
        self.assertEqual(got["id"], "M1/30")
        self.problem("/api/v1/members/M1/badge", {"years": "30", "awarded_on": "2040-02-03"}, "id",
                     "already in the register")
        self.assertEqual(self.server.ok("/api/v1/party/badges", as_of="2039-11-08")["due"], [])

    def test_lists_are_bounded_and_say_how_many(self):
        got = self.server.ok("/api/v1/party/due", as_of="2030-01-01", limit=1)
        self.assertLessEqual(len(got["overdue"]), 1)
        self.assertGreaterEqual(got["counts"]["overdue"], 1)
        got = self.server.ok("/api/v1/probation", as_of="2018-05-22", limit=1)
        self.assertEqual((len(got["items"]), got["total"]), (1, 2))  # M3 and M5 on probation
        status, _, body = self.server.get("/api/v1/transfers", limit=501)
        self.assertEqual(status, 400, body)

    def test_a_clerk_sees_and_writes_only_in_scope(self):
        s = Server(self.db)
        try:
            s.sign_in("ba", PASSWORD)
            status, _, body = s.post("/api/v1/candidates", {
                "id": "C9", "full_name": "A", "gender": "male", "birth_date": "2000-01-01", "ethnicity": "Kinh",
                "org_code": "CV11", "proposed_on": "2024-09-02"})
            self.assertEqual(status, 403, body)
            self.post("/api/v1/candidates", {"id": "C3", "full_name": "Lò Văn Hải", "gender": "male",
                                             "birth_date": "2001-01-01", "ethnicity": "Thái", "org_code": "OC3",
                                             "proposed_on": "2024-09-02"}, 201)
            self.assertEqual(s.get("/api/v1/candidates/C3")[0], 200)
            # an id used outside the scope is refused, not overwritten
            status, _, body = s.post("/api/v1/candidates", {
                "id": "C1", "full_name": "B", "gender": "male", "birth_date": "2000-01-01", "ethnicity": "Kinh",
                "org_code": "OC3", "proposed_on": "2024-09-02"})
            self.assertEqual((status, body["errors"][0]["field"]), (422, "id"), body)
            self.assertEqual(self.server.ok("/api/v1/candidates/C1")["org_code"], "CV11")
            self.assertEqual(s.get("/api/v1/candidates/C1")[0], 404)
            self.assertEqual([x["id"] for x in s.ok("/api/v1/candidates", as_of="2024-12-01")["items"]], ["C3"])
            # M3's cell (CA1) sits in the clerk's commune
            self.assertEqual(ids(s.ok("/api/v1/party/due", as_of="2018-05-22")["due"]), [("M3", "review", "2018-07-03")])
            self.assertEqual(s.ok("/api/v1/party/due", as_of="2018-05-22", org="OC3")["due"], [])
        finally:
            status, err = s.stop()
            self.assertEqual(status, 0, err)


if __name__ == "__main__":
    unittest.main()
