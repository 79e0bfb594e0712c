#!/usr/bin/env python3
"""gen_party.py: the party-work registers of the Điện Biên demo (docs/PARTY.md).

Reads the demo's registry (data/demo/dien-bien/: members.csv,
member_periods.csv, orgs.csv, units.csv; made by gen_dien_bien.py, not
changed here) and writes, into the same folder, candidates.csv and
probation_reviews.csv, consistent with it:

- every member admitted from 1/1/2025 to 30/9/2026 (the registry is complete
  to 30/9/2026) was a candidate first: a row with the whole pipeline, ending
  in its ceremony on its admitted_on, as member_id, in its first cell;
- candidates still in the pipeline on 30/9/2026, in cells that exist then,
  at every stage (proposed, trained, verified, voted, decided), and a few
  dropped;
- every member admitted from 1/10/2024 whose probation was decided by
  30/9/2026 (official_on, or ended as removed, in members.csv) has the review
  and the decision on the day the registry gives;
- every change of cell from 1/1/2024 in member_periods.csv (but those of the
  reorganizations of 2025) is an official transfer presented on that day;
  every member who left transferred_out since then, a transfer out on that
  day; and some members are away on temporary transfers;
- the ratings of 2025 (on 15/12/2025) of every member admitted by 15/6/2025
  and of every organization, on the 100-point scale;
- the Party badges awarded from 2024 to the ceremony of 2/9/2026, each at the
  first ceremony (3/2, 19/5, 2/9, 7/11) on or after the member's years.

Synthetic (names made of the demo's own names, dates drawn from a fixed
seed): the same output byte for byte on every run. Standard library only.

Usage:  python3 tools/demo/gen_party.py [--demo DIR] [--out DIR] [--summary]
--summary prints the figures the output must give (tests/cli/test_party_demo.py).
"""

import argparse
import csv
import datetime as dt
import json
import os
import random

D = dt.date
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEMO_DIR = os.path.join(ROOT, "data", "demo", "dien-bien")
SEED = 20261001
REGISTRY_END = D(2026, 9, 30)       # the last day the demo's registry holds
ADMITTED_FROM = D(2025, 1, 1)       # members with a candidate row
REVIEWED_FROM = D(2024, 10, 1)      # members with a review row
PIPELINE = 420                      # candidates not admitted on REGISTRY_END

CAND_HEADER = ["id", "full_name", "gender", "birth_date", "ethnicity", "org_code", "residence_code", "proposed_on",
               "course_on", "course_by", "verified_on", "verified_by", "voted_on", "decided_on", "decided_by",
               "decision_no", "ceremony_on", "member_id", "age_exception", "dropped_on", "drop_reason"]
REVIEW_HEADER = ["member_id", "reviewed_on", "decided_on", "decided_by", "decision_no", "outcome"]
TRANSFER_HEADER = ["id", "member_id", "kind", "from_org", "to_org", "destination", "purpose", "decided_on", "letter_on",
                   "presented_on", "until", "returned_on"]
TRANSFERS_FROM = D(2024, 1, 1)
REORGANIZATIONS = (D(2025, 3, 1), D(2025, 7, 1))   # cells moved by the reforms, not members
TEMPORARY = 80
BADGE_YEARS = (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)
BADGES_FROM, BADGES_TO = D(2024, 1, 1), D(2026, 9, 2)
BADGE_HEADER = ["id", "member_id", "years", "awarded_on", "decision_no", "early"]
RATING_YEAR = 2025
RATED_ON = D(2025, 12, 15)
RATING_HEADER = ["id", "year", "kind", "subject", "level", "score", "rated_on", "rated_by"]
DESTINATIONS = ["Tỉnh Lai Châu", "Tỉnh Sơn La", "Thành phố Hà Nội", "Tỉnh Lào Cai", "Tỉnh Phú Thọ"]


def day(s):
    return D.fromisoformat(s) if s else None


def iso(d):
    return d.isoformat() if d else ""


def add_months(d, n):
    """The same day n months later, or the month's last day (core/party.c)."""
    m = d.year * 12 + d.month - 1 + n
    y, mo = divmod(m, 12)
    mo += 1
    last = (D(y + (mo == 12), mo % 12 + 1, 1) - dt.timedelta(days=1)).day
    return D(y, mo, min(d.day, last))


def age_months(birth, d):
    months = (d.year - birth.year) * 12 + d.month - birth.month
    last = (D(d.year + (d.month == 12), d.month % 12 + 1, 1) - dt.timedelta(days=1)).day
    if d.day < birth.day and d.day < last:
        months -= 1
    return months


def weekday_back(d):
    """A weekday on or before d (meetings and decisions are on weekdays)."""
    while d.weekday() >= 5:
        d -= dt.timedelta(days=1)
    return d


class Timed:
    """Rows of a code over time (units.csv, orgs.csv): which row holds on a day."""

    def __init__(self, path):
        self.rows = {}
        with open(path, encoding="utf-8") as f:
            for r in csv.DictReader(f):
                r["_from"] = day(r["valid_from"]) or D(1, 1, 1)
                r["_to"] = day(r["valid_to"]) or D(9999, 12, 31)
                self.rows.setdefault(r["code"], []).append(r)

    def at(self, code, d):
        for r in self.rows.get(code, ()):
            if r["_from"] <= d < r["_to"]:
                return r
        return None


def load(demo):
    with open(os.path.join(demo, "members.csv"), encoding="utf-8") as f:
        members = list(csv.DictReader(f))
    first = {}
    periods = {}
    with open(os.path.join(demo, "member_periods.csv"), encoding="utf-8") as f:
        for p in csv.DictReader(f):
            periods.setdefault(p["member_id"], []).append(p)
            if p["member_id"] not in first or p["valid_from"] < first[p["member_id"]]["valid_from"]:
                first[p["member_id"]] = p
    for ps in periods.values():
        ps.sort(key=lambda p: p["valid_from"])
    return members, first, periods, Timed(os.path.join(demo, "orgs.csv")), Timed(os.path.join(demo, "units.csv"))


def committee(orgs, cell, d):
    """The committee that decides on day d: the cell's parent then, else the nearest organization
    above it that exists on d (a cell founded later: its parent at its founding)."""
    for when in (d, min(r["_from"] for r in orgs.rows[cell])):
        r = orgs.at(cell, when)
        while r and r["parent_code"]:
            parent = orgs.at(r["parent_code"], when)
            if parent and orgs.at(r["parent_code"], d):
                return r["parent_code"]
            r = parent
    return cell


def pipeline_dates(rng, end):
    """Dates of the stages before a last one on `end`, going back: decided, voted, verified, course, proposed."""
    decided = weekday_back(end - dt.timedelta(days=rng.randint(5, 48)))
    voted = weekday_back(decided - dt.timedelta(days=rng.randint(10, 75)))
    verified = weekday_back(voted - dt.timedelta(days=rng.randint(5, 40)))
    course = weekday_back(verified - dt.timedelta(days=rng.randint(0, 120)))
    proposed = weekday_back(verified - dt.timedelta(days=rng.randint(20, 70)))
    return proposed, course, verified, voted, decided


COURSES = ["Trung tâm Chính trị huyện", "Trung tâm Chính trị thành phố", "Trường Chính trị tỉnh"]
DROPS = ["chuyển đi nơi khác", "xin rút đơn", "chưa đủ tiêu chuẩn sau thẩm tra"]


def generate(demo):
    rng = random.Random(SEED)
    members, first, periods, orgs, units = load(demo)
    cands, reviews = [], []
    summary = {"candidates": 0, "admitted": 0, "skipped_young": 0, "age_exception": 0, "stages": {}, "reviews": 0,
               "recognised": 0, "removed": 0}

    def residence_at(code, d):
        return code if code and units.at(code, d) else ""

    # 1. the members admitted since 2025: their pipeline
    admitted = [m for m in members if ADMITTED_FROM <= day(m["admitted_on"]) <= REGISTRY_END]
    admitted.sort(key=lambda m: (m["admitted_on"], m["id"]))
    for m in admitted:
        ceremony = day(m["admitted_on"])
        birth = day(m["birth_date"])
        proposed, course, verified, voted, decided = pipeline_dates(rng, ceremony)
        months = age_months(birth, voted)
        if months < 18 * 12:
            summary["skipped_young"] += 1   # 18 at the ceremony but not at the vote: no row
            continue
        p = first[m["id"]]
        cell = p["org_code"]
        exception = ""
        if months > 60 * 12:
            exception = "Quyết định của Ban Thường vụ Tỉnh uỷ"
            summary["age_exception"] += 1
        cands.append([
            "QC" + m["id"][2:], m["full_name"], m["gender"], m["birth_date"], m["ethnicity"], cell,
            residence_at(p["residence_code"], proposed), iso(proposed), iso(course), rng.choice(COURSES), iso(verified),
            "Chi uỷ", iso(voted), iso(decided), committee(orgs, cell, decided),
            "%d-QĐ/ĐU" % rng.randint(1, 400), iso(ceremony), m["id"], exception, "", ""])
        summary["admitted"] += 1

    # 2. candidates still in the pipeline on 30/9/2026, in cells of that day
    cells = sorted(code for code, rows in orgs.rows.items()
                   if any(r["kind"] == "cell" and r["_from"] <= REGISTRY_END < r["_to"] for r in rows))
    by_gender = {"male": [], "female": []}
    for m in members:
        by_gender[m["gender"]].append(m)
    ethnic_of = {}
    for m in members:
        ethnic_of.setdefault(first[m["id"]]["org_code"], []).append(m["ethnicity"])
    stages = ["proposed", "course", "verified", "voted", "decided"]
    kinds = stages + ["dropped"]
    weights = [14, 10, 12, 10, 8, 3]
    for i in range(PIPELINE):
        gender = rng.choice(("male", "female"))
        a, b = rng.choice(by_gender[gender]), rng.choice(by_gender[gender])
        name = " ".join(a["full_name"].split()[:1] + b["full_name"].split()[1:])
        birth = D(rng.randint(1986, 2004), rng.randint(1, 12), rng.randint(1, 28))
        kind = rng.choices(kinds, weights)[0]
        k = 2 if kind == "dropped" else stages.index(kind)
        # the stages in order, each some weeks after the one before, the last by 30/9/2026
        dates = [None] * 5
        t = REGISTRY_END - dt.timedelta(days=rng.randint(0, 100))
        for j in range(k, -1, -1):
            dates[j] = weekday_back(t)
            t = dates[j] - dt.timedelta(days=rng.randint(10, 50))
        cell = rng.choice(cells)
        while not orgs.at(cell, dates[0]):
            cell = rng.choice(cells)
        ethnicity = rng.choice(ethnic_of.get(cell) or [a["ethnicity"]])
        dropped = reason = ""
        if kind == "dropped":
            dropped = iso(min(REGISTRY_END, dates[k] + dt.timedelta(days=rng.randint(10, 60))))
            reason = rng.choice(DROPS)
        proposed, course, verified, voted, decided = dates
        cands.append([
            "QC%06d" % (900000 + i), name, gender, iso(birth), ethnicity, cell, "", iso(proposed), iso(course),
            rng.choice(COURSES) if course else "", iso(verified), "Chi uỷ" if verified else "", iso(voted),
            iso(decided), committee(orgs, cell, decided) if decided else "",
            "%d-QĐ/ĐU" % rng.randint(1, 400) if decided else "", "", "", "", dropped, reason])
        summary["stages"][kind] = summary["stages"].get(kind, 0) + 1
    summary["stages"]["admitted"] = summary["admitted"]
    summary["candidates"] = len(cands)

    # 3. the reviews of probation decided by 30/9/2026
    for m in sorted(members, key=lambda m: (m["admitted_on"], m["id"])):
        admitted_on = day(m["admitted_on"])
        if admitted_on < REVIEWED_FROM:
            continue
        end = add_months(admitted_on, 12)
        official, ended = day(m["official_on"]), day(m["ended_on"])
        if official and official <= REGISTRY_END and official >= end:
            decided, outcome = official, "recognised"
        elif ended and m["end_reason"] == "removed" and end <= ended <= REGISTRY_END:
            decided, outcome = ended, "removed"
        else:
            continue
        reviewed = max(end, weekday_back(decided - dt.timedelta(days=rng.randint(0, 12))))
        cell = first[m["id"]]["org_code"]
        reviews.append([m["id"], iso(reviewed), iso(decided), committee(orgs, cell, decided),
                        "%d-QĐ/ĐU" % rng.randint(1, 400), outcome])
        summary[outcome] += 1
    summary["reviews"] = len(reviews)
    cands.sort(key=lambda r: r[0])
    reviews.sort(key=lambda r: r[0])
    transfers = gen_transfers(rng, members, periods, orgs, cells, summary)
    ratings = gen_ratings(rng, members, periods, orgs, summary)
    badges = gen_badges(rng, members, summary)
    return cands, reviews, transfers, ratings, badges, summary


def ceremony_on_or_after(d):
    for y in (d.year, d.year + 1):
        for m, dd in ((2, 3), (5, 19), (9, 2), (11, 7)):
            if D(y, m, dd) >= d:
                return D(y, m, dd)
    return None


def gen_badges(rng, members, summary):
    """Badges awarded at the ceremony after each member's years, from 2024 to 2/9/2026."""
    rows = []
    for m in sorted(members, key=lambda m: m["id"]):
        admitted, ended = day(m["admitted_on"]), day(m["ended_on"])
        for years in BADGE_YEARS:
            c = ceremony_on_or_after(add_months(admitted, 12 * years))
            if c < BADGES_FROM or c > BADGES_TO or (ended and ended <= c):
                continue
            rows.append(["%s/%d" % (m["id"], years), m["id"], str(years), iso(c), "%d-QĐ/TU" % rng.randint(1, 900), ""])
    summary["badges"] = len(rows)
    return rows


def level_of(score):
    """Quy định 366-QĐ/TW, Điều 11."""
    return "excellent" if score >= 90 else "good" if score >= 70 else "done" if score >= 50 else "not_done"


def gen_ratings(rng, members, periods, orgs, summary):
    """The year 2025 rated on 15/12/2025: members admitted 6 months before or more, and every organization."""
    rows = []
    counts = {"member": {}, "org": {}}
    half_year = D(2025, 6, 15)

    def add(kind, subject, by):
        score = max(0, min(100, int(round(rng.gauss(80, 8)))))
        level = level_of(score)
        rows.append(["%d/%s" % (RATING_YEAR, subject), str(RATING_YEAR), kind, subject, level, str(score),
                     iso(RATED_ON), by])
        counts[kind][level] = counts[kind].get(level, 0) + 1

    for m in sorted(members, key=lambda m: m["id"]):
        ended = day(m["ended_on"])
        if day(m["admitted_on"]) > half_year or (ended and ended <= RATED_ON):
            continue
        cell = [p["org_code"] for p in periods[m["id"]]
                if day(p["valid_from"]) <= RATED_ON < (day(p["valid_to"]) or D(9999, 12, 31))]
        if cell:
            add("member", m["id"], cell[0])
    for code in sorted(orgs.rows):
        r = orgs.at(code, RATED_ON)
        if r:
            parent = r["parent_code"] if r["parent_code"] and orgs.at(r["parent_code"], RATED_ON) else code
            add("org", code, parent)
    summary["ratings"] = counts
    return rows


def gen_transfers(rng, members, periods, orgs, cells, summary):
    """Official transfers (a change of cell), transfers out, temporary transfers (docs/PARTY.md)."""
    rows = []
    counts = {"official": 0, "out": 0, "temporary": 0}
    n = 0

    def add(member, kind, frm, to, dest, purpose, decided, letter, presented, until, returned):
        nonlocal n
        n += 1
        rows.append(["CS%05d" % n, member, kind, frm, to, dest, purpose, iso(decided), iso(letter), iso(presented),
                     iso(until), iso(returned)])
        counts[kind] += 1

    by_id = {m["id"]: m for m in members}
    for mid in sorted(periods):
        ps = periods[mid]
        for a, b in zip(ps, ps[1:]):
            moved = day(b["valid_from"])
            if a["org_code"] == b["org_code"] or moved < TRANSFERS_FROM or moved > REGISTRY_END or \
                    moved in REORGANIZATIONS or a["valid_to"] != b["valid_from"]:
                continue
            letter = weekday_back(moved - dt.timedelta(days=rng.randint(3, 45)))
            if letter <= day(a["valid_from"]) or not orgs.at(b["org_code"], letter):
                continue
            decided = weekday_back(letter - dt.timedelta(days=rng.randint(5, 100)))
            add(mid, "official", a["org_code"], b["org_code"], "", "", decided, letter, moved, None, None)
        m = by_id[mid]
        ended = day(m["ended_on"])
        if m["end_reason"] == "transferred_out" and ended and TRANSFERS_FROM <= ended <= REGISTRY_END:
            last = [p for p in ps if day(p["valid_from"]) < ended <= (day(p["valid_to"]) or D(9999, 12, 31))]
            if last:
                decided = weekday_back(ended - dt.timedelta(days=rng.randint(5, 90)))
                add(mid, "out", last[-1]["org_code"], "", rng.choice(DESTINATIONS), "", decided, ended, None, None, None)
    # temporary transfers of members active in their cell on the letter's day
    active = [m for m in members if not m["ended_on"] and m["official_on"]]
    for _ in range(TEMPORARY):
        m = rng.choice(active)
        letter = weekday_back(REGISTRY_END - dt.timedelta(days=rng.randint(20, 700)))
        home = [p for p in periods[m["id"]] if day(p["valid_from"]) <= letter < (day(p["valid_to"]) or D(9999, 12, 31))]
        to = rng.choice(cells)
        if not home or to == home[0]["org_code"] or not orgs.at(to, letter):
            continue
        study = rng.random() < 0.4
        until = letter + dt.timedelta(days=rng.randint(100, 700 if study else 360))
        presented = weekday_back(letter + dt.timedelta(days=rng.randint(2, 50)))
        if presented > REGISTRY_END:
            presented = None
        returned = until - dt.timedelta(days=rng.randint(0, 20)) if presented and until <= REGISTRY_END else None
        if returned and returned <= presented:
            returned = None
        decided = weekday_back(letter - dt.timedelta(days=rng.randint(5, 60)))
        add(m["id"], "temporary", home[0]["org_code"], to, "", "study" if study else "work", decided, letter, presented,
            until, returned)
    summary["transfers"] = counts
    return rows


def write(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--demo", default=DEMO_DIR, help="the demo's registry (default data/demo/dien-bien)")
    ap.add_argument("--out", default=None, help="where to write (default: the demo's folder)")
    ap.add_argument("--summary", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()
    cands, reviews, transfers, ratings, badges, summary = generate(args.demo)
    out = args.out or args.demo
    os.makedirs(out, exist_ok=True)
    write(os.path.join(out, "candidates.csv"), CAND_HEADER, cands)
    write(os.path.join(out, "probation_reviews.csv"), REVIEW_HEADER, reviews)
    write(os.path.join(out, "transfers.csv"), TRANSFER_HEADER, transfers)
    write(os.path.join(out, "ratings.csv"), RATING_HEADER, ratings)
    write(os.path.join(out, "badges.csv"), BADGE_HEADER, badges)
    if args.summary:
        print(json.dumps(summary, sort_keys=True))


if __name__ == "__main__":
    main()
