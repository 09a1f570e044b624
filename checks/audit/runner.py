"""The runner: obligations through the registered engines under a policy, to verdicts."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import TYPE_CHECKING

import sympy as sp

from bebcheck.checks.engines import (
    Engine,
    EngineOptions,
    SolverStatus,
    Verdict,
    Witness,
    available,
    certify_hypotheses,
    certify_witness,
    create,
)
from bebcheck.checks.engines.base import Job

if TYPE_CHECKING:
    from bebcheck.checks.engines.search import CounterexampleSearch
from bebcheck.checks.engines.result import EngineResult
from bebcheck.symbolic.chain import Chain
from bebcheck.symbolic.obligation import Obligation
from bebcheck.symbolic.step import Step

from .cache import ProofCache, canonical_form
from .decide import Evidence, chain_verdicts, decide, step_verdict
from .policy import Policy
from .results import ChainReport, ObligationReport, StepReport

__all__ = ["Checker", "build_engines", "trusted_premises"]


def build_engines(policy: Policy) -> tuple[list[Engine], list[str]]:
    """The policy's engines that can run here, cheap first, and the names of those that cannot."""
    opts = EngineOptions(timeout_ms=policy.timeout_ms, arb_boxes=policy.arb_boxes)
    ready = [create(n, opts) for n in policy.engines if available(n)]
    missing = [n for n in policy.engines if not available(n)]
    return sorted(ready, key=lambda e: e.cost), missing


class Checker:
    """Owns the engines (and their worker processes); checks obligations, steps, chains."""

    def __init__(self, policy: Policy | None = None,
                 engines: Sequence[Engine] | None = None, *,
                 cache: ProofCache | None = None, lazy: bool = False) -> None:
        """``cache``: reports stored on disk by content; ``lazy``: start the engines' worker
        processes only when an obligation is not in the cache (else at once, so that they
        start while the caller builds its chains)."""
        self.policy = policy or Policy()
        if engines is None:
            built, self.missing = build_engines(self.policy)
        else:
            built, self.missing = sorted(engines, key=lambda e: e.cost), []
        self.engines: list[Engine] = built
        self.store = cache
        self._started = False
        if not lazy:
            self._start()
        self._search: CounterexampleSearch | None = None
        self._cache: dict[str, ObligationReport] = {}  # by canonical form: decided once
        self._forms: dict[int, tuple[Obligation, str]] = {}
        self._side_obs: dict[int, tuple[Obligation, list[Obligation]]] = {}
        self._plan: dict[str, int] = {}  # canonical form → place in the run's order
        self._order: list[Obligation] = []
        self._queued = 0
        self._stored: dict[str, ObligationReport] = {}  # found in the proof cache
        self._pending: dict[str, _Pending] = {}  # begun, its solvers' answers awaited
        self._done: dict[str, ObligationReport] = {}  # checked ahead, not yet handed out

    @property
    def search(self) -> CounterexampleSearch:
        """The counterexample search (it brings NumPy: loaded when first needed, after the
        solvers have their first queries)."""
        if self._search is None:
            from bebcheck.checks.engines.search import CounterexampleSearch

            self._search = CounterexampleSearch(self.policy.search_samples)
        return self._search

    def _start(self) -> None:
        if not self._started:
            self._started = True
            for e in self.engines:
                e.start()

    def close(self) -> None:
        for e in self.engines:
            e.close()

    def __enter__(self) -> Checker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def engine(self, name: str) -> Engine:
        return next(e for e in self.engines if e.name == name)

    # -- one obligation -----------------------------------------------------------------
    def check(self, ob: Obligation,
              point: dict[str, Fraction] | None = None) -> ObligationReport:
        """Check one obligation; identical mathematics (same formulas and domains) is decided once."""
        key = self._form(ob)
        if point is None and key in self._done:
            return self._done.pop(key)  # checked ahead (see ``_run_ahead``), by this obligation
        if key in self._pending:  # the same mathematics is being checked: finish that first
            self._finish(self._pending[key])
        hit = self._cache.get(key)
        if hit is not None:
            return replace(hit, obligation=ob, seconds=0.0,
                           reason=f"{hit.reason} (same obligation as {hit.obligation.id})")
        rep = self._stored.pop(key, None) if point is None else None
        if rep is None and self.store is not None and (point is not None or key not in self._plan):
            rep = self._from_store(ob, point)  # (the plan looked for what it holds already)
        if rep is not None:
            self._remember_sides(rep)
        else:
            self._start()
            self._queue_ahead(self._plan.get(key, -1) + self.policy.ahead)
            rep = self._check(ob, point)
            if self.store is not None:
                self.store.put(self.store.key(key, point), rep)
        self._cache[key] = rep
        return rep

    def _form(self, ob: Obligation) -> str:
        """What ``ob`` says, not what it is called (computed once per obligation object)."""
        got = self._forms.get(id(ob))
        if got is None or got[0] is not ob:
            form = canonical_form(ob, [self._form(s) for s in self._sides(ob)])
            got = self._forms[id(ob)] = (ob, form)
        return got[1]

    def _sides(self, ob: Obligation) -> list[Obligation]:
        """``ob``'s side obligations, built once per obligation object (their forms too)."""
        got = self._side_obs.get(id(ob))
        if got is None or got[0] is not ob:
            got = self._side_obs[id(ob)] = (ob, ob.side_obligations())
        return got[1]

    def _remember_sides(self, rep: ObligationReport) -> None:
        """A stored report's side obligations count as checked, as when they were checked."""
        for side in rep.sides:
            self._remember_sides(side)
            self._cache.setdefault(self._form(side.obligation), side)

    def _from_store(self, ob: Obligation, point: dict[str, Fraction] | None
                    ) -> ObligationReport | None:
        """A stored report whose certified points certify again here, or ``None``."""
        assert self.store is not None
        rep = self.store.get(self.store.key(self._form(ob), point), ob, self._sides)
        if rep is None:
            return None
        if not _certifies(rep):
            self.store.reject()
            return None
        return rep

    def _check(self, ob: Obligation, known: dict[str, Fraction] | None) -> ObligationReport:
        return self._end(self._begin(ob, known))

    def _begin(self, ob: Obligation, known: dict[str, Fraction] | None) -> _Pending:
        """An obligation's first half: a certified point, its side obligations, every engine's
        job submitted (the solvers' answers are awaited in ``_end``)."""
        t0 = time.perf_counter()
        point, vacuous = self._hypothesis_point(ob, known)
        sides = [self.check(s, point) for s in self._sides(ob)]
        return _Pending(ob, known, t0, point, vacuous, sides,
                        [(e, e.submit(ob)) for e in self.engines])

    def _end(self, p: _Pending) -> ObligationReport:
        """The second half: the engines' answers under the policy, a witness, the verdict."""
        ob, point, vacuous, sides, t0 = p.ob, p.point, p.vacuous, p.sides, p.t0
        results = self._collect(p.jobs)
        proved = [r.engine for r in results if r.verdict is Verdict.PROVED]
        unproved = tuple(s.obligation.id for s in sides if s.verdict is not Verdict.PROVED)
        # side_obligations() has one obligation per fact with side conditions, in order
        lemmas = [f.lemma.name for f in ob.facts if f.side_conditions]
        unproved_lemmas = tuple(n for n, s in zip(lemmas, sides, strict=True)
                                if s.verdict is not Verdict.PROVED)
        witness = self._witness(ob, results, proved, point, search=bool(unproved))
        verdict, reason = decide(Evidence(
            proved_by=tuple(proved), min_engines=self.policy.min_engines,
            vacuous=tuple(vacuous), point_certified=point is not None,
            witness=witness is not None,
            not_applying=witness.not_applying if witness else (),
            sides_unproved=unproved, unproved_lemmas=unproved_lemmas,
            failures=tuple((r.engine, r.reason) for r in results
                           if r.verdict is not Verdict.PROVED)
            + tuple((n, "not available here") for n in self.missing)))
        smt = self._smt_text(ob)
        return ObligationReport(ob, verdict, proved, results, reason, witness=witness,
                                hypotheses_point=point, sides=sides, smtlib=smt[0],
                                abstraction=smt[1], seconds=time.perf_counter() - t0,
                                premises=trusted_premises(ob))

    def _hypothesis_point(self, ob: Obligation, known: dict[str, Fraction] | None
                          ) -> tuple[dict[str, Fraction] | None, list[str]]:
        """A certified point of the hypotheses (not vacuous) and the engines that say unsat.

        The first model-finding engine is always asked (its unsat beside a certified point is
        an alarm); the others only while no point is certified.
        """
        point = next((c for c in ([known] if known else []) + ob.hint_points()
                      if certify_hypotheses(ob, c)), None)
        vacuous: list[str] = []
        seeds: list[dict[str, Fraction]] = []
        asked = 0
        for e in self.engines:
            if point is not None and asked > 0:
                break
            if not e.finds_models:
                continue
            ans = e.satisfy(ob)
            asked += 1
            if ans.status is SolverStatus.UNSAT:
                vacuous.append(e.name)
                break
            if ans.model and point is None and certify_hypotheses(ob, ans.model):
                point = ans.model
            elif ans.model:
                seeds.append(ans.model)
        if point is None and not vacuous:
            point = self.search.find_hypothesis_point(ob, seeds)
        return point, vacuous

    def _collect(self, jobs: list[tuple[Engine, Job]]) -> list[EngineResult]:
        """Every engine's answer, under a rule that depends on the answers alone, not on timing.

        The solvers (engines working in other processes) always answer, within their own
        limits; the in-process engines are then consulted cheap first while fewer than
        ``min_engines`` have proved.  While a solver is still working, the in-process engines
        run ahead (their results are reported only when the rule consults them), so the wait
        costs little wall-clock time and two runs report the same engines.
        """
        remote = [(e, j) for e, j in jobs if j.elsewhere]
        local = [(e, j) for e, j in jobs if not j.elsewhere]
        results = {e.name: r for e, j in remote if (r := j.poll(self.policy.quick_s)) is not None}
        if len(results) < len(remote):  # a solver is slow: work ahead while it runs
            ahead = _proved(results.values())
            for _, j in local:
                if ahead >= self.policy.min_engines:
                    break
                ahead += j.result().verdict is Verdict.PROVED
        for e, j in remote:
            if e.name not in results:
                results[e.name] = j.result()
        for e, j in local:
            if _proved(results.values()) >= self.policy.min_engines:
                break
            results[e.name] = j.result()
        return [results[e.name] for e in self.engines if e.name in results]

    def _witness(self, ob: Obligation, results: list[EngineResult], proved: list[str],
                 point: dict[str, Fraction] | None, *, search: bool) -> Witness | None:
        """A certified counterexample: engine models first, then the search.

        When some engine proved the obligation, every model is still certified (an alarm);
        the search runs too when ``search`` (a lemma's side conditions are not proved: the
        claim may fail where the proof's lemma instance does not apply).
        """
        seeds = [r.model for r in results if r.model] + ob.hint_points()
        witness = None
        if not proved or search:
            witness, _ = self.search.find_witness(ob, seeds)
        else:
            witness = next((w for m in seeds
                            if (w := certify_witness(ob, m, "solver model, certified in Arb"))),
                           None)
        if witness is None and point is not None:
            witness = certify_witness(ob, point, "certified hypothesis point")
        return witness

    def _smt_text(self, ob: Obligation) -> tuple[str, dict[str, str]]:
        """The first query text an engine reports for ``ob`` (the SMT-LIB2 the solvers read)."""
        return next((t for e in self.engines if (t := e.query_text(ob)) is not None), ("", {}))

    # -- steps and chains ---------------------------------------------------------------
    def check_step(self, step: Step) -> StepReport:
        t0 = time.perf_counter()
        reps = [self.check(o) for o in step.obligations]
        verdict, by_proof = step_verdict(step.kind, step.finding, [r.verdict for r in reps])
        return StepReport(step, verdict, reps, time.perf_counter() - t0, by_proof=by_proof)

    def check_chains(self, chains: list[Chain], progress: Callable[[int], object] | None = None
                     ) -> list[ChainReport]:
        """Check several chains, preparing every engine's work ahead; ``progress`` is told of
        each obligation as the runner moves past it."""
        obligations = [o for c in chains for _, o in c.obligations()]
        self.plan(obligations)
        self._run_ahead(obligations, progress)
        return [self.check_chain(c) for c in chains]

    def _run_ahead(self, obligations: Sequence[Obligation],
                   progress: Callable[[int], object] | None) -> None:
        """Check ``obligations`` in order without waiting on a slow solver: an obligation whose
        solvers have not answered waits (at most ``policy.depth`` of them) while the next ones
        begin.  Each report is what checking them one by one gives: the first obligation with
        given mathematics computes it, side obligations meet only finished reports, and the
        reports are handed out in order by ``check``."""
        for ob in obligations:
            key = self._form(ob)
            if not (key in self._cache or key in self._pending or key in self._done):
                hit = self._stored.pop(key, None)
                if hit is None and self.store is not None and key not in self._plan:
                    hit = self._from_store(ob, None)
                if hit is not None:
                    self._remember_sides(hit)
                    self._cache[key] = self._done[key] = hit
                else:
                    self._start()
                    self._queue_ahead(self._plan.get(key, -1) + self.policy.ahead)
                    self._pending[key] = self._begin(ob, None)
            for p in [p for p in self._pending.values() if self._ready(p)]:
                self._finish(p)  # in any order: each report is what checking alone gives
            while len(self._pending) > self.policy.depth:
                self._finish(next(iter(self._pending.values())))
            if progress is not None:
                progress(1)
        while self._pending:
            self._finish(next(iter(self._pending.values())))

    def _ready(self, p: _Pending) -> bool:
        """Whether every solver has answered ``p`` (nothing is waited for; queries waiting
        for a free worker are handed out)."""
        return all(j.poll(0.0) is not None for _, j in p.jobs if j.elsewhere)

    def _finish(self, p: _Pending) -> None:
        key = self._form(p.ob)
        del self._pending[key]
        rep = self._end(p)
        if self.store is not None:
            self.store.put(self.store.key(key, p.known), rep)
        self._cache[key] = self._done[key] = rep

    def plan(self, obligations: Sequence[Obligation]) -> None:
        """The order in which obligations (and their side obligations) will be checked: the
        solvers are given each one's queries ``policy.ahead`` obligations before it.  Those
        found in the proof cache are set aside; the engines prepare the others."""
        first = len(self._order)
        def visit(ob: Obligation) -> None:
            key = self._form(ob)
            if key in self._plan or key in self._stored or key in self._cache:
                return
            if self.store is not None and (hit := self._from_store(ob, None)) is not None:
                self._stored[key] = hit
                return
            self._plan[key] = len(self._order)
            self._order.append(ob)
            for side in self._sides(ob):
                visit(side)

        for ob in obligations:
            visit(ob)
        if len(self._order) > first:
            for e in self.engines:
                e.prepare(self._order[first:])

    def _queue_ahead(self, upto: int) -> None:
        """Queue the planned obligations up to place ``upto`` in the solvers' workers."""
        finder = next((e for e in self.engines if e.finds_models), None)
        while self._queued <= min(upto, len(self._order) - 1):
            ob = self._order[self._queued]
            for e in self.engines:
                e.ahead(ob, satisfy=e is finder)
            self._queued += 1

    def check_chain(self, chain: Chain, progress: Callable[[int], object] | None = None
                    ) -> ChainReport:
        t0 = time.perf_counter()
        obligations = [o for _, o in chain.obligations()]
        self.plan(obligations)
        self._run_ahead(obligations, progress)
        steps = [self.check_step(s) for s in chain.steps]
        faithful, repaired = chain_verdicts(
            [(s.step.id, s.step.kind, s.step.repairs, s.verdict) for s in steps])
        return ChainReport(chain, steps, faithful, repaired, time.perf_counter() - t0)


def trusted_premises(ob: Obligation) -> list[str]:
    """The probability-lemma premises an obligation relies on: the proof author's mapping."""
    out = []
    for f in ob.facts:
        if f.lemma.premise:
            mapping = ", ".join(f"{k} := {sp.sstr(v)}" for k, v in f.mapping)
            out.append(f"{f.lemma.name}: {f.lemma.premise} [{mapping}]")
    return out


@dataclass
class _Pending:
    """An obligation between ``_begin`` and ``_end``."""

    ob: Obligation
    known: dict[str, Fraction] | None
    t0: float
    point: dict[str, Fraction] | None
    vacuous: list[str]
    sides: list[ObligationReport]
    jobs: list[tuple[Engine, Job]]


def _certifies(rep: ObligationReport, *, side: bool = False) -> bool:
    """Whether a stored report's hypothesis point, and every witness in it (its own and its
    side obligations'), certify again here.  (A side obligation's hypothesis point is its
    parent's, in all but the rarest case: it is not certified again.)"""
    ob, w = rep.obligation, rep.witness
    if not side and rep.hypotheses_point is not None \
            and not certify_hypotheses(ob, rep.hypotheses_point):
        return False
    if w is not None and certify_witness(ob, w.values, w.source) is None:
        return False
    return all(_certifies(s, side=True) for s in rep.sides)


def _proved(results: Iterable[EngineResult]) -> int:
    return sum(r.verdict is Verdict.PROVED for r in results)
