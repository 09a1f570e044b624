"""Theorem 2 (Section 3.1, Appendix A): misalignment after an aligning prompt s0.

Appendix A proves Theorems 1 and 2 together; Theorem 2 is its argument with a non-empty
aligning prompt s0 (|s0| = m sentences, each lowering the log ratio by less than c: Lemma B).
"""

from __future__ import annotations

from bebcheck.symbolic.chain import Chain

from .results import ResultId
from .theorem1 import chain

__all__ = ["theorem2"]


def theorem2() -> Chain:
    return chain(ResultId.THEOREM2, with_prompt=True)
