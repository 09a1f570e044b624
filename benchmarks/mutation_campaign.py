"""Mutation campaign (run by hand): mutants of every PROVED obligation through the audit pipeline.

    python benchmarks/mutation_campaign.py [--limit N] [--seed S] [--timeout-ms MS] [--json FILE]

Each result's PROVED obligations are mutated (perturbed constants, flipped and weakened
relations, dropped hypotheses and widened domains, swapped and scaled parameters, negated
sub-terms); each mutant goes through :class:`bebcheck.checks.audit.Checker`, and its truth is
decided independently by ``mutation_truth`` (an exact/Arb evaluator and search of its own; no
engine of bebcheck).  The campaign prints false PROVED (a PROVED mutant the independent search
shows false), false REFUTED (a REFUTED mutant whose witness fails the independent re-check),
the kill rate among certainly-false mutants (killed = REFUTED) and the misses by cause.
Targets: no false PROVED, no false REFUTED, kill rate >= 98%.
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from fractions import Fraction

import mutation_truth as truth  # beside this file: on sys.path when run as a script
import sympy as sp
from sympy.core.relational import Relational

from bebcheck.checks.cli.common import write_output
from bebcheck.symbolic.errors import BebcheckError, InputError
from bebcheck.symbolic.obligation import Obligation
from bebcheck.symbolic.params import Param

__all__ = [
    "BEYOND",
    "FALSE_PROVED",
    "FALSE_REFUTED",
    "KILLED",
    "MISSED",
    "OPERATORS",
    "OPERATOR_NAMES",
    "UNKNOWN",
    "Mutant",
    "Outcome",
    "audit_all",
    "build_mutants",
    "classify",
    "diagnose",
    "main",
    "mutants_of",
    "proved_obligations",
    "report",
    "run_campaign",
    "run_one",
    "sample",
    "select",
    "summarize",
]

# -- mutation operators ----------------------------------------------------------------------
Formula = tuple[str, sp.Basic]  # ("claim" | "h<k>", formula)
Change = tuple[str, str, dict[str, object]]  # (operator, detail, Obligation fields to change)

NEGATE = {">": sp.LessThan, ">=": sp.StrictLessThan, "<": sp.GreaterThan,
          "<=": sp.StrictGreaterThan, "==": sp.Ne, "!=": sp.Eq}
REVERSE = {">": sp.StrictLessThan, ">=": sp.LessThan, "<": sp.StrictGreaterThan,
           "<=": sp.GreaterThan, "==": sp.StrictGreaterThan}
WEAKEN = {">": sp.GreaterThan, "<": sp.LessThan, ">=": sp.StrictGreaterThan,
          "<=": sp.StrictLessThan, "==": sp.GreaterThan}


def _positions(e: sp.Basic, path: tuple[int, ...] = ()) -> Iterator[tuple[tuple[int, ...],
                                                                          sp.Basic, sp.Basic]]:
    """(path, node, parent) for every node strictly below ``e``."""
    for i, a in enumerate(e.args):
        yield (*path, i), a, e
        yield from _positions(a, (*path, i))


def _replace_at(e: sp.Basic, path: tuple[int, ...], new: sp.Basic) -> sp.Basic:
    if not path:
        return new
    args = list(e.args)
    args[path[0]] = _replace_at(args[path[0]], path[1:], new)
    return e.func(*args)


def _formulas(ob: Obligation) -> list[Formula]:
    return [("claim", ob.claim), *((f"h{k}", h) for k, h in enumerate(ob.hypotheses))]


def _put(ob: Obligation, where: str, new: sp.Basic) -> dict[str, object]:
    if where == "claim":
        return {"claim": new}
    k = int(where[1:])
    return {"hypotheses": (*ob.hypotheses[:k], new, *ob.hypotheses[k + 1:])}


def _atoms(f: sp.Basic) -> Iterator[tuple[tuple[int, ...], Relational]]:
    """The relations of a formula (itself, or the arguments of a conjunction)."""
    if isinstance(f, Relational):
        yield (), f
    elif isinstance(f, (sp.And, sp.Or)):
        for i, a in enumerate(f.args):
            if isinstance(a, Relational):
                yield (i,), a


def op_constants(ob: Obligation) -> Iterator[Change]:
    """Perturbed constants: each number c becomes c+1, 2c, c/2, c+1/10; each relation shifted."""
    for where, f in _formulas(ob):
        for path, node, _ in _positions(f):
            if isinstance(node, sp.Number) and node.is_Rational:
                for new in (node + 1, 2 * node, node / 2, node + sp.Rational(1, 10)):
                    yield ("perturb-constant", f"{where}@{path}: {node} -> {new}",
                           _put(ob, where, _replace_at(f, path, new)))
        for path, rel in _atoms(f):
            for d in (sp.Rational(1, 10), sp.Integer(1), -sp.Rational(1, 10), -sp.Integer(1)):
                new = rel.func(rel.lhs, rel.rhs + d)
                yield ("perturb-constant", f"{where}{list(path)}: rhs {'+' if d > 0 else ''}{d}",
                       _put(ob, where, _replace_at(f, path, new)))


def op_relations(ob: Obligation) -> Iterator[Change]:
    """Flipped relations (negated, reversed) and weakened/strengthened ones (strictness)."""
    for where, f in _formulas(ob):
        for path, rel in _atoms(f):
            for name, table in (("flip-relation", NEGATE), ("flip-relation", REVERSE),
                                ("weaken-relation", WEAKEN)):
                if rel.rel_op in table:
                    new = table[rel.rel_op](rel.lhs, rel.rhs)
                    yield (name, f"{where}{list(path)}: {rel.rel_op} -> {new.rel_op}",
                           _put(ob, where, _replace_at(f, path, new)))


def _widen(p: Param, end: str) -> Param:
    if end == "lower":
        return replace(p, lower=None, lower_open=False)
    return replace(p, upper=None, upper_open=False)


def op_drop(ob: Obligation) -> Iterator[Change]:
    """Dropped hypotheses: each stated hypothesis, each conjunct, each end of each domain."""
    hyps = ob.hypotheses
    for k, h in enumerate(hyps):
        yield "drop-hypothesis", f"h{k}", {"hypotheses": hyps[:k] + hyps[k + 1:]}
        if isinstance(h, sp.And):
            for i, a in enumerate(h.args):
                rest = sp.And(*(b for j, b in enumerate(h.args) if j != i))
                yield ("drop-hypothesis", f"h{k}[{i}]: {a}",
                       {"hypotheses": (*hyps[:k], rest, *hyps[k + 1:])})
    for i, p in enumerate(ob.params):
        for end in ("lower", "upper"):
            if getattr(p, end) is not None:
                params = (*ob.params[:i], _widen(p, end), *ob.params[i + 1:])
                yield "drop-hypothesis", f"domain of {p.name}: no {end} end", {"params": params}


def op_params(ob: Obligation) -> Iterator[Change]:
    """Swapped parameters (two in one formula) and scaled ones (x -> 2x, x -> x/2)."""
    for where, f in _formulas(ob):
        syms = sorted(f.free_symbols, key=lambda s: s.name)
        for i, a in enumerate(syms):
            for b in syms[i + 1:]:
                yield ("swap-parameters", f"{where}: {a} <-> {b}",
                       _put(ob, where, f.xreplace({a: b, b: a})))
            for k in (sp.Integer(2), sp.Rational(1, 2)):
                yield ("scale-parameter", f"{where}: {a} -> {k}*{a}",
                       _put(ob, where, f.xreplace({a: k * a})))


def op_negate(ob: Obligation) -> Iterator[Change]:
    """Negated sub-terms: each term of a sum, and each side of a relation."""
    for where, f in _formulas(ob):
        for path, node, parent in _positions(f):
            if isinstance(node, sp.Number) or not isinstance(parent, (sp.Add, Relational)):
                continue
            yield ("negate-subterm", f"{where}@{path}: {node} -> -({node})",
                   _put(ob, where, _replace_at(f, path, -node)))


OPERATOR_NAMES = ("perturb-constant", "flip-relation", "weaken-relation", "drop-hypothesis",
                  "swap-parameters", "scale-parameter", "negate-subterm")
OPERATORS: tuple[Callable[[Obligation], Iterator[Change]], ...] = (
    op_constants, op_relations, op_drop, op_params, op_negate)


@dataclass(frozen=True)
class Mutant:
    """One mutant of a PROVED obligation."""

    id: str
    result: str
    operator: str
    detail: str
    obligation: Obligation


def content(ob: Obligation) -> tuple[object, ...]:
    """What an obligation says (its id aside)."""
    return (sp.srepr(ob.claim), tuple(sp.srepr(h) for h in ob.hypotheses),
            tuple(p.describe() for p in ob.params), ob.definitions, ob.facts)


def _build(ob: Obligation, change: dict[str, object]) -> Obligation | None:
    claim = change.get("claim", ob.claim)
    if claim in (sp.true, sp.false):
        return None  # a claim sympy already decides is no test of the pipeline
    try:
        return ob.with_(**change)
    except (InputError, TypeError, ValueError):
        return None  # e.g. a hypothesis sympy evaluated to True: not a relation


def mutants_of(result: str, ob: Obligation) -> list[Mutant]:
    """Every valid mutant of one obligation, in a fixed order, duplicates removed."""
    seen = {content(ob)}
    out: list[Mutant] = []
    for op in OPERATORS:
        for name, detail, change in op(ob):
            m = _build(ob, change)
            if m is None or (key := content(m)) in seen:
                continue
            seen.add(key)
            mid = f"{result}:{ob.id}~{name}#{len(out)}"
            out.append(Mutant(mid, result, name, detail, m.with_(id=mid)))
    return out


def select(obligations: list[tuple[str, Obligation]], per_obligation: int,
           seed: int) -> list[Mutant]:
    """Up to ``per_obligation`` mutants of each obligation, operators taken in turn (seeded);
    a mutant saying what an earlier one says (the same step in another result) is skipped."""
    chosen: list[Mutant] = []
    seen: set[tuple[object, ...]] = set()
    for result, ob in obligations:
        rng = random.Random(f"{seed}/{result}/{ob.id}")
        by_op: dict[str, list[Mutant]] = defaultdict(list)
        for m in mutants_of(result, ob):
            by_op[m.operator].append(m)
        ops = sorted(by_op)
        rng.shuffle(ops)
        for o in ops:
            rng.shuffle(by_op[o])
        take = 0
        while take < per_obligation and any(by_op[o] for o in ops):
            for o in ops:
                while by_op[o] and take < per_obligation:
                    m = by_op[o].pop()
                    if (key := content(m.obligation)) not in seen:
                        seen.add(key)
                        chosen.append(m)
                        take += 1
                        break
    return chosen


def sample(obligations: list[tuple[str, Obligation]], n: int, seed: int) -> list[Mutant]:
    """``n`` mutants, deterministically: results in turn, within a result its obligations in a
    seeded order, operators in a seeded rotation; only the obligations drawn are mutated."""
    rng = random.Random(f"sample/{seed}")
    by_result: dict[str, list[Obligation]] = defaultdict(list)
    for r, ob in obligations:
        by_result[r].append(ob)
    for obs in by_result.values():
        rng.shuffle(obs)
    ops = list(OPERATOR_NAMES)
    rng.shuffle(ops)
    cache: dict[tuple[str, str], list[Mutant]] = {}
    out: list[Mutant] = []
    seen: set[tuple[object, ...]] = set()
    for turn in range(n * len(ops)):
        for r, obs in by_result.items():
            ob = obs[turn % len(obs)]
            ms = cache.setdefault((r, ob.id), mutants_of(r, ob))
            fresh = [m for m in ms if content(m.obligation) not in seen]
            wanted = ops[(len(out) + turn) % len(ops)]
            pick = [m for m in fresh if m.operator == wanted] or fresh
            if pick and len(out) < n:
                out.append(rng.choice(pick))
                seen.add(content(out[-1].obligation))
        if len(out) >= n:
            break
    return out


# -- the pipeline and the classification -------------------------------------------------------
def proved_obligations(reports: list[tuple[str, object]]) -> list[tuple[str, Obligation]]:
    """(result, obligation) for every PROVED obligation of the chains' reports."""
    return [(name, o.obligation) for name, rep in reports
            for s in rep.steps for o in s.obligations  # type: ignore[attr-defined]
            if str(o.verdict) == "PROVED"]


def audit_all(checker: object) -> list[tuple[str, object]]:
    """(result, chain report) for every result of the default paper."""
    from bebcheck.proofs import DEFAULT

    names = DEFAULT.names()
    reports = checker.check_chains([DEFAULT.chain(n) for n in names])  # type: ignore[attr-defined]
    return list(zip(names, reports, strict=True))


KILLED, MISSED, FALSE_PROVED, FALSE_REFUTED, UNKNOWN, BEYOND = (
    "killed", "missed", "false PROVED", "false REFUTED", "not known false",
    "REFUTED beyond the search")


def classify(verdict: str, recheck: truth.Recheck | None, found: truth.Truth) -> tuple[str, str]:
    """(status, why) of one mutant from the pipeline's verdict and the independent truth.

    REFUTED stands only if the witness passes the independent re-check (else false REFUTED);
    it is a kill when the independent search shows the mutant false too, else the mutant is
    false by the re-checked witness alone (outside the kill rate: the search missed it).
    PROVED on a certainly-false mutant is a false PROVED; INCONCLUSIVE on one is a miss.
    """
    if verdict == "REFUTED":
        if recheck is None or not recheck.ok:
            return FALSE_REFUTED, recheck.why if recheck else "no witness reported"
        return (KILLED, "") if found.certainly_false else (BEYOND, "witness re-checked")
    if not found.certainly_false:
        return UNKNOWN, ""
    if verdict == "PROVED":
        return FALSE_PROVED, "PROVED, but a certified counterexample exists"
    return MISSED, ""


@dataclass
class Outcome:
    """One mutant's verdict, its independent truth and what the campaign makes of them."""

    id: str
    result: str
    operator: str
    detail: str
    verdict: str
    status: str
    why: str = ""
    cause: str = ""  # of a miss
    cause_detail: str = ""
    counterexample: dict[str, str] | None = None  # the independent search's certified point
    lemmas_apply: bool | None = None
    tool_witness: dict[str, str] | None = None
    tool_reason: str = ""
    seconds_tool: float = 0.0
    seconds_truth: float = 0.0
    certainly_false: bool = False  # by the independent search (the kill rate's denominator)


def _show(values: dict[str, Fraction]) -> dict[str, str]:
    return {k: str(v) for k, v in values.items()}


SIDES_FAIL = "counterexample only where a real-analysis lemma's side conditions fail"
SEARCH_MISSED = "search missed a witness"
NO_POINT = "hypothesis point not found (search missed a witness)"
CANNOT_CERTIFY = "pipeline cannot certify the independent counterexample"
VACUOUS = "hypotheses called contradictory, yet a point where every lemma applies is certified"
VACUOUS_WITH_LEMMAS = "hypotheses contradict the real-analysis lemma conclusions (vacuous)"


def diagnose(checker: object, m: Mutant, rep: object, found: truth.Truth) -> tuple[str, str]:
    """Why the pipeline missed a certainly-false mutant: the engines' story, else the
    pipeline re-run with the independent counterexample as an author hint."""
    reason: str = rep.reason  # type: ignore[attr-defined]
    cx = found.counterexample
    assert cx is not None
    if reason.startswith("ENGINE CONFLICT"):
        return "engine conflict", reason
    if "contradictory" in reason:
        return (VACUOUS if cx.lemmas_apply else VACUOUS_WITH_LEMMAS), reason
    hint = (tuple(sorted(cx.values.items())),)
    again = checker.check(m.obligation.with_(id=m.id + "+hint", hints=hint))  # type: ignore[attr-defined]
    if str(again.verdict) == "REFUTED":
        point = rep.hypotheses_point  # type: ignore[attr-defined]
        return (NO_POINT if point is None else SEARCH_MISSED), reason
    if not cx.lemmas_apply:
        return SIDES_FAIL, again.reason
    return CANNOT_CERTIFY, again.reason


def run_one(checker: object, m: Mutant, seed: int) -> Outcome:
    """The pipeline's verdict on one mutant, the independent truth, the classification."""
    t0 = time.perf_counter()
    rep = checker.check(m.obligation)  # type: ignore[attr-defined]
    t1 = time.perf_counter()
    found = truth.decide_truth(m.obligation, seed=seed)
    t2 = time.perf_counter()
    verdict = str(rep.verdict)
    wit = rep.witness.values if rep.witness is not None and verdict == "REFUTED" else None
    re = truth.recheck(m.obligation, wit) if wit is not None else None
    status, why = classify(verdict, re, found)
    out = Outcome(m.id, m.result, m.operator, m.detail, verdict, status, why,
                  tool_witness=_show(wit) if wit else None, tool_reason=rep.reason,
                  seconds_tool=t1 - t0, seconds_truth=t2 - t1,
                  certainly_false=found.certainly_false)
    if found.counterexample is not None:
        out.counterexample = _show(found.counterexample.values)
        out.lemmas_apply = found.counterexample.lemmas_apply
    if status == MISSED:
        out.cause, out.cause_detail = diagnose(checker, m, rep, found)
    return out


def run_campaign(checker: object, mutants: list[Mutant], seed: int,
                 progress: Callable[[int, Outcome], None] | None = None) -> list[Outcome]:
    outcomes = []
    for k, m in enumerate(mutants, 1):
        outcomes.append(run_one(checker, m, seed))
        if progress is not None:
            progress(k, outcomes[-1])
    return outcomes


# -- the summary -------------------------------------------------------------------------------
def _tally(outcomes: list[Outcome], key: Callable[[Outcome], str]) -> dict[str, dict[str, int]]:
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for o in outcomes:
        row = table[key(o)]
        row["mutants"] += 1
        row["certainly false"] += o.certainly_false
        row[o.status] += 1
    return {k: dict(v) for k, v in sorted(table.items())}


def _example(o: Outcome) -> dict[str, object]:
    return {"id": o.id, "mutation": o.detail, "verdict": o.verdict,
            "counterexample": o.counterexample, "lemmas_apply": o.lemmas_apply,
            "tool_witness": o.tool_witness, "why": o.why or o.cause_detail}


def summarize(outcomes: list[Outcome], meta: dict[str, object]) -> dict[str, object]:
    """The machine-readable summary (``--json``): counts, rates, misses by cause, examples."""
    certain = [o for o in outcomes if o.certainly_false]
    killed = [o for o in certain if o.status == KILLED]
    causes: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        if o.status == MISSED:
            causes[o.cause].append(o)
    unknown = Counter(o.verdict for o in outcomes if o.status == UNKNOWN)
    return {
        **meta,
        "mutants": len(outcomes),
        "per_result": _tally(outcomes, lambda o: o.result),
        "per_operator": _tally(outcomes, lambda o: o.operator),
        "false_proved": [_example(o) for o in outcomes if o.status == FALSE_PROVED],
        "false_refuted": [_example(o) for o in outcomes if o.status == FALSE_REFUTED],
        "certainly_false": len(certain),
        "killed": len(killed),
        "kill_rate": len(killed) / len(certain) if certain else None,
        "refuted_beyond_independent_search": sum(o.status == BEYOND for o in outcomes),
        "misses_by_cause": {c: {"count": len(v), "examples": [_example(o) for o in v[:6]]}
                            for c, v in sorted(causes.items(), key=lambda kv: -len(kv[1]))},
        "not_known_false_by_verdict": dict(sorted(unknown.items())),
        "seconds_pipeline": sum(o.seconds_tool for o in outcomes),
        "seconds_truth": sum(o.seconds_truth for o in outcomes),
        "outcomes": [o.__dict__ for o in outcomes],
    }


def _print_table(title: str, table: dict[str, dict[str, int]]) -> None:
    cols = ["mutants", "certainly false", KILLED, MISSED, FALSE_PROVED, FALSE_REFUTED, BEYOND,
            UNKNOWN]
    heads = ["mutants", "certainly false", "killed", "missed", "false PROVED", "false REFUTED",
             "REFUTED (beyond)", "not known false"]
    print(f"\n{title:<18}" + "".join(f"{c:>17}" for c in heads))
    for k, row in table.items():
        print(f"{k:<18}" + "".join(f"{row.get(c, 0):>17}" for c in cols))


def report(s: dict[str, object]) -> str:
    """Print the summary; returns "met" or what missed the targets."""
    print(f"mutation campaign: {s['mutants']} mutants of {s['obligations']} PROVED obligations "
          f"(seed {s['seed']}, solver limit {s['timeout_ms']} ms)")
    _print_table("result", s["per_result"])  # type: ignore[arg-type]
    _print_table("operator", s["per_operator"])  # type: ignore[arg-type]
    rate = s["kill_rate"]
    print(f"\nfalse PROVED:  {len(s['false_proved'])}")  # type: ignore[arg-type]
    print(f"false REFUTED: {len(s['false_refuted'])}")  # type: ignore[arg-type]
    for e in [*s["false_proved"], *s["false_refuted"]]:  # type: ignore[misc]
        print(f"  {e['id']} ({e['mutation']}): {e['why']}")
    print(f"certainly false (independent search): {s['certainly_false']}, killed (REFUTED): "
          f"{s['killed']}, kill rate {'n/a' if rate is None else f'{100 * rate:.2f}%'}"
          " (target >= 98%)")
    print(f"REFUTED beyond the independent search (witness re-checked): "
          f"{s['refuted_beyond_independent_search']}")
    print("misses by cause:")
    for cause, c in s["misses_by_cause"].items():  # type: ignore[attr-defined]
        print(f"  {cause}: {c['count']}")
        for e in c["examples"][:3]:
            print(f"    {e['id']} ({e['mutation']}) at {e['counterexample']}")
    print(f"not known false, by verdict: {s['not_known_false_by_verdict']}")
    print(f"wall time {s['seconds']:.1f} s (pipeline {s['seconds_pipeline']:.1f} s, independent "
          f"truth {s['seconds_truth']:.1f} s, audit for the PROVED obligations "
          f"{s['seconds_audit']:.1f} s)")
    bad = [k for k, ok in (("false PROVED", not s["false_proved"]),
                           ("false REFUTED", not s["false_refuted"]),
                           ("kill rate", rate is not None and rate >= 0.98)) if not ok]
    return "met" if not bad else "missed: " + ", ".join(bad)


def build_mutants(checker: object, seed: int, per_obligation: int,
                  limit: int | None) -> tuple[int, list[Mutant]]:
    """(number of PROVED obligations, the mutants: all selected, or a sample of ``limit``)."""
    obs = proved_obligations(audit_all(checker))
    return len(obs), (sample(obs, limit, seed) if limit else select(obs, per_obligation, seed))


def main(argv: list[str] | None = None) -> int:
    from bebcheck.checks.audit import Checker, Policy
    from bebcheck.checks.cli import Parser
    from bebcheck.checks.cli.common import MAX_TIMEOUT_MS, bounded_int, check_output_path

    ap = Parser(prog="mutation_campaign.py", description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=bounded_int(1, 10**6), default=None,
                    help="run this many mutants (sampled; 1 to 1000000)")
    ap.add_argument("--seed", type=bounded_int(0, 2**64 - 1), default=0)
    ap.add_argument("--timeout-ms", type=bounded_int(1, MAX_TIMEOUT_MS), default=5000,
                    help=f"solver limit per query (1 to {MAX_TIMEOUT_MS})")
    ap.add_argument("--per-obligation", type=bounded_int(1, 1000), default=9,
                    help="mutants per obligation (1 to 1000)")
    ap.add_argument("--json", metavar="FILE", help="write the machine-readable summary here")
    ap.add_argument("--quiet", action="store_true", help="no line per mutant")
    args = ap.parse_args(argv)
    if args.json:
        try:
            check_output_path(args.json, "--json")  # before an hour of work, not after
        except BebcheckError as e:
            ap.error(str(e))
    t0 = time.perf_counter()
    with Checker(Policy(timeout_ms=args.timeout_ms)) as checker:
        n_obs, mutants = build_mutants(checker, args.seed, args.per_obligation, args.limit)
        t_audit = time.perf_counter() - t0

        def progress(k: int, o: Outcome) -> None:
            if not args.quiet:
                print(f"[{k}/{len(mutants)}] {o.id}: {o.verdict} -> {o.status} {o.cause}",
                      file=sys.stderr, flush=True)
        outcomes = run_campaign(checker, mutants, args.seed, progress)
    meta = {"seed": args.seed, "timeout_ms": args.timeout_ms, "obligations": n_obs,
            "seconds": time.perf_counter() - t0, "seconds_audit": t_audit}
    summary = summarize(outcomes, meta)
    verdict = report(summary)
    print(f"targets: {verdict}")
    if args.json:  # whole or not at all: an existing summary survives a failed write
        write_output(json.dumps(summary, indent=1, default=str) + "\n", args.json)
    return 0 if verdict == "met" else 1


if __name__ == "__main__":
    sys.exit(main())
