"""The named lemma library: exact statements, their status (proved here or cited) and instances."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import sympy as sp

from .errors import InputError

__all__ = [
    "AZUMA_HOEFFDING",
    "BERNOULLI",
    "BERNOULLI_STRICT",
    "CANTELLI",
    "CHAIN_RULE_LLR",
    "EXISTS_ABOVE_MEAN",
    "EXPECTATION_BOUNDS",
    "EXP_POS",
    "KL_BOUNDED_RATIO",
    "LEMMAS",
    "LINEARITY_MIXTURE",
    "LOG_EXP",
    "LOG_LE_LOG",
    "LOG_LE_SUB_ONE",
    "LOG_MONOTONE",
    "LOG_MONOTONE_INC",
    "LOG_NONNEG",
    "LOG_PRODUCT",
    "LOG_QUOTIENT",
    "RATIO_TAIL",
    "TOWER",
    "UNION_BOUND",
    "Lemma",
    "LemmaInstance",
    "kl_cap",
]

Status = Literal["proved", "cited"]


@dataclass(frozen=True)
class Lemma:
    """A lemma ``∀ variables. hypotheses ⇒ conclusion``.

    ``witnesses`` are existentially bound variables of the conclusion (``∃ s. X(s) > b`` is
    stated with a witness symbol ``x_s``); an instance must map them to fresh symbols.
    ``status`` says whether bebcheck proves the statement itself ("proved": its scalar form is
    an obligation, and it is tested) or cites it ("cited", with ``source``).

    ``premise`` is the part of a probability lemma that has no scalar form (e.g. "mean is the
    expectation of a variable bounded by lo and hi"): an instance's mapping is then the proof
    author's claim, listed in every report as a trusted premise.  Real-analysis lemmas have no
    premise: their scalar statement is the whole lemma.
    """

    name: str
    variables: tuple[sp.Symbol, ...]
    hypotheses: tuple[sp.Basic, ...]
    conclusion: sp.Basic
    status: Status
    source: str
    statement: str
    witnesses: tuple[sp.Symbol, ...] = field(default_factory=tuple)
    premise: str = ""

    def instance(self, **mapping: sp.Basic) -> LemmaInstance:
        names = {str(v): v for v in (*self.variables, *self.witnesses)}
        unknown = set(mapping) - set(names)
        if unknown:
            raise InputError(f"lemma {self.name}: no variable(s) {sorted(unknown)}")
        missing = set(names) - set(mapping)
        if missing:
            raise InputError(f"lemma {self.name}: instance leaves {sorted(missing)} unbound")
        sub = {names[k]: sp.sympify(v) for k, v in mapping.items()}
        for w in self.witnesses:
            if not isinstance(sub[w], sp.Symbol):
                raise InputError(f"lemma {self.name}: witness {w} must map to a fresh symbol")
        return LemmaInstance(
            lemma=self,
            mapping=tuple((str(k), v) for k, v in sub.items()),
            side_conditions=tuple(h.xreplace(sub) for h in self.hypotheses),
            conclusion=self.conclusion.xreplace(sub),
            witnesses=tuple(sub[w] for w in self.witnesses),
        )


@dataclass(frozen=True)
class LemmaInstance:
    """A ground instance: side conditions to check, a conclusion to use."""

    lemma: Lemma
    mapping: tuple[tuple[str, sp.Basic], ...]
    side_conditions: tuple[sp.Basic, ...]
    conclusion: sp.Basic
    witnesses: tuple[sp.Symbol, ...] = ()

    @property
    def theorem(self) -> bool:
        """A statement about reals alone (no trusted premise, no existential witness): its
        conclusion holds wherever its side conditions do, and it says nothing elsewhere, so
        it never restricts which points a counterexample may use."""
        return not self.lemma.premise and not self.witnesses


_x, _y, _a, _b, _u, _v = sp.symbols("x y a b u v", real=True)
_mean, _bnd, _xs, _lo, _hi = sp.symbols("mean b x_s lo hi", real=True)
_w, _em, _ep, _e = sp.symbols("w e_minus e_plus e", real=True)

BERNOULLI = Lemma(
    "bernoulli",
    (_x,),
    (_x > -1,),
    sp.GreaterThan(1 / (1 + _x), 1 - _x),
    "proved",
    "Bernoulli's inequality, reciprocal form",
    "for x > -1: 1/(1+x) >= 1 - x",
)
BERNOULLI_STRICT = Lemma(
    "bernoulli_strict",
    (_x,),
    (_x > 0,),
    sp.StrictGreaterThan(1 / (1 + _x), 1 - _x),
    "proved",
    "Bernoulli's inequality, reciprocal form, strict off x = 0",
    "for x > 0: 1/(1+x) > 1 - x",
)
LOG_MONOTONE = Lemma(
    "log_strict_mono",
    (_x, _y),
    (_x > 0, _y > 0, sp.log(_x) < sp.log(_y)),
    _x < _y,
    "cited",
    "mathlib Real.log_lt_log_iff",
    "for x, y > 0: log x < log y implies x < y",
)
LOG_PRODUCT = Lemma(
    "log_mul",
    (_x, _y),
    (_x > 0, _y > 0),
    sp.Eq(sp.log(_x * _y, evaluate=False), sp.log(_x) + sp.log(_y)),
    "cited",
    "mathlib Real.log_mul",
    "for x, y > 0: log(x y) = log x + log y",
)
LOG_QUOTIENT = Lemma(
    "log_div",
    (_x, _y),
    (_x > 0, _y > 0),
    sp.Eq(sp.log(_x / _y, evaluate=False), sp.log(_x) - sp.log(_y)),
    "cited",
    "mathlib Real.log_div",
    "for x, y > 0: log(x/y) = log x - log y",
)
CHAIN_RULE_LLR = Lemma(
    "chain_rule_llr",
    (_a, _b, _u, _v),
    (_a > 0, _b > 0, _u > 0, _v > 0),
    sp.Eq(sp.log((_a * _b) / (_u * _v)), sp.log(_b / _v) + sp.log(_a / _u)),
    "proved",
    "chain rule P(x ⊕ y) = P(x) P(y | x) with log_mul/log_div; tested on finite distributions",
    "for P(x)=a, P(y|x)=b, Q(x)=u, Q(y|x)=v > 0: log(P(x⊕y)/Q(x⊕y)) = log(b/v) + log(a/u)",
)
LINEARITY_MIXTURE = Lemma(
    "mixture_posterior_linearity",
    (_w, _em, _ep, _e),
    (_w >= 0, _w <= 1),
    sp.Eq(_e, _w * _em + (1 - _w) * _ep),
    "cited",
    "linearity of expectation with Bayes' rule for P = α P- + (1-α) P+: "
    "E_{P(.|s)}[X] = w E_{P-(.|s)}[X] + (1-w) E_{P+(.|s)}[X], "
    "w = α P-(s) / (α P-(s) + (1-α) P+(s)); tested on exact finite mixtures",
    "the mixture's conditional expectation is the posterior-weighted average of the components'",
    premise="e is the mixture's conditional expectation of a score, e_minus and e_plus the "
            "components', and w the posterior weight of P-",
)
EXISTS_ABOVE_MEAN = Lemma(
    "exists_above_mean",
    (_mean, _bnd),
    (_mean > _bnd,),
    _xs > _bnd,
    "cited",
    "for any distribution under which X has an expectation (Σ* is countable: a discrete one), "
    "E[X] > b implies X(s) > b for some s in the support (if X ≤ b almost surely then E[X] ≤ b; "
    "mathlib: MeasureTheory.exists_lt_of_integral_lt style); tested on exact finite instances",
    "E[X] > b implies X(s) > b for some s in the support; x_s denotes X at that s",
    witnesses=(_xs,),
    premise="mean is the expectation of X under a discrete distribution on Σ* (it exists)",
)
EXPECTATION_BOUNDS = Lemma(
    "expectation_bounds",
    (_lo, _hi, _mean),
    (_lo <= _hi,),
    sp.And(_mean >= _lo, _mean <= _hi),
    "cited",
    "monotonicity of expectation: lo <= X <= hi pointwise implies lo <= E[X] <= hi",
    "a score in [lo, hi] has its expectation in [lo, hi]",
    premise="mean is the expectation of a variable taking values in [lo, hi]",
)
LOG_MONOTONE_INC = Lemma(
    "log_lt_log",
    (_x, _y),
    (_x > 0, _x < _y),
    sp.log(_x) < sp.log(_y),
    "cited",
    "mathlib Real.log_lt_log",
    "for 0 < x < y: log x < log y",
)
LOG_LE_LOG = Lemma(
    "log_le_log_iff",
    (_x, _y),
    (_x > 0, _y > 0, sp.log(_x) <= sp.log(_y)),
    _x <= _y,
    "cited",
    "mathlib Real.log_le_log_iff",
    "for x, y > 0: log x <= log y implies x <= y",
)
LOG_NONNEG = Lemma(
    "log_nonneg",
    (_x,),
    (_x >= 1,),
    sp.log(_x) >= 0,
    "cited",
    "mathlib Real.log_nonneg",
    "for x >= 1: log x >= 0",
)
LOG_EXP = Lemma(
    "log_exp",
    (_x,),
    (),
    sp.Eq(sp.log(sp.exp(_x), evaluate=False), _x),
    "cited",
    "mathlib Real.log_exp",
    "log(exp x) = x",
)
EXP_POS = Lemma(
    "exp_pos",
    (_x,),
    (),
    sp.exp(_x) > 0,
    "cited",
    "mathlib Real.exp_pos",
    "exp x > 0",
)
LOG_LE_SUB_ONE = Lemma(
    "log_le_sub_one",
    (_x,),
    (_x > 0,),
    sp.log(_x) <= _x - 1,
    "cited",
    "mathlib Real.log_le_sub_one_of_pos",
    "for x > 0: log x <= x - 1",
)
_n, _d, _t, _p = sp.symbols("n d t p", real=True)
AZUMA_HOEFFDING = Lemma(
    "azuma_hoeffding",
    (_n, _d, _t, _p, _u),
    (_n >= 1, _d > 0, _t > 0, _u <= _d, _p >= 0, _p <= 1),
    _p <= sp.exp(-_t**2 / (2 * _n * _d**2)),
    "cited",
    "Azuma (1967), Hoeffding (1963): for a sub-martingale (Z_k) with |Z_k - Z_{k-1}| <= d a.s., "
    "P(Z_n - Z_0 <= -t) <= exp(-t^2 / (2 n d^2)) for t > 0 (e.g. Wainwright, High-Dimensional "
    "Statistics, Cor. 2.20, applied to -Z); p denotes that probability, u the increments' bound",
    "sub-martingale with increments bounded by d: P(Z_n - Z_0 <= -t) <= exp(-t^2/(2 n d^2))",
    premise="p is P(Z_n - Z_0 <= -t) for a sub-martingale whose increments are bounded by u",
)
UNION_BOUND = Lemma(
    "union_bound",
    (_n, _p, _u),
    (_n >= 1, _p >= 0, _u >= 0, _p <= _u),
    _n * _p <= _n * _u,
    "cited",
    "Boole's inequality: P(A_1 ∪ … ∪ A_k) <= Σ P(A_i); n events each of probability p <= u "
    "have union probability at most n u (mathlib MeasureTheory.measure_iUnion_fintype_le)",
    "P(∪ A_i) <= Σ P(A_i)",
    premise="n p bounds the probability of a union of n events of probability p each",
)
TOWER = Lemma(
    "tower_property",
    (_mean, _x),
    (),
    sp.Eq(_x, _mean),
    "cited",
    "tower property E[E[X|G]] = E[X] (mathlib MeasureTheory.integral_condexp); so a conditional "
    "bound E[X_{k+1}|history] > X_k + b holding for every history gives E[X_{k+1}] > E[X_k] + b",
    "E[E[X | G]] = E[X]",
    premise="x is E[E[X | G]] and mean is E[X] for the same variable X",
)


_var, _lam = sp.symbols("var lam", real=True)
CANTELLI = Lemma(
    "cantelli",
    (_var, _lam, _p),
    (_var >= 0, _lam > 0, _p >= 0, _p <= 1),
    _p * (_var + _lam**2) <= _var,
    "cited",
    "Cantelli's inequality (the one-sided Chebyshev inequality): for a random variable X with "
    "mean mu and finite variance var, and lam > 0, P(X - mu >= lam) <= var / (var + lam^2) "
    "(e.g. Boucheron, Lugosi, Massart, Concentration Inequalities, Exercise 2.3; Grimmett and "
    "Stirzaker, Probability and Random Processes, 7.11 Problem 9); stated multiplied out, so "
    "that it holds also when var = 0; tested on exact finite distributions",
    "P(X - E X >= lam) <= Var X / (Var X + lam^2) for lam > 0",
    premise="p is P(X - E X >= lam) (or, applied to -X, P(X - E X <= -lam)) for a random "
            "variable X with variance var",
)

_q = sp.Symbol("q", real=True)
RATIO_TAIL = Lemma(
    "ratio_tail",
    (_q, _p, _t),
    (_q >= 0, _q <= 1, _p >= 0, _p <= 1),
    _q * sp.exp(_t) <= _p,
    "cited",
    "change of measure on a likelihood-ratio tail: for distributions P and Q on a countable set, "
    "a real t and A = {s : log P(s)/Q(s) >= t}, Q(A) = sum over A of Q(s) <= e^{-t} sum over A "
    "of P(s) = e^{-t} P(A), since Q(s) <= e^{-t} P(s) on A (the step behind Markov's inequality "
    "for a likelihood ratio, e.g. Cover and Thomas, Elements of Information Theory, 2nd ed., "
    "proof of Lemma 11.7.1); stated multiplied out; tested on exact finite distributions",
    "Q(log P/Q >= t) <= e^{-t} P(log P/Q >= t)",
    premise="q is Q(log P(S)/Q(S) >= t) and p is P(log P(S)/Q(S) >= t), the same event, for "
            "distributions P and Q on the same countable set",
)


def kl_cap(c: sp.Basic) -> sp.Basic:
    """c·tanh(c/2), written c(e^c − 1)/(e^c + 1): the bound of :data:`KL_BOUNDED_RATIO`."""
    return c * (sp.exp(c) - 1) / (sp.exp(c) + 1)


_kl, _cs = sp.symbols("kl c_s", real=True)
KL_BOUNDED_RATIO = Lemma(
    "kl_bounded_ratio",
    (_kl, _cs),
    (_cs > 0,),
    _kl < kl_cap(_cs),
    "cited",
    "convexity: with ρ = P/Q in (e^{−c}, e^c) and E_Q[ρ] = 1, KL = E_Q[ρ log ρ] lies strictly "
    "below its value on the two points ρ = e^{±c} (weights 1/(e^c + 1) and e^c/(e^c + 1) under "
    "Q), which is c·tanh(c/2); tested on exact finite instances",
    "a KL divergence whose log ratios all lie in (−c, c) is below c·tanh(c/2)",
    premise="kl is KL(P‖Q) of distributions on a countable set with |log P(s)/Q(s)| < c for "
            "every s",
)

LEMMAS: dict[str, Lemma] = {
    lem.name: lem
    for lem in (
        BERNOULLI,
        BERNOULLI_STRICT,
        CANTELLI,
        LOG_MONOTONE,
        LOG_PRODUCT,
        LOG_QUOTIENT,
        CHAIN_RULE_LLR,
        LINEARITY_MIXTURE,
        EXISTS_ABOVE_MEAN,
        EXPECTATION_BOUNDS,
        LOG_MONOTONE_INC,
        LOG_LE_LOG,
        LOG_NONNEG,
        LOG_EXP,
        EXP_POS,
        AZUMA_HOEFFDING,
        LOG_LE_SUB_ONE,
        UNION_BOUND,
        TOWER,
        KL_BOUNDED_RATIO,
        RATIO_TAIL,
    )
}
