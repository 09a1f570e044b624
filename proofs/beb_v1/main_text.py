"""The main text's claims (Abstract, Sections 1–4): what each says the theorems imply, checked.

Sections 1–4 draw consequences from the theorems in prose — for guardrails, aligning prompts,
conversations, RLHF, personas.  Each claim is a step with its location and sentence, and gets
a verdict: PROVED when it follows from a (repaired) theorem; REFUTED (by proof) when it is false,
with a finite model (``models.py``) that meets the hypotheses and breaks it; "does not follow"
(the gap proved) when neither.  Several claims say that something *must* be long — a lower
bound — where the theorems give only upper bounds (a misaligning prompt of at most so many
sentences exists).  For those the repaired step states the lower bound that does hold under
extra hypotheses (per-sentence c-similarity and a well-behaved P+) and proves it.
"""

from __future__ import annotations

from fractions import Fraction as F

import sympy as sp

from bebcheck.symbolic.chain import Chain
from bebcheck.symbolic.finding import Finding, FindingKind, Severity
from bebcheck.symbolic.lemmas import LOG_MONOTONE_INC, LOG_NONNEG, LOG_QUOTIENT
from bebcheck.symbolic.location import Location
from bebcheck.symbolic.obligation import Obligation
from bebcheck.symbolic.params import closed, nonneg_int, positive, real, unit_open
from bebcheck.symbolic.step import Step, StepKind

from .common import BM, BP, al, be, c, eps, gp, kl_cap, make
from .models import realised
from .params import ALPHA, BETA, EPS, GAMMA, GAMMA_P, C
from .proposition1 import proposition1
from .results import ResultId
from .theorem1 import RATIO, BPp, mix_r

__all__ = ["main_text"]

rr, Bm = RATIO.symbol, BM.symbol
g = GAMMA.symbol
GPLUS = closed("gplus", -1, 1, r"\gamma_+", "least behaviour of P+ after any prompt")
gpl = GPLUS.symbol
W = closed("w", 0, 1, meaning="posterior weight of P− after the prompt")
w = W.symbol
_PROSE = Severity.UNSUPPORTED_CLAIM  # a claim of the prose that the theorems do not give


def _refuted(proves: str, sid: str) -> Finding:
    return Finding(_PROSE, FindingKind.REFUTED_BY_PROOF, proves, realised=realised(sid))


def _gap(proves: str, sid: str) -> Finding:
    """A claim that holds under the paper's own reading and is false or unshown under another:
    it does not follow as printed; ``proves`` says which reading holds and what the gap is."""
    return Finding(_PROSE, FindingKind.DOES_NOT_FOLLOW, proves, realised=realised(sid))


def _ratio_to_bound(sid: str) -> Obligation:
    """Theorem 1's repaired conclusion (T1.15r/ratio-to-bound): a small ratio misaligns."""
    return make(f"{sid}/ratio-to-bound", (RATIO, EPS, GAMMA_P, BM, BP), BPp > gp - eps,
                hyps=[rr < eps / (1 + gp - eps), eps < 1 + gp, Bm >= gp], defs=mix_r,
                text="Theorem 1 (repaired): a ratio (1−α)P+/(αP−) below ϵ/(1+γ′−ϵ) gives "
                     "BP < γ + ϵ; the repaired length (log((1−α)/α) + log((1+γ′−ϵ)/ϵ))/β "
                     "reaches it")


BMB = closed("Bm", -1, 1, meaning="B_P−(s*): here B itself, not B′")
BPB = closed("Bp", -1, 1, meaning="B_P+(s*): here B itself, not B′")


def _lower_bound(sid: str) -> tuple[Obligation, Obligation]:
    """What does give a guardrail: with P+ behaving at least γ+ > γ + ϵ after every prompt and
    every sentence moving log P−/P+ by less than c, a misaligning prompt has n sentences with
    n·c > log((1−α)/α) + log((γ+ − γ − ϵ)/(1 + γ + ϵ))."""
    Q = (1 + g + eps) / (gpl - g - eps)
    Bm_, Bp_ = BMB.symbol, BPB.symbol
    N = nonneg_int("n", "n", "sentences of a misaligning prompt", lower=1)
    n = N.symbol
    return (
        make(f"{sid}/behaviour-needs-ratio", (RATIO, BMB, BPB, GAMMA, EPS, GPLUS),
             rr * (gpl - g - eps) < 1 + g + eps,
             hyps=[Bp_ >= gpl, gpl > g + eps, Bm_ + rr * Bp_ < (g + eps) * (1 + rr)],
             text="BP = (B_P− + r·B_P+)/(1 + r) with B_P− ≥ −1 and B_P+ ≥ γ+: BP < γ + ϵ "
                  "(times 1 + r > 0) needs r < (1 + γ + ϵ)/(γ+ − γ − ϵ)"),
        make(f"{sid}/length", (ALPHA, RATIO, N, C, GAMMA, EPS, GPLUS),
             n * c > sp.log((1 - al) / al) + sp.log(1 / Q),
             hyps=[sp.log((1 - al) / al / rr) < n * c, rr * (gpl - g - eps) < 1 + g + eps,
                   gpl > g + eps],
             facts=[LOG_QUOTIENT.instance(x=(1 - al) / al, y=rr),
                    LOG_MONOTONE_INC.instance(x=rr, y=Q),
                    LOG_QUOTIENT.instance(x=1 + g + eps, y=gpl - g - eps),
                    LOG_QUOTIENT.instance(x=gpl - g - eps, y=1 + g + eps)],
             text="log P−/P+ of the prompt, log((1−α)/(αr)), is below n·c (c-similarity per "
                  "sentence): n·c > log((1−α)/α) + log((γ+ − γ − ϵ)/(1 + γ + ϵ))"),
    )


def _claims_1_to_3() -> list[Step]:
    P = closed("p", 0, F(1, 10), meaning="P(bad sentence | s*), the same after every prompt",
               lower_open=True)
    PM, PP = (closed(nm, 0, F(3, 4), meaning=mn, lower_open=True) for nm, mn in
              (("pm", "P−(negative sentence | s*)"), ("pp", "P+(negative sentence | s*)")))
    PX, BX = (closed("px", 0, 1, meaning="P−(x) > 0, while P+(x) = 0", lower_open=True),
              closed("Bx", -1, 0, meaning="B_P−(x) ≤ γ", upper_open=True))
    p, pm, pp, px, bx = P.symbol, PM.symbol, PP.symbol, PX.symbol, BX.symbol
    never = make("MT.1/never-triggered", (W, P), w * p + (1 - w) * p <= F(1, 10),
                 text="sentences independent, one law after every prompt: P(bad | s*) = p "
                      "whatever the prompt (any posterior weight), never growing with length")
    one = make("MT.3/one-sentence", (ALPHA, PX, BX, GAMMA, EPS),
               (al * px * bx) / (al * px) < g + eps, hyps=[bx <= g],
               text="P+(x) = 0 < P−(x): after the one sentence x the posterior weight of P− is "
                    "1 for every α > 0, so BP(x) = B_P−(x) ≤ γ < γ + ϵ")
    return [
        Step("MT.1", Location.sentence("Abstract", "Importantly, we prove that for any behavior"),
             "Importantly, we prove that for any behavior that has a finite probability of being "
             "exhibited by the model, there exist prompts that can trigger the model into "
             "outputting this behavior, with probability that increases with the length of the "
             "prompt.", StepKind.FAITHFUL, (never,),
             explanation="Positive probability is not what the theorems assume: they need a "
                         "decomposition with a β-distinguishable bad part (Definition 3). A "
                         "language model whose sentences are independent, with probability 1/10 "
                         "of a bad one, keeps that probability (and BP = 4/5) after every "
                         "prompt.",
             finding=_refuted("false as stated: a model with a finite probability of the "
                              "behaviour that no prompt raises", "MT.1")),
        Step("MT.1r", Location.sentence("Abstract", "Importantly, we prove that for any "
                                                    "behavior").as_repaired(),
             "If B is α, β, γ-distinguishable in P (Definition 3), a prompt of (log((1−α)/α) + "
             "log((1+γ′−ϵ)/ϵ))/β sentences gives BP(s*) < γ + ϵ (Theorem 1, repaired)",
             StepKind.REPAIRED, (_ratio_to_bound("MT.1r"),), repairs="MT.1"),
        Step("MT.2", Location.sentence("Section 1", "Informal theorem: If the LLM has finite "
                                                    "probability"),
             "Informal theorem: If the LLM has finite probability of exhibiting negative "
             "behavior, there exists a prompt for which the LLM will exhibit negative behavior "
             "with probability 1.", StepKind.FAITHFUL,
             (make("MT.2/below-one", (W, PM, PP), w * pm + (1 - w) * pp < 1,
                   text="P− itself says a negative sentence with probability at most 3/4: after "
                        "any prompt, the mixture's probability of one is at most 3/4"),),
             explanation="Two readings of 'probability 1'. Read as the posterior weight of the "
                         "ill-behaved component P− tending to 1 (the LLM behaving as P−), under "
                         "Definition 3 (which the informal 'finite probability' stands for) it "
                         "is Theorem 1: the ratio (1−α)P+/(αP−) falls below any ϵ′ (MT.2r; "
                         "arbitrarily close to 1, never exactly 1 for a prompt P+ can say). "
                         "Read as the probability that the LLM says a negative sentence, it "
                         "does not follow — Theorem 1 bounds an expectation, BP(s*) < γ + ϵ — "
                         "and in a model meeting Definition 3 in which P− says a good sentence "
                         "with probability 1/4 it stays at most 3/4 after every prompt.",
             finding=_gap("read as the posterior weight of P− tending to 1 (under Definition "
                          "3) it is Theorem 1 (MT.2r); read as the probability of a negative "
                          "sentence it does not follow, and a model meeting Definition 3 keeps "
                          "that probability at most 3/4", "MT.2")),
        Step("MT.2r", Location.sentence("Section 1", "Informal theorem: If the LLM has finite "
                                                     "probability").as_repaired(),
             "Under Definition 3, a prompt makes the posterior weight of P− as close to 1 as "
             "wished ((1−α)P+/(αP−) below any ϵ′) and gives BP(s*) < γ + ϵ: the expected "
             "behaviour, not the probability of a negative sentence (Theorem 1, repaired)", StepKind.REPAIRED,
             (_ratio_to_bound("MT.2r"),), repairs="MT.2"),
        Step("MT.3", Location.sentence("Section 1", "Conversation length guardrail"),
             "Conversation length guardrail: We show that by aligning an LLM and limiting the "
             "interaction length that users have with it, undesired behaviors can be avoided. "
             "Informal theorem: The more aligned a model is to begin with, the longer the "
             "adversarial prompt required to elicit undesired behaviors.", StepKind.FAITHFUL,
             (one,),
             explanation="Theorems 1–4 give upper bounds (a misaligning prompt of at most so "
                         "many sentences exists), never a lower bound: nothing in Definition 3 "
                         "stops one sentence from misaligning. If P+ never says a sentence x "
                         "that P− says, x alone misaligns the model for every prior α > 0; with "
                         "full support (finite KL, as §2.2 asks), a sentence x with P+(x) = "
                         "4·10⁻⁴⁰·P−(x) does so for every α from 10⁻³ down to 10⁻³⁰ (the "
                         "realisation).",
             finding=_refuted("false under Theorem 1's hypotheses: for every α > 0 a model is "
                              "misaligned by one sentence", "MT.3")),
        Step("MT.3r", Location.sentence("Section 1", "Conversation length guardrail")
             .as_repaired("a lower bound under extra hypotheses"),
             "If every sentence moves log P−/P+ by less than c (Definition 6, per sentence) and "
             "P+ behaves at least γ+ > γ + ϵ after every prompt, a misaligning prompt has more "
             "than (log((1−α)/α) + log((γ+ − γ − ϵ)/(1 + γ + ϵ)))/c sentences: a guardrail that "
             "grows like log(1/α)/c", StepKind.REPAIRED, _lower_bound("MT.3r"), repairs="MT.3"),
        Step("MT.4", Location.sentence("Section 3.1", "The length of this prompt increases if α"),
             "The length of this prompt increases if α, the prior of the ill-behaved component, "
             "is made smaller. This implies that limiting the interaction length can be used as "
             "a measure of safety.", StepKind.FAITHFUL, (one.with_(id="MT.4/one-sentence"),),
             explanation="'This prompt' is the one Theorem 1 guarantees, and its length does "
                         "grow like log(1/α)/β; the paper's next sentence qualifies the safety "
                         "measure: 'longer interactions are possible without an adversarial "
                         "prompt existence guarantee'. Read so (a limit below the guaranteed "
                         "length removes the framework's guarantee of an attack) it holds. "
                         "Read as a safety guarantee it does not follow: a guarantee that a "
                         "prompt of at most n sentences exists says nothing of shorter prompts, "
                         "and under Theorem 1's hypotheses one sentence can misalign for every "
                         "α (the model of MT.3).",
             finding=_gap("read with the next sentence's qualifier (a limit removes the "
                          "guarantee of an attack) it holds; as a safety guarantee it does not "
                          "follow: under Theorem 1's hypotheses one sentence can misalign for "
                          "every α", "MT.4")),
        Step("MT.4r", Location.sentence("Section 3.1", "The length of this prompt increases if "
                                                       "α").as_repaired(),
             "The guaranteed length grows as α falls; a limit on the length is a safety measure "
             "only under the hypotheses of MT.3r (c-similarity per sentence, P+ at least "
             "γ+ > γ + ϵ), where every misaligning prompt is longer than "
             "(log((1−α)/α) + log((γ+ − γ − ϵ)/(1 + γ + ϵ)))/c", StepKind.REPAIRED,
             _lower_bound("MT.4r"), repairs="MT.4"),
    ]


def _claims_4_to_6() -> list[Step]:
    B1, B2 = (positive(n, n, mn) for n, mn in (("beta1", "β of LLM-1 (better distinguished)"),
                                               ("beta2", "β of LLM-2")))
    C1, C2 = (positive(n, n, mn) for n, mn in (("c1", "largest one-sentence log ratio, LLM-1"),
                                               ("c2", "largest one-sentence log ratio, LLM-2")))
    T = positive("T", "T", "the log ratio a misaligning prompt needs")
    N1, N2 = (nonneg_int(n, n, mn, lower=1) for n, mn in
              (("n1", "the shortest misaligning prompt of LLM-1"), ("n2", "… of LLM-2")))
    L1, L2 = (positive(n, n, mn) for n, mn in (("L1", "log(1/α1)"), ("L2", "log(1/α2)")))
    X = positive("X", "X", "log((1−α)/α) + log((1+γ′−ϵ)/ϵ)")
    b1, b2, c1, c2, t, l1, l2, x = (p.symbol for p in (B1, B2, C1, C2, T, L1, L2, X))
    KA, MM = positive("kappa", "κ", "any constant of a linear bound"), nonneg_int(
        "m", "|s0|", "sentences of the aligning prompt", lower=1)
    ka, mm = KA.symbol, MM.symbol
    M0, MT_ = real("M0", "log P−(s0)/P+(s0)"), real("Mt", "log P−/P+ of s0 ⊕ s1")
    N = nonneg_int("n", "n", "sentences of the misaligning prompt s1", lower=1)
    n = N.symbol
    return [
        Step("MT.5", Location.sentence("Section 1", "Informal theorem: The better the "
                                                    "distinction"),
             "Informal theorem: The better the distinction between positive and negative "
             "behaviors, the shorter the adversarial prompt required to elicit undesired "
             "behaviors.", StepKind.FAITHFUL,
             (make("MT.5/shortest-longer", (B1, B2, C1, C2, T, N1, N2), N1.symbol > N2.symbol,
                   hyps=[b1 > b2, b1 < kl_cap(c1), b2 < kl_cap(c2), c1 <= F(11, 10),
                         c2 > t, t >= 7,
                         *(sp.And(n_ * c_ > t, (n_ - 1) * c_ <= t)
                           for n_, c_ in ((N1.symbol, c1), (N2.symbol, c2)))],
                   text="in models whose sentences each move log P−/P+ by at most c, the "
                        "shortest misaligning prompt has about T/c sentences: it follows c, the "
                        "largest one-sentence ratio, not β. With β1 > β2 (each below the KL cap "
                        "c·tanh(c/2), so realisable; e.g. β1 = 1/2, c1 = 11/10, β2 = 1/3, "
                        "c2 = 8, T = 7), LLM-1 needs n1 > T/c1 ≥ 70/11 sentences and LLM-2 "
                        "n2 < 1 + T/c2 < 2, that is 1"),),
             explanation="Section 3.1 states this result of the guaranteed length ('the "
                         "guaranteed length of the misaligning prompt is made shorter'): read "
                         "so it holds (MT.5r). Read about the shortest prompt an adversary "
                         "needs, it does not follow: β bounds the guarantee, while the shortest "
                         "misaligning prompt depends on how far single sentences move "
                         "log P−/P+. Two models with the same α, γ, ϵ: LLM-1 (β = 1/2, every "
                         "sentence within log 3) needs 7 sentences, LLM-2 (β = 1/3, one "
                         "sentence with ratio 1000) needs 1.",
             finding=_gap("read as Section 3.1 states it (the guaranteed length) it holds "
                          "(MT.5r); read about the shortest misaligning prompt it does not "
                          "follow: a better-distinguished model can need more sentences (exact "
                          "models: 7 against 1)", "MT.5")),
        Step("MT.5r", Location.sentence("Section 1", "Informal theorem: The better the "
                                                     "distinction").as_repaired(),
             "The better the distinction (larger β), the shorter the guaranteed misaligning "
             "prompt (log((1−α)/α) + log((1+γ′−ϵ)/ϵ))/β", StepKind.REPAIRED,
             (make("MT.5r/guarantee", (B1, B2, X), x / b1 < x / b2, hyps=[b1 > b2]),),
             repairs="MT.5"),
        Step("MT.6", Location.sentence("Section 3.1", "This implies that even if LLM-1 is more "
                                                      "aligned"),
             "This implies that even if LLM-1 is more aligned than LLM-2 in the sense that it "
             "has a lower prior for the bad behavior, α1 < α2, then the prompt for eliciting bad "
             "behavior from LLM-1 can still be shorter if the ill-behaved component is "
             "distinguishable enough within it, i.e., if asymptotically β1/β2 > "
             "log(1/α1)/log(1/α2).", StepKind.FAITHFUL,
             (make("MT.6/leading-terms", (B1, B2, L1, L2), l1 / b1 < l2 / b2,
                   hyps=[b1 / b2 > l1 / l2],
                   text="the guaranteed lengths' leading terms log(1/αi)/βi"),),
             explanation="Follows for the guaranteed lengths (their leading terms "
                         "log(1/α)/β; the log(1/ϵ) terms make it asymptotic as stated). It "
                         "compares guarantees, not the shortest prompts (see MT.5)."),
        Step("MT.7", Location.sentence("Section 3", "(i) preset aligning prompts"),
             "(i) preset aligning prompts—we find that in this case the length of the "
             "misaligning prompt must be linear in the length of the preset aligning prompt",
             StepKind.FAITHFUL,
             (make("MT.7/not-linear", (KA, MM), ka * mm > 4, hyps=[mm > 4 / ka],
                   text="the model of the realisation is misaligned by 4 sentences after every "
                        "aligning prompt z^m: for every κ > 0 that falls below κ|s0| once "
                        "|s0| > 4/κ"),),
             explanation="Theorem 2 gives an upper bound linear in |s0|, not a lower bound. An "
                         "aligning prompt can raise BP without lowering log P−/P+ (a sentence "
                         "both parts say equally often, after which P+ behaves better); then the "
                         "misaligning prompt's length does not depend on |s0| at all. (In the "
                         "model z^m only pads the prompt: z leaves log P−/P+ unchanged and "
                         "B_P(z^m) is the same for every m ≥ 1, so the aligning prompt is long "
                         "without aligning more; the claim as printed speaks of its length.)",
             finding=_refuted("false: an aligning prompt z^m of any length is undone by the "
                              "same 4 sentences", "MT.7")),
        Step("MT.7r", Location.sentence("Section 3", "(i) preset aligning prompts").as_repaired(
            "a lower bound under extra hypotheses"),
             "If each sentence of s0 lowers log P−/P+ by at least κ > 0, every sentence moves it "
             "by less than c and P+ behaves at least γ+ > γ + ϵ after every prompt, then "
             "|s1| > (κ|s0| + log((1−α)/α) + log((γ+ − γ − ϵ)/(1 + γ + ϵ)))/c: linear in |s0|",
             StepKind.REPAIRED,
             (_lower_bound("MT.7r")[0],
              make("MT.7r/linear", (N, C, KA, MM, M0, MT_, ALPHA, RATIO, GAMMA, EPS, GPLUS),
                   n * c > ka * mm + sp.log((1 - al) / al)
                   + sp.log((gpl - g - eps) / (1 + g + eps)),
                   hyps=[MT_.symbol < M0.symbol + n * c, M0.symbol <= -ka * mm,
                         MT_.symbol > sp.log((1 - al) / al)
                         + sp.log((gpl - g - eps) / (1 + g + eps))],
                   text="the total log ratio must exceed the threshold of MT.3r/length, s0 "
                        "contributes at most −κ|s0| and s1 less than |s1|·c")),
             repairs="MT.7"),
    ]


def _claims_7_to_11() -> list[Step]:
    N0 = nonneg_int("n0", "n₀", "the shortest misaligning single prompt", lower=3)
    n0 = N0.symbol
    X = positive("X", "X", "log((1−α)/α) + log((1+γ′−ϵ)/ϵ)")
    Q = positive("q", "|qi|", "sentences per user turn")
    x, q = X.symbol, Q.symbol
    guarantee = make("MT.9/guarantee", (X, BETA, C, Q), q * x * be >= x * (be * q - c),
                     hyps=[be * q > c],
                     text="Theorem 3's guaranteed total q·X/(βq − c) is at least Theorem 1's X/β "
                          "(both sides times β(βq − c) > 0)")
    p1s = next(s for s in proposition1().steps if s.id == "P1.S")
    WW = unit_open("w", "w", "prior of the bad persona")
    LW, LPHI, KK = (positive("L", "L", "log(1/w)"), positive("lphi", "log|Φ|"),
                    positive("K", "K", "any constant"))
    lw, lphi, kk, ww = LW.symbol, LPHI.symbol, KK.symbol, WW.symbol
    t4a = 2 / be * sp.log(2 * (1 + gp) / (ww * eps))
    t4b = 32 * (c / be) ** 2 * lphi
    return [
        Step("MT.8", Location.sentence("Section 1", "Informal theorem: an adversarial user will "
                                                    "need"),
             "Informal theorem: an adversarial user will need to insert more text in a "
             "conversation scenario than in a single prompt scenario in order to misalign the "
             "LLM.", StepKind.FAITHFUL,
             (make("MT.8/bad-replies", (N0,),
                   sp.And(sp.floor(n0 / 2) + 1 < n0, 2 * sp.floor(n0 / 2) + 1 >= n0),
                   text="replies of one bad sentence each (each of positive probability): "
                        "u = ⌊n₀/2⌋ + 1 user sentences and u − 1 replies make a prompt as long "
                        "as the shortest misaligning single prompt (n₀ ≥ 3)"),),
             explanation="Section 3.2 states this result of the guarantees ('in order for our "
                         "framework to guarantee misalignment'): read so it holds (MT.9, "
                         "MT.8r). Read as a lower bound on the text every adversarial user "
                         "needs, it does not follow: the replies are sampled from the model, "
                         "and a misaligning reply helps the user — in the model of the "
                         "realisation the shortest misaligning single prompt has 7 sentences, "
                         "while with positive probability a conversation misaligns after 4 "
                         "user sentences.",
             finding=_gap("read as Section 3.2 states it (the guarantees) it holds (MT.9); "
                          "read as the text every user needs it does not follow: with positive "
                          "probability sampled replies help, and a conversation misaligns with "
                          "less user text than the shortest single prompt", "MT.8")),
        Step("MT.8r", Location.sentence("Section 1", "Informal theorem: an adversarial user will "
                                                     "need").as_repaired(),
             "The framework's guarantee for a conversation, q·(log((1−α)/α) + "
             "log((1+γ′−ϵ)/ϵ))/(βq − c) user sentences, is at least its guarantee for a single "
             "prompt, (log((1−α)/α) + log((1+γ′−ϵ)/ϵ))/β", StepKind.REPAIRED,
             (guarantee.with_(id="MT.8r/guarantee"),), repairs="MT.8"),
        Step("MT.9", Location.sentence("Section 3.2", "Overall, due to this “misaligning "
                                                      "resistance”"),
             "Overall, due to this “misaligning resistance\" by the LLM, the user will need to "
             "insert more misaligning text in the conversation format than in the single prompt "
             "format of section 3.1 in order for our framework to guarantee misalignment.",
             StepKind.FAITHFUL, (guarantee,),
             explanation="Follows for the guarantees (repaired Theorems 1 and 3): each turn of "
                         "q sentences gains βq − c, less than βq."),
        Step("MT.10", Location.sentence("Section 1", "A misaligned LLM will not realign easily"),
             "A misaligned LLM will not realign easily: We show that if an LLM was misaligned, "
             "it will remain so for conversation lengths shorter than the misaligning prompt.",
             StepKind.FAITHFUL,
             tuple(o.with_(id=o.id.replace("P1.S", "MT.10")) for o in p1s.obligations),
             explanation="Proposition 1 as stated is false (P1.S): a prompt can misalign by "
                         "making P+ itself behave badly, and one sentence then realigns, however "
                         "long the prompt.",
             finding=_refuted("false: a model misaligned by s0 = z^m for every m is realigned "
                              "by one sentence", "MT.10")),
        Step("MT.10r", Location.sentence("Section 1", "A misaligned LLM will not realign "
                                                      "easily").as_repaired(),
             "If the LLM was misaligned by Appendix A's prompt s0, it stays misaligned "
             "(BP < γ/2) for continuations shorter than (β|s0| + log(α/(1−α)) + "
             "log(γ′/(2+γ′)))/c sentences (Proposition 1, repaired: P1.Sr)", StepKind.REPAIRED,
             next(s for s in proposition1().steps if s.id == "P1.Sr").obligations,
             repairs="MT.10"),
        Step("MT.11", Location.sentence("Section 3.3", "We find that the length of a prompt "
                                                       "required"),
             "We find that the length of a prompt required to get a LLM to imitate a persona of "
             "interest scales inversely with the distinguishability, β and logarithmically with "
             "the persona's prior in the distribution, w: |s| = O(log(1/w)/β).",
             StepKind.FAITHFUL,
             (make("MT.11/lemma1-term", (KK, LW, LPHI, BETA), 32 * lw**2 * lphi * be > kk * lw,
                   hyps=[32 * lw * lphi * be >= 2 * kk],
                   text="Theorem 4's guarantee includes Lemma 1's 32 (c/β)² log|Φ|; at "
                        "c = β·log(1/w) (c ≥ β allows it) that is 32 L² log|Φ| (L = log 1/w), "
                        "more than K·L/β (both sides times β) once L ≥ K/(16 β log|Φ|)"),),
             explanation="Theorem 4's guarantee is max((2/β) log(2(1+γ′)/(wϵ)), 32 (c/β)² "
                         "log|Φ|) (repaired): its second term is not O(log(1/w)/β) unless "
                         "c = O(β). Whether some shorter persona prompt always exists is "
                         "neither shown nor refuted; and 'required' (a lower bound) is not what "
                         "the theorem gives.",
             finding=Finding(_PROSE, FindingKind.DOES_NOT_FOLLOW,
                             "Theorem 4's guarantee has a (c/β)² log|Φ| term the claim drops",
                             realised=realised("MT.11"))),
        Step("MT.11r", Location.sentence("Section 3.3", "We find that the length of a prompt "
                                                        "required").as_repaired(),
             "A persona prompt of at most (2/β) log(2(1+γ′)/(wϵ)) + 32 (c/β)² log|Φ| sentences "
             "exists (Theorem 4, repaired: the max of its two terms)", StepKind.REPAIRED,
             (make("MT.11r/sum-of-terms", (BETA, C, WW, GAMMA_P, EPS, LPHI),
                   sp.And(t4a <= t4a + t4b, t4b <= t4a + t4b), hyps=[eps <= 1],
                   facts=[LOG_NONNEG.instance(x=2 * (1 + gp) / (ww * eps))]),),
             repairs="MT.11"),
    ]


def _claims_12_13() -> list[Step]:
    P = closed("p", 0, F(1, 10), meaning="P(bad sentence | s*), the same after every prompt",
               lower_open=True)
    p = P.symbol
    A_, B_ = (closed(n, -1, 1, meaning=mn) for n, mn in (("a", "B_P0 (the better part)"),
                                                          ("b", "B_P1")))
    a, b = A_.symbol, B_.symbol
    return [
        Step("MT.12", Location.sentence("Section 4", "First, we showed that any realistic "
                                                     "alignment process"),
             "First, we showed that any realistic alignment process can be reversed via an "
             "adversarial prompt or conversation with an adversarial user.", StepKind.FAITHFUL,
             (make("MT.12/never-triggered", (W, P), w * p + (1 - w) * p <= F(1, 10),
                   text="the model of MT.1: aligned (P(bad) = 1/10 > 0) and never reversed"),),
             explanation="'Realistic' is not defined; the sentence sums up what 'we used the BEB "
                         "framework' to show, and read within the framework (an alignment that "
                         "leaves an α, β, γ-distinguishable bad part, Definition 3) it is "
                         "Theorem 1 (MT.12r). That realistic alignment processes leave such a "
                         "part is the framework's assumption, not shown: without it an aligned "
                         "LLM with a positive probability of bad sentences (the model of MT.1) "
                         "is reversed by no prompt or conversation.",
             finding=_gap("read within the framework (Definition 3) it is Theorem 1 "
                          "(MT.12r); that realistic alignment meets Definition 3 is assumed, "
                          "not shown, and without it a model is never reversed", "MT.12")),
        Step("MT.12r", Location.sentence("Section 4", "First, we showed that any realistic "
                                                      "alignment process").as_repaired(),
             "An alignment that leaves the bad behaviour as an α, β, γ-distinguishable part "
             "(Definition 3) can be reversed by a prompt (Theorem 1, repaired)",
             StepKind.REPAIRED, (_ratio_to_bound("MT.12r"),), repairs="MT.12"),
        Step("MT.13", Location.sentence("Section 2.1.1", "Observe that for any decomposition"),
             "the relation BP = αBP0 + (1 − α)BP1 holds from linearity of expectations, and "
             "implies that one component is more well-behaved w.r.t. B than the full "
             "distribution and the other more ill-behaved, i.e.: BP1 ≤ BP ≤ BP0 (or vice versa)",
             StepKind.FAITHFUL,
             (make("MT.13/between", (ALPHA, A_, B_),
                   sp.And(b <= al * a + (1 - al) * b, al * a + (1 - al) * b <= a),
                   hyps=[b <= a], text="a convex combination lies between its two values"),),
             explanation="Follows (linearity of expectation)."),
    ]


def main_text() -> Chain:
    steps = (*_claims_1_to_3(), *_claims_4_to_6(), *_claims_7_to_11(), *_claims_12_13())
    return Chain(ResultId.MAIN_TEXT, "The main text's claims (Abstract, Sections 1–4)",
                 "the consequences Sections 1–4 draw from the theorems: guardrails, aligning "
                 "prompts, conversations, RLHF, personas", "Abstract, Sections 1–4", steps)

