#!/usr/bin/env python3
"""The kill test: coso is killed with SIGKILL at random moments, many times,
during imports and during API writes; after each kill the registry must be
exactly what was acknowledged (docs/DURABILITY.md).

    test_kill.py [--iterations N] [--seed S] [--size small|medium|large]
                 [--api-window SECONDS] [--keep]

Rounds alternate:

- import: `coso import` of the other of two registries A and B (the same
  keys, different names: importing one over the other gives exactly the
  other), killed after a random delay: in [0, 1.25 x the time an import
  takes] for half the rounds, in [0.6, 1.0 x] (near the commit) for the
  others. After it the database opens, `coso audit verify` passes, and the
  export is exactly A or exactly B, never a mix: the new one when the import
  had exited 0 before the kill. The log has one more import entry exactly
  when the registry changed, and the last one holds the digests of the
  registry's files.
- api: `coso serve` with two clients writing at full speed (admissions,
  transfers, recognitions, ends, organizations founded and renamed) and
  reading profiles (which writes an audit entry), killed after a random
  delay. Every answered write (2xx) must be there after the restart; a write
  that got no answer is there whole or not at all; the audit log has exactly
  one entry per applied write, whose `after` is the record as exported, an
  entry for every answered profile read, and its chain verifies.

Each round starts from what the previous one left (the state is carried
over, so recovery after a kill is exercised many times on one database).
The figures (how many kills fell before, during or after each commit) are
printed at the end. Standard library only; COSO is the binary under test.
"""
import argparse
import collections
import datetime
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import json

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import coso_proc as cp  # noqa: E402

CELLS = ["CV11", "CV21", "CS1", "CS3", "CA1"]           # cells of the handmade registry, all open now
VILLAGES = ["00001-01", "00001-02", "00002-01", "00003-01"]
END_REASONS = ["died", "expelled", "removed", "left", "transferred_out"]
BASE = datetime.date(2026, 1, 10)


class Failure(Exception):
    pass


def day(d):
    return d.isoformat()


# ---- the model of acknowledged writes ----------------------------------------------

def member_apply(state, ev):
    """The member's state after event ev (a new dict); state None before admission."""
    kind, d = ev["kind"], ev["day"]
    if kind == "admit":
        return {"full_name": ev["full_name"], "admitted_on": d, "official_on": "", "ended_on": "",
                "end_reason": "", "periods": [[d, "", ev["org"], ev["res"]]], "n": 1}
    s = json.loads(json.dumps(state))
    s["n"] += 1
    if kind == "official":
        s["official_on"] = d
    elif kind == "transfer":
        last = s["periods"][-1]
        s["periods"].append([d, last[1], ev["org"], ev["res"]])
        last[1] = d
    elif kind == "end":
        s["ended_on"] = d
        s["end_reason"] = ev["reason"]
        if s["periods"][-1][1] == "":
            s["periods"][-1][1] = d
    return s


def org_apply(state, ev):
    d = ev["day"]
    if ev["kind"] == "found":
        return {"rows": [[d, "", ev["name"]]], "n": 1}
    s = json.loads(json.dumps(state))
    s["n"] += 1
    s["rows"][-1][1] = d
    s["rows"].append([d, "", ev["name"]])
    return s


def strip_n(s):
    if s is None:
        return None
    return {k: v for k, v in s.items() if k != "n"}


class Writer(threading.Thread):
    """One client: writes (and reads) its own records until the server dies
    or stop is set. Acknowledged states go to `acked`; the one write left
    without an answer goes to `pending`."""

    def __init__(self, name, server, rng, stop, dying, iteration):
        super().__init__(daemon=True)
        self.tag = name
        self.server = server
        self.rng = rng
        self.stop = stop
        self.dying = dying            # set just before the kill
        self.members = {}             # key -> acknowledged state, of this writer's records
        self.orgs = {}
        self.iteration = iteration
        self.pending = None           # (table, key, state) of the unanswered write
        self.figures = collections.Counter()
        self.errors = []
        self.n = 0

    def next_day(self, state_last):
        return state_last + datetime.timedelta(days=self.rng.randint(1, 20))

    def pick_event(self):
        rng = self.rng
        live = [k for k, s in self.members.items() if s["ended_on"] == ""]
        myorgs = list(self.orgs)
        r = rng.random()
        if len(live) < 3 or r < 0.2:
            self.n += 1
            key = "%s%d" % (self.prefix, self.n)
            d = BASE + datetime.timedelta(days=rng.randint(0, 300))
            ev = {"kind": "admit", "day": day(d), "full_name": "Người Thử %s" % key,
                  "org": rng.choice(CELLS), "res": rng.choice(VILLAGES)}
            body = {"id": key, "full_name": ev["full_name"], "gender": rng.choice(["male", "female"]),
                    "birth_date": "1990-03-04", "ethnicity": "Kinh", "admitted_on": ev["day"],
                    "org_code": ev["org"], "residence_code": ev["res"]}
            return "members", key, ev, "/api/v1/members", body
        if r < 0.3:
            if not myorgs or rng.random() < 0.3:
                self.n += 1
                key = "%s%d" % (self.oprefix, self.n)
                d = BASE + datetime.timedelta(days=rng.randint(0, 300))
                ev = {"kind": "found", "day": day(d), "name": "Chi bộ thử %s" % key}
                body = {"code": key, "name": ev["name"], "kind": "cell", "grassroots": 0, "parent_code": "OC1",
                        "site_unit": "00001-02", "valid_from": ev["day"]}
                return "orgs", key, ev, "/api/v1/orgs", body
            key = rng.choice(myorgs)
            last = datetime.date.fromisoformat(self.orgs[key]["rows"][-1][0])
            ev = {"kind": "rename", "day": day(self.next_day(last)), "name": "Chi bộ thử %s đổi %d" % (
                key, self.orgs[key]["n"])}
            return "orgs", key, ev, "/api/v1/orgs/%s/rename" % key, {"date": ev["day"], "name": ev["name"]}
        key = rng.choice(live)
        s = self.members[key]
        if r < 0.42:
            return "read", key, None, "/api/v1/members/%s" % key, None
        last = max(datetime.date.fromisoformat(x) for x in (s["periods"][-1][0], s["official_on"] or "0001-01-01"))
        d = day(self.next_day(last))
        if r < 0.55 and s["official_on"] == "":
            return "members", key, {"kind": "official", "day": d}, "/api/v1/members/%s/official" % key, \
                {"official_on": d}
        if r < 0.9:
            cur = s["periods"][-1]
            org = rng.choice([c for c in CELLS if c != cur[2]])
            res = rng.choice(VILLAGES)
            return "members", key, {"kind": "transfer", "day": d, "org": org, "res": res}, \
                "/api/v1/members/%s/transfer" % key, {"date": d, "org_code": org, "residence_code": res}
        reason = rng.choice(END_REASONS)
        return "members", key, {"kind": "end", "day": d, "reason": reason}, "/api/v1/members/%s/end" % key, \
            {"ended_on": d, "end_reason": reason}

    def run(self):
        self.prefix = "K%d-%s-" % (self.iteration, self.tag)
        self.oprefix = "KO%d-%s-" % (self.iteration, self.tag)
        try:
            client = cp.Client(self.server, timeout=20)
        except (cp.Unanswered, AssertionError) as e:
            # the server was killed while the client signed in
            if not self.dying.is_set():
                self.errors.append("cannot sign in: %s" % e)
            return
        while not self.stop.is_set():
            table, key, ev, path, body = self.pick_event()
            if table == "read":
                try:
                    status, _ = client.request("GET", path)
                except cp.Unanswered as e:
                    if not self.dying.is_set():
                        self.errors.append("GET %s: no answer from a live server: %s" % (path, e))
                    break
                self.figures["profile reads answered" if status == 200 else "profile reads refused (%d)" % status] += 1
                continue
            store = self.members if table == "members" else self.orgs
            apply = member_apply if table == "members" else org_apply
            new = apply(store.get(key), ev)
            try:
                status, answer = client.request("POST", path, body)
            except cp.Unanswered as e:
                if not self.dying.is_set():
                    self.errors.append("POST %s: no answer from a live server: %s" % (path, e))
                self.pending = (table, key, new)
                self.figures["writes without an answer"] += 1
                break
            if 200 <= status < 300:
                store[key] = new
                self.figures["writes acknowledged"] += 1
            elif status >= 500:
                self.figures["writes refused (%d)" % status] += 1
            else:
                self.errors.append("%s %s %r: %d %r" % ("POST", path, body, status, answer))
                break
        client.close()


# ---- reading the registry back -------------------------------------------------------

def exported_states(db, tmp):
    """The test's records (ids and codes starting with K) as the export has them."""
    out = cp.export_dir(db, tmp)
    members, orgs = {}, {}
    for r in cp.read_csv(os.path.join(out, "members.csv")):
        if r["id"].startswith("K"):
            members[r["id"]] = {"full_name": r["full_name"], "admitted_on": r["admitted_on"],
                                "official_on": r.get("official_on", ""), "ended_on": r.get("ended_on", ""),
                                "end_reason": r.get("end_reason", ""), "periods": []}
    for r in cp.read_csv(os.path.join(out, "member_periods.csv")):
        if r["member_id"].startswith("K"):
            if r["member_id"] not in members:
                raise Failure("member_periods.csv has periods of %s, members.csv does not have it (half-applied)"
                              % r["member_id"])
            members[r["member_id"]]["periods"].append([r["valid_from"], r.get("valid_to", ""), r["org_code"],
                                                       r.get("residence_code", "")])
    for r in cp.read_csv(os.path.join(out, "orgs.csv")):
        if r["code"].startswith("KO"):
            orgs.setdefault(r["code"], {"rows": []})["rows"].append([r.get("valid_from", ""), r.get("valid_to", ""),
                                                                    r["name"]])
    for m in members.values():
        m["periods"].sort()
    for o in orgs.values():
        o["rows"].sort()
    shutil.rmtree(out)
    return members, orgs


def after_state(kind, after):
    """An audit entry's `after` in the model's form."""
    if after is None:
        return None
    a = json.loads(after)
    if kind == "member":
        return {"full_name": a["full_name"], "admitted_on": a["admitted_on"], "official_on": a["official_on"] or "",
                "ended_on": a["ended_on"] or "", "end_reason": a["end_reason"] or "",
                "periods": [[p["valid_from"], p["valid_to"] or "", p["org_code"], p["residence_code"] or ""]
                            for p in a["periods"]]}
    return {"rows": [[r["valid_from"] or "", r["valid_to"] or "", r["name"]] for r in a["rows"]]}


class AuditFollower:
    """Reads the log's new entries after each round (straight from SQLite, so
    the check does not grow with the log): per record, the number of write
    entries and the last `after`."""

    def __init__(self, db):
        self.db = db
        self.seq = 0
        self.writes = collections.Counter()
        self.last_after = {}
        self.imports = []
        self.reads = 0

    def follow(self):
        con = sqlite3.connect(self.db)
        try:
            rows = con.execute("SELECT seq, action, record_kind, record_key, after FROM audit_log WHERE seq > ?"
                               " ORDER BY seq", (self.seq,)).fetchall()
        finally:
            con.close()
        for seq, action, kind, key, after in rows:
            if seq != self.seq + 1:
                raise Failure("audit log: entry %d follows entry %d" % (seq, self.seq))
            self.seq = seq
            if action == "import":
                self.imports.append(json.loads(after))
            elif action.endswith(".read"):
                self.reads += 1
            else:
                self.writes[(kind, key)] += 1
                self.last_after[(kind, key)] = after
        return len(rows)


def check_verify(db):
    p = cp.run("audit", "verify", db=db, check=False)
    if p.returncode != 0:
        raise Failure("coso audit verify failed after a kill:\n%s%s" % (p.stdout, p.stderr))


# ---- rounds ------------------------------------------------------------------------------

class Test:
    def __init__(self, a):
        self.a = a
        self.rng = random.Random(a.seed)
        self.tmp = tempfile.mkdtemp(prefix="coso-kill-")
        self.figures = collections.Counter()

    def setup(self):
        a = self.a
        reg_a = os.path.join(self.tmp, "A")
        if a.size == "small":
            shutil.copytree(cp.HANDMADE, reg_a, ignore=shutil.ignore_patterns("*.md"))
        elif a.size == "medium":
            subprocess.run([sys.executable, os.path.join(cp.ROOT, "tests", "oracle", "gen_registry.py"),
                            str(a.seed), reg_a, "--size", "medium", "--queries", os.path.join(self.tmp, "q.txt")],
                           check=True, stdout=subprocess.DEVNULL)
        else:
            subprocess.run([sys.executable, os.path.join(cp.ROOT, "bench", "gen_national.py"), "--scale", "0.003",
                            "--seed", str(a.seed), "--out", reg_a], check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        reg_b = cp.renamed_copy(reg_a, os.path.join(self.tmp, "B"), " (B)")
        self.regs = {"A": reg_a, "B": reg_b}
        self.digests = {k: cp.digests(v) for k, v in self.regs.items()}
        self.snaps = {}
        for k, v in self.regs.items():
            db = os.path.join(self.tmp, "fresh-%s.db" % k)
            cp.run("import", v, db=db)
            self.snaps[k] = cp.snapshot(db, self.tmp)
        if self.snaps["A"] == self.snaps["B"]:
            raise Failure("registries A and B export the same")
        # the import database holds A; time a whole import (B over A, then A back)
        self.db_imp = os.path.join(self.tmp, "imports.db")
        cp.run("import", reg_a, db=self.db_imp)
        self.import_times = []
        for reg in (reg_b, reg_a, reg_b, reg_a):
            t0 = time.monotonic()
            cp.run("import", reg, db=self.db_imp)
            self.import_times.append(time.monotonic() - t0)
        self.import_time = sorted(self.import_times)[2]
        self.state = "A"
        self.imp_audit = AuditFollower(self.db_imp)
        self.imp_audit.follow()
        self.import_entries = len(self.imp_audit.imports)
        # the API database holds the handmade registry
        self.db_api = os.path.join(self.tmp, "api.db")
        cp.run("import", cp.HANDMADE, db=self.db_api)
        self.api_audit = AuditFollower(self.db_api)
        self.api_audit.follow()
        self.members, self.orgs = {}, {}

    def import_round(self, i):
        target = "B" if self.state == "A" else "A"
        # half the kills anywhere in the import, half near its end (the commit);
        # an import's time is the median of the last ones that finished
        if self.rng.random() < 0.5:
            delay = self.rng.uniform(0, self.import_time * 1.25)
        else:
            delay = self.rng.uniform(self.import_time * 0.6, self.import_time * 1.0)
        t0 = time.monotonic()
        p = subprocess.Popen([cp.COSO, "--db", self.db_imp, "import", self.regs[target]],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=cp.ENV)
        try:
            p.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        err = p.stderr.read().decode("utf-8", "replace")
        p.stderr.close()
        if p.returncode == 0:
            self.import_times = (self.import_times + [time.monotonic() - t0])[-9:]
            self.import_time = sorted(self.import_times)[len(self.import_times) // 2]
        if p.returncode not in (0, -9):
            raise Failure("round %d: coso import exited %d:\n%s" % (i, p.returncode, err))
        check_verify(self.db_imp)
        snap = cp.snapshot(self.db_imp, self.tmp)
        now = [k for k in ("A", "B") if snap == self.snaps[k]]
        if not now:
            raise Failure("round %d: after a kill the registry is neither A nor B (a half-applied import)" % i)
        now = now[0]
        if p.returncode == 0 and now != target:
            raise Failure("round %d: the import exited 0 but the registry is still %s" % (i, now))
        self.imp_audit.follow()
        imports = len(self.imp_audit.imports)
        changed = now != self.state
        if imports != self.import_entries + (1 if changed else 0):
            raise Failure("round %d: %d import entries, expected %d (registry %s)" % (
                i, imports, self.import_entries + (1 if changed else 0), "changed" if changed else "unchanged"))
        last = {f["name"]: f["sha256"] for f in self.imp_audit.imports[-1]["files"]}
        if last != self.digests[now]:
            raise Failure("round %d: the last import entry's digests are not those of registry %s" % (i, now))
        self.import_entries = imports
        if p.returncode == 0:
            self.figures["import: finished before the kill"] += 1
        elif changed:
            self.figures["import: killed after its commit (new registry)"] += 1
        else:
            self.figures["import: killed before its commit (old registry kept)"] += 1
        self.state = now

    def api_round(self, i):
        server = cp.Server(self.db_api)
        stop, dying = threading.Event(), threading.Event()
        writers = [Writer("w%d" % t, server, random.Random(self.rng.random()), stop, dying, i) for t in range(2)]
        for w in writers:
            w.start()
        time.sleep(self.rng.uniform(0.05, self.a.api_window))
        dying.set()
        status = server.kill()
        if status != -9:
            raise Failure("round %d: coso serve had exited (%d) before its kill:\n%s" % (i, status, server.err))
        stop.set()
        for w in writers:
            w.join(60)
            if w.is_alive():
                raise Failure("round %d: a client did not stop" % i)
            for e in w.errors:
                raise Failure("round %d: %s" % (i, e))
            self.figures.update({"api: " + k: v for k, v in w.figures.items()})
            self.members.update(w.members)
            self.orgs.update(w.orgs)
        pending = {}
        for w in writers:
            if w.pending:
                table, key, new = w.pending
                pending[(table, key)] = new
        check_verify(self.db_api)
        members, orgs = exported_states(self.db_api, self.tmp)
        self.api_audit.follow()
        # an answered profile read has its entry (it is written before the answer)
        if self.api_audit.reads < self.figures["api: profile reads answered"]:
            raise Failure("round %d: %d profile reads answered, %d read entries in the audit log" % (
                i, self.figures["api: profile reads answered"], self.api_audit.reads))
        for table, model, actual in (("members", self.members, members), ("orgs", self.orgs, orgs)):
            kind = "member" if table == "members" else "org"
            for key in sorted(set(model) | set(actual) | {k for t, k in pending if t == table}):
                acked = model.get(key)
                maybe = pending.get((table, key))
                got = actual.get(key)
                if got == strip_n(acked):
                    now = acked
                elif maybe is not None and got == strip_n(maybe):
                    now = maybe
                    self.figures["api: unanswered writes found applied"] += 1
                else:
                    raise Failure("round %d: %s %s is %r after the restart; acknowledged: %r%s" % (
                        i, kind, key, got, strip_n(acked),
                        "; or, with the unanswered write: %r" % strip_n(maybe) if maybe else ""))
                if maybe is not None and now is acked:
                    self.figures["api: unanswered writes found not applied"] += 1
                n = now["n"] if now else 0
                if self.api_audit.writes[(kind, key)] != n:
                    raise Failure("round %d: %s %s has %d audit entries for %d applied writes" % (
                        i, kind, key, self.api_audit.writes[(kind, key)], n))
                if now is not None and after_state(kind, self.api_audit.last_after[(kind, key)]) != strip_n(now):
                    raise Failure("round %d: the last audit entry of %s %s is not the record as stored" % (
                        i, kind, key))
                if now is None:
                    model.pop(key, None)
                else:
                    model[key] = now

    def run(self):
        a = self.a
        self.setup()
        t0 = time.monotonic()
        for i in range(a.iterations):
            if i % 2 == 0:
                self.import_round(i)
            else:
                self.api_round(i)
        took = time.monotonic() - t0
        f = self.figures
        print("kill test: %d rounds (seed %d, %s registries, an import takes %.2f s (median), API window %.2f s),"
              " %.1f s"
              % (a.iterations, a.seed, a.size, self.import_time, a.api_window, took))
        for k in sorted(f):
            print("  %-55s %6d" % (k, f[k]))
        print("  %-55s %6d" % ("api: audit entries of profile reads", self.api_audit.reads))
        print("  %-55s %6d" % ("api: audit entries (all)", self.api_audit.seq))
        print("  %-55s %6d" % ("api: test members / organizations in the registry", len(self.members)),
              "/", len(self.orgs))
        print("every kill: the database opened, the audit chain verified, nothing acknowledged was lost,"
              " nothing was half-applied")


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--iterations", type=int, default=24)
    ap.add_argument("--seed", type=int, default=int(os.environ.get("COSO_KILL_SEED", "1")))
    ap.add_argument("--size", choices=["small", "medium", "large"], default="medium")
    ap.add_argument("--api-window", type=float, default=1.2, help="the longest a server runs before its kill")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    a = ap.parse_args(argv)
    t = Test(a)
    ok = False
    try:
        t.run()
        ok = True
    except Failure as e:
        print("FAIL: %s" % e, file=sys.stderr)
        print("(the databases are kept in %s)" % t.tmp, file=sys.stderr)
        return 1
    finally:
        if ok and not a.keep:
            shutil.rmtree(t.tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
