"""Conjecture 1 (Section 3.1): equation (7) and the KL-increase sentence after it."""

from __future__ import annotations

from fractions import Fraction as F

import sympy as sp

from bebcheck.symbolic.chain import Chain
from bebcheck.symbolic.finding import Finding, Severity
from bebcheck.symbolic.lemmas import (
    LOG_LE_SUB_ONE,
    LOG_MONOTONE_INC,
)
from bebcheck.symbolic.location import Location
from bebcheck.symbolic.params import prob_param
from bebcheck.symbolic.step import Step, StepKind

from .common import make
from .models import realised
from .results import ResultId

__all__ = ["conjecture1"]


def conjecture1() -> Chain:
    A0, B0 = prob_param("a", "P^pre_−(s)"), prob_param("b", "P^pre_+(s)")
    A1, B1 = prob_param("a1", "P^RLHF_−(s)"), prob_param("b1", "P^RLHF_+(s)")
    a, b, a1, b1 = A0.symbol, B0.symbol, A1.symbol, B1.symbol
    dkl = a1 * sp.log(a1 / b1) - a * sp.log(a / b)
    kl_pre = a * sp.log(a / b) + (1 - a) * sp.log((1 - a) / (1 - b))
    kl_post = a1 * sp.log(a1 / b1) + (1 - a1) * sp.log((1 - a1) / (1 - b1))
    own_term = make("K.1/delta-kl", (A0, B0, A1, B1), dkl > 0,
                    hyps=[a1 > a, b1 < b, a <= b, a1 > b1],
                    facts=[LOG_MONOTONE_INC.instance(x=1, y=a1 / b1),
                           LOG_LE_SUB_ONE.instance(x=a / b)],
                    hints=[{"a": F(2, 5), "b": F(3, 5), "a1": F(11, 20), "b1": F(9, 20)}],
                    text="'misclassified as good' before: P−(s) ≤ P+(s); 'correctly classified "
                         "as bad' after: P−(s) > P+(s)")
    steps = (
        Step("K.0", Location.statement("Conjecture 1"), "An alignment loss that increases the likelihood of desired "
             "sentences and minimizes the likelihood of undesired ones, increases the "
             "β-distinguishability of resulting aligned LLM.", StepKind.GIVEN,
             explanation="Stated as a conjecture; bebcheck checks its supporting equation (7)."),
        Step("K.1", Location.display("Section 3.1", "equation (7)"),
             "for any sentence s that is misclassified as good by the pretrained LLM but correctly "
             "classified as bad after alignment tuning, PRLHF−(s) > Ppretraining−(s), while "
             "PRLHF+(s) < Ppretraining+(s). Therefore, the contribution of this classification "
             "change to the KL divergence is positive since: ∆KL = PRLHF−(s)·log PRLHF−/PRLHF+ − "
             "Ppretraining−(s)·log Ppre−/Ppre+ > 0",
             StepKind.FAITHFUL,
             (own_term,),
             lemmas=("log_lt_log", "log_le_sub_one"),
             explanation="With the sentence's premises (good before, bad after) the new term is "
                         "positive and the old one is not: (7) holds."),
        Step("K.2", Location.sentence("Section 3.1", "Thus, the existence of misclassified examples", "after equation (7)"),
             "Thus, the existence of misclassified examples by classifiers over the LLM "
             "distribution out of pretraining, which can then be classified correctly by a "
             "classifier over the distribution over an LLM after RLHF, can ensure increased "
             "KL-divergence between the ill- and well- behaved components", StepKind.FAITHFUL,
             (make("K.2/two-sentences", (A0, B0, A1, B1), kl_post > kl_pre,
                   hyps=[a1 > a, b1 < b, a <= b, a1 > b1],
                   hints=[{"a": F(2, 5), "b": F(3, 5), "a1": F(11, 20), "b1": F(9, 20)}],
                   text="an alphabet of two sentences, s and t: the KL divergence after "
                        "alignment exceeds the one before"),),
             explanation="One sentence's term growing does not make the divergence grow: the "
                         "other sentences' terms change too (their probabilities renormalise). "
                         "With two sentences, P−: 2/5 → 11/20 and P+: 3/5 → 9/20 on s, the KL "
                         "falls from 0.081 to 0.020.", finding=Finding(Severity.INVALID_STEP, realised=realised("K.2"))),
        Step("K.2r", Location.sentence("Section 3.1", "Thus, the existence of misclassified examples", "after equation (7)").as_repaired(),
             "What holds: each reclassified sentence's own contribution to the KL divergence "
             "grows (equation (7)); whether the divergence grows depends on the rest of the "
             "distribution", StepKind.REPAIRED,
             (own_term.with_(id="K.2r/own-term", text="the claim restricted to what (7) "
                                                      "shows"),),
             repairs="K.2",
             explanation="No sufficient condition on the rest of the distribution is given by the "
                         "paper (on two sentences the other term always falls); Conjecture 1 "
                         "stays a conjecture."),
    )
    return Chain(ResultId.CONJECTURE1, "Conjecture 1 and equation (7)",
                 "∆KL = PRLHF−(s) log(PRLHF−/PRLHF+) − Ppre−(s) log(Ppre−/Ppre+) > 0",
                 "Section 3.1", steps)
