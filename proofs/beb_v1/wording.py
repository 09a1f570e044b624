"""How the appendices word their arguments: induction base for hypothesis, the prompt a bound is
at, the order of a conversation's turns between statement and proof, Ω written for ω.

Each slip is a printed step with severity *typo*: its literal reading is an obligation that a
certified witness refutes, and the repair beside it states what the argument means, proved
(mostly the very obligation of the repaired step of the result it belongs to).  The results'
own chains are left as they are: Theorems 1–2 and Lemma B are also a spec file
(``proofs/specs/beb-v1.toml``) that must say what the Python encoding says.
"""

from __future__ import annotations

from fractions import Fraction as F

import sympy as sp

from bebcheck.symbolic.chain import Chain
from bebcheck.symbolic.finding import Finding, Severity
from bebcheck.symbolic.lemmas import LOG_PRODUCT
from bebcheck.symbolic.location import Location
from bebcheck.symbolic.obligation import Obligation
from bebcheck.symbolic.params import closed, positive, real, unit_open
from bebcheck.symbolic.step import Step, StepKind

from .common import BM, BP, be, c, eps, gp, kl_cap, make
from .lemma_b import lemma_b
from .lemma_d import lemma_d
from .models import realised
from .params import BETA, EPS, GAMMA, GAMMA_P, C
from .proposition1 import proposition1
from .results import ResultId
from .theorem1 import RATIO, BPp, mix_r
from .theorem4 import theorem4

__all__ = ["wording"]


def _typo(sid: str) -> Finding:
    return Finding(Severity.TYPO, realised=realised(sid))


def _reuse(chain: Chain, oid: str, new: str) -> Obligation:
    """An obligation of another result's repaired step, under this step's name."""
    ob = next(o for _, o in chain.obligations() if o.id == oid)
    return ob.with_(id=new)


def _induction() -> list[Step]:
    ls = [real(f"l{i}", f"l_{i}", f"log Pφ(a{i}|a1…a{i - 1})/P˜φ(a{i}|a1…a{i - 1})")
          for i in (1, 2, 3)]
    l1, l2, l3 = (p.symbol for p in ls)
    LP, S = real("Lp", "log ratio of q1 ⊕ a1 ⊕ … ⊕ a_{k−1}"), real("S", "β|q1| − c")
    Q1, Q2 = positive("q1", "|q1|"), positive("q2", "|q2|")
    lp, s_, q1, q2 = LP.symbol, S.symbol, Q1.symbol, Q2.symbol
    return [
        Step("W.1", Location.sentence("Appendix B", "From the induction base for m − 1",
                                      "induction step"),
             "Induction step: assume m′ − 1 holds true, now for m′: … From the induction base "
             "for m − 1: = log Pφ(am′|a1 ⊕ … ⊕ am′−1)/P˜φ(…) + Σ_{i=1}^{m′−1} log Pφ(ai|a1 ⊕ … "
             "⊕ ai−1)/P˜φ(…)", StepKind.FAITHFUL,
             (make("W.1/base-for-prefix", tuple(ls), sp.Eq(l1 + l2 + l3, l1 + l2),
                   hints=[{"l1": 0, "l2": 0, "l3": 1}],
                   text="the base (m′ = 2) gives the log ratio of two sentences as the sum of "
                        "two conditional ones (l1 + l2); the prefix of m′ − 1 = 3 sentences has "
                        "log ratio l1 + l2 + l3 (chain rule), which the base's sum misses"),),
             explanation="The step uses the induction hypothesis (the claim for m′ − 1), not the "
                         "base (m′ = 2), and writes m for m′; the base speaks of two sentences "
                         "only. The sum it means holds (B.2).", finding=_typo("W.1")),
        Step("W.1r", Location.sentence("Appendix B", "From the induction base for m − 1",
                                       "induction step").as_repaired(),
             "From the induction hypothesis for m′ − 1: log Pφ(a1 ⊕ … ⊕ am′−1)/P˜φ(…) = "
             "Σ_{i=1}^{m′−1} log Pφ(ai|…)/P˜φ(ai|…)", StepKind.REPAIRED,
             (_reuse(lemma_b(), "B.2/induction-step", "W.1r/induction-step"),), repairs="W.1"),
        Step("W.2", Location.sentence("Appendix D", "From the base of the induction",
                                      "induction step"),
             "From the base of the induction: = −c + β·|qk| + Σ_{i=1}^{k−1}(β·|qi| − c)",
             StepKind.FAITHFUL,
             (make("W.2/base-for-prefix", (BETA, C, Q1, Q2, LP, S),
                   lp > (be * q1 - c) + (be * q2 - c),
                   hyps=[lp > s_, sp.Eq(s_, be * q1 - c), be < kl_cap(c)],
                   hints=[{"beta": F(1, 2), "c": 2, "q1": 4, "q2": 10, "Lp": F(1, 2), "S": 0}],
                   text="the base bounds one turn (β|q1| − c); read for the prefix of k − 1 = 2 "
                        "turns it does not give the two-term sum (β < c·tanh(c/2): Definitions "
                        "2 and 6 together)"),),
             explanation="The step uses the induction hypothesis (the claim for k − 1 turns), "
                         "not the base of the induction (one turn), which bounds only q1 ⊕ a1. "
                         "(That it writes = for > is D.4.)", finding=_typo("W.2")),
        Step("W.2r", Location.sentence("Appendix D", "From the base of the induction",
                                       "induction step").as_repaired(),
             "By the induction hypothesis for k − 1: > −c + β·|qk| + Σ_{i=1}^{k−1}(β·|qi| − c)",
             StepKind.REPAIRED, (_reuse(lemma_d(), "D.4r/inequality", "W.2r/inequality"),),
             repairs="W.2"),
    ]


def _objects() -> list[Step]:
    X0, X1 = (closed(n, -1, 1, meaning=mn) for n, mn in
              (("X0", "B′_P(s0), s0 the prompt of Appendix F"),
               ("X1", "B′_P(s1), s1 another prompt")))
    G0, G1 = (closed(n, -1, 0, meaning=mn) for n, mn in
              (("Bproof", "BP(s0 ⊕ q1 ⊕ a1 ⊕ … ⊕ qn ⊕ an): the proof's continuation"),
               ("Bstated", "BP(s0 ⊕ a1 ⊕ q1 ⊕ … ⊕ an−1 ⊕ qn): the statement's")))
    H0, H1 = (closed(n, -1, 1, meaning=mn) for n, mn in
              (("Ba", "BP(q1 ⊕ a1 ⊕ … ⊕ qn ⊕ an): after the model's own reply"),
               ("Bq", "BP(q1 ⊕ a1 ⊕ … ⊕ an ⊕ qn+1): where the model replies")))
    M0, M1, Q = real("M0", "log P−/P+ after an"), real("M1", "… after qn+1"), positive("q", "|qn+1|")
    x0, x1, g0, g1, h0, h1 = (p.symbol for p in (X0, X1, G0, G1, H0, H1))
    gam = GAMMA.symbol
    t4, p1 = theorem4(), proposition1()
    return [
        Step("W.3", Location.display("Appendix F", "eighth and ninth displays",
                                     "the prompt the bound is at"),
             "Taking ϵ′ = 2αϵ/γ, we get: B′P(s1) ≥ γ′ − ϵ. Mapping back B = −B′, γ = −γ′, we get: "
             "BP(s1) ≤ γ + ϵ", StepKind.FAITHFUL,
             (make("W.3/other-prompt", (X0, X1, GAMMA_P, EPS), x1 >= gp - eps,
                   hyps=[x0 > gp - eps],
                   hints=[{"X0": F(1, 2), "X1": F(-1, 2), "gp": F(1, 2), "eps": F(1, 10)}],
                   text="the chain bounds B′_P at s0; s1 names no prompt of Appendix F"),),
             explanation="Appendix F bounds the behaviour after its prompt s0 (Lemma 1's), then "
                         "states the bound at s1, which it never defines (Theorem 4's prompt is "
                         "s). The bound is at s0.", finding=_typo("W.3")),
        Step("W.3r", Location.display("Appendix F", "eighth and ninth displays",
                                      "the prompt the bound is at").as_repaired(),
             "B′P(s0) > γ′ − ϵ, i.e. BP(s0) < γ + ϵ, at the prompt s0 of Lemma 1",
             StepKind.REPAIRED, (_reuse(t4, "T4.8r/negate", "W.3r/negate"),), repairs="W.3"),
        Step("W.4", Location.sentence("Appendix E", "The idea is to look at the behavior "
                                                    "expectation value", "order of the turns"),
             "The idea is to look at the behavior expectation value given the continuation of "
             "the conversation, s1 = q1 ⊕ a1 ⊕ … ⊕ qn ⊕ an (the statement: s0 ⊕ a1 ⊕ q1 ⊕ … ⊕ "
             "an−1 ⊕ qn)", StepKind.FAITHFUL,
             (make("W.4/other-continuation", (G0, G1, GAMMA), g1 < gam / 2, hyps=[g0 < gam / 2],
                   hints=[{"Bproof": F(-1, 2), "Bstated": F(-1, 5), "gamma": F(-1, 2)}],
                   text="the proof bounds BP after its continuation (user first, ending with a "
                        "reply an); the statement's starts with the reply a1 and ends with qn"),),
             explanation="Statement and proof order the turns differently (the statement: reply "
                         "first, ending with the user's qn; the proof: user first, ending with "
                         "the reply an, one more reply than the statement has). The argument "
                         "uses only the continuation's length, so it covers either order: "
                         "c-similarity per sentence, whoever says it.", finding=_typo("W.4")),
        Step("W.4r", Location.sentence("Appendix E", "The idea is to look at the behavior "
                                                     "expectation value",
                                       "order of the turns").as_repaired(),
             "For any continuation s1 (the statement's a1 ⊕ q1 ⊕ … ⊕ an−1 ⊕ qn included), "
             "log P+(s0⊕s1)/P−(s0⊕s1) < c·|s1| + log P+(s0)/P−(s0), one sentence at a time",
             StepKind.REPAIRED, (_reuse(p1, "P1.7/step", "W.4r/step"),), repairs="W.4"),
        Step("W.5", Location.sentence("Appendix C", "but this time s0 is a series of user "
                                                    "prompts", "order of the turns"),
             "but this time s0 is a series of user prompts and model responses s0 = q1 ⊕ a1 ⊕ "
             "… ⊕ qn ⊕ an (Theorem 3: q1, a1 … qt, at, qt+1)", StepKind.FAITHFUL,
             (make("W.5/reply-context", (H0, H1, GAMMA, EPS), h1 < gam + eps,
                   hyps=[h0 < gam + eps],
                   hints=[{"Ba": F(-1, 2), "Bq": F(1, 2), "gamma": F(-1, 2), "eps": F(1, 10)}],
                   text="the proof bounds BP after the model's reply an, where the user speaks "
                        "next; Theorem 3's model replies after the user's qt+1"),),
             explanation="Theorem 3's conversation ends with the user's qt+1, to which the model "
                         "replies; the proof bounds the behaviour after the model's own reply "
                         "an. Adding the user's turn qn+1 (chosen like the others, it only raises "
                         "log P−/P+) and applying the first half there gives the statement.",
             finding=_typo("W.5")),
        Step("W.5r", Location.sentence("Appendix C", "but this time s0 is a series of user "
                                                     "prompts",
                                       "order of the turns").as_repaired(),
             "Apply the bound at q1 ⊕ a1 ⊕ … ⊕ qn ⊕ an ⊕ qn+1, with qn+1 built like the other "
             "turns: log P−/P+ only grows, so the ratio stays below ϵ/(1+γ′−ϵ) and BP < γ + ϵ",
             StepKind.REPAIRED,
             (make("W.5r/one-more-turn", (M0, M1, Q, BETA), M1.symbol > M0.symbol,
                   hyps=[M1.symbol > M0.symbol + be * Q.symbol]),
              make("W.5r/ratio-to-bound", (RATIO, EPS, GAMMA_P, BM, BP), BPp > gp - eps,
                   hyps=[RATIO.symbol < eps / (1 + gp - eps), eps < 1 + gp, BM.symbol >= gp],
                   defs=mix_r)),
             repairs="W.5"),
    ]


def _omega() -> list[Step]:
    K, L, B = (positive(n, n, mn) for n, mn in (("K", "any constant"), ("L", "log(1/w)"),
                                                 ("bp", "β of the bad persona")))
    KA, W = positive("kappa", "κ", "the constant of β ≥ κ log(1/w)"), unit_open("w", "w")
    k, lw, bp, ka, w = K.symbol, L.symbol, B.symbol, KA.symbol, W.symbol
    return [
        Step("W.6", Location.statement("Corollary 1", "hypothesis", "Ω for ω"),
             "If during training the distinguishability of ill-behaved personas scales "
             "super-logarithmically relative to their priors, β = Ω(log(1/w))",
             StepKind.FAITHFUL,
             (make("W.6/omega-is-not-super", (K, L, B), bp / lw > k, hyps=[bp >= lw],
                   hints=[{"K": 2, "L": 1, "bp": 1}],
                   text="Ω(log 1/w) admits β = log(1/w) (constant 1), whose ratio to log(1/w) "
                        "does not grow past every K, as super-logarithmic growth would"),),
             explanation="'Super-logarithmically' is β = ω(log(1/w)); Ω(log(1/w)) also admits "
                         "β = κ log(1/w). The Ω reading suffices for what the corollary can "
                         "give (C1.1r, with κ: the α-term stays below 2/κ + …).",
             finding=_typo("W.6")),
        Step("W.6r", Location.statement("Corollary 1", "hypothesis", "Ω for ω").as_repaired(),
             "β = ω(log(1/w)); or, with Ω as printed (β ≥ κ log(1/w)), Theorem 4's α-term "
             "(2/β) log(2(1+γ′)/(wϵ)) ≤ 2/κ + (2/β) log(2(1+γ′)/ϵ) stays bounded",
             StepKind.REPAIRED,
             (make("W.6r/omega-bounds", (B, W, KA, GAMMA_P, EPS),
                   2 / bp * sp.log(2 * (1 + gp) / (w * eps))
                   <= 2 / ka + 2 / bp * sp.log(2 * (1 + gp) / eps),
                   hyps=[bp >= ka * sp.log(1 / w)],
                   facts=[LOG_PRODUCT.instance(x=2 * (1 + gp) / eps, y=1 / w)]),),
             repairs="W.6"),
    ]


def wording() -> Chain:
    steps = (*_induction(), *_objects(), *_omega())
    return Chain(ResultId.WORDING, "How the appendices word their arguments",
                 "induction base and hypothesis, the prompt a bound is at, the order of the "
                 "turns, Ω for ω", "Appendices B–F, Corollary 1", steps)

