"""The Hypothesis strategies the tests share: finite distributions and the bounds' parameters."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import strategies as st

__all__ = ["ALPHA", "BETA", "EPS", "GAMMA", "PHI", "POINT", "REPLY", "S0", "C", "pow10",
           "probs"]

probs = st.lists(st.integers(1, 20), min_size=2, max_size=5).map(
    lambda ws: [Fraction(w, sum(ws)) for w in ws])
"""A finite distribution of 2 to 5 outcomes, exact."""


def pow10(lo: float, hi: float) -> st.SearchStrategy[float]:
    """10**x for x uniform in [lo, hi]: magnitudes spread over decades."""
    return st.floats(lo, hi).map(lambda x: 10.0**x)


ALPHA = st.one_of(st.floats(1e-300, 1.0, exclude_max=True), pow10(-300, -1e-9),
                  st.sampled_from([0.5, 0.25, 1e-300])).filter(lambda a: 0 < a < 1)
BETA = st.one_of(st.floats(1e-12, 1e3), pow10(-12, 3))
GAMMA = st.one_of(st.floats(-1.0, 0.0, exclude_max=True),
                  st.sampled_from([-1.0, -0.5])).filter(lambda g: -1 <= g < 0)
EPS = st.one_of(st.floats(1e-300, 3.0), pow10(-300, 0.4)).filter(lambda e: e > 0)
C = st.one_of(st.floats(1e-6, 1e3), pow10(-6, 3)).filter(lambda c: c > 0)
S0 = st.integers(0, 10**6)
PHI = st.integers(1, 10**12)
REPLY = st.integers(1, 5)
POINT = st.fixed_dictionaries({"alpha": ALPHA, "beta": BETA, "gamma": GAMMA, "eps": EPS,
                               "c": C, "s0": S0, "phi": PHI, "reply": REPLY})
"""A point of every user parameter of the explicit bounds, extremes included."""
