"""coso_proc: what the durability and audit tests share (standard library only).

- run(): the coso of this build (COSO), checked;
- Server: a `coso serve` on a free loopback port, stopped or killed (SIGKILL);
- Client: one HTTP/1.1 connection to it, signed in when the server has
  sessions (POST /api/v1/session with a user made by `coso user add`);
- registries: export snapshots, CSV reading, and a copy of a registry folder
  with every name changed (same keys: importing one over the other gives
  exactly the other).
"""
import csv
import hashlib
import http.client
import io
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
CASES = os.path.join(ROOT, "tests", "cases")
HANDMADE = os.path.join(CASES, "handmade")
COSO = os.environ.get("COSO", os.path.join(ROOT, "build", "coso"))
TIMEOUT = 60

FILES = ("units.csv", "institutions.csv", "orgs.csv", "members.csv", "member_periods.csv")

# The test suite's users have fast password hashes (docs/SECURITY.md).
ENV = dict(os.environ, COSO_INSECURE_FAST_HASH="1")


def run(*args, db=None, check=True, input=None):
    cmd = [COSO] + (["--db", db] if db else []) + list(args)
    p = subprocess.run(cmd, capture_output=True, text=True, input=input, env=ENV, timeout=600)
    if check and p.returncode != 0:
        raise AssertionError("%s failed (%d):\n%s%s" % (" ".join(cmd), p.returncode, p.stdout, p.stderr))
    return p


def has_command(name):
    return re.search(r"^\s+%s\s" % re.escape(name), run("--help", check=False).stdout, re.M) is not None


# ---- registries -----------------------------------------------------------------

def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def export_dir(db, parent):
    out = tempfile.mkdtemp(dir=parent, prefix="export-")
    run("export", out, db=db)
    return out


def snapshot(db, parent):
    """The registry as the text of the five files of an export."""
    out = export_dir(db, parent)
    snap = {}
    for name in sorted(os.listdir(out)):
        with open(os.path.join(out, name), encoding="utf-8") as f:
            snap[name] = f.read()
    shutil.rmtree(out)
    return snap


def digests(folder):
    """{file name: SHA-256 hex} of a registry folder's files."""
    out = {}
    for name in FILES:
        path = os.path.join(folder, name)
        if os.path.exists(path):
            with open(path, "rb") as f:
                out[name] = hashlib.sha256(f.read()).hexdigest()
    return out


def renamed_copy(src, dst, suffix):
    """A copy of registry src with every name (and full name) changed: the
    same keys, so either imported over the other gives exactly the other."""
    os.makedirs(dst, exist_ok=True)
    for name in FILES:
        path = os.path.join(src, name)
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        head = rows[0]
        col = head.index("full_name") if "full_name" in head else head.index("name") if "name" in head else -1
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(head)
        for r in rows[1:]:
            if col >= 0 and col < len(r) and r[col]:
                r[col] = r[col] + suffix
            w.writerow(r)
        with open(os.path.join(dst, name), "w", encoding="utf-8", newline="") as f:
            f.write(buf.getvalue())
    return dst


def audit_log(db, *filters):
    return json.loads(run("audit", "log", "--format", "json", *filters, db=db).stdout)


# ---- the server ------------------------------------------------------------------

class Server:
    """A `coso serve` process on a free loopback port."""

    def __init__(self, db):
        self.db = db
        args = [COSO, "--db", db, "serve", "--port", "0", "--bind", "127.0.0.1"]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
        line = self._first_line()
        m = re.search(r"serving http://127\.0\.0\.1:(\d+)/ \(database ", line or "")
        if not m:
            self.proc.kill()
            out, err = self.proc.communicate()
            raise AssertionError("coso serve did not start: %r\n%s%s" % (line, out, err))
        self.port = int(m.group(1))
        # drain stdout so that the server never blocks on a full pipe
        threading.Thread(target=self.proc.stdout.read, daemon=True).start()

    def _first_line(self):
        box = []
        t = threading.Thread(target=lambda: box.append(self.proc.stdout.readline()), daemon=True)
        t.start()
        t.join(TIMEOUT)
        return box[0] if box else None

    def kill(self):
        """SIGKILL: no handler, no clean-up, at whatever the server was doing.
        Returns the exit status (-9 unless it had already exited); self.err
        is what it wrote on stderr."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(TIMEOUT)
        self.err = self.proc.stderr.read()
        self.proc.stderr.close()
        self.proc.stdout.close()
        return self.proc.returncode

    def stop(self):
        """SIGTERM; returns (exit status, stderr)."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            _, err = self.proc.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate()
            return -1, err
        return self.proc.returncode, err


class Unanswered(Exception):
    """The request got no answer (the server died): it may or may not have
    been applied."""


_auth_lock = threading.Lock()
_auth = {}


def credentials(db):
    """(user, password) of an administrator of db when coso has users (the
    `user` command), made once per database; None when it has not."""
    with _auth_lock:
        if db in _auth:
            return _auth[db]
        cred = None
        if has_command("user"):
            user, password = "durability-test", "durability-test-password-1"
            p = run("user", "add", user, "--role", "admin", "--password-stdin", db=db, check=False,
                    input=password + "\n")
            if p.returncode != 0:
                raise AssertionError("coso user add failed:\n%s%s" % (p.stdout, p.stderr))
            cred = (user, password)
        _auth[db] = cred
        return cred


class Client:
    """One keep-alive connection to a Server; signs in when the server has
    sessions. request() returns (status, body) or raises Unanswered."""

    def __init__(self, server, timeout=30):
        self.server = server
        self.timeout = timeout
        self.conn = None
        self.headers = {}
        cred = credentials(server.db)
        if cred:
            status, body = self.request("POST", "/api/v1/session", {"user": cred[0], "password": cred[1]})
            if status != 200:
                raise AssertionError("sign-in refused: %d %r" % (status, body))
            self.headers["X-CSRF-Token"] = body.get("csrf", "")

    def _connect(self):
        self.conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=self.timeout)

    def request(self, method, path, body=None):
        if self.conn is None:
            self._connect()
        hdrs = dict(self.headers)
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            hdrs["Content-Type"] = "application/json"
        try:
            self.conn.request(method, path, body=data, headers=hdrs)
            r = self.conn.getresponse()
            payload = r.read()
        except (OSError, http.client.HTTPException) as e:
            self.close()
            raise Unanswered(str(e))
        cookie = r.getheader("Set-Cookie")
        if cookie:
            self.headers["Cookie"] = cookie.split(";", 1)[0]
        return r.status, json.loads(payload.decode("utf-8")) if payload else None

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None
