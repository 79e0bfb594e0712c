#!/usr/bin/env python3
"""compare: differential test of the coso program against the reference
implementation (coso_ref.py), on random registries from gen_registry.py.

    compare.py --coso build/coso --seeds N [--workdir DIR] [--first-seed S]
               [--size small|medium] [--gaps auto|always|never] [--keep]

For each seed S (first-seed .. first-seed+N-1), in WORKDIR/seed-S/:
  1. generate the registry reg/ and its queries (queries.txt);
  2. `coso --db r.db import reg` must exit 0;
  3. for each query, `coso --db r.db report ARGS --format json` is compared
     with the oracle as parsed JSON (children in any order; keys beyond the
     contract in coso's output are allowed);
  4. round trip: `coso --db r.db export exp`, `coso --db r2.db import exp`,
     every report of r2.db must equal the one of r.db; the oracle reading
     exp/ must give the same reports as reading reg/, and exp/ must pass the
     validity checker;
  5. importing the same folder twice changes nothing: import reg/ again into
     r.db, export to exp2/, exp/ and exp2/ must be identical byte for byte
     (and the reports unchanged).
Each numbered item (3: each query) is one check.  Every failure is printed
with the seed, the command and the differences; the last line is
`compare: P passed, F failed`; the exit status is 1 when F > 0 (2 when the
coso program is missing).

The work directory (default: a temporary one) is removed at the end unless
--keep is given or something failed, so a failure can be replayed by hand.
"""

import argparse
import filecmp
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import coso_ref  # noqa: E402
import gen_registry  # noqa: E402
from jsondiff import contract_diff  # noqa: E402

TIMEOUT = 120          # seconds for one run of coso
MAX_DIFF_LINES = 25    # differences shown per failure
FILES = ["units.csv", "institutions.csv", "orgs.csv", "members.csv",
         "member_periods.csv"]


class Checks:
    """Counts checks and prints failures as they happen."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def ok(self):
        self.passed += 1

    def fail(self, seed, what, lines=()):
        self.failed += 1
        print("FAIL seed %s: %s" % (seed, what))
        lines = list(lines)
        for line in lines[:MAX_DIFF_LINES]:
            print("     " + line)
        if len(lines) > MAX_DIFF_LINES:
            print("     ... and %d more" % (len(lines) - MAX_DIFF_LINES))
        sys.stdout.flush()


def run(cmd):
    """Run a command; return (exit status, stdout, stderr) as text.  A
    timeout is status None."""
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return None, "", "timed out after %d s" % TIMEOUT
    return (p.returncode, p.stdout.decode("utf-8", "replace"),
            p.stderr.decode("utf-8", "replace"))


def show(cmd):
    return " ".join(shlex.quote(c) for c in cmd)


def normalize(report):
    """A report with `children` sorted by code, for equality tests."""
    if isinstance(report, dict) and isinstance(report.get("children"), list):
        report = dict(report)
        report["children"] = sorted(
            report["children"],
            key=lambda c: c.get("code", "") if isinstance(c, dict) else "")
    return report


def coso_report(coso, db, args):
    """Run one report; return (parsed JSON, None) or (None, error lines)."""
    cmd = [coso, "--db", db, "report"] + args + ["--format", "json"]
    rc, out, err = run(cmd)
    if rc != 0:
        return None, ["exit status %s" % rc] + err.strip().splitlines()[-5:]
    try:
        return json.loads(out), None
    except ValueError as e:
        return None, ["output is not JSON (%s):" % e] + \
            out.strip().splitlines()[:5]


def step(checks, seed, cmd):
    """Run a coso command that must succeed; count a failure if not."""
    rc, out, err = run(cmd)
    if rc != 0:
        checks.fail(seed, show(cmd), ["exit status %s" % rc] +
                    err.strip().splitlines()[-10:])
        return False
    return True


def folders_identical(a, b):
    """Lines describing how folders a and b differ (empty: identical)."""
    out = []
    names = sorted(set(os.listdir(a)) | set(os.listdir(b)))
    for n in names:
        pa, pb = os.path.join(a, n), os.path.join(b, n)
        if not os.path.exists(pa) or not os.path.exists(pb):
            out.append("%s: only in %s" % (n, a if os.path.exists(pa) else b))
        elif not filecmp.cmp(pa, pb, shallow=False):
            out.append("%s: differs" % n)
    return out


def one_seed(coso, seed, work, size, gaps, checks):
    """All the checks of one seed.  Returns nothing; counts into checks."""
    if os.path.exists(work):
        shutil.rmtree(work)
    os.makedirs(work)
    reg = os.path.join(work, "reg")
    qfile = os.path.join(work, "queries.txt")
    queries, has_gaps = gen_registry.generate(seed, reg, size, qfile, gaps)
    db = os.path.join(work, "r.db")

    # 2. import
    if not step(checks, seed, [coso, "--db", db, "import", reg]):
        return
    checks.ok()

    # 3. every query against the oracle
    oracle = coso_ref.Registry(reg)
    expected = {}
    first = {}
    for args in queries:
        key = shlex.join(args)
        expected[key] = oracle_report = coso_ref.run_query(oracle, args)
        got, err = coso_report(coso, db, args)
        what = show([coso, "--db", db, "report"] + args +
                    ["--format", "json"])
        if err:
            checks.fail(seed, what, err)
            continue
        first[key] = got
        diffs = contract_diff(oracle_report, got)
        if diffs:
            oracle_cmd = ["python3", os.path.join(HERE, "coso_ref.py"),
                          reg] + args
            checks.fail(seed, what, ["(expected = the oracle: %s)"
                                     % show(oracle_cmd)] + diffs)
        else:
            checks.ok()

    # 4. round trip through export
    exp = os.path.join(work, "exp")
    if not step(checks, seed, [coso, "--db", db, "export", exp]):
        return
    missing = [f for f in FILES if not os.path.exists(os.path.join(exp, f))]
    if missing:
        checks.fail(seed, "export wrote no %s" % ", ".join(missing))
        return
    checks.ok()
    db2 = os.path.join(work, "r2.db")
    if step(checks, seed, [coso, "--db", db2, "import", exp]):
        lines = []
        for args in queries:
            key = shlex.join(args)
            got, err = coso_report(coso, db2, args)
            if err:
                lines += ["report %s on r2.db: %s" % (key, e) for e in err]
            elif key in first and normalize(got) != normalize(first[key]):
                lines.append("report %s differs after the round trip "
                             "(expected: before, got: after):" % key)
                # both ways, so that keys only in one of them show too
                diffs = contract_diff(first[key], got) + \
                    ["extra key " + d for d in contract_diff(got, first[key])
                     if d.endswith(")") and ": missing (" in d]
                lines += ["  " + d for d in diffs] or \
                    ["  (differs only in duplicated children)"]
        if lines:
            checks.fail(seed, "round trip: export, import into a fresh db, "
                        "same reports", lines)
        else:
            checks.ok()
    # the independent reader sees the same registry in the export
    lines = ["validity: " + p for p in
             gen_registry.check_registry(exp, allow_uncovered=has_gaps)]
    try:
        oracle2 = coso_ref.Registry(exp)
        for args in queries:
            key = shlex.join(args)
            diffs = contract_diff(expected[key],
                                  coso_ref.run_query(oracle2, args))
            lines += ["oracle on export, %s: %s" % (key, d) for d in diffs]
    except coso_ref.FormatError as e:
        lines.append("oracle cannot read the export: %s" % e)
    if lines:
        checks.fail(seed, "the export (%s) is not the same registry to the "
                    "oracle" % exp, lines)
    else:
        checks.ok()

    # 5. importing the same folder twice changes nothing
    exp2 = os.path.join(work, "exp2")
    if step(checks, seed, [coso, "--db", db, "import", reg]) and \
            step(checks, seed, [coso, "--db", db, "export", exp2]):
        lines = folders_identical(exp, exp2)
        for args in queries[:5]:
            key = shlex.join(args)
            got, err = coso_report(coso, db, args)
            if err or (key in first and
                       normalize(got) != normalize(first[key])):
                lines.append("report %s changed after the second import"
                             % key)
        if lines:
            checks.fail(seed, "importing %s twice changed the registry "
                        "(compare %s and %s)" % (reg, exp, exp2), lines)
        else:
            checks.ok()


def main(argv):
    ap = argparse.ArgumentParser(
        description="differential test of coso against coso_ref.py")
    ap.add_argument("--coso", default=os.environ.get("COSO"),
                    help="path to the coso program (default: $COSO)")
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--first-seed", type=int, default=1)
    ap.add_argument("--workdir")
    ap.add_argument("--size", choices=["small", "medium"], default="small")
    ap.add_argument("--gaps", choices=["auto", "always", "never"],
                    default="auto")
    ap.add_argument("--keep", action="store_true",
                    help="keep the work directory")
    a = ap.parse_args(argv[1:])

    if not a.coso:
        print("compare: give --coso PATH (or set COSO) to the coso program",
              file=sys.stderr)
        return 2
    coso = os.path.abspath(a.coso)
    if not os.path.isfile(coso) or not os.access(coso, os.X_OK):
        print("compare: the coso program is missing or not executable: %s\n"
              "compare: build it first (cmake -B build && cmake --build "
              "build), or pass --coso PATH" % coso, file=sys.stderr)
        return 2

    temp = a.workdir is None
    workdir = a.workdir or tempfile.mkdtemp(prefix="coso-compare-")
    os.makedirs(workdir, exist_ok=True)
    checks = Checks()
    for seed in range(a.first_seed, a.first_seed + a.seeds):
        work = os.path.join(workdir, "seed-%d" % seed)
        before = checks.failed
        try:
            one_seed(coso, seed, work, a.size, a.gaps, checks)
        except Exception as e:     # a bug here must not hide other seeds
            checks.fail(seed, "compare.py crashed: %r" % e)
        if checks.failed == before and not a.keep:
            shutil.rmtree(work, ignore_errors=True)
    if checks.failed:
        print("compare: failures kept in %s" % workdir)
    elif temp and not a.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    print("compare: %d passed, %d failed" % (checks.passed, checks.failed))
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
