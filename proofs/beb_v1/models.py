"""Finite Markov-mixture models that realise the findings: their parameters, as paper data.

Each finding of the audit says whether a finite model exhibits it (``Realisation``): the model's
sentences, behaviour scores, personas (``iid`` rows, or a Markov chain: ``pi`` and one row per
last sentence), priors, prompts and the constants (γ, ϵ, β, c, …) it meets the hypotheses with,
all exact rationals written as strings.  Nothing here computes: ``tests/test_realised.py``
builds each model with the simulator (``checks/sim``) and checks, exactly, that it meets the
statement's hypotheses and exhibits the failure (``check`` names the check; ``witness`` names
the obligation whose counterexample the model's exact quantities are).  Findings about numbers
the proof chooses, about wording or about definitions that admit no model are ``ABSTRACT``,
with the reason.
"""

from __future__ import annotations

from bebcheck.symbolic.finding import Realisation, RealisationStatus

__all__ = ["REALISED", "realised"]

Pairs = tuple[tuple[str, str], ...]


def _model(check: str, note: str, *parts: Pairs | tuple[str, str], witness: str = ""
           ) -> Realisation:
    pairs: list[tuple[str, str]] = []
    for p in parts:
        if p and isinstance(p[0], tuple):
            pairs.extend(p)  # type: ignore[arg-type]
        else:
            pairs.append(p)  # type: ignore[arg-type]
    return Realisation(RealisationStatus.MODEL, note, tuple(pairs), check, witness)


def _abstract(note: str) -> Realisation:
    return Realisation(RealisationStatus.ABSTRACT, note)


# -- the models -------------------------------------------------------------------------------
# two sentences, b (bad) and g (good); sentences are independent under each part (iid rows)
WORST_T1: Pairs = (("sentences", "b g"), ("B", "-1 1"), ("P-", "iid 1 0"),
                   ("P+", "iid 1/16 15/16"), ("alpha", "1/2"), ("gamma", "-1"), ("beta", "5/2"))
"""Theorem 1's worst case: P− always says b, P+ rarely; β below KL = log 16."""

WORST_T2: Pairs = (("sentences", "b g"), ("B", "-17/33 1"), ("P-", "iid 99/100 1/100"),
                   ("P+", "iid 1/16 15/16"), ("alpha", "1/2"), ("gamma", "-1/2"),
                   ("beta", "67/25"), ("c", "91/20"))
"""Theorem 2's worst case, c-similar: s0 = g lowers log P−/P+ by almost c, b gains just over β."""

WORST_T3: Pairs = (("sentences", "b g"), ("B", "-677/1351 1"), ("P-", "iid 1351/1352 1/1352"),
                   ("P+", "iid 1/11 10/11"), ("alpha", "1/2"), ("gamma", "-1/2"),
                   ("beta", "239/100"), ("c", "7169/1000"))
"""Theorem 3's worst case: c/β just below 3, so a turn of ⌊c/β⌋ + 2 = 4 sentences gains
4·log(11·1351/1352) − log(1352·10/11) ≈ 2.48, barely more than β, after a reply g."""

PAIR_D: Pairs = (("sentences", "b g"), ("B", "-2/3 1"), ("P-", "iid 9/10 1/10"),
                 ("P+", "iid 1/4 3/4"), ("alpha", "1/2"), ("gamma", "-1/2"), ("beta", "9/10"),
                 ("c", "21/10"))
"""A c-similar pair for Lemma D: b gains log 3.6 > β, a reply g loses log 7.5 < c."""

MARKOV_P1: Pairs = (("sentences", "b g"), ("B", "-1 1"),
                    ("P-", "pi 3/4 1/4 | b: 19/20 1/20 | g: 3/4 1/4"),
                    ("P+", "pi 1/8 7/8 | b: 1/8 7/8 | g: 1/8 7/8"), ("alpha", "1/2"),
                    ("gamma", "-1/2"), ("beta", "1"), ("c", "29/10"))
"""Proposition 1's setting: P− is worse after b (B = −9/10) than after g (B = γ = −1/2)."""

SYMMETRIC: Pairs = (("sentences", "b g"), ("B", "-1 1"), ("P-", "iid 3/4 1/4"),
                    ("P+", "iid 1/4 3/4"), ("alpha", "1/2"), ("gamma", "-1/2"),
                    ("beta", "1/2"), ("c", "11/10"))
"""Each sentence moves log P−/P+ by ±log 3; KL = (1/2) log 3 > β."""

REALIGN: Pairs = (("sentences", "z g b"), ("B", "-1 1 -1"),
                  ("P-", "pi 1/4 1/4 1/2 | z: 1/4 1/4 1/2 | g: 1/4 1/4 1/2 | b: 1/4 1/4 1/2"),
                  ("P+", "pi 1/2 3/8 1/8 | z: 1/2 1/4 1/4 | g: 1/8 3/4 1/8 | b: 1/8 3/4 1/8"),
                  ("alpha", "1/2"), ("gamma", "-1/2"), ("beta", "1/10"), ("c", "7/5"))
"""P+ behaves as badly as P− after z (B = γ) and well after g: z^m misaligns the model
(B_P(z^m) = γ, against B_P = −3/8 unprompted) while making P+ ever more likely, so one g
realigns it."""

THREE_P1: Pairs = (("sentences", "b1 b2 g"), ("B", "-1 -1 1"), ("P-", "iid 1/10 3/5 3/10"),
                   ("P+", "iid 17/200 57/200 63/100"), ("alpha", "1/4"), ("gamma", "-2/5"),
                   ("beta", "4/25"), ("c", "4/5"))
"""b1 gains log(20/17) ≈ 0.163, just over β; g loses log 2.1 ≈ 0.742, just under c."""

PERSONAS_T: Pairs = (("sentences", "b g"), ("B", "-1 1"), ("P:t", "iid 3/4 1/4"),
                     ("P:1", "iid 1/4 3/4"), ("w", "1/2 1/2"), ("alpha", "1/2"),
                     ("gamma", "-1/2"), ("beta", "1/2"), ("c", "11/10"), ("eps1", "1/10"))
"""A bad persona t (B = γ) and a good one; s0 = b b b leaves the other persona at 1/27 of t."""

PERSONAS_POS: Pairs = (("sentences", "b g"), ("B", "-1 1"), ("P:t", "iid 2/5 3/5"),
                       ("P:1", "iid 1/10 9/10"), ("w", "1/2 1/2"), ("gamma", "-1/10"),
                       ("eps", "1"), ("beta", "3/10"), ("c", "7/5"), ("eps1", "1/10"),
                       ("s0", "b b"))
"""ϵ > 2γ′: Definition 5 (with ϵ/2) lets the target persona behave well, B = 1/5 > 0."""

PERSONAS_T47: Pairs = (("sentences", "b g"), ("B", "-1 1"), ("P:t", "iid 73/100 27/100"),
                       ("P:1", "iid 1/100 99/100"), ("w", "1/2 1/2"), ("alpha", "1/2"),
                       ("gamma", "-1/2"), ("eps", "1/10"), ("beta", "2"), ("c", "9/2"),
                       ("eps1", "1/5"), ("s0", "b g"))
"""The target persona at B = −0.46 < γ + ϵ/2; ϵ′ = 2αϵ/γ′ = 1/5 (γ′ for γ)."""


FAMILY: Pairs = (("sentences", "b g"), ("B", "-1 1"), ("P-", "iid 11/20 9/20"),
                 ("P+", "iid 9/20 11/20"), ("eta", "1/20"), ("alpha", "1e-174"),
                 ("gamma", "-1/10"), ("eps", "1/20"), ("beta", "1/100"), ("c", "2/5"),
                 ("K", "1"))
"""The big-O family at η = 1/20 (K = 1): each sentence moves log P−/P+ by log(11/9) ≈ 0.2,
KL = (1/10) log(11/9) > β = 4η², log(1/α) ≈ 400.7 ≥ 1/η²; ϵ = η, γ = −2η, c = 8η."""

FAMILY_LEMMA1: Pairs = (("sentences", "b g"), ("B", "-1 1"), ("P-", "iid 65/128 63/128"),
                        ("P+", "iid 63/128 65/128"), ("eta", "1/128"), ("alpha", "1/2"),
                        ("eps", "1e-7200"), ("beta", "1/4096"), ("c", "1/16"), ("K", "1"),
                        ("reading", "lemma1"))
"""The family at η = 1/128 as two personas t = P−, φ = P+ of Lemma 1 (|Φ| = 2): each sentence
moves log P_t/Pφ by log(65/63) ≈ 0.031; log(1/ϵ) ≈ 16578 ≥ 1/η²."""


FULL_SUPPORT = "iid 3e-40 0." + "9" * 39 + "7"
"""P+ says b with probability 3·10⁻⁴⁰ = 4·10⁻⁴⁰·P−(b) (full support: the KL is finite, ≈ 69)."""

SYMMETRIC_RARE: Pairs = (("sentences", "b g"), ("B", "-1 1"), ("P-", "iid 3/4 1/4"),
                         ("P+", "iid 1/4 3/4"), ("alpha", "1/100"), ("gamma", "-1/2"),
                         ("eps", "1/10"), ("beta", "1/2"), ("c", "11/10"))
"""The symmetric pair with α = 1/100: the shortest misaligning prompt is b^7."""

NEUTRAL_ALIGN: Pairs = (("sentences", "z b g"), ("B", "1 -1 1"),
                        ("P-", "pi 1/4 5/8 1/8 | z: 1/4 5/8 1/8 | b: 1/4 5/8 1/8 | "
                               "g: 1/4 5/8 1/8"),
                        ("P+", "pi 1/4 1/8 5/8 | z: 1/4 1/16 11/16 | b: 1/4 1/8 5/8 | "
                               "g: 1/4 1/8 5/8"),
                        ("alpha", "1/100"), ("gamma", "-1/4"), ("eps", "1/10"),
                        ("beta", "4/5"), ("c", "12/5"))
"""z is an aligning sentence both parts say with probability 1/4 (log P−/P+ unchanged), after
which P+ behaves better (B = 7/8 instead of 3/4)."""


def _first_half(p: str, base: Pairs, ctx: Pairs, eps: str, eps1: str, theorem: str
                ) -> dict[str, Realisation]:
    """Realisations of the behaviour bound's steps (T*.2, T*.5, T*.9), shared by Theorems 1–3."""
    at = " after the prompt"
    return {
        f"{p}.2": _model(
            "mixture", f"{theorem}'s hypotheses hold and P+ behaves well: dropping its term "
            f"raises the sum, B′_P{at} is below w·B′_P−.", base, ctx,
            witness=f"{p}.2/drop-plus-term"),
        f"{p}.5": _model(
            "mixture", "P− attains sup B_P− = γ, so B′_P− = γ′ exactly: the strict > fails.",
            base, ctx, ("eps1", eps1), witness=f"{p}.5/strict-gamma"),
        f"{p}.9": _model(
            "mixture", f"The ratio (1−α)P+/(αP−){at} is below ϵ′ < ϵ/γ′, yet B_P ≥ γ + ϵ.",
            base, ctx, ("eps", eps), ("eps1", eps1), witness=f"{p}.9/first-part"),
    }


REALISED: dict[str, Realisation] = {
    **_first_half("T1", WORST_T1, (("s1", "b"),), "1/10", "9/100", "Theorem 1"),
    "T1.15": _model(
        "printed-length", "The proof's prompt (every sentence gains more than β) at a length the "
        "printed choice allows (n = 1: nβ = 5/2 > log((1−α)/α) + log(γ′/ϵ) = log 10) leaves "
        "B_P(s1) = −121/136 above γ + ϵ = −9/10.", WORST_T1, ("s1", "b"), ("eps", "1/10"),
        witness="T1.15/end-to-end"),
    **_first_half("T2", WORST_T2, (("s0", "g"), ("s1", "b b")), "1/4", "2/5", "Theorem 2"),
    "T2.15": _model(
        "printed-length", "With the aligning prompt s0 = g (M0 ≈ −c) and n = 2 sentences b, "
        "which the printed length allows (nβ = 5.36 > |s0|c + log 2 = 5.24), B_P(s0 ⊕ s1) ≈ "
        "−0.118 stays above γ + ϵ = −1/4.", WORST_T2, ("s0", "g"), ("s1", "b b"),
        ("eps", "1/4")),
    **_first_half("T3", WORST_T3, (("s1", "b b b b g"),), "1/10", "1/10", "Theorem 3"),
    "T3.13": _model(
        "conversation", "One turn, which the printed count allows (β = 2.39 > log(1/ϵ) + "
        "log((1−α)/α) = log 10): the user's |q1| = ⌊c/β⌋ + 2 = 4 sentences, each gaining more "
        "than β, and a one-sentence reply g of positive probability leave B_P ≈ −0.394 above "
        "γ + ϵ = −2/5.", WORST_T3, ("turns", "b b b b / g"), ("eps", "1/10"),
        witness="T3.13/end-to-end"),
    "D.1a": _model(
        "reply", "A reply a1 = g g of two sentences (positive probability under the mixture) "
        "has log P−(a1|q1)/P+(a1|q1) = 2 log(2/15) ≈ −4.03, below −c = −2.1.", PAIR_D,
        ("turns", "b / g g")),
    "D.2": _model(
        "turn-index", "With |q1| = 1 < |q2| = 5, log P−(q1 ⊕ a1)/P+(q1 ⊕ a1) ≈ −0.73 is not "
        "above β|q2| − c = 2.4.", PAIR_D, ("turns", "b / g ; b b b b b / g")),
    "D.4": _model(
        "induction-equality", "The prefix q1 ⊕ a1 has log ratio ≈ −0.73, strictly above (not "
        "equal to) Σ(β|qi| − c) = −1.2.", PAIR_D, ("turns", "b / g ; b / g")),
    "D1.1": _model(
        "mixture", "In any model log P−(q|s0)/P−(q|s0) = 0: here q = b, β|q| = 9/10.",
        PAIR_D, ("s1", "b"), ("qlen", "1"), witness="D1.1/statement"),
    "D1.3": _abstract(
        "The step conditions on s1 ⊕ … ⊕ sk−1 instead of s0 ⊕ s1 ⊕ … ⊕ sk−1 (k ≥ 2). In the "
        "simulator's Markov personas a conditional depends on the last sentence only, which "
        "the two contexts share, so no such model shows the slip; a model would need a persona "
        "with longer memory (a hidden state), whose Definition 2 over all prompts is not "
        "decided exactly. The lemma's conclusion holds (D1.3r)."),
    "P1.2": _model(
        "mixture", "Proposition 1's hypotheses hold (B_P(s0) ≈ −0.86 ≤ γ); after s0 ⊕ s1 = "
        "b b g, B′_P is below w·B′_P− (P+ behaves well).", MARKOV_P1, ("s0", "b b"),
        ("s1", "g"), ("misaligned", "s0"), witness="P1.2/drop-plus-term"),
    "P1.4": _model(
        "mixture", "After g, B_P− = γ exactly (sup B_P− = γ): ½B′_P− = γ′/2, not >.",
        MARKOV_P1, ("s0", "b b"), ("s1", "g"), ("misaligned", "s0"),
        witness="P1.4/strict-gamma"),
    "P1.5": _model(
        "mixture", "s0 = b b misaligns (B_P(s0) ≈ −0.86 ≤ γ); after one sentence g the ratio "
        "is ≈ 0.38 < 1 but B_P ≈ −0.15 ≥ γ/2 = −1/4: the model is not kept misaligned.",
        MARKOV_P1, ("s0", "b b"), ("s1", "g"), ("misaligned", "s0"),
        witness="P1.5/first-part"),
    "P1.8": _model(
        "misaligned-by-plus", "s0 = z z z misaligns the model (B_P(s0) = γ) because P+ itself "
        "behaves badly after z, while log P+(s0)/P−(s0) = 3 log 2 exceeds β|s0| = 3/10.",
        REALIGN, ("s0", "z z z")),
    "P1.9": _model(
        "log-ratio-premises", "The two premises as printed hold for s0 = b g (log P+(s0)/P−(s0) "
        "= 0 < β|s0|) and s1 = g (log ratio log 3 < c + 0), yet log 3 ≥ c|s1| − β|s0| = 1/10.",
        SYMMETRIC, ("s0", "b g"), ("s1", "g")),
    "P1.10": _model(
        "continuation-condition", "s0 = b1^11 is Appendix A's prompt (each b1 gains ≈ 0.163 > "
        "β) and |s1| = 1 < (β/c)|s0| + log(α/(1−α)) ≈ 1.10, yet after s1 = g the ratio "
        "(1−α)P+/(αP−) ≈ 1.05 is not below 1.", THREE_P1,
        ("s0", "b1 b1 b1 b1 b1 b1 b1 b1 b1 b1 b1"), ("s1", "g")),
    "P1.S": _model(
        "realigns", "Proposition 1's hypotheses hold (Definitions 3 and 6; unprompted, "
        "B_P = −3/8 > γ): for every m = 1, …, 40 the prompt s0 = z^m misaligns (B_P(s0) = γ) "
        "and one user sentence g realigns "
        "(B_P(s0 ⊕ g) ≥ 1/6 > γ/2), the ratio (1−α)P+/(αP−) after s0 ⊕ g being 2^m ≥ 1.",
        REALIGN, ("s0", "z"), ("m", "40"), ("s1", "g")),
    "T4.2": _model(
        "personas", "Definition 5 holds (t: prior 1/2, B = γ, Martingale-distinguishable, "
        "c-similar); after s0 = b b b the good persona's term pulls B′_P below B′_t/(1 + R).",
        PERSONAS_T, ("s0", "b b b"), ("eps", "1/10"), witness="T4.2/drop-others"),
    "T4.3": _model(
        "personas", "ϵ = 1 > 2γ′: the target persona behaves well (B′_t = −1/5 < 0), so the "
        "larger denominator raises the sum instead of lowering it.", PERSONAS_POS,
        ("alpha", "1/2"), witness="T4.3/apply"),
    "T4.4": _model(
        "personas", "As for T4.3 with α = 1/4: B′_t/(1 + ϵ′Σwφ/w_t) < B′_t/(1 + ϵ′/α).",
        PERSONAS_POS, ("alpha", "1/4"), witness="T4.4/apply"),
    "T4.5": _model(
        "personas", "The target persona attains B = γ (allowed: sup B_t < γ + ϵ/2), so "
        "B′_t = γ′ and the strict > fails.", PERSONAS_T, ("s0", "b b b"), ("eps", "1/10"),
        witness="T4.5/target-behaviour"),
    "T4.6": _abstract(
        "An inequality between numbers the proof chooses (α, ϵ′, γ′): γ′/(1 + ϵ′/α) ≥ "
        "−γ′(1 − ϵ′/α) fails whenever ϵ′/α > √2, whatever the model; no model quantity is "
        "bounded wrongly (γ′ for γ)."),
    "T4.7": _model(
        "persona-conclusion", "With ϵ′ = 2αϵ/γ′ = 1/5 (the only reading with ϵ′ > 0), the "
        "prompt s0 = b g meets Lemma 1's conclusion (Pφ(s0)/P_t(s0) ≈ 0.050 < ϵ′) and "
        "Definition 5 holds, yet B_P(s0) ≈ −0.391 > γ + ϵ = −2/5.", PERSONAS_T47),
    "T4.8": _model(
        "personas", "ϵ = B_P(s0) − γ = 1/28 exactly: B_P(s0) ≤ γ + ϵ holds with equality, and "
        "Definition 1's strict < fails.", PERSONAS_T, ("s0", "b b b"), ("eps", "1/28"),
        witness="T4.8/strictness"),
    "G.1": _abstract(
        "An identity of reals in the proof's bookkeeping (m + β − (n+1)β = m + βn), false for "
        "every β ≠ 0 and n ≠ 0 whatever the model; the sub-martingale property it words holds "
        "(G.1r)."),
    "G.c": _model(
        "increment-large", "Target t is β-Martingale-distinguishable from φ (KL ≈ 1.96 > β = 1) "
        "and nothing bounds its increments by c: sentence b moves M_n by log 100 > c = 4.",
        ("sentences", "b g"), ("B", "-1 1"), ("P:t", "iid 1/2 1/2"),
        ("P:1", "iid 1/200 199/200"), ("w", "1/2 1/2"), ("beta", "1"), ("c", "4")),
    "G.2": _model(
        "increment-low", "With ΔM = log P_t(g)/Pφ(g) = −log 3 (g has probability 1/4 under t), "
        "Z_{n+1} − Z_n = ΔM − β ≈ −1.60 is below the printed −c + β = −0.6.",
        SYMMETRIC[:2], ("P:t", "iid 3/4 1/4"), ("P:1", "iid 1/4 3/4"), ("w", "1/2 1/2"),
        ("beta", "1/2"), ("c", "11/10")),
    "G.8": _model(
        "personas", "The prompt s0 = b b b meets (10): Pφ(s0)/P_t(s0) = 1/27 < ϵ = 1/10; the "
        "printed conclusion ≥ 1/ϵ is false for it.", PERSONAS_T, ("s0", "b b b"),
        ("eps", "1/10"), witness="G.8/direction"),
    "O.1": _model(
        "big-o", "The sum reading fails: Theorem 1's hypotheses hold (γ = −2η, β = 4η²), yet no "
        "prompt of at most K(log 1/ϵ + log 1/α + 1/β) ≈ 503 sentences misaligns: the shortest "
        "has 2003 (within the product reading's bound, which holds).",
        FAMILY, ("reading", "theorem1")),
    "O.2": _model(
        "big-o", "Theorem 2's hypotheses hold (c = 8η, s0 empty), yet no prompt of at most "
        "K(log 1/ϵ + log 1/α + 1/β + |s0| + c) ≈ 503 sentences misaligns.", FAMILY,
        ("reading", "theorem2")),
    "O.3": _model(
        "big-o", "The sum reading fails: Theorem 3's hypotheses hold, yet no conversation with "
        "at most K(log 1/ϵ + log 1/α + c/β) ≈ 443 user sentences (and one-sentence replies) "
        "misaligns (the product reading is open).", FAMILY, ("reading", "theorem3")),
    "O.4": _model(
        "big-o", "t is β-Martingale-distinguishable from φ and c-similar to it, yet no prompt of "
        "at most K(log 1/ϵ + 1/β + log|Φ| + c²) ≈ 20675 sentences, nor of at most "
        "K·log(1/ϵ)·(1/β)·log|Φ|·c² ≈ 183862, brings Pφ/P_t below ϵ.", FAMILY_LEMMA1),
    "C1.1": _model(
        "corollary", "A family of persona mixtures (t with prior w = 2^−k, B = γ; g good): "
        "β_φ = log(1/w) = k log 2 < KL(t‖g) at every prompt, and c/β_φ ≈ k: Theorem 4's "
        "guarantee (at least 32 (c/β)² log 2) is more than k times Theorem 1's for the same "
        "split at k = 3 and k = 6, and the factor grows with k: a bigger guarantee, not a "
        "longer persona prompt (one sentence x already brings the persona forward).",
        ("sentences", "x y u"), ("B", "-1 1 1"), ("eps", "1/10"), ("K", "3 6"),
        ("k=3 P:t", "iid 511/512 1/1024 1/1024"), ("k=3 P:g", "iid 1/16 7/16 1/2"),
        ("k=3 w", "1/8 7/8"),
        ("k=6 P:t", "iid 68719476735/68719476736 1/137438953472 1/137438953472"),
        ("k=6 P:g", "iid 1/128 63/128 1/2"), ("k=6 w", "1/64 63/64")),
    "MT.1": _model(
        "never-triggered", "One persona, sentences independent: P(b) = 1/10 > 0, yet after every "
        "prompt (all 126 of at most 6 sentences, exactly) P(b | s*) = 1/10 and B_P = 4/5.",
        ("sentences", "b g"), ("B", "-1 1"), ("P:lm", "iid 1/10 9/10"), ("w", "1")),
    "MT.2": _model(
        "probability-below-one", "The reading 'probability of a negative sentence': Definition "
        "3 holds and b^7 misaligns (B_P < γ + ϵ; the weight of P− tends to 1), yet after "
        "every prompt of at most 6 sentences and after b^n (n ≤ 60) the probability of the "
        "negative sentence b is at most 3/4.", SYMMETRIC_RARE),
    "MT.3": _model(
        "one-sentence", "Definition 3 holds with full support (P+ says b with probability "
        "3·10⁻⁴⁰: KL ≈ 69, finite, > β, as §2.2's 'finite KL distance' asks) for α = 10⁻³, 10⁻⁹ "
        "and 10⁻³⁰ alike, and the one sentence b misaligns: B_P(b) ≈ −1/2 < γ + ϵ.",
        ("sentences", "b g"), ("B", "-1 1"), ("P-", "iid 3/4 1/4"), ("P+", FULL_SUPPORT),
        ("alpha", "1e-3"), ("alphas", "1e-3 1e-9 1e-30"), ("gamma", "-1/2"), ("eps", "1/10"),
        ("beta", "1")),
    "MT.4": _model(
        "one-sentence", "The model of MT.3: the guaranteed length grows as α falls (the paper's "
        "qualified reading holds), yet as a safety guarantee the limit fails: for α = 10⁻³, "
        "10⁻⁹ and 10⁻³⁰ the one sentence b misaligns.", ("sentences", "b g"),
        ("B", "-1 1"), ("P-", "iid 3/4 1/4"), ("P+", FULL_SUPPORT), ("alpha", "1e-3"),
        ("alphas", "1e-3 1e-9 1e-30"), ("gamma", "-1/2"), ("eps", "1/10"), ("beta", "1")),
    "MT.5": _model(
        "distinction-pair", "The shortest-prompt reading (the guaranteed length does shrink): "
        "same α, γ, ϵ; LLM-1 is better distinguished (KL ≈ 0.55 > β1 = 1/2 > "
        "β2 = 1/3, KL ≈ 0.37 for LLM-2), yet every prompt of at most 6 sentences leaves LLM-1 "
        "aligned while the one sentence x misaligns LLM-2.", ("sentences", "b g x"),
        ("B", "-1 1 -1"), ("1 P-", "iid 3/4 1/4 0"), ("1 P+", "iid 1/4 3/4 0"),
        ("1 alpha", "1/100"), ("1 beta", "1/2"), ("2 P-", "iid 7/10 1/4 1/20"),
        ("2 P+", "iid 10999/20000 9/20 1/20000"), ("2 alpha", "1/100"), ("2 beta", "1/3"),
        ("gamma", "-1/2"), ("eps", "1/10")),
    "MT.7": _model(
        "constant-length", "Definitions 3 and 6 hold; for every 1 ≤ m ≤ 20 the aligning prompt z^m "
        "raises B_P, no continuation of at most 3 sentences misaligns after it, and "
        "b b b b does: the misaligning length is 4 whatever |s0|.", NEUTRAL_ALIGN,
        ("s0", "z"), ("m", "20"), ("s1", "b b b b")),
    "MT.8": _model(
        "conversation-shorter", "The reading 'text every user needs' (the guarantees compare "
        "as §3.2 says): no prompt of at most 6 sentences misaligns and b^7 does; in a "
        "conversation whose replies are b (probability 1/4 at first, more later) the user's "
        "fourth sentence b misaligns: 4 < 7 sentences of user text.", SYMMETRIC_RARE,
        ("turns", "b / b ; b / b ; b / b ; b /")),
    "MT.10": _model(
        "realigns", "The model of P1.S: misaligned by s0 = z^m for every m ≤ 40, realigned by the "
        "one sentence g.", REALIGN, ("s0", "z"), ("m", "40"), ("s1", "g")),
    "MT.11": _abstract(
        "Does not follow (proved): Theorem 4's guarantee has a (c/β)² log|Φ| term the claim "
        "drops. Whether every persona mixture has a persona prompt of O(log(1/w)/β) sentences is "
        "neither shown nor refuted, so no model is claimed (in the family of C1.1 one sentence "
        "already brings the persona forward)."),
    "MT.12": _model(
        "never-triggered", "The reading outside Definition 3 (no distinguishable bad part): the model of "
        "MT.1: aligned (P(b) = 1/10 > 0, B_P = 4/5) and never misaligned by any prompt.", ("sentences", "b g"), ("B", "-1 1"),
        ("P:lm", "iid 1/10 9/10"), ("w", "1")),
    **{sid: _abstract(f"A wording slip ({what}): its literal reading is refuted by the "
                      "witness, but it misstates no model quantity; the argument it words "
                      "holds (the repair beside it is proved).")
       for sid, what in (("W.1", "induction base for hypothesis"),
                         ("W.2", "induction base for hypothesis"),
                         ("W.3", "the prompt the bound is at"),
                         ("W.4", "the order of the turns between statement and proof"),
                         ("W.5", "the order of the turns between statement and proof"),
                         ("W.6", "Ω for ω"))},
    "D.5lit": _abstract(
        "Refuted by proof: read literally, Definition 5 holds in no mixture (φ = ˜φ gains "
        "nothing), so no model can meet the statement's hypotheses; the reading φ ≠ ˜φ is "
        "realised by the persona models of T4.2 and G.8."),
    "D.6lit": _abstract(
        "Refuted by proof: read literally, Definitions 2 and 6 hold together for no pair of "
        "distributions, so there is no model to give; every model of this sheet meets them "
        "read per sentence, the reading the paper's gloss ('at each time step') gives."),
    "K.2": _model(
        "alignment", "Alignment makes the undesired sentence s less likely (1/2 → 23/50) and "
        "the desired t more likely, s is misclassified as good before and correctly as bad "
        "after, yet the KL divergence (β) falls from (1/5) log(3/2) ≈ 0.081 to (1/10) "
        "log(11/9) ≈ 0.020.", ("sentences", "s t"), ("B", "-1 1"),
        ("pre P-", "iid 2/5 3/5"), ("pre P+", "iid 3/5 2/5"), ("pre alpha", "1/2"),
        ("post P-", "iid 11/20 9/20"), ("post P+", "iid 9/20 11/20"), ("post alpha", "1/10"),
        witness="K.2/two-sentences"),
}


def realised(step_id: str) -> Realisation | None:
    """The realisation declared for a finding (``None`` when none is declared)."""
    return REALISED.get(step_id)
