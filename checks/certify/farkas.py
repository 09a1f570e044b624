"""Farkas and Schmüdgen-product certificates by linear programming, recovered exactly.

The constraints of a leaf (g > 0, g >= 0, h = 0, polynomials) are refuted by an identity
``sum l_S * prod(g in S) + sum t_j * h_j + c == 0`` with scalars ``l_S >= 0`` over the single
constraints and the products of pairs (Farkas' lemma when all are linear), polynomial ``t_j``
and ``c >= 0``, normalised by ``c + sum(l_S, S strict) == 1``.  HiGHS finds one in floats;
the exact certificate is the solution of the same equations restricted to the columns the LP
used, in rationals (python-flint), kept only when its scalars are non-negative.
"""

from __future__ import annotations

import functools
import itertools
from fractions import Fraction

import flint
import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csc_matrix

from .checker import Poly, pmul

__all__ = ["Constraints", "Memo", "assemble", "find_farkas", "mono_text", "poly_json"]

Constraints = list[tuple[Poly, str]]
"""A leaf's constraints: (polynomial, relation) with relation ``>``, ``>=`` or ``=``."""


def _number(c: Fraction) -> str:
    text = str(abs(c.numerator)) if c.denominator == 1 else f"(/ {abs(c.numerator)} {c.denominator})"
    return f"(- {text})" if c < 0 else text


def mono_text(m: tuple[tuple[str, int], ...]) -> str:
    """A monomial as an SMT-LIB term: ``(* x x y)``, ``x``, ``1``."""
    factors = [v for v, e in m for _ in range(e)]
    return "1" if not factors else factors[0] if len(factors) == 1 else f"(* {' '.join(factors)})"


def poly_json(p: Poly) -> str:
    """A polynomial as an SMT-LIB term (the checker's format for polynomials)."""
    terms = []
    for m, c in sorted(p.items()):
        if not m:
            terms.append(_number(c))
        else:
            mono = mono_text(m)
            terms.append(mono if c == 1 else f"(* {_number(c)} {mono})")
    return "0" if not terms else terms[0] if len(terms) == 1 else f"(+ {' '.join(terms)})"


def _times(a: tuple[tuple[str, int], ...], b: tuple[tuple[str, int], ...]
           ) -> tuple[tuple[str, int], ...]:
    d = dict(a)
    for v, e in b:
        d[v] = d.get(v, 0) + e
    return tuple(sorted(d.items()))


@functools.lru_cache(maxsize=256)
def _monomials(variables: tuple[str, ...], degree: int) -> list[tuple[tuple[str, int], ...]]:
    out: list[tuple[tuple[str, int], ...]] = [()]
    for d in range(1, degree + 1):
        for combo in itertools.combinations_with_replacement(sorted(variables), d):
            out.append(tuple(sorted({v: combo.count(v) for v in combo}.items())))
    return out


def _spread(p: Poly) -> float:
    sizes = [abs(v) for v in p.values()]
    return float(max(sizes) / min(sizes))


Memo = dict[tuple[object, ...], tuple[Poly, list[Poly]]]
"""Products already computed, by the ids of their factors (which it keeps alive)."""


def _product(factors: list[Poly], memo: Memo) -> Poly:
    key: tuple[object, ...] = tuple(id(f) for f in factors)
    got = memo.get(key)
    if got is None:
        prod: Poly = {(): Fraction(1)}
        for f in factors:
            prod = pmul(prod, f)
        got = memo[key] = (prod, factors)
    return got[0]


def _columns(path: Constraints, level: int, memo: Memo
             ) -> tuple[list[Poly], list[tuple[str, object]]]:
    """Candidate terms: (polynomial, what it is) for each column of the LP.

    Level 1: the constraints and their pairwise products; level 2 adds products of three and
    squares of variables times a constraint; the ideal multipliers have degree <= level + 1.
    """
    ineq = [i for i, (_, r) in enumerate(path) if r != "="]
    variables = sorted({v for p, _ in path for m in p for v, _ in m})
    cols: list[Poly] = [{(): Fraction(1)}]
    what: list[tuple[str, object]] = [("const", None)]
    for size in range(1, 2 + min(level, 2)):
        for combo in itertools.combinations_with_replacement(ineq, size):
            prod = _product([path[i][0] for i in combo], memo)
            if size > 1 and _spread(prod) > 1e8:  # floats cannot use it (1e9 bounds squared)
                continue
            cols.append(prod)
            what.append(("prod", (combo, "1")))
    if level >= 2:  # v^2 * g >= 0 (and v^2 >= 0): diagonal sums of squares
        for v in variables:
            square = memo.setdefault(("square", v), ({((v, 2),): Fraction(1)}, []))[0]
            for i in [None, *ineq]:
                cols.append(square if i is None else _product([square, path[i][0]], memo))
                what.append(("prod", (() if i is None else (i,), v)))
    for k, (h, r) in enumerate(path):
        if r == "=":
            for m in _monomials(tuple(variables), level + 1):
                key = (id(h), m)
                got = memo.get(key)
                if got is None:
                    got = memo[key] = ({_times(a, m): c for a, c in h.items()}, [h])
                cols.append(got[0])
                what.append(("ideal", (k, m)))
    return cols, what


def find_farkas(path: Constraints, level: int = 1, memo: Memo | None = None
                ) -> dict[str, object] | None:
    """A checker ``psatz`` leaf refuting ``path``, or ``None`` (none of this shape found);
    ``memo`` shares products between the leaves of one search."""
    if not path:
        return None
    cols, what = _columns(path, level, {} if memo is None else memo)
    strict = [w[0] == "const" or (w[0] == "prod" and w[1][1] == "1"  # type: ignore[index]
                                  and all(path[i][1] == ">" for i in w[1][0]))  # type: ignore[index]
              for w in what]
    rows = sorted({m for c in cols for m in c})
    index = {m: r for r, m in enumerate(rows)}
    data, ri, ci = [], [], []
    for j, c in enumerate(cols):  # columns scaled to a largest coefficient of 1 (HiGHS)
        scale = float(max(abs(v) for v in c.values()))
        for m, v in c.items():
            data.append(float(v) / scale)
            ri.append(index[m])
            ci.append(j)
    for j, s in enumerate(strict):  # the normalisation row
        if s:
            data.append(1.0)
            ri.append(len(rows))
            ci.append(j)
    a = csc_matrix((data, (ri, ci)), shape=(len(rows) + 1, len(cols)))
    b = np.zeros(len(rows) + 1)
    b[-1] = 1.0
    free = [w[0] == "ideal" for w in what]
    bounds = [(None, None) if f else (0, None) for f in free]
    res = linprog(np.array([0.0 if f else 1.0 for f in free]), A_eq=a, b_eq=b,
                  bounds=bounds, method="highs")
    if res.status != 0:
        return None
    return _exact(cols, what, strict, rows, res.x, free)


def _exact(cols: list[Poly], what: list[tuple[str, object]], strict: list[bool],
           rows: list[tuple[tuple[str, int], ...]], x: np.ndarray, free: list[bool]
           ) -> dict[str, object] | None:
    """The exact solution on the LP's support, as a checker leaf (``None``: not exact)."""
    support = [j for j in range(len(cols)) if abs(x[j]) > 1e-9]
    index = {m: r for r, m in enumerate(rows)}
    n = len(support)
    mat = flint.fmpq_mat(len(rows) + 1, n + 1)
    for k, j in enumerate(support):
        for m, v in cols[j].items():
            mat[index[m], k] = flint.fmpq(v.numerator, v.denominator)
        if strict[j]:
            mat[len(rows), k] = 1
    mat[len(rows), n] = 1
    red, rank = mat.rref()
    y = [Fraction(0)] * n
    for r in range(rank):
        lead = next(k for k in range(n + 1) if red[r, k] != 0)
        if lead == n:
            return None  # inconsistent on this support
        v = red[r, n]
        y[lead] = Fraction(int(v.p), int(v.q))
    if any(y[k] < 0 for k, j in enumerate(support) if not free[j]):
        return None
    return _leaf({j: y[k] for k, j in enumerate(support) if y[k]}, what)


def _leaf(coef: dict[int, Fraction], what: list[tuple[str, object]]) -> dict[str, object]:
    products, ideal, const = [], {}, Fraction(0)
    for j, v in coef.items():
        kind, arg = what[j]
        if kind == "const":
            const = v
        elif kind == "prod":
            of, square = arg  # type: ignore[misc]
            sos = str(v) if square == "1" else {"basis": [square], "gram": [[str(v)]]}
            products.append({"sos": sos, "of": list(of)})
        else:
            k, m = arg  # type: ignore[misc]
            ideal.setdefault(k, {})[m] = v
    return assemble(products, ideal, const)


def assemble(products: list[dict[str, object]], ideal: dict[int, Poly],
             const: Fraction) -> dict[str, object]:
    """A leaf's identity as JSON: the products (a positive constant is the empty product) and
    the ideal's polynomial multipliers, by the index of the equation they multiply."""
    if const:
        products.append({"sos": str(const), "of": []})
    return {"products": products,
            "ideal": [{"mul": poly_json(p), "of": k} for k, p in sorted(ideal.items())]}
