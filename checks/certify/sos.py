"""Sum-of-squares certificates by semidefinite programming (cvxpy + Clarabel), made exact.

A leaf's constraints (g > 0, g >= 0, h = 0) are refuted by
``s_0 + sum l_S * prod(g in S) + sum t_j * h_j + c == 0`` with ``s_0 = z' Q z`` a sum of squares
over the monomials ``z`` of degree <= d, ``Q`` PSD, scalars ``l_S >= 0`` over the constraints and
their pairs, polynomial ``t_j``, ``c >= 0`` and ``c + sum(l_S, S strict) == 1``.

Rounding: the SDP's answer is rounded to rationals and projected exactly onto the affine space
of the identity (least-norm correction, python-flint).  Many leaves are tight at a point
(Bernoulli's inequality at 0), where ``Q`` is singular and a rounded matrix leaves the PSD
cone: first a facial reduction drops each monomial of ``z`` whose diagonal entry the SDP left at
zero (its row and column must then vanish), and the scalars it left at zero; the exact result
is kept only when the checker's LDL^T finds ``Q`` PSD.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import flint
import numpy as np

from .checker import Poly, pmul, psd
from .farkas import Constraints, assemble, mono_text

__all__ = ["find_sos"]

Mono = tuple[tuple[str, int], ...]


def _times(a: Mono, b: Mono) -> Mono:
    (m,) = pmul({a: Fraction(1)}, {b: Fraction(1)})
    return m


def _basis(variables: list[str], degree: int) -> list[Mono]:
    out: list[Mono] = [()]
    for d in range(1, degree + 1):
        for combo in itertools.combinations_with_replacement(variables, d):
            out.append(tuple(sorted({v: combo.count(v) for v in combo}.items())))
    return out


def _columns(path: Constraints, variables: list[str]) -> tuple[list[Poly], list[tuple]]:
    """The scalar terms: constant, constraints and pairs (``l_S``), ideal multiples (``t_j``)."""
    ineq = [i for i, (_, r) in enumerate(path) if r != "="]
    cols: list[Poly] = [{(): Fraction(1)}]
    what: list[tuple] = [("const", ())]
    for size in (1, 2):
        for combo in itertools.combinations_with_replacement(ineq, size):
            prod: Poly = {(): Fraction(1)}
            for i in combo:
                prod = pmul(prod, path[i][0])
            cols.append(prod)
            what.append(("prod", combo))
    for k, (h, r) in enumerate(path):
        if r == "=":
            for m in _basis(variables, 2):
                cols.append(pmul(h, {m: Fraction(1)}))
                what.append(("ideal", (k, m)))
    return cols, what


class _System:
    """The identity's coefficient equations over the unknowns (Gram entries, then scalars)."""

    def __init__(self, path: Constraints, z: list[Mono], cols: list[Poly],
                 what: list[tuple]) -> None:
        self.z, self.cols, self.what = z, cols, what
        self.pairs = [(i, j) for i in range(len(z)) for j in range(i, len(z))]
        self.strict = [w[0] == "const" or (w[0] == "prod" and all(path[i][1] == ">"
                                                                  for i in w[1])) for w in what]
        monos = {_times(z[i], z[j]) for i, j in self.pairs} | {m for c in cols for m in c}
        self.rows = {m: r for r, m in enumerate(sorted(monos))}

    def matrix(self) -> tuple[list[dict[int, Fraction]], list[Fraction]]:
        """Sparse rows of ``A`` and ``b`` in ``A x = b``: x = (Q upper triangle, scalars)."""
        a: list[dict[int, Fraction]] = [{} for _ in range(len(self.rows) + 1)]
        for k, (i, j) in enumerate(self.pairs):
            r = self.rows[_times(self.z[i], self.z[j])]
            a[r][k] = a[r].get(k, Fraction(0)) + (1 if i == j else 2)
        base = len(self.pairs)
        for j, c in enumerate(self.cols):
            for m, v in c.items():
                a[self.rows[m]][base + j] = v
            if self.strict[j]:
                a[-1][base + j] = Fraction(1)
        return a, [Fraction(0)] * len(self.rows) + [Fraction(1)]


def _solve_sdp(sys_: _System) -> tuple[np.ndarray, np.ndarray] | None:
    """Clarabel's Gram matrix and scalars (``None``: no certificate of this shape)."""
    import cvxpy as cp
    from scipy.sparse import coo_matrix

    n, m = len(sys_.z), len(sys_.cols)
    a, b = sys_.matrix()
    rows, cq, dq, cl, dl, rl = [], [], [], [], [], []
    for r, row in enumerate(a):
        for k, v in row.items():
            if k < len(sys_.pairs):  # Q[i, j] and Q[j, i] each carry half of an off-diagonal
                i, j = sys_.pairs[k]
                for col in {i + n * j, j + n * i}:
                    rows.append(r)
                    cq.append(col)
                    dq.append(float(v) / (1 if i == j else 2))
            else:
                rl.append(r)
                cl.append(k - len(sys_.pairs))
                dl.append(float(v))
    aq = coo_matrix((dq, (rows, cq)), shape=(len(a), n * n)).tocsr()
    al = coo_matrix((dl, (rl, cl)), shape=(len(a), m)).tocsr()
    q = cp.Variable((n, n), PSD=True)
    lam = cp.Variable(m)
    fixed = np.array([w[0] != "ideal" for w in sys_.what])
    cons = [aq @ cp.vec(q, order="F") + al @ lam == np.array([float(x) for x in b])]
    if fixed.any():
        cons.append(lam[np.flatnonzero(fixed)] >= 0)
    prob = cp.Problem(cp.Minimize(cp.trace(q) + cp.norm1(lam)), cons)
    try:
        prob.solve(solver="CLARABEL")
    except cp.error.SolverError:
        return None
    if prob.status not in ("optimal", "optimal_inaccurate") or q.value is None:
        return None
    return np.array(q.value), np.array(lam.value)


def _project(a: list[dict[int, Fraction]], b: list[Fraction], x: list[Fraction],
             keep: list[int]) -> list[Fraction] | None:
    """``x`` corrected (least norm, exactly) so that ``A x = b``, moving only ``keep``."""
    n = len(keep)
    mat = flint.fmpq_mat(len(a), n + 1)
    for r, row in enumerate(a):
        rest = b[r] - sum(v * x[k] for k, v in row.items())
        for c, k in enumerate(keep):
            if k in row:
                mat[r, c] = flint.fmpq(row[k].numerator, row[k].denominator)
        mat[r, n] = flint.fmpq(rest.numerator, rest.denominator)
    red, rank = mat.rref()
    if any(red[r, n] != 0 and all(red[r, c] == 0 for c in range(n)) for r in range(rank)):
        return None  # the identity cannot hold on this support
    rmat = flint.fmpq_mat(rank, n, [red[r, c] for r in range(rank) for c in range(n)])
    rhs = flint.fmpq_mat(rank, 1, [red[r, n] for r in range(rank)])
    try:
        y = (rmat * rmat.transpose()).solve(rhs)
    except ZeroDivisionError:
        return None
    delta = rmat.transpose() * y
    out = list(x)
    for c, k in enumerate(keep):
        out[k] += Fraction(int(delta[c, 0].p), int(delta[c, 0].q))
    return out


def find_sos(path: Constraints, degree: int = 1) -> dict[str, object] | None:
    """A checker ``psatz`` leaf with one Gram matrix over monomials of degree <= ``degree``."""
    variables = sorted({v for p, _ in path for m in p for v, _ in m})
    if not path or len(variables) > 8:  # a larger SDP costs seconds and has not paid off
        return None
    cols, what = _columns(path, variables)
    sys_ = _System(path, _basis(variables, degree), cols, what)
    got = _solve_sdp(sys_)
    if got is None:
        return None
    q, lam = got
    # facial reduction: monomials the SDP gave (near) zero weight, and unused scalars, go
    live = [i for i in range(len(sys_.z)) if q[i, i] > 1e-7]
    used = [j for j in range(len(cols)) if abs(lam[j]) > 1e-9]
    sys_ = _System(path, [sys_.z[i] for i in live], [cols[j] for j in used],
                   [what[j] for j in used])
    q, lam = q[np.ix_(live, live)], lam[used]
    a, b = sys_.matrix()
    x = [Fraction(float(q[i, j])).limit_denominator(10**6) for i, j in sys_.pairs]
    x += [Fraction(float(v)).limit_denominator(10**6) for v in lam]
    exact = _project(a, b, x, list(range(len(x))))
    if exact is None:
        return None
    return _leaf(sys_, exact)


def _leaf(sys_: _System, x: list[Fraction]) -> dict[str, object] | None:
    n = len(sys_.z)
    gram = [[Fraction(0)] * n for _ in range(n)]
    for k, (i, j) in enumerate(sys_.pairs):
        gram[i][j] = gram[j][i] = x[k]
    scalars = x[len(sys_.pairs):]
    if (n and not psd(gram)) or any(v < 0 for v, w in zip(scalars, sys_.what, strict=True)
                                    if w[0] != "ideal"):
        return None
    products: list[dict[str, object]] = []
    if n:
        products.append({"sos": {"basis": [mono_text(m) for m in sys_.z],
                                 "gram": [[str(v) for v in row] for row in gram]}, "of": []})
    ideal: dict[int, Poly] = {}
    const = Fraction(0)
    for v, w in zip(scalars, sys_.what, strict=True):
        if not v:
            continue
        if w[0] == "const":
            const = v
        elif w[0] == "prod":
            products.append({"sos": str(v), "of": list(w[1])})
        else:
            ideal.setdefault(w[1][0], {})[w[1][1]] = v
    return assemble(products, ideal, const)
