#!/usr/bin/env python3
"""gen_dien_bien.py: build the Điện Biên demo registry in data/demo/dien-bien/.

The demo is the registry that the Provincial Organization Commission of Điện
Biên (province code 11) would have kept, such that coso computes from it every
figure of the article of 22 May 2018 ("Điện Biên chú trọng xây dựng hệ thống
chính trị ở cơ sở", Ban Tổ chức Tỉnh ủy Điện Biên).

REAL: the province, its 10 district-level and 130 commune-level units with
their GSO codes (data/reference/vn_admin_units_2018.csv), the 2020 change
(Nghị quyết 815/NQ-UBTVQH14, checked against vn_admin_units_2024.csv) and the
reform of 1 July 2025 (vn_admin_units_2025.csv, vn_commune_mapping_2024_2025.csv).
SYNTHETIC: villages, population, flags, institutions, party organizations and
members, drawn from a fixed seed so that the output is the same byte for byte
on every run.

Usage:  python3 tools/demo/gen_dien_bien.py [--out DIR]
Standard library only (Python 3.11). Reads data/reference/ of this repository
(found from this file's location), writes units.csv, institutions.csv,
orgs.csv, members.csv and member_periods.csv (UTF-8, no BOM, LF).
The definitions of every figure are those of docs/FORMAT.md; the checker
tools/demo/check_demo.py recomputes them independently.
"""

import argparse
import csv
import datetime as dt
import math
import os
import random
import sys

D = dt.date
ONE_DAY = dt.timedelta(days=1)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REF_DIR = os.path.join(ROOT, "data", "reference")
OUT_DIR = os.path.join(ROOT, "data", "demo", "dien-bien")

SEED = 20180522

# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------

SINCE_ALWAYS = D(1, 1, 1)          # written as an empty valid_from
STILL_HOLDS = D(9999, 12, 31)      # written as an empty valid_to
START_OF_TERM = D(2016, 1, 1)      # "Đầu nhiệm kỳ (2015-2020)", "so với đầu năm 2016"
ARTICLE_DAY = D(2018, 5, 22)       # the article's date
Q1_2018 = (D(2018, 1, 1), D(2018, 3, 31))   # "riêng quý I năm 2018"
MERGE_2020 = D(2020, 1, 1)         # Nghị quyết 815/NQ-UBTVQH14 in force
POLICE_REFORM = D(2025, 3, 1)      # district-level police abolished
REFORM_2025 = D(2025, 7, 1)        # two-level local government
REGISTRY_DATE = D(2026, 10, 1)     # the registry is complete up to the day before
ORG_CHANGE_DATES = (MERGE_2020, POLICE_REFORM, REFORM_2025)

# ---------------------------------------------------------------------------
# Target figures (the article, Điện Biên TV, 22/05/2018)
# ---------------------------------------------------------------------------

PROVINCE = "11"
N_DISTRICTS = 10                   # "có 10 đơn vị hành chính cấp huyện"
N_COMMUNES_2018 = 130              # "130 xã, phường, thị trấn (116 xã, 9 phường và 5 thị trấn)"
COMMUNE_KINDS_2018 = {"xã": 116, "phường": 9, "thị trấn": 5}
N_BORDER_COMMUNES = 29             # "trong đó có 29 xã biên giới"
N_DIFFICULT_COMMUNES = 101         # "101 xã và 1.146/1.813 thôn, bản đặc biệt khó khăn"
N_VILLAGES = 1813                  # "1.146/1.813 thôn, bản"
N_DIFFICULT_VILLAGES = 1146        # idem
POPULATION_2018 = 570_000          # "có 19 dân tộc anh em cùng sinh sống với 57 vạn dân"
N_ETHNIC_GROUPS = 19               # idem
WHITE_2016 = 95                    # "toàn tỉnh vẫn còn 95 bản “trắng” đảng viên"
WITHOUT_ORG_2016 = 328             # "328/1.813 thôn bản chưa có chi bộ"
WHITE_2018 = 21                    # "từ 95 bản xuống còn 21/1.813 bản"
WITH_ORG_2018 = 1601               # "đã có 1.601/1.813 thôn bản có chi bộ"
WITHOUT_ORG_2018 = N_VILLAGES - WITH_ORG_2018   # 212: "(còn 212 thôn, bản chưa có tổ chức Đảng ...)"
VILLAGE_CELLS_FOUNDED = 245        # "thành lập mới 245 chi bộ thôn bản,
SCHOOL_CELLS_FOUNDED = 32          #  32 chi bộ trường học
HEALTH_CELLS_FOUNDED = 34          #  và 34 chi bộ trạm y tế xã, phường, thị trấn"
OTHER_CELLS_FOUNDED = 3            # not in the article: enterprise cells, kept small
ADMISSIONS_2016_2018 = 5240        # chosen so that 3,406 is "gần 65 %" (65.0%)
COMMUNE_ADMISSIONS_2016_2018 = 3406  # "đã kết nạp được 3.406 đảng viên mới"
ADMISSIONS_Q1_2018 = 407           # "cấp xã có 247/407 đảng viên mới kết nạp (chiếm 60,7%)"
COMMUNE_ADMISSIONS_Q1_2018 = 247
SCHOOLS_WITHOUT_CELL_2018 = 1      # "còn 1 trường chưa có chi bộ do mới thành lập"
HEALTH_STATIONS_WITH_CELL_2018 = 77  # "gần 60% trạm y tế ... đã có chi bộ": 77/130 = 59.2%

# How the village figures fit together (see README "The story"):
#   328 without a cell in 2016 = 95 white + 116 guests of joint cells + 117 others
#   212 without a cell in 2018 = 21 white + 74 formerly white + 117 others
#   245 village cells founded  = 116 joint cells split in two (2 x 116) + 13 re-founded
#   129 village cells dissolved = 116 joint cells + 13 that fell below three members
JOINT_CELLS_SPLIT = WITHOUT_ORG_2016 - WITHOUT_ORG_2018                  # 116
REFOUNDED_CELLS = VILLAGE_CELLS_FOUNDED - 2 * JOINT_CELLS_SPLIT          # 13
WHITE_GAINED = WHITE_2016 - WHITE_2018                                   # 74
NO_CELL_WITH_MEMBERS = WITHOUT_ORG_2018 - WHITE_2016                     # 117
WHITE_2018_LATER_SETTLED = 12      # of the 21, villages that get a first member after 2018
EXTRA_DIFFICULT_OUTSIDE = 24       # difficult villages in communes that are not difficult

# Admissions in the article's period, by window (first day, last day, total, of which
# by commune-level organizations). The windows add up to the figures above.
ADMISSION_WINDOWS = [
    (D(2016, 1, 1), D(2016, 12, 31), 2150, 1397),
    (D(2017, 1, 1), D(2017, 12, 31), 2350, 1528),
    (Q1_2018[0], Q1_2018[1], ADMISSIONS_Q1_2018, COMMUNE_ADMISSIONS_Q1_2018),
    (D(2018, 4, 1), ARTICLE_DAY, 333, 234),
]
# Admissions outside that period (synthetic; Nghị quyết 04-NQ/TU aims at 2,000 a year).
ADMISSIONS_BY_DECADE = {1960: 260, 1970: 330, 1980: 420, 1990: 650, 2000: 1100}
ADMISSIONS_2010_2015 = 1700
ADMISSIONS_REST_OF_2018 = 1100     # 23 May - 31 Dec 2018
ADMISSIONS_2019_2025 = {2019: 1800, 2020: 1750, 2021: 1650, 2022: 1700,
                        2023: 1700, 2024: 1650, 2025: 1550}
ADMISSIONS_2026 = 1100             # 1 Jan - 30 Sep 2026
COMMUNE_SHARE_OTHER_YEARS = 0.64

# ---------------------------------------------------------------------------
# Facts applied to the reference files
# ---------------------------------------------------------------------------

# Nghị quyết 815/NQ-UBTVQH14: Xã Tà Lèng merged into Xã Thanh Minh (both in TP Điện Biên Phủ
# in the 2018 and 2024 files); the other changes of that resolution (4 communes moved from
# Huyện Điện Biên to TP Điện Biên Phủ) are read from the files.
MERGED_INTO_2020 = {"03144": "03145"}

# Synthetic but plausible flags (not the official lists).
BORDER_COMMUNES = [
    # Huyện Mường Nhé (Laos and China)
    "03154", "03155", "03157", "03158", "03159", "03160", "03161", "03162", "03163",
    "03164", "03177",
    # Huyện Nậm Pồ (Laos)
    "03168", "03169", "03170", "03171", "03173", "03174", "03175", "03176",
    # Huyện Mường Chà
    "03181", "03196", "03200",
    # Huyện Điện Biên (Laos)
    "03340", "03358", "03359", "03361", "03364", "03367", "03368",
]
# The xã that are NOT especially difficult: the Mường Thanh valley, the outskirts of the
# towns; every phường and thị trấn is not difficult either.
NOT_DIFFICULT_XA = [
    "03144", "03145", "03184", "03322", "03328", "03331", "03334", "03337", "03343",
    "03346", "03349", "03352", "03355", "03289", "03307",
]
# Seats of the district-level units (where district agencies stand).
DISTRICT_SEATS = {"094": "03136", "095": "03151", "096": "03160", "097": "03172",
                  "098": "03217", "099": "03253", "100": "03334", "101": "03203",
                  "102": "03256", "103": "03169"}
# Communes with an upper-secondary school (THPT), whose cell is a grassroots cell under the
# district committee until 2025.
THPT_COMMUNES = ["03127", "03133", "03124", "03142", "03151", "03160", "03157", "03164",
                 "03172", "03201", "03217", "03250", "03253", "03262", "03289", "03334",
                 "03322", "03364", "03337", "03203", "03214", "03256", "03301", "03169",
                 "03170", "03199"]
# Border-guard posts (Đồn Biên phòng), in border communes.
BORDER_POSTS = ["03154", "03158", "03160", "03162", "03163", "03164", "03170", "03176",
                "03175", "03174", "03196", "03340", "03361", "03364", "03367"]
# Large non-commune institutions: a grassroots committee (đảng bộ cơ sở) sitting there
# with this many cells under it; all others have one cell.
CELLS_PER_CATEGORY = {"district_military": 2, "district_police": 2, "prov_agency": 3,
                      "prov_military": 10, "prov_border": 3, "prov_police": 6}
CELLS_PER_INSTITUTION = {"11-DL": 4, "11-XD": 4}
NEW_SCHOOL = ("03127-MN2", "Trường Mầm non Hoa Ban", "03127", D(2017, 8, 15), D(2019, 4, 10))

# Ethnic groups: names as in common use; the 1979 codes of data/reference/ethnic_groups.csv.
ETHNIC_COMMON_NAME = {"Hmông": "Mông", "Khơ-mú": "Khơ Mú", "Xinh-mun": "Xinh Mun"}
ETHNIC_MIX = {   # share of party members by district (synthetic)
    "094": {"Kinh": 58, "Thái": 28, "Mông": 4, "Khơ Mú": 2, "Lào": 1, "Hoa": 1.5, "Tày": 2,
            "Nùng": 1.5, "Mường": 2},
    "095": {"Thái": 48, "Kinh": 34, "Mông": 11, "Khơ Mú": 3, "Kháng": 2, "Hoa": 1, "Tày": 1},
    "096": {"Mông": 38, "Hà Nhì": 12, "Thái": 11, "Kinh": 20, "Dao": 7, "Si La": 3, "Cống": 2,
            "Khơ Mú": 3, "Phù Lá": 2, "Lào": 1, "Kháng": 1},
    "097": {"Mông": 40, "Thái": 24, "Kinh": 20, "Khơ Mú": 5, "Dao": 3, "Hà Nhì": 2, "Kháng": 4,
            "Xinh Mun": 2},
    "098": {"Mông": 55, "Thái": 10, "Kinh": 19, "Dao": 8, "Phù Lá": 4, "Giáy": 2, "Hoa": 2},
    "099": {"Thái": 45, "Mông": 28, "Kinh": 18, "Khơ Mú": 6, "Kháng": 2, "Xinh Mun": 1},
    "100": {"Thái": 48, "Kinh": 30, "Mông": 8, "Khơ Mú": 5, "Lào": 5, "Cống": 1, "Xinh Mun": 1,
            "Tày": 1, "Sán Chay": 1},
    "101": {"Mông": 50, "Thái": 22, "Kinh": 16, "Khơ Mú": 5, "Xinh Mun": 3, "Lào": 3,
            "Sán Chay": 1},
    "102": {"Thái": 50, "Mông": 20, "Kinh": 22, "Khơ Mú": 5, "Kháng": 2, "Lự": 1},
    "103": {"Mông": 50, "Thái": 14, "Kinh": 15, "Khơ Mú": 5, "Dao": 6, "Hà Nhì": 3, "Cống": 3,
            "Lự": 2, "Kháng": 2},
}
PROVINCIAL_MIX = {"Kinh": 52, "Thái": 26, "Mông": 10, "Khơ Mú": 3, "Dao": 2, "Tày": 2,
                  "Mường": 2, "Nùng": 1, "Lào": 1, "Hà Nhì": 1}
FEMALE_SHARE = {"Kinh": .42, "Thái": .35, "Tày": .40, "Mường": .38, "Nùng": .35, "Hoa": .35,
                "Lào": .30, "Lự": .30, "Khơ Mú": .25, "Kháng": .25, "Xinh Mun": .25,
                "Mông": .14, "Dao": .22, "Hà Nhì": .18, "Si La": .20, "Cống": .20,
                "Phù Lá": .20, "Giáy": .30, "Sán Chay": .30}

# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------


def iso(d, open_value=""):
    """A date as YYYY-MM-DD; the open sentinels as ''."""
    if d is None or d == SINCE_ALWAYS or d == STILL_HOLDS:
        return open_value
    return d.isoformat()


def add_years(d, n):
    """d plus n years (29 February becomes 28 February)."""
    try:
        return d.replace(year=d.year + n)
    except ValueError:
        return d.replace(year=d.year + n, day=28)


def rand_date(rng, first, last):
    """A uniformly random day in [first, last]."""
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def weighted_choice(rng, items, weights):
    total = sum(weights)
    x = rng.random() * total
    acc = 0.0
    for item, w in zip(items, weights):
        acc += w
        if x < acc:
            return item
    return items[-1]


def weighted_sample(rng, items, weight, k):
    """k distinct items drawn with probability proportional to weight(item)
    (Efraimidis-Spirakis keys); returns them in the order drawn."""
    keyed = [(-(rng.random() ** (1.0 / weight(it))), i, it) for i, it in enumerate(items)]
    keyed.sort()
    return [it for _, _, it in keyed[:k]]


def lower_first(text):
    return text[:1].lower() + text[1:]


def read_reference(name):
    with open(os.path.join(REF_DIR, name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# ---------------------------------------------------------------------------
# Administrative units (real)
# ---------------------------------------------------------------------------


class Admin:
    """The real units of province 11 and their history 2018 -> 2020 -> 2025."""

    def __init__(self):
        u18 = read_reference("vn_admin_units_2018.csv")
        u24 = read_reference("vn_admin_units_2024.csv")
        u25 = read_reference("vn_admin_units_2025.csv")
        mapping = read_reference("vn_commune_mapping_2024_2025.csv")

        self.province = next(r for r in u18 if r["code"] == PROVINCE)
        self.districts = {r["code"]: r for r in u18
                          if r["level"] == "district" and r["parent_code"] == PROVINCE}
        self.c18 = {r["code"]: r for r in u18
                    if r["level"] == "commune" and r["parent_code"] in self.districts}
        d24 = {r["code"]: r for r in u24
               if r["level"] == "district" and r["parent_code"] == PROVINCE}
        self.c24 = {r["code"]: r for r in u24
                    if r["level"] == "commune" and r["parent_code"] in d24}
        self.c25 = {r["code"]: r for r in u25
                    if r["level"] == "commune" and r["parent_code"] == PROVINCE}
        self.targets = {}
        for r in mapping:
            if r["old_province_code"] == PROVINCE and r["old_level"] == "commune":
                self.targets.setdefault(r["old_code"], []).append((r["new_code"], r["relation"]))

        # The article's structure.
        assert len(self.districts) == N_DISTRICTS
        assert sorted(self.districts) == sorted(d24)
        assert len(self.c18) == N_COMMUNES_2018
        kinds = {}
        for r in self.c18.values():
            kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
        assert kinds == COMMUNE_KINDS_2018, kinds

        # 2020: what the 2018 and 2024 files say.
        gone = sorted(c for c in self.c18 if c not in self.c24)
        assert gone == sorted(MERGED_INTO_2020), gone
        assert not [c for c in self.c24 if c not in self.c18]
        for old, new in MERGED_INTO_2020.items():
            assert self.c18[old]["parent_code"] == self.c18[new]["parent_code"] \
                == self.c24[new]["parent_code"]
        self.moved_2020 = sorted(c for c in self.c24
                                 if self.c24[c]["parent_code"] != self.c18[c]["parent_code"])
        # 2025: every old commune maps into province 11; a new code that is also an
        # old code is the same unit continuing (a code is never reused).
        assert sorted(self.targets) == sorted(self.c24)
        for c in self.c25:
            assert c in self.c24 and c in [t for t, _ in self.targets[c]], c
        for c, ts in self.targets.items():
            assert all(t in self.c25 for t, _ in ts), c

    # -- the commune of a 2018 commune code at a date ------------------------

    def commune_2020(self, c18):
        return MERGED_INTO_2020.get(c18, c18)

    def commune_end(self, c):
        if c in MERGED_INTO_2020:
            return MERGE_2020
        return STILL_HOLDS if c in self.c25 else REFORM_2025

    def row(self, c, t):
        """(name, kind, parent, short) of commune c at t (the unit must exist)."""
        if t >= REFORM_2025:
            r = self.c25[c]
            return r["name"], r["kind"], PROVINCE, r["short_name"]
        if t >= MERGE_2020 or c not in self.moved_2020 and c not in MERGED_INTO_2020:
            # Rows that did not change in 2020 use the 2024 spelling throughout
            # (the 2018 file writes "Thị Trấn Mường Chà", a case variant).
            r = self.c24.get(c) or self.c18[c]
        else:
            r = self.c18[c]
        return r["name"], r["kind"], r["parent_code"], r["short_name"]

    def district_of(self, c, t):
        return None if t >= REFORM_2025 else self.row(c, t)[2]


def committee_word(kind):
    """The word used after 'Đảng bộ' for a unit of this kind."""
    return {"tỉnh": "tỉnh", "huyện": "huyện", "thị xã": "thị xã", "thành phố": "thành phố",
            "xã": "xã", "phường": "phường", "thị trấn": "thị trấn"}[kind]


# ---------------------------------------------------------------------------
# Villages (synthetic) and their history
# ---------------------------------------------------------------------------

THAI_FIRST = ["Nà", "Huổi", "Nậm", "Pá", "Co", "Phiêng", "Hua", "Noong", "Pom", "Na", "Ten",
              "Lói", "Xôm", "Hát", "Tà", "Bó", "Púng", "Khá", "Kéo", "Pa", "Hin", "Nong",
              "Hồng", "Pú", "Sam", "Che"]
THAI_SECOND = ["Lếch", "Tin", "Khoang", "Pết", "Cáy", "Dên", "Sang", "Luông", "Mạ", "Lao", "Ló",
               "Hịa", "Nọng", "Tấu", "Pục", "Hỏm", "Phăng", "Mo", "Săn", "Bon", "Cọ", "Chăn",
               "Ngua", "Lạn", "Phạ", "Sài", "Có", "Khôm", "Pen", "Đanh", "Nưa", "Cang", "Hẹ",
               "Ún", "Xén", "Pao", "Lỏng", "Mánh", "Sẳng", "Hướng", "Púng", "Phai"]
MONG_FIRST = ["Háng", "Tả", "Sín", "Phì", "Lao", "Tìa", "Xá", "Pá", "Huổi", "Phìn", "Chề",
              "Sáng", "Làng", "Trống", "Dế", "Cang", "Pú", "Hồi", "Nhè", "Chua", "Sừ", "Cáng"]
MONG_SECOND = ["Lìa", "Phìn", "Chải", "Nhừ", "Chà", "Dình", "Tống", "Sủng", "Lếnh", "Hồ",
               "Giàng", "Lúng", "Vài", "Nhè", "Pao", "Dào", "Sông", "Xa", "Mình", "Chư", "Khứ",
               "Phàng", "Thàng", "Sang", "Sáng", "Dồ"]
THON_NAMES = ["Thanh Bình", "Tân Hưng", "Đông Biên", "Hợp Thành", "Việt Hưng", "Công Binh",
              "Tân Ngoại", "Thanh Hà", "Tiến Thanh", "Việt Yên", "Hồng Thái", "Thống Nhất",
              "Độc Lập", "Quyết Tiến", "Đội 1", "Đội 2", "Đội 3", "Đội 5", "Đội 7", "Đội 9",
              "Đội 10", "Tân Lập", "Tân Tiến", "Bắc Hưng"]
MONG_DISTRICTS = ("096", "097", "098", "101", "103")


class Village:
    __slots__ = ("code", "c18", "index", "name", "kind", "population", "difficult",
                 "cls", "hosts", "cells", "first_resident", "split_date")

    def __init__(self, code, c18, index, name, kind, population):
        self.code, self.c18, self.index = code, c18, index
        self.name, self.kind, self.population = name, kind, population
        self.difficult = 0
        self.cls = "stable"          # see assign_village_story
        self.hosts = []              # villages whose cells take this village's members in
        self.cells = []              # [code, name, start, end] of the cells sitting here
        self.first_resident = SINCE_ALWAYS   # no member lives here before this day
        self.split_date = None


def village_name(rng, district, used):
    while True:
        if district in MONG_DISTRICTS and rng.random() < 0.6:
            name = rng.choice(MONG_FIRST) + " " + rng.choice(MONG_SECOND)
        else:
            name = rng.choice(THAI_FIRST) + " " + rng.choice(THAI_SECOND)
        if name not in used:
            used.add(name)
            return name


def build_villages(rng, admin):
    """Exactly N_VILLAGES villages under the 130 communes of 2018, with names,
    kinds and a population summing to about POPULATION_2018."""
    codes = sorted(admin.c18)
    raw = {}
    for c in codes:
        kind = admin.c18[c]["kind"]
        lo, hi = {"phường": (9, 16), "thị trấn": (10, 17), "xã": (9, 20)}[kind]
        raw[c] = rng.randint(lo, hi)
    # adjust to the exact total, one village at a time over the communes in turn
    order = sorted(codes, key=lambda c: (-raw[c], c))
    i = 0
    while sum(raw.values()) != N_VILLAGES:
        c = order[i % len(order)]
        if sum(raw.values()) > N_VILLAGES and raw[c] > 6:
            raw[c] -= 1
        elif sum(raw.values()) < N_VILLAGES:
            raw[c] += 1
        i += 1

    villages = []
    for c in codes:
        r = admin.c18[c]
        kind, district, short = r["kind"], r["parent_code"], r["short_name"]
        valley = district == "100" and c in NOT_DIFFICULT_XA
        used = set()
        thon_pool = list(THON_NAMES)
        rng.shuffle(thon_pool)
        numbered = rng.random() < 0.5
        for i in range(raw[c]):
            if kind == "phường" or (kind == "thị trấn" and i < int(raw[c] * 0.6)):
                vkind, name = "tổ dân phố", "Tổ dân phố %d" % (i + 1)
                pop = rng.randint(300, 750)
            elif valley and rng.random() < 0.3 and thon_pool:
                vkind, name = "thôn", "Thôn " + thon_pool.pop()
                pop = rng.randint(250, 600)
            else:
                vkind = "bản"
                if i == 0:
                    base = short + (" 1" if numbered else "")
                elif i == 1 and numbered:
                    base = short + " 2"
                else:
                    base = village_name(rng, district, used)
                used.add(base)
                name = "Bản " + base
                pop = rng.randint(140, 520)
            villages.append(Village("%s-%02d" % (c, i + 1), c, i, name, vkind, pop))
    total = sum(v.population for v in villages)
    for v in villages:
        v.population = max(40, round(v.population * POPULATION_2018 / total))
    return villages


def assign_commune_flags(admin):
    """border / difficult flags of the 2018 communes."""
    border = {c: int(c in BORDER_COMMUNES) for c in admin.c18}
    difficult = {c: int(admin.c18[c]["kind"] == "xã" and c not in NOT_DIFFICULT_XA)
                 for c in admin.c18}
    assert sum(border.values()) == N_BORDER_COMMUNES
    assert sum(difficult.values()) == N_DIFFICULT_COMMUNES
    assert all(difficult[c] for c in BORDER_COMMUNES)
    return border, difficult


def assign_village_flags(rng, villages, commune_difficult):
    inside = [v for v in villages if commune_difficult[v.c18]]
    outside = [v for v in villages if not commune_difficult[v.c18] and v.kind != "tổ dân phố"]
    chosen = weighted_sample(rng, inside, lambda v: 1.0 if v.index else 0.3,
                             N_DIFFICULT_VILLAGES - EXTRA_DIFFICULT_OUTSIDE)
    chosen += weighted_sample(rng, outside, lambda v: 1.0, EXTRA_DIFFICULT_OUTSIDE)
    for v in chosen:
        v.difficult = 1
    assert sum(v.difficult for v in villages) == N_DIFFICULT_VILLAGES


def cell_code(village, start):
    """The code of a village cell: CB<village>, or CB<village>-<yyyymmdd> for a
    later cell of the same village."""
    if not village.cells:
        return "CB" + village.code
    return "CB%s-%s" % (village.code, start.strftime("%Y%m%d"))


def add_village_cell(village, start, end, name=None):
    code = cell_code(village, start)
    village.cells.append([code, name or "Chi bộ " + lower_first(village.name), start, end])
    return code


def assign_village_story(rng, admin, villages, border, difficult):
    """Decide which villages have a cell, a joint cell, members, and when.

    Classes (2016-01-01 -> 2018-05-22):
      stable        cell before 2016, still there
      host          joint cell (chi bộ ghép) before 2016, split on split_date into
                    a cell of its own (new code) ...
      guest         ... and a new cell in the guest village (no cell before)
      refounded     cell dissolved in 2016 (below three members), re-founded 2017-2018
      no_cell       members, no cell of its own (they meet in a neighbour's cell)
      white_gained  no member in 2016, a first member admitted before the article
      white         no member in 2018 either
    """
    by_commune = {}
    for v in villages:
        by_commune.setdefault(v.c18, []).append(v)
    mong = {c: admin.c18[c]["parent_code"] in MONG_DISTRICTS for c in admin.c18}

    def remote(v):
        return 1.0 + 2 * difficult[v.c18] + 2 * border[v.c18] + mong[v.c18]

    eligible = [v for v in villages if v.index > 0 and v.kind != "tổ dân phố"]
    ordered = weighted_sample(rng, eligible, remote, len(eligible))
    no_cell, per_commune = [], {}
    for v in ordered:
        if len(no_cell) == WITHOUT_ORG_2016:
            break
        if per_commune.get(v.c18, 0) < len(by_commune[v.c18]) // 2:
            no_cell.append(v)
            per_commune[v.c18] = per_commune.get(v.c18, 0) + 1
    assert len(no_cell) == WITHOUT_ORG_2016
    no_cell.sort(key=lambda v: v.code)

    white = weighted_sample(rng, no_cell, lambda v: 1.0 + 4 * border[v.c18] + difficult[v.c18],
                            WHITE_2016)
    for v in white[:WHITE_2018]:
        v.cls = "white"
    for v in white[WHITE_2018:]:
        v.cls = "white_gained"

    # guests of joint cells: each needs its own host village in the same commune
    used_hosts = set()
    rest = [v for v in no_cell if v.cls == "stable"]
    rng.shuffle(rest)
    no_cell_codes = {v.code for v in no_cell}
    guests = 0
    for v in rest:
        if guests < JOINT_CELLS_SPLIT:
            cands = [h for h in by_commune[v.c18] if h.index > 0 and h.code not in no_cell_codes
                     and h.code not in used_hosts]
            if cands:
                h = rng.choice(cands)
                used_hosts.add(h.code)
                v.cls, h.cls = "guest", "host"
                v.hosts = [h]
                v.split_date = h.split_date = rand_date(rng, D(2016, 1, 15), D(2018, 5, 15))
                guests += 1
                continue
        v.cls = "no_cell"
    assert guests == JOINT_CELLS_SPLIT
    assert sum(v.cls == "no_cell" for v in villages) == NO_CELL_WITH_MEMBERS

    cands = [v for v in villages if v.cls == "stable" and v.index > 0]
    for v in weighted_sample(rng, cands, lambda v: 1.0 + difficult[v.c18], REFOUNDED_CELLS):
        v.cls = "refounded"

    # cells before 2016 and their dates
    for v in villages:
        old_start = SINCE_ALWAYS
        if v.index > 0 and rng.random() < 0.25:
            old_start = rand_date(rng, D(1990, 1, 1), D(2015, 6, 30))
        if v.cls == "stable":
            add_village_cell(v, old_start, STILL_HOLDS)
        elif v.cls == "host":
            add_village_cell(v, old_start, v.split_date)   # the joint cell, renamed below
            add_village_cell(v, v.split_date, STILL_HOLDS)
        elif v.cls == "guest":
            add_village_cell(v, v.split_date, STILL_HOLDS)
        elif v.cls == "refounded":
            gone = rand_date(rng, D(2016, 1, 20), D(2016, 12, 31))
            back = rand_date(rng, gone + dt.timedelta(days=200), D(2018, 5, 15))
            add_village_cell(v, old_start, gone)
            add_village_cell(v, back, STILL_HOLDS)
    for v in villages:
        if v.cls == "guest":
            h = v.hosts[0]
            h.cells[0][1] = "Chi bộ ghép %s và %s" % (lower_first(h.name), lower_first(v.name))

    # every village falls back on a neighbour whose cell has always existed
    for c, vs in by_commune.items():
        anchors = [v for v in vs if v.cls == "stable" and v.cells[0][2] == SINCE_ALWAYS]
        assert anchors and anchors[0].index == 0, c
        for v in vs:
            others = [a for a in anchors if a is not v]
            if others:
                v.hosts.append(rng.choice(others))
    return by_commune


def add_later_village_cells(rng, villages):
    """Cells founded after the article (2018-06 .. 2025-06) and first members of
    some of the 21 white villages; run after the first residents are known."""
    for v in villages:
        if v.cls == "no_cell" and rng.random() < 0.55:
            add_village_cell(v, rand_date(rng, D(2018, 6, 1), D(2025, 6, 30)), STILL_HOLDS)
        elif v.cls in ("white_gained", "white") and v.first_resident < D(2023, 6, 1) \
                and rng.random() < 0.3:
            first = max(add_years(v.first_resident, 2), D(2018, 6, 1))
            add_village_cell(v, rand_date(rng, first, D(2025, 6, 30)), STILL_HOLDS)


class VillageTimeline:
    """Where each village is, over time: commune codes by era."""

    def __init__(self, admin, villages):
        self.admin = admin
        self.c25 = {}
        by_c20 = {}
        for v in villages:
            by_c20.setdefault(admin.commune_2020(v.c18), []).append(v)
        for c20, vs in sorted(by_c20.items()):
            targets = [t for t, _ in admin.targets[c20]]
            vs.sort(key=lambda v: v.code)
            # an old commune split among several new ones: its villages are shared out
            # in blocks, in code order (no such case in province 11 in the NSO table)
            for i, v in enumerate(vs):
                self.c25[v.code] = targets[i * len(targets) // len(vs)]
        self.c18 = {v.code: v.c18 for v in villages}

    def commune(self, vcode, t):
        if t >= REFORM_2025:
            return self.c25[vcode]
        c18 = self.c18[vcode]
        return self.admin.commune_2020(c18) if t >= MERGE_2020 else c18

    def district(self, vcode, t):
        return self.admin.district_of(self.commune(vcode, t), t)


# ---------------------------------------------------------------------------
# Institutions (synthetic)
# ---------------------------------------------------------------------------


class Inst:
    __slots__ = ("code", "name", "kind", "village", "start", "end", "tier", "category",
                 "has_cell", "cells", "committee", "cell_start", "cell_end", "successor")

    def __init__(self, code, name, kind, village, tier, category, start=SINCE_ALWAYS,
                 end=STILL_HOLDS):
        self.code, self.name, self.kind, self.village = code, name, kind, village
        self.tier, self.category = tier, category   # tier: commune / district / province
        self.start, self.end = start, end
        self.has_cell = False
        self.cells = []          # [(code, name)] of the cells sitting here
        self.committee = None    # (code, name) of the grassroots committee above them
        self.cell_start, self.cell_end = SINCE_ALWAYS, end
        self.successor = None    # fn(residence, t) -> Inst taking the people in on closing


def build_institutions(rng, admin, villages_by_commune, timeline):
    insts = []
    by_code = {}

    def add(inst):
        insts.append(inst)
        by_code[inst.code] = inst
        return inst

    def seat(c, i=0):
        vs = villages_by_commune[c]
        return vs[min(i, len(vs) - 1)].code

    def commune_agency(res, t, c=None):
        c = c or timeline.commune(res, t)
        if t >= REFORM_2025:
            return by_code["%s-%s" % (c, rng.choice(("DU25", "UB25", "HCC25")))]
        return by_code["%s-CQ" % c]

    def district_cadre(res, t):
        """District agencies closed on 1 July 2025: their staff went to the new communes
        (where they live, or rotated to another commune of the former district) or to
        provincial departments."""
        x = rng.random()
        if x < 0.4:
            return commune_agency(res, t)
        if x < 0.7:
            d = timeline.district(res, t - ONE_DAY)
            options = sorted({timeline.c25[v] for v, c in timeline.c18.items()
                              if admin.district_of(admin.commune_2020(c), t - ONE_DAY) == d})
            return commune_agency(res, t, rng.choice(options))
        return rng.choice([i for i in insts if i.category == "prov_agency"])

    # --- commune level: schools, health station, commune agency --------------
    for c in sorted(admin.c18):
        r = admin.c18[c]
        short, kind = r["short_name"], r["kind"]
        remote = kind == "xã" and c not in NOT_DIFFICULT_XA
        boarding = "PTDTBT " if remote and rng.random() < 0.6 else ""
        add(Inst(c + "-MN", "Trường Mầm non " + short, "school", seat(c), "commune", "school"))
        add(Inst(c + "-TH", "Trường %sTiểu học %s" % (boarding, short), "school", seat(c),
                 "commune", "school"))
        if len(villages_by_commune[c]) >= 16:
            add(Inst(c + "-TH2", "Trường Tiểu học số 2 " + short, "school", seat(c, 3),
                     "commune", "school"))
        add(Inst(c + "-THCS", "Trường %sTHCS %s" % (boarding, short), "school", seat(c, 1),
                 "commune", "school"))
        end = MERGE_2020 if c in MERGED_INTO_2020 else STILL_HOLDS
        add(Inst(c + "-TYT", "Trạm Y tế %s %s" % (kind, short), "health_station", seat(c),
                 "commune", "health", end=end))
        end = MERGE_2020 if c in MERGED_INTO_2020 else REFORM_2025
        add(Inst(c + "-CQ", "Cơ quan Đảng ủy - HĐND - UBND %s %s" % (kind, short), "agency",
                 seat(c), "commune", "commune_agency", end=end))
        if c in THPT_COMMUNES:
            add(Inst(c + "-THPT", "Trường THPT " + short, "school", seat(c, 2), "district",
                     "thpt"))
    code, name, c, start, cell_start = NEW_SCHOOL
    ns = add(Inst(code, name, "school", seat(c, 4), "commune", "school", start=start))
    ns.cell_start = cell_start
    for c in sorted(admin.c25):
        r = admin.c25[c]
        for suffix, what in (("DU25", "Cơ quan Đảng ủy "), ("UB25", "Cơ quan HĐND và UBND "),
                             ("HCC25", "Trung tâm Phục vụ hành chính công ")):
            add(Inst("%s-%s" % (c, suffix), what + lower_first(r["name"]), "agency", seat(c),
                     "commune", "commune_agency", start=REFORM_2025))
    for c in MERGED_INTO_2020:
        by_code[c + "-TYT"].successor = \
            lambda res, t: by_code[timeline.commune(res, t) + "-TYT"]
    for inst in insts:
        if inst.category == "commune_agency":
            inst.successor = commune_agency

    # --- district level ------------------------------------------------------
    for d in sorted(admin.districts):
        r = admin.districts[d]
        short, kind = r["short_name"], r["kind"]
        uy = {"huyện": "Huyện ủy", "thị xã": "Thị ủy", "thành phố": "Thành ủy"}[kind]
        v = seat(DISTRICT_SEATS[d])
        for suffix, name, ikind, cat, end in [
                ("HU", "Cơ quan %s %s" % (uy, short), "agency", "district_civil", REFORM_2025),
                ("UB", "Ủy ban nhân dân %s %s" % (kind, short), "agency", "district_hq",
                 REFORM_2025),
                ("VP", "Văn phòng HĐND và UBND %s %s" % (kind, short), "agency",
                 "district_civil", REFORM_2025),
                ("GD", "Phòng Giáo dục và Đào tạo %s %s" % (kind, short), "agency",
                 "district_civil", REFORM_2025),
                ("TC", "Phòng Tài chính - Kế hoạch %s %s" % (kind, short), "agency",
                 "district_civil", REFORM_2025),
                ("NN", ("Phòng Kinh tế %s %s" if kind != "huyện" else
                        "Phòng Nông nghiệp và Phát triển nông thôn %s %s") % (kind, short),
                 "agency", "district_civil", REFORM_2025),
                ("NV", "Phòng Nội vụ %s %s" % (kind, short), "agency", "district_civil",
                 REFORM_2025),
                ("TN", "Phòng Tài nguyên và Môi trường %s %s" % (kind, short), "agency",
                 "district_civil", REFORM_2025),
                ("VH", "Phòng Văn hóa và Thông tin %s %s" % (kind, short), "agency",
                 "district_civil", REFORM_2025),
                ("LD", "Phòng Lao động - Thương binh và Xã hội %s %s" % (kind, short),
                 "agency", "district_civil", REFORM_2025),
                ("QS", "Ban Chỉ huy Quân sự %s %s" % (kind, short), "armed_forces",
                 "district_military", REFORM_2025),
                ("CA", "Công an %s %s" % (kind, short), "armed_forces", "district_police",
                 POLICE_REFORM)]:
            inst = add(Inst("%s-%s" % (d, suffix), name, ikind, v, "district", cat, end=end))
            if cat == "district_civil":
                inst.successor = district_cadre
            elif cat in ("district_military", "district_police"):
                inst.successor = lambda res, t, cat=cat: rng.choice(
                    [i for i in insts if i.category == cat.replace("district_", "prov_")])

    # --- province level (in the wards of Điện Biên Phủ, border posts on the border)
    provincial = [
        ("11-VPTU", "Văn phòng Tỉnh ủy", "agency", "03136", "prov_agency"),
        ("11-BTCTU", "Ban Tổ chức Tỉnh ủy", "agency", "03136", "prov_agency"),
        ("11-VPUB", "Văn phòng UBND tỉnh", "agency", "03136", "prov_agency"),
        ("11-SGD", "Sở Giáo dục và Đào tạo", "agency", "03133", "prov_agency"),
        ("11-SYT", "Sở Y tế", "agency", "03133", "prov_agency"),
        ("11-STC", "Sở Tài chính", "agency", "03127", "prov_agency"),
        ("11-SKH", "Sở Kế hoạch và Đầu tư", "agency", "03127", "prov_agency"),
        ("11-SNN", "Sở Nông nghiệp và Phát triển nông thôn", "agency", "03130", "prov_agency"),
        ("11-SNV", "Sở Nội vụ", "agency", "03136", "prov_agency"),
        ("11-BV", "Bệnh viện Đa khoa tỉnh Điện Biên", "other", "03127", "prov_agency"),
        ("11-TCT", "Trường Chính trị tỉnh Điện Biên", "other", "03139", "prov_agency"),
        ("11-BAO", "Báo Điện Biên Phủ", "other", "03136", "prov_agency"),
        ("11-DPT", "Đài Phát thanh - Truyền hình tỉnh Điện Biên", "other", "03133",
         "prov_agency"),
        ("11-DL", "Công ty Điện lực Điện Biên", "enterprise", "03124", "prov_enterprise"),
        ("11-XD", "Công ty Xăng dầu Điện Biên", "enterprise", "03142", "prov_enterprise"),
        ("11-CN", "Công ty cổ phần Cấp nước Điện Biên", "enterprise", "03130",
         "prov_enterprise"),
        ("11-MT", "Công ty cổ phần Môi trường đô thị Điện Biên", "enterprise", "03139",
         "prov_enterprise"),
        ("11-NHCS", "Ngân hàng Chính sách xã hội chi nhánh Điện Biên", "enterprise", "03136",
         "prov_enterprise"),
        ("11-BCHQS", "Bộ Chỉ huy Quân sự tỉnh", "armed_forces", "03127", "prov_hq"),
        ("11-QS-CQ", "Cơ quan Bộ Chỉ huy Quân sự tỉnh", "armed_forces", "03127",
         "prov_military"),
        ("11-QS-TD", "Tiểu đoàn Huấn luyện - Cơ động", "armed_forces", "03124",
         "prov_military"),
        ("11-QS-TQS", "Trường Quân sự tỉnh", "armed_forces", "03124", "prov_military"),
        ("11-BCHBP", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh", "armed_forces", "03133", "prov_hq"),
        ("11-BP-CQ", "Cơ quan Bộ Chỉ huy Bộ đội Biên phòng tỉnh", "armed_forces", "03133",
         "prov_border"),
        ("11-CAT", "Công an tỉnh Điện Biên", "armed_forces", "03136", "prov_hq"),
        ("11-CA-CQ", "Cơ quan Công an tỉnh", "armed_forces", "03136", "prov_police"),
        ("11-CA-AN", "Phòng An ninh Công an tỉnh", "armed_forces", "03136", "prov_police"),
        ("11-CA-CS", "Phòng Cảnh sát Công an tỉnh", "armed_forces", "03130", "prov_police"),
        ("11-CA-TG", "Trại Tạm giam Công an tỉnh", "armed_forces", "03142", "prov_police"),
    ]
    for code, name, ikind, c, cat in provincial:
        add(Inst(code, name, ikind, seat(c, rng.randint(0, 4)), "province", cat))
    for c in BORDER_POSTS:
        add(Inst("11-BP-" + c, "Đồn Biên phòng " + admin.c18[c]["short_name"], "armed_forces",
                 seat(c), "province", "prov_border"))
    # enterprise cells founded in the article's period ("other")
    for code, start in [("11-CN", D(2017, 6, 20)), ("11-MT", D(2016, 9, 12)),
                        ("11-NHCS", D(2016, 4, 5))]:
        by_code[code].cell_start = start
    return insts, by_code


def assign_institution_cells(rng, insts):
    """Which institutions have a cell, and from when (schools and health stations
    per the article: 32 and 34 cells founded 2016 .. 22 May 2018)."""
    period = (D(2016, 1, 20), D(2018, 5, 15))
    schools = [i for i in insts if i.category == "school" and i.start == SINCE_ALWAYS]
    founded = weighted_sample(rng, schools,
                              lambda i: 3.0 if i.code.split("-")[0] not in NOT_DIFFICULT_XA
                              else 1.0, SCHOOL_CELLS_FOUNDED)
    founded_codes = {i.code for i in founded}
    for i in insts:
        if i.category in ("school", "thpt"):
            if i.code in founded_codes:
                i.cell_start = rand_date(rng, *period)
            elif i.start == SINCE_ALWAYS and rng.random() < 0.3:
                i.cell_start = rand_date(rng, D(1995, 1, 1), D(2015, 6, 30))
            i.has_cell = True
    stations = [i for i in insts if i.category == "health" and i.end == STILL_HOLDS]
    order = weighted_sample(rng, stations, lambda i: 1.0, len(stations))
    n_before = HEALTH_STATIONS_WITH_CELL_2018 - HEALTH_CELLS_FOUNDED
    for k, i in enumerate(order):
        if k < n_before:
            i.cell_start = SINCE_ALWAYS if rng.random() < 0.4 else \
                rand_date(rng, D(2000, 1, 1), D(2015, 6, 30))
        elif k < HEALTH_STATIONS_WITH_CELL_2018:
            i.cell_start = rand_date(rng, *period)
        elif rng.random() < 0.55:
            i.cell_start = rand_date(rng, D(2018, 6, 1), D(2025, 6, 30))
        else:
            continue
        i.has_cell = True
    for i in insts:
        if i.category in ("commune_agency", "district_civil", "district_military",
                          "district_police", "prov_agency", "prov_enterprise",
                          "prov_military", "prov_border", "prov_police"):
            i.has_cell = True
            if i.start != SINCE_ALWAYS:
                i.cell_start = max(i.cell_start, i.start)
        if not i.has_cell:
            continue
        i.cell_end = i.end
        n = CELLS_PER_INSTITUTION.get(i.code, CELLS_PER_CATEGORY.get(i.category, 1))
        if n == 1:
            i.cells = [("CB" + i.code, "Chi bộ " + i.name)]
        else:
            i.committee = ("DB" + i.code, "Đảng bộ " + i.name)
            i.cells = [("CB%s-%d" % (i.code, k + 1), "Chi bộ số %d %s" % (k + 1, i.name))
                       for k in range(n)]


# ---------------------------------------------------------------------------
# Party organizations
# ---------------------------------------------------------------------------


class Org:
    __slots__ = ("code", "kind", "start", "end", "attrs", "order")

    def __init__(self, code, kind, start, end, attrs, order):
        """attrs(t) -> (name, grassroots, parent, site_unit, site_institution)."""
        self.code, self.kind, self.start, self.end = code, kind, start, end
        self.attrs, self.order = attrs, order

    def rows(self):
        cuts = [self.start] + [d for d in ORG_CHANGE_DATES if self.start < d < self.end] \
            + [self.end]
        out = []
        for a, b in zip(cuts, cuts[1:]):
            values = self.attrs(a)
            if out and out[-1][0] == values:
                out[-1][2] = b
            else:
                out.append([values, a, b])
        return out


def build_orgs(admin, villages, timeline, insts):
    orgs = []
    p_name = "Đảng bộ tỉnh " + admin.province["short_name"]
    orgs.append(Org("DB11", "committee", SINCE_ALWAYS, STILL_HOLDS,
                    lambda t: (p_name, 0, "", PROVINCE, ""), (0, "")))
    for d, r in sorted(admin.districts.items()):
        name = "Đảng bộ %s %s" % (committee_word(r["kind"]), r["short_name"])
        orgs.append(Org("DB" + d, "committee", SINCE_ALWAYS, REFORM_2025,
                        lambda t, name=name, d=d: (name, 0, "DB11", d, ""), (2, d)))

    def commune_attrs(c):
        def attrs(t):
            _, kind, parent, short = admin.row(c, t)
            up = "DB11" if t >= REFORM_2025 else "DB" + parent
            return ("Đảng bộ %s %s" % (committee_word(kind), short), 1, up, c, "")
        return attrs
    for c in sorted(set(admin.c18) | set(admin.c25)):
        orgs.append(Org("DB" + c, "committee", SINCE_ALWAYS, admin.commune_end(c),
                        commune_attrs(c), (3, c)))

    for v in villages:
        for code, name, start, end in v.cells:
            def attrs(t, name=name, v=v):
                return (name, 0, "DB" + timeline.commune(v.code, t), v.code, "")
            orgs.append(Org(code, "cell", start, end, attrs, (4, code)))

    # committees above the institutions' grassroots organizations
    prov_committees = {
        "prov_agency": ("DBKCQ", "Đảng bộ Khối các cơ quan tỉnh", PROVINCE, ""),
        "prov_enterprise": ("DBKDN", "Đảng bộ Khối Doanh nghiệp tỉnh", PROVINCE, ""),
        "prov_military": ("DBQS", "Đảng bộ Quân sự tỉnh", "", "11-BCHQS"),
        "prov_border": ("DBBP", "Đảng bộ Bộ đội Biên phòng tỉnh", "", "11-BCHBP"),
        "prov_police": ("DBCA", "Đảng bộ Công an tỉnh", "", "11-CAT"),
    }
    for code, name, su, si in prov_committees.values():
        orgs.append(Org(code, "committee", SINCE_ALWAYS, STILL_HOLDS,
                        lambda t, n=name, su=su, si=si: (n, 0, "DB11", su, si), (1, code)))
    for d, r in sorted(admin.districts.items()):
        name = "Đảng bộ Cơ quan chính quyền %s %s" % (r["kind"], r["short_name"])
        orgs.append(Org("DB%s-CQCQ" % d, "committee", SINCE_ALWAYS, REFORM_2025,
                        lambda t, n=name, d=d: (n, 1, "DB" + d, "", d + "-UB"), (2, d + "z")))

    for i in insts:
        if not i.cells:
            continue
        if i.tier == "commune":
            def up(t, i=i):
                return 0, "DB" + timeline.commune(i.village, t)
        elif i.category == "thpt":
            def up(t, i=i):
                if t < REFORM_2025:
                    return 1, "DB" + timeline.district(i.village, t)
                return 0, "DB" + timeline.commune(i.village, t)
        elif i.category == "district_civil" and not i.code.endswith("-HU"):
            def up(t, i=i):
                return 0, "DB%s-CQCQ" % i.code.split("-")[0]
        elif i.tier == "district":
            def up(t, i=i):
                return 1, "DB" + i.code.split("-")[0]
        else:
            def up(t, parent=prov_committees[i.category][0]):
                return 1, parent
        if i.committee:
            # a grassroots committee sitting in the institution, its cells under it
            code, name = i.committee

            def attrs(t, i=i, name=name, up=up):
                grassroots, parent = up(t)
                return (name, grassroots, parent, "", i.code)
            orgs.append(Org(code, "committee", i.cell_start, i.cell_end, attrs, (5, i.code)))
            for k, (ccode, cname) in enumerate(i.cells):
                orgs.append(Org(ccode, "cell", i.cell_start, i.cell_end,
                                lambda t, i=i, n=cname, p=code: (n, 0, p, "", i.code),
                                (5, i.code, k)))
        else:
            ccode, cname = i.cells[0]

            def attrs(t, i=i, name=cname, up=up):
                grassroots, parent = up(t)
                return (name, grassroots, parent, "", i.code)
            orgs.append(Org(ccode, "cell", i.cell_start, i.cell_end, attrs, (5, i.code)))
    orgs.sort(key=lambda o: o.order)
    return orgs


# ---------------------------------------------------------------------------
# Where a member belongs: the organization of a village or an institution, over time
# ---------------------------------------------------------------------------


def village_home(v, timeline):
    """Intervals [(start, end, org)] covering all time: the cell a member living in
    village v belongs to (own cell, else a host village's cell, else the commune's
    agency cell)."""
    candidates = [v] + v.hosts
    cuts = {SINCE_ALWAYS, STILL_HOLDS, MERGE_2020, REFORM_2025}
    for x in candidates:
        for _, _, s, e in x.cells:
            cuts.add(s)
            cuts.add(e)
    cuts = sorted(cuts)
    out = []
    for a, b in zip(cuts, cuts[1:]):
        org = None
        for x in candidates:
            for code, _, s, e in x.cells:
                if s <= a < e:
                    org = code
                    break
            if org:
                break
        if org is None:
            c = timeline.commune(v.code, a)
            org = "CB%s-UB25" % c if a >= REFORM_2025 else "CB%s-CQ" % c
        if out and out[-1][2] == org:
            out[-1][1] = b
        else:
            out.append([a, b, org])
    return out


def inst_home(inst, k):
    """Intervals [(start, end, cell or None)] covering all time: the k-th cell of
    the institution, where it has cells."""
    if not inst.cells:
        return [[SINCE_ALWAYS, STILL_HOLDS, None]]
    out = []
    if inst.cell_start > SINCE_ALWAYS:
        out.append([SINCE_ALWAYS, inst.cell_start, None])
    out.append([inst.cell_start, inst.cell_end, inst.cells[k][0]])
    if inst.cell_end < STILL_HOLDS:
        out.append([inst.cell_end, STILL_HOLDS, None])
    return out


def clip(intervals, a, b):
    """The parts of intervals inside [a, b)."""
    out = []
    for s, e, x in intervals:
        s2, e2 = max(s, a), min(e, b)
        if s2 < e2:
            out.append((s2, e2, x))
    return out


# ---------------------------------------------------------------------------
# Members
# ---------------------------------------------------------------------------

NAMES = {
    "Kinh": (["Nguyễn"] * 6 + ["Trần"] * 3 + ["Lê"] * 3 + ["Phạm"] * 2 +
             ["Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô", "Dương", "Đinh", "Phan", "Hà", "Lương"],
             ["Văn", "Đức", "Minh", "Quang", "Xuân", "Hữu", "Thanh", "Mạnh", "Tiến", "Văn"],
             ["Thị", "Thị", "Thị", "Thu", "Thanh", "Ngọc", "Minh", "Hồng"],
             ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Long", "Minh", "Nam", "Quân",
              "Sơn", "Thắng", "Tuấn", "Trung", "Việt", "Hưng", "Khánh", "Phúc", "Thành", "Toàn",
              "Hiếu", "Đạt", "Tùng", "Kiên", "Huy"],
             ["Anh", "Hà", "Hằng", "Hoa", "Huyền", "Hương", "Lan", "Linh", "Mai", "Nga",
              "Nhung", "Phương", "Thảo", "Trang", "Yến", "Thủy", "Hạnh", "Loan", "Ngọc", "Vân"]),
    "Thái": (["Lò"] * 4 + ["Quàng"] * 2 + ["Lường"] * 2 + ["Cầm", "Cà", "Tòng", "Vì", "Điêu",
                                                              "Lù", "Hoàng"],
             ["Văn"], ["Thị"],
             ["Thắng", "Xuân", "Hùng", "Phong", "Thanh", "Hải", "Chung", "Tiến", "Phóng",
              "Nhất", "Pản", "Khăm", "Ẳm", "Ngọc", "Bun", "Sơn", "Dũng", "Quân", "Hiến", "Tươi",
              "Pọm", "Ún", "Thoan", "Chiến", "Kiên", "Biên", "Inh", "Hoan", "Lả", "Ơn"],
             ["Hoa", "Hương", "Duyên", "Ánh", "Dung", "Xuân", "Ngọc", "Thoa", "Lả", "Ỏn", "Pọm",
              "Ín", "Thu", "Liên", "Nga", "Phương", "Bua", "Lan", "Mai", "Thanh", "Hạnh", "Yến",
              "Tâm", "Khiêm", "Ơn"]),
    "Mông": (["Mùa", "Giàng", "Thào", "Vừ", "Lầu", "Sùng", "Hạng", "Lý", "Cứ", "Vàng", "Sình",
              "Tráng", "Chá", "Hờ", "Mua", "Giàng", "Vừ", "Lý"],
             ["A"], ["Thị"],
             ["Sùng", "Páo", "Chứ", "Dế", "Chinh", "Dũng", "Lử", "Xá", "Súa", "Tủa", "Chử",
              "Vàng", "Dình", "Tú", "Pó", "Cở", "Chư", "Nủ", "Thái", "Lềnh", "Sếnh", "Giống",
              "Dơ", "Mua", "Dia", "Phử", "Sung", "Tồng", "Khua", "Lâu"],
             ["Mai", "Dở", "Máy", "Pằng", "Dua", "Ly", "Mỷ", "Chá", "Dính", "Sú", "Nhìa", "Sua",
              "Xia", "Mua", "Dế", "Chư", "Lỳ", "Và", "Phổng", "Sinh"]),
    "Khơ Mú": (["Lò", "Quàng", "Vì", "Cà", "Lường", "Tòng", "Lù"], ["Văn"], ["Thị"],
               ["Bun", "Ín", "Pâng", "Khăm", "Phon", "Xiêng", "Ơn", "Dung", "Thoong", "Ón",
                "Kẻo", "Phanh", "Tính", "Dương", "Nọi"],
               ["Un", "Bua", "Ngân", "Ín", "Phăn", "Xuân", "Khăm", "Ón", "Lả", "Ọt"]),
    "Dao": (["Bàn", "Triệu", "Lý", "Đặng", "Chảo", "Tẩn", "Phàn"], ["Văn", "A", "Tà", "Kiềm"],
            ["Thị", "Mùi"],
            ["Chẳn", "Sơn", "Minh", "Phù", "Quẩy", "Thanh", "Kiềm", "Chòi", "Lở", "Phủ", "Chiêu",
             "Tòng", "Vần", "Sinh"],
            ["Mẩy", "Xuân", "Chang", "Mùi", "Hoa", "Sinh", "Lai", "Dền", "Nái", "Phấy"]),
    "Hà Nhì": (["Lỳ", "Pờ", "Chu", "Sừ", "Lò", "Vàng", "Phu", "Lý"],
               ["A", "Xá", "Gạ", "Hù", "Phì", "Chừ"], ["Mé", "Thị", "Lù", "Xè"],
               ["Dờ", "Sờ", "Chừ", "Chà", "Gió", "Xè", "Phù", "Khừ", "Mà", "Hù", "Giờ", "Pá"],
               ["Mé", "Dờ", "Xè", "Gió", "Chừ", "Mỳ", "Sú", "Xá", "Chà", "Pà"]),
    "Lào": (["Lò", "Vì", "Cầm", "Lường", "Lý", "Kẹo"], ["Văn"], ["Thị"],
            ["Bun", "Khăm", "Phăn", "Xiêng", "Thoong", "Ún", "Phết", "Sổm", "Kham", "Chăn"],
            ["Bua", "Xuân", "Ón", "Phăn", "Khăm", "Ọt", "Ngân", "Pọm"]),
    "Lự": (["Lò", "Tao", "Chẻo", "Lường", "Vàng"], ["Văn"], ["Thị"],
           ["Bun", "Khăm", "Xiêng", "Phăn", "Ún", "Sổm", "Chăn"],
           ["Bua", "Xuân", "Ón", "Khăm", "Pọm"]),
    "Si La": (["Hờ", "Lỳ", "Pờ", "Vàng", "Lý"], ["A", "Văn"], ["Thị"],
              ["Di", "Xá", "Hừ", "Chừ", "Dờ", "Kỳ", "Phù"], ["Chai", "Mé", "Xè", "Dờ", "Phà"]),
    "Cống": (["Lò", "Chu", "Pạc", "Hoàng", "Chang", "Lý"], ["Văn"], ["Thị"],
             ["Khổ", "Xạ", "Tính", "Xuân", "Chinh", "Toàn", "Dương", "Pọ"],
             ["Xuân", "Hoa", "Khi", "Mai", "Pọ"]),
    "Phù Lá": (["Sùng", "Vàng", "Lý", "Ma", "Hù", "Thào"], ["A", "Văn"], ["Thị"],
               ["Chá", "Sử", "Dìn", "Chư", "Lử", "Sình", "Pao"], ["Mai", "Dì", "Sa", "Pà", "Lan"]),
    "Giáy": (["Vàng", "Lò", "Hoàng", "Sần", "Lù", "Giàng"], ["Văn"], ["Thị"],
             ["Sình", "Sáng", "Chăn", "Phìn", "Dín", "Thào"], ["Mai", "Sen", "Lan", "Dung", "Liên"]),
}
for _group, _family in [("Kháng", ["Lò", "Quàng", "Lường", "Lù", "Cà", "Tòng"]),
                        ("Xinh Mun", ["Lò", "Vì", "Lường", "Quàng", "Lù", "Cầm"])]:
    NAMES[_group] = (_family, ["Văn"], ["Thị"], NAMES["Thái"][3], NAMES["Thái"][4])
for _group, _family, _mid_m, _mid_f in [
        ("Hoa", ["Hoàng", "Trần", "Lương", "Lý", "Diệp", "Châu", "Tạ"], ["Văn", "Minh", "Quốc"],
         ["Thị", "Mỹ"]),
        ("Tày", ["Hoàng", "Nông", "Lương", "Ma", "Hà", "Triệu", "Lục", "Bế"], ["Văn"], ["Thị"]),
        ("Nùng", ["Nông", "Hoàng", "Vi", "Lục", "Mã", "Chu", "Lăng"], ["Văn"], ["Thị"]),
        ("Mường", ["Bùi", "Đinh", "Quách", "Hà", "Xa", "Trương"], ["Văn"], ["Thị"]),
        ("Sán Chay", ["Hoàng", "Lục", "Trần", "Lâm", "Đặng", "Nịnh"], ["Văn"], ["Thị"])]:
    NAMES[_group] = (_family, _mid_m, _mid_f, NAMES["Kinh"][3], NAMES["Kinh"][4])


def full_name(rng, ethnicity, gender):
    family, mid_m, mid_f, given_m, given_f = NAMES[ethnicity]
    if gender == "male":
        return "%s %s %s" % (rng.choice(family), rng.choice(mid_m), rng.choice(given_m))
    return "%s %s %s" % (rng.choice(family), rng.choice(mid_f), rng.choice(given_f))


class Member:
    __slots__ = ("id", "admitted", "commune_level", "birth", "official", "ended", "reason",
                 "gender", "ethnicity", "name", "segments", "anchor", "slot")

    def __init__(self, admitted, commune_level):
        self.admitted, self.commune_level = admitted, commune_level
        self.segments = []       # [(start, residence, inst or None)], in date order
        self.anchor = False
        self.slot = 0            # which cell of a multi-cell institution


def admission_slots(rng):
    """Members as admission dates with their level; exact in the article's windows."""
    slots = []

    def year_slots(first, last, n, share):
        for _ in range(n):
            slots.append(Member(rand_date(rng, first, last), rng.random() < share))

    for decade, per_year in ADMISSIONS_BY_DECADE.items():
        for y in range(decade, decade + 10):
            year_slots(D(y, 1, 1), D(y, 12, 31), per_year, COMMUNE_SHARE_OTHER_YEARS)
    for y in range(2010, 2016):
        year_slots(D(y, 1, 1), D(y, 12, 31), ADMISSIONS_2010_2015, COMMUNE_SHARE_OTHER_YEARS)
    for first, last, total, commune in ADMISSION_WINDOWS:
        levels = [True] * commune + [False] * (total - commune)
        rng.shuffle(levels)
        for lv in levels:
            slots.append(Member(rand_date(rng, first, last), lv))
    year_slots(ARTICLE_DAY + ONE_DAY, D(2018, 12, 31), ADMISSIONS_REST_OF_2018,
               COMMUNE_SHARE_OTHER_YEARS)
    for y, n in ADMISSIONS_2019_2025.items():
        year_slots(D(y, 1, 1), D(y, 12, 31), n, COMMUNE_SHARE_OTHER_YEARS)
    year_slots(D(2026, 1, 1), REGISTRY_DATE - ONE_DAY, ADMISSIONS_2026,
               COMMUNE_SHARE_OTHER_YEARS)
    assert sum(ARTICLE_DAY >= m.admitted >= START_OF_TERM for m in slots) == ADMISSIONS_2016_2018
    assert sum(ARTICLE_DAY >= m.admitted >= START_OF_TERM and m.commune_level
               for m in slots) == COMMUNE_ADMISSIONS_2016_2018
    return slots


def age_on(birth, d):
    return d.year - birth.year - ((d.month, d.day) < (birth.month, birth.day))


def draw_lifetime(rng, m):
    """Birth date (18-60 at admission), official date (Điều lệ Đảng, Điều 5: 12 months
    of probation), and the end of membership, if any, before REGISTRY_DATE."""
    age = min(60, 18 + int(rng.gammavariate(2.2, 4.5)))
    m.birth = add_years(m.admitted, -age) - dt.timedelta(days=rng.randint(1, 360))
    assert 18 <= age_on(m.birth, m.admitted) <= 60
    official = add_years(m.admitted, 1) + dt.timedelta(days=rng.randint(0, 45))
    m.ended = m.reason = None
    if rng.random() < 0.006:                       # not recognised: removed (xóa tên)
        m.ended, m.reason = official, "removed"
    k = 0
    while m.ended is None:
        start = add_years(m.admitted, k)
        if start >= REGISTRY_DATE:
            break
        a = age_on(m.birth, start)
        hazards = [("died", max(0.0006, 0.0004 * math.exp(0.1 * (a - 30)))),
                   ("transferred_out", 0.004 if a < 55 else 0.001),
                   ("left", 0.0003), ("removed", 0.0007), ("expelled", 0.0002)]
        x = rng.random()
        for reason, h in hazards:
            if x < h:
                m.ended = start + dt.timedelta(days=rng.randint(1, 364))
                m.reason = reason
                break
            x -= h
        k += 1
    if m.ended is not None and m.ended >= REGISTRY_DATE:
        m.ended = m.reason = None
    m.official = official if official < REGISTRY_DATE and \
        (m.ended is None or official < m.ended) else None


class Placement:
    """Choosing villages and institutions for members, by date."""

    ROLE_COMMUNE = [("village", 0.70), ("school", 0.17), ("health", 0.03),
                    ("commune_agency", 0.10)]
    ROLE_OTHER = [("district_civil", 0.30), ("district_military", 0.06),
                  ("district_police", 0.06), ("thpt", 0.08), ("prov_agency", 0.14),
                  ("prov_enterprise", 0.04), ("prov_military", 0.10), ("prov_border", 0.14),
                  ("prov_police", 0.08)]

    def __init__(self, rng, admin, villages, timeline, insts):
        self.rng, self.admin, self.timeline = rng, admin, timeline
        self.village = {v.code: v for v in villages}
        self.eras = {}
        for era, t in (("2018", D(2018, 1, 1)), ("2020", D(2021, 1, 1)), ("2025", D(2026, 1, 1))):
            per = {}
            for v in villages:
                per.setdefault(timeline.commune(v.code, t), []).append(v)
            communes = sorted(per)
            self.eras[era] = (communes, [sum(v.population for v in per[c]) for c in communes],
                              per)
        self.by_category = {}
        for i in insts:
            self.by_category.setdefault(i.category, []).append(i)

    @staticmethod
    def era(t):
        return "2025" if t >= REFORM_2025 else "2020" if t >= MERGE_2020 else "2018"

    def village_in(self, commune, t):
        """A village of commune at t where members may live at t, by population."""
        vs = self.eras[self.era(t)][2][commune]
        for _ in range(50):
            v = weighted_choice(self.rng, vs, [x.population for x in vs])
            if v.first_resident <= t:
                return v.code
        ok = [x for x in vs if x.first_resident <= t]
        return ok[0].code

    def any_village(self, t):
        communes, weights, _ = self.eras[self.era(t)]
        return self.village_in(weighted_choice(self.rng, communes, weights), t)

    def institutions(self, category, t, need_cell):
        out = []
        for i in self.by_category.get(category, []):
            if i.start <= t < i.end and \
                    (not need_cell or i.cells and i.cell_start <= t < i.cell_end):
                if need_cell and category == "thpt" and t >= REFORM_2025:
                    continue
                out.append(i)
        return out

    def place(self, m, t):
        """(residence, inst or None) for a member joining at t, of the required level."""
        roles = self.ROLE_COMMUNE if m.commune_level else self.ROLE_OTHER
        avail = [(r, w) for r, w in roles
                 if r == "village" or self.institutions(r, t, not m.commune_level)]
        role = weighted_choice(self.rng, [r for r, _ in avail], [w for _, w in avail])
        if role == "village":
            return self.any_village(t), None
        inst = self.rng.choice(self.institutions(role, t, not m.commune_level))
        return self.village_in(self.timeline.commune(inst.village, t), t), inst

    def move(self, res, t, same_commune):
        """Another village for someone living in res who moves at t."""
        c = self.timeline.commune(res, t)
        if not same_commune:
            d = self.timeline.district(res, t)
            communes = [x for x in self.eras[self.era(t)][0]
                        if d is None or self.timeline.admin.district_of(x, t) == d]
            c = self.rng.choice(communes)
        return self.village_in(c, t)


def choose_anchors(rng, members, villages):
    """One member for every village that has members on 2016-01-01 (living there,
    active through the article's day), and the first members of the villages that
    stop being white: this is what makes the white-village counts exact."""
    pool = [m for m in members if m.commune_level and m.admitted < START_OF_TERM
            and (m.ended is None or m.ended > ARTICLE_DAY)]
    rng.shuffle(pool)
    inhabited = [v for v in villages if v.cls not in ("white", "white_gained")]
    assert len(inhabited) == N_VILLAGES - WHITE_2016
    for v, m in zip(inhabited, pool):
        m.anchor = True
        m.segments = [(m.admitted, v.code, None)]
    gained = [v for v in villages if v.cls == "white_gained"]
    pool = [m for m in members if m.commune_level and START_OF_TERM < m.admitted <= ARTICLE_DAY
            and (m.ended is None or m.ended > ARTICLE_DAY)]
    rng.shuffle(pool)
    for v, m in zip(gained, pool):
        m.anchor = True
        m.segments = [(m.admitted, v.code, None)]
        v.first_resident = m.admitted
    later = [v for v in villages if v.cls == "white"][:WHITE_2018_LATER_SETTLED]
    pool = [m for m in members if m.commune_level and D(2018, 7, 1) <= m.admitted < D(2024, 7, 1)]
    rng.shuffle(pool)
    for v, m in zip(later, pool):
        m.anchor = True
        m.segments = [(m.admitted, v.code, None)]
        v.first_resident = m.admitted
    for v in villages:
        if v.cls == "white" and v.first_resident == SINCE_ALWAYS:
            v.first_resident = STILL_HOLDS


def place_members(rng, members, placement):
    """Residence and institution over time for every non-anchor member: where they
    join, an occasional move or transfer, and forced moves when an institution closes."""
    for m in members:
        end = min(m.ended or REGISTRY_DATE, REGISTRY_DATE)
        m.slot = rng.randrange(1 << 16)
        if not m.anchor:
            res, inst = placement.place(m, m.admitted)
            m.segments = [(m.admitted, res, inst)]
            first, last = add_years(m.admitted, 2), add_years(end, -1)
            if first < last and rng.random() < 0.22:
                t = rand_date(rng, first, last)
                if inst is not None and rng.random() < 0.6:
                    same = [i for i in placement.by_category[inst.category]
                            if i.start <= t and add_years(t, 1) < i.end and i is not inst]
                    if same:
                        new = rng.choice(same)
                        c = placement.timeline.commune(new.village, t)
                        m.segments.append((t, placement.village_in(c, t), new))
                elif inst is not None:
                    m.segments.append((t, res, None))       # left the job, stays home
                else:
                    m.segments.append((t, placement.move(res, t, rng.random() < 0.5), None))
        # forced moves: an institution that closes hands its people to a successor
        i = 0
        while i < len(m.segments):
            _, res, inst = m.segments[i]
            seg_end = m.segments[i + 1][0] if i + 1 < len(m.segments) else end
            if inst is not None and inst.end < seg_end:
                succ = inst.successor(res, inst.end) if inst.successor else None
                m.segments.insert(i + 1, (inst.end, res, succ))
            i += 1


def member_periods(m, homes_v, homes_i):
    """The rows of member_periods.csv for m: org and residence, merged."""
    end = m.ended or STILL_HOLDS
    rows = []
    for k, (start, res, inst) in enumerate(m.segments):
        seg_end = m.segments[k + 1][0] if k + 1 < len(m.segments) else end
        if start >= seg_end:
            continue
        parts = []
        if inst is not None:
            k = m.slot % max(1, len(inst.cells))
            for s, e, cell in clip(homes_i[inst.code, k], start, seg_end):
                if cell:
                    parts.append((s, e, cell))
                else:
                    parts.extend(clip(homes_v[res], s, e))
        else:
            parts = clip(homes_v[res], start, seg_end)
        for s, e, org in parts:
            if rows and rows[-1][2] == org and rows[-1][3] == res and rows[-1][1] == s:
                rows[-1][1] = e
            else:
                rows.append([s, e, org, res])
    return rows


def describe_members(rng, members, admin, timeline):
    """Ethnicity, gender and name, from where the member lives and works."""
    for m in members:
        _, res, inst = m.segments[0]
        d = timeline.district(res, D(2018, 1, 1))
        kind18 = admin.c18[timeline.c18[res]]["kind"]
        mix = dict(ETHNIC_MIX[d])
        if inst is not None and inst.tier == "province":
            mix = dict(PROVINCIAL_MIX)
        elif kind18 != "xã":
            mix["Kinh"] = mix.get("Kinh", 0) * 2.5
        groups = sorted(mix)
        m.ethnicity = weighted_choice(rng, groups, [mix[g] for g in groups])
        f = FEMALE_SHARE[m.ethnicity]
        if inst is not None and inst.category in ("school", "health"):
            f = min(0.8, f * 1.9)
        elif inst is not None and inst.kind == "armed_forces":
            f = 0.06
        m.gender = "female" if rng.random() < f else "male"
        m.name = full_name(rng, m.ethnicity, m.gender)


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


def write_csv(out_dir, name, header, rows):
    path = os.path.join(out_dir, name)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    return len(rows)


def unit_rows(admin, villages, timeline, border, difficult):
    rows = []
    pop_by = {}      # (commune, era start) -> population
    for era_start in (SINCE_ALWAYS, MERGE_2020, REFORM_2025):
        t = era_start if era_start != SINCE_ALWAYS else D(2018, 1, 1)
        for v in villages:
            key = (timeline.commune(v.code, t), era_start)
            pop_by[key] = pop_by.get(key, 0) + v.population
    p = admin.province
    rows.append([p["code"], p["name"], "province", p["kind"], "", "", "", 0, 0,
                 sum(v.population for v in villages)])
    for d, r in sorted(admin.districts.items()):
        rows.append([d, r["name"], "district", r["kind"], PROVINCE, "", iso(REFORM_2025), 0, 0,
                     ""])
    by_c25 = {}
    for v in villages:
        by_c25.setdefault(timeline.c25[v.code], set()).add(v.c18)
    for c in sorted(set(admin.c18) | set(admin.c25)):
        cuts = [SINCE_ALWAYS] + [x for x in (MERGE_2020, REFORM_2025)
                                 if x < admin.commune_end(c)] + [admin.commune_end(c)]
        out = []
        for a, b in zip(cuts, cuts[1:]):
            name, kind, parent, _ = admin.row(c, a)
            if a >= REFORM_2025:
                parts = sorted(by_c25[c])
                bflag = int(any(border[x] for x in parts))
                dflag = int(2 * sum(difficult[x] for x in parts) > len(parts))
            else:
                parts = [c] + [o for o, n in MERGED_INTO_2020.items() if n == c and a >= MERGE_2020]
                bflag = int(any(border[x] for x in parts))
                dflag = int(difficult[c])
            values = [name, "commune", kind, parent, bflag, dflag, pop_by.get((c, a), 0)]
            if out and out[-1][0] == values:
                out[-1][2] = b
            else:
                out.append([values, a, b])
        for values, a, b in out:
            name, level, kind, parent, bflag, dflag, pop = values
            rows.append([c, name, level, kind, parent, iso(a), iso(b), bflag, dflag, pop])
    for v in villages:
        out = []
        for a, b in ((SINCE_ALWAYS, MERGE_2020), (MERGE_2020, REFORM_2025),
                     (REFORM_2025, STILL_HOLDS)):
            parent = timeline.commune(v.code, a if a != SINCE_ALWAYS else D(2018, 1, 1))
            if out and out[-1][0] == parent:
                out[-1][2] = b
            else:
                out.append([parent, a, b])
        for parent, a, b in out:
            rows.append([v.code, v.name, "village", v.kind, parent, iso(a), iso(b), 0,
                         v.difficult, v.population])
    return rows


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=OUT_DIR, help="output folder (default %(default)s)")
    args = ap.parse_args(argv)
    rng = random.Random(SEED)

    ethnic_codes = {ETHNIC_COMMON_NAME.get(r["name"], r["name"]): r["code"]
                    for r in read_reference("ethnic_groups.csv")}
    assert len(ETHNIC_MIX.keys()) == N_DISTRICTS
    used = sorted({g for mix in list(ETHNIC_MIX.values()) + [PROVINCIAL_MIX] for g in mix})
    assert len(used) == N_ETHNIC_GROUPS and all(g in ethnic_codes for g in used), used
    assert set(used) == set(NAMES) == set(FEMALE_SHARE)

    admin = Admin()
    border, difficult = assign_commune_flags(admin)
    villages = build_villages(rng, admin)
    assign_village_flags(rng, villages, difficult)
    by_commune = assign_village_story(rng, admin, villages, border, difficult)
    timeline = VillageTimeline(admin, villages)
    insts, _ = build_institutions(rng, admin, by_commune, timeline)
    assign_institution_cells(rng, insts)

    members = admission_slots(rng)
    members.sort(key=lambda m: m.admitted)
    for m in members:
        draw_lifetime(rng, m)
    choose_anchors(rng, members, villages)
    add_later_village_cells(rng, villages)
    placement = Placement(rng, admin, villages, timeline, insts)
    place_members(rng, members, placement)
    describe_members(rng, members, admin, timeline)

    orgs = build_orgs(admin, villages, timeline, insts)
    homes_v = {v.code: village_home(v, timeline) for v in villages}
    homes_i = {(i.code, k): inst_home(i, k) for i in insts for k in range(max(1, len(i.cells)))}

    os.makedirs(args.out, exist_ok=True)
    n_units = write_csv(args.out, "units.csv",
                        ["code", "name", "level", "kind", "parent_code", "valid_from",
                         "valid_to", "border", "difficult", "population"],
                        unit_rows(admin, villages, timeline, border, difficult))
    n_insts = write_csv(args.out, "institutions.csv",
                        ["code", "name", "kind", "unit_code", "valid_from", "valid_to"],
                        [[i.code, i.name, i.kind, i.village, iso(i.start), iso(i.end)]
                         for i in insts])
    org_rows = []
    for o in orgs:
        for (name, grassroots, parent, su, si), a, b in o.rows():
            org_rows.append([o.code, name, o.kind, grassroots, parent, su, si, iso(a), iso(b)])
    n_orgs = write_csv(args.out, "orgs.csv",
                       ["code", "name", "kind", "grassroots", "parent_code", "site_unit",
                        "site_institution", "valid_from", "valid_to"], org_rows)
    member_rows, period_rows = [], []
    for n, m in enumerate(members, start=1):
        mid = "DV%06d" % n
        member_rows.append([mid, m.name, m.gender, iso(m.birth), m.ethnicity, iso(m.admitted),
                            iso(m.official), iso(m.ended), m.reason or ""])
        for s, e, org, res in member_periods(m, homes_v, homes_i):
            period_rows.append([mid, iso(s), iso(e), org, res])
    n_members = write_csv(args.out, "members.csv",
                          ["id", "full_name", "gender", "birth_date", "ethnicity",
                           "admitted_on", "official_on", "ended_on", "end_reason"], member_rows)
    n_periods = write_csv(args.out, "member_periods.csv",
                          ["member_id", "valid_from", "valid_to", "org_code", "residence_code"],
                          period_rows)
    print("wrote %s: units %d, institutions %d, orgs %d, members %d, member_periods %d rows"
          % (args.out, n_units, n_insts, n_orgs, n_members, n_periods))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
