"""How much evidence a PROVED needs, which engines give it, and how long they may take."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Policy"]


@dataclass(frozen=True)
class Policy:
    """The audit's rules.

    ``engines`` are registry names, consulted cheap first; ``min_engines`` of them must prove
    an obligation for PROVED.  ``quick_s`` is how long the runner waits for the solvers'
    answers before it asks the in-process engines; the solvers' workers are given each
    obligation's queries ``ahead`` obligations before the runner needs their answers (a queue
    keeps both solvers busy while the runner works; the answers do not depend on it); up to
    ``depth`` obligations whose solvers have not answered yet wait while the runner begins
    the next ones (the reports are those of checking one by one).
    """

    min_engines: int = 2
    timeout_ms: int = 5000
    arb_boxes: int = 3000
    search_samples: int = 400
    quick_s: float = 0.25
    ahead: int = 4
    depth: int = 32
    engines: tuple[str, ...] = ("z3", "cvc5", "sympy", "arb")
