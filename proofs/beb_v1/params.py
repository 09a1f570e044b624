"""The paper's parameters, each declared once with its domain: α, β, γ, ϵ, c, |s0|, |Φ|, A, γ′, ϵ′."""

from __future__ import annotations

from fractions import Fraction

from bebcheck.symbolic.params import Param, closed, nonneg_int, positive, unit_open

__all__ = [
    "ALPHA",
    "BETA",
    "EPS",
    "EPS1",
    "GAMMA",
    "GAMMA_P",
    "M_LEN",
    "N_LEN",
    "PHI",
    "REPLY",
    "S0",
    "USER_PARAMS",
    "C",
]

# -- what a user gives (the calculator, the NumPy reference, the oracle) ----------------------
ALPHA = unit_open("alpha", r"\alpha", "prior of the ill-behaved component P-")
BETA = positive("beta", r"\beta", "distinguishability (conditional KL lower bound)")
GAMMA = closed("gamma", -1, 0, r"\gamma", "behaviour level of P-", upper_open=True)
EPS = positive("eps", r"\epsilon", "target slack: B_P(s*) < gamma + eps")
C = Param("c", Fraction(0), None, True, False, latex="c",
          meaning="c-similarity bound on |log P+(s|s0)/P-(s|s0)|", default=Fraction(1))
S0 = Param("s0", Fraction(0), None, False, False, True, latex="|s_0|",
           meaning="|s0| in sentences", default=Fraction(0))
PHI = Param("phi", Fraction(1), None, False, False, True, latex=r"|\Phi|",
            meaning="|Phi|, the number of personas", default=Fraction(2))
REPLY = Param("reply", Fraction(1), None, False, False, True, latex="A",
              meaning="sentences per model reply, at most", default=Fraction(1))

USER_PARAMS: dict[str, Param] = {p.name: p for p in (ALPHA, BETA, GAMMA, EPS, C, S0, PHI, REPLY)}
"""The parameters of the explicit bounds, by name, in the order users give them."""

# -- what the proofs use besides ------------------------------------------------------------
EPS1 = positive("eps1", r"\epsilon'", "bound on the ratio (1-alpha)P+/(alpha P-)")
GAMMA_P = closed("gp", 0, 1, r"\gamma'", "gamma' = -gamma", lower_open=True)
M_LEN = nonneg_int("m", "m", "|s0|, sentences in the initial prompt")
N_LEN = nonneg_int("n", "n", "|s1|, sentences in the adversarial prompt", lower=1)
