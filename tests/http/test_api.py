#!/usr/bin/env python3
"""Black-box tests of the HTTP API (docs/API.md) against the real `coso serve`.

Run by ctest with COSO set to the binary under test (the sanitizer build).
Each server is started on a free loopback port (--port 0: the port is read
from the line it prints) on a registry imported from tests/cases/handmade,
and stopped with SIGTERM: it must exit 0 and the sanitizers must have
nothing to say, so a leak or an undefined behaviour fails the test.

Every route but health and the OpenAPI document needs a session: the
tests make an administrator with `coso user add` and sign in as it (who may
see and change what is tested in test_auth.py). COSO_INSECURE_FAST_HASH=1
keeps password hashing fast (docs/SECURITY.md).

The figures of the report endpoints are the hand-worked ones of
tests/cli/test_registry.py, and must equal the CLI's JSON exactly.
"""
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import unittest
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
HANDMADE = os.path.join(HERE, "..", "cases", "handmade")
COSO = os.environ.get("COSO", os.path.join(HERE, "..", "..", "build", "coso"))
TIMEOUT = 60
ENV = dict(os.environ, COSO_INSECURE_FAST_HASH="1")
ADMIN = "admin"
PASSWORD = "correct horse battery"

# The routes of docs/API.md: the server must have exactly these.
API_ROUTES = {
    ("get", "/api/v1/health"), ("get", "/api/v1/units"), ("get", "/api/v1/units/{code}"),
    ("get", "/api/v1/institutions"), ("get", "/api/v1/orgs"), ("get", "/api/v1/orgs/{code}"),
    ("get", "/api/v1/members"), ("get", "/api/v1/members/{id}"), ("get", "/api/v1/reports/asof"),
    ("get", "/api/v1/reports/flow"), ("get", "/api/v1/reports/timeline"), ("get", "/api/v1/reports/admissions"),
    ("get", "/api/v1/openapi.json"),
    ("get", "/api/v1/session"), ("post", "/api/v1/session"), ("post", "/api/v1/session/end"), ("get", "/api/v1/users"),
    ("post", "/api/v1/members"), ("post", "/api/v1/members/{id}/official"), ("post", "/api/v1/members/{id}/transfer"),
    ("post", "/api/v1/members/{id}/end"), ("post", "/api/v1/orgs"), ("post", "/api/v1/orgs/{code}/rename"),
    ("post", "/api/v1/orgs/{code}/move"), ("post", "/api/v1/orgs/{code}/dissolve"), ("post", "/api/v1/units"),
    ("post", "/api/v1/units/{code}/rename"), ("post", "/api/v1/units/{code}/move"), ("post", "/api/v1/units/{code}/close"),
    ("post", "/api/v1/institutions"),
    # plans
    ("get", "/api/v1/resolutions"), ("get", "/api/v1/reports/targets"), ("get", "/api/v1/reports/narrative"),
}
# cadres (docs/CADRES.md)
API_ROUTES |= {("get", "/api/v1/cadres/summary"), ("get", "/api/v1/cadres/training"),
               ("get", "/api/v1/cadres/posts")}
# end cadres
# services (docs/SERVICES.md)
API_ROUTES |= {
    ("get", "/api/v1/services/procedures"), ("get", "/api/v1/services/cases"), ("get", "/api/v1/services/cases/{id}"),
    ("get", "/api/v1/services/report"), ("post", "/api/v1/services/cases"),
    ("post", "/api/v1/services/cases/{id}/events"), ("post", "/api/v1/services/cases/{id}/procedure"),
    ("get", "/api/v1/services/receptions"), ("get", "/api/v1/services/receptions/{id}"),
    ("post", "/api/v1/services/receptions"), ("get", "/api/v1/services/voter-petitions"),
    ("post", "/api/v1/services/voter-petitions"), ("post", "/api/v1/services/voter-petitions/{id}/answer"),
}
# party (tests/http/test_party.py)
API_ROUTES |= {
    ("get", "/api/v1/candidates"), ("get", "/api/v1/candidates/{id}"), ("post", "/api/v1/candidates"),
    ("post", "/api/v1/candidates/{id}/stage"), ("post", "/api/v1/candidates/{id}/admit"),
    ("post", "/api/v1/members/{id}/probation"), ("get", "/api/v1/probation"), ("get", "/api/v1/party/due"),
    ("get", "/api/v1/party/badges"), ("get", "/api/v1/transfers"), ("post", "/api/v1/transfers"),
    ("post", "/api/v1/transfers/{id}/present"), ("post", "/api/v1/transfers/{id}/return"),
    ("get", "/api/v1/party/ratings"), ("post", "/api/v1/members/{id}/rating"), ("post", "/api/v1/orgs/{code}/rating"),
    ("post", "/api/v1/members/{id}/badge"),
}


def run(*args, db=None, check=True, stdin=None):
    cmd = [COSO] + (["--db", db] if db else []) + list(args)
    p = subprocess.run(cmd, capture_output=True, text=True, input=stdin, env=ENV)
    if check and p.returncode != 0:
        raise AssertionError("%s failed (%d):\n%s" % (" ".join(cmd), p.returncode, p.stderr))
    return p


def add_user(db, name, role, scope=None, password=PASSWORD):
    """A user made with the command line (the only way to make one)."""
    run("user", "add", name, "--role", role, *(["--scope", scope] if scope else []), "--password-stdin",
        db=db, stdin=password + "\n")


def cli_report(db, *args):
    return json.loads(run("report", *args, "--format", "json", db=db).stdout)


def snapshot(db, tmp):
    """The registry as the five files of an export."""
    out = tempfile.mkdtemp(dir=tmp)
    run("export", out, db=db)
    snap = {}
    for name in sorted(os.listdir(out)):
        with open(os.path.join(out, name), encoding="utf-8") as f:
            snap[name] = f.read()
    shutil.rmtree(out)
    return snap


class Server:
    """A `coso serve` process on a free loopback port."""

    def __init__(self, db, web=None):
        args = [COSO, "--db", db, "serve", "--port", "0", "--bind", "127.0.0.1"]
        if web:
            args += ["--web", web]
        self.cookie = None   # "coso_session=..." once signed in
        self.csrf = None
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
        line = self._first_line()
        m = re.search(r"serving (http://127\.0\.0\.1:(\d+))/ \(database ", line or "")
        if not m:
            self.proc.kill()
            out, err = self.proc.communicate()
            raise AssertionError("coso serve did not start: %r\n%s%s" % (line, out, err))
        self.base = m.group(1)
        self.port = int(m.group(2))

    def _first_line(self):
        box = []
        t = threading.Thread(target=lambda: box.append(self.proc.stdout.readline()), daemon=True)
        t.start()
        t.join(TIMEOUT)
        return box[0] if box else None

    def stop(self, sig=signal.SIGTERM):
        """Stops the server; returns (exit status, stderr)."""
        self.proc.send_signal(sig)
        try:
            out, err = self.proc.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, err = self.proc.communicate()
            return -1, err
        return self.proc.returncode, err

    def sign_in(self, user=ADMIN, password=PASSWORD):
        """Signs in: later requests carry the session's cookie, and POSTs its CSRF token."""
        self.cookie = self.csrf = None
        status, headers, body = self.request("POST", "/api/v1/session", {"user": user, "password": password})
        if status != 200:
            raise AssertionError("sign-in of %s: %d %r" % (user, status, body))
        self.cookie = headers["Set-Cookie"].split(";", 1)[0]
        self.csrf = body["csrf"]
        return body

    def request(self, method, path, body=None, headers=None, raw=False):
        """(status, headers, body: parsed JSON unless raw) of one request."""
        data = body
        hdrs = dict(headers or {})
        if self.cookie:
            hdrs.setdefault("Cookie", self.cookie)
            if method == "POST" and self.csrf:
                hdrs.setdefault("X-CSRF-Token", self.csrf)
        if body is not None and not isinstance(body, (bytes, str)):
            data = json.dumps(body).encode("utf-8")
            hdrs.setdefault("Content-Type", "application/json")
        elif isinstance(body, str):
            data = body.encode("utf-8")
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=TIMEOUT) as r:
                status, rh, payload = r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            status, rh, payload = e.code, e.headers, e.read()
        if raw:
            return status, rh, payload
        return status, rh, json.loads(payload.decode("utf-8")) if payload else None

    def get(self, path, **params):
        q = urllib.parse.urlencode(params)
        return self.request("GET", path + ("?" + q if q else ""))

    def ok(self, path, **params):
        status, _, body = self.get(path, **params)
        if status != 200:
            raise AssertionError("GET %s %r: %d %r" % (path, params, status, body))
        return body

    def post(self, path, body):
        return self.request("POST", path, body)


def figures(v, s, h, m):
    """The four objects of the contract (as in tests/cli/test_registry.py)."""
    return {
        "villages": {"total": v[0], "with_org": v[1], "without_org": v[0] - v[1], "without_member": v[2]},
        "schools": {"total": s[0], "with_org": s[1]},
        "health_stations": {"total": h[0], "with_org": h[1]},
        "members": {"total": m[0], "probationary": m[1], "official": m[0] - m[1]},
    }


def codes(items, key="code"):
    return [x[key] for x in items]


class ServerCase(unittest.TestCase):
    """A server on a fresh import of the handmade registry, for the class."""

    web = False

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="coso-http-")
        cls.db = os.path.join(cls.tmp, "r.db")
        run("import", HANDMADE, db=cls.db)
        add_user(cls.db, ADMIN, "admin")
        web_dir = None
        if cls.web:
            web_dir = os.path.join(cls.tmp, "web")
            os.makedirs(os.path.join(web_dir, "assets"))
            with open(os.path.join(web_dir, "index.html"), "w") as f:
                f.write("<!doctype html><title>coso</title>")
            with open(os.path.join(web_dir, "assets", "app.js"), "w") as f:
                f.write("console.log('coso');")
            with open(os.path.join(web_dir, "assets", "app.css"), "w") as f:
                f.write("body{}")
            with open(os.path.join(cls.tmp, "secret.txt"), "w") as f:
                f.write("not for the web")
        cls.server = Server(cls.db, web_dir)
        cls.server.sign_in()

    @classmethod
    def tearDownClass(cls):
        status, err = cls.server.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)
        if status != 0 or "Sanitizer" in err or "runtime error" in err:
            raise AssertionError("coso serve did not stop cleanly (exit %d):\n%s" % (status, err))

    def assertProblem(self, status, got, body, field=None, fragment=None):
        self.assertEqual(got, status, body)
        self.assertEqual(body["status"], status)
        self.assertEqual(body["type"], "about:blank")
        self.assertIn("title", body)
        if field is not None:
            fields = [e["field"] for e in body["errors"]]
            self.assertIn(field, fields, body)
        if fragment is not None:
            text = json.dumps(body, ensure_ascii=False)
            self.assertIn(fragment, text)


class Reads(ServerCase):
    D = "2018-05-22"

    def test_health_gives_the_schema_version(self):
        body = self.server.ok("/api/v1/health")
        self.assertEqual(body["status"], "ok")
        self.assertGreaterEqual(body["schema"], 2)

    def test_units_are_listed_as_of_a_day_by_parent_level_and_name(self):
        s = self.server
        self.assertEqual(codes(s.ok("/api/v1/units", as_of=self.D)["items"]), ["01"])
        self.assertEqual(codes(s.ok("/api/v1/units", parent="", as_of=self.D)["items"]), ["01"])
        self.assertEqual(codes(s.ok("/api/v1/units", parent="01", as_of=self.D)["items"]), ["001", "002"])
        # after the 2025 reform, the communes are under the province
        self.assertEqual(codes(s.ok("/api/v1/units", parent="01", as_of="2026-01-01")["items"]), ["00001", "00003"])
        villages = s.ok("/api/v1/units", level="village", as_of=self.D)
        self.assertEqual(codes(villages["items"]), ["00001-01", "00001-02", "00002-01", "00003-01"])
        self.assertEqual(villages["total"], 4)
        # diacritics and case ignored, Vietnamese order: Hai < Mới < Nà
        found = s.ok("/api/v1/units", q="BAN", level="village", as_of=self.D, sort="name")["items"]
        self.assertEqual([u["name"] for u in found], ["Bản Hai, Trên", "Bản Mới", "Bản Nà Một"])
        found = s.ok("/api/v1/units", q="na mot", as_of=self.D)["items"]
        self.assertEqual(codes(found), ["00001-01"])
        u = found[0]
        self.assertEqual(u, {"code": "00001-01", "name": "Bản Nà Một", "level": "village", "kind": "bản",
                             "parent_code": "00001", "border": False, "difficult": True, "population": None,
                             "valid_from": None, "valid_to": None})
        desc = s.ok("/api/v1/units", parent="01", as_of=self.D, sort="-code")["items"]
        self.assertEqual(codes(desc), ["002", "001"])

    def test_a_unit_page_has_its_ancestors_children_history_institutions_and_orgs(self):
        d = self.server.ok("/api/v1/units/00001", as_of=self.D)
        self.assertEqual(d["unit"]["name"], "Xã Một")
        self.assertEqual(d["unit"]["population"], 1200)
        self.assertEqual(d["ancestors"], [{"code": "01", "name": "Tỉnh Thử Nghiệm", "level": "province"},
                                          {"code": "001", "name": "Huyện Một", "level": "district"}])
        self.assertEqual(codes(d["children"]), ["00001-01", "00001-02"])
        self.assertEqual([(h["parent_code"], h["valid_from"], h["valid_to"]) for h in d["history"]],
                         [("001", None, "2025-07-01"), ("01", "2025-07-01", None)])
        self.assertEqual(codes(d["institutions"]), ["H1"])
        self.assertEqual(codes(d["orgs"]), ["OC1"])
        self.assertEqual(d["orgs"][0]["members"], 2)  # M1 and M2 in CV11, under OC1
        later = self.server.ok("/api/v1/units/00003", as_of="2026-01-01")
        self.assertEqual((later["unit"]["name"], later["unit"]["kind"]), ("Thị trấn Ba", "thị trấn"))
        self.assertEqual(codes(later["ancestors"]), ["01"])
        gone = self.server.ok("/api/v1/units/001", as_of="2026-01-01")
        self.assertIsNone(gone["unit"])
        self.assertEqual(len(gone["history"]), 1)
        status, _, body = self.server.get("/api/v1/units/99999")
        self.assertProblem(404, status, body, fragment="99999")

    def test_institutions_are_listed_with_whether_an_org_sits_there(self):
        s = self.server
        got = s.ok("/api/v1/institutions", as_of=self.D)
        self.assertEqual({i["code"]: i["has_org"] for i in got["items"]},
                         {"A1": True, "H1": False, "S1": True, "S3": True})
        self.assertEqual(codes(s.ok("/api/v1/institutions", as_of=self.D, unit="002")["items"]), ["A1", "S3"])
        self.assertEqual(codes(s.ok("/api/v1/institutions", as_of=self.D, kind="school")["items"]), ["S1", "S3"])
        # S3 opens on 2016-09-01; CS3 is founded on 2018-05-22
        self.assertEqual(codes(s.ok("/api/v1/institutions", as_of="2016-01-01")["items"]), ["A1", "H1", "S1"])
        self.assertFalse(s.ok("/api/v1/institutions", as_of="2018-05-21", unit="00003", kind="school")
                         ["items"][0]["has_org"])

    def test_orgs_are_listed_with_their_members(self):
        s = self.server
        top = s.ok("/api/v1/orgs", as_of=self.D)["items"]
        self.assertEqual(codes(top), ["OP"])
        self.assertEqual(top[0]["members"], 4)  # every active member is under the province's committee
        self.assertEqual(codes(s.ok("/api/v1/orgs", parent="OC1", as_of=self.D)["items"]), ["CS1", "CV11"])
        self.assertEqual(codes(s.ok("/api/v1/orgs", scope="002", as_of=self.D)["items"]), ["CA1", "CS3", "OC3", "OD2"])
        self.assertEqual(codes(s.ok("/api/v1/orgs", scope="002", kind="cell", as_of=self.D)["items"]), ["CA1", "CS3"])
        self.assertEqual(codes(s.ok("/api/v1/orgs", q="ban na", as_of=self.D)["items"]), ["CV11"])
        d = s.ok("/api/v1/orgs/OC1", as_of=self.D)
        self.assertEqual(d["org"]["name"], "Đảng bộ xã Một")
        self.assertEqual(d["members"], 2)
        self.assertEqual(codes(d["ancestors"]), ["OP", "OD1"])
        self.assertEqual(codes(d["children"]), ["CS1", "CV11"])
        self.assertEqual([h["parent_code"] for h in d["history"]], ["OD1", "OP"])
        gone = s.ok("/api/v1/orgs/CV32", as_of=self.D)
        self.assertIsNone(gone["org"])
        self.assertEqual(gone["members"], 0)
        status, _, body = s.get("/api/v1/orgs/NOPE")
        self.assertProblem(404, status, body)

    def test_members_are_in_vietnamese_order_given_name_first(self):
        got = self.server.ok("/api/v1/members", as_of=self.D)
        # Anh (Nguyễn Thị "Lan", Anh), Páo, Sùng, Thắng
        self.assertEqual(codes(got["items"], "id"), ["M3", "M5", "M2", "M1"])
        self.assertEqual(got["total"], 4)
        everyone = self.server.ok("/api/v1/members", as_of=self.D, status="all")
        # + Hoa (ended 2018-01-01) and Xuân (died 2016-01-01)
        self.assertEqual(codes(everyone["items"], "id"), ["M3", "M4", "M5", "M2", "M1", "M6"])
        self.assertEqual([m["status"] for m in everyone["items"]],
                         ["probationary", "ended", "probationary", "official", "official", "ended"])
        back = self.server.ok("/api/v1/members", as_of=self.D, sort="-name")
        self.assertEqual(codes(back["items"], "id"), ["M1", "M2", "M5", "M3"])
        by_day = self.server.ok("/api/v1/members", as_of=self.D, sort="admitted_on")
        self.assertEqual(codes(by_day["items"], "id"), ["M1", "M2", "M3", "M5"])
        m2 = [m for m in got["items"] if m["id"] == "M2"][0]
        self.assertEqual(m2, {"id": "M2", "full_name": "Mùa A Sùng", "gender": "male", "birth_date": "1990-07-15",
                              "ethnicity": "Mông", "admitted_on": "2016-06-01", "official_on": "2017-06-01",
                              "ended_on": None, "end_reason": None, "status": "official",
                              "org": {"code": "CV11", "name": "Chi bộ bản Nà Một"},
                              "residence": {"code": "00001-02", "name": "Bản Mới"}})

    def test_search_ignores_diacritics_and_case_and_takes_word_prefixes_in_any_order(self):
        s = self.server
        for q in ("mua a sung", "sung", "SÙNG mùa", "mu a su", "Mùa A Sùng", "m2"):
            with self.subTest(q=q):
                self.assertEqual(codes(s.ok("/api/v1/members", q=q, as_of=self.D)["items"], "id"), ["M2"])
        self.assertEqual(s.ok("/api/v1/members", q="ung", as_of=self.D)["total"], 0)
        self.assertEqual(codes(s.ok("/api/v1/members", q="thi", status="all", as_of=self.D)["items"], "id"),
                         ["M3", "M4"])  # Anh before Hoa
        self.assertEqual(codes(s.ok("/api/v1/members", q="lan anh", as_of=self.D)["items"], "id"), ["M3"])

    def test_members_are_filtered_by_scope_and_organization(self):
        s = self.server
        self.assertEqual(codes(s.ok("/api/v1/members", scope="002", as_of=self.D)["items"], "id"), ["M3", "M5"])
        self.assertEqual(codes(s.ok("/api/v1/members", org="OC1", as_of=self.D)["items"], "id"), ["M2", "M1"])
        self.assertEqual(codes(s.ok("/api/v1/members", org="CV21", as_of="2017-01-01")["items"], "id"), ["M2"])
        self.assertEqual(s.ok("/api/v1/members", org="CV21", as_of=self.D)["total"], 0)
        status, _, body = s.get("/api/v1/members", scope="77777")
        self.assertProblem(404, status, body)

    def test_a_member_page_has_periods_and_events(self):
        d = self.server.ok("/api/v1/members/M2", as_of=self.D)
        self.assertEqual(d["member"]["status"], "official")
        self.assertEqual(d["periods"], [
            {"valid_from": "2016-06-01", "valid_to": "2018-02-01", "org": {"code": "CV21", "name": "Chi bộ bản Hai"},
             "residence": {"code": "00002-01", "name": "Bản Hai, Trên"}},
            {"valid_from": "2018-02-01", "valid_to": None, "org": {"code": "CV11", "name": "Chi bộ bản Nà Một"},
             "residence": {"code": "00001-02", "name": "Bản Mới"}},
        ])
        self.assertEqual([(e["date"], e["kind"]) for e in d["events"]],
                         [("2016-06-01", "admitted"), ("2017-06-01", "official"), ("2018-02-01", "transfer")])
        self.assertEqual(d["events"][2]["to"]["org"]["code"], "CV11")
        m6 = self.server.ok("/api/v1/members/M6", as_of=self.D)
        self.assertEqual(m6["member"]["status"], "ended")
        self.assertEqual(m6["events"][-1], {"date": "2016-01-01", "kind": "ended", "end_reason": "died"})
        early = self.server.ok("/api/v1/members/M5", as_of="2018-05-21")
        self.assertEqual(early["member"]["status"], "not_admitted")
        status, _, body = self.server.get("/api/v1/members/M99")
        self.assertProblem(404, status, body)

    def test_lists_are_paged_within_limits(self):
        s = self.server
        p1 = s.ok("/api/v1/members", as_of=self.D, per_page=3)
        self.assertEqual((len(p1["items"]), p1["page"], p1["per_page"], p1["total"]), (3, 1, 3, 4))
        p2 = s.ok("/api/v1/members", as_of=self.D, per_page=3, page=2)
        self.assertEqual((codes(p2["items"], "id"), p2["total"]), (["M1"], 4))
        past = s.ok("/api/v1/members", as_of=self.D, per_page=3, page=9)
        self.assertEqual((past["items"], past["total"]), ([], 4))
        self.assertEqual(s.ok("/api/v1/units", level="village", per_page=500)["per_page"], 500)
        self.assertEqual(s.ok("/api/v1/orgs")["per_page"], 50)
        for params in ({"per_page": 501}, {"per_page": 0}, {"page": 0}, {"page": "x"}, {"per_page": "-1"},
                       {"sort": "birth"}, {"status": "dead"}, {"as_of": "2018-02-30"}, {"as_of": "yesterday"}):
            with self.subTest(params=params):
                status, _, body = s.get("/api/v1/members", **params)
                self.assertProblem(400, status, body, fragment=list(params)[0])

    def test_report_as_of_is_the_cli_json_with_the_hand_worked_figures(self):
        got = self.server.ok("/api/v1/reports/asof", as_of=self.D)
        self.assertEqual(got, cli_report(self.db, "--as-of", self.D))
        want = figures((4, 2, 1), (2, 2), (1, 0), (4, 2))
        self.assertEqual({k: got[k] for k in want}, want)
        self.assertEqual(got["scope"], {"code": "01", "name": "Tỉnh Thử Nghiệm"})
        self.assertEqual({c["code"]: c["members"]["total"] for c in got["children"]}, {"001": 2, "002": 2})
        scoped = self.server.ok("/api/v1/reports/asof", as_of="2017-12-31", scope="002")
        self.assertEqual(scoped, cli_report(self.db, "--as-of", "2017-12-31", "--scope", "002"))
        want = figures((2, 1, 0), (1, 0), (0, 0), (2, 1))
        self.assertEqual({k: scoped[k] for k in want}, want)
        both = self.server.ok("/api/v1/reports/asof", as_of=self.D, compare="2016-01-01")
        self.assertEqual(both, cli_report(self.db, "--as-of", self.D, "--compare", "2016-01-01"))
        self.assertEqual(both["before"]["members"], {"total": 2, "probationary": 1, "official": 1})
        status, _, body = self.server.get("/api/v1/reports/asof", scope="77777")
        self.assertProblem(404, status, body, fragment="77777")
        status, _, body = self.server.get("/api/v1/reports/asof", scope="")
        self.assertProblem(400, status, body)

    def test_report_flow_is_the_cli_json_with_the_hand_worked_figures(self):
        got = self.server.ok("/api/v1/reports/flow", **{"from": "2016-01-01", "to": self.D})
        self.assertEqual(got, cli_report(self.db, "--from", "2016-01-01", "--to", self.D))
        self.assertEqual(got["admissions"], {"total": 3, "commune_level": 2})
        self.assertEqual(got["orgs_founded"], {"village": 1, "school": 2, "health_station": 0, "other": 0})
        later = self.server.ok("/api/v1/reports/flow", **{"from": "2019-01-01", "to": "2026-01-01", "scope": "00001"})
        self.assertEqual(later, cli_report(self.db, "--from", "2019-01-01", "--to", "2026-01-01", "--scope", "00001"))
        status, _, body = self.server.get("/api/v1/reports/flow", **{"from": "2018-01-01", "to": "2017-01-01"})
        self.assertProblem(400, status, body)

    def test_timeline_points_are_the_figures_of_their_day(self):
        got = self.server.ok("/api/v1/reports/timeline", **{"from": "2015-01-01", "to": self.D})
        self.assertEqual([p["date"] for p in got["points"]],
                         ["2015-01-01", "2016-01-01", "2017-01-01", "2018-01-01", self.D])
        for p in got["points"]:
            r = cli_report(self.db, "--as-of", p["date"])
            self.assertEqual(p, {"date": p["date"], "villages_total": r["villages"]["total"],
                                 "villages_without_org": r["villages"]["without_org"],
                                 "villages_without_member": r["villages"]["without_member"],
                                 "members_total": r["members"]["total"]})
        self.assertEqual(got["points"][1]["members_total"], 2)  # hand-worked: M1 and M4 on 2016-01-01
        quarters = self.server.ok("/api/v1/reports/timeline", scope="002",
                                  **{"from": "2017-01-01", "to": "2017-12-31", "step": "quarter"})
        self.assertEqual([p["date"] for p in quarters["points"]],
                         ["2017-01-01", "2017-04-01", "2017-07-01", "2017-10-01", "2017-12-31"])
        self.assertEqual(quarters["points"][-1]["members_total"], 2)
        status, _, body = self.server.get("/api/v1/reports/timeline", step="month",
                                          **{"from": "1900-01-01", "to": "2018-01-01"})
        self.assertProblem(400, status, body, fragment="400")

    def test_admission_periods_add_up_to_the_flow_report(self):
        for scope in (None, "002", "00001"):
            params = {"from": "2015-06-15", "to": "2018-05-22"}
            if scope:
                params["scope"] = scope
            got = self.server.ok("/api/v1/reports/admissions", **params)
            flow = self.server.ok("/api/v1/reports/flow", **params)
            self.assertEqual(sum(p["total"] for p in got["points"]), flow["admissions"]["total"], scope)
            self.assertEqual(sum(p["commune_level"] for p in got["points"]), flow["admissions"]["commune_level"])
            self.assertEqual(got["points"][0]["from"], "2015-06-15")
            self.assertEqual(got["points"][0]["to"], "2015-06-30")
            self.assertEqual(got["points"][1]["from"], "2015-07-01")
            self.assertEqual(got["points"][-1]["to"], "2018-05-22")
        years = self.server.ok("/api/v1/reports/admissions", step="year", **{"from": "2016-01-01", "to": "2018-05-22"})
        self.assertEqual([(p["from"], p["to"], p["total"], p["commune_level"]) for p in years["points"]],
                         [("2016-01-01", "2016-12-31", 1, 1), ("2017-01-01", "2017-12-31", 1, 0),
                          ("2018-01-01", "2018-05-22", 1, 1)])

    def test_openapi_lists_exactly_the_routes_of_the_server(self):
        doc = self.server.ok("/api/v1/openapi.json")
        self.assertTrue(doc["openapi"].startswith("3.0"))
        listed = {(m, p) for p, ops in doc["paths"].items() for m in ops}
        self.assertEqual(listed, API_ROUTES)
        samples = {"/api/v1/units/{code}": "01", "/api/v1/orgs/{code}": "OP", "/api/v1/members/{id}": "M1"}
        before = snapshot(self.db, self.tmp)
        for method, path in sorted(listed):
            if path == "/api/v1/session/end":
                continue  # it would end this test's session (test_auth.py signs out)
            if path in ("/api/v1/services/cases/{id}", "/api/v1/services/receptions/{id}") and method == "get":
                continue  # services: no case in this registry (tests/http/test_services.py reads one)
            if (method, path) == ("get", "/api/v1/candidates/{id}"):
                continue  # party: no candidate in the handmade registry (test_party.py reads one)
            concrete = path
            for prefix, value in samples.items():
                if path.startswith(prefix):
                    concrete = value.join(path.split(prefix[prefix.index("{"):]))
            op = doc["paths"][path][method]
            self.assertTrue(op["summary"])
            with self.subTest(method=method, path=concrete):
                if method == "get":
                    status, _, body = self.server.get(concrete)
                    self.assertEqual(status, 200, body)
                else:
                    # an empty body: every required field is named, nothing is written
                    status, _, body = self.server.post(concrete, {})
                    required = op["requestBody"]["content"]["application/json"]["schema"]["required"]
                    self.assertProblem(422, status, body)
                    self.assertEqual(sorted(e["field"] for e in body["errors"]), sorted(required))
        self.assertEqual(snapshot(self.db, self.tmp), before)

    def test_requests_in_parallel_get_the_same_answers(self):
        want = self.server.ok("/api/v1/members", as_of=self.D)
        results, errors = [], []

        def worker():
            try:
                for _ in range(5):
                    results.append(self.server.ok("/api/v1/members", as_of=self.D))
                    self.server.ok("/api/v1/reports/asof", as_of=self.D)
            except Exception as e:  # noqa: BLE001 (reported below)
                errors.append(e)
        threads = [threading.Thread(target=worker) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(TIMEOUT)
        self.assertEqual(errors, [])
        self.assertEqual(len(results), 40)
        self.assertTrue(all(r == want for r in results))


class Protocol(ServerCase):
    """What the dispatcher checks before any handler runs, and the static files."""

    web = True

    def raw(self, method, path, body=None, headers=None):
        c = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=TIMEOUT)
        try:
            c.request(method, path, body=body, headers=dict({"Cookie": self.server.cookie}, **(headers or {})))
            r = c.getresponse()
            return r.status, r.getheaders(), r.read()
        finally:
            c.close()

    def test_malformed_json_is_400_with_the_position(self):
        status, _, body = self.server.request("POST", "/api/v1/members", '{"id": "M9",\n "full_name": }',
                                              headers={"Content-Type": "application/json"})
        self.assertProblem(400, status, body, fragment="line 2, column")
        status, _, body = self.server.request("POST", "/api/v1/members", "[1, 2]",
                                              headers={"Content-Type": "application/json"})
        self.assertProblem(400, status, body, fragment="JSON object")
        status, _, body = self.server.request("POST", "/api/v1/members", '{"id": "a", "id": "b"}',
                                              headers={"Content-Type": "application/json"})
        self.assertProblem(400, status, body, fragment="duplicate")

    def test_a_body_that_is_not_json_is_415(self):
        for ctype in ("text/plain", "application/x-www-form-urlencoded", None):
            with self.subTest(ctype=ctype):
                headers = {"Content-Type": ctype} if ctype else {}
                status, _, body = self.server.request("POST", "/api/v1/members", "id=M9", headers=headers)
                self.assertProblem(415, status, body)
        status, _, body = self.server.request("POST", "/api/v1/orgs/OP/rename", {"date": "2019-01-01", "name": ""},
                                              headers={"Content-Type": "application/json; charset=utf-8"})
        self.assertProblem(422, status, body, field="name")

    def test_a_body_over_64_kib_is_413(self):
        big = {"id": "M9", "full_name": "x" * (65 * 1024)}
        status, _, body = self.server.post("/api/v1/members", big)
        self.assertProblem(413, status, body)
        # without a Content-Length (chunked), the limit holds too
        c = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=TIMEOUT)
        c.request("POST", "/api/v1/members", body=(b"x" * 1024 for _ in range(80)),
                  headers={"Content-Type": "application/json"}, encode_chunked=True)
        r = c.getresponse()
        self.assertEqual(r.status, 413)
        c.close()
        # and the limit is not an error below it: 60 KiB of JSON is read (and refused by the rules)
        status, _, body = self.server.post("/api/v1/orgs/OP/rename", {"date": "2019-01-01", "name": "y" * (60 * 1024),
                                                                      "pad": 1})
        self.assertProblem(422, status, body, field="pad")

    def test_unknown_routes_are_404_and_wrong_methods_405(self):
        for path in ("/api/v1/nothing", "/api/v1/units/01/children", "/api/v2/units", "/api", "/api/v1/units/"):
            with self.subTest(path=path):
                status, _, body = self.server.get(path)
                self.assertProblem(404, status, body, fragment="no such route")
        status, headers, body = self.server.request("DELETE", "/api/v1/units")
        self.assertProblem(405, status, body)
        self.assertEqual(headers["Allow"], "GET, HEAD, POST")
        status, headers, body = self.server.request("PUT", "/api/v1/members/M1/official", {"official_on": "2020-01-01"})
        self.assertProblem(405, status, body)
        self.assertEqual(headers["Allow"], "POST")
        status, headers, _ = self.server.request("POST", "/index.html", {})
        self.assertEqual(status, 405)

    def test_a_query_string_has_bounds(self):
        params = "&".join("k%d=v" % i for i in range(40))
        status, _, body = self.server.request("GET", "/api/v1/units?" + params)
        self.assertProblem(400, status, body, fragment="too long")
        status, _, body = self.server.request("GET", "/api/v1/units?q=" + "a" * 5000)
        self.assertProblem(400, status, body, fragment="too long")
        # unknown arguments (a cache buster) are ignored
        status, _, body = self.server.request("GET", "/api/v1/units?_=12345")
        self.assertEqual(status, 200)

    def test_the_browser_interface_is_served_with_its_types_and_a_fallback(self):
        status, headers, body = self.raw("GET", "/")
        self.assertEqual((status, dict(headers)["Content-Type"]), (200, "text/html; charset=utf-8"))
        self.assertIn(b"<title>coso</title>", body)
        status, headers, body = self.raw("GET", "/assets/app.js")
        self.assertEqual((status, dict(headers)["Content-Type"], body),
                         (200, "text/javascript; charset=utf-8", b"console.log('coso');"))
        status, headers, _ = self.raw("GET", "/assets/app.css")
        self.assertEqual(dict(headers)["Content-Type"], "text/css; charset=utf-8")
        # the interface's own paths get its page
        status, headers, body = self.raw("GET", "/members/M1?as_of=2018-05-22")
        self.assertEqual((status, dict(headers)["Content-Type"]), (200, "text/html; charset=utf-8"))
        self.assertIn(b"<title>coso</title>", body)
        # but a missing script is not answered with the page
        status, headers, _ = self.raw("GET", "/assets/gone-1234.js")
        self.assertEqual((status, dict(headers)["Content-Type"]), (404, "application/problem+json"))

    def test_paths_that_climb_out_of_the_web_folder_are_refused(self):
        for path in ("/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt",
                     "/..\\secret.txt"):
            with self.subTest(path=path):
                status, _, body = self.raw("GET", path)
                self.assertNotIn(b"not for the web", body)
                self.assertIn(status, (400, 404))


class Writes(ServerCase):
    """Every write: it succeeds, and a rule violation is a 422 naming the
    field with nothing written (the export before equals the export after)."""

    def refused(self, path, body, field, fragment=None, status=422):
        before = snapshot(self.db, self.tmp)
        got, _, problem = self.server.post(path, body)
        self.assertProblem(status, got, problem, field=field, fragment=fragment)
        self.assertEqual(snapshot(self.db, self.tmp), before, "a refused write changed the registry")
        return problem

    def accepted(self, path, body, status=200):
        got, _, answer = self.server.post(path, body)
        self.assertEqual(got, status, answer)
        return answer

    def test_admitting_a_member(self):
        ans = self.accepted("/api/v1/members", {
            "id": "M7", "full_name": "Đặng Thị Ánh", "gender": "female", "birth_date": "1995-01-01",
            "ethnicity": "Kinh", "admitted_on": "2019-03-01", "org_code": "CV11", "residence_code": "00001-01"}, 201)
        self.assertEqual(ans["member"]["status"], "probationary")
        self.assertEqual(ans["periods"][0]["org"]["code"], "CV11")
        d = self.server.ok("/api/v1/members/M7", as_of="2019-03-01")
        self.assertEqual(d["member"]["full_name"], "Đặng Thị Ánh")
        # the new member is found without diacritics, and counted by the report
        self.assertEqual(codes(self.server.ok("/api/v1/members", q="dang thi anh", as_of="2019-06-01")["items"], "id"),
                         ["M7"])
        self.assertEqual(self.server.ok("/api/v1/reports/asof", as_of="2019-06-01", scope="00001")["members"]["total"], 3)
        self.refused("/api/v1/members", {
            "id": "M8", "full_name": "Lò Văn Tám", "gender": "male", "birth_date": "1990-01-01",
            "ethnicity": "Thái", "admitted_on": "2019-03-01", "org_code": "C9"}, "org_code", "organization C9 does not exist")
        self.refused("/api/v1/members", {
            "id": "M8", "full_name": "Lò Văn Tám", "gender": "male", "birth_date": "1990-01-01",
            "ethnicity": "Thái", "admitted_on": "2019-03-01", "org_code": "CV32"}, "org_code", "does not exist for the whole")
        self.refused("/api/v1/members", {
            "id": "M1", "full_name": "Lò Văn Thắng", "gender": "male", "birth_date": "1980-02-29",
            "ethnicity": "Thái", "admitted_on": "2019-03-01", "org_code": "CV11"}, "id", "already in the registry")
        self.refused("/api/v1/members", {
            "id": "M8", "full_name": "Lò Văn Tám", "gender": "male", "birth_date": "2020-01-01",
            "ethnicity": "Thái", "admitted_on": "2019-03-01", "org_code": "CV11"}, "birth_date", "not before admitted_on")
        p = self.refused("/api/v1/members", {
            "id": "M8", "full_name": "Lò Văn Tám", "gender": "x", "birth_date": "1990-02-30", "ethnicity": "Thái",
            "admitted_on": "2019-03-01", "org_code": "CV11", "nickname": "Tám"}, "gender")
        self.assertEqual(sorted(e["field"] for e in p["errors"]), ["birth_date", "gender", "nickname"])

    def test_recognising_a_member_as_official(self):
        ans = self.accepted("/api/v1/members/M3/official", {"official_on": "2018-06-01"})
        self.assertEqual(ans["member"]["status"], "official")
        self.assertEqual(self.server.ok("/api/v1/members/M3", as_of="2018-05-31")["member"]["status"], "probationary")
        self.refused("/api/v1/members/M5/official", {"official_on": "2017-01-01"}, "official_on", "before admitted_on")
        self.refused("/api/v1/members/M1/official", {"official_on": "2012-01-01"}, "official_on", "already official")
        self.refused("/api/v1/members/M99/official", {"official_on": "2012-01-01"}, None, "M99", status=404)

    def test_transferring_a_member(self):
        ans = self.accepted("/api/v1/members/M1/transfer", {"date": "2019-01-01", "org_code": "CS1"})
        self.assertEqual([(p["valid_from"], p["valid_to"], p["org"]["code"], p["residence"]["code"])
                          for p in ans["periods"]],
                         [("2010-01-01", "2019-01-01", "CV11", "00001-01"), ("2019-01-01", None, "CS1", "00001-01")])
        self.assertEqual(ans["events"][-1]["kind"], "transfer")
        self.assertEqual(self.server.ok("/api/v1/members/M1", as_of="2018-12-31")["member"]["org"]["code"], "CV11")
        self.refused("/api/v1/members/M5/transfer", {"date": "2019-01-01", "org_code": "CV32"}, "org_code",
                     "organization CV32 does not exist")
        self.refused("/api/v1/members/M5/transfer", {"date": "2019-01-01", "residence_code": "00003-02"},
                     "residence_code", "unit 00003-02 does not exist")
        self.refused("/api/v1/members/M2/transfer", {"date": "2018-01-01", "org_code": "CS1"}, "date",
                     "cannot change the past")
        self.refused("/api/v1/members/M5/transfer", {"date": "2019-01-01"}, "org_code", "give org_code or residence_code")
        self.refused("/api/v1/members/M4/transfer", {"date": "2019-01-01", "org_code": "CV11"}, "date", "ended on 2018-01-01")

    def test_ending_a_membership(self):
        name = self.server.ok("/api/v1/members/M2", as_of="2023-12-31")["member"]["full_name"]
        # found by name among the active members of the day before and after the end, in every plan's way
        for plan_params in ({}, {"sort": "-name"}, {"sort": "admitted_on"}):
            found = self.server.ok("/api/v1/members", q=name, as_of="2024-06-01", **plan_params)["items"]
            self.assertIn("M2", codes(found, "id"))
        ans = self.accepted("/api/v1/members/M2/end", {"ended_on": "2024-01-01", "end_reason": "left"})
        self.assertEqual(ans["member"]["status"], "ended")
        # the search data follows the end at once (member_search keeps the days: a trigger)
        for plan_params in ({}, {"sort": "-name"}, {"sort": "admitted_on"}):
            self.assertNotIn("M2", codes(self.server.ok("/api/v1/members", q=name, as_of="2024-06-01",
                                                        **plan_params)["items"], "id"))
            self.assertIn("M2", codes(self.server.ok("/api/v1/members", q=name, as_of="2023-12-31",
                                                     **plan_params)["items"], "id"))
        self.assertEqual(ans["periods"][-1]["valid_to"], "2024-01-01")
        self.assertEqual(ans["events"][-1], {"date": "2024-01-01", "kind": "ended", "end_reason": "left"})
        self.refused("/api/v1/members/M5/end", {"ended_on": "2017-01-01", "end_reason": "died"}, "ended_on",
                     "before admitted_on")
        self.refused("/api/v1/members/M5/end", {"ended_on": "2020-01-01", "end_reason": "vanished"}, "end_reason")
        self.refused("/api/v1/members/M6/end", {"ended_on": "2020-01-01", "end_reason": "died"}, "ended_on", "already ended")

    def test_founding_an_organization(self):
        ans = self.accepted("/api/v1/orgs", {"code": "CV12", "name": "Chi bộ bản Mới", "kind": "cell", "grassroots": False,
                                             "parent_code": "OC1", "site_unit": "00001-02", "valid_from": "2019-01-01"}, 201)
        self.assertEqual(ans["org"]["code"], "CV12")
        self.assertEqual(codes(ans["ancestors"]), ["OP", "OD1", "OC1"])
        flow = self.server.ok("/api/v1/reports/flow", **{"from": "2019-01-01", "to": "2019-01-01"})
        self.assertEqual(flow["orgs_founded"]["village"], 1)
        self.refused("/api/v1/orgs", {"code": "CV13", "name": "Chi bộ X", "kind": "cell", "grassroots": 0,
                                      "parent_code": "OC2", "site_unit": "00001-02", "valid_from": "2019-01-01"},
                     "parent_code", "organization OC2 does not exist for the whole period")
        self.refused("/api/v1/orgs", {"code": "CV13", "name": "Chi bộ X", "kind": "cell", "grassroots": 0,
                                      "parent_code": "OC1", "site_unit": "00001-02", "site_institution": "S1",
                                      "valid_from": "2019-01-01"}, "site_institution", "not both")
        self.refused("/api/v1/orgs", {"code": "CV11", "name": "Chi bộ X", "kind": "cell", "grassroots": 0,
                                      "parent_code": "OC1", "site_unit": "00001-02", "valid_from": "2019-01-01"},
                     "code", "never reused")
        self.refused("/api/v1/orgs", {"code": "CV13", "name": "Chi bộ X", "kind": "cell", "grassroots": 2,
                                      "site_unit": "00001-02", "valid_from": "2019-01-01"}, "grassroots")

    def test_renaming_moving_and_dissolving_an_organization(self):
        ans = self.accepted("/api/v1/orgs/CS1/rename", {"date": "2020-01-01", "name": "Chi bộ trường Tiểu học Nà Một"})
        self.assertEqual([(h["name"], h["valid_from"], h["valid_to"]) for h in ans["history"]],
                         [("Chi bộ trường Nà Một", "2017-01-10", "2020-01-01"),
                          ("Chi bộ trường Tiểu học Nà Một", "2020-01-01", None)])
        self.assertEqual(self.server.ok("/api/v1/orgs/CS1", as_of="2019-12-31")["org"]["name"], "Chi bộ trường Nà Một")
        self.refused("/api/v1/orgs/CV32/rename", {"date": "2019-01-01", "name": "Chi bộ Cũ"}, "date", "dissolved on 2018-01-01")
        self.refused("/api/v1/orgs/CS1/rename", {"date": "2019-01-01", "name": "Chi bộ Y"}, "date", "cannot change the past")
        ans = self.accepted("/api/v1/orgs/CA1/move", {"date": "2026-01-01", "parent_code": "OC3"})
        self.assertEqual(codes(ans["ancestors"]), ["OP", "OC3"])
        self.refused("/api/v1/orgs/CV11/move", {"date": "2026-01-01", "parent_code": "OC9"}, "parent_code",
                     "organization OC9 does not exist")
        self.refused("/api/v1/orgs/OP/move", {"date": "2026-01-01", "parent_code": "CV11"}, "parent_code",
                     "its own ancestor")
        ans = self.accepted("/api/v1/orgs/CV21/dissolve", {"date": "2021-01-01"})
        self.assertEqual(ans["history"][-1]["valid_to"], "2021-01-01")
        self.assertIsNone(self.server.ok("/api/v1/orgs/CV21", as_of="2021-01-01")["org"])
        # its members must be moved first: the problem names them, on the event's day
        self.refused("/api/v1/orgs/CV11/dissolve", {"date": "2021-01-01"}, "date", "organization CV11 does not exist")
        self.refused("/api/v1/orgs/CV21/dissolve", {"date": "2022-01-01"}, "date", "dissolved on 2021-01-01")
        self.refused("/api/v1/orgs/NOPE/dissolve", {"date": "2022-01-01"}, None, "NOPE", status=404)

    def test_adding_renaming_moving_and_closing_units(self):
        ans = self.accepted("/api/v1/units", {"code": "00001-03", "name": "Bản Nà Hai", "level": "village", "kind": "bản",
                                              "parent_code": "00001", "valid_from": "2020-01-01", "difficult": True,
                                              "population": 320}, 201)
        self.assertEqual((ans["unit"]["difficult"], ans["unit"]["population"]), (True, 320))
        self.assertEqual(codes(ans["ancestors"]), ["01", "001", "00001"])
        self.refused("/api/v1/units", {"code": "00002-09", "name": "Bản X", "level": "village", "kind": "bản",
                                       "parent_code": "00002", "valid_from": "2021-01-01"}, "parent_code",
                     "unit 00002 does not exist for the whole period")
        self.refused("/api/v1/units", {"code": "00001-09", "name": "Bản X", "level": "village", "kind": "bản",
                                       "parent_code": "00001-01", "valid_from": "2021-01-01"}, "parent_code", "is a village")
        self.refused("/api/v1/units", {"code": "00001-09", "name": "Bản X", "level": "hamlet", "kind": "bản",
                                       "parent_code": "00001", "valid_from": "2021-01-01"}, "level")
        ans = self.accepted("/api/v1/units/00001-02/rename", {"date": "2022-01-01", "name": "Bản Mới Trên"})
        self.assertEqual([h["name"] for h in ans["history"]], ["Bản Mới", "Bản Mới Trên"])
        ans = self.accepted("/api/v1/units/00003/rename", {"date": "2026-01-01", "name": "Phường Ba", "kind": "phường"})
        self.assertEqual((ans["unit"]["name"], ans["unit"]["kind"]), ("Phường Ba", "phường"))
        self.refused("/api/v1/units/00003-02/rename", {"date": "2019-01-01", "name": "Bản Cũ Mới"}, "date", "closed on 2018-01-01")
        self.refused("/api/v1/units/00001-01/rename", {"date": "2019-01-01", "name": "Bản Nà Một"}, "name", "already named")
        ans = self.accepted("/api/v1/units/00003-01/move", {"date": "2027-01-01", "parent_code": "00001"})
        self.assertEqual(codes(ans["ancestors"]), ["01", "00001"])
        self.refused("/api/v1/units/00001-01/move", {"date": "2022-01-01", "parent_code": "00001-02"}, "parent_code",
                     "is a village")
        self.accepted("/api/v1/units", {"code": "00003-09", "name": "Bản Tạm", "level": "village", "kind": "bản",
                                        "parent_code": "00003", "valid_from": "2019-01-01"}, 201)
        ans = self.accepted("/api/v1/units/00003-09/close", {"date": "2020-01-01"})
        self.assertEqual(ans["history"][-1]["valid_to"], "2020-01-01")
        self.assertIsNone(self.server.ok("/api/v1/units/00003-09", as_of="2020-06-01")["unit"])
        # people live there: closing 00001-01 would strand them
        self.refused("/api/v1/units/00001-01/close", {"date": "2023-01-01"}, "date", "unit 00001-01 does not exist")

    def test_adding_an_institution(self):
        ans = self.accepted("/api/v1/institutions", {"code": "S9", "name": "Trường Mầm non Mới", "kind": "school",
                                                     "unit_code": "00001-02", "valid_from": "2019-09-01"}, 201)
        self.assertEqual(ans, {"code": "S9", "name": "Trường Mầm non Mới", "kind": "school", "unit_code": "00001-02",
                               "valid_from": "2019-09-01", "valid_to": None, "has_org": False})
        got = self.server.ok("/api/v1/reports/asof", as_of="2019-09-01", scope="00001")
        self.assertEqual(got["schools"], {"total": 2, "with_org": 1})
        self.refused("/api/v1/institutions", {"code": "S8", "name": "Trường X", "kind": "school", "unit_code": "99999",
                                              "valid_from": "2019-09-01"}, "unit_code", "unit 99999 does not exist")
        self.refused("/api/v1/institutions", {"code": "S8", "name": "Trường X", "kind": "school", "unit_code": "00003-02",
                                              "valid_from": "2019-09-01"}, "unit_code", "does not exist for the whole period")
        self.refused("/api/v1/institutions", {"code": "S8", "name": "Trường X", "kind": "temple", "unit_code": "00001",
                                              "valid_from": "2019-09-01"}, "kind")

    def test_writes_in_parallel_queue_and_all_land(self):
        results, errors = [], []

        def worker(k):
            try:
                for i in range(3):
                    got, _, body = self.server.post("/api/v1/members", {
                        "id": "P%d-%d" % (k, i), "full_name": "Giàng A Song %d" % k, "gender": "male",
                        "birth_date": "1990-01-01", "ethnicity": "Mông", "admitted_on": "2021-01-01",
                        "org_code": "CS3"})
                    results.append(got)
                    self.server.ok("/api/v1/members", scope="00003", as_of="2021-06-01")
            except Exception as e:  # noqa: BLE001 (reported below)
                errors.append(e)
        threads = [threading.Thread(target=worker, args=(k,)) for k in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(TIMEOUT)
        self.assertEqual(errors, [])
        self.assertEqual(results, [201] * 18)
        found = self.server.ok("/api/v1/members", q="giang song", as_of="2021-06-01", per_page=100)
        self.assertEqual(found["total"], 18)

    def test_zz_after_all_the_writes_the_registry_exports_and_imports_whole(self):
        # the writes left a registry that passes an import's checks
        out = tempfile.mkdtemp(dir=self.tmp)
        run("export", out, db=self.db)
        run("import", out, db=os.path.join(self.tmp, "again.db"))


class Lifecycle(unittest.TestCase):
    def test_sigint_stops_the_server_cleanly_too(self):
        tmp = tempfile.mkdtemp(prefix="coso-http-")
        try:
            db = os.path.join(tmp, "r.db")
            run("import", HANDMADE, db=db)
            s = Server(db)
            self.assertEqual(s.ok("/api/v1/health")["status"], "ok")
            status, err = s.stop(signal.SIGINT)
            self.assertEqual(status, 0, err)
            self.assertNotIn("Sanitizer", err)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def test_a_missing_database_is_an_error_not_a_server(self):
        tmp = tempfile.mkdtemp(prefix="coso-http-")
        try:
            p = subprocess.run([COSO, "--db", os.path.join(tmp, "none.db"), "serve", "--port", "0"],
                               capture_output=True, text=True, timeout=TIMEOUT)
            self.assertEqual(p.returncode, 1)
            self.assertIn("no such database", p.stderr)
            p = subprocess.run([COSO, "serve", "--port", "70000"], capture_output=True, text=True, timeout=TIMEOUT)
            self.assertEqual(p.returncode, 2)
            self.assertIn("--port", p.stderr)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    unittest.main(verbosity=1)
