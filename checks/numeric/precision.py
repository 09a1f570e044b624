"""Precision budgets of the NumPy reference and the oracle, and the user parameters' domains as checks."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bebcheck.proofs.beb_v1.best import BEST_PARAMS
from bebcheck.proofs.beb_v1.params import USER_PARAMS
from bebcheck.symbolic.errors import InputError
from bebcheck.symbolic.params import Param

__all__ = [
    "ARB_PRECS",
    "BLOCK",
    "DEFAULTS",
    "DOMAINS",
    "DPS",
    "FLOAT_NEAR",
    "FLOAT_REL",
    "FLOAT_TINY",
    "LD_OK",
    "LD_REL",
    "MAX_EXACT_FLOAT",
    "MAX_LD_LENGTH",
    "NEAR",
    "PARAMS",
    "Domain",
]

# -- the NumPy reference (binary64) ---------------------------------------------------------
BLOCK = 65536
"""Elements per kernel block (512 KiB per float array: the working set stays in cache)."""
MAX_EXACT_FLOAT = 2.0**53
"""Lengths from this on are not decided in binary64 (not every integer is representable)."""
FLOAT_REL = 2.0**-44
"""Error budget of a float threshold per unit of its condition scale (256 ulp)."""
FLOAT_NEAR = 1e-9
"""The float path never decides a floor closer than this to an integer."""
FLOAT_TINY = 2.0**-1000
"""Products below this may have lost bits to underflow: a log per factor instead."""

# -- the second tier for Theorems 1 and 2 (long double) --------------------------------------
LD_OK = np.finfo(np.longdouble).nmant >= 63
"""Whether the platform's long double has a 64-bit mantissa (x87 80-bit, or quad)."""
LD_REL = 2.0**-56
"""Error budget of a long-double threshold per unit of condition scale (128 ulp of 64 bits)."""
MAX_LD_LENGTH = 2.0**62
"""Lengths the long-double tier decides (exact integers in a 64-bit mantissa)."""

# -- the oracle (mpmath, Arb) -----------------------------------------------------------------
DPS = 50
"""Decimal digits the oracle keeps beyond the integer part of a value."""
NEAR = 1e-9
"""Closer than this to an integer, Arb decides the oracle's floor."""
ARB_PRECS = (256, 1024, 4096, 16384, 65536)
"""Arb precisions tried in turn (bits beyond the size of the value)."""


# -- the parameters' domains ------------------------------------------------------------------


def _binary64(x: Fraction | None) -> float | None:
    """An end point as a float; it must be exact, so that float comparisons decide the domain."""
    if x is None:
        return None
    f = float(x)
    if Fraction(f) != x:  # pragma: no cover - every declared end point is an integer
        raise ValueError(f"domain end {x} is not exact in binary64")
    return f


@dataclass(frozen=True)
class Domain:
    """The declared domain of one parameter as scalar and vectorised checks (InputError)."""

    param: Param

    @property
    def name(self) -> str:
        return self.param.name

    @property
    def integer(self) -> bool:
        return self.param.integer

    def contains(self, x: float | int | Fraction) -> bool:
        """Whether the scalar ``x`` (float, int or Fraction) is in the domain (exactly)."""
        if isinstance(x, float) and not math.isfinite(x):
            return False
        return self.param.contains(Fraction(x))

    def check(self, x: NDArray[np.float64]) -> None:
        """Raise InputError naming the parameter unless every entry of ``x`` is in the domain."""
        if x.size == 0:
            return
        mn, mx = float(x.min()), float(x.max())  # NaN propagates through min/max
        ok = math.isfinite(mn) and math.isfinite(mx) and self._above(mn) and self._below(mx)
        if ok and self.integer:
            ok = bool(np.all(np.floor(x) == x))
        if not ok:
            raise InputError(self.message(x))

    def _above(self, v: float) -> bool:
        lo = _binary64(self.param.lower)
        return lo is None or (v > lo if self.param.lower_open else v >= lo)

    def _below(self, v: float) -> bool:
        hi = _binary64(self.param.upper)
        return hi is None or (v < hi if self.param.upper_open else v <= hi)

    def message(self, x: NDArray[np.float64] | Any) -> str:
        """``<name> must be …; got <the first bad value>``."""
        flat = np.asarray(x, dtype=np.float64).reshape(-1)
        bad = ~np.isfinite(flat)
        if bad.any():
            return f"{self.name} must be a finite number; got {float(flat[np.flatnonzero(bad)[0]])}"
        for v in flat.tolist():
            if not self.contains(v):
                return self.rejects(repr(v))
        return self.requirement  # pragma: no cover

    @property
    def requirement(self) -> str:
        """``<name> must be …`` (the declared domain, in words)."""
        return f"{self.name} {self.param.requirement()}"

    def rejects(self, shown: str) -> str:
        """The message for a value outside the domain: ``<name> must be …; got <shown>``."""
        return f"{self.requirement}; got {shown}"


_ALL = {**USER_PARAMS, **BEST_PARAMS}
PARAMS: tuple[str, ...] = tuple(_ALL)
"""The user parameters, in the order users give them (the best lengths' ``turn`` last)."""
DOMAINS: dict[str, Domain] = {name: Domain(p) for name, p in _ALL.items()}
"""The domain check of every user parameter."""
DEFAULTS: dict[str, Fraction] = {name: p.default for name, p in _ALL.items()
                                 if p.default is not None}
"""Values of the optional parameters when a bound needs them and none is given."""
