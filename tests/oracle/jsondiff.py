"""jsondiff: compare a report against a reference report, on the reference's
keys only (the contract: extra keys in the report under test are allowed).

`children` lists are matched by their `code` (order does not matter).
"""


def contract_diff(ref, got, path="$"):
    """Differences between got and ref, as a list of readable lines
    ("PATH: expected X, got Y").  Only keys present in ref are looked at."""
    if isinstance(ref, dict):
        if not isinstance(got, dict):
            return ["%s: expected an object, got %s" % (path, _short(got))]
        out = []
        for key, value in ref.items():
            if key not in got:
                out.append("%s.%s: missing (expected %s)"
                           % (path, key, _short(value)))
            else:
                out += contract_diff(value, got[key], "%s.%s" % (path, key))
        return out
    if isinstance(ref, list):
        if not isinstance(got, list):
            return ["%s: expected a list, got %s" % (path, _short(got))]
        if all(isinstance(x, dict) and "code" in x for x in ref):
            return _diff_by_code(ref, got, path)
        if len(ref) != len(got):
            return ["%s: expected %d items, got %d"
                    % (path, len(ref), len(got))]
        out = []
        for i, (r, g) in enumerate(zip(ref, got)):
            out += contract_diff(r, g, "%s[%d]" % (path, i))
        return out
    # scalars: compare type and value (True is not 1, 1.0 is not 1)
    if type(ref) is not type(got) or ref != got:
        return ["%s: expected %s, got %s" % (path, _short(ref), _short(got))]
    return []


def _diff_by_code(ref, got, path):
    """Lists of objects with a `code`: order-insensitive match by code."""
    out = []
    got_by_code = {}
    for g in got:
        code = g.get("code") if isinstance(g, dict) else None
        if code in got_by_code:
            out.append("%s[code=%s]: listed twice" % (path, code))
        got_by_code[code] = g
    ref_codes = set()
    for r in ref:
        ref_codes.add(r["code"])
        if r["code"] not in got_by_code:
            out.append("%s[code=%s]: missing" % (path, r["code"]))
        else:
            out += contract_diff(r, got_by_code[r["code"]],
                                 "%s[code=%s]" % (path, r["code"]))
    for code in got_by_code:
        if code not in ref_codes:
            out.append("%s[code=%s]: not expected" % (path, code))
    return out


def _short(value):
    import json
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."
