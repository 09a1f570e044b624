"""pytest plugin: ``pytest --bebcheck [RESULT …]`` runs bebcheck's audit, one test item per obligation.

Installed as the ``pytest11`` entry point ``bebcheck``, so it is loaded in every pytest session
of an environment where bebcheck is installed.  It therefore imports only ``pytest`` and the
standard library at import time, and without ``--bebcheck`` every hook returns at once: no
option value is read beyond that one, nothing is collected, nothing of bebcheck (sympy, the
solvers) is imported.

Loading
    Installed, the entry point loads the plugin (``-p no:bebcheck`` turns it off).  Without the
    entry point, load the module by name: ``-p bebcheck.checks.testing.plugin``.  Do not do
    that while the entry point is installed — pluggy refuses a module registered under two
    names — unless the entry point is blocked first: ``-p no:bebcheck -p
    bebcheck.checks.testing.plugin`` loads it exactly once either way (bebcheck's own tests do
    that).  Under ``PYTEST_DISABLE_PLUGIN_AUTOLOAD=1``, ``-p bebcheck`` loads the entry point
    (pytest 9 looks entry point names up first; an older pytest would import the bare
    ``bebcheck`` package, which has no hooks: use the module name there).

Command line
    ``--bebcheck`` takes zero or more result names (``nargs="*"``, repeatable) and each value
    may be a comma list: ``pytest --bebcheck`` (every result), ``pytest --bebcheck theorem1
    lemma_b``, ``pytest --bebcheck=theorem1,lemma_b`` and ``pytest --bebcheck theorem1
    --bebcheck lemma_b`` all work.  Because the option swallows the words after it, put file
    arguments (which are ignored anyway) or anything positional *before* it, or use the ``=``
    form.  An unknown name is a usage error (exit status 4, one line).  Select inside the
    results with ``-k`` (``-k "T1.15"``), as usual.  ``--bebcheck-timeout-ms N`` (default 5000)
    and ``--bebcheck-min-engines N`` (default 2) are ``bebcheck audit``'s ``--timeout-ms`` and
    ``--min-engines``.

Collection
    With ``--bebcheck`` the session collects *only* bebcheck's items: file and directory
    arguments, ``testpaths`` and ``python_files`` are ignored.  The plugin implements the
    ``pytest_collection`` hook (``firstresult``; ``tryfirst`` so that it runs before pytest's
    own, which walks the file system) and carries out the collection protocol that the hook's
    specification documents, on a collector tree of its own: ``Session.genitems`` on the root
    node (``pytest_collectstart``, ``pytest_make_collect_report``, ``pytest_itemcollected``,
    ``pytest_collectreport``), then ``pytest_collection_modifyitems`` (so ``-k``, ``-m``,
    ``--lf`` and ``--deselect`` work), ``session.items``, ``pytest_collection_finish`` and
    ``session.testscollected``.  This is pytest's supported way to replace collection; hiding
    files with ``pytest_ignore_collect`` would make explicit arguments "not found", and adding
    items in ``pytest_collection_modifyitems`` would still import every test module.

    The tree is ``bebcheck`` → one :class:`ResultCollector` per result → one
    :class:`StepCollector` per checked step → one :class:`ObligationItem` per obligation, so
    ids read ``bebcheck::theorem1::T1.15r::T1.15r/ratio-to-bound`` (result::step::obligation).

Outcome
    A step's standing in the *repaired* chain depends on the step's verdict, so the first item
    of a result checks the whole chain (one :class:`~bebcheck.checks.audit.runner.Checker` per
    session, started on first use, closed at ``pytest_unconfigure``); the report is cached and
    every item reads its obligation from it.  An item **fails** iff its step counts in the
    repaired chain (a printed step that is PROVED or has no repair, or a repair of a printed step
    that is not PROVED: :func:`~bebcheck.checks.audit.decide.chain_verdicts`), the step is not
    PROVED, and the obligation is not PROVED (or the step's finding is shown by proof, whose
    obligations are PROVED while the step is not).  So the run has a failure exactly when
    ``bebcheck audit`` with the same results exits 1; this is cross-checked against the chain
    report on every result.  A non-PROVED obligation that does not count — a printed step the
    paper gets wrong and bebcheck repairs (a known erratum), or an unneeded repair — is
    ``xfail`` (imperative, never strict); everything else passes.  A failure shows the
    obligation's text, claim (sympy and LaTeX), hypotheses, verdict and reason, the engines'
    answers, the certified witness and the repair relation.  Under pytest-xdist each worker
    checks the whole chain of every result it runs an item of.

PYTEST_DONT_REWRITE: the asserts here are internal checks, not test assertions, so pytest need
not rewrite this module (nor warn when it was imported before it was loaded as a plugin).
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from bebcheck.checks.audit.results import ChainReport, ObligationReport, StepReport
    from bebcheck.checks.audit.runner import Checker
    from bebcheck.symbolic.chain import Chain
    from bebcheck.symbolic.obligation import Obligation

__all__ = [
    "BebcheckRun",
    "ObligationFailure",
    "ObligationItem",
    "Outcome",
    "ResultCollector",
    "StepCollector",
    "classify",
    "failure_text",
    "pytest_addoption",
    "pytest_collection",
    "pytest_configure",
    "pytest_report_header",
    "pytest_terminal_summary",
    "pytest_unconfigure",
]

MAX_TIMEOUT_MS = 3_600_000  # as ``bebcheck audit --timeout-ms``
_INT = re.compile(r"[+-]?[0-9]{1,12}")


def _int_in(lo: int, hi: int) -> Any:
    """An argparse type: a decimal integer from ``lo`` to ``hi``."""

    def integer(text: str) -> int:
        t = text.strip()
        if not _INT.fullmatch(t):
            raise argparse.ArgumentTypeError(f"not an integer: {text!r}")
        v = int(t)
        if not lo <= v <= hi:
            raise argparse.ArgumentTypeError(f"must be from {lo} to {hi}; got {v}")
        return v

    return integer


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("bebcheck", "bebcheck (machine-checked proofs of arXiv 2304.11082v1)")
    group.addoption(
        "--bebcheck", nargs="*", action="extend", default=None, metavar="RESULT",
        help="collect only bebcheck's obligations of the named results (default: every "
             "result; `bebcheck results` lists them), one test item each, failing where "
             "`bebcheck audit` would fail; names may also be given as --bebcheck=a,b")
    group.addoption(
        "--bebcheck-timeout-ms", type=_int_in(1, MAX_TIMEOUT_MS), default=5000, metavar="MS",
        help=f"with --bebcheck: hard time limit per solver query, 1 to {MAX_TIMEOUT_MS} "
             "(default 5000)")
    group.addoption(
        "--bebcheck-min-engines", type=_int_in(1, 1000), default=2, metavar="N",
        help="with --bebcheck: engines that must prove an obligation for PROVED, 1 to the "
             "number of engines bebcheck has (default 2)")


# ---------------------------------------------------------------------------------------------
# the session's state


@dataclass
class _State:
    """What one ``--bebcheck`` session shares: the results, the Checker and the chain reports."""

    names: list[str]
    timeout_ms: int
    min_engines: int
    checker: Checker | None = None
    chains: dict[str, Chain] = field(default_factory=dict)
    reports: dict[str, ChainReport | BaseException] = field(default_factory=dict)
    outcomes: dict[str, dict[tuple[str, int], Outcome]] = field(default_factory=dict)

    def chain(self, name: str) -> Chain:
        if name not in self.chains:
            from bebcheck.proofs import DEFAULT

            self.chains[name] = DEFAULT.chain(name)
        return self.chains[name]

    def report(self, name: str) -> ChainReport:
        """The chain's report, checked on first use (an error is kept and raised for each item)."""
        if name not in self.reports:
            try:
                if self.checker is None:
                    from bebcheck.checks.audit import Checker, Policy

                    self.checker = Checker(Policy(min_engines=self.min_engines,
                                                  timeout_ms=self.timeout_ms))
                rep = self.checker.check_chains([self.chain(name)])[0]
                self.outcomes[name] = classify(rep)
                self.reports[name] = rep
            except Exception as e:  # noqa: BLE001 - reported by every item of the chain
                self.reports[name] = e
        got = self.reports[name]
        if isinstance(got, BaseException):
            raise RuntimeError(f"bebcheck could not check {name}: {got!r}") from got
        return got

    def close(self) -> None:
        if self.checker is not None:
            self.checker.close()
            self.checker = None


_STATE = pytest.StashKey[_State]()


def _resolve(values: list[str]) -> list[str]:
    """Result ids from the option's values (comma lists allowed; none: every result)."""
    from bebcheck.proofs import DEFAULT
    from bebcheck.symbolic.errors import UnknownResultError

    words = [w.strip() for v in values for w in v.split(",") if w.strip()]
    try:
        names = [DEFAULT.resolve(w) for w in words]
    except UnknownResultError as e:
        raise pytest.UsageError(f"--bebcheck: {e}") from None
    return list(dict.fromkeys(names)) or DEFAULT.names()


def pytest_configure(config: pytest.Config) -> None:
    values = config.getoption("bebcheck", None)
    if values is None:
        return
    from bebcheck.checks.engines.registry import REGISTRY

    n = config.getoption("bebcheck_min_engines")
    if n > len(REGISTRY):
        raise pytest.UsageError(f"--bebcheck-min-engines must be from 1 to {len(REGISTRY)}; "
                                f"got {n}")
    config.stash[_STATE] = _State(_resolve(values), config.getoption("bebcheck_timeout_ms"), n)


def pytest_unconfigure(config: pytest.Config) -> None:
    state = config.stash.get(_STATE, None)
    if state is not None:
        state.close()


def pytest_report_header(config: pytest.Config) -> str | None:
    state = config.stash.get(_STATE, None)
    if state is None:
        return None
    return (f"bebcheck: {', '.join(state.names)} (timeout {state.timeout_ms} ms per solver "
            f"query, {state.min_engines} engine(s) to prove)")


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int,
                            config: pytest.Config) -> None:
    state = config.stash.get(_STATE, None)
    if state is None or not state.reports:
        return
    terminalreporter.section("bebcheck")
    for name in state.names:
        rep = state.reports.get(name)
        if rep is None:
            continue
        line = (f"{name}: could not be checked ({rep!r})" if isinstance(rep, BaseException)
                else f"{name}: chain as printed {rep.faithful}; repaired chain {rep.repaired}")
        terminalreporter.write_line(line)


# ---------------------------------------------------------------------------------------------
# collection


@pytest.hookimpl(tryfirst=True)
def pytest_collection(session: pytest.Session) -> bool | None:
    """With ``--bebcheck``: collect bebcheck's tree instead of the file system (see above)."""
    if session.config.stash.get(_STATE, None) is None:
        return None
    hook = session.config.hook
    session.items = items = []
    try:
        root = BebcheckRun.from_parent(session, name="bebcheck", nodeid="bebcheck")
        items.extend(session.genitems(root))
        hook.pytest_collection_modifyitems(session=session, config=session.config, items=items)
    finally:
        hook.pytest_collection_finish(session=session)
    session.testscollected = len(items)
    return True


def _state(node: pytest.Item | pytest.Collector) -> _State:
    return node.config.stash[_STATE]


class BebcheckRun(pytest.Collector):
    """The root of bebcheck's items: one :class:`ResultCollector` per result asked for."""

    def collect(self) -> Iterator[pytest.Item | pytest.Collector]:
        for name in _state(self).names:
            yield ResultCollector.from_parent(self, name=name)


class ResultCollector(pytest.Collector):
    """A result (``theorem1``): one :class:`StepCollector` per step with obligations."""

    def collect(self) -> Iterator[pytest.Item | pytest.Collector]:
        for step in _state(self).chain(self.name).steps:
            if step.obligations:
                yield StepCollector.from_parent(self, name=step.id)


class StepCollector(pytest.Collector):
    """A step of a result's chain (``T1.3r``): one :class:`ObligationItem` per obligation."""

    def collect(self) -> Iterator[pytest.Item | pytest.Collector]:
        assert self.parent is not None
        step = _state(self).chain(self.parent.name).step(self.name)
        for ob in step.obligations:
            yield ObligationItem.from_parent(self, name=ob.id)


# ---------------------------------------------------------------------------------------------
# outcome


@dataclass(frozen=True)
class Outcome:
    """What an obligation's item does: ``passed``, ``failed`` or ``xfail``, and why."""

    kind: str
    reason: str = ""


def _counts(rep: ChainReport) -> dict[str, bool]:
    """Whether each checked step counts in the repaired chain (as ``chain_verdicts`` counts)."""
    from bebcheck.checks.engines.result import Verdict
    from bebcheck.symbolic.step import StepKind

    printed = {s.step.id: s.verdict for s in rep.steps
               if s.step.kind is StepKind.FAITHFUL and s.verdict is not None}
    fixed = {s.step.repairs for s in rep.steps if s.step.kind is StepKind.REPAIRED}
    out: dict[str, bool] = {}
    for s in rep.steps:
        sid = s.step.id
        if sid in printed:
            out[sid] = printed[sid] is Verdict.PROVED or sid not in fixed
        elif s.step.kind is StepKind.REPAIRED:
            target = s.step.repairs
            out[sid] = target in printed and printed[target] is not Verdict.PROVED
    return out


def _verdict_text(s: StepReport) -> str:
    from bebcheck.checks.engines.result import Verdict

    v = s.verdict.value if s.verdict else "-"
    if s.by_proof:
        v += " (by proof)" if s.verdict is Verdict.REFUTED else " (does not follow: proved)"
    return v


def _xfail_reason(rep: ChainReport, s: StepReport, o: ObligationReport) -> str:
    st = s.step
    if st.repairs is not None:
        target = rep.step(st.repairs)
        why = ("holds as printed (PROVED)" if target.verdict is not None
               else "is a hypothesis of the result (GIVEN)")
        return (f"not needed: {st.id} repairs {st.repairs}, which {why}; "
                f"{o.obligation.id} is {o.verdict.value}: {o.reason}")
    fixes = ", ".join(f"{f.id} [{_verdict_text(rep.step(f.id))}]"
                      for f in rep.chain.repairs_for(st.id))
    return (f"known erratum of the paper: {st.id} ({st.location}) is {_verdict_text(s)}, "
            f"repaired by {fixes}; {o.obligation.id} is {o.verdict.value}: {o.reason}")


def classify(rep: ChainReport) -> dict[tuple[str, int], Outcome]:
    """Every obligation's outcome by (step id, index in the step); fails iff the audit would.

    Raises ``RuntimeError`` if the failures disagree with the chain's repaired verdict (a bug).
    """
    from bebcheck.checks.engines.result import Verdict

    counts = _counts(rep)
    out: dict[tuple[str, int], Outcome] = {}
    for s in rep.steps:
        for i, o in enumerate(s.obligations):
            proved = o.verdict is Verdict.PROVED
            if counts.get(s.step.id, False):
                fails = s.verdict is not Verdict.PROVED and (not proved or s.by_proof)
                out[s.step.id, i] = Outcome("failed") if fails else Outcome("passed")
            elif proved:
                out[s.step.id, i] = Outcome("passed")
            else:
                out[s.step.id, i] = Outcome("xfail", _xfail_reason(rep, s, o))
    failing = any(v.kind == "failed" for v in out.values())
    if failing != (rep.repaired is not Verdict.PROVED):
        raise RuntimeError(f"bebcheck plugin: {rep.chain.result}'s repaired chain is "
                           f"{rep.repaired} but {'some' if failing else 'no'} item fails")
    return out


# ---------------------------------------------------------------------------------------------
# items and their failure report


class ObligationFailure(Exception):
    """An obligation that counts in the repaired chain is not PROVED (``failure_text`` says how)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class ObligationItem(pytest.Item):
    """One obligation; the first item of a result checks the result's whole chain."""

    def _where(self) -> tuple[str, str, int]:
        step = self.parent
        assert step is not None and step.parent is not None
        chain = _state(self).chain(step.parent.name)
        obs = chain.step(step.name).obligations
        return step.parent.name, step.name, next(i for i, o in enumerate(obs) if o.id == self.name)

    def runtest(self) -> None:
        state = _state(self)
        result, step_id, index = self._where()
        rep = state.report(result)
        outcome = state.outcomes[result][step_id, index]
        o = rep.step(step_id).obligations[index]
        self.user_properties.append(("verdict", o.verdict.value))
        if outcome.kind == "failed":
            raise ObligationFailure(failure_text(rep, rep.step(step_id), o))
        if outcome.kind == "xfail":
            pytest.xfail(outcome.reason)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> Any:
        if isinstance(excinfo.value, ObligationFailure):
            return excinfo.value.text
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Any, int | None, str]:
        """The domain is a failure's headline; not a suffix of the id, which pytest would
        read as ``Class.method`` and print with ``::`` for each ``.``."""
        step = self.parent
        assert step is not None and step.parent is not None
        return self.path, None, f"{self.name} ({step.parent.name}, step {step.name})"


def _expr(e: Any) -> str:
    """sympy's string form; a conjunction's atoms in canonical order (reruns print the same)."""
    import sympy as sp

    if isinstance(e, sp.And):
        return " & ".join(sorted(_expr(a) for a in e.args))
    return sp.sstr(e)


def _claim_lines(ob: Obligation) -> list[str]:
    import sympy as sp

    hyps = ob.expanded_hypotheses(with_facts=False)
    facts = ob.expanded_hypotheses(with_facts=True)[len(hyps):]
    out = [f"claim:       {_expr(ob.expanded_claim())}",
           f"  LaTeX:     {sp.latex(ob.expanded_claim())}",
           "hypotheses (domains, then the step's; definitions substituted):"]
    out += [f"  {_expr(h)}" for h in hyps] or ["  (none)"]
    if ob.facts:
        shown = facts if len(facts) == len(ob.facts) else [f.conclusion for f in ob.facts]
        out.append("lemma instances assumed (their side conditions are obligations too):")
        out += [f"  {f.lemma.name}: {_expr(c)}" for f, c in zip(ob.facts, shown, strict=True)]
    return out


def _evidence_lines(o: ObligationReport) -> list[str]:
    out = ["engines:"]
    out += [f"  {r.engine}: {r.verdict.value}" + (f" — {r.reason}" if r.reason else "")
            for r in o.results] or ["  (none answered)"]
    out += [f"side obligation {s.obligation.id}: {s.verdict.value} — {s.reason}"
            for s in o.sides if s.verdict.value != "PROVED"]
    w = o.witness
    if w is not None:
        vals = ", ".join(f"{k}={v}" for k, v in w.values.items())
        out.append(f"witness (certified, found by {w.source or 'search'}): {vals}")
        out += [f"  {k} ∈ {v}" for k, v in w.claim_sides.items()]
        if w.not_applying:
            out.append(f"  lemma instances whose side conditions fail there: "
                       f"{', '.join(w.not_applying)}")
    return out


def _repair_lines(rep: ChainReport, s: StepReport) -> list[str]:
    st = s.step
    if st.repairs is not None:
        target = rep.step(st.repairs)
        return [f"repair:      {st.id} repairs the printed step {st.repairs} "
                f"[{_verdict_text(target)}]: “{target.step.quote}”"]
    fixes = rep.chain.repairs_for(st.id)
    if not fixes:
        return ["repair:      none: this printed step counts in the repaired chain as it is"]
    return [f"repair:      {st.id} is repaired by {f.id} [{_verdict_text(rep.step(f.id))}]: "
            f"“{f.quote}”" for f in fixes]


def failure_text(rep: ChainReport, s: StepReport, o: ObligationReport) -> str:
    """The report of an obligation that fails its item: what it says, and what the engines did."""
    st, ob = s.step, o.obligation
    kind = {"repaired": "a repair", "faithful": "as printed"}.get(st.kind.value, st.kind.value)
    name, ok = rep.chain.result, rep.repaired.value == "PROVED"
    counts = "counts" if _counts(rep).get(st.id, False) else "does not count"
    lines = [f"{ob.id}: {o.verdict.value} — {o.reason}",
             f"step:        {st.id} ({kind}), {st.location}: {_verdict_text(s)}; it {counts} in "
             f"{name}'s repaired chain, which is {rep.repaired.value} "
             f"(`bebcheck audit {name}` exits {0 if ok else 1})",
             f"paper:       “{st.quote}”",
             f"obligation:  {ob.text or ob.id}"]
    if s.by_proof and st.finding is not None:
        lines.append(f"proved:      {st.finding.proves} (so the printed step does not hold)")
    lines += _claim_lines(ob) + _evidence_lines(o) + _repair_lines(rep, s)
    return "\n".join(lines)
