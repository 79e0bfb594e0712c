#!/usr/bin/env python3
"""The online backup: `coso backup FILE` while `coso serve` keeps writing
(docs/DURABILITY.md).

    test_backup.py [--rounds N] [--seed S]

A server on the handmade registry takes writes from a client without pause
(admissions and transfers); meanwhile `coso backup` runs N times, copying 1,
4, 16 or 1024 pages per step in turn (the small steps span many commits of
the server). Each copy must be the registry as it was at one moment:

- it is one SQLite file (rollback journal, no -wal needed), no FILE.tmp is
  left, and restored (copied to a fresh path and used as --db) it opens and
  its audit chain verifies;
- its audit log is a prefix of the live log (the same entries, the same
  hashes), up to some entry H;
- every write acknowledged before the backup started is in it, no write sent
  after it ended is, and each test member is exactly as the `after` of its
  last live entry up to H (absent when it has none): the copy is the state
  just after entry H;
- its export imports into a fresh database and exports the same;
- the copy never restarted (steps <= pages + 1, though the server committed
  during it).

Also: a stale FILE.tmp is replaced, a folder or the database itself as FILE
is refused. Standard library only; COSO is the binary under test.
"""
import argparse
import json
import os
import random
import re
import shutil
import sqlite3
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import coso_proc as cp  # noqa: E402

CELLS = ["CV11", "CV21", "CS1", "CS3", "CA1"]
VILLAGES = ["00001-01", "00001-02", "00002-01", "00003-01"]


class Failure(Exception):
    pass


class Writer(threading.Thread):
    """Admits members and transfers them, recording when each write was sent
    and when its answer came."""

    def __init__(self, server, rng):
        super().__init__(daemon=True)
        self.server = server
        self.rng = rng
        self.stop = threading.Event()
        self.log = []        # (sent, answered, member id) of acknowledged writes
        self.error = None

    def run(self):
        client = cp.Client(self.server)
        n, last = 0, {}
        try:
            while not self.stop.is_set():
                if not last or self.rng.random() < 0.4:
                    n += 1
                    key = "B%d" % n
                    d = "2026-02-%02d" % self.rng.randint(1, 28)
                    body = {"id": key, "full_name": "Người Sao Lưu %d" % n, "gender": "female",
                            "birth_date": "1991-01-01", "ethnicity": "Thái", "admitted_on": d,
                            "org_code": self.rng.choice(CELLS), "residence_code": self.rng.choice(VILLAGES)}
                    path, nd = "/api/v1/members", d
                else:
                    key = self.rng.choice(sorted(last))
                    y, m, dd = (int(x) for x in last[key].split("-"))
                    nd = "%04d-%02d-%02d" % (y + (m == 12), m % 12 + 1, dd)
                    body = {"date": nd, "org_code": self.rng.choice(CELLS), "residence_code": self.rng.choice(VILLAGES)}
                    path = "/api/v1/members/%s/transfer" % key
                sent = time.monotonic()
                status, answer = client.request("POST", path, body)
                if status == 422 and "nothing changes" in json.dumps(answer, ensure_ascii=False):
                    continue
                if status not in (200, 201):
                    raise Failure("POST %s %r: %d %r" % (path, body, status, answer))
                self.log.append((sent, time.monotonic(), key))
                last[key] = nd
        except (Failure, cp.Unanswered) as e:
            self.error = str(e)
        finally:
            client.close()


def entries(db):
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT seq, hash, action, record_kind, record_key, after FROM audit_log"
                           " ORDER BY seq").fetchall()
    finally:
        con.close()


def member_states(db, tmp):
    out = cp.export_dir(db, tmp)
    states = {}
    for r in cp.read_csv(os.path.join(out, "members.csv")):
        if r["id"].startswith("B"):
            states[r["id"]] = {"admitted_on": r["admitted_on"], "periods": []}
    for r in cp.read_csv(os.path.join(out, "member_periods.csv")):
        if r["member_id"].startswith("B"):
            states[r["member_id"]]["periods"].append(
                [r["valid_from"], r.get("valid_to", ""), r["org_code"], r.get("residence_code", "")])
    for s in states.values():
        s["periods"].sort()
    shutil.rmtree(out)
    return states


def state_of_after(after):
    a = json.loads(after)
    return {"admitted_on": a["admitted_on"],
            "periods": [[p["valid_from"], p["valid_to"] or "", p["org_code"], p["residence_code"] or ""]
                        for p in a["periods"]]}


def check_copy(tmp, live_db, path, started, ended, writes, stats_line):
    if os.path.exists(path + ".tmp"):
        raise Failure("%s.tmp is left" % path)
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    try:
        mode = con.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        con.close()
    if mode != "delete":
        raise Failure("the copy's journal mode is %s, not a single rollback-journal file" % mode)
    restored = os.path.join(tmp, "restored-%s" % os.path.basename(path))
    shutil.copyfile(path, restored)
    cp.run("audit", "verify", db=restored)
    copy_log = entries(restored)
    live_log = entries(live_db)
    if not copy_log or [(s, h) for s, h, *_ in copy_log] != [(s, h) for s, h, *_ in live_log[:len(copy_log)]]:
        raise Failure("the copy's audit log is not a prefix of the live log")
    head = copy_log[-1][0]
    # the state just after entry `head`
    expected = {}
    for seq, _, action, kind, key, after in live_log:
        if seq > head:
            break
        if kind == "member" and key.startswith("B") and not action.endswith(".read"):
            expected[key] = state_of_after(after)
    got = member_states(restored, tmp)
    if got != expected:
        raise Failure("the copy is not the registry as it was after audit entry %d" % head)
    for sent, answered, key in writes:
        if answered < started and key not in got:
            raise Failure("member %s, acknowledged before the backup started, is not in the copy" % key)
    later = [key for sent, answered, key in writes if sent > ended and key not in
             {k for s, a, k in writes if s <= ended}]
    for key in later:
        if key in got:
            raise Failure("member %s, admitted after the backup ended, is in the copy" % key)
    # the copy's export is a consistent registry: it imports
    out = cp.export_dir(restored, tmp)
    fresh = os.path.join(tmp, "fresh-%s" % os.path.basename(path))
    cp.run("import", out, db=fresh)
    if cp.snapshot(fresh, tmp) != cp.snapshot(restored, tmp):
        raise Failure("the copy's export does not import to the same registry")
    shutil.rmtree(out)
    m = re.search(r"(\d+) pages of (\d+) bytes in (\d+) steps", stats_line)
    if not m:
        raise Failure("coso backup did not report its figures: %r" % stats_line)
    pages, steps = int(m.group(1)), int(m.group(3))
    return head, pages, steps


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args(argv)
    tmp = tempfile.mkdtemp(prefix="coso-backup-")
    ok = False
    try:
        live = os.path.join(tmp, "live.db")
        cp.run("import", cp.HANDMADE, db=live)
        # refusals
        p = cp.run("backup", tmp, db=live, check=False)
        if p.returncode != 2:
            raise Failure("coso backup FOLDER: exit %d, expected 2" % p.returncode)
        p = cp.run("backup", live, db=live, check=False)
        if p.returncode != 1 or "database itself" not in p.stderr:
            raise Failure("coso backup of the database onto itself: exit %d %s" % (p.returncode, p.stderr))
        # a stale FILE.tmp (a backup that was killed) is replaced
        stale = os.path.join(tmp, "stale.db")
        with open(stale + ".tmp", "wb") as f:
            f.write(b"half a copy")
        cp.run("backup", stale, db=live)
        cp.run("audit", "verify", db=stale)

        server = cp.Server(live)
        w = Writer(server, random.Random(a.seed))
        w.start()
        results = []
        for r in range(a.rounds):
            time.sleep(0.3)
            path = os.path.join(tmp, "copy-%d.db" % r)
            started = time.monotonic()
            p = cp.run("backup", path, "--pages", str((1, 4, 16, 1024)[r % 4]), db=live)
            ended = time.monotonic()
            results.append((path, started, ended, p.stderr))
            if w.error:
                break
        time.sleep(0.2)
        w.stop.set()
        w.join(60)
        status, err = server.stop()
        if w.error:
            raise Failure("the writer failed: %s" % w.error)
        if status != 0:
            raise Failure("coso serve exited %d:\n%s" % (status, err))
        print("backup test: %d writes acknowledged while %d backups ran" % (len(w.log), len(results)))
        for path, started, ended, line in results:
            head, pages, steps = check_copy(tmp, live, path, started, ended, w.log, line)
            during = sum(1 for s, an, k in w.log if started <= an <= ended)
            if steps > pages + 1:
                raise Failure("the backup restarted: %d steps for %d pages" % (steps, pages))
            print("  %s: %d pages in %d steps, %.3f s, %d writes acknowledged meanwhile; the registry after"
                  " audit entry %d" % (os.path.basename(path), pages, steps, ended - started, during, head))
        ok = True
    except Failure as e:
        print("FAIL: %s\n(kept in %s)" % (e, tmp), file=sys.stderr)
        return 1
    finally:
        if ok:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
