"""The numeric reference of the explicit bounds: NumPy kernels, a 50-digit oracle, precision constants."""

from __future__ import annotations

from . import oracle, precision
from .precision import BLOCK, DEFAULTS, DOMAINS, DPS, NEAR, PARAMS, Domain
from .reference import (
    DEFAULT_RANGES,
    BoundValues,
    StreamSummary,
    compute,
    dominant_term,
    length,
    stream,
    term_keys,
    terms,
    threshold,
    validate,
)

__all__ = [
    "BLOCK",
    "DEFAULTS",
    "DEFAULT_RANGES",
    "DOMAINS",
    "DPS",
    "NEAR",
    "PARAMS",
    "BoundValues",
    "Domain",
    "StreamSummary",
    "compute",
    "dominant_term",
    "length",
    "oracle",
    "precision",
    "stream",
    "term_keys",
    "terms",
    "threshold",
    "validate",
]
