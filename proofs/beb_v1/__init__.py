"""arXiv 2304.11082v1 (Wolf, Wies, Levine, Shashua): one module per result, in the paper's order."""

from __future__ import annotations

from collections.abc import Callable

from bebcheck.symbolic.chain import Chain
from bebcheck.symbolic.paper import Paper

from .big_o import big_o
from .closed_forms import closed_forms
from .conjecture1 import conjecture1
from .corollary1 import corollary1
from .definitions import definitions
from .lemma1 import lemma1
from .lemma_b import lemma_b
from .lemma_d import lemma_d
from .lemma_d1 import lemma_d1
from .main_text import main_text
from .proposition1 import proposition1
from .results import ResultId
from .theorem1 import theorem1
from .theorem2 import theorem2
from .theorem3 import theorem3
from .theorem4 import theorem4
from .wording import wording

__all__ = ["PAPER", "RESULTS", "ResultId"]

RESULTS: dict[ResultId, Callable[[], Chain]] = {
    ResultId.THEOREM1: theorem1,
    ResultId.THEOREM2: theorem2,
    ResultId.LEMMA_B: lemma_b,
    ResultId.THEOREM3: theorem3,
    ResultId.LEMMA_D: lemma_d,
    ResultId.LEMMA_D1: lemma_d1,
    ResultId.PROPOSITION1: proposition1,
    ResultId.THEOREM4: theorem4,
    ResultId.LEMMA1: lemma1,
    ResultId.COROLLARY1: corollary1,
    ResultId.CONJECTURE1: conjecture1,
    ResultId.DEFINITIONS: definitions,
    ResultId.BIG_O: big_o,
    ResultId.MAIN_TEXT: main_text,
    ResultId.WORDING: wording,
    ResultId.CLOSED_FORMS: closed_forms,
}

PAPER = Paper(
    key="beb-v1",
    citation="arXiv 2304.11082v1",
    title="Fundamental Limitations of Alignment in Large Language Models",
    results=RESULTS,
)
