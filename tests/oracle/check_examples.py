#!/usr/bin/env python3
"""check_examples: check that the reference implementation (coso_ref.py)
reproduces the expected reports of the shared example registry.

    check_examples.py [EXAMPLES_DIR]     (default tests/cases/contract-sample, a copy of the shared examples)

EXAMPLES_DIR holds sample-registry/ and expected/N.json; the command for
each N.json is the table of EXAMPLES_DIR/README.md (repeated below).  Reports
are compared as parsed JSON, `children` in any order.  Exits 1 on any
mismatch.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import coso_ref  # noqa: E402
from jsondiff import contract_diff  # noqa: E402

# expected file -> report arguments (from examples/README.md)
CASES = [
    ("1.json", ["--as-of", "2018-05-22"]),
    ("2.json", ["--as-of", "2026-01-01"]),
    ("3.json", ["--as-of", "2016-01-01", "--scope", "1100"]),
    ("4.json", ["--from", "2016-01-01", "--to", "2018-05-22"]),
    ("5.json", ["--from", "2010-01-01", "--to", "2026-01-01",
                "--scope", "1101"]),
]


def main(argv):
    base = argv[1] if len(argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cases", "contract-sample")
    reg = coso_ref.Registry(os.path.join(base, "sample-registry"))
    failed = 0
    for fname, args in CASES:
        with open(os.path.join(base, "expected", fname), encoding="utf-8") as f:
            expected = json.load(f)
        got = coso_ref.run_query(reg, args)
        # both ways: the oracle must give exactly the expected keys
        diffs = contract_diff(expected, got) + contract_diff(got, expected)
        if diffs:
            failed += 1
            print("FAIL %s (report %s)" % (fname, " ".join(args)))
            for line in sorted(set(diffs)):
                print("   ", line)
        else:
            print("ok   %s (report %s)" % (fname, " ".join(args)))
    print("check_examples: %d passed, %d failed"
          % (len(CASES) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
