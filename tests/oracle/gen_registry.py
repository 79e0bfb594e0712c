#!/usr/bin/env python3
"""gen_registry: a deterministic random generator of VALID coso registries in
the interchange format (docs/FORMAT.md), with a history rich
enough to exercise every report definition, and a list of report queries
worth asking of it.

    gen_registry.py SEED OUTDIR [--size small|medium] [--queries FILE]
                    [--gaps auto|always|never]
    gen_registry.py --check DIR [--strict] [--allow-uncovered]

The first form writes OUTDIR/{units,institutions,orgs,members,
member_periods}.csv and the queries (report arguments, one query a line,
without `--format json`) to FILE (default OUTDIR/queries.txt), then checks
what it wrote with `check_registry` and fails loudly if a rule is broken.
The same SEED and size always give the same bytes.

`--check DIR` only runs the validity checker on an existing folder and prints
every broken rule (exit 1 if any).  `--strict` adds the generator's own
stronger invariant: member periods are contiguous and cover exactly
[admitted_on, ended_on).  `--allow-uncovered` accepts active members without
a period, as in the shared sample (whose 76 such members break FORMAT.md's
coverage rule); `--gaps` makes the generator produce such members (auto: in
half of the registries).

What the history contains (each with random dates, some of them on the
"hot" days that the queries use: the reform day, the day before, the
article's dates 2016-01-01 / 2018-05-22, 2026-01-01, ...):
  * one province (sometimes two: the several-top-units case), renamed
    sometimes;
  * districts, one sometimes created later with communes moved into it; all
    districts end on the reform day R, when communes move directly under the
    province (and are often renamed "... mới");
  * communes moved between districts, renamed, merged away (ended) on R or
    earlier, with their villages moved to another commune; communes created
    after R;
  * villages created later, closed, renamed, moved to another commune;
  * institutions of every kind, in communes and villages, some created later
    or closed;
  * party organizations: province / district committees, grassroots commune
    committees (some are grassroots cells), village cells (some grassroots,
    directly under the district), institution cells (some grassroots),
    commune office cells; founded, dissolved, moved (parent or site), renamed;
  * members admitted, recognised official (or not), ended with a reason,
    transferred between cells and residences.
The CSV surface varies: shuffled columns, optional columns left out, BOM,
CRLF, quoting of every field, no final newline, shuffled row groups, names
with commas, double quotes and Vietnamese diacritics.
"""

import argparse
import csv
import datetime
import io
import os
import random
import re
import shlex
import sys

# ---------------------------------------------------------------------------
# Dates.  Kept as 'YYYY-MM-DD' strings; open ends are sentinels that compare
# before / after every real date.
# ---------------------------------------------------------------------------

NEG = "0000-00-00"      # empty valid_from: since always
POS = "9999-99-99"      # empty valid_to: still holds
EV_LO = "1982-01-01"    # random events happen between these two days
EV_HI = "2034-12-31"


def add_days(d, n):
    return (datetime.date.fromisoformat(d) + datetime.timedelta(n)).isoformat()


def day_before(d):
    return add_days(d, -1)


def ordinal(d):
    return datetime.date.fromisoformat(d).toordinal()


def from_ordinal(n):
    return datetime.date.fromordinal(n).isoformat()


def blank(d):
    """How a sentinel is written in a CSV file: empty."""
    return "" if d in (NEG, POS) else d


class Gen:
    """All the generator's state: a seeded random source, the hot days, and
    the tables being built (code -> list of rows [from, to, attrs])."""

    def __init__(self, seed, size, gaps="auto"):
        self.rng = random.Random("coso-oracle-%s-%s" % (seed, size))
        self.size = size
        rng = self.rng
        # Like the shared sample registry, some registries have members whose
        # periods stop before the member leaves the registry (an active
        # member with no period on some days; FORMAT.md's coverage rule is
        # broken there, yet coso must import the sample).
        self.gaps = {"auto": rng.random() < 0.5, "always": True,
                     "never": False}[gaps]
        # the reform day: usually the real one, sometimes another day
        if rng.random() < 0.7:
            self.reform = "2025-07-01"
        else:
            self.reform = from_ordinal(rng.randint(ordinal("2019-01-01"),
                                                   ordinal("2027-12-31")))
        r = self.reform
        # hot days: the reform and around it, the article's dates, year
        # starts, leap days (a dissolution on 03-01 has its last day on 02-29)
        self.hot = sorted({r, day_before(r), add_days(r, 1), "2016-01-01",
                           "2018-05-22", "2026-01-01", "2020-01-01",
                           "2024-03-01", "2000-03-01", "2024-02-29",
                           from_ordinal(rng.randint(ordinal("1995-01-01"),
                                                    ordinal("2030-12-31")))})
        self.units = {}      # code -> [[from, to, attrs], ...]
        self.unit_order = [] # codes in creation order (parents first)
        self.insts = {}      # code -> [from, to, attrs] (one row each)
        self.orgs = {}
        self.org_order = []
        self.members = []    # dicts
        self.periods = []    # dicts
        self.village_weight = {}   # residence attractiveness (white villages)

    # -- random helpers ------------------------------------------------------

    def chance(self, p):
        return self.rng.random() < p

    def rand_date(self, lo, hi, hot=0.15):
        """A random day in [lo, hi) (sentinels clamped to the event range);
        with probability `hot` one of the hot days in that range.  None when
        the range is empty."""
        lo = max(lo, EV_LO)
        hi = min(hi, add_days(EV_HI, 1))
        if lo >= hi:
            return None
        hots = [h for h in self.hot if lo <= h < hi]
        if hots and self.chance(hot):
            return self.rng.choice(hots)
        return from_ordinal(self.rng.randint(ordinal(lo), ordinal(hi) - 1))

    def rand_end(self, start, limit, p_open=0.8, hot=0.15):
        """An end day for something that starts on `start` and must end by
        `limit` (POS = no limit): POS with probability p_open when allowed,
        else a day in (start, limit]."""
        if limit == POS and self.chance(p_open):
            return POS
        if limit != POS and self.chance(0.5):
            return limit
        lo = add_days(max(start, EV_LO), 1) if start != NEG else EV_LO
        hi = add_days(limit, 1) if limit != POS else add_days(EV_HI, 1)
        d = self.rand_date(lo, hi, hot)
        return d if d is not None else limit

    # -- timelines -------------------------------------------------------------

    @staticmethod
    def at(rows, d):
        """The attrs of the row covering d, or None."""
        for a, b, attrs in rows:
            if a <= d < b:
                return attrs
        return None

    @staticmethod
    def life(rows):
        return rows[0][0], rows[-1][1]

    @staticmethod
    def build_rows(start, end, points, fn):
        """Rows over [start, end), cut at every point strictly inside; each
        segment's attrs = fn(its first day); equal neighbours merged.  The
        points must include every day on which fn may change."""
        cuts = sorted({p for p in points if start < p < end})
        bounds = [start] + cuts + [end]
        rows = []
        for a, b in zip(bounds, bounds[1:]):
            attrs = fn(a)
            if rows and rows[-1][2] == attrs:
                rows[-1][1] = b
            else:
                rows.append([a, b, attrs])
        return rows

    def unit_points(self):
        pts = set()
        for rows in self.units.values():
            for a, b, _ in rows:
                pts.add(a)
                pts.add(b)
        return pts

    def parent_of(self, code, d):
        attrs = self.at(self.units[code], d)
        return attrs["parent_code"] if attrs else None

    # -- names -------------------------------------------------------------------

    PLACE = ["Nậm Tin", "Mường Chà", "Tủa Chùa", "Điện Biên", "Sín Chải",
             "Pa Ham", "Huổi Lếch", "Nà Hỳ", "Chà Cang", "Mường Nhé",
             "Quảng Lâm", "Sen Thượng", "Phìn Hồ", "Nậm Kè", "Xá Nhè",
             "Thanh Nưa", "Mường Ảng", "Ẳng Tở", "Búng Lao", "Pú Nhi"]

    def place(self, k):
        """A Vietnamese place name, now and then with a comma or quotes."""
        base = self.rng.choice(self.PLACE) + " " + str(k)
        r = self.rng.random()
        if r < 0.06:
            return base + ", khu A"
        if r < 0.10:
            return '%s "mới"' % base
        if r < 0.12:
            return '"%s", %s' % (base, "cũ")
        return base

    # ---------------------------------------------------------------------------
    # Administrative units
    # ---------------------------------------------------------------------------

    def add_unit(self, code, rows):
        self.units[code] = rows
        self.unit_order.append(code)

    def unit_attrs(self, name, level, kind, parent, extra):
        a = {"name": name, "level": level, "kind": kind,
             "parent_code": parent}
        a.update(extra)
        return a

    def flags(self):
        """border / difficult / population of a unit (constant over time)."""
        return {"border": self.rng.choice(["0", "0", "1", ""]),
                "difficult": self.rng.choice(["0", "1", "1", ""]),
                "population": self.rng.choice(
                    ["", str(self.rng.randint(0, 99999))])}

    def gen_units(self):
        rng, R = self.rng, self.reform
        small = self.size == "small"
        n_prov = 2 if self.chance(0.3) else 1
        prov_codes = rng.sample(range(10, 97), n_prov)
        district_no = rng.randint(100, 500)
        commune_no = rng.randint(1000, 20000)
        self.provinces, self.districts, self.communes = [], [], []
        self.permanent = {}        # province -> communes existing always

        for pc in prov_codes:
            P = "%02d" % pc
            self.provinces.append(P)
            pword, pkind = rng.choice([("Tỉnh ", "tỉnh"),
                                       ("Thành phố ", "thành phố")])
            pname = pword + self.place(pc)
            rename = self.rand_date(EV_LO, EV_HI) if self.chance(0.3) else None
            fl = self.flags()
            self.add_unit(P, self.build_rows(
                NEG, POS, [rename] if rename else [],
                lambda d, pn=pname, pk=pkind, rn=rename, fl=fl: self.unit_attrs(
                    pn + (" (đổi tên)" if rn and d >= rn else ""),
                    "province", pk, "", fl)))
            self.permanent[P] = []

            # districts: all end on the reform day; one maybe created later
            nd = rng.randint(2, 3) if small else rng.randint(3, 5)
            dists = []
            for i in range(nd):
                D = "%03d" % district_no
                district_no += 1
                late = i == nd - 1 and nd > 2 and self.chance(0.4)
                start = self.rand_date("1990-01-01", R) if late else NEG
                dists.append((D, start))
            originals = [D for D, s in dists if s == NEG]
            for D, start in dists:
                word, kind = rng.choice([("Huyện ", "huyện"),
                                         ("Thị xã ", "thị xã"),
                                         ("Thành phố ", "thành phố")])
                name = word + self.place(len(self.districts))
                rename = self.rand_date(start, R) if self.chance(0.25) else None
                fl = self.flags()
                self.add_unit(D, self.build_rows(
                    start, R, [rename] if rename else [],
                    lambda d, n=name, k=kind, rn=rename, fl=fl, P=P:
                        self.unit_attrs(n + (" 2" if rn and d >= rn else ""),
                                        "district", k, P, fl)))
                self.districts.append(D)

            # communes
            for di, (D, dstart) in enumerate(dists):
                nc = rng.randint(2, 4) if small else rng.randint(4, 7)
                for j in range(nc):
                    C = "%05d" % commune_no
                    commune_no += 1
                    self.gen_commune(P, C, D, dstart, originals,
                                     permanent=(di == 0 and j == 0))
            # communes created after the reform, directly under the province
            for _ in range(rng.randint(0, 1 if small else 2)):
                C = "%05d" % commune_no
                commune_no += 1
                start = self.rand_date(add_days(R, 1), "2032-01-01")
                if start:
                    self.gen_commune(P, C, None, start, originals,
                                     permanent=False, late_start=start)

        # villages of each commune (after all communes exist: villages of a
        # merged commune move to a permanent commune)
        for C in list(self.communes):
            self.gen_villages(C)

    def gen_commune(self, P, C, D, dstart, originals, permanent,
                    late_start=None):
        """One commune: home district D (None: created after the reform)."""
        rng, R = self.rng, self.reform
        points = [R]
        move = None                # (day, from district) before the move
        if late_start:
            start, end = late_start, POS
        else:
            if dstart != NEG:
                # the district was created later: its communes moved in then
                move = (dstart, rng.choice(originals))
                start = NEG
            elif not permanent and self.chance(0.12):
                start = self.rand_date("1988-01-01", R)
            else:
                start = NEG
            if not permanent and move is None and self.chance(0.12):
                # moved to another original district before the reform
                others = [x for x in originals if x != D]
                day = self.rand_date(max(start, "1990-01-01"), R)
                if others and day:
                    move = (day, D)
                    D = rng.choice(others)
            end = POS
            if not permanent:
                r = rng.random()
                if r < 0.2:
                    end = R                        # merged away at the reform
                elif r < 0.3:
                    end = self.rand_date(add_days(max(start, EV_LO), 1), R) \
                        or POS                     # merged away earlier
        if move:
            points.append(move[0])
        kind0 = rng.choice(["xã", "xã", "xã", "phường", "thị trấn"])
        name0 = {"xã": "Xã ", "phường": "Phường ",
                 "thị trấn": "Thị trấn "}[kind0] + self.place(len(self.communes))
        rename = self.rand_date(start, end) if self.chance(0.2) else None
        if rename:
            points.append(rename)
        new_name_at_reform = self.chance(0.5)
        fl = self.flags()

        def attrs(d):
            if d >= R:
                parent = P
            elif move and d < move[0]:
                parent = move[1]
            else:
                parent = D
            name, kind = name0, kind0
            if rename and d >= rename:
                name, kind = name + " (đổi tên)", "xã"
            if d >= R and new_name_at_reform:
                name += " mới"
            return self.unit_attrs(name, "commune", kind, parent, fl)

        self.add_unit(C, self.build_rows(start, end, points, attrs))
        self.communes.append(C)
        if start == NEG and end == POS:
            self.permanent[P].append(C)
        self.commune_province = getattr(self, "commune_province", {})
        self.commune_province[C] = P

    def gen_villages(self, C):
        rng = self.rng
        small = self.size == "small"
        cstart, cend = self.life(self.units[C])
        P = self.commune_province[C]
        targets = [x for x in self.permanent[P] if x != C]
        nv = rng.randint(2, 5) if small else rng.randint(4, 9)
        for k in range(nv):
            if k == 3 and self.chance(0.3):
                V = "%s-b%d" % (C, k)          # codes are case-sensitive:
                V2 = "%s-B%d" % (C, k)         # -b3 and -B3 are two villages
                self.gen_village(C, V, cstart, cend, targets, k)
                self.gen_village(C, V2, cstart, cend, targets, k + 50)
            else:
                V = "%s-%02d" % (C, k)
                if self.chance(0.05):
                    # any unique code: spaces inside, diacritics, a comma
                    V = rng.choice(["%s thôn Nà %d", "%s Bản, %d",
                                    "Đội %s/%d"]) % (C, k)
                self.gen_village(C, V, cstart, cend, targets, k)

    def gen_village(self, C, V, cstart, cend, targets, k):
        rng = self.rng
        if cstart == NEG and self.chance(0.75):
            start = NEG
        else:
            start = self.rand_date(cstart, cend)
            if start is None:
                return
        # where it goes after its commune ends, or on a boundary change
        move = None
        if cend != POS:
            if targets and self.chance(0.7):
                move = (cend, rng.choice(targets))
        elif targets and self.chance(0.07):
            day = self.rand_date(add_days(max(start, EV_LO), 1), EV_HI)
            if day:
                move = (day, rng.choice(targets))
        limit = cend if (cend != POS and move is None) else POS
        end = self.rand_end(start, limit, p_open=0.88)
        if move and move[0] >= end:
            move = None
        if move is None and cend != POS and end > cend:
            end = cend
        if end <= start:
            return
        rename = self.rand_date(start, end) if self.chance(0.15) else None
        word = rng.choice(["Bản", "Thôn", "Tổ dân phố"])
        kind = {"Bản": "bản", "Thôn": "thôn", "Tổ dân phố": "tổ dân phố"}[word]
        name0 = "%s %s" % (word, self.place(k))
        fl = self.flags()

        def attrs(d):
            parent = move[1] if move and d >= move[0] else C
            name = name0 + (" (đổi tên)" if rename and d >= rename else "")
            return self.unit_attrs(name, "village", kind, parent, fl)

        pts = [p for p in (rename, move and move[0]) if p]
        self.add_unit(V, self.build_rows(start, end, pts, attrs))
        # 1 in 5 villages draws few residents: white villages happen
        self.village_weight[V] = 0.05 if self.chance(0.2) else 1.0

    # ---------------------------------------------------------------------------
    # Institutions
    # ---------------------------------------------------------------------------

    KINDS = ["school", "school", "school", "health_station", "health_station",
             "agency", "enterprise", "armed_forces", "other"]

    def gen_institutions(self):
        rng = self.rng
        small = self.size == "small"
        n = 0
        if self.chance(0.08):
            return                  # a registry without any institution
        for C in self.communes:
            villages = [v for v in self.units
                        if self.units[v][0][2]["parent_code"] == C
                        and self.units[v][0][2]["level"] == "village"]
            for _ in range(rng.randint(1, 3) if small else rng.randint(2, 5)):
                kind = rng.choice(self.KINDS)
                unit = C if (not villages or self.chance(0.4)) \
                    else rng.choice(villages)
                us, ue = self.life(self.units[unit])
                start = us if (us == NEG and self.chance(0.6)) \
                    else self.rand_date(us, ue)
                if start is None:
                    continue
                end = self.rand_end(start, ue, p_open=0.85)
                if end <= start:
                    continue
                code = "I%s-%d" % (C, n)
                n += 1
                label = {"school": "Trường ", "health_station": "Trạm y tế ",
                         "agency": "Cơ quan ", "enterprise": "Công ty ",
                         "armed_forces": "Đồn biên phòng ",
                         "other": "Hợp tác xã "}[kind]
                self.insts[code] = [start, end, {
                    "name": label + self.place(n), "kind": kind,
                    "unit_code": unit}]

    def inst_commune(self, code, d):
        """The commune an institution stands in on day d."""
        unit = self.insts[code][2]["unit_code"]
        if self.at(self.units[unit], d)["level"] == "village":
            return self.parent_of(unit, d)
        return unit

    # ---------------------------------------------------------------------------
    # Party organizations
    # ---------------------------------------------------------------------------

    def add_org(self, code, rows):
        self.orgs[code] = rows
        self.org_order.append(code)

    def org_attrs(self, name, kind, grassroots, parent, site_unit="",
                  site_inst=""):
        return {"name": name, "kind": kind, "grassroots": grassroots,
                "parent_code": parent, "site_unit": site_unit,
                "site_institution": site_inst}

    def gen_orgs(self):
        rng, R = self.rng, self.reform
        upts = self.unit_points()
        for P in self.provinces:
            self.add_org("O" + P, self.build_rows(
                NEG, POS, [], lambda d, P=P: self.org_attrs(
                    "Đảng bộ tỉnh " + P, "committee", "0", "", P)))
        for D in self.districts:
            s, e = self.life(self.units[D])
            self.add_org("O" + D, self.build_rows(
                s, e, [], lambda d, D=D: self.org_attrs(
                    "Đảng bộ huyện " + D, "committee", "0",
                    "O" + self.parent_of(D, d), D)))
        # grassroots organization of each commune: its whole life, under the
        # committee of the commune's parent of the day (district, province)
        for C in self.communes:
            s, e = self.life(self.units[C])
            kind = "cell" if self.chance(0.1) else "committee"
            word = "Chi bộ " if kind == "cell" else "Đảng bộ "
            self.add_org("O" + C, self.build_rows(
                s, e, upts, lambda d, C=C, k=kind, w=word: self.org_attrs(
                    w + self.at(self.units[C], d)["name"], k, "1",
                    "O" + self.parent_of(C, d), C)))

        n = 0
        # village cells
        for V in [v for v in self.unit_order
                  if self.units[v][0][2]["level"] == "village"]:
            if not self.chance(0.75):
                continue
            vs, ve = self.life(self.units[V])
            grass = self.chance(0.07)
            n += 1
            self.gen_cell("C%s" % V, V, "", vs, ve, grass, upts,
                          "Chi bộ " + self.at(self.units[V],
                                              max(vs, EV_LO))["name"])
        # institution cells
        for I, (s, e, a) in self.insts.items():
            p = {"school": 0.7, "health_station": 0.5}.get(a["kind"], 0.5)
            if self.chance(p):
                self.gen_cell("C" + I, "", I, s, e, self.chance(0.12), upts,
                              "Chi bộ " + a["name"])
        # commune office cells, sited in the commune itself ("other")
        for C in self.communes:
            if self.chance(0.3):
                s, e = self.life(self.units[C])
                self.gen_cell("CQ" + C, C, "", s, e, False, upts,
                              "Chi bộ cơ quan " + C)

    def gen_cell(self, code, site_unit, site_inst, life_s, life_e, grassroots,
                 upts, name):
        """A cell sited in a unit or institution living [life_s, life_e):
        founded (maybe later), dissolved (maybe), renamed (maybe), its site
        moved to another village (maybe).  Its parent is the grassroots
        organization of its commune, or for a grassroots cell the committee
        above the commune (district, or province after the reform)."""
        start = life_s if (life_s == NEG and self.chance(0.5)) \
            else self.rand_date(life_s, life_e, hot=0.3)
        if start is None:
            return
        end = self.rand_end(start, life_e, p_open=0.8, hot=0.3)
        if start != NEG and self.chance(0.03):
            end = add_days(start, 1)     # lives one day: founded = dissolved
        if end <= start:
            return
        pts = set(upts)
        rename = self.rand_date(add_days(max(start, EV_LO), 1), end) \
            if self.chance(0.1) else None
        if rename:
            pts.add(rename)
        moved = None
        if site_unit and self.chance(0.1) and \
                self.at(self.units[site_unit], max(start, EV_LO))["level"] \
                == "village":
            day = self.rand_date(add_days(max(start, EV_LO), 1), end, hot=0.3)
            if day:
                others = [v for v in self.units
                          if v != site_unit
                          and self.units[v][0][2]["level"] == "village"
                          and self.life(self.units[v])[0] <= day
                          and self.life(self.units[v])[1] >= end]
                if others:
                    moved = (day, self.rng.choice(others))
                    pts.add(day)

        def attrs(d):
            su = site_unit
            if moved and d >= moved[0]:
                su = moved[1]
            if su:
                level = self.at(self.units[su], d)["level"]
                commune = su if level == "commune" else self.parent_of(su, d)
            else:
                commune = self.inst_commune(site_inst, d)
            parent = "O" + commune
            if grassroots:
                parent = "O" + self.parent_of(commune, d)
            nm = name
            if rename and d >= rename:
                nm += " (đổi tên)"
            if moved and d >= moved[0]:
                nm += " (chuyển)"
            return self.org_attrs(nm, "cell", "1" if grassroots else "0",
                                  parent, su, site_inst)

        self.add_org(code, self.build_rows(start, end, pts, attrs))

    # ---------------------------------------------------------------------------
    # Members
    # ---------------------------------------------------------------------------

    SURNAMES = ["Lò", "Mùa", "Giàng", "Quàng", "Nguyễn", "Lường", "Cà", "Vì",
                "Lâm", "Tòng", "Hờ", "Sùng"]
    GIVEN = ["Văn Thắng", "A Sùng", "Thị Hoa", "A Páo", "Văn An", "Thị Lan",
             "Văn Năm", "Thị Xuân", "A Dính", "Thị Ỉn"]
    ETHNIC = ["Thái", "Mông", "Kinh", "Dao", "Khơ Mú", "Hà Nhì", "Lào",
              "Cống", "Si La"]
    REASONS = ["died", "expelled", "removed", "left", "transferred_out"]

    def person_name(self):
        name = "%s %s" % (self.rng.choice(self.SURNAMES),
                          self.rng.choice(self.GIVEN))
        r = self.rng.random()
        if r < 0.05:
            name = '%s "Xuân", Lan' % name      # quotes and a comma
        elif r < 0.08:
            name = name + ", con"
        return name

    def org_life(self, code):
        return self.life(self.orgs[code])

    def org_commune(self, code, d):
        """The commune where org `code` sits on d (None above communes)."""
        a = self.at(self.orgs[code], d)
        if a["site_institution"]:
            return self.inst_commune(a["site_institution"], d)
        level = self.at(self.units[a["site_unit"]], d)["level"]
        if level == "commune":
            return a["site_unit"]
        if level == "village":
            return self.parent_of(a["site_unit"], d)
        return None

    def gen_members(self):
        rng = self.rng
        n = 120 if self.size == "small" else 700
        # organizations a member can belong to: cells and grassroots orgs
        eligible = [(c, self.org_life(c)) for c in self.org_order
                    if self.orgs[c][0][2]["kind"] == "cell"
                    or self.orgs[c][0][2]["grassroots"] == "1"]
        villages = [(v, self.life(self.units[v])) for v in self.unit_order
                    if self.units[v][0][2]["level"] == "village"]

        def pick_org(t, avoid=None):
            """A random organization existing on t (other than avoid when
            possible); returns (code, end of its life)."""
            cands = [(c, e) for c, (s, e) in eligible if s <= t < e]
            if len(cands) > 1:
                cands = [(c, e) for c, e in cands if c != avoid]
            ws = [3.0 if self.orgs[c][0][2]["kind"] == "cell" else 1.0
                  for c, e in cands]
            return rng.choices(cands, ws)[0]

        def pick_residence(t, org, avoid=None):
            if self.chance(0.08):
                return "", POS
            cands = [(v, e) for v, (s, e) in villages
                     if s <= t < e and v != avoid]
            if not cands:
                return "", POS
            home = self.org_commune(org, t)
            near = [(v, e) for v, e in cands
                    if self.parent_of(v, t) == home]
            if near and self.chance(0.6):
                cands = near
            ws = [self.village_weight[v] for v, e in cands]
            return rng.choices(cands, ws)[0]

        for i in range(n):
            mid = "DV%05d" % (i + 1) if i % 7 else "dv-%d" % (i + 1)
            admitted = self.rand_date(EV_LO, "2037-01-01", hot=0.12)
            ended, reason = "", ""
            if self.chance(0.3):
                ended = self.rand_date(add_days(admitted, 1),
                                       add_days(admitted, 40 * 366), hot=0.2)
                if ended and self.chance(0.03):
                    ended = add_days(admitted, 1)    # active for one day
                if ended:
                    reason = rng.choice(self.REASONS)
                else:
                    ended = ""
            official = ""
            if self.chance(0.85):
                if self.chance(0.1):
                    official = self.rand_date(add_days(admitted, 1),
                                              add_days(admitted, 800), hot=1)
                else:
                    official = add_days(admitted, rng.randint(365, 420))
                if not official or (ended and official >= ended):
                    official = ""
            birth = add_days(admitted, -rng.randint(18 * 365, 60 * 365))
            self.members.append({
                "id": mid, "full_name": self.person_name(),
                "gender": rng.choice(["male", "female"]),
                "birth_date": birth, "ethnicity": rng.choice(self.ETHNIC),
                "admitted_on": admitted, "official_on": official,
                "ended_on": ended, "end_reason": reason})

            # periods: contiguous from admitted_on to ended_on (or open);
            # each next period changes the cell, the residence or both
            stop = ended or POS
            t = admitted
            org, res = None, None
            while t < stop:
                keep = org is not None and self.org_life(org)[1] > t and \
                    self.chance(0.5)
                if keep:
                    # same cell: move house (to another village or nowhere)
                    org_end = self.org_life(org)[1]
                    res, res_end = pick_residence(t, org, avoid=res)
                else:
                    org, org_end = pick_org(t, avoid=org)
                    res, res_end = pick_residence(t, org)
                seg_end = min(stop, org_end, res_end)
                if self.chance(0.5):
                    move = self.rand_date(add_days(t, 1),
                                          add_days(t, 15 * 366), hot=0.2)
                    if move:
                        seg_end = min(seg_end, move)
                self.periods.append({"member_id": mid, "valid_from": t,
                                     "valid_to": seg_end, "org_code": org,
                                     "residence_code": res})
                t = seg_end
            if self.gaps and self.chance(0.2):
                # the record of this member's periods stops early
                mine = [p for p in self.periods if p["member_id"] == mid]
                cut = self.rand_date(add_days(admitted, 1),
                                     min(stop, add_days(EV_HI, 1)), hot=0.3)
                if cut:
                    for p in mine:
                        if p["valid_from"] >= cut:
                            self.periods.remove(p)
                        elif p["valid_to"] > cut:
                            p["valid_to"] = cut

    # ---------------------------------------------------------------------------
    # Queries
    # ---------------------------------------------------------------------------

    def gen_queries(self):
        """Report arguments worth asking: boundary days, every kind of scope,
        periods around the events."""
        rng, R = self.rng, self.reform
        n_extra = 8 if self.size == "small" else 30
        founded = [self.orgs[c][0][0] for c in self.orgs
                   if self.orgs[c][0][0] != NEG]
        ended = [self.orgs[c][-1][1] for c in self.orgs
                 if self.orgs[c][-1][1] != POS]
        unit_ends = [rows[-1][1] for rows in self.units.values()
                     if rows[-1][1] != POS]
        days = [R, day_before(R), "2018-05-22", "2016-01-01", "2026-01-01",
                "1980-01-01", "2040-01-01"]
        days += rng.sample(founded, min(2, len(founded)))
        for e in rng.sample(ended, min(2, len(ended))):
            days += [e, day_before(e)]
        days += [day_before(e) for e in rng.sample(unit_ends,
                                                   min(1, len(unit_ends)))]
        days += [self.rand_date(EV_LO, EV_HI) for _ in range(2)]

        by_level = {"province": [], "district": [], "commune": [],
                    "village": []}
        for code, rows in self.units.items():
            by_level[rows[0][2]["level"]].append(code)
        gone = [c for c, rows in self.units.items() if rows[-1][1] != POS]

        def some_scope():
            level = rng.choice(["province", "district", "commune", "commune",
                                "village", "gone"])
            pool = gone if level == "gone" else by_level[level]
            return rng.choice(pool or by_level["province"])

        q = []
        seen = set()

        def add(args):
            key = tuple(args)
            if key not in seen:
                seen.add(key)
                q.append(list(args))

        for d in days[:7]:
            add(["--as-of", d])
        for d in days[7:]:
            add(["--as-of", d, "--scope", some_scope()])
        for P in self.provinces:
            add(["--as-of", R, "--scope", P])
        add(["--as-of", day_before(R), "--scope", rng.choice(self.districts)])
        add(["--as-of", R, "--scope", rng.choice(self.districts)])
        for _ in range(n_extra):
            add(["--as-of", self.rand_date(EV_LO, EV_HI, hot=0.5),
                 "--scope", some_scope()])

        periods = [("2016-01-01", "2018-05-22"), (day_before(R), R), (R, R),
                   ("1980-01-01", "2040-12-31"), ("2010-01-01", "2026-01-01")]
        for d in rng.sample(founded, min(2, len(founded))):
            periods.append((d, d))
        for d in rng.sample(ended, min(2, len(ended))):
            periods.append((d, d))
            periods.append((day_before(d), add_days(d, 30)))
        for _ in range(n_extra // 2):
            a = self.rand_date(EV_LO, EV_HI, hot=0.5)
            b = self.rand_date(a, EV_HI, hot=0.5) or a
            periods.append((a, b))
        for i, (a, b) in enumerate(periods):
            args = ["--from", a, "--to", b]
            if i % 2:
                args += ["--scope", some_scope()]
            add(args)
        return q


# ---------------------------------------------------------------------------
# Writing the CSV files (with a varied surface)
# ---------------------------------------------------------------------------

UNIT_COLS = (["code", "name", "level", "kind"],
             ["parent_code", "valid_from", "valid_to", "border", "difficult",
              "population"])
INST_COLS = (["code", "name", "kind", "unit_code"], ["valid_from", "valid_to"])
ORG_COLS = (["code", "name", "kind", "grassroots"],
            ["parent_code", "site_unit", "site_institution", "valid_from",
             "valid_to"])
MEMBER_COLS = (["id", "full_name", "gender", "birth_date", "ethnicity",
                "admitted_on"], ["official_on", "ended_on", "end_reason"])
PERIOD_COLS = (["member_id", "valid_from", "org_code"],
               ["valid_to", "residence_code"])


def write_csv(rng, path, cols, groups):
    """Write groups of rows (each group: the rows of one code, in order) as
    one CSV file with a randomly chosen surface."""
    required, optional = cols
    rows = [r for g in groups for r in g]
    columns = list(required)
    for c in optional:
        all_empty = all(r.get(c, "") == "" for r in rows)
        droppable = c in ("border", "difficult", "population") or all_empty
        if droppable and rng.random() < 0.3:
            continue
        columns.append(c)
    rng.shuffle(columns)
    order = rng.random()
    if order < 0.1:                        # rows in any order at all
        rng.shuffle(rows)
    elif order < 0.4:                      # row groups in any order
        groups = list(groups)
        rng.shuffle(groups)
        rows = [r for g in groups for r in g]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n" if rng.random() < 0.4
                        else "\n",
                        quoting=csv.QUOTE_ALL if rng.random() < 0.1
                        else csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    for r in rows:
        writer.writerow([r.get(c, "") for c in columns])
    text = buf.getvalue()
    if rng.random() < 0.1:                 # no line break after the last row
        text = text.rstrip("\r\n")
    if rng.random() < 0.4:
        text = "\ufeff" + text
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def timeline_groups(order, table):
    groups = []
    for code in order:
        g = []
        for a, b, attrs in table[code]:
            r = {"code": code, "valid_from": blank(a), "valid_to": blank(b)}
            r.update(attrs)
            g.append(r)
        groups.append(g)
    return groups


def generate(seed, outdir, size="small", queries_path=None, gaps="auto"):
    """Generate registry SEED into outdir; write its queries; return
    (queries, whether members' periods may stop early)."""
    g = Gen(seed, size, gaps)
    g.gen_units()
    g.gen_institutions()
    g.gen_orgs()
    g.gen_members()
    queries = g.gen_queries()
    os.makedirs(outdir, exist_ok=True)
    rng = g.rng
    write_csv(rng, os.path.join(outdir, "units.csv"), UNIT_COLS,
              timeline_groups(g.unit_order, g.units))
    inst_groups = []
    for code, (a, b, attrs) in g.insts.items():
        r = {"code": code, "valid_from": blank(a), "valid_to": blank(b)}
        r.update(attrs)
        inst_groups.append([r])
    if inst_groups or rng.random() < 0.5:   # else: no institutions.csv at all
        write_csv(rng, os.path.join(outdir, "institutions.csv"), INST_COLS,
                  inst_groups)
    write_csv(rng, os.path.join(outdir, "orgs.csv"), ORG_COLS,
              timeline_groups(g.org_order, g.orgs))
    write_csv(rng, os.path.join(outdir, "members.csv"), MEMBER_COLS,
              [[m] for m in g.members])
    pgroups = {}
    for p in g.periods:
        p = dict(p, valid_to=blank(p["valid_to"]))
        pgroups.setdefault(p["member_id"], []).append(p)
    write_csv(rng, os.path.join(outdir, "member_periods.csv"), PERIOD_COLS,
              list(pgroups.values()))
    if queries_path is None:
        queries_path = os.path.join(outdir, "queries.txt")
    with open(queries_path, "w", encoding="utf-8") as f:
        f.write("# report queries for gen_registry seed %s (%s); reform %s\n"
                % (seed, size, g.reform))
        for args in queries:
            f.write(shlex.join(args) + "\n")
    return queries, g.gaps


# ---------------------------------------------------------------------------
# The validity checker: the rules of FORMAT.md, checked on the files as
# written (independently of how the generator built them)
# ---------------------------------------------------------------------------

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LEVEL_RANK = {"province": 0, "district": 1, "commune": 2, "village": 3}
INST_KINDS = {"school", "health_station", "agency", "enterprise",
              "armed_forces", "other"}


def read_rows(folder, fname, cols, problems):
    path = os.path.join(folder, fname)
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8-sig", newline="") as f:
        data = list(csv.reader(f))
    header = data[0] if data else []
    required, optional = cols
    for c in header:
        if c not in required and c not in optional:
            problems.append("%s: unknown column %s" % (fname, c))
    for c in required:
        if c not in header:
            problems.append("%s: missing column %s" % (fname, c))
    out = []
    for n, fields in enumerate(data[1:], start=2):
        if len(fields) != len(header):
            problems.append("%s:%d: %d fields for %d columns"
                            % (fname, n, len(fields), len(header)))
            continue
        r = {c: "" for c in required + optional}
        r.update(zip(header, fields))
        r["_where"] = "%s:%d" % (fname, n)
        out.append(r)
    return out


def check_registry(folder, strict=False, allow_uncovered=False):
    """Check the validity rules of FORMAT.md on a registry folder; return the
    list of broken rules (empty when valid).  strict adds: member periods are
    contiguous and cover exactly [admitted_on, ended_on).  allow_uncovered
    lets periods stop before ended_on (as in the shared sample)."""
    P = []

    def bad(r, msg):
        P.append("%s: %s" % (r["_where"], msg))

    def date_ok(r, col, required=False):
        v = r[col]
        if v == "":
            if required:
                bad(r, "%s: required" % col)
            return
        try:
            if not DATE_RE.match(v):
                raise ValueError
            datetime.date.fromisoformat(v)
        except ValueError:
            bad(r, "%s: bad date %r" % (col, v))

    def period(r):
        return (r["valid_from"] or NEG, r["valid_to"] or POS)

    def code_ok(r, col):
        v = r[col]
        if v != v.strip():
            bad(r, "%s: leading or trailing space" % col)

    units = read_rows(folder, "units.csv", UNIT_COLS, P)
    insts = read_rows(folder, "institutions.csv", INST_COLS, P)
    orgs = read_rows(folder, "orgs.csv", ORG_COLS, P)
    members = read_rows(folder, "members.csv", MEMBER_COLS, P)
    periods = read_rows(folder, "member_periods.csv", PERIOD_COLS, P)

    # -- per-row checks, and rows grouped by code -------------------------------
    def group(rows, key):
        by = {}
        for r in rows:
            for c in ("valid_from", "valid_to"):
                date_ok(r, c)
            code_ok(r, key)
            if r["name" if "name" in r else key] == "":
                bad(r, "empty name")
            f, t = period(r)
            if not f < t:
                bad(r, "empty period %s..%s" % (f, t))
            by.setdefault(r[key], []).append(r)
        for code, rs in by.items():
            rs.sort(key=lambda r: period(r)[0])
            for a, b in zip(rs, rs[1:]):
                if period(a)[1] != period(b)[0]:
                    bad(b, "rows of %s not contiguous (%s then %s)"
                        % (code, a["valid_to"], b["valid_from"]))
        return by

    U = group(units, "code")
    I = group(insts, "code")
    O = group(orgs, "code")
    for code, rs in I.items():
        if len(rs) > 1:
            bad(rs[1], "institution code %s not unique" % code)

    def life(by, code):
        rs = by.get(code)
        if not rs:
            return None
        return period(rs[0])[0], period(rs[-1])[1]

    def covers(by, code, f, t):
        """Does `code` exist on every day of [f, t)? (rows are contiguous)"""
        lf = life(by, code)
        return lf is not None and lf[0] <= f and t <= lf[1]

    def rows_over(by, code, f, t):
        return [r for r in by.get(code, [])
                if period(r)[0] < t and f < period(r)[1]]

    # -- units -------------------------------------------------------------------
    for code, rs in U.items():
        levels = {r["level"] for r in rs}
        if len(levels) > 1:
            bad(rs[0], "level changes over time: %s" % sorted(levels))
        for r in rs:
            if r["level"] not in LEVEL_RANK:
                bad(r, "bad level %r" % r["level"])
                continue
            for c in ("border", "difficult"):
                if r[c] not in ("", "0", "1"):
                    bad(r, "%s not a flag" % c)
            if r["population"] and not r["population"].isdigit():
                bad(r, "population not a whole number")
            f, t = period(r)
            if r["parent_code"] == "":
                if r["level"] != "province":
                    bad(r, "no parent, not a province")
                continue
            if not covers(U, r["parent_code"], f, t):
                bad(r, "parent %s missing during %s..%s"
                    % (r["parent_code"], f, t))
            for pr in rows_over(U, r["parent_code"], f, t):
                if LEVEL_RANK.get(pr["level"], 9) >= LEVEL_RANK[r["level"]]:
                    bad(r, "parent %s not of a higher level"
                        % r["parent_code"])

    # -- institutions ------------------------------------------------------------
    for r in insts:
        if r["kind"] not in INST_KINDS:
            bad(r, "bad kind %r" % r["kind"])
        f, t = period(r)
        if not covers(U, r["unit_code"], f, t):
            bad(r, "unit %s missing during the period" % r["unit_code"])
        for ur in rows_over(U, r["unit_code"], f, t):
            if ur["level"] not in ("commune", "village"):
                bad(r, "unit %s is a %s" % (r["unit_code"], ur["level"]))

    # -- orgs ----------------------------------------------------------------------
    for r in orgs:
        f, t = period(r)
        if r["kind"] not in ("committee", "cell"):
            bad(r, "bad kind %r" % r["kind"])
        if r["grassroots"] not in ("0", "1"):
            bad(r, "grassroots not a flag")
        if (r["site_unit"] == "") == (r["site_institution"] == ""):
            bad(r, "needs exactly one of site_unit / site_institution")
        if r["site_unit"] and not covers(U, r["site_unit"], f, t):
            bad(r, "site_unit %s missing during the period" % r["site_unit"])
        if r["site_institution"] and \
                not covers(I, r["site_institution"], f, t):
            bad(r, "site_institution %s missing during the period"
                % r["site_institution"])
        if r["parent_code"] and not covers(O, r["parent_code"], f, t):
            bad(r, "parent %s missing during the period" % r["parent_code"])
    # no cycle in the organization tree on any day where it changes
    days = sorted({period(r)[0] for r in orgs})
    for d in days:
        parent = {}
        for code, rs in O.items():
            for r in rs:
                f, t = period(r)
                if f <= d < t:
                    parent[code] = r["parent_code"]
        for code in parent:
            seen, c = set(), code
            while c and c not in seen:
                seen.add(c)
                c = parent.get(c, "")
            if c:
                P.append("orgs.csv: cycle through %s on %s" % (c, d))
                break

    # -- members -------------------------------------------------------------------
    M = {}
    for r in members:
        code_ok(r, "id")
        if r["id"] in M:
            bad(r, "member id %s not unique" % r["id"])
        M[r["id"]] = r
        for c in ("birth_date", "admitted_on"):
            date_ok(r, c, required=True)
        for c in ("official_on", "ended_on"):
            date_ok(r, c)
        if r["gender"] not in ("male", "female"):
            bad(r, "bad gender")
        if r["official_on"] and not r["official_on"] > r["admitted_on"]:
            bad(r, "official_on not after admitted_on")
        if r["ended_on"] and not r["ended_on"] > r["admitted_on"]:
            bad(r, "ended_on not after admitted_on")
        if bool(r["ended_on"]) != bool(r["end_reason"]):
            bad(r, "end_reason iff ended_on")
        if r["end_reason"] and r["end_reason"] not in Gen.REASONS:
            bad(r, "bad end_reason")
        if r["full_name"] == "":
            bad(r, "empty full_name")

    MP = {}
    for r in periods:
        date_ok(r, "valid_from", required=True)
        date_ok(r, "valid_to")
        f, t = period(r)
        if not f < t:
            bad(r, "empty period")
        if r["member_id"] not in M:
            bad(r, "unknown member %s" % r["member_id"])
        if not covers(O, r["org_code"], f, t):
            bad(r, "org %s missing during the period" % r["org_code"])
        if r["residence_code"]:
            if not covers(U, r["residence_code"], f, t):
                bad(r, "residence %s missing during the period"
                    % r["residence_code"])
            for ur in rows_over(U, r["residence_code"], f, t):
                if ur["level"] != "village":
                    bad(r, "residence %s is a %s"
                        % (r["residence_code"], ur["level"]))
        MP.setdefault(r["member_id"], []).append(r)
    for mid, m in M.items():
        rs = sorted(MP.get(mid, []), key=lambda r: period(r)[0])
        for a, b in zip(rs, rs[1:]):
            if period(a)[1] > period(b)[0]:
                bad(b, "periods of %s overlap" % mid)
        # the active span [admitted_on, ended_on) is covered by the periods
        span_f, span_t = m["admitted_on"], m["ended_on"] or POS
        t = span_f
        for r in rs:
            f, e = period(r)
            if f <= t < e:
                t = e
        if t < span_t and not allow_uncovered:
            bad(m, "member %s active on %s with no period" % (mid, t))
        if strict and rs:
            last = period(rs[-1])[1]
            if period(rs[0])[0] != span_f or \
                    (last > span_t if allow_uncovered else last != span_t) or \
                    any(period(a)[1] != period(b)[0]
                        for a, b in zip(rs, rs[1:])):
                bad(m, "periods of %s do not tile [admitted_on, ended_on)"
                    % mid)
        if strict and not rs:
            bad(m, "member %s has no period" % mid)
    return P


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("seed", nargs="?")
    ap.add_argument("outdir", nargs="?")
    ap.add_argument("--size", choices=["small", "medium"], default="small")
    ap.add_argument("--queries", help="where to write the queries")
    ap.add_argument("--check", metavar="DIR",
                    help="only check the validity of registry DIR")
    ap.add_argument("--strict", action="store_true")
    ap.add_argument("--gaps", choices=["auto", "always", "never"],
                    default="auto",
                    help="members whose periods stop early, as in the "
                    "shared sample (auto: in half of the registries)")
    ap.add_argument("--allow-uncovered", action="store_true",
                    help="with --check: accept active members without a "
                    "period (as in the shared sample)")
    a = ap.parse_args(argv[1:])
    if a.check:
        problems = check_registry(a.check, strict=a.strict,
                                  allow_uncovered=a.allow_uncovered)
        for p in problems:
            print(p)
        print("%s: %d problems" % (a.check, len(problems)))
        return 1 if problems else 0
    if a.seed is None or a.outdir is None:
        ap.error("give SEED OUTDIR (or --check DIR)")
    _, gaps = generate(a.seed, a.outdir, a.size, a.queries, a.gaps)
    problems = check_registry(a.outdir, strict=True, allow_uncovered=gaps)
    if problems:
        for p in problems[:50]:
            print("INVALID", p, file=sys.stderr)
        print("gen_registry: seed %s produced %d broken rules"
              % (a.seed, len(problems)), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
