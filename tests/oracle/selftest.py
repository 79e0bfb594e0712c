#!/usr/bin/env python3
"""selftest: checks of the oracle tools themselves (no coso program needed).

    selftest.py [--seeds N]

  1. coso_ref.py reproduces tests/cases/contract-sample/expected/*.json;
  2. gen_registry.py output passes the validity checker for N seeds of
     each size, and the same seed gives the same bytes;
  3. the validity checker catches each kind of broken rule (mutations of a
     generated registry);
  4. the oracle is fast enough: a small registry and its queries < 2 s.
Prints `selftest: P passed, F failed`; exit 1 on any failure.
"""

import csv
import filecmp
import io
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import coso_ref  # noqa: E402
import gen_registry  # noqa: E402

failures = []
passed = [0]


def expect(cond, what):
    if cond:
        passed[0] += 1
    else:
        failures.append(what)
        print("FAIL", what)


def read(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def write(path, rows, header):
    buf = io.StringIO()
    w = csv.DictWriter(buf, header, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())


def mutate(src, dst, fname, change):
    """Copy registry src to dst, apply change(rows) to one file's rows
    (change returns the header to write, or None to keep it)."""
    if os.path.exists(dst):
        shutil.rmtree(dst)
    shutil.copytree(src, dst)
    path = os.path.join(dst, fname)
    rows = read(path)
    header = list(rows[0].keys())
    new_header = change(rows)
    write(path, rows, new_header or header)


def first(rows, pred):
    for r in rows:
        if pred(r):
            return r
    raise AssertionError("no row to mutate")


def main(argv):
    seeds = int(argv[argv.index("--seeds") + 1]) if "--seeds" in argv else 30
    tmp = tempfile.mkdtemp(prefix="coso-oracle-selftest-")
    try:
        # 1. the shared examples
        rc = subprocess.run([sys.executable,
                             os.path.join(HERE, "check_examples.py")],
                            capture_output=True).returncode
        expect(rc == 0, "check_examples.py fails")

        # 2. generated registries are valid and deterministic
        for size, n in (("small", seeds), ("medium", max(2, seeds // 10))):
            for seed in range(1, n + 1):
                out = os.path.join(tmp, "%s-%d" % (size, seed))
                _, gaps = gen_registry.generate(seed, out, size)
                problems = gen_registry.check_registry(
                    out, strict=True, allow_uncovered=gaps)
                expect(not problems, "seed %d %s invalid: %s"
                       % (seed, size, problems[:3]))
        again = os.path.join(tmp, "again")
        gen_registry.generate(1, again, "small")
        same = filecmp.dircmp(os.path.join(tmp, "small-1"), again)
        expect(not same.diff_files and not same.left_only and
               not same.right_only, "seed 1 is not deterministic")

        # 3. the checker catches broken rules
        src = os.path.join(tmp, "base")
        gen_registry.generate(1, src, "small", gaps="never")
        expect(not gen_registry.check_registry(src, strict=True),
               "base registry invalid")
        bad = os.path.join(tmp, "bad")

        def multi_row_code(rows):
            codes = [r["code"] for r in rows]
            return first(rows, lambda r: codes.count(r["code"]) > 1
                         and r.get("valid_from"))

        def gap(rows):
            r = multi_row_code(rows)
            r["valid_from"] = gen_registry.add_days(r["valid_from"], 1)

        def village_under_village(rows):
            villages = [r for r in rows if r["level"] == "village"]
            villages[0]["parent_code"] = villages[1]["code"]

        def no_such_parent(rows):
            first(rows, lambda r: r.get("parent_code"))["parent_code"] = "ZZ"

        def org_parent_gone(rows):
            # a row that lasts for ever under a committee that ends
            ending = {r["code"] for r in rows if r.get("valid_to")}
            r = first(rows, lambda r: not r.get("valid_to")
                      and r.get("parent_code") and r["code"] not in ending)
            d = first(rows, lambda d: d.get("valid_to")
                      and d["kind"] == "committee" and d["code"] != r["code"])
            r["parent_code"] = d["code"]

        def two_sites(rows):
            r = first(rows, lambda r: r.get("site_unit"))
            r["site_institution"] = "I-none"

        def official_same_day(rows):
            r = first(rows, lambda r: r.get("official_on"))
            r["official_on"] = r["admitted_on"]

        def reason_without_end(rows):
            r = first(rows, lambda r: not r.get("ended_on"))
            r["end_reason"] = "died"

        def bad_date(rows):
            rows[0]["birth_date"] = "2018-02-30"

        def overlap(rows):
            starts = {(r["member_id"], r["valid_from"]) for r in rows}
            r = first(rows, lambda r: (r["member_id"], r["valid_to"])
                      in starts)
            r["valid_to"] = gen_registry.add_days(r["valid_to"], 1)

        def cycle(rows):
            # the top committee under a committee that is under it
            top = first(rows, lambda r: not r.get("parent_code"))
            child = first(rows, lambda r: r["parent_code"] == top["code"]
                          and not r.get("valid_from"))
            top["parent_code"] = child["code"]

        def uncovered(rows):
            ids = [r["member_id"] for r in rows]
            r = first(rows, lambda r: ids.count(r["member_id"]) > 2)
            rows.remove(r)

        def inst_unit_gone(rows):
            rows[0]["unit_code"] = "nowhere"

        def unknown_column(rows):
            for r in rows:
                r["nmae"] = "x"
            return list(rows[0].keys())

        cases = [("units.csv", gap), ("units.csv", village_under_village),
                 ("units.csv", no_such_parent), ("orgs.csv", org_parent_gone),
                 ("orgs.csv", two_sites), ("orgs.csv", cycle), ("members.csv", official_same_day),
                 ("members.csv", reason_without_end), ("members.csv",
                                                      bad_date),
                 ("member_periods.csv", overlap),
                 ("member_periods.csv", uncovered),
                 ("orgs.csv", unknown_column)]
        if os.path.exists(os.path.join(src, "institutions.csv")) and \
                read(os.path.join(src, "institutions.csv")):
            cases.append(("institutions.csv", inst_unit_gone))
        for fname, change in cases:
            mutate(src, bad, fname, change)
            problems = gen_registry.check_registry(bad)
            expect(problems, "checker misses %s in %s"
                   % (change.__name__, fname))

        # 4. speed: load + all queries of a small registry
        t = time.time()
        reg = coso_ref.Registry(src)
        with open(os.path.join(src, "queries.txt"), encoding="utf-8") as f:
            queries = [shlex.split(l) for l in f if not l.startswith("#")]
        for q in queries:
            coso_ref.run_query(reg, q)
        spent = time.time() - t
        expect(spent < 2.0, "oracle too slow: %.2f s for %d queries"
               % (spent, len(queries)))
        print("oracle: %d queries on a small registry in %.2f s"
              % (len(queries), spent))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("selftest: %d passed, %d failed" % (passed[0], len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
