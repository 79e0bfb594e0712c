#!/usr/bin/env python3
"""The services register on the command line (docs/SERVICES.md).

The handmade registry with tests/cases/services (deadlines worked out by hand
in its README.md) is imported with the real coso: the stored deadlines, the
clock of a case as of a day, the lists (due on a day, overdue), the report's
figures, the apology slip, export and re-import unchanged, and bad files
refused with FILE:LINE: column and nothing stored. Then the demo: the
generator makes the committed files byte for byte, and coso counts exactly
what the generator planned, with the generator's own calendar.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
HANDMADE = os.path.join(ROOT, "tests", "cases", "handmade")
FIXTURE = os.path.join(ROOT, "tests", "cases", "services")
DEMO = os.path.join(ROOT, "data", "demo", "dien-bien")
GEN = os.path.join(ROOT, "tools", "demo", "gen_services.py")
COSO = os.environ.get("COSO", os.path.join(ROOT, "build", "coso"))
FILES = ["procedures.csv", "service_cases.csv", "service_events.csv", "receptions.csv", "voter_petitions.csv"]


def run(db, *args, check=True):
    p = subprocess.run([COSO, "--db", db] + list(args), capture_output=True, text=True)
    if check and p.returncode != 0:
        raise AssertionError("coso %s failed (%d): %s" % (" ".join(args), p.returncode, p.stderr))
    return p


def js(db, *args):
    return json.loads(run(db, *args, "--format", "json").stdout)


def folder(tmp, name, changes=None):
    """The handmade registry and the fixture, with some files replaced."""
    d = os.path.join(tmp, name)
    shutil.copytree(HANDMADE, d)
    for f in FILES:
        shutil.copy(os.path.join(FIXTURE, f), d)
    for f, text in (changes or {}).items():
        with open(os.path.join(d, f), "w", encoding="utf-8") as fp:
            fp.write(text)
    return d


def fixture_text(name):
    with open(os.path.join(FIXTURE, name), encoding="utf-8") as f:
        return f.read()


class Fixture(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="coso-svc-")
        cls.db = os.path.join(cls.tmp, "s.db")
        run(cls.db, "import", folder(cls.tmp, "in"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def case(self, cid, *extra):
        return js(self.db, "services", "show", cid, *extra)

    def test_deadlines_worked_out_by_hand(self):
        want = {"MC1": "2024-02-19", "MC2": "2024-05-04", "MC3": "2024-09-13", "MC4": "2024-09-04",
                "KN1": "2024-11-05", "TC1": "2024-05-20"}
        for cid, due in want.items():
            self.assertEqual(self.case(cid)["due_on"], due, cid)
        self.assertEqual(self.case("TC1")["accept_due"], "2024-02-19")
        self.assertEqual(self.case("TC1")["extensions"], 2)
        self.assertTrue(self.case("KN1")["remote"])
        self.assertEqual(self.case("MC1")["promised_on"], "2024-02-22")

    def test_was_it_on_time_on_a_day(self):
        # MC1: on the due day, open and on time; the day after, resolved late
        on = self.case("MC1", "--as-of", "2024-02-19")["on"]
        self.assertEqual((on["open"], on["late"], on["deadline"]), (True, False, "2024-02-19"))
        on = self.case("MC1", "--as-of", "2024-02-20")["on"]
        self.assertEqual((on["open"], on["late"]), (False, True))
        # TC1 on 21/3/2024: after the first extension (limit 19/4), open, on time
        on = self.case("TC1", "--as-of", "2024-03-21")["on"]
        self.assertEqual((on["open"], on["late"], on["deadline"], on["extensions"]), (True, False, "2024-04-19", 1))
        # TC1 before it was accepted: the acceptance deadline
        on = self.case("TC1", "--as-of", "2024-02-10")["on"]
        self.assertEqual(on["deadline"], "2024-02-19")
        # MC3 never resolved: overdue from Monday 16/9/2024
        self.assertFalse(self.case("MC3", "--as-of", "2024-09-13")["on"]["late"])
        self.assertTrue(self.case("MC3", "--as-of", "2024-09-16")["on"]["late"])

    def test_lists_due_on_a_day_and_overdue(self):
        ids = lambda page: [c["id"] for c in page["items"]]  # noqa: E731
        self.assertEqual(ids(js(self.db, "services", "list", "--status", "due", "--on", "2024-09-13")), ["MC3"])
        self.assertEqual(ids(js(self.db, "services", "list", "--status", "overdue", "--on", "2024-09-13")), [])
        self.assertEqual(ids(js(self.db, "services", "list", "--status", "overdue", "--on", "2024-09-16")), ["MC3"])
        self.assertEqual(ids(js(self.db, "services", "list", "--status", "late")), ["MC1"])
        # by district (Huyện Hai, 002, on the day received): Thị trấn Ba's cases
        self.assertEqual(ids(js(self.db, "services", "list", "--status", "all", "--scope", "002")), ["TC1", "MC2"])
        self.assertEqual(ids(js(self.db, "services", "list", "--status", "all", "--kind", "complaint")), ["KN1"])

    def test_the_command_line_never_shows_a_denouncer(self):
        c = self.case("TC1")
        self.assertIsNone(c["person"])
        self.assertTrue(c["person_masked"])
        self.assertNotIn("Vừ A Dế", run(self.db, "services", "show", "TC1").stdout)
        self.assertNotIn("Vừ A Dế", run(self.db, "services", "list", "--status", "all").stdout)
        self.assertEqual(self.case("KN1")["person"]["name"], "Lò Văn Pản")

    def test_report_figures(self):
        r = js(self.db, "services", "report", "--from", "2024-01-01", "--to", "2024-12-31")
        self.assertEqual(r["total"], {"received": 6, "resolved": 5, "on_time": 4, "late": 1, "open": 1, "overdue": 1})
        self.assertEqual(r["by_kind"]["onestop"], {"received": 4, "resolved": 3, "on_time": 2, "late": 1, "open": 1,
                                                   "overdue": 1})
        # 31/8/2024: MC3 and KN1 open, neither past its deadline yet; MC4 resolved
        r = js(self.db, "services", "report", "--from", "2024-08-01", "--to", "2024-08-31")
        self.assertEqual(r["total"], {"received": 3, "resolved": 1, "on_time": 1, "late": 0, "open": 2, "overdue": 0})
        # August by procedure: MC3 (DD-XN) open, MC4 (HT-KH) resolved on time; CT-HD had nothing then
        self.assertEqual([(p["code"], p["resolved"], p["on_time"], p["open"]) for p in r["onestop_by_procedure"]],
                         [("DD-XN", 0, 0, 1), ("HT-KH", 1, 1, 0)])
        r = js(self.db, "services", "report", "--from", "2024-01-01", "--to", "2024-12-31")
        self.assertEqual([(p["code"], p["resolved"], p["on_time"], p["open"]) for p in r["onestop_by_procedure"]],
                         [("CT-HD", 1, 1, 0), ("DD-XN", 0, 0, 1), ("HT-KH", 2, 1, 0)])
        text = run(self.db, "services", "report", "--from", "2024-01-01", "--to", "2024-12-31", "--by",
                   "procedure").stdout
        self.assertIn("Đăng ký kết hôn", text)
        r = js(self.db, "services", "report", "--scope", "002", "--from", "2024-01-01", "--to", "2024-12-31")
        self.assertEqual(r["total"]["received"], 2)
        self.assertEqual([u["code"] for u in r["by_unit"]], ["00003"])
        text = run(self.db, "services", "report", "--from", "2024-01-01", "--to", "2024-12-31").stdout
        self.assertIn("Hồ sơ thủ tục hành chính", text)
        self.assertIn("66,7%", text)  # 2 of 3 one-stop results on time

    def test_the_apology_slip(self):
        slip = run(self.db, "services", "slip", "MC1").stdout
        self.assertIn("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", slip)
        self.assertIn("Quàng Thị Xuân", slip)
        self.assertIn("19/02/2024", slip)   # the due date
        self.assertIn("22/02/2024", slip)   # the new date
        self.assertIn("Chờ xác minh nơi cư trú", slip)
        p = run(self.db, "services", "slip", "MC2", check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("no apology slip", p.stderr)

    def test_export_gives_the_files_back_and_reimport_changes_nothing(self):
        out = os.path.join(self.tmp, "out")
        run(self.db, "export", out)
        for f in FILES:
            with open(os.path.join(out, f), encoding="utf-8") as fp:
                self.assertEqual(fp.read(), fixture_text(f), f)
        db2 = os.path.join(self.tmp, "again.db")
        run(db2, "import", out)
        run(db2, "import", out)
        self.assertEqual(js(db2, "services", "show", "TC1")["due_on"], "2024-05-20")

    def test_citizen_reception(self):
        sessions = js(self.db, "services", "receptions")["items"]
        self.assertEqual([(x["id"], x["kind"], x["matters"], x["routed"]) for x in sessions],
                         [("TD2", "regular", 1, 1), ("TD1", "chair", 3, 2)])
        td1 = js(self.db, "services", "reception", "TD1")
        self.assertEqual([(m["route"], m["case_id"]) for m in td1["matters"]],
                         [("complaint", "KN1"), ("onestop", "MC3"), ("guidance", None)])
        # the denouncer, here too, is hidden on the command line
        self.assertIsNone(js(self.db, "services", "reception", "TD2")["matters"][0]["person"])
        self.assertEqual(js(self.db, "services", "receptions", "--scope", "002")["total"], 1)
        r = js(self.db, "services", "report", "--from", "2024-01-01", "--to", "2024-12-31")
        self.assertEqual(r["reception"], {"sessions": 2, "by_kind": {"regular": 1, "chair": 1, "unscheduled": 0},
                                          "matters": 4, "routed": 3})

    def test_voters_petitions(self):
        ids = lambda page: [v["id"] for v in page["items"]]  # noqa: E731
        self.assertEqual(ids(js(self.db, "services", "voters")), ["VP1", "VP2", "VP3"])
        self.assertEqual(ids(js(self.db, "services", "voters", "--status", "answered")), ["VP1", "VP2"])
        self.assertEqual(ids(js(self.db, "services", "voters", "--status", "late", "--on", "2024-07-11")), ["VP2"])
        self.assertEqual(ids(js(self.db, "services", "voters", "--status", "late", "--on", "2024-07-13")),
                         ["VP2", "VP3"])
        # unanswered on 1/7/2024: all three; on 1/8: VP3 only
        self.assertEqual(ids(js(self.db, "services", "voters", "--status", "unanswered", "--on", "2024-07-01")),
                         ["VP1", "VP2", "VP3"])
        self.assertEqual(ids(js(self.db, "services", "voters", "--status", "unanswered", "--on", "2024-08-01")),
                         ["VP3"])
        r = js(self.db, "services", "report", "--from", "2024-01-01", "--to", "2024-12-31")["voter_petitions"]
        self.assertEqual((r["collected"], r["answered"], r["answered_in_time"], r["unanswered"]), (3, 2, 1, 1))
        self.assertEqual([(u["code"], u["collected"], u["answered"]) for u in r["by_unit"]],
                         [("00001", 2, 2), ("00003", 1, 0)])
        text = run(self.db, "services", "report", "--from", "2024-01-01", "--to", "2024-12-31").stdout
        self.assertIn("Kiến nghị cử tri: 3 kiến nghị, 2 đã trả lời (66,7%), 1 kịp kỳ họp sau, 1 chưa trả lời", text)

    def test_a_day_declared_later_moves_the_deadlines(self):
        # Tuesday 10/9/2024 declared off in a calendar file given after the
        # import: MC3's 10 working days from 28/8 end on Monday 16/9, not 13/9
        db = os.path.join(self.tmp, "cal.db")
        run(db, "import", folder(self.tmp, "cal-in"))
        extra = os.path.join(self.tmp, "extra.csv")
        with open(extra, "w", encoding="utf-8") as f:
            f.write("date,kind,note\n2024-09-10,holiday,ngày nghỉ thử nghiệm\n")
        self.assertEqual(js(db, "services", "show", "MC3")["due_on"], "2024-09-13")
        p = subprocess.run([COSO, "--db", db, "--calendar", extra, "services", "recompute"], capture_output=True,
                           text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        p = subprocess.run([COSO, "--db", db, "--calendar", extra, "services", "show", "MC3", "--as-of", "2024-09-16",
                            "--format", "json"], capture_output=True, text=True)
        c = json.loads(p.stdout)
        self.assertEqual((c["due_on"], c["on"]["deadline"], c["on"]["late"]), ("2024-09-16", "2024-09-16", False))
        self.assertEqual(js(db, "services", "list", "--status", "due", "--on", "2024-09-16")["items"][0]["id"], "MC3")

    def test_unknown_case_and_bad_arguments(self):
        p = run(self.db, "services", "show", "NOPE", check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("no case NOPE", p.stderr)
        p = run(self.db, "services", "list", "--status", "soon", check=False)
        self.assertEqual(p.returncode, 2)
        p = run(self.db, "services", "list", "--on", "2024-02-30", check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("not a date that exists", p.stderr)


class BadFiles(unittest.TestCase):
    """Each bad file is refused with FILE:LINE: column, and nothing is stored."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="coso-svc-bad-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def refused(self, name, changes, *messages):
        db = os.path.join(self.tmp, name + ".db")
        p = run(db, "import", folder(self.tmp, name, changes), check=False)
        self.assertEqual(p.returncode, 1, p.stderr)
        for m in messages:
            self.assertIn(m, p.stderr)
        self.assertFalse(os.path.exists(db), "a failed first import leaves no database")

    def test_row_problems(self):
        cases = fixture_text("service_cases.csv").replace("MC2,onestop", "MC2,desk")
        self.refused("kind", {"service_cases.csv": cases}, "service_cases.csv:4: kind:")
        events = fixture_text("service_events.csv").replace("2024-02-19,apology,,2024-02-22", "2024-02-19,apology,,")
        self.refused("apology", {"service_events.csv": events}, "service_events.csv:5: new_date: is required")
        procs = fixture_text("procedures.csv").replace("CT-HD,Chứng thực hợp đồng,Chứng thực,3",
                                                       "CT-HD,Chứng thực hợp đồng,Chứng thực,400")
        self.refused("days", {"procedures.csv": procs}, "procedures.csv:2: days: 400 working days: at most 365")

    def test_set_problems(self):
        # a village is not a commune; an unknown procedure; overlapping catalogue rows
        cases = fixture_text("service_cases.csv").replace("MC2,onestop,00003", "MC2,onestop,00003-01")
        self.refused("unit", {"service_cases.csv": cases}, "service_cases.csv:4: unit_code: 00003-01 is not a commune")
        procs = fixture_text("procedures.csv").replace("3,2024-07-01,,", "3,2024-06-01,,")
        self.refused("overlap", {"procedures.csv": procs}, "procedures.csv:5: valid_from: overlaps")

    def test_reception_problems(self):
        rec = fixture_text("receptions.csv")
        # routed to a case of another commune; guidance with a case; a session whose rows disagree
        self.refused("rec-unit", {"receptions.csv": rec.replace("complaint,KN1", "denunciation,TC1")},
                     "receptions.csv:2: case_id: case TC1 belongs to 00003")
        self.refused("rec-guid", {"receptions.csv": rec.replace("guidance,,", "guidance,MC4,")},
                     "receptions.csv:2: case_id: guidance (hướng dẫn, giải thích) is routed to no case")
        self.refused("rec-kind", {"receptions.csv": rec.replace("Hỏi chế độ trợ cấp", "Hỏi chế độ").replace(
            "2024-08-28,chair,Chủ tịch UBND Xã Một,Vì", "2024-08-28,unscheduled,Chủ tịch UBND Xã Một,Vì")},
                     "must agree on unit_code, date, session_kind")
        self.refused("rec-enum", {"receptions.csv": rec.replace("regular", "weekly")}, "receptions.csv:5: session_kind:")

    def test_voters_petition_problems(self):
        vp = fixture_text("voter_petitions.csv")
        self.refused("vp-next", {"voter_petitions.csv": vp.replace("2024-07-12,Lắp", "2024-05-12,Lắp")},
                     "voter_petitions.csv:4: next_session_on: the next session must come after the meeting")
        self.refused("vp-answer", {"voter_petitions.csv": vp.replace("2024-08-01,Khảo sát trong quý IV", "2024-08-01,")},
                     "voter_petitions.csv:3: answer: is required with answered_on")
        self.refused("vp-unit", {"voter_petitions.csv": vp.replace("VP3,00003,", "VP3,00003-01,")},
                     "voter_petitions.csv:4: unit_code: 00003-01 is not a commune")

    def test_a_long_id_keeps_its_events(self):
        long_id = "MC2-" + "x" * 300
        changes = {f: fixture_text(f).replace("MC2,", long_id + ",") for f in ("service_cases.csv", "service_events.csv")}
        db = os.path.join(self.tmp, "long.db")
        run(db, "import", folder(self.tmp, "long", changes))
        c = js(db, "services", "show", long_id)
        self.assertEqual((c["due_on"], c["closed_on"], c["on_time"]), ("2024-05-04", "2024-05-04", True))

    def test_clock_problems(self):
        # a third extension of a very complex denunciation; an event after the result
        events = fixture_text("service_events.csv").replace(
            "TC1,2024-05-20,resolved", "TC1,2024-05-02,extended,,,QĐ 03\nTC1,2024-05-20,resolved")
        self.refused("ext", {"service_events.csv": events}, "service_events.csv:9: date: event 4 (extended on"
                     " 2024-05-02): a very complex case is extended twice at most")
        events = fixture_text("service_events.csv") + "MC2,2024-05-06,handoff,UBND huyện Hai,,\n"
        self.refused("closed", {"service_events.csv": events}, "the case was closed on 2024-05-04")


class Demo(unittest.TestCase):
    def test_the_generator_makes_the_committed_files(self):
        tmp = tempfile.mkdtemp(prefix="coso-svc-gen-")
        try:
            subprocess.run([sys.executable, GEN, "--out", tmp], check=True)
            for f in FILES:
                with open(os.path.join(tmp, f), "rb") as a, open(os.path.join(DEMO, f), "rb") as b:
                    self.assertTrue(a.read() == b.read(), f + " differs from the generator's")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def test_coso_counts_what_the_generator_planned(self):
        want = json.loads(subprocess.run([sys.executable, GEN, "--figures"], check=True, capture_output=True,
                                         text=True).stdout)
        tmp = tempfile.mkdtemp(prefix="coso-svc-demo-")
        try:
            db = os.path.join(tmp, "d.db")
            run(db, "import", DEMO)
            r = js(db, "services", "report", "--scope", "11", "--from", "2024-01-01", "--to", "2024-12-31")
            got = {k: {f: v[f] for f in ("received", "resolved", "on_time", "late", "open")}
                   for k, v in r["by_kind"].items()}
            self.assertEqual(got, want["by_kind"])
            self.assertEqual(r["reception"], want["reception"])
            vp = r["voter_petitions"]
            self.assertEqual({k: vp[k] for k in want["voter_petitions"]}, want["voter_petitions"])
            self.assertEqual(len(vp["by_unit"]), 129)
            self.assertEqual(len(r["by_unit"]), 129)
            # a year of plausible work: most results on time, a few overdue
            self.assertGreater(r["total"]["on_time"] / r["total"]["resolved"], 0.9)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    unittest.main(verbosity=2)
