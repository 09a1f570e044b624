"""The closed-form lengths of ``bounds`` and ``best``: sufficient where the repaired proofs need
them, and tight for the argument (one sentence fewer fails the inequality it needs) for Theorems
1 and 2, Proposition 1 and every best length.

The formulas are taken from :mod:`.bounds` and :mod:`.best` (the same expressions the NumPy
reference and the calculator use), with their symbols mapped onto the proof parameters; a
square root of the best lengths is named, with its defining facts, since the solvers take
polynomials.
"""

from __future__ import annotations

from fractions import Fraction as F

import sympy as sp

from bebcheck.symbolic.chain import Chain
from bebcheck.symbolic.lemmas import (
    EXP_POS,
    LOG_EXP,
    LOG_LE_LOG,
    LOG_MONOTONE,
    LOG_PRODUCT,
    LOG_QUOTIENT,
    UNION_BOUND,
)
from bebcheck.symbolic.location import Location
from bebcheck.symbolic.params import (
    Param,
    closed,
    nonneg_int,
    positive,
    real,
    unit_open,
)
from bebcheck.symbolic.step import Step, StepKind

from . import best as BB
from . import bounds as B
from .common import al, be, c, eps, gp, m, make
from .params import ALPHA, BETA, EPS, GAMMA_P, M_LEN, C
from .results import ResultId

__all__ = ["closed_forms"]

PHI = nonneg_int("Phi", "|Φ|", "number of personas", lower=2)
_MAP = {B.alpha: al, B.beta: be, B.gamma: -gp, B.eps: eps, B.c: c, B.s0: m, B.phi: PHI.symbol}


def _threshold(result: str) -> sp.Expr:
    return B.bound(result).threshold.xreplace(_MAP)


def closed_forms() -> Chain:
    N = nonneg_int("n", "n", "prompt length", lower=0)
    NR = real("nr", "n", "a length above (or below) the threshold")
    GG = positive("g", "g", "per-turn gain βq − c > 0")
    gg = GG.symbol
    nr = NR.symbol
    MM = real("M", "M_n", "log P−/P+ of the prompt, worst case")
    n, mm = N.symbol, MM.symbol
    lr = sp.log((1 - al) / al)
    le = sp.log((1 + gp - eps) / eps)
    t1, t2 = _threshold("theorem1"), _threshold("theorem2")
    nstar = sp.Symbol("nstar", real=True)
    turns, s1, n4 = (sp.Symbol(x, real=True) for x in ("turns", "s1", "n4"))
    qf = sp.floor(c / be) + 2
    t_p1, t4 = _threshold("proposition1"), _threshold("theorem4")
    r_of = (1 - al) / al * sp.exp(-mm)
    bpp = sp.Symbol("BPp", real=True)
    worst = {bpp: (gp - r_of) / (1 + r_of)}
    tight_facts = [EXP_POS.instance(x=-mm), LOG_EXP.instance(x=-mm),
                   LOG_PRODUCT.instance(x=(1 - al) / al, y=sp.exp(-mm)),
                   LOG_QUOTIENT.instance(x=eps, y=1 + gp - eps),
                   LOG_QUOTIENT.instance(x=1 + gp - eps, y=eps),
                   LOG_LE_LOG.instance(x=eps / (1 + gp - eps), y=r_of)]
    steps = (
        Step("CF.1", Location.code("proofs/beb_v1/bounds.py", "theorem1"),
             "n* = ⌊(log((1−α)/α) + log((1+γ′−ϵ)/ϵ))/β⌋ + 1 satisfies the repaired requirement "
             "n β > log((1−α)/α) + log((1+γ′−ϵ)/ϵ)", StepKind.FAITHFUL,
             (make("CF.1/floor", (ALPHA, BETA, GAMMA_P, EPS), nstar > t1,
                   hyps=[eps < 1 + gp], defs={nstar: sp.floor(t1) + 1}),
              make("CF.1/sufficient", (ALPHA, BETA, GAMMA_P, EPS, NR), nr * be > lr + le,
                   hyps=[eps < 1 + gp, nr > t1],
                   text="a length above the threshold meets T1.15r's hypothesis"))),
        Step("CF.2", Location.code("proofs/beb_v1/bounds.py", "theorem1", "tightness of the argument"),
             "at n* − 1 sentences the facts the proof uses (every sentence's log ratio just above "
             "β, B′P− = γ′, B′P+ = −1) admit BP ≥ γ + ϵ", StepKind.FAITHFUL,
             (make("CF.2/tight", (ALPHA, BETA, GAMMA_P, EPS, N, MM), bpp <= gp - eps,
                   hyps=[n * be <= lr + le, mm <= n * be, eps < 1 + gp], defs=worst,
                   facts=tight_facts,
                   hints=[{"alpha": F(1, 2), "beta": 1, "gp": F(1, 2), "eps": F(1, 10), "n": 1,
                           "M": 1}],
                   text="n β ≤ the threshold and M ≤ n β ⇒ B′P ≤ γ′ − ϵ"),),
             explanation="The argument cannot give a shorter length. It is not shown that a "
                         "model attains these values: with B′P+ = −1 the continuations' log "
                         "ratios are unbounded, so a model there offers sentences gaining more "
                         "than β; the printed lengths' failures on real models are in "
                         "`bebcheck simulate`."),
        Step("CF.3", Location.code("proofs/beb_v1/bounds.py", "theorem2"),
             "n* = ⌊(|s0| c + log((1−α)/α) + log((1+γ′−ϵ)/ϵ))/β⌋ + 1 satisfies n β > |s0| c + "
             "log((1−α)/α) + log((1+γ′−ϵ)/ϵ)", StepKind.FAITHFUL,
             (make("CF.3/floor", (ALPHA, BETA, GAMMA_P, EPS, C, M_LEN), nstar > t2,
                   hyps=[eps < 1 + gp], defs={nstar: sp.floor(t2) + 1}),
              make("CF.3/sufficient", (ALPHA, BETA, GAMMA_P, EPS, C, M_LEN, NR),
                   nr * be > m * c + lr + le, hyps=[eps < 1 + gp, nr > t2]))),
        Step("CF.4", Location.code("proofs/beb_v1/bounds.py", "theorem2", "tightness of the argument"),
             "at n* − 1 sentences, with the aligning prompt at its worst (M0 = −|s0| c) and every "
             "sentence just above β, the facts the proof uses admit BP ≥ γ + ϵ", StepKind.FAITHFUL,
             (make("CF.4/tight", (ALPHA, BETA, GAMMA_P, EPS, C, M_LEN, N, MM), bpp <= gp - eps,
                   hyps=[n * be <= m * c + lr + le, mm <= n * be - m * c, eps < 1 + gp],
                   defs=worst, facts=tight_facts,
                   hints=[{"alpha": F(1, 2), "beta": 1, "gp": F(1, 2), "eps": F(1, 10), "c": 1,
                           "m": 1, "n": 2, "M": 1}]),),
             explanation="As for CF.2: the argument's limit, not shown to be a model's."),
        Step("CF.5", Location.code("proofs/beb_v1/bounds.py", "theorem3"),
             "q = ⌊c/β⌋ + 2 sentences per turn and ⌊T/(βq − c)⌋ + 1 turns, T = log((1−α)/α) + "
             "log((1+γ′−ϵ)/ϵ), meet T3.13r's hypotheses βq − c > 0 and turns·(βq − c) > T",
             StepKind.FAITHFUL,
             (make("CF.5/gain", (BETA, C), be * qf - c > be),
              make("CF.5/turns", (ALPHA, BETA, C, GAMMA_P, EPS), turns > (lr + le) / (be * qf - c),
                   hyps=[eps < 1 + gp], defs={turns: sp.floor((lr + le) / (be * qf - c)) + 1}),
              make("CF.5/sufficient", (ALPHA, GAMMA_P, EPS, GG, NR), nr * gg > lr + le,
                   hyps=[nr > (lr + le) / gg, eps < 1 + gp],
                   text="turns above T/g with g = βq − c > 0 give turns·g > T"))),
        Step("CF.6", Location.code("proofs/beb_v1/bounds.py", "proposition1"),
             "|s1| = ⌈T⌉ − 1 with T = (β|s0| + log(α/(1−α)) + log(γ′/(2+γ′)))/c meets P1.10r's "
             "condition c|s1| < β|s0| + log(α/(1−α)) + log(γ′/(2+γ′))", StepKind.FAITHFUL,
             (make("CF.6/below", (ALPHA, BETA, C, GAMMA_P, M_LEN),
                   sp.And(s1 < t_p1, s1 + 1 >= t_p1), defs={s1: sp.ceiling(t_p1) - 1},
                   text="⌈T⌉ − 1 < T ≤ ⌈T⌉: one sentence more fails the condition (tight for "
                        "the argument)"),
              make("CF.6/condition", (ALPHA, BETA, C, GAMMA_P, M_LEN, NR),
                   c * nr < be * m + sp.log(al / (1 - al)) + sp.log(gp / (2 + gp)),
                   hyps=[nr < t_p1], text="a length below T meets P1.10r's condition"))),
        Step("CF.7", Location.code("proofs/beb_v1/bounds.py", "theorem4"),
             "n = ⌊max((2/β) log(2(1+γ′)/(αϵ)), 32 (c/β)² log|Φ|)⌋ + 1 exceeds both terms, as "
             "Lemma 1 (G.5, G.7) and T4.7r need", StepKind.FAITHFUL,
             (make("CF.7/both-terms", (ALPHA, BETA, C, GAMMA_P, EPS, PHI),
                   sp.And(n4 > 2 / be * sp.log(2 * (1 + gp) / (al * eps)),
                          n4 > 32 * (c / be) ** 2 * sp.log(PHI.symbol)),
                   defs={n4: sp.floor(t4) + 1}),)),
    )
    steps += (*_theorem3_best(), *_lemma1_best(), *_theorem4_best())
    return Chain(ResultId.CLOSED_FORMS, "Closed-form lengths (proofs/beb_v1/bounds.py, best.py)",
                 "The explicit lengths bebcheck reports are sufficient, and tight for Theorems "
                 "1–2 in the worst case; the best lengths are sufficient and tight for the "
                 "argument", "proofs/beb_v1/bounds.py", steps)


# -- the best lengths (proofs/beb_v1/best.py) ----------------------------------------------------


def _eq(a: sp.Expr, b: sp.Expr) -> sp.Basic:
    """An equation left for the engines (sympy would try, slowly, to decide it on creation)."""
    return sp.Eq(a, b, evaluate=False)


_NEED = Param("need", F(0), latex="T", meaning="log((1−α)/α) + log((1+γ′−ϵ)/ϵ) ≥ 0, the log "
              "ratio Theorem 3's conversation must reach")
_REPLY = nonneg_int("A", "A", "sentences per model reply, at most", lower=1)
_TURN = nonneg_int("L", "L", "sentences per user turn, at most", lower=1)


def _theorem3_best() -> tuple[Step, ...]:
    """CF.8-CF.9: the fewest turns of at most L sentences, then the fewest sentences."""
    need, a, cap = _NEED.symbol, _REPLY.symbol, _TURN.symbol
    TT = positive("nt", "n", "turns (the floor's value)")
    QQ = positive("nq", "Q", "sentences in all (the floor's value)")
    NN, QA = real("nn", "n′", "turns of another split"), real("qa", "Q′", "its sentences")
    nt, nq, nn, qa = TT.symbol, QQ.symbol, NN.symbol, QA.symbol
    k1, k2 = sp.Symbol("k1", real=True), sp.Symbol("k2", real=True)
    t_expr, q_expr = BB.theorem3_split(need, be, a * c, cap)
    g = be * cap - a * c
    q_of = q_expr.xreplace({t_expr: nt})  # the sentences, for any number of turns n
    if q_of.has(sp.floor(need / g)):  # pragma: no cover - the declaration changed shape
        raise ValueError("theorem3_split: the total no longer reads the turns")
    quot = [nt > need / g, nt - 1 <= need / g, nt >= 1,  # what the floors give
            nq > (need + nt * a * c) / be, nq - 1 <= (need + nt * a * c) / be]
    base = (BETA, C, _REPLY, _TURN, _NEED)
    gain = [g > 0]
    where = Location.code("proofs/beb_v1/best.py", "theorem3")
    hint = [{"beta": F(1, 10), "c": 1, "A": 1, "L": 12, "need": 7, "nt": 36, "nq": 431}]
    return (
        Step("CF.8", where,
             "turns of at most L sentences (βL > Ac; the paper's L = ⌊Ac/β⌋ + 2 gains more "
             "than β: CF.5/gain with c → Ac): n = ⌊T/(βL − Ac)⌋ + 1 turns and Q = "
             "⌊(T + nAc)/β⌋ + 1 sentences meet the argument's inequality βQ − nAc > T (Lemma D: "
             "the n turns gain Σ(β|qi| − Ac)), with Q ≤ nL", StepKind.FAITHFUL,
             (make("CF.8/floors", (*base, TT),
                   sp.And(*(f.xreplace({nt: k1}) for f in quot[:3]),
                          *(f.xreplace({nq: k2}) for f in quot[3:])),
                   hyps=gain, defs={k1: t_expr, k2: q_of},
                   text="the declared n and Q (best.theorem3_split) are the floors' values (Q "
                        "for any number of turns n)"),
              make("CF.8/split", (*base, TT, QQ),
                   sp.And(be * nq - nt * a * c > need, nq - 1 < nt * cap, (nt - 1) * g <= need,
                          be * (nq - 1) <= need + nt * a * c),
                   hyps=[*gain, *quot], hints=hint,
                   text="the n turns gain βQ − nAc > T; Q − 1 < nL: the sentences fit in n "
                        "turns of at most L (Q, nL integers); (n − 1)(βL − Ac) ≤ T and "
                        "β(Q − 1) ≤ T + nAc")),
             explanation="With L the paper's per-turn length, Q ≤ nL is at most the repaired "
                         "total: the last turns are shortened. T < 0 needs no turn (the declared "
                         "length is then 0: the unprompted ratio is already small enough)."),
        Step("CF.9", Location.code("proofs/beb_v1/best.py", "theorem3",
                                   "tightness of the argument"),
             "no split of fewer than Q sentences into turns of at most L meets βQ′ − n′Ac > T: "
             "with n′ ≥ n turns Q′ ≤ Q − 1 gains too little, with n′ ≤ n − 1 turns of at most "
             "L sentences so does any Q′", StepKind.FAITHFUL,
             (make("CF.9/more-turns", (*base, TT, QQ, NN, QA), be * qa - nn * a * c <= need,
                   hyps=[*gain, be * (nq - 1) <= need + nt * a * c, nn >= nt, qa <= nq - 1],
                   hints=hint, text="with β(Q − 1) ≤ T + nAc (CF.8/split)"),
              make("CF.9/fewer-turns", (*base, TT, NN), nn * g <= need,
                   hyps=[*gain, (nt - 1) * g <= need, nn >= 0, nn <= nt - 1], hints=hint,
                   text="n′ ≤ n − 1 turns of at most L sentences gain at most n′(βL − Ac) ≤ "
                        "(n − 1)(βL − Ac) ≤ T (CF.8/split)")),
             explanation="A number of turns is an integer, so n′ ≥ n or n′ ≤ n − 1."),
    )


_ELL = Param("ell", F(0), latex=r"\ell", meaning="ℓ = log(1/ϵ) + |s|·c ≥ 0, the log ratio "
             "Lemma 1's prompt must reach from the worst initial prompt s")
_W = Param("W", F(0), latex="W", meaning="√(K(c²K + 2βℓ))")


def _lemma1_best() -> tuple[Step, ...]:
    """CF.10: Lemma 1 with the interval form of Azuma-Hoeffding and the best deviation."""
    ell, w = _ELL.symbol, _W.symbol
    KP = positive("K", "K", "log(|Φ| − 1) > 0")
    VV = Param("V", F(0), latex="V", meaning="cK + √(K(c²K + 2βℓ)) ≥ 2cK")
    D = positive("d", "d", "how far n is above the root")
    D0 = Param("d", F(0), latex="d", meaning="how far n is below the root")
    kp, v, d = KP.symbol, VV.symbol, D.symbol
    n10 = sp.Symbol("n10", real=True)
    wpt = {"beta": F(1, 2), "c": 1, "ell": 3, "K": 1, "W": 2}  # W² = K(c²K + 2βℓ) exactly
    # K > 0: every (ℓ ≥ 0, K) is (V ≥ 2cK, K) with ℓ = (V² − 2cKV)/(2Kβ), W = V − cK (CF.10/param)
    ell_v = (v**2 - 2 * c * kp * v) / (2 * kp * be)
    core = BB.lemma1_threshold(be, c, ell_v, kp, root=v - c * kp)
    DR = real("d", "d", "n minus the root")
    dr = DR.symbol  # the same symbol as d: d > 0 above the root, d = −d′ (d′ ≥ 0) below it
    up = core + dr
    t_up = up * be - ell_v
    core0 = BB.lemma1_threshold(be, c, ell, 0, root=0)  # K = 0 (|Φ| = 2)
    # the union bound: P(Z_n − Z_0 ≤ −t) for one alternative, then over the |Φ| − 1 of them
    N = nonneg_int("n", "n", "prompt length", lower=1)
    P = closed("p", 0, 1, meaning="P(Z_n − Z_0 ≤ −t) for one alternative")
    PU = closed("pu", 0, 1, meaning="P(some alternative has Z_n − Z_0 ≤ −t)")
    n, p, pu, phi = N.symbol, P.symbol, PU.symbol, PHI.symbol
    tn = n * be - ell
    az = BB.AZUMA_INTERVAL.instance(n=n, w=2 * c, t=tn, p=p)
    ex = az.conclusion.rhs  # exp(−t²/(2nc²))
    e_ = ex.args[0]
    union_facts = [az, EXP_POS.instance(x=e_), LOG_EXP.instance(x=e_),
                   LOG_QUOTIENT.instance(x=1, y=phi - 1),
                   LOG_MONOTONE.instance(x=ex, y=1 / (phi - 1)),
                   UNION_BOUND.instance(n=phi - 1, p=p, u=ex)]
    # the prompt the event gives: M_n = M_0 + (Z_n − Z_0) + nβ > log(1/ϵ)
    EL = positive("eL", r"\epsilon", "Lemma 1's ϵ")
    M0 = real("M0", "M_0", "log P˜φ(s)/Pφ(s) of the initial prompt s")
    DZ = real("D", "Z_n − Z_0")
    eL, m0, dz = EL.symbol, M0.symbol, DZ.symbol
    ell_of = sp.log(1 / eL) + m * c
    where = Location.code("proofs/beb_v1/best.py", "lemma1")
    return (
        Step("CF.10", where,
             "n = ⌊(βℓ + c²K + cW)/β²⌋ + 1, W = √(K(c²K + 2βℓ)), K = log(|Φ| − 1), ℓ = "
             "log(1/ϵ) + |s|c: with t = nβ − ℓ, Hoeffding–Azuma for increments in an interval of "
             "width 2c gives each alternative P(Z_n − Z_0 ≤ −t) ≤ exp(−t²/(2nc²)) < 1/(|Φ| − 1), "
             "the union over the |Φ| − 1 alternatives stays below 1, and on the rest "
             "Pφ/P˜φ < ϵ for every φ ≠ ˜φ; at n ≤ the root no deviation 0 < t ≤ nβ − ℓ does",
             StepKind.FAITHFUL,
             (make("CF.10/param", (BETA, C, _ELL, KP, _W), sp.And(
                  _eq(ell, ell_v.xreplace({v: w + c * kp})), w**2 >= c**2 * kp**2,
                  n10 > BB.lemma1_threshold(be, c, ell, kp, root=w)),
                   hyps=[_eq(w**2, kp * (c**2 * kp + 2 * be * ell))], hints=[wpt],
                   defs={n10: sp.floor(BB.lemma1_threshold(be, c, ell, kp, root=w)) + 1},
                   text="for K > 0: the length ⌊root⌋ + 1 is above the root; ℓ = (V² − "
                        "2cKV)/(2Kβ) with V = cK + W, so the obligations below range over V; "
                        "W² ≥ c²K² …"),
              make("CF.10/range", (C, KP, _W), w >= c * kp, hyps=[w**2 >= c**2 * kp**2],
                   text="… so W ≥ cK, i.e. V ≥ 2cK"),
              make("CF.10/shape", (BETA, C, KP, VV, DR), sp.And(
                  _eq(t_up**2 - 2 * up * c**2 * kp, dr * (be**2 * dr + 2 * c * (v - c * kp))),
                  _eq(be * t_up, c * v + be**2 * dr)),
                   text="n = the root + d (d of either sign): (nβ − ℓ)² − 2nc²K = d(β²d + 2cW), "
                        "β(nβ − ℓ) = cV + β²d"),
              make("CF.10/root", (BETA, C, KP, _W, D, _ELL),
                   sp.And(d * (be**2 * d + 2 * c * w) > 0, c * (w + c * kp) + be**2 * d > 0,
                          (core0 + d) * be - ell > 0, n10 > core0),
                   defs={n10: sp.floor(core0) + 1},
                   text="… both positive: n above the larger root of (nβ − ℓ)² = 2nc²K has "
                        "nβ > ℓ and (nβ − ℓ)² > 2nc²K; for K = 0 (|Φ| = 2) the root is ℓ/β, "
                        "below ⌊ℓ/β⌋ + 1"),
              make("CF.10/union", (N, BETA, C, _ELL, PHI, P, PU), pu < 1,
                   hyps=[tn > 0, tn**2 > 2 * n * c**2 * sp.log(phi - 1), pu <= (phi - 1) * p],
                   facts=union_facts,
                   hints=[{"n": 20, "beta": F(1, 2), "c": 1, "ell": 3, "Phi": 3, "p": 0,
                           "pu": 0}],
                   text="each alternative fails with probability below 1/(|Φ| − 1); the union "
                        "bound over the |Φ| − 1 alternatives stays below 1"),
              make("CF.10/prompt", (N, BETA, C, M_LEN, EL, M0, DZ), m0 + dz + n * be > sp.log(1 / eL),
                   hyps=[dz > -(n * be - ell_of), m0 >= -m * c],
                   text="off the union, M_n = M_0 + (Z_n − Z_0) + nβ > −|s|c − t + nβ = "
                        "log(1/ϵ) (Lemma B: M_0 ≥ −|s|c), i.e. Pφ/P˜φ < ϵ (as G.8r)"),
              make("CF.10/tight-factor", (BETA, C, KP, VV, D0),
                   be**2 * d - 2 * c * (v - c * kp) < 0,
                   hyps=[v >= 2 * c * kp, be**2 * d < c * v],
                   text="at n = the root − d (d ≥ 0) with nβ > ℓ (β²d < cV) …"),
              make("CF.10/tight", (BETA, C, KP, VV, D0),
                   d * (be**2 * d - 2 * c * (v - c * kp)) <= 0,
                   hyps=[be**2 * d - 2 * c * (v - c * kp) < 0],
                   text="… (nβ − ℓ)² − 2nc²K = d(β²d − 2cW) ≤ 0 (CF.10/shape at −d): the best "
                        "deviation t = nβ − ℓ leaves "
                        "(|Φ| − 1)·exp(−t²/(2nc²)) ≥ 1")),
             lemmas=("azuma_hoeffding_interval", "union_bound", "log_exp", "log_strict_mono"),
             explanation="Z_n = M_n − nβ has increments in (−c − β, c − β) (G.2r), an interval of "
                         "width 2c; the deviation t = nβ − ℓ is the largest that still leaves "
                         "M_n > log(1/ϵ), and the bound exp(−t²/(2nc²)) decreases in t, so no "
                         "other choice of t gives a shorter length. K = 0 needs no root: at "
                         "K = 0 the bound's root is ℓ/β (CF.10/root-K0); for K > 0 the "
                         "obligations range over V ≥ 2cK, which covers every ℓ ≥ 0 "
                         "(CF.10/param)."),
    )


_WT = unit_open("wt", r"w_{\tilde\phi}", "prior of the target persona")
_RR = positive("R", "R", "Σ_{φ≠φ̃} w_φ P_φ(s0)/(w_φ̃ P_φ̃(s0))")
_BT = closed("Bt", -1, 1, r"B'_{\tilde\phi}", "B′ of the target persona after the prompt")
_BO = closed("Bo", -1, 1, r"B'_{others}", "posterior average of the other personas' B′")
_EP = positive("ep", r"\epsilon'", "the bound on every alternative's ratio P_φ/P_φ̃")


def _theorem4_best() -> tuple[Step, ...]:
    """CF.11: Theorem 4 with every factor of the prior and no ϵ/2 split."""
    wt, rr, bt, bo, ep = _WT.symbol, _RR.symbol, _BT.symbol, _BO.symbol, _EP.symbol
    bpp, e4 = sp.Symbol("BPp", real=True), sp.Symbol("e4", real=True)
    mix = {bpp: (bt + rr * bo) / (1 + rr)}
    eps4 = BB.best_eps_prime(al, eps, gp)
    M0 = real("M0", "M_0", "log P_φ̃(s0)/P_φ(s0), any alternative φ")
    where = Location.code("proofs/beb_v1/best.py", "theorem4")
    return (
        Step("CF.11", where,
             "ϵ′ = αϵ/((1−α)(1+γ′−ϵ)): alternatives' ratios below ϵ′ give R < ϵ′(1−w)/w ≤ "
             "ϵ/(1+γ′−ϵ), and a persona with B′ ≥ γ′ (Definition 5 over finitely many "
             "personas) then gives B′P > γ′ − ϵ; this ϵ′ is the largest that does; no prompt "
             "is needed when ϵ ≥ 1+γ′ or log(1/ϵ′) + |s0|c < 0", StepKind.FAITHFUL,
             (make("CF.11/ratio", (ALPHA, _WT, _RR, _EP), rr < ep * (1 - al) / al,
                   hyps=[wt >= al, rr * wt < ep * (1 - wt)],
                   text="Σ_{φ≠φ̃} w_φ P_φ/(w_φ̃ P_φ̃) < ϵ′(1−w)/w ≤ ϵ′(1−α)/α"),
              make("CF.11/eps-prime", (ALPHA, EPS, GAMMA_P),
                   sp.And(_eq(eps4 * (1 - al) / al, eps / (1 + gp - eps)),
                          (gp - eps4 * (1 - al) / al) / (1 + eps4 * (1 - al) / al) <= gp - eps),
                   hyps=[eps < 1 + gp],
                   text="ϵ′(1−α)/α = ϵ/(1+γ′−ϵ) for the declared ϵ′; and it is the largest: with "
                        "w = α, every alternative's ratio at ϵ′, B′_φ̃ = γ′ and the others at "
                        "B′ = −1, B′P = (γ′ − R)/(1 + R) ≤ γ′ − ϵ"),
              make("CF.11/bound", (_RR, _BT, _BO, EPS, GAMMA_P), bpp > gp - eps,
                   hyps=[rr * (1 + gp - eps) < eps, bt >= gp], defs=mix,
                   text="R < ϵ/(1+γ′−ϵ), i.e. R(1+γ′−ϵ) < ϵ (any R when ϵ ≥ 1+γ′: then no "
                        "prompt is needed), and B′_φ̃ ≥ γ′ give B′P > γ′ − ϵ"),
              make("CF.11/no-prompt", (ALPHA, EPS, GAMMA_P, C, M_LEN, M0),
                   M0.symbol > sp.log(1 / e4),
                   hyps=[sp.log(1 / e4) + m * c < 0, M0.symbol >= -m * c, eps < 1 + gp],
                   defs={e4: eps4},
                   text="ℓ < 0: after s0 alone every alternative already has M_0 > log(1/ϵ′)")),
             explanation="Definition 5 names, for every slack, a persona with w ≥ α, β-Martingale-"
                         "distinguishable from the others, whose sup B is below γ + slack; with "
                         "finitely many personas one of them is named for slacks tending to 0, "
                         "so its B′ is at least γ′ (this pigeonhole step is argued here, not "
                         "checked by an engine). The "
                         "appendix's ϵ/2 (and the repaired ϵ′ = αϵ/(2(1+γ′))) are not needed."),
    )
