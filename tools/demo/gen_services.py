#!/usr/bin/env python3
"""gen_services.py: a year (2024) of the commune's service to citizens for the
Điện Biên demo (docs/SERVICES.md): the procedure catalogue (procedures.csv),
the cases of the one-stop desks, complaints, denunciations and petitions of
the 129 communes of 2024 (service_cases.csv) and their events
(service_events.csv).

SYNTHETIC, all of it: the people, their matters and the dates are drawn from
a fixed seed, so the output is the same byte for byte on every run. The
catalogue's processing times are plausible for commune-level procedures, not
the official catalogue of any province.

Reads data/demo/dien-bien/units.csv (the communes and villages of 2024 and
their `difficult` flag); writes only the five register files (with
receptions.csv: the citizen reception sessions and where each matter went;
voter_petitions.csv: the voters' petitions to the People's Council).

Usage:  python3 tools/demo/gen_services.py [--out DIR] [--figures]
  --figures  print, as JSON, what coso must count for 2024 by kind (received,
             resolved, on_time, late, open at the end of the year), worked out
             here with this file's own working-day calendar of 2024-2025, and
             the reception sessions (by kind), matters and routed matters, and
             the voters' petitions collected, answered, in time, unanswered.
Standard library only.
"""

import argparse
import csv
import datetime as dt
import json
import os
import random

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DEMO = os.path.join(ROOT, "data", "demo", "dien-bien")
YEAR_FIRST = dt.date(2024, 1, 1)
YEAR_LAST = dt.date(2024, 12, 31)
SEED = 20240101

# ---- the working days of State bodies, 2024-2025 (docs/CALENDAR.md and the
# shipped overrides: Tết, the swaps of 30/4-1/5, Quốc khánh) ----------------------
DAYS_OFF = {
    # 2024: Tết Dương lịch; Tết Giáp Thìn 8-12/2 with nghỉ bù 13-14/2; Giỗ Tổ
    # 18/4; 29/4 swapped with Saturday 4/5; 30/4, 1/5; Quốc khánh 2-3/9
    "2024-01-01", "2024-02-08", "2024-02-09", "2024-02-12", "2024-02-13", "2024-02-14",
    "2024-04-18", "2024-04-29", "2024-04-30", "2024-05-01", "2024-09-02", "2024-09-03",
    # 2025: 1/1; Tết Ất Tỵ 27-31/1; Giỗ Tổ 7/4; 30/4, 1/5, 2/5 (swapped with
    # Saturday 26/4); Quốc khánh 1-2/9
    "2025-01-01", "2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31",
    "2025-04-07", "2025-04-30", "2025-05-01", "2025-05-02", "2025-09-01", "2025-09-02",
}
WORKED_SATURDAYS = {"2024-05-04", "2025-04-26"}


def is_workday(d):
    if d.year not in (2024, 2025):
        raise ValueError("the demo's calendar covers 2024-2025 only: %s" % d)
    s = d.isoformat()
    if s in WORKED_SATURDAYS:
        return True
    return d.weekday() < 5 and s not in DAYS_OFF


def add_workdays(d, n):
    """The nth working day after d (n = 0: d when a working day, else the next)."""
    if n == 0:
        while not is_workday(d):
            d += dt.timedelta(days=1)
        return d
    step = dt.timedelta(days=1 if n > 0 else -1)
    n = abs(n)
    while n > 0:
        d += step
        if is_workday(d):
            n -= 1
    return d


def deadline_in_days(d, n):
    """d + n days, moved to the next working day."""
    return add_workdays(d + dt.timedelta(days=n), 0)


# ---- the catalogue ------------------------------------------------------------------
# code, name, field, days, valid_from, valid_to
PROCEDURES = [
    ("HT-KS", "Đăng ký khai sinh", "Hộ tịch", 0, "", ""),
    ("HT-KT", "Đăng ký khai tử", "Hộ tịch", 0, "", ""),
    ("HT-KH", "Đăng ký kết hôn", "Hộ tịch", 5, "", ""),
    ("HT-XNHN", "Cấp Giấy xác nhận tình trạng hôn nhân", "Hộ tịch", 3, "", "2024-07-01"),
    ("HT-XNHN", "Cấp Giấy xác nhận tình trạng hôn nhân", "Hộ tịch", 2, "2024-07-01", ""),
    ("HT-CC", "Thay đổi, cải chính, bổ sung thông tin hộ tịch", "Hộ tịch", 3, "", ""),
    ("CT-BS", "Chứng thực bản sao từ bản chính", "Chứng thực", 0, "", ""),
    ("CT-CK", "Chứng thực chữ ký", "Chứng thực", 0, "", ""),
    ("CT-HD", "Chứng thực hợp đồng, giao dịch", "Chứng thực", 2, "", ""),
    ("DD-HG", "Hòa giải tranh chấp đất đai", "Đất đai", 30, "", ""),
    ("DD-XN", "Xác nhận hồ sơ đăng ký đất đai lần đầu", "Đất đai", 10, "", ""),
    ("BT-TC", "Trợ cấp xã hội hằng tháng", "Bảo trợ xã hội", 15, "", ""),
    ("BT-MT", "Hỗ trợ chi phí mai táng", "Bảo trợ xã hội", 5, "", ""),
    ("NCC-XN", "Xác nhận thân nhân người có công", "Người có công", 5, "", ""),
    ("XD-SC", "Xác nhận sửa chữa nhà ở", "Xây dựng", 7, "", ""),
]
SOURCE = "Danh mục minh họa của bản demo (không phải quyết định công bố chính thức)"
# how often each is asked for (per 1000 cases)
WEIGHTS = {"HT-KS": 170, "HT-KT": 45, "HT-KH": 55, "HT-XNHN": 70, "HT-CC": 35, "CT-BS": 300, "CT-CK": 120,
           "CT-HD": 60, "DD-HG": 8, "DD-XN": 30, "BT-TC": 40, "BT-MT": 15, "NCC-XN": 12, "XD-SC": 10}
HANDOFF = {"DD-XN": "Văn phòng đăng ký đất đai huyện", "BT-TC": "Phòng Lao động - Thương binh và Xã hội huyện",
           "NCC-XN": "Phòng Lao động - Thương binh và Xã hội huyện", "XD-SC": "Phòng Kinh tế - Hạ tầng huyện"}


def proc_days(code, day):
    for c, _n, _f, days, a, b in PROCEDURES:
        if c == code and (not a or a <= day.isoformat()) and (not b or day.isoformat() < b):
            return days
    raise KeyError(code)


# ---- people -------------------------------------------------------------------------
THAI = (["Lò", "Quàng", "Lường", "Cầm", "Tòng", "Điêu", "Vì", "Lù"],
        ["Văn Thanh", "Văn Sơn", "Văn Pản", "Văn Ún", "Thị Xuân", "Thị Ngọc", "Thị Hương", "Thị Lả"])
MONG = (["Giàng", "Sùng", "Thào", "Vừ", "Mùa", "Lầu", "Hờ", "Cứ"],
        ["A Páo", "A Dế", "A Súa", "A Chứ", "Thị Mỷ", "Thị Dợ", "Thị Chá", "Thị Pà"])
KINH = (["Nguyễn", "Trần", "Phạm", "Lê", "Hoàng", "Đỗ", "Vũ", "Bùi"],
        ["Văn An", "Văn Hùng", "Đức Minh", "Quang Huy", "Thị Lan", "Thị Hoa", "Thị Thu", "Ngọc Anh"])


def person(rng, villages, commune_name):
    fam, given = rng.choice([THAI, THAI, MONG, KINH])
    name = "%s %s" % (rng.choice(fam), rng.choice(given))
    doc = "011%09d" % rng.randrange(10 ** 9)
    village = rng.choice(villages) if villages else ""
    addr = "%s, %s" % (village, commune_name) if village else commune_name
    return name, doc, addr


COMPLAINT_SUBJECTS = ["Khiếu nại quyết định thu hồi đất", "Khiếu nại việc bồi thường, hỗ trợ khi thu hồi đất",
                      "Khiếu nại việc xét hộ nghèo", "Khiếu nại quyết định xử phạt vi phạm hành chính",
                      "Khiếu nại việc cấp giấy chứng nhận quyền sử dụng đất"]
DENUNCIATION_SUBJECTS = ["Tố cáo cán bộ thôn thu tiền trái quy định", "Tố cáo việc lấn chiếm đất công",
                         "Tố cáo sai phạm trong chi trả chế độ chính sách", "Tố cáo cán bộ gây phiền hà"]
PETITION_SUBJECTS = ["Phản ánh đường vào bản bị sạt lở", "Kiến nghị sửa chữa công trình nước sinh hoạt",
                     "Phản ánh ô nhiễm do chăn nuôi", "Kiến nghị hỗ trợ giống cây trồng",
                     "Phản ánh mất điện kéo dài"]


# ---- the registry of 2024 ---------------------------------------------------------------
def communes_2024():
    """(code, name, difficult, [village names]) of the communes that exist all of 2024."""
    rows = list(csv.DictReader(open(os.path.join(DEMO, "units.csv"), encoding="utf-8", newline="")))

    def covers(r, a, b):
        return (not r["valid_from"] or r["valid_from"] <= a) and (not r["valid_to"] or r["valid_to"] > b)
    communes = {}
    for r in rows:
        if r["level"] == "commune" and covers(r, "2024-01-01", "2024-12-31"):
            communes[r["code"]] = (r["name"], r["difficult"] == "1", int(r["population"] or 0))
    villages = {}
    for r in rows:
        if r["level"] == "village" and covers(r, "2024-06-30", "2024-06-30") and r["parent_code"] in communes:
            villages.setdefault(r["parent_code"], []).append(r["name"])
    return [(c, communes[c][0], communes[c][1], communes[c][2], villages.get(c, [])) for c in sorted(communes)]


def random_workday(rng):
    while True:
        d = YEAR_FIRST + dt.timedelta(days=rng.randrange(366))
        if is_workday(d):
            return d


class Out:
    def __init__(self):
        self.cases = []
        self.events = []
        self.fig = {}
        self.receptions = []   # rows of receptions.csv
        self.voters = []       # rows of voter_petitions.csv

    def case(self, row, kind, received, deadline, closed):
        self.cases.append(row)
        f = self.fig.setdefault(kind, {"received": 0, "resolved": 0, "on_time": 0, "late": 0, "open": 0})
        f["received"] += 1
        if closed is not None and closed <= YEAR_LAST:
            f["resolved"] += 1
            f["on_time" if closed <= deadline else "late"] += 1
        else:
            f["open"] += 1

    def event(self, cid, day, action, body="", new_date="", note=""):
        self.events.append([cid, day.isoformat(), action, body, new_date, note])


def onestop(rng, out, cid, code, name, villages, officer):
    received = random_workday(rng)
    proc = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
    days = proc_days(proc, received)
    due = add_workdays(received, days)
    pname, doc, addr = person(rng, villages, name)
    roll = rng.random()
    closed = None
    handoff = proc in HANDOFF and days > 2
    if handoff:
        out.event(cid, add_workdays(received, 1), "handoff", HANDOFF[proc])
    low = 1 if handoff else 0  # a case closes on or after its hand-off
    if roll < 0.002:
        pass  # still waiting: a case stuck with another body
    elif roll < 0.012:
        closed = add_workdays(received, rng.randint(low, max(days, 1)))
        out.event(cid, closed, "withdrawn", note="Công dân rút hồ sơ")
    elif roll < 0.032:
        closed = add_workdays(received, rng.randint(low, max(days, 1)))
        out.event(cid, closed, "rejected", note="Hồ sơ không đủ điều kiện giải quyết")
    elif roll < 0.072:
        closed = add_workdays(due, rng.randint(1, 6))
        if rng.random() < 0.7:
            slip = due if rng.random() < 0.6 else add_workdays(due, -1) if days > 0 else due
            out.event(cid, slip, "apology", new_date=add_workdays(closed, rng.randint(0, 1)).isoformat(),
                      note="Chậm do phải xác minh, lấy ý kiến cơ quan liên quan")
        out.event(cid, closed, "resolved")
    else:
        closed = add_workdays(received, rng.randint(low, days)) if days else received
        out.event(cid, closed, "resolved")
    out.case([cid, "onestop", code, received.isoformat(), proc, dict((p[0], p[1]) for p in PROCEDURES)[proc],
              pname, doc, addr, 0, officer, ""], "onestop", received, due, closed)


def grievance(rng, out, cid, kind, code, name, remote, villages, officer):
    received = random_workday(rng)
    pname, doc, addr = person(rng, villages, name)
    if kind == "petition":
        due = add_workdays(received, 10)
        roll = rng.random()
        closed = add_workdays(received, rng.randint(1, 10) if roll < 0.88 else rng.randint(11, 16))
        if roll > 0.95:
            out.event(cid, closed, "transferred", "UBND huyện", note="Chuyển cơ quan có thẩm quyền")
        else:
            out.event(cid, closed, "resolved", note="Đã trả lời công dân")
        out.case([cid, kind, code, received.isoformat(), "", rng.choice(PETITION_SUBJECTS), pname, doc, addr, 0,
                  officer, ""], kind, received, due, closed)
        return
    accept_days = 7 if kind == "denunciation" else 10
    accept_due = add_workdays(received, accept_days)
    if rng.random() < 0.15:
        closed = add_workdays(received, rng.randint(2, accept_days))
        out.event(cid, closed, "rejected", note="Không đủ điều kiện thụ lý")
        deadline = accept_due
        cx = 0
    else:
        accepted = add_workdays(received, rng.randint(2, accept_days) if rng.random() < 0.95
                                else rng.randint(accept_days + 1, accept_days + 4))
        out.event(cid, accepted, "accepted")
        if kind == "denunciation":
            cx = rng.choices([0, 1, 2], weights=[70, 20, 10])[0]
            extensions = cx if rng.random() < 0.8 else 0
            for i in range(extensions):
                out.event(cid, accepted + dt.timedelta(days=20 + 30 * i), "extended",
                          note="Quyết định gia hạn số %02d/QĐ-UBND" % rng.randint(1, 99))
            limit = 30 + 30 * extensions
        else:
            cx = 1 if rng.random() < 0.2 else 0
            table = {"complaint": ((30, 45), (45, 60)), "complaint_second": ((45, 60), (60, 70))}
            limit = table[kind][remote][cx]
            extensions = 0
        deadline = deadline_in_days(accepted, limit)
        first = 21 + 30 * (extensions - 1) if extensions else 10
        if rng.random() < 0.9:
            closed = accepted + dt.timedelta(days=rng.randint(first, limit))
        else:
            closed = deadline + dt.timedelta(days=rng.randint(1, 20))
        if rng.random() < 0.003:
            closed = None
        else:
            out.event(cid, closed, "resolved", note="Đã ban hành quyết định giải quyết" if kind != "denunciation"
                      else "Đã ban hành kết luận nội dung tố cáo")
    subjects = DENUNCIATION_SUBJECTS if kind == "denunciation" else COMPLAINT_SUBJECTS
    out.case([cid, kind, code, received.isoformat(), "", rng.choice(subjects), pname, doc, addr, cx, officer, ""],
             kind, received, deadline, closed)


GUIDANCE = ["Hỏi chế độ hỗ trợ hộ nghèo", "Hỏi thủ tục cấp đổi giấy chứng nhận quyền sử dụng đất",
            "Hỏi về bảo hiểm y tế", "Phản ánh tranh chấp ranh giới đất với hộ liền kề", "Hỏi thủ tục đăng ký hộ kinh doanh"]
SESSION_KINDS = {"regular": "Công chức tiếp công dân", "chair": "Chủ tịch UBND xã", "unscheduled": "Chủ tịch UBND xã"}


def receptions(out, communes):
    """Citizen reception (tiếp công dân): the chair's session once a month
    (the first working Thursday), an unscheduled one now and then, and the
    regular desk: 40% of the complaints, denunciations and petitions were
    brought to a session on the day they were received. Its own seed, so the
    cases stay as they are."""
    rng = random.Random(SEED + 1)
    by_commune = {}
    for row in out.cases:
        if row[1] != "onestop" and rng.random() < 0.4:
            by_commune.setdefault(row[2], []).append(row)
    for code, name, _remote, _pop, villages in communes:
        sessions = {}   # (day, kind) -> rows

        def add(day, kind, person, matter, route, case_id, note=""):
            sessions.setdefault((day, kind), []).append((person, matter, route, case_id, note))
        for month in range(1, 13):
            d = dt.date(2024, month, 1)
            while d.weekday() != 3 or not is_workday(d):
                d += dt.timedelta(days=1)
            for _ in range(rng.randint(0, 3)):
                add(d, "chair", person(rng, villages, name), rng.choice(GUIDANCE), "guidance", "", "Đã giải thích, hướng dẫn")
        if rng.random() < 0.3:
            d = random_workday(rng)
            add(d, "unscheduled", person(rng, villages, name), rng.choice(GUIDANCE), "guidance", "", "Đã giải thích, hướng dẫn")
        for row in by_commune.get(code, []):
            day = dt.date.fromisoformat(row[3])
            kind = "chair" if (day, "chair") in sessions else "regular"
            add(day, kind, (row[6], row[7], row[8]), row[5], row[1], row[0])
        for (day, kind), matters in sorted(sessions.items()):
            sid = "TD-%s-%s%s" % (code, day.strftime("%Y%m%d"), "" if kind == "regular" else "-" + kind[0].upper())
            for (pname, doc, addr), matter, route, case_id, note in matters:
                out.receptions.append([sid, code, day.isoformat(), kind, SESSION_KINDS[kind], pname, doc, addr, matter,
                                       route, case_id, note])
    out.receptions.sort(key=lambda r: r[0])  # stable: the matters of a session keep their order
    kinds = {"regular": 0, "chair": 0, "unscheduled": 0}
    for sid in sorted({r[0]: r[3] for r in out.receptions}.items()):
        kinds[sid[1]] += 1
    out.fig_reception = {"sessions": sum(kinds.values()), "by_kind": kinds, "matters": len(out.receptions),
                         "routed": sum(1 for r in out.receptions if r[10])}


VOTER_ASKS = [("Giao thông", "Sửa chữa đường liên bản bị sạt lở"), ("Điện", "Kéo điện lưới quốc gia về bản"),
              ("Nước sạch", "Đầu tư công trình nước sinh hoạt tập trung"), ("Giáo dục", "Xây phòng học cho điểm trường bản"),
              ("Y tế", "Bổ sung thuốc và cán bộ cho trạm y tế"), ("Đất đai", "Đẩy nhanh cấp giấy chứng nhận quyền sử dụng đất"),
              ("Chính sách", "Chi trả kịp thời chế độ cho người có công"), ("Nông nghiệp", "Hỗ trợ giống cây trồng, vật nuôi")]


def voters(out, communes):
    """Voters' petitions (kiến nghị cử tri): two rounds of meetings with
    voters before the People's Council's sessions (mid-year: meetings in June,
    the session on 10 July; year's end: meetings in November, the session on
    15 December); most answered by the session. Its own seed."""
    rng = random.Random(SEED + 2)
    rounds = [(dt.date(2024, 6, 3), dt.date(2024, 7, 10), "kỳ họp giữa năm 2024"),
              (dt.date(2024, 11, 4), dt.date(2024, 12, 16), "kỳ họp cuối năm 2024")]
    fig = {"collected": 0, "answered": 0, "answered_in_time": 0, "unanswered": 0}
    for code, name, _remote, _pop, _villages in communes:
        n = 0
        for first, session, label in rounds:
            meeting = add_workdays(first, rng.randint(0, 15))
            for _ in range(rng.randint(2, 7)):
                n += 1
                field, ask = rng.choice(VOTER_ASKS)
                to_commune = rng.random() < 0.6
                addressee = "UBND %s" % name if to_commune else "UBND huyện"
                roll = rng.random()
                answered = None
                if roll < 0.8:
                    answered = session - dt.timedelta(days=rng.randint(1, min(20, (session - meeting).days)))
                elif roll < 0.92:
                    answered = session + dt.timedelta(days=rng.randint(5, 60))
                out.voters.append(["KNCT-%s-%03d" % (code, n), code, meeting.isoformat(), "HĐND %s, %s" % (name, label),
                                   session.isoformat(), ask, field, addressee,
                                   answered.isoformat() if answered else "",
                                   "Đã xem xét, đưa vào kế hoạch" if answered else "", ""])
                fig["collected"] += 1
                if answered:
                    fig["answered"] += 1
                    fig["answered_in_time"] += answered <= session
                else:
                    fig["unanswered"] += 1
    out.fig_voters = fig


def generate():
    rng = random.Random(SEED)
    out = Out()
    communes = communes_2024()
    for code, name, remote, population, villages in communes:
        officer = "xa" if code == "03124" else "canbo." + code
        n = max(30, population // 50)
        for i in range(n):
            onestop(rng, out, "MC-%s-%05d" % (code, i + 1), code, name, villages, officer)
        plan = [("complaint", rng.randint(0, 4)), ("complaint_second", rng.randint(0, 1)),
                ("denunciation", rng.randint(0, 2)), ("petition", rng.randint(3, 10))]
        for kind, count in plan:
            for i in range(count):
                prefix = {"complaint": "KN", "complaint_second": "KN2", "denunciation": "TC", "petition": "KP"}[kind]
                grievance(rng, out, "%s-%s-%03d" % (prefix, code, i + 1), kind, code, name, remote, villages,
                          officer)
    out.cases.sort(key=lambda r: r[0])
    out.events.sort(key=lambda r: (r[0], r[1]))
    receptions(out, communes)
    voters(out, communes)
    return out


def write(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=DEMO)
    ap.add_argument("--figures", action="store_true")
    a = ap.parse_args()
    out = generate()
    if a.figures:
        print(json.dumps({"by_kind": out.fig, "reception": out.fig_reception, "voter_petitions": out.fig_voters},
                         sort_keys=True, ensure_ascii=False))
        return
    write(os.path.join(a.out, "procedures.csv"), ["code", "name", "field", "days", "valid_from", "valid_to", "source"],
          [[c, n, f, d, x, y, SOURCE] for c, n, f, d, x, y in PROCEDURES])
    write(os.path.join(a.out, "service_cases.csv"),
          ["id", "kind", "unit_code", "received_on", "procedure_code", "subject", "person_name", "person_doc",
           "person_address", "complexity", "officer", "note"], out.cases)
    write(os.path.join(a.out, "service_events.csv"), ["case_id", "date", "action", "body", "new_date", "note"],
          out.events)
    write(os.path.join(a.out, "receptions.csv"),
          ["session_id", "unit_code", "date", "session_kind", "host", "person_name", "person_doc", "person_address",
           "matter", "route", "case_id", "note"], out.receptions)
    write(os.path.join(a.out, "voter_petitions.csv"),
          ["id", "unit_code", "meeting_on", "council", "next_session_on", "content", "field", "addressee", "answered_on",
           "answer", "note"], out.voters)


if __name__ == "__main__":
    main()
