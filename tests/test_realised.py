"""Every finding's realisability: each declared finite model is built and checked exactly.

A realisation (``bebcheck.proofs.beb_v1.models``) lists a model's parameters as strings; the
helpers below parse them into a ``checks.sim`` mixture, check the hypotheses of the statement
the finding is about (the paper's Definitions 2–6, read per sentence, with the declared
constants) and the failure its ``check`` names — in ``Fraction``s, or in Arb balls
(python-flint, 256 bits) where logarithms enter, so that every comparison is certain — and,
when a ``witness`` obligation is named, certify the model's exact quantities as its
counterexample.  The tests at the end: every finding carries a verdict, every model passes its
check, a perturbed model fails it, and the share of realised refutations.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from fractions import Fraction as F

import pytest
from flint import arb, ctx

from bebcheck.checks.engines.arb import certify_witness
from bebcheck.checks.sim import (
    Mixture,
    Persona,
    behavior,
    component_behaviors,
    posterior,
    prob,
    reachable,
    sup_behavior,
)
from bebcheck.proofs.beb_v1 import RESULTS
from bebcheck.proofs.beb_v1.models import REALISED
from bebcheck.symbolic.finding import FindingKind, Realisation, RealisationStatus, Severity
from bebcheck.symbolic.obligation import Obligation
from bebcheck.symbolic.step import StepKind

ctx.prec = 256


def A(x: F | int) -> arb:
    """An exact rational as an Arb ball."""
    x = F(x)
    return arb(x.numerator) / arb(x.denominator)


def alog(x: F) -> arb:
    return A(x).log()


# -- parsing ------------------------------------------------------------------------------------
@dataclass
class Built:
    """A parsed realisation: the mixture, its sentence names, prompts and constants."""

    pairs: dict[str, str]
    names: list[str]
    model: Mixture
    personas: list[str]  # "P-", "P+" (two-part, bad first) or "P:t", "P:1", …
    const: dict[str, F] = field(default_factory=dict)

    def seq(self, key: str) -> list[int]:
        text = self.pairs.get(key, "").strip()
        return [] if text in ("", "∅") else [self.names.index(w) for w in text.split()]

    def turns(self) -> list[tuple[list[int], list[int]]]:
        out = []
        for turn in self.pairs["turns"].split(";"):
            user, reply = turn.split("/")
            out.append(([self.names.index(w) for w in user.split()],
                        [self.names.index(w) for w in reply.split()]))
        return out

    @property
    def two_part(self) -> bool:
        return self.personas == ["P-", "P+"]


def _persona(spec: str, names: list[str]) -> Persona:
    head, *rest = spec.split("|")
    kind, *vals = head.split()
    row = [F(v) for v in vals]
    if kind == "iid":
        return Persona(row, [row] * len(names))
    assert kind == "pi", spec
    rows = {}
    for part in rest:
        name, vals_ = part.split(":")
        rows[name.strip()] = [F(v) for v in vals_.split()]
    return Persona(row, [rows[n] for n in names])


_CONSTANTS = ("alpha", "gamma", "eps", "eps1", "beta", "c", "qlen")


def build(pairs: dict[str, str], prefix: str = "") -> Built:
    """The model of a realisation (``prefix``: "pre " / "post " for a before/after pair)."""
    names = pairs["sentences"].split()
    score = [F(v) for v in pairs["B"].split()]
    keys = [k[len(prefix):] for k in pairs if k.startswith(prefix + "P")]
    ps = [_persona(pairs[prefix + k], names) for k in keys]
    if keys == ["P-", "P+"]:
        alpha = F(pairs[prefix + "alpha"])
        weights = [alpha, 1 - alpha]
    else:
        weights = [F(v) for v in pairs.get(prefix + "w", pairs.get("w", "")).split()]
    b = Built(pairs, names, Mixture(ps, weights, score), keys)
    b.const = {k: F(pairs[k]) for k in _CONSTANTS if k in pairs}
    return b


# -- exact quantities -----------------------------------------------------------------------------
def p_of(b: Built, seq: list[int], i: int) -> F:
    return prob(b.model, seq, component=i, exact=True)  # type: ignore[return-value]


def cond(b: Built, prefix: list[int], s: list[int], i: int) -> F:
    """P_i(s | prefix), exactly."""
    return p_of(b, prefix + s, i) / p_of(b, prefix, i)


def mix_cond(b: Built, prefix: list[int], s: list[int]) -> F:
    """The mixture's P(s | prefix), exactly."""
    return prob(b.model, prefix + s, exact=True) / prob(b.model, prefix, exact=True)  # type: ignore[operator]


def lr(b: Built, prefix: list[int], s: list[int], i: int = 0, j: int = 1) -> arb:
    """log P_i(s|prefix)/P_j(s|prefix) as an Arb ball (both probabilities positive)."""
    num, den = cond(b, prefix, s, i), cond(b, prefix, s, j)
    assert num > 0 and den > 0
    return alog(num / den)


def B_P(b: Built, seq: list[int]) -> F:
    return behavior(b.model, seq, exact=True)  # type: ignore[return-value]


def _rows(p: Persona) -> list[tuple[F, ...]]:
    return [p.pi_q, *p.T_q]  # type: ignore[list-item]


def kl_arb(b: Built, i: int, j: int) -> list[arb]:
    """KL(P_i(.|ctx) || P_j(.|ctx)) in Arb for every context reachable under i (inf: None)."""
    out = []
    reach = reachable(b.model, i)
    for k, (pr, qr) in enumerate(zip(_rows(b.model.personas[i]), _rows(b.model.personas[j]),
                                     strict=True)):
        if not reach[k]:
            continue
        tot = arb(0)
        for p, q in zip(pr, qr, strict=True):
            if p == 0:
                continue
            if q == 0:
                tot = None
                break
            tot += A(p) * alog(p / q)
        out.append(tot)
    return out


def assert_distinguishable(b: Built, i: int, j: int, beta: F) -> None:
    """Definitions 2 and 4 (Markov personas): every conditional KL from i to j exceeds β."""
    assert beta > 0
    for kl in kl_arb(b, i, j):
        assert kl is None or kl > A(beta), (kl, beta)


def assert_c_similar(b: Built, i: int, j: int, c: F) -> None:
    """Definition 6 per sentence: |log P_i/P_j| < c at every context either can reach."""
    reach = reachable(b.model, i) | reachable(b.model, j)
    for k, (pr, qr) in enumerate(zip(_rows(b.model.personas[i]), _rows(b.model.personas[j]),
                                     strict=True)):
        if not reach[k]:
            continue
        for p, q in zip(pr, qr, strict=True):
            if p == q == 0:
                continue
            assert p > 0 and q > 0, "c-similar pairs give the same sentences positive mass"
            assert abs(alog(p / q)) < A(c)


def assert_definition3(b: Built) -> None:
    """B is α, β, γ-distinguishable in P (and the parts are c-similar when c is declared)."""
    k = b.const
    assert b.two_part and 0 < k["alpha"] < 1 and -1 <= k["gamma"] < 0
    assert b.model.weights_q[0] == k["alpha"]
    assert sup_behavior(b.model, 0, exact=True) <= k["gamma"]
    assert_distinguishable(b, 0, 1, k["beta"])
    if "c" in k:
        assert_c_similar(b, 0, 1, k["c"])


def assert_definition5(b: Built, s0: list[int]) -> None:
    """Definition 5 for persona 0 with ϵ/2 (Appendix F), Definition 6 for each of its pairs,
    and Lemma 1's conclusion Pφ(s0)/P_t(s0) < ϵ′ when ϵ′ is declared."""
    k = b.const
    assert b.model.weights_q[0] >= k.get("alpha", b.model.weights_q[0]) > 0
    if "gamma" in k:
        assert -1 <= k["gamma"] < 0
        assert sup_behavior(b.model, 0, exact=True) < k["gamma"] + k.get("eps", F(0)) / 2 or (
            "eps" not in k and sup_behavior(b.model, 0, exact=True) <= k["gamma"])
    for j in range(1, b.model.n_personas):
        assert_distinguishable(b, 0, j, k["beta"])
        if "c" in k:
            assert_c_similar(b, 0, j, k["c"])
        if "eps1" in k and s0:
            assert p_of(b, s0, j) / p_of(b, s0, 0) < k["eps1"]


def two_part_values(b: Built, s0: list[int], s1: list[int]) -> dict[str, F]:
    """The appendices' quantities at the context s0 ⊕ s1 (B′ = −B, γ′ = −γ)."""
    seq = s0 + s1
    k = b.const
    alpha = k["alpha"]
    pm, pp = p_of(b, seq, 0), p_of(b, seq, 1)
    bm, bp = component_behaviors(b.model, seq, exact=True)
    v = dict(k)
    v.update(r=(1 - alpha) * pp / (alpha * pm), Bm=-bm, Bp=-bp, gp=-k["gamma"], n=F(len(s1)),
             m=F(len(s0)), p1=cond(b, s0, s1, 0))
    return v


def persona_values(b: Built, s0: list[int]) -> dict[str, F]:
    """Appendix F's quantities after s0 for target persona 0."""
    w = b.model.weights_q
    ps = [p_of(b, s0, i) for i in range(b.model.n_personas)]
    post = posterior(b.model, s0, exact=True)
    comp = component_behaviors(b.model, s0, exact=True)
    others = sum(post[1:], F(0))
    v = dict(b.const)
    v.update(R=sum((w[i] * ps[i] for i in range(1, len(ps))), F(0)) / (w[0] * ps[0]),
             Bt=-comp[0], Bo=-sum((post[i] * comp[i] for i in range(1, len(ps))), F(0)) / others,
             wt=w[0], So=1 - w[0], X=-B_P(b, s0), pt=ps[0], pphi=ps[1])
    if "gamma" in b.const:
        v["gp"] = -b.const["gamma"]
    return v


_OBLIGATIONS: dict[str, Obligation] = {}
_NOT_PAPER = {"closed_forms", "best"}  # this tool's formulas, not the paper's steps


def obligation(oid: str) -> Obligation:
    """An obligation of the v1 paper by id."""
    if not _OBLIGATIONS:
        for name, fn in RESULTS.items():
            if name in _NOT_PAPER:
                continue
            for _, o in fn().obligations():
                _OBLIGATIONS[o.id] = o
    return _OBLIGATIONS[oid]


def certify(oid: str, values: dict[str, F]) -> None:
    """The model's quantities are a certified counterexample of the printed obligation."""
    ob = obligation(oid)
    missing = [p.name for p in ob.params if p.name not in values]
    assert not missing, f"{oid}: the model gives no value for {missing}"
    point = {p.name: values[p.name] for p in ob.params}
    assert certify_witness(ob, point, "model") is not None, (oid, point)


# -- the checks, by name --------------------------------------------------------------------------
def _mixture(b: Built, r: Realisation) -> dict[str, F]:
    assert_definition3(b)
    s0, s1 = b.seq("s0"), b.seq("s1")
    if b.pairs.get("misaligned") == "s0":
        assert B_P(b, s0) <= b.const["gamma"]
    return two_part_values(b, s0, s1)


def _gains_above_beta(b: Built, prefix: list[int], q: list[int]) -> None:
    """The proof's construction: every sentence of q raises log P−/P+ by more than β."""
    for i in range(len(q)):
        assert lr(b, prefix + q[:i], [q[i]]) > A(b.const["beta"])


def _printed_length(b: Built, r: Realisation) -> dict[str, F]:
    v = _mixture(b, r)
    s0, s1 = b.seq("s0"), b.seq("s1")
    k = b.const
    _gains_above_beta(b, s0, s1)
    need = alog((1 - k["alpha"]) / k["alpha"]) + alog(-k["gamma"] / k["eps"])
    if s0:
        need += A(len(s0)) * A(k["c"])
        assert lr(b, [], s0) > -A(len(s0)) * A(k["c"])  # Lemma B: M0 > −|s0|c
    assert A(len(s1)) * A(k["beta"]) > need  # a length the printed choice allows
    assert B_P(b, s0 + s1) >= k["gamma"] + k["eps"]
    return v


def _conversation(b: Built, r: Realisation) -> dict[str, F]:
    assert_definition3(b)
    k = b.const
    conv: list[int] = []
    turns = b.turns()
    for user, reply in turns:
        assert len(user) == math.floor(k["c"] / k["beta"]) + 2 > k["c"] / k["beta"] + 1
        _gains_above_beta(b, conv, user)
        conv += user
        assert mix_cond(b, conv, reply) > 0  # the reply is sampled from P(.|history)
        conv += reply
    assert A(len(turns)) * A(k["beta"]) > alog(1 / k["eps"]) + alog((1 - k["alpha"]) / k["alpha"])
    assert B_P(b, conv) >= k["gamma"] + k["eps"]
    v = two_part_values(b, [], conv)
    v["n"] = F(len(turns))
    return v


def _reply(b: Built, r: Realisation) -> dict[str, F]:
    assert_definition3(b)
    (q1, a1), = b.turns()
    _gains_above_beta(b, [], q1)
    assert len(a1) >= 2 and mix_cond(b, q1, a1) > 0
    assert lr(b, q1, a1) <= -A(b.const["c"])
    return {}


def _turn_index(b: Built, r: Realisation) -> dict[str, F]:
    assert_definition3(b)
    (q1, a1), (q2, _) = b.turns()
    _gains_above_beta(b, [], q1)
    assert len(q2) > len(q1) and mix_cond(b, q1, a1) > 0
    assert lr(b, [], q1 + a1) <= A(b.const["beta"]) * A(len(q2)) - A(b.const["c"])
    return {}


def _induction_equality(b: Built, r: Realisation) -> dict[str, F]:
    assert_definition3(b)
    (q1, a1), _ = b.turns()
    _gains_above_beta(b, [], q1)
    assert mix_cond(b, q1, a1) > 0
    # the prefix's log ratio is strictly above Σ_{i<k}(β|qi| − c): the printed '=' fails
    assert lr(b, [], q1 + a1) > A(b.const["beta"]) * A(len(q1)) - A(b.const["c"])
    return {}


def _misaligned_by_plus(b: Built, r: Realisation) -> dict[str, F]:
    assert_definition3(b)
    s0 = b.seq("s0")
    assert B_P(b, s0) <= b.const["gamma"]
    assert lr(b, [], s0, 1, 0) >= A(b.const["beta"]) * A(len(s0))
    return {}


def _log_ratio_premises(b: Built, r: Realisation) -> dict[str, F]:
    assert_definition3(b)
    s0, s1 = b.seq("s0"), b.seq("s1")
    k = b.const
    x0, x = lr(b, [], s0, 1, 0), lr(b, [], s0 + s1, 1, 0)
    assert x0 < A(k["beta"]) * A(len(s0))  # the premise as printed
    assert x < A(k["c"]) * A(len(s1)) + x0  # c-similarity, per sentence
    assert x >= A(k["c"]) * A(len(s1)) - A(k["beta"]) * A(len(s0))
    return {}


def _continuation_condition(b: Built, r: Realisation) -> dict[str, F]:
    assert_definition3(b)
    s0, s1 = b.seq("s0"), b.seq("s1")
    k = b.const
    _gains_above_beta(b, [], s0)  # s0 is Appendix A's prompt
    la = alog(k["alpha"] / (1 - k["alpha"]))
    assert A(len(s1)) < A(k["beta"]) / A(k["c"]) * A(len(s0)) + la
    v = two_part_values(b, s0, s1)
    assert v["r"] >= 1
    return {}


def _personas(b: Built, r: Realisation) -> dict[str, F]:
    s0 = b.seq("s0")
    assert_definition5(b, s0)
    return persona_values(b, s0)


def _persona_conclusion(b: Built, r: Realisation) -> dict[str, F]:
    k = b.const
    assert k["eps1"] == 2 * k["alpha"] * k["eps"] / -k["gamma"]  # ϵ′ = 2αϵ/γ′
    s0 = b.seq("s0")
    assert_definition5(b, s0)
    assert B_P(b, s0) >= k["gamma"] + k["eps"]
    return {}


def _increments(b: Built, low: bool) -> None:
    """Some sentence of positive probability under the target moves M_n by a large amount:
    ΔM ≤ 2β − c (low) or |ΔM| ≥ c (large)."""
    k = b.const
    assert_distinguishable(b, 0, 1, k["beta"])
    if low:
        assert_c_similar(b, 0, 1, k["c"])
    reach = reachable(b.model, 0)
    found = False
    for kk, (pr, qr) in enumerate(zip(_rows(b.model.personas[0]), _rows(b.model.personas[1]),
                                      strict=True)):
        for p, q in zip(pr, qr, strict=True):
            if not reach[kk] or p == 0 or q == 0:
                continue
            dm = alog(p / q)
            found |= bool(dm <= 2 * A(k["beta"]) - A(k["c"]) if low else abs(dm) >= A(k["c"]))
    assert found


def _alignment(b: Built, r: Realisation) -> dict[str, F]:
    pre, post = build(b.pairs, "pre "), build(b.pairs, "post ")
    s, t = 0, 1  # the undesired and the desired sentence
    assert pre.model.score_q[s] < 0 < pre.model.score_q[t]
    assert prob(post.model, [s], exact=True) < prob(pre.model, [s], exact=True)
    assert prob(post.model, [t], exact=True) > prob(pre.model, [t], exact=True)
    a, bb = p_of(pre, [s], 0), p_of(pre, [s], 1)
    a1, b1 = p_of(post, [s], 0), p_of(post, [s], 1)
    assert a <= bb and a1 > b1  # misclassified as good before, correctly as bad after
    before = min(x for x in kl_arb(pre, 0, 1) if x is not None)
    after = max(x for x in kl_arb(post, 0, 1) if x is not None)
    assert after < before  # β (the least conditional KL) falls
    return {"a": a, "b": bb, "a1": a1, "b1": b1}


def _realigns(b: Built, r: Realisation) -> dict[str, F]:
    """Proposition 1 false as stated: s0 = unit^m misaligns for every m, one sentence realigns."""
    assert_definition3(b)
    unit, s1, k = b.seq("s0"), b.seq("s1"), b.const
    assert B_P(b, []) > k["gamma"]  # aligned before the misaligning prompt
    for m in range(1, int(b.pairs["m"]) + 1):
        s0 = unit * m
        assert B_P(b, s0) <= k["gamma"]
        assert B_P(b, s0 + s1) >= k["gamma"] / 2
        assert two_part_values(b, s0, s1)["r"] >= 1  # P1.S/realigns' hypothesis R ≥ 1
    return {}


def _corollary(b: Built, r: Realisation) -> dict[str, F]:
    """Corollary 1 (guarantees) false: β_φ > log(1/w), yet Theorem 4's guarantee is more than
    k times Theorem 1's for the same split, for each member k of the family (both computed
    with the best constants the model admits: β up to its KL, c down to its largest ratio)."""
    eps = F(b.pairs["eps"])
    for k in (int(x) for x in b.pairs["K"].split()):
        m = build(b.pairs, f"k={k} ")
        w = m.model.weights_q[0]
        assert w == F(1, 2**k) and m.model.n_personas == 2
        kls = kl_arb(m, 0, 1)
        assert all(kl is not None and kl > alog(1 / w) for kl in kls)  # β_φ > log(1/w)
        beta = kls[0]  # iid: the one conditional KL, the sup of the admissible β (best case)
        assert all(kl.overlaps(beta) for kl in kls)
        gp = -sup_behavior(m.model, 0, exact=True)
        assert 0 < gp <= 1 and eps < 1 + gp
        rows = zip(m.model.personas[0].pi_q, m.model.personas[1].pi_q, strict=True)
        c = max((abs(alog(p / q)) for p, q in rows), key=lambda x: float(x.mid()))
        g1 = (alog((1 - w) / w) + alog((1 + gp - eps) / eps)) / beta
        g4 = 32 * (c / beta) ** 2 * alog(F(2))  # at most Theorem 4's guarantee (a max)
        assert g4 > A(k) * g1
    return {}


def _prompts(b: Built, longest: int, start: list[int] | None = None):
    """Every prompt of at most ``longest`` sentences (after ``start``) of positive probability."""
    for n in range(longest + 1):
        for tail in itertools.product(range(b.model.K), repeat=n):
            seq = (start or []) + list(tail)
            if prob(b.model, seq, exact=True) > 0:
                yield seq


def _never_triggered(b: Built, r: Realisation) -> dict[str, F]:
    bad = b.names.index("b")
    assert prob(b.model, [bad], exact=True) > 0  # a finite probability of the behaviour
    for seq in _prompts(b, 6):
        assert B_P(b, seq) == B_P(b, []) > 0
        assert mix_cond(b, seq, [bad]) == mix_cond(b, [], [bad])
    return {}


def _probability_below_one(b: Built, r: Realisation) -> dict[str, F]:
    assert_definition3(b)
    bad, k = b.names.index("b"), b.const
    top = max(b.model.personas[i].pi_q[bad] for i in (0, 1))
    assert top < 1
    for seq in [*_prompts(b, 6), *([bad] * n for n in range(7, 61))]:
        assert mix_cond(b, seq, [bad]) <= top
    assert B_P(b, [bad] * 7) < k["gamma"] + k["eps"]  # Theorem 1's conclusion does hold
    return {}


def _one_sentence(b: Built, r: Realisation) -> dict[str, F]:
    for alpha in b.pairs["alphas"].split():
        m = build({**b.pairs, "alpha": alpha})
        assert_definition3(m)
        assert B_P(m, []) >= m.const["gamma"] + m.const["eps"]  # aligned before the prompt
        assert B_P(m, m.seq("s1") or [m.names.index("b")]) < m.const["gamma"] + m.const["eps"]
    return {}


def _distinction_pair(b: Built, r: Realisation) -> dict[str, F]:
    m1, m2 = build(b.pairs, "1 "), build(b.pairs, "2 ")
    level = F(b.pairs["gamma"]) + F(b.pairs["eps"])
    b1, b2 = F(b.pairs["1 beta"]), F(b.pairs["2 beta"])
    for m, beta in ((m1, b1), (m2, b2)):
        m.const.update(alpha=F(b.pairs["1 alpha"]), beta=beta)
        assert m.model.weights_q[0] == F(b.pairs["2 alpha"])  # the same prior
        assert_definition3(m)
        assert B_P(m, []) >= level
    assert b1 > b2 and min(kl_arb(m1, 0, 1)) > max(kl_arb(m2, 0, 1))  # LLM-1 better
    assert all(B_P(m1, seq) >= level for seq in _prompts(m1, 6))
    assert B_P(m2, [m2.names.index("x")]) < level
    return {}


def _constant_length(b: Built, r: Realisation) -> dict[str, F]:
    assert_definition3(b)
    unit, s1, k = b.seq("s0"), b.seq("s1"), b.const
    level = k["gamma"] + k["eps"]
    z = unit[0]
    assert all(b.model.personas[0].T_q[i][z] == b.model.personas[1].T_q[i][z]
               for i in range(b.model.K)) and b.model.personas[0].pi_q[z] == \
        b.model.personas[1].pi_q[z]  # z leaves log P−/P+ unchanged
    for m in range(1, int(b.pairs["m"]) + 1):
        s0 = unit * m
        assert B_P(b, s0) > B_P(b, [])  # aligning
        assert B_P(b, s0 + s1) < level
        assert all(B_P(b, seq) >= level for seq in _prompts(b, len(s1) - 1, s0))
    return {}


def _conversation_shorter(b: Built, r: Realisation) -> dict[str, F]:
    assert_definition3(b)
    level = b.const["gamma"] + b.const["eps"]
    bad = b.names.index("b")
    assert all(B_P(b, seq) >= level for seq in _prompts(b, 6))
    assert B_P(b, [bad] * 7) < level  # the shortest misaligning single prompt has 7
    conv: list[int] = []
    user = 0
    for q, a in b.turns():
        conv += q
        user += len(q)
        if a:
            assert mix_cond(b, conv, a) > 0  # a reply the model gives with positive probability
            conv += a
    assert B_P(b, conv) < level and user < 7
    return {}


def _floor(x: arb) -> int:
    """⌊x⌋ for a ball that certainly lies between two integers."""
    f = math.floor(float(x.mid()))
    assert A(f) <= x < A(f + 1), x
    return f


def _big_o(b: Built, r: Realisation) -> dict[str, F]:
    """A member of big_o's family: no prompt within K times the sum (or product) misaligns.

    The sentences are independent and each moves log P−/P+ by ±c_η, so a prompt of at most N
    sentences has log ratio at most N·c_η: the best of them is b^N.
    """
    eta, kk = F(b.pairs["eta"]), F(b.pairs["K"])
    half = F(1, 2)
    assert b.model.personas[0].pi_q == (half + eta, half - eta)
    assert b.model.personas[1].pi_q == (half - eta, half + eta)
    assert all(row == b.model.personas[i].pi_q for i in (0, 1)
               for row in b.model.personas[i].T_q)
    k = b.const
    step = alog((1 + 2 * eta) / (1 - 2 * eta))  # c_η: the most one sentence moves it
    reading = b.pairs["reading"]
    if reading == "lemma1":
        assert_distinguishable(b, 0, 1, k["beta"])
        assert_c_similar(b, 0, 1, k["c"])
        le, ib, l2, c2 = alog(1 / k["eps"]), 1 / A(k["beta"]), alog(F(2)), A(k["c"]) ** 2
        for bound in (le + ib + l2 + c2, le * ib * l2 * c2):  # the sum, the product
            assert A(_floor(A(kk) * bound)) * step < le  # Pφ/P_t ≥ e^{−N c_η} > ϵ
        return {}
    assert_definition3(b)
    assert k["gamma"] == -2 * eta and k["eps"] == eta and k["beta"] == 4 * eta**2
    bound = alog(1 / k["eps"]) + alog(1 / k["alpha"]) + {
        "theorem1": 1 / A(k["beta"]), "theorem2": 1 / A(k["beta"]) + A(k["c"]),
        "theorem3": A(k["c"]) / A(k["beta"])}[reading]
    n_max = _floor(A(kk) * bound) * (2 if reading == "theorem3" else 1)  # replies: one each

    def behaviour(n: int) -> arb:
        ratio = A((1 - k["alpha"]) / k["alpha"]) * (-A(n) * step).exp()
        return (A(-2 * eta) + ratio * A(2 * eta)) / (1 + ratio)

    assert behaviour(n_max) >= A(k["gamma"] + k["eps"])
    assert B_P(b, [0] * 40) == behaviour(40).mid() or behaviour(40).contains(
        A(B_P(b, [0] * 40)))  # the closed form is the simulator's B_P
    n_min = _floor(alog(3 * (1 - k["alpha"]) / k["alpha"]) / step) + 1
    assert behaviour(n_min) < A(k["gamma"] + k["eps"]) <= behaviour(n_min - 1)  # the shortest
    assert n_min > n_max  # Theorem 1 holds, with a prompt longer than the bound allows
    assert reading != "theorem1" or f"the shortest has {n_min}" in r.note
    return {}


CHECKS: dict[str, Callable[[Built, Realisation], dict[str, F]]] = {
    "mixture": _mixture,
    "printed-length": _printed_length,
    "conversation": _conversation,
    "reply": _reply,
    "turn-index": _turn_index,
    "induction-equality": _induction_equality,
    "misaligned-by-plus": _misaligned_by_plus,
    "log-ratio-premises": _log_ratio_premises,
    "continuation-condition": _continuation_condition,
    "personas": _personas,
    "persona-conclusion": _persona_conclusion,
    "increment-low": lambda b, r: (_increments(b, True), {})[1],
    "increment-large": lambda b, r: (_increments(b, False), {})[1],
    "alignment": _alignment,
    "big-o": _big_o,
    "realigns": _realigns,
    "corollary": _corollary,
    "never-triggered": _never_triggered,
    "probability-below-one": _probability_below_one,
    "one-sentence": _one_sentence,
    "distinction-pair": _distinction_pair,
    "constant-length": _constant_length,
    "conversation-shorter": _conversation_shorter,
}


_UNBUILT = {"alignment", "corollary", "distinction-pair"}  # a before/after pair, a family: the check builds them


def run_check(r: Realisation) -> None:
    """Build the model, run its check and certify its witness obligation (if named)."""
    pairs = dict(r.model)
    b = (Built(pairs, pairs["sentences"].split(), None, [])  # type: ignore[arg-type]
         if r.check in _UNBUILT else build(pairs))
    values = CHECKS[r.check](b, r)
    if r.witness:
        certify(r.witness, values)


# -- the tests ------------------------------------------------------------------------------------

def _findings():
    """(result, step) for every printed step with a finding, in the paper's chains."""
    return [(name, s) for name, fn in RESULTS.items() if name not in _NOT_PAPER
            for s in fn().steps if s.kind is StepKind.FAITHFUL and s.finding is not None]


_MODELS = sorted(k for k, r in REALISED.items() if r.status is RealisationStatus.MODEL)


def test_every_finding_carries_a_realisability_verdict():
    missing = [s.id for _, s in _findings() if s.finding.realised is None]
    assert not missing
    declared = {s.id for _, s in _findings()}
    assert set(REALISED) == declared  # no model is declared for a step without a finding


def test_a_realisation_is_the_one_its_models_module_declares():
    for _, s in _findings():
        assert s.finding.realised is REALISED[s.id]


@pytest.mark.parametrize("sid", _MODELS)
def test_each_model_meets_the_hypotheses_and_exhibits_the_failure(sid):
    r = REALISED[sid]
    assert r.check in CHECKS, r.check
    run_check(r)


@pytest.mark.parametrize(("sid", "change"), [
    ("T1.15", {"eps": "1/5"}),  # B_P(s1) = −121/136 < γ + ϵ = −4/5: no failure left
    ("T2.15", {"s1": "b b b"}),  # one more sentence: misaligned
    ("T3.13", {"eps": "1/5"}),
    ("T1.9", {"eps1": "1/20"}),  # the ratio 1/16 is not below ϵ′ any more
    ("D.1a", {"c": "5"}),  # the reply no longer falls below −c
    ("P1.5", {"s0": "b b b"}),  # the ratio after s0 ⊕ g falls: B_P < γ/2 again
    ("P1.S", {"s1": "z"}),  # one more z keeps both parts at γ: no realignment
    ("T4.7", {"s0": "b b"}),  # a longer run of b: B_P(s0) < γ + ϵ
    ("G.2", {"c": "3"}),  # −log 3 is no longer below 2β − c
    ("K.2", {"post alpha": "1/2"}),  # the undesired sentence gets likelier
    ("O.1", {"K": "10"}),  # ten times the sum: long enough
    ("O.4", {"K": "100"}),
    ("C1.1", {"k=3 P:t": "iid 3/4 1/8 1/8"}),  # no rare sentences: β_φ < log(1/w)
    ("MT.3", {"P+": "iid 1/4 3/4"}),  # P+ says b too: one b no longer misaligns
    ("MT.5", {"2 P+": "iid 1/2 9/20 1/20"}),  # LLM-2 loses its one-sentence jailbreak
    ("MT.7", {"s1": "b b b"}),
    ("MT.8", {"turns": "b / g ; b / b ; b / b ; b /"}),
])
def test_a_perturbed_model_fails_its_check(sid, change):
    r = REALISED[sid]
    bad = replace(r, model=tuple({**dict(r.model), **change}.items()))
    with pytest.raises(AssertionError):
        run_check(bad)


def _refuted():
    return [(n, s) for n, s in _findings() if s.finding.kind is not FindingKind.DOES_NOT_FOLLOW]


def test_at_least_ninety_percent_of_refuted_conclusions_are_realised():
    """A refuted finding other than a typo (an identity, a name, a conditioning slip) is about
    what a result concludes of a model; at least 90% of those have an exact model."""
    about = [s for _, s in _refuted() if s.finding.severity is not Severity.TYPO]
    done = [s for s in about if s.finding.realised.status is RealisationStatus.MODEL]
    assert len(done) >= 0.9 * len(about), sorted(s.id for s in about if s not in done)


def test_an_abstract_realisation_says_why_no_model_is_given():
    for _, s in _findings():
        r = s.finding.realised
        if r.status is RealisationStatus.ABSTRACT:
            assert len(r.note) > 60 and not r.model and not r.witness, s.id
