"""The runner: obligations through the engines under a policy, to verdicts per step and chain."""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from fractions import Fraction

import sympy as sp

from bebcheck.symbolic.obligation import Chain, Obligation, Step

from .engines.arb import ArbEngine, certify_hypotheses, certify_witness
from .engines.search import CounterexampleSearch
from .engines.smt import SmtAnswer, SmtEngine, parse_model
from .engines.sympy_engine import SympyEngine
from .smtlib import SmtQuery, smt_pair
from .verdict import EngineResult, Verdict, Witness

__all__ = [
    "ChainReport",
    "Checker",
    "ObligationReport",
    "Policy",
    "StepReport",
    "combine",
    "trusted_premises",
]


@dataclass(frozen=True)
class Policy:
    """How much evidence a PROVED needs and how long engines may take."""

    min_engines: int = 2
    timeout_ms: int = 5000
    arb_boxes: int = 3000
    search_samples: int = 400
    quick_s: float = 0.25
    solvers: tuple[str, ...] = ("z3", "cvc5")
    use_sympy: bool = True
    use_arb: bool = True


@dataclass
class ObligationReport:
    obligation: Obligation
    verdict: Verdict
    proved_by: list[str]
    results: list[EngineResult]
    reason: str = ""
    witness: Witness | None = None
    hypotheses_point: dict[str, Fraction] | None = None
    sides: list[ObligationReport] = field(default_factory=list)
    smtlib: str = ""
    abstraction: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    premises: list[str] = field(default_factory=list)


@dataclass
class StepReport:
    step: Step
    verdict: Verdict | None  # None for a 'given' step (a hypothesis of the result)
    obligations: list[ObligationReport]
    seconds: float = 0.0
    by_proof: bool = False  # a finding step whose obligations PROVE the problem


@dataclass
class ChainReport:
    chain: Chain
    steps: list[StepReport]
    faithful: Verdict
    repaired: Verdict
    seconds: float = 0.0

    def counts(self) -> dict[str, int]:
        c = {v.value: 0 for v in Verdict}
        for s in self.steps:
            for o in s.obligations:
                c[o.verdict.value] += 1
        return c


class Checker:
    """Owns the engines (and their worker processes); check obligations, steps, chains."""

    def __init__(self, policy: Policy | None = None) -> None:
        self.policy = policy or Policy()
        self.solvers = [SmtEngine(s, self.policy.timeout_ms) for s in self.policy.solvers]
        for s in self.solvers:  # the workers start while the caller builds its chains
            s.process.spawn()
        self.sympy = SympyEngine() if self.policy.use_sympy else None
        self.arb = ArbEngine(self.policy.arb_boxes) if self.policy.use_arb else None
        self.search = CounterexampleSearch(self.policy.search_samples)
        self._cache: dict[tuple[object, ...], ObligationReport] = {}
        # SMT-LIB texts are built in a background thread while the main thread waits on the
        # solvers (their waits release the GIL); built lazily on a miss
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="smtlib")
        self._pairs: dict[int, Future[tuple[SmtQuery, SmtQuery]]] = {}

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        for s in self.solvers:
            s.close()

    def prefetch(self, obligations: list[Obligation]) -> None:
        """Start building the SMT-LIB texts of these obligations in the background."""
        for ob in obligations:
            if id(ob) not in self._pairs:
                self._pairs[id(ob)] = self._pool.submit(smt_pair, ob)

    def _smt_pair(self, ob: Obligation) -> tuple[SmtQuery, SmtQuery]:
        fut = self._pairs.pop(id(ob), None)
        if fut is not None:
            return fut.result()
        return smt_pair(ob)

    def __enter__(self) -> Checker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- one obligation -----------------------------------------------------------------
    def check(self, ob: Obligation,
              point: dict[str, Fraction] | None = None) -> ObligationReport:
        """Check one obligation; identical mathematics (same formulas and domains) is decided once."""
        key = _content_key(ob)
        hit = self._cache.get(key)
        if hit is not None:
            from dataclasses import replace

            return replace(hit, obligation=ob, seconds=0.0,
                           reason=hit.reason + " (same obligation as " + hit.obligation.id + ")")
        rep = self._check(ob, point)
        self._cache[key] = rep
        return rep

    def _check(self, ob: Obligation, known_point: dict[str, Fraction] | None) -> ObligationReport:
        t0 = time.perf_counter()
        try:
            q_hyp, q_neg = self._smt_pair(ob)
        except Exception as e:  # an unprintable formula is INCONCLUSIVE, never a crash
            return ObligationReport(ob, Verdict.INCONCLUSIVE, [], [], f"not printable: {e}",
                                    seconds=time.perf_counter() - t0)

        # 1. hypotheses satisfiable? (a contradiction would prove anything)
        #    A certified point settles it; the solvers are asked one at a time until one
        #    gives a model that certifies, or one says unsat (vacuous).
        vacuous: list[str] = []
        point = None
        for cand in ([known_point] if known_point else []) + ob.hint_points():
            if certify_hypotheses(ob, cand):
                point = cand
                break
        seeds: list[dict[str, Fraction]] = []
        # the first solver is always asked (defence in depth: its unsat beside a certified
        # point is an alarm); the others only while no point is certified
        for k, s in enumerate(self.solvers):
            if point is not None and k > 0:
                break
            ans = s.process.ask(q_hyp.text, s.timeout_ms)
            if ans.get("status") == "unsat":
                vacuous.append(s.name)
                break
            m = parse_model(ans)
            if m and point is None and certify_hypotheses(ob, m):
                point = m
            elif m:
                seeds.append(m)
        if point is None and not vacuous:
            point = self.search.find_hypothesis_point(ob, seeds)
        # a side obligation has a subset of these hypotheses: the same point serves it
        sides = [self.check(s, point) for s in ob.side_obligations()]

        # 2. provers: both solvers at once (own processes) and sympy here; Arb if still needed
        results: list[EngineResult] = []
        t1 = time.perf_counter()
        pending = {s.name: (s, s.process.send(q_neg.text, s.timeout_ms))
                   for s in self.solvers}
        proved: list[str] = []

        def record(s: SmtEngine, ans: SmtAnswer) -> None:
            ans["seconds"] = time.perf_counter() - t1
            res = s.result_from(q_neg, ans)
            results.append(res)
            if res.verdict is Verdict.PROVED:
                proved.append(res.engine)

        # answers that come quickly (the common case: milliseconds)
        for name, (s, qid) in list(pending.items()):
            ans = s.process.poll(qid, self.policy.quick_s)
            if ans is not None:
                record(s, ans)
                del pending[name]
        # sympy only while the policy is not met
        if self.sympy is not None and len(proved) < self.policy.min_engines:
            res = self.sympy.prove(ob)
            results.append(res)
            if res.verdict is Verdict.PROVED:
                proved.append(res.engine)
        for s, qid in pending.values():
            if len(proved) >= self.policy.min_engines:
                # policy met: stop the remaining solver rather than wait for it
                s.process.kill()
                results.append(EngineResult(s.name, Verdict.INCONCLUSIVE, 0.0,
                                            "not needed: policy already met"))
                continue
            record(s, s.process.receive(qid, s.timeout_ms, t1))
        if self.arb is not None and len(proved) < self.policy.min_engines:
            r = self.arb.prove(ob)
            results.append(r)
            if r.verdict is Verdict.PROVED:
                proved.append(r.engine)

        rep = ObligationReport(ob, Verdict.INCONCLUSIVE, proved, results, smtlib=q_neg.text,
                               abstraction=q_neg.abstraction, sides=sides,
                               hypotheses_point=point, premises=trusted_premises(ob))

        # 3. counterexample: solver models first, then 50-digit search; Arb certifies
        witness = None
        seeds2 = [r.model for r in results if r.model] + ob.hint_points()
        if not proved:
            witness, _ = self.search.find_witness(ob, seeds2)
        else:
            # some engine proved it: still certify every solver model (a soundness alarm)
            for m in seeds2:
                witness = certify_witness(ob, m, "solver model, certified in Arb")
                if witness:
                    break

        if witness is None and point is not None:
            # the certified hypothesis point is itself a candidate witness
            witness = certify_witness(ob, point, "certified hypothesis point")
        side_bad = [s for s in sides if s.verdict is not Verdict.PROVED]
        if vacuous and point is not None:
            rep.reason = (f"ENGINE CONFLICT: {', '.join(vacuous)} found the hypotheses "
                          "unsatisfiable, but a point satisfying them is certified")
        elif witness is not None:
            rep.witness = witness
            if proved:
                rep.verdict = Verdict.INCONCLUSIVE
                rep.reason = (f"ENGINE CONFLICT: {', '.join(proved)} proved it but a certified "
                              "witness refutes it")
            else:
                rep.verdict = Verdict.REFUTED
                rep.reason = "certified counterexample"
        elif vacuous:
            rep.reason = f"hypotheses are contradictory ({', '.join(vacuous)}: unsat): vacuous"
        elif len(proved) >= self.policy.min_engines and point is None:
            rep.reason = "proved, but no point satisfying the hypotheses could be certified"
        elif len(proved) >= self.policy.min_engines and side_bad:
            rep.reason = "lemma side conditions not proved: " + ", ".join(
                s.obligation.id for s in side_bad)
        elif len(proved) >= self.policy.min_engines:
            rep.verdict = Verdict.PROVED
            rep.reason = "proved by " + ", ".join(proved)
        else:
            why = "; ".join(f"{r.engine}: {r.reason}" for r in results
                            if r.verdict is not Verdict.PROVED)
            rep.reason = (f"only {len(proved)} engine(s) proved it (policy needs "
                          f"{self.policy.min_engines}); {why}")
        rep.seconds = time.perf_counter() - t0
        return rep

    # -- steps and chains ---------------------------------------------------------------
    def check_step(self, step: Step) -> StepReport:
        t0 = time.perf_counter()
        if step.kind == "given":
            return StepReport(step, None, [], 0.0)
        reps = [self.check(o) for o in step.obligations]
        verdict = combine([r.verdict for r in reps])
        if step.finding and verdict is Verdict.PROVED:
            # the obligations prove the problem.  "refutes": the printed claim is false for
            # every constant (refuted by proof, not by a point); "unsupported": the printed
            # claim does not follow from what the paper proves (neither proved nor refuted)
            v = Verdict.REFUTED if step.finding_kind == "refutes" else Verdict.INCONCLUSIVE
            return StepReport(step, v, reps, time.perf_counter() - t0, by_proof=True)
        return StepReport(step, verdict, reps, time.perf_counter() - t0)

    def check_chains(self, chains: list[Chain]) -> list[ChainReport]:
        """Check several chains, building every SMT-LIB text ahead in the background."""
        self.prefetch([o for c in chains for _, o in c.obligations()])
        return [self.check_chain(c) for c in chains]

    def check_chain(self, chain: Chain) -> ChainReport:
        t0 = time.perf_counter()
        self.prefetch([o for _, o in chain.obligations()])
        steps = [self.check_step(s) for s in chain.steps]
        by_id = {s.step.id: s for s in steps}
        faithful = combine([s.verdict for s in steps
                            if s.step.kind == "faithful" and s.verdict is not None])
        repaired_parts: list[Verdict] = []
        for s in steps:
            if s.step.kind != "faithful":
                continue
            if s.verdict is Verdict.PROVED:
                repaired_parts.append(Verdict.PROVED)
                continue
            fixes = [by_id[r.id] for r in chain.repairs_for(s.step.id)]
            if not fixes:
                repaired_parts.append(s.verdict or Verdict.INCONCLUSIVE)
            else:
                repaired_parts.append(combine([f.verdict or Verdict.INCONCLUSIVE for f in fixes]))
        return ChainReport(chain, steps, faithful, combine(repaired_parts),
                           time.perf_counter() - t0)


def trusted_premises(ob: Obligation) -> list[str]:
    """The probability-lemma premises an obligation relies on: the proof author's mapping."""
    out = []
    for f in ob.facts:
        if f.lemma.premise:
            mapping = ", ".join(f"{k} := {sp.sstr(v)}" for k, v in f.mapping)
            out.append(f"{f.lemma.name}: {f.lemma.premise} [{mapping}]")
    return out


def _content_key(ob: Obligation) -> tuple[object, ...]:
    """What an obligation says, not what it is called: formulas, domains, facts, hints."""
    return (
        ob.expanded_claim(),  # sympy expressions: structural equality, assumptions included
        tuple(ob.expanded_hypotheses(with_facts=True)),
        tuple(p.describe() for p in ob.params),
        tuple((f.lemma.name, f.mapping) for f in ob.facts),
        ob.hints,
    )


def combine(vs: list[Verdict]) -> Verdict:
    """All PROVED: PROVED; any REFUTED: REFUTED; otherwise INCONCLUSIVE."""
    if any(v is Verdict.REFUTED for v in vs):
        return Verdict.REFUTED
    if all(v is Verdict.PROVED for v in vs):
        return Verdict.PROVED
    return Verdict.INCONCLUSIVE
