#!/usr/bin/env python3
"""Writes the demo's resolutions and targets (docs/PLANS.md) into data/demo/dien-bien/.

Deterministic, standard library only. Reads the demo's units.csv to check that
the province the resolutions bind exists; writes only resolutions.csv and
targets.csv.

- Nghị quyết 04-NQ/TU of 23 May 2016 of the Điện Biên Provincial Party
  Committee (khóa XIII), for 2016-2020, as the article of 22 May 2018 quotes
  it: "phấn đấu hằng năm kết nạp 2.000 đảng viên; giảm 15-20% số thôn, bản
  chưa có đảng viên, chưa có chi bộ; giảm từ 20% trở lên số trường học, trạm
  y tế chưa có chi bộ". Baseline: the start of 2016 ("so với đầu năm 2016").
- The 2021-2025 resolution: 2,500 admissions a year; 20-25% fewer villages
  without a cell each year. Its number and date are NOT the real ones (the
  issue asks for a resolution with these targets): they are placeholders,
  and reuse the number 04-NQ/TU on purpose, as Điện Biên has reused it.
"""
import argparse
import csv
import io
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
DEMO = os.path.join(ROOT, "data", "demo", "dien-bien")

ISSUER = "Tỉnh ủy Điện Biên"
PROVINCE = "11"

RESOLUTIONS = [
    # code, issuer, number, issued_on, title, scope_code, period_from, period_to
    ("NQ04-2016", ISSUER, "04-NQ/TU", "2016-05-23",
     "Tăng cường xây dựng, củng cố, nâng cao chất lượng hoạt động của chi bộ và phát triển đảng viên, "
     "tổ chức đảng ở cơ sở trực thuộc xã, thị trấn, cơ quan đơn vị chưa có đảng viên, chưa có chi bộ, "
     "giai đoạn 2016-2020",
     PROVINCE, "2016-01-01", "2021-01-01"),
    ("NQ04-2021", ISSUER, "04-NQ/TU", "2021-03-15",
     "Phát triển đảng viên và tổ chức đảng ở thôn, bản, giai đoạn 2021-2025 (số và ngày minh họa)",
     PROVINCE, "2021-01-01", "2026-01-01"),
]

TARGETS = [
    # code, resolution_code, label, indicator, kind, per, value_min, value_max, baseline_on, scope_code
    ("NQ04-2016-KN", "NQ04-2016", "Kết nạp đảng viên mới", "admissions", "count", "year", "2000", "", "", ""),
    ("NQ04-2016-TDV", "NQ04-2016", "Giảm số thôn, bản chưa có đảng viên", "villages_without_member", "reduce",
     "year", "15", "20", "2016-01-01", ""),
    ("NQ04-2016-TCB", "NQ04-2016", "Giảm số thôn, bản chưa có chi bộ", "villages_without_org", "reduce",
     "year", "15", "20", "2016-01-01", ""),
    ("NQ04-2016-TTY", "NQ04-2016", "Giảm số trường học, trạm y tế chưa có chi bộ", "schools_health_without_org",
     "reduce", "year", "20", "", "2016-01-01", ""),
    ("NQ04-2021-KN", "NQ04-2021", "Kết nạp đảng viên mới", "admissions", "count", "year", "2500", "", "", ""),
    ("NQ04-2021-TCB", "NQ04-2021", "Giảm số thôn, bản chưa có chi bộ", "villages_without_org", "reduce",
     "year", "20", "25", "2021-01-01", ""),
]

RES_HEADER = ["code", "issuer", "number", "issued_on", "title", "scope_code", "period_from", "period_to"]
TGT_HEADER = ["code", "resolution_code", "label", "indicator", "kind", "per", "value_min", "value_max",
              "baseline_on", "scope_code"]


def render(header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in sorted(rows):
        w.writerow(r)
    return buf.getvalue()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=DEMO, help="folder to write into (default: the demo's)")
    ap.add_argument("--demo", default=DEMO, help="the demo registry to read units.csv from")
    args = ap.parse_args()
    with open(os.path.join(args.demo, "units.csv"), encoding="utf-8") as f:
        codes = {row["code"] for row in csv.DictReader(f)}
    if PROVINCE not in codes:
        sys.exit("gen_plans: the demo has no unit %s" % PROVINCE)
    os.makedirs(args.out, exist_ok=True)
    for name, header, rows in (("resolutions.csv", RES_HEADER, RESOLUTIONS), ("targets.csv", TGT_HEADER, TARGETS)):
        with open(os.path.join(args.out, name), "w", encoding="utf-8", newline="") as f:
            f.write(render(header, rows))


if __name__ == "__main__":
    main()
