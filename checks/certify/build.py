"""Certificates for an audit's PROVED obligations: search, self-check, write; and read back."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bebcheck.checks.audit.results import ChainReport, ObligationReport
from bebcheck.checks.engines.result import Verdict
from bebcheck.symbolic.obligation import Obligation

from . import checker
from .polyform import CLEARED, statement
from .search import Budget, NotFound, prove

__all__ = ["FORMAT", "Outcome", "Summary", "certify_reports", "file_name", "make_certificate",
           "mark_certified", "proved_obligations"]

FORMAT = "bebcheck-certificate-1"
INDEX = "index.json"


@dataclass(frozen=True)
class Outcome:
    """One obligation: its certificate, or why there is none (``reason`` starts with the kind:
    degree, integrality, size, solver failure, statement)."""

    id: str
    doc: dict[str, Any] | None
    reason: str = ""
    seconds: float = 0.0


@dataclass
class Summary:
    """What ``certify_reports`` did."""

    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def certified(self) -> int:
        return sum(1 for o in self.outcomes if o.doc is not None)


def file_name(ob_id: str) -> str:
    """A certificate's file name: the obligation id with every unsafe character as ``_``."""
    return re.sub(r"[^A-Za-z0-9.+-]+", "_", ob_id).strip("_.") + ".json"


def make_certificate(ob: Obligation, budget: Budget | None = None,
                     proofs: dict[str, dict[str, Any] | str] | None = None) -> Outcome:
    """Search for a proof tree of ``ob``'s query and check it with the checker before keeping
    it; ``proofs`` (query text → tree, or why there is none) shares work between obligations
    with the same query."""
    t0 = time.perf_counter()
    try:
        st = statement(ob)
    except ValueError as e:
        return Outcome(ob.id, None, f"statement: {e}")
    # the cleared-denominator facts are valid by bebcheck's own algebra (sympy): a certificate
    # does not rely on them (the reciprocals' definitions say the same, checkably)
    unused = tuple(k for k, o in enumerate(st.origins) if o.startswith(CLEARED))
    doc: dict[str, Any] = {
        "format": FORMAT, "obligation": ob.id, "text": ob.text,
        "origins": list(st.origins), "unused": list(unused), "abstraction": st.abstraction,
        "smtlib": st.text,
    }
    known = proofs.get(st.text) if proofs is not None else None
    if isinstance(known, str):
        return Outcome(ob.id, None, known, time.perf_counter() - t0)
    try:
        doc["proof"] = known if known is not None else prove(st.text, budget=budget,
                                                             unused=unused)
        checker.check(json.loads(json.dumps(doc)))
    except NotFound as e:
        why = str(e)
    except checker.CertificateError as e:  # a bug in the search: never written
        why = f"solver failure: the checker rejects it ({e})"
    else:
        why = ""
    if proofs is not None:
        proofs[st.text] = why or doc["proof"]
    return Outcome(ob.id, None if why else doc, why, time.perf_counter() - t0)


def _walk(o: ObligationReport) -> Iterator[ObligationReport]:
    yield o
    for s in o.sides:
        yield from _walk(s)


def proved_obligations(reports: list[ChainReport]) -> list[ObligationReport]:
    """Every PROVED obligation of the reports, side obligations included, once per id."""
    seen: dict[str, ObligationReport] = {}
    for r in reports:
        for s in r.steps:
            for top in s.obligations:
                for o in _walk(top):
                    if o.verdict is Verdict.PROVED:
                        seen.setdefault(o.obligation.id, o)
    return list(seen.values())


def certify_reports(reports: list[ChainReport], directory: str,
                    write: Callable[[str, str], None],
                    progress: Callable[[int], object] | None = None) -> Summary:
    """A certificate file per PROVED obligation that one is found for, and ``index.json``
    (every PROVED obligation: its file, or why it has none); ``write(path, text)`` writes."""
    t0 = time.perf_counter()
    summary, names = Summary(), {}
    proofs: dict[str, dict[str, Any] | str] = {}
    for o in proved_obligations(reports):
        out = make_certificate(o.obligation, Budget(), proofs)
        summary.outcomes.append(out)
        if out.doc is not None:
            name = file_name(out.id)
            while name in names.values():  # two ids that differ only in unsafe characters
                name = name[:-5] + "+.json"
            names[out.id] = name
            write(str(Path(directory) / name), json.dumps(out.doc, indent=1) + "\n")
        if progress is not None:
            progress(1)
    summary.seconds = time.perf_counter() - t0
    index = {"format": FORMAT + "-index", "certified": summary.certified,
             "proved": len(summary.outcomes),
             "obligations": {o.id: {"file": names[o.id]} if o.doc is not None
                             else {"reason": o.reason} for o in summary.outcomes}}
    write(str(Path(directory) / INDEX), json.dumps(index, indent=1, ensure_ascii=False) + "\n")
    return summary


def mark_certified(reports: list[ChainReport], directory: str) -> int:
    """Mark each PROVED obligation whose certificate in ``directory`` the checker accepts and
    whose query is exactly the one this audit asked (``certified``: the file's name)."""
    accepted: dict[str, tuple[str, str]] = {}
    for f in sorted(Path(directory).glob("*.json")):
        if f.name == INDEX:
            continue
        try:
            doc = json.loads(f.read_text(encoding="utf-8"))
            checker.check(doc)
        except (ValueError, KeyError, TypeError, RecursionError, OSError):
            continue
        accepted[str(doc["obligation"])] = (str(doc["smtlib"]), f.name)
    marked = 0
    for r in reports:
        for s in r.steps:
            for top in s.obligations:
                for o in _walk(top):
                    got = accepted.get(o.obligation.id)
                    if o.verdict is Verdict.PROVED and got is not None and got[0] == o.smtlib:
                        o.certified = got[1]
                        marked += 1
    return marked
