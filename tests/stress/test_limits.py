#!/usr/bin/env python3
"""The server's limits against hostile clients (docs/HARDENING.md).

Run by ctest with COSO set to the binary under test (the sanitizer build).
One `coso serve` on a free loopback port, on the hand-made registry, for
the whole class (signed in as an administrator when this coso has users);
at the end it must stop cleanly on SIGTERM (exit 0: no sanitizer report). Each test proves one limit of src/http/README.md and
that, while a hostile client pushes on it, the server keeps answering
others promptly:

- headers larger than the 64 KiB connection pool (one huge header, many
  small ones) are 431, a request line too long is 414; 30 KiB of headers
  are still served;
- a request body over 64 KiB is 413, a text field over 4096 bytes is 422,
  per_page above 500 and a query over its bounds are 400, request text that
  is not UTF-8 is a 4xx (not a 500);
- slow clients (a header byte every second, a body byte every second) hold
  only their own connection;
- 1100 connections from one address (more than the server's 1000) do not
  lock out a client from another address: one address gets at most 128;
- idle connections are closed after the 30 s connection timeout.
"""
import http.client
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
HANDMADE = os.path.join(HERE, "..", "cases", "handmade")
COSO = os.environ.get("COSO", os.path.join(HERE, "..", "..", "build", "coso"))
TIMEOUT = 60
CONNECTION_TIMEOUT = 30   # server.c
CONNECTION_LIMIT = 1000   # server.c
PER_IP_LIMIT = 128        # server.c
PROMPT = 5.0              # seconds: "answers promptly" (sanitizer build, busy machine; held would be 30 s)
USER, PASSWORD = "limits", "limits-test-password"


class Limits(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="coso-limits-")
        cls.db = os.path.join(cls.tmp, "reg.db")
        p = subprocess.run([COSO, "--db", cls.db, "import", HANDMADE], capture_output=True, text=True)
        if p.returncode != 0:
            raise AssertionError("import failed:\n" + p.stderr)
        cls.users = subprocess.run([COSO, "user", "--help"], capture_output=True).returncode == 0
        if cls.users:
            p = subprocess.run([COSO, "--db", cls.db, "user", "add", USER, "--role", "admin", "--password-stdin"],
                               input=PASSWORD + "\n", capture_output=True, text=True)
            if p.returncode != 0:
                raise AssertionError("user add failed:\n" + p.stderr)
        cls.proc = subprocess.Popen([COSO, "--db", cls.db, "serve", "--port", "0", "--bind", "127.0.0.1"],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        box = []
        t = threading.Thread(target=lambda: box.append(cls.proc.stdout.readline()), daemon=True)
        t.start()
        t.join(TIMEOUT)
        m = re.search(r"serving http://127\.0\.0\.1:(\d+)/", box[0] if box else "")
        if not m:
            cls.proc.kill()
            raise AssertionError("coso serve did not start: %r\n%s" % (box, cls.proc.communicate()[1]))
        cls.port = int(m.group(1))
        cls.cookie = cls.csrf = None
        if cls.users:
            c = http.client.HTTPConnection("127.0.0.1", cls.port, timeout=TIMEOUT)
            c.request("POST", "/api/v1/session", body=json.dumps({"user": USER, "password": PASSWORD}),
                      headers={"Content-Type": "application/json"})
            r = c.getresponse()
            body = r.read()
            if r.status != 200:
                raise AssertionError("sign-in: %d %s" % (r.status, body[:300]))
            cls.cookie = r.getheader("Set-Cookie").split(";", 1)[0]
            cls.csrf = json.loads(body)["csrf"]
            c.close()
        # idle connections, opened now and checked by the last test, once the
        # connection timeout has passed
        cls.idle = [socket.create_connection(("127.0.0.1", cls.port)) for _ in range(20)]
        cls.idle_since = time.monotonic()

    @classmethod
    def tearDownClass(cls):
        for s in cls.idle:
            s.close()
        cls.proc.send_signal(signal.SIGTERM)
        try:
            _, err = cls.proc.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            cls.proc.kill()
            _, err = cls.proc.communicate()
        shutil.rmtree(cls.tmp, ignore_errors=True)
        if cls.proc.returncode != 0:
            raise AssertionError("coso serve exited %s:\n%s" % (cls.proc.returncode, err[-4000:]))

    # ---- helpers --------------------------------------------------------------------------

    def session(self, post=False):
        """The headers of the session (none when this coso has no users)."""
        h = {}
        if self.cookie:
            h["Cookie"] = self.cookie
            if post:
                h["X-CSRF-Token"] = self.csrf
        return h

    def session_lines(self, post=False):
        return b"".join(b"%s: %s\r\n" % (k.encode(), v.encode()) for k, v in self.session(post).items())

    def raw(self, data, source="127.0.0.1", wait=10):
        """Sends bytes on a new connection; returns everything the server sends back until it closes."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout=wait, source_address=(source, 0))
        out = b""
        try:
            s.sendall(data)
            while True:
                b = s.recv(65536)
                if not b:
                    break
                out += b
        except (ConnectionResetError, BrokenPipeError):
            pass
        finally:
            s.close()
        return out

    def status_of(self, data):
        out = self.raw(data)
        m = re.match(rb"HTTP/1\.1 (\d{3}) ", out)
        self.assertTrue(m, out[:200])
        return int(m.group(1))

    def timed_get(self, path="/api/v1/health", source="127.0.0.1"):
        """(status, seconds) of one GET on a new connection."""
        t = time.monotonic()
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT, source_address=(source, 0))
        try:
            c.request("GET", path, headers=self.session())
            r = c.getresponse()
            r.read()
            return r.status, time.monotonic() - t
        finally:
            c.close()

    def assertAnswersPromptly(self, source="127.0.0.1"):
        status, took = self.timed_get(source=source)
        self.assertEqual(status, 200)
        self.assertLess(took, PROMPT, "the server took %.2f s to answer" % took)

    def post(self, path, body):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        try:
            data = json.dumps(body).encode("utf-8")
            c.request("POST", path, body=data, headers=dict(self.session(True), **{"Content-Type": "application/json"}))
            r = c.getresponse()
            return r.status, json.loads(r.read() or b"null")
        finally:
            c.close()

    # ---- headers, request line, body, query ----------------------------------------------

    def test_headers_beyond_the_connection_memory_are_431(self):
        head = b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n"
        self.assertEqual(self.status_of(head + b"X-Big: " + b"a" * 100000 + b"\r\n\r\n"), 431)
        many = b"".join(b"X-H%d: %s\r\n" % (i, b"b" * 40) for i in range(3000))
        self.assertEqual(self.status_of(head + many + b"\r\n"), 431)
        # well under the pool, headers are served
        self.assertEqual(self.status_of(head + b"Connection: close\r\nX-Big: " + b"a" * 30000 + b"\r\n\r\n"), 200)
        self.assertAnswersPromptly()

    def test_a_request_line_too_long_is_414(self):
        self.assertEqual(self.status_of(b"GET /api/v1/units?q=" + b"a" * 100000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"), 414)
        self.assertAnswersPromptly()

    def test_a_body_declared_over_64_kib_is_413_before_it_is_sent(self):
        self.assertEqual(self.status_of(b"POST /api/v1/members HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                        + self.session_lines(True) +
                                        b"Content-Length: 999999999\r\nConnection: close\r\n\r\n"), 413)
        self.assertAnswersPromptly()

    def test_a_text_field_longer_than_the_interchange_format_allows_is_422(self):
        # accepted, it could not be exported: the format's fields are at most 4096 bytes
        status, doc = self.post("/api/v1/orgs/CS1/rename", {"date": "2020-01-01", "name": "\u0110" * 2049})
        self.assertEqual(status, 422, str(doc)[:300])
        self.assertEqual([e["field"] for e in doc["errors"]], ["name"])
        status, doc = self.post("/api/v1/orgs/CS1/rename", {"date": "2020-01-01", "name": "x" * 4096})
        self.assertEqual(status, 200, str(doc)[:300])

    def test_pages_and_query_strings_have_bounds(self):
        self.assertEqual(self.timed_get("/api/v1/members?per_page=500")[0], 200)
        self.assertEqual(self.timed_get("/api/v1/members?per_page=501")[0], 400)
        self.assertEqual(self.timed_get("/api/v1/members?per_page=0")[0], 400)
        self.assertEqual(self.timed_get("/api/v1/units?" + "&".join("k%d=v" % i for i in range(32)))[0], 200)
        self.assertEqual(self.timed_get("/api/v1/units?" + "&".join("k%d=v" % i for i in range(33)))[0], 400)
        self.assertEqual(self.timed_get("/api/v1/units?q=" + "a" * 4097)[0], 400)
        # series: at most 400 points (here 2020-01 .. 2053-04 by month, and one more)
        self.assertEqual(self.timed_get("/api/v1/reports/timeline?step=month&from=2020-01-01&to=2053-04-01")[0], 200)
        self.assertEqual(self.timed_get("/api/v1/reports/timeline?step=month&from=2020-01-01&to=2053-05-01")[0], 400)

    def test_request_text_that_is_not_utf8_is_a_client_error_not_a_500(self):
        # echoed into the problem's detail, it must not make the JSON fail
        # (fuzz/corpus/query/bug-500-invalid-utf8-path)
        self.assertEqual(self.timed_get("/api/v1/mem%bcbers")[0], 404)
        self.assertEqual(self.timed_get("/api/v1/units?as_of=%ff")[0], 400)
        self.assertEqual(self.timed_get("/assets/%ff.js")[0], 404)
        self.assertEqual(self.status_of(b"POST /api/v1/members HTTP/1.1\r\nHost: x\r\nContent-Type: text/\xff\r\n"
                                        + self.session_lines(True) +
                                        b"Content-Length: 2\r\nConnection: close\r\n\r\n{}"), 415)

    # ---- slow and idle clients ---------------------------------------------------------------

    def test_slow_clients_hold_only_their_own_connections(self):
        stop = threading.Event()
        socks = []

        def trickle(sock, data):
            try:
                for i in range(len(data)):
                    if stop.is_set():
                        return
                    sock.sendall(data[i:i + 1])
                    stop.wait(1.0)
            except OSError:
                pass

        # 20 clients sending their headers a byte a second, 5 sending a declared body a byte a second
        for i in range(25):
            s = socket.create_connection(("127.0.0.1", self.port))
            socks.append(s)
            if i < 20:
                data = b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"s" * 100
            else:
                s.sendall(b"POST /api/v1/orgs/CS1/rename HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                          + self.session_lines(True) + b"Content-Length: 200\r\n\r\n")
                data = b'{"date": "2020-01-01", "name": "' + b"z" * 150
            threading.Thread(target=trickle, args=(s, data), daemon=True).start()
        try:
            worst = 0.0
            for _ in range(16):  # about 8 s of trickling
                status, took = self.timed_get("/api/v1/members?q=sung")
                self.assertEqual(status, 200)
                worst = max(worst, took)
                time.sleep(0.5)
            self.assertLess(worst, PROMPT, "a request took %.2f s while slow clients were connected" % worst)
        finally:
            stop.set()
            for s in socks:
                s.close()

    def test_many_connections_from_one_address_do_not_lock_out_others(self):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        want = CONNECTION_LIMIT + 200
        if soft < want:
            if hard != resource.RLIM_INFINITY and hard < want:
                self.skipTest("the file descriptor limit (%d) is below %d" % (hard, want))
            resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
        socks, refused = [], 0
        try:
            for _ in range(CONNECTION_LIMIT + 100):
                s = socket.socket()
                s.settimeout(5)
                s.connect(("127.0.0.1", self.port))
                socks.append(s)
            time.sleep(1.0)
            # the server closed all but PER_IP_LIMIT of them (the idle ones of setUpClass count too)
            for s in socks:
                s.setblocking(False)
                try:
                    if s.recv(1) == b"":
                        refused += 1
                except BlockingIOError:
                    pass
                except OSError:
                    refused += 1
            kept = len(socks) - refused
            self.assertLessEqual(kept + len(self.idle), PER_IP_LIMIT, "one address kept %d connections" % kept)
            # another address is served at once
            self.assertAnswersPromptly(source="127.0.0.2")
        finally:
            for s in socks:
                s.close()
        time.sleep(0.5)
        self.assertAnswersPromptly()

    def test_zz_idle_connections_are_closed_after_the_timeout(self):
        left = self.idle_since + CONNECTION_TIMEOUT + 3 - time.monotonic()
        if left > 0:
            time.sleep(left)
        for s in self.idle:
            s.settimeout(5)
            try:
                self.assertEqual(s.recv(1), b"", "an idle connection is still open after the timeout")
            except ConnectionResetError:
                pass
        self.assertAnswersPromptly()


if __name__ == "__main__":
    unittest.main(verbosity=2)
