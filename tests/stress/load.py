#!/usr/bin/env python3
"""The load test (docs/HARDENING.md): wrk against a real `coso serve`.

    tests/stress/load.py [SECONDS] [--connections 64] [--threads 2] [--json FILE]

Imports the Điện Biên demo (data/demo/dien-bien) into a fresh database,
starts `coso serve` on a free loopback port (the binary is $COSO, default
build/coso), signs in when the server has sessions (a user made with
`coso user add`), reads from the API the cells, members, communes and names
the requests use, warms the server up with reads, then runs wrk with
tests/stress/load.lua for SECONDS (default 10): a mix of reads (report,
search, member pages, lists) and writes (admissions with unique ids,
transfers of acknowledged admissions) on 64 connections.

It fails unless: every answer is 2xx (no 5xx, no 4xx: every request is
valid), wrk saw no socket error or timeout, every write sent was answered
(writes stop before the end; one still in flight when wrk stops is counted
and may have landed or not), the server's resident memory after the run is
within a bound of what it was after the warm-up, the server stops cleanly
on SIGTERM (exit 0: under the sanitizer build, no leak or error report), and
the registry, exported after, holds every acknowledged admission with its
acknowledged transfer, and no member of the test that was not sent. It prints throughput, latency percentiles,
errors and memory, and with --json writes them to FILE.

Standard library only; wrk must be installed (tests/stress/load.sh installs it).
"""
import argparse
import csv
import datetime
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
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
DEMO = os.path.join(ROOT, "data", "demo", "dien-bien")
COSO = os.environ.get("COSO", os.path.join(ROOT, "build", "coso"))
SCOPE = "11"  # the demo's province
USER, PASSWORD = "loadtest", "load-test-password-1"


def log(msg):
    print("load: " + msg, flush=True)


def fail(msg):
    print("load: FAILED: " + msg, file=sys.stderr, flush=True)
    sys.exit(1)


def run(*args, db, stdin=None, check=True, timeout=600):
    p = subprocess.run([COSO, "--db", db] + list(args), input=stdin, capture_output=True, text=True,
                       timeout=timeout)
    if check and p.returncode != 0:
        fail("coso %s exited %d:\n%s" % (" ".join(args), p.returncode, p.stderr))
    return p


def memory(pid):
    """(VmRSS, VmHWM) of a process, in KiB."""
    got = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "VmHWM"):
                got[k] = int(v.split()[0])
    return got["VmRSS"], got["VmHWM"]


class Server:
    def __init__(self, db, env):
        self.proc = subprocess.Popen([COSO, "--db", db, "serve", "--port", "0", "--bind", "127.0.0.1"],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        box = []
        t = threading.Thread(target=lambda: box.append(self.proc.stdout.readline()), daemon=True)
        t.start()
        t.join(120)
        m = re.search(r"serving http://127\.0\.0\.1:(\d+)/", box[0] if box else "")
        if not m:
            self.proc.kill()
            out, err = self.proc.communicate()
            fail("coso serve did not start: %r\n%s" % (box, err))
        self.port = int(m.group(1))
        self.cookie = ""
        self.csrf = ""
        # drain stderr so that a chatty server never blocks on a full pipe
        self.err = []
        threading.Thread(target=lambda: self.err.extend(self.proc.stderr), daemon=True).start()

    def request(self, method, path, body=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {}
        if self.cookie:
            headers["Cookie"] = self.cookie
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
            if self.csrf:
                headers["X-CSRF-Token"] = self.csrf
        try:
            c.request(method, path, body=data, headers=headers)
            r = c.getresponse()
            return r.status, r.getheaders(), r.read()
        finally:
            c.close()

    def get(self, path, **query):
        if query:
            path += "?" + urllib.parse.urlencode(query)
        status, _, body = self.request("GET", path)
        if status != 200:
            fail("GET %s: %d %s" % (path, status, body[:300]))
        return json.loads(body)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return -1
        time.sleep(0.2)  # let the stderr reader finish
        return self.proc.returncode


def sign_in(server, db):
    """Signs in when the server has sessions (POST /api/v1/session)."""
    status, headers, body = server.request("POST", "/api/v1/session", {"user": USER, "password": PASSWORD})
    if status in (404, 405):
        log("no sessions on this server: requests go without one")
        return
    if status not in (200, 201):
        fail("sign-in: %d %s" % (status, body[:300]))
    for k, v in headers:
        if k.lower() == "set-cookie":
            server.cookie = v.split(";", 1)[0]
    doc = json.loads(body) if body else {}
    for k, v in (doc.items() if isinstance(doc, dict) else []):
        if "csrf" in k.lower() and isinstance(v, str):
            server.csrf = v
    log("signed in as %s (cookie %s, csrf token %s)" % (USER, "yes" if server.cookie else "no",
                                                      "yes" if server.csrf else "no"))


def make_user(db):
    """Makes the test's administrator when this coso has users."""
    if subprocess.run([COSO, "user", "--help"], capture_output=True).returncode != 0:
        return
    p = run("user", "add", USER, "--role", "admin", "--password-stdin", db=db, stdin=PASSWORD + "\n", check=False)
    if p.returncode != 0:  # another spelling of the role, with a scope
        run("user", "add", USER, "--role", "administrator", "--scope", SCOPE, "--password-stdin", db=db,
            stdin=PASSWORD + "\n")


def all_pages(server, path, key, **query):
    out, page = [], 1
    while True:
        doc = server.get(path, page=page, per_page=500, **query)
        out += [it[key] for it in doc["items"]]
        if page * 500 >= doc["total"]:
            return out, doc
        page += 1


def lua_string(s):
    """A Lua string literal: bytes other than letters, digits and -_.:/% as \\ddd."""
    keep = set(b"-_.:/% ") | set(range(48, 58)) | set(range(65, 91)) | set(range(97, 123))
    return '"' + "".join(chr(b) if b in keep else "\\%03d" % b for b in s.encode("utf-8")) + '"'


def lua_list(xs):
    return "{" + ", ".join(lua_string(x) for x in xs) + "}"


def write_data(path, d):
    with open(path, "w", encoding="utf-8") as f:
        f.write("return {\n")
        for k, v in d.items():
            if isinstance(v, list):
                f.write("  %s = %s,\n" % (k, lua_list(v)))
            elif isinstance(v, int):
                f.write("  %s = %d,\n" % (k, v))
            else:
                f.write("  %s = %s,\n" % (k, lua_string(v)))
        f.write("}\n")


def run_wrk(server, seconds, threads, connections, data, out, tmp):
    env = dict(os.environ, COSO_LOAD_DATA=data, COSO_LOAD_OUT=out)
    cmd = ["wrk", "-t%d" % threads, "-c%d" % connections, "-d%ds" % seconds, "--timeout", "30s",
           "-s", os.path.join(HERE, "load.lua"), "http://127.0.0.1:%d" % server.port]
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=seconds + 120)
    with open(os.path.join(tmp, "wrk.txt"), "a") as f:
        f.write(p.stdout + p.stderr)
    if p.returncode != 0 or not os.path.exists(out):
        fail("wrk exited %d:\n%s%s" % (p.returncode, p.stdout, p.stderr))
    res = {"status": {}, "admitted": set(), "transferred": set(), "sent_admit": set(), "sent_transfer": set(),
           "unexpected": [], "writes_sent": 0}
    with open(out, encoding="utf-8", errors="replace") as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition(" ")
            if k == "status":
                s, n = v.split()
                res["status"][int(s)] = res["status"].get(int(s), 0) + int(n)
            elif k == "admitted":
                res["admitted"].add(v)
            elif k in ("transferred", "sent_admit", "sent_transfer"):
                res[k].add(v)
            elif k == "unexpected":
                res["unexpected"].append(v)
            elif k == "writes_sent":
                res["writes_sent"] += int(v)
            else:
                res[k] = int(v)
    return res


def check_registry(db, tmp, res, cells, today, transfer_day):
    """The export holds the acknowledged admissions and transfers, and nothing
    the test did not send. A write still in flight when wrk stopped (sent,
    never answered) may be there or not. Returns (members of the test in the
    registry, writes in flight, problems)."""
    out = os.path.join(tmp, "export")
    run("export", out, db=db)
    members, periods = {}, {}
    with open(os.path.join(out, "members.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if re.fullmatch(r"LT\d+-\d+", row["id"]):
                members[row["id"]] = row
    with open(os.path.join(out, "member_periods.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["member_id"] in members:
                periods.setdefault(row["member_id"], []).append(row)
    problems = []
    in_flight_admit = res["sent_admit"] - res["admitted"]
    in_flight_transfer = res["sent_transfer"] - res["transferred"]
    made_up = sorted(set(members) - res["sent_admit"])
    unacknowledged = sorted(set(members) - res["admitted"] - in_flight_admit)
    missing = sorted(res["admitted"] - set(members))
    if made_up:
        problems.append("%d members in the registry that the test never sent: %s" %
                        (len(made_up), ", ".join(made_up[:10])))
    if unacknowledged:
        problems.append("%d members in the registry whose admission was refused: %s" %
                        (len(unacknowledged), ", ".join(unacknowledged[:10])))
    if missing:
        problems.append("%d acknowledged admissions missing from the registry: %s" %
                        (len(missing), ", ".join(missing[:10])))
    if res["transferred"] - res["admitted"] or res["sent_transfer"] - res["admitted"]:
        problems.append("transfers sent for members whose admission was not acknowledged")
    for mid in sorted(set(members) & res["sent_admit"]):
        t, c = (int(x) for x in mid[2:].split("-"))
        n = t * 100003 + c
        org_a, org_b = cells[n % len(cells)], cells[(n + 7) % len(cells)]
        got = sorted((p["valid_from"], p["valid_to"], p["org_code"]) for p in periods.get(mid, []))
        before = [(today, "", org_a)]
        after = [(today, transfer_day, org_a), (transfer_day, "", org_b)] if org_a != org_b else before
        if mid in res["transferred"]:
            want = [after]
        elif mid in in_flight_transfer:
            want = [before, after]
        else:
            want = [before]
        if members[mid]["admitted_on"] != today or got not in want:
            problems.append("%s: periods %s, expected %s" % (mid, got, " or ".join(map(str, want))))
            if len(problems) > 20:
                break
    return len(members), len(in_flight_admit) + len(in_flight_transfer), problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("seconds", nargs="?", type=int, default=10)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--read-share", type=int, default=75, help="percent of requests that are reads")
    ap.add_argument("--rss-bound-mb", type=int, default=int(os.environ.get("COSO_LOAD_RSS_BOUND_MB", "96")),
                    help="most the server's VmRSS may grow from after the warm-up to after the run")
    ap.add_argument("--json", help="write the figures to this file")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    a = ap.parse_args()
    if not shutil.which("wrk"):
        fail("wrk is not installed (tests/stress/load.sh installs it)")
    if not os.access(COSO, os.X_OK):
        fail("%s: no coso binary (make coso, or set COSO)" % COSO)

    tmp = tempfile.mkdtemp(prefix="coso-load-")
    db = os.path.join(tmp, "load.db")
    t0 = time.time()
    run("import", DEMO, db=db)
    log("imported the demo in %.1f s (%s)" % (time.time() - t0, COSO))
    make_user(db)

    env = dict(os.environ)
    # ASan's quarantine (256 MB by default) would read as growth: keep it small
    env.setdefault("ASAN_OPTIONS", "quarantine_size_mb=16:detect_leaks=1")
    server = Server(db, env)
    try:
        sign_in(server, db)
        today_d = datetime.date.today()
        today, transfer_day = today_d.isoformat(), (today_d + datetime.timedelta(days=1)).isoformat()
        cells, _ = all_pages(server, "/api/v1/orgs", "code", kind="cell", as_of=today)
        communes, _ = all_pages(server, "/api/v1/units", "code", level="commune", as_of="2018-05-22")
        sample = server.get("/api/v1/members", per_page=500, as_of="2018-05-22", sort="id")["items"]
        members = [m["id"] for m in sample]
        words = sorted({w for m in sample for w in m["full_name"].split()})
        words = [urllib.parse.quote(w) for w in words[:200]]
        birth = today_d.replace(year=today_d.year - 30, day=1).isoformat()
        common = {"scope": SCOPE, "today": today, "transfer_day": transfer_day, "birth_date": birth,
                  "cells": cells, "communes": communes, "members": members, "words": words,
                  "report_days": ["2018-05-22", "2016-01-01", "2024-01-01", today],
                  "cookie": server.cookie, "csrf": server.csrf}
        log("%d cells, %d communes, %d members and %d words to ask for; %d connections, %d threads, %d s" %
            (len(cells), len(communes), len(members), len(words), a.connections, a.threads, a.seconds))

        # warm-up: reads only, so that caches are full before memory is measured
        warm = os.path.join(tmp, "warm.lua")
        write_data(warm, dict(common, read_share=100, write_stop=0))
        wres = run_wrk(server, max(2, min(10, a.seconds // 4)), a.threads, a.connections, warm,
                       os.path.join(tmp, "warm.out"), tmp)
        rss0, hwm0 = memory(server.proc.pid)

        # writes stop early enough that they are normally all answered by the end
        margin = max(3, min(15, a.seconds * 30 // 100))
        data = os.path.join(tmp, "data.lua")
        write_data(data, dict(common, read_share=a.read_share, write_stop=a.seconds - margin))
        res = run_wrk(server, a.seconds, a.threads, a.connections, data, os.path.join(tmp, "wrk.out"), tmp)
        rss1, hwm1 = memory(server.proc.pid)
        status, _, _ = server.request("GET", "/api/v1/health")
    finally:
        code = server.stop()
    nlt, in_flight, reg_problems = check_registry(db, tmp, res, cells, today, transfer_day)

    secs = res["duration_us"] / 1e6
    fig = {
        "seconds": round(secs, 1), "connections": a.connections, "threads": a.threads,
        "requests": res["requests"], "req_per_s": round(res["requests"] / secs, 1),
        "latency_ms": {p: round(res["latency_%s_us" % p] / 1000, 2) for p in ("p50", "p90", "p99", "p99.9")},
        "latency_max_ms": round(res["latency_max_us"] / 1000, 1),
        "status": {str(k): v for k, v in sorted(res["status"].items())},
        "writes": {"sent": res["writes_sent"], "admitted": len(res["admitted"]),
                   "transferred": len(res["transferred"]), "in_flight_at_stop": in_flight},
        "errors": {k: res["errors_" + k] for k in ("connect", "read", "write", "timeout", "status")},
        "rss_mb": {"after_warmup": round(rss0 / 1024, 1), "after_run": round(rss1 / 1024, 1),
                   "hwm_after_warmup": round(hwm0 / 1024, 1), "hwm_after_run": round(hwm1 / 1024, 1)},
        "registry_members_of_the_test": nlt, "server_exit": code,
        "warmup_reads_only": {"seconds": round(wres["duration_us"] / 1e6, 1), "requests": wres["requests"],
                              "req_per_s": round(wres["requests"] / (wres["duration_us"] / 1e6), 1),
                              "latency_ms_p50": round(wres["latency_p50_us"] / 1000, 2),
                              "latency_ms_p99": round(wres["latency_p99_us"] / 1000, 2)},
    }
    log("warm-up, reads only: %(requests)d requests in %(seconds)s s: %(req_per_s)s req/s, p50 %(latency_ms_p50)s ms,"
        " p99 %(latency_ms_p99)s ms" % fig["warmup_reads_only"])
    log("%(requests)d requests in %(seconds)s s: %(req_per_s)s req/s" % fig)
    log("latency p50 %s ms, p90 %s ms, p99 %s ms, p99.9 %s ms, max %s ms" % (
        fig["latency_ms"]["p50"], fig["latency_ms"]["p90"], fig["latency_ms"]["p99"], fig["latency_ms"]["p99.9"],
        fig["latency_max_ms"]))
    log("statuses %s; writes sent %d: %d admissions, %d transfers acknowledged, %d in flight at the stop" % (
        fig["status"], res["writes_sent"], len(res["admitted"]), len(res["transferred"]), in_flight))
    log("socket errors connect %(connect)d read %(read)d write %(write)d timeout %(timeout)d" % fig["errors"])
    log("server VmRSS %.1f MB after the warm-up, %.1f MB after the run (VmHWM %.1f MB)" % (
        rss0 / 1024, rss1 / 1024, hwm1 / 1024))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(fig, f, indent=1)

    problems = list(reg_problems)
    wbad = {s: n for s, n in wres["status"].items() if not 200 <= s < 300}
    if wbad:
        problems.append("warm-up answers that are not 2xx: %s:\n  %s" % (wbad, "\n  ".join(wres["unexpected"])))
    bad = {s: n for s, n in res["status"].items() if not 200 <= s < 300}
    if bad:
        problems.append("answers that are not 2xx: %s; first ones:\n  %s" % (bad, "\n  ".join(res["unexpected"])))
    for k in ("connect", "read", "write", "timeout"):
        if res["errors_" + k]:
            problems.append("%d socket %s errors" % (res["errors_" + k], k))
    answered = len(res["admitted"]) + len(res["transferred"])
    if res["writes_sent"] != answered + in_flight or in_flight > a.connections:
        problems.append("%d writes sent, %d acknowledged, %d in flight when wrk stopped" %
                        (res["writes_sent"], answered, in_flight))
    if not res["admitted"]:
        problems.append("no admission was acknowledged: the test wrote nothing")
    if status != 200:
        problems.append("the server did not answer /api/v1/health after the run (%s)" % status)
    if rss1 - rss0 > a.rss_bound_mb * 1024:
        problems.append("VmRSS grew by %.1f MB (bound %d MB)" % ((rss1 - rss0) / 1024, a.rss_bound_mb))
    if code != 0:
        problems.append("the server exited %s on SIGTERM:\n%s" % (code, "".join(server.err)[-3000:]))
    if problems:
        log("kept %s" % tmp)
        fail("\n".join(problems))
    log("ok: every answer 2xx, every acknowledged write in the registry and no other, memory within %d MB"
        % a.rss_bound_mb)
    if not a.keep:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
