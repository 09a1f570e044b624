"""An obligation's polynomial statement: the solvers' SMT-LIB query, each assertion named."""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from bebcheck.checks.engines._smtlib import (
    abstract,
    cleared_forms,
    definedness,
    print_smtlib,
    purify_division,
    smt_pair,
)
from bebcheck.symbolic.lemmas import LemmaInstance
from bebcheck.symbolic.obligation import Obligation

__all__ = ["CLEARED", "Statement", "premise_label", "statement"]

CLEARED = "cleared denominators (valid for all reals, by sympy's cancel)"
"""The origin of ``cleared_forms``' facts, which certificates leave unused."""


@dataclass(frozen=True)
class Statement:
    """The query whose unsatisfiability proves an obligation, with where each assertion is from.

    ``text`` is byte for byte what the solvers are asked (``smt_pair``'s second query, the
    audit report's ``claim_smtlib2``); ``origins`` has one entry per ``(assert …)`` line, in
    order; ``abstraction`` names the log/exp term behind each abstraction variable.
    """

    text: str
    origins: tuple[str, ...]
    abstraction: dict[str, str]


def premise_label(f: LemmaInstance) -> str:
    """``premise <lemma>[x := …] (<status>: <source>)``: a lemma instance, as a premise."""
    mapping = ", ".join(f"{k} := {sp.sstr(v)}" for k, v in f.mapping)
    return f"premise {f.lemma.name}[{mapping}] ({f.lemma.status}: {f.lemma.source})"


def _hypotheses(ob: Obligation) -> list[tuple[sp.Basic, str]]:
    """``expanded_hypotheses(with_facts=True)``, each with its origin."""
    out = [(c, f"domain of {p.name}") for p in ob.params for c in p.constraints()]
    out += [(ob._subst(h), "hypothesis") for h in ob.hypotheses]
    out += [(ob._subst(f.conclusion), premise_label(f)) for f in ob.facts]
    out = [(h, o) for h, o in out if h is not sp.true]
    if [h for h, _ in out] != ob.expanded_hypotheses(with_facts=True):
        raise ValueError("the hypotheses do not line up with expanded_hypotheses")
    return out


def statement(ob: Obligation) -> Statement:
    """The named assertions of ``smt_pair(ob)``'s negated query, built the same way (and
    compared with it: a difference is an error, never a certificate of something else)."""
    hyps = _hypotheses(ob)
    claim = ob.expanded_claim()
    negated = sp.Not(sp.And(claim, *definedness(claim)))
    forms = list(hyps)
    for h, o in hyps:
        forms += [(d, f"defined: {o}") for d in definedness(h)]
    abstracted, table = abstract([*(f for f, _ in forms), negated])
    neg_abs = abstracted.pop()
    origins = [o for _, o in forms]
    (claim_abs,) = abstract([claim], table)[0]
    cleared = cleared_forms([*abstracted, claim_abs])
    abstracted += cleared
    origins += [CLEARED] * len(cleared)
    inputs = [*abstracted, neg_abs]
    purified = purify_division(inputs)
    neg_abs = purified.pop(len(inputs) - 1)
    # purify_division appends its definitions of _D0, _D1, … in order
    origins += [f"definition of the reciprocal _D{k}"
                for k in range(len(purified) - len(abstracted))]
    kept = [(f, o) for f, o in zip(purified, origins, strict=True) if f is not sp.true]
    body = [f"(assert {print_smtlib(f)})" for f, _ in kept]
    body.append(f"(assert {print_smtlib(neg_abs)})")
    query = smt_pair(ob)[1]
    if not query.text.endswith("\n".join([*body, "(check-sat)"]) + "\n"):
        raise ValueError("the named assertions are not the solvers' query")
    return Statement(query.text, (*(o for _, o in kept), "negated claim"), query.abstraction)
