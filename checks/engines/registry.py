"""The engines bebcheck knows, by name: how to build each and whether it can run here."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bebcheck.symbolic.errors import EngineError

from .base import Engine

__all__ = ["REGISTRY", "EngineOptions", "EngineSpec", "available", "create", "names"]


@dataclass(frozen=True)
class EngineOptions:
    """What a runner may set on any engine (each engine takes what applies to it).

    ``shared`` is one run's common state: engines built with the same options share it (the
    SMT solvers read one SMT-LIB text per obligation, built once).
    """

    timeout_ms: int = 5000
    arb_boxes: int = 3000
    shared: dict[str, object] = field(default_factory=dict, compare=False)


def _smt_queries(o: EngineOptions) -> Any:
    from ._smt import QueryCache

    return o.shared.setdefault("smt-queries", QueryCache())


@dataclass(frozen=True)
class EngineSpec:
    """A registry entry: a name, what it decides, its Python requirement and its factory."""

    name: str
    decides: str
    requires: str  # the importable module it needs ("" for none beyond bebcheck's own)
    factory: Callable[[EngineOptions], Engine]


def _z3(o: EngineOptions) -> Engine:
    from .z3 import Z3Engine

    return Z3Engine(o.timeout_ms, queries=_smt_queries(o))


def _cvc5(o: EngineOptions) -> Engine:
    from .cvc5 import Cvc5Engine

    return Cvc5Engine(o.timeout_ms, queries=_smt_queries(o))


def _sympy(o: EngineOptions) -> Engine:
    from .sympy_engine import SympyEngine

    return SympyEngine()


def _arb(o: EngineOptions) -> Engine:
    from .arb import ArbEngine

    return ArbEngine(o.arb_boxes)


REGISTRY: dict[str, EngineSpec] = {
    s.name: s
    for s in (
        EngineSpec("z3", "polynomial real/integer arithmetic (abstracted log/exp)", "z3", _z3),
        EngineSpec("cvc5", "polynomial real/integer arithmetic (abstracted log/exp)", "cvc5",
                   _cvc5),
        EngineSpec("sympy", "identities and sign facts on the whole domain", "sympy", _sympy),
        EngineSpec("arb", "bounded claims, by branch and bound in Arb balls", "flint", _arb),
    )
}
"""Adding an engine is one entry here (and a module beside this one)."""


def names() -> list[str]:
    return list(REGISTRY)


def available(name: str) -> bool:
    """Whether the engine is registered and its requirement imports here."""
    spec = REGISTRY.get(name)
    return spec is not None and (not spec.requires
                                 or importlib.util.find_spec(spec.requires) is not None)


def create(name: str, options: EngineOptions | None = None) -> Engine:
    """A new engine; ``EngineError`` if it is unknown or cannot run here."""
    spec = REGISTRY.get(name)
    if spec is None:
        raise EngineError(f"unknown engine {name!r}; known: {', '.join(REGISTRY)}")
    if not available(name):
        raise EngineError(f"engine {name} is not available here (needs {spec.requires})")
    return spec.factory(options or EngineOptions())
