"""One SMT-LIB2 printing path for z3 and cvc5, with log/exp terms abstracted into real variables."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass

import sympy as sp
from sympy.core.relational import Relational
from sympy.printing.smtlib import SMTLibPrinter

from bebcheck.symbolic.obligation import Obligation

__all__ = [
    "SmtQuery",
    "abstract",
    "cleared_forms",
    "definedness",
    "print_smtlib",
    "purify_division",
    "smt_pair",
    "smt_query",
]


class _Real(sp.Function):
    """An integer-valued term used as a real (printed ``to_real``); only inside the printer."""

    is_integer = False
    is_real = True


class _Printer(SMTLibPrinter):
    """sympy's SMT-LIB printer with standard arithmetic only (no ``pow``, no bare negatives)."""

    def _print_Integer(self, e: sp.Integer) -> str:
        v = int(e)
        return f"(- {-v})" if v < 0 else str(v)

    def _print_Rational(self, e: sp.Rational) -> str:
        p, q = int(e.p), int(e.q)
        num = f"(- {-p})" if p < 0 else str(p)
        return num if q == 1 else f"(/ {num} {q})"

    def _print_Float(self, e: sp.Float) -> str:  # floats never enter an obligation
        raise ValueError(f"floating-point constant {e} in an obligation")

    def _print_Pow(self, e: sp.Pow) -> str:
        base, ex = e.args
        if not isinstance(ex, sp.Integer):
            raise ValueError(f"non-integer power {e} has no SMT-LIB arithmetic form")
        k = int(ex)
        if k == 0:
            return "1"
        b = self._print(base)
        prod = b if abs(k) == 1 else "(* " + " ".join([b] * abs(k)) + ")"
        return prod if k > 0 else f"(/ 1 {prod})"

    def _print_Equivalent(self, e: sp.Equivalent) -> str:
        args = [self._print(a) for a in e.args]
        return "(and " + " ".join(f"(= {args[0]} {b})" for b in args[1:]) + ")"

    def _print_Max(self, e: sp.Max) -> str:
        return self._minmax(e.args, ">=")

    def _print_Min(self, e: sp.Min) -> str:
        return self._minmax(e.args, "<=")

    def _minmax(self, args: tuple[sp.Basic, ...], op: str) -> str:
        """Nested ``ite``; when the arguments mix integers and reals, the integer ones are
        made real (``to_real``): cvc5 wants both branches of an ``ite`` of one sort."""
        if not all(a.is_integer for a in args):
            args = tuple(_Real(a) if a.is_integer else a for a in args)
        if len(args) == 1:
            return self._print(args[0])
        a, rest = self._print(args[0]), self._minmax(args[1:], op)
        return f"(ite ({op} {a} {rest}) {a} {rest})"

    def _print__Real(self, e: _Real) -> str:
        return f"(to_real {self._print(e.args[0])})"

    def _print_ceiling(self, e: sp.ceiling) -> str:
        x = self._print(e.args[0])
        return f"(- (to_real (to_int (- {x}))))"

    def _print_floor(self, e: sp.floor) -> str:
        return f"(to_real (to_int {self._print(e.args[0])}))"

    def _print_Function(self, e: sp.Basic) -> str:
        try:
            return super()._print_Function(e)
        except KeyError:
            raise ValueError(f"no SMT-LIB form for {type(e).__name__}") from None

    def _print_Abs(self, e: sp.Abs) -> str:
        x = self._print(e.args[0])
        return f"(ite (>= {x} 0) {x} (- {x}))"

    def _print_Symbol(self, e: sp.Symbol) -> str:
        return e.name

    def _print_BooleanTrue(self, e: object) -> str:
        return "true"

    def _print_BooleanFalse(self, e: object) -> str:
        return "false"


def _walk(e: sp.Basic) -> Iterator[sp.Basic]:
    """Pre-order traversal in ``args`` order.

    ``sp.preorder_traversal`` visits an ``And``/``Or``'s arguments in the order of their
    frozenset, which follows ``PYTHONHASHSEED``; the facts and variable names derived from
    the walk would differ between runs.  ``args`` is sympy's canonical (sorted) order.
    """
    stack = [e]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.args))


def print_smtlib(e: sp.Basic) -> str:
    """SMT-LIB2 term for a (log/exp-free) sympy expression or formula."""
    return _Printer().doprint(e)


def definedness(e: sp.Basic) -> list[sp.Basic]:
    """Conditions under which ``e`` is defined over the reals: denominators non-zero, log args > 0."""
    conds: list[sp.Basic] = []
    for sub in _walk(e):
        if isinstance(sub, sp.Pow) and sub.args[1].is_negative:
            conds.append(sp.Ne(sub.args[0], 0))
        elif isinstance(sub, sp.log):
            conds.append(sub.args[0] > 0)
    out: list[sp.Basic] = []
    for c in conds:
        if c is not sp.true and c not in out:
            out.append(c)
    return out


def abstract(
    formulas: list[sp.Basic], table: dict[sp.Basic, sp.Symbol] | None = None
) -> tuple[list[sp.Basic], dict[sp.Basic, sp.Symbol]]:
    """Replace every log(.) / exp(.) term by a fresh real variable (same term, same variable).

    Innermost terms are abstracted first, so nested terms share variables consistently.
    """
    table = {} if table is None else table

    def rec(e: sp.Basic) -> sp.Basic:
        if not e.args:
            return e
        new_args = [rec(a) for a in e.args]
        e2 = e.func(*new_args) if new_args != list(e.args) else e
        if isinstance(e2, (sp.log, sp.exp)):
            if e2 not in table:
                prefix = "L" if isinstance(e2, sp.log) else "E"
                table[e2] = sp.Symbol(f"_{prefix}{len(table)}", real=True)
            return table[e2]
        return e2

    return [rec(f) for f in formulas], table


def _has_division(e: sp.Basic) -> bool:
    return any(isinstance(p, sp.Pow) and p.args[1].is_negative for p in _walk(e))


@functools.lru_cache(maxsize=4096)
def _cleared_fact(atom: Relational) -> sp.Basic | None:
    diff = atom.lhs - atom.rhs
    num, den = sp.fraction(sp.together(diff))
    if den.is_number:
        return None
    if sp.cancel(num / den - diff) != 0:  # belt and braces: never add a wrong fact
        return None
    # valid wherever the atom itself is defined (inner denominators non-zero) and den != 0
    guard = sp.And(*definedness(atom))
    if atom.rel_op == "==":
        fact = sp.Implies(sp.And(guard, sp.Ne(den, 0)),
                          sp.Equivalent(atom, sp.Eq(sp.expand(num), 0)))
    else:
        fact = sp.Implies(sp.And(guard, den > 0),
                          sp.Equivalent(atom, atom.func(sp.expand(num), 0)))
    return None if fact is sp.true else fact


def cleared_forms(formulas: list[sp.Basic]) -> list[sp.Basic]:
    """Valid facts that give the solvers each rational inequality with denominators cleared.

    For an atom ``lhs op rhs`` with ``lhs - rhs = N/D`` (sympy ``together``, re-checked with
    ``cancel``), the formula ``D > 0 ⇒ (atom ⇔ N op 0)`` (``D ≠ 0 ⇒ …`` for equalities) holds
    for *all* reals, so adding it is sound.  The solver must still derive D > 0 itself.
    """
    out: list[sp.Basic] = []
    seen: set[sp.Basic] = set()
    for f in formulas:
        for atom in _walk(f):
            if not isinstance(atom, Relational) or atom.rel_op not in (">", ">=", "<", "<=", "=="):
                continue
            if atom in seen or atom.has(sp.log, sp.exp):  # abstract first (smt_pair does)
                continue
            seen.add(atom)
            if not _has_division(atom):
                continue
            fact = _cleared_fact(atom)
            if fact is not None:
                out.append(fact)
    return out


def purify_division(formulas: list[sp.Basic]) -> list[sp.Basic]:
    """Name each reciprocal: ``1/d`` becomes ``_Dk`` with ``d != 0 ⇒ _Dk·d = 1``.

    Equisatisfiable with SMT-LIB's total division (where ``d = 0`` leaves the value free),
    and it turns rational functions into polynomials, which cvc5 decides far more often.
    """
    table: dict[sp.Basic, sp.Symbol] = {}

    def rec(e: sp.Basic) -> sp.Basic:
        if not e.args:
            return e
        new_args = [rec(a) for a in e.args]
        e2 = e.func(*new_args) if new_args != list(e.args) else e
        if isinstance(e2, sp.Pow) and isinstance(e2.args[1], sp.Integer) and e2.args[1] < 0:
            base = e2.args[0] ** (-int(e2.args[1]))
            if base not in table:
                table[base] = sp.Symbol(f"_D{len(table)}", real=True)
            return table[base]
        return e2

    out = [rec(f) for f in formulas]
    out += [sp.Implies(sp.Ne(d, 0), sp.Eq(v * d, 1)) for d, v in table.items()]
    return out


@dataclass(frozen=True)
class SmtQuery:
    text: str
    abstracted: bool
    abstraction: dict[str, str]
    int_vars: tuple[str, ...]
    real_vars: tuple[str, ...]


def smt_pair(ob: Obligation) -> tuple[SmtQuery, SmtQuery]:
    """The two queries of an obligation, built in one pass with shared abstraction variables:

    * hypotheses alone (``sat`` means they may be satisfiable; ``unsat``: contradictory);
    * ``hyps ∧ ¬(claim ∧ defined(claim))`` (``unsat`` means PROVED).

    Both carry the valid cleared-denominator facts of every atom, claim's included.
    """
    hyps = ob.expanded_hypotheses(with_facts=True)
    claim = ob.expanded_claim()
    negated = sp.Not(sp.And(claim, *definedness(claim)))
    forms = list(hyps)
    # hypotheses must be defined as well: a hypothesis log(x) < 0 says x > 0
    for h in hyps:
        forms.extend(definedness(h))
    abstracted, table = abstract([*forms, negated])
    neg_abs = abstracted.pop()
    # cleared-denominator facts are computed after abstraction, so that atoms with log/exp
    # terms (now real variables) get them too; they are valid for all reals
    (claim_abs,) = abstract([claim], table)[0]
    abstracted += cleared_forms([*abstracted, claim_abs])
    inputs = [*abstracted, neg_abs]
    abstracted = purify_division(inputs)
    neg_abs = abstracted.pop(len(inputs) - 1)  # the negated claim, after purification
    ints = tuple(sorted(p.name for p in ob.params if p.integer))
    syms: set[sp.Symbol] = set()
    for f in (*abstracted, neg_abs):
        syms |= f.free_symbols
    reals = tuple(sorted({s.name for s in syms} - set(ints)))
    head = ["(set-logic ALL)"]
    head += [f"(declare-const {n} Int)" for n in ints]
    head += [f"(declare-const {n} Real)" for n in reals]
    body = [f"(assert {print_smtlib(f)})" for f in abstracted if f is not sp.true]
    info = {
        "abstracted": bool(table),
        "abstraction": {v.name: sp.sstr(k) for k, v in table.items()},
        "int_vars": ints,
        "real_vars": reals,
    }
    hyp_text = "\n".join([*head, *body, "(check-sat)"]) + "\n"
    neg_text = "\n".join([*head, *body, f"(assert {print_smtlib(neg_abs)})",
                          "(check-sat)"]) + "\n"
    return SmtQuery(text=hyp_text, **info), SmtQuery(text=neg_text, **info)  # type: ignore[arg-type]


def smt_query(ob: Obligation, *, negate_claim: bool) -> SmtQuery:
    """SMT-LIB2 text for ``hyps ∧ ¬(claim ∧ defined(claim))`` (or ``hyps`` alone)."""
    hyp, neg = smt_pair(ob)
    return neg if negate_claim else hyp
