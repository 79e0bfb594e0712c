#!/usr/bin/env python3
"""gen_cadres.py: the commune cadres of the Điện Biên demo (docs/CADRES.md).

Reads the demo's units.csv, members.csv and member_periods.csv (written by
gen_dien_bien.py, never changed here) and writes only the five cadre register
files into data/demo/dien-bien/ (or --out DIR):

  cadre_people.csv, cadre_positions.csv, cadre_training.csv,
  cadre_rotations.csv, cadre_standards.csv

Every commune gets its cadres and civil servants for three terms: 2015-10-01 to
2021-07-01 (the commune ends earlier: Xã Tà Lèng on 2020-01-01), 2021-07-01 to
2025-07-01, and from 2025-07-01 in the 45 communes of the reform (their holders
taken from the communes merged into them). People in the Party's, the
council's, the committee's and the front's posts are party members of the
commune, linked to members.csv (same name, gender, birth date, ethnic group).
Training from 2016-01-01 to 2018-05-22 adds up exactly to the article's
figures below; qualifications obtained before 2016 give each person a level;
rotations bring cadres from a district to some communes.

Python 3.11, standard library only, fixed seed: the same bytes on every run.
The people are invented; see data/demo/dien-bien/README.md.
"""
import argparse
import csv
import datetime as dt
import os
import random
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DEMO = os.path.join(ROOT, "data", "demo", "dien-bien")
sys.path.insert(0, HERE)
from gen_dien_bien import NAMES  # noqa: E402  (the demo's own name lists)

SEED = 20180522 + 6

# The article (Điện Biên TV, 22 May 2018): "Từ năm 2016 đến nay, đã cử 614 người đi
# đào tạo về chuyên môn nghiệp vụ, 454 cán bộ, công chức tham gia các lớp đào tạo về
# lý luận chính trị. Ngoài ra, còn cử hơn 13.000 cán bộ, công chức tham gia các
# khóa bồi dưỡng chuyên môn, nghiệp vụ, kỹ năng quản lý..."
PERIOD_FROM = dt.date(2016, 1, 1)
PERIOD_TO = dt.date(2018, 5, 22)
PROFESSIONAL_SENT = 614          # people, one course each
POLITICAL_SENT = 454             # people, one course each
SHORT_COURSE_ATTENDANCES = 13046  # "hơn 13.000" (lượt người)
# "Công tác luân chuyển, tăng cường cán bộ xuống cơ sở ... tiếp tục thực hiện": no
# number in the article; this many rotations from a district start in the period.
ROTATIONS = 26

TERM1 = (dt.date(2015, 10, 1), dt.date(2021, 7, 1))
TERM2 = (dt.date(2021, 7, 1), dt.date(2025, 7, 1))
REFORM = dt.date(2025, 7, 1)
KEEP_SHARE = 0.6  # of a post's holders re-elected or kept for the next term

CADRE_POSTS = ["party_secretary", "party_deputy_secretary", "council_chair", "council_vice_chair",
               "committee_chair", "committee_vice_chair", "front_chair", "youth_secretary",
               "women_chair", "farmers_chair", "veterans_chair"]
SLOTS = [(p, 1) for p in CADRE_POSTS] + [
    ("military_commander", 1), ("office_statistics", 2), ("land_construction", 2),
    ("finance_accounting", 1), ("justice_civil_status", 2), ("culture_social", 2)]
# the larger communes after the reform
SLOTS_2025 = [(p, 2 if p in ("party_deputy_secretary", "committee_vice_chair") else n) for p, n in SLOTS[:11]] + [
    (p, n + (0 if p == "military_commander" else 1)) for p, n in SLOTS[11:]]
MEMBER_POSTS = {"party_secretary", "party_deputy_secretary", "council_chair", "council_vice_chair",
                "committee_chair", "committee_vice_chair", "front_chair"}
FEMALE_POSTS = {"women_chair"}

# The standards written to cadre_standards.csv (docs/CADRES.md, "Standards"): until
# 2023-08-01 coso's defaults; from then the professional minimum of Nghị định
# 33/2023/NĐ-CP (Điều 8, 10: university for every post, and for Tư pháp – Hộ tịch the
# intermediate level of Luật Hộ tịch 2014, Điều 72), the political minimums unchanged.
NĐ33_FROM = "2023-08-01"
STANDARDS = {p: ("intermediate", "intermediate") for p in CADRE_POSTS}
STANDARDS.update({p: ("intermediate", "elementary") for p in
                  ("youth_secretary", "women_chair", "farmers_chair", "veterans_chair")})
STANDARDS.update({p: ("intermediate", "elementary") for p, _ in SLOTS[11:]})

PROF_RANK = {"elementary": 1, "intermediate": 2, "college": 3, "university": 4, "master": 5}
POL_RANK = {"elementary": 1, "intermediate": 2, "advanced": 3}
COURSES = ["Kỹ năng lãnh đạo, quản lý cấp xã", "Quản lý nhà nước cấp xã", "Nghiệp vụ công tác Đảng",
           "Kỹ năng giám sát của đại biểu HĐND", "Nghiệp vụ hộ tịch", "Quản lý đất đai",
           "Kế toán ngân sách xã", "Công tác dân vận", "Tin học văn phòng", "Cải cách hành chính, một cửa",
           "Phòng, chống thiên tai", "Công tác dân tộc, tôn giáo", "Tiếng dân tộc", "Quốc phòng, an ninh"]
PROF_FIELDS = ["Luật", "Kinh tế", "Quản lý đất đai", "Kế toán", "Hành chính", "Nông nghiệp",
               "Văn hóa", "Xây dựng Đảng", "Quân sự cơ sở"]


def D(s):
    return dt.date.fromisoformat(s) if s else None


def fmt(d):
    return d.isoformat() if d else ""


def covers(f, t, day):
    return (f is None or f <= day) and (t is None or day < t)


def rand_day(rng, first, last):
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def read(path):
    with open(path, encoding="utf-8", newline="") as fp:
        return list(csv.DictReader(fp))


class Registry:
    """What the cadres need from the demo's registry."""

    def __init__(self, folder):
        self.units = defaultdict(list)
        for r in read(os.path.join(folder, "units.csv")):
            self.units[r["code"]].append((D(r["valid_from"]), D(r["valid_to"]), r))
        self.members = {r["id"]: r for r in read(os.path.join(folder, "members.csv"))}
        self.periods = defaultdict(list)
        for r in read(os.path.join(folder, "member_periods.csv")):
            self.periods[r["member_id"]].append((D(r["valid_from"]), D(r["valid_to"]), r["residence_code"]))
        self.by_commune = {}

    def row(self, code, day):
        for f, t, r in self.units.get(code, []):
            if covers(f, t, day):
                return r
        return None

    def communes(self, day):
        return sorted(c for c in self.units if (r := self.row(c, day)) and r["level"] == "commune")

    def end(self, code):
        ends = [t for _, t, r in self.units[code] if r["level"] == "commune"]
        return None if None in ends else max(ends)

    def members_of(self, commune, day):
        """Active members living in `commune` on `day`, aged 25 to 55 then, by id."""
        if day not in self.by_commune:
            found = defaultdict(list)
            for mid in sorted(self.members):
                m = self.members[mid]
                if not (D(m["admitted_on"]) <= day and covers(None, D(m["ended_on"]), day)):
                    continue
                if not 25 <= (day - D(m["birth_date"])).days // 365 <= 55:
                    continue
                for f, t, res in self.periods[mid]:
                    if res and covers(f, t, day):
                        v = self.row(res, day)
                        if v:
                            found[v["parent_code"]].append(mid)
                        break
            self.by_commune[day] = found
        return list(self.by_commune[day].get(commune, []))


class Gen:
    def __init__(self, reg):
        self.reg = reg
        self.rng = random.Random(SEED)
        self.people = {}        # id -> row
        self.positions = []
        self.training = []
        self.rotations = []
        self.used_members = set()
        self.prof = {}          # person -> rank before 2016
        self.pol = {}
        self.starts = set()     # (person, started_on, kind)
        self.n = 0

    # ---- people -------------------------------------------------------------
    def new_person(self, commune, day, post, pool):
        rng = self.rng
        self.n += 1
        pid = "CB%05d" % self.n
        member = None
        if post in MEMBER_POSTS:
            while pool and member is None:
                mid = pool.pop(0)
                if mid not in self.used_members:
                    member = mid
        if member:
            self.used_members.add(member)
            m = self.reg.members[member]
            row = [pid, m["full_name"], m["gender"], m["birth_date"], m["ethnicity"], member]
        else:
            eth = rng.choice(["Thái"] * 5 + ["Mông"] * 4 + ["Kinh"] * 3 + ["Khơ Mú", "Dao", "Lào"])
            if eth not in NAMES:
                eth = "Thái"
            gender = "female" if post in FEMALE_POSTS or rng.random() < 0.3 else "male"
            fam, mid_m, mid_f, giv_m, giv_f = NAMES[eth]
            name = " ".join((rng.choice(fam), rng.choice(mid_m if gender == "male" else mid_f),
                             rng.choice(giv_m if gender == "male" else giv_f)))
            birth = rand_day(rng, dt.date(day.year - 52, 1, 1), dt.date(day.year - 26, 12, 31))
            row = [pid, name, gender, fmt(birth), eth, ""]
        self.people[pid] = row
        self.qualifications(pid, post, D(row[3]), day)
        return pid

    def qualifications(self, pid, post, birth, start):
        """Levels obtained before the person's first post: before 2016 when the
        person was old enough, else after the article's period (so that every
        training record that starts in the period is one the article counts)."""
        rng = self.rng
        cadre = post in CADRE_POSTS

        def obtained(days):
            first = max(birth + dt.timedelta(days=365 * 19 + days), dt.date(1990, 1, 1))
            last = dt.date(2015, 6, 30)
            if first > last:
                first, last = PERIOD_TO + dt.timedelta(days=days + 10), start - dt.timedelta(days=1)
            end = rand_day(rng, first, max(first, last))
            return end - dt.timedelta(days=days), end

        level = rng.choices(["", "elementary", "intermediate", "college", "university"],
                            [8, 6, 44, 10, 32])[0]
        self.prof[pid] = PROF_RANK.get(level, 0)
        if level:
            years = {"elementary": 1, "intermediate": 2, "college": 3, "university": 4}[level]
            begin, end = obtained(365 * years)
            self.add_training(pid, "professional", level, rng.choice(PROF_FIELDS), begin, end, None)
        weights = [12, 33, 48, 7] if cadre else [45, 45, 10, 0]
        level = rng.choices(["", "elementary", "intermediate", "advanced"], weights)[0]
        self.pol[pid] = POL_RANK.get(level, 0)
        if level:
            begin, end = obtained({"elementary": 90, "intermediate": 540, "advanced": 730}[level])
            self.add_training(pid, "political_theory", level, "", begin, end, None)

    def add_training(self, pid, kind, level, course, start, end, sent_by):
        key = (pid, start, kind)
        if key in self.starts:
            return False
        self.starts.add(key)
        self.training.append([pid, kind, level, course, fmt(start), fmt(end), sent_by or ""])
        return True

    # ---- terms ---------------------------------------------------------------
    def fill(self, commune, start, end, slots, previous, pool):
        """Holders of commune's posts from start to end; previous: post -> [people] to keep."""
        rng = self.rng
        held = defaultdict(list)
        for post, count in slots:
            keep = [p for p in previous.get(post, []) if rng.random() < KEEP_SHARE]
            for i in range(count):
                pid = keep[i] if i < len(keep) else self.new_person(commune, start, post, pool)
                held[post].append(pid)
                self.positions.append([pid, commune, post, fmt(start), fmt(end)])
        return held

    def run(self):
        reg, rng = self.reg, self.rng
        term1, term2 = {}, {}
        for c in reg.communes(PERIOD_FROM):
            end = min(TERM1[1], reg.end(c) or TERM1[1])
            term1[c] = self.fill(c, TERM1[0], end, SLOTS, {}, reg.members_of(c, TERM1[0]))
        for c in reg.communes(TERM2[0]):
            prev = dict(term1.get(c, {}))
            if c == "03145":  # Thanh Minh took Tà Lèng in 2020: its holders may stay on
                for post, ps in term1.get("03144", {}).items():
                    prev[post] = prev.get(post, []) + ps
            # Bí thư kiêm Chủ tịch HĐND from this term: the council chair is the secretary
            slots = [(p, n) for p, n in SLOTS if p != "council_chair"]
            term2[c] = self.fill(c, TERM2[0], TERM2[1], slots, prev, reg.members_of(c, TERM2[0]))
            sec = term2[c]["party_secretary"][0]
            self.positions.append([sec, c, "council_chair", fmt(TERM2[0]), fmt(TERM2[1])])
            term2[c]["council_chair"] = [sec]
        # the reform: each old commune goes whole into one new commune
        merged = defaultdict(list)
        day_before = REFORM - dt.timedelta(days=1)
        for code, rows in sorted(reg.units.items()):
            before, after = reg.row(code, day_before), reg.row(code, REFORM)
            if before and after and before["level"] == "village":
                old, new = before["parent_code"], after["parent_code"]
                if old not in merged[new]:
                    merged[new].append(old)
        for c in reg.communes(REFORM):
            olds = sorted(merged[c], key=lambda o: (o != c, o))
            prev = defaultdict(list)
            for o in olds:
                for post, ps in term2.get(o, {}).items():
                    prev[post] += [p for p in ps if p not in prev[post]]
            held = self.fill(c, REFORM, None, SLOTS_2025, prev, reg.members_of(c, REFORM))
            del held
        self.period_training(term1)
        self.rotate(term1)

    # ---- 2016-01-01 .. 2018-05-22 ------------------------------------------------
    def district(self, commune, day):
        return self.reg.row(commune, day)["parent_code"]

    def period_training(self, term1):
        rng = self.rng
        holders = sorted((pid, c) for c, posts in term1.items() for ps in posts.values() for pid in ps)
        where = dict(holders)
        people = sorted(where)
        # professional: people below university first, one course each
        below = [p for p in people if self.prof[p] < PROF_RANK["university"]]
        chosen = rng.sample(below, PROFESSIONAL_SENT)
        for pid in sorted(chosen):
            level = "university" if self.prof[pid] >= PROF_RANK["intermediate"] else "intermediate"
            while True:
                start = rand_day(rng, PERIOD_FROM, PERIOD_TO)
                end = start + dt.timedelta(days=(1460 if level == "university" else 730))
                if self.add_training(pid, "professional", level, rng.choice(PROF_FIELDS), start, end,
                                     self.district(where[pid], start)):
                    break
        below = [p for p in people if self.pol[p] < POL_RANK["advanced"]]
        chosen = rng.sample(below, POLITICAL_SENT)
        for pid in sorted(chosen):
            level = {0: "elementary" if rng.random() < 0.3 else "intermediate", 1: "intermediate",
                     2: "advanced"}[self.pol[pid]]
            while True:
                start = rand_day(rng, PERIOD_FROM, PERIOD_TO)
                end = start + dt.timedelta(days={"elementary": 90, "intermediate": 540, "advanced": 730}[level])
                sent = "11" if level == "advanced" else self.district(where[pid], start)
                if self.add_training(pid, "political_theory", level, "", start, end, sent):
                    break
        n = 0
        while n < SHORT_COURSE_ATTENDANCES:
            pid = rng.choice(people)
            start = rand_day(rng, PERIOD_FROM, PERIOD_TO)
            end = start + dt.timedelta(days=rng.randrange(2, 10))
            sent = "11" if rng.random() < 0.25 else self.district(where[pid], start)
            if self.add_training(pid, "short_course", "", rng.choice(COURSES), start, end, sent):
                n += 1

    def rotate(self, term1):
        """Cadres from a district to a commune, for three years, as a deputy secretary."""
        rng = self.rng
        communes = [c for c in sorted(term1) if c != "03144"]
        for c in sorted(rng.sample(communes, ROTATIONS)):
            start = rand_day(rng, dt.date(2016, 3, 1), dt.date(2018, 3, 1))
            end = start.replace(year=start.year + 3) if not (start.month == 2 and start.day == 29) \
                else dt.date(start.year + 3, 3, 1)
            pid = self.new_person(c, start, "party_deputy_secretary", [])
            self.positions.append([pid, c, "party_deputy_secretary", fmt(start), fmt(end)])
            self.rotations.append([pid, self.district(c, start), c, fmt(start), fmt(end)])

    # ---- output ---------------------------------------------------------------------
    def write(self, out):
        files = {
            "cadre_people.csv": (["id", "full_name", "gender", "birth_date", "ethnicity", "member_id"],
                                 sorted(self.people.values())),
            "cadre_positions.csv": (["person_id", "unit_code", "post", "valid_from", "valid_to"],
                                    sorted(self.positions, key=lambda r: (r[0], r[3], r[2]))),
            "cadre_training.csv": (["person_id", "kind", "level", "course", "started_on", "ended_on", "sent_by"],
                                   sorted(self.training, key=lambda r: (r[0], r[4], r[1]))),
            "cadre_rotations.csv": (["person_id", "from_unit", "to_unit", "valid_from", "valid_to"],
                                    sorted(self.rotations)),
            "cadre_standards.csv": (["post", "valid_from", "valid_to", "min_professional",
                                     "min_political_theory"],
                                    [row for p, (a, b) in sorted(STANDARDS.items()) for row in (
                                        [p, "", NĐ33_FROM, a, b],
                                        [p, NĐ33_FROM, "", "intermediate" if p == "justice_civil_status"
                                         else "university", b])]),
        }
        os.makedirs(out, exist_ok=True)
        for name, (head, rows) in files.items():
            with open(os.path.join(out, name), "w", encoding="utf-8", newline="") as fp:
                w = csv.writer(fp, lineterminator="\n")
                w.writerow(head)
                w.writerows(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--registry", default=DEMO, help="the folder of the demo's registry (read)")
    ap.add_argument("--out", default=DEMO, help="where the cadre files are written")
    a = ap.parse_args()
    g = Gen(Registry(a.registry))
    g.run()
    g.write(a.out)
    print("%d people, %d posts held, %d training records, %d rotations" %
          (len(g.people), len(g.positions), len(g.training), len(g.rotations)))


if __name__ == "__main__":
    main()
