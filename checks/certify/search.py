"""The untrusted search for a case-split proof tree of an SMT-LIB query (the checker's format).

Depth first, as a DPLL(T) procedure would: the atoms that some assertion forces are added as
splits whose other branches make the query false; then the leaf's constraints are refuted
by a Farkas / Schmüdgen-product certificate (``farkas``) or a sum-of-squares one (``sos``);
failing both, the search splits on an undecided atom of the smallest undecided assertion.
Everything it returns is re-checked by :mod:`checker`; nothing here is trusted.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from .checker import SIGNS, Poly, norm, padd, sexp, term
from .farkas import Constraints, Memo, find_farkas, poly_json

__all__ = ["Budget", "NotFound", "Search", "prove"]

_COMPLEMENT = {">": ("<=",), ">=": ("<",), "<": (">=",), "<=": (">",), "=": ("<", ">")}
_BOOL = {*SIGNS, "and", "or", "not", "=>", "true", "false"}
Leaf = Callable[[Constraints], "dict[str, Any] | None"]


class NotFound(Exception):
    """No proof tree within the budget (the message says what gave out)."""


@dataclass
class Budget:
    """Limits of one search: leaves refuted, wall-clock seconds."""

    nodes: int = 400
    seconds: float = 20.0
    start: float = field(default_factory=time.perf_counter)
    used: int = 0

    def spend(self) -> None:
        self.used += 1
        if self.used > self.nodes:
            raise NotFound(f"size: more than {self.nodes} case splits")
        if time.perf_counter() - self.start > self.seconds:
            raise NotFound(f"size: more than {self.seconds:g} s of search")


def _is_relation(e: Any) -> bool:
    if not isinstance(e, tuple) or e[0] not in SIGNS:
        return False
    first = e[1]
    return not (e[0] == "=" and (first if isinstance(first, str) else first[0]) in _BOOL)


def _has_ite(e: Any) -> bool:
    return isinstance(e, tuple) and (e[0] == "ite" or any(_has_ite(a) for a in e[1:]))


class Search:
    """The search over one query: atoms' polynomials are computed once."""

    def __init__(self, text: str, leaves: list[Leaf], budget: Budget | None = None,
                 harder: list[Leaf] | None = None, unused: tuple[int, ...] = ()) -> None:
        """``leaves`` are tried at every node, ``harder`` (costlier) where nothing is left to
        split on; the assertions numbered in ``unused`` are left out (as the checker does)."""
        cmds = sexp(text)  # as the checker reads it
        if "(to_int " in text:
            raise NotFound("integrality: the checker does not read floors (to_int)")
        self.names = {c[1] for c in cmds if c[0] == "declare-const"}
        self.ints = {c[1] for c in cmds if c[0] == "declare-const" and c[2] == "Int"}
        facts = [c[1] for c in cmds if c[0] == "assert"]
        self.facts = [f for k, f in enumerate(facts) if k not in unused]
        self.leaves = leaves
        self.harder = harder or []
        self.budget = budget or Budget()
        self._polys: dict[Any, Poly | None] = {}

    # -- three-valued truth, as the checker computes it -----------------------------------
    def poly(self, atom: Any, st: dict[Any, set[int]]) -> Poly | None:
        """``lhs - rhs`` of a relation (``None``: an undecided ``ite`` in it)."""
        if atom in self._polys:
            return self._polys[atom]
        p, q = term(atom[1], st, self.names), term(atom[2], st, self.names)
        d = None if p is None or q is None else padd(p, q, Fraction(-1))
        if not _has_ite(atom):
            self._polys[atom] = d
        return d

    def truth(self, e: Any, st: dict[Any, set[int]]) -> bool | None:
        if e in ("true", "false"):
            return e == "true"
        if _is_relation(e):
            d = self.poly(e, st)
            if d is None:
                return None
            if not set(d) - {()}:
                c = d.get((), 0)
                signs = {(c > 0) - (c < 0)}
            else:
                key, s = norm(d)
                signs = {s * x for x in st.get(key, {-1, 0, 1})}
            want = SIGNS[e[0]]
            return True if signs <= want else False if not signs & want else None
        op, vs = e[0], [self.truth(a, st) for a in e[1:]]
        if op in ("not", "=>"):
            vs[0] = None if vs[0] is None else not vs[0]
            if op == "not":
                return vs[0]
        if op in ("and", "or", "=>"):
            stop = op != "and"
            return stop if stop in vs else None if None in vs else not stop
        return None if None in vs else vs[0] == vs[1]

    # -- what the assertions force, and what to split on ----------------------------------
    def forced(self, e: Any, want: bool, st: dict[Any, set[int]]) -> list[tuple[Any, bool]]:
        """Literals that must hold for ``e`` to have the value ``want``."""
        if self.truth(e, st) is not None:
            return []
        if _is_relation(e):
            return [(e, want)]
        op, args = e[0], list(e[1:])
        if op == "not":
            return self.forced(args[0], not want, st)
        if op == "=>":
            op, args = "or", [("not", args[0]), args[1]]
        if op in ("and", "or"):
            if (op == "and") == want:  # every argument must be `want`
                return [lit for a in args for lit in self.forced(a, want, st)]
            open_ = [a for a in args if self.truth(a, st) is None]
            return self.forced(open_[0], want, st) if len(open_) == 1 else []
        a, b = (self.truth(x, st) for x in args)  # boolean =
        if a is not None:
            return self.forced(args[1], a == want, st)
        return self.forced(args[0], b == want, st) if b is not None else []

    def atoms(self, e: Any, st: dict[Any, set[int]]) -> Iterator[Any]:
        """Undecided relations in the formula ``e`` whose polynomial is known (for one with
        an undecided ``ite``, the relations of its condition)."""
        if self.truth(e, st) is not None:
            return
        if not _is_relation(e):
            for a in e[1:]:
                yield from self.atoms(a, st)
        elif self.poly(e, st) is not None:
            yield e
        else:
            yield from self._term_atoms(e[1], st)
            yield from self._term_atoms(e[2], st)

    def _term_atoms(self, t: Any, st: dict[Any, set[int]]) -> Iterator[Any]:
        if not isinstance(t, tuple):
            return
        if t[0] == "ite":
            yield from self.atoms(t[1], st)
        for a in t[1 + (t[0] == "ite"):]:
            yield from self._term_atoms(a, st)

    # -- the tree -------------------------------------------------------------------------
    def prove(self) -> dict[str, Any]:
        return self.node({}, [])

    def node(self, st: dict[Any, set[int]], path: Constraints) -> dict[str, Any]:
        if self.truth(("and", *self.facts), st) is False:
            return {"false": True}
        open_ = [f for f in self.facts if self.truth(f, st) is None]
        for f in open_:
            for atom, want in self.forced(f, True, st):
                d = self.poly(atom, st)
                op = atom[0]
                keep = (op,) if want else _COMPLEMENT[op]
                if d is not None and len(keep) == 1:
                    return self.split(d, dict.fromkeys(keep)
                                      | {k: {"false": True} for k in _COMPLEMENT[keep[0]]},
                                      st, path)
        self.budget.spend()
        for leaf in self.leaves:
            cert = leaf(path)
            if cert is not None:
                return {"psatz": cert}
        best = min(open_, key=lambda f: sum(1 for _ in self.atoms(f, st)), default=None)
        atom = next(self.atoms(best, st), None) if best is not None else None
        if atom is None:
            for leaf in self.harder:
                cert = leaf(path)
                if cert is not None:
                    return {"psatz": cert}
            raise NotFound(self.why(path))
        keys = {"=": ("<", "=", ">"), ">": (">", "<="), ">=": (">=", "<"),
                "<": ("<", ">="), "<=": ("<=", ">")}[atom[0]]
        return self.split(self.poly(atom, st), dict.fromkeys(keys), st, path)  # type: ignore[arg-type]

    def why(self, path: Constraints) -> str:
        """Why a leaf could not be refuted: integer variables, high degree, or neither."""
        names = {v for p, _ in path for m in p for v, _ in m}
        ints = sorted(names & self.ints)
        if ints:
            return (f"integrality: a leaf over the integer variable(s) {', '.join(ints)} "
                    "is not refuted over the reals")
        top = max((sum(e for _, e in m) for p, _ in path for m in p), default=0)
        if top > 2:
            return f"degree: a leaf of degree {top} has no certificate of the degrees tried"
        return "solver failure: a leaf whose constraints no certificate of the shapes tried refutes"

    def split(self, d: Poly, branches: dict[str, Any], st: dict[Any, set[int]],
              path: Constraints) -> dict[str, Any]:
        """A split on the sign of ``d``; branches given as ``None`` are searched."""
        out = {}
        for k, given in branches.items():
            if given is not None:
                out[k] = given
                continue
            key, s = norm(d)
            sub = {**st, key: st.get(key, {-1, 0, 1}) & {s * x for x in SIGNS[k]}}
            g = (padd({}, d, Fraction(-1)), k.replace("<", ">")) if "<" in k else (d, k)
            out[k] = self.node(sub, [*path, g])
        return {"split": poly_json(d), "branches": out}


def _level(n: int, memo: Memo) -> Leaf:
    return lambda path: find_farkas(path, n, memo)


def prove(text: str, leaves: list[Leaf] | None = None, budget: Budget | None = None,
          harder: list[Leaf] | None = None, unused: tuple[int, ...] = ()) -> dict[str, Any]:
    """A proof tree for ``text`` (raises :class:`NotFound`); by default Farkas and pairwise
    products everywhere; products of three, squares, higher ideal multipliers and a sum of
    squares (SDP) where nothing is left to split on."""
    memo: Memo = {}
    if harder is None:
        from .sos import find_sos

        harder = [_level(2, memo), _level(3, memo), find_sos]
    return Search(text, leaves or [_level(1, memo)], budget, harder, unused).prove()
