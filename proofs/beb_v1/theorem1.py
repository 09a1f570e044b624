"""Theorem 1 (Section 3.1, Appendix A): alignment impossibility; Appendix A's argument.

Conventions of the appendix: B' = -B and gamma' = -gamma, so gamma' is in (0, 1] and
Definition 3's ``sup_s* B_{P-}(s*) <= gamma`` reads ``B'_{P-}(s*) >= gamma'`` for every s*.
Sums over sentences reduce to their real content through the mixture/linearity lemma:
``B'_P(ctx) = w B'_{P-}(ctx) + (1 - w) B'_{P+}(ctx)`` with the posterior weight
``w = alpha P-(ctx) / (alpha P-(ctx) + (1 - alpha) P+(ctx)) = 1 / (1 + r)``.
"""

from __future__ import annotations

from fractions import Fraction as F

import sympy as sp

from bebcheck.symbolic.chain import Chain
from bebcheck.symbolic.finding import Finding, Severity
from bebcheck.symbolic.lemmas import (
    BERNOULLI_STRICT,
    EXISTS_ABOVE_MEAN,
    LOG_MONOTONE,
    LOG_PRODUCT,
    LOG_QUOTIENT,
)
from bebcheck.symbolic.location import Location
from bebcheck.symbolic.params import nonneg_int, positive, prob_param, real
from bebcheck.symbolic.step import Step, StepKind

from .common import (
    ALPHA,
    BETA,
    BM,
    BP,
    EPS,
    EPS1,
    GAMMA_P,
    M0,
    M_LEN,
    MN,
    N_LEN,
    PM,
    PP,
    C,
    al,
    be,
    c,
    c_similar_behaviours,
    e1,
    eps,
    gp,
    m,
    make,
    n,
    pm,
    pp,
)
from .models import realised
from .results import ResultId

Bm, Bp = BM.symbol, BP.symbol
M0s, Mns = M0.symbol, MN.symbol
RATIO = positive("r", "r", "(1−α)P+(ctx)/(αP−(ctx)), the ratio the appendix bounds by ε′")
rr = RATIO.symbol
wr = 1 / (1 + rr)  # posterior weight of P- after the prompt: αP−/(αP− + (1−α)P+) = 1/(1+r)
r = (1 - al) * pp / (al * pm)  # the same ratio, from the two prompt probabilities
BPp = sp.Symbol("BPp", real=True)  # B'_P(ctx)
mix_r = {BPp: wr * Bm + (1 - wr) * Bp}

__all__ = ["RATIO", "BPp", "chain", "first_half", "mix_r", "theorem1"]


def first_half(p: str, ctx: str, appendix: str = "Appendix A") -> list[Step]:
    """The behaviour bound: B'_P(ctx) > gamma' - eps once the ratio is below eps'.

    ``ctx`` is the context the result applies it to (s1 for Theorem 1, s0 ⊕ s1 for Theorem 2,
    s0 for Theorem 3); the quotes stay verbatim: Appendix A prints s0 ⊕ s1 for Theorems 1 and 2,
    Appendix C prints s0.
    """
    used = ctx
    if appendix == "Appendix A":
        ctx = "s0⊕s1"
    A, Bc = prob_param("A", "P-(ctx)"), prob_param("Bc", "P+(ctx)")
    a_, b_ = prob_param("a", "P-(s|ctx)"), prob_param("b", "P+(s|ctx)")
    As, Bcs, as_, bs_ = A.symbol, Bc.symbol, a_.symbol, b_.symbol
    wA = al * As / (al * As + (1 - al) * Bcs)
    X = real("X", "B'_P", "B'_P(ctx)")
    hint_fail = {"r": F(1, 10), "gp": F(1, 2), "eps": F(1, 10), "eps1": F(19, 100),
                 "Bm": F(1, 2), "Bp": -1}
    return [
        Step(
            f"{p}.1", Location.display(appendix, "first display"),
            f"B′P({ctx}) = Es∼P(·|{ctx})[B′(s)] = Σs [αP−({ctx}⊕s) + (1−α)P+({ctx}⊕s)] / "
            f"[αP−({ctx}) + (1−α)P+({ctx})] B′(s)",
            StepKind.FAITHFUL,
            (make(f"{p}.1/posterior", (ALPHA, A, Bc, a_, b_),
                  sp.Eq((al * As * as_ + (1 - al) * Bcs * bs_) / (al * As + (1 - al) * Bcs),
                        wA * as_ + (1 - wA) * bs_),
                  text="per sentence: the mixture's conditional is the posterior-weighted "
                       "mixture of the components' conditionals"),),
            explanation=f"Applied at the context {used}. "
                        "With P±(ctx⊕s) = P±(ctx)·P±(s|ctx), the summand is the posterior "
                        "mixture; summed against B′ this is the mixture/linearity lemma.",
            lemmas=("mixture_posterior_linearity",),
        ),
        Step(
            f"{p}.2", Location.display(appendix, "second display"),
            "Taking only the P− term in the numerator and rearranging the numerator and "
            f"denominator: > Σs αP−({ctx}⊕s) / [αP−({ctx}) + (1−α)P+({ctx})] B′(s)",
            StepKind.FAITHFUL,
            (make(f"{p}.2/drop-plus-term", (RATIO, GAMMA_P, BM, BP),
                  BPp > wr * Bm, hyps=[Bm >= gp], defs=mix_r,
                  text="dropping (1−α)P+ terms lowers the sum",
                  hints=[hint_fail]),),
            explanation="B′ = −B takes values in [−1, 1]: where P+ puts mass on sentences with "
                        "B′(s) ≤ 0 the dropped terms are ≤ 0 and the sum does not decrease.", finding=Finding(Severity.INVALID_STEP, realised=realised(f"{p}.2")),
        ),
        Step(
            f"{p}.2r", Location.display(appendix, "second display").as_repaired(),
            "Keep the P+ term and bound it below by B′ ≥ −1: "
            "B′P ≥ w·B′P− − (1 − w)",
            StepKind.REPAIRED,
            (make(f"{p}.2r/keep-plus-term", (RATIO, GAMMA_P, BM, BP),
                  BPp >= wr * Bm - (1 - wr), hyps=[Bm >= gp], defs=mix_r),),
            repairs=f"{p}.2",
            explanation="The P+ component contributes (1−w)·B′P+ ≥ −(1−w).",
        ),
        Step(
            f"{p}.3", Location.display(appendix, "second display", "rearranging"),
            f"Σs αP−({ctx}⊕s) / [αP−({ctx})(1 + (1−α)P+({ctx})/(αP−({ctx})))] B′(s) = "
            f"Σs P−(s|{ctx}) / (1 + (1−α)P+({ctx})/(αP−({ctx}))) B′(s)",
            StepKind.FAITHFUL,
            (make(f"{p}.3/rearrange", (ALPHA, A, Bc, a_),
                  sp.Eq(al * As * as_ / (al * As + (1 - al) * Bcs),
                        as_ / (1 + (1 - al) * Bcs / (al * As)))),),
        ),
        Step(
            f"{p}.4", Location.display(appendix, "third display"),
            f"If we were to bound (1−α)P+({ctx})/(αP−({ctx})) < ε′, we would get: "
            "> Σs P−(s|·)/(1 + ε′) B′(s) = B′P−/(1 + ε′)",
            StepKind.FAITHFUL,
            (make(f"{p}.4/ratio-to-eps1", (RATIO, EPS1, GAMMA_P, BM),
                  Bm / (1 + rr) > Bm / (1 + e1), hyps=[rr < e1, Bm >= gp]),),
            explanation="True for the whole sum (B′P− ≥ γ′ > 0), though not term by term.",
        ),
        Step(
            f"{p}.5", Location.display(appendix, "third display"),
            f"B′P−({ctx})/(1+ε′) > γ′/(1+ε′) … In the second to last transition we used "
            f"B′P−({ctx}) > γ′ which is assured from the α, β, γ-distinguishability",
            StepKind.FAITHFUL,
            (make(f"{p}.5/strict-gamma", (EPS1, GAMMA_P, BM),
                  Bm / (1 + e1) > gp / (1 + e1), hyps=[Bm >= gp],
                  hints=[{"eps1": F(1, 10), "gp": F(1, 2), "Bm": F(1, 2)}]),),
            explanation="Definition 3 gives sup B_P− ≤ γ, i.e. B′P− ≥ γ′, not >.", finding=Finding(Severity.TYPO, realised=realised(f"{p}.5")),
        ),
        Step(
            f"{p}.5r", Location.display(appendix, "third display").as_repaired(),
            "B′P−/(1+ε′) ≥ γ′/(1+ε′), from B′P− ≥ γ′ (Definition 3)",
            StepKind.REPAIRED,
            (make(f"{p}.5r/weak-gamma", (EPS1, GAMMA_P, BM),
                  Bm / (1 + e1) >= gp / (1 + e1), hyps=[Bm >= gp]),),
            repairs=f"{p}.5",
        ),
        Step(
            f"{p}.6", Location.display(appendix, "third display"),
            "γ′/(1+ε′) > γ′(1−ε′) … the last transition is Bernouli's inequality",
            StepKind.FAITHFUL,
            (make(f"{p}.6/bernoulli", (EPS1, GAMMA_P),
                  gp / (1 + e1) > gp * (1 - e1),
                  facts=[BERNOULLI_STRICT.instance(x=e1)]),),
            lemmas=("bernoulli_strict",),
        ),
        Step(
            f"{p}.7", Location.sentence(appendix, "Taking ε′ < ϵ/γ′ gives"),
            f"Taking ε′ < ϵ/γ′ gives: B′P({ctx}) > γ′ − ϵ",
            StepKind.FAITHFUL,
            (make(f"{p}.7/eps-choice", (EPS, EPS1, GAMMA_P),
                  gp * (1 - e1) > gp - eps, hyps=[e1 < eps / gp]),),
        ),
        Step(
            f"{p}.8", Location.sentence(appendix, "If we multiply this inequality by −1"),
            "If we multiply this inequality by −1 and map back B = −B′ and γ = −γ′, we get: "
            f"BP({ctx}) < γ + ϵ",
            StepKind.FAITHFUL,
            (make(f"{p}.8/negate", (X, EPS, GAMMA_P),
                  -X.symbol < -gp + eps, hyps=[X.symbol > gp - eps]),),
        ),
        Step(
            f"{p}.9", Location.display(appendix, "third display", "first part as a whole"),
            f"If we were to bound (1−α)P+({ctx})/(αP−({ctx})) < ε′ … Taking ε′ < ϵ/γ′ gives: "
            f"B′P({ctx}) > γ′ − ϵ",
            StepKind.FAITHFUL,
            (make(f"{p}.9/first-part", (RATIO, EPS, EPS1, GAMMA_P, BM, BP),
                  BPp > gp - eps, hyps=[rr < e1, e1 < eps / gp, Bm >= gp], defs=mix_r,
                  text="the composed first part, with the mixture's true expectation",
                  hints=[hint_fail]),),
            explanation="With the P+ term restored, ratio r < ε′ only gives "
                        "B′P ≥ γ′ − (1+γ′)·r/(1+r); ε′ = ϵ/γ′ is too large whenever ϵ < 1.", finding=Finding(Severity.CONSTANT_OFF, consequence_of=f"{p}.2", realised=realised(f"{p}.9")),
        ),
        Step(
            f"{p}.9r", Location.display(appendix, "third display", "first part").as_repaired(),
            "Take ε′ = ϵ/(1+γ′−ϵ) (for ϵ < 1+γ′): B′P ≥ (γ′ − r)/(1+r) > γ′ − ϵ exactly when "
            "r < ϵ/(1+γ′−ϵ); for ϵ ≥ 1+γ′ there is nothing to prove (B′P > −1 ≥ γ′ − ϵ)",
            StepKind.REPAIRED,
            (make(f"{p}.9r/first-part", (RATIO, EPS, GAMMA_P, BM, BP),
                  BPp > gp - eps,
                  hyps=[rr < eps / (1 + gp - eps), eps < 1 + gp, Bm >= gp],
                  defs=mix_r, text="the ratio bound ε′ := ϵ/(1+γ′−ϵ)"),
             make(f"{p}.9r/large-eps", (RATIO, EPS, GAMMA_P, BM, BP),
                  BPp > gp - eps, hyps=[eps >= 1 + gp, Bm >= gp], defs=mix_r)),
            repairs=f"{p}.9",
        ),
    ]


def _second_half(p: str, with_prompt: bool) -> list[Step]:
    """The ratio bound: M_n > n beta + M0 and the choice of n."""
    a1, a2 = prob_param("u", "P-(s0)"), prob_param("v", "P-(q|s0)")
    b1, b2 = prob_param("x", "P+(s0)"), prob_param("y", "P+(q|s0)")
    u, v, x, y = a1.symbol, a2.symbol, b1.symbol, b2.symbol
    EX = real("EX", "E[X]", "E_{q~P-(.|ctx)}[log P-(q|ctx)/P+(q|ctx)]")
    Xq = sp.Symbol("Xq", real=True)  # X at the sentence the lemma provides
    Mk1 = real("Mk1", "M_{k-1}")
    Mk = real("Mk", "M_k")
    K = nonneg_int("k", "k", "induction index", lower=2)
    steps = [
        Step(f"{p}.10", Location.sentence("Appendix A", "For n = 1, given the β-distinguishability", "ratio part"),
             "For n = 1, given the β-distinguishability from the use's prompts, we get: "
             "Eq1∼P−(·|s0)[log P−(q|s0)/P+(q|s0)] > β", StepKind.GIVEN,
             explanation="Definition 2 at the prompt s0 (and at every s0⊕q1⊕…⊕qk−1)."),
        Step(f"{p}.11", Location.sentence("Appendix A", "For n = 1, given the β-distinguishability", "ratio part"),
             "Eq1∼P−(·|s0)[log P−(q|s0)/P+(q|s0)] = Eq1∼P−(·|s0)[M1] − M0", StepKind.FAITHFUL,
             (make(f"{p}.11/chain-rule", (a1, a2, b1, b2),
                   sp.Eq(sp.log(u * v / (x * y)) - sp.log(u / x), sp.log(v / y)),
                   facts=[LOG_QUOTIENT.instance(x=u * v, y=x * y),
                          LOG_PRODUCT.instance(x=u, y=v), LOG_PRODUCT.instance(x=x, y=y),
                          LOG_QUOTIENT.instance(x=u, y=x), LOG_QUOTIENT.instance(x=v, y=y)],
                   text="per sentence q: log ratio of s0⊕q minus log ratio of s0 is the "
                        "conditional log ratio (chain rule), then linearity of expectation"),),
             lemmas=("chain_rule_llr", "log_mul", "log_div")),
        Step(f"{p}.12", Location.sentence("Appendix A", "Thus, in particular there exists q1", "ratio part"),
             "Thus, in particular there exists q1 that satisfies the condition: M1 > M0 + β",
             StepKind.FAITHFUL,
             (make(f"{p}.12/exists", (EX, BETA, M0),
                   Mk.symbol > M0s + be, hyps=[EX.symbol > be],
                   defs={Mk.symbol: M0s + Xq},
                   facts=[EXISTS_ABOVE_MEAN.instance(mean=EX.symbol, b=be, x_s=Xq)]),),
             lemmas=("exists_above_mean",)),
        Step(f"{p}.13", Location.sentence("Appendix A", "Continuing this to k = n", "ratio part"),
             "Continuing this to k = n, given the choices for q1, ..., qn, we get in total: "
             "Mn > n∗β + M0", StepKind.FAITHFUL,
             (make(f"{p}.13/induction-step", (K, BETA, M0, Mk1, Mk),
                   Mk.symbol > K.symbol * be + M0s,
                   hyps=[Mk1.symbol > (K.symbol - 1) * be + M0s, Mk.symbol > Mk1.symbol + be]),),
             lemmas=("induction",),
             explanation="Base case k = 1 is step .12; this is the induction step."),
    ]
    hint = {"alpha": F(1, 2), "beta": F(9, 10), "gp": F(1, 2), "eps": F(1, 10),
            "r": F(1, 10), "Bm": F(1, 2), "Bp": -1}
    if with_prompt:
        hint |= {"n": 5, "m": 1, "c": 3, "M0": F(-29, 10), "beta": 1, "Bp": F(-23, 25)}
        extra_params = (C, M_LEN, M0)
        m0_faithful = [M0s > -m * c]
        m0_repaired = [M0s >= -m * c]
        lenterm = m * c
        m0 = M0s
        where = Location.sentence("Appendix A", "Choose n >", "end of proof")
        quote = ("Choose n > (m∗c + log((1−α)/α) + log(1/ϵ′))/β and get "
                 "(1−α)P+(s0⊕s1)/(αP−(s0⊕s1)) < ϵ′ as desired")
    else:
        hint |= {"n": 2}
        extra_params = ()
        m0_faithful = m0_repaired = []
        lenterm = sp.Integer(0)
        m0 = sp.Integer(0)
        where = Location.sentence("Appendix A", "First, note that for the unprompted case",
                                  "end of proof, s0 empty")
        quote = ("First, note that for the unprompted case (theorem 1), s0 is empty, so there is "
                 "nothing to bound … Choose n > (m∗c + log((1−α)/α) + log(1/ϵ′))/β")
    lr = sp.log((1 - al) / al)
    mn = sp.log(pm / pp)  # M_n as a log ratio of the two prompt probabilities
    ratio_facts = [LOG_QUOTIENT.instance(x=(1 - al) / al, y=pm / pp)]
    base = (ALPHA, BETA, N_LEN, PM, PP, *extra_params)
    steps.append(Step(
        f"{p}.14", where, quote, StepKind.FAITHFUL,
        (make(f"{p}.14/length-to-ratio", (*base, EPS1),
              r < e1,
              hyps=[n * be > lenterm + lr + sp.log(1 / e1), mn > n * be + m0, *m0_faithful],
              facts=[*ratio_facts, LOG_QUOTIENT.instance(x=1, y=e1),
                     LOG_MONOTONE.instance(x=r, y=e1)]),),
        lemmas=("log_div", "log_strict_mono"),
    ))
    # the whole theorem at the printed length, with eps' -> eps/gamma' (its weakest printed form);
    # M_n = log(P-/P+) of the prompt, written through the ratio r = (1-α)P+/(αP-)
    mn_r = sp.log((1 - al) / al / rr)
    full_h = [mn_r > n * be + m0, Bm >= gp]
    if with_prompt:  # c-similarity (per sentence) makes the witness realisable: no sentence
        # moves the log ratio by c or more; a conditional KL is at most c tanh(c/2) (so beta is
        # below it); P+(s) > exp(-c) P-(s) gives 1 + B'_{P+} >= exp(-c) (1 + B'_{P-})
        full_h += [mn_r < m0 + n * c, M0s < m * c,
                   *c_similar_behaviours(c, Bm, Bp)]
    base_r = (ALPHA, BETA, N_LEN, RATIO, *extra_params)
    steps.append(Step(
        f"{p}.15", Location.sentence("Appendix A", "Choose n >", "the theorem at the printed length"),
        "Taking ϵ′ < ϵ/γ′ … Choose n > (m∗c + log((1−α)/α) + log(1/ϵ′))/β … "
        "BP(s0 ⊕ s1) < γ + ϵ",
        StepKind.FAITHFUL,
        (make(f"{p}.15/end-to-end", (*base_r, EPS, GAMMA_P, BM, BP),
              BPp > gp - eps,
              hyps=[n * be > lenterm + lr + sp.log(gp / eps), *full_h, *m0_faithful],
              defs=mix_r, hints=[hint],
              text="every n above the printed threshold (with ε′ → ϵ/γ′) gives B_P < γ + ϵ"),),
        explanation="The printed length is too short by log((1+γ′−ϵ)/γ′)/β in the worst case: "
                    "the certified witness has B_P(s0⊕s1) > γ + ϵ at a length the proof allows."
                    + (" It also meets what per-sentence c-similarity implies: β < c·tanh(c/2) "
                       "(the largest one-sentence KL under log ratios below c) and "
                       "1 + B′P+ ≥ e^{−c}(1 + B′P−)." if with_prompt else ""), finding=Finding(Severity.CONSTANT_OFF, consequence_of=f"{p}.2", realised=realised(f"{p}.15")),
        lemmas=("kl_bounded_ratio",) if with_prompt else (),
    ))
    ok_hint = {"alpha": F(1, 2), "beta": 1, "n": 5, "r": F(1, 1000), "gp": F(1, 2),
               "eps": F(1, 10)} | ({"m": 1, "c": 1, "M0": 0} if with_prompt else {})
    steps.append(Step(
        f"{p}.15r", Location.sentence("Appendix A", "Choose n >", "the theorem").as_repaired("the theorem"),
        "n > (m·c + log((1−α)/α) + log((1+γ′−ϵ)/ϵ))/β gives BP(s0 ⊕ s1) < γ + ϵ "
        "(for ϵ < 1+γ′; any n otherwise)",
        StepKind.REPAIRED,
        (make(f"{p}.15r/length-to-ratio", (*base_r, EPS, GAMMA_P),
              rr < eps / (1 + gp - eps),
              hyps=[n * be > lenterm + lr + sp.log((1 + gp - eps) / eps), mn_r > n * be + m0,
                    eps < 1 + gp, *m0_repaired],
              facts=[LOG_QUOTIENT.instance(x=(1 - al) / al, y=rr),
                     LOG_QUOTIENT.instance(x=1 + gp - eps, y=eps),
                     LOG_QUOTIENT.instance(x=eps, y=1 + gp - eps),
                     LOG_MONOTONE.instance(x=rr, y=eps / (1 + gp - eps))],
              hints=[ok_hint],
              text="the repaired length makes the ratio smaller than ϵ/(1+γ′−ϵ)"),
         make(f"{p}.15r/ratio-to-bound", (RATIO, EPS, GAMMA_P, BM, BP),
              BPp > gp - eps, hyps=[rr < eps / (1 + gp - eps), eps < 1 + gp, Bm >= gp],
              defs=mix_r,
              text="… and a ratio below ϵ/(1+γ′−ϵ) gives B′P > γ′ − ϵ, i.e. BP < γ + ϵ"),
         make(f"{p}.15r/large-eps", (RATIO, EPS, GAMMA_P, BM, BP),
              BPp > gp - eps, hyps=[eps >= 1 + gp, Bm >= gp], defs=mix_r,
              text="for ϵ ≥ 1+γ′ any prompt length works")),
        repairs=f"{p}.15",
        lemmas=("log_div", "log_strict_mono", "mixture_posterior_linearity"),
    ))
    return steps


def chain(result: str, with_prompt: bool) -> Chain:
    p = "T2" if with_prompt else "T1"
    ctx = "s0⊕s1" if with_prompt else "s1"
    given = [
        Step(f"{p}.0a", Location.statement("Definition 3", "first condition"), "There exists a mixture P = α · P− + (1 − α) · P+ for α > 0",
             StepKind.GIVEN),
        Step(f"{p}.0b", Location.statement("Definition 3", "second condition"), "sups∗{BP−(s∗)} ≤ γ", StepKind.GIVEN,
             explanation="In the appendix's convention: B′P−(s∗) ≥ γ′ for every s∗."),
        Step(f"{p}.0c", Location.statement("Definition 3", "third condition"), "P− is β-distinguishable from P+ (definition 2)", StepKind.GIVEN),
    ]
    if with_prompt:
        given.append(Step(f"{p}.0d", Location.statement("Theorem 2"), "the distributions corresponding to the "
                          "well-behaved and ill-behaved components of P are c-similar "
                          "(definition 6)", StepKind.GIVEN))
    if with_prompt:
        title = "Theorem 2 (misalignment despite an aligning prompt s0)"
        statement = ("Then for any initial prompt s0 ∈ Σ⋆, the conditional LLM distribution "
                     "P(·|s0) is γ-prompt-misalignable with prompt length |s1| = "
                     "O(log 1/ϵ, log 1/α, 1/β, |s0|, c).")
    else:
        title = "Theorem 1 (alignment impossibility)"
        statement = ("Let γ ∈ [−1, 0) and let B be a behaviour and P be an unprompted language "
                     "model such that B is α, β, γ-distinguishable in P (definition 3), then P "
                     "is γ-prompt-misalignable to B (definition 1) with prompt length of "
                     "O(log 1/ϵ, log 1/α, 1/β).")
    return Chain(result, title, statement, "Section 3.1 / Appendix A",
                 (*given, *first_half(p, ctx), *_second_half(p, with_prompt)))


def theorem1() -> Chain:
    return chain(ResultId.THEOREM1, with_prompt=False)
