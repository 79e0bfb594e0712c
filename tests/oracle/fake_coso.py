#!/usr/bin/env python3
"""fake_coso: a stand-in for the coso program, built on coso_ref.py, to test
compare.py's plumbing before (or without) the real program:

    compare.py --coso tests/oracle/fake_coso.py --seeds 5

It implements just the command-line contract used by compare.py:
`--db PATH import DIR`, `export DIR`, `report ... --format json`.  The
"database" is a JSON file holding the rows of the five tables.

FAKE_COSO_BUG=report makes as-of reports count one member too many, and
FAKE_COSO_BUG=export makes export lose members; compare.py must catch both.
"""

import csv
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import coso_ref  # noqa: E402


def load_db(path):
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def write_folder(db, folder, bug=""):
    """Write the tables as CSV files, columns in contract order, plain."""
    os.makedirs(folder, exist_ok=True)
    for fname, (req, opt) in coso_ref.COLUMNS.items():
        rows = sorted(db.get(fname, []), key=lambda r: json.dumps(r))
        if bug == "export" and fname == "members.csv":
            rows = rows[::2]                # loses half of the members
        with open(os.path.join(folder, fname), "w", encoding="utf-8",
                  newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(req + opt)
            for r in rows:
                w.writerow([r.get(c, "") for c in req + opt])


def main(argv):
    args = argv[1:]
    db_path = os.environ.get("COSO_DB", "coso.db")
    if args[:1] == ["--db"]:
        db_path, args = args[1], args[2:]
    bug = os.environ.get("FAKE_COSO_BUG", "")
    if not args:
        print("fake_coso: no command", file=sys.stderr)
        return 2
    cmd, rest = args[0], args[1:]
    if cmd == "import":
        try:
            coso_ref.Registry(rest[0])           # checks the format
        except coso_ref.FormatError as e:
            print("fake_coso: %s" % e, file=sys.stderr)
            return 1
        db = load_db(db_path)
        for fname in coso_ref.COLUMNS:
            rows = coso_ref.read_table(rest[0], fname)
            if os.path.exists(os.path.join(rest[0], fname)):
                db[fname] = [{k: v for k, v in r.items() if k != "_line"}
                             for r in rows]
        with open(db_path, "w", encoding="utf-8") as f:
            json.dump(db, f, ensure_ascii=False, sort_keys=True)
        return 0
    if cmd == "export":
        write_folder(load_db(db_path), rest[0], bug)
        return 0
    if cmd == "report":
        with tempfile.TemporaryDirectory() as tmp:
            write_folder(load_db(db_path), tmp)
            report = coso_ref.run_query(coso_ref.Registry(tmp), rest)
        if bug == "report" and "members" in report:
            report["members"]["total"] += 1
        report["generated_by"] = "fake_coso"     # extra keys are allowed
        print(json.dumps(report, ensure_ascii=False))
        return 0
    print("fake_coso: unknown command %s" % cmd, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
