"""The Markov persona simulator and its experiments: validation, exactness, the paper's claims on models."""

from __future__ import annotations

import argparse
import math
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from bebcheck.checks import sim as S
from bebcheck.checks.cli.simulate import register
from bebcheck.checks.sim import adversaries as A
from bebcheck.checks.sim import experiments as E
from bebcheck.proofs.beb_v1.bounds import BOUNDS, eps_prime, sentences_per_turn, symbols
from bebcheck.proofs.beb_v1.results import ResultId
from bebcheck.symbolic.errors import InputError

F = Fraction

# ------------------------------------------------------------------------------ strategies


def _dist(k: int) -> st.SearchStrategy[list[Fraction]]:
    return st.lists(st.integers(1, 9), min_size=k, max_size=k).map(
        lambda ws: [F(w, sum(ws)) for w in ws])


@st.composite
def exact_models(draw: st.DrawFn, max_k: int = 4, max_personas: int = 3) -> S.Mixture:
    k = draw(st.integers(2, max_k))
    n = draw(st.integers(2, max_personas))
    personas = []
    for _ in range(n):
        pi = draw(_dist(k))
        T = [draw(_dist(k)) for _ in range(k)]
        personas.append(S.Persona(pi, T))
    w = draw(_dist(n))
    score = draw(st.lists(st.fractions(-1, 1, max_denominator=20), min_size=k, max_size=k))
    return S.Mixture(personas, w, score)


def _prompt(model: S.Mixture, draw: st.DrawFn, max_len: int = 6) -> list[int]:
    return draw(st.lists(st.integers(0, model.K - 1), max_size=max_len))


def _random_model(rng: np.random.Generator, K: int, n: int) -> S.Mixture:
    ps = [S.Persona(rng.dirichlet(np.ones(K)), rng.dirichlet(np.ones(K), size=K))
          for _ in range(n)]
    return S.Mixture(ps, rng.dirichlet(np.ones(n)), rng.uniform(-1, 1, K))


# ------------------------------------------------------------------------------ validation


def test_float_rows_get_a_tolerance_but_fraction_rows_must_sum_to_one_exactly():
    S.Persona([0.5, 0.5 + 1e-12], [[1.0, 0.0], [0.3, 0.7]])  # accepted, renormalised
    with pytest.raises(InputError, match=r"T row 1: sums to 0\.9"):
        S.Persona([0.5, 0.5], [[1.0, 0.0], [0.2, 0.7]])
    with pytest.raises(InputError, match=r"no tolerance"):
        S.Persona([F(1, 2), F(1, 2)], [[F(1), F(0)], [F(1, 3), F(2, 3) - F(1, 10**12)]])
    p = S.Persona([F(1, 2), F(1, 2)], [[1, 0], [F(1, 3), F(2, 3)]])
    assert p.exact
    assert p.T_q is not None
    assert p.T_q[1][0] == F(1, 3)


def test_negative_probabilities_and_non_numbers_are_rejected_by_name():
    with pytest.raises(InputError, match=r"persona: pi: entry 0 = -0\.1 is negative"):
        S.Persona([-0.1, 1.1], [[1.0, 0.0], [0.0, 1.0]])
    with pytest.raises(InputError, match=r"entry \(0, 1\) is 'x', not a number"):
        S.Persona([1.0, 0.0], [[1.0, "x"], [0.0, 1.0]])
    with pytest.raises(InputError, match="not finite"):
        S.Persona([math.nan, 1.0], [[1.0, 0.0], [0.0, 1.0]])


def test_negative_or_zero_sum_priors_are_rejected():
    p = S.Persona([1.0, 0.0], [[1.0, 0.0], [0.0, 1.0]])
    with pytest.raises(InputError, match=r"weight 1 is negative"):
        S.Mixture([p, p], [1.2, -0.2], [0, 0])
    with pytest.raises(InputError, match="priors sum to 0"):
        S.Mixture([p, p], [0, 0], [0, 0])
    with pytest.raises(InputError, match="2 weights for 3 personas"):
        S.Mixture([p, p, p], [0.5, 0.5], [0, 0])
    m = S.Mixture([p, p], [3, 1], [0, 0])  # unnormalised priors are normalised
    assert m.weights_q == (F(3, 4), F(1, 4))


def test_scores_outside_minus_one_one_are_rejected():
    p = S.Persona([1.0, 0.0], [[1.0, 0.0], [0.0, 1.0]])
    with pytest.raises(InputError, match=r"score\[1\] = 1\.5 is outside \[-1, 1\]"):
        S.Mixture([p], [1], [0, 1.5])
    with pytest.raises(InputError, match=r"score\[0\] = -11/10 is outside"):
        S.Mixture([p], [1], [F(-11, 10), 0])


def test_shape_mismatches_are_rejected_with_the_shapes():
    with pytest.raises(InputError, match=r"T has shape \(2, 3\), expected \(2, 2\)"):
        S.Persona([0.5, 0.5], [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    with pytest.raises(InputError, match="ragged"):
        S.Persona([0.5, 0.5], [[1.0, 0.0], [1.0]])
    p2 = S.Persona([1.0, 0.0], [[1.0, 0.0], [0.0, 1.0]])
    p3 = S.Persona([1.0, 0.0, 0.0], np.eye(3))
    with pytest.raises(InputError, match="persona 1 has 3 sentences, persona 0 has 2"):
        S.Mixture([p2, p3], [1, 1], [0, 0])
    with pytest.raises(InputError, match="score has 3 entries, the alphabet has 2"):
        S.Mixture([p2], [1], [0, 0, 0])


def test_bad_prompts_and_inexact_models_are_rejected():
    m = S.worst_case_pair(0.25, -0.5, 0.01)
    with pytest.raises(InputError, match=r"sentence 2 at position 1 is not in the alphabet 0\.\.1"):
        S.behavior(m, [0, 2])
    with pytest.raises(InputError, match="not an integer"):
        S.behavior(m, [0.5])
    with pytest.raises(InputError, match="exact=True needs a model built from Fractions"):
        S.behavior(m, [0], exact=True)
    with pytest.raises(InputError, match="probability 0"):
        S.posterior(S.Mixture([S.Persona([1, 0], [[1, 0], [0, 1]])], [1], [0, 0]), [1])
    with pytest.raises(InputError, match="one Markov persona per part"):
        S.split_parameters(_random_model(np.random.default_rng(0), 3, 3), [0])
    with pytest.raises(InputError, match=r"gamma = 0\.5 is outside \[-1, 0\)"):
        S.meets_definition3(m, 0, beta=0.1, gamma=0.5)


# --------------------------------------------------------------------- exact quantities


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_exact_and_float_paths_agree(data):
    m = data.draw(exact_models())
    s = _prompt(m, data.draw)
    assert float(S.prob(m, s, exact=True)) == pytest.approx(S.prob(m, s), rel=1e-9)
    assert [float(x) for x in S.posterior(m, s, exact=True)] == pytest.approx(
        list(S.posterior(m, s)), abs=1e-12)
    assert [float(x) for x in S.next_distribution(m, s, exact=True)] == pytest.approx(
        list(S.next_distribution(m, s)), abs=1e-12)
    assert float(S.behavior(m, s, exact=True)) == pytest.approx(S.behavior(m, s), abs=1e-12)
    ex = S.split_parameters(S.Mixture(m.personas[:2], [F(1, 3), F(2, 3)], m.score_q), 0,
                            exact=True)
    fl = S.split_parameters(S.Mixture(m.personas[:2], [F(1, 3), F(2, 3)], m.score_q), 0)
    assert ex.beta == pytest.approx(fl.beta, abs=1e-12)
    assert ex.c == pytest.approx(fl.c, abs=1e-12)
    assert float(ex.gamma) == pytest.approx(fl.gamma, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_posterior_sums_to_one_and_behavior_is_the_posterior_weighted_average(data):
    """Section 2.1: B_P(s*) = sum_phi w_phi(s*) B_{P_phi}(s*), exactly in Fractions."""
    m = data.draw(exact_models())
    s = _prompt(m, data.draw)
    post = S.posterior(m, s, exact=True)
    assert sum(post) == 1
    comp = S.component_behaviors(m, s, exact=True)
    assert S.behavior(m, s, exact=True) == sum(w * b for w, b in zip(post, comp, strict=True))
    nd = S.next_distribution(m, s, exact=True)
    assert sum(nd) == 1
    assert S.behavior(m, s, exact=True) == sum(p * b for p, b in zip(nd, m.score_q, strict=True))
    pf = S.posterior(m, s)
    assert pf.sum() == pytest.approx(1.0, abs=1e-12)
    assert S.behavior(m, s) == pytest.approx(float(pf @ S.component_behaviors(m, s)), abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_conditional_kl_matches_a_direct_sum_and_vanishes_against_itself(data):
    """KL(P_i(.|ctx) || P_j(.|ctx)) recomputed here from the rows, term by term."""
    import math

    m = data.draw(exact_models())
    for i in range(m.n_personas):
        for j in range(m.n_personas):
            a, b = m.personas[i], m.personas[j]
            rows_a = [a.pi_q, *a.T_q]
            rows_b = [b.pi_q, *b.T_q]
            for exact in (False, True):
                kl = S.kl_by_context(m, i, j, exact=exact)
                for k, (ra, rb) in enumerate(zip(rows_a, rows_b, strict=True)):
                    if any(pa > 0 and pb == 0 for pa, pb in zip(ra, rb, strict=True)):
                        assert kl[k] == math.inf
                        continue
                    direct = sum(float(pa) * math.log(pa / pb)
                                 for pa, pb in zip(ra, rb, strict=True) if pa > 0)
                    assert kl[k] == pytest.approx(max(direct, 0.0), abs=1e-12)
                if i == j:
                    assert np.all(kl == 0)


def test_behavior_trajectory_matches_every_prefix():
    m = _random_model(np.random.default_rng(1), 5, 4)
    s = [int(x) for x in np.random.default_rng(2).integers(0, 5, 30)]
    traj = S.behavior_trajectory(m, s)
    assert traj == pytest.approx([S.behavior(m, s[:t]) for t in range(31)], abs=1e-12)


def test_long_prompts_stay_finite_in_log_space():
    m = _random_model(np.random.default_rng(3), 20, 4)
    s = np.random.default_rng(4).integers(0, 20, 5000)
    assert math.isfinite(S.log_prob(m, s))
    assert S.log_prob(m, s) < -5000
    assert -1 <= S.behavior(m, s) <= 1
    assert S.posterior(m, s).sum() == pytest.approx(1.0)


# -------------------------------------------------------------------- the proofs' claims


def _pair_models(n: int, seed: int = 0):
    for i in range(n):
        m, _ = E.pair_model(seed, 99, i)
        p = S.split_parameters(m, 0)
        if p.meets_definition3():
            yield m, p


def test_greedy_prompt_log_ratio_exceeds_n_beta_on_models_meeting_definition_2():
    """Appendix A: each greedy sentence gains > beta', so M_n > n beta' (beta' < measured beta)."""
    checked = 0
    for m, p in _pair_models(150):
        beta = 0.999 * p.beta
        assert S.meets_definition2(m, 0, 1, beta)
        for rule in ("argmax", "weakest"):
            g = S.greedy_prompt(m, 0, 40, rule=rule, beta=beta if rule == "weakest" else None)
            assert all(x > beta for x in g.gains)
            assert g.log_ratio > 40 * beta
            lp = S.log_prob_components(m, g.sentences)
            assert g.log_ratio == pytest.approx(lp[0] - lp[1], rel=1e-9, abs=1e-9)
        checked += 1
    assert checked > 50


def test_greedy_general_path_equals_the_fast_path_for_one_persona_per_part():
    for m, _ in list(_pair_models(30))[:10]:
        fast = S.greedy_prompt(m, 0, 25, start=[1, 0])
        slow = A._greedy_general(m, np.array([True, False]), 25, np.array([1, 0]), "argmax",
                                 None)
        assert fast.sentences == slow.sentences
        assert fast.log_ratio == pytest.approx(slow.log_ratio, rel=1e-9)


def test_greedy_prompt_on_mixture_parts_raises_the_bad_part_posterior():
    m = _random_model(np.random.default_rng(5), 4, 4)
    g = S.greedy_prompt(m, [0, 1], 30)
    post = S.posterior(m, g.sentences)
    assert post[:2].sum() > S.posterior(m, [])[:2].sum()
    assert all(x > 0 for x in g.gains[:5])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_repaired_lengths_always_misalign_random_qualifying_models(seed):
    for fn, n in ((E.theorem1, 250), (E.theorem2, 150), (E.theorem3, 120),
                  (E.theorem4, 60), (E.proposition1, 150)):
        res = fn(seed=seed, models=n)
        assert res.ok, (fn.__name__, res.repaired_failures)
        assert res.verdict is E.Verdict.HELD
        assert res.counts.repaired_failures == 0
        assert res.counts.qualifying > n // 3  # enough models qualified


def test_planted_worst_case_shows_the_printed_theorem1_length_can_fail():
    """P- says the bad sentence (B = gamma) always; P+ gives it rho and B = +1 otherwise."""
    rho, gamma, eps, alpha = F(1, 8), F(-1, 2), F(1, 10), F(1, 4000)
    m = S.worst_case_pair(rho, gamma, alpha)
    p = S.split_parameters(m, 0, exact=True)
    assert p.alpha == alpha
    assert p.gamma == gamma
    assert p.beta == pytest.approx(math.log(8))
    assert S.meets_definition3(m, 0, beta=0.99 * p.beta, gamma=float(gamma))
    kw = {"alpha": float(alpha), "beta": p.beta, "gamma": float(gamma), "eps": float(eps)}
    n_paper = E.bound_length("theorem1", paper=True, **kw)
    n_rep = E.bound_length("theorem1", **kw)
    assert (n_paper, n_rep) == (5, 6)
    g = S.greedy_prompt(m, 0, n_rep)
    assert g.gains == pytest.approx((p.beta,) * n_rep)  # each step gains exactly beta
    b_paper = S.behavior(m, g.sentences[:n_paper], exact=True)
    b_rep = S.behavior(m, g.sentences, exact=True)
    assert b_paper >= gamma + eps  # the printed length does not misalign (exactly)
    assert b_rep < gamma + eps
    # and no other prompt of the printed length does better (exhaustive search)
    assert S.exhaustive_min_behavior(m, n_paper)[0] == pytest.approx(float(b_paper))


def test_planted_family_reports_printed_failures_and_no_repaired_failure():
    p1 = E._planted_theorem1()
    assert p1.total == 144
    assert p1.repaired_failures == 0
    assert len(p1.printed_failures) > 20
    p2 = E._planted_theorem2()
    assert p2.total == 32
    assert p2.repaired_failures == 0
    assert p2.printed_failures
    res = E.theorem1(seed=0, models=5)
    assert res.counts.planted == 144
    assert res.counts.planted_printed_failures == len(p1.printed_failures)


def test_dynamic_programming_minimum_equals_brute_force_on_tiny_alphabets():
    for m, _ in list(_pair_models(60, seed=1))[:20]:
        if m.K > 3:
            continue
        dp = S.min_behavior_by_length(m, 0, 6)
        for n in range(7):
            assert dp[n] == pytest.approx(S.exhaustive_min_behavior(m, n)[0], abs=1e-12)


# ---------------------------------------------------------------------- other adversaries


def test_conversation_is_reproducible_and_alternates_user_and_model():
    m, _ = next(_pair_models(10))
    a = S.conversation(m, 0, 3, 5, seed=7)
    b = S.conversation(m, 0, 3, 5, seed=np.random.default_rng(7))
    assert a == b
    assert a.roles == ("user",) * 3 + ("model",) + ("user",) * 3 + ("model",) * 1 + a.roles[8:]
    assert a.user_sentences == 15
    assert len(a.behaviors) == 5
    lp = S.log_prob_components(m, a.sentences)
    assert a.log_ratios[-1] == pytest.approx(lp[0] - lp[1], rel=1e-9)
    assert a.behaviors[-1] == pytest.approx(S.behavior(m, a.sentences), abs=1e-12)
    with pytest.raises(InputError, match="seed"):
        S.conversation(m, 0, 3, 5, seed=-1)


def test_continuation_tracks_behavior_after_the_misaligning_prompt():
    m, _ = next(_pair_models(10))
    s0 = S.greedy_prompt(m, 0, 20).sentences
    for user in ("realign", "sample"):
        c = S.continuation(m, 0, s0, 9, seed=3, user=user)
        assert c.roles[:3] == ("model", "user", "model")
        assert c.behaviors[0] == pytest.approx(S.behavior(m, s0))
        assert c.behaviors[-1] == pytest.approx(S.behavior(m, list(s0) + list(c.sentences)))


def test_persona_prompt_ratios_match_the_log_probabilities():
    m = _random_model(np.random.default_rng(8), 4, 3)
    pp = S.persona_prompt(m, 1, 40, seed=2, tries=3)
    assert len(pp.max_log_ratios) == 3
    lp = S.log_prob_components(m, pp.sentences)
    assert min(pp.max_log_ratios) == pytest.approx(max(lp[0] - lp[1], lp[2] - lp[1]))
    sents, traj = S.persona_greedy_prompt(m, 1, 10)
    assert traj == pytest.approx(S.behavior_trajectory(m, sents))


def test_definition_predicates_on_the_planted_pair():
    m = S.worst_case_pair(F(1, 4), F(-1, 2), F(1, 100), F(1, 100))
    p = S.split_parameters(m, 0)
    assert S.meets_definition2(m, 0, 1, 0.99 * p.beta)
    assert not S.meets_definition2(m, 0, 1, p.beta)
    assert S.meets_definition3(m, 0, 0.5 * p.beta, -0.5, alpha=0.01)
    assert not S.meets_definition3(m, 0, 0.5 * p.beta, -0.5, alpha=0.02)
    assert S.meets_definition6(m, 0, 1, p.c * 1.01)
    assert not S.meets_definition6(m, 0, 1, p.c)
    assert S.meets_definition4(m, 0, 1, 0.5 * p.beta)
    assert S.meets_definition5(m, 0.01, 0.5 * p.beta, -0.5)
    assert not S.meets_definition5(m, 0.5, 0.5 * p.beta, -0.5)
    g = S.greedy_prompt(m, 0, 30)
    assert S.meets_definition1(m, g.sentences, -0.5, 0.05)
    assert math.isinf(S.split_parameters(S.worst_case_pair(0.25, -0.5, 0.01), 0).c)


def test_alignment_tilt_reweights_towards_good_sentences():
    m, p = next(_pair_models(10))
    assert S.split_parameters(S.tilt(m, 0.0), 0).beta == pytest.approx(p.beta)
    t = S.tilt(m, 2.0)
    for a, b in zip(m.personas, t.personas, strict=True):
        assert b.pi @ m.score >= a.pi @ m.score - 1e-12
    with pytest.raises(InputError, match="eta"):
        S.tilt(m, math.inf)


# ------------------------------------------------------------------- bounds and the CLI


def test_bound_length_evaluates_the_symbolic_length_expressions():
    syms = symbols()
    pt = {"alpha": 0.01, "beta": 0.3, "gamma": -0.4, "eps": 0.1, "c": 2.0, "s0": 3, "phi": 4,
          "reply": 2}
    for name, b in BOUNDS.items():
        for paper in (False, True):
            kw = {k: pt[k] for k in b.params}
            expected = b.length_expr(paper=paper).subs({syms[k]: sp.Float(v) if k not in
                                                       ("s0", "phi", "reply") else v
                                                       for k, v in kw.items()})
            assert E.bound_length(name, paper=paper, **kw) == int(expected)
    for paper in (False, True):
        q, t = E.theorem3_turns(paper=paper, alpha=0.01, beta=0.3, gamma=-0.4, eps=0.1, c=2.0)
        assert q == 8
        assert q * t == E.bound_length("theorem3", paper=paper, alpha=0.01, beta=0.3,
                                       gamma=-0.4, eps=0.1, c=2.0)
    with pytest.raises(InputError, match="missing parameter"):
        E.bound_length("theorem1", alpha=0.1)
    with pytest.raises(InputError, match="undefined"):
        E.bound_length("theorem1", alpha=0.1, beta=1.0, gamma=-0.5, eps=1.5)
    with pytest.raises(InputError, match=r"alpha = 1\.5 must be in \(0, 1\)"):
        E.bound_length("theorem1", alpha=1.5, beta=1.0, gamma=-0.5, eps=0.1)
    with pytest.raises(InputError, match="no explicit length"):
        E.bound_length("corollary1", alpha=0.1)


def test_theorem3_q_is_sentences_per_turn_evaluated_exactly_at_the_stored_floats():
    """0.03/0.01 rounds to 3.0 in floats, but the stored binary values give a ratio below 3."""
    c, beta = 0.03, 0.01
    assert math.floor(c / beta) == 3
    exact = int(sentences_per_turn(sp.Rational(*c.as_integer_ratio()),
                                   sp.Rational(*beta.as_integer_ratio())))
    assert exact == 4
    for paper in (False, True):
        q, t = E.theorem3_turns(paper=paper, alpha=0.01, beta=beta, gamma=-0.4, eps=0.1, c=c)
        assert q == exact  # and the total length is q * t with that same q
        assert t >= 1


def _cli(*argv: str) -> tuple[int, argparse.Namespace]:
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    register(sub)
    args = p.parse_args(list(argv))
    return args.handler(args), args


def test_simulate_command_runs_and_rejects_bad_input(capsys):
    code, _ = _cli("simulate", "theorem1", "--models", "40", "--seed", "3")
    out = capsys.readouterr().out
    assert code == 0
    assert "simulate theorem1 (seed 3, 40 random models)" in out
    for argv, msg in ((("simulate", "theorem9"), "unknown result"),
                      (("simulate", "theorem1", "--seed", "-2"), "--seed -2 must be at least 0"),
                      (("simulate", "theorem1", "--models", "x"), "--models 'x' is not an integer"),
                      (("simulate", "theorem1", "--plot", "/no/such/dir/p.png"),
                       "does not exist")):
        with pytest.raises(InputError, match=msg):
            _cli(*argv)


@pytest.mark.parametrize("result", list(E.EXPERIMENTS))
def test_every_experiment_plots_behavior_against_length(result, tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / f"{result}.png"
    code, _ = _cli("simulate", result, "--models", "60", "--plot", str(out))
    assert code == 0
    assert out.stat().st_size > 5000
    assert out.read_bytes()[:4] == b"\x89PNG"


def test_reported_random_model_404_fails_the_printed_theorem1_length():
    m, rng = E.pair_model(0, 1, 404)
    eps = float(rng.uniform(0.01, 0.5))
    p = S.split_parameters(m, 0)
    assert p.meets_definition3()
    assert m.K == 2
    kw = {"alpha": p.alpha, "beta": p.beta, "gamma": p.gamma, "eps": eps}
    n_p, n_r = E.bound_length("theorem1", paper=True, **kw), E.bound_length("theorem1", **kw)
    assert (n_p, n_r) == (5, 6)
    g = S.greedy_prompt(m, 0, n_r)
    assert S.behavior(m, g.sentences[:n_p]) >= p.gamma + eps > S.behavior(m, g.sentences)
    # no prompt at all of the printed length misaligns (exhaustive, 2**5 prompts)
    assert S.exhaustive_min_behavior(m, n_p)[0] >= p.gamma + eps


def test_reported_persona_mixture_16_breaks_appendix_f_with_the_printed_eps_prime():
    """A prompt with P_phi/P_target < 2 alpha eps/gamma' for all phi, yet B_P > gamma + eps."""
    m, rng = E.persona_model(0, 16)
    eps = float(rng.uniform(0.05, 0.5))
    alpha, gamma = float(m.weights[0]), float(S.sup_behavior(m, 0))
    s = [6, 6]
    lp = S.log_prob_components(m, s)
    printed = eps_prime(*(sp.Rational(*x.as_integer_ratio()) for x in (alpha, eps, -gamma)),
                        paper=True)
    assert np.all(lp[1:] - lp[0] < math.log(float(printed)))
    assert S.behavior(m, s) > gamma + eps
    assert S.meets_definition5(m, alpha, 0.99 * min(S.martingale_distinguishability(m, 0)
                                                    .values()), gamma)


def test_the_verdict_is_decided_from_the_counts_not_from_the_report_rows():
    held = E.Counts(qualifying=10)
    planted = E.Counts(qualifying=10, planted=5, planted_repaired_failures=3)
    random = E.Counts(qualifying=10, repaired_failures=1)
    printed = E.Counts(qualifying=10, printed_failures=7, planted_printed_failures=2)
    assert E.decide(ResultId.THEOREM1, held) is E.Verdict.HELD
    assert E.decide(ResultId.THEOREM1, planted) is E.Verdict.FAILED
    assert E.decide(ResultId.THEOREM2, random) is E.Verdict.FAILED
    assert E.decide(ResultId.THEOREM4, printed) is E.Verdict.HELD  # printed failures are findings
    assert E.decide(ResultId.CONJECTURE1, random) is E.Verdict.EXPLORATION  # no explicit length
    # the report rows do not enter the verdict, whatever they say
    good = E.SimResult(ResultId.THEOREM1, 0, 1, held, {"repaired length fails": 3}, [], [])
    bad = E.SimResult(ResultId.THEOREM1, 0, 1, planted, {}, [], [])
    assert good.ok
    assert not bad.ok
    assert any("FAILED" in line for line in bad.lines())
    assert bad.to_dict()["verdict"] == "failed"
    assert bad.to_dict()["counts"]["planted_repaired_failures"] == 3


def test_simulate_exits_1_when_an_experiment_fails(monkeypatch, capsys):
    failing = E.SimResult(ResultId.THEOREM2, 0, 1, E.Counts(qualifying=1, repaired_failures=1),
                          {}, [], [])
    monkeypatch.setitem(E.EXPERIMENTS, ResultId.THEOREM2, lambda seed, models: failing)
    code, args = _cli("simulate", " Theorem2", "--models", "1")
    assert code == 1
    assert args.result == " Theorem2"
    assert "verdict: repaired length FAILED" in capsys.readouterr().out


def test_every_result_with_an_explicit_length_has_an_experiment():
    assert set(BOUNDS) <= set(E.EXPERIMENTS)
    assert all(isinstance(k, ResultId) for k in E.EXPERIMENTS)
    with pytest.raises(InputError, match="unknown result 'lemma_b' to simulate"):
        _cli("simulate", "lemma_b")


def test_exact_reachability_keeps_sub_denormal_probabilities():
    from fractions import Fraction as Fr

    t = Fr(1, 10**400)
    m = S.Mixture(
        [S.Persona([1 - t, t], [[Fr(1), Fr(0)], [Fr(1, 2), Fr(1, 2)]]),
         S.Persona([Fr(1, 2), Fr(1, 2)], [[Fr(1, 2), Fr(1, 2)], [Fr(1, 2), Fr(1, 2)]])],
        [Fr(1, 2), Fr(1, 2)], [Fr(-1), Fr(0)])
    assert bool(S.reachable(m, 0)[2])  # the context after sentence 1 is reachable


# ------------------------------------------------ replies of several sentences, worst case


def _cost(pair: A._Pair, ctx: int, reply: tuple[int, ...]) -> float:
    """What ``reply`` (sentences from context ``ctx``) adds to log P-/P+."""
    total = 0.0
    for s in reply:
        total += pair.lr_l[ctx][s]
        ctx = s + 1
    return total


def test_worst_reply_is_the_least_log_ratio_over_every_reply_by_brute_force():
    import itertools

    for m, _ in list(_pair_models(30, seed=4))[:8]:
        pair = A._Pair(m, 0)
        for ctx in range(m.K + 1):
            for n in (1, 2, 3):
                got = pair.worst_reply(ctx, n)
                least = min(_cost(pair, ctx, r) for r in itertools.product(range(m.K), repeat=n))
                assert len(got) == n
                assert _cost(pair, ctx, tuple(got)) == pytest.approx(least, abs=1e-12)


def test_replies_of_several_sentences_keep_lemma_d_per_reply_cost():
    """Each reply of A sentences moves log P-/P+ by its sentences' log ratios (at least -A c:
    Definition 6 per sentence); several-sentence replies can cost more than the printed c."""
    m, _ = next(_pair_models(10, seed=2))
    p = S.split_parameters(m, 0)
    over_c = 0
    for replies in ("sampled", "worst"):
        conv = S.conversation(m, 0, 4, 6, seed=1, reply=3, replies=replies)
        assert conv.roles[:7] == ("user",) * 4 + ("model",) * 3
        lp = S.log_prob_components(m, conv.sentences)
        assert conv.log_ratios[-1] == pytest.approx(lp[0] - lp[1], rel=1e-9)
        pair = A._Pair(m, 0)
        for t, d in enumerate(conv.reply_changes):  # a turn: 4 user sentences, 3 replied
            before = conv.sentences[7 * t + 3] + 1  # the context the reply starts from
            assert d == pytest.approx(_cost(pair, before, conv.sentences[7 * t + 4:7 * t + 7]),
                                      abs=1e-12)
            assert d >= -3 * p.c * (1 + 1e-12)
            over_c += d < -p.c
        if replies == "worst":
            for t, d in enumerate(conv.reply_changes):
                before = conv.sentences[7 * t + 3] + 1
                assert d == pytest.approx(_cost(pair, before, tuple(pair.worst_reply(before, 3))))
    assert over_c > 0  # the printed Lemma D's "-c per reply" is for one-sentence replies
    with pytest.raises(InputError, match="replies"):
        S.conversation(m, 0, 4, 6, replies="best")


def test_best_split_sums_to_the_best_length_and_fits_its_turns():
    from bebcheck.checks.numeric import oracle

    for m, _ in list(_pair_models(40, seed=5))[:6]:
        p = S.split_parameters(m, 0)
        kw = {"alpha": p.alpha, "beta": p.beta, "gamma": p.gamma, "eps": 0.1, "c": p.c}
        for reply in (1, 2):
            q, t = E.theorem3_turns(paper=False, reply=reply, **kw)
            sizes = E.theorem3_split(reply=reply, **kw)
            assert sum(sizes) == oracle.length("theorem3", {**kw, "reply": reply}, best=True)
            assert sum(sizes) <= q * t
            assert all(1 <= k <= q for k in sizes)
            # the argument's inequality: the turns gain beta Q - n A c > T
            need = math.log((1 - p.alpha) / p.alpha) + math.log((1 - p.gamma - 0.1) / 0.1)
            assert p.beta * sum(sizes) - len(sizes) * reply * p.c > need - 1e-9


def test_theorem3_experiment_runs_several_sentence_and_worst_case_replies():
    res = E.theorem3(seed=0, models=60)
    st_ = res.stats
    key = "replies of A = 1, 2, 3 sentences (best split): conversations sampled / worst case"
    sampled, worst = (int(x) for x in st_[key].split(" / "))
    assert sampled == worst > 0
    assert st_["  best split fails (sampled or worst-case replies)"] == 0
    assert st_["  Lemma D: least change of log P-/P+ by a reply, over A c (> -1)"] >= -1 - 1e-12
    over, total = (int(x) for x in st_["  replies of A >= 2 sentences lowering log P-/P+ by "
                                       "more than c (printed Lemma D)"].split(" of "))
    assert 0 < over <= total
    assert res.ok


# ------------------------------------------------------- a planted worst case, Proposition 1


def test_worst_case_prop1_moves_every_sentence_by_exactly_c():
    from bebcheck.symbolic.lemmas import kl_cap

    sigma = F(3, 5)
    m = E.worst_case_prop1(sigma, F(1, 10))
    p = S.split_parameters(m, 0, exact=True)
    c = math.log(sigma / (1 - sigma))
    assert p.c == pytest.approx(c, rel=1e-12)
    assert p.beta == pytest.approx(float(kl_cap(sp.Float(c))), rel=1e-12)  # the largest KL
    assert p.gamma == 1 - 2 * sigma
    for s in ([0], [1], [0, 0, 1]):
        lp = S.log_prob_components(m, s)
        assert lp[0] - lp[1] == pytest.approx(c * (s.count(0) - s.count(1)), abs=1e-12)
    with pytest.raises(InputError, match="sigma"):
        E.worst_case_prop1(F(1, 2), F(1, 10))


def test_planted_proposition1_fails_the_printed_length_exactly_and_never_the_repaired():
    planted, gaps = E._planted_proposition1()
    assert planted.repaired_failures == 0
    assert min(gaps) >= 1  # B_P stays below gamma/2 through the repaired length
    assert planted.printed_failures
    case = planted.printed_failures[0]
    m = E.worst_case_prop1(case["sigma"], F(case["alpha"]))
    p = S.split_parameters(m, 0)
    s0 = E._tight_prompt(p, case["s0"])
    lp = S.log_prob_components(m, s0)
    assert lp[0] - lp[1] > p.beta * len(s0)  # P1.8r's hypothesis
    gamma = F(case["gamma"])
    b0 = S.behavior(m, s0, exact=True)
    assert isinstance(b0, Fraction)
    assert b0 <= gamma  # the printed hypothesis B_P(s0) <= gamma
    t = case["first |s1| with B_P >= gamma/2"]
    assert t <= case["n_paper"]
    assert S.behavior(m, s0 + [1] * t, exact=True) >= gamma / 2  # exact: printed length fails
    res = E.proposition1(seed=0, models=20)
    assert res.counts.planted == planted.total
    assert res.counts.planted_printed_failures == len(planted.printed_failures)
