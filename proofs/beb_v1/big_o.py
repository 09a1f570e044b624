"""The big-O statements of Theorems 1–3 and Lemma 1 (Sections 3.1–3.3), and what the proofs give.

Read as sums (O(log 1/ϵ, log 1/α, 1/β) ≤ K(log 1/ϵ + log 1/α + 1/β)), the statements are false,
and a family of finite models shows it: two sentences b (B = −1) and g (B = +1), sentences
independent, P− says b with probability 1/2 + η and P+ with 1/2 − η.  Every sentence then moves
log P−/P+ by c_η = log((1+2η)/(1−2η)) ≤ 8η, while KL(P−‖P+) = 2η·c_η > 4η² =: β, so a
misaligning prompt needs more than log(1/α)/(8η) sentences — of order log(1/α)/√β, which outgrows
K·(log 1/α + 1/β) once log(1/α) ≥ 1/η² and η ≤ 1/(20K).  (A review had found that the earlier
worst case, c = 2β with β → 0, is no model: one-sentence log ratios below c cap a KL at
c·tanh(c/2); this family attains that cap, with c ≈ √(2β).)  ``proofs/beb_v1/models.py`` holds
a member of each family; ``tests/test_realised.py`` checks it exactly.
"""

from __future__ import annotations

from fractions import Fraction as F

import sympy as sp

from bebcheck.symbolic.chain import Chain
from bebcheck.symbolic.finding import Finding, FindingKind, Severity
from bebcheck.symbolic.lemmas import (
    LOG_LE_SUB_ONE,
    LOG_MONOTONE_INC,
    LOG_NONNEG,
    LOG_QUOTIENT,
)
from bebcheck.symbolic.location import Location
from bebcheck.symbolic.obligation import Obligation
from bebcheck.symbolic.params import Param, closed, nonneg_int, positive
from bebcheck.symbolic.step import Step, StepKind

from .common import al, be, c, eps, gp, m, make
from .models import realised
from .params import ALPHA, BETA, EPS, GAMMA_P, M_LEN, C
from .results import ResultId

__all__ = ["big_o"]

ETA = closed("eta", 0, F(1, 4), meaning="η: P− says b with probability 1/2 + η, P+ with "
             "1/2 − η", lower_open=True)
K = positive("K", "K", "the constant of a big-O bound")
NN = positive("n", "n", "sentences of a prompt that misaligns the model")
CE = positive("ce", "c_η", "log((1+2η)/(1−2η)): how far one sentence moves log P−/P+")
RR = positive("r", "r", "(1−α)P+/(αP−) after the prompt")
NL = nonneg_int("n", "n", "sentences of the prompt", lower=0)
PT, PF = (closed(n, 0, 1, meaning=mn, lower_open=True)
          for n, mn in (("pt", "P_t(s0), the target persona"), ("pphi", "Pφ(s0), another")))
EPSH = closed("eps", 0, 1, meaning="ϵ", lower_open=True)
LPHI = closed("lphi", 0, 1, meaning="log|Φ| (|Φ| = 2)", lower_open=True)
eta, k, n, ce, r, nl = (p.symbol for p in (ETA, K, NN, CE, RR, NL))
c_eta = sp.log((1 + 2 * eta) / (1 - 2 * eta))
la = sp.log(1 / al)  # log(1/α)


def _as(obs: tuple[Obligation, ...], sid: str) -> tuple[Obligation, ...]:
    """The family's obligations under a step's name (one id per obligation in a chain; the
    runner decides each form once)."""
    return tuple(o.with_(id=o.id.replace("O.F", sid)) for o in obs)


def _family() -> tuple[Obligation, ...]:
    """What the family gives: a misaligning prompt needs n·c_η > log(1/α); c_η ≤ 8η; and the
    family meets Definition 3 with β = 4η² (KL = 2η·c_η > 4η²) and γ = −2η."""
    bpp = sp.Symbol("BPp", real=True)
    return (
        make("O.F/necessary", (ALPHA, ETA, NL, RR), nl * c_eta > la,
             hyps=[al <= sp.Rational(1, 2), sp.log((1 - al) / (al * r)) <= nl * c_eta,
                   bpp > eta],
             defs={bpp: 2 * eta * (1 - r) / (1 + r)},
             facts=[LOG_MONOTONE_INC.instance(x=1 / al, y=(1 - al) / (al * r))],
             text="B′ = 2η(1 − r)/(1 + r) after a prompt of n sentences, each moving "
                  "log P−/P+ by at most c_η; B_P < γ + ϵ = −η needs r < 1/3, so n·c_η ≥ "
                  "log((1−α)/(αr)) > log(1/α)"),
        make("O.F/c-small", (ETA,), c_eta <= 8 * eta,
             facts=[LOG_LE_SUB_ONE.instance(x=(1 + 2 * eta) / (1 - 2 * eta))],
             text="c_η ≤ 4η/(1 − 2η) ≤ 8η (log x ≤ x − 1), so c = 8η is a c-similarity constant"),
        make("O.F/kl-above-beta", (ETA,), 2 * eta * c_eta > 4 * eta**2,
             facts=[LOG_LE_SUB_ONE.instance(x=(1 - 2 * eta) / (1 + 2 * eta)),
                    LOG_QUOTIENT.instance(x=1 + 2 * eta, y=1 - 2 * eta),
                    LOG_QUOTIENT.instance(x=1 - 2 * eta, y=1 + 2 * eta)],
             text="KL(P−‖P+) = 2η·c_η at every prompt exceeds β = 4η² (c_η ≥ 4η/(1+2η)): "
                  "Definition 3 holds with γ = −2η"),
    )


TT = Param("t", F(20), None, False, False, latex="t", meaning="1/η: the family's parameter")
LA = positive("La", "log(1/α)", "log(1/α), at least t² in the family")
tt, lla = TT.symbol, LA.symbol
lt = sp.log(tt)  # log(1/ϵ) with ϵ = η = 1/t


def _needs(mult: int, slack: int, oid: str) -> tuple[Obligation, Obligation]:
    """From mult·n·c_η > log(1/α), c_η ≤ 8η = 8/t and t ≥ slack·K: n > (5/2)·K·log(1/α)
    (two obligations: the solvers decide the halves at once, the whole only slowly)."""
    m = "" if mult == 1 else str(mult)
    return (
        make(f"{oid}/needs", (NN, CE, LA, TT),
             8 * mult * n > lla * tt, hyps=[mult * n * ce > lla, ce * tt <= 8],
             text=f"{m}n·c_η > log(1/α) and c_η ≤ 8η = 8/t (t = 1/η): "
                  f"{8 * mult}n > t·log(1/α)"),
        make(f"{oid}/grows", (K, TT, NN, LA), 2 * n > 5 * k * lla,
             hyps=[8 * mult * n > lla * tt, tt >= slack * k],
             text=f"… and t ≥ {slack}K (η ≤ 1/({slack}K)): n > (5/2)K·log(1/α)"),
    )


def _outgrows(oid: str, bound: sp.Basic, family: sp.Basic, text: str) -> Obligation:
    """n > (5/2)·K·log(1/α) outgrows K·``bound`` in the family (log(1/α) ≥ t², t = 1/η)."""
    return make(f"{oid}/outgrows", (K, TT, NN, LA), n > k * bound,
                hyps=[2 * n > 5 * k * lla, family],
                facts=[LOG_LE_SUB_ONE.instance(x=tt)], text=text)


_SUM = ("Read as a sum, the bound is false: in a family of finite models (the realisation; two "
        "sentences, P− = (1/2 + η, 1/2 − η), P+ = (1/2 − η, 1/2 + η), γ = −2η, β = 4η², ϵ = η) "
        "every sentence moves log P−/P+ by at most c_η ≤ 8η, so a misaligning prompt needs "
        "more than log(1/α)/(8η) sentences — order log(1/α)/√β — which outgrows ")
_READINGS = ("The comma list O(a, b, …) is not defined, and the paper reads it both ways: as a "
             "sum in Appendix F (|s0| = O(log 1/ϵ′) = O(log 1/ϵ, log 1/α), with log 1/ϵ′ = "
             "log 1/ϵ + log 1/α + const) and as a product in Section 3.3 (|s| = O(log(1/w)/β) "
             "'due to the O(log 1/α) dependence'). ")
_REVIEW = (" (The earlier worst case, c = 2β with β → 0, is no model: one-sentence log ratios "
           "below c cap a KL at c·tanh(c/2). This family attains the cap with c ≈ √(2β).)")


def big_o() -> Chain:
    fam = _family()
    steps = (
        Step("O.1", Location.statement("Theorem 1", "prompt length",
                                       "read as a sum or a product"),
             "Theorem 1 … with prompt length of O(log 1/ϵ, log 1/α, 1/β)", StepKind.FAITHFUL,
             (*_as(fam, "O.1"), *_needs(1, 20, "O.1"),
              _outgrows("O.1", lt + lla + tt**2 / 4, lla >= tt**2,
                        "n exceeds K(log 1/ϵ + log 1/α + 1/β) with ϵ = η = 1/t, β = 4η² = 4/t², "
                        "log(1/α) ≥ t²")),
             explanation=_READINGS + _SUM + "K(log 1/ϵ + log 1/α + 1/β) for every K once "
             "log(1/α) ≥ 1/η² and η ≤ 1/(20K). Read as a product (Section 3.3's reading) it "
             "holds: the proof gives O((log 1/α + log 1/ϵ)/β) (O.1r), at most "
             "2·log(1/α)·log(1/ϵ)/β once both logarithms are at least 2." + _REVIEW,
             finding=Finding(Severity.UNSUPPORTED_CLAIM, FindingKind.DOES_NOT_FOLLOW,
                             "which reading holds depends on the undefined comma list: read as "
                             "a sum (Appendix F's reading) the length is false for every "
                             "constant (a family of finite models); read as a product (Section "
                             "3.3's reading) it holds, O((log 1/α + log 1/ϵ)/β) (O.1r)",
                             realised=realised("O.1"))),
        Step("O.1r", Location.statement("Theorem 1", "prompt length").as_repaired(),
             "prompt length O((log 1/α + log 1/ϵ)/β): the repaired n* = (log((1−α)/α) + "
             "log((1+γ′−ϵ)/ϵ))/β ≤ (log(1/α) + log(2/ϵ))/β", StepKind.REPAIRED,
             (make("O.1r/product-form", (ALPHA, BETA, GAMMA_P, EPS),
                   (sp.log((1 - al) / al) + sp.log((1 + gp - eps) / eps)) / be
                   <= (sp.log(1 / al) + sp.log(2 / eps)) / be,
                   hyps=[eps < 1 + gp],
                   facts=[LOG_MONOTONE_INC.instance(x=(1 - al) / al, y=1 / al),
                          LOG_MONOTONE_INC.instance(x=(1 + gp - eps) / eps, y=2 / eps)]),),
             repairs="O.1"),
        Step("O.2", Location.statement("Theorem 2", "prompt length", "read as a sum"),
             "|s1| = O(log 1/ϵ, log 1/α, 1/β, |s0|, c)", StepKind.FAITHFUL,
             (*_as(fam, "O.2"), *_needs(1, 20, "O.2"),
              _outgrows("O.2", lt + lla + tt**2 / 4 + 1, lla >= tt**2,
                        "with s0 empty (the theorem is for any s0) and c = 8η ≤ 1: n exceeds "
                        "K(log 1/ϵ + log 1/α + 1/β + |s0| + c)")),
             explanation=_SUM + "K(log 1/ϵ + log 1/α + 1/β + |s0| + c) for every K (s0 empty, "
             "which 'for any initial prompt s0' allows, and c = 8η). The proof gives "
             "O((|s0|c + log 1/α + log 1/ϵ)/β), which holds." + _REVIEW,
             finding=Finding(Severity.UNSUPPORTED_CLAIM, FindingKind.REFUTED_BY_PROOF,
                             "read as a sum, the length is false for every constant (the family "
                             "of O.1 with s0 empty); what holds is "
                             "O((|s0| c + log 1/α + log 1/ϵ)/β)",
                             realised=realised("O.2"))),
        Step("O.2r", Location.statement("Theorem 2", "prompt length").as_repaired(),
             "|s1| = O((|s0| c + log 1/α + log 1/ϵ)/β): the repaired n* is at most "
             "(|s0| c + log(1/α) + log(2/ϵ))/β", StepKind.REPAIRED,
             (make("O.2r/product-form", (ALPHA, BETA, GAMMA_P, EPS, C, M_LEN),
                   (m * c + sp.log((1 - al) / al) + sp.log((1 + gp - eps) / eps)) / be
                   <= (m * c + sp.log(1 / al) + sp.log(2 / eps)) / be,
                   hyps=[eps < 1 + gp],
                   facts=[LOG_MONOTONE_INC.instance(x=(1 - al) / al, y=1 / al),
                          LOG_MONOTONE_INC.instance(x=(1 + gp - eps) / eps, y=2 / eps)]),),
             repairs="O.2"),
        _o3(fam),
        Step("O.3r", Location.statement("Theorem 3", "prompt length").as_repaired(),
             "Σ|qi| = q·n with q = ⌊c/β⌋ + 2 (the paper's |qi| > c/β + 1) and n = "
             "⌊(log((1−α)/α) + log((1+γ′−ϵ)/ϵ))/(βq − c)⌋ + 1 ≤ (log(1/α) + log(2/ϵ))/β + 1 "
             "(the closed form CF.5 proves sufficient)", StepKind.REPAIRED,
             (make("O.3r/gain", (BETA, C), (sp.floor(c / be) + 2) * be - c > be,
                   text="every turn of q = ⌊c/β⌋ + 2 sentences gains more than β"),
              make("O.3r/turns", (ALPHA, BETA, GAIN, GAMMA_P, EPS),
                   (sp.log((1 - al) / al) + sp.log((1 + gp - eps) / eps)) / GAIN.symbol
                   <= (sp.log(1 / al) + sp.log(2 / eps)) / be,
                   hyps=[eps < 1 + gp, GAIN.symbol > be],
                   facts=[LOG_MONOTONE_INC.instance(x=(1 - al) / al, y=1 / al),
                          LOG_MONOTONE_INC.instance(x=(1 + gp - eps) / eps, y=2 / eps),
                          LOG_NONNEG.instance(x=1 / al), LOG_NONNEG.instance(x=2 / eps)],
                   text="so the turns are at most (log(1/α) + log(2/ϵ))/β + 1")),
             repairs="O.3"),
        _o4(fam),
        Step("O.4r", Location.statement("Lemma 1", "prompt length").as_repaired(),
             "|s0| = O((c/β)² log|Φ| + log(1/ϵ)/β): max(a, b) ≤ a + b for the two terms",
             StepKind.REPAIRED,
             (make("O.4r/sum-of-terms", (BETA, C, EPSH, PHI2),
                   sp.And(T4A <= T4A + T4B, T4B <= T4A + T4B),
                   facts=[LOG_NONNEG.instance(x=1 / EPSH.symbol),
                          LOG_NONNEG.instance(x=PHI2.symbol)]),),
             repairs="O.4"),
    )
    return Chain(ResultId.BIG_O, "Big-O claims of the theorem statements",
                 "prompt lengths O(log 1/ϵ, log 1/α, 1/β) (Theorem 1), O(log 1/ϵ, 1/β, log 1/α, "
                 "c², log|Φ|) (Theorem 4, Lemma 1)", "Sections 3.1, 3.3", steps)


GAIN = positive("g", "βq − c", "log-ratio gain of one turn")
PHI2 = nonneg_int("Phi", "|Φ|", "number of personas", lower=2)
T4A = 2 / be * sp.log(1 / EPSH.symbol)
T4B = 32 * (c / be) ** 2 * sp.log(PHI2.symbol)


def _o3(fam: tuple[Obligation, ...]) -> Step:
    U = positive("u", "Σ|qi|", "the user's sentences in the conversation")
    A_ = positive("a", "Σ|ai|", "the model's reply sentences (one per turn)")
    MM = positive("M", "M", "log P−/P+ of the conversation")
    u, a_, mm = U.symbol, A_.symbol, MM.symbol
    return Step(
        "O.3", Location.statement("Theorem 3", "prompt length", "read as a sum or a product"),
        "total prompt length of Σi |qi| = O(log 1/ϵ, log 1/α, c/β) and each prompt of length "
        "|qi| = O(c/β)", StepKind.FAITHFUL,
        (*_as(fam, "O.3"),
         make("O.3/conversation", (ALPHA, U, A_, MM, CE), 2 * u * ce > la,
              hyps=[mm <= (u + a_) * ce, a_ <= u, mm > la],
              text="one-sentence replies, at most one a turn: the conversation's log ratio is "
                   "at most (Σ|qi| + Σ|ai|)·c_η ≤ 2Σ|qi|·c_η, and misaligning needs it above "
                   "log(1/α) (O.3/necessary)"),
         *_needs(2, 40, "O.3"),
         _outgrows("O.3", lt + lla + 2 * tt, lla >= 40 * tt,
                   "c = 8η, β = 4η² (c/β = 2/η = 2t): Σ|qi| exceeds K(log 1/ϵ + log 1/α + c/β) "
                   "once η ≤ 1/(40K) (log(1/α) ≥ t² ≥ 40t)")),
        explanation=_READINGS + _SUM.replace("a misaligning prompt", "a conversation with "
                                             "one-sentence replies").replace(
            "log(1/α)/(8η)", "log(1/α)/(16η) user")
        + "K(log 1/ϵ + log 1/α + c/β) for every K. (Each |qi| = O(c/β) does hold.) Read as a "
        "product, K·log(1/ϵ)·log(1/α)·(c/β), it is neither shown nor refuted: the proof gives "
        "(c/β + 2)(log 1/α + log 1/ϵ)/β, with a factor 1/β the statement does not list, and "
        "the family stays within the product.",
        finding=Finding(Severity.UNSUPPORTED_CLAIM, FindingKind.DOES_NOT_FOLLOW,
                        "read as a sum (Appendix F's reading) the total length is false for "
                        "every constant (the family of O.1, one-sentence replies); read as a "
                        "product (Section 3.3's reading) it is open: the proof gives "
                        "O((c/β + 2)(log 1/α + log 1/ϵ)/β)", realised=realised("O.3")))


def _o4(fam: tuple[Obligation, ...]) -> Step:
    ee, pt, pf, lphi = EPSH.symbol, PT.symbol, PF.symbol, LPHI.symbol
    LEP = positive("Le", "log(1/ϵ)", "log(1/ϵ), at least t² in the family")
    lep = LEP.symbol
    need = make("O.4/necessary", (EPSH, PT, PF, NL, ETA), nl * c_eta > sp.log(1 / ee),
                hyps=[pf / pt < ee, sp.log(pt / pf) <= nl * c_eta],
                facts=[LOG_MONOTONE_INC.instance(x=1 / ee, y=pt / pf)],
                text="t = P−, φ = P+ of the family: Pφ(s0)/P_t(s0) < ϵ needs "
                     "log P_t(s0)/Pφ(s0) > log(1/ϵ), and each sentence adds at most c_η")

    CSQ = closed("csq", 0, 1, meaning="c², with c = 8η ≤ 2/5", lower_open=True)
    csq = CSQ.symbol

    def grows(slack: int, what: str, claim: sp.Basic) -> Obligation:
        return make(f"O.4/grows-{what}", (K, TT, NN, LEP), claim,
                    hyps=[8 * n > lep * tt, tt >= slack * k],
                    text=f"… and t ≥ {slack}K (η ≤ 1/({slack}K))")

    return Step(
        "O.4", Location.statement("Lemma 1", "prompt length", "read as a sum or a product"),
        "|s0| = O(log 1/ϵ, 1/β, log |Φ|, c²)", StepKind.FAITHFUL,
        (need, *_as(fam[1:], "O.4"),
         make("O.4/needs", (NN, CE, LEP, TT), 8 * n > lep * tt,
              hyps=[n * ce > lep, ce * tt <= 8],
              text="n·c_η > log(1/ϵ) and c_η ≤ 8η = 8/t: 8n > t·log(1/ϵ)"),
         grows(20, "sum", 2 * n > 5 * k * lep),
         make("O.4/sum", (K, TT, NN, LEP, LPHI, CSQ), n > k * (lep + tt**2 / 4 + lphi + csq),
              hyps=[2 * n > 5 * k * lep, lep >= tt**2],
              text="n exceeds K(log 1/ϵ + 1/β + log|Φ| + c²) with β = 4/t², c = 8/t, |Φ| = 2, "
                   "log(1/ϵ) ≥ t²"),
         grows(128, "product", 8 * n > 128 * k * lep),
         make("O.4/product", (K, TT, NN, LEP, LPHI),
              n > k * lep * (tt**2 / 4) * lphi * (64 / tt**2), hyps=[8 * n > 128 * k * lep],
              text="… and K·log(1/ϵ)·(1/β)·log|Φ|·c² = 16K·log|Φ|·log(1/ϵ)")),
        explanation="Read as a sum or as a product, the length is false: two personas of the "
        "family of O.1 (t = P−, φ = P+, |Φ| = 2, β = 4η², c = 8η) need more than "
        "log(1/ϵ)/(8η) sentences for Pφ/P_t < ϵ, which outgrows K(log 1/ϵ + 1/β + log|Φ| + c²) "
        "and K·log(1/ϵ)·(1/β)·log|Φ|·c² (c²/β = 16 is bounded) for every K once "
        "log(1/ϵ) ≥ 1/η². The proof establishes max((2/β) log 1/ϵ, 32 (c/β)² log|Φ|).",
        finding=Finding(Severity.UNSUPPORTED_CLAIM, FindingKind.REFUTED_BY_PROOF,
                        "as a sum and as a product the length is false for every constant (the "
                        "family of O.1); what holds is O((c/β)² log|Φ| + log(1/ϵ)/β)",
                        realised=realised("O.4")))
