"""Obligations: hypotheses ⇒ claim over the reals, with domains, definitions and lemma instances."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

import sympy as sp
from sympy.core.relational import Relational

from .errors import InputError
from .lemmas import LemmaInstance
from .params import Param, check_name

__all__ = ["Obligation", "conj"]


@dataclass(frozen=True)
class Obligation:
    """``hypotheses  ∧  domains(params)  ∧  facts  ⇒  claim`` over the reals.

    * ``params``: every free symbol with its domain (domains become hypotheses);
    * ``definitions``: let-bindings ``sym := expr`` substituted before any engine sees the
      formula (keeps equalities out of the hypotheses, so witnesses can be sampled);
    * ``facts``: ground instances of named lemmas; their conclusions are added to the
      hypotheses and their side conditions become obligations of their own.
    """

    id: str
    claim: sp.Basic
    params: tuple[Param, ...]
    hypotheses: tuple[sp.Basic, ...] = ()
    definitions: tuple[tuple[sp.Symbol, sp.Basic], ...] = ()
    facts: tuple[LemmaInstance, ...] = ()
    text: str = ""
    hints: tuple[tuple[tuple[str, Fraction], ...], ...] = ()

    def __post_init__(self) -> None:
        names = [p.name for p in self.params]
        if len(set(names)) != len(names):
            raise InputError(f"obligation {self.id}: duplicate parameter names {names}")
        known = {p.symbol for p in self.params} | {s for s, _ in self.definitions}
        witnesses = {w for f in self.facts for w in f.witnesses}
        free: set[sp.Symbol] = set()
        for e in (self.claim, *self.hypotheses, *(d for _, d in self.definitions)):
            free |= e.free_symbols
        for f in self.facts:
            free |= f.conclusion.free_symbols
            for sc in f.side_conditions:
                free |= sc.free_symbols
        missing = free - known - witnesses
        if missing:
            raise InputError(
                f"obligation {self.id}: symbols without a declared domain: "
                f"{sorted(map(str, missing))}"
            )
        # every symbol is known by its name alone in SMT-LIB: names must be valid and unique
        all_syms = free | known | witnesses
        for sym in all_syms:
            check_name(sym.name)
        by_name: dict[str, sp.Symbol] = {}
        for sym in all_syms:
            if by_name.setdefault(sym.name, sym) != sym:
                raise InputError(f"obligation {self.id}: two different symbols named {sym.name!r}")
        # a lemma's existential witness must be fresh: not a parameter, not a defined symbol,
        # not in the stated hypotheses
        # (a definition's right-hand side may use a witness: M1 := M0 + x_s)
        used = {p.name for p in self.params} | {s.name for s, _ in self.definitions}
        for h in self.hypotheses:
            used |= {x.name for x in h.free_symbols}
        wnames = [w.name for f in self.facts for w in f.witnesses]
        clash = set(wnames) & used
        if clash or len(set(wnames)) != len(wnames):
            raise InputError(
                f"obligation {self.id}: lemma witness symbols must be fresh and distinct, "
                f"but {sorted(clash) or wnames} are not"
            )
        # hypotheses are conjunctions of atoms: their terms are then defined wherever they hold
        for h in self.hypotheses:
            for atom in (h.args if isinstance(h, sp.And) else (h,)):
                if not isinstance(atom, Relational):
                    raise InputError(
                        f"obligation {self.id}: hypotheses must be conjunctions of relations, "
                        f"not {type(atom).__name__}"
                    )

    # ----------------------------------------------------------------------------------
    def _subst(self, e: sp.Basic) -> sp.Basic:
        if not self.definitions:
            return e
        # definitions may refer to earlier ones: substitute until fixed point
        d = dict(self.definitions)
        for _ in range(len(d) + 1):
            new = e.xreplace(d)
            if new == e:
                return new
            e = new
        return e

    @property
    def symbols(self) -> tuple[sp.Symbol, ...]:
        return tuple(p.symbol for p in self.params)

    def domain_constraints(self) -> list[sp.Basic]:
        return [c for p in self.params for c in p.constraints()]

    def expanded_hypotheses(self, with_facts: bool = True) -> list[sp.Basic]:
        """Domains, stated hypotheses and (optionally) fact conclusions, definitions substituted."""
        hs: list[sp.Basic] = self.domain_constraints()
        hs += [self._subst(h) for h in self.hypotheses]
        if with_facts:
            hs += [self._subst(f.conclusion) for f in self.facts]
        return [h for h in hs if h is not sp.true]

    def expanded_claim(self) -> sp.Basic:
        return self._subst(self.claim)

    def side_obligations(self) -> list[Obligation]:
        """One obligation per fact: the stated hypotheses imply the lemma's side conditions."""
        out = []
        for k, f in enumerate(self.facts):
            if not f.side_conditions:
                continue
            # fact k may rest on the facts before it, never on itself or later ones
            avail = {p.symbol for p in self.params} | {s for s, _ in self.definitions}
            avail |= {w for g in self.facts[:k] for w in g.witnesses}
            defs = tuple((s, d) for s, d in self.definitions if d.free_symbols <= avail)
            out.append(
                Obligation(
                    id=f"{self.id}#side{k}:{f.lemma.name}",
                    claim=sp.And(*f.side_conditions),
                    params=self.params,
                    hypotheses=self.hypotheses,
                    definitions=defs,
                    facts=self.facts[:k],
                    text=f"side conditions of {f.lemma.name} hold",
                    hints=self.hints,
                )
            )
        return out

    def hint_points(self) -> list[dict[str, Fraction]]:
        """Candidate points named by the proof author (still certified before any use)."""
        return [dict(h) for h in self.hints]

    def with_(self, **changes: object) -> Obligation:
        """A modified copy (used by mutation tests)."""
        return replace(self, **changes)  # type: ignore[arg-type]

    def latex(self) -> str:
        """``hyps ⇒ claim`` in LaTeX, each relation as written; the atoms of a conjunction in
        canonical order (sympy's own order of ``And`` arguments varies between processes)."""
        hyps = [_latex(self._subst(h)) for h in self.hypotheses]
        facts = [_latex(self._subst(f.conclusion)) for f in self.facts]
        lhs = r" \wedge ".join(hyps + facts) or r"\top"
        return rf"{lhs} \;\Rightarrow\; {_latex(self.expanded_claim())}"


def _latex(e: sp.Basic) -> str:
    if isinstance(e, sp.And):
        return r" \wedge ".join(_latex(a) for a in sorted(e.args, key=sp.default_sort_key))
    return sp.latex(e)


def conj(items: Sequence[sp.Basic]) -> sp.Basic:
    """And of a sequence (sp.true when empty)."""
    return sp.And(*items) if items else sp.true
