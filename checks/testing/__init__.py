"""Testing aids: the ``pytest --bebcheck`` plugin and an oracle check for implementations of the bounds.

* :mod:`bebcheck.checks.testing.plugin` — the pytest plugin (entry point ``bebcheck`` in the
  ``pytest11`` group): ``pytest --bebcheck [RESULT …]`` runs the audit as test items.
* :func:`check_against_oracle`, :func:`parameters`, :func:`arguments` and :class:`OracleMismatch`
  (:mod:`bebcheck.checks.testing.oracle`) —
  compare your implementation of a result's explicit prompt length with bebcheck's exact
  oracle on Hypothesis-drawn parameters (Hypothesis is needed only when they are called).

This package is imported in every pytest session once the plugin is installed, so it imports
nothing heavy: those names are loaded on first use (module ``__getattr__``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .oracle import OracleMismatch, arguments, check_against_oracle, parameters

__all__ = ["OracleMismatch", "arguments", "check_against_oracle", "parameters"]


def __getattr__(name: str) -> Any:
    """Load :mod:`.oracle` (NumPy, sympy, mpmath) only when one of its names is asked for."""
    if name in __all__:
        from . import oracle

        return getattr(oracle, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
