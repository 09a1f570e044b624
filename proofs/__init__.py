"""The paper's results, one module per result, each a chain of faithful and repaired steps."""

from __future__ import annotations

from collections.abc import Callable

from bebcheck.symbolic.errors import UnknownResultError
from bebcheck.symbolic.obligation import Chain

from .appendix_a import theorem1, theorem2
from .appendix_c_d import lemma_d, lemma_d1, theorem3
from .appendix_e import proposition1
from .appendix_f_g import lemma1, theorem4
from .claims import big_o, conjecture1, corollary1, definitions
from .closed_forms import closed_forms
from .lemma_b import lemma_b

__all__ = ["RESULTS", "get", "names"]

RESULTS: dict[str, Callable[[], Chain]] = {
    "theorem1": theorem1,
    "theorem2": theorem2,
    "lemma_b": lemma_b,
    "theorem3": theorem3,
    "lemma_d": lemma_d,
    "lemma_d1": lemma_d1,
    "proposition1": proposition1,
    "theorem4": theorem4,
    "lemma1": lemma1,
    "corollary1": corollary1,
    "conjecture1": conjecture1,
    "definitions": definitions,
    "big_o": big_o,
    "closed_forms": closed_forms,
}


def names() -> list[str]:
    return list(RESULTS)


def get(name: str) -> Chain:
    """The chain of a result by name (``theorem1``, ``theorem2``, ``lemma_b``)."""
    key = name.strip().lower().replace("-", "_")
    if key not in RESULTS:
        raise UnknownResultError(
            f"unknown result {name!r}; known results: {', '.join(RESULTS)}"
        )
    return RESULTS[key]()
