#!/usr/bin/env python3
"""Black-box tests of the audit log: every change is one entry written with
it (imports with their files' digests, API writes with the record before and
after, profile reads), `coso audit log` and its filters, and `coso audit
verify` finding an entry edited, removed or reordered (docs/DURABILITY.md).

Run by ctest with COSO set to the binary under test. Tampering is done with
Python's sqlite3, as another tool would.
"""
import datetime
import hashlib
import json
import os
import pwd
import shutil
import sqlite3
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "durability"))
import coso_proc as cp  # noqa: E402


def run(*args, db=None, check=True, env=None):
    import subprocess
    cmd = [cp.COSO] + (["--db", db] if db else []) + list(args)
    p = subprocess.run(cmd, capture_output=True, text=True, env=env or cp.ENV)
    if check and p.returncode != 0:
        raise AssertionError("%s failed (%d):\n%s" % (" ".join(cmd), p.returncode, p.stderr))
    return p


def F(v):
    """A field of the chain's serialization (store_audit.h)."""
    if v is None:
        return b"\x00"
    b = v if isinstance(v, bytes) else str(v).encode("utf-8")
    return b"\x01" + len(b).to_bytes(8, "big") + b


def entry_hash(prev, seq, at, actor, remote, action, kind, key, before, after):
    return hashlib.sha256(prev + b"".join(F(x) for x in (seq, at, actor, remote, action, kind, key,
                                                          before, after))).digest()


def today_utc():
    return datetime.datetime.now(datetime.timezone.utc).date()


class Base(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="coso-audit-")
        self.db = os.path.join(self.tmp, "r.db")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def log(self, *filters):
        return cp.audit_log(self.db, *filters)

    def sql(self, *statements):
        con = sqlite3.connect(self.db)
        try:
            for s in statements:
                con.execute(s) if isinstance(s, str) else con.execute(*s)
            con.commit()
        finally:
            con.close()

    def verify(self):
        return run("audit", "verify", db=self.db, check=False)


class Imports(Base):
    def test_an_import_is_one_entry_with_its_files_digests_and_row_counts(self):
        env = dict(cp.ENV, USER="clerk.hoa")
        run("import", cp.HANDMADE, db=self.db, env=env)
        (e,) = self.log()
        self.assertEqual((e["seq"], e["action"], e["record_kind"], e["record_key"]),
                         (1, "import", "registry", cp.HANDMADE))
        self.assertEqual((e["actor"], e["remote"]), ("clerk.hoa", "local"))
        files = {f["name"]: f for f in e["after"]["files"]}
        self.assertEqual({n: f["sha256"] for n, f in files.items()}, cp.digests(cp.HANDMADE))
        self.assertEqual(files["members.csv"]["rows"], 6)
        self.assertEqual(files["units.csv"]["bytes"], os.path.getsize(os.path.join(cp.HANDMADE, "units.csv")))
        self.assertEqual(e["before"], {"rows": {"unit_row": 0, "institution": 0, "org_row": 0, "member": 0,
                                                "member_period": 0}})
        self.assertEqual(e["after"]["rows"], {"unit_row": 15, "institution": 4, "org_row": 16, "member": 6,
                                              "member_period": 7})
        self.assertEqual(e["after"]["folder"], cp.HANDMADE)
        at = datetime.datetime.strptime(e["at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)
        self.assertLess(abs((datetime.datetime.now(datetime.timezone.utc) - at).total_seconds()), 120)

    def test_a_refused_import_writes_no_entry(self):
        run("import", cp.HANDMADE, db=self.db)
        bad = os.path.join(self.tmp, "bad")
        shutil.copytree(cp.HANDMADE, bad)
        with open(os.path.join(bad, "members.csv"), "a", encoding="utf-8") as f:
            f.write("M9,Someone,male,2990-01-01,Kinh,2010-01-01,,,\n")
        self.assertEqual(run("import", bad, db=self.db, check=False).returncode, 1)
        self.assertEqual(len(self.log()), 1)
        self.assertEqual(self.verify().returncode, 0)

    def test_without_USER_the_actor_is_the_account_name(self):
        env = {k: v for k, v in cp.ENV.items() if k != "USER"}
        run("import", cp.HANDMADE, db=self.db, env=env)
        self.assertEqual(self.log()[0]["actor"], pwd.getpwuid(os.geteuid()).pw_name)


class Api(Base):
    """Writes and reads through `coso serve`: one entry per write that commits."""

    def setUp(self):
        super().setUp()
        run("import", cp.HANDMADE, db=self.db)
        self.server = cp.Server(self.db)
        self.client = cp.Client(self.server)
        self.actor = (cp.credentials(self.db) or (None,))[0]
        self.before = len(self.log())   # the import, and the user and sign-in when coso has them

    def tearDown(self):
        self.client.close()
        status, err = self.server.stop()
        super().tearDown()
        self.assertEqual(status, 0, err)

    def post(self, path, body, expect=200):
        status, answer = self.client.request("POST", path, body)
        self.assertEqual(status, expect, answer)
        return answer

    def test_each_write_is_one_entry_with_the_record_before_and_after(self):
        self.post("/api/v1/members", {"id": "M7", "full_name": "Lò Thị Mai", "gender": "female",
                                      "birth_date": "1999-09-09", "ethnicity": "Thái", "admitted_on": "2026-01-05",
                                      "org_code": "CV11", "residence_code": "00001-01"}, 201)
        self.post("/api/v1/members/M7/transfer", {"date": "2026-03-01", "org_code": "CS1"})
        self.post("/api/v1/orgs/CV11/rename", {"date": "2026-04-01", "name": "Chi bộ bản Nà Một mới"})
        self.post("/api/v1/units/00001-02/close", {"date": "2026-05-01"}, 422)   # its residents: refused
        log = self.log()[self.before:]
        self.assertEqual([(e["action"], e["record_kind"], e["record_key"]) for e in log],
                         [("member.admit", "member", "M7"), ("member.transfer", "member", "M7"),
                          ("org.rename", "org", "CV11")])
        admit, transfer, rename = log
        for e in log:
            self.assertEqual((e["actor"], e["remote"]), (self.actor, "127.0.0.1"))
        self.assertIsNone(admit["before"])
        self.assertEqual(admit["after"]["periods"], [{"valid_from": "2026-01-05", "valid_to": None,
                                                      "org_code": "CV11", "residence_code": "00001-01"}])
        self.assertEqual(transfer["before"], admit["after"])
        self.assertEqual([(p["valid_from"], p["valid_to"], p["org_code"]) for p in transfer["after"]["periods"]],
                         [("2026-01-05", "2026-03-01", "CV11"), ("2026-03-01", None, "CS1")])
        self.assertEqual(transfer["after"]["official_on"], None)
        self.assertEqual([r["name"] for r in rename["before"]["rows"]], ["Chi bộ bản Nà Một"])
        self.assertEqual([(r["valid_from"], r["valid_to"], r["name"]) for r in rename["after"]["rows"]],
                         [(None, "2026-04-01", "Chi bộ bản Nà Một"), ("2026-04-01", None, "Chi bộ bản Nà Một mới")])
        self.assertEqual(self.verify().returncode, 0)

    def test_reading_a_full_profile_is_logged_and_lists_are_not(self):
        status, _ = self.client.request("GET", "/api/v1/members?status=all")
        self.assertEqual(status, 200)
        status, _ = self.client.request("GET", "/api/v1/members/M2")
        self.assertEqual(status, 200)
        status, _ = self.client.request("GET", "/api/v1/members/M99")
        self.assertEqual(status, 404)
        reads = [e for e in self.log()[self.before:] if e["action"].endswith(".read")]
        self.assertEqual([(e["action"], e["record_kind"], e["record_key"], e["before"], e["after"]) for e in reads],
                         [("member.read", "member", "M2", None, None)])
        self.assertEqual(reads[0]["remote"], "127.0.0.1")

    def test_the_log_filters_by_record_user_and_day(self):
        self.post("/api/v1/members/M1/official", {"official_on": "2026-02-01"}, 422)  # official already
        self.post("/api/v1/members/M3/official", {"official_on": "2026-02-01"})
        self.post("/api/v1/orgs/CV11/rename", {"date": "2026-04-01", "name": "Chi bộ Nà Một"})
        self.client.request("GET", "/api/v1/members/M3")
        self.assertEqual([e["action"] for e in self.log("--record", "member:M3")], ["member.official", "member.read"])
        self.assertEqual([e["record_key"] for e in self.log("--record", "org:")], ["CV11"])
        self.assertEqual(self.log("--record", "member:M1"), [])
        everyone = self.log()
        today = today_utc()
        self.assertEqual(self.log("--from", str(today), "--to", str(today)), everyone)
        self.assertEqual(self.log("--from", str(today + datetime.timedelta(days=1))), [])
        self.assertEqual(self.log("--to", str(today - datetime.timedelta(days=1))), [])
        user = os.environ.get("USER") or pwd.getpwuid(os.geteuid()).pw_name
        by_user = self.log("--user", user)
        self.assertEqual({e["actor"] for e in by_user}, {user})
        self.assertIn("import", [e["action"] for e in by_user])
        if self.actor:
            self.assertEqual([e["action"] for e in self.log("--user", self.actor)[-3:]],
                             ["member.official", "org.rename", "member.read"])
        text = run("audit", "log", "--record", "member:M3", db=self.db).stdout
        self.assertRegex(text, r"#\d+  \S+Z  \S+@127\.0\.0\.1  member\.official  member:M3\n    before: \{")
        self.assertEqual(run("audit", "log", "--from", "2026-02-30", db=self.db, check=False).returncode, 2)
        self.assertEqual(run("audit", "log", "--format", "xml", db=self.db, check=False).returncode, 2)


class Verify(Base):
    """coso audit verify against a log changed behind coso's back."""

    def setUp(self):
        super().setUp()
        for i in range(4):
            run("import", cp.HANDMADE, db=self.db)

    def rows(self):
        con = sqlite3.connect(self.db)
        try:
            return con.execute("SELECT seq, at, actor, remote, action, record_kind, record_key, before, after,"
                               " prev_hash, hash FROM audit_log ORDER BY seq").fetchall()
        finally:
            con.close()

    def assertBroken(self, message):
        p = self.verify()
        self.assertEqual(p.returncode, 1, p.stdout)
        self.assertIn(message, p.stderr)

    def test_an_intact_chain_verifies_and_follows_the_documented_hash(self):
        p = self.verify()
        self.assertEqual(p.returncode, 0, p.stderr)
        prev = bytes(32)
        for seq, at, actor, remote, action, kind, key, before, after, prev_hash, h in self.rows():
            self.assertEqual(prev_hash, prev)
            self.assertEqual(h, entry_hash(prev, seq, at, actor, remote, action, kind, key, before, after))
            prev = h
        self.assertIn("4 entries, head %s" % prev.hex(), p.stdout)

    def test_sql_cannot_change_or_remove_entries(self):
        for s in ("UPDATE audit_log SET actor = 'eve' WHERE seq = 2", "DELETE FROM audit_log WHERE seq = 4",
                  "DELETE FROM audit_head", "UPDATE audit_head SET seq = 3",
                  "INSERT INTO audit_log (seq, at, action, prev_hash, hash) VALUES (9, 'x', 'y', x'00', x'00')"):
            with self.assertRaises(sqlite3.DatabaseError, msg=s):
                self.sql(s)
        self.assertEqual(self.verify().returncode, 0)

    def test_an_edited_entry_is_found(self):
        self.sql("DROP TRIGGER audit_log_no_update", "UPDATE audit_log SET actor = 'eve' WHERE seq = 2")
        self.assertBroken("entry 2 was edited")

    def test_an_edited_entry_with_its_hash_recomputed_breaks_the_next_link(self):
        seq, at, actor, remote, action, kind, key, before, after, prev, _ = self.rows()[1]
        h = entry_hash(prev, seq, at, "eve", remote, action, kind, key, before, after)
        self.sql("DROP TRIGGER audit_log_no_update",
                 ("UPDATE audit_log SET actor = 'eve', hash = ? WHERE seq = 2", (h,)))
        self.assertBroken("entry 3 does not follow entry 2")

    def test_a_removed_entry_is_found(self):
        self.sql("DROP TRIGGER audit_log_no_delete", "DELETE FROM audit_log WHERE seq = 2")
        self.assertBroken("entry 2 is missing")

    def test_removed_last_entries_are_found(self):
        self.sql("DROP TRIGGER audit_log_no_delete", "DELETE FROM audit_log WHERE seq >= 3")
        self.assertBroken("entries at the end were removed")

    def test_reordered_entries_are_found(self):
        self.sql("DROP TRIGGER audit_log_no_update",
                 "UPDATE audit_log SET seq = -2 WHERE seq = 2", "UPDATE audit_log SET seq = 2 WHERE seq = 3",
                 "UPDATE audit_log SET seq = 3 WHERE seq = -2")
        self.assertBroken("entry 2 does not follow entry 1")

    def test_a_value_with_a_hidden_tail_is_an_edit(self):
        self.sql("DROP TRIGGER audit_log_no_update",
                 "UPDATE audit_log SET remote = CAST('local' || char(0) || 'x' AS TEXT) WHERE seq = 3")
        self.assertBroken("entry 3 was edited")


if __name__ == "__main__":
    unittest.main()
