"""The bebcheck exception tree: one root, small leaves that subclass what users expect."""

__all__ = [
    "BebcheckError",
    "EngineError",
    "InconclusiveError",
    "InputError",
    "UnknownResultError",
]


class BebcheckError(Exception):
    """Root of every error bebcheck raises on purpose."""


class InputError(BebcheckError, ValueError):
    """Bad user input: a parameter outside its domain, a malformed option."""


class UnknownResultError(InputError, KeyError):
    """A result name that the paper does not have (e.g. ``theorem9``)."""

    def __str__(self) -> str:  # KeyError quotes its message; keep it a plain line
        return str(self.args[0]) if self.args else "unknown result"


class EngineError(BebcheckError, RuntimeError):
    """An engine failed in a way that is not a verdict (crash, bad answer)."""


class InconclusiveError(BebcheckError, RuntimeError):
    """A definite verdict was required but the engines could not decide."""
