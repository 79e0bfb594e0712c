#!/usr/bin/env python3
"""Who may see and change what (docs/SECURITY.md), against the real `coso serve`.

A user of each role is made with `coso user add` on the handmade registry
(tests/cases/handmade; "today" is after its 2025 reform), signs in, and tries
every route with records inside and outside its scope: reads by id, lists,
search, filters, reports with and without scope, report children, counts,
and writes. A record outside the scope must never show, through any path:
a read by id answers exactly as for a code that does not exist (404), a
filter or a body naming it is refused (403) with the same words whether or
not it exists, lists and counts leave it out. Then sessions: cookie flags,
the CSRF token and Origin, sign-out, idle and absolute expiry, revocation by
`coso user disable` and `coso user passwd`, and sign-in throttling per user
name and per address (429 with Retry-After).

The scopes, as of today (the registry's 2025 reform is in the past):

  clerk    00001 (Xã Một): 00001, its villages 00001-01, 00001-02 and 00002-01
           (moved from Xã Hai in 2020); OC1, CV11, CV21, CS1; members M1, M2
  merged   00002 (Xã Hai, merged into Xã Một in 2020): sees Xã Một, and Xã Hai's
           own past (00002, OC2, the member M6 who died there)
  leader   00003 (Thị trấn Ba): 00003, 00003-01 and 00003-02 (closed 2018);
           OC3, CS3, CA1, CV32; members M3, M4, M5 (read only)
  district 002 (Huyện Hai, abolished in 2025): the commune that holds its
           villages today (00003) and the district's own past (002, OD2)
  prov     01: everything; admin: everything, and the users
"""
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import test_api as base  # noqa: E402 (the server harness; its tests are not run here)

COSO = base.COSO
PASSWORD = base.PASSWORD
NOW_FAR_PAST = "1900-01-01"

USERS = {
    # name: (role, scope)
    "admin": ("admin", None),
    "prov": ("provincial", "01"),
    "district": ("district", "002"),
    "clerk": ("clerk", "00001"),
    "merged": ("clerk", "00002"),
    "leader": ("leader", "00003"),
}

ALL_UNITS = {"01", "001", "002", "00001", "00002", "00003", "00001-01", "00001-02", "00002-01", "00003-01", "00003-02"}
ALL_ORGS = {"OP", "OD1", "OD2", "OC1", "OC2", "OC3", "CV11", "CV21", "CS1", "CS3", "CV32", "CA1"}
ALL_MEMBERS = {"M1", "M2", "M3", "M4", "M5", "M6"}
ALL_INSTITUTIONS = {"S1", "H1", "S3", "A1"}

# What each user sees (the module's docstring).
VISIBLE = {
    "clerk": {
        "units": {"00001", "00001-01", "00001-02", "00002-01"},
        "orgs": {"OC1", "CV11", "CV21", "CS1"},
        "members": {"M1", "M2"},
        "institutions": {"S1", "H1"},
        "roots": ["00001"],
    },
    "merged": {
        "units": {"00001", "00001-01", "00001-02", "00002-01", "00002"},
        "orgs": {"OC1", "CV11", "CV21", "CS1", "OC2"},
        "members": {"M1", "M2", "M6"},
        "institutions": {"S1", "H1"},
        "roots": ["00001"],
    },
    "leader": {
        "units": {"00003", "00003-01", "00003-02"},
        "orgs": {"OC3", "CS3", "CA1", "CV32"},
        "members": {"M3", "M4", "M5"},
        "institutions": {"S3", "A1"},
        "roots": ["00003"],
    },
    "district": {
        "units": {"00003", "00003-01", "00003-02", "002"},
        "orgs": {"OC3", "CS3", "CA1", "CV32", "OD2"},
        "members": {"M3", "M4", "M5"},
        "institutions": {"S3", "A1"},
        "roots": ["00003"],
    },
    "prov": {"units": ALL_UNITS, "orgs": ALL_ORGS, "members": ALL_MEMBERS, "institutions": ALL_INSTITUTIONS,
             "roots": ["01"]},
    "admin": {"units": ALL_UNITS, "orgs": ALL_ORGS, "members": ALL_MEMBERS, "institutions": ALL_INSTITUTIONS,
              "roots": []},
}

# Which roles hold which permission (the table of docs/SECURITY.md).
CAN = {
    "admin": {"read", "write_registry", "write_units", "admin"},
    "prov": {"read", "write_registry", "write_units"},
    "district": {"read", "write_registry"},
    "clerk": {"read", "write_registry"},
    "merged": {"read", "write_registry"},
    "leader": {"read"},
}


def codes(items, key="code"):
    return {x[key] for x in items}


def problem_words(body, code):
    """A problem's detail with the record's code taken out: what must not differ."""
    return (body["status"], body["title"], body["detail"].replace(code, "<code>"))


class Registry(unittest.TestCase):
    """A server on the handmade registry with one user per role, signed in."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="coso-auth-")
        cls.db = os.path.join(cls.tmp, "r.db")
        base.run("import", base.HANDMADE, db=cls.db)
        for name, (role, scope) in USERS.items():
            base.add_user(cls.db, name, role, scope)
        cls.server = base.Server(cls.db)
        cls.as_user = {}
        for name in USERS:
            s = base.Server.__new__(base.Server)  # a client of the same server, with its own session
            s.proc, s.base, s.port = cls.server.proc, cls.server.base, cls.server.port
            s.cookie = s.csrf = None
            s.session = s.sign_in(name, PASSWORD)
            cls.as_user[name] = s

    @classmethod
    def tearDownClass(cls):
        status, err = cls.server.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)
        if status != 0 or "Sanitizer" in err or "runtime error" in err:
            raise AssertionError("coso serve did not stop cleanly (exit %d):\n%s" % (status, err))

    def ok(self, user, path, **params):
        return self.as_user[user].ok(path, **params)

    def get(self, user, path, **params):
        return self.as_user[user].get(path, **params)

    def post(self, user, path, body):
        return self.as_user[user].post(path, body)


class Reads(Registry):
    """Reads, lists, search, filters and reports, for every role."""

    def test_the_session_tells_the_role_the_scope_and_its_roots(self):
        for name, (role, scope) in USERS.items():
            with self.subTest(user=name):
                s = self.ok(name, "/api/v1/session")
                self.assertEqual((s["user"], s["role"], s["scope"]), (name, role, scope))
                self.assertEqual([u["code"] for u in s["scope_units"]], VISIBLE[name]["roots"])
                self.assertEqual(set(s["permissions"]), CAN[name])
                self.assertEqual(s["csrf"], self.as_user[name].csrf)

    def test_a_record_outside_the_scope_reads_as_one_that_does_not_exist(self):
        kinds = [("units", ALL_UNITS, "/api/v1/units/%s", "unit"), ("orgs", ALL_ORGS, "/api/v1/orgs/%s", "organization"),
                 ("members", ALL_MEMBERS, "/api/v1/members/%s", "member")]
        for name in USERS:
            for kind, everything, pattern, _ in kinds:
                none_status, _, none_body = self.get(name, pattern % "ZZ-NONE")
                self.assertEqual(none_status, 404)
                for code in sorted(everything):
                    with self.subTest(user=name, kind=kind, code=code):
                        status, _, body = self.get(name, pattern % code, as_of="2018-05-22")
                        if code in VISIBLE[name][kind]:
                            self.assertEqual(status, 200, body)
                        else:
                            self.assertEqual(status, 404, body)
                            self.assertEqual(problem_words(body, code), problem_words(none_body, "ZZ-NONE"))

    def test_lists_hold_only_what_the_scope_holds_and_count_only_that(self):
        for name in USERS:
            v = VISIBLE[name]
            for day in ("2018-05-22", None):
                when = {"as_of": day} if day else {}
                with self.subTest(user=name, day=day):
                    units = self.ok(name, "/api/v1/units", q="", per_page=500, level="village", **when)
                    self.assertTrue(codes(units["items"]) <= v["units"])
                    self.assertEqual(units["total"], len(units["items"]))
                    orgs = self.ok(name, "/api/v1/orgs", kind="cell", per_page=500, **when)
                    self.assertTrue(codes(orgs["items"]) <= v["orgs"])
                    self.assertEqual(orgs["total"], len(orgs["items"]))
                    inst = self.ok(name, "/api/v1/institutions", per_page=500, **when)
                    self.assertTrue(codes(inst["items"]) <= v["institutions"])
                    self.assertEqual(inst["total"], len(inst["items"]))
            everyone = self.ok(name, "/api/v1/members", status="all", per_page=500, as_of="2026-01-01")
            self.assertEqual(codes(everyone["items"], "id"), v["members"], name)
            self.assertEqual(everyone["total"], len(v["members"]))

    def test_the_top_of_each_tree_is_the_top_of_the_scope(self):
        self.assertEqual(codes(self.ok("clerk", "/api/v1/units")["items"]), {"00001"})
        self.assertEqual(codes(self.ok("clerk", "/api/v1/orgs")["items"]), {"OC1"})
        self.assertEqual(codes(self.ok("leader", "/api/v1/units")["items"]), {"00003"})
        self.assertEqual(codes(self.ok("prov", "/api/v1/units")["items"]), {"01"})
        self.assertEqual(codes(self.ok("admin", "/api/v1/orgs")["items"]), {"OP"})
        # a page's parents stop at the scope: the breadcrumb starts there
        page = self.ok("clerk", "/api/v1/units/00001-01")
        self.assertEqual(codes(page["ancestors"]), {"00001"})
        page = self.ok("clerk", "/api/v1/orgs/CV11")
        self.assertEqual(codes(page["ancestors"]), {"OC1"})
        # a unit's page lists what stands in the scope only
        page = self.ok("merged", "/api/v1/units/00002", as_of="2018-05-22")
        self.assertEqual(page["unit"]["name"], "Xã Hai")
        self.assertEqual(codes(page["children"]), {"00002-01"})
        self.assertEqual(codes(page["orgs"]), {"OC2"})

    def test_search_finds_nothing_outside_the_scope_not_even_a_count(self):
        # Giàng A Páo (M5) is in Thị trấn Ba; Mùa A Sùng (M2) in Xã Một
        for q, member in (("giang a pao", "M5"), ("mua a sung", "M2"), ("m5", "M5"), ("M2", "M2")):
            for name in USERS:
                with self.subTest(q=q, user=name):
                    got = self.ok(name, "/api/v1/members", q=q, status="all", per_page=500)
                    want = {member} if member in VISIBLE[name]["members"] else set()
                    self.assertEqual(codes(got["items"], "id"), want)
                    self.assertEqual(got["total"], len(want))
        # words shared by members on both sides: only this side's, and its count
        got = self.ok("clerk", "/api/v1/members", q="van", status="all", per_page=1)
        self.assertEqual(got["total"], 1)  # Lò Văn Thắng, not Lường Văn Xuân (M6, Xã Hai's past)
        got = self.ok("merged", "/api/v1/members", q="van", status="all", per_page=1)
        self.assertEqual(got["total"], 2)
        for name in USERS:
            got = self.ok(name, "/api/v1/units", q="ban")
            self.assertTrue(codes(got["items"]) <= VISIBLE[name]["units"], name)
            got = self.ok(name, "/api/v1/orgs", q="chi bo")
            self.assertTrue(codes(got["items"]) <= VISIBLE[name]["orgs"], name)

    def test_a_filter_naming_a_record_outside_the_scope_is_refused_whether_or_not_it_exists(self):
        filters = [("/api/v1/members", "scope", "units"), ("/api/v1/members", "org", "orgs"),
                   ("/api/v1/orgs", "scope", "units"), ("/api/v1/orgs", "parent", "orgs"),
                   ("/api/v1/units", "parent", "units"), ("/api/v1/institutions", "unit", "units"),
                   ("/api/v1/reports/asof", "scope", "units"), ("/api/v1/reports/flow", "scope", "units"),
                   ("/api/v1/reports/timeline", "scope", "units"), ("/api/v1/reports/admissions", "scope", "units")]
        everything = {"units": ALL_UNITS, "orgs": ALL_ORGS}
        for name in ("clerk", "merged", "leader", "district"):
            for path, param, kind in filters:
                _, _, none_body = self.get(name, path, **{param: "ZZ-NONE"})
                self.assertEqual(none_body["status"], 403, (name, path, param))
                for code in sorted(everything[kind]):
                    with self.subTest(user=name, path=path, param=param, code=code):
                        status, _, body = self.get(name, path, **{param: code})
                        if code in VISIBLE[name][kind]:
                            self.assertEqual(status, 200, body)
                        else:
                            self.assertEqual(status, 403, body)
                            self.assertEqual(problem_words(body, code), problem_words(none_body, "ZZ-NONE"))
        # a user without scope still learns that a code does not exist
        status, _, body = self.get("admin", "/api/v1/members", scope="ZZ-NONE")
        self.assertEqual(status, 404, body)

    def test_reports_without_scope_are_the_users_scope(self):
        for name in USERS:
            with self.subTest(user=name):
                got = self.ok(name, "/api/v1/reports/asof")
                roots = VISIBLE[name]["roots"]
                want_scope = roots[0] if roots else "01"
                self.assertEqual(got["scope"]["code"], want_scope)
                self.assertTrue({c["code"] for c in got["children"]} <= VISIBLE[name]["units"] | {"01"})
                explicit = self.ok(name, "/api/v1/reports/asof", scope=want_scope)
                self.assertEqual(got, explicit)
                # the report's count is the list's count: nothing else is counted
                members = self.ok(name, "/api/v1/members", per_page=1, **({"scope": want_scope} if roots else {}))
                self.assertEqual(got["members"]["total"], members["total"])
                for path in ("/api/v1/reports/flow", "/api/v1/reports/timeline", "/api/v1/reports/admissions"):
                    got = self.ok(name, path)
                    self.assertEqual(self.ok(name, path, scope=want_scope) if roots else got, got)

    def test_report_children_and_past_reports_stay_inside_the_scope(self):
        got = self.ok("clerk", "/api/v1/reports/asof", as_of="2018-05-22")
        self.assertEqual(got["scope"]["code"], "00001")
        self.assertEqual({c["code"] for c in got["children"]}, {"00001-01", "00001-02"})
        self.assertEqual(got["members"]["total"], 2)
        # the merged commune's own past is its clerk's, not the new commune's clerk's
        old = self.ok("merged", "/api/v1/reports/asof", as_of="2016-01-01", scope="00002")
        self.assertEqual(old["scope"]["name"], "Xã Hai")
        status, _, _ = self.get("clerk", "/api/v1/reports/asof", as_of="2016-01-01", scope="00002")
        self.assertEqual(status, 403)
        # the province sees the whole, with its children
        prov = self.ok("prov", "/api/v1/reports/asof", as_of="2018-05-22")
        self.assertEqual(prov, self.ok("admin", "/api/v1/reports/asof", as_of="2018-05-22"))
        self.assertEqual({c["code"] for c in prov["children"]}, {"001", "002"})

    def test_org_member_counts_are_of_organizations_in_the_scope(self):
        got = self.ok("clerk", "/api/v1/orgs", per_page=500, kind="committee", as_of="2018-05-22")
        self.assertEqual({o["code"]: o["members"] for o in got["items"]}, {"OC1": 2})
        page = self.ok("clerk", "/api/v1/orgs/OC1", as_of="2018-05-22")
        self.assertEqual(page["members"], 2)
        self.assertEqual(codes(page["children"]), {"CS1", "CV11"})

    def test_the_users_list_is_for_administrators(self):
        got = self.ok("admin", "/api/v1/users")
        self.assertEqual({u["name"] for u in got["items"]} >= set(USERS), True)
        self.assertNotIn("pwhash", got["items"][0])
        self.assertTrue(all("$argon2" not in str(u) for u in got["items"]))
        for name in ("prov", "district", "clerk", "leader"):
            status, _, body = self.get(name, "/api/v1/users")
            self.assertEqual(status, 403, (name, body))


class EveryRoute(Registry):
    """Every route of the OpenAPI document, as every role, inside and outside its scope."""

    # A target inside and one outside the scope, per user and kind of record.
    TARGETS = {
        "clerk": {"unit": ("00001-02", "00003-01"), "org": ("CV11", "CA1"), "member": ("M2", "M3"),
                  "institution": ("S1", "S3")},
        "merged": {"unit": ("00002-01", "00003"), "org": ("CV21", "OC3"), "member": ("M1", "M5"),
                   "institution": ("H1", "A1")},
        "leader": {"unit": ("00003-01", "00001"), "org": ("CS3", "CV11"), "member": ("M5", "M1"),
                   "institution": ("S3", "S1")},
        "district": {"unit": ("00003-01", "00001-01"), "org": ("CA1", "OC1"), "member": ("M3", "M2"),
                     "institution": ("A1", "H1")},
        "prov": {"unit": ("00001-01", None), "org": ("CV11", None), "member": ("M1", None), "institution": ("S1", None)},
        "admin": {"unit": ("00001-01", None), "org": ("CV11", None), "member": ("M1", None), "institution": ("S1", None)},
    }
    PATH_KIND = {"/api/v1/units/{code}": "unit", "/api/v1/orgs/{code}": "org", "/api/v1/members/{id}": "member",
                 "/api/v1/candidates/{id}": "candidate", "/api/v1/transfers/{id}": "transfer"}  # party
    # party: a candidate in each organization of TARGETS, visible as its organization is
    for targets in TARGETS.values():
        targets["candidate"] = tuple(o and "K-" + o for o in targets["org"])
        targets["transfer"] = tuple(m and "T-" + m for m in targets["member"])

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # party: the candidates of TARGETS (candidates.csv alone: the registry is kept)
        folder = os.path.join(cls.tmp, "party")
        os.makedirs(folder)
        with open(os.path.join(folder, "candidates.csv"), "w", encoding="utf-8") as f:
            f.write("id,full_name,gender,birth_date,ethnicity,org_code,proposed_on\n")
            for org in ("CV11", "CA1", "CV21", "OC3", "CS3", "OC1"):
                f.write("K-%s,Lò Văn Chờ,male,2000-01-01,Thái,%s,2024-01-02\n" % (org, org))
        # and a temporary transfer of each member of TARGETS (its from_org: its cell then)
        with open(os.path.join(folder, "transfers.csv"), "w", encoding="utf-8") as f:
            f.write("id,member_id,kind,from_org,to_org,purpose,decided_on,letter_on,until\n")
            for m, org in (("M1", "CV11"), ("M2", "CV11"), ("M3", "CA1"), ("M5", "CS3")):
                f.write("T-%s,%s,temporary,%s,OP,work,2024-01-02,2024-01-03,2024-06-03\n" % (m, m, org))
        base.run("import", folder, db=cls.db)
    PERM = {"members": "write_registry", "orgs": "write_registry", "institutions": "write_registry",
            "units": "write_units"}

    @staticmethod
    def body_for(path, t):
        """A body of the right shape that the registry's rules refuse (a code
        already used, an empty name, a day long past, a record put under
        itself), naming the records t = {kind: code}."""
        old = NOW_FAR_PAST
        bodies = {
            "/api/v1/members": {"id": "M1", "full_name": "Lò Văn Mới", "gender": "male", "birth_date": "1990-01-01",
                                "ethnicity": "Thái", "admitted_on": old, "org_code": t["org"],
                                "residence_code": t["unit"]},
            "/api/v1/members/{id}/official": {"official_on": old},
            "/api/v1/members/{id}/transfer": {"date": old, "org_code": t["org"], "residence_code": t["unit"]},
            "/api/v1/members/{id}/end": {"ended_on": old, "end_reason": "left"},
            "/api/v1/orgs": {"code": "OP", "name": "Chi bộ Mới", "kind": "cell", "grassroots": False,
                             "parent_code": t["org"], "site_unit": t["unit"], "valid_from": old},
            "/api/v1/orgs/{code}/rename": {"date": "2030-01-01", "name": ""},
            "/api/v1/orgs/{code}/move": {"date": "2030-01-01", "parent_code": t["org"]},
            "/api/v1/orgs/{code}/dissolve": {"date": old},
            "/api/v1/units": {"code": "01", "name": "Bản Mới Lập", "level": "village", "kind": "bản",
                              "parent_code": t["unit"], "valid_from": old},
            "/api/v1/units/{code}/rename": {"date": "2030-01-01", "name": ""},
            "/api/v1/units/{code}/move": {"date": "2030-01-01", "parent_code": t["unit"]},
            "/api/v1/units/{code}/close": {"date": old},
            "/api/v1/institutions": {"code": "S1", "name": "Trường Mới", "kind": "school", "unit_code": t["unit"],
                                     "valid_from": old},
            # party: a candidate already in the register, a vote before the verification, an admission
            # without a decision, a review before the end of the probation
            "/api/v1/candidates": {"id": "K-CV11", "full_name": "Lò Văn Chờ", "gender": "male",
                                   "birth_date": "2000-01-01", "ethnicity": "Thái", "org_code": t["org"],
                                   "residence_code": t["unit"], "proposed_on": "2024-01-02"},
            "/api/v1/candidates/{id}/stage": {"stage": "voted", "date": "2024-02-01"},
            "/api/v1/candidates/{id}/admit": {"member_id": "M1", "ceremony_on": "2024-03-01"},
            "/api/v1/members/{id}/probation": {"reviewed_on": old, "decided_on": old, "decided_by": t["org"],
                                               "outcome": "recognised"},
            # a transfer on a day the member belonged to no cell; presented before its letter; back
            # before it was presented
            "/api/v1/transfers": {"id": "T-new", "member_id": t["member"], "kind": "official", "to_org": "OP",
                                  "decided_on": old, "letter_on": old},
            "/api/v1/transfers/{id}/present": {"presented_on": "2024-01-02"},
            "/api/v1/transfers/{id}/return": {"returned_on": "2024-06-03"},
            # a rating of a year before the calendar
            "/api/v1/members/{id}/rating": {"year": "1900", "level": "good", "rated_on": old, "rated_by": t["org"]},
            "/api/v1/orgs/{code}/rating": {"year": "1900", "level": "good", "rated_on": old, "rated_by": t["org"]},
            # a badge on a day the member was not one
            "/api/v1/members/{id}/badge": {"years": "30", "awarded_on": old},
        }
        return bodies[path]

    def test_every_route_as_every_role(self):
        doc = self.server.get("/api/v1/openapi.json")[2]
        before = base.snapshot(self.db, self.tmp)
        tried = set()
        for path, ops in sorted(doc["paths"].items()):
            for method, op in sorted(ops.items()):
                if path.startswith("/api/v1/session") or path in ("/api/v1/health", "/api/v1/openapi.json"):
                    continue  # public, or about the session itself (class Sessions)
                if path.startswith("/api/v1/services/"):
                    continue  # services: every role inside and outside its scope in tests/http/test_services.py
                tried.add((method, path))
                kind = next((k for p, k in self.PATH_KIND.items() if path.startswith(p)), None)
                for name in USERS:
                    for side in (0, 1):
                        t = {k: v[side] for k, v in self.TARGETS[name].items()}
                        inside = {k: v[0] for k, v in self.TARGETS[name].items()}
                        if side == 1 and t["unit"] is None:
                            continue  # nothing is outside an administrator's scope
                        concrete = path
                        if kind:
                            key = path[path.index("{"):path.index("}") + 1]
                            concrete = path.replace(key, t[kind])
                        with self.subTest(method=method, path=concrete, user=name):
                            self.check_route(name, method, path, concrete, op, kind, side, t, inside)
        # cadres: /cadres/summary, /cadres/training, /cadres/posts; plans: resolutions,
        # reports/targets, reports/narrative; party: 17 routes (services: tests/http/test_services.py)
        self.assertEqual(len(tried), 25 + 3 + 3 + 17)
        self.assertEqual(base.snapshot(self.db, self.tmp), before, "a refused request changed the registry")

    def check_route(self, name, method, path, concrete, op, kind, side, t, inside):
        """A request's answer: 403 when the role may not; for a record outside the
        scope, 404 when the path names it and 403 when the query or body does;
        inside, 200 for a read and the registry's own refusal (422) for a write."""
        perm = op["x-permission"]
        allowed = perm in CAN[name] or perm == "signed_in"
        if method == "get":
            status, _, body = self.get(name, concrete)
            if not allowed:
                self.assertEqual(status, 403, body)
            elif side == 1 and kind:
                self.assertEqual(status, 404, body)
            else:
                self.assertEqual(status, 200, body)
            return
        # the path's record on this side; the body's records on this side when
        # the path names none, else inside (so that only the path is outside)
        refs = inside if kind else t
        if kind and path.endswith("/move"):
            refs = dict(inside, **{kind: concrete.split("/")[4]})  # under itself: refused by the rules
        status, _, body = self.post(name, concrete, self.body_for(path, refs))
        if not allowed:
            self.assertEqual(status, 403, body)
            self.assertIn("may not", body["detail"])
        elif side == 1 and kind:
            self.assertEqual(status, 404, body)
        elif side == 1:
            self.assertEqual(status, 403, body)
            self.assertIn("in your scope", body["detail"])
        else:
            # inside the scope: it reaches the registry's rules, which refuse it
            self.assertEqual(status, 422, body)

    def test_a_move_into_a_parent_outside_the_scope_is_refused(self):
        for name in ("clerk", "district", "merged"):
            inside, outside = self.TARGETS[name]["org"]
            status, _, body = self.post(name, "/api/v1/orgs/%s/move" % inside,
                                        {"date": "2030-01-01", "parent_code": outside})
            self.assertEqual(status, 403, (name, body))
            status, _, body2 = self.post(name, "/api/v1/orgs/%s/move" % inside,
                                         {"date": "2030-01-01", "parent_code": "ZZ-NONE"})
            self.assertEqual(problem_words(body, outside), problem_words(body2, "ZZ-NONE"))

    def test_a_user_with_a_scope_cannot_add_at_the_top(self):
        status, _, body = self.post("prov", "/api/v1/units", {"code": "02", "name": "Tỉnh Hai", "level": "province",
                                                              "kind": "tỉnh", "valid_from": "2030-01-01"})
        self.assertEqual(status, 403, body)
        status, _, body = self.post("clerk", "/api/v1/orgs", {"code": "OX", "name": "Đảng bộ X", "kind": "committee",
                                                              "grassroots": True, "site_unit": "00001",
                                                              "valid_from": "2030-01-01"})
        self.assertEqual(status, 403, body)


class Writes(Registry):
    """Writes inside the scope land, and the writer then sees what it wrote."""

    def test_a_clerk_admits_moves_and_ends_a_member_of_the_commune(self):
        ans = self.post("clerk", "/api/v1/members", {
            "id": "C1", "full_name": "Lò Thị Một", "gender": "female", "birth_date": "1995-01-01", "ethnicity": "Thái",
            "admitted_on": "2030-01-01", "org_code": "CV11", "residence_code": "00001-02"})
        self.assertEqual(ans[0], 201, ans[2])
        self.assertEqual(ans[2]["member"]["id"], "C1")
        self.assertIn("C1", codes(self.ok("clerk", "/api/v1/members", as_of="2030-06-01", per_page=500)["items"], "id"))
        # the new member is the clerk's, not Thị trấn Ba's
        self.assertEqual(self.get("leader", "/api/v1/members/C1")[0], 404)
        self.assertEqual(self.post("clerk", "/api/v1/members/C1/transfer", {"date": "2031-01-01", "org_code": "CS1"})[0],
                         200)
        self.assertEqual(self.post("clerk", "/api/v1/members/C1/transfer", {"date": "2032-01-01", "org_code": "CS3"})[0],
                         403)
        self.assertEqual(self.post("clerk", "/api/v1/members/C1/end", {"ended_on": "2033-01-01", "end_reason": "left"})[0],
                         200)
        # the audit log names who did it
        p = subprocess.run([COSO, "--db", self.db, "audit", "log", "--record", "member:C1"], capture_output=True,
                           text=True, env=base.ENV)
        if p.returncode == 0:
            self.assertIn("clerk", p.stdout)

    def test_the_province_adds_a_unit_and_an_organization_there_and_sees_them(self):
        s, _, body = self.post("prov", "/api/v1/units", {"code": "00003-05", "name": "Tổ dân phố 5", "level": "village",
                                                         "kind": "tổ dân phố", "parent_code": "00003",
                                                         "valid_from": "2030-01-01"})
        self.assertEqual(s, 201, body)
        self.assertEqual(body["unit"]["code"], "00003-05")
        s, _, body = self.post("prov", "/api/v1/orgs", {"code": "CV35", "name": "Chi bộ tổ dân phố 5", "kind": "cell",
                                                        "grassroots": False, "parent_code": "OC3",
                                                        "site_unit": "00003-05", "valid_from": "2030-01-01"})
        self.assertEqual(s, 201, body)
        self.assertEqual(body["org"]["code"], "CV35")
        # seen at once by those whose scope holds it, and by no one else
        self.assertEqual(self.get("leader", "/api/v1/orgs/CV35")[0], 200)
        self.assertEqual(self.get("clerk", "/api/v1/orgs/CV35")[0], 404)


class Sessions(Registry):
    """Signing in and out, cookies, CSRF, Origin, expiry, revocation."""

    def fresh(self, name, password=PASSWORD):
        s = base.Server.__new__(base.Server)
        s.proc, s.base, s.port = self.server.proc, self.server.base, self.server.port
        s.cookie = s.csrf = None
        s.session = s.sign_in(name, password)
        return s

    def anonymous(self):
        s = base.Server.__new__(base.Server)
        s.proc, s.base, s.port = self.server.proc, self.server.base, self.server.port
        s.cookie = s.csrf = None
        return s

    def test_without_a_session_only_health_and_the_document_answer(self):
        a = self.anonymous()
        self.assertEqual(a.get("/api/v1/health")[0], 200)
        self.assertEqual(a.get("/api/v1/openapi.json")[0], 200)
        for path in ("/api/v1/units", "/api/v1/members/M1", "/api/v1/reports/asof", "/api/v1/session", "/api/v1/users"):
            status, headers, body = a.get(path)
            self.assertEqual(status, 401, path)
            self.assertIn("sign in", body["detail"])
            self.assertIn("WWW-Authenticate", headers)
        status, _, _ = a.post("/api/v1/members/M1/official", {"official_on": "2030-01-01"})
        self.assertEqual(status, 401)
        # a made-up cookie is no better, and is told to go
        status, headers, _ = a.request("GET", "/api/v1/units", headers={"Cookie": "coso_session=" + "A" * 43})
        self.assertEqual(status, 401)
        self.assertIn("Max-Age=0", headers["Set-Cookie"])

    def test_the_cookie_is_httponly_samesite_strict_and_secure_behind_tls(self):
        a = self.anonymous()
        status, headers, body = a.request("POST", "/api/v1/session", {"user": "leader", "password": PASSWORD})
        self.assertEqual(status, 200)
        cookie = headers["Set-Cookie"]
        attrs = [x.strip() for x in cookie.split(";")]
        name, _, token = attrs[0].partition("=")
        self.assertEqual(name, "coso_session")
        self.assertRegex(token, r"^[A-Za-z0-9_-]{43}$")  # 32 random bytes
        self.assertIn("HttpOnly", attrs)
        self.assertIn("SameSite=Strict", attrs)
        self.assertIn("Path=/", attrs)
        self.assertNotIn("Secure", attrs)
        self.assertNotEqual(body["csrf"], token)
        self.assertEqual(headers["X-Frame-Options"], "DENY")
        self.assertEqual(headers["Cache-Control"], "no-store")
        # the database keeps the token's hash, never the token
        with sqlite3.connect(self.db) as db:
            stored = [r[0] for r in db.execute("SELECT token_hash FROM app_session")]
        self.assertTrue(all(len(h) == 32 for h in stored))
        self.assertFalse(any(token.encode() in h for h in stored))
        # behind a proxy that speaks TLS: Secure (and the Origin is https)
        status, headers, _ = a.request("POST", "/api/v1/session", {"user": "leader", "password": PASSWORD},
                                       headers={"X-Forwarded-Proto": "https"})
        self.assertEqual(status, 200)
        self.assertIn("Secure", [x.strip() for x in headers["Set-Cookie"].split(";")])
        status, _, _ = a.request("POST", "/api/v1/session", {"user": "leader", "password": PASSWORD},
                                 headers={"X-Forwarded-Proto": "https", "Origin": "http://127.0.0.1:%d" % a.port})
        self.assertEqual(status, 403)

    def test_a_post_needs_the_sessions_csrf_token_and_its_own_origin(self):
        s = self.fresh("clerk")
        body = {"date": "2030-01-01", "name": ""}  # refused by the rules, once through
        for headers in ({"X-CSRF-Token": ""}, {"X-CSRF-Token": "x" * 43}, {"X-CSRF-Token": self.as_user["leader"].csrf}):
            with self.subTest(headers=headers):
                status, _, problem = s.request("POST", "/api/v1/orgs/CV11/rename", body, headers=headers)
                self.assertEqual(status, 403, problem)
                self.assertIn("X-CSRF-Token", problem["detail"])
        s2 = self.anonymous()
        s2.cookie = s.cookie  # the cookie alone, as another site's form would send it
        status, _, problem = s2.request("POST", "/api/v1/orgs/CV11/rename", body)
        self.assertEqual(status, 403)
        self.assertIn("missing X-CSRF-Token", problem["detail"])
        for origin in ("http://evil.example", "null", "https://127.0.0.1:%d" % s.port):
            status, _, problem = s.request("POST", "/api/v1/orgs/CV11/rename", body, headers={"Origin": origin})
            self.assertEqual(status, 403, origin)
            self.assertIn("another site", problem["detail"])
        status, _, problem = s.request("POST", "/api/v1/orgs/CV11/rename", body,
                                       headers={"Origin": "http://127.0.0.1:%d" % s.port})
        self.assertEqual(status, 422, problem)  # through to the rules
        # reads need no token
        self.assertEqual(s.get("/api/v1/units")[0], 200)

    def test_signing_out_ends_the_session(self):
        s = self.fresh("leader")
        cookie = s.cookie
        status, headers, _ = s.request("POST", "/api/v1/session/end")
        self.assertEqual(status, 200)
        self.assertIn("Max-Age=0", headers["Set-Cookie"])
        status, _, body = s.get("/api/v1/units")
        self.assertEqual(status, 401)
        self.assertIn("ended", body["detail"])
        # the old cookie is worth nothing, replayed
        again = self.anonymous()
        again.cookie = cookie
        self.assertEqual(again.get("/api/v1/session")[0], 401)

    def age(self, s, sql):
        token = s.cookie.split("=", 1)[1]
        import hashlib
        h = hashlib.sha256(token.encode()).digest()
        with sqlite3.connect(self.db, timeout=30) as db:
            db.execute(sql, (h,))

    def test_a_session_ends_after_30_minutes_unused_or_12_hours_in_all(self):
        s = self.fresh("clerk")
        self.assertEqual(s.get("/api/v1/units")[0], 200)
        self.age(s, "UPDATE app_session SET last_seen = last_seen - 1801 WHERE token_hash = ?")
        status, headers, body = s.get("/api/v1/units")
        self.assertEqual(status, 401)
        self.assertIn("30 minutes", body["detail"])
        self.assertIn("Max-Age=0", headers["Set-Cookie"])
        s = self.fresh("clerk")
        self.age(s, "UPDATE app_session SET last_seen = last_seen - 1700 WHERE token_hash = ?")
        self.assertEqual(s.get("/api/v1/units")[0], 200)  # used within the half hour: it slides
        self.assertEqual(s.get("/api/v1/units")[0], 200)
        self.age(s, "UPDATE app_session SET expires_at = strftime('%s', 'now') - 1 WHERE token_hash = ?")
        self.assertEqual(s.get("/api/v1/units")[0], 401)

    def test_disabling_a_user_ends_its_sessions_and_its_sign_ins(self):
        base.add_user(self.db, "temp", "clerk", "00001")
        s = self.fresh("temp")
        self.assertEqual(s.get("/api/v1/units")[0], 200)
        p = base.run("user", "disable", "temp", db=self.db)
        self.assertIn("1 session ended", p.stdout)
        self.assertEqual(s.get("/api/v1/units")[0], 401)
        a = self.anonymous()
        status, _, body = a.request("POST", "/api/v1/session", {"user": "temp", "password": PASSWORD})
        self.assertEqual(status, 403, body)
        self.assertIn("disabled", body["detail"])
        # a wrong password for a disabled user says nothing more than for anyone
        status, _, body = a.request("POST", "/api/v1/session", {"user": "temp", "password": "wrong password!"})
        self.assertEqual(status, 401)

    def test_a_new_password_ends_the_sessions(self):
        base.add_user(self.db, "temp2", "leader", "01")
        s = self.fresh("temp2")
        base.run("user", "passwd", "temp2", "--password-stdin", db=self.db, stdin="another password 2\n")
        self.assertEqual(s.get("/api/v1/units")[0], 401)
        a = self.anonymous()
        self.assertEqual(a.request("POST", "/api/v1/session", {"user": "temp2", "password": PASSWORD})[0], 401)
        self.fresh("temp2", "another password 2")

    def test_an_unknown_user_and_a_wrong_password_get_the_same_answer(self):
        a = self.anonymous()
        s1, h1, b1 = a.request("POST", "/api/v1/session", {"user": "leader", "password": "not the password"})
        s2, h2, b2 = a.request("POST", "/api/v1/session", {"user": "nobody-at-all", "password": "not the password"})
        s3, _, b3 = a.request("POST", "/api/v1/session", {"user": "bad name\nx", "password": "not the password"})
        self.assertEqual((s1, b1), (401, b2))
        self.assertEqual((s3, b3), (401, b1))
        self.assertNotIn("Set-Cookie", h1)
        status, _, body = a.request("POST", "/api/v1/session", {"user": "leader"})
        self.assertEqual(status, 422)

    def test_sessions_run_in_parallel(self):
        errors = []

        def worker(name):
            try:
                s = self.fresh(name)
                for _ in range(5):
                    got = s.ok("/api/v1/members", status="all", per_page=500, as_of="2026-01-01")
                    if codes(got["items"], "id") != VISIBLE[name]["members"]:
                        errors.append((name, codes(got["items"], "id")))
            except Exception as e:  # noqa: BLE001 (reported below)
                errors.append((name, e))
        threads = [threading.Thread(target=worker, args=(n,)) for n in list(USERS) * 2]
        for t in threads:
            t.start()
        for t in threads:
            t.join(base.TIMEOUT)
        self.assertEqual(errors, [])


class Throttling(unittest.TestCase):
    """Failed sign-ins: five per user name and twenty per address in 15 minutes, then 429."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="coso-auth-")
        cls.db = os.path.join(cls.tmp, "r.db")
        base.run("import", base.HANDMADE, db=cls.db)
        for name in ("alice", "bob", "carol"):
            base.add_user(cls.db, name, "leader", "01")
        cls.server = base.Server(cls.db)

    @classmethod
    def tearDownClass(cls):
        status, err = cls.server.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)
        if status != 0 or "Sanitizer" in err:
            raise AssertionError("coso serve did not stop cleanly (exit %d):\n%s" % (status, err))
        # the log names who and from where, never a password
        if "wrong-1" in err or PASSWORD in err:
            raise AssertionError("a password reached the log:\n" + err)

    def sign_in(self, user, password):
        return self.server.request("POST", "/api/v1/session", {"user": user, "password": password})

    def test_1_five_failures_of_a_user_name_lock_it_for_a_while(self):
        for i in range(5):
            self.assertEqual(self.sign_in("alice", "wrong-%d-password" % i)[0], 401)
        status, headers, body = self.sign_in("alice", PASSWORD)  # even the right password now
        self.assertEqual(status, 429, body)
        self.assertTrue(1 <= int(headers["Retry-After"]) <= 900)
        self.assertIn("try again", body["detail"])
        # another user is not locked out
        self.assertEqual(self.sign_in("bob", PASSWORD)[0], 200)
        # a success forgets the user's failures
        for i in range(4):
            self.assertEqual(self.sign_in("bob", "wrong-%d-password" % i)[0], 401)
        self.assertEqual(self.sign_in("bob", PASSWORD)[0], 200)
        self.assertEqual(self.sign_in("bob", "wrong-x-password")[0], 401)
        self.assertEqual(self.sign_in("bob", PASSWORD)[0], 200)
        # the lock ends with the window (the failures are made older)
        with sqlite3.connect(self.db, timeout=30) as db:
            db.execute("UPDATE auth_attempt SET at = at - 901 WHERE key = 'alice'")
        self.assertEqual(self.sign_in("alice", PASSWORD)[0], 200)

    def test_2_twenty_failures_from_one_address_lock_every_name_from_it(self):
        with sqlite3.connect(self.db, timeout=30) as db:
            db.execute("DELETE FROM auth_attempt")
        for i in range(20):
            self.assertEqual(self.sign_in("guess-%d" % i, "wrong-%d-password" % i)[0], 401)
        status, headers, _ = self.sign_in("carol", PASSWORD)
        self.assertEqual(status, 429)
        self.assertIn("Retry-After", headers)
        with sqlite3.connect(self.db, timeout=30) as db:
            db.execute("DELETE FROM auth_attempt")
        self.assertEqual(self.sign_in("carol", PASSWORD)[0], 200)


class CommandLine(unittest.TestCase):
    """coso user: no default account, no default password."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="coso-auth-")
        self.db = os.path.join(self.tmp, "r.db")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def user(self, *args, stdin=None):
        return base.run("user", *args, db=self.db, check=False, stdin=stdin)

    def test_the_first_administrator_is_made_on_a_new_database_and_nobody_else_exists(self):
        p = self.user("add", "root", "--role", "admin", "--generate-password")
        self.assertEqual(p.returncode, 0, p.stderr)
        password = p.stdout.split("password: ")[1].strip()
        self.assertRegex(password, r"^[A-Za-z0-9_-]{20}$")
        listed = self.user("list").stdout
        self.assertEqual([line.split()[0] for line in listed.splitlines()[1:]], ["root"])
        self.assertNotIn("argon2", listed)
        with sqlite3.connect(self.db) as db:
            (h,) = db.execute("SELECT pwhash FROM app_user WHERE name = 'root'").fetchone()
        self.assertTrue(h.startswith("$argon2id$"))
        self.assertNotIn(password, h)

    def test_what_is_refused(self):
        base.run("import", base.HANDMADE, db=self.db)
        cases = [
            (("add", "x", "--password-stdin"), "pw-long-enough", 2, "--role"),
            (("add", "x", "--role", "king", "--password-stdin"), "pw-long-enough", 2, "not one of"),
            (("add", "x", "--role", "clerk", "--password-stdin"), "pw-long-enough", 2, "--scope"),
            (("add", "x", "--role", "clerk", "--scope", "99999", "--password-stdin"), "pw-long-enough", 1,
             "not in the registry"),
            (("add", "x y", "--role", "admin", "--password-stdin"), "pw-long-enough", 2, "user name"),
            (("add", "x", "--role", "admin", "--password-stdin"), "short", 1, "at least 10"),
            (("add", "x", "--role", "admin", "--password-stdin"), None, 1, "no password"),
            (("passwd", "nobody", "--password-stdin"), "pw-long-enough", 1, "no user nobody"),
            (("disable", "nobody"), None, 1, "no user nobody"),
            (("frobnicate",), None, 2, "unknown subcommand"),
        ]
        for args, stdin, code, words in cases:
            with self.subTest(args=args):
                p = self.user(*args, stdin=(stdin + "\n") if stdin is not None else "")
                self.assertEqual(p.returncode, code, p.stderr)
                self.assertIn(words, p.stderr)
        self.assertEqual(self.user("add", "x", "--role", "clerk", "--scope", "00001", stdin="pw-long-enough\n").returncode, 0)
        p = self.user("add", "x", "--role", "admin", stdin="pw-long-enough\n")
        self.assertEqual(p.returncode, 1)
        self.assertIn("already exists", p.stderr)

    def test_serve_says_how_to_make_the_first_administrator(self):
        base.run("import", base.HANDMADE, db=self.db)
        proc = subprocess.Popen([COSO, "--db", self.db, "serve", "--port", "0"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=base.ENV)
        lines = []
        reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)
        reader.start()
        deadline = time.time() + base.TIMEOUT
        while not any("nobody can sign in" in x for x in lines) and time.time() < deadline and proc.poll() is None:
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=base.TIMEOUT)
        reader.join(base.TIMEOUT)
        err = proc.stderr.read()
        proc.stdout.close()
        proc.stderr.close()
        self.assertEqual(proc.returncode, 0, err)
        self.assertIn("user add NAME --role admin", "".join(lines))

if __name__ == "__main__":
    unittest.main(verbosity=1)
