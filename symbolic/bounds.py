"""Closed-form length bounds: a threshold over named parameters, with named terms, repaired and as printed."""

from __future__ import annotations

import enum
from dataclasses import dataclass

import sympy as sp

from .errors import InputError

__all__ = ["BoundKind", "LengthBound", "Term"]


class BoundKind(enum.StrEnum):
    """How a length relates to its threshold ``T``."""

    AT_LEAST = "at_least"  # the proof needs n > T: length max(0, floor(T) + 1)
    BELOW = "below"  # a guarantee holds while n < T: the largest such n, max(0, ceil(T) - 1)


@dataclass(frozen=True)
class Term:
    """One named part of a threshold (``key`` is stable; ``label`` is what users read)."""

    key: str
    label: str
    expr: sp.Expr


@dataclass(frozen=True)
class LengthBound:
    """A threshold ``T`` on the prompt length of one result, repaired and as printed.

    ``params`` are the names of the parameters ``T`` depends on (declared, with domains, by the
    paper); ``terms`` the named parts a reader compares (which dominates).
    """

    result: str
    params: tuple[str, ...]
    threshold: sp.Expr
    paper_threshold: sp.Expr | None
    terms: tuple[Term, ...] = ()
    kind: BoundKind = BoundKind.AT_LEAST
    unit: str = "sentences"
    note: str = ""
    paper_note: str = ""

    def term(self, key: str) -> Term:
        """The term with this key (``KeyError``-free: an unknown key is an InputError)."""
        for t in self.terms:
            if t.key == key:
                return t
        raise InputError(f"{self.result}: no term {key!r}; known: "
                         f"{', '.join(t.key for t in self.terms)}")

    def length_expr(self, paper: bool = False) -> sp.Expr:
        """The length as a sympy expression (floor/ceiling of the threshold, at least 0)."""
        t = self.paper_threshold if paper else self.threshold
        if t is None:
            raise InputError(f"{self.result}: the paper prints no explicit length")
        if self.kind is BoundKind.BELOW:
            return sp.Max(0, sp.ceiling(t) - 1)
        return sp.Max(0, sp.floor(t) + 1)
