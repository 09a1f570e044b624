"""Check your implementation of a result's explicit prompt length against bebcheck's exact oracle.

:func:`check_against_oracle` draws parameter points with Hypothesis, calls your function and
compares its integer with :func:`bebcheck.checks.numeric.oracle.length` (50-digit mpmath, Arb
where a floor is close to an integer: exact at the values given; a float is its binary64
value).  On a mismatch Hypothesis shrinks the point and the test fails with
:class:`OracleMismatch`, naming the parameters, your length and bebcheck's::

    from bebcheck.checks.testing import check_against_oracle

    def test_my_theorem1_length():
        check_against_oracle(my_length, "theorem1")             # the repaired length
        check_against_oracle(my_paper_length, "theorem1", paper=True)  # as printed
        check_against_oracle(my_length, "theorem1", gamma=-0.5)   # a parameter held fixed

The results with an explicit length are ``theorem1``, ``theorem2``, ``theorem3``,
``proposition1`` (the longest ``|s1|`` that keeps the misalignment) and ``theorem4``
(:data:`bebcheck.proofs.beb_v1.bounds.BOUNDS`).  Your function is called with keyword arguments:
exactly the parameters that the compared length depends on (:func:`arguments`), e.g. ``alpha,
beta, gamma, eps`` for Theorem 1, ``alpha, beta, eps, c`` for Theorem 3 as printed.

Points are drawn from :data:`RANGES` (inside every domain, and where lengths stay below 2**53 so
that a binary64 implementation can be exact).  By default they are floats (integers for
``s0``, ``phi``, ``reply``) as the NumPy reference takes them, and the rare points that no
binary64 computation can decide — where the NumPy reference's own float path flags its floor
as undecided (within its error bound of an integer, or a length of 2**53 or more) — are skipped;
``strict=True`` compares there too.  ``exact=True`` draws ``fractions.Fraction`` values and
compares everywhere.  A value passed as a keyword is held fixed, or, if it is a Hypothesis
strategy, drawn from it.

Hypothesis is a test extra of bebcheck (``pip install 'bebcheck[test]'``), not a runtime
dependency: it is imported when these functions are called, with a clear error if missing.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from bebcheck.symbolic.errors import InputError

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from bebcheck.symbolic.bounds import LengthBound

__all__ = ["RANGES", "OracleMismatch", "arguments", "check_against_oracle", "parameters"]

RANGES: dict[str, tuple[float, float]] = {
    "alpha": (1e-300, 1.0),  # (0, 1): the end 1 is excluded
    "beta": (1e-4, 1e3),
    "gamma": (-1.0, 0.0),  # [-1, 0): the end 0 is excluded
    "eps": (1e-300, 3.0),
    "c": (1e-6, 1e2),
    "s0": (0, 10**6),
    "phi": (1, 10**12),
    "reply": (1, 5),
}
"""Where points are drawn, per parameter (c/beta <= 1e6 keeps Theorem 4's 32 (c/beta)^2 log|Phi|
and Theorem 3's q below 2**53)."""
_LOG = frozenset({"alpha", "beta", "eps", "c"})  # drawn log-uniformly as well
_UNUSED = {"alpha": 0.5, "beta": 1.0, "gamma": -0.5, "eps": 0.5}
"""Values given to the reference for a parameter the compared length does not use but the
result declares (Theorem 3 and Proposition 1 as printed do not use gamma)."""
_NICE = {"alpha": [0.5, 0.25, 0.01], "beta": [1.0, 0.1], "gamma": [-1.0, -0.5],
         "eps": [0.1, 0.5, 1.0], "c": [1.0, 0.5]}


class OracleMismatch(AssertionError):
    """Your length differs from bebcheck's exact one at a point (the message names it)."""


def _hypothesis() -> Any:
    """The ``hypothesis`` module, or an ImportError that says how to get it."""
    try:
        import hypothesis
        import hypothesis.strategies
    except ImportError as e:
        raise ImportError(
            "bebcheck.checks.testing.check_against_oracle and parameters need Hypothesis, a test "
            "extra of bebcheck: pip install 'bebcheck[test]' (or pip install hypothesis)") from e
    return hypothesis


def _bound(result: str) -> LengthBound:
    from bebcheck.proofs.beb_v1.bounds import bound

    return bound(result)


def arguments(result: str, *, paper: bool = False) -> tuple[str, ...]:
    """The keyword arguments your function gets: the parameters the compared length uses."""
    b = _bound(result)
    t = b.paper_threshold if paper else b.threshold
    if t is None:
        raise InputError(f"{b.result}: the paper prints no explicit length")
    used = {s.name for s in t.free_symbols}
    return tuple(p for p in b.params if p in used)


def _float_strategy(name: str) -> SearchStrategy[Any]:
    """Floats of one parameter in :data:`RANGES` (integers for integer parameters)."""
    st = _hypothesis().strategies
    from bebcheck.checks.numeric import DOMAINS

    lo, hi = RANGES[name]
    if DOMAINS[name].integer:
        return st.integers(int(lo), int(hi))
    parts = [st.floats(lo, hi), st.sampled_from(_NICE[name])]
    if name in _LOG:  # spread over the decades too
        parts.insert(1, st.floats(math.log10(lo), math.log10(hi)).map(lambda e: 10.0 ** e))
    return st.one_of(parts).filter(
        lambda x: lo <= x <= hi and DOMAINS[name].contains(x))


def _exact_strategy(name: str) -> SearchStrategy[Any]:
    """Exact rationals of one parameter: small fractions, powers of ten, exact binary64 values."""
    st = _hypothesis().strategies
    from bebcheck.checks.numeric import DOMAINS

    lo, hi = (Fraction(x) for x in RANGES[name])
    if DOMAINS[name].integer:
        return st.integers(int(lo), int(hi))
    sign = -1 if hi <= 0 else 1
    small = st.tuples(st.integers(0, 10**6), st.integers(1, 10**6)).map(
        lambda pq: Fraction(sign * pq[0], pq[1]))
    parts = [small, _float_strategy(name).map(Fraction)]
    if name in _LOG:  # powers of ten down to the smallest end
        parts.insert(1, st.integers(-300, 3).map(lambda k: Fraction(10) ** k))
    return st.one_of(parts).filter(
        lambda x: lo <= x <= hi and DOMAINS[name].contains(x))


def _fixed(result: str, name: str, value: Any) -> SearchStrategy[Any]:
    """A value the caller holds fixed (validated now), or the caller's own strategy."""
    hyp = _hypothesis()
    if isinstance(value, hyp.strategies.SearchStrategy):
        return value
    from bebcheck.checks.numeric.oracle import to_fractions

    to_fractions(result, _full(_bound(result), {name: value}))  # InputError: out of the domain
    return hyp.strategies.just(value)


def parameters(result: str, *, paper: bool = False, exact: bool = False,
               **fixed: Any) -> SearchStrategy[dict[str, Any]]:
    """A Hypothesis strategy of parameter points (dicts) for ``result``'s length.

    The keys are :func:`arguments`; values are floats (integers for integer parameters), or
    ``Fraction`` with ``exact``; a keyword holds a parameter fixed (a strategy: drawn from it).
    """
    st = _hypothesis().strategies
    names = arguments(result, paper=paper)
    extra = sorted(set(fixed) - set(names))
    if extra:
        form = "as printed" if paper else "repaired"
        raise InputError(f"{_bound(result).result} ({form}) takes {', '.join(names)}; "
                         f"not {', '.join(extra)}")
    draw = _exact_strategy if exact else _float_strategy
    return st.fixed_dictionaries({n: _fixed(result, n, fixed[n]) if n in fixed else draw(n)
                                  for n in names})


def _full(b: LengthBound, point: Mapping[str, Any]) -> dict[str, Any]:
    """``point`` with the result's other parameters that have no default (unused: any value)."""
    from bebcheck.checks.numeric import DEFAULTS

    return {**{k: _UNUSED[k] for k in b.params if k not in point and k not in DEFAULTS},
            **point}


def _undecidable(b: LengthBound, point: Mapping[str, Any], paper: bool) -> bool:
    """Whether no binary64 computation can decide the length at a float point: the NumPy
    reference's float path flags it (near an integer within its error bound, or >= 2**53)."""
    if any(isinstance(v, Fraction) and v.denominator != 1 for v in point.values()):
        return False
    from bebcheck.checks.numeric import compute

    return bool(compute(b.result, paper=paper, resolve=False,
                        **{k: float(v) for k, v in _full(b, point).items()}).flagged.any())


def _as_int(v: object) -> int | None:
    """``v`` as an int if it is an integer type (int, NumPy integers; not bool, not 3.0)."""
    if isinstance(v, bool):
        return None
    try:
        return operator.index(v)  # type: ignore[arg-type]
    except TypeError:
        return None


def _shown(v: Any) -> str:
    return repr(v) if isinstance(v, float) else str(v)


def _mismatch(b: LengthBound, point: Mapping[str, Any], paper: bool, got: object,
              want: Any) -> OracleMismatch:
    """The failure: the point, your value and bebcheck's, and the formula."""
    from bebcheck.symbolic.bounds import BoundKind

    form = f"as printed: {b.paper_note}" if paper else f"repaired: {b.note}"
    rule = ("the largest length below T" if b.kind is BoundKind.BELOW
            else "the smallest length above T")
    args = ", ".join(f"{k}={_shown(point[k])}" for k in b.params if k in point)
    yours = repr(got) if _as_int(got) is not None else f"{got!r} (not an integer)"
    return OracleMismatch(
        f"{b.result} ({form})\n  at {args}\n  your length: {yours}\n"
        f"  bebcheck:    {want.length} ({rule}; T = {_shown(float(want.threshold))}, "
        "exact: mpmath at 50 digits, Arb near integers)")


def _compare(func: Callable[..., Any], b: LengthBound, point: dict[str, Any], paper: bool,
             strict: bool) -> None:
    from bebcheck.checks.numeric import oracle

    hyp = _hypothesis()
    if not strict and _undecidable(b, point, paper):
        hyp.assume(False)
    want = oracle.evaluate_point(b.result, _full(b, point), paper=paper)
    got = func(**point)
    if _as_int(got) != want.length:
        raise _mismatch(b, point, paper, got, want)


def check_against_oracle(func: Callable[..., Any], result: str, *, paper: bool = False,
                         max_examples: int = 200, exact: bool = False, strict: bool = False,
                         **fixed: Any) -> None:
    """Fail (:class:`OracleMismatch`, shrunk by Hypothesis) unless ``func(**point)`` is
    bebcheck's length of ``result`` at every drawn point: the repaired length, or the printed
    one with ``paper``.  See the module docstring for the points, ``exact`` and ``strict``;
    other Hypothesis settings come from the active settings profile (the deadline is off)."""
    hyp = _hypothesis()
    b = _bound(result)
    strategy = parameters(result, paper=paper, exact=exact, **fixed)

    @hyp.settings(max_examples=max_examples, deadline=None,
                  suppress_health_check=[hyp.HealthCheck.too_slow,
                                         hyp.HealthCheck.filter_too_much])
    @hyp.given(point=strategy)
    def length_agrees_with_bebcheck(point: dict[str, Any]) -> None:
        _compare(func, b, point, paper, strict)

    length_agrees_with_bebcheck()
