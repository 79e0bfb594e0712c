#!/usr/bin/env python3
"""The services routes (docs/SERVICES.md) against the real `coso serve`.

The handmade registry with tests/cases/services (deadlines in its README.md)
and one user per scope: a case outside the scope is 404 as one that never
existed, lists and figures count only what is visible, a body naming a
commune outside the scope is 403; the denouncer of TC1 is shown only to its
handling officer (clerk3), masked for the district, the province and the
administrator; a clerk registers a case at the desk, sees what is due, the
due date follows a corrected procedure, events move the clock, and bad
events are 422 with nothing stored.
"""
import os
import shutil
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import test_api as base  # noqa: E402 (the server harness)

ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
FIXTURE = os.path.join(ROOT, "tests", "cases", "services")
USERS = {"admin": ("admin", None), "prov": ("provincial", "01"), "district": ("district", "002"),
         "clerk1": ("clerk", "00001"), "clerk3": ("clerk", "00003"), "leader3": ("leader", "00003")}


class Base(unittest.TestCase):
    """A server on the fixture, each user signed in."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="coso-http-svc-")
        d = os.path.join(cls.tmp, "in")
        shutil.copytree(base.HANDMADE, d)
        for f in ("procedures.csv", "service_cases.csv", "service_events.csv", "receptions.csv", "voter_petitions.csv"):
            shutil.copy(os.path.join(FIXTURE, f), d)
        cls.db = os.path.join(cls.tmp, "s.db")
        base.run("import", d, db=cls.db)
        for name, (role, scope) in USERS.items():
            base.add_user(cls.db, name, role, scope)
        cls.servers = {}
        cls.first = base.Server(cls.db)
        for name in USERS:
            s = base.Server.__new__(base.Server)
            s.base, s.port, s.proc = cls.first.base, cls.first.port, cls.first.proc
            s.cookie = s.csrf = None
            s.sign_in(name)
            cls.servers[name] = s

    @classmethod
    def tearDownClass(cls):
        status, err = cls.first.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)
        if status != 0 or "Sanitizer" in err or "runtime error" in err:
            raise AssertionError("coso serve did not stop cleanly (exit %d):\n%s" % (status, err))

    def as_(self, user):
        return self.servers[user]

    def ids(self, user, **q):
        return [c["id"] for c in self.as_(user).ok("/api/v1/services/cases", **q)["items"]]


class Reads(Base):
    def test_lists_are_limited_to_the_scope(self):
        self.assertEqual(sorted(self.ids("admin")), ["KN1", "MC1", "MC2", "MC3", "MC4", "TC1"])
        self.assertEqual(sorted(self.ids("clerk1")), ["KN1", "MC1", "MC3", "MC4"])
        self.assertEqual(sorted(self.ids("clerk3")), ["MC2", "TC1"])
        self.assertEqual(sorted(self.ids("district")), ["MC2", "TC1"])
        self.assertEqual(self.as_("clerk1").ok("/api/v1/services/cases")["total"], 4)
        status, _, body = self.as_("clerk1").get("/api/v1/services/cases", scope="00003")
        self.assertEqual(status, 403, body)

    def test_a_case_outside_the_scope_is_not_found(self):
        for user, cid in (("clerk1", "TC1"), ("clerk3", "MC1"), ("district", "KN1")):
            status, _, a = self.as_(user).get("/api/v1/services/cases/" + cid)
            status2, _, b = self.as_(user).get("/api/v1/services/cases/NEVER")
            self.assertEqual((status, status2), (404, 404))
            self.assertEqual(a["title"], b["title"])

    def test_only_the_handling_officer_sees_the_denouncer(self):
        c = self.as_("clerk3").ok("/api/v1/services/cases/TC1")
        self.assertEqual(c["person"]["name"], "Vừ A Dế")
        for user in ("district", "prov", "admin", "leader3"):
            c = self.as_(user).ok("/api/v1/services/cases/TC1")
            self.assertIsNone(c["person"], user)
            self.assertTrue(c["person_masked"])
            items = self.as_(user).ok("/api/v1/services/cases", kind="denunciation")["items"]
            self.assertEqual([x["person"] for x in items], [None])
        # a complainant is personal data within the scope, not secret
        self.assertEqual(self.as_("district").ok("/api/v1/services/cases/MC2")["person"]["name"], "Nguyễn Văn An")

    def test_the_district_sees_the_overdue_cases_of_its_communes(self):
        self.assertEqual(self.ids("prov", status="overdue", on="2024-09-16"), ["MC3"])
        self.assertEqual(self.ids("district", status="overdue", on="2024-09-16"), [])
        self.assertEqual(self.ids("clerk1", status="due", on="2024-09-13"), ["MC3"])
        r = self.as_("district").ok("/api/v1/services/report", **{"from": "2024-01-01", "to": "2024-12-31"})
        self.assertEqual(r["total"]["received"], 2)
        self.assertEqual(r["total"]["on_time"], 2)
        r = self.as_("prov").ok("/api/v1/services/report", **{"from": "2024-01-01", "to": "2024-12-31"})
        self.assertEqual((r["total"]["received"], r["total"]["late"], r["total"]["open"]), (6, 1, 1))


    def test_every_services_route_as_every_role(self):
        """Reads answer every role; writes are refused to the leader (403) and,
        with an empty body, reach the rules for the others (422); a case
        outside the scope in the path is 404 for reads and writes alike."""
        inside = {"admin": "MC1", "prov": "MC1", "district": "MC2", "clerk1": "MC1", "clerk3": "MC2", "leader3": "MC2"}
        outside = {"district": "MC1", "clerk1": "MC2", "clerk3": "KN1", "leader3": "MC3"}
        session = {"MC1": "TD1", "MC2": "TD2", "KN1": "TD1", "MC3": "TD1"}  # a session of the same commune
        petition = {"MC1": "VP1", "MC2": "VP3", "KN1": "VP1", "MC3": "VP1"}  # a voters' petition there
        doc = self.as_("admin").ok("/api/v1/openapi.json")
        paths = [(m, p) for p, ops in doc["paths"].items() if p.startswith("/api/v1/services/") for m in ops]
        self.assertEqual(len(paths), 13)
        for method, path in paths:
            for user, role in USERS.items():
                for cid in [inside[user]] + ([outside[user]] if user in outside and "{id}" in path else []):
                    concrete = path.replace("{id}", session[cid] if "/receptions/" in path
                                            else petition[cid] if "/voter-petitions/" in path else cid)
                    with self.subTest(method=method, path=concrete, user=user):
                        if method == "get":
                            status, _, body = self.as_(user).get(concrete)
                            want = 404 if cid != inside[user] else 200
                        else:
                            # outside: a body the dispatcher accepts, so that the case decides (404)
                            full = {"date": "2024-06-01", "action": "handoff", "body": "X", "procedure_code": "CT-HD"}
                            body = {k: full[k] for k in ("date", "action", "body")} if path.endswith("/events") \
                                else {"procedure_code": "CT-HD"} if path.endswith("/procedure") \
                                else {"date": "2024-06-01", "answer": "X"} if path.endswith("/answer") else {}
                            status, _, body = self.as_(user).post(concrete, body if cid != inside[user] else {})
                            want = 403 if role[0] == "leader" else 404 if cid != inside[user] else 422
                        self.assertEqual(status, want, body)
    def test_reception_sessions_within_the_scope(self):
        self.assertEqual([x["id"] for x in self.as_("clerk1").ok("/api/v1/services/receptions")["items"]], ["TD1"])
        self.assertEqual([x["id"] for x in self.as_("district").ok("/api/v1/services/receptions")["items"]], ["TD2"])
        self.assertEqual(self.as_("clerk1").get("/api/v1/services/receptions/TD2")[0], 404)
        # the denouncer of TC1 met at the session: only TC1's officer sees them
        self.assertEqual(self.as_("clerk3").ok("/api/v1/services/receptions/TD2")["matters"][0]["person"]["name"],
                         "Vừ A Dế")
        for user in ("district", "admin"):
            m = self.as_(user).ok("/api/v1/services/receptions/TD2")["matters"][0]
            self.assertEqual((m["person"], m["person_masked"], m["case_id"]), (None, True, "TC1"))

    def test_voters_petitions_within_the_scope(self):
        ids = lambda user, **q: [v["id"] for v in self.as_(user).ok("/api/v1/services/voter-petitions", **q)["items"]]  # noqa
        self.assertEqual(ids("clerk1"), ["VP1", "VP2"])
        self.assertEqual(ids("district"), ["VP3"])
        self.assertEqual(ids("prov", status="late", on="2024-07-13"), ["VP2", "VP3"])
        r = self.as_("district").ok("/api/v1/services/report", **{"from": "2024-01-01", "to": "2024-12-31"})
        self.assertEqual(r["voter_petitions"]["collected"], 1)


class Writes(Base):
    def test_a_clerk_records_a_citizen_received(self):
        s = self.as_("clerk1")
        status, _, body = s.post("/api/v1/services/receptions", {
            "session_id": "TD9", "unit_code": "00001", "date": "2024-08-28", "session_kind": "unscheduled",
            "person_name": "Lò Văn Pản", "matter": "Hỏi lại", "route": "complaint", "case_id": "KN1"})
        self.assertEqual(status, 201, body)
        self.assertEqual(body["matters"][0]["case_id"], "KN1")
        # a case of another commune: refused, nothing stored
        status, _, body = s.post("/api/v1/services/receptions", {
            "session_id": "TD9", "unit_code": "00001", "date": "2024-08-28", "session_kind": "unscheduled",
            "person_name": "X", "matter": "Y", "route": "petition", "case_id": "MC2"})
        self.assertEqual(status, 422, body)
        self.assertEqual(len(s.ok("/api/v1/services/receptions/TD9")["matters"]), 1)
        status, _, body = s.post("/api/v1/services/receptions", {
            "session_id": "TD8", "unit_code": "00003", "date": "2024-08-28", "session_kind": "regular",
            "person_name": "X", "matter": "Y", "route": "guidance"})
        self.assertEqual(status, 403, body)

    def test_a_petition_is_collected_and_answered(self):
        s = self.as_("clerk3")
        status, _, v = s.post("/api/v1/services/voter-petitions/VP3/answer", {"date": "2024-07-12",
                                                                              "answer": "Đã lắp trong tháng 7"})
        self.assertEqual(status, 200, v)
        self.assertEqual((v["id"], v["answered_on"], v["answered_in_time"]), ("VP3", "2024-07-12", True))
        self.assertEqual(self.as_("clerk1").post("/api/v1/services/voter-petitions/VP3/answer",
                                                 {"date": "2024-07-12", "answer": "X"})[0], 404)
        status, _, v = self.as_("clerk1").post("/api/v1/services/voter-petitions", {
            "id": "VP9", "unit_code": "00001", "meeting_on": "2024-11-20", "council": "HĐND Xã Một, kỳ họp cuối năm",
            "next_session_on": "2024-12-20", "content": "Xây nhà văn hóa bản", "addressee": "UBND Xã Một"})
        self.assertEqual(status, 201, v)
        self.assertIsNone(v["answered_on"])
        status, _, body = self.as_("clerk1").post("/api/v1/services/voter-petitions", {
            "id": "VP8", "unit_code": "00001", "meeting_on": "2024-11-20", "council": "X",
            "next_session_on": "2024-11-01", "content": "Y", "addressee": "Z"})
        self.assertEqual(status, 422, body)
        self.assertEqual([e["field"] for e in body["errors"]], ["next_session_on"])

    def test_a_clerk_registers_a_case_and_the_due_date_follows(self):
        s = self.as_("clerk1")
        status, _, c = s.post("/api/v1/services/cases", {
            "id": "MC9", "kind": "onestop", "unit_code": "00001", "received_on": "2024-02-05",
            "procedure_code": "HT-KH", "person_name": "Lường Thị Lả"})
        self.assertEqual(status, 201, c)
        self.assertEqual(c["due_on"], "2024-02-19")  # 5 working days across Tết
        # corrected to CT-HD, 3 working days: 6, 7, 15 February
        status, _, c = s.post("/api/v1/services/cases/MC9/procedure", {"procedure_code": "CT-HD"})
        self.assertEqual(status, 200, c)
        self.assertEqual((c["procedure_code"], c["due_on"]), ("CT-HD", "2024-02-15"))
        status, _, c = s.post("/api/v1/services/cases/MC9/events", {"date": "2024-02-15", "action": "resolved"})
        self.assertEqual(status, 200, c)
        self.assertEqual((c["status"], c["on_time"], len(c["events"])), ("resolved", True, 1))
        # an event after the result is refused, and nothing is stored
        status, _, body = s.post("/api/v1/services/cases/MC9/events", {"date": "2024-02-16", "action": "handoff",
                                                                        "body": "UBND huyện"})
        self.assertEqual(status, 422, body)
        self.assertIn("closed on 2024-02-15", str(body))
        self.assertEqual(len(s.ok("/api/v1/services/cases/MC9")["events"]), 1)

    def test_writes_outside_the_scope_and_bad_bodies(self):
        s = self.as_("clerk1")
        status, _, body = s.post("/api/v1/services/cases", {
            "id": "X1", "kind": "petition", "unit_code": "00003", "received_on": "2024-02-05",
            "subject": "Phản ánh", "person_name": "A"})
        self.assertEqual(status, 403, body)
        status, _, body = s.post("/api/v1/services/cases/TC1/events", {"date": "2024-02-20", "action": "handoff",
                                                                        "body": "X"})
        self.assertEqual(status, 404, body)
        status, _, body = self.as_("leader3").post("/api/v1/services/cases/MC2/events",
                                                   {"date": "2024-05-05", "action": "handoff", "body": "X"})
        self.assertEqual(status, 403, body)
        status, _, body = s.post("/api/v1/services/cases", {
            "id": "MC1", "kind": "onestop", "unit_code": "00001", "received_on": "2024-02-05",
            "procedure_code": "NOPE", "person_name": "A"})
        self.assertEqual(status, 422, body)
        fields = sorted(e["field"] for e in body["errors"])
        self.assertEqual(fields, ["id", "procedure_code"])
        # the handling officer must be a user (the only one who will see the denouncer)
        status, _, body = s.post("/api/v1/services/cases", {
            "id": "TC9", "kind": "denunciation", "unit_code": "00001", "received_on": "2024-02-05",
            "subject": "Tố cáo", "person_name": "A", "officer": "nobody"})
        self.assertEqual(status, 422, body)
        self.assertEqual([e["field"] for e in body["errors"]], ["officer"])
        status, _, body = s.post("/api/v1/services/cases/MC3/events", {"date": "2024-09-10", "action": "apology"})
        self.assertEqual(status, 422, body)
        self.assertEqual([e["field"] for e in body["errors"]], ["new_date"])
        # an apology slip on the due day with a new date: recorded, the case still open
        status, _, c = s.post("/api/v1/services/cases/MC3/events",
                              {"date": "2024-09-13", "action": "apology", "new_date": "2024-09-20",
                               "note": "Chờ ý kiến Văn phòng đăng ký đất đai"})
        self.assertEqual(status, 200, c)
        self.assertEqual((c["promised_on"], c["due_on"], c["status"]), ("2024-09-20", "2024-09-13", "in_progress"))


del Base  # not a test of its own

if __name__ == "__main__":
    unittest.main(verbosity=2)
