#!/usr/bin/env python3
"""Writes the hand-made seed inputs of the fuzz harnesses (fuzz/README.md).

    fuzz/make_seeds.py [OUT]     # default: fuzz/corpus

Each seed is OUT/NAME/seed-<what>: the registries of tests/cases cut into the
harnesses' framings, and edge cases written by hand (limits, malformed
encodings, dates that do not exist, hostile query strings and bodies). The
committed corpus is these seeds plus the inputs that libFuzzer found to add
coverage (named by their SHA-1), minimized with -merge=1. Running this again
rewrites the seeds only. Standard library only.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
HANDMADE = os.path.join(ROOT, "tests", "cases", "handmade")
SAMPLE = os.path.join(ROOT, "tests", "cases", "contract-sample", "sample-registry")
FILES = ["units.csv", "institutions.csv", "orgs.csv", "members.csv", "member_periods.csv"]
SEP = b"\xff"  # fuzz_import.c's section separator


def read(path):
    with open(path, "rb") as f:
        return f.read()


def put(out, harness, name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    d = os.path.join(out, harness)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


def csv_seeds(out):
    for name in FILES:
        put(out, "csv", "handmade-" + name, read(os.path.join(HANDMADE, name)))
    put(out, "csv", "sample-orgs.csv", read(os.path.join(SAMPLE, "orgs.csv")))
    cases = {
        "empty": b"",
        "bom-only": b"\xef\xbb\xbf",
        "bom-header": b"\xef\xbb\xbfcode,name\r\n01,A\r\n",
        "crlf": b"a,b\r\nc,d\r\n",
        "lone-cr": b"a,b\rc,d\n",
        "cr-at-eof": b"a,b\r",
        "quoted-newlines": b'a,"line 1\nline 2\r\nline 3",c\n"x""y",""\n',
        "quote-in-unquoted": b'ab"c,d\n',
        "text-after-quote": b'"ab"c,d\n',
        "unterminated-quote": b'a,"bc\n\n',
        "nul": b"a,b\x00c\n",
        "nul-quoted": b'a,"b\x00c"\n',
        "overlong": b"a,\xc0\x80\n",
        "surrogate": b"a,\xed\xa0\x80\n",
        "above-max": b"a,\xf4\x90\x80\x80\n",
        "truncated-utf8": b"a,\xe1\xba",
        "stray-continuation": b"\x80,a\n",
        "vietnamese": "Mùa A Sùng,Đảng bộ,Nguyễn Thị Ánh\n".encode("utf-8"),
        "blank-lines": b"\n\n\na\n\r\n\nb\n",
        "commas": b",,,,\n,\n",
        "fields-64": (",".join(["x"] * 64) + "\n").encode(),
        "fields-65": (",".join(["x"] * 65) + "\n").encode(),
        "field-4096": b"a," + b"y" * 4096 + b"\n",
        "field-4097": b"a," + b"y" * 4097 + b"\n",
        "quoted-4097": b'a,"' + b"y" * 4095 + b'"""\n',
        "no-final-newline": b"a,b\nc,d",
    }
    for name, data in cases.items():
        put(out, "csv", name, data)


def registry(folder):
    return {n: read(os.path.join(folder, n)) for n in FILES}


def frame(files):
    """The import harness's input: the five files in order, cut by 0xFF."""
    return SEP.join(files.get(n, b"") for n in FILES)


def import_seeds(out):
    hand = registry(HANDMADE)
    put(out, "import", "handmade", frame(hand))
    put(out, "import", "sample", frame(registry(SAMPLE)))
    for n in FILES:
        put(out, "import", "only-" + n, frame({n: hand[n]}))

    def variant(name, file, old, new):
        files = dict(hand)
        assert old in files[file], (name, old)
        files[file] = files[file].replace(old, new, 1)
        put(out, "import", name, frame(files))

    variant("unknown-column", "units.csv", b"population", b"populace")
    variant("twice-column", "units.csv", b"population", b"border")
    variant("missing-column", "orgs.csv", b",valid_to\n", b"\n")
    variant("short-row", "members.csv", b"M1,L", b"M1L")
    variant("bad-date", "members.csv", b"1980-02-29", b"1981-02-29")
    variant("bad-level", "units.csv", b"province", b"provinces")
    variant("bad-flag", "units.csv", b",1,1,1200", b",2,1,1200")
    variant("negative-population", "units.csv", b"1200", b"-1200")
    variant("huge-population", "units.csv", b"1200", b"99999999999999999999999")
    variant("org-cycle", "orgs.csv", b"OP,\xc4\x90\xe1\xba\xa3ng b\xe1\xbb\x99 t\xe1\xbb\x89nh,committee,0,,",
            b"OP,\xc4\x90\xe1\xba\xa3ng b\xe1\xbb\x99 t\xe1\xbb\x89nh,committee,0,CV11,")
    variant("period-gap", "member_periods.csv", b"M2,2018-02-01,,CV11", b"M2,2018-03-01,,CV11")
    variant("period-overlap", "member_periods.csv", b"M2,2018-02-01,,CV11", b"M2,2018-01-01,,CV11")
    variant("unknown-org", "member_periods.csv", b"M1,2010-01-01,,CV11", b"M1,2010-01-01,,CV99")
    variant("duplicate-member", "members.csv", b"M2,M", b"M1,M")
    variant("reversed-period", "units.csv", b"00001-02,B\xe1\xba\xa3n M\xe1\xbb\x9bi,village,b\xe1\xba\xa3n,00001,2017-03-01,",
            b"00001-02,B\xe1\xba\xa3n M\xe1\xbb\x9bi,village,b\xe1\xba\xa3n,00001,2017-03-01,2016-01-01")
    variant("ended-no-reason", "members.csv", b"2018-01-01,transferred_out", b"2018-01-01,")
    variant("official-before-admitted", "members.csv", b"2010-01-01,2011-01-01", b"2010-01-01,2009-01-01")
    variant("bom-crlf", "units.csv", b"code,", b"\xef\xbb\xbfcode,")
    put(out, "import", "all-empty", SEP * 4)
    put(out, "import", "headers-only", frame({n: hand[n].split(b"\n", 1)[0] + b"\n" for n in FILES}))


# fuzz_body.c's targets, in its order (the selector's bits 0-4).
BODY_TARGETS = [
    "/api/v1/members", "/api/v1/members/M3/official", "/api/v1/members/M1/transfer", "/api/v1/members/M2/end",
    "/api/v1/orgs", "/api/v1/orgs/CS1/rename", "/api/v1/orgs/CA1/move", "/api/v1/orgs/CV21/dissolve",
    "/api/v1/units", "/api/v1/units/00001-02/rename", "/api/v1/units/00003-01/move", "/api/v1/units/00003-02/close",
    "/api/v1/institutions", "/api/v1/members/M5/transfer", "/api/v1/orgs/CV11/dissolve", "/api/v1/units/00003/rename",
    "/api/v1/members/NOPE/official", "/api/v1/orgs/NOPE/move", "/api/v1/units/NOPE/close", "/api/v1/members/M6/end",
    "/api/v1/session", "/api/v1/session/end",
]


def body_seeds(out):
    def put_body(name, target, body, flags=0):
        sel = BODY_TARGETS.index(target) | flags
        data = body if isinstance(body, bytes) else (body if isinstance(body, str) else json.dumps(body, ensure_ascii=False))
        if isinstance(data, str):
            data = data.encode("utf-8")
        put(out, "body", name, bytes([sel]) + data)

    admit = {"id": "M7", "full_name": "Đặng Thị Ánh", "gender": "female", "birth_date": "1995-01-01",
             "ethnicity": "Kinh", "admitted_on": "2019-03-01", "org_code": "CV11", "residence_code": "00001-01"}
    put_body("admit", "/api/v1/members", admit)
    put_body("admit-ascii", "/api/v1/members", json.dumps(admit))
    put_body("admit-unknown-org", "/api/v1/members", dict(admit, org_code="C9"))
    put_body("admit-dissolved-org", "/api/v1/members", dict(admit, org_code="CV32"))
    put_body("admit-existing", "/api/v1/members", dict(admit, id="M1"))
    put_body("admit-born-after", "/api/v1/members", dict(admit, birth_date="2020-01-01"))
    put_body("admit-many-wrong", "/api/v1/members", dict(admit, gender="x", birth_date="1990-02-30", nickname="T"))
    put_body("admit-types", "/api/v1/members", dict(admit, id=7, full_name=[], gender={}, birth_date=None))
    put_body("admit-empty-strings", "/api/v1/members", {k: "" for k in admit})
    put_body("admit-null", "/api/v1/members", {k: None for k in admit})
    put_body("official", "/api/v1/members/M3/official", {"official_on": "2018-06-01"})
    put_body("official-missing", "/api/v1/members/NOPE/official", {"official_on": "2012-01-01"})
    put_body("transfer", "/api/v1/members/M1/transfer", {"date": "2019-01-01", "org_code": "CS1"})
    put_body("transfer-residence", "/api/v1/members/M5/transfer", {"date": "2019-01-01", "residence_code": "00003-02"})
    put_body("transfer-nothing", "/api/v1/members/M5/transfer", {"date": "2019-01-01"})
    put_body("transfer-past", "/api/v1/members/M1/transfer", {"date": "2009-01-01", "org_code": "CS1"})
    put_body("end", "/api/v1/members/M2/end", {"ended_on": "2024-01-01", "end_reason": "left"})
    put_body("end-again", "/api/v1/members/M6/end", {"ended_on": "2020-01-01", "end_reason": "died"})
    put_body("found", "/api/v1/orgs", {"code": "CV12", "name": "Chi bộ bản Mới", "kind": "cell", "grassroots": False,
                                       "parent_code": "OC1", "site_unit": "00001-02", "valid_from": "2019-01-01"})
    put_body("found-both-sites", "/api/v1/orgs", {"code": "CV13", "name": "X", "kind": "cell", "grassroots": 0,
                                                  "parent_code": "OC1", "site_unit": "00001-02",
                                                  "site_institution": "S1", "valid_from": "2019-01-01"})
    put_body("found-flag-2", "/api/v1/orgs", {"code": "CV13", "name": "X", "kind": "cell", "grassroots": 2,
                                              "site_unit": "00001-02", "valid_from": "2019-01-01"})
    put_body("org-rename", "/api/v1/orgs/CS1/rename", {"date": "2020-01-01", "name": "Chi bộ trường Tiểu học"})
    put_body("org-move", "/api/v1/orgs/CA1/move", {"date": "2026-01-01", "parent_code": "OC3"})
    put_body("org-move-cycle", "/api/v1/orgs/NOPE/move", {"date": "2026-01-01", "parent_code": "CV11"})
    put_body("org-dissolve", "/api/v1/orgs/CV21/dissolve", {"date": "2021-01-01"})
    put_body("org-dissolve-members", "/api/v1/orgs/CV11/dissolve", {"date": "2021-01-01"})
    put_body("unit", "/api/v1/units", {"code": "00001-03", "name": "Bản Nà Hai", "level": "village", "kind": "bản",
                                       "parent_code": "00001", "valid_from": "2020-01-01", "difficult": True,
                                       "population": 320})
    put_body("unit-province", "/api/v1/units", {"code": "02", "name": "Tỉnh Hai", "level": "province", "kind": "tỉnh",
                                                "valid_from": "2020-01-01"})
    put_body("unit-population-huge", "/api/v1/units", b'{"code":"x","name":"x","level":"village","kind":"b",'
             b'"parent_code":"00001","valid_from":"2020-01-01","population":99999999999999999999999}')
    put_body("unit-population-negative", "/api/v1/units", {"code": "x", "name": "x", "level": "village", "kind": "b",
                                                           "parent_code": "00001", "valid_from": "2020-01-01",
                                                           "population": -1})
    put_body("unit-rename", "/api/v1/units/00001-02/rename", {"date": "2022-01-01", "name": "Bản Mới Trên"})
    put_body("unit-rename-kind", "/api/v1/units/00003/rename", {"date": "2026-01-01", "name": "Phường Ba",
                                                                 "kind": "phường"})
    put_body("unit-move", "/api/v1/units/00003-01/move", {"date": "2027-01-01", "parent_code": "00001"})
    put_body("unit-close", "/api/v1/units/00003-02/close", {"date": "2020-01-01"})
    put_body("unit-close-missing", "/api/v1/units/NOPE/close", {"date": "2020-01-01"})
    put_body("institution", "/api/v1/institutions", {"code": "S9", "name": "Trường Mầm non Mới", "kind": "school",
                                                     "unit_code": "00001-02", "valid_from": "2019-09-01"})
    # sessions (fuzz_http.c's user; when the tree has sessions)
    put_body("sign-in", "/api/v1/session", {"user": "fuzz", "password": "fuzz-harness-password"})
    put_body("sign-in-wrong", "/api/v1/session", {"user": "fuzz", "password": "wrong password"})
    put_body("sign-in-unknown", "/api/v1/session", {"user": "nobody", "password": "fuzz-harness-password"})
    put_body("sign-in-long", "/api/v1/session", {"user": "fuzz", "password": "p" * 1100})
    put_body("sign-in-bad-name", "/api/v1/session", {"user": "a b\u0000\u00ff" + "n" * 100, "password": "x"})
    put_body("sign-in-types", "/api/v1/session", {"user": ["fuzz"], "password": 12})
    put_body("sign-out", "/api/v1/session/end", b"")
    # malformed bodies
    put_body("syntax", "/api/v1/members", '{"id": "M9",\n "full_name": }')
    put_body("array", "/api/v1/members", "[1, 2]")
    put_body("duplicate-key", "/api/v1/members", '{"id": "a", "id": "b"}')
    put_body("empty", "/api/v1/members", b"")
    put_body("nul-escape", "/api/v1/orgs/CS1/rename", b'{"date": "2020-01-01", "name": "a\\u0000b"}')
    put_body("surrogate-escape", "/api/v1/orgs/CS1/rename", b'{"date": "2020-01-01", "name": "\\ud800"}')
    put_body("invalid-utf8", "/api/v1/orgs/CS1/rename", b'{"date": "2020-01-01", "name": "\xc0\x80"}')
    put_body("deep", "/api/v1/members", b"[" * 3000 + b"]" * 3000)
    put_body("deep-object", "/api/v1/members", b'{"id":' * 2000 + b"1" + b"}" * 2000)
    put_body("date-types", "/api/v1/orgs/CS1/rename", {"date": 20200101, "name": "x"})
    put_body("date-far", "/api/v1/orgs/CS1/rename", {"date": "9999-12-31", "name": "x"})
    put_body("date-first", "/api/v1/orgs/CS1/rename", {"date": "0001-01-01", "name": "x"})
    put_body("no-session", "/api/v1/members/M3/official", {"official_on": "2018-06-01"}, flags=0x80)
    put_body("chunked", "/api/v1/members/M3/official", {"official_on": "2018-06-01"}, flags=0x20)
    put_body("text-plain", "/api/v1/members/M3/official", b'{"official_on": "2018-06-01"}\x04', flags=0x40)
    put_body("type-invalid-utf8", "/api/v1/members/M3/official", b'{"official_on": "2018-06-01"}\x09', flags=0x40)
    put_body("too-large", "/api/v1/orgs/CS1/rename", b'{"date":"2020-01-01","name":"' + b"y" * 65536 + b'"}')
    put_body("at-limit", "/api/v1/orgs/CS1/rename",
             b'{"date":"2020-01-01","name":"' + b"y" * (65536 - 32) + b'"}')
    put_body("long-name", "/api/v1/orgs/CS1/rename", {"date": "2020-01-01", "name": "Đ" * 3000})


GET_SEEDS = [
    "/api/v1/health",
    "/api/v1/units", "/api/v1/units?parent=", "/api/v1/units?parent=00001&as_of=2018-05-22",
    "/api/v1/units?level=village&sort=-name&page=2&per_page=2", "/api/v1/units?q=ban%20na&sort=name",
    "/api/v1/units/00001?as_of=2019-01-01", "/api/v1/units/00003-02", "/api/v1/units/NOPE",
    "/api/v1/institutions?unit=00001&kind=school", "/api/v1/institutions?per_page=500&page=1000000000",
    "/api/v1/orgs?parent=OP", "/api/v1/orgs?scope=00001&kind=cell&sort=-code", "/api/v1/orgs?q=chi+bo+na",
    "/api/v1/orgs/OC1?as_of=2018-05-22", "/api/v1/orgs/CV21?as_of=2030-01-01",
    "/api/v1/members?q=mua%20a%20sung", "/api/v1/members?q=sung+mua&status=all", "/api/v1/members?q=M1",
    "/api/v1/members?org=OC1&as_of=2018-05-22&sort=-admitted_on", "/api/v1/members?scope=00003&sort=id&per_page=1",
    "/api/v1/members?q=%C4%91%E1%BA%B7ng", "/api/v1/members?q=%22", "/api/v1/members?q=a*", "/api/v1/members?q=*",
    "/api/v1/members?q=NEAR(a%20b)", "/api/v1/members?q=a%20OR%20b", "/api/v1/members?q=-a", "/api/v1/members?q=%5Ea",
    "/api/v1/members?q=id:M1", "/api/v1/members?q=%27%3B--", "/api/v1/members?q=%C3", "/api/v1/members?q=%00a",
    "/api/v1/members?q=++", "/api/v1/members?q=(", "/api/v1/members?q=%E2%80%8B", "/api/v1/members/M2",
    "/api/v1/members/M2?as_of=2017-01-01", "/api/v1/members/NOPE",
    "/api/v1/reports/asof?as_of=2018-05-22&scope=11", "/api/v1/reports/asof?as_of=2018-05-22&compare=2016-01-01",
    "/api/v1/reports/asof?scope=", "/api/v1/reports/asof?scope=00001&as_of=0001-01-01",
    "/api/v1/reports/flow?from=2016-01-01&to=2018-05-22", "/api/v1/reports/flow?from=2019-01-01&to=2016-01-01",
    "/api/v1/reports/flow?from=0001-01-01&to=9999-12-31&scope=01",
    "/api/v1/reports/timeline?step=month&from=2015-01-01&to=2018-05-22",
    "/api/v1/reports/timeline?step=month&from=0001-01-01&to=9999-12-31",
    "/api/v1/reports/timeline?step=year&from=2020-01-01&to=2019-01-01",
    "/api/v1/reports/admissions?step=month&from=2015-01-01&to=2018-05-22",
    "/api/v1/reports/admissions?step=month&from=0001-01-01&to=9999-12-31",
    "/api/v1/reports/admissions?step=year&from=9999-12-31&to=9999-12-31&scope=00003",
    "/api/v1/openapi.json",
    "/api/v1/units?as_of=2018-02-30", "/api/v1/units?per_page=0", "/api/v1/units?per_page=501",
    "/api/v1/units?page=99999999999999999999", "/api/v1/units?page=-1", "/api/v1/units?sort=bogus",
    "/api/v1/units?as_of", "/api/v1/units?as_of=&as_of=2018-05-22", "/api/v1/units?_=12345",
    "/api/v1/nothing", "/api/v1/units/", "/api/v1/units/a/b", "/api", "/api/v2/units", "/api/v1/units/%2e%2e",
    "/", "/index.html", "/members/M1?as_of=2018-05-22", "/assets/app.js", "/assets/gone.js", "/assets/link.js",
    "/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt", "/..\\secret.txt",
    "/assets", "//etc/passwd", "/" + "a/" * 2100,
    "/api/v1/units?" + "&".join("k%d=v" % i for i in range(33)),
    "/api/v1/units?q=" + "a" * 4097,
    "/api/v1/members?q=" + "%C4%91" * 600,
    # text echoed into an error's detail that is not UTF-8, or cut inside a character
    "/api/v1/units?as_of=%FF", "/api/v1/units/%FF", "/api/v1/members/%C4", "/assets/%FF.js", "/api/v1/%E1%BA",
    "/api/v1/nothing/" + "%C4%91" * 700, "/api/v1/units?level=" + "%C4%91" * 700,
    # without the session (when the server has sessions)
    "!/api/v1/health", "!/api/v1/members?q=sung", "!/api/v1/session", "!/", "/api/v1/session",
]


def query_seeds(out):
    for i, target in enumerate(GET_SEEDS):
        put(out, "query", "%03d" % i, target)


def date_seeds(out):
    texts = ["2018-05-22", "1970-01-01", "0001-01-01", "9999-12-31", "0000-12-31", "2019-02-29", "2020-02-29",
             "1900-02-29", "2000-02-29", "2018-04-31", "2018-13-01", "2018-00-10", "2018-01-00", "2018-5-22",
             " 2018-05-22", "2018-05-22 ", "+018-05-22", "-018-05-22", "2018/05/22", "20180522", "2018-05-2a",
             "２018-05-22", ""]
    for i, t in enumerate(texts):
        put(out, "date", "text-%02d" % i, t)
    for name, n in (("day-min", -10000000), ("day-max", 10000000), ("day-0", 0), ("day-last", 2932896),
                    ("day-after-last", 2932897), ("day-first", -719162), ("day-before-first", -719163),
                    ("int-min", -2 ** 31), ("int-max", 2 ** 31 - 1)):
        put(out, "date", name, n.to_bytes(4, "little", signed=True))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "corpus")
    csv_seeds(out)
    import_seeds(out)
    body_seeds(out)
    query_seeds(out)
    date_seeds(out)
    for h in sorted(os.listdir(out)):
        print("%-8s %4d files" % (h, len(os.listdir(os.path.join(out, h)))))


if __name__ == "__main__":
    main()
