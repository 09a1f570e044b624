"""A standalone exact checker of bebcheck's certificates: standard library only, no solver.

``python checker.py DIR [AUDIT.json]``: each ``DIR/*.json`` but ``index.json``; exit 0 when all
pass.  An accepted certificate establishes (1) that the assertions of its ``smtlib`` text, less
those it lists as ``unused``, have no common model over the reals (Int variables included),
reading ``and or not => = < <= > >= + - * ite`` as usual, ``/`` as division by a non-zero
constant (anything else is rejected); (2) with AUDIT.json (``bebcheck audit --format json``),
that the text is the query the audit's solvers were asked for that id: hypotheses, domains,
lemma instances and the negated claim, so the claim follows from them.  The proof splits on
polynomials' signs (branches among ``< <= = >= >`` covering all signs); a leaf makes the
assertions false (three-valued logic) by its path's signs, or is an identity ``sum s_k prod(g in
S_k) + sum t_j h_j == 0`` over its path's g > 0, g >= 0, h = 0 (exact coefficients), each s_k a
sum of squares by a PSD Gram matrix (exact LDL^T), some s_k a positive constant, S_k strict.
NOT established: that the statement means the paper's step (the abstraction of log/exp into
variables, the lemma instances named as premises in ``origins``, the SMT-LIB printing: trusted).
"""

import functools
import itertools
import json
import re
import sys
from collections import Counter
from fractions import Fraction as Q
from pathlib import Path
from typing import Any

__all__ = ["CertificateError", "check", "check_dir", "main", "psd", "sexp"]

Poly = dict[tuple[tuple[str, int], ...], Q]  # monomial ((variable, exponent), ...) → coefficient
SIGNS = {"<": {-1}, "<=": {-1, 0}, "=": {0}, ">=": {0, 1}, ">": {1}}
BOOL = {*SIGNS, "and", "or", "not", "=>"}
MEMO: dict[Any, tuple[Any, int]] = {}  # a certificate's ite-free relations: (key, sign)

class CertificateError(ValueError):
    """A certificate is rejected (the message says why)."""

def need(ok: object, why: str) -> None:
    if not ok:
        raise CertificateError(why)

def sexp(text: str) -> list[Any]:
    """S-expressions as nested tuples of tokens."""
    stack: list[list[Any]] = [[]]
    for tok in re.findall(r"[()]|[^\s()]+", text):
        need(tok != ")" or len(stack) > 1, "unbalanced parentheses")
        item = [] if tok == "(" else tuple(stack.pop()) if tok == ")" else tok
        (stack if tok == "(" else stack[-1]).append(item)
    return stack[0]  # (an unclosed expression at the end is left out)

def padd(a: Poly, b: Poly, k: Q = Q(1)) -> Poly:
    (out := Counter(a)).update({m: k * c for m, c in b.items()})
    return {m: c for m, c in out.items() if c}

def pmul(a: Poly, b: Poly) -> Poly:
    out: Counter[Any] = Counter()
    for (ma, ca), (mb, cb) in itertools.product(a.items(), b.items()):
        out[tuple(sorted((Counter(dict(ma)) + Counter(dict(mb))).items()))] += ca * cb
    return {m: c for m, c in out.items() if c}

def term(t: Any, st: dict[Any, set[int]], names: set[str]) -> Poly | None:
    """A term as a polynomial under the path's signs (``None``: an undecided ``ite``)."""
    if isinstance(t, str):
        if re.fullmatch(r"[0-9]+(\.[0-9]+)?", t):  # a numeral, never a variable
            return {(): Q(t)} if Q(t) else {}
        need(t in names, f"unknown symbol {t}")
        return {((t, 1),): Q(1)}
    op, args = t[0], t[1:]
    if op == "ite":
        b = formula(args[0], st, names)
        return None if b is None else term(args[1] if b else args[2], st, names)
    if None in (ps := [term(a, st, names) for a in args]):
        return None
    need((op in ("+", "-", "*") and ps) or (op == "/" and len(ps) == 2 and set(ps[1]) == {()}),
         f"unsupported term {op}, or division by a non-constant")
    out = {} if op == "-" and len(ps) == 1 else ps.pop(0)
    for p in ps:
        out = pmul(out, p) if op == "*" else padd({}, out, 1 / p[()]) if op == "/" else padd(
            out, p, Q(-1 if op == "-" else 1))
    return out

def norm(p: Poly) -> tuple[Any, int]:
    """``p`` scaled to leading coefficient 1 (a key) and the sign of that coefficient."""
    lead = p[max(p)]
    return tuple(sorted((m, c / abs(lead)) for m, c in p.items())), 1 if lead > 0 else -1

def formula(e: Any, st: dict[Any, set[int]], names: set[str]) -> bool | None:
    """Three-valued truth of ``e`` given the signs of the polynomials split on so far."""
    if e in ("true", "false"):
        return e == "true"
    op, args = e[0], e[1:]
    need(op in BOOL and len(args) == {"not": 1, "and": len(args), "or": len(args)}.get(op, 2), op)
    if op in SIGNS and not (op == "=" and isinstance(args[0], tuple) and args[0][0] in BOOL):
        if (got := MEMO.get(e)) is None:
            if None in (pq := [term(a, st, names) for a in args]):
                return None
            d = padd(pq[0], pq[1], Q(-1))  # type: ignore[arg-type]
            got = norm(d) if set(d) - {()} else (None, (d.get((), 0) > 0) - (d.get((), 0) < 0))
            MEMO.update({e: got} if "'ite'" not in repr(e) else {})
        signs = {got[1] * x for x in st.get(got[0], {-1, 0, 1})} if got[0] else {got[1]}
        return True if signs <= SIGNS[op] else False if not signs & SIGNS[op] else None
    vs = [formula(a, st, names) for a in args]
    if op in ("not", "=>"):
        vs[0] = None if vs[0] is None else not vs[0]
    if op in ("and", "or", "=>"):
        stop = op != "and"  # the value that decides: False for and, True for or and =>
        return stop if stop in vs else None if None in vs else not stop
    return vs[0] if op == "not" else None if None in vs else vs[0] == vs[1]

def psd(g: list[list[Q]]) -> bool:
    """Exact LDL^T: ``g`` is symmetric (row by row, as elimination keeps asymmetry) and PSD."""
    a = [row[:] for row in g]
    for k in range(len(a)):
        if a[k][k] < 0 or any(a[i][k] != a[k][i] or (a[k][k] == 0 and a[i][k])
                              for i in range(k + 1, len(a))):
            return False
        for i, j in itertools.product(range(k + 1, len(a)) if a[k][k] else (), repeat=2):
            a[i][j] -= a[i][k] * a[k][j] / a[k][k]
    return True

def leaf(cert: dict[str, Any], path: list[tuple[Poly, str]], poly: Any) -> None:
    """A Positivstellensatz identity over the path's constraints: its terms sum to zero."""
    total, strict = {}, False
    for t in cert["products"]:  # sos: a Gram matrix, or a number (a 1 x 1 one over basis 1)
        s = t["sos"] if isinstance(t["sos"], dict) else {"gram": [[t["sos"]]]}
        gs, gram = [path[i] for i in t["of"]], [[Q(x) for x in r] for r in s["gram"]]
        base = [poly(b) for b in s.get("basis", ["1"])]
        need(all(r in (">", ">=") for _, r in gs) and len(gram) == len(base) and psd(gram),
             "a product of a non-inequality, or a Gram matrix that is not PSD")
        strict = strict or ("basis" not in s and gram[0][0] > 0 and all(r == ">" for _, r in gs))
        sq = functools.reduce(padd, [pmul(pmul(base[i], base[j]), {(): gram[i][j]}) for i, j
                                     in itertools.product(range(len(base)), repeat=2)], {})
        total = padd(total, functools.reduce(pmul, [g for g, _ in gs], sq))
    for t in cert.get("ideal", []):
        need(path[t["of"]][1] == "=", "an ideal multiplier of a non-equation")
        total = padd(total, pmul(poly(t["mul"]), path[t["of"]][0]))
    need(not total and strict, "the identity does not hold, or no term is strictly positive")

def node(n: dict[str, Any], st: dict[Any, set[int]], path: list[tuple[Poly, str]],
         names: set[str], facts: list[Any]) -> None:
    """Every branch of the case-split tree ``n`` ends in a valid leaf."""
    def poly(text: str) -> Poly:
        need(len(ts := sexp(text)) == 1 and (p := term(ts[0], {}, names)) is not None, "bad term")
        return p  # type: ignore[return-value]
    if "false" in n:
        need(formula(("and", *facts), st, names) is False, "a leaf where the assertions may hold")
    elif "psatz" in n:
        leaf(n["psatz"], path, poly)
    else:
        need(set(p := poly(n["split"])) - {()} and set().union(*(SIGNS[k] for k in n["branches"]))
             == {-1, 0, 1}, "a split on a constant, or one that misses a sign")
        key, s = norm(p)
        for k, child in n["branches"].items():
            g = (padd({}, p, Q(-1)), k.replace("<", ">")) if "<" in k else (p, k)
            node(child, {**st, key: st.get(key, {-1, 0, 1}) & {s * x for x in SIGNS[k]}},
                 [*path, g], names, facts)

def check(doc: dict[str, Any], audit: dict[str, str] | None = None) -> list[str]:
    """Accept ``doc`` or raise :class:`CertificateError`; return the premises it rests on."""
    need(doc.get("format") == "bebcheck-certificate-1" and (audit is None or audit.get(
        doc["obligation"]) == doc["smtlib"]), "an unknown format, or not the audit's query")
    MEMO.clear()
    try:
        cmds = sexp(doc["smtlib"])  # the query: declarations and assertions, nothing else
        names = {c[1] for c in cmds if c[0] == "declare-const" and c[2] in ("Real", "Int")}
        facts = [c[1] for c in cmds if c[0] == "assert"]
        need(cmds[0] == ("set-logic", "ALL") and cmds[-1] == ("check-sat",)
             and len(names) + len(facts) + 2 == len(cmds), "unsupported commands or sorts")
        need(len(doc["origins"]) == len(facts), "an assertion without an origin")
        used = set(range(len(facts))) - set(doc.get("unused", []))  # unused: not relied on
        node(doc["proof"], {}, [], names, [f for k, f in enumerate(facts) if k in used])
    except (KeyError, IndexError, TypeError, AttributeError, ZeroDivisionError) as e:
        raise CertificateError(f"malformed: {type(e).__name__}: {e}") from None
    return [o for k, o in enumerate(doc["origins"]) if k in used and o.startswith("premise")]

def check_dir(folder: str, audit: str | None = None) -> dict[str, str]:
    """Certificate file → "" (accepted) or why it is rejected, for each one in ``folder``."""
    queries, out = {}, {}  # the audit report's obligations (side conditions included); results
    json.loads(Path(audit).read_text(encoding="utf-8") if audit else "{}", object_hook=lambda o:
               ("claim_smtlib2" in o and queries.update({o["id"]: o["claim_smtlib2"]})) or o)
    for f in sorted(p for p in Path(folder).glob("*.json") if p.name != "index.json"):
        try:
            check(json.loads(f.read_text(encoding="utf-8")), queries if audit else None)
            out[f.name] = ""
        except (ValueError, KeyError, TypeError, RecursionError) as e:
            out[f.name] = f"{type(e).__name__}: {e}"
    return out

def main(argv: list[str]) -> int:
    """One line per certificate, then a count; 0 when there are some and all are accepted."""
    got = check_dir(argv[0], argv[1] if len(argv) > 1 else None)
    print("".join(f"REJECTED {n}: {w}\n" if w else f"ok       {n}\n" for n, w in got.items()))
    print(f"{len(got) - (bad := sum(1 for w in got.values() if w))} accepted, {bad} rejected")
    return 1 if bad or not got else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
