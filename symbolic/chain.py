"""A result's chain: its steps in the paper's order, repaired steps beside the printed ones."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from .errors import InputError
from .obligation import Obligation
from .step import Step, StepKind

__all__ = ["Chain"]


@dataclass(frozen=True)
class Chain:
    """The steps of one result, in the paper's order; repaired steps stand beside faithful ones."""

    result: str
    title: str
    statement: str
    location: str
    steps: tuple[Step, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        ids = [s.id for s in self.steps]
        if len(set(ids)) != len(ids):
            raise InputError(f"chain {self.result}: duplicate step ids")
        faithful = {s.id for s in self.steps if s.kind is not StepKind.REPAIRED}
        for s in self.steps:
            if s.kind is StepKind.REPAIRED and s.repairs not in faithful:
                raise InputError(f"chain {self.result}: {s.id} repairs unknown step {s.repairs}")
            cause = s.finding.consequence_of if s.finding else ""
            if cause and (cause not in faithful or cause == s.id):
                raise InputError(f"chain {self.result}: {s.id} is a consequence of unknown step "
                                 f"{cause}")

    def faithful_steps(self) -> list[Step]:
        return [s for s in self.steps if s.kind is not StepKind.REPAIRED]

    def repairs_for(self, step_id: str) -> list[Step]:
        return [s for s in self.steps if s.repairs == step_id]

    def step(self, step_id: str) -> Step:
        for s in self.steps:
            if s.id == step_id:
                return s
        raise InputError(f"chain {self.result}: no step {step_id}")

    def obligations(self) -> Iterator[tuple[Step, Obligation]]:
        for s in self.steps:
            for o in s.obligations:
                yield s, o
