"""The audit pipeline: policy, runner, verdict decision, result types, reports and errata."""

from .decide import Evidence, chain_verdicts, combine, decide, step_verdict
from .errata import Erratum, collect
from .policy import Policy
from .report_json import to_json
from .report_text import to_table, to_text
from .results import ChainReport, ObligationReport, StepReport
from .runner import Checker, build_engines, trusted_premises

__all__ = [
    "ChainReport",
    "Checker",
    "Erratum",
    "Evidence",
    "ObligationReport",
    "Policy",
    "StepReport",
    "build_engines",
    "chain_verdicts",
    "collect",
    "combine",
    "decide",
    "step_verdict",
    "to_json",
    "to_table",
    "to_text",
    "trusted_premises",
]
