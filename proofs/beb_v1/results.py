"""The paper's results, by id: the one list every report, calculator and experiment refers to."""

from __future__ import annotations

import enum

__all__ = ["ResultId"]


class ResultId(enum.StrEnum):
    """A result of arXiv 2304.11082v1 (the value is what users type: ``bebcheck audit theorem1``)."""

    THEOREM1 = "theorem1"
    THEOREM2 = "theorem2"
    LEMMA_B = "lemma_b"
    THEOREM3 = "theorem3"
    LEMMA_D = "lemma_d"
    LEMMA_D1 = "lemma_d1"
    PROPOSITION1 = "proposition1"
    THEOREM4 = "theorem4"
    LEMMA1 = "lemma1"
    COROLLARY1 = "corollary1"
    CONJECTURE1 = "conjecture1"
    DEFINITIONS = "definitions"
    BIG_O = "big_o"
    MAIN_TEXT = "main_text"
    WORDING = "wording"
    CLOSED_FORMS = "closed_forms"
