"""Parameters with interval domains: one declaration feeds obligations, sympy, NumPy and messages."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from fractions import Fraction

import sympy as sp

from .errors import InputError

__all__ = [
    "Param",
    "check_name",
    "closed",
    "nonneg_int",
    "positive",
    "prob_param",
    "real",
    "unit_open",
]


@dataclass(frozen=True)
class Param:
    """A real (or integer) scalar with an interval domain.

    ``lower``/``upper`` are exact rationals or ``None`` (unbounded); the ``*_open`` flags say
    whether the end point is excluded; ``default`` is the value a calculator takes when the
    user gives none.  :attr:`symbol` is a plain real (or integer) symbol: the solvers must see
    the domain as hypotheses; :meth:`sympy_symbol` carries it as sympy assumptions.
    """

    name: str
    lower: Fraction | None = None
    upper: Fraction | None = None
    lower_open: bool = False
    upper_open: bool = False
    integer: bool = False
    latex: str = ""
    meaning: str = ""
    default: Fraction | None = None
    symbol: sp.Symbol = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        check_name(self.name)
        # Only real/integer on the working symbol: with ``positive=True`` sympy would fold the
        # domain constraint ``x > 0`` to True, and the solvers would never see it.
        kind = {"integer": True} if self.integer else {"real": True}
        object.__setattr__(self, "symbol", sp.Symbol(self.name, **kind))

    def assumed_symbol(self) -> sp.Symbol:
        """A fresh symbol of the same name carrying the domain as sympy assumptions (sympy engine)."""
        return sp.Dummy(self.name, **self.assumptions())

    def sympy_symbol(self) -> sp.Symbol:
        """The named symbol carrying the domain as sympy assumptions (closed-form bounds)."""
        return sp.Symbol(self.name, **self.assumptions())

    def assumptions(self) -> dict[str, bool]:
        """The domain as sympy assumptions (real, integer, positive, nonnegative, negative)."""
        assumptions: dict[str, bool] = {"real": True}
        if self.integer:
            assumptions["integer"] = True
        if self.lower is not None:
            if self.lower > 0 or (self.lower == 0 and self.lower_open):
                assumptions["positive"] = True
            elif self.lower >= 0:
                assumptions["nonnegative"] = True
        if self.upper is not None and (self.upper < 0 or (self.upper == 0 and self.upper_open)):
            assumptions["negative"] = True
        return assumptions

    @property
    def bounded(self) -> bool:
        return self.lower is not None and self.upper is not None

    def constraints(self) -> list[sp.Basic]:
        """The domain as sympy relations (used as hypotheses of every obligation)."""
        return list(_constraints(self))

    def contains(self, value: Fraction) -> bool:
        """Exact membership test for a rational value."""
        if self.integer and Fraction(value).denominator != 1:
            return False
        if self.lower is not None and (value < self.lower
                                       or (self.lower_open and value == self.lower)):
            return False
        return self.upper is None or not (value > self.upper
                                          or (self.upper_open and value == self.upper))

    def requirement(self) -> str:
        """The domain as a user message: ``must be in (0, 1)``, ``must be an integer >= 1``."""
        lo, hi = self.lower, self.upper
        if self.integer:
            text = ("must be an integer" if lo is None else
                    "must be a non-negative integer" if lo == 0 and not self.lower_open else
                    f"must be an integer {'>' if self.lower_open else '>='} {lo}")
            if hi is not None:
                text += f" {'<' if self.upper_open else '<='} {hi}"
        elif lo is not None and hi is not None:
            lb, rb = "(" if self.lower_open else "[", ")" if self.upper_open else "]"
            text = f"must be in {lb}{lo}, {hi}{rb}"
        elif lo is not None:
            text = f"must be {'>' if self.lower_open else '>='} {lo}"
        elif hi is not None:
            text = f"must be {'<' if self.upper_open else '<='} {hi}"
        else:
            text = "must be a real number"
        return f"{text} ({self.meaning})" if self.meaning and self.integer else text

    def describe(self) -> str:
        lo = "-inf" if self.lower is None else str(self.lower)
        hi = "inf" if self.upper is None else str(self.upper)
        lb = "(" if self.lower is None or self.lower_open else "["
        rb = ")" if self.upper is None or self.upper_open else "]"
        kind = "integer " if self.integer else ""
        return f"{self.name} in {kind}{lb}{lo}, {hi}{rb}"


_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*\Z")


def check_name(name: str) -> None:
    """Parameter and witness names: a letter, then letters and digits.

    Names starting with ``_`` are reserved for the engines' own variables (abstracted log/exp
    terms, named reciprocals); other characters could break the SMT-LIB text.
    """
    if not _NAME.match(name):
        raise InputError(f"invalid parameter name {name!r}: use a letter then letters/digits")


def _f(x: int | Fraction | None) -> Fraction | None:
    return None if x is None else Fraction(x)


def real(name: str, latex: str = "", meaning: str = "") -> Param:
    """An unconstrained real."""
    return Param(name, latex=latex, meaning=meaning)


def positive(name: str, latex: str = "", meaning: str = "") -> Param:
    """A real in (0, inf)."""
    return Param(name, Fraction(0), None, True, False, latex=latex, meaning=meaning)


def unit_open(name: str, latex: str = "", meaning: str = "") -> Param:
    """A real in (0, 1)."""
    return Param(name, Fraction(0), Fraction(1), True, True, latex=latex, meaning=meaning)


def closed(name: str, lo: int | Fraction, hi: int | Fraction, latex: str = "", meaning: str = "",
           lower_open: bool = False, upper_open: bool = False) -> Param:
    """A real in [lo, hi] (ends optionally open)."""
    return Param(name, _f(lo), _f(hi), lower_open, upper_open, latex=latex, meaning=meaning)


def prob_param(name: str, meaning: str = "") -> Param:
    """The probability of a string that a proof conditions on: in (0, 1]."""
    return Param(name, Fraction(0), Fraction(1), True, False, meaning=meaning)


def nonneg_int(name: str, latex: str = "", meaning: str = "", lower: int = 0) -> Param:
    """An integer >= lower (prompt lengths counted in sentences)."""
    return Param(name, Fraction(lower), None, False, False, True, latex=latex, meaning=meaning)


@functools.lru_cache(maxsize=4096)
def _constraints(p: Param) -> tuple[sp.Basic, ...]:
    """``p.constraints()``, built once per domain (every obligation over ``p`` asks for it)."""
    x = p.symbol
    out: list[sp.Basic] = []
    if p.lower is not None:
        lo = sp.Rational(p.lower.numerator, p.lower.denominator)
        out.append(sp.StrictGreaterThan(x, lo) if p.lower_open else sp.GreaterThan(x, lo))
    if p.upper is not None:
        hi = sp.Rational(p.upper.numerator, p.upper.denominator)
        out.append(sp.StrictLessThan(x, hi) if p.upper_open else sp.LessThan(x, hi))
    return tuple(out)
