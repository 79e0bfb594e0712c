#!/usr/bin/env python3
"""gen_national.py: a synthetic national registry in coso's interchange format.

    bench/gen_national.py --scale S --seed N --out DIR [--reference DIR] [--jobs J]

Writes DIR/units.csv, institutions.csv, orgs.csv, members.csv and
member_periods.csv (docs/FORMAT.md). Python 3 standard library only.
Deterministic: the same --scale, --seed and reference data give
byte-identical files, whatever --jobs is.

What it builds (scale 1.0):

- the real provinces, districts and communes of vn_admin_units_2024.csv
  (63 / 696 / 10,035), valid since always; 100,000 synthetic villages
  (code <commune>-<nn>), about 10 per commune;
- the reform of 2025-07-01: every district ends; a commune of the 2025 list
  continues its old code (new row: new name, parent = new province) or starts
  on 2025-07-01; an old commune that does not continue ends; each village gets
  a new row under its new commune (the official conversion table, a split
  commune's villages dealt out in blocks to its targets); provinces not in the
  2025 list end, the others get a new row when renamed;
- party organizations: a committee per province (top, no parent), district
  and commune (grassroots); a cell per village (most since always, some
  founded 2005-2025, a few dissolved into the commune's anchor cell); schools,
  health stations, agencies, enterprises and armed forces units standing in a
  village, most with a grassroots organization (enterprises: a committee with
  cells); at the reform cells and institution organizations are re-parented to
  the committee of their village's new commune;
- about 5.5 million members (55 per village): admissions 1960-2025, official
  about 12 months later, ends (died, expelled, removed, left,
  transferred_out), transfers inside the commune and to other communes,
  changes of residence, moves forced by a cell's founding or dissolution.

At scale S < 1 each province keeps max(1, round(S * n)) of its n communes
(a seeded sample), with their districts; the tree stays consistent. Village
and member counts per commune do not depend on the scale.

Members are generated commune by commune from a generator seeded by
(seed, commune), streamed to the files; with --jobs > 1 ranges of communes are
written by worker processes to part files that are then concatenated in order.
"""

import argparse
import bisect
import datetime
import multiprocessing
import os
import random
import shutil
import sys
import tempfile
import time

# ---- dates -------------------------------------------------------------------
# A date is an int: days since 1900-01-01. NEG / POS are the open ends.

BASE = datetime.date(1900, 1, 1).toordinal()
NDAYS = datetime.date(2040, 1, 1).toordinal() - BASE
NEG = -10 ** 7
POS = 10 ** 7
DS = [datetime.date.fromordinal(BASE + i).isoformat() for i in range(NDAYS)]


def day(y, m, d):
    return datetime.date(y, m, d).toordinal() - BASE


def ds(x):
    return "" if x == NEG or x == POS else DS[x]


YEAR_START = {y: day(y, 1, 1) for y in range(1900, 2040)}
# the same day one year later (29 Feb -> 1 Mar)
PLUS1Y = []
for _i in range(NDAYS):
    _d = datetime.date.fromordinal(BASE + _i)
    try:
        _n = _d.replace(year=_d.year + 1)
    except ValueError:
        _n = datetime.date(_d.year + 1, 3, 1)
    PLUS1Y.append(min(_n.toordinal() - BASE, NDAYS - 1))
del _i, _d, _n

HIST = day(2005, 1, 1)          # the registry's history starts
REFORM = day(2025, 7, 1)        # districts end, new communes and provinces
HORIZON = day(2026, 1, 1)       # nothing happens on or after this day
MEMBERS_PER_VILLAGE = 55
VILLAGES_TOTAL = 100000

# ---- reference data ----------------------------------------------------------


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        lines = f.read().split("\n")
    header = lines[0].rstrip("\r").split(",")
    rows = []
    for line in lines[1:]:
        line = line.rstrip("\r")
        if not line:
            continue
        # the reference files are plain: no quoted fields (checked below)
        if '"' in line:
            import csv
            rows.extend(csv.DictReader([lines[0], line]))
            continue
        rows.append(dict(zip(header, line.split(","))))
    return rows


def default_reference():
    here = os.path.dirname(os.path.abspath(__file__))
    for d in (os.path.join(here, "..", "data", "reference"), "/work/shared/data"):
        if os.path.exists(os.path.join(d, "vn_admin_units_2024.csv")):
            return os.path.normpath(d)
    return os.path.normpath(os.path.join(here, "..", "data", "reference"))


def csvq(s):
    if any(c in s for c in ',"\n\r'):
        return '"' + s.replace('"', '""') + '"'
    return s


# ---- naming tables -----------------------------------------------------------

KINH_SUR = [("Nguyễn", 380), ("Trần", 110), ("Lê", 95), ("Phạm", 70), ("Hoàng", 50), ("Huỳnh", 20),
            ("Phan", 45), ("Vũ", 39), ("Võ", 20), ("Đặng", 21), ("Bùi", 20), ("Đỗ", 14), ("Hồ", 13),
            ("Ngô", 13), ("Dương", 10), ("Lý", 5), ("Đinh", 6), ("Trịnh", 5), ("Đào", 5), ("Mai", 4),
            ("Cao", 4), ("Lương", 3), ("Tạ", 2), ("Chu", 2), ("Hà", 4), ("Lâm", 3), ("Trương", 5)]
MID_M = [("Văn", 45), ("Đức", 8), ("Minh", 8), ("Hữu", 6), ("Quang", 6), ("Thanh", 5), ("Xuân", 4),
         ("Ngọc", 4), ("Công", 4), ("Đình", 5), ("Anh", 3), ("Tuấn", 2), ("Mạnh", 2), ("Trọng", 2)]
MID_F = [("Thị", 55), ("Thu", 6), ("Ngọc", 6), ("Thanh", 5), ("Minh", 4), ("Hồng", 5), ("Kim", 4),
         ("Phương", 3), ("Hải", 2), ("Mai", 3), ("Diệu", 2), ("Bích", 3), ("Thúy", 2)]
GIV_M = "Hùng Dũng Tuấn Nam Hải Long Sơn Thắng Bình Cường Hưng Phong Quân Trung Hiếu Đức Tâm Thành Toàn Vinh Khánh Hoàng Lâm Hòa Tú Việt Kiên Phúc Huy Minh An Thịnh Quyết Hậu Lợi Tùng Đạt Duy Khoa Lực".split()
GIV_F = "Lan Hương Hoa Mai Linh Hà Trang Thảo Nga Hằng Huyền Yến Ngọc Nhung Phương Thủy Dung Hạnh Vân Loan Liên Oanh Trinh Hiền Tâm Anh Chi Diệp Giang My Nhàn Quỳnh Thơm Lệ".split()

# (surnames, male middles, female middles, male given, female given) by ethnic group
NAMES = {
    "Thái": ("Lò Lường Quàng Cầm Điêu Tòng Vì Lù Hoàng Lê".split(), ["Văn"], ["Thị"],
             "Inh Ún Pọm Panh Xiêng Chăn Ọn Phăn Sơn Thanh Xuân Phong Bun Khăm".split(),
             "Ín Ỏm Ọn Xuân Thoa Hom Pết Phương Lả Ính Bích Nhung".split()),
    "Hmông": ("Giàng Sùng Vàng Mùa Lầu Thào Hờ Lý Hạng Vừ Mua Ly".split(), ["A", "Seo", "Chứ", "Mí"],
              ["Thị", "Mí"], "Páo Dình Chứ Sình Của Lử Tráng Pó Chía Súa Dế Pổng".split(),
              "Mỷ Dế Chu Sua Mai Mua Pà Dợ Ly Xá Sú".split()),
    "Tày": ("Hoàng Nông Lục Bế Ma Hà Lưu Triệu Lương Vi Đàm Nguyễn".split(), ["Văn"], ["Thị"], GIV_M, GIV_F),
    "Nùng": ("Hoàng Nông Lục Lăng Vi Mã Lộc Chu Hứa Nguyễn".split(), ["Văn"], ["Thị"], GIV_M, GIV_F),
    "Dao": ("Triệu Bàn Đặng Lý Phùng Chảo Tẩn".split(), ["Văn", "Tòn", "Tả"], ["Thị", "Mùi"],
            "Phin Sành Lở Kiều Chàn Quẩy Vảng Siểu Tá".split(), "Mẩy Phây Nái Mai Chiêm Quyên".split()),
    "Mường": ("Bùi Đinh Quách Hà Xa Bạch".split(), ["Văn", "Công"], ["Thị"], GIV_M, GIV_F),
    "Khơ-me": ("Thạch Sơn Danh Kim Lâm Chau Lý".split(), [""], ["Thị"],
               "Sô Phol|Sa Rươl|Chanh Đa|Sóc|Ny|Phên|Sa Rinh|Ết".split("|"),
               "Sa Ri|Sô Phia|Chanh Thu|Mây|Sa Vươn|Kim Ngọc".split("|")),
}
HIGHLAND = ("Niê Mlô Êban Ksor Siu Nay Kpă Byă Ayun Rơ Châm Đinh".split(),
            "Bhim Kuăc Jốk Ngân Lim Blin Juin Thông Hoan".split(),
            "Nga Bia Ngân Luôn Mai Phi Dim".split())
for _g in ("Gia-rai", "Ê-đê", "Ba-na", "Xơ-đăng", "Mnông", "Cơ-ho", "Ra-glai", "Xtiêng"):
    NAMES[_g] = "highland"

# ethnic mix by (2024) province; the rest get DEFAULT_ETH
ETH = {
    "02": "Hmông 32 Tày 23 Dao 15 Kinh 13 Nùng 10 Giáy 2 La_Chí 2 Lô_Lô 1 Pu_Péo 1 Bố_Y 1",
    "04": "Tày 41 Nùng 32 Hmông 10 Dao 10 Kinh 6 Sán_Chay 1",
    "06": "Tày 52 Kinh 12 Dao 17 Nùng 10 Hmông 7",
    "08": "Kinh 45 Tày 25 Dao 11 Sán_Chay 8 Hmông 2 Nùng 2",
    "10": "Kinh 35 Hmông 25 Tày 15 Dao 14 Giáy 5 Nùng 4 Hà_Nhì 2",
    "11": "Thái 38 Hmông 35 Kinh 19 Khơ-mú 3 Dao 1 Hà_Nhì 1 Lào 1 Cống 1 Si_La 1",
    "12": "Hmông 34 Thái 32 Kinh 15 Dao 13 Hà_Nhì 4 Giáy 1 Lự 1",
    "14": "Thái 54 Kinh 17 Hmông 16 Mường 8 Dao 2 Khơ-mú 1 Xinh-mun 1 La_Ha 1",
    "15": "Kinh 49 Tày 19 Dao 11 Hmông 11 Thái 7 Mường 3",
    "17": "Mường 63 Kinh 28 Thái 4 Dao 2 Tày 3",
    "19": "Kinh 72 Tày 11 Nùng 6 Sán_Dìu 4 Dao 2 Sán_Chay 2 Hmông 1",
    "20": "Nùng 43 Tày 35 Kinh 16 Dao 4 Hoa 1 Sán_Chay 1",
    "22": "Kinh 88 Tày 4 Dao 4 Sán_Dìu 2 Sán_Chay 1 Hoa 1",
    "24": "Kinh 88 Nùng 5 Tày 3 Sán_Chay 2 Sán_Dìu 1 Hoa 1",
    "25": "Kinh 85 Mường 14 Dao 1",
    "38": "Kinh 84 Mường 9 Thái 6 Thổ 1",
    "40": "Kinh 86 Thái 10 Khơ-mú 2 Hmông 1 Ơ_Đu 1",
    "44": "Kinh 98 Bru-Vân_Kiều 1 Chứt 1",
    "45": "Kinh 88 Bru-Vân_Kiều 9 Ta-ôi 3",
    "46": "Kinh 96 Ta-ôi 2 Cơ-tu 2",
    "49": "Kinh 92 Cơ-tu 4 Xơ-đăng 2 Gié-Triêng 2",
    "51": "Kinh 86 Hrê 10 Co 2 Xơ-đăng 2",
    "58": "Kinh 76 Chăm 12 Ra-glai 12",
    "60": "Kinh 93 Chăm 3 Ra-glai 2 Hoa 2",
    "62": "Kinh 46 Xơ-đăng 24 Ba-na 12 Gié-Triêng 6 Gia-rai 4 Brâu 4 Rơ-măm 4",
    "64": "Kinh 52 Gia-rai 30 Ba-na 13 Xơ-đăng 5",
    "66": "Kinh 65 Ê-đê 17 Nùng 4 Tày 3 Mnông 2 Gia-rai 3 Hmông 3 Dao 3",
    "67": "Kinh 68 Mnông 10 Nùng 7 Tày 5 Hmông 5 Ê-đê 3 Dao 2",
    "68": "Kinh 76 Cơ-ho 13 Mạ 3 Chu-ru 2 Nùng 3 Tày 3",
    "70": "Kinh 80 Xtiêng 9 Nùng 3 Tày 2 Khơ-me 3 Mnông 3",
    "79": "Kinh 93 Hoa 6 Khơ-me 1",
    "84": "Kinh 67 Khơ-me 32 Hoa 1",
    "89": "Kinh 90 Khơ-me 5 Chăm 2 Hoa 3",
    "91": "Kinh 85 Khơ-me 12 Hoa 3",
    "94": "Kinh 65 Khơ-me 30 Hoa 5",
    "95": "Kinh 89 Khơ-me 8 Hoa 3",
}
DEFAULT_ETH = "Kinh 98 Hoa 1 Mường 1"

BAN_SYL = "Nà Nậm Huổi Pá Co Phiêng Hua Na Tin Hỳ Lếch Mường Khun Pắc Xôm Cang Ten Ló Púng Sáng Chà Nọong Hin Pom Lót Cọ Nong Kéo Pha Chung".split()
HAN_SYL = "An Phú Lộc Thịnh Đông Tây Nam Bắc Trung Hòa Bình Tân Mỹ Long Thượng Hạ Yên Thái Phúc Xuân Quang Vĩnh Hưng Đại Đình Hương Thọ Khánh".split()
HIGHLAND_SYL = "Ea Kmar Tơ Đăk Kon Plei Buôn Ia Kdrăn Hra Jơ Lang Krông Dơng Mơ".split()
BORDER = set("02 04 10 11 12 14 20 22 38 40 42 44 45 46 49 62 64 66 67 70 72 80 87 89 91".split())
MOUNTAIN = set("02 04 06 08 10 11 12 14 15 17 19 20 25 62 64 66 67 68 70".split())
SOUTH_START = 70

# ---- the structure -------------------------------------------------------------


class Org:
    """A member-bearing organization (a cell or a grassroots cell)."""
    __slots__ = ("code", "f", "t", "succ", "commune", "village", "weight", "stable")

    def __init__(self, code, f, t, commune, village, weight):
        self.code, self.f, self.t = code, f, t
        self.commune, self.village, self.weight = commune, village, weight
        self.succ = None
        self.stable = f == NEG and t == POS


class Commune:
    __slots__ = ("code", "prov", "dist", "kind", "short", "villages", "targets", "vtarget",
                 "orgs", "anchor", "members", "eth", "border", "difficult", "vrows", "pop", "org_specs", "resv")


def parse_mix(s):
    names, weights = [], []
    parts = s.split()
    for i in range(0, len(parts), 2):
        names.append(parts[i].replace("_", " "))
        weights.append(float(parts[i + 1]))
    cum, acc = [], 0.0
    for w in weights:
        acc += w
        cum.append(acc)
    return names, cum


class Builder:
    def __init__(self, args):
        self.scale = args.scale
        self.seed = args.seed
        self.ref = args.reference
        self.load()

    def rng(self, *parts):
        return random.Random("%d|%s" % (self.seed, "|".join(parts)))

    def load(self):
        ref = self.ref
        u24 = read_csv(os.path.join(ref, "vn_admin_units_2024.csv"))
        u25 = read_csv(os.path.join(ref, "vn_admin_units_2025.csv"))
        cmap = read_csv(os.path.join(ref, "vn_commune_mapping_2024_2025.csv"))
        pmap = read_csv(os.path.join(ref, "vn_province_mapping_2024_2025.csv"))
        self.old = {r["code"]: r for r in u24}
        self.new = {r["code"]: r for r in u25}
        self.pmap = {r["old_code"]: r["new_code"] for r in pmap}
        self.cmap = {}
        for r in cmap:
            if r["old_level"] in ("commune", "district") and r["old_code"]:
                self.cmap.setdefault(r["old_code"], [])
                if r["new_code"] not in self.cmap[r["old_code"]]:
                    self.cmap[r["old_code"]].append(r["new_code"])
        self.provinces = sorted(c for c, r in self.old.items() if r["level"] == "province")
        self.districts_of = {}
        self.communes_of = {}
        for c, r in sorted(self.old.items()):
            if r["level"] == "district":
                self.districts_of.setdefault(r["parent_code"], []).append(c)
            elif r["level"] == "commune":
                prov = self.old[r["parent_code"]]["parent_code"]
                self.communes_of.setdefault(prov, []).append(c)

    # -- which communes, how many villages ---------------------------------
    def plan(self):
        allc = sorted(c for c, r in self.old.items() if r["level"] == "commune")
        # villages per commune, apportioned over the whole country so that a
        # commune's count does not depend on the scale
        weights = []
        for c in allc:
            r = self.rng("villages", c)
            k = self.old[c]["kind"]
            base = {"xã": 1.0, "phường": 1.05, "thị trấn": 1.2}.get(k, 1.0)
            weights.append(base * r.lognormvariate(0, 0.45))
        total = sum(weights)
        quota = [w * VILLAGES_TOTAL / total for w in weights]
        counts = [max(3, min(99, int(q))) for q in quota]
        rest = VILLAGES_TOTAL - sum(counts)
        order = sorted(range(len(allc)), key=lambda i: (-(quota[i] - int(quota[i])), allc[i]))
        i = 0
        while rest != 0 and order:
            j = order[i % len(order)]
            if rest > 0 and counts[j] < 99:
                counts[j] += 1
                rest -= 1
            elif rest < 0 and counts[j] > 3:
                counts[j] -= 1
                rest += 1
            i += 1
        self.nvill = dict(zip(allc, counts))
        # the sample
        chosen = []
        for p in self.provinces:
            cs = self.communes_of.get(p, [])
            if self.scale >= 1:
                chosen.extend(cs)
                continue
            k = max(1, int(round(self.scale * len(cs))))
            r = self.rng("sample", p)
            keyed = sorted(cs, key=lambda c: (r.random(), c))
            chosen.extend(keyed[:k])
        self.chosen = sorted(chosen)
        chosen_set = set(self.chosen)
        # districts with no commune at all (islands) are always kept
        has_commune = {self.old[c]["parent_code"] for c, r in self.old.items() if r["level"] == "commune"}
        islands = sorted(d for d, r in self.old.items() if r["level"] == "district" and d not in has_commune)
        self.islands = islands
        self.dists = sorted({self.old[c]["parent_code"] for c in self.chosen} | set(islands))
        self.provs = sorted({self.old[d]["parent_code"] for d in self.dists})
        # the 2025 side
        targets = set()
        for c in self.chosen:
            targets.update(self.cmap[c])
        for d in islands:
            targets.update(self.cmap.get(d, []))
        self.new_communes = sorted(targets)
        self.new_provs = sorted({self.new[t]["parent_code"] for t in targets} |
                                {self.pmap[p] for p in self.provs})
        self.chosen_set = chosen_set

    # -- units, institutions, orgs ------------------------------------------
    def build(self, out):
        self.plan()
        old, new = self.old, self.new
        self.communes = []
        vpop_new = {}
        self.anchors = []
        for c in self.chosen:
            cm = self.make_commune(c)
            self.communes.append(cm)
            for v, t, pop in zip(cm.villages, cm.vtarget, cm.vrows):
                vpop_new[t] = vpop_new.get(t, 0) + pop[1]
        # units.csv
        with open(os.path.join(out, "units.csv"), "w", encoding="utf-8", newline="") as f:
            w = f.write
            w("code,name,level,kind,parent_code,valid_from,valid_to,border,difficult,population\n")

            def unit(code, name, level, kind, parent, vf, vt, border=0, difficult=0, pop=None):
                w("%s,%s,%s,%s,%s,%s,%s,%d,%d,%s\n" % (code, csvq(name), level, csvq(kind), parent, ds(vf), ds(vt),
                                                      border, difficult, "" if pop is None else pop))
            newp = set(self.new_provs)
            for p in sorted(set(self.provs) | newp):
                if p not in self.provs:
                    rows = [(REFORM, POS, new[p])]
                elif p not in newp:
                    rows = [(NEG, REFORM, old[p])]
                elif (new[p]["name"], new[p]["kind"]) == (old[p]["name"], old[p]["kind"]):
                    rows = [(NEG, POS, old[p])]
                else:
                    rows = [(NEG, REFORM, old[p]), (REFORM, POS, new[p])]
                for vf, vt, r in rows:
                    unit(p, r["name"], "province", r["kind"], "", vf, vt)
            for d in self.dists:
                r = old[d]
                unit(d, r["name"], "district", r["kind"], r["parent_code"], NEG, REFORM)
            cm_by = {cm.code: cm for cm in self.communes}
            newc = set(self.new_communes)
            for c in sorted(set(self.chosen) | newc):
                cm = cm_by.get(c)
                if cm is not None:
                    r = old[c]
                    # an old code that is in the 2025 list maps to itself: it continues
                    unit(c, r["name"], "commune", r["kind"], r["parent_code"], NEG, REFORM,
                         cm.border, cm.difficult, cm.pop)
                if c in newc:
                    r = new[c]
                    b = cm.border if cm else 0
                    dd = cm.difficult if cm else 0
                    unit(c, r["name"], "commune", r["kind"], r["parent_code"], REFORM, POS, b, dd,
                         vpop_new.get(c) or None)
            for cm in self.communes:
                for v, t, (name, pop, kind, border, diff) in zip(cm.villages, cm.vtarget, cm.vrows):
                    if t == cm.code:
                        unit(v, name, "village", kind, cm.code, NEG, POS, border, diff, pop)
                    else:
                        unit(v, name, "village", kind, cm.code, NEG, REFORM, border, diff, pop)
                        unit(v, name, "village", kind, t, REFORM, POS, border, diff, pop)
        # orgs.csv and institutions.csv
        fo = open(os.path.join(out, "orgs.csv"), "w", encoding="utf-8", newline="")
        fi = open(os.path.join(out, "institutions.csv"), "w", encoding="utf-8", newline="")
        fo.write("code,name,kind,grassroots,parent_code,site_unit,site_institution,valid_from,valid_to\n")
        fi.write("code,name,kind,unit_code,valid_from,valid_to\n")
        self.norgs = 0
        self.ninst = 0

        def org(code, name, kind, grass, parent, site_u, site_i, vf, vt):
            self.norgs += 1
            fo.write("%s,%s,%s,%d,%s,%s,%s,%s,%s\n" % (code, csvq(name), kind, grass, parent, site_u, site_i,
                                                       ds(vf), ds(vt)))

        def split(code, name, kind, grass, pre_parent, post_parent, site_u, site_i, f, t, post_name=None):
            """Rows of an organization living [f, t), re-parented at the reform."""
            post_name = post_name or name
            if f < REFORM and (t <= REFORM or (pre_parent == post_parent and name == post_name)):
                org(code, name, kind, grass, pre_parent, site_u, site_i, f, t)
            elif f >= REFORM:
                org(code, post_name, kind, grass, post_parent, site_u, site_i, f, t)
            else:
                org(code, name, kind, grass, pre_parent, site_u, site_i, f, REFORM)
                org(code, post_name, kind, grass, post_parent, site_u, site_i, REFORM, t)

        for p in sorted(set(self.provs) | newp):
            if p in self.provs:
                r = old[p]
                if p in newp:
                    split("T" + p, committee_name(r), "committee", 0, "", "", p, "", NEG, POS,
                          committee_name(new[p]))
                else:
                    org("T" + p, committee_name(r), "committee", 0, "", p, "", NEG, REFORM)
            else:
                org("T" + p, committee_name(new[p]), "committee", 0, "", p, "", REFORM, POS)
        for d in self.dists:
            r = old[d]
            org("H" + d, committee_name(r), "committee", 0, "T" + r["parent_code"], d, "", NEG, REFORM)
        for c in sorted(set(self.chosen) | newc):
            if c in self.chosen_set:
                r = old[c]
                if c in newc:
                    split("X" + c, committee_name(r), "committee", 1, "H" + r["parent_code"],
                          "T" + new[c]["parent_code"], c, "", NEG, POS, committee_name(new[c]))
                else:
                    org("X" + c, committee_name(r), "committee", 1, "H" + r["parent_code"], c, "", NEG, REFORM)
            else:
                r = new[c]
                org("X" + c, committee_name(r), "committee", 1, "T" + r["parent_code"], c, "", REFORM, POS)
        for cm in self.communes:
            for kind, args in cm.org_specs:
                if kind == "org":
                    split(*args)
                elif kind == "inst":
                    self.ninst += 1
                    code, name, ikind, unit_code, vf, vt = args
                    fi.write("%s,%s,%s,%s,%s,%s\n" % (code, csvq(name), ikind, unit_code, ds(vf), ds(vt)))
            cm.org_specs = None
        fo.close()
        fi.close()

    def make_commune(self, c):
        old = self.old
        r = old[c]
        rng = self.rng("commune", c)
        cm = Commune()
        cm.code = c
        cm.dist = r["parent_code"]
        cm.prov = old[cm.dist]["parent_code"]
        cm.kind = r["kind"]
        cm.short = r["short_name"]
        n = self.nvill[c]
        p = cm.prov
        pnum = int(p)
        cm.border = 1 if p in BORDER and cm.kind == "xã" and rng.random() < 0.25 else 0
        cm.difficult = 1 if cm.kind == "xã" and rng.random() < (0.35 if p in MOUNTAIN else 0.04) else 0
        cm.villages = ["%s-%02d" % (c, i + 1) for i in range(n)]
        # village names and kinds
        urban = cm.kind != "xã"
        used = set()
        cm.vrows = []
        num = 0
        for i in range(n):
            if urban:
                kind = "tổ dân phố" if pnum < SOUTH_START else ("khóm" if pnum >= 80 and rng.random() < 0.5
                                                                else "khu phố")
            elif pnum >= SOUTH_START and p != "68":
                kind = "ấp"
            elif p in ("02", "10", "11", "12", "14") and rng.random() < 0.6:
                kind = "bản"
            elif p in ("62", "64") and rng.random() < 0.3:
                kind = "làng"
            elif p in ("66", "67") and rng.random() < 0.25:
                kind = "buôn"
            elif p in ("17", "19", "40") and rng.random() < 0.5:
                kind = "xóm"
            else:
                kind = "thôn"
            if kind in ("bản",):
                base = rng.choice(BAN_SYL) + " " + rng.choice(BAN_SYL)
            elif kind in ("làng", "buôn"):
                base = rng.choice(HIGHLAND_SYL) + " " + rng.choice(HIGHLAND_SYL)
            elif kind in ("thôn", "ấp", "xóm") and rng.random() < 0.5:
                base = rng.choice(HAN_SYL) + " " + rng.choice(HAN_SYL)
            else:
                num += 1
                base = str(num)
            name = kind[0].upper() + kind[1:] + " " + base
            k = 1
            while name in used:
                k += 1
                name = kind[0].upper() + kind[1:] + " " + base + " " + str(k)
            used.add(name)
            pop = int(rng.lognormvariate(6.8, 0.45))
            border = 1 if cm.border and rng.random() < 0.5 else 0
            diff = 1 if rng.random() < (0.6 if cm.difficult else 0.05) else 0
            cm.vrows.append((name, pop, kind, border, diff))
        cm.pop = sum(v[1] for v in cm.vrows)
        # reform targets: blocks of villages
        targets = self.cmap[c]
        cm.targets = targets
        k = len(targets)
        cm.vtarget = []
        for i in range(n):
            cm.vtarget.append(targets[min(k - 1, i * k // n)])
        vt = dict(zip(cm.villages, cm.vtarget))
        pre_commune = "X" + c
        dist = "H" + cm.dist
        specs = []
        orgs = []
        # village cells; a few villages have neither a cell nor a member living there
        cm.resv = []
        for i, v in enumerate(cm.villages):
            post_parent = "X" + vt[v]
            vname, pop, vkind = cm.vrows[i][:3]
            if i == 0:
                f, t = NEG, POS
            else:
                x = rng.random()
                if x < 0.015:
                    continue  # "white": no member lives there
                if x < 0.06:
                    cm.resv.append(v)
                    continue  # no cell ever
                if x < 0.21:
                    f = rng.randrange(HIST, HORIZON - 30)
                else:
                    f = NEG
                t = POS
                if f == NEG and rng.random() < 0.04:
                    t = rng.randrange(HIST + 365, HORIZON - 30)
            cm.resv.append(v)
            code = "C" + v
            specs.append(("org", ("C" + v, "Chi bộ " + vname[0].lower() + vname[1:], "cell", 0, pre_commune,
                                  post_parent, v, "", f, t)))
            orgs.append(Org(code, f, t, c, v, rng.uniform(0.7, 1.3)))
        cm.anchor = orgs[0]
        # institutions
        insts = []
        short = cm.short
        ckind = cm.kind

        def add(letter, ikind, name, p_org, weight, can_close, grass_kind="cell", ncells=0):
            insts.append((letter, ikind, name, p_org, weight, can_close, grass_kind, ncells))
        add("M", "school", "Trường Mầm non " + short, 0.75, 0.35, 0.04)
        for j in range(1 if rng.random() < 0.8 else 2):
            add("T", "school", "Trường Tiểu học " + short + (" số %d" % (j + 1) if j else ""), 0.85, 0.45, 0.06)
        add("C", "school", "Trường THCS " + short, 0.9, 0.4, 0.03)
        if rng.random() < 0.25:
            add("P", "school", "Trường THPT " + short, 0.95, 0.5, 0.0)
        add("Y", "health_station", "Trạm Y tế " + ckind + " " + short, 0.7, 0.2, 0.0)
        if rng.random() < 0.2:
            add("A", "agency", rng.choice(["Chi nhánh Ngân hàng Chính sách xã hội ", "Bưu điện văn hóa xã ",
                                           "Quỹ tín dụng nhân dân ", "Hạt Kiểm lâm "]) + short, 1.0, 0.6, 0.03)
        for j in range(2 if rng.random() < 0.12 else (1 if rng.random() < 0.3 else 0)):
            big = rng.random() < 0.35
            add("D", "enterprise", rng.choice(["Công ty TNHH ", "Công ty Cổ phần ", "Hợp tác xã "]) +
                rng.choice(HAN_SYL) + " " + rng.choice(HAN_SYL) + (" " + short if rng.random() < 0.5 else ""),
                0.9, 1.6 if big else 0.5, 0.15, "committee" if big else "cell", rng.randint(2, 4) if big else 0)
        if cm.border or rng.random() < 0.08:
            add("Q", "armed_forces", ("Đồn Biên phòng " if cm.border else "Ban Chỉ huy Quân sự ") + short,
                1.0, 0.7, 0.0)
        counters = {}
        school_stable = []
        for letter, ikind, name, p_org, weight, p_close, gkind, ncells in insts:
            counters[letter] = counters.get(letter, 0) + 1
            icode = "%s-%s%d" % (c, letter, counters[letter])
            vil = cm.villages[rng.randrange(n)]
            f = NEG if rng.random() < 0.9 else rng.randrange(HIST, HORIZON - 60)
            t = POS if rng.random() >= p_close else rng.randrange(max(f, HIST) + 365, HORIZON + 400)
            if t >= HORIZON:
                t = POS
            specs.append(("inst", (icode, name, ikind, vil, f, t)))
            if rng.random() >= p_org:
                continue
            of = f if rng.random() < 0.7 else rng.randrange(max(f, HIST), min(t, HORIZON) - 1)
            if of >= t:
                continue
            post_parent = "X" + vt[vil]
            ocode = "O" + icode
            if gkind == "committee":
                specs.append(("org", (ocode, "Đảng bộ " + name, "committee", 1, dist, post_parent, "", icode, of, t)))
                for j in range(ncells):
                    cc = "%s.%d" % (ocode, j + 1)
                    specs.append(("org", (cc, "Chi bộ " + ["Văn phòng", "Phân xưởng 1", "Phân xưởng 2", "Kỹ thuật",
                                                           "Kinh doanh"][j] + " " + name, "cell", 0, ocode, ocode,
                                          "", icode, of, t)))
                    orgs.append(Org(cc, of, t, c, None, weight / ncells * 2))
            else:
                specs.append(("org", (ocode, "Chi bộ " + name, "cell", 1, dist, post_parent, "", icode, of, t)))
                o = Org(ocode, of, t, c, None, weight)
                orgs.append(o)
                if ikind == "school" and o.stable:
                    school_stable.append(o)
        # successors of organizations that dissolve
        for o in orgs:
            if o.t != POS:
                if o.village is None and school_stable and o.code[-2] in "MTCP":
                    o.succ = school_stable[0]
                else:
                    o.succ = cm.anchor
        cm.org_specs = specs
        cm.orgs = orgs
        cm.members = int(round(MEMBERS_PER_VILLAGE * n * rng.uniform(0.8, 1.2)))
        self.anchors.append(cm.anchor)
        return cm


def committee_name(r):
    kind = r["kind"]
    if kind == "thành phố trực thuộc trung ương":
        kind = "thành phố"
    return "Đảng bộ " + kind + " " + r["short_name"]


# ---- members -------------------------------------------------------------------

OLD_YEARS = list(range(1960, 2005))
_acc = 0.0
OLD_CUM = []
for _y in OLD_YEARS:
    _acc += (_y - 1955) ** 1.3
    OLD_CUM.append(_acc)
REASONS_NEW = ["removed", "transferred_out", "died", "expelled", "left"]
REASONS_NEW_CUM = [0.40, 0.75, 0.88, 0.95, 1.0]


def weighted_names(pairs):
    names = [p[0] for p in pairs]
    cum, acc = [], 0
    for p in pairs:
        acc += p[1]
        cum.append(acc)
    return names, cum


KS, KS_CUM = weighted_names(KINH_SUR)
MM, MM_CUM = weighted_names(MID_M)
MF, MF_CUM = weighted_names(MID_F)


class MemberGen:
    def __init__(self, builder):
        self.b = builder
        self.anchors = builder.anchors
        self.resv = {cm.code: cm.resv for cm in builder.communes}
        self.mixes = {}

    def name(self, rng, eth, male):
        choice = rng.choice
        r = rng.random
        spec = NAMES.get(eth)
        if spec is None:
            i = bisect.bisect(KS_CUM, r() * KS_CUM[-1])
            sur = KS[i]
            if male:
                mid = MM[bisect.bisect(MM_CUM, r() * MM_CUM[-1])]
                giv = choice(GIV_M)
            else:
                mid = MF[bisect.bisect(MF_CUM, r() * MF_CUM[-1])]
                giv = choice(GIV_F)
            return sur + " " + mid + " " + giv
        if spec == "highland":
            if male:
                return "Y " + choice(HIGHLAND[1]) + " " + choice(HIGHLAND[0])
            return "H'" + choice(HIGHLAND[2]) + " " + choice(HIGHLAND[0])
        surs, mm, mf, gm, gf = spec
        mid = choice(mm) if male else choice(mf)
        giv = choice(gm) if male else choice(gf)
        if mid:
            return choice(surs) + " " + mid + " " + giv
        return choice(surs) + " " + giv

    def commune(self, cm, wm, wp):
        """Writes the members of commune cm; returns (members, periods)."""
        b = self.b
        rng = b.rng("members", cm.code)
        r = rng.random
        rr = rng.randrange
        mix = self.mixes.get(cm.prov)
        if mix is None:
            mix = self.mixes[cm.prov] = parse_mix(ETH.get(cm.prov, DEFAULT_ETH))
        eth_names, eth_cum = mix
        eth_total = eth_cum[-1]
        orgs = cm.orgs
        anchors = self.anchors
        villages = cm.resv
        nv = len(villages)
        code = cm.code
        resv = self.resv
        wsum = sum(o.weight for o in orgs)
        nmem = cm.members
        seq = 0
        nper = 0
        mlines = []
        plines = []
        # how many members each organization gets
        alloc = []
        acc = 0.0
        given = 0
        for o in orgs:
            acc += o.weight * nmem / wsum
            k = int(round(acc)) - given
            given += k
            alloc.append(k)
        for o, k in zip(orgs, alloc):
            for _ in range(k):
                seq += 1
                mid = "%s%05d" % (code, seq)
                # admission
                if r() < 0.4:
                    y = OLD_YEARS[bisect.bisect(OLD_CUM, r() * OLD_CUM[-1])]
                    a = YEAR_START[y] + rr(365)
                    oldm = True
                else:
                    a = rr(HIST, HORIZON)
                    y = 0
                    oldm = False
                male = r() < (0.68 if oldm else 0.55)
                age_days = int(rng.triangular(18, 45, 23) * 365.25) + rr(365)
                birth = a - age_days
                eth = eth_names[bisect.bisect(eth_cum, r() * eth_total)]
                # official_on and end
                official = PLUS1Y[a]
                x = r()
                if oldm:
                    age2025 = (HORIZON - birth) / 365.25
                    p_died = min(0.75, max(0.03, (age2025 - 55) / 50.0))
                    if x < p_died:
                        reason = "died"
                    elif x < p_died + 0.03:
                        reason = "transferred_out"
                    elif x < p_died + 0.045:
                        reason = "removed"
                    elif x < p_died + 0.05:
                        reason = "expelled"
                    elif x < p_died + 0.055:
                        reason = "left"
                    else:
                        reason = ""
                    e = rr(max(a + 1, HIST), HORIZON) if reason else POS
                else:
                    x2 = r()
                    if x < 0.015:
                        # not recognised: removed before the end of probation
                        reason = "removed"
                        e = a + 60 + rr(300)
                        if e >= HORIZON:
                            reason, e = "", POS
                    elif x < 0.085:
                        reason = REASONS_NEW[bisect.bisect(REASONS_NEW_CUM, x2)]
                        e = rr(a + 30, HORIZON) if a + 30 < HORIZON else POS
                        if e == POS:
                            reason = ""
                    else:
                        reason = ""
                        e = POS
                    if r() < 0.07:
                        official = official + 30 + rr(330)
                if official >= HORIZON or official >= e:
                    official = POS
                mlines.append("%s,%s,%s,%s,%s,%s,%s,%s,%s\n" % (
                    mid, self.name(rng, eth, male), "male" if male else "female", DS[birth], eth, DS[a],
                    ds(official), ds(e), reason))
                # periods
                limit = e if e != POS else HORIZON
                if a < o.f:
                    cur = cm.anchor
                    pending = o
                elif a >= o.t:
                    cur = o.succ
                    pending = None
                else:
                    cur = o
                    pending = None
                x = r()
                if o.village is not None:
                    res = o.village if x < 0.85 else (villages[rr(nv)] if x < 0.98 else "")
                else:
                    res = villages[rr(nv)] if x < 0.98 else ""
                # voluntary events: org moves and residence moves
                ev = None
                span = limit - a
                if span > 2:
                    x = r()
                    if x < 0.25:
                        ev = []
                        # 10% one move, 3% a move and a change of residence, 2% two moves,
                        # 8% one change of residence, 2% two
                        n_org = 1 if x < 0.13 else (2 if x < 0.15 else 0)
                        n_res = 1 if 0.10 <= x < 0.13 or 0.15 <= x < 0.23 else (2 if x >= 0.23 else 0)
                        for _ in range(n_org):
                            ev.append((a + 1 + rr(span - 1), 1))
                        for _ in range(n_res):
                            ev.append((a + 1 + rr(span - 1), 2))
                        ev.sort()
                start = a
                pcur, pres = cur, res
                ei = 0
                while True:
                    # next change: voluntary event, dissolution of cur, founding of pending
                    d = limit
                    if ev is not None and ei < len(ev) and ev[ei][0] < d:
                        d = ev[ei][0]
                    if cur.t < d:
                        d = cur.t
                    if pending is not None and pending.f < d:
                        d = pending.f
                    if d >= limit:
                        break
                    if cur.t == d:
                        cur = cur.succ
                    if pending is not None and pending.f == d:
                        if cur is cm.anchor and pending.t > d:
                            cur = pending
                        pending = None
                    while ev is not None and ei < len(ev) and ev[ei][0] == d:
                        kind = ev[ei][1]
                        ei += 1
                        if kind == 1:
                            if r() < 0.3 and len(anchors) > 1:
                                t = anchors[rr(len(anchors))]
                                if t.commune == cur.commune:
                                    continue
                                cur = t
                                res = t.village
                            else:
                                alive = [q for q in orgs if q.f <= d < q.t and q is not cur]
                                if not alive:
                                    continue
                                t = alive[rr(len(alive))]
                                cur = t
                                if t.village is not None:
                                    if r() < 0.9 or not res or res[:5] != t.commune:
                                        res = t.village
                                elif not res or res[:5] != t.commune:
                                    rv = resv[t.commune]
                                    res = rv[rr(len(rv))]
                        else:
                            rv = resv[cur.commune]
                            if len(rv) > 1:
                                res = rv[rr(len(rv))]
                    if cur is not pcur or res != pres:
                        plines.append("%s,%s,%s,%s,%s\n" % (mid, DS[start], DS[d], pcur.code, pres))
                        nper += 1
                        start = d
                        pcur, pres = cur, res
                plines.append("%s,%s,%s,%s,%s\n" % (mid, DS[start], ds(e), pcur.code, pres))
                nper += 1
            if len(mlines) > 2000:
                wm("".join(mlines))
                wp("".join(plines))
                mlines.clear()
                plines.clear()
        wm("".join(mlines))
        wp("".join(plines))
        return seq, nper


MEMBER_HEADER = "id,full_name,gender,birth_date,ethnicity,admitted_on,official_on,ended_on,end_reason\n"
PERIOD_HEADER = "member_id,valid_from,valid_to,org_code,residence_code\n"

_G = {}


def _worker(job):
    lo, hi, mpath, ppath = job
    gen = _G["gen"]
    communes = _G["builder"].communes
    nm = np_ = 0
    with open(mpath, "w", encoding="utf-8", newline="") as fm, \
            open(ppath, "w", encoding="utf-8", newline="") as fp:
        for cm in communes[lo:hi]:
            a, b = gen.commune(cm, fm.write, fp.write)
            nm += a
            np_ += b
    return nm, np_


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=0.01, help="1.0 = the whole country (default 0.01)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True, help="folder to write (created)")
    ap.add_argument("--reference", default=None,
                    help="folder of vn_admin_units_2024.csv etc. (default: data/reference, else /work/shared/data)")
    ap.add_argument("--jobs", type=int, default=0, help="worker processes for members (default: CPUs, at most 8)")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    if not (0 < args.scale <= 1):
        ap.error("--scale must be in (0, 1]")
    if args.reference is None:
        args.reference = default_reference()
    for f in ("vn_admin_units_2024.csv", "vn_admin_units_2025.csv", "vn_commune_mapping_2024_2025.csv",
              "vn_province_mapping_2024_2025.csv"):
        if not os.path.exists(os.path.join(args.reference, f)):
            ap.error("%s: missing %s" % (args.reference, f))
    jobs = args.jobs or min(8, os.cpu_count() or 1)
    t0 = time.time()
    os.makedirs(args.out, exist_ok=True)
    b = Builder(args)
    b.build(args.out)
    t1 = time.time()
    gen = MemberGen(b)
    mpath = os.path.join(args.out, "members.csv")
    ppath = os.path.join(args.out, "member_periods.csv")
    n = len(b.communes)
    nm = np_ = 0
    if jobs <= 1 or n < 2 * jobs:
        with open(mpath, "w", encoding="utf-8", newline="") as fm, \
                open(ppath, "w", encoding="utf-8", newline="") as fp:
            fm.write(MEMBER_HEADER)
            fp.write(PERIOD_HEADER)
            for cm in b.communes:
                a, c = gen.commune(cm, fm.write, fp.write)
                nm += a
                np_ += c
    else:
        _G["gen"] = gen
        _G["builder"] = b
        tmp = tempfile.mkdtemp(prefix=".parts-", dir=args.out)
        try:
            nchunks = jobs * 4
            bounds = [n * i // nchunks for i in range(nchunks + 1)]
            work = [(bounds[i], bounds[i + 1], os.path.join(tmp, "m%03d" % i), os.path.join(tmp, "p%03d" % i))
                    for i in range(nchunks)]
            ctx = multiprocessing.get_context("fork")
            with ctx.Pool(jobs) as pool:
                for a, c in pool.map(_worker, work, chunksize=1):
                    nm += a
                    np_ += c
            for path, header, idx in ((mpath, MEMBER_HEADER, 2), (ppath, PERIOD_HEADER, 3)):
                with open(path, "w", encoding="utf-8", newline="") as out:
                    out.write(header)
                    out.flush()
                    for wk in work:
                        with open(wk[idx], "r", encoding="utf-8", newline="") as part:
                            shutil.copyfileobj(part, out, 1 << 20)
                        os.unlink(wk[idx])
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    t2 = time.time()
    if not args.quiet:
        nvil = sum(len(cm.villages) for cm in b.communes)
        print("scale %g seed %d -> %s (reference %s)" % (args.scale, args.seed, args.out, args.reference),
              file=sys.stderr)
        print("  provinces %d (+%d from 2025-07-01), districts %d, communes %d (+%d from 2025-07-01), villages %d"
              % (len(b.provs), len(set(b.new_provs) - set(b.provs)), len(b.dists), len(b.chosen),
                 len(set(b.new_communes) - b.chosen_set), nvil), file=sys.stderr)
        print("  institutions %d, org rows %d, members %d, member periods %d" % (b.ninst, b.norgs, nm, np_),
              file=sys.stderr)
        print("  structure %.1fs, members %.1fs (%d jobs), total %.1fs" % (t1 - t0, t2 - t1, jobs, t2 - t0),
              file=sys.stderr)


if __name__ == "__main__":
    main()
